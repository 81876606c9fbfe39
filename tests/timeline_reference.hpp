// An independent, slow reading of the timeline (docs/timeline.md) for cross-checks: each month,
// the parts in force merged into one scenario, its denials from Reference::evaluate_scenario,
// then the capacity equations with the month's adjustments (substitutes, stocks, installed
// bases) iterated from all ones, in the world and then in each side's view, straight from the
// text. Only for small graphs whose loops leak enough to converge by iteration.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "graph/model/scenario.hpp"
#include "tests/reference.hpp"

namespace chokepoint::testing {

class TimelineReference {
 public:
  explicit TimelineReference(const Model& m) : m_(m), ref_(m) {}

  struct Out {
    std::vector<std::string> views;                       // "world", then the sides by name
    std::vector<std::vector<std::vector<double>>> value;  // [view][month][node]
  };

  Out run(const ScenarioParts& parts, int months, bool linear) const {
    std::size_t n = m_.nodes.size();
    const std::vector<double> baseline = ref_.evaluate(ref_.spec(std::vector<double>(n, 1.0)));
    Out out;
    out.views.push_back("world");
    std::vector<std::string> sides;
    for (const auto& part : parts.parts)
      for (const auto& c : part.scenario.controls)
        for (const auto& name : c.against_names)
          if (std::find(sides.begin(), sides.end(), name) == sides.end()) sides.push_back(name);
    std::sort(sides.begin(), sides.end());
    out.views.insert(out.views.end(), sides.begin(), sides.end());
    out.value.assign(out.views.size(), {});

    struct State {
      std::vector<double> stock, base;
    };
    std::vector<State> state(out.views.size());
    for (auto& s : state) {
      s.stock.assign(n, 0.0);
      s.base.assign(n, 0.0);
      for (NodeIndex i = 0; i < n; ++i)
        if (m_.nodes[i].stock_months) s.stock[i] = *m_.nodes[i].stock_months * baseline[i];
    }

    for (int t = 0; t < months; ++t) {
      // The parts in force: baselines, parts without a duration, parts with t < duration.
      Scenario sc;
      for (const auto& part : parts.parts)
        if (part.baseline || !part.scenario.duration_months || t < *part.scenario.duration_months)
          merge_scenario(sc, part.scenario);
      std::vector<double> factor(n, 1.0);
      for (const auto& [i, f] : sc.capacity) factor[i] *= f;
      for (NodeIndex i : sc.remove) factor[i] = 0;
      for (NodeIndex i = 0; i < n; ++i)
        if (std::find(sc.remove_jurisdictions.begin(), sc.remove_jurisdictions.end(),
                      m_.nodes[i].jurisdiction) != sc.remove_jurisdictions.end())
          factor[i] = 0;
      auto fixed = ref_.evaluate_scenario(sc, factor);  // for its denials

      // Side v's view (v indexes `sides`) of the world `world` under `ws`: the world's spec, the
      // side's own pairs (for a listed firm) unbounded, this month's adjustments.
      std::vector<Reference::Spec> specs(out.views.size());
      auto view_of = [&](std::size_t v, const Reference::Spec& ws,
                         const std::vector<double>& world) {
        Reference::Side side{sides[v], {}, static_cast<NodeIndex>(-1)};
        if (auto codes = resolve_scenario_codes(m_, sides[v])) {
          side.codes = *codes;
          std::sort(side.codes.begin(), side.codes.end());
        } else {
          side.entity = *m_.find(sides[v]);
        }
        std::vector<char> denied(m_.pair_count(), 0);
        for (std::size_t k = 0; k < fixed.sides.size(); ++k)
          if (fixed.sides[k].name == sides[v]) denied = fixed.denied[k];
        Reference::Spec base = ws;
        if (side.is_entity())
          for (std::uint32_t p = 0; p < m_.pair_count(); ++p)
            if (m_.pair_maker(p) == side.entity) base.pair_cap[p] = Reference::kInf;
        Reference::Spec vs = ref_.view_spec(side, denied, base, ws, world);
        // An entity's own pairs run on its own access this month, whoever buys the product.
        if (side.is_entity())
          for (std::uint32_t p = 0; p < m_.pair_count(); ++p)
            if (m_.pair_maker(p) == side.entity && !denied[p]) vs.pair_fixed[p] = Reference::kNaN;
        // A node located outside the side keeps its world value unless one of its pairs is
        // denied.
        for (NodeIndex i = 0; i < n; ++i) {
          JurisdictionIndex j = m_.nodes[i].jurisdiction;
          bool outside = j != kNoJurisdiction &&
                         (side.is_entity() ? i != side.entity
                                           : std::find(side.codes.begin(), side.codes.end(), j) ==
                                                 side.codes.end());
          bool any_denied = false;
          for (std::uint32_t p = m_.first_pair(i); p < m_.first_pair(i + 1); ++p)
            any_denied |= denied[p] != 0;
          if (outside && !any_denied) vs.node_fixed[i] = world[i];
        }
        std::size_t view = v + 1;
        vs.adjust = [this, view, t, linear, &state, &baseline, &world, factor = vs.factor](
                        NodeIndex i, double raw, const std::vector<double>& cap) {
          return adjust(i, raw, cap, t, linear, state[view], baseline, factor, &world);
        };
        std::vector<double> values = ref_.evaluate(vs);
        specs[view] = vs;
        return std::pair{std::move(values), side};
      };

      // The world: stocks and installed bases, no substitutes (it is what they close the gap to).
      // A listed firm a control names makes what its own view of this month allows: the world
      // and those views settle together, from the firms' pairs unbounded.
      Reference::Spec ws = ref_.spec(factor);
      ws.adjust = [&](NodeIndex i, double raw, const std::vector<double>& cap) {
        return adjust(i, raw, cap, t, linear, state[0], baseline, factor, nullptr);
      };
      std::vector<double> world;
      std::vector<std::vector<double>> values(out.views.size());
      for (int round = 0; round < 100; ++round) {
        world = ref_.evaluate(ws);
        std::vector<double> caps(m_.pair_count(), Reference::kInf);
        for (std::size_t v = 0; v < sides.size(); ++v) {
          bool named = std::any_of(fixed.sides.begin(), fixed.sides.end(), [&](const auto& s) {
            return s.name == sides[v] && s.is_entity();
          });
          if (!named) continue;
          auto [view, side] = view_of(v, ws, world);
          for (std::uint32_t p = 0; p < m_.pair_count(); ++p) {
            NodeIndex product = m_.pair_product(p);
            if (m_.pair_maker(p) != side.entity) continue;
            double own = std::isnan(specs[v + 1].pair_fixed[p]) ? ref_.req(product, view) : 0.0;
            if (m_.nodes[product].has_suppliers) own = std::min(own, view[side.entity]);
            caps[p] = own;
          }
          values[v + 1] = std::move(view);
        }
        if (caps == ws.pair_cap) break;
        ws.pair_cap = caps;
      }
      values[0] = world;
      specs[0] = ws;
      for (std::size_t v = 0; v < sides.size(); ++v)
        if (values[v + 1].empty()) values[v + 1] = view_of(v, ws, world).first;
      // Next month: stocks drawn by what their node lacks after substitutes; bases carried.
      for (std::size_t v = 0; v < values.size(); ++v) {
        for (NodeIndex i = 0; i < n; ++i) {
          if (!std::isnan(specs[v].node_fixed[i])) {
            state[v].base[i] = values[v][i];
            continue;
          }
          double c = ref_.raw(i, values[v], specs[v]);
          if (v > 0) c = substituted(i, c, values[v], t, linear, world);
          double need = baseline[i] - c;
          if (need > 0) state[v].stock[i] -= std::min(state[v].stock[i], need);
          state[v].base[i] = values[v][i];
        }
        out.value[v].push_back(values[v]);
      }
    }
    return out;
  }

