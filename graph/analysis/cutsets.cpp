#include "graph/analysis/cutsets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "graph/analysis/metrics.hpp"
#include "graph/support/parallel.hpp"

namespace chokepoint {

namespace {

class LevelSearch {
 public:
  LevelSearch(SetSearchState& state, std::uint32_t units, std::size_t max_sets,
              std::size_t max_work)
      : state_(state), units_(units), max_sets_(max_sets), max_work_(max_work) {}

  SetSearchResult run(int order) {
    for (int level = 1; level <= order && !result_.truncated; ++level) {
      current_.clear();
      extend(0, level);
    }
    return std::move(result_);
  }

 private:
  // True when current_ + {unit} contains a known minimal set that includes `unit` (subsets
  // without `unit` were checked when current_ was built).
  bool contains_known(std::uint32_t unit) const {
    std::size_t k = current_.size();
    for (std::uint32_t mask = 0; mask < (1u << k); ++mask) {
      std::vector<std::uint32_t> subset;
      for (std::size_t i = 0; i < k; ++i)
        if (mask & (1u << i)) subset.push_back(current_[i]);
      subset.push_back(unit);
      if (known_.count(subset)) return true;
    }
    return false;
  }

  void extend(std::uint32_t from, int level) {
    for (std::uint32_t u = from; u < units_ && !result_.truncated; ++u) {
      if (static_cast<int>(units_ - u) < level - static_cast<int>(current_.size())) return;
      if (state_.inert(u) || contains_known(u)) continue;
      if (result_.work >= max_work_) {
        result_.truncated = result_.budget_hit = true;
        return;
      }
      ++result_.work;
      if (level == 1) {
        if (auto alone = state_.single_goal(u)) {
          if (*alone) {
            known_.insert({u});
            result_.sets.push_back({u});
            if (result_.sets.size() >= max_sets_) result_.truncated = true;
          }
          continue;
        }
      }
      state_.push(u);
      current_.push_back(u);
      bool last = static_cast<int>(current_.size()) == level;
      if (last) {
        if (state_.goal()) {
          known_.insert(current_);
          result_.sets.push_back(current_);
          if (result_.sets.size() >= max_sets_) result_.truncated = true;
        }
      } else if (!state_.goal()) {
        extend(u + 1, level);
      }
      current_.pop_back();
      state_.pop();
    }
  }

  SetSearchState& state_;
  std::uint32_t units_;
  std::size_t max_sets_;
  std::size_t max_work_;
  std::vector<std::uint32_t> current_;
  std::set<std::vector<std::uint32_t>> known_;
  SetSearchResult result_;
};

// The units of a search, each a list of nodes, in two arrays: unit u is
// nodes[start[u], start[u + 1]).
struct UnitLists {
  std::vector<std::uint32_t> start{0};
  std::vector<NodeIndex> nodes;
  std::size_t size() const { return start.size() - 1; }
  std::span<const NodeIndex> operator[](std::size_t u) const {
    return {nodes.data() + start[u], nodes.data() + start[u + 1]};
  }
};

// Removal state: each unit is a list of nodes whose factor drops to 0. `units` must outlive it.
class RemovalState : public SetSearchState {
 public:
  RemovalState(const CapacityEngine& engine, const CapacityInputs& world,
               const std::vector<double>& world_cap, NodeIndex target, const UnitLists& units,
               std::vector<double> alone = {}, int group = -1)
      : engine_(engine),
        in_(world),
        cap_(world_cap),
        target_(target),
        units_(&units),
        alone_(std::move(alone)),
        group_(group) {}

  std::optional<bool> single_goal(std::uint32_t unit) const override {
    if (alone_.empty() || !frames_.empty() || group_ >= 0) return std::nullopt;
    return alone_[unit] <= kStatusEpsilon;
  }

  void push(std::uint32_t unit) override {
    frames_.push_back(Frame{undo_.size(), factors_.size()});
    for (NodeIndex n : (*units_)[unit]) {
      factors_.emplace_back(n, in_.factor[n]);
      in_.factor[n] = 0.0;
    }
    engine_.lower(cap_, in_, (*units_)[unit], &undo_);
  }
  void pop() override {
    Frame f = frames_.back();
    frames_.pop_back();
    restore(cap_, undo_, f.undo);
    while (factors_.size() > f.factors) {
      in_.factor[factors_.back().first] = factors_.back().second;
      factors_.pop_back();
    }
  }
  // The target is lost; with a group, that group of the target fails.
  bool goal() const override {
    if (group_ >= 0)
      return engine_.group_value(target_, static_cast<std::size_t>(group_), cap_, in_) <=
             kStatusEpsilon;
    return cap_[target_] <= kStatusEpsilon;
  }
  const std::vector<double>& caps() const { return cap_; }
  std::span<const NodeIndex> unit(std::uint32_t u) const { return (*units_)[u]; }
  bool inert(std::uint32_t unit) const override {
    auto nodes = (*units_)[unit];
    return std::all_of(nodes.begin(), nodes.end(), [&](NodeIndex n) { return cap_[n] <= 0.0; });
  }

 private:
  struct Frame {
    std::size_t undo, factors;
  };
  const CapacityEngine& engine_;
  CapacityInputs in_;
  std::vector<double> cap_;
  NodeIndex target_;
  const UnitLists* units_;
  std::vector<std::pair<NodeIndex, double>> undo_;
  std::vector<std::pair<NodeIndex, double>> factors_;
  std::vector<Frame> frames_;
  std::vector<double> alone_;  // per unit: the target after removing it alone; empty: unknown
  int group_;                  // -1: the goal is the target's loss; else that group's failure
};

}  // namespace

SetSearchResult find_minimal_sets(SetSearchState& state, std::uint32_t units, int order,
                                  std::size_t max_sets, std::size_t max_work) {
  return LevelSearch(state, units, max_sets, max_work).run(order);
}

namespace {

// ---- Cut sets from the graph's structure (MOCUS-style, truncated at the order) ----
//
// Outside cycles and threshold groups, "n is lost" is a monotone Boolean function of the removed
// units: n is lost when its own unit is removed, or when every member (of positive weight) of one
// of its groups is lost, because a sum of shares is 0 exactly when every term is. So the minimal
// cut sets of n are {own unit} plus, for each group, the minimal unions of one cut set per member
// (the group's AND of its members' failures), all truncated at the order and kept minimal. Nodes
// where numbers decide (a loop, a min_share/min_supply threshold, a pinned or capped value, a value
// so small that a share of it is "lost") are solved numerically by the level search over their
// own upstream cone, and enter the structure as leaves. Each target's final list is checked
// numerically (each set loses the target, no set one smaller does); a failed check falls back to
// the level search for that target.

// A set of at most four units (the largest order), sorted.
struct UnitSet {
  std::array<std::uint32_t, 4> u{};
  std::uint8_t size = 0;

