#include "graph/analysis/metrics.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/biconnected_components.hpp>
#include <boost/range/iterator_range.hpp>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include "graph/support/parallel.hpp"

namespace chokepoint {

namespace {
constexpr double kShareTie = 1e-12;
}  // namespace

std::vector<char> ancestors(const Model& model, NodeIndex target) {
  std::vector<char> seen = upstream_of(model, std::span<const NodeIndex>(&target, 1));
  seen[target] = 0;
  return seen;
}

void supplier_metrics(const Model& model, NodeIndex n, NodeMetrics& out, const Group* group) {
  const Group* g = group ? group : model.nodes[n].supplier_group();
  if (!g) return;
  out.suppliers = g->members.size();
  const Member* top = nullptr;
  double hhi = 0;
  std::map<std::string, double> by_code;  // ordered: ties resolve to the smallest code
  for (const Member& m : g->members) {
    // Shares within kShareTie of each other tie (float sums of shares differ in the last bits);
    // ties go to the smallest id.
    if (!top || m.weight > top->weight + kShareTie ||
        (m.weight >= top->weight - kShareTie && model.nodes[m.node].id < model.nodes[top->node].id))
      top = &m;
    hhi += (100 * m.weight) * (100 * m.weight);
    JurisdictionIndex j = model.nodes[m.node].jurisdiction;
    by_code[j == kNoJurisdiction ? std::string("unknown") : model.jurisdictions[j].code] +=
        m.weight;
  }
  // Sums of normalised shares may pass 1 in the last bit (nine shares of 1/9 sum to
  // 1.0000000000000002): the indices are clamped to their ranges.
  out.top_supplier = top->node;
  out.top_share = std::min(top->weight, 1.0);
  out.hhi = std::min(hhi, 10000.0);
  double jhhi = 0;
  const std::pair<const std::string, double>* best = nullptr;
  for (const auto& entry : by_code) {
    jhhi += (100 * entry.second) * (100 * entry.second);
    if (!best || entry.second > best->second + kShareTie) best = &entry;  // ties: smallest code
  }
  out.top_jurisdiction = best->first;
  out.top_jurisdiction_share = std::min(best->second, 1.0);
  out.jurisdiction_hhi = std::min(jhhi, 10000.0);
}

WideGroupRemovals::WideGroupRemovals(const Model& model, const CapacityEngine& engine,
                                     const CapacityInputs& in)
    : model_(model), engine_(engine), in_(in) {
  if (!in.pair_pinned.empty() || !in.pair_limit.empty() || in.month) return;
  for (NodeIndex d = 0; d < model.nodes.size(); ++d) {
    const Group* s = model.nodes[d].supplier_group();
    if (!s || s->members.size() < kWideGroup || engine.cyclic(d) || in.is_pinned(d)) continue;
    for (std::size_t p = 0; p < s->members.size(); ++p) {
      const Member& m = s->members[p];
      auto deps = model.dependents(m.node);
      // Its one edge is this membership: no other group of d (nor of anything) reads it.
      if (m.weight <= 0 || model.nodes[m.node].target || deps.size() != 1 || deps[0] != d ||
          boost::out_degree(m.node, model.graph()) != 1)
        continue;
      entries_[m.node] = Entry{d, model.first_pair(d) + static_cast<std::uint32_t>(p), m.weight};
    }
  }
}

void WideGroupRemovals::remove(NodeIndex member, std::vector<double>& cap, UndoLog& undo) {
  const Entry& e = entries_.at(member);
  NodeIndex d = e.dependent;
  auto it = supply_.find(d);
  if (it == supply_.end()) {
    Supply s{engine_.requirement(d, cap, in_), 0.0};
    const Group& g = *model_.nodes[d].supplier_group();
    for (std::size_t p = 0; p < g.members.size(); ++p)
      s.supply +=
          g.members[p].weight *
          engine_.pair_rate(model_.first_pair(d) + static_cast<std::uint32_t>(p), s.req, cap, in_);
    it = supply_.emplace(d, s).first;
  }
  double rest = it->second.supply - e.weight * engine_.pair_rate(e.pair, it->second.req, cap, in_);
  double value = engine_.value_from_supply(d, rest, in_);
  if (!(value < cap[d])) return;
  undo.emplace_back(d, cap[d]);
  cap[d] = value;
  engine_.lower(cap, in_, model_.dependents(d), &undo);
}

RemovalEffects single_removal_effects(const Model& model, const CapacityInputs& world,
                                      const std::vector<double>& world_cap,
                                      const Progress* progress, bool* budget_hit) {
  std::size_t n = model.nodes.size();
  std::vector<char> relevant = reaching(model, model.targets);
  // One engine and one copy of the state per worker; rows are stored by node, so the result
  // does not depend on the thread count.
  // A second worker copies the engine and the inputs (O(nodes)); worth it only when enough nodes
  // reach a target to outweigh that (on a million-node graph, 70 MB for a tenth of a second).
  unsigned workers = analysis_threads();
  auto reaching = static_cast<std::size_t>(std::count(relevant.begin(), relevant.end(), 1));
  if (reaching < std::max<std::size_t>(2048, n / 16)) workers = 1;
  struct Worker {
    CapacityEngine engine;
    std::vector<double> cap;
    CapacityInputs in;
    UndoLog undo;
    std::unique_ptr<WideGroupRemovals> wide;  // over this worker's engine, inputs and state
  };
  std::vector<Worker> state;
  state.push_back(Worker{CapacityEngine(model), world_cap, world, {}, nullptr});
  state.back().engine.set_mask(std::vector<bool>(relevant.begin(), relevant.end()));
  state.reserve(workers);
  while (state.size() < workers)  // a copy is cheaper than a build
    state.push_back(Worker{state[0].engine, state[0].cap, state[0].in, {}, nullptr});
  for (auto& s : state) s.wide = std::make_unique<WideGroupRemovals>(model, s.engine, s.in);
  // A node whose only dependent d is lost without it (it is all of one of d's groups that is
  // still supplied) changes the world only by losing d: its row is d's. Chains and sole suppliers
  // then cost O(1) each instead of a walk down the whole chain (which made chains O(n^2)).
  // The groups of d that i is in are its out-edges (a scan of d's groups for each member made
  // a node with many groups quadratic); a wide group's sum is taken once.
  const CapacityEngine& order = state[0].engine;
  std::vector<std::optional<NodeIndex>> same_as(n);
  struct GroupSum {
    double total = 0;
    std::size_t positive = 0;  // members with a positive term
  };
  std::map<std::pair<NodeIndex, std::uint32_t>, GroupSum> wide_sums;
  for (NodeIndex i = 0; i < n; ++i) {
    if (!relevant[i] || model.nodes[i].target || world_cap[i] <= 0) continue;
    const auto& deps = model.dependents(i);
    if (deps.size() != 1) continue;
    NodeIndex d = deps[0];
    // (An installed base held intact does not lose anything with its inputs.)
    if (order.component(d) == order.component(i) || world.is_pinned(d) ||
        order.intact_base(d, world) || !world.pair_pinned.empty())
      continue;
    for (auto e : boost::make_iterator_range(boost::out_edges(i, model.graph()))) {
      const EdgeInfo& edge = model.graph()[e];
      const Group& g = model.nodes[d].groups[edge.group];
      bool has_i = edge.weight > 0;
      double others = 0;
      bool none = false;  // no other member supplies anything
      if (g.members.size() < WideGroupRemovals::kWideGroup) {
        for (const Member& m : g.members)
          if (m.node != i) others += m.weight * world_cap[m.node];
        none = others == 0.0;
      } else {
        auto [it, fresh] = wide_sums.try_emplace({d, edge.group});
        if (fresh)
          for (const Member& m : g.members) {
            double term = m.weight * world_cap[m.node];
            it->second.total += term;
            it->second.positive += term > 0;
          }
        double own = edge.weight * world_cap[i];
        others = it->second.total - own;
        none = it->second.positive == (own > 0 ? 1u : 0u);
      }
      if (has_i && (none || (g.threshold > 0 && others < g.threshold - 1e-12))) {
        same_as[i] = d;
        break;
      }
    }
  }
  RemovalEffects effects(n, model.targets.size());
  std::vector<char> own(n, 0);
  for (NodeIndex i = 0; i < n; ++i) own[i] = relevant[i] && !same_as[i];
  effects.add_rows(own);
  own = {};
  parallel_for(n, workers, [&](unsigned w, std::size_t index) {
    auto i = static_cast<NodeIndex>(index);
    if (w == 0 && i % 1024 == 0) report_progress(progress, "single removals", i, n);
    if (!relevant[i] || same_as[i]) return;
    std::span<double> row = effects.row(i);
    if (world_cap[i] <= 0) {  // removing a node already at 0 changes nothing
      for (std::size_t k = 0; k < row.size(); ++k) row[k] = world_cap[model.targets[k]];
      return;
    }
    Worker& s = state[w];
    if (s.wide->applies(i)) {
      s.undo.clear();
      s.wide->remove(i, s.cap, s.undo);
      for (std::size_t k = 0; k < row.size(); ++k) row[k] = s.cap[model.targets[k]];
      restore(s.cap, s.undo);
      return;
    }
    double saved = s.in.factor[i];
    s.in.factor[i] = 0.0;
    s.undo.clear();
    NodeIndex seed[] = {i};
    s.engine.lower(s.cap, s.in, seed, &s.undo);
    for (std::size_t k = 0; k < row.size(); ++k) row[k] = s.cap[model.targets[k]];
    restore(s.cap, s.undo);
    s.in.factor[i] = saved;
  });
  // Downstream first, so that a row copied from d is already final.
  std::vector<NodeIndex> copied;
  for (NodeIndex i = 0; i < n; ++i)
    if (same_as[i]) copied.push_back(i);
  std::stable_sort(copied.begin(), copied.end(),
                   [&](NodeIndex a, NodeIndex b) { return order.rank(a) > order.rank(b); });
  for (NodeIndex i : copied) effects.share_row(i, *same_as[i]);
  if (budget_hit)
    for (const auto& s : state) *budget_hit = *budget_hit || s.engine.hit_budget();
  return effects;
}

std::vector<double> betweenness(const Model& model, bool* sampled) {
  std::size_t n = model.nodes.size();
  std::vector<double> out(n, 0.0);
  *sampled = false;
  if (n < 3) return out;
  double scale = 1.0 / (static_cast<double>(n - 1) * static_cast<double>(n - 2));
  double edges = 0;
  for (NodeIndex u = 0; u < n; ++u) edges += static_cast<double>(model.dependents(u).size());
  if (n <= kExactBetweennessLimit && static_cast<double>(n) * edges <= kExactBetweennessWork) {
    using Digraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    Digraph g(n);
    for (NodeIndex u = 0; u < n; ++u)
      for (NodeIndex v : model.dependents(u)) boost::add_edge(u, v, g);
    std::vector<double> centrality(n, 0.0);
    boost::brandes_betweenness_centrality(
        g, boost::centrality_map(boost::make_iterator_property_map(
               centrality.begin(), boost::get(boost::vertex_index, g))));
    for (std::size_t i = 0; i < n; ++i) out[i] = centrality[i] * scale;
    return out;
  }
  // Sampled Brandes: single-source dependencies from a fixed, seeded sample of sources.
  *sampled = true;
  std::vector<NodeIndex> order(n);
  for (NodeIndex i = 0; i < n; ++i) order[i] = i;
  std::mt19937_64 rng(20240601);
  for (std::size_t i = 0; i < kBetweennessSamples; ++i) {
    std::size_t j = i + static_cast<std::size_t>(rng() % (n - i));
    std::swap(order[i], order[j]);
  }
  // Each search resets only what it reached (a search from deep in a chain reaches little), and
  // finds a node's predecessors on its shortest paths among its dependencies (one array for the
  // graph, where a list per node and search cost a tenth of `analyze` on a 100,000-node chain).
  std::vector<std::uint32_t> from_start(n + 1, 0);
  for (NodeIndex u = 0; u < n; ++u)
    for (NodeIndex w : model.dependents(u)) ++from_start[w + 1];
  for (std::size_t i = 0; i < n; ++i) from_start[i + 1] += from_start[i];
  std::vector<NodeIndex> from(from_start[n]);
  {
    std::vector<std::uint32_t> fill(from_start.begin(), from_start.end() - 1);
    for (NodeIndex u = 0; u < n; ++u)
      for (NodeIndex w : model.dependents(u)) from[fill[w]++] = u;
  }
  // The sources in a fixed number of chunks, each summed on its own and the chunks added in
  // order: the same sums whatever the thread count.
  constexpr std::size_t kChunks = 4;
  std::vector<std::vector<double>> partial(kChunks);
  parallel_for(kChunks, analysis_threads(), [&](unsigned, std::size_t chunk) {
    std::vector<double>& sum = partial[chunk];
    sum.assign(n, 0.0);
    std::vector<double> sigma(n, 0.0), delta(n, 0.0);
    std::vector<std::int64_t> dist(n, -1);
    std::vector<NodeIndex> queue;
    for (std::size_t k = chunk; k < kBetweennessSamples; k += kChunks) {
      NodeIndex s = order[k];
      for (NodeIndex v : queue) {
        sigma[v] = delta[v] = 0.0;
        dist[v] = -1;
      }
      queue.clear();
      sigma[s] = 1;
      dist[s] = 0;
      queue.push_back(s);
      for (std::size_t head = 0; head < queue.size(); ++head) {
        NodeIndex v = queue[head];
        for (NodeIndex w : model.dependents(v)) {
          if (dist[w] < 0) {
            dist[w] = dist[v] + 1;
            queue.push_back(w);
          }
          if (dist[w] == dist[v] + 1) sigma[w] += sigma[v];
        }
      }
      for (auto it = queue.rbegin(); it != queue.rend(); ++it) {
        NodeIndex w = *it;
        for (std::uint32_t e = from_start[w]; e < from_start[w + 1]; ++e) {
          NodeIndex v = from[e];
          if (dist[v] >= 0 && dist[v] + 1 == dist[w])
            delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
        }
        if (w != s) sum[w] += delta[w];
      }
    }
  });
  for (const auto& sum : partial)
    for (std::size_t i = 0; i < n; ++i) out[i] += sum[i];
  double sample_scale = static_cast<double>(n) / static_cast<double>(kBetweennessSamples);
  for (auto& b : out) b *= scale * sample_scale;
  return out;
}

std::vector<char> articulation_points(const Model& model) {
  std::size_t n = model.nodes.size();
  // Each dependency in both directions: a depth-first search then meets every edge from both
  // ends as on an undirected graph, in arrays (an undirected adjacency_list took 37 MB at
  // 100,000 nodes, edge by edge).
  using Symmetric =
      boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                         boost::no_property, std::uint32_t, std::uint32_t>;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  for (NodeIndex u = 0; u < n; ++u)
    for (NodeIndex v : model.dependents(u))
      if (u != v) {
        edges.emplace_back(u, v);
        edges.emplace_back(v, u);
      }
  Symmetric g(boost::edges_are_unsorted_multi_pass, edges.begin(), edges.end(),
              static_cast<std::uint32_t>(n));
  edges = {};
  std::vector<Symmetric::vertex_descriptor> points;
  boost::articulation_points(g, std::back_inserter(points));
  std::vector<char> out(n, 0);
  for (auto p : points) out[p] = 1;
  return out;
}

std::vector<std::size_t> depths(const Model& model, const CapacityEngine& engine) {
  std::size_t n = model.nodes.size();
  std::vector<NodeIndex> order(n);
  for (NodeIndex i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](NodeIndex a, NodeIndex b) { return engine.rank(a) < engine.rank(b); });
  std::vector<std::size_t> component_depth(engine.component_count(), 0);
  for (NodeIndex v : order)
    for (const Group& g : model.nodes[v].groups)
      for (const Member& m : g.members)
        if (engine.component(m.node) != engine.component(v))
          component_depth[engine.component(v)] = std::max(
              component_depth[engine.component(v)], component_depth[engine.component(m.node)] + 1);
  std::vector<std::size_t> out(n);
  for (NodeIndex v = 0; v < n; ++v) out[v] = component_depth[engine.component(v)];
  return out;
}

