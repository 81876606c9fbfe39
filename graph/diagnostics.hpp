// Source files, positions and compiler-style diagnostics shared by every reader.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace chokepoint {

// A position in a loaded file; 1-based line and column (bytes), file indexes SourceFiles.
struct SourceLocation {
  std::uint32_t file = 0;
  std::uint32_t line = 0;
  std::uint32_t col = 0;
  bool valid() const { return line != 0; }
};

// The files read in one run, with their text kept for quoting source lines.
class SourceFiles {
 public:
  std::uint32_t add(std::string path, std::string text);
  const std::string& path(std::uint32_t file) const { return files_[file].path; }
  const std::string& text(std::uint32_t file) const { return files_[file].text; }
  std::size_t size() const { return files_.size(); }
  // The text of one line (without its newline), empty when out of range.
  std::string_view line_text(std::uint32_t file, std::uint32_t line) const;

 private:
  struct File {
    std::string path;
    std::string text;
    mutable std::vector<std::size_t> line_starts;
  };
  std::vector<File> files_;
};

enum class Severity { error, warning, note };

struct Diagnostic {
  Severity severity;
  SourceLocation where;
  std::string message;
  std::string path;  // used when `where` has no file (e.g. a file that cannot be opened)
};

// Collects every diagnostic of a run so that all errors are reported, not only the first.
class Diagnostics {
 public:
  void error(SourceLocation where, std::string message);
  void warning(SourceLocation where, std::string message);
  // Information about valid input (`validate --explain`); not counted.
  void note(SourceLocation where, std::string message);
  // An error about a whole file that has no position (cannot open, a directory).
  void file_error(std::string path, std::string message);

  std::size_t error_count() const { return errors_; }
  std::size_t warning_count() const { return warnings_; }
  const std::vector<Diagnostic>& all() const { return items_; }

  // Prints each diagnostic as `file:line:col: error: message`, the source line and a caret,
  // in file and position order, then a count line when there were errors or warnings.
  void print(std::ostream& out, const SourceFiles& files, bool with_count = true) const;

 private:
  bool first_time(Severity severity, SourceLocation where, const std::string& message);

  std::vector<Diagnostic> items_;
  std::unordered_set<std::string> seen_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
};

// Renders one diagnostic header `file:line:col: error: message` (no source line).
std::string format_header(const Diagnostic& d, const SourceFiles& files);

// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates);

// "; did you mean 'x'?" or an empty string.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace chokepoint
