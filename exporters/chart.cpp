#include "exporters/chart.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "graph/support/errors.hpp"

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

}  // namespace

std::string draw_line_chart(const LineChart& chart, std::string_view format) {
  namespace fs = std::filesystem;
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
  script += "set grid ytics lc rgb '#dddddd'\nunset key\nset rmargin 30\n";
  if (points > 24) script += "set xtics 12\n";
  script += "set border 3\nset xtics nomirror\nset ytics nomirror\n";
  for (std::size_t p = 0; p < chart.panels.size(); ++p) {
    const ChartPanel& panel = chart.panels[p];
    script += fmt::format("set title {} noenhanced\nset ylabel {} noenhanced\nset yrange [0:{}]\n",
                          gp_string(panel.title), gp_string(panel.y_label), panel.y_max);
    script += "unset label\n";
    for (std::size_t i = 0; i < panel.series.size(); ++i) {
      const auto& s = panel.series[i];
      script += fmt::format("$p{}s{} << EOD\n", p, i);
      for (std::size_t x = 0; x < s.values.size(); ++x)
        script += fmt::format("{} {:.6f}\n", x, s.values[x] + s.lift);
      script += "EOD\n";
      if (!s.values.empty())
        script += fmt::format(
            "set label {} at {},{:.6f} left offset char 1,0 tc rgb '{}' front noenhanced\n",
            gp_string(s.label), s.values.size() - 1, s.label_y, series_style(s.style).colour);
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
  fs::path path = fs::temp_directory_path() / fmt::format("chokepoint-chart-{}.gp", ::getpid());
  std::ofstream(path) << script;
  std::string command = fmt::format("gnuplot '{}' 2>/dev/null", path.string());
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw IoError("cannot run gnuplot; install gnuplot-nox (scripts/setup.sh)");
  std::string out;
  char buffer[1 << 15];
  std::size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, got);
  int status = ::pclose(pipe);
  std::error_code ec;
  fs::remove(path, ec);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || out.empty())
    throw IoError(WIFEXITED(status) && WEXITSTATUS(status) == 127
                      ? "cannot run gnuplot; install gnuplot-nox (scripts/setup.sh)"
                      : "gnuplot could not draw the chart (please report this)");
  return out;
}

}  // namespace chokepoint
