#include "graph/analysis/uncertainty.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "graph/support/parallel.hpp"

namespace chokepoint {

std::string_view quantity_kind_name(QuantityKind kind) {
  switch (kind) {
    case QuantityKind::share:
      return "share";
    case QuantityKind::min_share:
      return "min_share";
    case QuantityKind::min_supply:
      return "min_supply";
    case QuantityKind::stock_months:
      return "stock_months";
    case QuantityKind::lifetime_months:
      return "lifetime_months";
    case QuantityKind::capacity_factor:
      return "capacity_factor";
    case QuantityKind::de_minimis:
      return "de_minimis";
  }
  return "share";
}

namespace {

// A node's supplier threshold is min_supply; it sits on the supplier group (0, when the node
// has suppliers) and on every sourcing group (negative).
bool is_min_supply(const Model& model, const Ranged& r) {
  return r.group < 0 || (r.group == 0 && model.nodes[r.node].has_suppliers);
}

Group& group_of(Model& model, NodeIndex n, std::int32_t g) {
  Node& node = model.nodes[n];
  return g >= 0 ? node.groups[static_cast<std::size_t>(g)]
                : node.extras.edit().sourcing[static_cast<std::size_t>(-1 - g)].group;
}

// splitmix64 (Steele, Lea and Flood 2014): a fast, well-mixed 64-bit sequence.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

class SampleStream {
 public:
  SampleStream(std::uint64_t seed, std::uint64_t index)
      : state_(mix64(mix64(seed + kGolden) ^ (index * kGolden + 0x632be59bd9b4e019ULL))) {}
  // Uniform on [0, 1), 53 bits.
  double uniform() {
    state_ += kGolden;
    return static_cast<double>(mix64(state_) >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

// The inverse distribution function of a range at u in [0, 1).
double draw(const Range& r, double u) {
  double a = r.low, b = r.high;
  if (!(b > a)) return a;
  if (!r.best_given) return std::min(b, a + u * (b - a));
  double c = r.best;
  double split = (c - a) / (b - a);
  double v =
      u < split ? a + std::sqrt(u * (b - a) * (c - a)) : b - std::sqrt((1 - u) * (b - a) * (b - c));
  return std::clamp(v, a, b);
}

std::string names_of(const Model& model, const Group& g) {
  std::string out;
  std::size_t shown = std::min<std::size_t>(g.members.size(), g.members.size() > 3 ? 2 : 3);
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += i + 1 == g.members.size() ? " or " : ", ";
    out += model.nodes[g.members[i].node].name;
  }
  if (shown < g.members.size()) out += fmt::format(" or {} more", g.members.size() - shown);
  return out;
}

// "TSMC's", "US tools'".
std::string possessive(const std::string& name) {
  return name.size() >= 4 && name.back() == 's' ? name + "'" : name + "'s";
}

}  // namespace

std::vector<UncertainQuantity> uncertain_quantities(const Model& model, const Scenario& scenario) {
  std::vector<UncertainQuantity> out;
  std::vector<std::pair<NodeIndex, std::size_t>> min_supply;  // node -> its quantity
  for (std::uint32_t i = 0; i < model.ranges.size(); ++i) {
    const Ranged& r = model.ranges[i];
    UncertainQuantity q;
    q.node = r.node;
    q.group = r.group;
    q.range = r.range;
    q.where = r.where;
    q.ranged = {i};
    switch (r.what) {
      case RangedWhat::share:
        q.kind = QuantityKind::share;
        q.member = r.member;
        break;
      case RangedWhat::threshold:
        if (is_min_supply(model, r)) {
          auto it = std::find_if(min_supply.begin(), min_supply.end(),
                                 [&](const auto& e) { return e.first == r.node; });
          if (it != min_supply.end()) {
            out[it->second].ranged.push_back(i);
            continue;
          }
          min_supply.emplace_back(r.node, out.size());
          q.kind = QuantityKind::min_supply;
          q.group = 0;
        } else {
          q.kind = QuantityKind::min_share;
        }
        break;
      case RangedWhat::stock_months:
        q.kind = QuantityKind::stock_months;
        break;
      case RangedWhat::lifetime_months:
        q.kind = QuantityKind::lifetime_months;
        break;
    }
    out.push_back(std::move(q));
  }
  for (const auto& [node, range] : scenario.capacity_ranges) {
    UncertainQuantity q;
    q.kind = QuantityKind::capacity_factor;
    q.node = node;
    q.range = range;
    out.push_back(std::move(q));
  }
  for (std::uint32_t c = 0; c < scenario.controls.size(); ++c)
    if (const auto& range = scenario.controls[c].de_minimis_range) {
      UncertainQuantity q;
      q.kind = QuantityKind::de_minimis;
      q.control = c;
      q.range = *range;
      out.push_back(std::move(q));
    }
  return out;
}

std::string quantity_label(const Model& model, const Scenario& scenario,
                           const UncertainQuantity& q) {
  const std::string& name = model.nodes[q.node].name;
  switch (q.kind) {
    case QuantityKind::share: {
      const Group& g = model.nodes[q.node].group(q.group);
      NodeIndex member = g.members[q.member].node;
      std::string label = fmt::format("{} share in {}", possessive(model.nodes[member].name), name);
      if (q.group < 0)
        return label +
               fmt::format(
                   " (sourcing for {})",
                   model.nodes[q.node].sourcing()[static_cast<std::size_t>(-1 - q.group)].key);
      // Which group, only where the member is in more than one of the node's groups.
      const auto& groups = model.nodes[q.node].groups;
      auto in_group = [&](const Group& other) {
        return std::any_of(other.members.begin(), other.members.end(),
                           [&](const Member& m) { return m.node == member; });
      };
      if (std::count_if(groups.begin(), groups.end(), in_group) < 2) return label;
      if (!g.label.empty()) return label + fmt::format(" ('{}')", g.label.get());
      if (g.role == Role::supplier) return label + " (suppliers)";
      return label +
             fmt::format(" (input {})", q.group + (model.nodes[q.node].has_suppliers ? 0 : 1));
    }
    case QuantityKind::min_share: {
      const Group& g = model.nodes[q.node].group(q.group);
      if (!g.label.empty())
        return fmt::format("min_share of {} '{}'", possessive(name), g.label.get());
      return fmt::format("min_share of {} input ({})", possessive(name), names_of(model, g));
    }
    case QuantityKind::min_supply:
      return fmt::format("min_supply of {}", name);
    case QuantityKind::stock_months:
      return fmt::format("stock_months of {}", name);
    case QuantityKind::lifetime_months:
      return fmt::format("lifetime_months of {}", name);
    case QuantityKind::capacity_factor:
      return fmt::format("capacity factor of {}", name);
    case QuantityKind::de_minimis:
      return fmt::format("de_minimis of control {}", scenario.controls[q.control].id);
  }
  return name;
}

std::vector<double> draw_sample(std::span<const UncertainQuantity> quantities, std::uint64_t seed,
                                std::uint64_t index) {
  SampleStream stream(seed, index);
  std::vector<double> out;
  out.reserve(quantities.size());
  for (const auto& q : quantities) out.push_back(draw(q.range, stream.uniform()));
  return out;
}

// ---- SampledWorld ----

SampledWorld::SampledWorld(const Model& model, const Scenario& scenario,
                           std::span<const UncertainQuantity> quantities)
    : original_(&model),
      model_(std::make_unique<Model>(model)),
      scenario_(scenario),
      engine_(std::make_unique<CapacityEngine>(*model_)),
      quantities_(quantities.begin(), quantities.end()),
      group_of_(quantities.size(), 0),
      capacity_entry_(quantities.size(), 0),
      capacity_fixed_(quantities.size(), 1.0) {
  for (const auto& q : quantities_) points_.push_back(q.point());
  values_ = points_;
  for (std::size_t i = 0; i < quantities_.size(); ++i) {
    const UncertainQuantity& q = quantities_[i];
    if (q.kind == QuantityKind::share) {
      auto it = std::find_if(groups_.begin(), groups_.end(), [&](const SharedGroup& g) {
        return g.node == q.node && g.group == q.group;
      });
      if (it == groups_.end()) {
        const auto& written = model.ranged_groups;
        auto w = std::find_if(written.begin(), written.end(), [&](const WrittenShares& s) {
          return s.node == q.node && s.group == q.group;
        });
        groups_.push_back(SharedGroup{q.node, q.group, w->shares, {}});
        it = groups_.end() - 1;
      }
      it->members.emplace_back(q.member, i);
      group_of_[i] = static_cast<std::size_t>(it - groups_.begin());
    } else if (q.kind == QuantityKind::capacity_factor) {
      auto entry = std::find_if(scenario_.capacity.begin(), scenario_.capacity.end(),
                                [&](const auto& c) { return c.first == q.node; });
      capacity_entry_[i] = static_cast<std::size_t>(entry - scenario_.capacity.begin());
      // The factors of this node that are not ranged (parts of a scenario multiply). When
      // some ranged factor's point is 0 they cannot be told apart; they are taken as 1.
      double ranged_points = 1.0;
      for (const auto& r : quantities_)
        if (r.kind == QuantityKind::capacity_factor && r.node == q.node) ranged_points *= r.point();
      capacity_fixed_[i] = ranged_points > 0 ? entry->second / ranged_points : 1.0;
    }
  }
}

SampledWorld::~SampledWorld() = default;

void SampledWorld::set_all(std::span<const double> values) {
  for (std::size_t q = 0; q < quantities_.size(); ++q) set(q, values[q]);
}

void SampledWorld::set(std::size_t q, double value) {
  if (values_[q] == value) return;
  values_[q] = value;
  apply(q);
}

void SampledWorld::apply(std::size_t i) {
  const UncertainQuantity& q = quantities_[i];
  double v = values_[i];
  switch (q.kind) {
    case QuantityKind::share:
      apply_group(group_of_[i]);
      break;
    case QuantityKind::min_share:
    case QuantityKind::min_supply:
      for (std::uint32_t r : q.ranged)
        group_of(*model_, original_->ranges[r].node, original_->ranges[r].group).threshold = v;
      break;
    case QuantityKind::stock_months:
      model_->nodes[q.node].stock_months = v;
      break;
    case QuantityKind::lifetime_months:
      model_->nodes[q.node].extras.edit().lifetime_months = v;
      break;
    case QuantityKind::capacity_factor: {
      double f = capacity_fixed_[i];
      for (std::size_t k = 0; k < quantities_.size(); ++k)
        if (quantities_[k].kind == QuantityKind::capacity_factor && quantities_[k].node == q.node)
          f *= values_[k];
      scenario_.capacity[capacity_entry_[i]].second = f;
      break;
    }
    case QuantityKind::de_minimis:
      scenario_.controls[q.control].de_minimis = v;
      break;
  }
}

void SampledWorld::apply_group(std::size_t k) {
  const SharedGroup& sg = groups_[k];
  std::vector<double> written = sg.written;
  for (auto [member, q] : sg.members) written[member] = values_[q];
  auto weights = normalised_weights(written);
  Group& g = group_of(*model_, sg.node, sg.group);
  const Group& point = original_->nodes[sg.node].group(sg.group);
  for (std::size_t m = 0; m < g.members.size(); ++m)
    g.members[m].weight = weights.empty() ? point.members[m].weight : weights[m];
}

// ---- sampling ----

namespace {

// Worlds made by the worker that uses them (each copies the model once), kept across runs.
class WorldPool {
 public:
  WorldPool(const Model& model, const Scenario& scenario,
            std::span<const UncertainQuantity> quantities, unsigned threads)
      : model_(model), scenario_(scenario), quantities_(quantities), worlds_(threads) {}
  unsigned size() const { return static_cast<unsigned>(worlds_.size()); }
  SampledWorld& world(unsigned worker) {
    if (!worlds_[worker])
      worlds_[worker] = std::make_unique<SampledWorld>(model_, scenario_, quantities_);
    return *worlds_[worker];
  }
  template <typename F>
  void run(std::size_t count, F work) {
    parallel_for(count, size(), [&](unsigned w, std::size_t i) { work(world(w), i, w); });
  }
  bool budget_hit() const {
    return std::any_of(worlds_.begin(), worlds_.end(),
                       [](const auto& w) { return w && w->engine().hit_budget(); });
  }

