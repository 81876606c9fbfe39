// chokepoint timeline: capacity month by month under a scenario.
#include "graph/analysis/timeline.hpp"

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/scenario_flags.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

const char* const kTimelineHelp =
    R"(Capacity month by month under a scenario: stocks drawn down, substitutes arriving, the end.

A node below its baseline draws on its stock_months; in a perspective's view a node the scenario
leaves short and that has substitution_years Y is restored from month 12 Y (--ramp step) or
rises to it by then (--ramp linear); the scenario ends after duration_months (--for). Output:
events and capacity by year (Markdown, HTML), one row per month (CSV), JSON, or the chart (SVG,
PNG); --out-dir writes them all.

Examples:
  chokepoint timeline data/ai-supply-chain.yaml -s data/scenarios/taiwan-12-months.yaml
  chokepoint timeline data/ai-supply-chain.yaml --remove-jurisdiction TW --for 12 -o tw.svg
  chokepoint timeline data/ai-supply-chain.yaml --control 'us-nl-jp>CN' --fdpr --ramp linear \
      --perspective CN --out-dir out/timeline-controls)";

namespace {

struct TimelineArgs {
  std::string file;
  ScenarioFlags scenario;
  int months = 60;
  std::string ramp = "step";
  std::vector<std::string> perspectives;
  OutputFlags out;
};

int timeline_command(const CLI::App& cmd, const TimelineArgs& args) {
  refuse_rules(cmd);
  auto l = load_or_fail(args.file);
  auto scenario = build_scenario(*l, args.scenario);
  if (!scenario)
    throw UsageError(
        "timeline needs a scenario: --scenario, or --remove, --remove-jurisdiction, "
        "--capacity, --control or --embargo (with --for MONTHS for its duration)");
  TimelineOptions options;
  options.months = args.months;
  options.ramp = args.ramp == "linear" ? Ramp::linear : Ramp::step;
  options.perspectives = args.perspectives;
  TimelineResult result;
  try {
    result = timeline(*l->model, *scenario, options);
  } catch (const UnknownSide& e) {
    throw UsageError(fmt::format("unknown jurisdiction or bloc '{}' in --perspective", e.name));
  }
  ReportContext context;
  context.kind = ReportKind::timeline;
  context.model = &*l->model;
  context.timeline = &result;
  context.base_scenario = &*scenario;
  context.options.inputs = inputs_of(*l, args.scenario.files, {});
  if (!args.out.out_dir.empty())
    write_set(args.out, context);
  else
    write_report(args.out, context);
  return kExitOk;
}

}  // namespace

Run setup_timeline(CLI::App& cmd) {
  auto args = std::make_shared<TimelineArgs>();
  TimelineArgs& a = *args;
  add_graph_file(cmd, a.file);
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kAll);
  cmd.add_option("--months", a.months, "months to follow (default 60)")
      ->default_val(60)
      ->check(CLI::Range(1, 1200));
  add_choice(cmd, "--ramp", a.ramp, {"step", "linear"}, "step or linear: how substitutes arrive");
  cmd.add_option("--perspective", a.perspectives,
                 "show this side's view (code or bloc; repeatable); default: the "
                 "scenario's controlled sides");
  add_format(cmd, a.out, ReportKind::timeline);
  add_output(cmd, a.out, "write to this file instead of stdout");
  add_out_dir(cmd, a.out, ReportKind::timeline);
  add_refused_rules(cmd);
  return [args, &cmd] { return timeline_command(cmd, *args); };
}

}  // namespace chokepoint::cli
