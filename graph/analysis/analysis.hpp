// The whole analysis of one graph under one scenario (docs/analysis.md), and what-if comparisons.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/analysis/causes.hpp"
#include "graph/analysis/cutsets.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/leverage.hpp"
#include "graph/analysis/metrics.hpp"
#include "graph/analysis/side_view.hpp"
#include "graph/analysis/views.hpp"
#include "graph/analysis/withholding.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint {

struct TargetView {
  std::string perspective;
  double capacity = 0;
  Status status = Status::ok;
};

struct TargetResult {
  NodeIndex node;
  double capacity = 0;  // world of the run's scenario
  double baseline = 0;  // no scenario
  Status status = Status::ok;
  std::vector<TargetView> views;  // one per perspective (`against` entry), sorted by name
};

struct AnalysisOptions {
  CutSetOptions cuts;
  // Also decouple these two sides (codes or bloc names) on top of the scenario, as `decouple`.
  std::optional<std::pair<std::string, std::string>> decouple;
  // The terms of the decoupling controls and of every control withholding tries (`items`,
  // `made_with`, `de_minimis`, `fdpr`); by/against/id are ignored.
  ControlSpec decouple_terms;
  Progress progress;  // optional
  bool with_metrics = true;
  bool with_cut_sets = true;
  bool with_causes = true;  // with a scenario: the largest causes of each target's loss
  // Judge in this side's view (a code, bloc or entity): metrics, cut sets and so severity for
  // the side's targets in its view; the targets table lists the side's targets in its view.
  std::optional<Perspective> view;
};

struct Analysis {
  const Model* model = nullptr;
  Scenario scenario;  // empty when none was given
  bool has_scenario = false;
  std::vector<double> baseline;  // capacities without a scenario
  std::vector<double> world;     // capacities in the scenario's world
  CapacityInputs world_inputs;   // what `world` was evaluated with
  std::vector<Perspective> perspectives;
  std::vector<View> views;      // one per perspective
  std::vector<Denial> denials;  // by perspective, then pair
  MetricsResult metrics;
  std::vector<TargetResult> targets;  // model.targets order (by id)
  std::vector<CutSets> cut_sets;
  CutSetOptions cut_options;
  bool capacity_budget_hit = false;  // some fixed point stopped at a bound (upper bounds)
  std::optional<DecoupleResult> decoupling;
  std::optional<LeverageResult> leverage;  // with two sides and metrics
  CausesResult causes;                     // with a scenario (and with_causes)
  // With two sides and metrics: leverage as withholding (what each side can deny the other).
  std::optional<WithholdingResult> withholding;
  // With AnalysisOptions::view: the side and its view of the scenario; `metrics.nodes` and
  // `cut_sets` are then the side's (in its view), `targets` only the side's targets (their
  // `capacity` still the world's); `world_metrics` keeps the world's metrics.
  std::optional<Perspective> viewed_as;
  std::vector<double> view_cap;
  std::vector<NodeMetrics> world_metrics;

  // The values the analysis is judged on: the side's view with `viewed_as`, else the world.
  const std::vector<double>& judged() const { return viewed_as ? view_cap : world; }
};

// True when the scenario changed node n in the world: its status is not ok or its capacity moved
// by more than kStatusEpsilon from the baseline.
bool changed_by_scenario(const Analysis& analysis, NodeIndex n);
// The same in one perspective's view (index into analysis.views).
bool changed_in_view(const Analysis& analysis, std::size_t view, NodeIndex n);

Analysis analyze(const Model& model, const std::optional<Scenario>& scenario,
                 const AnalysisOptions& options);

// One entry of `whatif --rank`: a removal and what it costs the targets.
struct RankEntry {
  std::vector<NodeIndex> removed;  // sorted by id
  double impact = 0;               // sum over targets (not removed) of capacity lost
  std::vector<NodeIndex> lost;     // targets that become lost, by id
  double on_a = 0, on_b = 0;       // with sides: the part of `impact` on each side's targets
  double worst = 0;                // the largest loss of one target
  std::optional<double> substitution_years;  // the longest of the removed nodes', if any
  double concentration = 0;  // the largest supplier HHI of the removed nodes (0..1; 0 for none)
};

// Two sides (codes), to split each removal's impact by where the targets are located.
struct RankSides {
  std::string a_name, b_name;           // as written
  std::vector<JurisdictionIndex> a, b;  // sorted
};

// The longest ranking kept: the first entries in its order (`ranked` says how many there were).
constexpr std::size_t kMaxRankEntries = 10'000;

// rank_removals at order 2 with more candidates than it ranks the pairs of.
class TooManyPairs : public AnalysisError {
 public:
  TooManyPairs(std::size_t candidates, std::size_t limit)
      : AnalysisError("too many candidates to rank in pairs: " + std::to_string(candidates) +
                      " (at most " + std::to_string(limit) + ")"),
        candidates(candidates),
        limit(limit) {}
  std::size_t candidates, limit;
};

// Ranks every single removal (order 1) or pair (order 2) of nodes that can affect a target: by
// impact (descending); ties by the number of targets lost, the worst single loss, the longest
// substitution and the supplier concentration of what is removed (each descending), then ids.
// Keeps the first kMaxRankEntries; `ranked`, when given, receives the number ranked. Order 2 is
// refused (TooManyPairs) above 3,000 candidates. O(V * (V+E)) for single removals (shared
// evaluations, graph/analysis/capacity.hpp), O(C^2) incremental evaluations for pairs.
std::vector<RankEntry> rank_removals(const Model& model, const CapacityInputs& world,
                                     const std::vector<double>& world_cap, int order,
                                     const Progress* progress = nullptr, bool* budget_hit = nullptr,
                                     const RankSides* sides = nullptr,
                                     std::size_t* ranked = nullptr);

// Ranks by impact, then targets lost, the worst loss, substitution years, concentration, ids.
void sort_ranking(const Model& model, std::vector<RankEntry>& ranking);
// Whether `x` ranks before `y` in that order (a total order).
bool ranks_before(const Model& model, const RankEntry& x, const RankEntry& y);

// The same ranking in one side's view: each removal (of a node upstream of the side's targets,
// or at order 2 of a pair of those the side still has) scored on the side's targets at their
// values in its view, the scenario's denials decided again. One scenario evaluation per removal;
// removals that cost the side nothing are left out. Keeps the first kMaxRankEntries, as
// rank_removals does.
constexpr std::size_t kMaxViewPairCandidates = 400;
std::vector<RankEntry> rank_removals_in_view(const Model& model, const Scenario& scenario,
                                             const Perspective& side, int order,
                                             const Progress* progress = nullptr,
                                             bool* budget_hit = nullptr,
                                             std::size_t* ranked = nullptr);

}  // namespace chokepoint
