#include "graph/analysis/coalitions.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <random>
#include <span>
#include <thread>
#include <tuple>
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
  std::vector<Exemption> exempt;    // a bloc side's codes the base scenario's controls spare
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
    View v = view(coalition);
    std::vector<double> out;
    for (NodeIndex t : targets_) out.push_back(v.cap[t]);
    return out;
  }

  // The side's view under the coalition's control; `record` receives the control's denials.
  View view(Mask coalition, std::vector<Denial>* record = nullptr) {
    Control c = tmpl_;
    c.by.clear();
    for (std::size_t i = 0; i < candidates_.size(); ++i)
      if (coalition >> i & 1) c.by.push_back(candidates_[i]);
    std::sort(c.by.begin(), c.by.end());
    std::vector<char> denied = base_.denied;
    std::vector<Exemption> exempt = base_.exempt;
    const std::vector<double>* falls = c.fdpr && !c.by.empty() ? &falls_for(coalition, c) : nullptr;
    std::vector<Denial> own;
    if (!record && !exempt.empty()) record = &own;
    std::size_t from = record ? record->size() : 0;
    if (!c.by.empty()) deny(model_, c, 0, side_, 0, falls, denied, record);
    // The coalition's control is against the whole side.
    if (record)
      deny_whole(exempt, {record->begin() + static_cast<std::ptrdiff_t>(from), record->end()});
    return view_of(std::move(denied), std::move(exempt));
  }

  // The FDPR test's falls depend only on the members that apply an FDPR (once the graph declares
  // who has one, usually a single member): computed once per such set.
  const std::vector<double>& falls_for(Mask coalition, const Control& c) {
    Mask applying = 0;
    for (std::size_t i = 0; i < candidates_.size(); ++i)
      if ((coalition >> i & 1) && model_.applies_fdpr(candidates_[i])) applying |= Mask{1} << i;
    auto it = falls_.find(applying);
    if (it != falls_.end()) return it->second;
    if (falls_.size() > kMaxCachedFalls) falls_.clear();
    return falls_
        .emplace(applying, fdpr_falls(engine_, base_.inputs0, base_.world0, base_.rates0, c))
        .first->second;
  }

  // The side's view with only these of a coalition's denials on top of the starting point.
  View alone(std::span<const Denial> denials) {
    std::vector<char> denied = base_.denied;
    for (const Denial& d : denials) denied[d.pair] = 1;
    std::vector<Exemption> exempt = base_.exempt;
    if (!exempt.empty()) deny_whole(exempt, denials);
    return view_of(std::move(denied), std::move(exempt));
  }

  // The side's view with these pairs denied.
  View view_of(std::vector<char> denied, std::vector<Exemption> exempt) {
    return make_view(engine_, side_, base_.world_inputs, base_.world, base_.world_rates,
                     std::move(denied), std::move(exempt));
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
  static constexpr std::size_t kMaxCachedFalls = 64;  // per evaluator: bounded memory
  std::unordered_map<Mask, std::vector<double>> falls_;
};

// The search's budget of views is spent: what it found so far stands.
struct BudgetSpent {};

// Evaluates many coalitions on the evaluators' threads, remembering every answer so that a
// sweep over thresholds evaluates each coalition once; results in the order asked, so the
// output does not depend on the thread count.
class Pool {
 public:
  Pool(std::vector<Evaluator>& evaluators, std::size_t budget)
      : evaluators_(evaluators), budget_(budget) {}

