#include "exporters/chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "exporters/graphviz.hpp"
#include "exporters/report/text.hpp"

namespace chokepoint {

namespace {

// Colour-blind-safe qualitative palette (Okabe-Ito).
const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                          "#E69F00", "#56B4E9", "#000000", "#F0E442"};

// The plot area in points; text sizes in points.
constexpr double kWidth = 620, kHeight = 360;
constexpr double kTickFont = 11, kLabelFont = 11, kTitleFont = 14;
constexpr std::size_t kMaxLabelBytes = 60;

// A rough width of text in Liberation Sans: what places a label beside a line without Graphviz
// measuring it (about 0.55 em a character).
double text_width(std::string_view text, double size) {
  std::size_t chars = 0;
  for (char c : text) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return static_cast<double>(chars) * size * 0.55;
}

// Tick spacing: 1, 2.5, 2 or 5 times a power of ten (quarters first: capacities are shares),
// at most 8 ticks over `range`.
double tick_step(double range) {
  double base = std::pow(10.0, std::floor(std::log10(range / 4)));
  for (double m : {1.0, 2.5, 2.0, 5.0, 10.0})
    if (range / (base * m) <= 8) return base * m;
  return base * 10;
}

std::string tick_text(double v) {
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

class Dot {
 public:
  std::string text;

  void point(const std::string& id, double x, double y) {
    text += fmt::format("  {} [pos=\"{:.2f},{:.2f}!\"];\n", id, x, y);
  }
  // A text whose centre is at (x, y).
  void label(const std::string& id, double x, double y, std::string_view content, double size,
             const char* colour = "#222222", std::size_t max_bytes = kMaxLabelBytes) {
    text += fmt::format(
        "  {} [shape=plaintext style=\"\" width=0 height=0 margin=0 fontsize={} fontcolor=\"{}\" "
        "pos=\"{:.2f},{:.2f}!\" label=<{}>];\n",
        id, size, colour, x, y, html_label_escape(shortened(content, max_bytes)));
  }
  void line(const std::string& a, const std::string& b, const char* colour, double width,
            bool dashed = false) {
    text += fmt::format("  {} -- {} [color=\"{}\" penwidth={}{}];\n", a, b, colour, width,
                        dashed ? " style=dashed" : "");
  }
};

}  // namespace

std::string line_chart_dot(const LineChart& chart) {
  std::size_t points = 0;
  for (const auto& s : chart.series) points = std::max(points, s.values.size());
  double x_max = points > 1 ? static_cast<double>(points - 1) : 1.0;
  double y_max = chart.y_max > 0 ? chart.y_max : 1.0;
  auto X = [&](double x) { return x / x_max * kWidth; };
  auto Y = [&](double y) { return std::clamp(y, 0.0, y_max) / y_max * kHeight; };

  Dot d;
  d.text =
      "graph chart {\n"
      "  graph [splines=line outputorder=edgesfirst bgcolor=\"#ffffff\" pad=0.25 "
      "fontname=\"Liberation Sans\"];\n"
      "  node [shape=point width=0 height=0 label=\"\" style=invis fontname=\"Liberation Sans\"];\n"
      "  edge [dir=none];\n";
  // Grid, axes and ticks.
  double y_step = tick_step(y_max);
  for (int i = 0; i * y_step <= y_max + 1e-9; ++i) {
    double v = i * y_step, y = Y(v);
    d.point(fmt::format("gy{}a", i), 0, y);
    d.point(fmt::format("gy{}b", i), kWidth, y);
    d.line(fmt::format("gy{}a", i), fmt::format("gy{}b", i), i == 0 ? "#333333" : "#dddddd",
           i == 0 ? 1 : 0.8);
    std::string t = tick_text(v);
    d.label(fmt::format("ty{}", i), -6 - text_width(t, kTickFont) / 2, y, t, kTickFont);
  }
  d.point("axis_y0", 0, 0);
  d.point("axis_y1", 0, kHeight);
  d.line("axis_y0", "axis_y1", "#333333", 1);
  double x_step = x_max <= 12 ? 1 : x_max <= 36 ? 6 : 12;
  for (int i = 0; i * x_step <= x_max + 1e-9; ++i) {
    double v = i * x_step;
    d.point(fmt::format("gx{}a", i), X(v), 0);
    d.point(fmt::format("gx{}b", i), X(v), -4);
    d.line(fmt::format("gx{}a", i), fmt::format("gx{}b", i), "#333333", 1);
    d.label(fmt::format("tx{}", i), X(v), -14, tick_text(v), kTickFont);
  }
  d.label("xlabel", kWidth / 2, -34, chart.x_label, kLabelFont);
  d.label("ylabel", text_width(chart.y_label, kLabelFont) / 2 - 24, kHeight + 18, chart.y_label,
          kLabelFont);
  d.label("title", kWidth / 2, kHeight + 44, chart.title, kTitleFont, "#222222", 140);

  // Lines as steps (a month's value holds until the next), each a little apart from the others
  // so that lines with the same values stay visible side by side.
  struct End {
    double y;
    std::size_t series;
  };
  std::vector<End> ends;
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const auto& series = chart.series[s];
    if (series.values.empty()) continue;
    const char* colour = kColours[s % std::size(kColours)];
    double offset = (static_cast<double>(s % 5) - 2.0) * 1.2;
    // A run of equal values is one segment (so that a dashed line keeps its dashes).
    std::string previous;
    for (std::size_t k = 0; k < series.values.size();) {
      std::size_t run = k + 1;
      while (run < series.values.size() && series.values[run] == series.values[k]) ++run;
      double y = Y(series.values[k]) + offset;
      std::string here = fmt::format("s{}_{}a", s, k), flat = fmt::format("s{}_{}b", s, k);
      d.point(here, X(static_cast<double>(k)), y);
      if (!previous.empty()) d.line(previous, here, colour, 2, series.dashed);
      d.point(flat, run < series.values.size() ? X(static_cast<double>(run)) : kWidth, y);
      d.line(here, flat, colour, 2, series.dashed);
      previous = flat;
      k = run;
    }
    ends.push_back(End{Y(series.values.back()) + offset, s});
  }
  // A label at each line's end, moved apart where lines end close together.
  std::sort(ends.begin(), ends.end(), [](const End& a, const End& b) {
    return a.y != b.y ? a.y < b.y : a.series < b.series;
  });
  // Pushed up from below one line apart, then down from the top of the plot where they rose
  // past it; never below the axis.
  constexpr double kGap = kLabelFont + 2;
  std::vector<double> at(ends.size());
  for (std::size_t i = 0; i < ends.size(); ++i)
    at[i] = i == 0 ? ends[i].y : std::max(ends[i].y, at[i - 1] + kGap);
  double top = kHeight;
  for (std::size_t i = ends.size(); i-- > 0;) {
    at[i] = std::min(at[i], top);
    top = at[i] - kGap;
  }
  for (std::size_t i = 0; i < ends.size(); ++i)
    at[i] = std::max(at[i], i == 0 ? 0.0 : at[i - 1] + kGap);
  for (std::size_t i = 0; i < ends.size(); ++i) {
    std::size_t s = ends[i].series;
    const char* colour = kColours[s % std::size(kColours)];
    std::string text = shortened(chart.series[s].label, kMaxLabelBytes);
    d.label(fmt::format("end{}", s), kWidth + 10 + text_width(text, kLabelFont) / 2, at[i], text,
            kLabelFont, colour);
    if (std::abs(at[i] - ends[i].y) > 1) {  // a leader from the line to its moved label
      d.point(fmt::format("lead{}a", s), kWidth, ends[i].y);
      d.point(fmt::format("lead{}b", s), kWidth + 8, at[i]);
      d.line(fmt::format("lead{}a", s), fmt::format("lead{}b", s), colour, 0.8);
    }
  }
  d.text += "}\n";
  return d.text;
}

std::string draw_line_chart(const LineChart& chart, std::string_view format) {
  return render_dot(line_chart_dot(chart), format, "nop");
}

}  // namespace chokepoint
