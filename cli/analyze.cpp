// chokepoint analyze: the full analysis of a graph under a scenario, as one report or a set.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <limits>

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

const char* const kAnalyzeHelp =
    R"(Full analysis: target capacities (and embargo views), every node's metrics, cut sets.

Examples:
  chokepoint analyze data/ai-supply-chain.yaml                 # Markdown summary on stdout
  chokepoint analyze data/ai-supply-chain.yaml --format json -o report.json
  chokepoint analyze data/ai-supply-chain.yaml -s data/scenarios/embargo-cn-fdpr.yaml
  chokepoint analyze data/ai-supply-chain.yaml --order 3 --cut-kinds firm
  chokepoint analyze data/ai-supply-chain.yaml --cut-by jurisdiction
      which countries' loss (a disruption) cuts each target off; for which countries a
      control needs, see `chokepoint coalitions`
  chokepoint analyze data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml --view CN
      China's choke points under the 2025 controls: what China can still get, in its view
  chokepoint analyze data/ai-supply-chain.yaml --between us-allies --and CN --fdpr
      what each side can withhold from the other (leverage and exposure)
  chokepoint analyze data/ai-supply-chain.yaml --rules rules/default.yaml --rules my-rules.yaml
  chokepoint analyze data/ai-supply-chain.yaml --fail-on critical   # exit 4 if any node is critical

Rules: the shipped default rules unless --rules is given (man chokepoint; rules.md in
/usr/share/doc/chokepoint).)";

namespace {

struct AnalyzeArgs {
  std::string file;
  ScenarioFlags scenario;
  int cut_order = 2;
  CLI::Option* cut_order_given = nullptr;
  std::string cut_kinds, cut_by = "node", fail_on;
  std::size_t cut_budget = kDefaultCutWork;
  std::size_t max_cut_sets = 1000;
  Sides sides;
  std::string view;
  std::vector<std::string> rule_files;
  Sampling sampling;
  int precision = 2;
  OutputFlags out;
  std::size_t diagram_nodes = 60;
};

void add_cut_options(CLI::App& cmd, AnalyzeArgs& a) {
  a.cut_order_given =
      cmd.add_option("--order,--cut-order", a.cut_order,
                     "largest cut set size, 1 to 4 (default 2; with --view 1, since each set "
                     "there costs a whole evaluation of the side's view; --cut-order: the same, "
                     "its old name)")
          ->default_val(2)
          ->check(CLI::Range(1, 4));
  cmd.add_option("--cut-kinds", a.cut_kinds, "only nodes of these kinds in cut sets: firm,country");
  cmd.add_option("--cut-budget", a.cut_budget,
                 "evaluations the cut-set search may spend before it stops and says so")
      ->default_val(kDefaultCutWork)
      ->check(CLI::Range(std::size_t{1}, kMaxCutWork));
  cmd.add_option("--max-cut-sets", a.max_cut_sets, "cut sets per target before truncating")
      ->default_val(1000)
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  add_choice(cmd, "--cut-by", a.cut_by, {"node", "jurisdiction"},
             "node or jurisdiction (countries removed, a disruption; for which countries a "
             "control needs, see coalitions)");
}

AnalysisOptions analysis_options(const AnalyzeArgs& a, const Model& model) {
  AnalysisOptions options;
  // In a side's view every candidate set is a fresh evaluation of the scenario (denials decided
  // again), not an incremental one: pairs on the dataset took 35 s. Single choke points unless
  // the reader asks for more.
  options.cuts.order = a.view.empty() || a.cut_order_given->count() > 0 ? a.cut_order : 1;
  options.cuts.kinds = split(a.cut_kinds, ',');
  options.cuts.max_sets = a.max_cut_sets;
  options.cuts.by_jurisdiction = a.cut_by == "jurisdiction";
  options.cuts.max_work = a.cut_budget;
  if (!a.view.empty()) options.view = side_or_usage(model, a.view, "--view");
  if (a.sides.given()) {
    codes_or_usage(model, a.sides.a, "--between");
    codes_or_usage(model, a.sides.b, "--and");
    options.decouple = std::pair{a.sides.a, a.sides.b};
    // --items, --made-with, --fdpr and --de-minimis cover --embargo and --between/--and.
  }
  return options;
}

// The report set, with a focus diagram per target when the graph is too big to draw whole.
void write_analysis_set(const AnalyzeArgs& args, ReportContext context) {
  std::vector<ExtraFile> extra;
  if (context.by_stage())
    for (auto& d : target_diagrams(*context.analysis, *context.scores, args.diagram_nodes / 2)) {
      context.options.target_diagrams.push_back({d.target, d.file, d.note});
      extra.emplace_back(d.file, std::move(d.svg));
    }
  write_set(args.out, context, std::move(extra));
}

// Exit 4 when a node reached --fail-on's severity.
int fail_on(const std::string& level, const std::vector<rules::NodeScore>& scores) {
  if (level.empty()) return kExitOk;
  rules::Level threshold = *rules::parse_level(level);
  std::size_t reached = 0;
  for (const auto& s : scores) reached += s.severity >= threshold;
  if (reached == 0) return kExitOk;
  std::cerr << fmt::format("{} reached --fail-on {}\n", plural(reached, "node"), level);
  return kExitFailOn;
}

int analyze_command(const AnalyzeArgs& args) {
  auto l = load_or_fail(args.file);
  auto scenario = build_scenario(*l, args.scenario, args.sides.given());
  auto rule_set = load_rules_or_fail(*l, args.rule_files);
  AnalysisOptions options = analysis_options(args, *l->model);
  if (args.sides.given()) {
    control_template(*l, args.scenario);  // the terms checked, a mistake shown at its flag
    options.decouple_terms = control_terms(*l, args.scenario);
  }
  options.progress = terminal_progress();
  Analysis a = analyze(*l->model, scenario, options);
  clear_progress(options.progress);
  Progress progress = terminal_progress();
  auto bands = headline_uncertainty(*l->model, a.scenario, views_of(a), args.sampling.samples,
                                    args.sampling.seed, progress);
  clear_progress(progress);
  auto path = writes_prose(args.out, ReportKind::analyze)
                  ? headline_path(*l->model, a.scenario, views_of(a))
                  : std::nullopt;
  auto scores = rules::score_nodes(rule_set, a);
  if (auto note = cut_memory_note(a.cut_sets); !note.empty())
    std::cerr << "warning: " << note << '\n';
  if (cut_budget_ran_out(a.cut_sets))
    std::cerr << fmt::format(
        "warning: the cut-set search used up its budget of {} evaluations (an equal share per "
        "target); the reports mark the targets whose lists may be incomplete (raise "
        "--cut-budget)\n",
        args.cut_budget);
  ReportContext context;
  context.kind = ReportKind::analyze;
  context.model = &*l->model;
  context.analysis = &a;
  context.scores = &scores;
  context.diagram_nodes = args.diagram_nodes;
  context.options.rule_files = args.rule_files;
  context.options.inputs = inputs_of(*l, args.scenario.files, rules_used(args.rule_files));
  context.options.uncertainty = bands ? &*bands : nullptr;
  context.options.path = path ? &*path : nullptr;
  context.options.precision = args.precision;
  if (!args.out.out_dir.empty())
    write_analysis_set(args, context);
  else
    write_report(args.out, context);
  return fail_on(args.fail_on, scores);
}

}  // namespace