  // The views of these coalitions; throws BudgetSpent (computing none) when they would take the
  // views computed past the budget, unless `budgeted` is false.
  std::vector<std::vector<double>> run(const std::vector<Mask>& coalitions, bool budgeted = true) {
    std::vector<Mask> missing;
    for (Mask s : coalitions)
      if (!cache_.count(s) && std::find(missing.begin(), missing.end(), s) == missing.end())
        missing.push_back(s);
    if (budgeted && evaluations_ + missing.size() > budget_) throw BudgetSpent{};
    std::vector<std::vector<double>> got(missing.size());
    std::size_t workers = std::min(evaluators_.size(), std::max<std::size_t>(1, missing.size()));
    if (workers <= 1 || missing.size() < 8) {
      for (std::size_t i = 0; i < missing.size(); ++i) got[i] = evaluators_[0](missing[i]);
    } else {
      std::vector<std::thread> threads;
      for (std::size_t w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
          for (std::size_t i = w; i < missing.size(); i += workers)
            got[i] = evaluators_[w](missing[i]);
        });
      for (auto& t : threads) t.join();
    }
    evaluations_ += missing.size();
    for (std::size_t i = 0; i < missing.size(); ++i) cache_.emplace(missing[i], std::move(got[i]));
    std::vector<std::vector<double>> out;
    out.reserve(coalitions.size());
    for (Mask s : coalitions) out.push_back(cache_.at(s));
    return out;
  }
  std::size_t evaluations() const { return evaluations_; }
  // Views the budget still allows.
  std::size_t remaining() const { return budget_ > evaluations_ ? budget_ - evaluations_ : 0; }
  // Charges `checks` comparisons of coalitions against known winners to the same budget (a view
  // costs about as much as 1,000 of them); throws BudgetSpent when it is used up.
  void charge(std::size_t checks) {
    checks_ += checks;
    if (checks_ / 1000 > budget_) throw BudgetSpent{};
  }
  Evaluator& first() { return evaluators_[0]; }

 private:
  std::vector<Evaluator>& evaluators_;
  std::size_t budget_;
  std::size_t checks_ = 0;
  std::unordered_map<Mask, std::vector<double>> cache_;
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

// Lists minimal winning coalition `s` of target `t`, or marks the list truncated when it is full.
void list_minimal(CoalitionTarget& t, Mask s, const std::vector<JurisdictionIndex>& candidates,
                  const CoalitionOptions& options) {
  if (t.minimal.size() >= options.max_coalitions)
    t.truncated = true;
  else
    t.minimal.push_back(members(s, candidates));
}

// What coalition `s` leaves of target `t`, and why it wins there.
struct Reasons {
  double value = 0;
  std::vector<CoalitionReason> members;
};

// What member j's FDPR reaches product p through: the nearest nodes upstream of p (its makers
// and inputs, then theirs) that the FDPR takes out, located in j and named by the control's
// made_with, in the order met. Empty when none is within eight steps.
std::vector<NodeIndex> fdpr_through(const Model& model, const Control& c, JurisdictionIndex j,
                                    NodeIndex p) {
  std::vector<char> seen(model.nodes.size(), 0);
  std::vector<NodeIndex> level{p}, found;
  seen[p] = 1;
  for (int depth = 0; depth < 8 && found.empty() && !level.empty(); ++depth) {
    std::vector<NodeIndex> next;
    for (NodeIndex n : level)
      for (const Group& g : model.nodes[n].groups)
        for (const Member& m : g.members) {
          if (seen[m.node]) continue;
          seen[m.node] = 1;
          next.push_back(m.node);
          if (model.nodes[m.node].jurisdiction == j && c.made_with_node(m.node))
            found.push_back(m.node);
        }
    level = std::move(next);
  }
  return found;
}

