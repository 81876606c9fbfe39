// Analysis tests: SPEC §3's worked examples by hand, and the fast paths against a brute-force
// reference on seeded random graphs with cycles, thresholds, factors and embargoes.
#include "graph/analysis/analysis.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "graph/analysis/decouple.hpp"
#include "graph/analysis/metrics.hpp"
#include "graph/analysis/views.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/reference.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using testing::must_load;

const char* kExampleA = R"(
nodes:
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: samsung, kind: firm, jurisdiction: KR}
  - {id: micron, kind: firm, jurisdiction: US}
  - {id: tsmc, kind: firm, jurisdiction: TW}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: samsung, share: 0.4}, {id: micron, share: 0.1}]
  - {id: n4, kind: process, suppliers: [tsmc]}
  - {id: gpu, kind: chip, target: true, inputs: [hbm, n4]}
)";

Scenario scenario_from(const Model& m, const std::string& yaml) {
  SourceFiles files;
  Diagnostics diags;
  auto s = load_scenario_text("s.yaml", yaml, m, files, diags);
  std::ostringstream out;
  diags.print(out, files);
  EXPECT_TRUE(s.has_value()) << out.str();
  return s.value_or(Scenario{});
}

TEST(ScenarioMerge, FilesCombineAsIfBothHappened) {
  Model m = testing::must_load(kExampleA);
  Scenario a = scenario_from(m, R"(scenario:
  name: A
  remove: [samsung]
  capacity: {tsmc: 0.5}
  controls: [{id: c1, by: [US], against: [KR]}, {by: [TW], against: [KR]}]
)");
  Scenario b = scenario_from(m, R"(scenario:
  name: B
  remove: [samsung, micron]
  capacity: {tsmc: 0.5, skh: 0.8}
  duration_months: 6
  controls: [{by: [US], against: [TW]}]
)");
  EXPECT_EQ(merge_scenario(a, b), std::nullopt);
  EXPECT_EQ(a.name, "A + B");
  EXPECT_EQ(a.remove, (std::vector<NodeIndex>{*m.find("samsung"), *m.find("micron")}));
  ASSERT_EQ(a.capacity.size(), 2u);
  EXPECT_EQ(a.capacity[0], (std::pair<NodeIndex, double>{*m.find("skh"), 0.8}));
  EXPECT_EQ(a.capacity[1], (std::pair<NodeIndex, double>{*m.find("tsmc"), 0.25}));
  EXPECT_EQ(a.duration_months, std::optional<double>(6));
  ASSERT_EQ(a.controls.size(), 3u);
  EXPECT_EQ(a.controls[0].id, "c1");
  EXPECT_EQ(a.controls[1].id, "control 2");
  EXPECT_EQ(a.controls[2].id, "control 3");  // renumbered: was "control 1" in B
  Scenario again = scenario_from(m, "scenario: {controls: [{id: c1, by: [US], against: [TW]}]}");
  EXPECT_EQ(merge_scenario(a, again), std::optional<std::string>("c1"));
}

double cap_of(const Model& m, const Analysis& a, const std::string& id) {
  return a.world[*m.find(id)];
}

AnalysisOptions no_extras() {
  AnalysisOptions o;
  o.with_metrics = false;
  o.with_cut_sets = false;
  return o;
}

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

TEST(ExampleA, Metrics) {
  Model m = must_load(kExampleA);
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  const auto& hbm = a.metrics.nodes[*m.find("hbm")];
  EXPECT_EQ(hbm.suppliers, 3u);
  EXPECT_NEAR(*hbm.hhi, 4200, 1e-9);
  EXPECT_EQ(m.nodes[*hbm.top_supplier].id, "skh");
  EXPECT_DOUBLE_EQ(*hbm.top_share, 0.5);
  EXPECT_EQ(*hbm.top_jurisdiction, "KR");
  EXPECT_NEAR(*hbm.top_jurisdiction_share, 0.9, 1e-15);
  EXPECT_NEAR(*hbm.jurisdiction_hhi, 8200, 1e-9);
  EXPECT_EQ(hbm.spof, std::vector<NodeIndex>{*m.find("gpu")});
  EXPECT_EQ(hbm.reach, 1u);
  EXPECT_NEAR(a.metrics.nodes[*m.find("skh")].impact, 0.5, 1e-12);
  EXPECT_NEAR(a.metrics.nodes[*m.find("samsung")].impact, 0.4, 1e-12);
  EXPECT_NEAR(a.metrics.nodes[*m.find("micron")].impact, 0.1, 1e-12);
  EXPECT_NEAR(a.metrics.nodes[*m.find("tsmc")].impact, 1.0, 1e-12);
  EXPECT_TRUE(a.metrics.nodes[*m.find("skh")].spof.empty());
  // The target itself: no spof, no impact, no reach (it is not "another" target).
  EXPECT_TRUE(a.metrics.nodes[*m.find("gpu")].spof.empty());
  EXPECT_EQ(a.metrics.nodes[*m.find("gpu")].impact, 0.0);
  EXPECT_FALSE(a.metrics.nodes[*m.find("gpu")].top_supplier.has_value());
  // Depth: firms 0, hbm and n4 1, gpu 2.
  EXPECT_EQ(a.metrics.nodes[*m.find("skh")].depth, 0u);
  EXPECT_EQ(a.metrics.nodes[*m.find("gpu")].depth, 2u);
  // Undirected articulation points: hbm, n4 and gpu separate the graph; firms are leaves.
  EXPECT_TRUE(a.metrics.nodes[*m.find("hbm")].articulation);
  EXPECT_TRUE(a.metrics.nodes[*m.find("gpu")].articulation);
  EXPECT_FALSE(a.metrics.nodes[*m.find("skh")].articulation);
  // Betweenness: hbm lies on 3 shortest paths (skh/samsung/micron -> gpu), n = 7: 3 / 30.
  EXPECT_NEAR(a.metrics.nodes[*m.find("hbm")].betweenness, 3.0 / 30.0, 1e-12);
  EXPECT_NEAR(a.metrics.nodes[*m.find("n4")].betweenness, 1.0 / 30.0, 1e-12);
}

