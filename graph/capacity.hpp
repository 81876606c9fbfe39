// The capacity equations of SPEC §3 and their greatest fixed point, full and incremental.
#pragma once

#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "graph/model.hpp"

namespace chokepoint {

// Capacities at or below this are "lost"; differences above it are "degraded" (SPEC §3).
constexpr double kStatusEpsilon = 1e-9;
// Values below this are snapped to 0 so that self-sustaining loops that lost their outside supply
// reach 0 exactly instead of decaying geometrically for ever.
constexpr double kZeroSnap = 1e-12;
// A node whose value moves by no more than this does not wake its dependents.
constexpr double kConvergence = 1e-14;

enum class Status { ok, degraded, lost };
std::string_view status_name(Status s);
Status status_of(double capacity, double baseline);

// Per-node inputs of one evaluation: capacity factor f(n) (0 = removed) and an optional pinned
// value (NaN = computed from the equations), used for embargo views.
struct CapacityInputs {
  std::vector<double> factor;
  std::vector<double> pinned;

  explicit CapacityInputs(std::size_t n = 0)
      : factor(n, 1.0), pinned(n, std::numeric_limits<double>::quiet_NaN()) {}
  bool is_pinned(NodeIndex n) const { return !std::isnan(pinned[n]); }
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
  explicit CapacityEngine(const Model& model);

  const Model& model() const { return model_; }
  // Topological rank of a node's strongly connected component (sources first).
  std::uint32_t rank(NodeIndex n) const { return rank_[n]; }
  std::uint32_t component(NodeIndex n) const { return component_[n]; }
  std::size_t component_count() const { return component_count_; }

  // One application of the equations to node n over `cap`.
  double node_value(NodeIndex n, const std::vector<double>& cap, const CapacityInputs& in) const;

  // Greatest fixed point: every node starts at 1 and is updated in topological order of its
  // component until nothing moves. O((V + E) * iterations inside cycles); chaotic iteration from
  // the top element of a monotone system (Kleene / Tarski).
  std::vector<double> evaluate(const CapacityInputs& in) const;

  // After inputs were lowered at `changed` (removals, smaller factors or pins), brings a fixed
  // point `cap` of the old inputs to the greatest fixed point of the new ones, touching only the
  // downstream cone and stopping where nothing changes. Each overwritten value is appended to
  // `undo` (when given) so the caller can restore the old state. Only valid for decreases.
  void lower(std::vector<double>& cap, const CapacityInputs& in, std::span<const NodeIndex> changed,
             std::vector<std::pair<NodeIndex, double>>* undo = nullptr) const;

  // After inputs changed in any direction at `changed`: resets the downstream cone to 1 and
  // iterates, which is exact for increases too (substitution).
  void recompute_cone(std::vector<double>& cap, const CapacityInputs& in,
                      std::span<const NodeIndex> changed,
                      std::vector<std::pair<NodeIndex, double>>* undo = nullptr) const;

  // True once some evaluation stopped at its update budget (a loop that keeps almost all of its
  // own supply converges too slowly); its values are then upper bounds, not the fixed point.
  bool hit_budget() const { return hit_budget_; }

  // Limits propagation to nodes where `mask` is true (e.g. ancestors of the targets); other
  // nodes keep whatever value they had. An empty mask means every node.
  void set_mask(std::vector<bool> mask) { mask_ = std::move(mask); }

 private:
  void propagate(std::vector<double>& cap, const CapacityInputs& in, std::vector<NodeIndex>& seeds,
                 std::vector<std::pair<NodeIndex, double>>* undo) const;

  const Model& model_;
  std::vector<std::uint32_t> component_;
  std::vector<std::uint32_t> rank_;
  std::size_t component_count_ = 0;
  std::vector<bool> mask_;
  mutable std::vector<char> queued_;
  mutable bool hit_budget_ = false;
};

// Updates allowed per node in one propagation before it stops (see hit_budget()).
constexpr std::size_t kUpdatesPerNode = 10'000;

}  // namespace chokepoint