// Why coalition `s` wins for target `t`: per member, the products it denies (pairs made or
// located in it; FDPR denials through the members that apply one) whose restoration alone keeps
// the target from losing, else (its denials bind together: no single restoration recovers much)
// the three whose denial alone, on the starting point, costs the target most. Two views per
// product. `start`: the target on the starting point (before the control).
Reasons reasons_for(const Model& model, Evaluator& eval, const Control& control, Mask s,
                    NodeIndex t, double start, const std::vector<JurisdictionIndex>& cands,
                    const std::vector<char>& upstream, const std::function<bool(double)>& wins) {
  std::vector<Denial> denials;
  View v = eval.view(s, &denials);
  Reasons out{v.cap[t], {}};
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (!(s >> i & 1)) continue;
    JurisdictionIndex j = cands[i];
    std::vector<NodeIndex> products;
    std::vector<std::vector<Denial>> pairs;
    for (const Denial& d : denials) {
      NodeIndex n = model.pair_product(d.pair);
      if (!upstream[n]) continue;
      bool mine = d.reason == DenialReason::direct
                      ? model.pair_jurisdiction(d.pair) == j || model.nodes[n].jurisdiction == j
                      : model.applies_fdpr(j);
      if (!mine) continue;
      auto it = std::find(products.begin(), products.end(), n);
      if (it == products.end()) {
        products.push_back(n);
        pairs.emplace_back();
        it = products.end() - 1;
      }
      pairs[static_cast<std::size_t>(it - products.begin())].push_back(d);
    }
    struct Candidate {
      NodeIndex product;
      double gives_back;  // what lifting its denials gives back
      double costs;       // what its denials alone cost the target
      bool by_fdpr;       // some of its denials are the FDPR's
    };
    std::vector<Candidate> all, essential;
    for (std::size_t p = 0; p < products.size(); ++p) {
      std::vector<char> denied = v.denied;
      for (const Denial& d : pairs[p]) denied[d.pair] = 0;
      double cap = eval.view_of(std::move(denied), v.exempt).cap[t];
      bool by_fdpr = std::any_of(pairs[p].begin(), pairs[p].end(),
                                 [](const Denial& d) { return d.reason == DenialReason::fdpr; });
      all.push_back({products[p], cap - v.cap[t], start - eval.alone(pairs[p]).cap[t], by_fdpr});
      if (!wins(cap)) essential.push_back(all.back());
    }
    // Essential products by what lifting them gives back; the others by what they cost alone.
    auto ranked = [&](auto key) {
      return [&model, key](const Candidate& a, const Candidate& b) {
        double ra = std::round(key(a) * 1e12), rb = std::round(key(b) * 1e12);
        return ra != rb ? ra > rb : model.nodes[a.product].id < model.nodes[b.product].id;
      };
    };
    CoalitionReason reason{j, {}, !essential.empty(), {}, {}};
    auto& chosen = essential.empty() ? all : essential;
    if (essential.empty()) {
      std::sort(chosen.begin(), chosen.end(), ranked([](const Candidate& c) { return c.costs; }));
      std::erase_if(chosen, [](const Candidate& c) { return c.costs <= kStatusEpsilon; });
      if (chosen.size() > 3) chosen.resize(3);
    } else {
      std::sort(chosen.begin(), chosen.end(),
                ranked([](const Candidate& c) { return c.gives_back; }));
    }
    for (const Candidate& c : chosen) {
      reason.products.emplace_back(c.product, c.gives_back);
      reason.alone.push_back(c.costs);
      reason.through.push_back(c.by_fdpr ? fdpr_through(model, control, j, c.product)
                                         : std::vector<NodeIndex>{});
    }
    out.members.push_back(std::move(reason));
  }
  return out;
}

// What keeps target t at its value in view `all` (every candidate in the control): from t down,
// each node's value is its factor times the supply of its smallest input group, so following
// that group's members, each weighted, splits the value among them exactly. The walk stops at a
// node the control leaves as it was in `before` (out of its reach), at one whose value comes
// from suppliers (makers' pairs, some denied), or at a depth of eight (a cycle).
std::vector<KeptSupply> kept_supply(const Model& model, const View& all, const View& before,
                                    NodeIndex t) {
  std::vector<KeptSupply> kept;
  std::function<void(NodeIndex, double, int, NodeIndex)> walk = [&](NodeIndex n, double scale,
                                                                    int depth, NodeIndex via) {
    double v = all.cap[n];
    if (v <= kStatusEpsilon || scale * v <= 1e-9) return;
    const Node& node = model.nodes[n];
    auto [binding, lowest] = binding_requirement(node, all.cap);
    bool untouched = depth > 0 && v >= before.cap[n] - kStatusEpsilon;
    if (untouched || node.has_suppliers || !binding || lowest <= 0 || depth >= 8) {
      auto it = std::find_if(kept.begin(), kept.end(),
                             [&](const auto& k) { return k.node == n && k.via == via; });
      if (it == kept.end()) it = kept.insert(kept.end(), KeptSupply{n, 0, untouched, via});
      it->points += scale * v;
      return;
    }
    for (const Member& m : binding->members)
      walk(m.node, scale * v / lowest * m.weight, depth + 1,
           binding->members.size() > 1 ? m.node : via);
  };
  walk(t, 1.0, 0, t);
  std::sort(kept.begin(), kept.end(), [&](const auto& a, const auto& b) {
    double ra = std::round(a.points * 1e12), rb = std::round(b.points * 1e12);
    return ra != rb ? ra > rb : model.nodes[a.node].id < model.nodes[b.node].id;
  });
  return kept;
}

}  // namespace