// Articulation points against their definition: a node whose removal splits its part of the
// undirected graph (dependencies in either direction, self-loops ignored) into more parts. Random
// graphs with loops, two-node loops, repeated members and several parts.
TEST(MetricsTest, ArticulationPointsAreTheNodesWhoseRemovalSplitsTheGraph) {
  std::mt19937 rng(16);
  for (int round = 0; round < 200; ++round) {
    int n = 2 + static_cast<int>(rng() % 14);
    std::string text = "nodes:\n";
    for (int i = 0; i < n; ++i) {
      text += fmt::format("  - {{id: n{}, kind: chip", i);
      std::vector<int> inputs;
      for (int k = static_cast<int>(rng() % 3); k > 0; --k)
        inputs.push_back(static_cast<int>(rng() % n));
      if (!inputs.empty()) text += fmt::format(", inputs: [n{}]", fmt::join(inputs, ", n"));
      text += "}\n";
    }
    SourceFiles files;
    Diagnostics diags;
    auto m = load_graph_text("g.yaml", text, files, diags);
    ASSERT_TRUE(m.has_value()) << text;
    std::vector<std::vector<int>> adj(n);
    for (int v = 0; v < n; ++v)
      for (const Group& g : m->nodes[v].groups)
        for (const Member& mb : g.members)
          if (static_cast<int>(mb.node) != v) {
            adj[v].push_back(static_cast<int>(mb.node));
            adj[mb.node].push_back(v);
          }
    auto parts_without = [&](int gone) {
      std::vector<char> seen(n, 0);
      int parts = 0;
      for (int s = 0; s < n; ++s) {
        if (s == gone || seen[s]) continue;
        ++parts;
        std::vector<int> stack{s};
        seen[s] = 1;
        while (!stack.empty()) {
          int u = stack.back();
          stack.pop_back();
          for (int w : adj[u])
            if (w != gone && !seen[w]) {
              seen[w] = 1;
              stack.push_back(w);
            }
        }
      }
      return parts;
    };
    auto points = articulation_points(*m);
    int whole = parts_without(-1);
    for (int v = 0; v < n; ++v) {
      // Removing a node that is alone in its part removes that part.
      int expected_parts = adj[v].empty() ? whole - 1 : whole;
      EXPECT_EQ(points[v] != 0, parts_without(v) > expected_parts) << "n" << v << " in\n" << text;
    }
  }
}

TEST(ExampleA, CutSetsOfOrderTwo) {
  Model m = must_load(kExampleA);
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  ASSERT_EQ(a.cut_sets.size(), 1u);
  EXPECT_EQ(a.cut_sets[0].sets, (std::vector<std::vector<std::string>>{{"hbm"}, {"n4"}, {"tsmc"}}));
  EXPECT_FALSE(a.cut_sets[0].truncated);
}

TEST(ExampleA, CutSetsOfOrderThreeFindAllHbmSuppliers) {
  Model m = must_load(kExampleA);
  AnalysisOptions o;
  o.cuts.order = 3;
  auto a = analyze(m, std::nullopt, o);
  EXPECT_EQ(a.cut_sets[0].sets, (std::vector<std::vector<std::string>>{
                                    {"hbm"}, {"n4"}, {"tsmc"}, {"micron", "samsung", "skh"}}));
}

TEST(ExampleA, CutSetsByJurisdiction) {
  Model m = must_load(kExampleA);
  AnalysisOptions o;
  o.cuts.by_jurisdiction = true;
  auto a = analyze(m, std::nullopt, o);
  EXPECT_EQ(a.cut_sets[0].sets, (std::vector<std::vector<std::string>>{{"TW"}, {"KR", "US"}}));
}

TEST(ExampleA, CutSetsRestrictedToFirmsAndTruncated) {
  Model m = must_load(kExampleA);
  AnalysisOptions o;
  o.cuts.order = 3;
  o.cuts.kinds = {"firm"};
  o.cuts.max_sets = 1;
  auto a = analyze(m, std::nullopt, o);
  EXPECT_EQ(a.cut_sets[0].sets, (std::vector<std::vector<std::string>>{{"tsmc"}}));
  EXPECT_TRUE(a.cut_sets[0].truncated);
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

const char* kExampleD = R"(
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: jp-tools, kind: equipment, jurisdiction: JP}
  - {id: cn-tools, kind: equipment}
  - id: jp-fab
    kind: foundry
    jurisdiction: JP
    inputs: [{any: [{id: us-tools, share: 0.6}, {id: jp-tools, share: 0.4}]}]
  - {id: cn-fab, kind: foundry, jurisdiction: CN, inputs: [cn-tools]}
  - {id: wafers, kind: material, suppliers: [{id: jp-fab, share: 0.7}, {id: cn-fab, share: 0.3}]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [wafers]}
)";

