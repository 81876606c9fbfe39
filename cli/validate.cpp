// chokepoint validate: check graph files (and scenario files against them).
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/loading.hpp"
#include "cli/progress.hpp"
#include "graph/analysis/lint.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/scenario_builder.hpp"

namespace chokepoint::cli {

const char* const kValidateHelp =
    R"(Check graph files: every error with file:line:col, then a summary.

Examples:
  chokepoint validate data/ai-supply-chain.yaml
      ok: 234 nodes, 492 edges, 8 targets, 17 jurisdictions
  chokepoint validate a.yaml b.yaml      # each file on its own
  chokepoint validate -q data/ai-supply-chain.yaml && echo valid
  chokepoint validate data/ai-supply-chain.yaml -s data/scenarios/taiwan-disruption.yaml
      also checks the scenario against the graph (unknown ids, codes, blocs))";

namespace {

struct ValidateArgs {
  std::vector<std::string> files, scenarios;
  bool quiet = false, explain = false;
};

int validate(const ValidateArgs& args) {
  int status = kExitOk;
  for (const auto& path : args.files) {
    SourceFiles files;
    Diagnostics diags;
    auto model = load_graph(path, files, diags);
    if (model) {
      lint(*model, diags, args.explain);
      for (const auto& s : args.scenarios)
        if (auto scenario = load_scenario(s, *model, files, diags))
          lint_scenario(*model, *scenario, diags);
    }
    diags.print(std::cerr, files);
    if (model)
      tell(fmt::format("read {}: {} nodes, {} edges ({:.2f} s)", path, model->nodes.size(),
                       model->edge_count, seconds_since_start()));
    if (!model || diags.error_count() > 0) {
      status = kExitInvalidInput;
      continue;
    }
    if (args.quiet) continue;
    std::string prefix = args.files.size() > 1 ? path + ": " : "";
    std::cout << fmt::format("{}ok: {}, {}, {}, {}\n", prefix, plural(model->nodes.size(), "node"),
                             plural(model->edge_count, "edge"),
                             plural(model->targets.size(), "target"),
                             plural(model->located_jurisdiction_count(), "jurisdiction"));
  }
  return status;
}

}  // namespace

Run setup_validate(CLI::App& cmd) {
  auto args = std::make_shared<ValidateArgs>();
  cmd.add_option("FILE", args->files, "graph files to check")->required();
  cmd.add_flag("-q,--quiet", args->quiet, "print only diagnostics, no summary line");
  cmd.add_flag("--explain", args->explain,
               "also print notes on how valid but subtle parts of the graph are read");
  cmd.add_option("-s,--scenario", args->scenarios, "scenario files to check against the graph");
  return [args] { return validate(*args); };
}

}  // namespace chokepoint::cli