namespace {

// What every threshold of a run shares: the side, its targets, the candidates, the base world.
struct Setup {
  Perspective side;
  std::vector<NodeIndex> targets;
  std::vector<JurisdictionIndex> candidates;  // sorted by code
  std::vector<JurisdictionIndex> idle;        // upstream, but nothing to deny
  std::vector<bool> mask;                     // nodes upstream of the targets in the side's view
  Base base;
};

Setup prepare(const Model& model, const Scenario& base_scenario, const CoalitionOptions& options) {
  auto codes = resolve_scenario_codes(model, options.against);
  if (!codes) throw UnknownSide(options.against);
  std::sort(codes->begin(), codes->end());
  Setup s;
  s.side = Perspective{options.against, *codes, {}};
  // The side's targets: located in it or without jurisdiction (an imported graph's single
  // target often has none).
  // --target may name any node: what a control aims at is often upstream of a target (new tool
  // deliveries to China's advanced-node fabs).
  if (options.target)
    s.targets.push_back(*options.target);
  else
    for (NodeIndex t : model.targets)
      if (shown_in_view(model, s.side, t)) s.targets.push_back(t);
  if (s.targets.empty()) throw SideWithoutTargets(options.against);
  // Everything upstream in the side's view (its sourcing included).
  std::vector<char> reach = reaching(model, s.targets, true);
  s.mask.assign(reach.begin(), reach.end());
  if (options.candidates.empty()) {
    // Every jurisdiction where a node upstream is located. As deny() decides (views.cpp), one
    // can deny a covered item located in it and the pairs of a covered item whose maker it
    // locates; with the FDPR, what is made with a made-with node it locates. One that can do
    // none of these is idle.
    std::vector<char> upstream(model.jurisdictions.size(), 0), able(model.jurisdictions.size(), 0);
    for (NodeIndex n = 0; n < model.nodes.size(); ++n) {
      JurisdictionIndex j = model.nodes[n].jurisdiction;
      if (!s.mask[n] || j == kNoJurisdiction) continue;
      upstream[j] = 1;
      able[j] =
          able[j] || options.control.item(n) ||
          (options.control.fdpr && model.applies_fdpr(j) && options.control.made_with_node(n));
    }
    for (std::uint32_t p = 0; p < model.pair_count(); ++p) {
      NodeIndex product = model.pair_product(p);
      JurisdictionIndex j = model.pair_jurisdiction(p);
      if (s.mask[product] && j != kNoJurisdiction && options.control.item(product)) able[j] = 1;
    }
    for (JurisdictionIndex j = 0; j < static_cast<JurisdictionIndex>(upstream.size()); ++j) {
      if (!upstream[j] || std::binary_search(codes->begin(), codes->end(), j)) continue;
      (able[j] ? s.candidates : s.idle).push_back(j);
    }
  } else {
    s.candidates = options.candidates;
  }
  std::sort(s.candidates.begin(), s.candidates.end(),
            [&](JurisdictionIndex a, JurisdictionIndex b) {
              return model.jurisdiction_code(a) < model.jurisdiction_code(b);
            });
  s.candidates.erase(std::unique(s.candidates.begin(), s.candidates.end()), s.candidates.end());
  std::sort(s.idle.begin(), s.idle.end(), [&](JurisdictionIndex a, JurisdictionIndex b) {
    return model.jurisdiction_code(a) < model.jurisdiction_code(b);
  });
  if (s.candidates.size() > kMaxCoalitionCandidates)
    throw TooManyCandidates(s.candidates.size(), kMaxCoalitionCandidates);

  CapacityEngine engine(model);
  Base& base = s.base;
  base.no_scenario = engine.evaluate(CapacityInputs(model.nodes.size()));
  base.inputs0 = world_inputs(model, base_scenario);
  base.world0 = engine.evaluate(base.inputs0);
  base.rates0 = pair_rates(engine, base.world0, base.inputs0);
  ScenarioResult evaluated = evaluate_scenario(engine, base_scenario);
  base.world_inputs = std::move(evaluated.world_inputs);
  base.world = std::move(evaluated.world);
  base.world_rates = pair_rates(engine, base.world, base.world_inputs);
  base.denied.assign(model.pair_count(), 0);
  std::vector<Denial> denials;
  for (std::uint32_t k = 0; k < base_scenario.controls.size(); ++k) {
    const Control& c = base_scenario.controls[k];
    if (!control_applies(c, s.side)) continue;
    std::vector<double> falls;
    if (c.fdpr) falls = fdpr_falls(engine, base.inputs0, base.world0, base.rates0, c);
    deny(model, c, k, control_scope(c, s.side), 0, c.fdpr ? &falls : nullptr, base.denied,
         &denials);
  }
  std::stable_sort(denials.begin(), denials.end(),
                   [](const Denial& a, const Denial& b) { return a.pair < b.pair; });
  base.exempt = exemptions(base_scenario.controls, s.side, 0, denials);
  base.budget_hit = evaluated.budget_hit || engine.hit_budget();
  return s;
}

using Wins = std::function<bool(std::size_t target, double cap)>;

// One target's outcome for every coalition (1: wins), most of them without a view: winning is
// monotone (more members deny more), so the winners are the supersets of the minimal winners and
// the losers the subsets of the maximal losers. Coalitions are visited in increasing order, which
// puts every subset of a coalition before it: one with a winning subset one member smaller wins;
// one inside a maximal loser found so far loses; anything else is evaluated. A winner found so is
// minimal (appended to `winners`); a loser is grown into a maximal loser (the other candidates
// added in order while it still loses) and all its subsets are marked. Views: at most the minimal
// winners plus n + 1 per maximal loser (on the dataset's 18 candidates about a hundred, where
// visiting every loser took 65,559). Throws BudgetSpent with `winners` as found so far.
std::vector<char> outcomes(std::size_t k, std::size_t n, Pool& pool, const Wins& wins,
                           const Progress& progress, std::size_t T, std::vector<Mask>& winners) {
  std::size_t size = std::size_t{1} << n;
  constexpr char kUnknown = 0, kWin = 1, kLose = 2;
  std::vector<char> state(size, kUnknown);
  auto evaluated_win = [&](Mask s) {
    pool.charge(winners.size());
    for (Mask w : winners)
      if ((w & s) == w) return true;
    return wins(k, pool.run({s})[0][k]);
  };
  for (Mask s = 0; s < size; ++s) {
    if ((s & 0xFFF) == 0) report_progress(&progress, "coalitions", k * size + s, T * size);
    if (state[s] != kUnknown) continue;
    bool won = false;
    for (Mask rest = s; rest && !won; rest &= rest - 1)
      won = state[s ^ (rest & (~rest + 1))] == kWin;
    if (won || (s != 0 && evaluated_win(s))) {
      if (!won) winners.push_back(s);
      state[s] = kWin;
      continue;
    }
    Mask loser = s;
    for (std::size_t i = 0; i < n; ++i) {
      Mask grown = loser | Mask{1} << i;
      if (grown != loser && !evaluated_win(grown)) loser = grown;
    }
    for (Mask sub = loser;; sub = (sub - 1) & loser) {
      if (state[sub] == kUnknown) state[sub] = kLose;
      if (sub == 0) break;
    }
  }
  for (char& c : state) c = c == kWin;
  return state;
}

// Every coalition's outcome for every open target (outcomes()), then the minimal winners and both
// indices by their definitions. When the budget stops the search, the minimal winners found so
// far are listed and no index is computed.
void exact_search(const Setup& setup, Pool& pool, const Wins& wins, const CoalitionOptions& options,
                  const std::vector<char>& open, CoalitionResult& r) {
  std::size_t n = setup.candidates.size(), T = setup.targets.size();
  std::size_t size = std::size_t{1} << n;
  std::vector<std::vector<char>> win(T);
  std::vector<std::vector<Mask>> found(T);  // minimal winners as found
  try {
    for (std::size_t k = 0; k < T; ++k)
      if (open[k]) win[k] = outcomes(k, n, pool, wins, options.progress, T, found[k]);
  } catch (const BudgetSpent&) {
    r.stopped = true;
    for (std::size_t k = 0; k < T; ++k) {
      auto& t = r.targets[k];
      for (Mask s : found[k])  // in increasing order, as outcomes() visits them
        if (std::popcount(s) <= options.max_size) list_minimal(t, s, setup.candidates, options);
      t.banzhaf.clear();
      t.shapley.clear();
    }
    return;
  }
  // Minimal winners: every member needed.
  for (std::size_t level = 1; level <= n && static_cast<int>(level) <= options.max_size; ++level)
    for (Mask s = (Mask{1} << level) - 1; s < size; s = next_combination(s))
      for (std::size_t k = 0; k < T; ++k) {
        if (!open[k] || !win[k][s]) continue;
        bool minimal = true;
        for (Mask rest = s; rest && minimal; rest &= rest - 1)
          minimal = !win[k][s ^ (rest & (~rest + 1))];
        if (!minimal) continue;
        list_minimal(r.targets[k], s, setup.candidates, options);
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
    for (std::size_t i = 0; i < n; ++i) r.targets[k].banzhaf[i] = total > 0 ? swings[i] / total : 0;
  }
}

// Too many coalitions to visit: minimal ones level by level up to max_size, indices from a
// fixed, seeded sample of permutations (Shapley–Shubik) and coalitions (Banzhaf). When the budget
// of views runs out, the levels stop (the minimal coalitions found stand) and the indices come
// from the samples completed, or are left out when there are none.
void sampled_search(const Setup& setup, Pool& pool, const Wins& wins,
                    const CoalitionOptions& options, const std::vector<char>& open,
                    CoalitionResult& r) {
  std::size_t n = setup.candidates.size(), T = setup.targets.size();
  Mask all = n == 64 ? ~Mask{0} : (Mask{1} << n) - 1;
  r.exact = false;
  auto won = [&](Mask s, std::size_t k) { return wins(k, pool.run({s})[0][k]); };
  std::vector<std::vector<Mask>> winners(T);
  try {
    for (int level = 1; level <= options.max_size && level <= static_cast<int>(n); ++level) {
      std::vector<Mask> ask;
      for (Mask s = (Mask{1} << level) - 1; s <= all && s != 0; s = next_combination(s)) {
        bool need = false;
        for (std::size_t k = 0; k < T; ++k) {
          pool.charge(winners[k].size());
          if (open[k] && std::none_of(winners[k].begin(), winners[k].end(),
                                      [&](Mask w) { return (w & s) == w; }))
            need = true;
        }
        if (need) ask.push_back(s);
        if (ask.size() > pool.remaining()) throw BudgetSpent{};  // before the list grows huge
        if (s == (all ^ (all >> level))) break;  // the last combination: the top `level` bits
      }
      auto got = pool.run(ask);
      for (std::size_t k = 0; k < T; ++k) pool.charge(ask.size() * winners[k].size());
      for (std::size_t i = 0; i < ask.size(); ++i)
        for (std::size_t k = 0; k < T; ++k)
          if (open[k] && wins(k, got[i][k]) &&
              std::none_of(winners[k].begin(), winners[k].end(),
                           [&](Mask w) { return (w & ask[i]) == w; })) {
            winners[k].push_back(ask[i]);
            list_minimal(r.targets[k], ask[i], setup.candidates, options);
          }
    }
  } catch (const BudgetSpent&) {
    r.stopped = true;
  }
  std::mt19937_64 rng(20240601);
  std::vector<std::size_t> order(n);
  std::vector<std::vector<double>> pivots(T, std::vector<double>(n, 0.0));
  std::size_t done = 0;
  try {
    for (; done < kCoalitionSamples; ++done) {
      report_progress(&options.progress, "coalition samples", done, kCoalitionSamples);
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
      pool.run(ask);
      std::vector<std::vector<double>> sample_pivots(T, std::vector<double>(n, 0.0));
      std::vector<std::vector<double>> sample_swings(T, std::vector<double>(n, 0.0));
      for (std::size_t k = 0; k < T; ++k) {
        if (!open[k]) continue;
        // The pivot of the permutation: the first prefix that wins (winning is monotone).
        std::size_t lo = 1, hi = n;
        while (lo < hi) {
          std::size_t mid = (lo + hi) / 2;
          if (won(prefix[mid], k))
            hi = mid;
          else
            lo = mid + 1;
        }
        sample_pivots[k][order[lo - 1]] += 1.0;
        for (std::size_t i = 0; i < n; ++i)
          if (won(coalition | Mask{1} << i, k) && !won(coalition & ~(Mask{1} << i), k))
            sample_swings[k][i] += 1;
      }
      // A sample counts only once complete.
      for (std::size_t k = 0; k < T; ++k)
        for (std::size_t i = 0; i < n; ++i) {
          pivots[k][i] += sample_pivots[k][i];
          r.targets[k].banzhaf[i] += sample_swings[k][i];
        }
    }
  } catch (const BudgetSpent&) {
    r.stopped = true;
  }
  r.samples = done;
  for (std::size_t k = 0; k < T; ++k) {
    auto& t = r.targets[k];
    if (done == 0) {
      t.banzhaf.clear();
      t.shapley.clear();
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) t.shapley[i] = pivots[k][i] / static_cast<double>(done);
    double total = 0;
    for (double x : t.banzhaf) total += x;
    for (double& x : t.banzhaf) x = total > 0 ? x / total : 0;
  }
}

// One threshold's answer: ends, search, minimal coalitions sorted, reasons, targets by id.
CoalitionResult solve(const Model& model, const Setup& setup, Pool& pool,
                      const CoalitionOptions& options) {
  CoalitionResult r;
  r.against = options.against;
  r.control = options.control;
  r.max_size = options.max_size;
  r.below = options.below;
  r.candidates = setup.candidates;
  r.idle = setup.idle;
  std::size_t n = setup.candidates.size(), T = setup.targets.size();
  Wins wins = [&](std::size_t k, double cap) {
    if (options.below) return cap < *options.below - 1e-12;
    return status_of(cap, setup.base.no_scenario[setup.targets[k]]) == Status::lost;
  };
  Mask all = n == 64 ? ~Mask{0} : (Mask{1} << n) - 1;
  auto ends = pool.run({Mask{0}, all}, false);
  r.targets.resize(T);
  // Targets the grand coalition cannot make lose, or already lost, have no coalitions to find.
  std::vector<char> open(T);
  for (std::size_t k = 0; k < T; ++k) {
    auto& t = r.targets[k];
    t.target = setup.targets[k];
    t.baseline = ends[0][k];
    t.grand = ends[1][k];
    t.already = wins(k, ends[0][k]);
    t.banzhaf.assign(n, 0.0);
    t.shapley.assign(n, 0.0);
    t.grand_wins = wins(k, ends[1][k]);
    open[k] = t.grand_wins && !t.already;
  }
  // What keeps the targets every candidate together cannot make lose.
  if (std::any_of(r.targets.begin(), r.targets.end(),
                  [](const auto& t) { return !t.grand_wins && !t.already; })) {
    View before = pool.first().view(Mask{0}), every = pool.first().view(all);
    for (auto& t : r.targets)
      if (!t.grand_wins && !t.already) t.kept = kept_supply(model, every, before, t.target);
  }
  // Exact: a byte per coalition and target (at most 32 MiB), else sampled.
  if (n <= kExactCoalitionCandidates && (std::size_t{T} << n) <= (std::size_t{1} << 25))
    exact_search(setup, pool, wins, options, open, r);
  else
    sampled_search(setup, pool, wins, options, open, r);
  for (std::size_t k = 0; k < T; ++k) {
    auto& t = r.targets[k];
    std::sort(t.minimal.begin(), t.minimal.end(), [&](const auto& a, const auto& b) {
      if (a.size() != b.size()) return a.size() < b.size();
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(), [&](JurisdictionIndex x, JurisdictionIndex y) {
            return model.jurisdiction_code(x) < model.jurisdiction_code(y);
          });
    });
    // Why each minimal coalition wins, and who applied an FDPR in it.
    auto target_wins = [&](double cap) { return wins(k, cap); };
    std::vector<char> upstream = reaching(model, std::vector<NodeIndex>{t.target}, true);
    double start = t.minimal.empty() ? 0.0 : pool.first().alone({}).cap[t.target];
    for (const auto& members_of : t.minimal) {
      Mask s = 0;
      std::vector<JurisdictionIndex> fdpr;
      for (JurisdictionIndex j : members_of) {
        auto i = std::find(r.candidates.begin(), r.candidates.end(), j) - r.candidates.begin();
        s |= Mask{1} << i;
        if (r.control.fdpr && model.applies_fdpr(j)) fdpr.push_back(j);
      }
      Reasons why = reasons_for(model, pool.first(), r.control, s, t.target, start, r.candidates,
                                upstream, target_wins);
      t.value.push_back(why.value);
      t.reasons.push_back(std::move(why.members));
      t.fdpr_members.push_back(std::move(fdpr));
    }
  }
  std::sort(r.targets.begin(), r.targets.end(), [&](const auto& a, const auto& b) {
    return model.nodes[a.target].id < model.nodes[b.target].id;
  });
  return r;
}

}  // namespace

