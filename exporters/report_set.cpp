#include "exporters/report_set.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <sstream>

#include "exporters/atomic_file.hpp"
#include "exporters/chart.hpp"

namespace chokepoint {

std::size_t write_report_set(const std::string& dir, const ReportContext& context,
                             std::vector<ExtraFile> extra, std::vector<ExtraChart> charts) {
  auto set = report_set(context.kind);
  ReportContext in_set = context;
  in_set.charts_optional = true;
  for (const auto& file : set)
    if (file.format->name == "svg") in_set.options.diagram = file.name;
  // Every file is drawn before any is written, so a failure leaves the folder as it was; a chart
  // that cannot be drawn is only left out.
  std::vector<ExtraFile> files = std::move(extra);
  std::vector<std::string> missing;
  std::string why;
  auto draw = [&](const std::string& name, const std::function<std::string()>& text) {
    try {
      if (std::string t = text(); !t.empty()) files.emplace_back(name, std::move(t));
    } catch (const ChartError& e) {
      missing.push_back(name);
      why = e.what();
    }
  };
  for (const auto& [name, chart] : charts) draw(name, chart);
  for (const auto& file : set)
    draw(file.name, [&] {
      std::ostringstream text;
      file.format->write(text, in_set);
      return text.str();
    });
  write_file_set(dir, files,
                 [&](std::string_view name) { return in_report_set(context.kind, name); });
  if (!missing.empty())
    throw IoError(fmt::format("{}: not drawn: {}; the other {} files are written in {}",
                              fmt::join(missing, ", "), why, files.size(), dir));
  return files.size();
}

}  // namespace chokepoint
