#include "graph/analysis/leverage.hpp"

#include <algorithm>

#include "graph/model/scenario.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint {

int LeverageResult::side_of(const Model& model, NodeIndex n) const {
  JurisdictionIndex j = model.nodes[n].jurisdiction;
  if (j == kNoJurisdiction) return -1;
  if (std::binary_search(a_codes.begin(), a_codes.end(), j)) return 0;
  if (std::binary_search(b_codes.begin(), b_codes.end(), j)) return 1;
  return -1;
}

LeverageResult leverage(const Model& model, const CapacityInputs& world,
                        const std::vector<double>& world_cap, const RemovalEffects& effects,
                        const std::string& a, const std::string& b) {
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

  std::vector<std::vector<NodeIndex>> located(model.jurisdictions.size());
  for (NodeIndex n = 0; n < model.nodes.size(); ++n)
    if (model.nodes[n].jurisdiction != kNoJurisdiction && world_cap[n] > 0)
      located[model.nodes[n].jurisdiction].push_back(n);
  CapacityEngine engine(model);
  CapacityInputs in = world;
  std::vector<double> cap = world_cap;
  UndoLog undo;
  for (JurisdictionIndex j = 0; j < static_cast<JurisdictionIndex>(located.size()); ++j) {
    if (located[j].empty()) continue;
    for (NodeIndex n : located[j]) in.factor[n] = 0.0;
    engine.lower(cap, in, located[j], &undo);
    SideImpact impact;
    for (std::size_t k = 0; k < model.targets.size(); ++k)
      if (model.nodes[model.targets[k]].jurisdiction != j)
        add(impact, k, static_cast<NodeIndex>(-1), cap[model.targets[k]]);
    restore(cap, undo);
    for (NodeIndex n : located[j]) in.factor[n] = world.factor[n];
    r.jurisdictions.emplace_back(j, impact);
  }
  std::sort(r.jurisdictions.begin(), r.jurisdictions.end(), [&](const auto& x, const auto& y) {
    return model.jurisdiction_code(x.first) < model.jurisdiction_code(y.first);
  });
  r.budget_hit = engine.hit_budget();
  return r;
}

}  // namespace chokepoint
