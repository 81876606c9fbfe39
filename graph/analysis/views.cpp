#include "graph/analysis/views.hpp"

#include <algorithm>
#include <limits>

namespace chokepoint {

namespace {

bool contains(const std::vector<JurisdictionIndex>& sorted, JurisdictionIndex j) {
  return j != kNoJurisdiction && std::binary_search(sorted.begin(), sorted.end(), j);
}

bool contains(const std::vector<NodeIndex>& sorted, NodeIndex n) {
  return std::binary_search(sorted.begin(), sorted.end(), n);
}

bool overlaps(const std::vector<JurisdictionIndex>& a, const std::vector<JurisdictionIndex>& b) {
  for (auto j : a)
    if (contains(b, j)) return true;
  return false;
}

// Whether a control applies to a perspective: it names it, or (for codes and blocs) its
// `against` codes overlap the perspective's.
bool applies(const Control& c, const Perspective& p) {
  if (std::find(c.against_names.begin(), c.against_names.end(), p.name) != c.against_names.end())
    return true;
  return !p.entity() && overlaps(c.against, p.codes);
}

// Outside the perspective: located somewhere that is not it (for an entity: every located node
// that is not the entity).
bool node_outside(const Model& m, const Perspective& p, NodeIndex n) {
  JurisdictionIndex j = m.nodes[n].jurisdiction;
  if (j == kNoJurisdiction) return false;
  return p.entity() ? !contains(p.entities, n) : !contains(p.codes, j);
}

bool pair_outside(const Model& m, const Perspective& p, std::uint32_t pair) {
  JurisdictionIndex j = m.pair_jurisdiction(pair);
  if (j == kNoJurisdiction) return false;
  return p.entity() ? !contains(p.entities, m.pair_maker(pair)) : !contains(p.codes, j);
}

// What an undenied pair runs at in p's view (its product outside p or not): its world rate when
// the product or the pair is outside p, else NaN (computed in the view). An entity's own pairs
// run on its own access, whoever buys the product.
double undenied_pin(const Model& m, const Perspective& p, std::uint32_t q, bool product_outside,
                    const std::vector<double>& world_rates) {
  if ((product_outside || pair_outside(m, p, q)) &&
      !(p.entity() && contains(p.entities, m.pair_maker(q))))
    return world_rates[q];
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<double> pair_rates(const CapacityEngine& engine, const std::vector<double>& cap,
                               const CapacityInputs& in) {
  const Model& m = engine.model();
  std::vector<double> rates(m.pair_count());
  for (NodeIndex n = 0; n < m.nodes.size(); ++n) {
    double req = engine.requirement(n, cap, in);
    for (std::uint32_t p = m.first_pair(n); p < m.first_pair(n + 1); ++p)
      rates[p] = engine.pair_rate(p, req, cap, in);
  }
  // Pairs only a side's sourcing lists (rare): the same rule.
  for (auto p = static_cast<std::uint32_t>(m.world_pair_count()); p < m.pair_count(); ++p)
    rates[p] = engine.pair_rate(p, engine.requirement(m.pair_product(p), cap, in), cap, in);
  return rates;
}

std::optional<std::size_t> sourcing_for(const Model& model, const Perspective& p, NodeIndex n) {
  const auto& entries = model.nodes[n].sourcing();
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const Sourcing& s = entries[k];
    if (p.entity() ? s.entity && p.entities.size() == 1 && *s.entity == p.entities[0]
                   : !s.entity && s.codes == p.codes)
      return k;
  }
  // A listed firm with no entry of its own buys as its country does: Huawei buys HBM2E in
  // China's market, not at world shares.
  if (p.entity() && p.entities.size() == 1) {
    JurisdictionIndex j = model.nodes[p.entities[0]].jurisdiction;
    if (j != kNoJurisdiction)
      for (std::size_t k = 0; k < entries.size(); ++k)
        if (!entries[k].entity && entries[k].codes.size() == 1 && entries[k].codes[0] == j)
          return k;
  }
  return std::nullopt;
}

std::vector<std::int32_t> view_sourcing(const Model& model, const Perspective& p) {
  std::vector<std::int32_t> out;
  if (!model.has_sourcing) return out;
  for (NodeIndex n = 0; n < model.nodes.size(); ++n) {
    if (model.nodes[n].sourcing().empty() || node_outside(model, p, n)) continue;
    if (auto k = sourcing_for(model, p, n)) {
      if (out.empty()) out.assign(model.nodes.size(), -1);
      out[n] = static_cast<std::int32_t>(*k);
    }
  }
  return out;
}

namespace {

// A bloc's view with exemptions (make_view). What a member buys is its own nodes and the pairs
// of the makers located in it: each group of codes is evaluated with its own denials and the
// rest of the bloc (its nodes and its makers' pairs) pinned at the bloc's values, then the bloc
// with each group's nodes and pairs pinned at the group's; from the view with every denial
// (below the answer) up until no value moves.
void settle_exemptions(const CapacityEngine& engine, const Perspective& p,
                       const std::vector<double>& world_rates, View& v) {
  const Model& m = engine.model();
  std::size_t groups = v.exempt.size();
  constexpr std::size_t kOutside = std::numeric_limits<std::size_t>::max();
  // The group of a code of the bloc (`groups`: the codes every control is against), else
  // kOutside.
  auto group_of = [&](JurisdictionIndex j) {
    if (!contains(p.codes, j)) return kOutside;
    for (std::size_t g = 0; g < groups; ++g)
      if (contains(v.exempt[g].codes, j)) return g;
    return groups;
  };
  std::vector<std::size_t> node_group(m.nodes.size()), pair_group(m.pair_count());
  for (NodeIndex n = 0; n < m.nodes.size(); ++n) node_group[n] = group_of(m.nodes[n].jurisdiction);
  for (std::uint32_t q = 0; q < m.pair_count(); ++q)
    pair_group[q] = group_of(m.pair_jurisdiction(q));
  std::vector<CapacityInputs> own(groups, v.inputs);
  for (std::size_t g = 0; g < groups; ++g)
    for (std::uint32_t q : v.exempt[g].pairs)
      own[g].pair_pinned[q] =
          undenied_pin(m, p, q, node_outside(m, p, m.pair_product(q)), world_rates);
  CapacityInputs all = v.inputs;
  constexpr int kMaxRounds = 64;
  for (int round = 0; round < kMaxRounds; ++round) {
    auto rates = pair_rates(engine, v.cap, all);
    for (std::size_t g = 0; g < groups; ++g) {
      CapacityInputs in = own[g];
      for (NodeIndex n = 0; n < m.nodes.size(); ++n)
        if (node_group[n] != kOutside && node_group[n] != g) in.pinned[n] = v.cap[n];
      for (std::uint32_t q = 0; q < m.pair_count(); ++q)
        if (pair_group[q] != kOutside && pair_group[q] != g &&
            !std::binary_search(v.exempt[g].pairs.begin(), v.exempt[g].pairs.end(), q))
          in.pair_pinned[q] = rates[q];
      auto cap = engine.evaluate(in);
      auto own_rates = pair_rates(engine, cap, in);
      for (NodeIndex n = 0; n < m.nodes.size(); ++n)
        if (node_group[n] == g) all.pinned[n] = cap[n];
      for (std::uint32_t q = 0; q < m.pair_count(); ++q)
        if (pair_group[q] == g) all.pair_pinned[q] = own_rates[q];
    }
    auto next = engine.evaluate(all);
    bool settled = next == v.cap;
    v.cap = std::move(next);
    if (settled) break;
  }
  v.inputs = std::move(all);
}

}  // namespace

View make_view(const CapacityEngine& engine, const Perspective& p, const CapacityInputs& base,
               const std::vector<double>& world, const std::vector<double>& world_rates,
               std::vector<char> denied, std::vector<Exemption> exempt) {
  const Model& m = engine.model();
  View v;
  v.name = p.name;
  v.inputs = base;
  v.inputs.enable_pairs(m.pair_count());
  v.inputs.sourcing = view_sourcing(m, p);
  auto pin = [&](std::uint32_t q, bool outside) {
    v.inputs.pair_pinned[q] = denied[q] ? 0.0 : undenied_pin(m, p, q, outside, world_rates);
  };
  for (NodeIndex n = 0; n < m.nodes.size(); ++n) {
    std::uint32_t first = m.first_pair(n), last = m.first_pair(n + 1);
    bool any_denied =
        std::any_of(denied.begin() + first, denied.begin() + last, [](char d) { return d != 0; });
    bool outside = node_outside(m, p, n);
    if (outside && !any_denied) {
      v.inputs.pinned[n] = world[n];
      continue;
    }
    if (!v.inputs.sourcing.empty() && v.inputs.sourcing[n] >= 0) {
      // The side buys it its own way: the pairs of its sourcing group.
      for (std::uint32_t q : m.nodes[n].sourcing()[v.inputs.sourcing[n]].pairs) pin(q, outside);
      continue;
    }
    for (std::uint32_t q = first; q < last; ++q) pin(q, outside);
  }
  v.cap = engine.evaluate(v.inputs);
  v.denied = std::move(denied);
  v.exempt = std::move(exempt);
  if (!v.exempt.empty()) settle_exemptions(engine, p, world_rates, v);
  return v;
}

std::vector<double> fdpr_falls(const CapacityEngine& engine, const CapacityInputs& world_inputs,
                               const std::vector<double>& world, const std::vector<double>& rates,
                               const Control& c) {
  const Model& m = engine.model();
  CapacityInputs without = world_inputs;
  std::vector<NodeIndex> removed;
  // Only controlling jurisdictions whose law has an FDPR reach foreign-made items.
  for (NodeIndex n = 0; n < m.nodes.size(); ++n)
    if (contains(c.by, m.nodes[n].jurisdiction) && m.applies_fdpr(m.nodes[n].jurisdiction) &&
        c.made_with_node(n) && without.factor[n] > 0) {
      without.factor[n] = 0.0;
      removed.push_back(n);
    }
  std::vector<double> cap = world;
  engine.lower(cap, without, removed);
  auto after = pair_rates(engine, cap, without);
  std::vector<double> falls(m.pair_count(), 0.0);
  for (std::size_t q = 0; q < falls.size(); ++q)
    if (rates[q] > kStatusEpsilon) falls[q] = (rates[q] - after[q]) / rates[q];
  return falls;
}

void deny(const Model& m, const Control& c, std::uint32_t control, const Perspective& p,
          std::uint32_t perspective, const std::vector<double>* falls, std::vector<char>& denied,
          std::vector<Denial>* record) {
  auto pair = [&](std::uint32_t q, bool product_by) {
    // An entity is never denied what it makes itself: it sells it (docs/scenarios.md).
    if (p.entity() && contains(p.entities, m.pair_maker(q))) return;
    JurisdictionIndex j = m.pair_jurisdiction(q);
    if (product_by || contains(c.by, j)) {
      denied[q] = 1;
      if (record) record->push_back(Denial{perspective, q, control, DenialReason::direct, 1.0});
      return;
    }
    if (!c.fdpr || !falls || j == kNoJurisdiction) return;
    bool third = p.entity() || !contains(p.codes, j);
    if (third && (*falls)[q] > c.de_minimis + 1e-12) {
      denied[q] = 1;
      if (record)
        record->push_back(Denial{perspective, q, control, DenialReason::fdpr, (*falls)[q]});
    }
  };
  for (NodeIndex n = 0; n < m.nodes.size(); ++n) {
    if (!c.item(n)) continue;
    bool product_by = contains(c.by, m.nodes[n].jurisdiction);
    for (std::uint32_t q = m.first_pair(n); q < m.first_pair(n + 1); ++q) pair(q, product_by);
  }
  for (auto q = static_cast<std::uint32_t>(m.world_pair_count()); q < m.pair_count(); ++q) {
    NodeIndex n = m.pair_product(q);
    if (c.item(n)) pair(q, contains(c.by, m.nodes[n].jurisdiction));
  }
}

bool control_applies(const Control& c, const Perspective& p) { return applies(c, p); }

Perspective control_scope(const Control& c, const Perspective& p) {
  if (p.entity() || p.codes.size() < 2 ||
      std::find(c.against_names.begin(), c.against_names.end(), p.name) != c.against_names.end())
    return p;
  Perspective scope{p.name, {}, {}};
  for (JurisdictionIndex j : p.codes)
    if (std::find(c.against.begin(), c.against.end(), j) != c.against.end())
      scope.codes.push_back(j);
  return scope.codes.empty() ? p : scope;
}

void deny_whole(std::vector<Exemption>& exempt, std::span<const Denial> denials) {
  if (exempt.empty() || denials.empty()) return;
  std::vector<std::uint32_t> whole;
  for (const Denial& d : denials) whole.push_back(d.pair);
  std::sort(whole.begin(), whole.end());
  for (Exemption& e : exempt)
    std::erase_if(e.pairs, [&](std::uint32_t q) {
      return std::binary_search(whole.begin(), whole.end(), q);
    });
  std::erase_if(exempt, [](const Exemption& e) { return e.pairs.empty(); });
}

std::vector<Exemption> exemptions(const std::vector<Control>& controls, const Perspective& bloc,
                                  std::uint32_t view, const std::vector<Denial>& denials) {
  std::vector<Exemption> out;
  if (bloc.entity() || bloc.codes.size() < 2) return out;
  // The controls each code of the bloc is under (only those that apply to part of the bloc
  // tell codes apart; the rest apply to every code).
  std::vector<std::vector<std::uint32_t>> under(bloc.codes.size());
  bool partial = false;
  for (std::uint32_t k = 0; k < controls.size(); ++k) {
    if (!applies(controls[k], bloc)) continue;
    Perspective scope = control_scope(controls[k], bloc);
    if (scope.codes == bloc.codes) continue;
    partial = true;
    for (std::size_t i = 0; i < bloc.codes.size(); ++i)
      if (!contains(scope.codes, bloc.codes[i])) under[i].push_back(k);
  }
  if (!partial) return out;
  // `under[i]` now lists the partial controls code i is NOT under; codes with the same list
  // form a group, exempt from the pairs that only those controls deny.
  std::vector<std::pair<std::vector<std::uint32_t>, std::vector<JurisdictionIndex>>> groups;
  for (std::size_t i = 0; i < bloc.codes.size(); ++i) {
    if (under[i].empty()) continue;
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == under[i]; });
    if (it == groups.end()) it = groups.insert(groups.end(), {under[i], {}});
    it->second.push_back(bloc.codes[i]);
  }
  for (auto& [outside, codes] : groups) {
    Exemption e{std::move(codes), {}};
    // Denials come sorted by view, then pair: a pair is exempt when every control that denies
    // it is one the group is not under.
    for (auto d = denials.begin(); d != denials.end();) {
      auto end = d;
      bool exempt = true;
      for (; end != denials.end() && end->perspective == d->perspective && end->pair == d->pair;
           ++end)
        exempt = exempt && std::binary_search(outside.begin(), outside.end(), end->control);
      if (d->perspective == view && exempt) e.pairs.push_back(d->pair);
      d = end;
    }
    if (!e.pairs.empty()) out.push_back(std::move(e));
  }
  return out;
}

