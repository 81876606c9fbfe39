// Where a command's report goes: --format (or -o's extension), -o FILE or standard output, or a
// report set with --out-dir. Every list of formats and files here is read from the formats table
// (exporters/formats.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "exporters/formats.hpp"
#include "exporters/report_set.hpp"

namespace chokepoint::cli {

struct OutputFlags {
  std::string format, output, out_dir;
};

// --format, its help listing the formats `kind` can be written in.
void add_format(CLI::App& cmd, OutputFlags& flags, ReportKind kind);
// -o,--output with the command's help (reports: "write to this file ... instead of stdout").
CLI::Option* add_output(CLI::App& cmd, OutputFlags& flags, const std::string& help);
// --out-dir, its help listing the files of the kind's report set.
void add_out_dir(CLI::App& cmd, OutputFlags& flags, ReportKind kind);

// The format of a report: --format, else -o's extension, else the kind's default (Markdown; SVG
// for a diagram on stdout). UsageError, listing the formats, when it is unknown, not available
// for the kind, or cannot be told.
const Format& pick_format(const OutputFlags& flags, ReportKind kind);
// Whether the output has prose (Markdown or HTML, alone or in a report set): what only the
// summary reads (a dated headline) is computed only then.
bool writes_prose(const OutputFlags& flags, ReportKind kind);

// Writes to -o PATH atomically, or to stdout when there is no -o or it is "-".
void emit(const std::string& output, const std::function<void(std::ostream&)>& write);

// Writes the report in the picked format to -o or stdout.
void write_report(const OutputFlags& flags, const ReportContext& context);

// Writes the report set into flags.out_dir (write_report_set) and says so on stderr.
void write_set(const OutputFlags& flags, const ReportContext& context,
               std::vector<ExtraFile> extra = {}, std::vector<ExtraChart> charts = {});

// The report set with --out-dir (write_set, with `charts` as files of the set, drawn only
// then), else the report (write_report).
void write_output(const OutputFlags& flags, const ReportContext& context,
                  std::vector<ExtraChart> charts = {});

}  // namespace chokepoint::cli
