#include "graph/analysis/leverage.hpp"

#include <algorithm>
#include <cmath>

#include "graph/analysis/side_view.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/errors.hpp"
#include "graph/support/parallel.hpp"

namespace chokepoint {

bool SideImpact::any() const {
  return std::max({std::abs(on_a), std::abs(on_b), std::abs(on_a_view), std::abs(on_b_view)}) >
         kStatusEpsilon;
}

int LeverageResult::side_of(const Model& model, NodeIndex n) const {
  return side_of_code(model.nodes[n].jurisdiction);
}

int LeverageResult::side_of_code(JurisdictionIndex j) const {
  if (j == kNoJurisdiction) return -1;
  if (std::binary_search(a_codes.begin(), a_codes.end(), j)) return 0;
  if (std::binary_search(b_codes.begin(), b_codes.end(), j)) return 1;
  return -1;
}

namespace {

// One side's losses: every node upstream of its targets, then every jurisdiction with a node
// upstream, each removed in turn and the side's view evaluated again.
void side_losses(const Model& model, const Scenario& scenario, const std::string& name,
                 const std::vector<JurisdictionIndex>& codes,
                 const std::vector<std::vector<NodeIndex>>& located, double SideImpact::*on,
                 LeverageResult& r, const Progress* progress) {
  std::vector<NodeIndex> targets;
  for (NodeIndex t : model.targets)
    if (std::binary_search(codes.begin(), codes.end(), model.nodes[t].jurisdiction))
      targets.push_back(t);
  if (targets.empty()) return;
  auto side = perspective_of(model, name);
  if (!side) throw UnknownSide(name);
  SideViewEvaluator eval(model, scenario, *side);
  const std::vector<double> base = eval.view({});
  std::vector<char> upstream = upstream_of(model, targets, true);
  // Removals: single nodes, then whole jurisdictions (index into r.jurisdictions).
  std::vector<NodeIndex> nodes;
  for (NodeIndex x : model.by_id())
    if (upstream[x]) nodes.push_back(x);
  std::vector<std::size_t> codes_hit;
  for (std::size_t i = 0; i < r.jurisdictions.size(); ++i)
    if (std::any_of(located[r.jurisdictions[i].first].begin(),
                    located[r.jurisdictions[i].first].end(),
                    [&](NodeIndex x) { return upstream[x] != 0; }))
      codes_hit.push_back(i);
  std::size_t total = nodes.size() + codes_hit.size();
  std::vector<double> lost(total, 0.0);
  std::string stage = "disruption in " + name + "'s view";
  parallel_for(total, eval.workers(), [&](unsigned w, std::size_t i) {
    if (w == 0) report_progress(progress, stage, i, total);
    bool single = i < nodes.size();
    JurisdictionIndex j =
        single ? kNoJurisdiction : r.jurisdictions[codes_hit[i - nodes.size()]].first;
    std::span<const NodeIndex> removed =
        single ? std::span<const NodeIndex>(&nodes[i], 1) : std::span<const NodeIndex>(located[j]);
    std::vector<double> cap = eval.view(removed, w);
    for (NodeIndex t : targets) {
      // A removed target, or one of a removed jurisdiction, is not counted.
      if (single ? t == nodes[i] : model.nodes[t].jurisdiction == j) continue;
      lost[i] += base[t] - cap[t];
    }
  });
  for (std::size_t i = 0; i < nodes.size(); ++i) r.nodes[nodes[i]].*on = lost[i];
  for (std::size_t k = 0; k < codes_hit.size(); ++k)
    r.jurisdictions[codes_hit[k]].second.*on = lost[nodes.size() + k];
  r.budget_hit = r.budget_hit || eval.budget_hit();
}

}  // namespace

LeverageResult leverage(const Model& model, const Scenario& scenario, const CapacityInputs& world,
                        const std::vector<double>& world_cap, const RemovalEffects& effects,
                        const std::string& a, const std::string& b, const Progress* progress) {
  LeverageResult r;
  r.a = a;
  r.b = b;
  for (auto [name, codes] : {std::pair{&a, &r.a_codes}, std::pair{&b, &r.b_codes}}) {
    auto c = resolve_scenario_codes(model, *name);
    if (!c) throw UnknownSide(*name);
    *codes = std::move(*c);
    std::sort(codes->begin(), codes->end());
  }
  // Which side each target belongs to.
  std::vector<int> side(model.targets.size(), -1);
  for (std::size_t k = 0; k < model.targets.size(); ++k) {
    JurisdictionIndex j = model.nodes[model.targets[k]].jurisdiction;
    if (std::binary_search(r.a_codes.begin(), r.a_codes.end(), j)) side[k] = 0;
    if (std::binary_search(r.b_codes.begin(), r.b_codes.end(), j)) side[k] = 1;
  }
  auto add = [&](SideImpact& into, std::size_t k, NodeIndex removed, double after) {
    NodeIndex t = model.targets[k];
    if (t == removed || side[k] < 0) return;
    (side[k] == 0 ? into.on_a : into.on_b) += world_cap[t] - after;
  };
  r.nodes.resize(model.nodes.size());
  for (NodeIndex n = 0; n < model.nodes.size(); ++n)
    for (std::size_t k = 0; k < effects[n].size(); ++k) add(r.nodes[n], k, n, effects[n][k]);

  // Every node of each jurisdiction (a side's view may use one the world has at 0, through its
  // sourcing); the world lowers those it has above 0.
  std::vector<std::vector<NodeIndex>> located(model.jurisdictions.size());
  for (NodeIndex n = 0; n < model.nodes.size(); ++n)
    if (model.nodes[n].jurisdiction != kNoJurisdiction)
      located[model.nodes[n].jurisdiction].push_back(n);
  CapacityEngine engine(model);
  CapacityInputs in = world;
  std::vector<double> cap = world_cap;
  UndoLog undo;
  for (JurisdictionIndex j = 0; j < static_cast<JurisdictionIndex>(located.size()); ++j) {
    if (located[j].empty()) continue;
    std::vector<NodeIndex> alive;
    for (NodeIndex n : located[j])
      if (world_cap[n] > 0) alive.push_back(n);
    SideImpact impact;
    if (!alive.empty()) {
      for (NodeIndex n : alive) in.factor[n] = 0.0;
      engine.lower(cap, in, alive, &undo);
      for (std::size_t k = 0; k < model.targets.size(); ++k)
        if (model.nodes[model.targets[k]].jurisdiction != j)
          add(impact, k, static_cast<NodeIndex>(-1), cap[model.targets[k]]);
      restore(cap, undo);
      for (NodeIndex n : alive) in.factor[n] = world.factor[n];
    }
    r.jurisdictions.emplace_back(j, impact);
  }
  std::sort(r.jurisdictions.begin(), r.jurisdictions.end(), [&](const auto& x, const auto& y) {
    return model.jurisdiction_code(x.first) < model.jurisdiction_code(y.first);
  });
  r.budget_hit = engine.hit_budget();
  side_losses(model, scenario, a, r.a_codes, located, &SideImpact::on_a_view, r, progress);
  side_losses(model, scenario, b, r.b_codes, located, &SideImpact::on_b_view, r, progress);
  return r;
}

}  // namespace chokepoint
