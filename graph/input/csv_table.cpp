#include "graph/input/csv_table.hpp"

#include <csv.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "graph/input/yaml_tree.hpp"

namespace chokepoint {

namespace {

std::string normalised(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == ' ' || c == '-') c = '_';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// libcsv calls back per field and per row; the parser is fed one line at a time so that each
// row knows the line it started on.
struct Collector {
  std::vector<CsvRow> rows;
  CsvRow current;
  std::uint32_t line = 1;
  bool in_row = false;
};

void on_field(void* data, std::size_t len, void* target) {
  auto* c = static_cast<Collector*>(target);
  if (!c->in_row) {
    c->current.line = c->line;
    c->in_row = true;
  }
  c->current.fields.emplace_back(data ? static_cast<const char*>(data) : "", data ? len : 0);
}

void on_row(int, void* target) {
  auto* c = static_cast<Collector*>(target);
  if (!c->in_row) c->current.line = c->line;  // an empty row
  c->rows.push_back(std::move(c->current));
  c->current = CsvRow{};
  c->in_row = false;
}

// Where a quoted field that is never closed opens (1-based line and column), if there is one:
// libcsv takes the rest of the file into such a field without a word.
std::optional<std::pair<std::uint32_t, std::uint32_t>> unclosed_quote(std::string_view text) {
  std::uint32_t line = 1, col = 1, open_line = 0, open_col = 0;
  bool quoted = false, field_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          ++i;
          ++col;
        } else {
          quoted = false;
        }
      }
    } else if (c == '"' && field_start) {
      quoted = true;
      open_line = line;
      open_col = col;
    }
    if (!quoted)
      field_start = c == ',' || c == '\n' || c == '\r' || (field_start && (c == ' ' || c == '\t'));
    if (c == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++col;
    }
  }
  if (quoted) return std::pair{open_line, open_col};
  return std::nullopt;
}

}  // namespace

std::optional<std::size_t> CsvTable::column(std::initializer_list<std::string_view> names) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    for (auto n : names)
      if (normalised(header[i]) == n) return i;
  return std::nullopt;
}

std::string_view CsvTable::get(const CsvRow& row, std::optional<std::size_t> column) const {
  if (!column || *column >= row.fields.size()) return {};
  return row.fields[*column];
}

std::optional<CsvTable> read_csv(const std::string& path, SourceFiles& files, Diagnostics& diags) {
  auto text = yaml::read_text(path, std::size_t{256} << 20, diags);
  if (!text) return std::nullopt;
  if (text->rfind("\xEF\xBB\xBF", 0) == 0) text->erase(0, 3);  // spreadsheets write a BOM
  if (auto bad = yaml::find_invalid_utf8(*text)) {
    diags.file_error(path, fmt::format("not UTF-8 (byte {}); save the table as UTF-8 CSV", *bad));
    return std::nullopt;
  }
  CsvTable table;
  table.path = path;
  table.file = files.add(path, *text);
  if (auto open = unclosed_quote(files.text(table.file))) {
    diags.error(SourceLocation{table.file, open->first, open->second},
                "this quoted field is never closed; expected '\"' before the end of the file");
    return std::nullopt;
  }
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0) {
    diags.file_error(path, "cannot start the CSV parser");
    return std::nullopt;
  }
  Collector c;
  std::string_view all = files.text(table.file);
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    end = end == std::string_view::npos ? all.size() : end + 1;
    if (csv_parse(&parser, all.data() + start, end - start, on_field, on_row, &c) != end - start) {
      diags.error(SourceLocation{table.file, c.line, 1},
                  fmt::format("cannot read this CSV line: {}", csv_strerror(csv_error(&parser))));
      csv_free(&parser);
      return std::nullopt;
    }
    ++c.line;
    start = end;
  }
  csv_fini(&parser, on_field, on_row, &c);
  csv_free(&parser);
  // Drop rows with nothing in them (blank lines at the end of an export).
  std::erase_if(c.rows, [](const CsvRow& r) {
    return std::all_of(r.fields.begin(), r.fields.end(), [](const std::string& f) {
      return f.find_first_not_of(" \t\r") == std::string::npos;
    });
  });
  if (c.rows.empty()) {
    diags.file_error(path, "the table is empty; expected a header row");
    return std::nullopt;
  }
  table.header = std::move(c.rows.front().fields);
  for (auto& h : table.header) {
    auto b = h.find_first_not_of(" \t\r");
    auto e = h.find_last_not_of(" \t\r");
    h = b == std::string::npos ? std::string() : h.substr(b, e - b + 1);
  }
  table.rows.assign(std::make_move_iterator(c.rows.begin() + 1),
                    std::make_move_iterator(c.rows.end()));
  // A column named twice would be read from its first place only; a row longer than the header
  // has values no column names (empty ones, as a trailing comma leaves, are no harm). Both are
  // errors, not guesses.
  std::size_t errors = diags.error_count();
  SourceLocation header_at{table.file, c.rows.front().line, 1};
  for (std::size_t i = 0; i < table.header.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (!table.header[i].empty() && normalised(table.header[i]) == normalised(table.header[j])) {
        diags.error(header_at, fmt::format("column {} ('{}') repeats column {} ('{}'); give each "
                                           "column one name",
                                           i + 1, table.header[i], j + 1, table.header[j]));
        break;
      }
  auto blank = [](const std::string& f) {
    return f.find_first_not_of(" \t\r") == std::string::npos;
  };
  for (const auto& row : table.rows)
    if (row.fields.size() > table.header.size() &&
        !std::all_of(row.fields.begin() + table.header.size(), row.fields.end(), blank))
      diags.error(table.at(row), fmt::format("this row has {} fields; the header names {}",
                                             row.fields.size(), table.header.size()));
  if (diags.error_count() > errors) return std::nullopt;
  return table;
}

}  // namespace chokepoint