TEST(ExampleD, WithoutFdprThirdCountryFabServesChina) {
  Model m = must_load(kExampleD);
  auto a = analyze(m, scenario_from(m, "scenario: {embargoes: [{by: [US], against: [CN]}]}"),
                   no_extras());
  ASSERT_EQ(a.targets[0].views.size(), 1u);
  EXPECT_EQ(a.targets[0].views[0].perspective, "CN");
  EXPECT_EQ(a.targets[0].views[0].capacity, 1.0);
  EXPECT_EQ(a.targets[0].views[0].status, Status::ok);
  EXPECT_EQ(a.targets[0].capacity, 1.0);  // the world is unchanged by an embargo
}

TEST(ExampleD, WithFdprJapaneseFabIsDenied) {
  Model m = must_load(kExampleD);
  auto a =
      analyze(m, scenario_from(m, "scenario: {embargoes: [{by: [US], against: [CN], fdpr: true}]}"),
              no_extras());
  EXPECT_NEAR(a.targets[0].views[0].capacity, 0.3, 1e-15);
  EXPECT_EQ(a.targets[0].views[0].status, Status::degraded);
}

TEST(ExampleD, DeMinimisAboveTheFallKeepsTheFab) {
  Model m = must_load(kExampleD);
  // jp-fab would fall by 60 %; a de minimis of 70 % tolerates that.
  auto a = analyze(m,
                   scenario_from(m,
                                 "scenario: {embargoes: [{by: [US], against: [CN], fdpr: "
                                 "true, de_minimis: 0.7}]}"),
                   no_extras());
  EXPECT_EQ(a.targets[0].views[0].capacity, 1.0);
}

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

const char* kExampleE = R"(
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: tools, kind: equipment, suppliers: [us-tools]}
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: cxmt, kind: firm, jurisdiction: CN}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: cxmt, share: 0.5}]
    inputs: [tools]
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}
)";

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

const TargetView& view_of(const Analysis& a, std::size_t target, const std::string& name) {
  for (const auto& v : a.targets[target].views)
    if (v.perspective == name) return v;
  throw std::runtime_error("no view " + name);
}

TEST(ExampleE, WorldAndDegradedSupplier) {
  Model m = must_load(kExampleE);
  auto a = analyze(m, scenario_from(m, "scenario: {capacity: {skh: 0.5}}"), no_extras());
  EXPECT_DOUBLE_EQ(cap_of(m, a, "hbm"), 0.75);
  EXPECT_DOUBLE_EQ(cap_of(m, a, "cn-ai"), 0.75);
  auto b = analyze(m, scenario_from(m, "scenario: {remove: [us-tools]}"), no_extras());
  EXPECT_EQ(cap_of(m, b, "hbm"), 0.0);
  EXPECT_EQ(b.targets[0].status, Status::lost);
}

TEST(ExampleE, ControlWithoutFdprKeepsTheKoreanMaker) {
  Model m = must_load(kExampleE);
  auto a = analyze(m, scenario_from(m, "scenario: {controls: [{by: [US], against: [CN]}]}"),
                   no_extras());
  const auto& cn = view_of(a, 0, "CN");
  EXPECT_DOUBLE_EQ(cn.capacity, 0.5);
  EXPECT_EQ(cn.status, Status::degraded);
  ASSERT_EQ(a.views.size(), 1u);
  EXPECT_EQ(a.views[0].cap[*m.find("tools")], 0.0);
  EXPECT_EQ(a.views[0].cap[*m.find("skh")], 1.0);
  EXPECT_EQ(a.world[*m.find("cn-ai")], 1.0);  // a control changes no world value
  // Denied: us-tools (its own maker) and the pair us-tools -> tools, both direct.
  std::vector<std::string> denied;
  for (const auto& d : a.denials) {
    EXPECT_EQ(d.reason, DenialReason::direct);
    denied.push_back(m.nodes[m.pair_maker(d.pair)].id + ">" + m.nodes[m.pair_product(d.pair)].id);
  }
  EXPECT_EQ(denied, (std::vector<std::string>{"us-tools>us-tools", "us-tools>tools"}));
}

TEST(ExampleE, ControlWithFdprDeniesTheKoreanPair) {
  Model m = must_load(kExampleE);
  auto a = analyze(
      m, scenario_from(m, "scenario: {controls: [{id: c1, by: [US], against: [CN], fdpr: true}]}"),
      no_extras());
  EXPECT_EQ(view_of(a, 0, "CN").status, Status::lost);
  bool found = false;
  for (const auto& d : a.denials)
    if (m.nodes[m.pair_maker(d.pair)].id == "skh") {
      found = true;
      EXPECT_EQ(m.nodes[m.pair_product(d.pair)].id, "hbm");
      EXPECT_EQ(d.reason, DenialReason::fdpr);
      EXPECT_DOUBLE_EQ(d.fall, 1.0);
      EXPECT_EQ(a.scenario.controls[d.control].id, "c1");
      EXPECT_EQ(a.perspectives[d.perspective].name, "CN");
    }
  EXPECT_TRUE(found);
}

const char* kExampleF = R"(
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: tools, kind: equipment, suppliers: [us-tools]}
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: cxmt, kind: firm, jurisdiction: CN}
  - {id: nv, kind: firm, jurisdiction: US}
  - {id: gpu, kind: chip, suppliers: [nv]}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: cxmt, share: 0.5}]
    inputs: [tools]
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm, gpu]}
)";

