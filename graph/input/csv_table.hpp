// A CSV table read with libcsv: a header row and data rows, each row with the line it starts on,
// so that every problem can be reported as file:line like any other input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/diagnostics.hpp"

namespace chokepoint {

struct CsvRow {
  std::uint32_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  std::uint32_t file = 0;  // in SourceFiles
  std::string path;
  std::vector<std::string> header;  // as written, byte-order mark removed
  std::vector<CsvRow> rows;

  // The column whose name (case-insensitive, spaces and '-' read as '_') is one of `names`.
  std::optional<std::size_t> column(std::initializer_list<std::string_view> names) const;
  // The field of a row in a column, empty when the row is short or there is no such column.
  std::string_view get(const CsvRow& row, std::optional<std::size_t> column) const;
  SourceLocation at(const CsvRow& row) const { return SourceLocation{file, row.line, 1}; }
};

// Reads a CSV file (RFC 4180; quoted fields may hold commas and line breaks). Problems go to
// `diags`; nullopt if the file cannot be read or parsed.
std::optional<CsvTable> read_csv(const std::string& path, SourceFiles& files, Diagnostics& diags);

}  // namespace chokepoint
