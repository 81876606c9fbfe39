// An independent, slow reading of the capacity equations (docs/analysis.md) for cross-checks:
// Jacobi iteration from all ones over the written equations, production sites per pair, denials and
// views straight from the text, no incremental tricks, no policy iteration. Only for small graphs
// whose loops leak enough to converge by iteration.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "graph/model/model.hpp"
#include "graph/model/scenario.hpp"

namespace chokepoint::testing {

class Reference {
 public:
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  static constexpr double kInf = std::numeric_limits<double>::infinity();

  // What one evaluation fixes: node values, pair rates, caps on pair rates.
  struct Spec {
    std::vector<double> factor, node_fixed, pair_fixed, pair_cap;
    std::vector<int> sourcing = {};  // per node: the sourcing entry used (-1 or empty: the world's)
    // A timeline's month: a node's value from its raw value (what its groups give) and the
    // current values. Without it, an installed base (lifetime_months) is intact: f(n).
    std::function<double(NodeIndex, double, const std::vector<double>&)> adjust = {};
  };

  explicit Reference(const Model& m) : m_(m) {}

  Spec spec(const std::vector<double>& factor) const {
    return Spec{factor,
                std::vector<double>(m_.nodes.size(), kNaN),
                std::vector<double>(m_.pair_count(), kNaN),
                std::vector<double>(m_.pair_count(), kInf),
                {}};
  }
  std::vector<double> ones() const { return std::vector<double>(m_.nodes.size(), 1.0); }

  double req(NodeIndex n, const std::vector<double>& cap) const {
    double low = 1;
    for (const auto& g : m_.nodes[n].groups) {
      if (g.role == Role::supplier) continue;
      double s = 0;
      for (const auto& mem : g.members) s += mem.weight * cap[mem.node];
      bool ok = g.threshold == 0 ? s > 0 : s >= g.threshold - 1e-12;
      low = std::min(low, ok ? s : 0.0);
    }
    return low;
  }

  double rate(std::uint32_t p, const std::vector<double>& cap, const Spec& s) const {
    if (!std::isnan(s.pair_fixed[p])) return s.pair_fixed[p];
    NodeIndex n = m_.pair_product(p), maker = m_.pair_maker(p);
    double r = req(n, cap);
    if (m_.nodes[n].has_suppliers) r = std::min(r, cap[maker]);
    return std::min(r, s.pair_cap[p]);
  }

  std::vector<double> evaluate(const Spec& s) const {
    std::size_t n = m_.nodes.size();
    std::vector<double> cap(n, 1.0), next(n);
    for (int iter = 0; iter < 400000; ++iter) {
      double change = 0;
      for (NodeIndex i = 0; i < n; ++i) {
        if (!std::isnan(s.node_fixed[i]))
          next[i] = s.node_fixed[i];
        else if (s.adjust)
          next[i] = s.adjust(i, raw(i, cap, s), cap);
        else if (m_.nodes[i].extras.get().lifetime_months)
          next[i] = s.factor[i];
        else
          next[i] = raw(i, cap, s);
        change = std::max(change, std::abs(next[i] - cap[i]));
      }
      cap.swap(next);
      if (change <= 1e-16) break;
    }
    return cap;
  }

  // What node i's groups give over `cap`.
  double raw(NodeIndex i, const std::vector<double>& cap, const Spec& s) const {
    if (s.factor[i] == 0) return 0;
    const Group* sup = m_.nodes[i].supplier_group();
    double supply = 0;
    if (!s.sourcing.empty() && s.sourcing[i] >= 0) {
      sup = &m_.nodes[i].sourcing()[static_cast<std::size_t>(s.sourcing[i])].group;
      for (const Member& mem : sup->members)
        supply += mem.weight * rate(pair_of(i, mem.node), cap, s);
    } else {
      for (std::uint32_t p = m_.first_pair(i); p < m_.first_pair(i + 1); ++p)
        supply += (sup ? sup->members[p - m_.first_pair(i)].weight : 1.0) * rate(p, cap, s);
    }
    double t = sup ? sup->threshold : 0.0;
    bool ok = t == 0 ? supply > 0 : supply >= t - 1e-12;
    double v = std::min(1.0, ok ? s.factor[i] * supply : 0.0);
    return v < 1e-12 ? 0 : v;
  }