TEST(ExampleF, ChipControlDeniesOnlyTheChip) {
  Model m = must_load(kExampleF);
  auto a = analyze(m,
                   scenario_from(m,
                                 "scenario: {controls: [{by: [US], against: [CN], items: "
                                 "\"kind == 'chip'\"}]}"),
                   no_extras());
  const View& cn = a.views[0];
  EXPECT_EQ(cn.cap[*m.find("tools")], 1.0);
  EXPECT_EQ(cn.cap[*m.find("hbm")], 1.0);
  EXPECT_EQ(cn.cap[*m.find("gpu")], 0.0);
  EXPECT_EQ(view_of(a, 0, "CN").status, Status::lost);
}

TEST(ExampleF, EquipmentControlHalvesMemory) {
  Model m = must_load(kExampleF);
  auto a = analyze(m,
                   scenario_from(m,
                                 "scenario: {controls: [{by: [US], against: [CN], items: "
                                 "\"kind == 'equipment'\"}]}"),
                   no_extras());
  const View& cn = a.views[0];
  EXPECT_EQ(cn.cap[*m.find("gpu")], 1.0);
  EXPECT_DOUBLE_EQ(cn.cap[*m.find("hbm")], 0.5);
  EXPECT_DOUBLE_EQ(view_of(a, 0, "CN").capacity, 0.5);
  EXPECT_EQ(view_of(a, 0, "CN").status, Status::degraded);
}

TEST(ExampleG, EntityControlShowsInTheWorld) {
  Model m = must_load(kExampleE);
  auto a = analyze(m, scenario_from(m, "scenario: {controls: [{by: [US], against: [cxmt]}]}"),
                   no_extras());
  EXPECT_DOUBLE_EQ(cap_of(m, a, "hbm"), 0.5);
  EXPECT_DOUBLE_EQ(a.targets[0].capacity, 0.5);
  EXPECT_EQ(a.targets[0].status, Status::degraded);
  EXPECT_DOUBLE_EQ(view_of(a, 0, "cxmt").capacity, 0.5);
}

