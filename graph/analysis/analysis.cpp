#include "graph/analysis/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "graph/analysis/views.hpp"
#include "graph/support/errors.hpp"
#include "graph/support/parallel.hpp"

namespace chokepoint {

namespace {

bool changed(double value, double baseline) {
  return status_of(value, baseline) != Status::ok || std::abs(value - baseline) > kStatusEpsilon;
}

}  // namespace

bool changed_by_scenario(const Analysis& a, NodeIndex n) {
  return changed(a.world[n], a.baseline[n]);
}

bool changed_in_view(const Analysis& a, std::size_t view, NodeIndex n) {
  return changed(a.views[view].cap[n], a.baseline[n]);
}

namespace {

// --view: the side's metrics, cut sets and targets replace the world's (which stay in
// world_metrics); the targets table lists the side's targets at their value in its view.
void judge_in_view(Analysis& a, const Perspective& side, const AnalysisOptions& options,
                   const Progress* progress) {
  const Model& model = *a.model;
  SideViewResult r;
  if (options.with_metrics || options.with_cut_sets) {
    r = analyze_side(model, a.scenario, side, a.metrics, options.cuts, options.with_cut_sets,
                     progress);
  } else {  // the side's values only
    SideViewEvaluator eval(model, a.scenario, side);
    r.side = side;
    r.targets = eval.targets();
    r.cap = eval.view({});
  }
  if (r.targets.empty()) throw SideWithoutTargets(side.name);
  a.viewed_as = r.side;
  a.view_cap = std::move(r.cap);
  if (options.with_metrics) {
    a.world_metrics = std::move(a.metrics.nodes);
    a.metrics.nodes = std::move(r.nodes);
  }
  a.cut_sets = std::move(r.cut_sets);
  a.capacity_budget_hit = a.capacity_budget_hit || r.budget_hit;
  std::vector<TargetResult> kept;
  for (NodeIndex t : r.targets)
    for (auto& tr : a.targets)
      if (tr.node == t) kept.push_back(std::move(tr));
  a.targets = std::move(kept);
  if (a.decoupling) a.capacity_budget_hit = a.capacity_budget_hit || a.decoupling->budget_hit;
}

// Per view and control: what the targets regain when the pairs that control alone denies to the
// view are allowed again (one view each), into the causes of the targets that fall there.
void control_gains(Analysis& a, const CapacityEngine& engine) {
  if (a.views.empty() || a.causes.targets.empty()) return;
  std::vector<double> rates = pair_rates(engine, a.world, a.world_inputs);
  for (std::size_t v = 0; v < a.views.size(); ++v) {
    std::map<std::uint32_t, std::vector<std::uint32_t>> pairs_of;  // control -> pairs it denies
    std::unordered_map<std::uint32_t, std::uint32_t> deniers;      // pair -> controls denying it
    for (const Denial& d : a.denials)
      if (d.perspective == v) {
        auto& pairs = pairs_of[d.control];
        if (pairs.empty() || pairs.back() != d.pair) {
          pairs.push_back(d.pair);
          ++deniers[d.pair];
        }
      }
    for (const auto& [k, pairs] : pairs_of) {
      std::vector<char> denied = a.views[v].denied;
      bool lifted = false;
      for (std::uint32_t q : pairs)
        if (deniers[q] == 1) {
          denied[q] = 0;
          lifted = true;
        }
      if (!lifted) continue;  // every pair it denies is denied by another control too
      View without = make_view(engine, a.perspectives[v], a.world_inputs, a.world, rates,
                               std::move(denied), a.views[v].exempt);
      for (auto& tc : a.causes.targets) {
        if (tc.view != v) continue;
        double gain = without.cap[tc.target] - a.views[v].cap[tc.target];
        if (gain > kStatusEpsilon) tc.controls.emplace_back(k, gain);
      }
    }
  }
  for (auto& tc : a.causes.targets)
    std::stable_sort(tc.controls.begin(), tc.controls.end(), [](const auto& x, const auto& y) {
      return std::round(x.second * 1e12) > std::round(y.second * 1e12);
    });
}

}  // namespace

Analysis analyze(const Model& model, const std::optional<Scenario>& scenario,
                 const AnalysisOptions& options) {
  Analysis a;
  a.model = &model;
  a.has_scenario = scenario.has_value();
  if (scenario) a.scenario = *scenario;
  a.cut_options = options.cuts;
  CapacityEngine engine(model);
  CapacityInputs base_in(model.nodes.size());
  a.baseline = engine.evaluate(base_in);
  if (a.scenario.empty()) {
    a.world = a.baseline;
    a.world_inputs = base_in;
  } else {
    ScenarioResult r = evaluate_scenario(engine, a.scenario);
    a.world = std::move(r.world);
    a.world_inputs = std::move(r.world_inputs);
    a.perspectives = std::move(r.perspectives);
    a.views = std::move(r.views);
    a.denials = std::move(r.denials);
  }
  const CapacityInputs& world = a.world_inputs;
  a.capacity_budget_hit = engine.hit_budget();
  for (NodeIndex t : model.targets) {
    TargetResult r{t, a.world[t], a.baseline[t], status_of(a.world[t], a.baseline[t]), {}};
    for (const auto& v : a.views)
      r.views.push_back(TargetView{v.name, v.cap[t], status_of(v.cap[t], a.baseline[t])});
    a.targets.push_back(std::move(r));
  }
  if (options.with_causes && !a.scenario.empty()) {
    std::vector<const CapacityInputs*> views_in;
    std::vector<const std::vector<double>*> views;
    for (const auto& v : a.views) {
      views_in.push_back(&v.inputs);
      views.push_back(&v.cap);
    }
    a.causes = causes_of_loss(model, engine, a.baseline, a.world_inputs, a.world, views_in, views);
    control_gains(a, engine);
  }
  const Progress* progress = options.progress ? &options.progress : nullptr;
  if (options.decouple) {
    DecoupleOptions d;
    d.terms = options.decouple_terms;
    d.order = options.cuts.order;
    d.with_withholding = false;  // a.withholding below
    d.with_disruption = false;   // a.leverage below
    d.max_sets = options.cuts.max_sets;
    a.decoupling = chokepoint::decouple(model, a.scenario, options.decouple->first,
                                        options.decouple->second, d);
  }
  RemovalEffects effects;  // single removals, shared by metrics and cut sets
  if (options.with_metrics) {
    a.metrics = compute_metrics(model, world, a.world, progress, &effects);
    a.capacity_budget_hit = a.capacity_budget_hit || a.metrics.budget_hit;
    if (options.decouple) {
      a.leverage = leverage(model, a.scenario, world, a.world, effects, options.decouple->first,
                            options.decouple->second, progress);
      a.capacity_budget_hit = a.capacity_budget_hit || a.leverage->budget_hit;
    }
  }
  if (options.decouple && options.with_metrics) {
    a.withholding =
        withholding(model, a.scenario, options.decouple->first, options.decouple->second,
                    resolve_terms(model, options.decouple_terms), progress);
    a.capacity_budget_hit = a.capacity_budget_hit || a.withholding->budget_hit;
  }
  if (options.view) {
    judge_in_view(a, *options.view, options, progress);
    return a;
  }
  if (options.with_cut_sets)
    a.cut_sets = cut_sets(model, world, a.world, options.cuts, progress, &a.capacity_budget_hit,
                          effects.empty() ? nullptr : &effects);
  if (a.decoupling) a.capacity_budget_hit = a.capacity_budget_hit || a.decoupling->budget_hit;
  return a;
}

namespace {

// Sum of squared supplier weights (0 for a node without suppliers).
double supplier_hhi(const Node& node) {
  const Group* s = node.supplier_group();
  double h = 0;
  if (s)
    for (const Member& m : s->members) h += m.weight * m.weight;
  return h;
}

// A removal's tie-breakers: the longest substitution and the largest supplier HHI of what it
// removes.
void note_what_is_removed(const Model& model, RankEntry& e) {
  for (NodeIndex n : e.removed) {
    const Node& node = model.nodes[n];
    if (node.substitution_years)
      e.substitution_years = std::max(e.substitution_years.value_or(0), *node.substitution_years);
    e.concentration = std::max(e.concentration, supplier_hhi(node));
  }
}

}  // namespace

std::vector<RankEntry> rank_removals(const Model& model, const CapacityInputs& world,
                                     const std::vector<double>& world_cap, int order,
                                     const Progress* progress, bool* budget_hit,
                                     const RankSides* sides, std::size_t* ranked) {
  std::vector<RankEntry> out;
  std::size_t count = 0;
  std::vector<int> side(model.targets.size(), -1);
  if (sides)
    for (std::size_t k = 0; k < model.targets.size(); ++k) {
      JurisdictionIndex j = model.nodes[model.targets[k]].jurisdiction;
      if (std::binary_search(sides->a.begin(), sides->a.end(), j))
        side[k] = 0;
      else if (std::binary_search(sides->b.begin(), sides->b.end(), j))
        side[k] = 1;
    }
  auto score = [&](RankEntry& e, std::span<const double> after) {
    for (std::size_t k = 0; k < model.targets.size(); ++k) {
      NodeIndex t = model.targets[k];
      if (std::find(e.removed.begin(), e.removed.end(), t) != e.removed.end()) continue;
      double loss = world_cap[t] - after[k];
      e.impact += loss;
      if (side[k] == 0) e.on_a += loss;
      if (side[k] == 1) e.on_b += loss;
      e.worst = std::max(e.worst, loss);
      if (after[k] <= kStatusEpsilon && world_cap[t] > kStatusEpsilon) e.lost.push_back(t);
    }
    note_what_is_removed(model, e);
  };
  auto before = [&](const RankEntry& x, const RankEntry& y) { return ranks_before(model, x, y); };
  // Only the first kMaxRankEntries are kept: the order is total, so they are the same whatever
  // was cut when (a list of every pair of 3,000 candidates took 2 GB).
  auto keep = [&](RankEntry e) {
    ++count;
    out.push_back(std::move(e));
    if (out.size() >= 2 * kMaxRankEntries) {
      std::nth_element(out.begin(), out.begin() + kMaxRankEntries, out.end(), before);
      out.resize(kMaxRankEntries);
    }
  };
  auto effects = single_removal_effects(model, world, world_cap, progress, budget_hit);
  if (order == 1) {
    for (NodeIndex n : model.by_id()) {
      if (effects[n].empty()) continue;
      RankEntry e;
      e.removed = {n};
      score(e, effects[n]);
      keep(std::move(e));
    }
  } else {
    std::vector<NodeIndex> candidates;
    for (NodeIndex n : model.by_id())
      if (!effects[n].empty() && world_cap[n] > 0) candidates.push_back(n);
    constexpr std::size_t kMaxPairCandidates = 3000;
    if (candidates.size() > kMaxPairCandidates)
      throw TooManyPairs(candidates.size(), kMaxPairCandidates);
    CapacityEngine engine(model);
    std::vector<char> relevant(model.nodes.size(), 0);
    for (NodeIndex n = 0; n < model.nodes.size(); ++n) relevant[n] = !effects[n].empty();
    engine.set_mask(std::vector<bool>(relevant.begin(), relevant.end()));
    std::vector<double> cap = world_cap;
    CapacityInputs in = world;
    WideGroupRemovals wide(model, engine, in);
    std::vector<std::pair<NodeIndex, double>> undo;
    std::vector<double> after(model.targets.size());
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      report_progress(progress, "pairs", i, candidates.size());
      std::size_t mark_i = undo.size();
      NodeIndex a = candidates[i];
      in.factor[a] = 0;
      NodeIndex sa[] = {a};
      engine.lower(cap, in, sa, &undo);
      wide.forget();
      for (std::size_t j = i + 1; j < candidates.size(); ++j) {
        NodeIndex b = candidates[j];
        std::size_t mark_j = undo.size();
        double fb = in.factor[b];
        if (wide.applies(b)) {
          wide.remove(b, cap, undo);
        } else {
          in.factor[b] = 0;
          NodeIndex sb[] = {b};
          engine.lower(cap, in, sb, &undo);
        }
        for (std::size_t k = 0; k < model.targets.size(); ++k) after[k] = cap[model.targets[k]];
        RankEntry e;
        e.removed = {a, b};
        score(e, after);
        keep(std::move(e));
        restore(cap, undo, mark_j);
        in.factor[b] = fb;
      }
      restore(cap, undo, mark_i);
      in.factor[a] = world.factor[a];
      wide.forget();
    }
    if (budget_hit) *budget_hit = *budget_hit || engine.hit_budget();
  }
  sort_ranking(model, out);
  if (out.size() > kMaxRankEntries) out.resize(kMaxRankEntries);
  if (ranked) *ranked = count;
  return out;
}

