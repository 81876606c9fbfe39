// Line charts for reports (capacity over time), drawn in-process: the chart is laid out here
// (axes, ticks, stepped lines, a label at each line's end) and rendered by Graphviz with its
// positions fixed, as SVG, PNG or PDF. No outside program is run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exporters/report/chart_data.hpp"

namespace chokepoint {

// The chart as DOT with every position fixed (Graphviz's `nop` layout draws it as is).
std::string line_chart_dot(const LineChart& chart);

// The chart as SVG, PNG or PDF bytes. Deterministic for the same input. Throws IoError when
// Graphviz cannot render it.
std::string draw_line_chart(const LineChart& chart, std::string_view format);

}  // namespace chokepoint
