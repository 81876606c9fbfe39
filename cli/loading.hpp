// Loading what a command reads — the graph, the rule files, scenario files — with diagnostics
// printed where they were found; and the small answers every command gives in the same words.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/analysis/views.hpp"
#include "graph/input/provenance.hpp"
#include "graph/model/model.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/diagnostics.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint::cli {

// A graph with the source files it was read from (flags' values join them as "files", so that a
// mistake in one is shown like a mistake in a file).
struct Loaded {
  SourceFiles files;
  Diagnostics diags;
  std::optional<Model> model;
};

// A loaded graph is kept until the process ends: freeing a large model node by node takes a
// tenth of a second per 100,000 nodes and gives nothing back that the exit would not. It stays
// reachable (no leak to report).
struct KeepUntilExit {
  void operator()(Loaded* l) const;
};
using LoadedPtr = std::unique_ptr<Loaded, KeepUntilExit>;

// Loads the graph or prints its diagnostics and throws: IoError when it cannot be read,
// InputError when it has mistakes.
LoadedPtr load_or_fail(const std::string& path);

// The rule files given, or the shipped default; diagnostics printed, InputError on a bad file.
rules::RuleSet load_rules_or_fail(Loaded& l, std::vector<std::string> paths);
// The rule files a run uses: those given, or the shipped default.
std::vector<std::string> rules_used(const std::vector<std::string>& rule_files);

// A scenario file checked against the graph; diagnostics printed, InputError when wrong.
Scenario load_scenario_or_fail(Loaded& l, const std::string& path);

// Every file the run read, with its checksum, for the reports' provenance. `rules` are the rule
// files the run used (none for commands without rules).
std::vector<InputFile> inputs_of(const Loaded& l, const std::vector<std::string>& scenarios,
                                 std::vector<std::string> rules);

// The codes of a jurisdiction or bloc named in `flag`; UsageError with a suggestion if unknown.
// The side a --view names (a code, a bloc or an entity's node id), or a usage error.
Perspective side_or_usage(const Model& model, const std::string& name, std::string_view flag);
std::vector<JurisdictionIndex> codes_or_usage(const Model& model, const std::string& name,
                                              std::string_view flag);

// "3 nodes", "1 node".
std::string plural(std::size_t n, std::string_view word);
// The non-empty pieces of `s` between `sep`s.
std::vector<std::string> split(const std::string& s, char sep);

}  // namespace chokepoint::cli
