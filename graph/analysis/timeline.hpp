// Timelines (docs/timeline.md): capacity month by month under a scenario in parts, each ending at
// its own duration, with stocks drawn down, installed bases that age and substitutes that need
// their own inputs, in the world view and every perspective's view.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/analysis/views.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint {

enum class Ramp { step, linear, none };
// The names `--ramp` takes and the JSON report gives, in the enum's order.
inline constexpr std::array<std::string_view, 3> kRampNames = {"step", "linear", "none"};
inline std::string_view ramp_name(Ramp r) { return kRampNames[static_cast<std::size_t>(r)]; }
// The Ramp of a name of kRampNames, if it is one.
std::optional<Ramp> parse_ramp(std::string_view name);

struct TimelineOptions {
  int months = 60;
  // How a `substitution_years: Y` shorthand arrives: at once from month 12 Y (step), rising as
  // t / 12 Y from month 0 (linear), or not at all (none: only substitutes with inputs).
  Ramp ramp = Ramp::step;
  // Perspectives to show (codes, blocs or entity ids); empty: every perspective of the parts. One
  // that no control names is shown with nothing denied (its view of the world).
  std::vector<std::string> perspectives;
};

struct TimelineSeries {
  NodeIndex target;
  std::string view;              // "world" or a perspective's name
  std::vector<double> capacity;  // per month
  std::optional<int> first_lost, recovered;
};

struct TimelineEvent {
  enum class Kind { stock_exhausted, substitute, part_ends, target_lost, target_recovers };
  int month = 0;
  Kind kind = Kind::part_ends;
  std::string view;  // "world" or a perspective
  // stock_exhausted: the node whose stock falls short; substitute: the node replaced;
  // target_*: the target
  std::optional<NodeIndex> node;
  // substitute: the substitute, or none for `substitution_years` (assumed: no inputs modelled)
  std::optional<NodeIndex> substitute;
  std::optional<std::size_t> part;  // part_ends: index into TimelineResult::parts
  // stock_exhausted, substitute: the listed firm whose own view it happened in, when that view is
  // not shown; the event is then the world's, which takes the firm's output from that view.
  std::optional<NodeIndex> holder = {};
};
std::string_view event_name(TimelineEvent::Kind kind);

struct TimelinePart {
  std::string name;
  bool baseline = false;
  std::optional<double> ends;  // the month it stops applying; none: never
};

// A `substitution_years` shorthand that raised a node in a view: a substitute assumed to need
// nothing (no inputs modelled).
struct AssumedSubstitute {
  NodeIndex node;
  std::string view;
  int from_month = 0;  // the first month it raised the node
  // In a listed firm's view that is not shown: the firm (view is then the world's, which takes
  // the firm's output from that view).
  std::optional<NodeIndex> holder = {};
};

struct TimelineResult {
  int months = 0;
  Ramp ramp = Ramp::step;
  std::vector<TimelinePart> parts;
  std::vector<std::string> views;                    // "world", then the perspectives shown
  std::vector<Perspective> perspectives;             // the perspectives shown (views[1..])
  std::vector<std::vector<NodeIndex>> view_targets;  // per view: its targets (by id)
  std::vector<TimelineSeries> series;                // by target (id), then view
  // Events that move a target of their view by more than 1e-9 that month, and each view target
  // lost and recovered; by month, then kind, view, node id.
  std::vector<TimelineEvent> events;
  // Stock, substitute and part events that move none, in the order found: several that run out
  // in one month can move a target together though none does alone (each tested with the others
  // in place).
  std::vector<TimelineEvent> quiet;
  std::vector<AssumedSubstitute> assumed;  // by view, then node id
  bool budget_hit = false;

  // The index of a view by name.
  std::optional<std::size_t> view_index(std::string_view name) const;
  // The series of a target in a view, by the view's name; null if the result has none.
  const TimelineSeries* find(NodeIndex target, std::string_view view) const;
  // Per view, how many of `quiet` are its.
  std::vector<int> quiet_events() const;
};

// Month t = 0, 1, ...: the parts in force (t < their duration; baselines always) give the
// removals, factors and controls (denials decided on that month's static world; a listed firm a
// control names makes what its own view of the month allows, the world and those views settling
// together, from the top, as evaluate_scenario does); each month is the fixed point of the capacity
// equations with the month's adjustments (capacity.hpp, MonthTerms), in the world and in each
// perspective's view: substitutes (views only: the world is the reference they close the gap to),
// stocks, and installed bases that retire 1/L a month (month 0: f(n), as static analyses see them).
// O(months * views * (V + E)) plus one evaluation per distinct set of parts in force, and a
// local re-solve per event to test whether it moves a target; a month with controls on listed
// firms adds a full evaluation of each firm's view per round of their joint fixed point (two
// rounds when anything moved, one otherwise). Throws UnknownSide for a
// perspective the graph does not have.
TimelineResult timeline(const Model& model, const ScenarioParts& parts,
                        const TimelineOptions& options);
// One part that ends at its own duration_months.
TimelineResult timeline(const Model& model, const Scenario& scenario,
                        const TimelineOptions& options);

// What upstream of some targets makes their capacity change with time: stocks (of nodes that are
// not installed bases), installed bases, substitutes with inputs of their own.
struct TimeDependence {
  bool stocks = false, fleets = false, substitutes = false;
  bool any() const { return stocks || fleets || substitutes; }
};
TimeDependence time_dependence(const Model& model, std::span<const NodeIndex> targets);

// A view a timeline cannot follow month by month: a bloc that a control is against only in part
// (views.hpp, Exemption), whose members' stocks and bases would each need their own months.
class UnfollowedView : public AnalysisError {
 public:
  UnfollowedView(std::string view, const std::string& message)
      : AnalysisError(message), name(std::move(view)) {}
  std::string name;
};

// The months a static report's summary follows its headline over: 0 to 59, the five years a
// timeline shows by default (the summary gives months 0, 12, 24 and 59, and the lowest).
inline constexpr int kHeadlinePathMonths = 59;
// A static report's headline month by month (analyze, whatif): the scenario (one part that ends
// at its own duration) over months 0 to kHeadlinePathMonths, with only the substitutes the
// data models with their own inputs (Ramp::none), in the world and the given views (empty: every
// perspective of the scenario). nullopt for an empty scenario, or when nothing upstream of a
// target has a stock, an installed base or a substitute (the path would be the static value
// throughout). A view the timeline cannot follow (UnfollowedView) is left out of the path.
std::optional<TimelineResult> headline_path(const Model& model, const Scenario& scenario,
                                            const std::vector<Perspective>& views);

}  // namespace chokepoint
