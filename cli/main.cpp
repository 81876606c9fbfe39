// The chokepoint executable: option parsing and wiring only; the work is in the core library.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "graph/diagnostics.hpp"
#include "graph/errors.hpp"
#include "graph/loader.hpp"
#include "graph/scenario.hpp"

namespace chokepoint {
namespace {

// Exit codes of SPEC §6.
constexpr int kExitOk = 0;
constexpr int kExitInvalidInput = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIo = 3;

const char* kMainHelp = R"(chokepoint analyses supply-chain dependency graphs written in YAML.

Examples:
  chokepoint validate data/ai-supply-chain.yaml
  chokepoint validate --help

Exit codes: 0 success, 1 invalid input, 2 bad usage, 3 I/O or internal error,
4 a --fail-on threshold was reached.)";

const char* kValidateHelp = R"(Check graph files: every error with file:line:col, then a summary.

Examples:
  chokepoint validate data/ai-supply-chain.yaml
      ok: 171 nodes, 402 edges, 8 targets, 14 jurisdictions
  chokepoint validate a.yaml b.yaml      # each file on its own
  chokepoint validate -q data/ai-supply-chain.yaml && echo valid
  chokepoint validate data/ai-supply-chain.yaml -s data/scenarios/taiwan-disruption.yaml
      also checks the scenario against the graph (unknown ids, codes, blocs))";

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

int run_validate(const std::vector<std::string>& paths, const std::vector<std::string>& scenarios,
                 bool quiet) {
  int status = kExitOk;
  for (const auto& path : paths) {
    SourceFiles files;
    Diagnostics diags;
    auto model = load_graph(path, files, diags);
    if (model)
      for (const auto& s : scenarios) load_scenario(s, *model, files, diags);
    diags.print(std::cerr, files);
    if (!model || diags.error_count() > 0) {
      status = kExitInvalidInput;
      continue;
    }
    if (quiet) continue;
    std::string prefix = paths.size() > 1 ? path + ": " : "";
    std::cout << fmt::format("{}ok: {}, {}, {}, {}\n", prefix, plural(model->nodes.size(), "node"),
                             plural(model->edge_count, "edge"), plural(model->targets.size(), "target"),
                             plural(model->located_jurisdiction_count(), "jurisdiction"));
  }
  return status;
}

int run(int argc, char** argv) {
  CLI::App app{kMainHelp, "chokepoint"};
  app.set_version_flag("--version", std::string("chokepoint ") + CHOKEPOINT_VERSION);
  app.require_subcommand(1);

  auto* validate = app.add_subcommand("validate", kValidateHelp);
  std::vector<std::string> validate_files;
  bool quiet = false;
  validate->add_option("FILE", validate_files, "graph files to check")->required();
  std::vector<std::string> validate_scenarios;
  validate->add_flag("-q,--quiet", quiet, "print only diagnostics, no summary line");
  validate->add_option("-s,--scenario", validate_scenarios, "scenario files to check against the graph");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (validate->parsed()) return run_validate(validate_files, validate_scenarios, quiet);
  return kExitUsage;
}

}  // namespace
}  // namespace chokepoint

int main(int argc, char** argv) {
  try {
    return chokepoint::run(argc, argv);
  } catch (const chokepoint::InputError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return chokepoint::kExitInvalidInput;
  } catch (const chokepoint::UsageError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return chokepoint::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return chokepoint::kExitIo;
  }
}
