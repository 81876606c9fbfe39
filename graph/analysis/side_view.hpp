// One side's own view (`--view J`): metrics, cut sets and so severity for the side's targets
// in its view. Removing a node removes it in the world; the side's view is then evaluated again
// on that world, its denials decided again (docs/analysis.md, "A side's view").
#pragma once

#include <span>
#include <vector>

#include "graph/analysis/cutsets.hpp"
#include "graph/analysis/metrics.hpp"
#include "graph/analysis/views.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

// The side's view of the scenario with nodes removed: one evaluation of the scenario (its
// world, the entity views the world needs, and the side's view), no incremental tricks.
class SideViewEvaluator {
 public:
  SideViewEvaluator(const Model& model, Scenario scenario, Perspective side);
  const Perspective& side() const { return side_; }
  // The side's targets (located in it or without jurisdiction), by id.
  const std::vector<NodeIndex>& targets() const { return targets_; }
  // The view with `removed` removed in the world (every node's value in the side's view).
  // Thread-safe: each call uses an engine of the calling worker (`worker` < workers()).
  std::vector<double> view(std::span<const NodeIndex> removed, unsigned worker = 0) const;
  unsigned workers() const { return static_cast<unsigned>(engines_.size()); }
  bool budget_hit() const;

 private:
  const Model& model_;
  Scenario scenario_;
  Perspective side_;
  std::vector<NodeIndex> targets_;
  std::vector<std::unique_ptr<CapacityEngine>> engines_;
};

struct SideViewResult {
  Perspective side;
  std::vector<NodeIndex> targets;  // the side's targets, by id
  std::vector<double> cap;         // the side's view of the scenario
  // Per node: reach, spof and impact for the side's targets in its view; supplier metrics of
  // the side's sourcing where it has one (and the node is not located outside the side); the
  // structural metrics (betweenness, articulation, depth) as in the world.
  std::vector<NodeMetrics> nodes;
  std::vector<CutSets> cut_sets;  // per side target, in the side's view
  bool budget_hit = false;
};

// Single removals: one evaluation per node upstream of a side target (O(V) evaluations of
// O((controls + entity sides) * (V + E)) each, on two threads). Cut sets: the level search of
// find_minimal_sets over the target's upstream nodes, each candidate set one evaluation.
SideViewResult analyze_side(const Model& model, const Scenario& scenario, const Perspective& side,
                            const MetricsResult& world_metrics, const CutSetOptions& cuts,
                            bool with_cut_sets, const Progress* progress = nullptr);

}  // namespace chokepoint
