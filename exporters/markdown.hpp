// Markdown rendering of the report model: what an analyst pastes into a brief.
#pragma once

#include <iosfwd>

#include "exporters/report/report.hpp"

namespace chokepoint {

// Headings, facts as a list, notes as quotes, tables as pipe tables; reference sections are left
// out (their content is in the JSON).
void write_markdown(std::ostream& out, const report::Document& document);

}  // namespace chokepoint
