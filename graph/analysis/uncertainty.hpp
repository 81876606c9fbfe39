// Uncertainty (docs/uncertainty.md): Monte Carlo over every ranged number of a graph and its
// scenario, bands (mean, P5, P50, P95, P(lost), P(degraded)) per target and view, and a tornado
// of the numbers that move each target most. Also the sampling API other analyses use
// (coalitions per sample, the timeline's stocks and installed bases per sample).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/analysis/views.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

enum class QuantityKind : std::uint8_t {
  share,            // a member's share in a group (suppliers, an input group, or a sourcing)
  min_share,        // an input group's threshold
  min_supply,       // a node's supplier threshold (its sourcing groups share it)
  stock_months,     // timeline only
  lifetime_months,  // timeline only
  capacity_factor,  // a scenario's capacity factor
  de_minimis,       // a scenario control's de minimis
};
std::string_view quantity_kind_name(QuantityKind kind);

// One uncertain number as a reader sees it: a min_supply written once is one quantity, however
// many groups (the suppliers and each sourcing) it sets.
struct UncertainQuantity {
  QuantityKind kind = QuantityKind::share;
  NodeIndex node = 0;                 // whose number it is (capacity factor: the node it scales)
  std::int32_t group = 0;             // share, min_share: the group, as in Ranged
  std::uint32_t member = 0;           // share: the member's position in the group
  std::uint32_t control = 0;          // de_minimis: index into Scenario::controls
  std::vector<std::uint32_t> ranged;  // graph quantities: indexes into Model::ranges
  Range range;
  SourceLocation where;  // in the graph file; none for a scenario's quantities
  double point() const { return range.best; }
  // Static analyses (capacity, views) ignore stocks and installed bases.
  bool static_effect() const {
    return kind != QuantityKind::stock_months && kind != QuantityKind::lifetime_months;
  }
};

// Every ranged number of the graph (file order) and then of the scenario (capacity factors as
// written, then de minimis by control).
std::vector<UncertainQuantity> uncertain_quantities(const Model& model, const Scenario& scenario);

// A label for readers: "SK hynix's share in HBM3E", "min_supply of x", "capacity factor of
// TSMC", "de_minimis of control us-hbm". Nodes by name.
std::string quantity_label(const Model& model, const Scenario& scenario,
                           const UncertainQuantity& quantity);

// Draws of sample `index`: one value per quantity, in order. A stream of its own per (seed,
// index) (splitmix64), so a sample's values never depend on which worker draws it. Uniform on
// [low, high]; triangular (inverse CDF) when the range gives `best`.
std::vector<double> draw_sample(std::span<const UncertainQuantity> quantities, std::uint64_t seed,
                                std::uint64_t index);

// One worker's own copy of the model and the scenario, with uncertain numbers set in place, and
// an engine over that copy (the engine's component order depends on the structure only, so it
// is built once). Group shares are normalised again after each change, like the loader does;
// a group whose shares all come out 0 keeps its point weights. Starts at the point values.
class SampledWorld {
 public:
  SampledWorld(const Model& model, const Scenario& scenario,
               std::span<const UncertainQuantity> quantities);
  SampledWorld(SampledWorld&&) noexcept = default;
  SampledWorld& operator=(SampledWorld&&) noexcept = default;
  ~SampledWorld();

  // The model with this world's values: weights, thresholds, and (for the timeline)
  // `stock_months` and `lifetime_months` of the nodes that have ranges.
  const Model& model() const { return *model_; }
  const Scenario& scenario() const { return scenario_; }
  const CapacityEngine& engine() const { return *engine_; }
  std::span<const double> values() const { return values_; }

  void set_all(std::span<const double> values);  // one per quantity
  void set(std::size_t quantity, double value);
  void reset() { set_all(points_); }  // the point values

 private:
  void apply(std::size_t quantity);
  void apply_group(std::size_t group);

  const Model* original_;
  std::unique_ptr<Model> model_;
  Scenario scenario_;
  std::unique_ptr<CapacityEngine> engine_;
  std::vector<UncertainQuantity> quantities_;
  std::vector<double> points_, values_;
  // Groups with a ranged share: where they are, the shares as written, and the quantities of
  // their members. group_of_[q] indexes it for a share quantity.
  struct SharedGroup {
    NodeIndex node;
    std::int32_t group;
    std::vector<double> written;
    std::vector<std::pair<std::uint32_t, std::size_t>> members;  // (member, quantity)
  };
  std::vector<SharedGroup> groups_;
  std::vector<std::size_t> group_of_;
  // Capacity factors: per quantity, the entry of Scenario::capacity it sets and the product of
  // the factors of that node that are not ranged.
  std::vector<std::size_t> capacity_entry_;
  std::vector<double> capacity_fixed_;
};

