// Numbers and escaping shared by every report format: one place for how a capacity is printed
// and how text is made safe for Markdown, HTML/XML and spreadsheets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/support/numbers.hpp"

namespace chokepoint {

// Rounds to 12 decimal places and 12 significant digits, the precision every report prints (no
// "-0"; 4752, not 4751.999999999998).
double report_number(double v);
// A capacity or share with at most four decimals, trailing zeros dropped ("0.5", "1", "0.4444").
std::string short_number(double v);

// "A, B and C".
std::string listed(const std::vector<std::string>& names);

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary and ended with "…" when cut:
// a diagram label or tooltip stays drawable whatever a name's length.
std::string shortened(std::string_view text, std::size_t max_bytes);

// Escapes text for a Markdown table cell: pipes, emphasis, links, HTML and line breaks.
std::string markdown_escape(std::string_view text);
// Escapes text for HTML and XML content and attribute values; drops characters XML forbids.
std::string xml_escape(std::string_view text);
// One CSV field: quoted when needed (RFC 4180), and text that a spreadsheet would run as a
// formula prefixed with a single quote.
std::string csv_field(std::string_view text);

}  // namespace chokepoint
