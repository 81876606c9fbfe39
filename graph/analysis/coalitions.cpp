#include "graph/analysis/coalitions.hpp"

#include <algorithm>
#include <bit>
#include <random>
#include <thread>
#include <unordered_map>

#include "graph/analysis/metrics.hpp"
#include "graph/analysis/views.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint {

namespace {

using Mask = std::uint64_t;

// What every coalition's evaluation shares: the base scenario's world before and after entity
// controls, its pair rates, and what the base scenario already denies to the side.
struct Base {
  CapacityInputs inputs0;
  std::vector<double> world0, rates0;
  CapacityInputs world_inputs;
  std::vector<double> world, world_rates;
  std::vector<char> denied;
  std::vector<double> no_scenario;  // capacities without any scenario (for "lost")
  bool budget_hit = false;
};

// Evaluates the side's view of the targets under one coalition's control; one per thread.
// (Lowering the no-control view incrementally was measured slower: a coalition's denials reach
// most of the graph, where one topological sweep beats a priority queue.)
class Evaluator {
 public:
  Evaluator(const Model& model, const Base& base, const Perspective& side, const Control& tmpl,
            const std::vector<JurisdictionIndex>& candidates, const std::vector<bool>& mask,
            const std::vector<NodeIndex>& targets)
      : model_(model),
        base_(base),
        side_(side),
        tmpl_(tmpl),
        candidates_(candidates),
        targets_(targets),
        engine_(model) {
    engine_.set_mask(mask);
  }

  std::vector<double> operator()(Mask coalition) {
    Control c = tmpl_;
    c.by.clear();
    for (std::size_t i = 0; i < candidates_.size(); ++i)
      if (coalition >> i & 1) c.by.push_back(candidates_[i]);
    std::sort(c.by.begin(), c.by.end());
    std::vector<char> denied = base_.denied;
    std::vector<double> falls;
    if (c.fdpr && !c.by.empty())
      falls = fdpr_falls(engine_, base_.inputs0, base_.world0, base_.rates0, c);
    if (!c.by.empty())
      deny(model_, c, 0, side_, 0, falls.empty() ? nullptr : &falls, denied, nullptr);
    View v = make_view(engine_, side_, base_.world_inputs, base_.world, base_.world_rates,
                       std::move(denied));
    std::vector<double> out;
    for (NodeIndex t : targets_) out.push_back(v.cap[t]);
    return out;
  }

  bool budget_hit() const { return engine_.hit_budget(); }

 private:
  const Model& model_;
  const Base& base_;
  const Perspective& side_;
  const Control& tmpl_;
  const std::vector<JurisdictionIndex>& candidates_;
  const std::vector<NodeIndex>& targets_;
  CapacityEngine engine_;
};

// Evaluates many coalitions on `threads` threads, each with its own evaluator; results in the
// order asked, so the output does not depend on the thread count.
class Pool {
 public:
  Pool(std::vector<Evaluator>& evaluators) : evaluators_(evaluators) {}

  std::vector<std::vector<double>> run(const std::vector<Mask>& coalitions) {
    std::vector<std::vector<double>> out(coalitions.size());
    std::size_t workers = std::min(evaluators_.size(), std::max<std::size_t>(1, coalitions.size()));
    if (workers <= 1 || coalitions.size() < 8) {
      for (std::size_t i = 0; i < coalitions.size(); ++i) out[i] = evaluators_[0](coalitions[i]);
    } else {
      std::vector<std::thread> threads;
      for (std::size_t w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
          for (std::size_t i = w; i < coalitions.size(); i += workers)
            out[i] = evaluators_[w](coalitions[i]);
        });
      for (auto& t : threads) t.join();
    }
    evaluations_ += coalitions.size();
    return out;
  }
  std::size_t evaluations() const { return evaluations_; }

 private:
  std::vector<Evaluator>& evaluators_;
  std::size_t evaluations_ = 0;
};

// The next larger subset with the same number of members (Gosper's hack).
Mask next_combination(Mask x) {
  Mask c = x & (~x + 1), r = x + c;
  return (((r ^ x) >> 2) / c) | r;
}

