// Coalitions (SPEC §4a): which jurisdictions must join an export control for it to bite, and
// how much each one's participation matters (Banzhaf and Shapley–Shubik power indices).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/errors.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

struct CoalitionOptions {
  Control control;      // the template: items, made_with, fdpr, de_minimis (its `by` is ignored)
  std::string against;  // the controlled side: a code or bloc name
  std::vector<JurisdictionIndex> candidates;  // empty: every jurisdiction upstream, other than B's
  int max_size = 4;                           // largest minimal coalition listed
  std::optional<double> below;                // wins when the target falls below this, not lost
  std::optional<NodeIndex> target;            // only this target
  std::size_t max_coalitions = 1000;          // minimal coalitions listed per target
  unsigned threads = 2;
  Progress progress;
};

struct CoalitionTarget {
  NodeIndex target;
  double baseline = 0;   // in B's view under the base scenario alone
  double grand = 0;      // with every candidate in the control
  bool already = false;  // the base scenario alone already makes it lose
  std::vector<std::vector<JurisdictionIndex>> minimal;  // by size, then codes
  bool truncated = false;
  std::vector<double> banzhaf;  // per candidate, normalised; all 0 when no coalition wins
  std::vector<double> shapley;  // per candidate
};

struct CoalitionResult {
  std::string against;
  Control control;
  std::vector<JurisdictionIndex> candidates;  // sorted by code
  int max_size = 4;
  std::optional<double> below;
  bool exact = true;            // indices from every coalition (else sampled)
  std::size_t samples = 0;      // permutations and coalitions sampled when not exact
  std::size_t evaluations = 0;  // views evaluated
  bool budget_hit = false;
  std::vector<CoalitionTarget> targets;  // B's targets, by id
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

// For each of B's targets (located in B), the minimal winning coalitions and the power indices
// of the candidates, on top of `base` (the world to start from, e.g. today's controls).
// Exact: every coalition's view, level by level (supersets of winners inherit the win without
// evaluation; levels split over `threads`), O(2^n) views at most; sampled beyond 20 candidates.
// Throws UnknownSide for an unknown side, TooManyCandidates above 64 candidates.
CoalitionResult coalitions(const Model& model, const Scenario& base,
                           const CoalitionOptions& options);

}  // namespace chokepoint
