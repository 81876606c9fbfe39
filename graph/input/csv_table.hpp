// A CSV table: a header row and data rows, every field with the place it starts, so that every
// problem can be reported as file:line:column like any other input. RFC 4180 (quoted fields may
// hold separators, quotes as "" and line breaks), with the separator a spreadsheet chose: comma,
// semicolon (European Excel) or tab, detected from the header row.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/diagnostics.hpp"

namespace chokepoint {

class CsvTable {
 public:
  std::uint32_t file = 0;  // in SourceFiles
  std::string path;
  char separator = ',';
  std::vector<std::string> header;  // as written, trimmed, byte-order mark removed

  std::size_t rows() const { return rows_.size(); }
  std::size_t fields(std::size_t row) const;
  // A field, unquoted; empty when the row is short or there is no such column.
  std::string_view get(std::size_t row, std::optional<std::size_t> column) const;
  // Where a row starts, and where one of its cells starts (the row's end when it is short).
  SourceLocation at(std::size_t row) const;
  SourceLocation at(std::size_t row, std::optional<std::size_t> column) const;
  SourceLocation header_at(std::size_t column) const;

  // The column whose name (case-insensitive, spaces and '-' read as '_') is one of `names`.
  std::optional<std::size_t> column(std::initializer_list<std::string_view> names) const;
  // A header name as columns are matched: lower case, spaces and '-' as '_'.
  static std::string normalised(std::string_view name);

 private:
  friend std::optional<CsvTable> read_csv(const std::string&, SourceFiles&, Diagnostics&);
  SourceLocation location(std::uint32_t offset) const;
  bool split_rows(Diagnostics& diags);
  void read_header(Diagnostics& diags);

  // A field is a span of the file's text, or (when it was quoted with "" inside) of `unquoted_`:
  // 12 bytes a field, not a string each, keeps a million-row table small.
  struct Field {
    std::uint32_t offset = 0;  // where it starts in the file (the opening quote, if quoted)
    std::uint32_t begin = 0;   // its value: in the text, or in unquoted_ when `copied`
    std::uint32_t size : 31 = 0;
    std::uint32_t copied : 1 = 0;
  };
  struct Row {
    std::uint32_t first = 0;  // index of its first field
    std::uint32_t end = 0;    // offset of its end in the text (where a short row's cells are)
  };
  std::string_view value(const Field& f) const;

  const SourceFiles* files_ = nullptr;
  std::vector<Field> fields_;
  std::vector<Row> rows_;
  std::vector<Field> header_fields_;
  std::vector<std::uint32_t> line_starts_;
  std::string unquoted_;
};

// Reads a CSV file. Problems go to `diags` at their line and column (an unterminated quote, text
// after a closing quote, more fields than the header names, a column named twice); nullopt if
// the file cannot be read or any of those was found.
std::optional<CsvTable> read_csv(const std::string& path, SourceFiles& files, Diagnostics& diags);

}  // namespace chokepoint
