// HTML rendering of the report model: one self-contained, offline file with sortable and
// searchable tables, links from every node to its details, and a zoomable diagram.
#pragma once

#include <iosfwd>
#include <string>

#include "exporters/report/report.hpp"

namespace chokepoint {

// `svg`: the diagram's SVG text, drawn inline for the figure block (an <img> link otherwise).
void write_html(std::ostream& out, const report::Document& document, const std::string& svg = {});

}  // namespace chokepoint
