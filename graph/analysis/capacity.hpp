// The capacity equations of docs/analysis.md, "Capacity" (production sites: each maker-product pair
// runs at min(cap(maker), req(product))) and their greatest fixed point, full and incremental,
// exact on every strongly connected component.
#pragma once

#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "graph/model/model.hpp"

namespace chokepoint {

// Capacities at or below this are "lost"; differences above it are "degraded" (docs/analysis.md).
constexpr double kStatusEpsilon = 1e-9;
// Values below this are snapped to 0 so that self-sustaining loops that lost their outside supply
// reach 0 exactly.
constexpr double kZeroSnap = 1e-12;

enum class Status { ok, degraded, lost };
std::string_view status_name(Status s);
Status status_of(double capacity, double baseline);

// The input group that attains a node's requirement — the smallest supply over its input groups,
// a group below its threshold counting 0 — and that requirement: no group and 1 for a node
// without inputs, no group and 0 when a group fails. Capacity is the factor times this (or its
// suppliers' rates under it), so the group's members, each by its share, make up the value.
struct Requirement {
  const Group* group = nullptr;
  double value = 1.0;
};
Requirement binding_requirement(const Node& node, const std::vector<double>& cap);

// What one month of a timeline adds to the equations, in one view (docs/timeline.md). A node's
// value is its raw value c (what its groups give), then, in this order: its substitutes close
// part of the gap to its world value W, c + (1 - prod_k (1 - level_k * V(X_k))) * (W - c) when
// W > c; its stock tops it up towards its baseline, min(B, c + stock) when c < B; its installed
// base keeps part of last month's, keep + inflow * c. Every vector is empty or per node.
struct MonthTerms {
  static constexpr NodeIndex kNeedsNothing = std::numeric_limits<NodeIndex>::max();
  struct Substitution {
    NodeIndex by;  // the substitute X, or kNeedsNothing (V = 1)
    double level;  // r(t)
  };
  std::vector<std::uint32_t> substitution_start;  // node n's are [start[n], start[n + 1])
  std::vector<Substitution> substitutions;
  std::span<const double> world;     // W(n, t), for substitutes (the caller's)
  std::vector<double> stock;         // stock left
  std::vector<double> ceiling;       // baseline, for stocks
  std::vector<double> keep, inflow;  // installed bases (lifetime_months), per node

  bool substituted(NodeIndex n) const {
    return !substitution_start.empty() && substitution_start[n] < substitution_start[n + 1];
  }
};

// A node's value after each of a month's adjustments (MonthTerms), from its raw value.
struct MonthSteps {
  double substituted, stocked, value;
};

// Per-node and per-pair inputs of one evaluation. A view of a perspective fixes the nodes and
// pairs it takes from the world; an entity control caps the pairs the entity makes.
struct CapacityInputs {
  std::vector<double> factor;       // f(n); 0 = removed
  std::vector<double> pinned;       // NaN = computed; else the node's value
  std::vector<double> pair_pinned;  // empty, or per pair: NaN = computed; else the pair's rate
  std::vector<double> pair_limit;   // empty, or per pair: an upper bound on the computed rate
  // A timeline's month (owned by the caller, who sets intact_bases = false with it), or null: a
  // static analysis.
  const MonthTerms* month = nullptr;
  // A side's view: per node, the `sourcing` entry that is its supplier group (-1: the world's
  // suppliers). Empty: the world's everywhere.
  std::vector<std::int32_t> sourcing;
  // An installed base (`lifetime_months`) is intact in static analyses (month 0): its value is
  // its factor, whatever its inputs. A timeline turns this off and ages the base itself.
  bool intact_bases = true;

  CapacityInputs() = default;
  explicit CapacityInputs(std::size_t n)
      : factor(n, 1.0), pinned(n, std::numeric_limits<double>::quiet_NaN()) {}
  bool is_pinned(NodeIndex n) const { return !std::isnan(pinned[n]); }
  // Allocates the per-pair vectors (all computed, no limit) if they are not there yet.
  void enable_pairs(std::size_t pairs);
};

// Single-removal effects: for node n, the capacity of each target after removing n alone
// (indexed by position in model.targets), or no row for a node that cannot affect any target.
// Rows live in one array, and nodes whose removal does the same share a row.
class RemovalEffects {
 public:
  static constexpr std::uint32_t kNoRow = std::numeric_limits<std::uint32_t>::max();
  RemovalEffects() = default;
  RemovalEffects(std::size_t nodes, std::size_t width) : width_(width), row_of_(nodes, kNoRow) {}
  bool empty() const { return row_of_.empty(); }
  std::size_t size() const { return row_of_.size(); }  // nodes
  // Node n's row; empty when it has none.
  std::span<const double> operator[](NodeIndex n) const {
    if (row_of_[n] == kNoRow) return {};
    return {values_.data() + std::size_t{row_of_[n]} * width_, width_};
  }
  // Gives each node flagged in `own` a row of its own, in node order (to be filled through
  // row()); then share_row gives a node the row of another.
  void add_rows(const std::vector<char>& own) {
    std::size_t rows = 0;
    for (NodeIndex n = 0; n < row_of_.size(); ++n)
      if (own[n]) row_of_[n] = static_cast<std::uint32_t>(rows++);
    values_.assign(rows * width_, 0.0);
  }
  void share_row(NodeIndex n, NodeIndex other) { row_of_[n] = row_of_[other]; }
  std::span<double> row(NodeIndex n) {
    return {values_.data() + std::size_t{row_of_[n]} * width_, width_};
  }