std::string_view reason_name(DenialReason r) {
  return r == DenialReason::direct ? "direct" : "fdpr";
}

CapacityInputs world_inputs(const Model& model, const Scenario& scenario) {
  CapacityInputs in(model.nodes.size());
  for (const auto& [n, f] : scenario.capacity) in.factor[n] *= f;
  for (NodeIndex n : scenario.remove) in.factor[n] = 0.0;
  for (NodeIndex n = 0; n < model.nodes.size(); ++n)
    if (contains(scenario.remove_jurisdictions, model.nodes[n].jurisdiction)) in.factor[n] = 0.0;
  return in;
}

std::optional<Perspective> perspective_of(const Model& model, const std::string& name) {
  Perspective p{name, {}, {}};
  if (auto codes = resolve_scenario_codes(model, name)) {
    p.codes = std::move(*codes);
    std::sort(p.codes.begin(), p.codes.end());
  } else if (auto n = model.find(name)) {
    p.entities = {*n};
  } else {
    return std::nullopt;
  }
  return p;
}

std::vector<NodeIndex> side_targets(const Model& model, const Perspective& side) {
  std::vector<NodeIndex> out;
  for (NodeIndex t : model.targets)
    if (shown_in_view(model, side, t)) out.push_back(t);
  return out;
}

