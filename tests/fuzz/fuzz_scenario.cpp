// libFuzzer harness: scenario files against a fixed graph, then the analysis with views.
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/analysis/analysis.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/scenario_builder.hpp"

namespace {
const char* kGraph = R"(
blocs: {west: [US, NL, JP], east: [CN]}
nodes:
  - {id: asml, kind: firm, jurisdiction: NL}
  - {id: jp, kind: firm, jurisdiction: JP}
  - {id: cn, kind: firm, jurisdiction: CN}
  - {id: tools, kind: equipment, suppliers: [{id: asml, share: 0.6}, jp, fab]}
  - {id: fab, kind: foundry, jurisdiction: TW, inputs: [tools, {any: [cn, jp], min_share: 0.3}]}
  - {id: ai, kind: capability, jurisdiction: CN, target: true, inputs: [fab]}
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chokepoint;
  static SourceFiles graph_files;
  static Diagnostics graph_diags;
  static Model model = *load_graph_text("graph.yaml", kGraph, graph_files, graph_diags);
  SourceFiles files;
  Diagnostics diags;
  auto scenario = load_scenario_text(
      "fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size), model, files, diags);
  if (!scenario) return 0;
  AnalysisOptions options;
  analyze(model, scenario, options);
  return 0;
}