  bool operator==(const UnitSet& o) const {
    return size == o.size && std::equal(u.begin(), u.begin() + size, o.u.begin());
  }
  // Puts the units in order (insertion sort: at most four; std::sort here trips GCC 12's
  // -Warray-bounds, which cannot see that the size is at most 4).
  void sort() {
    for (int i = 1; i < size; ++i)
      for (int j = i; j > 0 && u[j - 1] > u[j]; --j) std::swap(u[j - 1], u[j]);
  }
  // By size, then unit order: the order of the reported lists.
  bool operator<(const UnitSet& o) const {
    if (size != o.size) return size < o.size;
    return std::lexicographical_compare(u.begin(), u.begin() + size, o.u.begin(),
                                        o.u.begin() + o.size);
  }
};

struct UnitSetHash {
  std::size_t operator()(const UnitSet& s) const {
    std::size_t h = s.size;
    for (int i = 0; i < s.size; ++i) h = h * 0x9E3779B97F4A7C15ull + s.u[i];
    return h;
  }
};

using Family = std::vector<UnitSet>;  // minimal, sorted
using FamilyIndex = std::unordered_set<UnitSet, UnitSetHash>;

// True when some subset of s (s itself unless `proper`) is in the index: at most 16 lookups.
bool has_subset_in(const UnitSet& s, const FamilyIndex& index, bool proper) {
  unsigned full = (1u << s.size) - 1;
  for (unsigned mask = 0; mask <= full; ++mask) {
    if (proper && mask == full) break;
    UnitSet sub;
    for (int i = 0; i < s.size; ++i)
      if (mask & (1u << i)) sub.u[sub.size++] = s.u[i];
    if (index.count(sub)) return true;
  }
  return false;
}

// The union of two sets, or false when it has more than `order` units.
bool join(const UnitSet& a, const UnitSet& b, int order, UnitSet& out) {
  out.size = 0;
  int i = 0, j = 0;
  while (i < a.size || j < b.size) {
    std::uint32_t next;
    if (j == b.size || (i < a.size && a.u[i] < b.u[j])) {
      next = a.u[i++];
    } else if (i == a.size || b.u[j] < a.u[i]) {
      next = b.u[j++];
    } else {
      next = a.u[i++];
      ++j;
    }
    if (out.size == order) return false;
    out.u[out.size++] = next;
  }
  return true;
}

// Sorts, drops duplicates and every set that contains another.
void minimize(Family& f) {
  std::sort(f.begin(), f.end());
  f.erase(std::unique(f.begin(), f.end()), f.end());
  if (f.size() < 2) return;
  FamilyIndex kept;
  Family out;
  for (const auto& s : f)
    if (!has_subset_in(s, kept, true)) {
      kept.insert(s);
      out.push_back(s);
    }
  f = std::move(out);
}

FamilyIndex index_of(const Family& f) { return FamilyIndex(f.begin(), f.end()); }

// Thrown when the structural search has spent its share of the work budget.
struct OutOfWork {
  bool memory = false;  // the sets, not the evaluations, ran out
};

// What a target's structural search may still spend: joins (an evaluation of the budget buys
// kJoinsPerEvaluation of them) and sets created (what takes memory: kMaxCutSetsKept a target).
struct Meter {
  std::size_t joins = 0;
  std::size_t sets = 0;
  void spend(std::size_t j, std::size_t s = 0) {
    if (joins < j || sets < s) throw OutOfWork{joins >= j};
    joins -= j;
    sets -= s;
  }
};

// The sets that lose both families' nodes: minimal unions of one set of each.
Family product(const Family& a, const Family& b, int order, Meter& meter) {
  if (a.empty() || b.empty()) return {};
  if (a.front().size == 0) return b;
  if (b.front().size == 0) return a;
  FamilyIndex ia = index_of(a), ib = index_of(b);
  Family out;
  std::vector<char> covered(b.size(), 0);  // b's sets that already contain one of a's
  for (std::size_t j = 0; j < b.size(); ++j)
    if (has_subset_in(b[j], ia, false)) {
      covered[j] = 1;
      out.push_back(b[j]);
    }
  // A set already of the order's size joins only what it contains (found above), so only the
  // smaller sets of b are tried, and only against smaller sets of a.
  std::vector<std::size_t> open;
  for (std::size_t j = 0; j < b.size(); ++j)
    if (!covered[j] && b[j].size < order) open.push_back(j);
  UnitSet u;
  for (const auto& x : a) {
    if (has_subset_in(x, ib, false)) {
      out.push_back(x);
      continue;
    }
    if (x.size >= order) continue;
    meter.spend(open.size());
    for (std::size_t j : open)
      if (join(x, b[j], order, u)) out.push_back(u);
    if (out.size() > meter.sets) throw OutOfWork{true};  // before it outgrows its memory
  }
  meter.spend(0, out.size());
  minimize(out);
  return out;
}

// Structural joins allowed per evaluation of the budget: a join is far cheaper than a capacity
// update, so the structural search gets this many per unit of --cut-budget.
constexpr std::size_t kJoinsPerEvaluation = 32;

class StructuralCuts {
 public:
  StructuralCuts(const Model& model, const CapacityInputs& world,
                 const std::vector<double>& world_cap, const CutSetOptions& options)
      : model_(model), world_(world), cap_(world_cap), options_(options), engine_(model) {
    std::size_t n = model.nodes.size();
    unit_of_.assign(n, kNoUnit);
    auto kind_ok = [&](NodeIndex v) {
      return options.kinds.empty() || std::find(options.kinds.begin(), options.kinds.end(),
                                                model.nodes[v].kind) != options.kinds.end();
    };
    if (options.by_jurisdiction) {
      std::map<std::string, std::vector<NodeIndex>> by_code;
      for (NodeIndex v : model.by_id())
        if (model.nodes[v].jurisdiction != kNoJurisdiction && cap_[v] > 0 && kind_ok(v))
          by_code[std::string(model.jurisdiction_code(model.nodes[v].jurisdiction))].push_back(v);
      for (auto& [code, nodes] : by_code) {
        for (NodeIndex v : nodes) unit_of_[v] = static_cast<std::uint32_t>(codes_.size());
        codes_.push_back(code);
      }
    } else {
      for (NodeIndex v : model.by_id())
        if (cap_[v] > 0 && kind_ok(v)) {
          unit_of_[v] = static_cast<std::uint32_t>(unit_node_.size());
          unit_node_.push_back(v);
        }
    }
    hard_.assign(n, 0);
    threshold_.assign(n, 0);
    bool timeline = world.month != nullptr;
    constant_.assign(n, 0);
    for (NodeIndex v = 0; v < n; ++v) {
      hard_[v] = timeline || needs_numbers(v);
      constant_[v] = !hard_[v] && engine_.intact_base(v, world_);
      if (constant_[v]) continue;  // its groups are not read
      for (const Group& g : model.nodes[v].groups)
        if (g.threshold > 0) threshold_[v] = 1;
    }
    // A share of a tiny value can itself be "lost": whoever uses a tiny value needs numbers too.
    for (NodeIndex v = 0; v < n; ++v)
      if (tiny(v))
        for (NodeIndex d : model.dependents(v)) hard_[d] = 1;
    component_state_.assign(engine_.component_count(), kUnknown);
    have_.assign(n, 0);
    visited_.assign(n, 0);
  }

