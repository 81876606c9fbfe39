#include "graph/capacity.hpp"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <cassert>
#include <queue>

namespace chokepoint {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::ok:
      return "ok";
    case Status::degraded:
      return "degraded";
    case Status::lost:
      return "lost";
  }
  return "ok";
}

Status status_of(double capacity, double baseline) {
  if (capacity <= kStatusEpsilon && baseline > kStatusEpsilon) return Status::lost;
  if (capacity < baseline - kStatusEpsilon) return Status::degraded;
  return Status::ok;
}

CapacityEngine::CapacityEngine(const Model& model) : model_(model) {
  std::size_t n = model.nodes.size();
  component_.assign(n, 0);
  if (n > 0)
    component_count_ = boost::strong_components(
        model.graph, boost::make_iterator_property_map(
                         component_.begin(), boost::get(boost::vertex_index, model.graph)));
  // Tarjan numbers components in reverse topological order (sinks first).
  rank_.resize(n);
  for (NodeIndex i = 0; i < n; ++i)
    rank_[i] = static_cast<std::uint32_t>(component_count_ - 1 - component_[i]);
  queued_.assign(n, 0);
}

double CapacityEngine::node_value(NodeIndex n, const std::vector<double>& cap,
                                  const CapacityInputs& in) const {
  double f = in.factor[n];
  if (f <= 0) return 0.0;
  if (in.is_pinned(n)) return in.pinned[n];
  double lowest = 1.0;
  for (const Group& g : model_.nodes[n].groups) {
    double supply = 0;
    for (const Member& m : g.members) supply += m.weight * cap[m.node];
    // Thresholds allow for the rounding of sums of shares (0.1 + 0.2 vs 0.3).
    bool ok = g.threshold > 0 ? supply >= g.threshold - 1e-12 : supply > 0;
    lowest = std::min(lowest, ok ? supply : 0.0);
    if (lowest <= 0) break;
  }
  double v = std::clamp(f * lowest, 0.0, 1.0);
  return v < kZeroSnap ? 0.0 : v;
}

void CapacityEngine::propagate(std::vector<double>& cap, const CapacityInputs& in,
                               std::vector<NodeIndex>& seeds,
                               std::vector<std::pair<NodeIndex, double>>* undo) const {
  using Item = std::pair<std::uint32_t, NodeIndex>;  // (rank, node), smallest first
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  for (NodeIndex s : seeds)
    if (!queued_[s] && (mask_.empty() || mask_[s])) {
      queued_[s] = 1;
      queue.emplace(rank_[s], s);
    }
  std::size_t budget = kUpdatesPerNode * std::max<std::size_t>(model_.nodes.size(), 1);
  while (!queue.empty()) {
    NodeIndex n = queue.top().second;
    queue.pop();
    queued_[n] = 0;
    if (budget-- == 0) {  // leave the rest as it is: every value is still an upper bound
      hit_budget_ = true;
      while (!queue.empty()) {
        queued_[queue.top().second] = 0;
        queue.pop();
      }
      break;
    }
    double v = node_value(n, cap, in);
    double old = cap[n];
    if (v == old) continue;
    if (undo) undo->emplace_back(n, old);
    cap[n] = v;
    if (std::abs(v - old) <= kConvergence && v != 0.0) continue;
    for (NodeIndex d : model_.dependents(n))
      if (!queued_[d] && (mask_.empty() || mask_[d])) {
        queued_[d] = 1;
        queue.emplace(rank_[d], d);
      }
  }
}

std::vector<double> CapacityEngine::evaluate(const CapacityInputs& in) const {
  std::size_t n = model_.nodes.size();
  std::vector<double> cap(n, 1.0);
  std::vector<NodeIndex> all(n);
  for (NodeIndex i = 0; i < n; ++i) all[i] = i;
  propagate(cap, in, all, nullptr);
  return cap;
}

void CapacityEngine::lower(std::vector<double>& cap, const CapacityInputs& in,
                           std::span<const NodeIndex> changed,
                           std::vector<std::pair<NodeIndex, double>>* undo) const {
  std::vector<NodeIndex> seeds(changed.begin(), changed.end());
  propagate(cap, in, seeds, undo);
}

void CapacityEngine::recompute_cone(std::vector<double>& cap, const CapacityInputs& in,
                                    std::span<const NodeIndex> changed,
                                    std::vector<std::pair<NodeIndex, double>>* undo) const {
  // Collect the downstream cone, reset it to the top element, then iterate as a full evaluation.
  std::vector<NodeIndex> cone;
  std::vector<char> seen(model_.nodes.size(), 0);
  for (NodeIndex c : changed)
    if (!seen[c] && (mask_.empty() || mask_[c])) {
      seen[c] = 1;
      cone.push_back(c);
    }
  for (std::size_t i = 0; i < cone.size(); ++i)
    for (NodeIndex d : model_.dependents(cone[i]))
      if (!seen[d] && (mask_.empty() || mask_[d])) {
        seen[d] = 1;
        cone.push_back(d);
      }
  for (NodeIndex c : cone) {
    if (cap[c] != 1.0) {
      if (undo) undo->emplace_back(c, cap[c]);
      cap[c] = 1.0;
    }
  }
  propagate(cap, in, cone, undo);
}

}  // namespace chokepoint
