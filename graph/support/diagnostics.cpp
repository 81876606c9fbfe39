#include "graph/support/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <ostream>

#include "graph/support/utf8.hpp"

namespace chokepoint {

std::uint32_t SourceFiles::add(std::string path, std::string text) {
  File f;
  f.path = std::move(path);
  f.text = std::move(text);
  files_.push_back(std::move(f));
  return static_cast<std::uint32_t>(files_.size() - 1);
}

void SourceFiles::release_text(std::uint32_t file, std::string checksum) {
  File& f = files_[file];
  f.bytes = f.text.size();
  f.hash = std::hash<std::string_view>{}(f.text);
  f.checksum = std::move(checksum);
  f.released = true;
  std::string().swap(f.text);  // (assigning an empty string would keep the capacity)
  f.line_starts = {};
}

// Reads a released file again; false (and never again) when it no longer holds what was read.
bool SourceFiles::bring_back(const File& f) const {
  if (f.gone) return false;
  std::ifstream in(f.path, std::ios::binary | std::ios::ate);
  std::string text;
  if (in && in.tellg() == static_cast<std::streamoff>(f.bytes)) {
    text.resize(f.bytes);
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(f.bytes));
  }
  if (!in || text.size() != f.bytes || std::hash<std::string_view>{}(text) != f.hash) {
    f.gone = true;
    return false;
  }
  f.text = std::move(text);
  return true;
}

std::string_view SourceFiles::line_text(std::uint32_t file, std::uint32_t line) const {
  if (file >= files_.size() || line == 0) return {};
  const File& f = files_[file];
  if (f.released && f.text.empty() && f.bytes > 0 && !bring_back(f)) return {};
  if (f.line_starts.empty()) {
    f.line_starts.push_back(0);
    for (std::size_t i = 0; i < f.text.size(); ++i)
      if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  }
  if (line > f.line_starts.size()) return {};
  std::size_t begin = f.line_starts[line - 1];
  std::size_t end = f.text.find('\n', begin);
  if (end == std::string::npos) end = f.text.size();
  if (end > begin && f.text[end - 1] == '\r') --end;
  return std::string_view(f.text).substr(begin, end - begin);
}

namespace {

// Control characters from the input (ESC, BEL, NUL) must not reach a terminal: shown as \xNN.
std::string visible(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f)
      out += fmt::format("\\x{:02x}", u);
    else
      out += c;
  }
  return out;
}

}  // namespace

bool Diagnostics::first_time(Severity severity, SourceLocation where, const std::string& message) {
  // The same problem at the same place is reported once (200,000 aliases of one bad anchor).
  std::string key = fmt::format("{}:{}:{}:{}:{}", static_cast<int>(severity), where.file,
                                where.line, where.col, message);
  return seen_.insert(std::move(key)).second;
}

void Diagnostics::error(SourceLocation where, std::string message) {
  message = visible(message);
  if (!first_time(Severity::error, where, message)) return;
  items_.push_back({Severity::error, where, std::move(message), {}});
  ++errors_;
}

void Diagnostics::warning(SourceLocation where, std::string message) {
  message = visible(message);
  if (!first_time(Severity::warning, where, message)) return;
  items_.push_back({Severity::warning, where, std::move(message), {}});
  ++warnings_;
}

void Diagnostics::note(SourceLocation where, std::string message) {
  message = visible(message);
  if (!first_time(Severity::note, where, message)) return;
  items_.push_back({Severity::note, where, std::move(message), {}});
}

void Diagnostics::file_error(std::string path, std::string message) {
  items_.push_back({Severity::error, {}, std::move(message), std::move(path)});
  ++errors_;
}

std::string format_header(const Diagnostic& d, const SourceFiles& files) {
  const char* kind = d.severity == Severity::error     ? "error"
                     : d.severity == Severity::warning ? "warning"
                                                       : "note";
  if (!d.where.valid()) {
    const std::string& path =
        d.path.empty() && d.where.file < files.size() ? files.path(d.where.file) : d.path;
    return fmt::format("{}: {}: {}", path, kind, d.message);
  }
  return fmt::format("{}:{}:{}: {}: {}", files.path(d.where.file), d.where.line, d.where.col, kind,
                     d.message);
}

namespace {

// The caret line under `source`: tabs kept so the caret lines up, one space per UTF-8 character.
std::string caret_line(std::string_view source, std::uint32_t col) {
  std::string out;
  for (std::size_t i = 0; i + 1 < col && i < source.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(source[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte of a multi-byte character
    out += c == '\t' ? '\t' : ' ';
  }
  out += '^';
  return out;
}

// A source line worth quoting: no control characters or invalid UTF-8 that would garble a terminal.
bool printable(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c < 0x20 && c != '\t') return false;
    if (c == 0x7F) return false;
  }
  // Invalid UTF-8 is left out too (checked cheaply: a lead byte must be followed by continuations).
  for (std::size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    std::size_t len = c < 0x80             ? 1
                      : (c & 0xE0) == 0xC0 ? 2
                      : (c & 0xF0) == 0xE0 ? 3
                      : (c & 0xF8) == 0xF0 ? 4
                                           : 0;
    if (len == 0 || i + len > line.size()) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(line[i + k]) & 0xC0) != 0x80) return false;
    i += len - 1;
  }
  return true;
}

// A long line is quoted as a window around the column, cut at UTF-8 characters and marked
// "...": a 5 MB flow-style line quoted under 2,000 errors printed 732 MB.
struct Quote {
  std::string_view text;
  std::uint32_t col;  // in `text`, 1-based
  bool cut_before = false, cut_after = false;
};

