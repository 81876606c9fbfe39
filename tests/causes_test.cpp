// Causes of loss: restoring each reduced node alone says what recovers a target.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

// A cause short of the whole loss says what then holds the target: `ai` needs compute and data;
// removing gpu-b halves compute and removing books takes a quarter of data. Restoring compute (or
// gpu-b) gives back 25 points and data then holds the target at 75 %; restoring data (or books)
// gives back nothing (compute binds at 50 %), so it is no cause. A cause that recovers everything
// has no holder.
TEST(Causes, ACauseShortOfTheWholeLossSaysWhatThenHoldsTheTarget) {
  const char* graph = R"(
nodes:
  - {id: gpu-a, kind: firm, jurisdiction: US}
  - {id: gpu-b, kind: firm, jurisdiction: TW}
  - {id: web, kind: firm, jurisdiction: US}
  - {id: books, kind: firm, jurisdiction: TW}
  - {id: compute, kind: chip, suppliers: [{id: gpu-a, share: 0.5}, {id: gpu-b, share: 0.5}]}
  - {id: data, kind: data, suppliers: [{id: web, share: 0.75}, {id: books, share: 0.25}]}
  - {id: ai, kind: capability, target: true, inputs: [compute, data]}
)";
  Model m = must_load(graph);
  Analysis a =
      analyze(m, scenario_from(m, "scenario: {remove: [gpu-b, books]}"), AnalysisOptions{});
  ASSERT_EQ(a.causes.targets.size(), 1u);
  const TargetCauses& tc = a.causes.targets[0];
  EXPECT_NEAR(a.world[tc.target], 0.5, 1e-12);
  ASSERT_EQ(tc.causes.size(), 2u);
  EXPECT_EQ(m.nodes[tc.causes[0].node].id, "compute");
  EXPECT_EQ(m.nodes[tc.causes[1].node].id, "gpu-b");
  EXPECT_NEAR(tc.causes[0].recovered, 0.25, 1e-12);
  ASSERT_NE(tc.causes[0].held_by, Cause::kNone);
  EXPECT_EQ(m.nodes[tc.causes[0].held_by].id, "data");
  EXPECT_NEAR(tc.causes[0].held_at, 0.75, 1e-12);
  // The report says it beside the first cause.
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_held_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "g.yaml") << graph;
  std::ofstream(dir / "s.yaml") << "scenario: {remove: [gpu-b, books]}\n";
  std::string out, err;
  ASSERT_EQ(run_cli("whatif " + (dir / "g.yaml").string() + " -s " + (dir / "s.yaml").string(),
                    &out, &err),
            0)
      << err;
  std::filesystem::remove_all(dir);
  EXPECT_NE(out.find("`compute` +25 points (then `data` holds it at 75 %)"), std::string::npos)
      << out;
  // Taiwan's GPUs alone: restoring compute recovers all; no holder.
  Analysis b = analyze(m, scenario_from(m, "scenario: {remove: [gpu-b]}"), AnalysisOptions{});
  ASSERT_EQ(b.causes.targets.size(), 1u);
  ASSERT_FALSE(b.causes.targets[0].causes.empty());
  EXPECT_EQ(b.causes.targets[0].causes[0].held_by, Cause::kNone);
}

TEST(Causes, ControlsBehindTheLossAreWhatLiftingEachAloneGivesBack) {
  // China's target needs `chip`: 0.6 from a US fab, 0.4 from a Dutch one. Each country controls
  // its own fab's chips; lifting the US control alone gives back 0.6 (60 % of the loss), the
  // Dutch 0.4.
  const char* graph = R"(
nodes:
  - {id: us-fab, kind: firm, jurisdiction: US}
  - {id: nl-fab, kind: firm, jurisdiction: NL}
  - {id: chip, kind: chip, suppliers: [{id: us-fab, share: 0.6}, {id: nl-fab, share: 0.4}]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
)";
  Model m = must_load(graph);
  Analysis a = analyze(m, scenario_from(m, R"(
scenario:
  controls:
    - {id: c-us, by: [US], against: [CN], items: "id == 'chip'"}
    - {id: c-nl, by: [NL], against: [CN], items: "id == 'chip'"}
)"),
                       AnalysisOptions{});
  ASSERT_EQ(a.causes.targets.size(), 1u);
  const TargetCauses& tc = a.causes.targets[0];
  EXPECT_EQ(m.nodes[tc.target].id, "cn-ai");
  EXPECT_EQ(a.views[tc.view].cap[tc.target], 0.0);
  ASSERT_EQ(tc.controls.size(), 2u);
  EXPECT_EQ(a.scenario.controls[tc.controls[0].first].id, "c-us");
  EXPECT_NEAR(tc.controls[0].second, 0.6, 1e-12);
  EXPECT_EQ(a.scenario.controls[tc.controls[1].first].id, "c-nl");
  EXPECT_NEAR(tc.controls[1].second, 0.4, 1e-12);
  // A third control by both on the same chips: no control alone is behind the loss any more.
  Analysis both = analyze(m, scenario_from(m, R"(
scenario:
  controls:
    - {id: c-us, by: [US], against: [CN], items: "id == 'chip'"}
    - {id: c-nl, by: [NL], against: [CN], items: "id == 'chip'"}
    - {id: c-both, by: [US, NL], against: [CN], items: "id == 'chip'"}
)"),
                          AnalysisOptions{});
  ASSERT_EQ(both.causes.targets.size(), 1u);
  EXPECT_TRUE(both.causes.targets[0].controls.empty());
}

}  // namespace
}  // namespace chokepoint
