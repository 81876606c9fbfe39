// Capacity: the worked examples of removals, thresholds and loops by hand (docs/analysis.md),
// loops solved exactly, and single removals against full evaluations on one and two threads.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/metrics.hpp"
#include "graph/analysis/views.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/analysis_fixtures.hpp"
#include "tests/reference.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using namespace testing;

TEST(ExampleA, RemovingSkHynixHalvesHbmAndDegradesGpu) {
  Model m = must_load(kExampleA);
  auto a = analyze(m, scenario_from(m, "scenario: {remove: [skh]}"), no_extras());
  EXPECT_DOUBLE_EQ(cap_of(m, a, "hbm"), 0.5);
  EXPECT_DOUBLE_EQ(cap_of(m, a, "gpu"), 0.5);
  EXPECT_EQ(a.targets[0].status, Status::degraded);
}

TEST(ExampleA, RemovingTsmcLosesGpu) {
  Model m = must_load(kExampleA);
  auto a = analyze(m, scenario_from(m, "scenario: {remove: [tsmc]}"), no_extras());
  EXPECT_EQ(cap_of(m, a, "gpu"), 0.0);
  EXPECT_EQ(a.targets[0].status, Status::lost);
}

TEST(ExampleA, RemovingKoreaLeavesMicron) {
  Model m = must_load(kExampleA);
  auto a = analyze(m, scenario_from(m, "scenario: {remove_jurisdictions: [KR]}"), no_extras());
  EXPECT_NEAR(cap_of(m, a, "hbm"), 0.1, 1e-15);
  EXPECT_NEAR(cap_of(m, a, "gpu"), 0.1, 1e-15);
}

TEST(ExampleB, ThresholdLosesTheNode) {
  Model m = must_load(
      "nodes:\n  - {id: a, kind: firm}\n  - {id: b, kind: firm}\n"
      "  - {id: t, kind: chip, target: true, inputs: [{any: [a, b], min_share: 0.6}]}\n");
  auto a = analyze(m, scenario_from(m, "scenario: {remove: [a]}"), no_extras());
  EXPECT_EQ(cap_of(m, a, "t"), 0.0);
  EXPECT_EQ(a.targets[0].status, Status::lost);
}

const char* kExampleC = R"(
nodes:
  - {id: vendor, kind: firm, jurisdiction: NL}
  - {id: tools, kind: equipment, suppliers: [{id: vendor, share: 0.6}, {id: fab, share: 0.4}]}
  - {id: fab, kind: foundry, jurisdiction: TW, target: true, inputs: [tools]}
)";

TEST(ExampleC, CycleBaselineIsOne) {
  Model m = must_load(kExampleC);
  auto a = analyze(m, std::nullopt, no_extras());
  EXPECT_EQ(cap_of(m, a, "fab"), 1.0);
  EXPECT_EQ(cap_of(m, a, "tools"), 1.0);
}

TEST(ExampleC, HalvedVendorGivesOneHalf) {
  Model m = must_load(kExampleC);
  auto a = analyze(m, scenario_from(m, "scenario: {capacity: {vendor: 0.5}}"), no_extras());
  EXPECT_NEAR(cap_of(m, a, "tools"), 0.5, 1e-12);
  EXPECT_NEAR(cap_of(m, a, "fab"), 0.5, 1e-12);
}

TEST(ExampleC, RemovedVendorDecaysToZero) {
  Model m = must_load(kExampleC);
  auto a = analyze(m, scenario_from(m, "scenario: {remove: [vendor]}"), no_extras());
  EXPECT_EQ(cap_of(m, a, "tools"), 0.0);
  EXPECT_EQ(cap_of(m, a, "fab"), 0.0);
  EXPECT_EQ(a.targets[0].status, Status::lost);
}

// A loop that keeps almost all of its own supply: tools = 1e-6 * vendor + 0.999999 * fab,
// fab = tools. Iterating until steps look small stops early; the exact answer is vendor's factor.
TEST(ExactLoops, WeightCloseToOneIsSolvedExactly) {
  Model m = must_load(R"(
nodes:
  - {id: vendor, kind: firm}
  - {id: tools, kind: equipment, suppliers: [{id: vendor, share: 0.000001}, {id: fab, share: 0.999999}]}
  - {id: fab, kind: foundry, target: true, inputs: [tools]}
  - {id: user, kind: capability, target: true, inputs: [fab]}
)");
  auto a = analyze(m, scenario_from(m, "scenario: {capacity: {vendor: 0.3}}"), AnalysisOptions{});
  // 0.999999 is not exact in binary; the loop amplifies its rounding by 1e6, to about 1e-11.
  EXPECT_NEAR(cap_of(m, a, "tools"), 0.3, 1e-10);
  EXPECT_NEAR(cap_of(m, a, "user"), 0.3, 1e-10);
  EXPECT_FALSE(a.capacity_budget_hit);
  // Impact of vendor on the other target (user): 1 in the baseline world.
  auto b = analyze(m, std::nullopt, AnalysisOptions{});
  EXPECT_NEAR(b.metrics.nodes[*m.find("vendor")].impact, 2.0, 1e-12);
  EXPECT_NEAR(b.metrics.nodes[*m.find("fab")].impact, 1.0, 1e-12);
}

