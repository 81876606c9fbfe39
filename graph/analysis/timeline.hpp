// Timelines (SPEC §4c): capacity month by month after a scenario starts, with stocks drawn down,
// substitutes arriving in a perspective's view, and the scenario ending after its duration.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/analysis/views.hpp"
#include "graph/model/scenario.hpp"

namespace chokepoint {

enum class Ramp { step, linear };

struct TimelineOptions {
  int months = 60;
  Ramp ramp = Ramp::step;
  // Perspectives to show (codes or blocs); empty: every perspective of the scenario. One that no
  // control names is shown with nothing denied (its view of the world).
  std::vector<std::string> perspectives;
};

struct TimelineSeries {
  NodeIndex target;
  std::string view;              // "world" or a perspective's name
  std::vector<double> capacity;  // per month
  std::optional<int> first_lost, recovered;
};

struct TimelineEvent {
  enum class Kind { stock_exhausted, substitute, scenario_ends, target_lost, target_recovers };
  int month = 0;
  Kind kind = Kind::scenario_ends;
  std::string view;  // "world", a perspective, or empty (scenario_ends)
  std::optional<NodeIndex> node;
};
std::string_view event_name(TimelineEvent::Kind kind);

struct TimelineResult {
  int months = 0;
  Ramp ramp = Ramp::step;
  std::optional<double> duration;
  std::vector<std::string> views;         // "world", then the perspectives shown
  std::vector<Perspective> perspectives;  // the perspectives shown (views[1..])
  std::vector<TimelineSeries> series;     // by target (id), then view
  std::vector<TimelineEvent> events;      // by month, then kind, view, node id
  bool budget_hit = false;
};

// Month t = 0, 1, ...: while t < duration the scenario applies (removals, factors, controls);
// a node below its baseline draws on its stock (in units of months of baseline output) to top
// itself up; in a perspective's view a node that the scenario leaves short of its world value
// and that has substitution_years Y is restored to its world value from month 12 Y (step) or
// rising to it by then (linear). Each month is the fixed point of the capacity equations with
// these adjustments. Entity controls are held at their month-0 effect. O(months * views * (V+E)).
// Throws UnknownSide for a perspective the graph does not have.
TimelineResult timeline(const Model& model, const Scenario& scenario,
                        const TimelineOptions& options);

}  // namespace chokepoint
