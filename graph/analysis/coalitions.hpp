// Coalitions (docs/coalitions.md): which jurisdictions must join an export control for it to bite,
// and how much each one's participation matters (Banzhaf and Shapley–Shubik power indices).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/errors.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

struct CoalitionOptions {
  Control control;      // the template: items, made_with, fdpr, de_minimis (its `by` is ignored)
  std::string against;  // the controlled side: a code or bloc name
  // Empty: every jurisdiction upstream, other than B's, that can deny something there (it locates
  // a maker of an item the control covers, or with the FDPR a node it is made with).
  std::vector<JurisdictionIndex> candidates;
  int max_size = 4;                   // largest minimal coalition listed
  std::optional<double> below;        // wins when the target falls below this, not lost
  std::optional<NodeIndex> target;    // only this node (a target, or any node upstream)
  std::size_t max_coalitions = 1000;  // minimal coalitions listed per target
  std::size_t max_views = 0;  // views the search may compute; 0: coalition_view_budget(model)
  unsigned threads = 2;
  Progress progress;
};

// Why a minimal winning coalition wins: what one member denies that the target cannot do
// without. A product is named when restoring its pairs alone (the member's denials of it) keeps
// the target from losing (`essential`), else the products whose restoration recovers most.
struct CoalitionReason {
  JurisdictionIndex member;
  std::vector<std::pair<NodeIndex, double>> products;  // product, capacity its restoration gives
  bool essential = false;
  std::vector<double> alone;  // per product: the capacity its denial alone takes from the start
  // Per product: when the member's FDPR reaches it, the nodes it is made with that the FDPR
  // takes out (located in the member, named by the control's made_with), the nearest upstream
  // in the order met (ASML's scanners: Cymer); empty for a product the member denies directly.
  std::vector<std::vector<NodeIndex>> through;
};

// What keeps a target up when every candidate together is not enough: a node the walk from the
// target reached, and the points of the target's capacity it gives (summed, the target's value
// with every candidate in the control). `untouched`: the control leaves it as it was before.
struct KeptSupply {
  NodeIndex node;
  double points = 0;
  bool untouched = false;
  // The alternative it holds up: the member of the last group of several on the way down (New AI
  // clusters, held by Server DRAM), or the node itself.
  NodeIndex via = 0;
};

struct CoalitionTarget {
  NodeIndex target;
  double baseline = 0;      // in B's view under the base scenario alone
  double grand = 0;         // with every candidate in the control
  bool grand_wins = false;  // every candidate together wins (a coalition of any size can)
  bool already = false;     // the base scenario alone already makes it lose
  std::vector<std::vector<JurisdictionIndex>> minimal;  // by size, then codes
  // Per minimal coalition (same order): the reasons per member, and the members through whose
  // FDPR the control reached foreign-made items (with fdpr: those that declare one).
  std::vector<std::vector<CoalitionReason>> reasons;
  std::vector<std::vector<JurisdictionIndex>> fdpr_members;
  std::vector<double> value;  // per minimal coalition: the target in B's view with it
  bool truncated = false;
  std::vector<double> banzhaf;  // per candidate, normalised; all 0 when no coalition wins; empty
                                // when the search stopped at its budget before any index
  std::vector<double> shapley;  // per candidate (empty likewise)
  // When every candidate together is not enough (and the target was not already lost): what the
  // control leaves, largest first (kept_supply).
  std::vector<KeptSupply> kept;
  // With samples of the graph's ranges (coalition_win_shares): per minimal coalition, the share
  // of samples in which it wins. Empty when not sampled.
  std::vector<double> win_share;
};

struct CoalitionResult {
  std::string against;
  Control control;
  std::vector<JurisdictionIndex> candidates;  // sorted by code
  // Jurisdictions upstream of B's targets left out as candidates: they locate nothing the control
  // covers (compute rented abroad, smuggling routes), so no coalition gains by them. Sorted.
  std::vector<JurisdictionIndex> idle;
  int max_size = 4;
  std::optional<double> below;
  bool exact = true;            // indices from every coalition (else sampled)
  std::size_t samples = 0;      // permutations and coalitions sampled when not exact
  std::size_t evaluations = 0;  // views evaluated
  bool budget_hit = false;
  // The search used up its budget of views (`max_views`): the minimal coalitions listed win and
  // are minimal, but others may be missing; the indices are sampled from fewer samples, or
  // absent (empty).
  bool stopped = false;
  std::size_t max_views = 0;             // the budget the search ran with
  std::vector<CoalitionTarget> targets;  // B's targets, by id
  std::size_t win_samples = 0;           // samples behind win_share (0: none)
  std::uint64_t win_seed = 0;
};

// Exact indices up to this many candidates (2^n coalitions); sampled above.
constexpr std::size_t kExactCoalitionCandidates = 20;
// Coalitions are sets of candidates held in 64 bits.
constexpr std::size_t kMaxCoalitionCandidates = 64;

// coalitions() with more candidates than it can hold.
class TooManyCandidates : public AnalysisError {
 public:
  TooManyCandidates(std::size_t candidates, std::size_t limit)
      : AnalysisError("too many candidates for coalitions: " + std::to_string(candidates) +
                      " (at most " + std::to_string(limit) + ")"),
        candidates(candidates),
        limit(limit) {}
  std::size_t candidates, limit;
};
constexpr std::size_t kCoalitionSamples = 10'000;

// The default budget of views for a coalition search on `model`: about 2·10⁸ node and edge
// visits (a few seconds), between 1,000 and 500,000 views.
std::size_t coalition_view_budget(const Model& model);

// For each of B's targets (located in B or without jurisdiction), the minimal winning
// coalitions, why each wins, and the power indices of the candidates, on top of `base` (the
// world to start from, e.g. today's controls). Candidates and targets in B's view (its sourcing
// included).
// Exact up to 20 candidates: a coalition's view is computed only when no minimal winner or
// maximal loser found so far decides it (winning is monotone); sampled beyond. At most
// `max_views` views (coalition_view_budget by default): past it `stopped` is set, the minimal
// coalitions found are listed and the indices come from fewer samples or are left empty.
// Throws UnknownSide for an unknown side, TooManyCandidates above 64 candidates, and
// SideWithoutTargets when the side has no target.
CoalitionResult coalitions(const Model& model, const Scenario& base,
                           const CoalitionOptions& options);

// The thresholds of a sweep: lost, then below 0.1, 0.25, 0.5, 0.75 and 0.9.
inline const std::vector<std::optional<double>> kSweepThresholds = {std::nullopt, 0.1,  0.25,
                                                                    0.5,          0.75, 0.9};

// The same answer at several thresholds (nullopt: lost; else below it), the side's setup and
// every coalition's view computed once and shared by all of them. `evaluations` of each result
// counts the whole sweep's.
std::vector<CoalitionResult> coalition_sweep(const Model& model, const Scenario& base,
                                             const CoalitionOptions& options,
                                             const std::vector<std::optional<double>>& thresholds);

// On a graph with ranges: fills each target's `win_share` in `result` (a coalitions() result
// for `options`), the share of samples (docs/uncertainty.md) in which each minimal winning
// coalition still wins, and sets win_samples and win_seed. Each sample evaluates the side's setup
// and the minimal coalitions once on that sample's values; the same seed gives the same shares
// whatever the thread count. O(samples * (setup + distinct minimal coalitions) * one view).
void coalition_win_shares(const Model& model, const Scenario& base, const CoalitionOptions& options,
                          const SampleOptions& sampling, CoalitionResult& result);

}  // namespace chokepoint