std::size_t coalition_view_budget(const Model& model) {
  std::size_t cost = model.nodes.size() + model.edge_count + 700;  // a view's set-up counts too
  return std::clamp<std::size_t>(200'000'000 / cost, 1'000, 500'000);
}

CoalitionResult coalitions(const Model& model, const Scenario& base_scenario,
                           const CoalitionOptions& options) {
  return coalition_sweep(model, base_scenario, options, {options.below}).front();
}

std::vector<CoalitionResult> coalition_sweep(const Model& model, const Scenario& base_scenario,
                                             const CoalitionOptions& options,
                                             const std::vector<std::optional<double>>& thresholds) {
  Setup setup = prepare(model, base_scenario, options);
  std::vector<Evaluator> evaluators;
  for (unsigned i = 0; i < std::max(1u, options.threads); ++i)
    evaluators.emplace_back(model, setup.base, setup.side, options.control, setup.candidates,
                            setup.mask, setup.targets);
  std::size_t views = options.max_views ? options.max_views : coalition_view_budget(model);
  Pool pool(evaluators, views);
  std::vector<CoalitionResult> out;
  for (const auto& below : thresholds) {
    CoalitionOptions at = options;
    at.below = below;
    out.push_back(solve(model, setup, pool, at));
  }
  bool budget = setup.base.budget_hit;
  for (const auto& e : evaluators) budget = budget || e.budget_hit();
  for (auto& r : out) {
    r.evaluations = pool.evaluations();
    r.max_views = views;
    r.budget_hit = budget;
  }
  return out;
}

