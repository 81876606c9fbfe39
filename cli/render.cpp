// chokepoint render: a diagram of the graph or a part of it, drawn in-process with Graphviz.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/scenario_flags.hpp"
#include "exporters/graphviz.hpp"
#include "graph/analysis/analysis.hpp"

namespace chokepoint::cli {

const char* const kRenderHelp = R"(Draw the graph (or a part of it) with Graphviz, in-process.

The output format follows the extension of -o (see --format); .graphml and .gexf are for
Gephi. Nodes are coloured by severity (rules/default.yaml unless --rules), shaped by kind and
grouped by jurisdiction; supplier edges are labelled with shares.

Examples:
  chokepoint render data/ai-supply-chain.yaml -o graph.svg
  chokepoint render data/ai-supply-chain.yaml -o euv.pdf --focus euv-scanner --depth 2
  chokepoint render data/ai-supply-chain.yaml -o critical.png --min-severity critical --cluster kind
  chokepoint render data/ai-supply-chain.yaml -o tw.svg -s data/scenarios/taiwan-disruption.yaml

No render takes more than about 30 s: dot lays out views up to 4,000 nodes and edges, sfdp
bigger ones (up to 45,000); a view above that, or above --max-nodes (default 2000) nodes, is
drawn as the overview by stage. A note on stderr says when that happens; --focus and
--min-severity narrow the view.)";

namespace {

struct RenderArgs {
  std::string file;
  OutputFlags out;
  std::vector<std::string> focus;
  std::string title;
  int depth = -1;
  std::string cluster = "jurisdiction", min_severity, layout = "auto";
  ScenarioFlags scenario;
  std::vector<std::string> rule_files;
  std::size_t max_nodes = 2000;
  std::string view;
};

DiagramOptions diagram_options(const RenderArgs& args) {
  DiagramOptions d;
  d.focus = args.focus;
  d.depth = args.depth;
  d.title = args.title;
  d.cluster = args.cluster == "kind"   ? ClusterBy::kind
              : args.cluster == "none" ? ClusterBy::none
                                       : ClusterBy::jurisdiction;
  if (!args.min_severity.empty()) d.min_severity = rules::parse_level(args.min_severity);
  d.max_nodes = args.max_nodes;
  d.layout = args.layout;
  return d;
}

int render(const RenderArgs& args) {
  auto l = load_or_fail(args.file);
  auto scenario = build_scenario(*l, args.scenario);
  auto rule_set = load_rules_or_fail(*l, args.rule_files);
  AnalysisOptions options;
  options.with_cut_sets = false;
  if (!args.view.empty()) options.view = side_or_usage(*l->model, args.view, "--view");
  Analysis a = analyze(*l->model, scenario, options);
  auto scores = rules::score_nodes(rule_set, a);
  DiagramOptions d = diagram_options(args);
  const Format& format = pick_format(args.out, ReportKind::render);
  DiagramView view = select_view(a, scores, d);
  ReportContext context;
  context.kind = ReportKind::render;
  context.model = &*l->model;
  context.analysis = &a;
  context.scores = &scores;
  context.render_view = &view;
  context.render_options = &d;
  emit(args.out.output, [&](std::ostream& out) { format.write(out, context); });
  if (!context.note.empty()) std::cerr << "note: " << context.note << '\n';
  return kExitOk;
}

void add_view_options(CLI::App& cmd, RenderArgs& a) {
  cmd.add_option("--focus", a.focus,
                 "only these nodes and what they depend on (comma-separated or repeated)")
      ->delimiter(',');
  cmd.add_option("--title", a.title,
                 "the diagram's title (default: the graph's title and the scenario)");
  cmd.add_option("--depth", a.depth, "levels upstream of --focus (default: all)")
      ->check(CLI::Range(0, 1'000'000));
  add_choice(cmd, "--cluster", a.cluster, {"jurisdiction", "kind", "none"},
             "jurisdiction, kind or none");
  cmd.add_option("--view", a.view,
                 "draw this side's view (code, bloc or entity): values and severity as it "
                 "sees them under the scenario");
}

}  // namespace

Run setup_render(CLI::App& cmd) {
  auto args = std::make_shared<RenderArgs>();
  RenderArgs& a = *args;
  add_graph_file(cmd, a.file);
  add_output(cmd, a.out,
             extension_names(ReportKind::render) + " (the format follows it); - for stdout")
      ->required();
  add_format(cmd, a.out, ReportKind::render);
  add_view_options(cmd, a);
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kStatic);
  add_rules(cmd, a.rule_files);
  add_choice(cmd, "--min-severity", a.min_severity, level_names(),
             "hide nodes below this severity");
  cmd.add_option("--max-nodes", a.max_nodes,
                 "a view of at most this many nodes is drawn whole; a bigger one as the "
                 "overview by stage (targets and critical nodes, the rest merged)")
      ->default_val(2000)
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  add_choice(cmd, "--layout", a.layout, {"auto", "dot", "sfdp"},
             "auto (dot for small views, sfdp for big ones), dot or sfdp; dot above about "
             "4,000 nodes and edges becomes sfdp, as it would take minutes");
  return [args] { return render(*args); };
}

}  // namespace chokepoint::cli
