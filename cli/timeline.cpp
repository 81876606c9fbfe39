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
    R"(Capacity month by month under a scenario in parts: stocks drawn down, installed bases
aging, substitutes arriving, each part ending at its own duration.

Parts: each --baseline file (never ends), each -s file and the command-line flags apply while the
month is below their own duration_months; --for N gives N months to every part without a
duration (never to a baseline). A node below its baseline draws on its stock_months; an installed
base (lifetime_months) retires 1/L a month and is rebuilt from what its inputs give; a substitute
(substitutes:) closes the gap to the world's value in proportion to its own capacity, with its own
inputs and denials; substitution_years Y is a substitute assumed to need nothing, from month 12 Y
(--ramp step) or rising to it by then (--ramp linear); --ramp none leaves these out, so that only
what the data models closes a gap. Output: per view, the events that move its targets and
capacity by year (Markdown, HTML), one row per month (CSV), JSON, or the chart (SVG, PNG);
--out-dir writes them all.

Examples:
  chokepoint timeline data/ai-supply-chain.yaml --baseline data/scenarios/controls-2025.yaml \
      -s data/scenarios/taiwan-12-months.yaml --perspective CN
  chokepoint timeline data/ai-supply-chain.yaml --remove-jurisdiction TW --for 12 -o tw.svg
  chokepoint timeline data/ai-supply-chain.yaml --control 'us-nl-jp>CN' --fdpr --ramp linear \
      --perspective CN --out-dir out/timeline-controls
  chokepoint timeline data/ai-supply-chain.yaml -s data/scenarios/embargo-cn-fdpr.yaml \
      --ramp none --out-dir out/timeline-embargo)";

namespace {

struct TimelineArgs {
  std::string file;
  ScenarioFlags scenario;
  int months = 60;
  std::string ramp = "step";
  std::vector<std::string> perspectives;
  int precision = 2;
  OutputFlags out;
};

int timeline_command(const CLI::App& cmd, const TimelineArgs& args) {
  refuse_rules(cmd);
  auto l = load_or_fail(args.file);
  ScenarioParts parts = build_parts(*l, args.scenario);
  if (parts.empty())
    throw UsageError(
        "timeline needs a scenario: --baseline, --scenario, or --remove, --remove-jurisdiction, "
        "--capacity, --control or --embargo (with --for MONTHS for its duration)");
  TimelineOptions options;
  options.months = args.months;
  options.ramp = parse_ramp(args.ramp).value_or(Ramp::step);  // --ramp took a choice
  options.perspectives = args.perspectives;
  TimelineResult result;
  try {
    result = timeline(*l->model, parts, options);
  } catch (const UnknownSide& e) {
    throw UsageError(fmt::format("unknown jurisdiction or bloc '{}' in --perspective", e.name));
  }
  ReportContext context;
  context.kind = ReportKind::timeline;
  context.model = &*l->model;
  context.timeline = &result;
  Scenario all = parts.all();  // every part, for the report's title and JSON
  context.base_scenario = &all;
  context.options.inputs = inputs_of(*l, args.scenario.files_read(), {});
  context.options.precision = args.precision;
  write_output(args.out, context);
  return kExitOk;
}

}  // namespace

Run setup_timeline(CLI::App& cmd) {
  auto args = std::make_shared<TimelineArgs>();
  TimelineArgs& a = *args;
  add_graph_file(cmd, a.file);
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kAll | ScenarioFlags::kBaseline);
  cmd.add_option("--months", a.months, "months to follow (default 60)")
      ->default_val(60)
      ->check(CLI::Range(1, 1200));
  add_choice(cmd, "--ramp", a.ramp, {kRampNames.begin(), kRampNames.end()},
             "step, linear or none: how substitution_years substitutes (assumed to need "
             "nothing) arrive; none leaves them out, so only substitutes: with their own inputs "
             "close a gap");
  cmd.add_option("--perspective", a.perspectives,
                 "show this side's view (code or bloc; repeatable); default: the "
                 "scenario's controlled sides");
  add_precision(cmd, a.precision);
  add_format(cmd, a.out, ReportKind::timeline);
  add_output(cmd, a.out, "write to this file instead of stdout");
  add_out_dir(cmd, a.out, ReportKind::timeline);
  add_refused_rules(cmd);
  return [args, &cmd] { return timeline_command(cmd, *args); };
}

}  // namespace chokepoint::cli
