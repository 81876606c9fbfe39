#include "exporters/chart.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "graph/support/errors.hpp"
#include "graph/support/utf8.hpp"

namespace chokepoint {

namespace {

// A gnuplot string in single quotes: a quote doubled, control characters dropped (labels are
// drawn with 'noenhanced', so ^ _ @ { } stay literal).
std::string gp_string(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'')
      out += "''";
    else if (static_cast<unsigned char>(c) >= 0x20)
      out += c;
  }
  return out + "'";
}

// A tic label: gnuplot reads the labels of `set ytics ("label" pos, ...)` as format strings,
// so a '%' is written '%%' (a row "below 10 %" stopped gnuplot), and it cuts what such a format
// gives at about 50 bytes ("… together: 58" for "… together: 58 %)"): a label with a percent
// sign is shortened to fit, with an ellipsis, before the signs are doubled.
std::string gp_tic(std::string_view text) {
  constexpr std::size_t kFormattedBytes = 48;
  std::string label(text);
  if (label.find('%') != std::string::npos) label = utf8::shortened(label, kFormattedBytes);
  std::string doubled;
  for (char c : label) doubled += c == '%' ? std::string("%%") : std::string(1, c);
  return gp_string(doubled);
}

// Tics in percent at every fifth of [low, high] (capacities: "0 %" … "100 %").
std::string percent_tics(double low, double high) {
  std::string out = "(";
  for (int k = static_cast<int>(std::ceil(low * 5 - 1e-9)); k <= high * 5 + 1e-9; ++k)
    out += fmt::format("{}{} {:g}", out.size() > 1 ? ", " : "", gp_tic(fmt::format("{} %", 20 * k)),
                       k / 5.0);
  return out + ")";
}

int point_type(Marker m) {
  switch (m) {
    case Marker::circle:
      return 7;
    case Marker::square:
      return 5;
    case Marker::triangle:
      return 9;
    case Marker::diamond:
      return 13;
    case Marker::cross:
      return 2;
    case Marker::plus:
      return 1;
    case Marker::inverted_triangle:
      return 11;
    case Marker::star:
      return 3;
  }
  return 7;
}

std::string dash_type(const SeriesStyle& style) {
  if (style.dash[0] <= 0) return "1";
  return fmt::format("({:g},{:g},{:g},{:g})", style.dash[0], style.dash[1], style.dash[2],
                     style.dash[3]);
}

// Colour-blind-safe qualitative palette (Okabe-Ito).
const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                          "#E69F00", "#56B4E9", "#000000", "#F0E442"};
// Bars of a range chart: light, so that the dots and diamonds on them stay visible.
const char* kBarColours[] = {"#56B4E9", "#E69F00", "#009E73", "#CC79A7"};

// Runs a gnuplot script; its output (the picture). Throws ChartError when gnuplot is missing or
// fails.
std::string run_gnuplot(const std::string& script) {
  namespace fs = std::filesystem;
  fs::path path = fs::temp_directory_path() / fmt::format("chokepoint-chart-{}.gp", ::getpid());
  std::ofstream(path) << script;
  std::string command = fmt::format("gnuplot '{}' 2>/dev/null", path.string());
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw ChartError("cannot run gnuplot; install the gnuplot-nox package");
  std::string out;
  char buffer[1 << 15];
  std::size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  int status = ::pclose(pipe);
  std::error_code ec;
  fs::remove(path, ec);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty())
    throw ChartError(WIFEXITED(status) && WEXITSTATUS(status) == 127
                         ? "cannot run gnuplot; install the gnuplot-nox package"
                         : "gnuplot could not draw the chart (please report this)");
  return out;
}

std::string terminal(std::string_view format, int width_svg, int height_svg, int width_png,
                     int height_png) {
  if (format == "svg")
    return fmt::format(
        "set terminal svg size {},{} dynamic font 'Liberation Sans,13' background '#ffffff'\n",
        width_svg, height_svg);
  return fmt::format(
      "set terminal pngcairo size {},{} font 'Liberation Sans,13' background '#ffffff'\n",
      width_png, height_png);
}

}  // namespace

// An end label longer than the right margin holds is shortened, with an ellipsis.
constexpr std::size_t kEndLabelBytes = 36;

