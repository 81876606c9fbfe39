// Scenarios as types: removals, capacity factors and export controls, resolved against a Model
// (graph/input/scenario_builder.hpp builds them from files and flags).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/model/model.hpp"
#include "graph/support/diagnostics.hpp"

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
  SourceLocation fdpr_where;  // the `fdpr` key (or flag), for messages
  double de_minimis = 0.0;
  std::optional<Range> de_minimis_range;  // when given as a range (de_minimis is its point)
  std::vector<std::string> sources;
  // `lifted: YYYY-MM-DD`: the date the rule was lifted in reality, after the date the scenario
  // describes (it still applies here; reports say so wherever they name it). Empty: never.
  std::string lifted;

  bool item(NodeIndex n) const { return items.empty() || items[n]; }
  bool made_with_node(NodeIndex n) const { return made_with.empty() || made_with[n]; }
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<NodeIndex> remove;                             // sorted, unique
  std::vector<JurisdictionIndex> remove_jurisdictions;       // sorted, unique
  std::vector<std::pair<NodeIndex, double>> capacity;        // factors, sorted by node
  std::vector<std::pair<NodeIndex, Range>> capacity_ranges;  // factors given as ranges
  std::vector<Control> controls;                             // in the order written
  std::optional<double> duration_months;                     // none: for ever

  bool empty() const {
    return remove.empty() && remove_jurisdictions.empty() && capacity.empty() && controls.empty();
  }
};

// One part of a layered scenario: a `--baseline` file (never ends), a `-s` file or the
// command-line flags (each applies while month t < its own duration_months; none: for ever).
struct ScenarioPart {
  Scenario scenario;
  bool baseline = false;

  // The month the part stops applying, or none.
  std::optional<double> ends() const { return baseline ? std::nullopt : scenario.duration_months; }
  bool in_force(double month) const { return !ends() || month < *ends(); }
};

// A scenario in parts (docs/timeline.md): what a timeline follows month by month, and the
// baseline that compare's scenarios start from. Parts keep the order they were given in.
struct ScenarioParts {
  std::vector<ScenarioPart> parts;

  // Adds a part; returns the id of a control an earlier part defines too (an error for the
  // caller), if any.
  std::optional<std::string> add(Scenario scenario, bool baseline);
  // `--for N`: every part that is neither a baseline nor has a duration of its own lasts N.
  void set_default_duration(double months);
  // The parts in force at month t, merged (the result has no duration).
  Scenario at(double month) const;
  // Every part merged, as if all were in force (the result has no duration).
  Scenario all() const;
  // The baseline parts merged.
  Scenario baseline() const;
  bool empty() const { return parts.empty(); }
};

// Adds `more` to `into`, as if both happened: removals and controls join, capacity factors of
// the same node multiply, names join with " + ", and `more`'s duration (if any) replaces
// `into`'s. Returns the id of a control both define (an error for the caller), if any.
std::optional<std::string> merge_scenario(Scenario& into, Scenario more);

// The scenario read as of `date` (YYYY-MM-DD): drops every control `lifted` on or before it, and
// says so in the name (" (as of DATE)") and, for what it dropped, the description. Returns the
// controls dropped, in the order written.
std::vector<Control> as_of(Scenario& scenario, std::string_view date);

// A date written YYYY-MM or YYYY-MM-DD (month 1-12, day 1-31) as months since year 0 (its day
// dropped); nullopt when it is not one.
std::optional<int> month_number(std::string_view date);

// A timeline from the data's date `date` (YYYY-MM or YYYY-MM-DD, the graph's `meta: as_of`):
// each control `lifted` after it leaves its part for a part of its own that ends at the month it
// was lifted, counted from `date`'s month (data as of 2025-06, lifted 2025-07-02: in force in
// month 0 only; at least one month). The new parts follow the others, named "ID (lifted on
// DATE)". Returns how many controls moved.
std::size_t end_lifted_controls(ScenarioParts& parts, std::string_view date);

// Resolves one code or bloc name; a valid ISO code that no node uses resolves to no codes.
std::optional<std::vector<JurisdictionIndex>> resolve_scenario_codes(const Model& model,
                                                                     std::string_view name);

void normalise(Scenario& scenario);

}  // namespace chokepoint
