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
  return table;
}

}  // namespace chokepoint
