// Uncertainty: worked example P, the sampling machinery (seeds, threads, shares normalised after
// sampling, the per-sample hook), and two cross-checks on seeded random graphs with ranges: the
// tornado against graphs written with each number fixed and loaded from scratch, and the Monte
// Carlo percentiles against a slow sampler that writes and loads every sample.
#include "graph/analysis/uncertainty.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using testing::must_load;
using testing::scenario_from;

UncertaintyOptions options(std::size_t samples, std::uint64_t seed = 1, unsigned threads = 0) {
  UncertaintyOptions o;
  o.sampling.samples = samples;
  o.sampling.seed = seed;
  o.sampling.threads = threads;
  return o;
}

const char* kExampleP = R"(
nodes:
  - {id: a, kind: firm, jurisdiction: US}
  - {id: b, kind: firm, jurisdiction: CN}
  - {id: x, kind: material, suppliers: [{id: a, share: [0.4, 0.6]}, b]}
  - {id: t, kind: capability, inputs: [x], target: true}
)";

TEST(ExampleP, PointPercentilesAndTornado) {
  Model m = must_load(kExampleP);
  Scenario s = scenario_from(m, "scenario:\n  remove: [a]\n");
  auto r = analyze_uncertainty(m, s, options(10'000));
  ASSERT_EQ(r.quantities.size(), 1u);
  EXPECT_EQ(r.labels[0], "a's share in x");
  EXPECT_EQ(r.view_count(), 1u);
  const TargetUncertainty* t = r.find(*m.find("t"), 0);
  ASSERT_NE(t, nullptr);
  EXPECT_DOUBLE_EQ(t->band.point, 0.5);
  EXPECT_NEAR(t->band.p5, 0.41, 0.005);
  EXPECT_NEAR(t->band.p50, 0.5, 0.005);
  EXPECT_NEAR(t->band.p95, 0.59, 0.005);
  EXPECT_NEAR(t->band.mean, 0.5, 0.005);
  EXPECT_EQ(t->band.samples, 10'000u);
  // t is 1 - a's share: always below its baseline of 1, never lost.
  EXPECT_EQ(t->band.p_degraded, 1.0);
  EXPECT_EQ(t->band.p_lost, 0.0);
  ASSERT_EQ(t->tornado.size(), 1u);
  EXPECT_EQ(t->tornado[0].quantity, 0u);
  EXPECT_NEAR(t->tornado[0].at_low, 0.6, 1e-12);
  EXPECT_NEAR(t->tornado[0].at_high, 0.4, 1e-12);
  EXPECT_NEAR(t->tornado[0].swing, 0.2, 1e-12);
}

TEST(ExampleP, TheSamplesAreUniformOnTheRange) {
  Model m = must_load(kExampleP);
  Scenario s = scenario_from(m, "scenario:\n  remove: [a]\n");
  std::vector<double> t(4000);
  SampleOptions o;
  o.samples = t.size();
  for_each_sample(m, s, o, [&](const SampledWorld& w, std::size_t i, unsigned) {
    t[i] = evaluate_scenario(w.engine(), w.scenario()).world[*m.find("t")];
  });
  // Ten equal bins of [0.4, 0.6], each within 5 standard deviations of 400.
  std::vector<int> bins(10, 0);
  for (double v : t) {
    ASSERT_GE(v, 0.4 - 1e-12);
    ASSERT_LE(v, 0.6 + 1e-12);
    ++bins[std::min(9, static_cast<int>((v - 0.4) / 0.02))];
  }
  for (int b : bins) EXPECT_NEAR(b, 400, 5 * std::sqrt(400 * 0.9));
}

// The bands and the tornado as bytes, to compare runs.
std::string fingerprint(const UncertaintyResult& r) {
  std::string out;
  for (const auto& e : r.entries) {
    const Band& b = e.band;
    out += fmt::format("{} {} {} {} {} {} {} {} {} {}\n", e.target, e.view, b.point, b.mean, b.p5,
                       b.p50, b.p95, b.p_lost, b.p_degraded, b.samples);
    for (const auto& s : e.tornado)
      out += fmt::format("  {} {} {} {}\n", s.quantity, s.at_low, s.at_high, s.swing);
  }
  return out;
}

const char* kSeveral = R"(
nodes:
  - {id: us, kind: firm, jurisdiction: US}
  - {id: nl, kind: firm, jurisdiction: NL}
  - {id: cn, kind: firm, jurisdiction: CN}
  - id: tool
    kind: equipment
    suppliers: [{id: us, share: {low: 0.3, high: 0.6, best: 0.5}}, {id: nl, share: [0.2, 0.4]}, cn]
    min_supply: [0.2, 0.5]
  - {id: chip, kind: chip, jurisdiction: TW, inputs: [tool], stock_months: [2, 6]}
  - id: cn-ai
    kind: capability
    jurisdiction: CN
    inputs: [{any: [chip, cn], min_share: "30-60%"}]
    target: true
  - {id: us-ai, kind: capability, jurisdiction: US, inputs: [chip], target: true}
)";

const char* kSeveralScenario = R"(
scenario:
  capacity: {cn: [0.2, 0.8]}
  controls:
    - {id: c, by: [US], against: [CN], fdpr: true, de_minimis: [0.1, 0.5]}
)";

TEST(UncertaintyTest, SameSeedSameBytesWhateverTheThreadCount) {
  Model m = must_load(kSeveral);
  Scenario s = scenario_from(m, kSeveralScenario);
  std::string one = fingerprint(analyze_uncertainty(m, s, options(500, 7, 1)));
  EXPECT_EQ(fingerprint(analyze_uncertainty(m, s, options(500, 7, 2))), one);
  EXPECT_EQ(fingerprint(analyze_uncertainty(m, s, options(500, 7, 3))), one);
  EXPECT_EQ(fingerprint(analyze_uncertainty(m, s, options(500, 7, 1))), one);
  // Another seed, other numbers (the point and the tornado stay).
  auto other = analyze_uncertainty(m, s, options(500, 8, 2));
  auto first = analyze_uncertainty(m, s, options(500, 7, 2));
  EXPECT_NE(fingerprint(other), one);
  for (std::size_t e = 0; e < first.entries.size(); ++e) {
    EXPECT_EQ(other.entries[e].band.point, first.entries[e].band.point);
    EXPECT_EQ(other.entries[e].tornado.size(), first.entries[e].tornado.size());
  }
  bool moved = false;
  for (std::size_t e = 0; e < first.entries.size(); ++e)
    moved |= other.entries[e].band.mean != first.entries[e].band.mean;
  EXPECT_TRUE(moved);
}

TEST(UncertaintyTest, ASamplesDrawsDependOnlyOnTheSeedAndItsIndex) {
  Model m = must_load(kSeveral);
  Scenario s = scenario_from(m, kSeveralScenario);
  auto q = uncertain_quantities(m, s);
  EXPECT_EQ(draw_sample(q, 3, 11), draw_sample(q, 3, 11));
  EXPECT_NE(draw_sample(q, 3, 11), draw_sample(q, 3, 12));
  EXPECT_NE(draw_sample(q, 3, 11), draw_sample(q, 4, 11));
  for (std::uint64_t i = 0; i < 200; ++i) {
    auto d = draw_sample(q, 5, i);
    ASSERT_EQ(d.size(), q.size());
    for (std::size_t k = 0; k < q.size(); ++k) {
      EXPECT_GE(d[k], q[k].range.low);
      EXPECT_LE(d[k], q[k].range.high);
    }
  }
}

TEST(UncertaintyTest, QuantitiesAndTheirLabels) {
  Model m = must_load(kSeveral);
  Scenario s = scenario_from(m, kSeveralScenario);
  auto r = analyze_uncertainty(m, s, options(0));
  std::vector<std::string> kinds;
  for (const auto& q : r.quantities) kinds.emplace_back(quantity_kind_name(q.kind));
  EXPECT_EQ(kinds, (std::vector<std::string>{"min_supply", "share", "share", "stock_months",
                                             "min_share", "capacity_factor", "de_minimis"}));
  EXPECT_EQ(r.labels, (std::vector<std::string>{
                          "min_supply of tool", "us's share in tool", "nl's share in tool",
                          "stock_months of chip", "min_share of cn-ai's input (chip or cn)",
                          "capacity factor of cn", "de_minimis of control c"}));
  EXPECT_EQ(r.quantities[0].where.line, 9);
  EXPECT_DOUBLE_EQ(r.quantities[1].point(), 0.5);  // best
  EXPECT_DOUBLE_EQ(r.quantities[2].point(), 0.3);  // midpoint
  EXPECT_DOUBLE_EQ(r.quantities[4].range.low, 0.3);
  EXPECT_DOUBLE_EQ(r.quantities[4].range.high, 0.6);
  // Stocks do nothing to a static analysis: never in a tornado.
  for (const auto& e : r.entries)
    for (const auto& sw : e.tornado) EXPECT_NE(sw.quantity, 3u);
}

TEST(UncertaintyTest, LabelsForSourcingInputGroupsAndLongGroups) {
  Model m = must_load(R"(
nodes:
  - {id: a, name: Alpha, kind: firm, jurisdiction: US}
  - {id: b, name: Bits, kind: firm, jurisdiction: CN}
  - {id: c, kind: firm}
  - {id: d, kind: firm}
  - id: x
    kind: material
    suppliers: [a, b]
    min_supply: [0.1, 0.3]
    sourcing:
      CN: [{id: b, share: [0.7, 0.9]}, a]
  - id: t
    kind: capability
    lifetime_months: [12, 36]
    inputs:
      - {any: [{id: a, share: [0.2, 0.4]}, b, c, d], min_share: [0.1, 0.2]}
      - {any: [{id: x, share: [0.2, 0.4]}, {id: c, share: [0.3, 0.5]}], label: compute, min_share: [0.1, 0.2]}
    target: true
)");
  auto q = uncertain_quantities(m, Scenario{});
  std::vector<std::string> labels;
  for (const auto& one : q) labels.push_back(quantity_label(m, Scenario{}, one));
  EXPECT_EQ(labels, (std::vector<std::string>{
                        "min_supply of x", "Bits' share in x (sourcing for CN)",
                        "min_share of t's input (Alpha, Bits or 2 more)", "Alpha's share in t",
                        "min_share of t's 'compute'", "x's share in t",
                        "c's share in t ('compute')", "lifetime_months of t"}));
  // One min_supply, set on the suppliers and on China's sourcing alike.
  ASSERT_EQ(q[0].ranged.size(), 2u);
  SampledWorld w(m, Scenario{}, q);
  w.set(0, 0.25);
  const Node& x = w.model().nodes[*m.find("x")];
  EXPECT_EQ(x.groups[0].threshold, 0.25);
  EXPECT_EQ(x.sourcing()[0].group.threshold, 0.25);
  EXPECT_EQ(m.nodes[*m.find("x")].groups[0].threshold, 0.2);  // the original is untouched
  w.set(7, 30);
  EXPECT_EQ(w.model().nodes[*m.find("t")].extras.get().lifetime_months, 30.0);
  w.reset();
  EXPECT_EQ(x.sourcing()[0].group.threshold, 0.2);
  EXPECT_EQ(w.model().nodes[*m.find("t")].extras.get().lifetime_months, 24.0);
}

TEST(UncertaintyTest, SharesAreNormalisedAfterSampling) {
  Model m = must_load(R"(
nodes:
  - {id: a, kind: firm}
  - {id: b, kind: firm}
  - {id: c, kind: firm}
  - {id: x, kind: material, suppliers: [{id: a, share: [0, 0.4]}, {id: b, share: [0, 0.4]}]}
  - {id: y, kind: material, suppliers: [{id: a, share: [0.4, 0.9]}, {id: b, share: [0.1, 0.5]}, c]}
  - {id: t, kind: capability, inputs: [x, y], target: true}
)");
  auto q = uncertain_quantities(m, Scenario{});
  ASSERT_EQ(q.size(), 4u);
  SampledWorld w(m, Scenario{}, q);
  auto weights = [&](const char* id) {
    std::vector<double> out;
    for (const auto& mem : w.model().nodes[*m.find(id)].groups[0].members)
      out.push_back(mem.weight);
    return out;
  };
  w.set(0, 0.1);
  w.set(1, 0.3);
  EXPECT_NEAR(weights("x")[0], 0.25, 1e-15);
  EXPECT_NEAR(weights("x")[1], 0.75, 1e-15);
  // Every share of x at 0: the group keeps its point weights (half each).
  w.set(0, 0);
  w.set(1, 0);
  EXPECT_EQ(weights("x"), (std::vector<double>{0.5, 0.5}));
  // y: given shares above 1 leave c nothing; below 1, c takes the rest.
  w.set(2, 0.9);
  w.set(3, 0.5);
  EXPECT_NEAR(weights("y")[0], 0.9 / 1.4, 1e-15);
  EXPECT_NEAR(weights("y")[1], 0.5 / 1.4, 1e-15);
  EXPECT_EQ(weights("y")[2], 0.0);
  w.set(2, 0.5);
  w.set(3, 0.3);
  EXPECT_NEAR(weights("y")[2], 0.2, 1e-15);
  w.reset();
  for (const char* id : {"x", "y"})
    for (std::size_t k = 0; k < weights(id).size(); ++k)
      EXPECT_EQ(weights(id)[k], m.nodes[*m.find(id)].groups[0].members[k].weight);
}

TEST(UncertaintyTest, ThresholdsGiveTheChanceOfLosingATarget) {
  // x keeps half its supply without a; lost whenever min_supply is drawn above 0.5.
  Model m = must_load(R"(
nodes:
  - {id: a, kind: firm}
  - {id: b, kind: firm}
  - {id: x, kind: material, suppliers: [a, b], min_supply: [0.3, 0.7]}
  - {id: t, kind: capability, inputs: [x], target: true}
)");
  auto r = analyze_uncertainty(m, scenario_from(m, "scenario: {remove: [a]}\n"), options(10'000));
  const Band& b = r.entries[0].band;
  EXPECT_DOUBLE_EQ(b.point, 0.5);  // at min_supply 0.5, 0.5 is enough
  EXPECT_NEAR(b.p_lost, 0.5, 0.02);
  EXPECT_NEAR(b.p_degraded, 0.5, 0.02);
  EXPECT_DOUBLE_EQ(b.p_lost + b.p_degraded, 1.0);
  EXPECT_DOUBLE_EQ(b.p5, 0.0);
  EXPECT_DOUBLE_EQ(b.p95, 0.5);
  ASSERT_EQ(r.entries[0].tornado.size(), 1u);
  EXPECT_EQ(r.entries[0].tornado[0].at_low, 0.5);
  EXPECT_EQ(r.entries[0].tornado[0].at_high, 0.0);
}

TEST(UncertaintyTest, ARangedDeMinimisDecidesAnFdprDenial) {
  // Example D: jp-fab's wafers would fall by 0.6 without US tools; denied when the de minimis
  // is below that.
  Model m = must_load(R"(
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: jp-tools, kind: equipment, jurisdiction: JP}
  - {id: cn-tools, kind: equipment, jurisdiction: CN}
  - id: jp-fab
    kind: foundry
    jurisdiction: JP
    inputs: [{any: [{id: us-tools, share: 0.6}, {id: jp-tools, share: 0.4}]}]
  - {id: cn-fab, kind: foundry, jurisdiction: CN, inputs: [cn-tools]}
  - {id: wafers, kind: material, suppliers: [{id: jp-fab, share: 0.7}, {id: cn-fab, share: 0.3}]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, inputs: [wafers], target: true}
)");
  Scenario s = scenario_from(m, R"(
scenario:
  controls: [{id: us-embargo, by: [US], against: [CN], fdpr: true, de_minimis: [0.5, 0.7]}]
)");
  auto r = analyze_uncertainty(m, s, options(4000));
  ASSERT_EQ(r.labels, std::vector<std::string>{"de_minimis of control us-embargo"});
  const TargetUncertainty* cn = r.find(*m.find("cn-ai"), 1);
  ASSERT_NE(cn, nullptr);
  EXPECT_DOUBLE_EQ(cn->band.point, 1.0);  // at 0.6 the fall is within the de minimis
  ASSERT_EQ(cn->tornado.size(), 1u);
  EXPECT_NEAR(cn->tornado[0].at_low, 0.3, 1e-12);
  EXPECT_DOUBLE_EQ(cn->tornado[0].at_high, 1.0);
  EXPECT_NEAR(cn->tornado[0].swing, 0.7, 1e-12);
  EXPECT_NEAR(cn->band.p_degraded, 0.5, 0.03);  // de minimis drawn below 0.6
  EXPECT_NEAR(cn->band.p5, 0.3, 1e-12);
  EXPECT_DOUBLE_EQ(cn->band.p95, 1.0);
  // The world is untouched.
  EXPECT_TRUE(r.find(*m.find("cn-ai"), 0)->tornado.empty());
}

TEST(UncertaintyTest, TriangularDrawsFollowTheirBest) {
  UncertainQuantity q;
  q.range = Range{0, 1, 0, true};  // density 2(1 - x): median 1 - sqrt(1/2), mean 1/3
  std::vector<UncertainQuantity> qs{q};
  std::vector<double> v;
  for (std::uint64_t i = 0; i < 20'000; ++i) v.push_back(draw_sample(qs, 1, i)[0]);
  std::sort(v.begin(), v.end());
  EXPECT_NEAR(percentile(v, 0.5), 1 - std::sqrt(0.5), 0.01);
  double mean = 0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  EXPECT_NEAR(mean, 1.0 / 3, 0.01);
}

TEST(UncertaintyTest, PercentilesInterpolateBetweenSortedSamples) {
  std::vector<double> v{1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(percentile(v, 0.5), 3);
  EXPECT_DOUBLE_EQ(percentile(v, 0.05), 1.2);  // rank 0.2
  EXPECT_DOUBLE_EQ(percentile(v, 0.95), 4.8);
  EXPECT_DOUBLE_EQ(percentile(v, 1.0), 5);
  EXPECT_DOUBLE_EQ(percentile(std::vector<double>{7}, 0.05), 7);
}

// The minimal example has no ranges (its "40%" is a point); under an embargo with the FDPR it
// has views and denials, and every sample is the analysis's own value.
TEST(UncertaintyTest, AGraphWithoutRangesGivesItsPointValues) {
  std::string yaml = testing::source_path("data/examples/minimal.yaml");
  SourceFiles files;
  Diagnostics diags;
  auto m = load_graph(yaml, files, diags);
  ASSERT_TRUE(m.has_value());
  ASSERT_TRUE(m->ranges.empty());
  std::optional<Scenario> s = scenario_from(
      *m, "scenario: {controls: [{id: e, by: [allies], against: [CN], fdpr: true}]}\n");
  ASSERT_FALSE(s->controls.empty());
  ASSERT_FALSE(analyze_uncertainty(*m, *s, options(1)).perspectives.empty());
  AnalysisOptions ao;
  ao.with_metrics = ao.with_cut_sets = ao.with_causes = false;
  Analysis a = analyze(*m, *s, ao);
  auto r = analyze_uncertainty(*m, *s, options(50));
  EXPECT_TRUE(r.quantities.empty());
  ASSERT_EQ(r.perspectives.size(), a.perspectives.size());
  for (const auto& e : r.entries) {
    const TargetResult& t = *std::find_if(a.targets.begin(), a.targets.end(),
                                          [&](auto& x) { return x.node == e.target; });
    double value = e.view == 0 ? t.capacity : t.views[e.view - 1].capacity;
    Status status = e.view == 0 ? t.status : t.views[e.view - 1].status;
    EXPECT_EQ(e.band.point, value);
    EXPECT_EQ(e.band.mean, value);
    EXPECT_EQ(e.band.p5, value);
    EXPECT_EQ(e.band.p50, value);
    EXPECT_EQ(e.band.p95, value);
    EXPECT_EQ(e.band.p_lost, status == Status::lost ? 1.0 : 0.0);
    EXPECT_EQ(e.band.p_degraded, status == Status::degraded ? 1.0 : 0.0);
    EXPECT_TRUE(e.tornado.empty());
  }
}

TEST(UncertaintyTest, HeadlinesOnlyWhereARangeMovesAStaticAnalysis) {
  Model p = must_load(kExampleP);
  Scenario remove_a = scenario_from(p, "scenario:\n  remove: [a]\n");
  EXPECT_FALSE(headline_uncertainty(p, remove_a, {}, 0).has_value());
  auto h = headline_uncertainty(p, remove_a, {}, kReportSamples);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->samples, 200u);
  EXPECT_EQ(h->entries[0].tornado.size(), 1u);
  Model stocks = must_load(R"(
nodes:
  - {id: a, kind: firm, stock_months: [1, 3]}
  - {id: t, kind: capability, inputs: [a], target: true}
)");
  EXPECT_FALSE(headline_uncertainty(stocks, Scenario{}, {}, kReportSamples).has_value());
  // At most three swings under a headline.
  Model m = must_load(kSeveral);
  auto several = headline_uncertainty(m, scenario_from(m, kSeveralScenario), {}, 50);
  ASSERT_TRUE(several.has_value());
  std::size_t longest = 0;
  for (const auto& e : several->entries) longest = std::max(longest, e.tornado.size());
  EXPECT_EQ(longest, 3u);
}

TEST(UncertaintyTest, TheSampleHookSetsStocksAndInstalledBases) {
  Model m = must_load(R"(
nodes:
  - {id: a, kind: firm, stock_months: [1, 3]}
  - {id: t, kind: capability, inputs: [a], lifetime_months: {low: 10, high: 40, best: 20}, target: true}
)");
  auto q = uncertain_quantities(m, Scenario{});
  SampleOptions o;
  o.samples = 64;
  o.seed = 9;
  std::vector<std::pair<double, double>> seen(o.samples);
  for_each_sample(m, Scenario{}, o, [&](const SampledWorld& w, std::size_t i, unsigned) {
    seen[i] = {*w.model().nodes[0].stock_months, *w.model().nodes[1].extras.get().lifetime_months};
  });
  for (std::size_t i = 0; i < seen.size(); ++i) {
    auto d = draw_sample(q, 9, i);
    EXPECT_EQ(seen[i].first, d[0]);
    EXPECT_EQ(seen[i].second, d[1]);
  }
}

TEST(UncertaintyTest, ViewsBesidesTheScenariosSides) {
  Model m = must_load(kSeveral);
  Scenario s = scenario_from(m, kSeveralScenario);
  auto o = options(100);
  o.views = {*perspective_of(m, "US"), *perspective_of(m, "CN")};
  auto r = analyze_uncertainty(m, s, o);
  ASSERT_EQ(r.view_count(), 3u);  // world, CN (the control's), US
  EXPECT_EQ(r.view_name(0), "");
  EXPECT_EQ(r.view_name(1), "CN");
  EXPECT_EQ(r.view_name(2), "US");
  EXPECT_EQ(r.entries.size(), 3 * m.targets.size());
  // The control makes China's view worse than the world.
  const auto* world = r.find(*m.find("cn-ai"), 0);
  const auto* cn = r.find(*m.find("cn-ai"), 1);
  EXPECT_LE(cn->band.point, world->band.point);
  EXPECT_LE(cn->band.p95, world->band.p95 + 1e-12);
}

// ---- seeded random graphs with ranges ----

// A ranged number of a random graph, and where the engine should find it.
struct Slot {
  QuantityKind kind;
  int node = 0;  // the graph's node number (n<k>); capacity: the node scaled
  int group = 0;
  int member = 0;
  int control = 0;
  double low = 0, high = 0, best = 0;
  bool best_given = false;
  double point() const { return best_given ? best : (low + high) / 2; }
};

struct MemberDesc {
  int node;
  std::optional<double> share;  // fixed
  int slot = -1;                // or ranged
};

struct GroupDesc {
  std::vector<MemberDesc> members;
  std::optional<double> threshold;
  int threshold_slot = -1;
};

struct NodeDesc {
  std::string jurisdiction;
  std::string kind;
  std::optional<GroupDesc> suppliers;  // threshold: min_supply
  std::optional<GroupDesc> sourcing;   // for CN; threshold from suppliers
  std::vector<GroupDesc> inputs;
};

struct ControlDesc {
  std::string by, against, items;
  bool fdpr = false;
  int de_minimis_slot = -1;
};

struct Random {
  std::vector<NodeDesc> nodes;
  std::vector<Slot> slots;
  int removed = -1;
  std::vector<std::pair<int, int>> capacity;  // node, slot
  std::vector<ControlDesc> controls;
};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  Random graph() {
    Random g;
    int n = n_ = pick(6, 10);
    const char* codes[] = {"US", "CN", "NL", "JP"};
    const char* kinds[] = {"chip", "equipment", "hbm"};
    for (int i = 0; i < n; ++i) {
      NodeDesc d;
      d.kind = i < n / 3 ? "firm" : kinds[pick(0, 2)];
      if (coin(0.7)) d.jurisdiction = codes[pick(0, 3)];
      if (i >= n / 3) {
        int group = 0;
        if (coin(0.8)) {
          d.suppliers = members(g, i, pick(1, 3), group, i);
          if (coin(0.45)) {
            if (coin(0.7))
              d.suppliers->threshold_slot = slot(g, QuantityKind::min_supply, i, 0, 0, 0.1, 0.9);
            else
              d.suppliers->threshold = pick(1, 4) / 10.0;
          }
          if (coin(0.4)) d.sourcing = members(g, i, pick(1, 3), -1, i);
          ++group;
        }
        for (int j = pick(0, 2); j > 0; --j) {
          GroupDesc in = members(g, i, pick(1, 3), group, i);
          if (coin(0.4))
            in.threshold_slot = slot(g, QuantityKind::min_share, i, group, 0, 0.1, 0.8);
          d.inputs.push_back(in);
          ++group;
        }
      }
      g.nodes.push_back(d);
    }
    if (coin(0.8)) g.removed = pick(0, n - 3);
    for (int k = pick(0, 2); k > 0; --k) {
      int node = pick(0, n - 1);
      if (std::none_of(g.capacity.begin(), g.capacity.end(),
                       [&](auto& c) { return c.first == node; }))
        g.capacity.emplace_back(node, slot(g, QuantityKind::capacity_factor, node, 0, 0, 0.1, 1.0));
    }
    const char* items[] = {"", "kind == 'chip'", "kind in ['equipment', 'hbm']", "kind != 'firm'"};
    const char* by[] = {"[US]", "[US, NL]", "[NL, JP]", "[JP]"};
    for (int c = pick(1, 2); c > 0; --c) {
      ControlDesc cd;
      cd.by = by[pick(0, 3)];
      cd.against = coin(0.25) ? "[n0]" : "[CN]";
      cd.items = items[pick(0, 3)];
      cd.fdpr = coin(0.8);
      if (cd.fdpr && coin(0.9)) {
        cd.de_minimis_slot = slot(g, QuantityKind::de_minimis, 0, 0, 0, 0.0, 0.9);
        g.slots[static_cast<std::size_t>(cd.de_minimis_slot)].control =
            static_cast<int>(g.controls.size());
      }
      g.controls.push_back(cd);
    }
    return g;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // A range in [lo, hi] (a best value on some), in sixteenths so midpoints are exact.
  int slot(Random& g, QuantityKind kind, int node, int group, int member, double lo, double hi) {
    Slot s{kind, node, group, member};
    int a = pick(static_cast<int>(lo * 16), static_cast<int>(hi * 16) - 1);
    int b = pick(a + 1, static_cast<int>(hi * 16));
    s.low = a / 16.0;
    s.high = b / 16.0;
    if (coin(0.4)) {
      s.best_given = true;
      s.best = pick(a, b) / 16.0;
    }
    g.slots.push_back(s);
    return static_cast<int>(g.slots.size()) - 1;
  }

  GroupDesc members(Random& g, int i, int k, int group, int self) {
    GroupDesc out;
    std::vector<int> ids;
    for (int j = 0; j < k; ++j) {
      int m = coin(0.1) ? pick(0, n_ - 1) : pick(0, i - 1);  // now and then a loop
      if (m != self && std::find(ids.begin(), ids.end(), m) == ids.end()) ids.push_back(m);
    }
    if (ids.empty()) ids.push_back(pick(0, i - 1));
    for (std::size_t pos = 0; pos < ids.size(); ++pos) {
      MemberDesc md{ids[pos], std::nullopt, -1};
      double room = 0.9 / static_cast<double>(ids.size());  // point shares sum below 1
      if (coin(0.45))
        md.slot = slot(g, QuantityKind::share, self, group, static_cast<int>(pos), 0.0, room);
      else if (coin(0.4))
        md.share = pick(1, 8) / 10.0 * room;
      out.members.push_back(md);
    }
    // A group whose every share is ranged could draw all 0; one member without a share keeps
    // the sum above 0.
    if (std::all_of(out.members.begin(), out.members.end(),
                    [](const MemberDesc& m) { return m.slot >= 0; })) {
      g.slots.pop_back();
      out.members.back().slot = -1;
    }
    return out;
  }

  std::mt19937 rng_;
  int n_ = 0;
};

std::string num(double v) { return fmt::format("{}", v); }

std::string range_text(const Slot& s) {
  if (s.best_given)
    return fmt::format("{{low: {}, high: {}, best: {}}}", num(s.low), num(s.high), num(s.best));
  return fmt::format("[{}, {}]", num(s.low), num(s.high));
}

// The graph and its scenario as YAML: ranges as ranges (`values` null), or every ranged number
// fixed at `values` (one per slot), with each sampled group's shares normalised here.
std::pair<std::string, std::string> write(const Random& g, const std::vector<double>* values) {
  auto value = [&](int slot) {
    return values ? num((*values)[static_cast<std::size_t>(slot)])
                  : range_text(g.slots[static_cast<std::size_t>(slot)]);
  };
  auto group = [&](const GroupDesc& d) {
    bool sampled = values && std::any_of(d.members.begin(), d.members.end(),
                                         [](const MemberDesc& m) { return m.slot >= 0; });
    std::vector<double> weight(d.members.size(), 0.0);
    if (sampled) {
      // Given shares keep their value; the others split what is left of 1; all over the total.
      double given = 0;
      int unshared = 0;
      for (const auto& m : d.members) {
        if (m.slot >= 0)
          given += (*values)[static_cast<std::size_t>(m.slot)];
        else if (m.share)
          given += *m.share;
        else
          ++unshared;
      }
      double rest = unshared > 0 ? std::max(0.0, 1 - given) : 0.0;
      double total = given + rest;
      for (std::size_t k = 0; k < d.members.size(); ++k) {
        const auto& m = d.members[k];
        double w = m.slot >= 0 ? (*values)[static_cast<std::size_t>(m.slot)]
                   : m.share   ? *m.share
                               : rest / unshared;
        weight[k] = w / total;
      }
    }
    std::string out = "[";
    for (std::size_t k = 0; k < d.members.size(); ++k) {
      const auto& m = d.members[k];
      if (k) out += ", ";
      if (sampled)
        out += fmt::format("{{id: n{}, share: {}}}", m.node, num(weight[k]));
      else if (m.slot >= 0)
        out += fmt::format("{{id: n{}, share: {}}}", m.node, value(m.slot));
      else if (m.share)
        out += fmt::format("{{id: n{}, share: {}}}", m.node, num(*m.share));
      else
        out += fmt::format("n{}", m.node);
    }
    return out + "]";
  };
  std::ostringstream y;
  y << "nodes:\n";
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const NodeDesc& d = g.nodes[i];
    y << "  - id: n" << i << "\n    kind: " << d.kind << "\n";
    if (!d.jurisdiction.empty()) y << "    jurisdiction: " << d.jurisdiction << "\n";
    if (d.suppliers) {
      y << "    suppliers: " << group(*d.suppliers) << "\n";
      if (d.suppliers->threshold_slot >= 0)
        y << "    min_supply: " << value(d.suppliers->threshold_slot) << "\n";
      else if (d.suppliers->threshold)
        y << "    min_supply: " << num(*d.suppliers->threshold) << "\n";
    }
    if (d.sourcing) y << "    sourcing:\n      CN: " << group(*d.sourcing) << "\n";
    if (!d.inputs.empty()) {
      y << "    inputs:\n";
      for (const auto& in : d.inputs) {
        y << "      - {any: " << group(in);
        if (in.threshold_slot >= 0) y << ", min_share: " << value(in.threshold_slot);
        y << "}\n";
      }
    }
  }
  std::size_t n = g.nodes.size();
  y << "targets: [n" << n - 1 << ", n" << n - 2 << "]\n";
  std::ostringstream s;
  s << "scenario:\n";
  if (g.removed >= 0) s << "  remove: [n" << g.removed << "]\n";
  if (!g.capacity.empty()) {
    s << "  capacity:\n";
    for (auto [node, slot] : g.capacity) s << "    n" << node << ": " << value(slot) << "\n";
  }
  s << "  controls:\n";
  for (std::size_t c = 0; c < g.controls.size(); ++c) {
    const ControlDesc& cd = g.controls[c];
    s << "    - id: c" << c << "\n      by: " << cd.by << "\n      against: " << cd.against << "\n";
    if (!cd.items.empty()) s << "      items: \"" << cd.items << "\"\n";
    s << "      fdpr: " << (cd.fdpr ? "true" : "false") << "\n";
    if (cd.de_minimis_slot >= 0) s << "      de_minimis: " << value(cd.de_minimis_slot) << "\n";
  }
  return {y.str(), s.str()};
}

// The slot of each quantity the engine found, matched by what and where it is.
std::vector<int> match_slots(const Random& g, const Model& m,
                             const std::vector<UncertainQuantity>& quantities) {
  std::vector<int> out;
  for (const auto& q : quantities) {
    int found = -1;
    for (std::size_t k = 0; k < g.slots.size(); ++k) {
      const Slot& s = g.slots[k];
      if (s.kind != q.kind) continue;
      bool same = q.kind == QuantityKind::de_minimis
                      ? static_cast<std::uint32_t>(s.control) == q.control
                      : m.nodes[q.node].id == fmt::format("n{}", s.node);
      if (q.kind == QuantityKind::share || q.kind == QuantityKind::min_share)
        same = same && s.group == q.group && static_cast<std::uint32_t>(s.member) == q.member;
      if (same) {
        EXPECT_EQ(found, -1) << "two slots match quantity " << quantity_kind_name(q.kind);
        found = static_cast<int>(k);
      }
    }
    out.push_back(found);
  }
  return out;
}

struct Evaluated {
  std::vector<double> values;  // view-major, as UncertaintyResult's entries
  std::vector<Status> statuses;
};

// Loads the graph written with `values` and evaluates it from scratch.
Evaluated evaluate_fixed(const Random& g, const std::vector<double>& values,
                         const std::vector<std::string>& views) {
  auto [yaml, text] = write(g, &values);
  auto loaded = testing::load_text(yaml);
  EXPECT_TRUE(loaded->model.has_value()) << loaded->printed() << yaml;
  const Model& m = *loaded->model;
  Scenario s = scenario_from(m, text);
  ViewRequest request;
  for (const auto& v : views) request.also.push_back(*perspective_of(m, v));
  CapacityEngine engine(m);
  auto baseline = engine.evaluate(CapacityInputs(m.nodes.size()));
  ScenarioResult r = evaluate_scenario(engine, s, request);
  Evaluated out;
  for (std::size_t v = 0; v <= r.views.size(); ++v)
    for (NodeIndex t : m.targets) {
      double x = v == 0 ? r.world[t] : r.views[v - 1].cap[t];
      out.values.push_back(x);
      out.statuses.push_back(status_of(x, baseline[t]));
    }
  return out;
}

class TornadoBruteForceTest : public ::testing::TestWithParam<int> {};

TEST_P(TornadoBruteForceTest, SwingsAgreeWithGraphsLoadedWithEachNumberFixed) {
  Generator gen(static_cast<unsigned>(GetParam()) * 2654435761u);
  Random g = gen.graph();
  auto [yaml, text] = write(g, nullptr);
  auto loaded = testing::load_text(yaml);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << yaml;
  const Model& m = *loaded->model;
  Scenario s = scenario_from(m, text);
  std::vector<std::string> views{"US"};
  auto o = options(0);
  o.views = {*perspective_of(m, "US")};
  o.tornado_size = 1000;
  auto r = analyze_uncertainty(m, s, o);
  auto slots = match_slots(g, m, r.quantities);
  ASSERT_EQ(r.quantities.size(), g.slots.size()) << yaml << text;
  std::vector<double> points;
  for (const auto& sl : g.slots) points.push_back(sl.point());
  Evaluated point = evaluate_fixed(g, points, views);
  ASSERT_EQ(point.values.size(), r.entries.size());
  for (std::size_t e = 0; e < r.entries.size(); ++e)
    EXPECT_NEAR(r.entries[e].band.point, point.values[e], 1e-9) << yaml << text;
  for (std::size_t q = 0; q < r.quantities.size(); ++q) {
    ASSERT_GE(slots[q], 0) << r.labels[q] << "\n" << yaml << text;
    for (bool high : {false, true}) {
      std::vector<double> values = points;
      const Slot& sl = g.slots[static_cast<std::size_t>(slots[q])];
      values[static_cast<std::size_t>(slots[q])] = high ? sl.high : sl.low;
      Evaluated ex = evaluate_fixed(g, values, views);
      const auto& got = high ? r.at_high[q] : r.at_low[q];
      for (std::size_t e = 0; e < r.entries.size(); ++e)
        EXPECT_NEAR(got[e], ex.values[e], 1e-9)
            << r.labels[q] << (high ? " high" : " low") << " entry " << e << "\n"
            << yaml << text;
    }
  }
  // Each entry's tornado: the swings of the whole table above 1e-9, largest first.
  for (std::size_t e = 0; e < r.entries.size(); ++e) {
    std::vector<std::pair<double, std::uint32_t>> expected;
    for (std::uint32_t q = 0; q < r.quantities.size(); ++q) {
      double lo = r.at_low[q][e], hi = r.at_high[q][e], p = r.entries[e].band.point;
      double swing = std::max({lo, hi, p}) - std::min({lo, hi, p});
      if (swing > 1e-9) expected.emplace_back(-swing, q);
    }
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(r.entries[e].tornado.size(), expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) {
      EXPECT_EQ(r.entries[e].tornado[k].quantity, expected[k].second);
      EXPECT_EQ(r.entries[e].tornado[k].swing, -expected[k].first);
    }
  }
}

// Seeds 1-100, and seeds beyond where a control's de minimis decides an FDPR denial (it rarely
// does on a random graph: the fall must be partial and reach a target).
std::vector<int> tornado_seeds() {
  std::vector<int> seeds;
  for (int seed = 1; seed <= 100; ++seed) seeds.push_back(seed);
  for (int seed : {203, 297, 556, 636, 776, 823, 845, 904, 965}) seeds.push_back(seed);
  return seeds;
}

INSTANTIATE_TEST_SUITE_P(Seeds, TornadoBruteForceTest, ::testing::ValuesIn(tornado_seeds()));

// The seeds do exercise every kind of quantity, each moving some target.
TEST(TornadoBruteForceCoverage, EveryKindMovesSomeTarget) {
  std::map<std::string, int> moving;
  for (int seed : tornado_seeds()) {
    Generator gen(static_cast<unsigned>(seed) * 2654435761u);
    Random g = gen.graph();
    auto [yaml, text] = write(g, nullptr);
    Model m = must_load(yaml);
    auto r = analyze_uncertainty(m, scenario_from(m, text), options(0));
    for (const auto& e : r.entries)
      for (const auto& sw : e.tornado)
        ++moving[std::string(quantity_kind_name(r.quantities[sw.quantity].kind))];
  }
  for (const char* kind : {"share", "min_share", "min_supply", "capacity_factor"})
    EXPECT_GT(moving[kind], 10) << kind;
  EXPECT_GT(moving["de_minimis"], 8);
}

// A slow sampler: its own random draws (std::mt19937_64, std distributions), each sample written
// out and loaded from scratch. The engine's percentiles must sit where the reference's
// distribution puts them, within sampling error: with n = 4000 and m = 1000 samples, the two
// empirical distributions differ by more than 0.07 anywhere with probability below 0.002
// (Dvoretzky–Kiefer–Wolfowitz); the seeds are fixed, so the test is deterministic.
class MonteCarloReferenceTest : public ::testing::TestWithParam<int> {};

TEST_P(MonteCarloReferenceTest, PercentilesAgreeWithASlowSampler) {
  Generator gen(static_cast<unsigned>(GetParam()) * 40503u);
  Random g = gen.graph();
  auto [yaml, text] = write(g, nullptr);
  Model m = must_load(yaml);
  Scenario s = scenario_from(m, text);
  auto r = analyze_uncertainty(m, s, options(4000, 1234));
  auto slots = match_slots(g, m, r.quantities);

  std::mt19937_64 rng(static_cast<unsigned>(GetParam()));
  const int kReference = 1000;
  std::vector<std::vector<double>> ref(r.entries.size());
  std::vector<int> lost(r.entries.size(), 0);
  for (int i = 0; i < kReference; ++i) {
    std::vector<double> values;
    for (const Slot& sl : g.slots) {
      if (sl.high == sl.low) {
        values.push_back(sl.low);
      } else if (!sl.best_given) {
        values.push_back(std::uniform_real_distribution<double>(sl.low, sl.high)(rng));
      } else {
        std::vector<double> at{sl.low, sl.best, sl.high}, density{0, 1, 0};
        if (sl.best == sl.low || sl.best == sl.high) {
          at = {sl.low, sl.high};
          density = {sl.best == sl.low ? 1.0 : 0.0, sl.best == sl.low ? 0.0 : 1.0};
        }
        values.push_back(
            std::piecewise_linear_distribution<double>(at.begin(), at.end(), density.begin())(rng));
      }
    }
    Evaluated ex = evaluate_fixed(g, values, {});
    for (std::size_t e = 0; e < r.entries.size(); ++e) {
      ref[e].push_back(ex.values[e]);
      lost[e] += ex.statuses[e] == Status::lost;
    }
  }
  const double eps = 0.07;
  for (std::size_t e = 0; e < r.entries.size(); ++e) {
    const Band& b = r.entries[e].band;
    auto below = [&](double x, bool strictly) {
      double c = 0;
      for (double v : ref[e]) c += strictly ? v < x - 1e-12 : v <= x + 1e-12;
      return c / kReference;
    };
    for (auto [p, x] : {std::pair{0.05, b.p5}, std::pair{0.5, b.p50}, std::pair{0.95, b.p95}}) {
      EXPECT_GE(below(x, false), p - eps) << "P" << p * 100 << " entry " << e << "\n"
                                          << yaml << text;
      EXPECT_LE(below(x, true), p + eps) << "P" << p * 100 << " entry " << e << "\n"
                                         << yaml << text;
    }
    EXPECT_NEAR(b.p_lost, lost[e] / static_cast<double>(kReference), eps) << yaml << text;
    double mean = 0;
    for (double v : ref[e]) mean += v / kReference;
    EXPECT_NEAR(b.mean, mean, 0.05) << yaml << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, MonteCarloReferenceTest, ::testing::Values(3, 5, 8, 13));

// ---- coalitions over samples ----

// t (CN) keeps JP's share of x, 1 minus US's share s, uniform on [0.4, 0.6]. A US control wins
// below 0.55 at the point (0.5) and in a sample exactly when 1 - s < 0.55: counted here from
// the sample's own draws, the engine's share must be that count, whatever the thread count.
TEST(CoalitionSamples, WinSharesCountTheSamplesInWhichEachCoalitionWins) {
  Model m = must_load(R"(
nodes:
  - {id: us, kind: firm, jurisdiction: US}
  - {id: jp, kind: firm, jurisdiction: JP}
  - {id: x, kind: material, suppliers: [{id: us, share: [0.4, 0.6]}, jp]}
  - {id: t, kind: capability, jurisdiction: CN, inputs: [x], target: true}
)");
  CoalitionOptions o;
  o.against = "CN";
  o.below = 0.55;
  CoalitionResult r = coalitions(m, Scenario{}, o);
  ASSERT_EQ(r.targets.size(), 1u);
  ASSERT_EQ(r.targets[0].minimal.size(), 2u);  // {JP} leaves 0.5 too; {US} leaves 0.5
  SampleOptions sampling;
  sampling.samples = 4000;
  sampling.seed = 3;
  auto quantities = uncertain_quantities(m, Scenario{});
  ASSERT_EQ(quantities.size(), 1u);
  std::size_t us_wins = 0, jp_wins = 0;
  for (std::size_t i = 0; i < sampling.samples; ++i) {
    double share = draw_sample(quantities, sampling.seed, i)[0];
    us_wins += 1 - share < 0.55 - 1e-12;
    jp_wins += share < 0.55 - 1e-12;
  }
  for (unsigned threads : {1u, 2u, 3u}) {
    sampling.threads = threads;
    CoalitionResult sampled = r;
    coalition_win_shares(m, Scenario{}, o, sampling, sampled);
    EXPECT_EQ(sampled.win_samples, 4000u);
    EXPECT_EQ(sampled.win_seed, 3u);
    const auto& t = sampled.targets[0];
    ASSERT_EQ(t.win_share.size(), 2u);
    std::vector<std::string> first;
    for (auto j : t.minimal[0]) first.emplace_back(m.jurisdiction_code(j));
    ASSERT_EQ(first, std::vector<std::string>{"JP"});
    EXPECT_EQ(t.win_share[0], static_cast<double>(jp_wins) / 4000) << threads;
    EXPECT_EQ(t.win_share[1], static_cast<double>(us_wins) / 4000) << threads;
  }
  // Uniform s: US wins when s > 0.45 (three samples in four), JP when s < 0.55.
  EXPECT_NEAR(static_cast<double>(us_wins) / 4000, 0.75, 0.03);
  EXPECT_NEAR(static_cast<double>(jp_wins) / 4000, 0.75, 0.03);
}

}  // namespace
}  // namespace chokepoint
