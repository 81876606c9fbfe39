// Leverage: each node's and jurisdiction's loss to each side, by hand.
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

const char* kLeverage = R"(
nodes:
  - {id: us-fab, kind: firm, jurisdiction: US}
  - {id: cn-mine, kind: firm, jurisdiction: CN}
  - {id: jp-mine, kind: firm, jurisdiction: JP}
  - {id: chip, kind: chip, suppliers: [us-fab]}
  - {id: gallium, kind: material, suppliers: [{id: cn-mine, share: 0.8}, {id: jp-mine, share: 0.2}]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [chip, gallium]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
)";

TEST(Leverage, PerNodeAndPerJurisdictionByHand) {
  Model m = testing::must_load(kLeverage);
  AnalysisOptions o;
  o.decouple = std::pair<std::string, std::string>{"US", "CN"};
  auto a = analyze(m, std::nullopt, o);
  ASSERT_TRUE(a.leverage.has_value());
  const auto& r = *a.leverage;
  auto node = [&](const char* id) { return r.nodes[*m.find(id)]; };
  EXPECT_DOUBLE_EQ(node("us-fab").on_a, 1.0);  // chip gone: both targets lost
  EXPECT_DOUBLE_EQ(node("us-fab").on_b, 1.0);
  EXPECT_NEAR(node("cn-mine").on_a, 0.8, 1e-12);  // gallium 0.2 leaves us-ai at 0.2
  EXPECT_DOUBLE_EQ(node("cn-mine").on_b, 0.0);
  EXPECT_NEAR(node("jp-mine").on_a, 0.2, 1e-12);
  EXPECT_EQ(r.side_of(m, *m.find("cn-mine")), 1);
  EXPECT_EQ(r.side_of(m, *m.find("jp-mine")), -1);
  std::map<std::string, SideImpact> codes;
  for (const auto& [j, s] : r.jurisdictions) codes[std::string(m.jurisdiction_code(j))] = s;
  // Removing the US takes us-fab (and its own target, not counted): China's target is lost.
  EXPECT_DOUBLE_EQ(codes["US"].on_a, 0.0);
  EXPECT_DOUBLE_EQ(codes["US"].on_b, 1.0);
  EXPECT_NEAR(codes["CN"].on_a, 0.8, 1e-12);
  EXPECT_NEAR(codes["JP"].on_a, 0.2, 1e-12);
}

}  // namespace
}  // namespace chokepoint
