// Line charts for reports (capacity over time) and range charts (bands, tornadoes), drawn by
// gnuplot (Debian's gnuplot-nox) as SVG or PNG. gnuplot stays inside this exporter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exporters/report/chart_data.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint {

// A chart that could not be drawn (gnuplot missing or failing): in a report set it costs only
// its own file.
class ChartError : public IoError {
 public:
  using IoError::IoError;
};

// The chart as SVG or PNG bytes. Deterministic for the same input. Throws ChartError when
// gnuplot is missing or fails.
std::string draw_line_chart(const LineChart& chart, std::string_view format);
// The same for a range chart (bands, tornadoes).
std::string draw_range_chart(const RangeChart& chart, std::string_view format);

}  // namespace chokepoint