// The same loop behind a threshold and a min: the requirement {any: [tools, alt], min_share: 0.4}
// holds while tools + alt supply at least 0.4.
TEST(ExactLoops, ThresholdInsideASlowLoop) {
  Model m = must_load(R"(
nodes:
  - {id: vendor, kind: firm}
  - {id: alt, kind: firm}
  - {id: tools, kind: equipment, suppliers: [{id: vendor, share: 0.000001}, {id: fab, share: 0.999999}]}
  - id: fab
    kind: foundry
    target: true
    inputs: [{any: [{id: tools, share: 0.5}, {id: alt, share: 0.5}], min_share: 0.4}]
)");
  // Without alt, fab needs tools >= 0.8; tools = 1e-6 v + 0.999999 * 0.5 tools decays to ~2e-6 v.
  auto a = analyze(m, scenario_from(m, "scenario: {remove: [alt]}"), no_extras());
  EXPECT_EQ(cap_of(m, a, "fab"), 0.0);
  // With alt, fab = 0.5 tools + 0.5 and tools = 1e-6 + 0.999999 fab: fab = tools = 1.
  auto b = analyze(m, scenario_from(m, "scenario: {capacity: {vendor: 0.5}}"), no_extras());
  // tools = 0.5e-6 + 0.999999 (0.5 tools + 0.5)  =>  tools (1 - 0.4999995) = 0.5e-6 + 0.4999995
  double tools = (0.5e-6 + 0.4999995) / (1 - 0.4999995);
  EXPECT_NEAR(cap_of(m, b, "tools"), tools, 1e-10);
  EXPECT_NEAR(cap_of(m, b, "fab"), 0.5 * tools + 0.5, 1e-10);
}

// Single removals split over two threads give exactly what one thread gives (rows are stored by
// node; each worker has its own engine and state). 3,000 nodes: above the threshold for threads.
TEST(Parallel, SingleRemovalEffectsDoNotDependOnTheThreadCount) {
  std::mt19937 rng(7);
  std::string yaml = "nodes:\n";
  const int n = 3000;
  for (int i = 0; i < n; ++i) {
    yaml += fmt::format("  - {{id: n{}, kind: material", i);
    if (i >= 10) {
      std::uniform_int_distribution<int> pick(0, i - 1);
      int a = pick(rng), b = pick(rng);
      if (a == b) b = (b + 1) % i;
      yaml += fmt::format(", suppliers: [{{id: n{}, share: 0.7}}, {{id: n{}, share: 0.3}}]", a, b);
      if (i % 3 == 0) yaml += fmt::format(", inputs: [n{}]", pick(rng));
    }
    if (i >= n - 5) yaml += ", target: true";
    yaml += "}\n";
  }
  Model m = must_load(yaml);
  CapacityInputs world(m.nodes.size());
  auto cap = CapacityEngine(m).evaluate(world);
  setenv("CHOKEPOINT_THREADS", "1", 1);
  auto one = single_removal_effects(m, world, cap);
  setenv("CHOKEPOINT_THREADS", "2", 1);
  auto two = single_removal_effects(m, world, cap);
  unsetenv("CHOKEPOINT_THREADS");
  ASSERT_EQ(one.size(), two.size());
  for (NodeIndex i = 0; i < one.size(); ++i)
    EXPECT_TRUE(std::ranges::equal(one[i], two[i])) << m.nodes[i].id;
  std::size_t hurting = 0;
  for (std::size_t i = 0; i < one.size(); ++i)
    for (std::size_t k = 0; k < one[i].size(); ++k) hurting += one[i][k] < cap[m.targets[k]] - 1e-9;
  EXPECT_GT(hurting, 100u);  // the graph is connected enough for removals to matter
}

// Single removals on a chain copy a node's row from its only dependent when that dependent is
// lost without it; every row must still equal a full evaluation with the node removed,
// including where the shortcut must not apply (a second supplier, a threshold still met).
TEST(SingleRemovals, ShortcutRowsEqualFullEvaluations) {
  Model m = must_load(R"(
nodes:
  - {id: a, kind: material}
  - {id: b, kind: material, inputs: [a]}
  - {id: c, kind: material, inputs: [b]}
  - {id: s1, kind: firm}
  - {id: s2, kind: firm}
  - {id: d, kind: material, suppliers: [{id: s1, share: 0.7}, {id: s2, share: 0.3}], inputs: [c]}
  - {id: e, kind: material}
  - {id: f, kind: material}
  - id: g
    kind: material
    inputs: [d, {any: [{id: e, share: 0.8}, {id: f, share: 0.2}], min_share: 0.5}]
  - {id: t, kind: capability, target: true, inputs: [g]}
  - {id: u, kind: capability, target: true, inputs: [{any: [c, f]}]}
)");
  CapacityInputs world(m.nodes.size());
  CapacityEngine engine(m);
  auto cap = engine.evaluate(world);
  auto effects = single_removal_effects(m, world, cap);
  for (NodeIndex i = 0; i < m.nodes.size(); ++i) {
    CapacityInputs removed = world;
    removed.factor[i] = 0;
    auto after = engine.evaluate(removed);
    ASSERT_EQ(effects[i].size(), m.targets.size()) << m.nodes[i].id;
    for (std::size_t k = 0; k < m.targets.size(); ++k)
      EXPECT_NEAR(effects[i][k], after[m.targets[k]], 1e-12)
          << m.nodes[i].id << " -> " << m.nodes[m.targets[k]].id;
  }
}

}  // namespace
}  // namespace chokepoint
