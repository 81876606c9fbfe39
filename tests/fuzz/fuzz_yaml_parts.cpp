// libFuzzer harness: a file parsed in parts on several threads must give the tree, positions and
// diagnostics of the same file parsed whole (graph/yaml_tree.cpp), and its nodes read on several
// threads the model and messages of one thread (graph/loader.cpp), whatever the file holds.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "graph/input/loader.hpp"
#include "graph/input/yaml_tree.hpp"
#include "tests/yaml_compare.hpp"

namespace {

struct Parsed {
  std::optional<chokepoint::yaml::Document> doc;
  std::string diagnostics;
};

Parsed parse(const std::string& text, unsigned threads) {
  using namespace chokepoint;
  SourceFiles files;
  Diagnostics diags;
  yaml::Limits limits;
  limits.max_expanded_nodes = 20'000;
  limits.parts_min_bytes = 0;
  limits.threads = threads;
  Parsed p;
  p.doc = yaml::parse(files.add("f.yaml", text), files, diags, limits);
  std::ostringstream out;
  diags.print(out, files);
  p.diagnostics = out.str();
  return p;
}

// The model (or "no model") and the messages of loading `text` with nodes read on `threads`.
std::string load(const std::string& text, unsigned threads) {
  using namespace chokepoint;
  SourceFiles files;
  Diagnostics diags;
  LoadOptions options;
  options.limits.max_expanded_nodes = 20'000;
  options.limits.parts_min_bytes = 0;
  options.limits.threads = threads;
  options.parallel_min_nodes = 0;
  auto model = load_graph_text("f.yaml", text, files, diags, options);
  std::ostringstream out;
  diags.print(out, files);
  return out.str() + (model ? testing::model_dump(*model) : "no model");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Parsed whole = parse(text, 1);
  Parsed parts = parse(text, 2 + static_cast<unsigned>(size % 3));
  std::string difference;
  if (whole.diagnostics != parts.diagnostics)
    difference = "diagnostics differ:\n" + whole.diagnostics + "---\n" + parts.diagnostics;
  else if (whole.doc.has_value() != parts.doc.has_value())
    difference = "one parse failed";
  else if (whole.doc)
    difference = chokepoint::testing::tree_difference(whole.doc->root(), parts.doc->root());
  if (difference.empty() && load(text, 1) != load(text, 2 + static_cast<unsigned>(size % 2)))
    difference = "the models or the loader's messages differ";
  if (!difference.empty()) {
    std::fprintf(stderr, "parsed in parts, the file differs from the whole: %s\n",
                 difference.c_str());
    std::abort();
  }
  return 0;
}
