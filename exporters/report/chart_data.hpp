// What a chart shows (series over months), as the report model says it; the chart writer
// (exporters/chart.hpp) draws it.
#pragma once

#include <string>
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

}  // namespace chokepoint
