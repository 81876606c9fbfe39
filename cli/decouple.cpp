// chokepoint decouple: two sides embargo each other; what each keeps and must substitute.
#include "graph/analysis/decouple.hpp"

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "cli/scenario_flags.hpp"

namespace chokepoint::cli {

const char* const kDecoupleHelp =
    R"(Two blocs embargo each other: what each side keeps and what it must substitute.

Examples:
  chokepoint decouple data/ai-supply-chain.yaml --between us-allies --and CN
  chokepoint decouple data/ai-supply-chain.yaml --between us-allies --and china --fdpr --format json)";

namespace {

struct DecoupleArgs {
  std::string file;
  Sides sides;
  int order = 2;
  ScenarioFlags scenario;
  OutputFlags out;
};

int decouple_command(const CLI::App& cmd, const DecoupleArgs& args) {
  refuse_rules(cmd);
  auto l = load_or_fail(args.file);
  codes_or_usage(*l->model, args.sides.a, "--between");
  codes_or_usage(*l->model, args.sides.b, "--and");
  auto scenario = build_scenario(*l, args.scenario, true).value_or(Scenario{});
  DecoupleOptions options;
  options.terms = control_terms(*l, args.scenario);
  options.order = args.order;
  options.progress = terminal_progress();
  auto result = decouple(*l->model, scenario, args.sides.a, args.sides.b, options);
  ReportContext context;
  context.kind = ReportKind::decouple;
  context.model = &*l->model;
  context.decoupling = &result;
  context.base_scenario = &scenario;
  context.options.inputs = inputs_of(*l, args.scenario.files, {});
  write_report(args.out, context);
  return kExitOk;
}

}  // namespace

Run setup_decouple(CLI::App& cmd) {
  auto args = std::make_shared<DecoupleArgs>();
  DecoupleArgs& a = *args;
  add_graph_file(cmd, a.file);
  add_sides(cmd, a.sides, "one side: a code or bloc name", "the other side: a code or bloc name",
            true);
  cmd.add_option("--order,--cut-order", a.order,
                 "largest substitution set size, 1 to 4 (--cut-order: its old name)")
      ->default_val(2)
      ->check(CLI::Range(1, 4));
  // The scenario flags as in analyze; --fdpr covers both embargoes and any --control/--embargo.
  add_scenario_flags(cmd, a.scenario, ScenarioFlags::kStatic);
  add_format(cmd, a.out, ReportKind::decouple);
  add_output(cmd, a.out, "write to this file (atomically) instead of stdout");
  add_refused_rules(cmd);
  return [args, &cmd] { return decouple_command(cmd, *args); };
}

}  // namespace chokepoint::cli