MetricsResult compute_metrics(const Model& model, const CapacityInputs& world,
                              const std::vector<double>& world_cap, const Progress* progress,
                              RemovalEffects* effects_out) {
  std::size_t n = model.nodes.size();
  MetricsResult result;
  result.nodes.resize(n);
  for (NodeIndex i = 0; i < n; ++i) supplier_metrics(model, i, result.nodes[i]);
  for (NodeIndex t : model.targets) {
    auto anc = ancestors(model, t);
    for (NodeIndex i = 0; i < n; ++i)
      if (anc[i]) ++result.nodes[i].reach;
  }
  auto effects = single_removal_effects(model, world, world_cap, progress, &result.budget_hit);
  for (NodeIndex i = 0; i < n; ++i) {
    if (effects[i].empty()) continue;
    for (std::size_t k = 0; k < model.targets.size(); ++k) {
      NodeIndex t = model.targets[k];
      if (t == i) continue;
      double after = effects[i][k];
      result.nodes[i].impact += world_cap[t] - after;
      if (after <= kStatusEpsilon && world_cap[t] > kStatusEpsilon)
        result.nodes[i].spof.push_back(t);
    }
  }
  if (effects_out) *effects_out = std::move(effects);
  report_progress(progress, "betweenness", 0, 1);
  auto between = betweenness(model, &result.betweenness_sampled);
  if (result.betweenness_sampled) result.betweenness_samples = kBetweennessSamples;
  auto articulation = articulation_points(model);
  CapacityEngine engine(model);
  auto depth = depths(model, engine);
  for (NodeIndex i = 0; i < n; ++i) {
    result.nodes[i].betweenness = between[i];
    result.nodes[i].articulation = articulation[i] != 0;
    result.nodes[i].depth = depth[i];
  }
  return result;
}

}  // namespace chokepoint
