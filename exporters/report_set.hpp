// The one writer of report sets (`--out-dir`): every file drawn in memory first, then all written
// under a lock on the folder, each through a temporary and a rename.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "exporters/atomic_file.hpp"
#include "exporters/formats.hpp"

namespace chokepoint {

// A file of a set that no format writes (a diagram per target): its name and its text.
using ExtraFile = NamedText;
// A chart of a set that no format writes (a tornado): its name and how to draw it.
using ExtraChart = std::pair<std::string, std::function<std::string()>>;

// Writes the report set of `context.kind` into `dir` (created if missing): `extra` first, then
// each file of report_set(kind) whose text is not empty; the reports link the set's SVG diagram.
// The set is written as one (write_file_set): a failure while drawing or writing leaves the folder
// as it was, concurrent runs into one folder take turns, and files of an earlier set of this kind
// that this one lacks (a larger graph's target diagrams) are removed. A chart that cannot be drawn
// (ChartError: gnuplot missing) costs only its own file: the others are written (an HTML report
// without the chart inline), then IoError names it. Returns the number of files written; throws
// IoError when the folder cannot be created or a file cannot be written.
std::size_t write_report_set(const std::string& dir, const ReportContext& context,
                             std::vector<ExtraFile> extra = {},
                             std::vector<ExtraChart> charts = {});

}  // namespace chokepoint
