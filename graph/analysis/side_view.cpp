#include "graph/analysis/side_view.hpp"

#include <algorithm>
#include <memory>

#include "graph/support/parallel.hpp"

namespace chokepoint {

SideViewEvaluator::SideViewEvaluator(const Model& model, Scenario scenario, Perspective side)
    : model_(model),
      scenario_(std::move(scenario)),
      side_(std::move(side)),
      targets_(side_targets(model, side_)) {
  for (unsigned w = 0; w < analysis_threads(); ++w)
    engines_.push_back(std::make_unique<CapacityEngine>(model));
}

std::vector<double> SideViewEvaluator::view(std::span<const NodeIndex> removed,
                                            unsigned worker) const {
  const CapacityEngine& engine = *engines_[worker];
  ViewRequest request{{side_}, true};
  if (removed.empty()) {
    ScenarioResult r = evaluate_scenario(engine, scenario_, request);
    return std::move(r.views[*r.find_side(side_)].cap);
  }
  Scenario s = scenario_;
  s.remove.insert(s.remove.end(), removed.begin(), removed.end());
  normalise(s);
  ScenarioResult r = evaluate_scenario(engine, s, request);
  return std::move(r.views[*r.find_side(side_)].cap);
}

bool SideViewEvaluator::budget_hit() const {
  return std::any_of(engines_.begin(), engines_.end(),
                     [](const auto& e) { return e->hit_budget(); });
}

namespace {

// The level search's state: the removed nodes on a stack, the goal the target lost in the
// side's view. Each question is one evaluation.
class SideCutState : public SetSearchState {
 public:
  SideCutState(const SideViewEvaluator& eval, NodeIndex target, const std::vector<NodeIndex>& units)
      : eval_(eval), target_(target), units_(units) {}
  void push(std::uint32_t unit) override {
    removed_.push_back(units_[unit]);
    known_ = false;
  }
  void pop() override {
    removed_.pop_back();
    known_ = false;
  }
  bool goal() const override {
    if (!known_) {
      lost_ = eval_.view(removed_)[target_] <= kStatusEpsilon;
      known_ = true;
    }
    return lost_;
  }
  bool inert(std::uint32_t) const override { return false; }

 private:
  const SideViewEvaluator& eval_;
  NodeIndex target_;
  const std::vector<NodeIndex>& units_;
  std::vector<NodeIndex> removed_;
  mutable bool known_ = false, lost_ = false;
};

}  // namespace

SideViewResult analyze_side(const Model& model, const Scenario& scenario, const Perspective& side,
                            const MetricsResult& world_metrics, const CutSetOptions& cuts,
                            bool with_cut_sets, const Progress* progress) {
  SideViewEvaluator eval(model, scenario, side);
  SideViewResult out;
  out.side = side;
  out.targets = eval.targets();
  out.cap = eval.view({});
  std::size_t n = model.nodes.size();
  out.nodes.assign(n, NodeMetrics{});
  std::vector<int> target_pos(n, -1);
  for (std::size_t k = 0; k < out.targets.size(); ++k)
    target_pos[out.targets[k]] = static_cast<int>(k);

  // Reach: the side's targets downstream in its view (its sourcing included).
  std::vector<std::vector<char>> upstream;
  std::vector<char> any_upstream(n, 0);
  for (NodeIndex t : out.targets) {
    upstream.push_back(upstream_of(model, std::vector<NodeIndex>{t}, true));
    for (NodeIndex x = 0; x < n; ++x)
      if (upstream.back()[x] && x != t) {
        ++out.nodes[x].reach;
        any_upstream[x] = 1;
      }
  }
  // Single removals, each a fresh evaluation of the side's view.
  std::vector<NodeIndex> candidates;
  for (NodeIndex x : model.by_id())
    if (any_upstream[x]) candidates.push_back(x);
  std::vector<std::vector<double>> after(candidates.size());
  parallel_for(candidates.size(), eval.workers(), [&](unsigned w, std::size_t i) {
    if (w == 0) report_progress(progress, "removals in the side's view", i, candidates.size());
    NodeIndex x = candidates[i];
    std::vector<double> cap = eval.view(std::span<const NodeIndex>(&x, 1), w);
    std::vector<double> at(out.targets.size());
    for (std::size_t k = 0; k < out.targets.size(); ++k) at[k] = cap[out.targets[k]];
    after[i] = std::move(at);
  });
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    NodeIndex x = candidates[i];
    NodeMetrics& m = out.nodes[x];
    for (std::size_t k = 0; k < out.targets.size(); ++k) {
      NodeIndex t = out.targets[k];
      if (t == x) continue;
      m.impact += out.cap[t] - after[i][k];
      if (after[i][k] <= kStatusEpsilon && out.cap[t] > kStatusEpsilon) m.spof.push_back(t);
    }
    std::sort(m.spof.begin(), m.spof.end(),
              [&](NodeIndex a, NodeIndex b) { return model.nodes[a].id < model.nodes[b].id; });
  }
  // Supplier metrics with the side's sourcing; structure as in the world.
  for (NodeIndex x = 0; x < n; ++x) {
    NodeMetrics& m = out.nodes[x];
    const NodeMetrics& w = world_metrics.nodes.empty() ? m : world_metrics.nodes[x];
    m.betweenness = w.betweenness;
    m.articulation = w.articulation;
    m.depth = w.depth;
    const Group* group = nullptr;
    if (shown_in_view(model, side, x))
      if (auto k = sourcing_for(model, side, x)) group = &model.nodes[x].sourcing()[*k].group;
    supplier_metrics(model, x, m, group);
  }
  // Cut sets of each side target in its view.
  if (with_cut_sets) {
    std::size_t budget = out.targets.empty() ? 0 : cuts.max_work / out.targets.size();
    for (std::size_t k = 0; k < out.targets.size(); ++k) {
      NodeIndex t = out.targets[k];
      CutSets cs;
      cs.target = t;
      cs.searched = true;
      if (out.cap[t] > kStatusEpsilon) {
        std::vector<NodeIndex> units;
        for (NodeIndex x : model.by_id())
          if (upstream[k][x] && x != t &&
              (cuts.kinds.empty() || std::find(cuts.kinds.begin(), cuts.kinds.end(),
                                               model.nodes[x].kind) != cuts.kinds.end()))
            units.push_back(x);
        SideCutState state(eval, t, units);
        auto found = find_minimal_sets(state, static_cast<std::uint32_t>(units.size()), cuts.order,
                                       cuts.max_sets, budget);
        for (const auto& set : found.sets) {
          std::vector<std::string> ids;
          for (auto u : set) ids.push_back(model.nodes[units[u]].id);
          std::sort(ids.begin(), ids.end());
          cs.sets.push_back(std::move(ids));
        }
        cs.truncated = found.truncated;
        cs.budget_hit = found.budget_hit;
        out.budget_hit = out.budget_hit || found.budget_hit;
      }
      out.cut_sets.push_back(std::move(cs));
    }
  }
  out.budget_hit = out.budget_hit || eval.budget_hit();
  return out;
}

}  // namespace chokepoint
