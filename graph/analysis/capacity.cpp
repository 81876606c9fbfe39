#include "graph/analysis/capacity.hpp"

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>
#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <queue>

namespace chokepoint {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::ok:
      return "ok";
    case Status::degraded:
      return "degraded";
    case Status::lost:
      return "lost";
  }
  return "ok";
}

Status status_of(double capacity, double baseline) {
  if (capacity <= kStatusEpsilon && baseline > kStatusEpsilon) return Status::lost;
  if (capacity < baseline - kStatusEpsilon) return Status::degraded;
  return Status::ok;
}

void CapacityInputs::enable_pairs(std::size_t pairs) {
  if (pair_pinned.empty()) pair_pinned.assign(pairs, std::numeric_limits<double>::quiet_NaN());
  if (pair_limit.empty()) pair_limit.assign(pairs, std::numeric_limits<double>::infinity());
}

namespace {

// Thresholds allow for the rounding of sums of shares (0.1 + 0.2 vs 0.3).
bool group_ok(double supply, double threshold) {
  return threshold > 0 ? supply >= threshold - 1e-12 : supply > 0;
}

double snap(double v) { return v < kZeroSnap ? 0.0 : std::min(v, 1.0); }

}  // namespace

Requirement binding_requirement(const Node& node, const std::vector<double>& cap) {
  Requirement r;
  for (const Group& g : node.groups) {
    if (g.role == Role::supplier) continue;
    double supply = 0;
    for (const Member& m : g.members) supply += m.weight * cap[m.node];
    double val = group_ok(supply, g.threshold) ? supply : 0.0;
    if (val < r.value || (!r.group && val <= r.value)) {
      r.value = val;
      r.group = val > 0 ? &g : nullptr;
    }
  }
  return r;
}

CapacityEngine::CapacityEngine(const Model& model, bool substitutes) : model_(model) {
  std::size_t n = model.nodes.size();
  for (NodeIndex i = 0; i < n && substitutes && dependent_start_.empty(); ++i)
    if (!model.nodes[i].extras.get().substitutes.empty()) dependent_start_.assign(n + 1, 0);
  if (!dependent_start_.empty()) {
    // A substitute X feeds the node it replaces: X -> n, besides the model's edges.
    for (NodeIndex i = 0; i < n; ++i) {
      dependent_start_[i + 1] +=
          static_cast<std::uint32_t>(model.dependents_with_sourcing(i).size());
      for (const Substitute& sub : model.nodes[i].extras.get().substitutes)
        ++dependent_start_[sub.node + 1];
    }
    for (std::size_t i = 0; i < n; ++i) dependent_start_[i + 1] += dependent_start_[i];
    dependents_.resize(dependent_start_[n]);
    std::vector<std::uint32_t> fill(dependent_start_.begin(), dependent_start_.end() - 1);
    for (NodeIndex i = 0; i < n; ++i) {
      for (NodeIndex d : model.dependents_with_sourcing(i)) dependents_[fill[i]++] = d;
      for (const Substitute& sub : model.nodes[i].extras.get().substitutes)
        dependents_[fill[sub.node]++] = i;
    }
    // Each listed once, as the model's are.
    std::vector<NodeIndex> out;
    std::vector<std::uint32_t> start(n + 1, 0);
    for (NodeIndex i = 0; i < n; ++i) {
      auto first = dependents_.begin() + dependent_start_[i];
      auto last = dependents_.begin() + dependent_start_[i + 1];
      std::sort(first, last);
      for (auto it = first; it != last; ++it)
        if (it == first || *it != *(it - 1)) out.push_back(*it);
      start[i + 1] = static_cast<std::uint32_t>(out.size());
    }
    dependents_ = std::move(out);
    dependent_start_ = std::move(start);
  }
  std::vector<std::uint32_t> tarjan(n, 0);
  if (n > 0 && !model.has_sourcing && dependent_start_.empty()) {
    component_count_ = boost::strong_components(
        model.graph(), boost::make_iterator_property_map(
                           tarjan.begin(), boost::get(boost::vertex_index, model.graph())));
  } else if (n > 0) {
    // A side's sourcing (or a substitute) adds dependencies of its own: the order must respect
    // them too.
    using Plain =
        boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                           boost::no_property, std::uint32_t, std::uint32_t>;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;
    for (NodeIndex i = 0; i < n; ++i)
      for (NodeIndex d : dependents(i)) ends.emplace_back(i, d);
    Plain g(boost::edges_are_unsorted_multi_pass, ends.begin(), ends.end(),
            static_cast<std::uint32_t>(n));
    component_count_ = boost::strong_components(
        g, boost::make_iterator_property_map(tarjan.begin(), boost::get(boost::vertex_index, g)));
  }
  // Tarjan numbers components in reverse topological order (sinks first); renumber by rank.
  component_.resize(n);
  rank_.resize(n);
  for (NodeIndex i = 0; i < n; ++i)
    rank_[i] = component_[i] = static_cast<std::uint32_t>(component_count_ - 1 - tarjan[i]);
  start_.assign(component_count_ + 1, 0);
  for (NodeIndex i = 0; i < n; ++i) ++start_[component_[i] + 1];
  for (std::size_t c = 0; c < component_count_; ++c) start_[c + 1] += start_[c];
  order_.resize(n);
  local_.resize(n);
  std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
  for (NodeIndex i = 0; i < n; ++i) {
    local_[i] = fill[component_[i]] - start_[component_[i]];
    order_[fill[component_[i]]++] = i;
  }
  cyclic_.assign(component_count_, 0);
  for (NodeIndex i = 0; i < n; ++i) {
    if (start_[component_[i] + 1] - start_[component_[i]] > 1) cyclic_[component_[i]] = 1;
    for (NodeIndex d : dependents(i))
      if (d == i) cyclic_[component_[i]] = 1;
  }
  queued_.assign(n, 0);
  touched_.assign(n, 0);
}