 private:
  std::size_t width_ = 0;
  std::vector<std::uint32_t> row_of_;
  std::vector<double> values_;
};

// Old values overwritten by lower()/recompute_cone(), in order.
using UndoLog = std::vector<std::pair<NodeIndex, double>>;

// Puts back every value logged after `mark`, newest first, and shortens the log to `mark`.
inline void restore(std::vector<double>& cap, UndoLog& undo, std::size_t mark = 0) {
  while (undo.size() > mark) {
    cap[undo.back().first] = undo.back().second;
    undo.pop_back();
  }
}

// Precomputed structure (strongly connected components in topological order) shared by every
// evaluation over one model.
class CapacityEngine {
 public:
  // With `substitutes`, a node's `substitutes` count among its dependencies (a timeline's
  // equations read them); static analyses leave them out.
  explicit CapacityEngine(const Model& model, bool substitutes = false);

  const Model& model() const { return model_; }
  // Topological rank of a node's strongly connected component (sources first).
  std::uint32_t rank(NodeIndex n) const { return rank_[n]; }
  std::uint32_t component(NodeIndex n) const { return component_[n]; }
  std::size_t component_count() const { return component_count_; }
  // True when n lies on a cycle (a component of several nodes, or a self-loop).
  bool cyclic(NodeIndex n) const { return cyclic_[component_[n]] != 0; }
  std::span<const NodeIndex> members(std::uint32_t c) const {
    return {order_.data() + start_[c], order_.data() + start_[c + 1]};
  }

  // The supplier group of n in an evaluation (the world's, or a side's sourcing), with the pair
  // of each member; group null when n has none.
  struct Suppliers {
    const Group* group = nullptr;
    const std::uint32_t* pairs = nullptr;  // null: the world's pairs, first + i
    std::uint32_t first = 0;
    std::uint32_t pair(std::size_t i) const {
      return pairs ? pairs[i] : first + static_cast<std::uint32_t>(i);
    }
  };
  Suppliers suppliers(NodeIndex n, const CapacityInputs& in) const {
    const Node& node = model_.nodes[n];
    if (!in.sourcing.empty() && in.sourcing[n] >= 0) {
      const Sourcing& s = node.sourcing()[static_cast<std::size_t>(in.sourcing[n])];
      return {&s.group, s.pairs.data(), 0};
    }
    return {node.supplier_group(), nullptr, model_.first_pair(n)};
  }

  // req(n): the smallest val(g) over n's input groups (1 if none).
  double requirement(NodeIndex n, const std::vector<double>& cap, const CapacityInputs& in) const;
  // val(g) of n's group `group` (its index in groups): the supply, or 0 below the threshold. For
  // the supplier group the supply is that of the pairs, so it reflects req(n) too.
  double group_value(NodeIndex n, std::size_t group, const std::vector<double>& cap,
                     const CapacityInputs& in) const;
  // The rate of one pair of n: pinned, else min(cap(maker), req(n), limit).
  double pair_rate(std::uint32_t pair, double req, const std::vector<double>& cap,
                   const CapacityInputs& in) const;
  // One application of the equations to node n over `cap`: raw_value, then the month's
  // adjustments (or, in a static analysis, an installed base's f(n)); a pinned node keeps its pin.
  double node_value(NodeIndex n, const std::vector<double>& cap, const CapacityInputs& in) const;
  double raw_value(NodeIndex n, const std::vector<double>& cap, const CapacityInputs& in) const;
  // True when n is an installed base (lifetime_months).
  bool ages(NodeIndex n) const {
    return model_.has_installed_bases && model_.nodes[n].extras.get().lifetime_months.has_value();
  }
  // True when n is an installed base held intact (static analyses).
  bool intact_base(NodeIndex n, const CapacityInputs& in) const {
    return in.intact_bases && ages(n);
  }
  // node_value of a node with suppliers whose supplier group supplies `supply` (the weighted sum
  // of its pairs' rates): the factor, the threshold and the snap applied. Static analyses only
  // (no month terms): an installed base is intact.
  double value_from_supply(NodeIndex n, double supply, const CapacityInputs& in) const;
  // The month's adjustments to a raw value, step by step (MonthTerms).
  MonthSteps month_steps(NodeIndex n, double raw, const std::vector<double>& cap,
                         const CapacityInputs& in) const;

