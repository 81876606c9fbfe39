// Ranking removals: order of ties and the split of impact between two sides.
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

TEST(Rank, TiesGoToMoreTargetsLostThenLongerSubstitutionAndSidesSplitTheImpact) {
  Model m = must_load(R"(
nodes:
  - {id: a, kind: material, substitution_years: 2}
  - {id: b, kind: material, substitution_years: 9}
  - {id: c, kind: material}
  - {id: x, kind: capability, jurisdiction: US, target: true, inputs: [a, b, {any: [c, b]}]}
  - {id: y, kind: capability, jurisdiction: CN, target: true, inputs: [{any: [c, a]}]}
)");
  CapacityInputs world(m.nodes.size());
  auto cap = CapacityEngine(m).evaluate(world);
  RankSides sides{"US", "CN", {*m.find_jurisdiction("US")}, {*m.find_jurisdiction("CN")}};
  std::sort(sides.a.begin(), sides.a.end());
  std::sort(sides.b.begin(), sides.b.end());
  auto ranking = rank_removals(m, world, cap, 1, nullptr, nullptr, &sides);
  std::vector<std::string> order;
  for (const auto& r : ranking) order.push_back(m.nodes[r.removed[0]].id);
  // a: x lost (1) and y halved (0.5), impact 1.5. b: x lost, impact 1. c: x 0.5, y 0.5, impact 1.
  // b and c tie at 1; b loses a target, c none.
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "x", "y"}));
  EXPECT_NEAR(ranking[0].on_a, 1.0, 1e-12);
  EXPECT_NEAR(ranking[0].on_b, 0.5, 1e-12);
  EXPECT_EQ(ranking[1].substitution_years, std::optional<double>(9));
  EXPECT_NEAR(ranking[2].worst, 0.5, 1e-12);
  // Without the target counts differing, the longer substitution goes first.
  Model m2 = must_load(R"(
nodes:
  - {id: a, kind: material, substitution_years: 2}
  - {id: b, kind: material, substitution_years: 9}
  - {id: x, kind: capability, target: true, inputs: [a, b]}
)");
  CapacityInputs world2(m2.nodes.size());
  auto cap2 = CapacityEngine(m2).evaluate(world2);
  auto r2 = rank_removals(m2, world2, cap2, 1);
  EXPECT_EQ(m2.nodes[r2[0].removed[0]].id, "b");
  EXPECT_EQ(m2.nodes[r2[1].removed[0]].id, "a");
}

TEST(Rank, SingleRemovalsByImpact) {
  Model m = must_load(kExampleA);
  CapacityInputs world(m.nodes.size());
  CapacityEngine engine(m);
  auto cap = engine.evaluate(world);
  auto ranking = rank_removals(m, world, cap, 1);
  std::vector<std::string> order;
  for (const auto& r : ranking) order.push_back(m.nodes[r.removed[0]].id);
  // Ties at impact 1 (one target lost, worst loss 1, no substitution years) go by supplier HHI:
  // n4 has one supplier (1), hbm 0.5^2 + 0.4^2 + 0.1^2 = 0.42, tsmc none (0). The target itself
  // is listed with impact 0.
  EXPECT_EQ(order,
            (std::vector<std::string>{"n4", "hbm", "tsmc", "skh", "samsung", "micron", "gpu"}));
  EXPECT_NEAR(ranking[1].concentration, 0.42, 1e-12);
  EXPECT_NEAR(ranking[3].impact, 0.5, 1e-12);
  auto pairs = rank_removals(m, world, cap, 2);
  EXPECT_EQ(pairs.size(), 21u);
  // Impact 1, then the pairs holding n4 (HHI 1), then by ids.
  EXPECT_EQ(m.nodes[pairs.front().removed[0]].id, "hbm");
  EXPECT_EQ(m.nodes[pairs.front().removed[1]].id, "n4");
  EXPECT_EQ(pairs.back().impact, 0.0);  // pairs with the target itself cost the others nothing
  EXPECT_EQ(m.nodes[pairs.back().removed[0]].id, "gpu");
}

}  // namespace
}  // namespace chokepoint
