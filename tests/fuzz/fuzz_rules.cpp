// libFuzzer harness: rule files and the expression language, evaluated over a small analysis.
#include <cstddef>
#include <cstdint>
#include <string>

#include "graph/analysis/analysis.hpp"
#include "graph/input/loader.hpp"
#include "rules/rule_set.hpp"

namespace {
const char* kGraph = R"(
nodes:
  - {id: asml, kind: firm, jurisdiction: NL, attrs: {x: 1, s: text, b: true}, tags: [a, b]}
  - {id: euv, kind: lithography, suppliers: [asml], substitution_years: 12}
  - {id: gpu, kind: chip, target: true, inputs: [euv]}
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chokepoint;
  static SourceFiles graph_files;
  static Diagnostics graph_diags;
  static Model model = *load_graph_text("graph.yaml", kGraph, graph_files, graph_diags);
  static Analysis analysis = analyze(model, std::nullopt, AnalysisOptions{});
  std::string text(reinterpret_cast<const char*>(data), size);
  // The same bytes as a bare expression, then as a rule file.
  std::vector<rules::ExpressionError> errors;
  rules::Expression::compile(text, rules::kAny, errors);
  SourceFiles files;
  Diagnostics diags;
  auto set = rules::load_rules_text("fuzz.yaml", text, files, diags);
  if (set) rules::score_nodes(*set, analysis);
  return 0;
}
