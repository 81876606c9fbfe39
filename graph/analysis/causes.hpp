// The largest causes of a target's loss under a scenario: the nodes whose restoration alone
// would recover most of it, in the world and in each perspective's view.
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "graph/analysis/capacity.hpp"

namespace chokepoint {

struct Cause {
  static constexpr NodeIndex kNone = std::numeric_limits<NodeIndex>::max();
  NodeIndex node;
  double recovered = 0;  // target capacity regained if this node alone were back at baseline
  // Where the restoration falls short of the whole loss: the input of the target, still below
  // its baseline, that then holds the target down (the member of its binding input group that
  // falls most short), and the target's value then. kNone where it recovers all, or none is.
  NodeIndex held_by = kNone;
  double held_at = 0;
};

struct TargetCauses {
  static constexpr std::size_t kWorld = std::numeric_limits<std::size_t>::max();
  std::size_t view = kWorld;  // index into the views, or kWorld
  NodeIndex target;
  std::vector<Cause> causes;  // largest first (ties by id), at most `per_target`
  // In a view: the controls behind the loss, each with the capacity the target regains when the
  // pairs that control alone denies to the view are allowed again (the other controls and the
  // world as they are); largest first, ties by control order. Empty in the world.
  std::vector<std::pair<std::uint32_t, double>> controls;
};

struct CausesResult {
  std::vector<TargetCauses> targets;  // world first, then each view; targets by id
  bool capped = false;                // more reduced nodes than `max_candidates` in some view
};

// For the world (`world_in`, `world`) and each view (`views_in`, `views`): every target below its
// baseline, and the upstream nodes below theirs; each such node is pinned at its baseline in turn
// (one evaluation each, every target at once) and the targets' gains recorded. At most
// `max_candidates` nodes per view are tried, those with the largest drop first. Entity controls'
// caps on pairs are held as they are.
CausesResult causes_of_loss(const Model& model, const CapacityEngine& engine,
                            const std::vector<double>& baseline, const CapacityInputs& world_in,
                            const std::vector<double>& world,
                            const std::vector<const CapacityInputs*>& views_in,
                            const std::vector<const std::vector<double>*>& views,
                            std::size_t per_target = 5, std::size_t max_candidates = 300);

}  // namespace chokepoint
