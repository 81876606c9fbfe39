// The one writer of report sets (`--out-dir`): every file drawn in memory first, then all written
// under a lock on the folder, each through a temporary and a rename.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "exporters/formats.hpp"

namespace chokepoint {

// A file of a set that no format writes (a diagram per target): its name and its text.
using ExtraFile = std::pair<std::string, std::string>;

// Writes the report set of `context.kind` into `dir` (created if missing): `extra` first, then
// each file of report_set(kind) whose text is not empty; the reports link the set's SVG diagram.
// A failure while drawing leaves the folder as it was; concurrent runs into one folder take turns
// (an exclusive flock on the folder), so the set is always one run's. Returns the number of files
// written; throws IoError when the folder cannot be created or a file cannot be written.
std::size_t write_report_set(const std::string& dir, const ReportContext& context,
                             std::vector<ExtraFile> extra = {});

}  // namespace chokepoint