  std::size_t unit_count() const {
    return options_.by_jurisdiction ? codes_.size() : unit_node_.size();
  }
  // What the reports call a unit: a node's id, or a jurisdiction's code.
  const std::string& label(std::uint32_t unit) const {
    return options_.by_jurisdiction ? codes_[unit] : model_.nodes[unit_node_[unit]].id;
  }
  // Whether a target needs the level search: numbers decide at it, or it lies on a loop (its own
  // unit, excluded from its cut sets, would be part of its loop's structure).
  bool searched(NodeIndex t) const { return hard_[t] || engine_.cyclic(t); }

  // The minimal cut sets of target t (not removable itself) up to the order, sorted; throws
  // OutOfWork when the budget runs out.
  // The work is counted in joins (an evaluation costs kJoinsPerEvaluation). Families cached by
  // earlier targets are charged again at what they cost to compute, so that whether a target
  // runs out never depends on which targets ran before it on this thread.
  // Sets created count too, at most kMaxCutSetsKept a target, cached ones again at their cost;
  // the cache is emptied before a target once it holds more than that.
  Family target_sets(NodeIndex t, std::size_t& work_left) {
    meter_.joins = work_left > std::numeric_limits<std::size_t>::max() / kJoinsPerEvaluation
                       ? std::numeric_limits<std::size_t>::max()
                       : work_left * kJoinsPerEvaluation;
    meter_.sets = kMaxCutSetsKept;
    if (stored_ > kMaxCutSetsKept) forget();
    Family f;
    try {
      charge_cached(t);
      prepare_members(t);
      f = flatten(groups_family(t, options_.max_sets));
    } catch (const OutOfWork&) {
      work_left = 0;
      throw;
    }
    work_left = meter_.joins / kJoinsPerEvaluation;
    return f;
  }

  // Units in t's cone (ancestors; t itself only when `with_self`), as node lists in unit order,
  // with the global index of each: the units of a numeric search for t.
  void local_units(NodeIndex t, bool with_self, std::vector<char>& mask, UnitLists& units,
                   std::vector<std::uint32_t>& global) const {
    mask = ancestors(model_, t);
    std::vector<std::pair<std::uint32_t, NodeIndex>> in_cone;  // (unit, node), sorted
    for (NodeIndex v = 0; v < model_.nodes.size(); ++v)
      if ((mask[v] || (with_self && v == t)) && unit_of_[v] != kNoUnit)
        in_cone.emplace_back(unit_of_[v], v);
    mask[t] = 1;
    std::sort(in_cone.begin(), in_cone.end());
    units = UnitLists{};
    global.clear();
    for (auto [unit, node] : in_cone) {
      if (global.empty() || unit != global.back()) {  // a unit begins: the one before ends
        if (!global.empty()) units.start.push_back(static_cast<std::uint32_t>(units.nodes.size()));
        global.push_back(unit);
      }
      units.nodes.push_back(node);
    }
    if (!global.empty()) units.start.push_back(static_cast<std::uint32_t>(units.nodes.size()));
  }

  CapacityEngine& engine() { return engine_; }

 private:
  static constexpr std::uint32_t kNoUnit = std::numeric_limits<std::uint32_t>::max();
  enum ComponentState : char { kUnknown, kStructural, kNumeric };

  bool tiny(NodeIndex v) const { return cap_[v] > 0 && cap_[v] < 1e-6; }

  // Numbers decide whatever the structure: pinned or capped values, tiny values, and installed
  // bases held intact on a loop (a loop's Boolean equations would read their inputs). An intact
  // base elsewhere depends on none of its inputs: a constant, lost only when removed itself.
  bool needs_numbers(NodeIndex v) const {
    if (world_.is_pinned(v) || tiny(v)) return true;
    if (engine_.intact_base(v, world_) && engine_.cyclic(v)) return true;
    for (std::uint32_t p = model_.first_pair(v); p < model_.first_pair(v + 1); ++p) {
      if (!world_.pair_pinned.empty() && !std::isnan(world_.pair_pinned[p])) return true;
      if (!world_.pair_limit.empty() && world_.pair_limit[p] < 1.0) return true;
    }
    return false;
  }