bool ranks_before(const Model& model, const RankEntry& x, const RankEntry& y) {
  auto ids_less = [&](const RankEntry& p, const RankEntry& q) {
    for (std::size_t i = 0; i < std::min(p.removed.size(), q.removed.size()); ++i)
      if (p.removed[i] != q.removed[i])
        return model.nodes[p.removed[i]].id < model.nodes[q.removed[i]].id;
    return p.removed.size() < q.removed.size();
  };
  // Figures compare after rounding so that ties that differ only in float noise go on to the
  // next figure.
  auto rounded = [](double v) { return std::round(v * 1e12) / 1e12; };
  if (double ix = rounded(x.impact), iy = rounded(y.impact); ix != iy) return ix > iy;
  if (x.lost.size() != y.lost.size()) return x.lost.size() > y.lost.size();
  if (double wx = rounded(x.worst), wy = rounded(y.worst); wx != wy) return wx > wy;
  double sx = x.substitution_years.value_or(-1), sy = y.substitution_years.value_or(-1);
  if (sx != sy) return sx > sy;
  if (double cx = rounded(x.concentration), cy = rounded(y.concentration); cx != cy) return cx > cy;
  return ids_less(x, y);
}

void sort_ranking(const Model& model, std::vector<RankEntry>& out) {
  std::stable_sort(out.begin(), out.end(), [&](const RankEntry& x, const RankEntry& y) {
    return ranks_before(model, x, y);
  });
}