double CapacityEngine::requirement(NodeIndex n, const std::vector<double>& cap,
                                   const CapacityInputs&) const {
  double lowest = 1.0;
  for (const Group& g : model_.nodes[n].groups) {
    if (g.role == Role::supplier) continue;
    double supply = 0;
    for (const Member& m : g.members) supply += m.weight * cap[m.node];
    lowest = std::min(lowest, group_ok(supply, g.threshold) ? supply : 0.0);
    if (lowest <= 0) break;
  }
  return lowest;
}

double CapacityEngine::group_value(NodeIndex n, std::size_t group, const std::vector<double>& cap,
                                   const CapacityInputs& in) const {
  const Group* gp = &model_.nodes[n].groups[group];
  double supply = 0;
  if (gp->role == Role::supplier) {
    double req = requirement(n, cap, in);
    Suppliers s = suppliers(n, in);
    gp = s.group;
    for (std::size_t i = 0; i < gp->members.size(); ++i)
      supply += gp->members[i].weight * pair_rate(s.pair(i), req, cap, in);
  } else {
    const Group& g = *gp;
    for (const Member& m : g.members) supply += m.weight * cap[m.node];
  }
  return group_ok(supply, gp->threshold) ? supply : 0.0;
}

double CapacityEngine::pair_rate(std::uint32_t pair, double req, const std::vector<double>& cap,
                                 const CapacityInputs& in) const {
  if (!in.pair_pinned.empty() && !std::isnan(in.pair_pinned[pair])) return in.pair_pinned[pair];
  // A node without suppliers is its own maker: its pair runs at req alone.
  double rate = req;
  if (pair >= model_.world_pair_count() || model_.nodes[model_.pair_product(pair)].has_suppliers)
    rate = std::min(rate, cap[model_.pair_maker(pair)]);
  if (!in.pair_limit.empty()) rate = std::min(rate, in.pair_limit[pair]);
  return rate;
}

double CapacityEngine::node_value(NodeIndex n, const std::vector<double>& cap,
                                  const CapacityInputs& in) const {
  if (in.is_pinned(n)) return in.pinned[n];
  if (!in.month) return raw_value(n, cap, in);
  return month_steps(n, raw_value(n, cap, in), cap, in).value;
}