  // A loop is Boolean when none of its nodes needs numbers or has a threshold, and no part of it
  // can sustain itself: a part where every node has a group whose members (of positive weight)
  // all lie in the part. Without such a part a loop's node is lost exactly when it cannot be
  // derived from outside the loop (a loop whose weight is below 1 decays to 0); with one, the
  // loop's weights decide, and the level search does.
  bool structural_component(std::uint32_t c) {
    if (component_state_[c] != kUnknown) return component_state_[c] == kStructural;
    auto nodes = engine_.members(c);
    bool ok = std::none_of(nodes.begin(), nodes.end(),
                           [&](NodeIndex v) { return hard_[v] || threshold_[v]; });
    if (ok) {
      std::vector<char> in_part(model_.nodes.size(), 0);
      for (NodeIndex v : nodes) in_part[v] = 1;
      bool changed = true;
      std::size_t left = nodes.size();
      while (changed && left > 0) {
        changed = false;
        for (NodeIndex v : nodes) {
          if (!in_part[v]) continue;
          bool closed_group = false;
          for (const Group& g : model_.nodes[v].groups) {
            bool all_in = true, any = false;
            for (const Member& m : g.members)
              if (m.weight > 0) {
                any = true;
                all_in = all_in && in_part[m.node];
              }
            if (any && all_in) closed_group = true;
          }
          if (!closed_group) {
            in_part[v] = 0;
            --left;
            changed = true;
          }
        }
      }
      ok = left == 0;
    }
    component_state_[c] = ok ? kStructural : kNumeric;
    return ok;
  }

  // Members whose families v's groups read (a threshold group reads numbers instead).
  template <typename F>
  void for_each_read_member(NodeIndex v, F f) const {
    if (constant_[v]) return;
    for (const Group& g : model_.nodes[v].groups)
      if (g.threshold <= 0)
        for (const Member& m : g.members)
          if (m.weight > 0) f(m.node);
  }

  void spend(std::size_t joins) { meter_.spend(joins); }

  // A node's minimal cut sets: its own, and the whole families of `shared` nodes (the member of
  // a group that has only one: a chain's link shares its predecessor's family instead of copying
  // it, which made chains quadratic). The union may hold sets that contain others until
  // flattened.
  struct Stored {
    Family own;
    std::vector<NodeIndex> shared;
  };
  // Joins and sets a family took to compute (charged again when a later target reads it cached).
  struct Cost {
    std::size_t joins = 0, sets = 0;
  };
  Cost since(const Meter& before) const {
    return Cost{before.joins - meter_.joins, before.sets - meter_.sets};
  }

  void store(NodeIndex v, Stored family) {
    auto& slot = family_[v];
    stored_ -= std::min(stored_, slot.own.size() + slot.shared.size());
    stored_ += family.own.size() + family.shared.size();
    slot = std::move(family);
  }

  // Empties the cache (between targets, so that no result depends on it).
  void forget() {
    family_.clear();
    cost_.clear();
    component_cost_.clear();
    have_.assign(model_.nodes.size(), 0);
    stored_ = 0;
  }

  // The family as one minimal list: the own sets and those of every node reached through shared
  // links (each once).
  Family flatten(const Stored& family) {
    if (family.shared.empty()) return family.own;
    Family out = family.own;
    std::vector<NodeIndex> stack(family.shared.begin(), family.shared.end()), seen;
    while (!stack.empty()) {
      NodeIndex v = stack.back();
      stack.pop_back();
      if (visited_[v]) continue;
      visited_[v] = 1;
      seen.push_back(v);
      const Stored& f = family_[v];
      meter_.spend(f.own.size() + 1, f.own.size());
      out.insert(out.end(), f.own.begin(), f.own.end());
      stack.insert(stack.end(), f.shared.begin(), f.shared.end());
    }
    for (NodeIndex v : seen) visited_[v] = 0;
    minimize(out);
    return out;
  }

  // Charges what the cached families that t's families read (directly or not) cost to compute.
  void charge_cached(NodeIndex t) {
    std::vector<char> seen(model_.nodes.size(), 0);
    std::vector<NodeIndex> stack;
    Cost total;
    auto push = [&](NodeIndex m) {
      if (!seen[m]) stack.push_back(m);
    };
    for_each_read_member(t, push);
    while (!stack.empty()) {
      NodeIndex v = stack.back();
      stack.pop_back();
      if (seen[v]) continue;
      Way way = way_of(v);
      Cost cost;
      if (way == Way::loop) {  // the loop is computed, and charged, once for all its nodes
        for (NodeIndex x : engine_.members(engine_.component(v))) seen[x] = 1;
        if (have_[v]) cost = component_cost_[engine_.component(v)];
      } else {
        seen[v] = 1;
        if (have_[v]) cost = cost_[v];
      }
      total.joins += cost.joins;
      total.sets += cost.sets;
      for_each_input_family(v, way, push);
    }
    meter_.spend(total.joins, total.sets);
  }

  // How a node's family is found: a constant (lost already), by the level search over its cone
  // (a leaf of the structure), from its members' families, or with its Boolean loop.
  enum class Way { lost, searched, members, loop };
  Way way_of(NodeIndex v) {
    if (cap_[v] <= 0) return Way::lost;
    bool cyclic = engine_.cyclic(v);
    if (hard_[v] || (cyclic && !structural_component(engine_.component(v)))) return Way::searched;
    return cyclic ? Way::loop : Way::members;
  }

  // The nodes whose families v's family is built from: its read members, or for a Boolean loop
  // those of all the loop's nodes that lie outside it; none for a constant or a leaf.
  template <typename F>
  void for_each_input_family(NodeIndex v, Way way, F f) const {
    if (way == Way::members) {
      for_each_read_member(v, f);
    } else if (way == Way::loop) {
      std::uint32_t c = engine_.component(v);
      for (NodeIndex x : engine_.members(c))
        for_each_read_member(x, [&](NodeIndex m) {
          if (engine_.component(m) != c) f(m);
        });
    }
  }