std::string draw_line_chart(const LineChart& chart, std::string_view format) {
  std::string script;
  std::size_t points = 0;
  for (const auto& panel : chart.panels)
    for (const auto& s : panel.series) points = std::max(points, s.values.size());
  std::size_t panels = std::max<std::size_t>(chart.panels.size(), 1);
  if (format == "svg")
    script += fmt::format(
        "set terminal svg size 960,{} dynamic font 'Liberation Sans,13' background '#ffffff'\n",
        60 + 380 * panels);
  else
    script += fmt::format(
        "set terminal pngcairo size 1280,{} font 'Liberation Sans,13' background '#ffffff'\n",
        80 + 500 * panels);
  script += fmt::format("set multiplot layout {},1 title {} noenhanced\n", panels,
                        gp_string(chart.title));
  script += fmt::format("set xlabel {} noenhanced\nset xrange [0:{}]\n", gp_string(chart.x_label),
                        points > 1 ? points - 1 : 1);
  // The right margin holds the end labels: up to kEndLabelBytes each, after a leader.
  script += "set grid ytics lc rgb '#dddddd'\nunset key\nset rmargin 40\n";
  if (points > 24) script += "set xtics 12\n";
  script += "set border 3\nset xtics nomirror\nset ytics nomirror\n";
  for (std::size_t p = 0; p < chart.panels.size(); ++p) {
    const ChartPanel& panel = chart.panels[p];
    script += fmt::format("set title {} noenhanced\nset ylabel {} noenhanced\nset yrange [0:{}]\n",
                          gp_string(panel.title), gp_string(panel.y_label), panel.y_max);
    script += panel.percent_axis
                  ? fmt::format("set ytics {} nomirror\n", percent_tics(0, panel.y_max))
                  : std::string("set ytics autofreq nomirror\n");
    script += "unset label\nunset arrow\n";
    for (std::size_t i = 0; i < panel.series.size(); ++i) {
      const auto& s = panel.series[i];
      script += fmt::format("$p{}s{} << EOD\n", p, i);
      for (std::size_t x = 0; x < s.values.size(); ++x)
        script += fmt::format("{} {:.6f}\n", x, s.values[x] + s.lift);
      script += "EOD\n";
      if (s.values.empty()) continue;
      // A label moved off its line's end (to keep labels apart) is tied to it by a leader.
      double x = static_cast<double>(s.values.size() - 1), y = s.values.back() + s.lift;
      double reach = std::max(1.0, 0.04 * static_cast<double>(points > 1 ? points - 1 : 1));
      bool moved = std::abs(s.label_y - y) > 0.02 * panel.y_max;
      if (moved)
        script += fmt::format(
            "set arrow from {},{:.6f} to {},{:.6f} nohead lw 1 dt 3 lc rgb '{}' front\n", x, y,
            x + reach, s.label_y, series_style(s.style).colour);
      script += fmt::format(
          "set label {} at {},{:.6f} left offset char 1,0 tc rgb '{}' front noenhanced\n",
          gp_string(utf8::shortened(s.label, kEndLabelBytes)), moved ? x + reach : x, s.label_y,
          series_style(s.style).colour);
    }
    script += "plot ";
    for (std::size_t i = 0; i < panel.series.size(); ++i) {
      const auto& s = panel.series[i];
      const SeriesStyle& style = series_style(s.style);
      script += fmt::format(
          "{}$p{}s{} using 1:2 with steps lw 2 lc rgb '{}' dt {}, "
          "$p{}s{} using 1:((int($1) % {}) == {} ? $2 : 1/0) with points pt {} ps 1.1 lc rgb '{}'",
          i ? ", " : "", p, i, style.colour, dash_type(style), p, i,
          std::max<std::size_t>(s.marker_every, 1), s.marker_phase, point_type(style.marker),
          style.colour);
    }
    if (panel.series.empty()) script += "NaN notitle";
    script += "\n";
  }
  script += "unset multiplot\n";
  return run_gnuplot(script);
}