Run setup_analyze(CLI::App& cmd) {
  auto args = std::make_shared<AnalyzeArgs>();
  AnalyzeArgs& a = *args;
  add_graph_file(cmd, a.file);
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kStatic);
  add_cut_options(cmd, a);
  add_sides(cmd, a.sides, "also decouple this side (code or bloc) ...",
            "... from this one, as `decouple` does, and show what each can withhold from the "
            "other (leverage and exposure)",
            false);
  cmd.add_option("--view", a.view,
                 "judge in this side's view (code, bloc or entity): metrics, cut sets and "
                 "severity for its targets, at their values in its view");
  add_rules(cmd, a.rule_files);
  add_sampling(cmd, a.sampling, kReportSamples, kBandSamplesHelp);
  add_choice(cmd, "--fail-on", a.fail_on, level_names(),
             "exit 4 if any node reaches this severity");
  add_precision(cmd, a.precision);
  add_format(cmd, a.out, ReportKind::analyze);
  add_output(cmd, a.out, "write to this file (atomically) instead of stdout");
  add_out_dir(cmd, a.out, ReportKind::analyze);
  cmd.add_option("--max-nodes,--diagram-nodes", a.diagram_nodes,
                 "a graph of at most this many nodes is drawn whole in the report; a bigger one "
                 "as an A4 overview by stage (targets and critical nodes, the rest merged)")
      ->default_val(60)
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  return [args] { return analyze_command(*args); };
}

}  // namespace chokepoint::cli