  std::vector<double> rates(const std::vector<double>& cap, const Spec& s) const {
    std::vector<double> out(m_.pair_count());
    for (std::uint32_t p = 0; p < out.size(); ++p) out[p] = rate(p, cap, s);
    return out;
  }

  // The maker-product pair (maker, product): a world pair, else one only sourcing lists.
  std::uint32_t pair_of(NodeIndex product, NodeIndex maker) const {
    for (std::uint32_t p = 0; p < m_.pair_count(); ++p)
      if (m_.pair_product(p) == product && m_.pair_maker(p) == maker) return p;
    return static_cast<std::uint32_t>(-1);
  }

  // A perspective as the reference sees it.
  struct Side {
    std::string name;
    std::vector<JurisdictionIndex> codes;
    NodeIndex entity = static_cast<NodeIndex>(-1);
    bool is_entity() const { return entity != static_cast<NodeIndex>(-1); }
  };

  struct Result {
    Spec world_spec;  // the factors and the caps entity controls put on the pairs they make
    std::vector<double> world;
    std::vector<Side> sides;
    std::vector<std::vector<double>> views;
    std::vector<std::vector<char>> denied;  // per side, per pair
  };

  Result evaluate_scenario(const Scenario& sc, std::vector<double> factor) const {
    Result r;
    Spec world_spec = spec(factor);
    std::vector<double> w0 = evaluate(world_spec);
    std::vector<double> rates0 = rates(w0, world_spec);
    for (const auto& c : sc.controls)
      for (const auto& name : c.against_names) {
        if (std::any_of(r.sides.begin(), r.sides.end(),
                        [&](const Side& s) { return s.name == name; }))
          continue;
        Side side{name, {}, static_cast<NodeIndex>(-1)};
        if (auto codes = resolve_scenario_codes(m_, name))
          side.codes = *codes;
        else
          side.entity = *m_.find(name);
        r.sides.push_back(side);
      }
    std::sort(r.sides.begin(), r.sides.end(),
              [](const Side& a, const Side& b) { return a.name < b.name; });
    auto in = [](const std::vector<JurisdictionIndex>& v, JurisdictionIndex j) {
      return j != kNoJurisdiction && std::find(v.begin(), v.end(), j) != v.end();
    };
    // Denials on the world before entity controls.
    for (const Side& side : r.sides) {
      std::vector<char> denied(m_.pair_count(), 0);
      for (const auto& c : sc.controls) {
        bool named = std::find(c.against_names.begin(), c.against_names.end(), side.name) !=
                     c.against_names.end();
        bool overlap = false;
        for (auto j : side.codes) overlap |= in(c.against, j);
        if (!named && (side.is_entity() || !overlap)) continue;
        std::vector<double> fall(m_.pair_count(), 0.0);
        bool declared = false;
        for (const auto& j : m_.jurisdictions) declared |= j.fdpr;
        if (c.fdpr) {
          // Only the controlling jurisdictions whose law has an FDPR (all, if none declares).
          auto f2 = factor;
          for (NodeIndex n = 0; n < m_.nodes.size(); ++n) {
            JurisdictionIndex j = m_.nodes[n].jurisdiction;
            if (in(c.by, j) && (!declared || m_.jurisdictions[j].fdpr) && c.made_with_node(n))
              f2[n] = 0;
          }
          Spec s2 = spec(f2);
          auto w2 = evaluate(s2);
          auto rates2 = rates(w2, s2);
          for (std::uint32_t p = 0; p < fall.size(); ++p)
            if (rates0[p] > 1e-9) fall[p] = (rates0[p] - rates2[p]) / rates0[p];
        }
        for (std::uint32_t p = 0; p < m_.pair_count(); ++p) {
          NodeIndex n = m_.pair_product(p);
          if (!c.item(n)) continue;
          // What an entity makes is never denied to it: it sells it.
          if (side.is_entity() && m_.pair_maker(p) == side.entity) continue;
          JurisdictionIndex j = m_.pair_jurisdiction(p);
          if (in(c.by, m_.nodes[n].jurisdiction) || in(c.by, j)) {
            denied[p] = 1;
            continue;
          }
          if (!c.fdpr || j == kNoJurisdiction) continue;
          bool third = side.is_entity() ? m_.pair_maker(p) != side.entity : !in(side.codes, j);
          if (third && fall[p] > c.de_minimis + 1e-12) denied[p] = 1;
        }
      }
      r.denied.push_back(denied);
    }
    // Views: entity views and the world settle together; then the others.
    r.views.assign(r.sides.size(), {});
    std::vector<double> world = w0;
    Spec ws = world_spec;
    for (int round = 0; round < 100; ++round) {
      Spec next_spec = world_spec;
      for (std::size_t v = 0; v < r.sides.size(); ++v) {
        if (!r.sides[v].is_entity()) continue;
        Spec base = ws;
        for (std::uint32_t p = 0; p < m_.pair_count(); ++p)
          if (m_.pair_maker(p) == r.sides[v].entity) base.pair_cap[p] = kInf;
        Spec vs = view_spec(r.sides[v], r.denied[v], base, ws, world);
        r.views[v] = evaluate(vs);
        // The entity's own pairs, from its own access, whoever buys the product.
        for (std::uint32_t p = 0; p < m_.pair_count(); ++p) {
          NodeIndex e = r.sides[v].entity, product = m_.pair_product(p);
          if (m_.pair_maker(p) != e) continue;
          double own = r.denied[v][p] ? 0.0 : req(product, r.views[v]);
          if (m_.nodes[product].has_suppliers) own = std::min(own, r.views[v][e]);
          next_spec.pair_cap[p] = own;
        }
      }
      auto next = evaluate(next_spec);
      ws = next_spec;
      bool same = next == world;
      world = next;
      if (same) break;
    }
    for (std::size_t v = 0; v < r.sides.size(); ++v)
      if (!r.sides[v].is_entity())
        r.views[v] = evaluate(view_spec(r.sides[v], r.denied[v], ws, ws, world));
    r.world = world;
    r.world_spec = ws;
    return r;
  }