  void prepare_members(NodeIndex v) {
    for_each_read_member(v, [&](NodeIndex m) { compute(m); });
  }

  // Union over v's groups of the sets that fail the group: for a group without threshold the
  // minimal unions of one set per member (every member lost), for one with a threshold the
  // numeric search. Reads family_ of the members as it stands (inside a loop: the iterate, and
  // nothing is shared). A group of one member shares that member's family.
  Stored groups_family(NodeIndex v, std::size_t enough = std::numeric_limits<std::size_t>::max(),
                       bool share = true) {
    Stored out;
    if (constant_[v]) return out;  // an intact installed base: lost only with its own unit
    const Node& node = model_.nodes[v];
    for (std::size_t gi = 0; gi < node.groups.size(); ++gi) {
      const Group& g = node.groups[gi];
      if (g.threshold > 0) continue;
      std::vector<NodeIndex> members;
      for (const Member& m : g.members)
        if (m.weight > 0) members.push_back(m.node);
      if (members.empty()) return Stored{Family{UnitSet{}}, {}};  // no supply: always lost
      if (members.size() == 1 && share) {
        out.shared.push_back(members[0]);
        continue;
      }
      std::vector<Family> flat;  // members whose family shares others', flattened
      flat.reserve(members.size());
      std::vector<const Family*> families;
      for (NodeIndex m : members) {
        const Stored& f = family_[m];
        if (f.shared.empty()) {
          families.push_back(&f.own);
        } else {
          flat.push_back(flatten(f));
          families.push_back(&flat.back());
        }
      }
      std::sort(families.begin(), families.end(),
                [](const Family* a, const Family* b) { return a->size() < b->size(); });
      Family prod = *families[0];
      for (std::size_t i = 1; i < families.size() && !prod.empty(); ++i)
        prod = product(prod, *families[i], options_.order, meter_);
      out.own.insert(out.own.end(), prod.begin(), prod.end());
    }
    std::sort(out.shared.begin(), out.shared.end());
    out.shared.erase(std::unique(out.shared.begin(), out.shared.end()), out.shared.end());
    minimize(out.own);
    if (threshold_[v]) {
      out.own = flatten(out);  // the threshold search skips supersets of v's other sets
      out.shared.clear();
      threshold_sets(v, out.own, enough);
    }
    return out;
  }

  Stored with_own(NodeIndex v, Stored f) {
    if (unit_of_[v] != kNoUnit) {
      UnitSet own;
      own.u[0] = unit_of_[v];
      own.size = 1;
      f.own.push_back(own);
      minimize(f.own);
    }
    meter_.spend(0, f.own.size());
    return f;
  }

  // The minimal cut sets of any node (its own unit included), computed once per run: iterative
  // post-order over the condensation; nodes where numbers decide are leaves.
  void compute(NodeIndex root) {
    if (have_[root]) return;
    std::vector<std::pair<NodeIndex, bool>> stack{{root, false}};
    while (!stack.empty()) {
      NodeIndex v = stack.back().first;
      bool expanded = stack.back().second;
      stack.pop_back();
      if (have_[v]) continue;
      Way way = way_of(v);
      Meter before = meter_;
      if (way == Way::lost) {
        store(v, Stored{Family{UnitSet{}}, {}});
      } else if (way == Way::searched) {
        Family f = numeric_family(v);
        meter_.spend(0, f.size());
        store(v, Stored{std::move(f), {}});
      } else if (!expanded) {
        stack.push_back({v, true});
        for_each_input_family(v, way, [&](NodeIndex m) {
          if (!have_[m]) stack.push_back({m, false});
        });
        continue;
      } else if (way == Way::loop) {
        solve_component(engine_.component(v));
        component_cost_[engine_.component(v)] = since(before);
        continue;  // sets have_ for every node of the loop
      } else {
        store(v, with_own(v, groups_family(v)));
      }
      cost_[v] = since(before);
      have_[v] = 1;
    }
  }

  // A Boolean loop: from "every node lost" down to the greatest fixed point of the families'
  // equations, i.e. a node is lost unless derived from outside. Each round can only drop sets;
  // at most one round per node (a derivation's depth) and one to see nothing changed.
  void solve_component(std::uint32_t c) {
    auto nodes = engine_.members(c);
    for (NodeIndex v : nodes) store(v, Stored{Family{UnitSet{}}, {}});
    for (std::size_t round = 0; round <= nodes.size(); ++round) {
      bool changed = false;
      for (NodeIndex v : nodes) {
        if (cap_[v] <= 0) continue;
        Stored next = with_own(v, groups_family(v, std::numeric_limits<std::size_t>::max(), false));
        if (next.own != family_[v].own) {
          store(v, std::move(next));
          changed = true;
        }
      }
      if (!changed) break;
    }
    for (NodeIndex v : nodes) have_[v] = 1;
  }

  // Sets that fail a threshold group of v, added to `known` (v's other sets), kept minimal.
  // Candidates come from a bound: removing a set R costs a group at most the sum over R's units
  // of what each alone could cost it (loss_bound), so only sets whose bounds sum past the group's
  // slack above its threshold can fail it; each candidate is then evaluated.
  // With `enough`, stops after the size at which that many minimal sets are known (a target's
  // list is cut there).
  void threshold_sets(NodeIndex v, Family& known,
                      std::size_t enough = std::numeric_limits<std::size_t>::max());

  // The level search over v's cone, v's own unit included.
  Family numeric_family(NodeIndex v);

