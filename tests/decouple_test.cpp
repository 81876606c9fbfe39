// Decoupling: substitution sets and the years to substitute, by hand.
#include "graph/analysis/decouple.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/metrics.hpp"
#include "graph/analysis/views.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/analysis_fixtures.hpp"
#include "tests/reference.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using namespace testing;

TEST(Decouple, SubstitutionSetsAndYears) {
  Model m = must_load(R"(
nodes:
  - {id: asml, kind: firm, jurisdiction: NL}
  - {id: euv, kind: lithography, jurisdiction: NL, suppliers: [asml], substitution_years: 12}
  - {id: resist, kind: material, jurisdiction: JP, substitution_years: 3}
  - {id: cn-fab, kind: foundry, jurisdiction: CN, inputs: [euv, resist]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [cn-fab]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [euv]}
blocs:
  west: [NL, JP, US]
)");
  DecoupleOptions o;
  auto r = decouple(m, Scenario{}, "west", "CN", o);
  ASSERT_EQ(r.b.targets.size(), 1u);
  const auto& cn = r.b.targets[0];
  EXPECT_EQ(m.nodes[cn.target].id, "cn-ai");
  EXPECT_EQ(cn.status, Status::lost);
  // cn-fab is lost in CN's view too, and substituting it alone (as if China built the fab with
  // world inputs) restores the target; euv and resist are needed together otherwise.
  std::vector<std::vector<std::string>> sets;
  for (const auto& s : cn.sets) {
    std::vector<std::string> ids;
    for (auto n : s) ids.push_back(m.nodes[n].id);
    sets.push_back(ids);
  }
  EXPECT_EQ(sets, (std::vector<std::vector<std::string>>{{"cn-fab"}, {"euv", "resist"}}));
  // cn-fab has no substitution_years; {euv, resist} takes max(12, 3) years.
  ASSERT_TRUE(cn.years_to_substitute.has_value());
  EXPECT_EQ(*cn.years_to_substitute, 12.0);
  ASSERT_EQ(r.a.targets.size(), 1u);
  EXPECT_EQ(r.a.targets[0].status, Status::ok);
}

// A target below 10 % of its capacity is nearly lost: it gets the sets that bring it back above
// 10 %, each member lost or below 10 % of its own world value. China's chips are 95 % Dutch and
// 5 % its own: decoupled, chip and cn-ai are at 5 %; the chip alone, built (4 years), brings
// cn-ai back; the Chinese fab (at its world value) is no member. At 20 % Chinese the target is
// merely degraded: no sets.
TEST(Decouple, ANearlyLostTargetGetsSubstitutionSetsLikeALostOne) {
  auto run = [](const char* cn_share, const char* nl_share) {
    Model m = must_load(fmt::format(R"(
nodes:
  - {{id: nl-fab, kind: firm, jurisdiction: NL}}
  - {{id: cn-fab, kind: firm, jurisdiction: CN}}
  - {{id: chip, kind: chip, suppliers: [{{id: nl-fab, share: {}}}, {{id: cn-fab, share: {}}}], substitution_years: 4}}
  - {{id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}}
)",
                                    nl_share, cn_share));
    auto r = decouple(m, Scenario{}, "NL", "CN", DecoupleOptions{});
    EXPECT_EQ(r.b.targets.size(), 1u);
    std::vector<std::vector<std::string>> sets;
    for (const auto& s : r.b.targets.at(0).sets) {
      std::vector<std::string> ids;
      for (auto n : s) ids.push_back(m.nodes[n].id);
      sets.push_back(ids);
    }
    return std::tuple{r.b.targets.at(0), sets};
  };
  auto [nearly, sets] = run("0.05", "0.95");
  EXPECT_EQ(nearly.status, Status::degraded);
  EXPECT_NEAR(nearly.capacity, 0.05, 1e-12);
  EXPECT_TRUE(nearly.nearly_lost);
  EXPECT_EQ(sets, (std::vector<std::vector<std::string>>{{"chip"}}));
  ASSERT_TRUE(nearly.years_to_substitute.has_value());
  EXPECT_EQ(*nearly.years_to_substitute, 4.0);
  auto [degraded, none] = run("0.2", "0.8");
  EXPECT_FALSE(degraded.nearly_lost);
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(degraded.years_to_substitute.has_value());
}

}  // namespace
}  // namespace chokepoint