namespace {

// The share of the gap to the world that n's substitutes close: 1 - prod (1 - r * V).
double substitution_share(const MonthTerms& m, NodeIndex n, const std::vector<double>& cap) {
  double open = 1.0;
  for (std::uint32_t k = m.substitution_start[n]; k < m.substitution_start[n + 1]; ++k) {
    const auto& s = m.substitutions[k];
    double v = s.by == MonthTerms::kNeedsNothing ? 1.0 : std::clamp(cap[s.by], 0.0, 1.0);
    open *= 1.0 - std::clamp(s.level, 0.0, 1.0) * v;
  }
  return 1.0 - open;
}

}  // namespace

MonthSteps CapacityEngine::month_steps(NodeIndex n, double raw, const std::vector<double>& cap,
                                       const CapacityInputs& in) const {
  const MonthTerms& m = *in.month;
  MonthSteps s{raw, raw, raw};
  if (m.substituted(n) && m.world[n] > raw)
    s.substituted = raw + substitution_share(m, n, cap) * (m.world[n] - raw);
  s.stocked = s.substituted;
  if (!m.stock.empty() && m.stock[n] > 0 && s.stocked < m.ceiling[n])
    s.stocked = std::min(m.ceiling[n], s.stocked + m.stock[n]);
  s.value = s.stocked;
  if (ages(n) && !m.keep.empty()) s.value = m.keep[n] + m.inflow[n] * s.stocked;
  s.value = snap(s.value);
  return s;
}

double CapacityEngine::value_from_supply(NodeIndex n, double supply,
                                         const CapacityInputs& in) const {
  if (in.is_pinned(n)) return in.pinned[n];
  double f = in.factor[n];
  if (f <= 0) return 0.0;
  if (intact_base(n, in)) return snap(f);
  if (!group_ok(supply, model_.nodes[n].supplier_group()->threshold)) return 0.0;
  return snap(f * supply);
}

double CapacityEngine::raw_value(NodeIndex n, const std::vector<double>& cap,
                                 const CapacityInputs& in) const {
  double f = in.factor[n];
  if (f <= 0) return 0.0;
  if (intact_base(n, in)) return snap(f);
  const Node& node = model_.nodes[n];
  double req = requirement(n, cap, in);
  if (!node.has_suppliers) {
    // Its own maker: cap = f * req, unless the pair is pinned or limited.
    if (in.pair_pinned.empty()) return snap(f * req);
    return snap(f * pair_rate(model_.first_pair(n), req, cap, in));
  }
  Suppliers s = suppliers(n, in);
  double supply = 0;
  for (std::size_t i = 0; i < s.group->members.size(); ++i)
    supply += s.group->members[i].weight * pair_rate(s.pair(i), req, cap, in);
  return group_ok(supply, s.group->threshold) ? snap(f * supply) : 0.0;
}

std::vector<double> CapacityEngine::evaluate(const CapacityInputs& in) const {
  std::size_t n = model_.nodes.size();
  std::vector<double> cap(n, 1.0);
  std::vector<NodeIndex> changed;
  std::vector<NodeIndex> seeds;
  for (std::uint32_t c = 0; c < component_count_; ++c) {
    auto nodes = members(c);
    if (!cyclic_[c]) {
      NodeIndex v = nodes[0];
      if (in_mask(v)) cap[v] = node_value(v, cap, in);
      continue;
    }
    seeds.clear();
    for (NodeIndex v : nodes)
      if (in_mask(v)) seeds.push_back(v);
    changed.clear();
    solve_component(c, cap, in, seeds, nullptr, changed);
  }
  return cap;
}

