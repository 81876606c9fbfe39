#include "graph/analysis/causes.hpp"

#include <algorithm>
#include <cmath>

namespace chokepoint {
namespace {

// `c` with what holds target t down once c's node is restored (values `work`): of t's binding
// input group, the member other than the restored node that falls furthest short of its baseline,
// by its share.
Cause held(const Model& model, const std::vector<double>& baseline, const std::vector<double>& work,
           NodeIndex t, Cause c) {
  if (work[t] >= baseline[t] - kStatusEpsilon) return c;
  Requirement r = binding_requirement(model.nodes[t], work);
  if (!r.group) return c;
  double most = kStatusEpsilon;
  for (const Member& m : r.group->members) {
    double short_by = m.weight * (baseline[m.node] - work[m.node]);
    if (m.node != c.node && short_by > most) {
      most = short_by;
      c.held_by = m.node;
      c.held_at = work[t];
    }
  }
  return c;
}

void causes_in(const Model& model, const CapacityEngine& engine,
               const std::vector<double>& baseline, const CapacityInputs& in,
               const std::vector<double>& cap, std::size_t view, std::size_t per_target,
               std::size_t max_candidates, CausesResult& out) {
  std::vector<NodeIndex> hurt;
  for (NodeIndex t : model.targets)  // a target pinned in a view keeps the world's value there
    if (cap[t] < baseline[t] - kStatusEpsilon && !in.is_pinned(t)) hurt.push_back(t);
  if (hurt.empty()) return;
  std::vector<char> up = upstream_of(model, hurt);
  std::vector<NodeIndex> candidates;
  for (NodeIndex n : model.by_id())
    if (up[n] && cap[n] < baseline[n] - kStatusEpsilon) candidates.push_back(n);
  if (candidates.size() > max_candidates) {
    out.capped = true;
    std::stable_sort(candidates.begin(), candidates.end(), [&](NodeIndex a, NodeIndex b) {
      return baseline[a] - cap[a] > baseline[b] - cap[b];
    });
    candidates.resize(max_candidates);
  }
  std::vector<std::vector<Cause>> per(hurt.size());
  // Each restoration re-solves only the node's downstream cone, then is undone.
  CapacityInputs restored = in;
  std::vector<double> work = cap;
  UndoLog undo;
  for (NodeIndex n : candidates) {
    double pin = restored.pinned[n];
    restored.pinned[n] = baseline[n];
    NodeIndex seed[] = {n};
    engine.recompute_cone(work, restored, seed, &undo);
    for (std::size_t k = 0; k < hurt.size(); ++k) {
      NodeIndex t = hurt[k];
      if (t == n) continue;  // a target is not its own cause
      double gain = work[t] - cap[t];
      if (gain > kStatusEpsilon) per[k].push_back(held(model, baseline, work, t, Cause{n, gain}));
    }
    restore(work, undo);
    restored.pinned[n] = pin;
  }
  for (std::size_t k = 0; k < hurt.size(); ++k) {
    auto& c = per[k];
    std::stable_sort(c.begin(), c.end(), [&](const Cause& a, const Cause& b) {
      double ra = std::round(a.recovered * 1e12), rb = std::round(b.recovered * 1e12);
      if (ra != rb) return ra > rb;
      return model.nodes[a.node].id < model.nodes[b.node].id;
    });
    if (c.size() > per_target) c.resize(per_target);
    out.targets.push_back(TargetCauses{view, hurt[k], std::move(c), {}});
  }
}

}  // namespace

CausesResult causes_of_loss(const Model& model, const CapacityEngine& engine,
                            const std::vector<double>& baseline, const CapacityInputs& world_in,
                            const std::vector<double>& world,
                            const std::vector<const CapacityInputs*>& views_in,
                            const std::vector<const std::vector<double>*>& views,
                            std::size_t per_target, std::size_t max_candidates) {
  CausesResult out;
  causes_in(model, engine, baseline, world_in, world, TargetCauses::kWorld, per_target,
            max_candidates, out);
  for (std::size_t v = 0; v < views.size(); ++v)
    causes_in(model, engine, baseline, *views_in[v], *views[v], v, per_target, max_candidates, out);
  return out;
}

}  // namespace chokepoint
