#include "cli/output.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "exporters/atomic_file.hpp"
#include "graph/support/diagnostics.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

void add_format(CLI::App& cmd, OutputFlags& flags, ReportKind kind) {
  std::string fallback =
      default_format(kind, false)
          ? fmt::format("from -o, else {}", default_format(kind, false)->name)
          : fmt::format("from -o; {} on stdout", default_format(kind, true)->name);
  auto* option = cmd.add_option("--format", flags.format,
                                fmt::format("{} (default: {})", format_names(kind), fallback));
  std::vector<std::string> names;
  for (const Format* f : formats_of(kind)) names.emplace_back(f->name);
  offer(option, std::move(names));
}

CLI::Option* add_output(CLI::App& cmd, OutputFlags& flags, const std::string& help) {
  return cmd.add_option("-o,--output", flags.output, help)->check(file_name());
}

void add_out_dir(CLI::App& cmd, OutputFlags& flags, ReportKind kind) {
  std::string files;
  for (const auto& file : report_set(kind)) files += (files.empty() ? "" : ", ") + file.name;
  cmd.add_option(
         "--out-dir", flags.out_dir,
         fmt::format("write the report set into this folder: {} (each that applies)", files))
      ->check(file_name());
}

namespace {

const Format& checked(const Format& f, ReportKind kind) {
  if (!f.writes(kind))
    throw UsageError(fmt::format("--format {} is not available for {}; use {}", f.name,
                                 report_kind_name(kind), format_names(kind)));
  return f;
}

}  // namespace

const Format& pick_format(const OutputFlags& flags, ReportKind kind) {
  if (!flags.format.empty()) {
    const Format* f = find_format(flags.format);
    if (!f) {
      std::vector<std::string_view> names;
      for (const auto& each : formats()) names.push_back(each.name);
      throw UsageError(fmt::format("unknown --format '{}'{}; use {}", flags.format,
                                   did_you_mean(flags.format, names), format_names(kind)));
    }
    return checked(*f, kind);
  }
  bool to_stdout = flags.output.empty() || flags.output == "-";
  const Format* f = to_stdout ? nullptr : format_for_path(flags.output);
  // A kind without a default for files (a diagram) must be told, by -o's extension or --format.
  if (!default_format(kind, to_stdout) && (!f || !f->writes(kind)))
    throw UsageError(fmt::format("cannot tell the format of '{}'; end -o with {}, or give --format",
                                 flags.output, extension_names(kind)));
  return checked(f ? *f : *default_format(kind, to_stdout), kind);
}

bool writes_prose(const OutputFlags& flags, ReportKind kind) {
  if (!flags.out_dir.empty()) return true;
  std::string_view name = pick_format(flags, kind).name;
  return name == "md" || name == "html";
}

void emit(const std::string& output, const std::function<void(std::ostream&)>& write) {
  if (output.empty() || output == "-") {
    write(std::cout);
    std::cout.flush();
    return;
  }
  write_atomically(output, write);
}

void write_report(const OutputFlags& flags, const ReportContext& context) {
  const Format& f = pick_format(flags, context.kind);
  emit(flags.output, [&](std::ostream& out) { f.write(out, context); });
  if (!flags.output.empty() && flags.output != "-")
    tell(fmt::format("wrote {} ({:.2f} s)", flags.output, seconds_since_start()));
}

void write_set(const OutputFlags& flags, const ReportContext& context, std::vector<ExtraFile> extra,
               std::vector<ExtraChart> charts) {
  show_stage("writing " + flags.out_dir);
  std::size_t n = write_report_set(flags.out_dir, context, std::move(extra), std::move(charts));
  clear_progress(terminal_progress());
  say(fmt::format("wrote {} files to {} ({:.2f} s)", n, flags.out_dir, seconds_since_start()));
}

void write_output(const OutputFlags& flags, const ReportContext& context,
                  std::vector<ExtraChart> charts) {
  if (!flags.out_dir.empty())
    write_set(flags, context, {}, std::move(charts));
  else
    write_report(flags, context);
}

}  // namespace chokepoint::cli
