#include "graph/analysis/decouple.hpp"

#include <algorithm>

#include "graph/analysis/cutsets.hpp"
#include "graph/analysis/metrics.hpp"
#include "graph/analysis/views.hpp"
#include "graph/input/scenario_builder.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint {

namespace {

// Substitution state: each unit is one node whose view value is pinned to its world capacity.
class SubstitutionState : public SetSearchState {
 public:
  SubstitutionState(const CapacityEngine& engine, CapacityInputs view_inputs,
                    std::vector<double> view_cap, const std::vector<double>& world_cap,
                    NodeIndex target, std::vector<NodeIndex> units, double bar)
      : engine_(engine),
        in_(std::move(view_inputs)),
        cap_(std::move(view_cap)),
        world_cap_(world_cap),
        target_(target),
        units_(std::move(units)),
        bar_(bar) {}

  void push(std::uint32_t unit) override {
    NodeIndex n = units_[unit];
    frames_.push_back(Frame{undo_.size(), n, in_.pinned[n], in_.factor[n]});
    in_.pinned[n] = world_cap_[n];
    in_.factor[n] = 1.0;  // the world value already includes the world's own factor
    NodeIndex changed[] = {n};
    engine_.recompute_cone(cap_, in_, changed, &undo_);
  }
  void pop() override {
    Frame f = frames_.back();
    frames_.pop_back();
    restore(cap_, undo_, f.undo);
    in_.pinned[f.node] = f.pinned;
    in_.factor[f.node] = f.factor;
  }
  bool goal() const override { return cap_[target_] > bar_; }
  bool inert(std::uint32_t) const override { return false; }

