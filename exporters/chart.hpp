// Line charts for reports (capacity over time) and range charts (bands, tornadoes), drawn by
// gnuplot (Debian's gnuplot-nox) as SVG or PNG. gnuplot stays inside this exporter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exporters/report/chart_data.hpp"

namespace chokepoint {

// The chart as SVG or PNG bytes. Deterministic for the same input. Throws IoError when gnuplot
// is missing or fails.
std::string draw_line_chart(const LineChart& chart, std::string_view format);
// The same for a range chart (bands, tornadoes).
std::string draw_range_chart(const RangeChart& chart, std::string_view format);

}  // namespace chokepoint