void CapacityEngine::propagate(std::vector<double>& cap, const CapacityInputs& in,
                               std::span<const NodeIndex> seeds, UndoLog* undo,
                               bool both_ways) const {
  using Item = std::pair<std::uint32_t, NodeIndex>;  // (rank, node), smallest first
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
  auto push = [&](NodeIndex v) {
    if (!queued_[v] && in_mask(v)) {
      queued_[v] = 1;
      queue.emplace(rank_[v], v);
    }
  };
  for (NodeIndex s : seeds) push(s);
  std::vector<NodeIndex> batch, changed;
  while (!queue.empty()) {
    std::uint32_t c = queue.top().first;
    batch.clear();
    while (!queue.empty() && queue.top().first == c) {
      batch.push_back(queue.top().second);
      queued_[queue.top().second] = 0;
      queue.pop();
    }
    changed.clear();
    if (cyclic_[c] && both_ways) {
      // A rise needs the component solved again from the top; then whatever differs changed.
      auto nodes = members(c);
      std::vector<double> old(nodes.size());
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        NodeIndex v = nodes[i];
        old[i] = cap[v];
        if (in_mask(v) && cap[v] != 1.0) {
          if (undo) undo->emplace_back(v, cap[v]);
          cap[v] = 1.0;
        }
      }
      batch.assign(nodes.begin(), nodes.end());
      std::vector<NodeIndex> lowered;
      solve_component(c, cap, in, batch, undo, lowered);
      for (std::size_t i = 0; i < nodes.size(); ++i)
        if (cap[nodes[i]] != old[i]) changed.push_back(nodes[i]);
    } else if (cyclic_[c]) {
      solve_component(c, cap, in, batch, undo, changed);
    } else {
      NodeIndex v = batch[0];
      double value = node_value(v, cap, in);
      if (both_ways ? value != cap[v] : value < cap[v]) {
        if (undo) undo->emplace_back(v, cap[v]);
        cap[v] = value;
        changed.push_back(v);
      }
    }
    for (NodeIndex v : changed)
      for (NodeIndex d : dependents(v))
        if (component_[d] != c) push(d);
  }
}

bool CapacityEngine::iterate_component(std::uint32_t c, std::vector<double>& cap,
                                       const CapacityInputs& in, std::vector<NodeIndex>& work,
                                       UndoLog* undo, std::vector<NodeIndex>& changed) const {
  std::size_t size = start_[c + 1] - start_[c];
  std::size_t budget = 64 * size + 256;
  for (NodeIndex v : work) queued_[v] = 1;
  // A FIFO over `work`: nodes are appended as their members change.
  for (std::size_t head = 0; head < work.size(); ++head) {
    NodeIndex v = work[head];
    queued_[v] = 0;
    if (budget-- == 0) {
      for (std::size_t i = head; i < work.size(); ++i) queued_[work[i]] = 0;
      work.clear();
      return false;
    }
    double value = node_value(v, cap, in);
    // Values only fall from a post-fixed point; a rise would be rounding noise.
    if (!(value < cap[v])) continue;
    if (undo) undo->emplace_back(v, cap[v]);
    cap[v] = value;
    if (!touched_[v]) {
      touched_[v] = 1;
      changed.push_back(v);
    }
    for (NodeIndex d : dependents(v))
      if (component_[d] == c && !queued_[d] && in_mask(d)) {
        queued_[d] = 1;
        work.push_back(d);
      }
    if (work.size() > 4 * size + 64 && head > work.size() / 2) {
      work.erase(work.begin(), work.begin() + static_cast<std::ptrdiff_t>(head + 1));
      head = static_cast<std::size_t>(-1);
    }
  }
  work.clear();
  return true;
}

void CapacityEngine::solve_component(std::uint32_t c, std::vector<double>& cap,
                                     const CapacityInputs& in, std::span<const NodeIndex> seeds,
                                     UndoLog* undo, std::vector<NodeIndex>& changed) const {
  std::size_t first_changed = changed.size();
  std::vector<NodeIndex> work(seeds.begin(), seeds.end());
  bool done = iterate_component(c, cap, in, work, undo, changed);
  auto nodes = members(c);
  for (int round = 0; !done && round < kMaxPolicyRounds; ++round) {
    // The linear system of the pieces that attain every min now has a greatest fixed point y
    // above the answer; so has the current post-fixed point, and so has their minimum z, from
    // which iteration continues. When z is a fixed point, it is the greatest one.
    auto y = policy_solution(c, cap, in);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      NodeIndex v = nodes[i];
      if (!in_mask(v) || !(y[i] < cap[v])) continue;
      if (undo) undo->emplace_back(v, cap[v]);
      cap[v] = y[i] < kZeroSnap ? 0.0 : y[i];
      if (!touched_[v]) {
        touched_[v] = 1;
        changed.push_back(v);
      }
    }
    bool fixed = true;
    for (NodeIndex v : nodes)
      if (in_mask(v) && node_value(v, cap, in) < cap[v] - 1e-13) {
        fixed = false;
        break;
      }
    if (fixed) {
      done = true;
      break;
    }
    work.clear();
    for (NodeIndex v : nodes)
      if (in_mask(v)) work.push_back(v);
    done = iterate_component(c, cap, in, work, undo, changed);
  }
  if (!done) hit_budget_ = true;
  for (std::size_t i = first_changed; i < changed.size(); ++i) touched_[changed[i]] = 0;
}

