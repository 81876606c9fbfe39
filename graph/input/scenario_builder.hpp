// Builds scenarios from YAML files and command-line flags through one ScenarioBuilder that
// resolves and checks them against a Model, with every problem at its position.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/input/loader.hpp"
#include "graph/input/yaml_tree.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/diagnostics.hpp"

namespace chokepoint {

// YYYY-MM-DD or YYYY-MM, month 01-12 and day 01-31 (the calendar's finer points are the
// writer's): a control's `lifted`, and --as-of (which takes the day).
bool is_date(std::string_view s);

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
  bool embargo = false;                     // written as an embargo (every item)
  // The fields taken as written (fdpr, fdpr_where, de_minimis, de_minimis_range, sources, and
  // any field that needs no resolving): the resolved control starts as a copy of them, so a new
  // such field is declared once, in Control.
  Control fields;
};

// Resolves and checks the pieces of a scenario; every problem goes to `diags` with its position.
// The YAML reader and the command line both build through it, so they accept the same things.
class ScenarioBuilder {
 public:
  ScenarioBuilder(const Model& model, Diagnostics& diags);

  void remove(const Written& id);
  void remove_jurisdiction(const Written& code_or_bloc);
  // A capacity factor as written: a number in [0,1], a percentage such as "40%", or a range
  // ([low, high], {low, high, best}, "40-60%"). The one check of both readers: a flag's text is
  // read as a scenario file's value would be, and a mistake in it is reported at factor.where.
  std::optional<yaml_values::RangedValue> capacity_factor(yaml::NodeRef value);
  std::optional<yaml_values::RangedValue> capacity_factor(const Written& factor);
  void capacity(const Written& id, double factor, std::optional<Range> range = std::nullopt);
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
  // "; did you mean 'x'?" for an unknown name, found once per name (a name repeated through
  // 200,000 aliases was matched against every candidate each time) and within a budget of
  // candidates compared per scenario (1,000 unknown ids of a large graph took 20 s).
  std::string suggestion(char kind, const std::string& name,
                         const std::vector<std::string_view>& candidates);

  const Model& model_;
  Diagnostics& diags_;
  std::size_t errors_before_;
  Scenario scenario_;
  std::map<std::pair<char, std::string>, std::string> suggestions_;
  std::size_t compared_ = 0;
  std::vector<std::string_view> node_ids_, codes_;  // candidates, gathered once
};

// Reads a scenario file (`scenario:` at the top). Problems go to `diags`; nullopt on error.
std::optional<Scenario> load_scenario(const std::string& path, const Model& model,
                                      SourceFiles& files, Diagnostics& diags);
std::optional<Scenario> load_scenario_text(const std::string& path, std::string text,
                                           const Model& model, SourceFiles& files,
                                           Diagnostics& diags);

}  // namespace chokepoint
