// Per-node metrics of SPEC §4 on the world of a run's scenario.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

struct NodeMetrics {
  std::size_t reach = 0;
  std::vector<NodeIndex> spof;  // targets lost if this node alone is removed, sorted by id
  double impact = 0.0;
  std::size_t suppliers = 0;
  // Null (nullopt) for a node without suppliers.
  std::optional<NodeIndex> top_supplier;
  std::optional<double> top_share;
  std::optional<double> hhi;
  std::optional<std::string> top_jurisdiction;  // a code, or "unknown"
  std::optional<double> top_jurisdiction_share;
  std::optional<double> jurisdiction_hhi;
  double betweenness = 0.0;
  bool articulation = false;
  std::size_t depth = 0;
};

struct MetricsResult {
  std::vector<NodeMetrics> nodes;
  bool betweenness_sampled = false;  // above kExactBetweennessLimit nodes or ...Work
  bool budget_hit = false;           // some removal's fixed point stopped at a bound
  std::size_t betweenness_samples = 0;
};

constexpr std::size_t kExactBetweennessLimit = 20'000;
// Exact betweenness also needs nodes x edges within this (a 20,000-node chain took 4 s): the
// cost of Brandes' algorithm, whose breadth-first searches reach everything downstream.
constexpr double kExactBetweennessWork = 2e8;
constexpr std::size_t kBetweennessSamples = 512;

// Every metric for every node. `world`/`world_cap` are the scenario's inputs and fixed point.
// `effects`, when given, receives the single-removal effects the metrics were computed from.
MetricsResult compute_metrics(const Model& model, const CapacityInputs& world,
                              const std::vector<double>& world_cap,
                              const Progress* progress = nullptr,
                              RemovalEffects* effects = nullptr);

// Supplier concentration (suppliers, top supplier, HHI and their jurisdiction versions) of n's
// supplier group, or of `group` (a side's sourcing) when given.
void supplier_metrics(const Model& model, NodeIndex n, NodeMetrics& out,
                      const Group* group = nullptr);

// Ancestors of `target` (every node with a dependency path to it), excluding the target.
std::vector<char> ancestors(const Model& model, NodeIndex target);

// Single-removal impact of every node on the targets, as used by metrics and `whatif --rank`:
// for node n, the capacity of each target after removing n alone (index by position in
// model.targets). Nodes that cannot affect any target get no row (an empty span).
RemovalEffects single_removal_effects(const Model& model, const CapacityInputs& world,
                                      const std::vector<double>& world_cap,
                                      const Progress* progress = nullptr,
                                      bool* budget_hit = nullptr);

// Brandes betweenness normalised by (n-1)(n-2) on the simple dependency digraph; exact via
// Boost.Graph up to kExactBetweennessLimit nodes, else estimated from kBetweennessSamples
// sources chosen by a fixed seed and scaled by n/samples.
std::vector<double> betweenness(const Model& model, bool* sampled);

// Articulation points of the undirected dependency graph (Boost.Graph, Hopcroft-Tarjan).
std::vector<char> articulation_points(const Model& model);

// Longest dependency chain from a source, over the condensation (a cycle counts once).
std::vector<std::size_t> depths(const Model& model, const CapacityEngine& engine);

}  // namespace chokepoint