  // Greatest fixed point: every node starts at 1; components are solved in topological order.
  // Inside a cycle, chaotic iteration from the top (Kleene/Tarski) runs until nothing moves or
  // its budget is spent; then policy iteration (fix the piece of every min, solve the linear
  // system exactly, keep the lower of the two) finishes it. O(V + E) outside cycles.
  std::vector<double> evaluate(const CapacityInputs& in) const;

  // After inputs were lowered at `changed` (removals, smaller factors or pins), brings a fixed
  // point `cap` of the old inputs to the greatest fixed point of the new ones, touching only the
  // downstream cone and stopping where nothing changes. Each overwritten value is appended to
  // `undo` (when given) so the caller can restore the old state. Only valid for decreases.
  void lower(std::vector<double>& cap, const CapacityInputs& in, std::span<const NodeIndex> changed,
             UndoLog* undo = nullptr) const;

  // After inputs changed in any direction at `changed`: resets the downstream cone to 1 and
  // solves it again, which is exact for increases too (substitution).
  void recompute_cone(std::vector<double>& cap, const CapacityInputs& in,
                      std::span<const NodeIndex> changed, UndoLog* undo = nullptr) const;

  // After inputs changed in any direction at `changed` (a node listed twice is taken once):
  // brings the fixed point `cap` of the old inputs to that of the new ones, in topological
  // order, stopping where nothing changes; a cycle it reaches is solved again from the top.
  // Exact like recompute_cone, and touches only what moves.
  void update(std::vector<double>& cap, const CapacityInputs& in,
              std::span<const NodeIndex> changed, UndoLog* undo = nullptr) const;

  // True once some component could not be solved within its budget (kMaxPolicyRounds); its
  // values are then upper bounds, not the fixed point. Never seen on a real graph.
  bool hit_budget() const { return hit_budget_; }

  // Limits propagation to nodes where `mask` is true (e.g. ancestors of the targets); other
  // nodes keep whatever value they had. An empty mask means every node.
  void set_mask(std::vector<bool> mask) { mask_ = std::move(mask); }

 private:
  bool in_mask(NodeIndex n) const { return mask_.empty() || mask_[n]; }
  // Brings one cyclic component to its greatest fixed point; `seeds` are its nodes that may have
  // changed. Appends the nodes whose value changed to `changed`.
  void solve_component(std::uint32_t c, std::vector<double>& cap, const CapacityInputs& in,
                       std::span<const NodeIndex> seeds, UndoLog* undo,
                       std::vector<NodeIndex>& changed) const;
  // Chaotic iteration inside component c from the nodes in `work`; false when the update budget
  // ran out before nothing moved.
  bool iterate_component(std::uint32_t c, std::vector<double>& cap, const CapacityInputs& in,
                         std::vector<NodeIndex>& work, UndoLog* undo,
                         std::vector<NodeIndex>& changed) const;
  // The greatest fixed point of the linear system that fixes, at `cap`, which piece attains
  // every min of component c's equations; indexed like members(c).
  std::vector<double> policy_solution(std::uint32_t c, const std::vector<double>& cap,
                                      const CapacityInputs& in) const;

  // Dependents in the equations: the model's (with sourcing), or with substitutes, dependents_.
  std::span<const NodeIndex> dependents(NodeIndex n) const {
    if (dependent_start_.empty()) return model_.dependents_with_sourcing(n);
    return {dependents_.data() + dependent_start_[n], dependents_.data() + dependent_start_[n + 1]};
  }
  void propagate(std::vector<double>& cap, const CapacityInputs& in,
                 std::span<const NodeIndex> seeds, UndoLog* undo, bool both_ways) const;

  const Model& model_;
  std::vector<NodeIndex> dependents_;
  std::vector<std::uint32_t> dependent_start_;
  std::vector<std::uint32_t> component_;  // numbered by rank
  std::vector<std::uint32_t> rank_;
  std::size_t component_count_ = 0;
  std::vector<NodeIndex> order_;      // nodes by component rank
  std::vector<std::uint32_t> start_;  // component c is order_[start_[c], start_[c + 1])
  std::vector<char> cyclic_;          // per component: more than one node or a self-loop
  std::vector<std::uint32_t> local_;  // a node's position inside its component
  std::vector<bool> mask_;
  mutable std::vector<char> queued_;
  mutable std::vector<char> touched_;
  mutable bool hit_budget_ = false;
};

// Policy-iteration rounds allowed per component solve before it gives up (see hit_budget()).
constexpr int kMaxPolicyRounds = 64;

}  // namespace chokepoint