// 960 wide at 13 px: text of 7 pt when the chart is scaled to A4's text width (523 pt).
std::string draw_range_chart(const RangeChart& chart, std::string_view format) {
  std::size_t rows = std::max<std::size_t>(chart.rows.size(), 1);
  std::size_t keys = chart.legend.size() + chart.markers.size() + 2;
  int height = static_cast<int>(130 + 26 * rows + 18 * keys);
  std::string script = terminal(format, 960, height, 1280, height * 4 / 3);
  script += fmt::format("set title {} noenhanced\n", gp_string(chart.title));
  script += fmt::format("set xlabel {} noenhanced\n", gp_string(chart.x_label));
  script += fmt::format("set xrange [{}:{}]\nset yrange [{}:0.4]\n", chart.x_min, chart.x_max,
                        static_cast<double>(rows) + 0.6);
  // Row labels on the axis; a heading across its own row, from the left edge. gnuplot sizes the
  // left margin by the tics alone, and a longer heading ran over the axis: then the margin holds
  // the heading (a character of this font is about two thirds of gnuplot's margin unit), up to
  // about half the width; a longer heading is shortened.
  constexpr std::size_t kMaxLeft = 66;
  auto chars = [](std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  std::size_t tics = 0, headings = 0;
  for (const auto& row : chart.rows)
    (row.heading ? headings : tics) = std::max(row.heading ? headings : tics, chars(row.label));
  if (headings > tics)
    script += fmt::format("set lmargin {}\n", std::min(headings, kMaxLeft) * 2 / 3 + 3);
  script += "set ytics (";
  for (std::size_t r = 0; r < chart.rows.size(); ++r)
    script += fmt::format("{}{} {}", r ? ", " : "",
                          gp_tic(chart.rows[r].heading ? "" : chart.rows[r].label), r + 1);
  script += ") noenhanced nomirror\n";
  for (std::size_t r = 0; r < chart.rows.size(); ++r)
    if (chart.rows[r].heading)
      script += fmt::format("set label {} at screen 0.01, first {} left noenhanced\n",
                            gp_string(chars(chart.rows[r].label) > kMaxLeft
                                          ? utf8::shortened(chart.rows[r].label, kMaxLeft)
                                          : chart.rows[r].label),
                            r + 1);
  if (chart.x_min < 0 && chart.x_max > 0)
    script += "set arrow from 0, graph 0 to 0, graph 1 nohead lc rgb '#888888'\n";
  script += "set grid xtics lc rgb '#dddddd'\nset border 3\nset xtics nomirror\n";
  if (chart.percent_axis)
    script += fmt::format("set xtics {}\n", percent_tics(chart.x_min, chart.x_max));
  else if (chart.x_step > 0)
    script += fmt::format("set xtics {}\n", chart.x_step);
  script += "set key below left Left reverse maxcols 1 noenhanced height 1.5\n";
  // One data block per colour (x, y, xlow, xhigh, ylow, yhigh), one for the dots, one for the
  // diamonds.
  std::vector<std::string> blocks(chart.legend.size()), markers(chart.markers.size());
  std::string dots, diamonds;
  for (std::size_t r = 0; r < chart.rows.size(); ++r) {
    const RangeRow& row = chart.rows[r];
    double y = static_cast<double>(r + 1);
    for (const auto& m : row.markers)
      if (m.series < markers.size())
        markers[m.series] += fmt::format("{:.6f} {} {:.6f} {:.6f}\n", m.value, y,
                                         std::min(m.low, m.high), std::max(m.low, m.high));
    for (const auto& s : row.segments)
      if (s.colour < blocks.size())
        blocks[s.colour] +=
            fmt::format("{:.6f} {} {:.6f} {:.6f} {} {}\n", (s.low + s.high) / 2, y,
                        std::min(s.low, s.high), std::max(s.low, s.high), y - 0.3, y + 0.3);
    if (row.dot) dots += fmt::format("{:.6f} {}\n", *row.dot, y);
    if (row.diamond) diamonds += fmt::format("{:.6f} {}\n", *row.diamond, y);
  }
  std::vector<std::string> plots;
  for (std::size_t c = 0; c < blocks.size(); ++c) {
    if (blocks[c].empty()) continue;
    script += fmt::format("$c{} << EOD\n{}EOD\n", c, blocks[c]);
    plots.push_back(fmt::format(
        "$c{} using 1:2:3:4:5:6 with boxxyerror fs solid 0.7 noborder lc rgb '{}' title {}", c,
        kBarColours[c % std::size(kBarColours)], gp_string(chart.legend[c])));
  }
  // Markers: a shape and colour per series, the band as a horizontal error bar.
  static const int kShapes[] = {7, 5, 9, 13, 11, 15, 1, 2};
  for (std::size_t m = 0; m < markers.size(); ++m) {
    if (markers[m].empty()) continue;
    script += fmt::format("$m{} << EOD\n{}EOD\n", m, markers[m]);
    plots.push_back(
        fmt::format("$m{} using 1:2:3:4 with xerrorbars pt {} ps 1.2 lc rgb '{}' title {}", m,
                    kShapes[m % std::size(kShapes)], kColours[m % 7], gp_string(chart.markers[m])));
  }
  if (!diamonds.empty()) {
    script += "$diamonds << EOD\n" + diamonds + "EOD\n";
    plots.push_back(fmt::format("$diamonds using 1:2 with points pt 12 ps 1.4 lc rgb '{}' title {}",
                                kColours[6], gp_string(chart.diamond_label)));
  }
  if (!dots.empty()) {
    script += "$dots << EOD\n" + dots + "EOD\n";
    plots.push_back(fmt::format("$dots using 1:2 with points pt 7 ps 0.8 lc rgb '{}' title {}",
                                kColours[0], gp_string(chart.dot_label)));
  }
  script += "plot ";
  for (std::size_t i = 0; i < plots.size(); ++i) script += (i ? ", " : "") + plots[i];
  if (plots.empty()) script += "NaN notitle";
  script += "\n";
  return run_gnuplot(script);
}

}  // namespace chokepoint
