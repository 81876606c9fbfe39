#include "graph/analysis/withholding.hpp"

#include <algorithm>

#include "graph/analysis/views.hpp"

namespace chokepoint {

namespace {

Withholding one_way(const CapacityEngine& engine, const Scenario& base, const std::string& from,
                    const std::string& to, const Control& terms, const Progress* progress,
                    bool& budget) {
  const Model& m = engine.model();
  Withholding w;
  w.from = from;
  w.to = to;
  auto giver = perspective_of(m, from);
  auto side = perspective_of(m, to);
  if (!giver || giver->entity() || !side || side->entity())
    throw WithholdingError{"withholding is between jurisdictions or blocs; '" +
                           (giver && !giver->entity() ? to : from) + "' is neither"};
  w.targets = side_targets(m, *side);
  ScenarioResult r = evaluate_scenario(engine, base, ViewRequest{{*side}, true});
  std::size_t v = *r.find_side(*side);
  const std::vector<double>& before = r.views[v].cap;
  auto rates = pair_rates(engine, r.world, r.world_inputs);
  // FDPR tests run on the world before entity controls, as the scenario's own denials did.
  CapacityInputs world0_in = world_inputs(m, base);
  std::vector<double> world0 = engine.evaluate(world0_in);
  std::vector<double> rates0 = pair_rates(engine, world0, world0_in);

  // `reached`, when given, gets the jurisdictions of the makers whose pairs only the FDPR denies
  // (not denied before), sorted.
  auto loss_with = [&](const Control& c, const std::vector<double>* falls,
                       std::vector<JurisdictionIndex>* reached = nullptr) {
    std::vector<char> denied = r.views[v].denied;
    std::vector<Exemption> exempt = r.views[v].exempt;
    std::vector<Denial> record;
    deny(m, c, static_cast<std::uint32_t>(base.controls.size()), *side,
         static_cast<std::uint32_t>(v), falls, denied, &record);
    if (reached) {
      for (const Denial& d : record)
        if (d.reason == DenialReason::fdpr && !r.views[v].denied[d.pair] &&
            m.pair_jurisdiction(d.pair) != kNoJurisdiction)
          reached->push_back(m.pair_jurisdiction(d.pair));
      std::sort(reached->begin(), reached->end());
      reached->erase(std::unique(reached->begin(), reached->end()), reached->end());
    }
    deny_whole(exempt, record);  // withheld from the whole side
    if (denied == r.views[v].denied && exempt == r.views[v].exempt) return 0.0;
    View after = make_view(engine, *side, r.world_inputs, r.world, rates, std::move(denied),
                           std::move(exempt));
    double loss = 0;
    for (NodeIndex t : w.targets) loss += before[t] - after.cap[t];
    return loss;
  };

  const bool fdpr = terms.fdpr;
  Control c = terms;
  c.by = giver->codes;
  c.against.clear();
  c.entities.clear();
  std::vector<double> falls;
  if (fdpr) falls = fdpr_falls(engine, world0_in, world0, rates0, c);
  // Every node a target depends on in the side's view, and the targets themselves.
  std::vector<char> upstream = reaching(m, w.targets, true);
  c.items.assign(m.nodes.size(), 0);
  for (std::size_t i = 0; i < m.by_id().size(); ++i) {
    NodeIndex x = m.by_id()[i];
    report_progress(progress, "withholding", i, m.nodes.size());
    if (!upstream[x] || !terms.item(x)) continue;
    c.items[x] = 1;
    std::vector<JurisdictionIndex> reached;
    double loss = loss_with(c, fdpr ? &falls : nullptr, &reached);
    c.items[x] = 0;
    if (loss <= kStatusEpsilon) continue;
    w.nodes.emplace_back(x, loss);
    if (!reached.empty()) w.fdpr_reach.emplace_back(x, std::move(reached));
  }
  std::stable_sort(w.nodes.begin(), w.nodes.end(), [](const auto& x, const auto& y) {
    return std::round(x.second * 1e12) > std::round(y.second * 1e12);
  });
  for (JurisdictionIndex j : giver->codes) {
    Control every = terms;
    every.by = {j};
    every.against.clear();
    every.entities.clear();
    std::vector<double> f;
    if (fdpr) f = fdpr_falls(engine, world0_in, world0, rates0, every);
    w.jurisdictions.emplace_back(j, loss_with(every, fdpr ? &f : nullptr));
  }
  std::sort(w.jurisdictions.begin(), w.jurisdictions.end(), [&](const auto& x, const auto& y) {
    return m.jurisdiction_code(x.first) < m.jurisdiction_code(y.first);
  });
  budget = budget || r.budget_hit;
  return w;
}

}  // namespace

const std::vector<JurisdictionIndex>& Withholding::reached_by_fdpr(NodeIndex n) const {
  static const std::vector<JurisdictionIndex> kNone;
  auto it = std::find_if(fdpr_reach.begin(), fdpr_reach.end(),
                         [n](const auto& e) { return e.first == n; });
  return it != fdpr_reach.end() ? it->second : kNone;
}

WithholdingResult withholding(const Model& model, const Scenario& base, const std::string& a,
                              const std::string& b, const Control& terms,
                              const Progress* progress) {
  CapacityEngine engine(model);
  WithholdingResult out;
  out.a = a;
  out.b = b;
  out.fdpr = terms.fdpr;
  out.items = terms.items_text;
  out.made_with = terms.made_with_text;
  out.de_minimis = terms.de_minimis;
  out.leverage = one_way(engine, base, a, b, terms, progress, out.budget_hit);
  out.exposure = one_way(engine, base, b, a, terms, progress, out.budget_hit);
  out.budget_hit = out.budget_hit || engine.hit_budget();
  return out;
}

}  // namespace chokepoint