 private:
  const Model& model_;
  const Scenario& scenario_;
  std::span<const UncertainQuantity> quantities_;
  std::vector<std::unique_ptr<SampledWorld>> worlds_;
};

template <typename F>
void run_samples(WorldPool& pool, std::span<const UncertainQuantity> quantities,
                 const SampleOptions& options, F work) {
  pool.run(options.samples, [&](SampledWorld& world, std::size_t i, unsigned w) {
    if (w == 0 && i % 16 == 0) report_progress(&options.progress, "samples", i, options.samples);
    world.set_all(draw_sample(quantities, options.seed, i));
    work(static_cast<const SampledWorld&>(world), i, w);
  });
}

}  // namespace

void for_each_sample(const Model& model, const Scenario& scenario, const SampleOptions& options,
                     const std::function<void(const SampledWorld& world, std::size_t sample,
                                              unsigned worker)>& work) {
  auto quantities = uncertain_quantities(model, scenario);
  WorldPool pool(model, scenario, quantities, analysis_threads(options.threads));
  run_samples(pool, quantities, options, work);
}

double percentile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  double h = static_cast<double>(sorted.size() - 1) * p;
  auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

const TargetUncertainty* UncertaintyResult::find(NodeIndex target, std::size_t view) const {
  for (const auto& e : entries)
    if (e.target == target && e.view == view) return &e;
  return nullptr;
}

UncertaintyResult analyze_uncertainty(const Model& model, const Scenario& scenario,
                                      const UncertaintyOptions& options) {
  UncertaintyResult r;
  r.quantities = uncertain_quantities(model, scenario);
  for (const auto& q : r.quantities) r.labels.push_back(quantity_label(model, scenario, q));
  r.samples = options.sampling.samples;
  r.seed = options.sampling.seed;
  const ViewRequest request{options.views, false};
  const std::size_t targets = model.targets.size();
  WorldPool pool(model, scenario, r.quantities, analysis_threads(options.sampling.threads));

  // Every target's value in every view (view-major) and its status against the no-scenario
  // graph of the same world.
  std::vector<char> budget(pool.size(), 0);
  auto measure = [&](const SampledWorld& world, unsigned worker, double* values, Status* statuses) {
    const CapacityEngine& engine = world.engine();
    auto baseline = engine.evaluate(CapacityInputs(model.nodes.size()));
    ScenarioResult s = evaluate_scenario(engine, world.scenario(), request);
    budget[worker] |= s.budget_hit;
    for (std::size_t v = 0; v <= s.views.size(); ++v)
      for (std::size_t k = 0; k < targets; ++k) {
        NodeIndex t = model.targets[k];
        double value = v == 0 ? s.world[t] : s.views[v - 1].cap[t];
        values[v * targets + k] = value;
        if (statuses) statuses[v * targets + k] = status_of(value, baseline[t]);
      }
  };

  // The point values. The views are the scenario's, the same in every sample.
  SampledWorld& first = pool.world(0);
  r.perspectives = evaluate_scenario(first.engine(), first.scenario(), request).perspectives;
  const std::size_t width = r.view_count() * targets;
  std::vector<double> point(width);
  std::vector<Status> point_status(width);
  measure(first, 0, point.data(), point_status.data());

  const std::size_t n = options.sampling.samples;
  std::vector<double> values(n * width);
  std::vector<Status> statuses(n * width);
  run_samples(pool, r.quantities, options.sampling,
              [&](const SampledWorld& world, std::size_t i, unsigned w) {
                measure(world, w, values.data() + i * width, statuses.data() + i * width);
              });

  // The tornado: each quantity with a static effect at its low and at its high.
  r.at_low.assign(r.quantities.size(), point);
  r.at_high.assign(r.quantities.size(), point);
  if (options.tornado) {
    std::vector<std::size_t> moving;
    for (std::size_t q = 0; q < r.quantities.size(); ++q)
      if (r.quantities[q].static_effect()) moving.push_back(q);
    pool.run(2 * moving.size(), [&](SampledWorld& world, std::size_t i, unsigned w) {
      if (w == 0) report_progress(&options.sampling.progress, "tornado", i, 2 * moving.size());
      std::size_t q = moving[i / 2];
      bool high = i % 2 == 1;
      world.reset();
      world.set(q, high ? r.quantities[q].range.high : r.quantities[q].range.low);
      measure(world, w, (high ? r.at_high : r.at_low)[q].data(), nullptr);
    });
  }

  std::vector<double> column(n);
  for (std::size_t v = 0; v < r.view_count(); ++v)
    for (std::size_t k = 0; k < targets; ++k) {
      std::size_t e = v * targets + k;
      TargetUncertainty out{model.targets[k], v, {}, {}};
      Band& b = out.band;
      b.point = point[e];
      b.samples = n;
      std::size_t lost = 0, degraded = 0;
      double drift = 0;  // the mean as the point plus the mean difference: exact when all agree
      for (std::size_t i = 0; i < n; ++i) {
        column[i] = values[i * width + e];
        drift += column[i] - b.point;
        lost += statuses[i * width + e] == Status::lost;
        degraded += statuses[i * width + e] == Status::degraded;
      }
      if (n == 0) {
        b.mean = b.p5 = b.p50 = b.p95 = b.point;
        b.p_lost = point_status[e] == Status::lost;
        b.p_degraded = point_status[e] == Status::degraded;
      } else {
        std::sort(column.begin(), column.end());
        b.mean = b.point + drift / static_cast<double>(n);
        b.p5 = percentile(column, 0.05);
        b.p50 = percentile(column, 0.5);
        b.p95 = percentile(column, 0.95);
        b.p_lost = static_cast<double>(lost) / static_cast<double>(n);
        b.p_degraded = static_cast<double>(degraded) / static_cast<double>(n);
      }
      for (std::uint32_t q = 0; q < r.quantities.size(); ++q) {
        double lo = r.at_low[q][e], hi = r.at_high[q][e];
        double swing = std::max({lo, hi, b.point}) - std::min({lo, hi, b.point});
        if (swing > kStatusEpsilon) out.tornado.push_back(Swing{q, lo, hi, swing});
      }
      std::sort(out.tornado.begin(), out.tornado.end(), [](const Swing& a, const Swing& b) {
        return a.swing != b.swing ? a.swing > b.swing : a.quantity < b.quantity;
      });
      if (out.tornado.size() > options.tornado_size) out.tornado.resize(options.tornado_size);
      r.entries.push_back(std::move(out));
    }
  r.budget_hit =
      pool.budget_hit() || std::any_of(budget.begin(), budget.end(), [](char b) { return b != 0; });
  return r;
}

std::optional<UncertaintyResult> headline_uncertainty(const Model& model, const Scenario& scenario,
                                                      const std::vector<Perspective>& views,
                                                      std::size_t samples, std::uint64_t seed,
                                                      Progress progress) {
  auto quantities = uncertain_quantities(model, scenario);
  if (samples == 0 || std::none_of(quantities.begin(), quantities.end(),
                                   [](const auto& q) { return q.static_effect(); }))
    return std::nullopt;
  UncertaintyOptions options;
  options.sampling.samples = samples;
  options.sampling.seed = seed;
  options.sampling.progress = std::move(progress);
  options.views = views;
  options.tornado_size = kHeadlineSwings;
  return analyze_uncertainty(model, scenario, options);
}

}  // namespace chokepoint
