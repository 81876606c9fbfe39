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

// Colour-blind-safe qualitative palette (Okabe-Ito).
const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                          "#E69F00", "#56B4E9", "#000000", "#F0E442"};

}  // namespace

std::string draw_line_chart(const LineChart& chart, std::string_view format) {
  namespace fs = std::filesystem;
  std::string script;
  std::size_t points = 0;
  for (const auto& s : chart.series) points = std::max(points, s.values.size());
  if (format == "svg")
    script +=
        "set terminal svg size 960,640 dynamic font 'Liberation Sans,13' background '#ffffff'\n";
  else
    script +=
        "set terminal pngcairo size 1280,860 font 'Liberation Sans,13' background '#ffffff'\n";
  script += fmt::format("set title {} noenhanced\n", gp_string(chart.title));
  script += fmt::format("set xlabel {} noenhanced\nset ylabel {} noenhanced\n",
                        gp_string(chart.x_label), gp_string(chart.y_label));
  script += fmt::format("set yrange [0:{}]\nset xrange [0:{}]\n", chart.y_max,
                        points > 1 ? points - 1 : 1);
  script += "set grid ytics lc rgb '#dddddd'\nset key below left Left reverse noenhanced\n";
  if (points > 24) script += "set xtics 12\n";
  script += "set border 3\nset xtics nomirror\nset ytics nomirror\n";
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    script += fmt::format("$s{} << EOD\n", i);
    for (std::size_t x = 0; x < chart.series[i].values.size(); ++x)
      script += fmt::format("{} {:.6f}\n", x, chart.series[i].values[x]);
    script += "EOD\n";
  }
  script += "plot ";
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto& s = chart.series[i];
    script +=
        fmt::format("{}$s{} using 1:2 with steps lw 2 lc rgb '{}' dt {} title {}", i ? ", " : "", i,
                    kColours[i % std::size(kColours)], s.dashed ? 2 : 1, gp_string(s.label));
  }
  if (chart.series.empty()) script += "NaN notitle";
  script += "\n";
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
