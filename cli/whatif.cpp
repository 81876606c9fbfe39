// chokepoint whatif: the baseline against a scenario, or every removal ranked (--rank).
#include <fmt/format.h>

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_flags.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

const char* const kWhatifHelp =
    R"(Baseline against a scenario: what changed for targets and nodes; or rank removals.

Examples:
  chokepoint whatif data/ai-supply-chain.yaml --remove asml
  chokepoint whatif data/ai-supply-chain.yaml --remove-jurisdiction TW --format json
  chokepoint whatif data/ai-supply-chain.yaml --capacity cowos=0.5,tsmc-n4=0.8
  chokepoint whatif data/ai-supply-chain.yaml --embargo 'us-allies>CN' --fdpr
  chokepoint whatif data/ai-supply-chain.yaml --rank --order 2
      every pair of nodes ranked by the target capacity their removal costs
  chokepoint whatif data/ai-supply-chain.yaml --rank --between us-nl-jp --and CN
      the same for single removals, with the cost to each side's targets
  chokepoint whatif data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml --rank --view CN
      what each removal would cost China under the 2025 controls, in its view)";

namespace {

struct WhatifArgs {
  std::string file;
  ScenarioFlags scenario;
  bool rank = false;
  int order = 1;
  Sides sides;
  std::string view;
  std::vector<std::string> rule_files;
  Sampling sampling;
  int precision = 2;
  CLI::Option* precision_option = nullptr;
  OutputFlags out;
};

// --rank: every single removal (or pair) by its cost to the targets, in the scenario's world.
int rank(const WhatifArgs& args, Loaded& l, const std::optional<Scenario>& scenario,
         const AnalysisOptions& options) {
  const Model& model = *l.model;
  Analysis a = analyze(model, scenario, options);
  Progress progress = terminal_progress();
  std::optional<RankSides> sides;
  if (args.sides.given()) {
    sides = RankSides{args.sides.a, args.sides.b, codes_or_usage(model, args.sides.a, "--between"),
                      codes_or_usage(model, args.sides.b, "--and")};
    std::sort(sides->a.begin(), sides->a.end());
    std::sort(sides->b.begin(), sides->b.end());
  }
  std::vector<RankEntry> ranking;
  std::size_t ranked = 0;
  try {
    if (a.viewed_as)
      ranking = rank_removals_in_view(model, a.scenario, *a.viewed_as, args.order, &progress,
                                      &a.capacity_budget_hit, &ranked);
    else
      ranking = rank_removals(model, a.world_inputs, a.world, args.order, &progress,
                              &a.capacity_budget_hit, sides ? &*sides : nullptr, &ranked);
  } catch (const TooManyPairs& e) {
    throw UsageError(fmt::format(
        "--order 2 would rank {} candidates' pairs; at most {} (use --order 1, or analyze's cut "
        "sets)",
        e.candidates, e.limit));
  }
  clear_progress(progress);
  ReportContext context;
  context.kind = ReportKind::rank;
  context.model = &model;
  context.analysis = &a;
  context.ranking = &ranking;
  context.ranked = ranked;
  context.rank_sides = sides ? &*sides : nullptr;
  context.options.inputs = inputs_of(l, args.scenario.files, {});
  context.order = args.order;
  write_report(args.out, context);
  return kExitOk;
}

// The scenario against the baseline: capacities and severity that changed.
int compare_to_baseline(const WhatifArgs& args, Loaded& l, const Scenario& scenario,
                        AnalysisOptions options) {
  auto rule_set = load_rules_or_fail(l, args.rule_files);
  options.with_metrics = true;
  Analysis base = analyze(*l.model, std::nullopt, options);
  Analysis a = analyze(*l.model, scenario, options);
  Progress progress = terminal_progress();
  auto bands = headline_uncertainty(*l.model, scenario, views_of(a), args.sampling.samples,
                                    args.sampling.seed, progress);
  clear_progress(progress);
  auto path = writes_prose(args.out, ReportKind::whatif)
                  ? headline_path(*l.model, scenario, views_of(a))
                  : std::nullopt;
  auto base_scores = rules::score_nodes(rule_set, base);
  auto scores = rules::score_nodes(rule_set, a);
  ReportContext context;
  context.kind = ReportKind::whatif;
  context.model = &*l.model;
  context.analysis = &a;
  context.scores = &scores;
  context.baseline_scores = &base_scores;
  context.options.inputs = inputs_of(l, args.scenario.files, rules_used(args.rule_files));
  context.options.uncertainty = bands ? &*bands : nullptr;
  context.options.path = path ? &*path : nullptr;
  context.options.precision = args.precision;
  write_report(args.out, context);
  return kExitOk;
}

int whatif(const WhatifArgs& args) {
  auto l = load_or_fail(args.file);
  auto scenario = build_scenario(*l, args.scenario);
  AnalysisOptions options;
  options.with_metrics = false;
  options.with_cut_sets = false;
  if (args.rank && args.sampling.given())
    throw UsageError("--samples and --seed go without --rank (a ranking has no bands)");
  if (args.rank && args.precision_option->count() > 0)
    throw UsageError("--precision goes without --rank (a ranking has no summary)");
  if (!args.view.empty()) options.view = side_or_usage(*l->model, args.view, "--view");
  if (args.rank) {
    if (!args.rule_files.empty())
      throw UsageError("--rules goes with a scenario's severity changes, not with --rank");
    if (options.view && args.sides.given())
      throw UsageError(
          "--view ranks on one side's targets; --between/--and split the world's ranking "
          "between two sides: give one or the other");
    return rank(args, *l, scenario, options);
  }
  if (args.sides.given()) throw UsageError("--between/--and go with --rank");
  if (args.order != 1) throw UsageError("--order goes with --rank");
  if (!scenario)
    throw UsageError(
        "whatif needs a change: --remove, --remove-jurisdiction, --capacity, "
        "--control, --embargo or --scenario (or --rank)");
  return compare_to_baseline(args, *l, *scenario, options);
}

}  // namespace

Run setup_whatif(CLI::App& cmd) {
  auto args = std::make_shared<WhatifArgs>();
  WhatifArgs& a = *args;
  add_graph_file(cmd, a.file);
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kStatic);
  cmd.add_flag("--rank", a.rank, "rank every single removal (or pair, --order 2) by impact");
  cmd.add_option("--order", a.order, "1 or 2, with --rank")
      ->default_val(1)
      ->check(CLI::Range(1, 2));
  add_sides(cmd, a.sides,
            "with --rank: split each removal's impact between this side's targets ...",
            "... and this side's (codes or bloc names)", false);
  cmd.add_option("--view", a.view,
                 "judge in this side's view (code, bloc or entity): its targets at their values "
                 "in its view (with --rank: removals ranked by what they cost it)");
  add_rules(cmd, a.rule_files);
  add_sampling(cmd, a.sampling, kReportSamples, kBandSamplesHelp);
  add_precision(cmd, a.precision);
  a.precision_option = cmd.get_option("--precision");
  add_format(cmd, a.out, ReportKind::whatif);
  add_output(cmd, a.out, "write to this file (atomically) instead of stdout");
  return [args] { return whatif(*args); };
}

}  // namespace chokepoint::cli
