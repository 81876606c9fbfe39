// chokepoint uncertainty: Monte Carlo bands of every target and the numbers that move them.
#include "graph/analysis/uncertainty.hpp"

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_flags.hpp"
#include "exporters/chart.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

const char* const kUncertaintyHelp =
    R"(How far the ranges in the data move each target: Monte Carlo bands and a tornado.

Every ranged number of the graph and the scenario (a share, min_share, min_supply, capacity
factor or de_minimis written as [low, high] or {low, high, best}) is drawn independently in each
sample, uniform or triangular, and shares are normalised again. Per target, in the world and in
the view of each controlled side (and --view): the point value, mean, P5, P50, P95 and the share
of samples in which it is lost or degraded; and the tornado: the value with each number at its
low and at its high, the others at their point, the ten largest swings. The same --seed gives
the same output whatever the number of threads.

Examples:
  chokepoint uncertainty data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml
  chokepoint uncertainty data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml \
      --view US --samples 5000 --seed 7 --out-dir out/uncertainty
  chokepoint uncertainty data/ai-supply-chain.yaml --remove-jurisdiction TW -o bands.svg)";

namespace {

struct UncertaintyArgs {
  std::string file;
  ScenarioFlags scenario;
  std::vector<std::string> views;
  Sampling sampling;
  int precision = 2;
  OutputFlags out;
};

int uncertainty_command(const CLI::App& cmd, const UncertaintyArgs& args) {
  refuse_rules(cmd);
  auto l = load_or_fail(args.file);
  const Model& model = *l->model;
  Scenario scenario = build_scenario(*l, args.scenario).value_or(Scenario{});
  UncertaintyOptions options;
  if (args.sampling.samples == 0) throw UsageError("--samples must be at least 1");
  options.sampling.samples = args.sampling.samples;
  options.sampling.seed = args.sampling.seed;
  for (const auto& name : args.views) {
    auto side = perspective_of(model, name);
    if (!side) {
      std::vector<std::string_view> names;
      for (const auto& j : model.jurisdictions) names.push_back(j.code);
      for (const auto& b : model.blocs) names.push_back(b.name);
      throw UsageError(fmt::format("unknown jurisdiction, bloc or node '{}' in --view{}", name,
                                   did_you_mean(name, names)));
    }
    options.views.push_back(std::move(*side));
  }
  options.sampling.progress = terminal_progress();
  UncertaintyResult result = analyze_uncertainty(model, scenario, options);
  clear_progress(options.sampling.progress);
  ReportContext context;
  context.kind = ReportKind::uncertainty;
  context.model = &model;
  context.uncertainty = &result;
  context.base_scenario = &scenario;
  context.options.inputs = inputs_of(*l, args.scenario.files, {});
  context.options.precision = args.precision;
  // The tornado is a file of the set only (drawn when the set is written).
  write_output(args.out, context,
               {{report::kTornadoChartFile,
                 [&] { return draw_range_chart(report::tornado_chart(model, result), "svg"); }}});
  return kExitOk;
}

}  // namespace

Run setup_uncertainty(CLI::App& cmd) {
  auto args = std::make_shared<UncertaintyArgs>();
  UncertaintyArgs& a = *args;
  add_graph_file(cmd, a.file);
  add_scenario_flags(cmd, a.scenario,
                     ScenarioFlags::kFiles | ScenarioFlags::kChanges | ScenarioFlags::kControls);
  cmd.add_option("--view", a.views,
                 "also show this side's view (code, bloc or node id; repeatable); the "
                 "scenario's controlled sides are always shown");
  add_sampling(cmd, a.sampling, 1000, "samples to draw (default 1000)");
  add_precision(cmd, a.precision);
  add_format(cmd, a.out, ReportKind::uncertainty);
  add_output(cmd, a.out, "write to this file instead of stdout");
  add_out_dir(cmd, a.out, ReportKind::uncertainty);
  add_refused_rules(cmd);
  return [args, &cmd] { return uncertainty_command(cmd, *args); };
}

}  // namespace chokepoint::cli