  const Model& model_;
  const CapacityInputs& world_;
  const std::vector<double>& cap_;
  const CutSetOptions& options_;
  CapacityEngine engine_;
  std::vector<std::uint32_t> unit_of_;
  std::vector<NodeIndex> unit_node_;  // per unit, its node (units are nodes)
  std::vector<std::string> codes_;    // per unit, its code (units are jurisdictions)
  std::vector<char> hard_;            // numbers decide (pinned, capped, tiny)
  std::vector<char> threshold_;       // some group has a min_share / min_supply
  std::vector<char> constant_;        // an installed base held intact off loops (no groups read)
  std::vector<char> component_state_;
  // Families, and what they cost, only of the nodes a search reached (a target's cone is
  // usually a small part of the graph: arrays over all nodes took 40 MB a worker at a million).
  std::unordered_map<NodeIndex, Stored> family_;
  std::vector<char> have_;
  std::vector<char> visited_;  // flatten's marks, cleared after each use
  std::size_t stored_ = 0;     // sets and links held by family_
  Meter meter_;
  std::unordered_map<NodeIndex, Cost> cost_;                // spent on a node's own family
  std::unordered_map<std::uint32_t, Cost> component_cost_;  // on a Boolean loop's families
};

// What one unit's removal can cost a group, at most, from a given state: a node loses at most
// its value; a sum loses the weighted sum of its members' losses; a min loses at most the largest
// of its terms' losses (min(a0, b0) - min(a, b) <= max(a0 - a, b0 - b)), and so does a pair
// min(cap(maker), req). Sums and maxima of such bounds are subadditive, so a set's loss is at
// most the sum of its units' bounds. Loops, thresholds and numeric nodes may lose everything;
// an installed base held intact (off loops) loses nothing unless removed itself.
class LossBounds {
 public:
  LossBounds(const Model& model, const CapacityEngine& engine, const CapacityInputs& world,
             const std::vector<char>& hard, const std::vector<char>& threshold,
             const std::vector<char>& mask, NodeIndex v)
      : model_(model),
        engine_(engine),
        world_(world),
        hard_(hard),
        threshold_(threshold),
        mask_(mask),
        v_(v),
        pos_(model.nodes.size(), 0),
        bound_(model.nodes.size(), 0.0),
        seen_(model.nodes.size(), 0) {
    std::vector<NodeIndex> cone;
    for (NodeIndex x = 0; x < model.nodes.size(); ++x)
      if (mask[x] && x != v) cone.push_back(x);
    std::sort(cone.begin(), cone.end(), [&](NodeIndex a, NodeIndex b) {
      return engine.rank(a) != engine.rank(b) ? engine.rank(a) < engine.rank(b) : a < b;
    });
    for (std::uint32_t i = 0; i < cone.size(); ++i) pos_[cone[i]] = i;
  }

  // The bound on the loss of v's group `group` when the nodes of `unit` are removed from the
  // state whose values are `cap`. Returns the nodes visited through `visited` (work).
  double of(std::span<const NodeIndex> unit, const std::vector<double>& cap, std::size_t group,
            std::size_t& visited) {
    touched_.clear();
    stack_.assign(unit.begin(), unit.end());
    for (NodeIndex x : stack_) seen_[x] = 1;
    while (!stack_.empty()) {
      NodeIndex x = stack_.back();
      stack_.pop_back();
      touched_.push_back(x);
      for (NodeIndex d : model_.dependents(x))
        if (mask_[d] && d != v_ && !seen_[d]) {
          seen_[d] = 1;
          stack_.push_back(d);
        }
    }
    visited += touched_.size();
    std::sort(touched_.begin(), touched_.end(),
              [&](NodeIndex a, NodeIndex b) { return pos_[a] < pos_[b]; });
    for (NodeIndex x : unit) bound_[x] = cap[x];
    for (NodeIndex x : touched_) {
      if (std::find(unit.begin(), unit.end(), x) != unit.end()) continue;
      if (hard_[x] || threshold_[x] || engine_.cyclic(x)) {
        bound_[x] = cap[x];
        continue;
      }
      if (engine_.intact_base(x, world_)) continue;  // held intact: loses nothing (bound 0)
      const Node& xn = model_.nodes[x];
      double req_loss = requirement_loss(xn);
      double loss = req_loss;
      if (const Group* s = xn.supplier_group()) {
        loss = 0;
        for (const Member& m : s->members) loss += m.weight * std::max(bound_[m.node], req_loss);
      }
      bound_[x] = std::min(cap[x], world_.factor[x] * loss);
    }
    const Node& node = model_.nodes[v_];
    const Group& g = node.groups[group];
    double l = 0;
    if (g.role == Role::supplier) {
      double req_loss = requirement_loss(node);
      for (const Member& m : g.members) l += m.weight * std::max(bound_[m.node], req_loss);
    } else {
      l = group_loss(g);
    }
    for (NodeIndex x : touched_) {
      bound_[x] = 0;
      seen_[x] = 0;
    }
    return l;
  }

 private:
  double group_loss(const Group& g) const {
    double l = 0;
    for (const Member& m : g.members) l += m.weight * bound_[m.node];
    return l;
  }
  double requirement_loss(const Node& n) const {
    double l = 0;
    for (const Group& g : n.groups)
      if (g.role != Role::supplier) l = std::max(l, group_loss(g));
    return l;
  }