std::vector<JurisdictionIndex> members(Mask s, const std::vector<JurisdictionIndex>& candidates) {
  std::vector<JurisdictionIndex> out;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (s >> i & 1) out.push_back(candidates[i]);
  return out;
}

}  // namespace

CoalitionResult coalitions(const Model& model, const Scenario& base_scenario,
                           const CoalitionOptions& options) {
  auto codes = resolve_scenario_codes(model, options.against);
  if (!codes) throw UnknownSide(options.against);
  std::sort(codes->begin(), codes->end());
  Perspective side{options.against, *codes, {}};

  CoalitionResult r;
  r.against = options.against;
  r.control = options.control;
  r.max_size = options.max_size;
  r.below = options.below;

  // The side's targets (or the one asked for) and every node upstream of them.
  std::vector<NodeIndex> targets;
  for (NodeIndex t : model.targets) {
    bool in_side = std::binary_search(codes->begin(), codes->end(), model.nodes[t].jurisdiction);
    if (options.target ? t == *options.target : in_side) targets.push_back(t);
  }
  std::vector<char> reach = reaching(model, targets);
  std::vector<bool> mask(reach.begin(), reach.end());
  if (options.candidates.empty()) {
    for (NodeIndex n = 0; n < model.nodes.size(); ++n) {
      JurisdictionIndex j = model.nodes[n].jurisdiction;
      if (mask[n] && j != kNoJurisdiction && !std::binary_search(codes->begin(), codes->end(), j))
        r.candidates.push_back(j);
    }
  } else {
    r.candidates = options.candidates;
  }
  std::sort(r.candidates.begin(), r.candidates.end(),
            [&](JurisdictionIndex a, JurisdictionIndex b) {
              return model.jurisdiction_code(a) < model.jurisdiction_code(b);
            });
  r.candidates.erase(std::unique(r.candidates.begin(), r.candidates.end()), r.candidates.end());
  if (r.candidates.size() > kMaxCoalitionCandidates)
    throw TooManyCandidates(r.candidates.size(), kMaxCoalitionCandidates);
  std::size_t n = r.candidates.size();

  // The base world, once.
  Base base;
  {
    CapacityEngine engine(model);
    base.no_scenario = engine.evaluate(CapacityInputs(model.nodes.size()));
    base.inputs0 = world_inputs(model, base_scenario);
    base.world0 = engine.evaluate(base.inputs0);
    base.rates0 = pair_rates(engine, base.world0, base.inputs0);
    ScenarioResult evaluated = evaluate_scenario(engine, base_scenario);
    base.world_inputs = std::move(evaluated.world_inputs);
    base.world = std::move(evaluated.world);
    base.world_rates = pair_rates(engine, base.world, base.world_inputs);
    base.denied.assign(model.pair_count(), 0);
    for (std::uint32_t k = 0; k < base_scenario.controls.size(); ++k) {
      const Control& c = base_scenario.controls[k];
      if (!control_applies(c, side)) continue;
      std::vector<double> falls;
      if (c.fdpr) falls = fdpr_falls(engine, base.inputs0, base.world0, base.rates0, c);
      deny(model, c, k, side, 0, c.fdpr ? &falls : nullptr, base.denied, nullptr);
    }
    base.budget_hit = evaluated.budget_hit || engine.hit_budget();
  }

  std::vector<Evaluator> evaluators;
  for (unsigned i = 0; i < std::max(1u, options.threads); ++i)
    evaluators.emplace_back(model, base, side, r.control, r.candidates, mask, targets);
  Pool pool(evaluators);
  std::size_t T = targets.size();
  auto wins = [&](std::size_t k, double cap) {
    NodeIndex t = targets[k];
    if (options.below) return cap < *options.below - 1e-12;
    return status_of(cap, base.no_scenario[t]) == Status::lost;
  };
  Mask all = n == 64 ? ~Mask{0} : (Mask{1} << n) - 1;
  auto ends = pool.run({Mask{0}, all});
  r.targets.resize(T);
  for (std::size_t k = 0; k < T; ++k) {
    r.targets[k].target = targets[k];
    r.targets[k].baseline = ends[0][k];
    r.targets[k].grand = ends[1][k];
    r.targets[k].already = wins(k, ends[0][k]);
    r.targets[k].banzhaf.assign(n, 0.0);
    r.targets[k].shapley.assign(n, 0.0);
  }
  // Targets the grand coalition cannot make lose, or already lost, have no coalitions to find.
  std::vector<char> open(T);
  for (std::size_t k = 0; k < T; ++k) open[k] = wins(k, ends[1][k]) && !r.targets[k].already;

  auto add_minimal = [&](std::size_t k, Mask s) {
    auto& t = r.targets[k];
    if (t.minimal.size() >= options.max_coalitions) {
      t.truncated = true;
      return;
    }
    t.minimal.push_back(members(s, r.candidates));
  };

  if (n <= kExactCoalitionCandidates) {
    // Every coalition, level by level from the smallest: a superset of a winner wins without
    // being evaluated. (Taking levels alternately from the top as well, so that subsets of
    // losers lose unevaluated, was measured to evaluate more: winners dominate the top levels.)
    std::size_t size = std::size_t{1} << n;
    std::vector<std::vector<char>> win(T, std::vector<char>(size, 0));
    for (std::size_t k = 0; k < T; ++k) win[k][size - 1] = 1;
    for (std::size_t level = 1; level < n; ++level) {
      report_progress(&options.progress, "coalitions", level, n);
      std::vector<Mask> ask;
      for (Mask s = (Mask{1} << level) - 1; s < size; s = next_combination(s)) {
        bool need = false;
        for (std::size_t k = 0; k < T; ++k) {
          if (!open[k]) continue;
          for (Mask rest = s; rest && !win[k][s]; rest &= rest - 1)
            if (win[k][s ^ (rest & (~rest + 1))]) win[k][s] = 1;
          need = need || !win[k][s];
        }
        if (need) ask.push_back(s);
      }
      auto got = pool.run(ask);
      for (std::size_t i = 0; i < ask.size(); ++i)
        for (std::size_t k = 0; k < T; ++k)
          if (open[k] && !win[k][ask[i]]) win[k][ask[i]] = wins(k, got[i][k]);
    }
    // Minimal winners: every member needed.
    for (std::size_t level = 1; level <= n && static_cast<int>(level) <= options.max_size; ++level)
      for (Mask s = (Mask{1} << level) - 1; s < size; s = next_combination(s))
        for (std::size_t k = 0; k < T; ++k) {
          if (!open[k] || !win[k][s]) continue;
          bool minimal = true;
          for (Mask rest = s; rest && minimal; rest &= rest - 1)
            minimal = !win[k][s ^ (rest & (~rest + 1))];
          if (minimal) add_minimal(k, s);
        }
    // Shapley–Shubik weights |S|! (n - |S| - 1)! / n! by coalition size.
    std::vector<double> weight(n, 0.0);
    for (std::size_t s = 0; s < n; ++s) {
      double w = 1.0 / static_cast<double>(n);
      for (std::size_t i = 1; i <= s; ++i) w *= static_cast<double>(i) / static_cast<double>(n - i);
      weight[s] = w;
    }
    for (std::size_t k = 0; k < T; ++k) {
      if (!open[k]) continue;
      std::vector<double> swings(n, 0.0);
      for (Mask s = 0; s < size; ++s) {
        if (win[k][s]) continue;
        int members_in = std::popcount(s);
        for (std::size_t i = 0; i < n; ++i)
          if (!(s >> i & 1) && win[k][s | Mask{1} << i]) {
            swings[i] += 1;
            r.targets[k].shapley[i] += weight[static_cast<std::size_t>(members_in)];
          }
      }
      double total = 0;
      for (double x : swings) total += x;
      for (std::size_t i = 0; i < n; ++i)
        r.targets[k].banzhaf[i] = total > 0 ? swings[i] / total : 0;
    }
  } else {
    // Too many coalitions to visit: minimal ones level by level up to max_size, indices from a
    // fixed, seeded sample.
    r.exact = false;
    r.samples = kCoalitionSamples;
    std::unordered_map<Mask, std::vector<char>> cache;
    auto evaluate = [&](const std::vector<Mask>& asked) {
      std::vector<Mask> missing;
      for (Mask s : asked)
        if (!cache.count(s) && std::find(missing.begin(), missing.end(), s) == missing.end())
          missing.push_back(s);
      auto got = pool.run(missing);
      for (std::size_t i = 0; i < missing.size(); ++i) {
        std::vector<char> w(T);
        for (std::size_t k = 0; k < T; ++k) w[k] = wins(k, got[i][k]);
        cache.emplace(missing[i], std::move(w));
      }
    };
    std::vector<std::vector<Mask>> winners(T);
    for (int level = 1; level <= options.max_size && level <= static_cast<int>(n); ++level) {
      std::vector<Mask> ask;
      for (Mask s = (Mask{1} << level) - 1; s <= all && s != 0; s = next_combination(s)) {
        bool need = false;
        for (std::size_t k = 0; k < T; ++k)
          if (open[k] && std::none_of(winners[k].begin(), winners[k].end(),
                                      [&](Mask w) { return (w & s) == w; }))
            need = true;
        if (need) ask.push_back(s);
        if (s == (all ^ (all >> level))) break;  // the last combination: the top `level` bits
      }
      evaluate(ask);
      for (Mask s : ask)
        for (std::size_t k = 0; k < T; ++k)
          if (open[k] && cache[s][k] &&
              std::none_of(winners[k].begin(), winners[k].end(),
                           [&](Mask w) { return (w & s) == w; })) {
            winners[k].push_back(s);
            add_minimal(k, s);
          }
    }
    std::mt19937_64 rng(20240601);
    std::vector<std::size_t> order(n);
    for (std::size_t sample = 0; sample < kCoalitionSamples; ++sample) {
      report_progress(&options.progress, "coalition samples", sample, kCoalitionSamples);
      for (std::size_t i = 0; i < n; ++i) order[i] = i;
      std::shuffle(order.begin(), order.end(), rng);
      std::vector<Mask> prefix(n + 1, 0);
      for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] | Mask{1} << order[i];
      Mask coalition = rng() & all;
      std::vector<Mask> ask{coalition};
      for (std::size_t i = 0; i < n; ++i) {
        ask.push_back(coalition | Mask{1} << i);
        ask.push_back(coalition & ~(Mask{1} << i));
      }
      evaluate(ask);
      for (std::size_t k = 0; k < T; ++k) {
        if (!open[k]) continue;
        // The pivot of the permutation: the first prefix that wins (winning is monotone).
        std::size_t lo = 1, hi = n;
        while (lo < hi) {
          std::size_t mid = (lo + hi) / 2;
          evaluate({prefix[mid]});
          if (cache[prefix[mid]][k])
            hi = mid;
          else
            lo = mid + 1;
        }
        r.targets[k].shapley[order[lo - 1]] += 1.0 / kCoalitionSamples;
        for (std::size_t i = 0; i < n; ++i)
          if (cache[coalition | Mask{1} << i][k] && !cache[coalition & ~(Mask{1} << i)][k])
            r.targets[k].banzhaf[i] += 1;
      }
    }
    for (std::size_t k = 0; k < T; ++k) {
      double total = 0;
      for (double x : r.targets[k].banzhaf) total += x;
      for (double& x : r.targets[k].banzhaf) x = total > 0 ? x / total : 0;
    }
  }
  for (auto& t : r.targets)
    std::sort(t.minimal.begin(), t.minimal.end(), [&](const auto& a, const auto& b) {
      if (a.size() != b.size()) return a.size() < b.size();
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(), [&](JurisdictionIndex x, JurisdictionIndex y) {
            return model.jurisdiction_code(x) < model.jurisdiction_code(y);
          });
    });
  std::sort(r.targets.begin(), r.targets.end(), [&](const auto& a, const auto& b) {
    return model.nodes[a.target].id < model.nodes[b.target].id;
  });
  r.evaluations = pool.evaluations();
  r.budget_hit = base.budget_hit;
  for (const auto& e : evaluators) r.budget_hit = r.budget_hit || e.budget_hit();
  return r;
}

}  // namespace chokepoint
