#include "graph/input/csv_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "graph/input/yaml_tree.hpp"

namespace chokepoint {

namespace {

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

std::string_view trimmed(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string shown(char c) {
  if (c == '\t') return "a tab";
  if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
    return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
  return fmt::format("'{}'", c);
}

// The separator of the header row: whichever of ',', ';' and tab it holds most of outside quotes
// (a comma on a tie; a comma for a one-column table).
char detect_separator(std::string_view text) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') {
      if (comma + semicolon + tab > 0) break;  // the first row with a separator
      continue;
    }
    comma += c == ',';
    semicolon += c == ';';
    tab += c == '\t';
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

const char* separator_name(char sep) {
  return sep == ';' ? "semicolons" : sep == '\t' ? "tabs" : "commas";
}

}  // namespace

std::string CsvTable::normalised(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '-') c = '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::size_t> CsvTable::column(std::initializer_list<std::string_view> names) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    for (auto n : names)
      if (normalised(header[i]) == n) return i;
  return std::nullopt;
}

std::string_view CsvTable::value(const Field& f) const {
  if (f.copied) return std::string_view(unquoted_).substr(f.begin, f.size);
  return std::string_view(files_->text(file)).substr(f.begin, f.size);
}

std::size_t CsvTable::fields(std::size_t row) const {
  std::size_t next = row + 1 < rows_.size() ? rows_[row + 1].first : fields_.size();
  return next - rows_[row].first;
}

std::string_view CsvTable::get(std::size_t row, std::optional<std::size_t> column) const {
  if (!column || *column >= fields(row)) return {};
  return value(fields_[rows_[row].first + *column]);
}

SourceLocation CsvTable::location(std::uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<std::uint32_t>(it - line_starts_.begin());  // >= 1: line 1 starts at 0
  return SourceLocation{file, line, offset - line_starts_[line - 1] + 1};
}

SourceLocation CsvTable::at(std::size_t row) const {
  return location(fields_[rows_[row].first].offset);
}

SourceLocation CsvTable::at(std::size_t row, std::optional<std::size_t> column) const {
  if (!column) return at(row);
  if (*column >= fields(row)) return location(rows_[row].end);
  return location(fields_[rows_[row].first + *column].offset);
}

SourceLocation CsvTable::header_at(std::size_t column) const {
  return location(header_fields_[std::min(column, header_fields_.size() - 1)].offset);
}

// Splits the file's text into rows of fields (one pass: a row is fields separated by the
// separator up to a line end outside quotes); blank rows are dropped. False after an
// unterminated quote (the rest of the file would be inside it).
bool CsvTable::split_rows(Diagnostics& diags) {
  std::string_view all = files_->text(file);
  const char sep = separator;
  auto error_at = [&](std::size_t offset, std::string message) {
    diags.error(location(static_cast<std::uint32_t>(offset)), std::move(message));
  };
  std::size_t pos = 0, n = all.size();
  while (pos < n) {
    CsvTable::Row row{static_cast<std::uint32_t>(fields_.size()), 0};
    bool row_blank = true;
    for (;;) {
      CsvTable::Field f;
      std::size_t start = pos;
      // Spaces before an opening quote (`a, "b, c"`) are not part of the field.
      std::size_t q = pos;
      while (q < n && (all[q] == ' ' || (all[q] == '\t' && sep != '\t'))) ++q;
      if (q < n && all[q] == '"') {
        f.offset = static_cast<std::uint32_t>(q);
        std::size_t begin = q + 1, scan = begin;
        bool doubled = false;
        std::size_t close = std::string_view::npos;
        while ((close = all.find('"', scan)) != std::string_view::npos && close + 1 < n &&
               all[close + 1] == '"') {
          doubled = true;
          scan = close + 2;
        }
        if (close == std::string_view::npos) {
          error_at(q,
                   "unterminated quoted field: this quote is never closed (a quote inside a "
                   "quoted field is written \"\")");
          return false;  // the rest of the file is inside the quotes
        }
        std::string_view inside = all.substr(begin, close - begin);
        if (doubled) {
          f.copied = 1;
          f.begin = static_cast<std::uint32_t>(unquoted_.size());
          for (std::size_t i = 0; i < inside.size(); ++i) {
            unquoted_ += inside[i];
            if (inside[i] == '"') ++i;  // "" is one quote
          }
          f.size = static_cast<std::uint32_t>(unquoted_.size()) - f.begin;
        } else {
          f.begin = static_cast<std::uint32_t>(begin);
          f.size = static_cast<std::uint32_t>(inside.size());
        }
        pos = close + 1;
        while (pos < n && (all[pos] == ' ' || (all[pos] == '\t' && sep != '\t'))) ++pos;
        if (pos < n && all[pos] != sep && all[pos] != '\n' && all[pos] != '\r') {
          error_at(pos,
                   fmt::format("expected {} or the end of the line after a closing quote, "
                               "got {}",
                               sep == '\t' ? "a tab" : fmt::format("'{}'", sep), shown(all[pos])));
          while (pos < n && all[pos] != sep && all[pos] != '\n') ++pos;
        }
        if (!blank(value(f))) row_blank = false;
      } else {
        f.offset = static_cast<std::uint32_t>(start);
        std::size_t end = start;
        while (end < n && all[end] != sep && all[end] != '\n') ++end;
        std::size_t value_end = end;
        if (value_end > start && all[value_end - 1] == '\r') --value_end;
        f.begin = static_cast<std::uint32_t>(start);
        f.size = static_cast<std::uint32_t>(value_end - start);
        pos = end;
        if (!blank(all.substr(start, value_end - start))) row_blank = false;
      }
      fields_.push_back(f);
      if (pos < n && all[pos] == sep) {
        ++pos;
        continue;
      }
      row.end = static_cast<std::uint32_t>(pos);
      if (pos < n && all[pos] == '\r') ++pos;
      if (pos < n && all[pos] == '\n') ++pos;
      break;
    }
    if (row_blank)  // blank lines (at the end of an export, between blocks) are no rows
      fields_.resize(row.first);
    else
      rows_.push_back(row);
  }
  return true;
}