void coalition_win_shares(const Model& model, const Scenario& base, const CoalitionOptions& options,
                          const SampleOptions& sampling, CoalitionResult& result) {
  // The coalitions to test, as masks over the result's candidates, shared by every target.
  std::vector<Mask> masks;
  std::vector<std::vector<std::size_t>> mask_of(result.targets.size());
  for (std::size_t k = 0; k < result.targets.size(); ++k)
    for (const auto& members_of : result.targets[k].minimal) {
      Mask s = 0;
      for (JurisdictionIndex j : members_of) {
        auto i = std::find(result.candidates.begin(), result.candidates.end(), j) -
                 result.candidates.begin();
        s |= Mask{1} << i;
      }
      auto it = std::find(masks.begin(), masks.end(), s);
      mask_of[k].push_back(static_cast<std::size_t>(it - masks.begin()));
      if (it == masks.end()) masks.push_back(s);
    }
  CoalitionOptions at = options;
  at.candidates = result.candidates;  // the same bits in every sample
  at.below = result.below;
  at.progress = {};
  // Per sample, per target and coalition (flattened), whether it wins: stored by sample index,
  // so the shares do not depend on which worker drew which sample.
  std::vector<std::vector<char>> wins(sampling.samples);
  for_each_sample(
      model, base, sampling, [&](const SampledWorld& world, std::size_t sample, unsigned) {
        Setup setup = prepare(world.model(), world.scenario(), at);
        Evaluator eval(world.model(), setup.base, setup.side, at.control, setup.candidates,
                       setup.mask, setup.targets);
        std::vector<std::vector<double>> caps;
        caps.reserve(masks.size());
        for (Mask s : masks) caps.push_back(eval(s));
        std::vector<char>& out = wins[sample];
        for (std::size_t k = 0; k < result.targets.size(); ++k) {
          NodeIndex t = result.targets[k].target;
          std::size_t pos = static_cast<std::size_t>(
              std::find(setup.targets.begin(), setup.targets.end(), t) - setup.targets.begin());
          for (std::size_t m : mask_of[k]) {
            double cap = caps[m][pos];
            out.push_back(at.below ? cap < *at.below - 1e-12
                                   : status_of(cap, setup.base.no_scenario[t]) == Status::lost);
          }
        }
      });
  for (std::size_t k = 0, flat = 0; k < result.targets.size(); ++k) {
    auto& t = result.targets[k];
    t.win_share.assign(t.minimal.size(), 0.0);
    for (std::size_t c = 0; c < t.minimal.size(); ++c, ++flat) {
      std::size_t won = 0;
      for (const auto& w : wins) won += w[flat] != 0;
      t.win_share[c] =
          sampling.samples ? static_cast<double>(won) / static_cast<double>(sampling.samples) : 0;
    }
  }
  result.win_samples = sampling.samples;
  result.win_seed = sampling.seed;
}

}  // namespace chokepoint
