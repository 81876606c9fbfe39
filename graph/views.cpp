#include "graph/views.hpp"

#include <algorithm>

namespace chokepoint {

namespace {

bool contains(const std::vector<JurisdictionIndex>& sorted, JurisdictionIndex j) {
  return j != kNoJurisdiction && std::binary_search(sorted.begin(), sorted.end(), j);
}

bool overlaps(const std::vector<JurisdictionIndex>& a, const std::vector<JurisdictionIndex>& b) {
  for (auto j : a)
    if (contains(b, j)) return true;
  return false;
}

}  // namespace

CapacityInputs world_inputs(const Model& model, const Scenario& scenario) {
  CapacityInputs in(model.nodes.size());
  for (const auto& [n, f] : scenario.capacity) in.factor[n] *= f;
  for (NodeIndex n : scenario.remove) in.factor[n] = 0.0;
  for (NodeIndex n = 0; n < model.nodes.size(); ++n)
    if (contains(scenario.remove_jurisdictions, model.nodes[n].jurisdiction)) in.factor[n] = 0.0;
  return in;
}

std::vector<Perspective> perspectives(const Model& model, const Scenario& scenario) {
  std::vector<Perspective> out;
  for (const auto& e : scenario.embargoes)
    for (const auto& name : e.against_names) {
      if (std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.name == name; }))
        continue;
      auto codes = model.resolve_codes(name).value_or(std::vector<JurisdictionIndex>{});
      std::sort(codes.begin(), codes.end());
      out.push_back(Perspective{name, std::move(codes)});
    }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

View compute_view(const CapacityEngine& engine, const Scenario& scenario,
                  const CapacityInputs& world, const std::vector<double>& world_cap,
                  const Perspective& perspective) {
  const Model& model = engine.model();
  std::size_t n = model.nodes.size();
  View view;
  view.name = perspective.name;
  view.denied.assign(n, 0);
  for (const auto& e : scenario.embargoes) {
    bool named = std::find(e.against_names.begin(), e.against_names.end(), perspective.name) !=
                 e.against_names.end();
    if (!named && !overlaps(e.against, perspective.codes)) continue;
    std::vector<NodeIndex> by_nodes;
    for (NodeIndex i = 0; i < n; ++i)
      if (contains(e.by, model.nodes[i].jurisdiction)) {
        view.denied[i] = 1;
        by_nodes.push_back(i);
      }
    if (!e.fdpr || by_nodes.empty()) continue;
    // FDPR: the world without the embargoing bloc; third-country items that would fall by more
    // than de minimis are "made with" its inputs.
    CapacityInputs without = world;
    for (NodeIndex i : by_nodes) without.factor[i] = 0.0;
    std::vector<double> cap = world_cap;
    engine.lower(cap, without, by_nodes);
    for (NodeIndex i = 0; i < n; ++i) {
      JurisdictionIndex j = model.nodes[i].jurisdiction;
      if (j == kNoJurisdiction || contains(e.by, j) || contains(e.against, j)) continue;
      if (world_cap[i] <= kStatusEpsilon) continue;
      double fall = (world_cap[i] - cap[i]) / world_cap[i];
      if (fall > e.de_minimis + 1e-12) view.denied[i] = 1;
    }
  }
  CapacityInputs in = world;
  for (NodeIndex i = 0; i < n; ++i) {
    JurisdictionIndex j = model.nodes[i].jurisdiction;
    if (view.denied[i])
      in.pinned[i] = 0.0;
    else if (j != kNoJurisdiction && !contains(perspective.codes, j))
      in.pinned[i] = world_cap[i];
  }
  view.cap = engine.evaluate(in);
  view.inputs = std::move(in);
  return view;
}

}  // namespace chokepoint
