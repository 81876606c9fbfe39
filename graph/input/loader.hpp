// Reads a graph file (and its includes) into a Model, enforcing every rule of docs/format.md.
#pragma once

#include <optional>
#include <string>

#include "graph/input/yaml_tree.hpp"
#include "graph/model/model.hpp"
#include "graph/support/diagnostics.hpp"

namespace chokepoint {

struct LoadOptions {
  yaml::Limits limits;  // its `threads` also sets how many threads read the nodes
  // A file with at least this many nodes has them read on several threads (each thread's
  // messages merged in node order; any error and they are read again one by one).
  std::size_t parallel_min_nodes = 4096;
  // A file on disk of at least this size has its text freed once parsed (its SHA-256 kept for
  // the reports); a message quoting one of its lines reads it again. A million-node file is
  // 187 MB of text that would otherwise stay in memory for the whole run.
  std::size_t release_text_min_bytes = std::size_t{4} << 20;  // 4 MiB
};

// Loads `path`. Every problem found is added to `diags` (all of them, not only the first);
// returns nullopt when there was at least one error.
std::optional<Model> load_graph(const std::string& path, SourceFiles& files, Diagnostics& diags,
                                const LoadOptions& options = {});

// Loads a graph from text, as if read from a file called `path` (tests, tools).
std::optional<Model> load_graph_text(const std::string& path, std::string text, SourceFiles& files,
                                     Diagnostics& diags, const LoadOptions& options = {});

// Loads a graph from a tree a reader built itself (yaml::DocumentBuilder: the import's tables), as
// if read from a file called `path`; the tree's file must be registered in `files`.
std::optional<Model> load_graph_document(const std::string& path, yaml::Document document,
                                         SourceFiles& files, Diagnostics& diags,
                                         const LoadOptions& options = {});

// Scalar helpers shared with the scenario and rule readers. Each reports to `diags` and returns
// nullopt on a value of the wrong type; `what` names the key for the message.
namespace yaml_values {
std::optional<double> number(yaml::NodeRef node, std::string_view what, Diagnostics& diags);
// A number in [0,1] or a percentage string such as "40%".
std::optional<double> fraction(yaml::NodeRef node, std::string_view what, Diagnostics& diags);
// A number that may be given as a range: `[low, high]` (point value: the midpoint),
// `{low, high, best}` (point value: best) or, for fractions, "40-60%". `range` is set for a
// range only. Errors: low above high, best outside [low, high], a bound out of limits.
struct RangedValue {
  double point = 0;
  std::optional<Range> range;
};
enum class Bounds { fraction, non_negative, at_least_one };
std::optional<RangedValue> ranged(yaml::NodeRef node, std::string_view what, Bounds bounds,
                                  Diagnostics& diags);
std::optional<bool> boolean(yaml::NodeRef node, std::string_view what, Diagnostics& diags);
std::optional<std::string> string(yaml::NodeRef node, std::string_view what, Diagnostics& diags);
// Reports every key of `map` not in `allowed`, with a suggestion; `where_name` is a phrase such
// as "in node 'a'" or "at the top level".
void check_keys(yaml::NodeRef map, const std::vector<std::string_view>& allowed,
                std::string_view where_name, Diagnostics& diags);
bool expect_map(yaml::NodeRef node, std::string_view what, Diagnostics& diags);
bool expect_list(yaml::NodeRef node, std::string_view what, Diagnostics& diags);
}  // namespace yaml_values

}  // namespace chokepoint