  const Model& model_;
  const CapacityEngine& engine_;
  const CapacityInputs& world_;
  const std::vector<char>& hard_;
  const std::vector<char>& threshold_;
  const std::vector<char>& mask_;
  NodeIndex v_;
  std::vector<std::uint32_t> pos_;  // topological position inside the cone
  std::vector<double> bound_;
  std::vector<char> seen_;
  std::vector<NodeIndex> touched_, stack_;
};

void StructuralCuts::threshold_sets(NodeIndex v, Family& known, std::size_t enough) {
  const Node& node = model_.nodes[v];
  std::vector<char> mask;
  UnitLists units;
  std::vector<std::uint32_t> global;
  local_units(v, false, mask, units, global);
  LossBounds bounds(model_, engine_, world_, hard_, threshold_, mask, v);
  engine_.set_mask(std::vector<bool>(mask.begin(), mask.end()));
  FamilyIndex index = index_of(known);
  Family found;
  struct Candidate {
    std::uint32_t unit;
    double bound;
  };
  struct Search {
    std::size_t group;
    RemovalState state;
    double s0, slack;
    std::vector<Candidate> top;
  };
  std::vector<Search> searches;
  std::size_t gi = 0;
  // Candidates with their bounds from the search's current state, largest first.
  auto candidates = [&](Search& search, const std::vector<std::uint32_t>& from) {
    std::vector<Candidate> out;
    std::size_t visited = 0;
    for (std::uint32_t u : from) {
      double b = bounds.of(search.state.unit(u), search.state.caps(), search.group, visited);
      if (b > 0) out.push_back({u, b});
    }
    spend(visited);
    std::sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
      return a.bound != b.bound ? a.bound > b.bound : a.unit < b.unit;
    });
    return out;
  };
  std::vector<std::uint32_t> all(units.size());
  for (std::uint32_t u = 0; u < units.size(); ++u) all[u] = u;
  for (gi = 0; gi < node.groups.size(); ++gi) {
    if (node.groups[gi].threshold <= 0) continue;
    // The group fails when its supply falls below threshold - 1e-12 (or to "lost"), i.e. when it
    // loses more than `slack`; the bounds' own rounding is far below the 1e-13 allowed here, and
    // a sum that only reaches the threshold exactly (three of four equal members lost against a
    // 0.25 threshold) is no candidate.
    double s0 = engine_.group_value(v, gi, cap_, world_);
    double slack = s0 - std::max(node.groups[gi].threshold - 1e-12, kStatusEpsilon) - 1e-13;
    searches.push_back(
        Search{gi,
               RemovalState(engine_, world_, cap_, v, units, {}, static_cast<int>(gi)),
               s0,
               slack,
               {}});
    searches.back().top = candidates(searches.back(), all);
  }
  std::vector<std::uint32_t> chosen;
  // Level by level, so that a set is only tried once no smaller set inside it fails the group;
  // depth-first inside a level with the chosen units removed, so that the bound starts from the
  // exact loss so far and each candidate costs one more removal. Where two or more units remain
  // to choose, the remaining candidates' bounds are recomputed from the current state: what a
  // unit can still cost is limited by what its paths have left.
  for (int level = 1; level <= options_.order; ++level) {
    for (Search& search : searches) {
      RemovalState& state = search.state;
      auto visit = [&](auto&& self, const std::vector<Candidate>& cands, double lost) -> void {
        int left = level - static_cast<int>(chosen.size());
        for (std::size_t p = 0; p + left <= cands.size(); ++p) {
          double best = lost;
          for (int r = 0; r < left; ++r) best += cands[p + r].bound;
          if (best <= search.slack) return;  // the rest have smaller bounds
          std::uint32_t u = cands[p].unit;
          spend(1);
          if (state.inert(u)) continue;  // lost already: adds nothing
          UnitSet set;
          for (auto c : chosen) set.u[set.size++] = global[c];
          set.u[set.size++] = global[u];
          set.sort();
          if (has_subset_in(set, index, false)) continue;  // not minimal
          spend(kJoinsPerEvaluation);
          state.push(u);
          if (left == 1) {
            if (state.goal()) {
              found.push_back(set);
              index.insert(set);
            }
          } else {
            double now = search.s0 - engine_.group_value(v, search.group, state.caps(), world_);
            chosen.push_back(u);
            if (left == 2) {
              std::vector<Candidate> rest(cands.begin() + static_cast<std::ptrdiff_t>(p) + 1,
                                          cands.end());
              self(self, rest, now);
            } else {
              std::vector<std::uint32_t> rest;
              for (std::size_t q = p + 1; q < cands.size(); ++q) rest.push_back(cands[q].unit);
              self(self, candidates(search, rest), now);
            }
            chosen.pop_back();
          }
          state.pop();
        }
      };
      visit(visit, search.top, 0.0);
    }
    // Every group is complete up to this size: when that already gives `enough` minimal sets,
    // larger ones would be cut from the list anyway.
    if (enough != std::numeric_limits<std::size_t>::max()) {
      Family small;
      for (const Family* f : {&known, &found})
        for (const auto& set : *f)
          if (set.size <= level) small.push_back(set);
      minimize(small);
      if (small.size() >= enough) break;
    }
  }
  known.insert(known.end(), found.begin(), found.end());
  minimize(known);
}

Family StructuralCuts::numeric_family(NodeIndex v) {
  std::vector<char> mask;
  UnitLists units;
  std::vector<std::uint32_t> global;
  local_units(v, true, mask, units, global);
  engine_.set_mask(std::vector<bool>(mask.begin(), mask.end()));
  RemovalState state(engine_, world_, cap_, v, units);
  auto found = find_minimal_sets(state, static_cast<std::uint32_t>(global.size()), options_.order,
                                 std::numeric_limits<std::size_t>::max(),
                                 meter_.joins / kJoinsPerEvaluation);
  if (found.budget_hit) throw OutOfWork{};
  spend(found.work * kJoinsPerEvaluation);
  Family f;
  for (const auto& set : found.sets) {
    UnitSet s;
    for (auto u : set) s.u[s.size++] = global[u];
    f.push_back(s);
  }
  minimize(f);
  return f;
}

}  // namespace

