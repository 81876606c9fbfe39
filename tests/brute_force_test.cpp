// The fast paths against the brute-force reference (tests/reference.hpp) on 300 seeded random
// graphs with cycles, thresholds, factors and controls: capacities, views and cut sets.
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

}  // namespace
}  // namespace chokepoint