 private:
  // r(t) of an explicit substitute: from month M, rising over R months.
  static double level(double from, double ramp, int t) {
    if (t < from) return 0;
    return ramp == 0 ? 1.0 : std::min(1.0, (t - from + 1) / ramp);
  }

  double substituted(NodeIndex i, double c, const std::vector<double>& cap, int t, bool linear,
                     const std::vector<double>& world) const {
    const Node& node = m_.nodes[i];
    if (world[i] <= c) return c;
    double open = 1;
    for (const Substitute& s : node.extras.get().substitutes)
      open *= 1 - level(s.from_month, s.ramp_months, t) * std::clamp(cap[s.node], 0.0, 1.0);
    if (node.substitution_years) {
      double full = 12 * *node.substitution_years;
      double r = linear ? (full == 0 ? 1.0 : std::min(1.0, t / full)) : (t >= full ? 1.0 : 0.0);
      open *= 1 - r;
    }
    return c + (1 - open) * (world[i] - c);
  }

  template <class State>
  double adjust(NodeIndex i, double raw, const std::vector<double>& cap, int t, bool linear,
                const State& state, const std::vector<double>& baseline,
                const std::vector<double>& factor, const std::vector<double>* world) const {
    double c = raw;
    if (world) c = substituted(i, c, cap, t, linear, *world);
    if (state.stock[i] > 0 && c < baseline[i]) c = std::min(baseline[i], c + state.stock[i]);
    if (auto life = m_.nodes[i].extras.get().lifetime_months)
      c = t == 0 ? factor[i] : (1 - 1 / *life) * state.base[i] + c / *life;
    return c;
  }

  const Model& m_;
  Reference ref_;
};

}  // namespace chokepoint::testing
