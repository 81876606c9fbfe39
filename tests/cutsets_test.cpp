// Cut sets: example A at orders 2 and 3, by jurisdiction, filtered and truncated; cut sets from
// structure against the level search on random graphs, and budgets that do not depend on threads.
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

// An installed base held intact (a static analysis) depends on none of its inputs: its family is
// its own unit, with no search of its cone. Its wide renewal input, whose suppliers the search
// would have to try in fours, is not read; the base is lost only when removed itself.
TEST(StructuralCutsTest, AnIntactInstalledBaseNeedsNoSearchOfItsInputs) {
  std::ostringstream y;
  y << "nodes:\n  - {id: kr-fab, kind: firm, jurisdiction: KR}\n"
       "  - {id: other, kind: chip, suppliers: [kr-fab]}\n";
  for (int i = 0; i < 60; ++i) y << "  - {id: s" << i << ", kind: firm, jurisdiction: TW}\n";
  for (int i = 0; i < 30; ++i)
    y << "  - {id: c" << i << ", kind: chip, suppliers: [s" << 2 * i << ", s" << 2 * i + 1
      << "]}\n";
  y << "  - id: fleet\n    kind: cloud\n    lifetime_months: 48\n    inputs: [";
  for (int i = 0; i < 30; ++i) y << (i ? ", " : "") << "c" << i;
  y << "]\n  - {id: t, kind: capability, target: true, inputs: [fleet, other]}\n";
  auto loaded = testing::load_text(y.str());
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed();
  AnalysisOptions options;
  options.with_metrics = options.with_causes = false;
  options.cuts.order = 4;
  options.cuts.max_work = 1000;  // far too little for a search of the fleet's cone
  auto a = analyze(*loaded->model, std::nullopt, options);
  ASSERT_EQ(a.cut_sets.size(), 1u);
  EXPECT_EQ(a.cut_sets[0].sets,
            (std::vector<std::vector<std::string>>{{"fleet"}, {"kr-fab"}, {"other"}}));
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