std::vector<double> CapacityEngine::policy_solution(std::uint32_t c, const std::vector<double>& cap,
                                                    const CapacityInputs& in) const {
  auto nodes = members(c);
  std::size_t k = nodes.size();
  // Row i: y_i = constant[i] + sum of coef * y_j over members j of the component.
  std::vector<double> constant(k, 0.0);
  std::vector<std::vector<std::pair<std::uint32_t, double>>> rows(k);
  auto add_member = [&](std::size_t row, NodeIndex m, double coef) {
    if (coef == 0) return;
    if (component_[m] == c && in_mask(m))
      rows[row].emplace_back(local_[m], coef);
    else
      constant[row] += coef * cap[m];
  };
  for (std::size_t i = 0; i < k; ++i) {
    NodeIndex v = nodes[i];
    if (!in_mask(v) || in.is_pinned(v) || intact_base(v, in)) {
      constant[i] = in_mask(v) ? node_value(v, cap, in) : cap[v];
      continue;
    }
    double raw = raw_value(v, cap, in);
    // The month's adjustments are affine on the piece that holds now: value = shift + scale *
    // raw (a substitute's V frozen at its current value, which only falls).
    double shift = 0, scale = 1;
    if (in.month) {
      const MonthTerms& m = *in.month;
      MonthSteps steps = month_steps(v, raw, cap, in);
      if (steps.substituted != raw) {
        double share = substitution_share(m, v, cap);
        shift = share * m.world[v];
        scale = 1 - share;
      }
      if (steps.stocked != steps.substituted) {
        if (steps.stocked >= m.ceiling[v])
          shift = m.ceiling[v], scale = 0;
        else
          shift += m.stock[v];
      }
      if (ages(v) && !m.keep.empty()) {
        shift = m.keep[v] + m.inflow[v] * shift;
        scale *= m.inflow[v];
      }
      if (steps.value == 0) shift = 0, scale = 0;  // snapped to 0
    }
    constant[i] = shift;
    double f = in.factor[v] * scale;
    if (f <= 0 || raw <= 0) {
      constant[i] += scale * raw;
      continue;
    }
    const Node& node = model_.nodes[v];
    // The input group that attains req(v), or none when req is 1 (no inputs) or 0 (a group
    // failed its threshold).
    auto [req_group, req] = binding_requirement(node, cap);
    double req_weight = 0;  // how much of v's output follows req
    Suppliers sup = suppliers(v, in);
    const Group* s = sup.group;
    std::size_t pairs = s ? s->members.size() : 1;
    for (std::size_t p = 0; p < pairs; ++p) {
      std::uint32_t pair = sup.pair(p);
      double w = s ? s->members[p].weight : 1.0;
      if (!in.pair_pinned.empty() && !std::isnan(in.pair_pinned[pair])) {
        constant[i] += f * w * in.pair_pinned[pair];
        continue;
      }
      NodeIndex maker = model_.pair_maker(pair);
      double limit =
          in.pair_limit.empty() ? std::numeric_limits<double>::infinity() : in.pair_limit[pair];
      double from_maker = s ? cap[maker] : std::numeric_limits<double>::infinity();
      if (limit <= req && limit <= from_maker)
        constant[i] += f * w * limit;
      else if (from_maker <= req)
        add_member(i, maker, f * w);
      else
        req_weight += f * w;
    }
    if (req_weight > 0) {
      if (!req_group)
        constant[i] += req_weight * req;
      else
        for (const Member& m : req_group->members) add_member(i, m.node, req_weight * m.weight);
    }
  }
  // Rows that lose mass (a factor below 1, supply from outside, a failed group) are leaky; every
  // node that cannot reach a leaky one keeps 1, the others solve (I - A) y = b exactly.
  std::vector<std::vector<std::uint32_t>> reverse(k);
  std::vector<char> transient(k, 0);
  std::vector<std::uint32_t> stack;
  for (std::size_t i = 0; i < k; ++i) {
    double mass = 0;
    for (auto [j, coef] : rows[i]) {
      mass += coef;
      reverse[j].push_back(static_cast<std::uint32_t>(i));
    }
    if (mass < 1.0 - 1e-12) {
      transient[i] = 1;
      stack.push_back(static_cast<std::uint32_t>(i));
    }
  }
  while (!stack.empty()) {
    std::uint32_t j = stack.back();
    stack.pop_back();
    for (std::uint32_t i : reverse[j])
      if (!transient[i]) {
        transient[i] = 1;
        stack.push_back(i);
      }
  }
  std::vector<double> y(k, 1.0);
  std::vector<std::uint32_t> index(k, 0);
  std::size_t t = 0;
  for (std::size_t i = 0; i < k; ++i)
    if (transient[i]) index[i] = static_cast<std::uint32_t>(t++);
  if (t == 0) return y;
  std::vector<Eigen::Triplet<double>> entries;
  Eigen::VectorXd rhs(static_cast<Eigen::Index>(t));
  for (std::size_t i = 0; i < k; ++i) {
    if (!transient[i]) continue;
    auto r = static_cast<int>(index[i]);
    double b = constant[i];
    entries.emplace_back(r, r, 1.0);
    for (auto [j, coef] : rows[i]) {
      if (transient[j])
        entries.emplace_back(r, static_cast<int>(index[j]), -coef);
      else
        b += coef;  // a member that keeps 1
    }
    rhs[r] = b;
  }
  Eigen::SparseMatrix<double> a(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(t));
  a.setFromTriplets(entries.begin(), entries.end());
  Eigen::SparseLU<Eigen::SparseMatrix<double>> lu;
  lu.compute(a);
  if (lu.info() != Eigen::Success) return y;  // no progress; the caller's budget ends it
  Eigen::VectorXd sol = lu.solve(rhs);
  // One step of iterative refinement: loops of weight close to 1 make (I - A) ill-conditioned.
  Eigen::VectorXd residual = rhs - a * sol;
  sol += lu.solve(residual);
  for (std::size_t i = 0; i < k; ++i)
    if (transient[i]) y[i] = std::clamp(sol[static_cast<Eigen::Index>(index[i])], 0.0, 1.0);
  return y;
}