std::vector<Perspective> perspectives(const Model& model, const Scenario& scenario) {
  std::vector<Perspective> out;
  for (const auto& c : scenario.controls)
    for (const auto& name : c.against_names) {
      if (std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.name == name; }))
        continue;
      out.push_back(perspective_of(model, name).value_or(Perspective{name, {}, {}}));
    }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::optional<std::size_t> ScenarioResult::find_view(std::string_view name) const {
  for (std::size_t i = 0; i < views.size(); ++i)
    if (views[i].name == name) return i;
  return std::nullopt;
}

std::optional<std::size_t> ScenarioResult::find_side(const Perspective& side) const {
  for (std::size_t i = 0; i < perspectives.size(); ++i)
    if (perspectives[i].same_side(side) && !views[i].cap.empty()) return i;
  return std::nullopt;
}

std::vector<std::uint32_t> pairs_made_by(const Model& model, const Perspective& p) {
  std::vector<std::uint32_t> out;
  if (!p.entity()) return out;
  for (std::uint32_t q = 0; q < model.pair_count(); ++q)
    if (contains(p.entities, model.pair_maker(q))) out.push_back(q);
  return out;
}

bool shown_in_view(const Model& model, const Perspective& p, NodeIndex n) {
  JurisdictionIndex j = model.nodes[n].jurisdiction;
  if (j == kNoJurisdiction) return true;
  if (p.entity()) return j == model.nodes[p.entities[0]].jurisdiction || contains(p.entities, n);
  return contains(p.codes, j);
}