Quote window(std::string_view line, std::uint32_t col) {
  Quote q{line, col};
  if (line.size() <= kMaxQuotedLine) return q;
  auto boundary = [&](std::size_t i) { return utf8::cut(line, i); };  // a character's start
  std::size_t at = std::min<std::size_t>(col == 0 ? 0 : col - 1, line.size());
  std::size_t begin = at > kMaxQuotedLine / 2 ? boundary(at - kMaxQuotedLine / 2) : 0;
  std::size_t end = boundary(std::min(line.size(), begin + kMaxQuotedLine));
  q.text = line.substr(begin, end - begin);
  q.col = static_cast<std::uint32_t>(at - begin + 1);
  q.cut_before = begin > 0;
  q.cut_after = end < line.size();
  return q;
}

}  // namespace

void Diagnostics::print(std::ostream& out, const SourceFiles& files, bool with_count) const {
  std::vector<const Diagnostic*> sorted;
  for (const auto& d : items_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    if (a->where.valid() != b->where.valid()) return !a->where.valid();
    if (a->where.file != b->where.file) return a->where.file < b->where.file;
    if (a->where.line != b->where.line) return a->where.line < b->where.line;
    return a->where.col < b->where.col;
  });
  // At most kMaxShownPerFile diagnostics of one file are printed, then how many more there are.
  std::size_t shown = 0, errors_left = 0, others_left = 0;
  std::string file_path;
  auto flush = [&] {
    if (errors_left + others_left == 0) return;
    std::string more;
    if (errors_left > 0)
      more = fmt::format("{} more error{}", errors_left, errors_left == 1 ? "" : "s");
    if (others_left > 0)
      more += fmt::format("{}{} more warning{} and note{}", more.empty() ? "" : " and ",
                          others_left, others_left == 1 ? "" : "s", others_left == 1 ? "" : "s");
    out << file_path << ": note: " << more << " not shown\n";
    errors_left = others_left = 0;
  };
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const Diagnostic* d = sorted[i];
    bool same_file = i > 0 && d->where.valid() && sorted[i - 1]->where.valid() &&
                     sorted[i - 1]->where.file == d->where.file;
    if (!same_file) {
      flush();
      shown = 0;
      file_path = d->where.valid() ? files.path(d->where.file) : d->path;
    }
    if (d->where.valid() && shown == kMaxShownPerFile) {
      ++(d->severity == Severity::error ? errors_left : others_left);
      continue;
    }
    ++shown;
    out << format_header(*d, files) << '\n';
    if (!d->where.valid()) continue;
    std::string_view source = files.line_text(d->where.file, d->where.line);
    if (source.empty() || !printable(source)) continue;
    Quote q = window(source, d->where.col);
    out << "  " << (q.cut_before ? "..." : "") << q.text << (q.cut_after ? "..." : "") << '\n'
        << "  " << (q.cut_before ? "   " : "") << caret_line(q.text, q.col) << '\n';
  }
  flush();
  if (!with_count || (errors_ == 0 && warnings_ == 0)) return;
  auto plural = [](std::size_t n, const char* word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  if (errors_ > 0 && warnings_ > 0)
    out << plural(errors_, "error") << " and " << plural(warnings_, "warning") << " generated.\n";
  else if (errors_ > 0)
    out << plural(errors_, "error") << " generated.\n";
  else
    out << plural(warnings_, "warning") << " generated.\n";
}

namespace {

// Optimal string alignment distance (edits plus transpositions of neighbours, "nodse"), or
// bound + 1 as soon as it must exceed `bound`: only the band of width 2 * bound + 1 around the
// diagonal is computed (Ukkonen), so checking a typo against tens of thousands of long ids stays
// cheap. O(|a| * bound).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t bound) {
  std::size_t n = a.size(), m = b.size(), far = bound + 1;
  if ((n > m ? n - m : m - n) > bound) return far;
  std::vector<std::size_t> prev2(m + 1, far), prev(m + 1, far), row(m + 1, far);
  for (std::size_t j = 0; j <= std::min(m, bound); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    std::fill(row.begin(), row.end(), far);
    if (i <= bound) row[0] = i;
    std::size_t lo = i > bound ? i - bound : 1, hi = std::min(m, i + bound);
    std::size_t best = row[0];
    for (std::size_t j = lo; j <= hi; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d = std::min(d, prev2[j - 2] + 1);
      row[j] = std::min(d, far);
      best = std::min(best, row[j]);
    }
    if (best > bound) return far;
    std::swap(prev2, prev);
    std::swap(prev, row);
  }
  return std::min(prev[m], far);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates) {
  // A case-only difference is the likeliest typo; then the smallest edit distance within a third
  // of the word's length (at least 1, at most 3) that leaves part of the word standing. Ties go
  // to the candidate listed first.
  std::string lw = lower(word);
  for (auto c : candidates)
    if (lower(c) == lw) return std::string(c);
  std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (auto c : candidates) {
    if (c.size() > word.size() + limit || word.size() > c.size() + limit) continue;
    std::size_t d = edit_distance(lw, lower(c), limit);
    if (d < best_distance && d < word.size()) {
      best_distance = d;
      best = std::string(c);
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates) {
  auto m = closest_match(word, candidates);
  return m ? fmt::format("; did you mean '{}'?", *m) : std::string();
}

}  // namespace chokepoint