TEST(ExampleG, CountryControlsDoNotReachAnEntityPerspectiveUnlessNamed) {
  Model m = must_load(kExampleE);
  auto a = analyze(m,
                   scenario_from(m,
                                 "scenario: {controls: [{by: [US], against: [CN], items: "
                                 "\"kind == 'firm'\"}, {by: [US], against: [cxmt], items: "
                                 "\"kind == 'equipment'\"}]}"),
                   no_extras());
  ASSERT_EQ(a.perspectives.size(), 2u);
  EXPECT_EQ(a.perspectives[0].name, "CN");
  EXPECT_EQ(a.perspectives[1].name, "cxmt");
  EXPECT_DOUBLE_EQ(cap_of(m, a, "hbm"), 0.5);
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

// Shares that tie only after float rounding (0.1 + 0.2 against 0.3) go to the smaller code.
TEST(Metrics, TopJurisdictionTiesIgnoreRounding) {
  Model m = must_load(R"(
nodes:
  - {id: a, kind: firm, jurisdiction: JP}
  - {id: b, kind: firm, jurisdiction: JP}
  - {id: c, kind: firm, jurisdiction: CN}
  - {id: d, kind: firm, jurisdiction: US}
  - id: x
    kind: material
    target: true
    suppliers: [{id: a, share: 0.1}, {id: b, share: 0.2}, {id: c, share: 0.3}, {id: d, share: 0.4}]
  - id: y
    kind: material
    target: true
    suppliers: [{id: d, share: 0.3}, {id: a, share: 0.1}, {id: b, share: 0.2}, {id: c, share: 0.4}]
)");
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  EXPECT_EQ(*a.metrics.nodes[*m.find("x")].top_jurisdiction, "US");
  EXPECT_EQ(*a.metrics.nodes[*m.find("y")].top_jurisdiction, "CN");
  Model m2 = must_load(R"(
nodes:
  - {id: a, kind: firm, jurisdiction: JP}
  - {id: b, kind: firm, jurisdiction: JP}
  - {id: c, kind: firm, jurisdiction: US}
  - {id: e, kind: firm, jurisdiction: CN}
  - id: x
    kind: material
    target: true
    suppliers: [{id: a, share: 0.1}, {id: b, share: 0.2}, {id: c, share: 0.3}, {id: e, share: 0.3}]
)");
  auto b = analyze(m2, std::nullopt, AnalysisOptions{});
  // Normalised by 0.9, JP sums to one ulp above CN's and US's 1/3: a tie, which goes to the
  // smallest code.
  EXPECT_GT(0.1 / 0.9 + 0.2 / 0.9, 0.3 / 0.9);
  EXPECT_EQ(*b.metrics.nodes[*m2.find("x")].top_jurisdiction, "CN");
  EXPECT_NEAR(*b.metrics.nodes[*m2.find("x")].top_jurisdiction_share, 1.0 / 3, 1e-15);
}

// ---- brute force ----

// Random graph text: firms with jurisdictions, products with supplier groups, inputs, `any`
// groups with thresholds, and back edges that make cycles.
std::string random_graph(std::mt19937& rng, int n) {
  const char* codes[] = {"US", "CN", "NL", "JP"};
  const char* kinds[] = {"chip", "equipment", "hbm"};
  std::ostringstream y;
  y << "nodes:\n";
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto coin = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  for (int i = 0; i < n; ++i) {
    y << "  - id: n" << i << "\n    kind: " << (i < n / 3 ? "firm" : kinds[pick(0, 2)]) << "\n";
    if (coin(0.7)) y << "    jurisdiction: " << codes[pick(0, 3)] << "\n";
    if (coin(0.2)) y << "    attrs: {advanced: true}\n";
    if (i < n / 3) continue;
    auto member_list = [&](int k) {
      std::set<int> ms;
      for (int j = 0; j < k; ++j) ms.insert(coin(0.12) ? pick(0, n - 1) : pick(0, i - 1));
      ms.erase(i);
      std::ostringstream s;
      bool first = true;
      for (int mbr : ms) {
        s << (first ? "" : ", ");
        if (coin(0.6))
          s << "{id: n" << mbr << ", share: " << pick(1, 9) / 10.0 / ms.size() * 1.0 << "}";
        else
          s << "n" << mbr;
        first = false;
      }
      return std::make_pair(s.str(), ms.size());
    };
    if (coin(0.7)) {
      auto [s, k] = member_list(pick(1, 3));
      if (k > 0) {
        y << "    suppliers: [" << s << "]\n";
        if (coin(0.2)) y << "    min_supply: " << pick(1, 6) / 10.0 << "\n";
      }
    }
    int inputs = pick(0, 2);
    std::ostringstream in;
    for (int j = 0; j < inputs; ++j) {
      if (coin(0.5)) {
        int mbr = coin(0.1) ? pick(0, n - 1) : pick(0, i - 1);
        if (mbr != i) in << "      - n" << mbr << "\n";
      } else {
        auto [s, k] = member_list(pick(1, 3));
        if (k == 0) continue;
        in << "      - {any: [" << s << "]";
        if (coin(0.4)) in << ", min_share: " << pick(1, 7) / 10.0;
        in << "}\n";
      }
    }
    if (!in.str().empty()) y << "    inputs:\n" << in.str();
    if (coin(0.3)) y << "    substitution_years: " << pick(0, 10) << "\n";
  }
  y << "targets: [n" << n - 1 << ", n" << n - 2 << "]\n";
  return y.str();
}

// A random scenario: a removal, a factor, and one or two controls with items, made_with,
// entities, FDPR and de minimis drawn at random.
std::string random_scenario(std::mt19937& rng, const Model& m) {
  std::size_t n = m.nodes.size();
  auto pick = [&](std::size_t k) { return rng() % k; };
  const char* items[] = {"", "kind == 'chip'", "kind in ['equipment', 'hbm']",
                         "has(attrs.advanced)", "kind != 'firm'"};
  const char* made_with[] = {"", "kind == 'equipment'", "kind == 'firm'"};
  const char* by[] = {"[US]", "[US, NL]", "[NL, JP]"};
  std::ostringstream s;
  s << "scenario:\n  remove: [n" << pick(n) << "]\n  capacity: {n" << pick(n) << ": "
    << pick(10) / 10.0 << "}\n  controls:\n";
  int controls = 1 + static_cast<int>(pick(2));
  for (int c = 0; c < controls; ++c) {
    std::string against = "[CN]";
    if (pick(3) == 0) {
      // An entity: any node not located in the controlling side.
      against = "[n" + std::to_string(pick(n)) + "]";
    }
    s << "    - by: " << by[c == 0 ? pick(3) : 0] << "\n      against: " << against << "\n";
    if (auto it = items[pick(5)]; *it) s << "      items: \"" << it << "\"\n";
    if (auto mw = made_with[pick(3)]; *mw) s << "      made_with: \"" << mw << "\"\n";
    s << "      fdpr: " << (pick(2) ? "true" : "false") << "\n";
    if (pick(3) == 0) s << "      de_minimis: 0.25\n";
  }
  return s.str();
}

class BruteForceTest : public ::testing::TestWithParam<int> {};

TEST_P(BruteForceTest, FastPathsAgreeWithReference) {
  std::mt19937 rng(static_cast<unsigned>(GetParam()));
  int n = std::uniform_int_distribution<int>(5, 11)(rng);
  std::string yaml = random_graph(rng, n);
  auto loaded = testing::load_text(yaml);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << yaml;
  const Model& m = *loaded->model;
  testing::Reference ref(m);
  std::size_t N = m.nodes.size();

  std::string text = random_scenario(rng, m);
  SourceFiles files;
  Diagnostics diags;
  auto parsed = load_scenario_text("s.yaml", text, m, files, diags);
  ASSERT_TRUE(parsed.has_value()) << text;
  Scenario scenario = *parsed;
  AnalysisOptions options;
  options.cuts.order = 3;
  auto a = analyze(m, scenario, options);

  auto baseline = ref.evaluate(ref.spec(ref.ones()));
  std::vector<double> factor = ref.ones();
  for (auto [node, f] : scenario.capacity) factor[node] *= f;
  for (auto node : scenario.remove) factor[node] = 0;
  auto expected = ref.evaluate_scenario(scenario, factor);
  const auto& world = expected.world;
  for (std::size_t i = 0; i < N; ++i) {
    EXPECT_NEAR(a.baseline[i], baseline[i], 1e-9) << "baseline of " << m.nodes[i].id << "\n"
                                                  << yaml;
    EXPECT_NEAR(a.world[i], world[i], 1e-9) << "world of " << m.nodes[i].id << "\n" << yaml << text;
  }
  ASSERT_EQ(a.views.size(), expected.sides.size()) << yaml << text;
  for (std::size_t v = 0; v < a.views.size(); ++v) {
    EXPECT_EQ(a.views[v].name, expected.sides[v].name);
    for (std::size_t i = 0; i < N; ++i)
      EXPECT_NEAR(a.views[v].cap[i], expected.views[v][i], 1e-9)
          << "view " << a.views[v].name << " of " << m.nodes[i].id << "\n"
          << yaml << text;
    EXPECT_EQ(a.views[v].denied, expected.denied[v]) << a.views[v].name << "\n" << yaml << text;
  }

  // Causes of loss: the incremental restorations agree with a full evaluation per restoration.
  {
    CapacityEngine engine(m);
    for (const auto& tc : a.causes.targets) {
      bool w = tc.view == TargetCauses::kWorld;
      const CapacityInputs& in = w ? a.world_inputs : a.views[tc.view].inputs;
      const std::vector<double>& cap = w ? a.world : a.views[tc.view].cap;
      std::vector<Cause> expected_causes;
      for (NodeIndex n : m.by_id()) {
        if (n == tc.target || cap[n] >= a.baseline[n] - kStatusEpsilon) continue;
        CapacityInputs restored = in;
        restored.pinned[n] = a.baseline[n];
        double gain = engine.evaluate(restored)[tc.target] - cap[tc.target];
        if (gain > kStatusEpsilon) expected_causes.push_back(Cause{n, gain});
      }
      std::stable_sort(
          expected_causes.begin(), expected_causes.end(), [&](const Cause& x, const Cause& y) {
            double rx = std::round(x.recovered * 1e12), ry = std::round(y.recovered * 1e12);
            if (rx != ry) return rx > ry;
            return m.nodes[x.node].id < m.nodes[y.node].id;
          });
      if (expected_causes.size() > 5) expected_causes.resize(5);
      ASSERT_EQ(tc.causes.size(), expected_causes.size()) << yaml << text;
      for (std::size_t k = 0; k < tc.causes.size(); ++k) {
        EXPECT_EQ(tc.causes[k].node, expected_causes[k].node) << yaml << text;
        EXPECT_NEAR(tc.causes[k].recovered, expected_causes[k].recovered, 1e-9) << yaml << text;
      }
    }
  }

  // Single removals on the scenario's world (entity caps held): spof and impact.
  for (std::size_t i = 0; i < N; ++i) {
    testing::Reference::Spec s = ref.spec(factor);
    s.pair_cap = a.world_inputs.pair_limit.empty() ? s.pair_cap : a.world_inputs.pair_limit;
    s.factor[i] = 0;
    auto after = ref.evaluate(s);
    double impact = 0;
    std::vector<NodeIndex> spof;
    for (NodeIndex t : m.targets) {
      if (t == i) continue;
      impact += world[t] - after[t];
      if (after[t] <= 1e-9 && world[t] > 1e-9) spof.push_back(t);
    }
    EXPECT_NEAR(a.metrics.nodes[i].impact, impact, 1e-9) << m.nodes[i].id << "\n" << yaml << text;
    EXPECT_EQ(a.metrics.nodes[i].spof, spof) << m.nodes[i].id << "\n" << yaml << text;
  }

  // Cut sets up to order 3: every subset of other nodes, minimal ones only.
  for (const auto& cuts : a.cut_sets) {
    NodeIndex t = cuts.target;
    std::vector<std::vector<std::string>> expected_sets;
    if (world[t] > 1e-9) {
      std::vector<NodeIndex> others;
      for (NodeIndex i : m.by_id())
        if (i != t) others.push_back(i);
      std::vector<std::vector<NodeIndex>> found;
      auto lost_with = [&](const std::vector<NodeIndex>& set) {
        testing::Reference::Spec s = ref.spec(factor);
        if (!a.world_inputs.pair_limit.empty()) s.pair_cap = a.world_inputs.pair_limit;
        for (auto x : set) s.factor[x] = 0;
        return ref.evaluate(s)[t] <= 1e-9;
      };
      auto has_subset = [&](const std::vector<NodeIndex>& set) {
        for (const auto& f : found)
          if (std::includes(
                  set.begin(), set.end(), f.begin(), f.end(),
                  [&](NodeIndex x, NodeIndex y) { return m.nodes[x].id < m.nodes[y].id; }))
            return true;
        return false;
      };
      std::size_t k = others.size();
      for (int size = 1; size <= 3; ++size) {
        std::vector<std::vector<NodeIndex>> level;
        for (std::size_t x = 0; x < k; ++x) {
          if (size == 1) level.push_back({others[x]});
          for (std::size_t y = x + 1; size >= 2 && y < k; ++y) {
            if (size == 2) level.push_back({others[x], others[y]});
            for (std::size_t z = y + 1; size == 3 && z < k; ++z)
              level.push_back({others[x], others[y], others[z]});
          }
        }
        for (auto& set : level)
          if (!has_subset(set) && lost_with(set)) found.push_back(set);
      }
      for (const auto& f : found) {
        std::vector<std::string> ids;
        for (auto x : f) ids.push_back(m.nodes[x].id);
        expected_sets.push_back(ids);
      }
    }
    EXPECT_EQ(cuts.sets, expected_sets) << m.nodes[t].id << "\n" << yaml << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BruteForceTest, ::testing::Range(1, 301));

// Cut sets from structure agree with the level search (itself checked against brute force above)
// on bigger random graphs, at every order, by node and by jurisdiction, with kinds filtered, in a
// scenario's world; and structure does decide most targets.
// 300 suppliers of one target: by enumeration, order 4 meant C(300, 4) = 330 million candidate
// sets; from structure the supplier group's sets are one union of 300 units, longer than 4, so
// the target has no cut set but a removal of one of its two inputs' single supplier, and the
// answer needs no search at all.
TEST(StructuralCutsTest, WideSupplierGroupNeedsNoSearch) {
  std::ostringstream y;
  y << "nodes:\n  - {id: tools, kind: equipment, suppliers: [vendor]}\n"
       "  - {id: vendor, kind: firm}\n";
  for (int i = 0; i < 300; ++i) y << "  - {id: s" << i << ", kind: firm}\n";
  y << "  - {id: t, kind: chip, target: true, inputs: [tools], suppliers: [";
  for (int i = 0; i < 300; ++i) y << (i ? ", " : "") << "s" << i;
  y << "]}\n";
  auto loaded = testing::load_text(y.str());
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed();
  AnalysisOptions options;
  options.with_metrics = options.with_causes = false;
  options.cuts.order = 4;
  options.cuts.max_work = 1000;  // far too little for a search
  auto a = analyze(*loaded->model, std::nullopt, options);
  ASSERT_EQ(a.cut_sets.size(), 1u);
  EXPECT_EQ(a.cut_sets[0].sets, (std::vector<std::vector<std::string>>{{"tools"}, {"vendor"}}));
  EXPECT_FALSE(a.cut_sets[0].searched);
  EXPECT_FALSE(a.cut_sets[0].budget_hit);
  EXPECT_FALSE(a.cut_sets[0].truncated);
}

// Two targets share an intermediate node whose threshold search is costly; the second target
// also has a threshold of its own. On one thread the second target finds the shared family
// cached, on two threads it computes it: cached families are charged at their cost, so for
// every budget both give the same lists and the same budget flags.
TEST(StructuralCutsTest, BudgetOutcomesDoNotDependOnTheThreadCount) {
  std::string yaml = "nodes:\n";
  for (int i = 0; i < 6; ++i) yaml += fmt::format("  - {{id: f{}, kind: firm}}\n", i);
  for (int i = 0; i < 4; ++i) yaml += fmt::format("  - {{id: g{}, kind: firm}}\n", i);
  yaml +=
      "  - {id: s, kind: chip, inputs: [{any: [f0, f1, f2, f3, f4, f5], min_share: 0.5}]}\n"
      "  - {id: t0, kind: capability, target: true, inputs: [s]}\n"
      "  - {id: t1, kind: capability, target: true,\n"
      "     inputs: [s, {any: [g0, g1, g2, g3], min_share: 0.3}]}\n";
  auto loaded = testing::load_text(yaml);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed();
  const char* saved = std::getenv("CHOKEPOINT_THREADS");
  std::string restore = saved ? saved : "";
  int mixed = 0;
  for (std::size_t budget = 1; budget <= 300; ++budget) {
    AnalysisOptions options;
    options.with_metrics = options.with_causes = false;
    options.cuts.order = 4;
    options.cuts.max_work = budget;
    ::setenv("CHOKEPOINT_THREADS", "1", 1);
    auto one = analyze(*loaded->model, std::nullopt, options);
    ::setenv("CHOKEPOINT_THREADS", "2", 1);
    auto two = analyze(*loaded->model, std::nullopt, options);
    ASSERT_EQ(one.cut_sets.size(), 2u);
    for (std::size_t t = 0; t < 2; ++t) {
      EXPECT_EQ(one.cut_sets[t].sets, two.cut_sets[t].sets) << "budget " << budget;
      EXPECT_EQ(one.cut_sets[t].budget_hit, two.cut_sets[t].budget_hit) << "budget " << budget;
    }
    if (!two.cut_sets[0].budget_hit && two.cut_sets[1].budget_hit) ++mixed;
  }
  if (saved)
    ::setenv("CHOKEPOINT_THREADS", restore.c_str(), 1);
  else
    ::unsetenv("CHOKEPOINT_THREADS");
  EXPECT_GT(mixed, 0);  // some budget stops one target and not the other
}

TEST(StructuralCutsTest, SameSetsAsTheLevelSearch) {
  int structural = 0, searched = 0;
  for (unsigned seed = 1; seed <= 120; ++seed) {
    std::mt19937 rng(seed * 7919u);
    int n = std::uniform_int_distribution<int>(12, 24)(rng);
    std::string yaml = random_graph(rng, n);
    auto loaded = testing::load_text(yaml);
    ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << yaml;
    const Model& m = *loaded->model;
    std::optional<Scenario> scenario;
    if (seed % 2 == 0) {
      SourceFiles files;
      Diagnostics diags;
      auto parsed = load_scenario_text("s.yaml", random_scenario(rng, m), m, files, diags);
      ASSERT_TRUE(parsed.has_value());
      scenario = *parsed;
    }
    for (int order = 1; order <= 4; ++order)
      for (int mode = 0; mode < 3; ++mode) {
        AnalysisOptions options;
        options.with_metrics = options.with_causes = false;
        options.cuts.order = order;
        options.cuts.by_jurisdiction = mode == 1;
        if (mode == 2) options.cuts.kinds = {"firm", "chip"};
        auto fast = analyze(m, scenario, options);
        options.cuts.structural = false;
        auto slow = analyze(m, scenario, options);
        ASSERT_EQ(fast.cut_sets.size(), slow.cut_sets.size());
        for (std::size_t t = 0; t < fast.cut_sets.size(); ++t) {
          ASSERT_EQ(fast.cut_sets[t].sets, slow.cut_sets[t].sets)
              << "seed " << seed << " order " << order << " mode " << mode << " target "
              << m.nodes[fast.cut_sets[t].target].id << "\n"
              << yaml;
          EXPECT_EQ(fast.cut_sets[t].truncated, slow.cut_sets[t].truncated);
          if (slow.world[fast.cut_sets[t].target] <= kStatusEpsilon) continue;  // none to find
          EXPECT_TRUE(slow.cut_sets[t].searched);
          (fast.cut_sets[t].searched ? searched : structural)++;
        }
      }
  }
  // The comparison is only worth something if structure, not the search, answered most targets.
  EXPECT_GT(structural, searched) << structural << " by structure, " << searched << " searched";
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

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

namespace chokepoint {
namespace {

// Today's controls on the shipped dataset, computed by hand from the data (dataset 2025.2):
// China's AI compute is the installed base (0.5), a year of new clusters (0.43) and compute rented
// abroad (0.07). In China's view the H20 and MI308 are denied (0.22 of new accelerators), smuggled
// chips (0.12) arrive, Ascends are held by HBM at 0.85 + 0.15 * 0.1 = 0.865 (the stock bought
// before the HBM rule, then CXMT's 10 % of China's HBM2E purchases: Korean HBM is denied through
// the FDPR), the other domestic chips by SMIC N+2 at 0.7 (its new tools are denied to SMIC as an
// entity, the installed fleet remains), Kunlunxin by its dies at 0.6 * 0.7 (TSMC N7 denied by the
// foundry rule):
// new = 0.12 + 0.45 * 0.865 + 0.17 * 0.7 + 0.04 * 0.42 = 0.64505, training =
// 0.5 + 0.43 * 0.64505 + 0.07 = 0.8473715.
// In the world, the entity controls act: Huawei's EDA falls to licences held (0.9 + 0.1 * 0.01),
// its dies to 0.35 * 0.7 + 0.65 = 0.895 (SMIC's share at 0.7, the die bank whole), and YMTC runs
// at 0.73, so China's NAND is 0.7 + 0.3 * 0.73 = 0.919, not binding: new = 0.34 + 0.45 * 0.895 +
// 0.17 * 0.7 + 0.04 * (0.6 * 0.7 + 0.4) = 0.89455, training = 0.5 + 0.43 * 0.89455 + 0.07.
TEST(DatasetControls2025, ChinasTrainingUnderTodaysControlsMatchesTheHandComputation) {
  testing::Loaded l;
  l.model = load_graph(testing::source_path("data/ai-supply-chain.yaml"), l.files, l.diags);
  ASSERT_TRUE(l.model.has_value()) << l.printed();
  auto s = load_scenario(testing::source_path("data/scenarios/controls-2025.yaml"), *l.model,
                         l.files, l.diags);
  ASSERT_TRUE(s.has_value()) << l.printed();
  AnalysisOptions options;
  options.with_metrics = false;
  options.with_cut_sets = false;
  Analysis a = analyze(*l.model, s, options);
  NodeIndex training = *l.model->find("cn-frontier-training");
  EXPECT_NEAR(a.world[training], 0.5 + 0.43 * 0.89455 + 0.07, 1e-9);
  auto cn = std::find_if(a.perspectives.begin(), a.perspectives.end(),
                         [](const Perspective& p) { return p.name == "CN"; });
  ASSERT_NE(cn, a.perspectives.end());
  const View& view = a.views[static_cast<std::size_t>(cn - a.perspectives.begin())];
  EXPECT_NEAR(view.cap[*l.model->find("hbm2e")], 0.1, 1e-9);
  EXPECT_NEAR(view.cap[*l.model->find("ascend-910c")], 0.865, 1e-9);
  EXPECT_NEAR(view.cap[*l.model->find("smic-n-plus-2")], 0.7, 1e-9);
  EXPECT_NEAR(view.cap[training], 0.8473715, 1e-9);
  // The causes in China's view: restoring China's compute recovers the whole loss; of the items,
  // the H20 recovers most (its 20 % of new accelerators, 0.43 of compute).
  auto causes = std::find_if(a.causes.targets.begin(), a.causes.targets.end(), [&](const auto& c) {
    return c.view == static_cast<std::size_t>(cn - a.perspectives.begin()) && c.target == training;
  });
  ASSERT_NE(causes, a.causes.targets.end());
  ASSERT_GE(causes->causes.size(), 3u);
  EXPECT_EQ(l.model->nodes[causes->causes[0].node].id, "cn-ai-compute");
  EXPECT_NEAR(causes->causes[0].recovered, 1 - 0.8473715, 1e-9);
  EXPECT_EQ(l.model->nodes[causes->causes[2].node].id, "h20");
  EXPECT_NEAR(causes->causes[2].recovered, 0.2 * 0.43, 1e-9);
  // Published open weights stay available to China under every control.
  EXPECT_NEAR(view.cap[*l.model->find("open-weight-models")], 1.0, 1e-9);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

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

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

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