std::vector<RankEntry> rank_removals_in_view(const Model& model, const Scenario& scenario,
                                             const Perspective& side, int order,
                                             const Progress* progress, bool* budget_hit,
                                             std::size_t* ranked) {
  SideViewEvaluator eval(model, scenario, side);
  const auto& targets = eval.targets();
  if (targets.empty()) throw SideWithoutTargets(side.name);
  std::vector<double> base = eval.view({});
  std::vector<NodeIndex> candidates;
  std::vector<char> upstream = reaching(model, targets, true);
  for (NodeIndex n : model.by_id())
    if (upstream[n]) candidates.push_back(n);
  std::vector<std::vector<NodeIndex>> removals;
  if (order == 1) {
    for (NodeIndex n : candidates) removals.push_back({n});
  } else {
    // Pairs of nodes still there in the side's view (a node already at 0 adds nothing).
    std::vector<NodeIndex> live;
    for (NodeIndex n : candidates)
      if (base[n] > 0) live.push_back(n);
    if (live.size() > kMaxViewPairCandidates)
      throw TooManyPairs(live.size(), kMaxViewPairCandidates);
    for (std::size_t i = 0; i < live.size(); ++i)
      for (std::size_t j = i + 1; j < live.size(); ++j) {
        std::vector<NodeIndex> pair = {live[i], live[j]};
        std::sort(pair.begin(), pair.end(),
                  [&](NodeIndex x, NodeIndex y) { return model.nodes[x].id < model.nodes[y].id; });
        removals.push_back(std::move(pair));
      }
  }
  std::vector<RankEntry> out(removals.size());
  parallel_for(removals.size(), eval.workers(), [&](unsigned w, std::size_t i) {
    if (w == 0 && i % 64 == 0) report_progress(progress, "removals", i, removals.size());
    RankEntry& e = out[i];
    e.removed = removals[i];
    std::vector<double> after = eval.view(e.removed, w);
    for (NodeIndex t : targets) {
      if (std::find(e.removed.begin(), e.removed.end(), t) != e.removed.end()) continue;
      double loss = base[t] - after[t];
      e.impact += loss;
      e.worst = std::max(e.worst, loss);
      if (after[t] <= kStatusEpsilon && base[t] > kStatusEpsilon) e.lost.push_back(t);
    }
    note_what_is_removed(model, e);
  });
  if (budget_hit) *budget_hit = *budget_hit || eval.budget_hit();
  // Only removals that cost the side something, as the world's ranking lists nodes upstream.
  std::erase_if(out,
                [](const RankEntry& e) { return e.impact <= kStatusEpsilon && e.lost.empty(); });
  sort_ranking(model, out);
  if (ranked) *ranked = out.size();
  if (out.size() > kMaxRankEntries) out.resize(kMaxRankEntries);
  return out;
}

}  // namespace chokepoint
