// What a chart shows (series over months; ranges on one axis), as the report model says it; the
// chart writer (exporters/chart.hpp) draws it.
#pragma once

#include <optional>
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

// One bar of a range chart, from low to high, in one of the chart's colours.
struct RangeSegment {
  double low = 0, high = 0;
  std::size_t colour = 0;  // index into RangeChart::legend
};

// A row of a range chart: its bars, a dot (a median) and a diamond (a point value); a heading
// row has only its label.
struct RangeRow {
  std::string label;
  std::vector<RangeSegment> segments;
  std::optional<double> dot, diamond;
  bool heading = false;
};

// Horizontal bars on a shared axis, one row each, top to bottom: bands of a value (P5-P95), the
// swings of a tornado.
struct RangeChart {
  std::string title, x_label;
  double x_min = 0, x_max = 1.05;
  double x_step = 0;                // the distance between tics (0: gnuplot's choice)
  std::vector<std::string> legend;  // per colour
  std::string dot_label, diamond_label;
  std::vector<RangeRow> rows;
};

}  // namespace chokepoint