 private:
  struct Frame {
    std::size_t undo;
    NodeIndex node;
    double pinned, factor;
  };
  const CapacityEngine& engine_;
  CapacityInputs in_;
  std::vector<double> cap_;
  const std::vector<double>& world_cap_;
  NodeIndex target_;
  std::vector<NodeIndex> units_;
  std::vector<std::pair<NodeIndex, double>> undo_;
  std::vector<Frame> frames_;
  double bar_;  // the target's value the substitutions must bring it above
};

DecoupleSide side(const Model& model, const ScenarioResult& scenario,
                  const std::vector<double>& baseline, const std::string& name,
                  const DecoupleOptions& options, bool& budget_hit) {
  DecoupleSide out{name, {}};
  auto codes = resolve_scenario_codes(model, name).value_or(std::vector<JurisdictionIndex>{});
  std::sort(codes.begin(), codes.end());
  const View& view = scenario.views[*scenario.find_view(name)];
  const std::vector<double>& world_cap = scenario.world;
  for (NodeIndex t : model.targets) {
    JurisdictionIndex j = model.nodes[t].jurisdiction;
    if (j == kNoJurisdiction || !std::binary_search(codes.begin(), codes.end(), j)) continue;
    SubstitutionResult r;
    r.target = t;
    r.capacity = view.cap[t];
    r.baseline = baseline[t];
    r.status = status_of(view.cap[t], baseline[t]);
    // A lost target, or one below kNearlyLost of its baseline (0.5 % of China's accelerator
    // output is not a capacity to keep): the smallest sets of nodes, each lost or below that
    // share of its world value in the side's view, whose world value brings it back above 0, or
    // above that share of its baseline.
    r.nearly_lost = r.status != Status::lost && view.cap[t] < kNearlyLost * baseline[t];
    if ((view.cap[t] <= kStatusEpsilon || r.nearly_lost) && world_cap[t] > kStatusEpsilon) {
      double bar = r.nearly_lost ? kNearlyLost * baseline[t] : kStatusEpsilon;
      auto anc = ancestors(model, t);
      std::vector<NodeIndex> units;
      for (NodeIndex n : model.by_id())
        if (anc[n] && world_cap[n] > kStatusEpsilon &&
            (view.cap[n] <= kStatusEpsilon ||
             (r.nearly_lost && view.cap[n] < kNearlyLost * world_cap[n])))
          units.push_back(n);
      std::vector<bool> mask(anc.begin(), anc.end());
      mask[t] = true;
      CapacityEngine masked(model);
      masked.set_mask(mask);
      SubstitutionState state(masked, view.inputs, view.cap, world_cap, t, units, bar);
      auto found = find_minimal_sets(state, static_cast<std::uint32_t>(units.size()), options.order,
                                     options.max_sets);
      r.truncated = found.truncated;
      budget_hit = budget_hit || masked.hit_budget();
      for (const auto& set : found.sets) {
        std::vector<NodeIndex> nodes;
        std::optional<double> years = 0.0;
        for (auto u : set) {
          nodes.push_back(units[u]);
          const auto& y = model.nodes[units[u]].substitution_years;
          if (!y)
            years.reset();
          else if (years)
            years = std::max(*years, *y);
        }
        if (years && (!r.years_to_substitute || *years < *r.years_to_substitute))
          r.years_to_substitute = years;
        r.sets.push_back(std::move(nodes));
      }
    }
    out.targets.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Control resolve_terms(const Model& model, const ControlSpec& terms) {
  Diagnostics diags;
  ScenarioBuilder builder(model, diags);
  ControlSpec spec = terms;
  spec.id.reset();
  spec.by.clear();
  spec.against.clear();
  auto c = builder.resolve(spec);
  if (!c) throw AnalysisError(diags.all().front().message);
  return std::move(*c);
}

DecoupleResult decouple(const Model& model, const Scenario& base, const std::string& a,
                        const std::string& b, const DecoupleOptions& options) {
  for (const auto& side_name : {a, b})
    if (!resolve_scenario_codes(model, side_name)) throw UnknownSide(side_name);
  DecoupleResult result;
  result.fdpr = options.terms.fields.fdpr;
  Diagnostics diags;
  ScenarioBuilder builder(model, diags);
  builder.scenario() = base;
  for (const auto& [by, against] : {std::pair{a, b}, std::pair{b, a}}) {
    ControlSpec spec = options.terms;
    spec.id = Written{"decoupling " + by + ">" + against, {}};
    spec.by = {Written{by, {}}};
    spec.against = {Written{against, {}}};
    // Each side applies the FDPR only if its law has one (once the graph declares who does).
    auto codes = resolve_scenario_codes(model, by);
    spec.fields.fdpr = options.terms.fields.fdpr &&
                       std::any_of(codes->begin(), codes->end(),
                                   [&](JurisdictionIndex j) { return model.applies_fdpr(j); });
    spec.embargo = !spec.items && !spec.made_with;
    builder.control(spec);
  }
  auto scenario = builder.finish();
  if (!scenario) throw AnalysisError(diags.all().front().message);
  result.scenario = std::move(*scenario);
  if (result.scenario.name.empty())
    result.scenario.name =
        "decoupling " + a + " / " + b + (options.terms.fields.fdpr ? " with FDPR" : "");
  CapacityEngine engine(model);
  ScenarioResult evaluated = evaluate_scenario(engine, result.scenario);
  auto baseline = engine.evaluate(CapacityInputs(model.nodes.size()));
  result.budget_hit = evaluated.budget_hit;
  result.a = side(model, evaluated, baseline, a, options, result.budget_hit);
  result.b = side(model, evaluated, baseline, b, options, result.budget_hit);
  // Disruption is an outage of the baseline, not of the decoupled world (where the other side's
  // nodes can no longer hurt either side).
  result.budget_hit = result.budget_hit || engine.hit_budget();
  if (options.with_disruption) {
    const Progress* progress = options.progress ? &options.progress : nullptr;
    CapacityEngine base_engine(model);
    ScenarioResult before = evaluate_scenario(base_engine, base);
    bool effects_budget = false;
    auto effects =
        single_removal_effects(model, before.world_inputs, before.world, progress, &effects_budget);
    result.leverage =
        leverage(model, base, before.world_inputs, before.world, effects, a, b, progress);
    result.budget_hit = result.budget_hit || base_engine.hit_budget() || effects_budget ||
                        result.leverage.budget_hit;
  }
  if (options.with_withholding) {
    result.withholding = withholding(model, base, a, b, resolve_terms(model, options.terms));
    result.budget_hit = result.budget_hit || result.withholding->budget_hit;
  }
  return result;
}

}  // namespace chokepoint
