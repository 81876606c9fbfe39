// libFuzzer harness: the expression language as scenarios and rules use it. The input is one
// expression; it is compiled and evaluated as a control's `items` and `made_with` (through the
// scenario builder, as the command-line flags are, with its diagnostics printed) and as a rule's
// `when` over every node of a small analysis. Seeds: tests/fuzz/expressions.txt; dictionary:
// tests/fuzz/expression.dict.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "graph/analysis/analysis.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/scenario_builder.hpp"
#include "rules/rule_set.hpp"

namespace {
const char* kGraph = R"(
blocs: {west: [US, NL, JP], east: [CN]}
nodes:
  - {id: asml, name: ASML, kind: firm, jurisdiction: NL, attrs: {x: 1, s: text, b: true}, tags: [a, b]}
  - {id: jp, kind: firm, jurisdiction: JP, attrs: {x: 2.5}}
  - {id: cn, kind: firm, jurisdiction: CN}
  - {id: tools, kind: equipment, suppliers: [{id: asml, share: 0.6}, jp, fab], substitution_years: 3}
  - {id: fab, kind: foundry, jurisdiction: TW, inputs: [tools, {any: [cn, jp], min_share: 0.3}]}
  - {id: ai, kind: capability, jurisdiction: CN, target: true, inputs: [fab]}
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chokepoint;
  static SourceFiles graph_files;
  static Diagnostics graph_diags;
  static Model model = *load_graph_text("graph.yaml", kGraph, graph_files, graph_diags);
  static Analysis analysis = analyze(model, std::nullopt, AnalysisOptions{});
  std::string text(reinterpret_cast<const char*>(data), size);

  // As a control's items and made_with, from the command line.
  SourceFiles files;
  Diagnostics diags;
  std::uint32_t file = files.add("--items", text);
  ScenarioBuilder builder(model, diags);
  ControlSpec spec;
  spec.by = {Written{"west", SourceLocation{}}};
  spec.against = {Written{"CN", SourceLocation{}}};
  spec.items = Written{text, SourceLocation{file, 1, 1}};
  spec.made_with = Written{text, SourceLocation{file, 1, 1}};
  spec.fields.fdpr = true;
  builder.control(spec);
  if (auto scenario = builder.finish()) analyze(model, scenario, AnalysisOptions{});
  std::ostringstream printed;
  diags.print(printed, files);

  // As a rule's `when`, over every node with every metric.
  std::vector<rules::ExpressionError> errors;
  if (auto e = rules::Expression::compile(text, rules::kBool, errors)) {
    rules::RuleSet set;
    rules::Rule rule;
    rule.id = "fuzz";
    rule.when = std::move(*e);
    rules::MessagePart name;
    name.placeholder = true;
    rule.message.push_back(name);
    set.rules.push_back(std::move(rule));
    rules::score_nodes(set, analysis);
  }
  // And as any value.
  errors.clear();
  rules::Expression::compile(text, rules::kAny, errors);
  return 0;
}
