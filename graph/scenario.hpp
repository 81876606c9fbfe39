// Scenarios (SPEC §3): removals, capacity factors and embargoes, read from YAML or built from
// command-line flags, and resolved against a Model.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/diagnostics.hpp"
#include "graph/model.hpp"

namespace chokepoint {

struct Embargo {
  std::vector<std::string> by_names;       // as written: codes or bloc names
  std::vector<std::string> against_names;  // as written; each is a perspective of the report
  std::vector<JurisdictionIndex> by;       // resolved codes, sorted
  std::vector<JurisdictionIndex> against;  // resolved codes, sorted
  bool fdpr = false;
  double de_minimis = 0.0;
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<NodeIndex> remove;                        // sorted, unique
  std::vector<JurisdictionIndex> remove_jurisdictions;  // sorted, unique
  std::vector<std::pair<NodeIndex, double>> capacity;   // factors, sorted by node
  std::vector<Embargo> embargoes;

  bool empty() const {
    return remove.empty() && remove_jurisdictions.empty() && capacity.empty() && embargoes.empty();
  }
};

// Reads a scenario file (`scenario:` at the top). Problems go to `diags`; nullopt on error.
std::optional<Scenario> load_scenario(const std::string& path, const Model& model,
                                      SourceFiles& files, Diagnostics& diags);
std::optional<Scenario> load_scenario_text(const std::string& path, std::string text,
                                           const Model& model, SourceFiles& files,
                                           Diagnostics& diags);

// Resolves one code or bloc name for a scenario built from flags; nullopt if unknown.
std::optional<std::vector<JurisdictionIndex>> resolve_scenario_codes(const Model& model,
                                                                     std::string_view name);

void normalise(Scenario& scenario);

}  // namespace chokepoint
