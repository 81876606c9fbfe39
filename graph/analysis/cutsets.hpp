// Minimal cut sets of targets (docs/analysis.md, "Cut sets") and the minimal-set search they share
// with decoupling.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

// Evaluations (incremental capacity updates) a run's cut-set search may spend: about five
// seconds on this project's machine. --cut-budget raises it.
constexpr std::size_t kDefaultCutWork = 10'000'000;
// The largest budget one may ask for (days of work): a larger number, or a negative one read as
// unsigned, would silently mean "no limit".
constexpr std::size_t kMaxCutWork = 1'000'000'000'000;
// Sets a target's search from structure may create (each 20 bytes, and about as much again in
// the indexes that keep families minimal): what bounds its memory, whatever the budget. A target
// that needs more stops with its budget flagged, like one that ran out of evaluations.
constexpr std::size_t kMaxCutSetsKept = 2'000'000;

// A state that grows by units (nodes, or every node of a jurisdiction) and can say whether the
// goal is met (target lost, or target revived). Monotone: adding units never undoes the goal.
class SetSearchState {
 public:
  virtual ~SetSearchState() = default;
  virtual void push(std::uint32_t unit) = 0;
  virtual void pop() = 0;
  virtual bool goal() const = 0;
  // True when adding `unit` now cannot change anything (so no minimal set continues with it).
  virtual bool inert(std::uint32_t unit) const = 0;
  // Whether `unit` alone reaches the goal, when known without a push (single-removal effects
  // already computed); nullopt: push it to find out.
  virtual std::optional<bool> single_goal(std::uint32_t /*unit*/) const { return std::nullopt; }
};

struct SetSearchResult {
  std::vector<std::vector<std::uint32_t>> sets;  // by size, then unit order
  bool truncated = false;
  bool budget_hit = false;  // stopped after `max_work` evaluations (truncated too)
  std::size_t work = 0;     // evaluations done
};

// Every minimal set of at most `order` units (by index) that meets the goal, level by level so
// that supersets of smaller sets are skipped; stops after `max_sets`. Worst case
// O(C(units, order)) incremental evaluations; in practice the inert and superset pruning cut it.
SetSearchResult find_minimal_sets(SetSearchState& state, std::uint32_t units, int order,
                                  std::size_t max_sets,
                                  std::size_t max_work = std::numeric_limits<std::size_t>::max());

struct CutSetOptions {
  int order = 2;                   // 1..4
  std::vector<std::string> kinds;  // empty: every kind
  std::size_t max_sets = 1000;     // per target
  bool by_jurisdiction = false;
  std::size_t max_work = kDefaultCutWork;  // evaluations per run, split evenly between targets
  bool structural = true;  // false: the level search alone (the reference the tests compare with)
};

struct CutSets {
  NodeIndex target = 0;
  std::vector<std::vector<std::string>> sets;  // node ids or jurisdiction codes
  bool truncated = false;
  bool budget_hit = false;  // the work budget ran out: the list may miss sets
  bool memory_hit = false;  // ... by reaching kMaxCutSetsKept sets (budget_hit too)
  bool searched = false;    // found by the level search rather than from the graph's structure
};

// Whether some target's search ran out of evaluations (the work budget), and the sentence the
// reports add when some reached its memory limit instead (empty when none did).
bool cut_budget_ran_out(const std::vector<CutSets>& cut_sets);
std::string cut_memory_note(const std::vector<CutSets>& cut_sets);
// The targets whose search stopped at its memory limit, and the clause that says so.
std::size_t cut_memory_targets(const std::vector<CutSets>& cut_sets);
std::string cut_memory_clause(std::size_t targets);

// Cut sets of every target (model.targets order) in the world given by `world`/`world_cap`.
// A target already lost in that world has none. Computed from the graph's structure (bottom-up
// minimal unions, truncated at the order) where a node's loss is a Boolean function of its
// members' losses; loops that cannot sustain themselves as a fixed point of those unions;
// threshold groups by a bound-pruned search whose candidates are each evaluated; the level search
// over the upstream cone only where numbers alone decide. Every list from structure is checked
// numerically. Targets run on two threads, each with an equal share of the budget. With
// by_jurisdiction, a unit removes every node located in one code, except the target itself.
// `effects`, when given, are the single-removal effects over the same world (metrics compute them):
// the first level of each search then reads them instead of re-solving a cone per node.
std::vector<CutSets> cut_sets(const Model& model, const CapacityInputs& world,
                              const std::vector<double>& world_cap, const CutSetOptions& options,
                              const Progress* progress = nullptr, bool* budget_hit = nullptr,
                              const RemovalEffects* effects = nullptr);

}  // namespace chokepoint
