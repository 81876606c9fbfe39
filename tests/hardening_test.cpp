// Regression tests of the second hardening round (issue 29): hostile inputs that crashed, ran out
// of memory or ran for minutes must end with a clear message, the documented exit status and
// bounded work. The generators of the full-size cases are tests/hostile/generate.py and
// bench/generate.py --shape; these tests use smaller versions of the same shapes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "graph/analysis/analysis.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

// A scratch folder removed at the end of the test.
class Scratch {
 public:
  Scratch()
      : dir_(std::filesystem::temp_directory_path() /
             ("chokepoint_hardening_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }

 private:
  std::filesystem::path dir_;
};

std::string joined(std::size_t count, const std::string& term, const std::string& op) {
  std::string out = term;
  for (std::size_t i = 1; i < count; ++i) out += op + term;
  return out;
}

// High 1: `items: 'true and true and ...'` (50,000 terms) was a SIGSEGV; a rule's
// `when: "1+1+..."` (25,000 terms) too.
TEST(HardeningExpressionTest, FlatChainsInItemsAndWhenAreAnswered) {
  Scratch s;
  std::string scenario = s.write("s.yaml",
                                 "scenario:\n  controls:\n    - by: [US]\n"
                                 "      against: [CN]\n      items: '" +
                                     joined(50'000, "true", " and ") + "'\n");
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml -s " + scenario + " --format json",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("\"denials\""), std::string::npos);
  std::string rules =
      s.write("r.yaml", "rules:\n  - id: long\n    when: \"" + joined(25'000, "1", "+") +
                            " == 25000\"\n    severity: low\n    score: 1\n"
                            "    message: \"{name}\"\n");
  EXPECT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml --rules " + rules + " --format json",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("\"id\": \"long\""), std::string::npos);
}

std::string chain(int n) {
  std::ostringstream y;
  y << "nodes:\n";
  for (int i = 0; i < n; ++i) {
    y << "  - {id: n" << i << ", kind: material";
    if (i) y << ", inputs: [n" << i - 1 << "]";
    if (i == n - 1) y << ", target: true";
    y << "}\n";
  }
  return y.str();
}

// `suppliers` firms supply the target, each needing `inputs` inputs of its own.
std::string or_of_and(int suppliers, int inputs) {
  std::ostringstream y;
  y << "nodes:\n";
  for (int s = 0; s < suppliers; ++s) {
    y << "  - {id: s" << s << ", kind: firm, inputs: [";
    for (int k = 0; k < inputs; ++k) y << (k ? ", " : "") << "in-" << s << "-" << k;
    y << "]}\n";
    for (int k = 0; k < inputs; ++k) y << "  - {id: in-" << s << "-" << k << ", kind: material}\n";
  }
  y << "  - {id: t, kind: capability, target: true, suppliers: [";
  for (int s = 0; s < suppliers; ++s) y << (s ? ", " : "") << "s" << s;
  y << "]}\n";
  return y.str();
}

std::vector<CutSets> cuts_of(const Model& m, CutSetOptions options) {
  CapacityEngine engine(m);
  CapacityInputs in(m.nodes.size());
  auto cap = engine.evaluate(in);
  return cut_sets(m, in, cap, options);
}

// High 2: a link of a chain copied the whole family of the link before it (O(n^2) sets), and
// copies cost nothing against the budget, so --cut-budget 1 still took 11-25 s and 1.5 GB on
// 10,000 links. Links now share their predecessor's family; reading it counts as work.
TEST(HardeningCutSetsTest, ChainsShareFamiliesAndTheBudgetCountsThem) {
  Model m = testing::must_load(chain(2'000));
  CutSetOptions options;
  options.order = 2;
  options.max_sets = 5'000;
  auto full = cuts_of(m, options);
  ASSERT_EQ(full.size(), 1u);
  EXPECT_FALSE(full[0].budget_hit);
  ASSERT_EQ(full[0].sets.size(), 1'999u);  // every other link, alone; no pair is minimal
  EXPECT_EQ(full[0].sets[0], std::vector<std::string>{"n0"});
  EXPECT_EQ(full[0].sets[1], std::vector<std::string>{"n1"});
  EXPECT_EQ(full[0].sets[2], std::vector<std::string>{"n10"});
  options.max_work = 10;  // 320 joins: not enough to read 2,000 links
  auto cut = cuts_of(m, options);
  EXPECT_TRUE(cut[0].budget_hit);
  EXPECT_TRUE(cut[0].truncated);
  EXPECT_FALSE(cut[0].memory_hit);
}

// High 3: two suppliers each needing 2,000 inputs have 4,000,000 minimal cut sets of order 2;
// the search kept them all (and 5,000 inputs each ran out of memory). It now stops at
// kMaxCutSetsKept sets a target and says so.
TEST(HardeningCutSetsTest, OrOfAndStopsAtTheMemoryLimit) {
  Model m = testing::must_load(or_of_and(2, 2'000));
  CutSetOptions options;
  auto cuts = cuts_of(m, options);
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_TRUE(cuts[0].memory_hit);
  EXPECT_TRUE(cuts[0].budget_hit);
  EXPECT_TRUE(cuts[0].truncated);
  EXPECT_EQ(cut_memory_note(cuts),
            "the cut-set search of 1 target stopped at its memory limit (2000000 sets kept for "
            "one target); the list may miss sets, whatever the work budget (a lower order or "
            "fewer kinds narrow the search)");
  EXPECT_FALSE(cut_budget_ran_out(cuts));
  // Below the limit the product is complete, and the same as the level search's.
  Model small = testing::must_load(or_of_and(3, 4));
  options.order = 3;
  auto structural = cuts_of(small, options);
  options.structural = false;
  auto searched = cuts_of(small, options);
  EXPECT_FALSE(structural[0].budget_hit);
  EXPECT_EQ(structural[0].sets.size(), 125u);  // {s or one of its 4 inputs} for each supplier
  EXPECT_EQ(structural[0].sets, searched[0].sets);
}

TEST(HardeningCutSetsTest, EveryOutputSaysTheMemoryLimitWasReached) {
  Scratch s;
  std::string graph = s.write("g.yaml", or_of_and(2, 2'000));
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze " + graph + " --format json", &out, &err), 0);
  EXPECT_EQ(err,
            "warning: the cut-set search of 1 target stopped at its memory limit (2000000 sets "
            "kept for one target); the list may miss sets, whatever the work budget (a lower "
            "order or fewer kinds narrow the search)\n");
  EXPECT_NE(out.find("\"memory_limit\": true"), std::string::npos);
  EXPECT_NE(out.find("\"budget_hit\": true"), std::string::npos);
  EXPECT_EQ(testing::run_cli("analyze " + graph + " --format md", &out, &err), 0);
  EXPECT_NE(out.find("| `t` | 0 | 0 | – | – | yes (memory limit) |"), std::string::npos);
  EXPECT_NE(out.find("The search stopped at its limit before it found a set."), std::string::npos);
}

// The capacity of every target after removing `removed`, solved from scratch.
std::vector<double> solved_without(const Model& m, const CapacityInputs& world,
                                   std::initializer_list<NodeIndex> removed) {
  CapacityEngine engine(m);
  CapacityInputs in = world;
  for (NodeIndex n : removed) in.factor[n] = 0;
  auto cap = engine.evaluate(in);
  std::vector<double> out;
  for (NodeIndex t : m.targets) out.push_back(cap[t]);
  return out;
}

// Medium 8: each removal of a supplier of a wide group re-summed the whole group (200,000
// suppliers of one node took over a minute). The wide path must agree with a full solve,
// thresholds, factors and other groups included.
TEST(HardeningRemovalsTest, WideSupplierGroupsAgreeWithAFullSolve) {
  std::ostringstream y;
  y << "nodes:\n";
  for (int i = 0; i < 150; ++i) y << "  - {id: f" << i << ", kind: firm}\n";
  y << "  - {id: power, kind: power}\n";
  y << "  - {id: p, kind: chip, min_supply: 0.9895, inputs: [power], suppliers: [";
  for (int i = 0; i < 150; ++i)
    y << (i ? ", " : "") << "{id: f" << i << ", share: " << (i < 10 ? 0.02 : 0.8 / 140) << "}";
  y << "]}\n";
  y << "  - {id: q, kind: chip, suppliers: [";
  for (int i = 0; i < 80; ++i) y << (i ? ", " : "") << "f" << (i < 40 ? i : 70 + i);
  y << ", p]}\n";
  y << "  - {id: t, kind: capability, target: true, inputs: [p]}\n";
  y << "  - {id: u, kind: capability, target: true, inputs: [q]}\n";
  Model m = testing::must_load(y.str());
  CapacityEngine engine(m);
  CapacityInputs world(m.nodes.size());
  world.factor[*m.find("f3")] = 0.5;  // a degraded supplier: its pair runs below its share
  auto cap = engine.evaluate(world);
  auto effects = single_removal_effects(m, world, cap);
  std::size_t wide = 0;
  WideGroupRemovals check(m, engine, world);
  for (NodeIndex n = 0; n < m.nodes.size(); ++n) {
    if (effects[n].empty()) continue;
    wide += check.applies(n);
    auto expect = solved_without(m, world, {n});
    for (std::size_t k = 0; k < expect.size(); ++k)
      EXPECT_NEAR(effects[n][k], expect[k], 1e-12) << m.nodes[n].id;
  }
  EXPECT_EQ(wide, 70u);  // p's suppliers that q does not take too (f40-f109)
  // p supplies 0.99 (f3 at half) against its 0.9895: losing any one of them loses p.
  EXPECT_EQ(effects[*m.find("f50")][0], 0.0);
  // Pairs, through the ranking.
  std::size_t ranked = 0;
  auto ranking = rank_removals(m, world, cap, 2, nullptr, nullptr, nullptr, &ranked);
  EXPECT_EQ(ranked, 155u * 154u / 2);  // 150 firms, power, p, q, t and u
  for (std::size_t i = 0; i < ranking.size(); i += 97) {
    const auto& r = ranking[i];
    auto expect = solved_without(m, world, {r.removed[0], r.removed[1]});
    double impact = 0;
    for (std::size_t k = 0; k < expect.size(); ++k) impact += cap[m.targets[k]] - expect[k];
    EXPECT_NEAR(r.impact, impact, 1e-12);
  }
}

// High 4: every pair of 3,000 candidates (4.5 million entries) was kept and written: 2.25 GB, and
// an uncaught bad_alloc in the JSON writer. The ranking keeps the first kMaxRankEntries.
TEST(HardeningRankTest, PairRankingsKeepTheirFirstEntriesAndSaySo) {
  std::ostringstream y;
  y << "nodes:\n";
  for (int i = 0; i < 150; ++i) y << "  - {id: f" << i << ", kind: firm}\n";
  y << "  - {id: p, kind: chip, suppliers: [";
  for (int i = 0; i < 150; ++i) y << (i ? ", " : "") << "f" << i;
  y << "]}\n  - {id: t, kind: capability, target: true, inputs: [p]}\n";
  Scratch s;
  std::string graph = s.write("g.yaml", y.str());
  Model m = testing::must_load(y.str());
  CapacityEngine engine(m);
  CapacityInputs world(m.nodes.size());
  auto cap = engine.evaluate(world);
  std::size_t ranked = 0;
  auto ranking = rank_removals(m, world, cap, 2, nullptr, nullptr, nullptr, &ranked);
  EXPECT_EQ(ranked, 152u * 151u / 2);  // f0..f149, p and t
  ASSERT_EQ(ranking.size(), kMaxRankEntries);
  // The pairs with p or t first (impact 1), then pairs of suppliers (2/150), by id.
  EXPECT_EQ(m.nodes[ranking[0].removed[0]].id, "f0");
  EXPECT_EQ(m.nodes[ranking[0].removed[1]].id, "p");
  EXPECT_NEAR(ranking.back().impact, 2.0 / 150, 1e-12);
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif " + graph + " --rank --order 2 --format json", &out, &err), 0);
  EXPECT_NE(out.find("\"ranked\": 11476,\n  \"truncated\": true"), std::string::npos);
  EXPECT_NE(out.find("the ranking lists the first 10000 of 11476 removals (at most 10000 are "
                     "kept)"),
            std::string::npos);
}

}  // namespace
}  // namespace chokepoint