bool node_denied(const Model& model, const View& view, NodeIndex n) {
  if (!view.inputs.sourcing.empty() && view.inputs.sourcing[n] >= 0) {
    for (std::uint32_t p : model.nodes[n].sourcing()[view.inputs.sourcing[n]].pairs)
      if (!view.denied[p]) return false;
    return true;
  }
  for (std::uint32_t p = model.first_pair(n); p < model.first_pair(n + 1); ++p)
    if (!view.denied[p]) return false;
  return true;
}

ScenarioResult evaluate_scenario(const CapacityEngine& engine, const Scenario& scenario,
                                 const ViewRequest& request) {
  const Model& m = engine.model();
  std::size_t pairs = m.pair_count();
  ScenarioResult r;
  r.world_inputs = world_inputs(m, scenario);
  r.world = engine.evaluate(r.world_inputs);
  r.perspectives = perspectives(m, scenario);
  // Which views to compute: every side, or the requested ones (entity views the world needs
  // are computed anyway).
  std::vector<char> wanted(r.perspectives.size(), !request.only_also);
  for (const Perspective& p : request.also) {
    auto it = std::find_if(r.perspectives.begin(), r.perspectives.end(),
                           [&](const Perspective& q) { return q.same_side(p); });
    if (it != r.perspectives.end()) {
      wanted[static_cast<std::size_t>(it - r.perspectives.begin())] = 1;
      continue;
    }
    r.perspectives.push_back(p);
    wanted.push_back(1);
  }
  if (r.perspectives.empty()) {
    r.budget_hit = engine.hit_budget();
    return r;
  }
  const std::vector<double> world0 = r.world;
  const std::vector<double> rates0 = pair_rates(engine, world0, r.world_inputs);

  // FDPR: how much each pair would lose if the controlling side's `made_with` nodes were gone.
  std::vector<std::vector<double>> falls(scenario.controls.size());
  for (std::size_t k = 0; k < scenario.controls.size(); ++k) {
    bool needed = false;
    for (std::size_t v = 0; v < r.perspectives.size(); ++v)
      needed |= (wanted[v] || r.perspectives[v].entity()) &&
                applies(scenario.controls[k], r.perspectives[v]);
    if (scenario.controls[k].fdpr && needed)
      falls[k] = fdpr_falls(engine, r.world_inputs, world0, rates0, scenario.controls[k]);
  }

  // Denials per perspective, decided on the world before any entity control.
  std::vector<std::vector<char>> denied(r.perspectives.size());
  for (std::uint32_t v = 0; v < r.perspectives.size(); ++v) {
    if (!wanted[v] && !r.perspectives[v].entity()) continue;
    denied[v].assign(pairs, 0);
    for (std::uint32_t k = 0; k < scenario.controls.size(); ++k)
      if (applies(scenario.controls[k], r.perspectives[v]))
        deny(m, scenario.controls[k], k, control_scope(scenario.controls[k], r.perspectives[v]), v,
             &falls[k], denied[v], &r.denials);
  }
  std::stable_sort(r.denials.begin(), r.denials.end(), [](const Denial& a, const Denial& b) {
    return a.perspective != b.perspective ? a.perspective < b.perspective : a.pair < b.pair;
  });
  std::vector<std::vector<Exemption>> exempt(r.perspectives.size());
  for (std::uint32_t v = 0; v < r.perspectives.size(); ++v)
    if (!denied[v].empty())
      exempt[v] = exemptions(scenario.controls, r.perspectives[v], v, r.denials);

  // Entity controls: the pairs an entity makes run at their rate in the entity's view, in the
  // world and in every view. The world and the entity views depend on each other; iterate from
  // the top until the world stops moving.
  std::vector<std::vector<std::uint32_t>> made_by(r.perspectives.size());
  bool any_entity = false;
  for (std::size_t v = 0; v < r.perspectives.size(); ++v)
    if (r.perspectives[v].entity()) {
      any_entity = true;
      made_by[v] = pairs_made_by(m, r.perspectives[v]);
    }
  r.views.resize(r.perspectives.size());
  if (any_entity) {
    r.world_inputs.enable_pairs(pairs);
    constexpr int kMaxRounds = 64;
    bool settled = false;
    for (int round = 0; round < kMaxRounds && !settled; ++round) {
      auto rates = pair_rates(engine, r.world, r.world_inputs);
      std::vector<std::pair<std::uint32_t, double>> limits;
      for (std::size_t v = 0; v < r.perspectives.size(); ++v) {
        if (!r.perspectives[v].entity()) continue;
        CapacityInputs base = r.world_inputs;
        for (std::uint32_t q : made_by[v])
          base.pair_limit[q] = std::numeric_limits<double>::infinity();
        r.views[v] = make_view(engine, r.perspectives[v], base, r.world, rates, denied[v]);
        auto own = pair_rates(engine, r.views[v].cap, r.views[v].inputs);
        for (std::uint32_t q : made_by[v]) limits.emplace_back(q, own[q]);
      }
      for (auto [q, limit] : limits) r.world_inputs.pair_limit[q] = limit;
      auto next = engine.evaluate(r.world_inputs);
      settled = next == r.world;
      r.world = std::move(next);
    }
    if (!settled) r.budget_hit = true;
  }
  auto rates = pair_rates(engine, r.world, r.world_inputs);
  for (std::size_t v = 0; v < r.perspectives.size(); ++v) {
    if (r.perspectives[v].entity() || !wanted[v]) continue;
    r.views[v] =
        make_view(engine, r.perspectives[v], r.world_inputs, r.world, rates, denied[v], exempt[v]);
  }
  r.budget_hit = r.budget_hit || engine.hit_budget();
  return r;
}

}  // namespace chokepoint
