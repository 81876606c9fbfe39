// Metrics: example A by hand, articulation points, and jurisdiction ties that ignore rounding.
#include "graph/analysis/metrics.hpp"

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
#include "graph/analysis/views.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/analysis_fixtures.hpp"
#include "tests/reference.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using namespace testing;

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

}  // namespace
}  // namespace chokepoint
