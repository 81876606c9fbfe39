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

// The files read in one run, with their text kept for quoting source lines. A big file's text
// may be released once parsed: a line quoted later is read again from the file, and quoted only
// if the file still holds exactly what was read.
class SourceFiles {
 public:
  std::uint32_t add(std::string path, std::string text);
  const std::string& path(std::uint32_t file) const { return files_[file].path; }
  // The text as read; empty once released (until a quoted line brings it back).
  const std::string& text(std::uint32_t file) const { return files_[file].text; }
  std::size_t size() const { return files_.size(); }
  // The text of one line (without its newline), empty when out of range or when a released file
  // can no longer be read as it was.
  std::string_view line_text(std::uint32_t file, std::uint32_t line) const;

  // Frees the text of a file read from `path` on disk, keeping `checksum` (its SHA-256, for the
  // reports' provenance) and what it takes to recognise the file when it is read again.
  void release_text(std::uint32_t file, std::string checksum);
  bool released(std::uint32_t file) const { return files_[file].released; }
  // The checksum given to release_text; empty for a file whose text is kept.
  const std::string& checksum(std::uint32_t file) const { return files_[file].checksum; }

 private:
  struct File {
    std::string path;
    mutable std::string text;
    mutable std::vector<std::size_t> line_starts;
    bool released = false;
    mutable bool gone = false;  // released, and the file no longer holds what was read
    std::size_t bytes = 0;      // of a released text, and its hash: to recognise it again
    std::size_t hash = 0;
    std::string checksum;
  };
  bool bring_back(const File& f) const;
  std::vector<File> files_;
};

// How a long source line is quoted (a window of about this many bytes around the column), and
// how many diagnostics of one file are printed before "N more errors not shown".
constexpr std::size_t kMaxQuotedLine = 160;
constexpr std::size_t kMaxShownPerFile = 100;

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
