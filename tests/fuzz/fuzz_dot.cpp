// libFuzzer harness: a node name through DOT and back through Graphviz must keep its text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>

#include "exporters/graphviz.hpp"
#include "exporters/report/text.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/yaml_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chokepoint;
  std::string name(reinterpret_cast<const char*>(data), size);
  if (name.empty() || name.size() > 300 || yaml::find_invalid_utf8(name)) return 0;
  Model model;
  Node node;
  node.id = "n";
  node.name = name;
  node.kind = "firm";
  node.target = true;
  model.nodes.push_back(node);
  model.finish();
  Analysis a = analyze(model, std::nullopt, AnalysisOptions{});
  std::vector<rules::NodeScore> scores(1);
  DiagramView view{{0}, ""};
  std::string dot = to_dot(a, scores, view, DiagramOptions{});
  auto labels = parse_dot_labels(dot);
  std::string label;
  for (const auto& [id, text] : labels)
    if (id == "n") label = text;
  std::string expected = html_label_escape(shortened(name, 200));  // long names are shortened
  if (label.find(expected) == std::string::npos) std::abort();     // the name did not survive
  return 0;
}
