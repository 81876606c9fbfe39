#include "graph/cutsets.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "graph/metrics.hpp"

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

// Removal state: each unit is a list of nodes whose factor drops to 0.
class RemovalState : public SetSearchState {
 public:
  RemovalState(const CapacityEngine& engine, const CapacityInputs& world,
               const std::vector<double>& world_cap, NodeIndex target,
               std::vector<std::vector<NodeIndex>> units, std::vector<double> alone = {})
      : engine_(engine),
        in_(world),
        cap_(world_cap),
        target_(target),
        units_(std::move(units)),
        alone_(std::move(alone)) {}

  std::optional<bool> single_goal(std::uint32_t unit) const override {
    if (alone_.empty() || !frames_.empty()) return std::nullopt;
    return alone_[unit] <= kStatusEpsilon;
  }

  void push(std::uint32_t unit) override {
    frames_.push_back(Frame{undo_.size(), factors_.size()});
    for (NodeIndex n : units_[unit]) {
      factors_.emplace_back(n, in_.factor[n]);
      in_.factor[n] = 0.0;
    }
    engine_.lower(cap_, in_, units_[unit], &undo_);
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
  bool goal() const override { return cap_[target_] <= kStatusEpsilon; }
  bool inert(std::uint32_t unit) const override {
    return std::all_of(units_[unit].begin(), units_[unit].end(),
                       [&](NodeIndex n) { return cap_[n] <= 0.0; });
  }

 private:
  struct Frame {
    std::size_t undo, factors;
  };
  const CapacityEngine& engine_;
  CapacityInputs in_;
  std::vector<double> cap_;
  NodeIndex target_;
  std::vector<std::vector<NodeIndex>> units_;
  std::vector<std::pair<NodeIndex, double>> undo_;
  std::vector<std::pair<NodeIndex, double>> factors_;
  std::vector<Frame> frames_;
  std::vector<double> alone_;  // per unit: the target after removing it alone; empty: unknown
};

}  // namespace

SetSearchResult find_minimal_sets(SetSearchState& state, std::uint32_t units, int order,
                                  std::size_t max_sets, std::size_t max_work) {
  return LevelSearch(state, units, max_sets, max_work).run(order);
}

std::vector<CutSets> cut_sets(const Model& model, const CapacityInputs& world,
                              const std::vector<double>& world_cap, const CutSetOptions& options,
                              const Progress* progress, bool* budget_hit,
                              const std::vector<std::vector<double>>* effects) {
  std::vector<CutSets> out;
  std::size_t work_left = options.max_work;
  for (NodeIndex t : model.targets) {
    report_progress(progress, "cut sets", out.size(), model.targets.size());
    CutSets result{t, {}, false};
    if (world_cap[t] <= kStatusEpsilon) {
      out.push_back(std::move(result));
      continue;
    }
    auto anc = ancestors(model, t);
    std::vector<bool> mask(anc.begin(), anc.end());
    mask[t] = true;
    CapacityEngine engine(model);
    engine.set_mask(mask);
    auto kind_ok = [&](NodeIndex n) {
      return options.kinds.empty() || std::find(options.kinds.begin(), options.kinds.end(),
                                                model.nodes[n].kind) != options.kinds.end();
    };
    std::vector<std::vector<NodeIndex>> units;
    std::vector<std::string> labels;
    if (options.by_jurisdiction) {
      std::map<std::string, std::vector<NodeIndex>> by_code;
      for (NodeIndex n : model.by_id())
        if (anc[n] && model.nodes[n].jurisdiction != kNoJurisdiction && world_cap[n] > 0 &&
            kind_ok(n))
          by_code[std::string(model.jurisdiction_code(model.nodes[n].jurisdiction))].push_back(n);
      for (auto& [code, nodes] : by_code) {
        labels.push_back(code);
        units.push_back(std::move(nodes));
      }
    } else {
      for (NodeIndex n : model.by_id())
        if (anc[n] && world_cap[n] > 0 && kind_ok(n)) {
          labels.push_back(model.nodes[n].id);
          units.push_back({n});
        }
    }
    // Single-node units: what removing each alone does to the target, from the effects.
    std::vector<double> alone;
    if (effects && !options.by_jurisdiction) {
      auto k = static_cast<std::size_t>(std::find(model.targets.begin(), model.targets.end(), t) -
                                        model.targets.begin());
      for (const auto& unit : units) {
        const auto& row = (*effects)[unit[0]];
        if (row.size() != model.targets.size()) {
          alone.clear();
          break;
        }
        alone.push_back(row[k]);
      }
    }
    RemovalState state(engine, world, world_cap, t, std::move(units), std::move(alone));
    auto found = find_minimal_sets(state, static_cast<std::uint32_t>(labels.size()), options.order,
                                   options.max_sets, work_left);
    work_left -= std::min(work_left, found.work);
    for (const auto& set : found.sets) {
      std::vector<std::string> ids;
      for (auto u : set) ids.push_back(labels[u]);
      result.sets.push_back(std::move(ids));
    }
    result.truncated = found.truncated;
    result.budget_hit = found.budget_hit;
    if (budget_hit) *budget_hit = *budget_hit || engine.hit_budget();
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace chokepoint
