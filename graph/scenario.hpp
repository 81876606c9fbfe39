// Scenarios (SPEC §3): removals, capacity factors and export controls, read from YAML or given
// as command-line flags; both go through one ScenarioBuilder that resolves and checks them
// against a Model.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/diagnostics.hpp"
#include "graph/model.hpp"

namespace chokepoint {

// An export control, resolved. `items` and `made_with` are decided per node when the scenario
// loads (they test node fields only), so an empty vector means "every node".
struct Control {
  std::string id;                          // as written, else "control N" / "embargo N"
  bool id_written = false;                 // false: the numbered default
  std::vector<std::string> by_names;       // as written: codes or bloc names
  std::vector<JurisdictionIndex> by;       // resolved codes, sorted
  std::vector<std::string> against_names;  // as written: codes, blocs or node ids (entities)
  std::vector<JurisdictionIndex> against;  // codes of the code and bloc entries, sorted
  std::vector<NodeIndex> entities;         // node entries, sorted
  std::string items_text;                  // empty: every item
  std::string made_with_text;              // empty: every node located in `by`
  std::vector<char> items;                 // per node, or empty for every node
  std::vector<char> made_with;             // per node, or empty for every node
  bool fdpr = false;
  double de_minimis = 0.0;
  std::vector<std::string> sources;

  bool item(NodeIndex n) const { return items.empty() || items[n]; }
  bool made_with_node(NodeIndex n) const { return made_with.empty() || made_with[n]; }
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<NodeIndex> remove;                        // sorted, unique
  std::vector<JurisdictionIndex> remove_jurisdictions;  // sorted, unique
  std::vector<std::pair<NodeIndex, double>> capacity;   // factors, sorted by node
  std::vector<Control> controls;                        // in the order written
  std::optional<double> duration_months;                // none: for ever

  bool empty() const {
    return remove.empty() && remove_jurisdictions.empty() && capacity.empty() && controls.empty();
  }
};

// A name as written and where (for a flag, a position inside a file that holds its value).
struct Written {
  std::string text;
  SourceLocation where;
};

// A control as written, before it is resolved.
struct ControlSpec {
  std::optional<Written> id;
  SourceLocation where;
  std::vector<Written> by, against;
  std::optional<Written> items, made_with;  // `where` is the expression's first character
  bool fdpr = false;
  double de_minimis = 0.0;
  bool embargo = false;  // written as an embargo (every item)
  std::vector<std::string> sources;
};

// Resolves and checks the pieces of a scenario; every problem goes to `diags` with its position.
// The YAML reader and the command line both build through it, so they accept the same things.
class ScenarioBuilder {
 public:
  ScenarioBuilder(const Model& model, Diagnostics& diags);

  void remove(const Written& id);
  void remove_jurisdiction(const Written& code_or_bloc);
  void capacity(const Written& id, double factor);
  void control(const ControlSpec& spec);
  // The control resolved and checked, without adding it (a template whose `by` is filled in
  // later leaves spec.by empty); nullopt after reporting errors.
  std::optional<Control> resolve(const ControlSpec& spec);
  Scenario& scenario() { return scenario_; }
  // The scenario, normalised, or nullopt if any error was reported since construction.
  std::optional<Scenario> finish();

 private:
  std::optional<NodeIndex> node(const Written& id);
  std::optional<std::vector<JurisdictionIndex>> codes(const Written& name);
  std::optional<std::vector<char>> matches(const Written& expression);

  const Model& model_;
  Diagnostics& diags_;
  std::size_t errors_before_;
  Scenario scenario_;
};

// Adds `more` to `into`, as if both happened: removals and controls join, capacity factors of
// the same node multiply, names join with " + ", and `more`'s duration (if any) replaces
// `into`'s. Returns the id of a control both define (an error for the caller), if any.
std::optional<std::string> merge_scenario(Scenario& into, Scenario more);

// Reads a scenario file (`scenario:` at the top). Problems go to `diags`; nullopt on error.
std::optional<Scenario> load_scenario(const std::string& path, const Model& model,
                                      SourceFiles& files, Diagnostics& diags);
std::optional<Scenario> load_scenario_text(const std::string& path, std::string text,
                                           const Model& model, SourceFiles& files,
                                           Diagnostics& diags);

// Resolves one code or bloc name; a valid ISO code that no node uses resolves to no codes.
std::optional<std::vector<JurisdictionIndex>> resolve_scenario_codes(const Model& model,
                                                                     std::string_view name);

void normalise(Scenario& scenario);

}  // namespace chokepoint
