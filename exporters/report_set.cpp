#include "exporters/report_set.hpp"

#include <sstream>

#include "exporters/atomic_file.hpp"

namespace chokepoint {

std::size_t write_report_set(const std::string& dir, const ReportContext& context,
                             std::vector<ExtraFile> extra) {
  auto set = report_set(context.kind);
  ReportContext in_set = context;
  for (const auto& file : set)
    if (file.format->name == "svg") in_set.options.diagram = file.name;
  // Every file is drawn before any is written, so a failure leaves the folder as it was.
  std::vector<ExtraFile> files = std::move(extra);
  for (const auto& file : set) {
    std::ostringstream text;
    file.format->write(text, in_set);
    if (!text.str().empty()) files.emplace_back(file.name, text.str());
  }
  write_file_set(dir, files,
                 [&](std::string_view name) { return in_report_set(context.kind, name); });
  return files.size();
}

}  // namespace chokepoint
