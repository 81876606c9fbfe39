// chokepoint coalitions: which jurisdictions must join a control for it to bite.
#include "graph/analysis/coalitions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_flags.hpp"
#include "exporters/chart.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

const char* const kCoalitionsHelp =
    R"(Which jurisdictions must join an export control for it to bite, and how much each one counts.

For each target of the controlled side (--against), every minimal coalition of candidate
jurisdictions whose joint control makes the target lost in that side's view (or below --below),
and each candidate's Banzhaf and Shapley-Shubik power index (exact up to 20 candidates, sampled
beyond). The control covers --items (default every item), with --fdpr/--made-with/--de-minimis,
on top of --scenario (the world to start from, e.g. today's controls).

Examples:
  chokepoint coalitions data/ai-supply-chain.yaml --against CN
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --fdpr
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --fdpr --out-dir out/coalitions
      one computation written as coalitions.md, .json, .csv and .html
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --items "kind == 'lithography'"
  chokepoint coalitions data/ai-supply-chain.yaml --against CN -s data/scenarios/controls-2025.yaml
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --candidates US,NL,JP,KR,TW --below 0.5
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --target cn-frontier-training -o c.json)";

namespace {

struct CoalitionsArgs {
  std::string file, against, candidates, target;
  ScenarioFlags scenario;  // the starting world (-s) and the control's terms
  int max_size = 4;
  std::size_t budget = 0;  // views; 0: scaled to the graph
  std::optional<double> below;
  bool sweep = false;
  Sampling sampling;
  int precision = 2;
  OutputFlags out;
};

// --target: a target, or any node (what a control aims at is often upstream of a target).
std::optional<NodeIndex> node_or_usage(const Model& model, const std::string& id) {
  if (id.empty()) return std::nullopt;
  if (auto n = model.find(id)) return n;
  std::vector<std::string_view> ids;
  for (const Node& n : model.nodes) ids.push_back(n.id);
  throw UsageError(fmt::format("'{}' is not a node of the graph{}", id, did_you_mean(id, ids)));
}

int coalitions_command(const CLI::App& cmd, const CoalitionsArgs& args) {
  refuse_rules(cmd);
  auto l = load_or_fail(args.file);
  const Model& model = *l->model;
  codes_or_usage(model, args.against, "--against");
  ScenarioFlags files;
  files.files = args.scenario.files;
  files.as_of = args.scenario.as_of;
  Scenario base = build_scenario(*l, files).value_or(Scenario{});
  CoalitionOptions options;
  // The coalition's control: against the side, on the flags' items, `by` filled in per coalition.
  options.control = control_template(*l, args.scenario, args.against);
  options.against = args.against;
  for (const auto& code : split(args.candidates, ','))
    for (auto j : codes_or_usage(model, code, "--candidates")) options.candidates.push_back(j);
  options.max_size = args.max_size;
  options.max_views = args.budget;
  options.below = args.below;
  options.target = node_or_usage(model, args.target);
  if (args.sweep && args.below) throw UsageError("--sweep covers every threshold; drop --below");
  options.progress = terminal_progress();
  CoalitionResult result;
  std::vector<CoalitionResult> sweep;
  try {
    if (args.sweep) {
      sweep = coalition_sweep(model, base, options, kSweepThresholds);
      result = sweep.front();  // lost, the default threshold
    } else {
      result = coalitions(model, base, options);
    }
  } catch (const TooManyCandidates& e) {
    throw UsageError(
        fmt::format("coalitions takes at most {} candidates; name them with "
                    "--candidates",
                    e.limit));
  }
  clear_progress(options.progress);
  if (result.stopped)
    std::cerr << fmt::format(
        "warning: the coalition search stopped at its budget of {} views; the minimal coalitions "
        "listed are real but others may be missing, and the reports say how far the power "
        "indices got (raise --budget, or name fewer --candidates)\n",
        result.max_views);
  // With ranges in the graph or the starting scenario: how often each minimal coalition wins.
  auto quantities = uncertain_quantities(model, base);
  if (args.sampling.samples > 0 &&
      std::any_of(quantities.begin(), quantities.end(),
                  [](const UncertainQuantity& q) { return q.static_effect(); })) {
    SampleOptions sampling;
    sampling.samples = args.sampling.samples;
    sampling.seed = args.sampling.seed;
    sampling.progress = terminal_progress();
    if (args.sweep) {  // every bar's coalitions, the first (lost) being the result's
      for (CoalitionResult& at : sweep) coalition_win_shares(model, base, options, sampling, at);
      result = sweep.front();
    } else {
      coalition_win_shares(model, base, options, sampling, result);
    }
    clear_progress(sampling.progress);
  }
  ReportContext context;
  context.kind = ReportKind::coalitions;
  context.model = &model;
  context.coalitions = &result;
  context.options.coalition_sweep = args.sweep ? &sweep : nullptr;
  context.base_scenario = &base;
  context.options.inputs = inputs_of(*l, args.scenario.files, {});
  context.options.precision = args.precision;
  // One computation, every format of the set: --out-dir.
  // With --sweep, the set also has the sweep's chart (the Markdown's figure).
  std::vector<ExtraChart> charts;
  if (args.sweep)
    charts.emplace_back(report::kSweepChartFile, [&] {
      return draw_range_chart(report::coalition_sweep_chart(model, sweep), "svg");
    });
  write_output(args.out, context, std::move(charts));
  return kExitOk;
}

}  // namespace

Run setup_coalitions(CLI::App& cmd) {
  auto args = std::make_shared<CoalitionsArgs>();
  CoalitionsArgs& a = *args;
  add_graph_file(cmd, a.file);
  cmd.add_option("--against", a.against, "the controlled side: a code or bloc")->required();
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kControlTerms);
  cmd.add_option("--candidates", a.candidates,
                 "jurisdictions that may join: CODE,.. (default: every one upstream)");
  cmd.add_option("--order,--max-size", a.max_size,
                 "largest coalition listed, 1 to 8 (--max-size: its old name)")
      ->default_val(4)
      ->check(CLI::Range(1, 8));
  cmd.add_option("--below", a.below,
                 "a coalition wins when the target falls below this (default: lost)")
      ->check(finite_range(0, 1));
  cmd.add_option("--target", a.target,
                 "only this node: a target, or any node upstream of one (new tool deliveries to "
                 "China's fabs)");
  cmd.add_option("--budget", a.budget,
                 "most views (evaluations of the side's view) the search may compute; past it the "
                 "coalitions found so far are reported and flagged (default: about 2e8 / (nodes "
                 "+ edges + 700), between 1,000 and 500,000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000'000'000}));
  cmd.add_flag("--sweep", a.sweep,
               "also at every threshold: lost, below 0.1, 0.25, 0.5, 0.75 and 0.9 (a table and a "
               "chart)");
  add_sampling(cmd, a.sampling, 0,
               "on a graph with ranges, the share of N samples in which each minimal coalition "
               "wins (default 0: off)");
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kFiles);
  add_precision(cmd, a.precision);
  add_format(cmd, a.out, ReportKind::coalitions);
  add_output(cmd, a.out, "write to this file (atomically) instead of stdout");
  add_out_dir(cmd, a.out, ReportKind::coalitions);
  add_refused_rules(cmd);
  return [args, &cmd] { return coalitions_command(cmd, *args); };
}

}  // namespace chokepoint::cli
