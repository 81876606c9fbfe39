// libFuzzer harness: the graph loader, and the analyses on whatever small graph it accepts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/analysis/analysis.hpp"
#include "graph/input/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chokepoint;
  SourceFiles files;
  Diagnostics diags;
  LoadOptions options;
  options.limits.max_bytes = 1 << 20;
  options.limits.max_expanded_nodes = 200'000;
  auto model = load_graph_text("fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size),
                               files, diags, options);
  if (!model || model->nodes.size() > 48) return 0;
  AnalysisOptions analysis;
  analysis.cuts.order = 2;
  Analysis a = analyze(*model, std::nullopt, analysis);
  rank_removals(*model, CapacityInputs(model->nodes.size()), a.world, 2);
  return 0;
}