// Takes the first row as the header (a name given twice is an error) and checks that no row has
// a value beyond the header's columns.
void CsvTable::read_header(Diagnostics& diags) {
  const char sep = separator;
  std::size_t header_fields = fields(0);
  header_fields_.assign(fields_.begin(), fields_.begin() + header_fields);
  std::map<std::string, std::size_t> seen;
  for (std::size_t c = 0; c < header_fields; ++c) {
    header.emplace_back(trimmed(value(header_fields_[c])));
    std::string key = CsvTable::normalised(header.back());
    if (key.empty()) continue;
    auto [it, inserted] = seen.emplace(key, c);
    if (!inserted)
      diags.error(header_at(c), fmt::format("column '{}' is named twice in the header (also "
                                            "column {}); rename or remove one",
                                            header.back(), it->second + 1));
  }
  rows_.erase(rows_.begin());
  // A row with more fields than the header has names for: a value would be read from no column.
  for (std::size_t r = 0; r < rows(); ++r) {
    std::size_t count = fields(r);
    for (std::size_t c = header_fields; c < count; ++c)
      if (!blank(value(fields_[rows_[r].first + c]))) {
        diags.error(at(r, c), fmt::format("expected at most {} fields (the header's columns, "
                                          "separated by {}), got {}",
                                          header_fields, separator_name(sep), count));
        break;
      }
  }
}

std::optional<CsvTable> read_csv(const std::string& path, SourceFiles& files, Diagnostics& diags) {
  auto read = yaml::read_text(path, std::size_t{256} << 20, diags);
  if (!read) return std::nullopt;
  std::string text = std::move(*read);
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // spreadsheets write a BOM
  if (auto bad = yaml::find_invalid_utf8(text)) {
    diags.file_error(path, fmt::format("not UTF-8 (byte {}); save the table as UTF-8 CSV", *bad));
    return std::nullopt;
  }
  CsvTable t;
  t.path = path;
  t.file = files.add(path, std::move(text));
  t.files_ = &files;
  std::string_view all = files.text(t.file);
  t.line_starts_.push_back(0);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i] == '\n') t.line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
  t.separator = detect_separator(all);
  std::size_t errors = diags.error_count();
  if (!t.split_rows(diags)) return std::nullopt;
  if (t.rows_.empty()) {
    diags.file_error(path, "the table is empty; expected a header row");
    return std::nullopt;
  }
  t.read_header(diags);  // the first row that is not blank
  if (diags.error_count() > errors) return std::nullopt;
  return t;
}

}  // namespace chokepoint
