// What a chart shows (series over months, in one panel per view), as the report model says it;
// a chart writer (exporters/chart.hpp) draws it. Every choice a reader depends on — which
// style a line has, where its end label sits, how far a coinciding line is lifted — is made
// here, so that any writer draws the same chart.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chokepoint {

// Marks drawn along a line every few points (distinct shapes, for print without colour).
enum class Marker { circle, square, triangle, diamond, cross, plus, inverted_triangle, star };

// A line's look: a colour and a dash pattern chosen so that the styles stay distinct in
// greyscale print, and a marker. Colours: the Okabe-Ito palette (colour-blind safe), with the
// yellow that vanishes on white replaced by a dark grey.
struct SeriesStyle {
  const char* colour;          // #rrggbb
  std::array<double, 4> dash;  // on, off, on, off, in line widths; all 0: solid
  Marker marker;
};

inline constexpr std::array<SeriesStyle, 8> kSeriesStyles = {{
    {"#0072B2", {0, 0, 0, 0}, Marker::circle},
    {"#D55E00", {6, 3, 6, 3}, Marker::square},
    {"#009E73", {1.5, 2.5, 1.5, 2.5}, Marker::triangle},
    {"#CC79A7", {7, 3, 1.5, 3}, Marker::diamond},
    {"#000000", {12, 4, 12, 4}, Marker::cross},
    {"#E69F00", {4, 2, 1.5, 2}, Marker::plus},
    {"#56B4E9", {3, 3, 3, 3}, Marker::inverted_triangle},
    {"#555555", {10, 3, 3, 3}, Marker::star},
}};

inline const SeriesStyle& series_style(std::size_t style) {
  return kSeriesStyles[style % kSeriesStyles.size()];
}

struct ChartSeries {
  std::string label;           // what the line is (its target), written at its end
  std::vector<double> values;  // y at x = 0, 1, 2, ...
  std::size_t style = 0;       // index into kSeriesStyles (modulo its size)
  // Drawn this far above its values (y units): a line that coincides with an earlier one is
  // lifted a little so that both stay visible.
  double lift = 0;
  double label_y = 0;  // where its end label sits (y units), spread so that labels do not overlap
  // Markers at x = marker_phase, marker_phase + marker_every, ...: different phases let
  // coinciding lines show alternating marks.
  std::size_t marker_every = 6, marker_phase = 0;
};

// One panel: one view's lines.
struct ChartPanel {
  std::string title, y_label;
  double y_max = 1.05;
  bool percent_axis = false;  // values are capacities: tics in percent ("0 %" … "100 %")
  std::vector<ChartSeries> series;
};

// One bar of a range chart, from low to high, in one of the chart's colours.
struct RangeSegment {
  double low = 0, high = 0;
  std::size_t colour = 0;  // index into RangeChart::legend
};

// A marker of one series on a row (a target's value under one scenario), with its band.
struct RangeMarker {
  double value = 0, low = 0, high = 0;  // low == high: no band
  std::size_t series = 0;               // index into RangeChart::markers
};

// A row of a range chart: its bars, a dot (a median), a diamond (a point value) and markers of
// several series; a heading row has only its label.
struct RangeRow {
  std::string label;
  std::vector<RangeSegment> segments;
  std::optional<double> dot, diamond;
  std::vector<RangeMarker> markers;
  bool heading = false;
};

// The rows a range chart holds on A4 with text of 7 pt (it is drawn 960 wide, 26 per row).
constexpr std::size_t kA4RangeRows = 46;

// Horizontal bars on a shared axis, one row each, top to bottom: bands of a value (P5-P95), the
// swings of a tornado.
struct RangeChart {
  std::string title, x_label;
  double x_min = 0, x_max = 1.05;
  double x_step = 0;                // the distance between tics (0: gnuplot's choice)
  bool percent_axis = false;        // values are capacities: tics in percent, every 20 points
  std::vector<std::string> legend;  // per colour
  std::string dot_label, diamond_label;
  std::vector<std::string> markers;  // per marker series: its legend (a shape and colour each)
  std::vector<RangeRow> rows;
};

// A figure of panels stacked one above another, sharing the x axis.
struct LineChart {
  std::string title, x_label;
  std::vector<ChartPanel> panels;
};

}  // namespace chokepoint