  // The view's spec: `base` (the world's, less the caps a side puts on itself), with the pairs
  // from outside at their world rate (under `world_spec`) and the denied pairs at 0.
  Spec view_spec(const Side& side, const std::vector<char>& denied, const Spec& base,
                 const Spec& world_spec, const std::vector<double>& world) const {
    auto located_outside = [&](JurisdictionIndex j, NodeIndex who) {
      if (j == kNoJurisdiction) return false;
      if (side.is_entity()) return who != side.entity;
      return std::find(side.codes.begin(), side.codes.end(), j) == side.codes.end();
    };
    Spec s = base;
    auto world_rates = rates(world, world_spec);
    for (std::uint32_t p = 0; p < m_.pair_count(); ++p) {
      NodeIndex n = m_.pair_product(p);
      bool node_out = located_outside(m_.nodes[n].jurisdiction, n);
      if (denied[p])
        s.pair_fixed[p] = 0;
      else if (node_out || located_outside(m_.pair_jurisdiction(p), m_.pair_maker(p)))
        s.pair_fixed[p] = world_rates[p];
    }
    // A node recomputed in the view (not located outside the side) buys as the side's sourcing
    // says, when it says; an entity with no entry of its own as its jurisdiction's entry says.
    s.sourcing.assign(m_.nodes.size(), -1);
    for (NodeIndex n = 0; n < m_.nodes.size(); ++n) {
      if (located_outside(m_.nodes[n].jurisdiction, n)) continue;
      const auto& entries = m_.nodes[n].sourcing();
      int own = -1, country = -1;
      for (std::size_t k = 0; k < entries.size(); ++k) {
        std::vector<JurisdictionIndex> codes = side.codes;
        std::sort(codes.begin(), codes.end());
        bool same = side.is_entity() ? entries[k].entity && *entries[k].entity == side.entity
                                     : !entries[k].entity && entries[k].codes == codes;
        if (same) own = static_cast<int>(k);
        if (side.is_entity() && !entries[k].entity &&
            entries[k].codes == std::vector<JurisdictionIndex>{m_.nodes[side.entity].jurisdiction})
          country = static_cast<int>(k);
      }
      s.sourcing[n] = own >= 0 ? own : country;
    }
    return s;
  }

 private:
  const Model& m_;
};

}  // namespace chokepoint::testing
