// Causes of loss: restoring each reduced node alone says what recovers a target.
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

TEST(Causes, RestoringEachReducedNodeAloneSaysWhatRecoversTheTarget) {
  // Example E without FDPR: in CN's view tools are 0, CXMT's HBM pair 0, hbm 0.5, cn-ai 0.5.
  // Restoring tools brings CXMT back (+0.5); restoring hbm itself gives +0.5; restoring us-tools
  // gives nothing (its pair into tools is still denied).
  Model m = must_load(kExampleE);
  Analysis a = analyze(m, scenario_from(m, "scenario: {controls: [{by: [US], against: [CN]}]}"),
                       AnalysisOptions{});
  ASSERT_EQ(a.causes.targets.size(), 1u);  // the world loses nothing
  const TargetCauses& tc = a.causes.targets[0];
  EXPECT_EQ(tc.view, 0u);
  EXPECT_EQ(m.nodes[tc.target].id, "cn-ai");
  ASSERT_EQ(tc.causes.size(), 2u);
  EXPECT_EQ(m.nodes[tc.causes[0].node].id, "hbm");
  EXPECT_NEAR(tc.causes[0].recovered, 0.5, 1e-12);
  EXPECT_EQ(m.nodes[tc.causes[1].node].id, "tools");
  EXPECT_NEAR(tc.causes[1].recovered, 0.5, 1e-12);
}

}  // namespace
}  // namespace chokepoint