namespace {

// The cut sets of target number k, from structure where it can, spending at most `work_left`.
CutSets target_cut_sets(StructuralCuts& structure, const Model& model, const CapacityInputs& world,
                        const std::vector<double>& world_cap, const CutSetOptions& options,
                        std::size_t k, std::size_t work_left, const RemovalEffects* effects,
                        bool* engine_budget) {
  {
    NodeIndex t = model.targets[k];
    CutSets result;
    result.target = t;
    if (world_cap[t] <= kStatusEpsilon) return result;
    std::vector<char> mask;
    UnitLists units;
    std::vector<std::uint32_t> global;
    structure.local_units(t, false, mask, units, global);
    std::vector<std::uint32_t> local_of(structure.unit_count(), 0);
    for (std::uint32_t i = 0; i < global.size(); ++i) local_of[global[i]] = i;

    // Structure first, where the target's own equations are Boolean.
    std::optional<std::vector<std::vector<std::uint32_t>>> sets;
    if (options.structural && !structure.searched(t)) {
      try {
        Family f = structure.target_sets(t, work_left);
        std::vector<std::vector<std::uint32_t>> local;
        for (const auto& s : f) {
          std::vector<std::uint32_t> set;
          for (int i = 0; i < s.size; ++i) set.push_back(local_of[s.u[i]]);
          local.push_back(std::move(set));
        }
        sets = std::move(local);
      } catch (const OutOfWork& e) {
        result.truncated = result.budget_hit = true;
        result.memory_hit = e.memory;
        return result;
      }
    }
    // The numeric searches of the structure set the engine's mask to their own cones.
    CapacityEngine& engine = structure.engine();
    engine.set_mask(std::vector<bool>(mask.begin(), mask.end()));
    RemovalState state(engine, world, world_cap, t, units);
    if (sets) {
      if (sets->size() >= options.max_sets) {
        sets->resize(options.max_sets);
        result.truncated = true;
      }
      // The numeric check: each set loses the target and none of its subsets one smaller does.
      // A single unit's loss is read from the single-removal effects where there are some (a
      // push walks the whole downstream cone: on a chain, the rest of the chain for each set).
      auto lost_with = [&](const std::vector<std::uint32_t>& set, std::size_t skip) {
        std::size_t left = set.size() - (skip < set.size() ? 1 : 0);
        if (left == 0) return false;  // the target is not lost in the world
        if (left == 1 && effects && !options.by_jurisdiction) {
          auto row = (*effects)[units[set[skip == 0 && set.size() > 1 ? 1 : 0]][0]];
          if (row.size() == model.targets.size()) return row[k] <= kStatusEpsilon;
        }
        for (std::size_t i = 0; i < set.size(); ++i)
          if (i != skip) state.push(set[i]);
        bool lost = state.goal();
        for (std::size_t i = 0; i < set.size(); ++i)
          if (i != skip) state.pop();
        return lost;
      };
      for (const auto& set : *sets) {
        bool ok = lost_with(set, set.size());
        for (std::size_t skip = 0; ok && set.size() > 1 && skip < set.size(); ++skip)
          ok = !lost_with(set, skip);
        work_left -= std::min(work_left, set.size() + 1);
        if (!ok) {
          sets.reset();
          result.truncated = false;
          break;
        }
      }
    }
    if (!sets) {
      // Numbers decide at the target (or the check failed): the level search, reading the
      // single-removal effects for its first level.
      std::vector<double> alone;
      if (effects && !options.by_jurisdiction) {
        for (std::size_t u = 0; u < units.size(); ++u) {
          auto row = (*effects)[units[u][0]];
          if (row.size() != model.targets.size()) {
            alone.clear();
            break;
          }
          alone.push_back(row[k]);
        }
      }
      RemovalState search(engine, world, world_cap, t, units, std::move(alone));
      auto found = find_minimal_sets(search, static_cast<std::uint32_t>(units.size()),
                                     options.order, options.max_sets, work_left);
      work_left -= std::min(work_left, found.work);
      sets = std::move(found.sets);
      result.searched = true;
      result.truncated = found.truncated;
      result.budget_hit = found.budget_hit;
    }
    for (const auto& set : *sets) {
      std::vector<std::string> ids;
      for (auto u : set) ids.push_back(structure.label(global[u]));
      result.sets.push_back(std::move(ids));
    }
    *engine_budget = *engine_budget || engine.hit_budget();
    return result;
  }
}

}  // namespace

bool cut_budget_ran_out(const std::vector<CutSets>& cut_sets) {
  return std::any_of(cut_sets.begin(), cut_sets.end(),
                     [](const CutSets& c) { return c.budget_hit && !c.memory_hit; });
}

std::size_t cut_memory_targets(const std::vector<CutSets>& cut_sets) {
  return static_cast<std::size_t>(std::count_if(cut_sets.begin(), cut_sets.end(),
                                                [](const CutSets& c) { return c.memory_hit; }));
}

std::string cut_memory_clause(std::size_t targets) {
  return fmt::format(
      "the cut-set search of {} target{} stopped at its memory limit ({} sets kept for one "
      "target); the list{} may miss sets, whatever the work budget (a lower order or fewer kinds "
      "narrow the search)",
      targets, targets == 1 ? "" : "s", kMaxCutSetsKept, targets == 1 ? "" : "s");
}

std::string cut_memory_note(const std::vector<CutSets>& cut_sets) {
  std::size_t count = cut_memory_targets(cut_sets);
  return count == 0 ? "" : cut_memory_clause(count);
}

std::vector<CutSets> cut_sets(const Model& model, const CapacityInputs& world,
                              const std::vector<double>& world_cap, const CutSetOptions& options,
                              const Progress* progress, bool* budget_hit,
                              const RemovalEffects* effects) {
  std::size_t count = model.targets.size();
  std::vector<CutSets> out(count);
  if (count == 0) return out;
  // Targets are independent: two workers, each with its own structure (and its own cache of
  // families), take every other target. Each target gets an equal share of the budget, so the
  // lists do not depend on the number of threads or on which target ran first.
  std::size_t share = std::max<std::size_t>(1, options.max_work / count);
  unsigned workers = static_cast<unsigned>(std::min<std::size_t>(analysis_threads(), count));
  std::vector<std::unique_ptr<StructuralCuts>> structures(workers);
  std::vector<char> engine_budget(workers, 0);
  parallel_for(count, workers, [&](unsigned w, std::size_t k) {
    if (w == 0) report_progress(progress, "cut sets", k, count);
    if (!structures[w])
      structures[w] = std::make_unique<StructuralCuts>(model, world, world_cap, options);
    bool hit = false;
    out[k] =
        target_cut_sets(*structures[w], model, world, world_cap, options, k, share, effects, &hit);
    if (hit) engine_budget[w] = 1;
  });
  if (budget_hit)
    for (char hit : engine_budget) *budget_hit = *budget_hit || hit;
  return out;
}

}  // namespace chokepoint
