// Where a report's inputs came from: each file read (graph, scenario, rules) with its SHA-256,
// so a published table can be traced to the exact files behind it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/support/diagnostics.hpp"

namespace chokepoint {

struct InputFile {
  std::string role;  // "graph", "scenario" or "rules"
  std::string path;
  std::string sha256;  // lower-case hex
};

// SHA-256 of `bytes`, lower-case hex (OpenSSL).
std::string sha256_hex(std::string_view bytes);

// The files among `files` (the texts a run read) whose paths are listed, in the order graph,
// scenario, rules, each file once; paths not read (flags, standard input) are left out.
std::vector<InputFile> input_files(const SourceFiles& files,
                                   const std::vector<std::string>& graph_paths,
                                   const std::vector<std::string>& scenario_paths,
                                   const std::vector<std::string>& rules_paths);

}  // namespace chokepoint