void CapacityEngine::lower(std::vector<double>& cap, const CapacityInputs& in,
                           std::span<const NodeIndex> changed, UndoLog* undo) const {
  propagate(cap, in, changed, undo, false);
}

void CapacityEngine::recompute_cone(std::vector<double>& cap, const CapacityInputs& in,
                                    std::span<const NodeIndex> changed, UndoLog* undo) const {
  // Collect the downstream cone, reset it to the top element, then solve it as a full evaluation.
  std::vector<NodeIndex> cone;
  std::vector<char> seen(model_.nodes.size(), 0);
  for (NodeIndex c : changed)
    if (!seen[c] && in_mask(c)) {
      seen[c] = 1;
      cone.push_back(c);
    }
  for (std::size_t i = 0; i < cone.size(); ++i)
    for (NodeIndex d : dependents(cone[i]))
      if (!seen[d] && in_mask(d)) {
        seen[d] = 1;
        cone.push_back(d);
      }
  for (NodeIndex c : cone) {
    if (cap[c] != 1.0) {
      if (undo) undo->emplace_back(c, cap[c]);
      cap[c] = 1.0;
    }
  }
  propagate(cap, in, cone, undo, false);
}

void CapacityEngine::update(std::vector<double>& cap, const CapacityInputs& in,
                            std::span<const NodeIndex> changed, UndoLog* undo) const {
  propagate(cap, in, changed, undo, true);
}

}  // namespace chokepoint
