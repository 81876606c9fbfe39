// Regression tests of the second hardening round (issue 29): hostile inputs that crashed, ran out
// of memory or ran for minutes must end with a clear message, the documented exit status and
// bounded work. The generators of the full-size cases are tests/hostile/generate.py and
// bench/generate.py --shape; these tests use smaller versions of the same shapes.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "exporters/atomic_file.hpp"
#include "exporters/graphviz.hpp"
#include "exporters/report/text.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/input/loader.hpp"
#include "graph/support/errors.hpp"
#include "rules/rule_set.hpp"
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

std::string slurp_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

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

namespace chokepoint {
namespace {

std::string printed(const Diagnostics& diags, const SourceFiles& files) {
  std::ostringstream out;
  diags.print(out, files);
  return out.str();
}

// Medium 7: each of 2,000 errors on one 2.5 MB flow-style line quoted the whole line (732 MB
// of messages). A long line is quoted as a window around the column, and at most 100
// diagnostics of a file are printed.
TEST(HardeningDiagnosticsTest, LongLinesAreQuotedAsAWindowAroundTheColumn) {
  SourceFiles files;
  std::string line = "x: [" + std::string(300, 'a') + ", bad, " + std::string(300, 'b') + "]";
  std::uint32_t f = files.add("f.yaml", line + "\n");
  Diagnostics diags;
  diags.error(SourceLocation{f, 1, 307}, "here");
  diags.error(SourceLocation{f, 1, 3}, "start");
  std::string expect_start =
      "f.yaml:1:3: error: start\n  x: [" + std::string(156, 'a') + "...\n    ^\n";
  std::string expect_here = "f.yaml:1:307: error: here\n  ..." + std::string(78, 'a') + ", bad, " +
                            std::string(75, 'b') + "...\n     " + std::string(80, ' ') + "^\n";
  EXPECT_EQ(printed(diags, files), expect_start + expect_here + "2 errors generated.\n");
  // A short line is quoted whole, as before.
  std::uint32_t g = files.add("g.yaml", "a: 1\n");
  Diagnostics short_line;
  short_line.error(SourceLocation{g, 1, 4}, "x");
  EXPECT_EQ(printed(short_line, files),
            "g.yaml:1:4: error: x\n  a: 1\n     ^\n1 error generated.\n");
}

TEST(HardeningDiagnosticsTest, WindowsAreCutAtCharacters) {
  SourceFiles files;
  std::string line;
  for (int i = 0; i < 200; ++i) line += "é";  // two bytes each
  std::uint32_t f = files.add("f.yaml", line + "\n");
  Diagnostics diags;
  diags.error(SourceLocation{f, 1, 201}, "in the middle");
  std::string out = printed(diags, files);
  std::string quoted = out.substr(out.find('\n') + 1);
  quoted = quoted.substr(0, quoted.find('\n'));
  EXPECT_EQ(quoted, "  ..." + std::string(line.substr(0, 160)) + "...");
}

TEST(HardeningDiagnosticsTest, AtMostAHundredDiagnosticsOfAFileArePrinted) {
  SourceFiles files;
  std::uint32_t f = files.add("f.yaml", "a\n");
  std::uint32_t g = files.add("g.yaml", "b\n");
  Diagnostics diags;
  for (std::uint32_t i = 1; i <= 150; ++i) diags.error(SourceLocation{f, 1, i}, "e");
  for (std::uint32_t i = 1; i <= 30; ++i) diags.warning(SourceLocation{f, 2, i}, "w");
  diags.error(SourceLocation{g, 1, 1}, "other file");
  std::string out = printed(diags, files);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 100 * 3 + 1 + 3 + 1);
  EXPECT_NE(out.find("f.yaml: note: 50 more errors and 30 more warnings and notes not shown\n"
                     "g.yaml:1:1: error: other file\n"),
            std::string::npos);
  EXPECT_NE(out.find("151 errors and 30 warnings generated.\n"), std::string::npos);
}

// Low: a value quoted in a message was cut at 37 bytes, in the middle of a character.
TEST(HardeningDiagnosticsTest, QuotedValuesAreCutAtCharacters) {
  std::string value;
  for (int i = 0; i < 30; ++i) value += "é";
  auto l =
      testing::load_text("nodes:\n  - {id: a, kind: firm, substitution_years: " + value + "}\n");
  ASSERT_EQ(l->headers().size(), 1u);
  std::string kept;
  for (int i = 0; i < 18; ++i) kept += "é";  // 36 bytes of 37
  EXPECT_NE(l->headers()[0].find("'" + kept + "...'"), std::string::npos) << l->headers()[0];
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// Medium 7: "did you mean" compared every unknown name with every node (1,000 unknown ids of a
// large graph: 20 s), again for each alias of one bad name (200,000: 10 s). Suggestions are
// found once per name, within a budget of a million candidates compared per scenario.
TEST(HardeningScenarioTest, SuggestionsAreFoundOncePerNameWithinABudget) {
  std::ostringstream y;
  y << "nodes:\n";
  for (int i = 0; i < 20'000; ++i) y << "  - {id: node-" << i << ", kind: firm}\n";
  Model m = testing::must_load(y.str());
  std::ostringstream s;
  s << "scenario:\n  remove: [";
  for (int i = 0; i < 60; ++i) s << (i ? ", " : "") << "nodee-" << i;
  s << "]\n  remove_jurisdictions: [&j XX";
  for (int i = 0; i < 10'000; ++i) s << ", *j";
  s << "]\n";
  SourceFiles files;
  Diagnostics diags;
  EXPECT_FALSE(load_scenario_text("s.yaml", s.str(), m, files, diags).has_value());
  auto headers = testing::diagnostic_headers(diags, files);
  ASSERT_EQ(headers.size(), 61u);
  EXPECT_EQ(headers[0], "s.yaml:2:12: error: unknown node 'nodee-0'; did you mean 'node-0'?");
  // 20,000 candidates a name: the first 50 names get a suggestion.
  EXPECT_EQ(headers[49].substr(headers[49].find("error:")),
            "error: unknown node 'nodee-49'; did you mean 'node-49'?");
  EXPECT_EQ(headers[50].substr(headers[50].find("error:")), "error: unknown node 'nodee-50'");
  EXPECT_EQ(headers[60], "s.yaml:3:26: error: unknown jurisdiction or bloc 'XX'");
}

// Medium 9: a message of 10,000 {name} over every node of a graph ran out of memory.
TEST(HardeningRulesTest, RenderedMessagesAreCutAtTheLimit) {
  std::string name;
  for (int i = 0; i < 1'500; ++i) name += "é";  // 3,000 bytes
  Model m =
      testing::must_load("nodes:\n  - {id: a, kind: firm, name: \"" + name + "\", target: true}\n");
  SourceFiles files;
  Diagnostics diags;
  std::string message;
  for (int i = 0; i < 10'000; ++i) message += "{name}";
  auto rules = rules::load_rules_text(
      "r.yaml",
      "rules:\n  - id: loud\n    when: \"true\"\n    severity: low\n    message: \"x" + message +
          "\"\n",
      files, diags);
  ASSERT_TRUE(rules.has_value()) << testing::diagnostic_headers(diags, files)[0];
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  auto scores = rules::score_nodes(*rules, a);
  const std::string& rendered = scores[0].fired[0].message;
  // 'x', then whole characters of two bytes up to the limit less the ellipsis, then "…".
  EXPECT_EQ(rendered.size(), 1 + (rules::kMaxMessage - 3 - 1) / 2 * 2 + 3);
  EXPECT_EQ(rendered.substr(rendered.size() - 3), "…");
  EXPECT_EQ(rendered.substr(0, 5), "xéé");
}

// Low: the formula guard missed blanks a spreadsheet skips and small forms of '=';
// ESC, BEL, VT and DEL went through.
TEST(HardeningCsvTest, FormulasBehindAnyBlankAreGuardedAndControlsDropped) {
  for (const char* cell : {"\u00A0=1+1", "\u3000=1", "\u200B=1", "\uFEFF=1", "\uFE66cmd",
                           " \u2009@SUM(A1)", "\uFE62", "\uFF1D1"})
    EXPECT_EQ(csv_field(cell), std::string("'") + cell) << cell;
  EXPECT_EQ(csv_field("\u00A0name"), "\u00A0name");
  EXPECT_EQ(csv_field("a\x1b[31mb\x07"
                      "c\x0b"
                      "d\x7f"
                      "e"),
            "a[31mbcde");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
}

// Medium 10: tooltips kept U+FFFE and U+FFFF (the SVG was not well-formed XML) and U+202E went
// into labels; cairo failed on noncharacters and a truncated PDF was written with exit 0.
TEST(HardeningRenderTest, LabelsAndTooltipsHoldNoNoncharacterNorBidiControl) {
  Scratch s;
  std::string graph = s.write(
      "g.yaml",
      "nodes:\n  - {id: a, kind: firm, name: \"A\\uFFFE\\uFFFF\\uFDD0 \\u202Eevil \\u061Cmark\"}\n"
      "  - {id: t, kind: capability, target: true, inputs: [a]}\n");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("render " + graph + " -o - --format svg", &out, &err), 0) << err;
  EXPECT_EQ(out.find("\xEF\xBF\xBE"), std::string::npos);  // U+FFFE
  EXPECT_EQ(out.find("\xEF\xBF\xBF"), std::string::npos);  // U+FFFF
  EXPECT_EQ(out.find("\xE2\x80\xAE"), std::string::npos);  // U+202E
  EXPECT_EQ(out.find("\xD8\x9C"), std::string::npos);      // U+061C, two bytes
  EXPECT_NE(out.find("A\uFFFD\uFFFD\uFFFD evil mark"), std::string::npos);
  ASSERT_EQ(testing::run_cli("render " + graph + " -o " + s.path("g.pdf"), &out, &err), 0) << err;
  EXPECT_EQ(err, "");
  EXPECT_GT(std::filesystem::file_size(s.path("g.pdf")), 10'000u);
  // Graphviz's own errors during a render are errors of the run.
  std::string dot = "digraph { a [label=\"x\xEF\xBF\xBEy\"] }";
  EXPECT_THROW(
      {
        try {
          render_dot(dot, "pdf");
        } catch (const IoError& e) {
          EXPECT_EQ(std::string(e.what()).rfind("Graphviz could not draw the pdf: ", 0), 0u)
              << e.what();
          throw;
        }
      },
      IoError);
}

// Low: with SOURCE_DATE_EPOCH, a PDF made outside UTC kept its rendering time (cairo writes local
// time with its offset, and the stamp of another length was not written over it).
TEST(HardeningRenderTest, PdfDateIsTheSameInEveryTimeZone) {
  Scratch s;
  auto run = [&](const char* tz, const std::string& file) {
    std::string cmd = std::string("cd '") + CHOKEPOINT_SOURCE_DIR +
                      "' && SOURCE_DATE_EPOCH=86400 TZ=" + tz + " '" + CHOKEPOINT_BINARY +
                      "' render data/examples/minimal.yaml -o '" + file + "'";
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream in(file, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  std::string utc = run("UTC", s.path("u.pdf"));
  EXPECT_NE(utc.find("/CreationDate (D:19700102000000Z)"), std::string::npos);
  EXPECT_EQ(run("Asia/Kolkata", s.path("k.pdf")), utc);
  EXPECT_EQ(run("America/St_Johns", s.path("j.pdf")), utc);
}

// Low: nine shares of 1/9 from one jurisdiction summed to 1.0000000000000002, and
// jurisdiction_hhi 10000.000000000005 failed the schema's maximum.
TEST(HardeningMetricsTest, ConcentrationIndicesStayInTheirRanges) {
  std::ostringstream y;
  y << "nodes:\n";
  for (int i = 0; i < 9; ++i) y << "  - {id: f" << i << ", kind: firm, jurisdiction: US}\n";
  y << "  - {id: p, kind: chip, suppliers: [f0, f1, f2, f3, f4, f5, f6, f7, f8]}\n";
  Model m = testing::must_load(y.str());
  NodeMetrics out;
  supplier_metrics(m, *m.find("p"), out);
  EXPECT_EQ(*out.jurisdiction_hhi, 10000.0);
  EXPECT_EQ(*out.top_jurisdiction_share, 1.0);
}

// Low: -o a loop of symbolic links replaced a link with a file; -o a FIFO nothing reads waited
// for ever; -o an input overwrote it.
TEST(HardeningOutputTest, LinkLoopsFifosAndInputsAreRefused) {
  Scratch s;
  std::filesystem::create_symlink("b", s.path("a"));
  std::filesystem::create_symlink("a", s.path("b"));
  auto write = [](std::ostream& out) { out << "report"; };
  EXPECT_THROW(write_atomically(s.path("a"), write), IoError);
  EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(s.path("a"))));
  ASSERT_EQ(::mkfifo(s.path("f").c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  try {
    write_atomically(s.path("f"), write);
    ADD_FAILURE() << "a FIFO without a reader was written";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write '" + s.path("f") + "': no reader after 5 s (a FIFO nothing reads?)");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(9));
  std::string graph = s.write("g.yaml", "nodes:\n  - {id: a, kind: firm, target: true}\n");
  std::filesystem::create_symlink("g.yaml", s.path("link.yaml"));
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze " + s.path("link.yaml") + " -o " + graph, &out, &err), 2);
  EXPECT_EQ(err, "error: refusing to write '" + graph +
                     "': it is one of this run's inputs; write the output elsewhere\n");
  EXPECT_EQ(slurp_file(graph), "nodes:\n  - {id: a, kind: firm, target: true}\n");
}

// Low: a failed --out-dir run left its first files beside the old set; a smaller run left a
// larger one's target diagrams.
TEST(HardeningOutputTest, FileSetsAreWrittenAsOne) {
  Scratch s;
  std::string dir = s.path("set");
  auto in_set = [](std::string_view name) { return name.rfind("target-", 0) == 0 || name == "a"; };
  write_file_set(dir, {{"a", "1"}, {"target-x.svg", "x"}, {"target-y.svg", "y"}}, in_set);
  std::filesystem::create_directory(dir + "/b");  // the next set cannot write 'b'
  EXPECT_THROW(write_file_set(dir, {{"a", "2"}, {"b", "2"}}, in_set), IoError);
  EXPECT_EQ(slurp_file(dir + "/a"), "1");
  std::filesystem::remove(dir + "/b");
  std::ofstream(dir + "/notes.txt") << "mine";
  write_file_set(dir, {{"a", "3"}, {"target-x.svg", "x3"}}, in_set);
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "notes.txt", "target-x.svg"}));
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// 12: sfdp took 55-64 s on a 10,000-node graph of 44,800 nodes and edges, within the size the
// layout was chosen for. It now runs in a child process against a time limit, and the overview
// by stage is drawn when the limit passes.
TEST(HardeningRenderTest, SfdpRunsAgainstATimeLimit) {
  Model m = testing::must_load(R"(
nodes:
  - {id: a, kind: firm, jurisdiction: US}
  - {id: b, kind: chip, suppliers: [a]}
  - {id: t, kind: capability, target: true, inputs: [b]}
)");
  Analysis a = analyze(m, std::nullopt, AnalysisOptions{});
  std::vector<rules::NodeScore> scores(m.nodes.size());
  DiagramOptions options;
  options.layout = "sfdp";
  DiagramView view = select_view(a, scores, options);
  std::string note;
  std::string in_time = render_diagram(a, scores, view, options, "svg", &note);
  EXPECT_EQ(note, "");
  EXPECT_EQ(in_time, render_dot(to_dot(a, scores, view, options), "svg", "sfdp"));
  options.sfdp_seconds = 0;
  std::string late = render_diagram(a, scores, view, options, "svg", &note);
  EXPECT_EQ(note,
            "sfdp did not lay out the view's 3 nodes within 0 s: drawn as the overview by stage. "
            "Narrow the view with --focus ID --depth N or --min-severity high");
  EXPECT_EQ(late, render_dot(stage_overview_dot(a, scores), "svg"));
  // An error in the child is the run's.
  EXPECT_THROW(render_dot_within("digraph { a -> }", "svg", "sfdp", 10), IoError);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// 10 and Low: numbers on the command line. `--for nan` passed (the file form rejects it), and
// CLI11's ranges let nan through; `--cut-budget -1` (read as unsigned), 2^64 and anything huge
// silently meant "no limit"; `-o ''` wrote to standard output.
TEST(HardeningCliTest, NumbersAndFileNamesAreChecked) {
  std::string out, err;
  const std::string g = " data/examples/minimal.yaml";
  EXPECT_EQ(testing::run_cli("timeline" + g + " --remove tsmc --for nan", &out, &err), 2);
  EXPECT_EQ(err,
            "--for: expected a number of 0 or more, got 'nan'\nRun with --help for more "
            "information.\n");
  EXPECT_EQ(testing::run_cli("timeline" + g + " --remove tsmc --for inf", &out, &err), 2);
  EXPECT_EQ(testing::run_cli("timeline" + g + " --remove tsmc --for -1", &out, &err), 2);
  EXPECT_EQ(testing::run_cli("whatif" + g + " --remove tsmc --fdpr --de-minimis nan", &out, &err),
            2);
  EXPECT_EQ(err,
            "--de-minimis: expected a number from 0 to 1, got 'nan'\nRun with --help for more "
            "information.\n");
  EXPECT_EQ(testing::run_cli("analyze" + g + " --cut-budget -1", &out, &err), 2);
  EXPECT_EQ(err,
            "--cut-budget: Value -1 not in range 1 to 1000000000000\nRun with --help for more "
            "information.\n");
  EXPECT_EQ(testing::run_cli("analyze" + g + " --cut-budget 18446744073709551616", &out, &err), 2);
  EXPECT_EQ(testing::run_cli("analyze" + g + " --cut-budget 99999999999999999999", &out, &err), 2);
  EXPECT_EQ(
      testing::run_cli("analyze" + g + " --cut-budget 1000000000000 --format json", &out, &err), 0);
  EXPECT_EQ(testing::run_cli("analyze" + g + " -o ''", &out, &err), 2);
  EXPECT_EQ(out, "");
  EXPECT_EQ(err,
            "--output: expected a file name (- for standard output), got ''\nRun with --help for "
            "more information.\n");
  EXPECT_EQ(testing::run_cli("analyze" + g + " --out-dir ''", &out, &err), 2);
  EXPECT_EQ(testing::run_cli("import csv tests/data/import/csv/nodes.csv "
                             "tests/data/import/csv/edges.csv -o ''",
                             &out, &err),
            2);
}

// Low: CSV import took a repeated header column from its first place, accepted values past the
// header, read an unclosed quote to the end of the file without a word, and share_provided
// 1e308 became -nan.
TEST(HardeningImportTest, TablesAreReadStrictly) {
  Scratch s;
  std::string nodes = s.write("nodes.csv", "id,kind,Kind\na,firm,chip\nb,chip,x\n");
  std::string edges = s.write("edges.csv", "from,to,role\na,b,supplier,extra\na,b,supplier,\n");
  std::string out, err;
  EXPECT_EQ(testing::run_cli("import csv " + nodes + " " + edges + " -o -", &out, &err), 1);
  EXPECT_EQ(out, "");
  // Each at the cell: the repeated name, the first field past the header.
  EXPECT_EQ(err,
            nodes +
                ":1:9: error: column 'Kind' is named twice in the header (also column 2); "
                "rename or remove one\n  id,kind,Kind\n          ^\n" +
                edges +
                ":2:14: error: expected at most 3 fields (the header's columns, separated by "
                "commas), got 4\n  a,b,supplier,extra\n               ^\n2 errors generated.\n");
  s.write("nodes.csv", "id,kind,name\na,firm,\"Firm\nb,chip,B\n");
  EXPECT_EQ(testing::run_cli("import csv " + nodes + " " + edges + " -o -", &out, &err), 1);
  EXPECT_EQ(err.substr(0, err.find('\n')),
            nodes +
                ":2:8: error: unterminated quoted field: this quote is never closed (a quote "
                "inside a quoted field is written \"\")");
  // An eto folder with a share of 1e308 percent.
  std::string eto = s.path("eto");
  std::filesystem::create_directories(eto);
  s.write("eto/inputs.csv", "input_id,input_name,type\nN1,Chips,ultimate_output\n");
  s.write("eto/providers.csv",
          "provider_name,alias,provider_id,provider_type,country\nA,,P1,organization,USA\n"
          "B,,P2,organization,USA\n");
  s.write("eto/provision.csv",
          "provider_id,provided_id,share_provided\nP1,N1,1e308\nP2,N1,1e308\n");
  s.write("eto/sequence.csv", "input_id,goes_into_id,is_type_of_id\n");
  EXPECT_EQ(testing::run_cli("import eto " + eto + " -o -", &out, &err), 1);
  EXPECT_EQ(out, "");
  EXPECT_NE(err.find("provision.csv:2:7: error: share_provided must be a percentage from 0 to "
                     "100, got '1e308'"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("nan"), std::string::npos);
}

// 9: every ETO name in another script slugged to `node` (`node-1734`), and each repeated name
// tried -2, -3, ... from the start (20,000 names: 31 s). Such names take the table's id; a
// repeated name takes the next number at once.
TEST(HardeningImportTest, EtoIdsComeFromTheTableWhenANameHasNoLatinLetters) {
  Scratch s;
  std::string eto = s.path("eto");
  std::filesystem::create_directories(eto);
  std::string inputs = "input_id,input_name,type\n";
  for (int i = 1; i <= 20000; ++i)
    inputs += fmt::format("N{},{},material_resource\n", i, i <= 10000 ? "芯片" : "Wafer");
  inputs += "T1,Capability,ultimate_output\n";
  s.write("eto/inputs.csv", inputs);
  s.write("eto/providers.csv",
          "provider_name,alias,provider_id,provider_type,country\n東京,,P1,organization,JPN\n");
  s.write("eto/provision.csv", "provider_id,provided_id,share_provided\nP1,N1,100\n");
  s.write("eto/sequence.csv", "input_id,goes_into_id,is_type_of_id\nN1,T1,\nN20000,T1,\n");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("import eto " + eto + " -o " + s.path("g.yaml"), &out, &err), 0)
      << err.substr(0, 2000);
  std::string yaml = slurp_file(s.path("g.yaml"));
  EXPECT_NE(yaml.find("id: \"n1\"\n"), std::string::npos);
  EXPECT_NE(yaml.find("id: \"n10000\"\n"), std::string::npos);
  EXPECT_NE(yaml.find("id: \"wafer\"\n"), std::string::npos);
  EXPECT_NE(yaml.find("id: \"wafer-10000\"\n"), std::string::npos);
  EXPECT_NE(yaml.find("id: \"p1\"\n"), std::string::npos);
  EXPECT_EQ(yaml.find("id: \"node"), std::string::npos);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// Low: a message that named a second place named a line of the YAML the import generates, which
// the reader never sees ("first at line 11, column 14", "first defined at <import>:4:9").
TEST(HardeningImportTest, SecondPlacesInMessagesAreTableRows) {
  Scratch s;
  std::string nodes = s.write("nodes.csv", "id,kind\na,firm\nb,chip\na,firm\n");
  std::string edges =
      s.write("edges.csv", "from,to,role,share\na,b,supplier,0.5\na,b,supplier,0.5\n");
  std::string out, err;
  EXPECT_EQ(testing::run_cli("import csv " + nodes + " " + edges + " -o -", &out, &err), 1);
  EXPECT_NE(err.find(nodes + ":4:1: error: duplicate id 'a'; first defined at " + nodes + ":2:1\n"),
            std::string::npos)
      << err;
  // The same table: its row and column, as the loader says it for one file.
  EXPECT_NE(err.find(edges + ":3:1: error: 'a' is listed twice in this group (first at line 2, "
                             "column 1)\n"),
            std::string::npos)
      << err;
  EXPECT_EQ(err.find("<import>"), std::string::npos);
}

// Low: errors printed one byte of a multi-byte character ("has '\xC3' at position 2").
TEST(HardeningDiagnosticsTest, AnIdsBadCharacterIsQuotedWhole) {
  Diagnostics diags;
  SourceFiles files;
  auto m = load_graph_text("g.yaml", "nodes:\n  - {id: aé, kind: firm}\n", files, diags);
  EXPECT_FALSE(m);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].message,
            "id 'aé' has 'é' at position 2; ids use letters, digits and '_' '.' ':' '-'");
}

}  // namespace
}  // namespace chokepoint