struct SampleOptions {
  std::size_t samples = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 0;  // 0: analysis_threads()
  Progress progress;     // optional; called from one worker
};

// Runs work(world, sample, worker) for each sample index in [0, samples), the world set to that
// sample's draws; workers split the samples (worker < threads), each with its own world. Store
// results by sample index and the output never depends on the thread count. This is the hook
// for other analyses: coalitions per sample, and the timeline (stocks and installed bases are
// set in world.model()).
void for_each_sample(const Model& model, const Scenario& scenario, const SampleOptions& options,
                     const std::function<void(const SampledWorld& world, std::size_t sample,
                                              unsigned worker)>& work);

// A target's distribution in one view. Percentiles interpolate linearly between the sorted
// samples (x at rank (n - 1) p, 0-based: numpy's and R's default); P(lost) and P(degraded) are
// the shares of samples with that status against the sample's own baseline (the graph with no
// scenario); degraded excludes lost.
struct Band {
  double point = 0;  // at the point values
  double mean = 0, p5 = 0, p50 = 0, p95 = 0;
  double p_lost = 0, p_degraded = 0;
  std::size_t samples = 0;
};

// One bar of a tornado: the target's value with one quantity at its low and at its high, all
// others at their point values. The swing is the spread of the low, point and high values (for
// a value that moves one way with the quantity, |high - low|).
struct Swing {
  std::uint32_t quantity = 0;
  double at_low = 0, at_high = 0, swing = 0;
};

struct UncertaintyOptions {
  SampleOptions sampling;
  std::vector<Perspective> views;  // sides to view besides the scenario's `against` sides
  bool tornado = true;
  std::size_t tornado_size = 10;  // the largest swings kept per target and view
};

struct TargetUncertainty {
  NodeIndex target;
  std::size_t view = 0;  // 0: the world; v + 1: perspectives[v]
  Band band;
  std::vector<Swing> tornado;  // swings above 1e-9, largest first (ties: quantity order)
};

struct UncertaintyResult {
  std::vector<UncertainQuantity> quantities;
  std::vector<std::string> labels;        // per quantity
  std::vector<Perspective> perspectives;  // the views besides the world
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  std::vector<TargetUncertainty> entries;  // by view (the world first), then target by id
  // The whole tornado, by quantity then entry: each target's value with that quantity at its
  // low and at its high (quantities without a static effect: the point value).
  std::vector<std::vector<double>> at_low, at_high;
  bool budget_hit = false;  // some fixed point stopped at a bound (values are upper bounds)

  std::size_t view_count() const { return perspectives.size() + 1; }
  // "" for the world.
  std::string_view view_name(std::size_t view) const {
    return view == 0 ? std::string_view() : std::string_view(perspectives[view - 1].name);
  }
  const TargetUncertainty* find(NodeIndex target, std::size_t view) const;
};

// Bands for every target in every view (the world, the scenario's `against` sides and
// `options.views`), and the tornado. O((samples + 2 * quantities) * E_s) where E_s is one
// evaluation of the scenario with its views (evaluate_scenario), on options.sampling.threads.
UncertaintyResult analyze_uncertainty(const Model& model, const Scenario& scenario,
                                      const UncertaintyOptions& options);

// What every report shows beside its headlines: bands from a few samples and each target's
// three largest swings.
constexpr std::size_t kReportSamples = 200;
constexpr std::size_t kHeadlineSwings = 3;

// The bands and swings of a report (analyze, whatif, compare) in the world and the given views:
// nullopt when `samples` is 0 or no range of the graph and the scenario moves a static analysis
// (stocks and installed bases do not), so that a graph without ranges gives the same report
// whether sampling was asked for or not.
std::optional<UncertaintyResult> headline_uncertainty(const Model& model, const Scenario& scenario,
                                                      const std::vector<Perspective>& views,
                                                      std::size_t samples, std::uint64_t seed = 1,
                                                      Progress progress = {});

// The percentile p (0..1) of sorted values, interpolated as Band says.
double percentile(std::span<const double> sorted, double p);

}  // namespace chokepoint
