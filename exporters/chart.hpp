// Line charts for reports (capacity over time), drawn by gnuplot (Debian's gnuplot-nox) as SVG
// or PNG. gnuplot stays inside this exporter.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chokepoint {

struct ChartSeries {
  std::string label;
  std::vector<double> values;  // y at x = 0, 1, 2, ...
  bool dashed = false;         // drawn dashed (a perspective's view against the world's)
};

struct LineChart {
  std::string title, x_label, y_label;
  double y_max = 1.05;
  std::vector<ChartSeries> series;
};

// The chart as SVG or PNG bytes. Deterministic for the same input. Throws IoError when gnuplot
// is missing or fails.
std::string draw_line_chart(const LineChart& chart, std::string_view format);

}  // namespace chokepoint
