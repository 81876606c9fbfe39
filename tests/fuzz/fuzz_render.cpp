// libFuzzer harness: a node name rendered to SVG by Graphviz must reach the drawing's text as
// written (Graphviz reads \N, \G, \E, \L and entities in labels and tooltips).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <regex>
#include <string>

#include "exporters/graphviz.hpp"
#include "exporters/report/text.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/yaml_tree.hpp"
#include "graph/support/utf8.hpp"

namespace {

// The text of the SVG's <text> elements and link titles, entities decoded, white space runs
// collapsed (Graphviz writes runs of spaces as no-break spaces and trims the ends).
std::string svg_text(const std::string& svg) {
  std::string out;
  static const std::regex item("<text[^>]*>([^<]*)</text>|xlink:title=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), item); it != std::sregex_iterator();
       ++it)
    out += (*it)[1].str() + (*it)[2].str() + "\n";
  std::string decoded;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] != '&') {
      decoded += out[i];
      continue;
    }
    auto semi = out.find(';', i);
    std::string entity = out.substr(i, semi - i + 1);
    if (entity == "&lt;")
      decoded += '<';
    else if (entity == "&gt;")
      decoded += '>';
    else if (entity == "&amp;")
      decoded += '&';
    else if (entity == "&quot;")
      decoded += '"';
    else if (entity == "&#39;")
      decoded += '\'';
    else if (entity == "&#160;")
      decoded += ' ';
    else if (entity == "&#45;")
      decoded += '-';
    else
      decoded += entity;
    i = semi;
  }
  return decoded;
}

std::string collapse(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chokepoint;
  std::string name(reinterpret_cast<const char*>(data), size);
  if (name.empty() || name.size() > 150 || yaml::find_invalid_utf8(name)) return 0;
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return 0;  // dropped by design
  if (name.find("\xEF\xBF\xBE") != std::string::npos ||
      name.find("\xEF\xBF\xBF") != std::string::npos)
    return 0;
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
  std::string text = collapse(svg_text(render_diagram(a, scores, view, DiagramOptions{}, "svg")));
  // Diagrams drop U+FEFF and bidirectional controls (a mark like U+061C reorders the text around
  // it) and show noncharacters as U+FFFD, by design; everything else must survive.
  std::string shown;
  for (std::size_t i = 0, len = 0; i < name.size(); i += len) {
    char32_t c = utf8::decode(name, i, len);
    if (c == 0xFEFF || utf8::bidi_control(c)) continue;
    shown += utf8::noncharacter(c) ? std::string("\xEF\xBF\xBD") : name.substr(i, len);
  }
  std::string expected = collapse(shown);
  // Once as the label, once as the tooltip.
  auto first = text.find(expected);
  if (expected.empty()) return 0;
  if (first == std::string::npos || text.find(expected, first + 1) == std::string::npos)
    std::abort();  // the name did not survive
  return 0;
}
