#include "graph/analysis/metrics.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/biconnected_components.hpp>
#include <map>
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
  out.top_supplier = top->node;
  out.top_share = top->weight;
  out.hhi = hhi;
  double jhhi = 0;
  const std::pair<const std::string, double>* best = nullptr;
  for (const auto& entry : by_code) {
    jhhi += (100 * entry.second) * (100 * entry.second);
    if (!best || entry.second > best->second + kShareTie) best = &entry;  // ties: smallest code
  }
  out.top_jurisdiction = best->first;
  out.top_jurisdiction_share = best->second;
  out.jurisdiction_hhi = jhhi;
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
  };
  std::vector<Worker> state;
  state.push_back(Worker{CapacityEngine(model), world_cap, world, {}});
  state.back().engine.set_mask(std::vector<bool>(relevant.begin(), relevant.end()));
  while (state.size() < workers) state.push_back(state[0]);  // a copy is cheaper than a build
  // A node whose only dependent d is lost without it (it is all of one of d's groups that is
  // still supplied) changes the world only by losing d: its row is d's. Chains and sole suppliers
  // then cost O(1) each instead of a walk down the whole chain (which made chains O(n^2)).
  const CapacityEngine& order = state[0].engine;
  std::vector<std::optional<NodeIndex>> same_as(n);
  for (NodeIndex i = 0; i < n; ++i) {
    if (!relevant[i] || model.nodes[i].target || world_cap[i] <= 0) continue;
    const auto& deps = model.dependents(i);
    if (deps.size() != 1) continue;
    NodeIndex d = deps[0];
    // (An installed base held intact does not lose anything with its inputs.)
    if (order.component(d) == order.component(i) || world.is_pinned(d) ||
        order.intact_base(d, world) || !world.pair_pinned.empty())
      continue;
    for (const Group& g : model.nodes[d].groups) {
      bool has_i = false;
      double others = 0;
      for (const Member& m : g.members) {
        if (m.node == i)
          has_i = m.weight > 0;
        else
          others += m.weight * world_cap[m.node];
      }
      if (has_i && (others == 0.0 || (g.threshold > 0 && others < g.threshold - 1e-12))) {
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
  std::vector<double> sigma(n), delta(n);
  std::vector<std::int64_t> dist(n);
  std::vector<NodeIndex> stack, queue;
  std::vector<std::vector<NodeIndex>> preds(n);
  for (std::size_t k = 0; k < kBetweennessSamples; ++k) {
    NodeIndex s = order[k];
    stack.clear();
    queue.clear();
    for (auto& p : preds) p.clear();
    std::fill(sigma.begin(), sigma.end(), 0.0);
    std::fill(delta.begin(), delta.end(), 0.0);
    std::fill(dist.begin(), dist.end(), -1);
    sigma[s] = 1;
    dist[s] = 0;
    queue.push_back(s);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      NodeIndex v = queue[head];
      stack.push_back(v);
      for (NodeIndex w : model.dependents(v)) {
        if (dist[w] < 0) {
          dist[w] = dist[v] + 1;
          queue.push_back(w);
        }
        if (dist[w] == dist[v] + 1) {
          sigma[w] += sigma[v];
          preds[w].push_back(v);
        }
      }
    }
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      NodeIndex w = *it;
      for (NodeIndex v : preds[w]) delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
      if (w != s) out[w] += delta[w];
    }
  }
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
