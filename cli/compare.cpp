// chokepoint compare: scenarios side by side, per target and view.
#include "graph/analysis/compare.hpp"

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_flags.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

const char* const kCompareHelp =
    R"(Scenarios side by side: each target in the world and in each side's view, under the
baseline and under each scenario laid on it.

Columns: the baseline (each --baseline file, merged; without one, the graph as it is), then each
scenario file (given after the graph or with -s) and the command-line changes and controls as one
more, each on top of the baseline. Views: the world, every side a scenario's controls are
against, every side the graph's sourcing gives its own way of buying, and --view. Where the data
has ranges, each value comes with its P5-P95 band. Output: a summary of what costs each side
most and a table per view (Markdown, HTML), one row per target, view and scenario (CSV), JSON;
--out-dir writes them all.

Examples:
  chokepoint compare data/ai-supply-chain.yaml data/scenarios/embargo-cn-fdpr.yaml \
      data/scenarios/embargo-cn-no-fdpr.yaml data/scenarios/hbm-export-ban.yaml
  chokepoint compare data/ai-supply-chain.yaml --baseline data/scenarios/controls-2025.yaml \
      -s data/scenarios/taiwan-disruption.yaml -s data/scenarios/korea-memory-disruption.yaml \
      --view US --out-dir out/compare
  chokepoint compare data/ai-supply-chain.yaml -s data/scenarios/hbm-export-ban.yaml \
      --embargo 'us-allies>CN' --format csv -o compare.csv)";

namespace {

struct CompareArgs {
  std::string file;
  std::vector<std::string> scenarios;  // given after the graph
  ScenarioFlags scenario;
  std::vector<std::string> views;
  Sampling sampling;
  int precision = 2;
  OutputFlags out;
};

int compare_command(const CLI::App& cmd, CompareArgs args) {
  refuse_rules(cmd);
  auto l = load_or_fail(args.file);
  const Model& model = *l->model;
  // Files after the graph come first, as if given with -s.
  args.scenario.files.insert(args.scenario.files.begin(), args.scenarios.begin(),
                             args.scenarios.end());
  if (args.scenario.files.empty() && !args.scenario.changes_any())
    throw UsageError(
        "compare needs a scenario: scenario files (after the graph or with -s), or --remove, "
        "--remove-jurisdiction, --capacity, --control or --embargo");
  std::vector<ComparedScenario> columns = build_alternatives(*l, args.scenario);
  CompareOptions options;
  for (const auto& name : args.views) options.views.push_back(side_or_usage(model, name, "--view"));
  options.samples = args.sampling.samples;
  options.seed = args.sampling.seed;
  options.progress = terminal_progress();
  Comparison result = compare_scenarios(model, columns, options);
  clear_progress(options.progress);
  ReportContext context;
  context.kind = ReportKind::compare;
  context.model = &model;
  context.comparison = &result;
  context.compared = &columns;
  context.base_scenario = &columns.front().scenario;
  context.options.precision = args.precision;
  context.options.inputs = inputs_of(*l, args.scenario.files_read(), {});
  write_output(args.out, context);
  return kExitOk;
}

}  // namespace

Run setup_compare(CLI::App& cmd) {
  auto args = std::make_shared<CompareArgs>();
  CompareArgs& a = *args;
  add_graph_file(cmd, a.file);
  cmd.add_option("scenarios", a.scenarios, "scenario files to compare (as -s)");
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kStatic | ScenarioFlags::kBaseline);
  // One file per --baseline, so that the scenario files after it stay scenarios.
  cmd.get_option("--baseline")->allow_extra_args(false);
  cmd.add_option("--view", a.views,
                 "also show this side's view (code, bloc or node id; repeatable); the sides "
                 "the scenarios control and the graph's sourcing names are always shown");
  add_sampling(cmd, a.sampling, kReportSamples, kBandSamplesHelp);
  add_precision(cmd, a.precision);
  add_format(cmd, a.out, ReportKind::compare);
  add_output(cmd, a.out, "write to this file instead of stdout");
  add_out_dir(cmd, a.out, ReportKind::compare);
  add_refused_rules(cmd);
  return [args, &cmd] { return compare_command(cmd, *args); };
}

}  // namespace chokepoint::cli
