// Command-line tests: golden outputs compared byte for byte, exit codes, atomic output.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct GoldenCase {
  const char* name;
  const char* args;
  const char* golden;  // under tests/data/golden/
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

const GoldenCase kGolden[] = {
    {"AnalyzeJson", "analyze data/examples/minimal.yaml --format json", "minimal-analyze.json"},
    {"AnalyzeMarkdown", "analyze data/examples/minimal.yaml", "minimal-analyze.md"},
    {"AnalyzeByJurisdiction",
     "analyze data/examples/minimal.yaml --cut-by jurisdiction --format json",
     "minimal-analyze-by-jurisdiction.json"},
    {"WhatifJson", "whatif data/examples/minimal.yaml --remove skh --format json",
     "minimal-whatif-skh.json"},
    {"WhatifEmbargoMarkdown", "whatif data/examples/minimal.yaml --embargo 'allies>CN' --fdpr",
     "minimal-whatif-embargo.md"},
    {"RankJson", "whatif data/examples/minimal.yaml --rank --format json", "minimal-rank.json"},
    {"DecoupleJson", "decouple data/examples/minimal.yaml --between allies --and CN --format json",
     "minimal-decouple.json"},
    {"AnalyzeCsv", "analyze data/examples/minimal.yaml --format csv", "minimal-nodes.csv"},
    {"AnalyzeDecoupleJson",
     "analyze data/examples/minimal.yaml --between allies --and CN --fdpr --remove-jurisdiction KR "
     "--format json",
     "minimal-analyze-decouple.json"},
    {"AnalyzeScenarioMarkdown",
     "analyze data/examples/minimal.yaml -s data/scenarios/taiwan-disruption.yaml --between allies "
     "--and CN",
     "minimal-analyze-taiwan.md"},
    {"AnalyzeDot", "analyze data/examples/minimal.yaml --format dot", "minimal-graph.dot"},
    {"AnalyzeLeverageMarkdown",
     "analyze data/examples/minimal.yaml --between allies --and CN --fdpr",
     "minimal-analyze-leverage.md"},
    {"ImportCsv", "import csv tests/data/import/csv/nodes.csv tests/data/import/csv/edges.csv -o -",
     "import-csv.yaml"},
    {"ImportEto", "import eto tests/data/import/eto -o -", "import-eto.yaml"},
    {"TimelineMarkdown",
     "timeline data/examples/minimal.yaml --remove tsmc --for 6 --months 12 --perspective CN",
     "minimal-timeline.md"},
    {"TimelineCsv",
     "timeline data/examples/minimal.yaml --embargo 'allies>CN' --months 3 --format csv",
     "minimal-timeline.csv"},
    {"CoalitionsMarkdown", "coalitions data/examples/minimal.yaml --against CN",
     "minimal-coalitions.md"},
    {"CoalitionsJson", "coalitions data/examples/minimal.yaml --against CN --fdpr --format json",
     "minimal-coalitions.json"},
    {"AnalyzeSvg", "analyze data/examples/minimal.yaml --format svg", "minimal-graph.svg"},
    {"AnalyzeHtml", "analyze data/examples/minimal.yaml --format html", "minimal-report.html"},
    {"ScenarioOverlayDot",
     "analyze data/examples/minimal.yaml --format dot -s data/scenarios/taiwan-disruption.yaml",
     "minimal-taiwan.dot"},
    {"RenderGraphml", "render data/examples/minimal.yaml --format graphml -o -", "minimal.graphml"},
    {"RenderGexf", "render data/examples/minimal.yaml --format gexf -o -", "minimal.gexf"},
    {"UncertaintyMarkdown",
     "uncertainty data/examples/uncertainty.yaml -s "
     "data/examples/scenarios/uncertainty-hbm-control.yaml --samples 500",
     "uncertainty-hbm.md"},
    {"UncertaintyCsv",
     "uncertainty data/examples/uncertainty.yaml -s "
     "data/examples/scenarios/uncertainty-hbm-control.yaml --samples 500 --format csv",
     "uncertainty-hbm.csv"},
    {"WhatifBandsMarkdown",
     "whatif data/examples/uncertainty.yaml -s "
     "data/examples/scenarios/uncertainty-hbm-control.yaml",
     "uncertainty-hbm-whatif.md"},
    {"CompareMarkdown",
     "compare data/examples/compare.yaml data/examples/scenarios/compare-us-control.yaml "
     "data/examples/scenarios/compare-korea-offline.yaml",
     "compare-example.md"},
    {"RenderFocusDot",
     "render data/examples/minimal.yaml --focus gpu --depth 1 --cluster kind --format dot -o -",
     "minimal-focus-gpu.dot"},
};

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

// Set CHOKEPOINT_UPDATE_GOLDEN=1 to rewrite the files after a deliberate change; review the diff.
TEST_P(GoldenTest, OutputMatchesByteForByte) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(GetParam().args, &out, &err), 0) << err;
  std::string path = testing::source_path(std::string("tests/data/golden/") + GetParam().golden);
  if (std::getenv("CHOKEPOINT_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << out;
  EXPECT_EQ(out, slurp(path)) << "golden file " << path;
  std::string again;
  testing::run_cli(GetParam().args, &again);
  EXPECT_EQ(out, again) << "two runs differ";
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(kGolden),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(CliAnalyzeTest, DatasetJsonIsByteIdenticalAcrossRuns) {
  std::string a, b;
  ASSERT_EQ(
      testing::run_cli("analyze data/ai-supply-chain.yaml -s data/scenarios/embargo-cn-fdpr.yaml "
                       "--format json",
                       &a),
      0);
  ASSERT_EQ(
      testing::run_cli("analyze data/ai-supply-chain.yaml -s data/scenarios/embargo-cn-fdpr.yaml "
                       "--format json",
                       &b),
      0);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("\"schema\": \"chokepoint-report/2\""), std::string::npos);
}

TEST(CliAnalyzeTest, UnknownNodeInFlagIsUsageErrorWithSuggestion) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --remove skhh", &out, &err), 2);
  EXPECT_EQ(err,
            "--remove:1:1: error: unknown node 'skhh'; did you mean 'skh'?\n"
            "  skhh\n"
            "  ^\n"
            "1 error generated.\n"
            "error: the scenario flags are not valid (see above)\n");
}

// Flags and scenario files go through one builder: the same mistakes, the same messages, each
// positioned inside the flag's value.
TEST(CliAnalyzeTest, ControlFlagsAreCheckedLikeAScenarioFile) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --control 'US,CN>CN'", &out, &err),
            2);
  EXPECT_EQ(err,
            "--control:1:7: error: 'CN' is on both sides of this control\n"
            "  US,CN>CN\n"
            "        ^\n"
            "1 error generated.\n"
            "error: the scenario flags are not valid (see above)\n");
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --embargo 'CN>CN'", &out, &err), 2);
  EXPECT_NE(err.find("--embargo:1:4: error: 'CN' is on both sides of this embargo"),
            std::string::npos);
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --control 'US>CN' --items "
                             "\"kind == 'chip' and reach > 1\" --capacity skh=0x1",
                             &out, &err),
            2);
  EXPECT_EQ(
      err,
      "--capacity:1:5: error: a capacity factor must be a number, got '0x1'\n"
      "  skh=0x1\n"
      "      ^\n"
      "--items:1:20: error: 'reach' cannot be used in a control (it is decided before any "
      "metric); use node fields: id, name, kind, jurisdiction, target, tags, "
      "substitution_years, stock_months, lifetime_months, quantity, quantity_unit, attrs.NAME\n"
      "  kind == 'chip' and reach > 1\n"
      "                     ^\n"
      "2 errors generated.\n"
      "error: the scenario flags are not valid (see above)\n");
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --control 'US>hbmm'", &out, &err),
            2);
  EXPECT_NE(err.find("--control:1:4: error: unknown jurisdiction, bloc or node 'hbmm'; did you "
                     "mean 'hbm'?"),
            std::string::npos)
      << err;
}

TEST(CliAnalyzeTest, BadEmbargoSyntaxIsUsageError) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --embargo US", &out, &err), 2);
  EXPECT_EQ(err, "error: --embargo expects 'BY>AGAINST' (e.g. 'us-allies>CN'), got 'US'\n");
}

TEST(CliAnalyzeTest, WhatifWithoutChangeIsUsageError) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml", &out, &err), 2);
}

TEST(CliAnalyzeTest, InvalidGraphExitsOne) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze tests/data/bad/unknown-jurisdiction.yaml", &out, &err), 1);
  EXPECT_EQ(out, "");
  EXPECT_NE(err.find("unknown jurisdiction 'USA'"), std::string::npos);
}

TEST(CliAnalyzeTest, InvalidScenarioExitsOneWithPosition) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string scenario = (dir / "s.yaml").string();
  std::ofstream(scenario) << "scenario:\n  remove: [skh, tmsc]\n";
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml -s " + scenario, &out, &err), 1);
  EXPECT_EQ(err, scenario +
                     ":2:17: error: unknown node 'tmsc'; did you mean 'tsmc'?\n"
                     "    remove: [skh, tmsc]\n"
                     "                  ^\n"
                     "1 error generated.\n");
  std::filesystem::remove_all(dir);
}

TEST(CliAnalyzeTest, OutputFileIsWrittenAndUnwritableDirectoryExitsThree) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_out_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "r.json").string();
  std::string out, err;
  EXPECT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml --format json -o " + path, &out, &err),
      0);
  EXPECT_EQ(out, "");
  EXPECT_EQ(slurp(path), slurp(testing::source_path("tests/data/golden/minimal-analyze.json")));
  // No temporary file is left beside it.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1u);
  EXPECT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml -o /nonexistent-dir/r.md", &out, &err),
      3);
  EXPECT_EQ(
      err,
      "error: cannot write '/nonexistent-dir/r.md': directory '/nonexistent-dir' does not exist\n");
  std::filesystem::remove_all(dir);
}

TEST(CliCoalitionsTest, UnknownSideOrTargetIsUsageError) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("coalitions data/examples/minimal.yaml --against CNN", &out, &err), 2);
  EXPECT_EQ(err, "error: unknown jurisdiction or bloc 'CNN' in --against; did you mean 'CN'?\n");
  EXPECT_EQ(testing::run_cli("coalitions data/examples/minimal.yaml --against CN --target trainin",
                             &out, &err),
            2);
  EXPECT_EQ(err, "error: 'trainin' is not a node of the graph; did you mean 'training'?\n");
  EXPECT_EQ(testing::run_cli("coalitions data/examples/minimal.yaml --against CN --items 'kind =='",
                             &out, &err),
            2);
  EXPECT_EQ(err,
            "--items:1:8: error: expected a value, got end of expression\n"
            "  kind ==\n"
            "         ^\n"
            "1 error generated.\n"
            "error: the control's flags are not valid (see above)\n");
}

TEST(CliCoalitionsTest, ASearchPastItsBudgetWarnsAndFlagsEveryOutput) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("coalitions tests/data/coalitions-24.yaml --against CN --budget 30",
                             &out, &err),
            0);
  EXPECT_EQ(err,
            "warning: the coalition search stopped at its budget of 30 views; the minimal "
            "coalitions listed are real but others may be missing, and the reports say how far "
            "the power indices got (raise --budget, or name fewer --candidates)\n");
  EXPECT_NE(out.find("> Note: The search stopped at its budget of 30 views (--budget): the minimal "
                     "coalitions listed win and need every member, but others may be missing; the "
                     "power indices were not computed."),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("Power indices"), std::string::npos);
  EXPECT_EQ(testing::run_cli("coalitions tests/data/coalitions-24.yaml --against CN --budget 30 "
                             "--format csv",
                             &out, &err),
            0);
  EXPECT_EQ(out, "\xEF\xBB\xBFkind,target,members,size,banzhaf,shapley_shubik\r\n");  // no row
  EXPECT_EQ(testing::run_cli("coalitions tests/data/coalitions-24.yaml --against CN --budget 0",
                             &out, &err),
            2);
  EXPECT_EQ(err.substr(0, 16), "--budget: Value ");
}

TEST(CliAnalyzeTest, UnavailableFormatIsUsageError) {
  std::string out, err;
  EXPECT_EQ(
      testing::run_cli("whatif data/examples/minimal.yaml --remove skh --format svg", &out, &err),
      2);
  EXPECT_EQ(err, "error: --format svg is not available for whatif; use md, json or html\n");
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --format xlsx", &out, &err), 2);
  EXPECT_EQ(err,
            "error: unknown --format 'xlsx'; use md, json, csv, edges-csv, dot, svg, png, pdf or "
            "html\n");
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --format jsn", &out, &err), 2);
  EXPECT_EQ(
      err,
      "error: unknown --format 'jsn'; did you mean 'json'?; use md, json, csv, edges-csv, dot, "
      "svg, png, "
      "pdf or html\n");
}

// The format follows -o's extension when --format is absent, and format names ignore case.
TEST(CliAnalyzeTest, FormatFromOutputExtensionAndAnyCase) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_ext_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze data/examples/minimal.yaml -o " + (dir / "r.json").string(),
                             &out, &err),
            0)
      << err;
  EXPECT_EQ(slurp((dir / "r.json").string()),
            slurp(testing::source_path("tests/data/golden/minimal-analyze.json")));
  ASSERT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --format JSON", &out, &err), 0);
  EXPECT_EQ(out, slurp(testing::source_path("tests/data/golden/minimal-analyze.json")));
  ASSERT_EQ(testing::run_cli(
                "whatif data/examples/minimal.yaml --remove skh -o " + (dir / "w.HTML").string(),
                &out, &err),
            0);
  EXPECT_EQ(slurp((dir / "w.HTML").string()).rfind("<!DOCTYPE html>", 0), 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

std::string shell(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buffer[4096];
  std::size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, got);
  int rc = ::pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

std::string bin() {
  return std::string("cd '") + CHOKEPOINT_SOURCE_DIR + "' && '" + CHOKEPOINT_BINARY + "'";
}

TEST(CliStreamsTest, StdinDevStdoutAndAFullDisk) {
  int status = 0;
  EXPECT_EQ(shell(bin() + " validate - < data/examples/minimal.yaml 2>&1", &status),
            "ok: 12 nodes, 11 edges, 1 target, 5 jurisdictions\n");
  EXPECT_EQ(status, 0);
  std::string via_device =
      shell(bin() + " analyze data/examples/minimal.yaml --format json -o /dev/stdout", &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(via_device, slurp(testing::source_path("tests/data/golden/minimal-analyze.json")));
  if (std::filesystem::exists("/dev/full")) {
    EXPECT_EQ(shell(bin() + " analyze data/examples/minimal.yaml 2>&1 >/dev/full", &status),
              "error: cannot write to standard output: No space left on device\n");
    EXPECT_EQ(status, 3);
  }
}

// A target with 300 equal suppliers and min_supply 0.99 is lost when any four go: C(300, 4) =
// 330 million minimal cut sets at order 4, which numbers decide (the threshold), not structure.
// The work budget stops the search in bounded time and every output says so.
TEST(CliBudgetTest, CutSetSearchStopsAtItsBudgetAndSaysSo) {
  auto path = std::filesystem::temp_directory_path() /
              ("chokepoint_wide_" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream y(path);
    y << "nodes:\n";
    for (int i = 0; i < 300; ++i) y << "  - {id: s" << i << ", kind: firm}\n";
    y << "  - {id: t, kind: chip, target: true, min_supply: 0.99, suppliers: [";
    for (int i = 0; i < 300; ++i) y << (i ? ", " : "") << "s" << i;
    y << "]}\n";
  }
  std::string out, err;
  EXPECT_EQ(testing::run_cli(
                "analyze '" + path.string() + "' --cut-order 4 --cut-budget 20000 --format json",
                &out, &err),
            0);
  EXPECT_EQ(err,
            "warning: the cut-set search used up its budget of 20000 evaluations (an equal share "
            "per target); the reports mark the "
            "targets whose lists may be incomplete (raise --cut-budget)\n");
  EXPECT_NE(out.find("\"budget_hit\": true"), std::string::npos);
  EXPECT_NE(out.find("the cut-set search used up its work budget of 20000 evaluations "
                     "(--cut-budget, an equal share per target)"),
            std::string::npos);
  std::filesystem::remove(path);
}

// Targets run on two threads, each with an equal share of the cut-set budget, and families one
// target cached are charged to the next at their cost: with a budget that stops some targets and
// not others, one thread and two give the same bytes.
TEST(CliBudgetTest, BudgetOutcomesDoNotDependOnTheThreadCount) {
  std::string cmd = " analyze data/ai-supply-chain.yaml --order 4 --cut-budget 20000 --format json";
  int status = 0;
  std::string two = shell("CHOKEPOINT_THREADS=2 " + bin() + cmd + " 2>/dev/null", &status);
  EXPECT_EQ(status, 0);
  std::string one = shell("CHOKEPOINT_THREADS=1 " + bin() + cmd + " 2>/dev/null", &status);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(one, two);
  EXPECT_NE(two.find("\"budget_hit\": true"), std::string::npos);
  EXPECT_NE(two.find("\"budget_hit\": false"), std::string::npos);
}

TEST(CliBudgetTest, CountsOutOfRangeAreRefused) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --max-cut-sets 0", &out, &err), 2);
  EXPECT_EQ(err,
            "--max-cut-sets: Value 0 not in range 1 to 10000000\nRun with --help for more "
            "information.\n");
  EXPECT_EQ(testing::run_cli("render data/examples/minimal.yaml -o - --format dot --depth -5", &out,
                             &err),
            2);
}

TEST(CliRenderTest, PdfIsReproducibleWithSourceDateEpoch) {
  int status = 0;
  std::string a = shell("export SOURCE_DATE_EPOCH=86400; " + bin() +
                            " render data/examples/minimal.yaml --format pdf -o -",
                        &status);
  ASSERT_EQ(status, 0);
  EXPECT_NE(a.find("/CreationDate (D:19700102000000Z)"), std::string::npos);
  std::string b = shell("export SOURCE_DATE_EPOCH=86400; " + bin() +
                            " render data/examples/minimal.yaml --format pdf -o -",
                        &status);
  EXPECT_EQ(a, b);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// The mistakes a new user makes on the command line each get a helpful answer.
TEST(CliConventionsTest, MisspellingsAliasesVersionAndExitCodes) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("anlyze data/examples/minimal.yaml", &out, &err), 2);
  EXPECT_EQ(err,
            "error: unknown command 'anlyze'; did you mean 'analyze'?; the commands are validate, "
            "analyze, whatif, render, decouple, coalitions, timeline, uncertainty, compare and "
            "import\n");
  EXPECT_EQ(testing::run_cli("analyse data/examples/minimal.yaml --format JSON", &out, &err), 0);
  EXPECT_EQ(out, slurp(testing::source_path("tests/data/golden/minimal-analyze.json")));
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --formt json", &out, &err), 2);
  EXPECT_EQ(err,
            "The following arguments were not expected: json --formt; did you mean '--format'?\n"
            "Run with --help for more information.\n");
  EXPECT_EQ(testing::run_cli("analyze --version", &out, &err), 0);
  EXPECT_EQ(out, std::string("chokepoint ") + CHOKEPOINT_VERSION + "\n");
  EXPECT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml --cut-by JURISDICTION --format json",
                       &out, &err),
      0);
  EXPECT_NE(out.find("\"cut_by\": \"jurisdiction\""), std::string::npos);
  EXPECT_EQ(testing::run_cli("render data/examples/minimal.yaml -o -", &out, &err), 0);
  EXPECT_EQ(out.rfind("<?xml", 0), 0u);
  EXPECT_EQ(testing::run_cli("analyze no-such-file.yaml", &out, &err), 3);
  EXPECT_EQ(err,
            "no-such-file.yaml: error: cannot open file: no such file\n1 error generated.\n"
            "error: cannot read 'no-such-file.yaml'\n");
}

// decouple takes the scenario flags of analyze: --remove changes what the sides start from, the
// report says so, and --fdpr (one flag) covers both sides' controls.
TEST(CliConventionsTest, DecoupleTakesTheScenarioFlags) {
  std::string d = "data/ai-supply-chain.yaml --between us-nl-jp --and CN --fdpr";
  std::string plain, removed, err;
  ASSERT_EQ(testing::run_cli("decouple " + d, &plain, &err), 0) << err;
  ASSERT_EQ(testing::run_cli("decouple " + d + " --remove asml", &removed, &err), 0) << err;
  // Without a scenario the report says so: its levers include what controls in force pull.
  EXPECT_NE(plain.find("- Starting from: the graph as written, with nothing denied (controls "
                       "already in force are not assumed: add them with -s)\n"),
            std::string::npos)
      << plain;
  EXPECT_NE(removed.find("- Starting from: remove asml\n"), std::string::npos);
  EXPECT_NE(plain, removed);
  EXPECT_NE(plain.find("(with FDPR)"), std::string::npos);
  EXPECT_EQ(testing::run_cli("decouple " + d + " --remove asml --format json", &removed, &err), 0);
  EXPECT_NE(removed.find("\"remove\": [\n      \"asml\""), std::string::npos)
      << removed.substr(0, 2000);
  EXPECT_EQ(testing::run_cli("decouple " + d + " --remove asmll", &removed, &err), 2);
  EXPECT_NE(err.find("did you mean 'asml'"), std::string::npos) << err;
}

// --items covers what withholding may control, in analyze and decouple alike: published data
// (outside export control) is not tried, the report and the JSON say which items were, and a
// mistake in the expression is shown at the flag.
TEST(CliConventionsTest, ItemsLimitWhatASideCanWithhold) {
  std::string d =
      "data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml --between "
      "us-nl-jp --and CN --fdpr --format json";
  for (std::string command : {"analyze", "decouple"}) {
    std::string every, unpublished, err;
    ASSERT_EQ(testing::run_cli(command + " " + d, &every, &err), 0) << err;
    ASSERT_EQ(
        testing::run_cli(command + " " + d + " --items 'not attrs.published'", &unpublished, &err),
        0)
        << err;
    auto leverage = [](const std::string& json) {
      auto r = nlohmann::json::parse(json)["leverage"];
      std::set<std::string> ids;
      for (const auto& n : r["leverage"]["nodes"]) ids.insert(n["id"].get<std::string>());
      return std::pair{r["items"], ids};
    };
    auto [items_every, ids_every] = leverage(every);
    auto [items_unpublished, ids_unpublished] = leverage(unpublished);
    EXPECT_TRUE(items_every.is_null()) << command;
    EXPECT_EQ(items_unpublished, "not attrs.published") << command;
    // The code corpus is published: a control on it was the largest "leverage" over China.
    EXPECT_TRUE(ids_every.count("code-corpus")) << command;
    EXPECT_FALSE(ids_unpublished.count("code-corpus")) << command;
    EXPECT_TRUE(ids_unpublished.count("arfi-scanner")) << command;
    EXPECT_TRUE(std::includes(ids_every.begin(), ids_every.end(), ids_unpublished.begin(),
                              ids_unpublished.end()))
        << command;
  }
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml --between us-nl-jp --and CN "
                             "--items 'not attrs.published' -o -",
                             &out, &err),
            0);
  EXPECT_NE(out.find("when the first side adds a control on one item against it, of the items "
                     "`not attrs.published` (or, per jurisdiction"),
            std::string::npos);
  EXPECT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml --between us-nl-jp --and CN "
                             "--items 'kind =='",
                             &out, &err),
            2);
  EXPECT_NE(err.find("--items"), std::string::npos) << err;
}

// The summary's box names each kind of assumption once, with its nodes: installed bases held
// intact in a static analysis and ageing in a timeline, stocks not counted in one and drawn
// down in the other.
TEST(CliConventionsTest, TheAssumptionsBoxListsBasesAndStocksOnce) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze tests/data/assumptions.yaml -o -", &out, &err), 0) << err;
  EXPECT_NE(
      out.find("\n- Installed bases, held intact in this static analysis (they age over "
               "their lifetime in a timeline; what keeps a base running, such as its service and "
               "spare parts, counts only where the data gives it as an input beside the base): "
               "Installed fleet "
               "(`cn-fleet`), lifetime 48 "
               "months\n- Stocks, in months of supply, not counted here (a static analysis "
               "shows the state once they are used up; a timeline draws them down month by "
               "month): Chips (`chips`), 3 months; Photoresist (`resist`), 6 months\n- "
               "Substitutes with inputs of their own, not counted in this static analysis (a "
               "value here is the state before they arrive; a timeline ramps them in): "
               "Photoresist (`resist`) by Chinese photoresist (`cn-resist`) from month 12, in "
               "full 24 months later\n"),
      std::string::npos)
      << out;
  // Nothing falls short: the headline needs no word on stocks; when one does, it is the state
  // once they are used up, with the fleets whole and before the substitutes.
  EXPECT_NE(
      out.find(
          "CN's targets: China AI (`cn-ai`) **100 %** of the capacity the graph gives with nothing "
          "denied.\n"),
      std::string::npos);
  ASSERT_EQ(testing::run_cli("whatif tests/data/assumptions.yaml --remove resist -o -", &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("(`cn-ai`) **0 %** of the capacity the graph gives with nothing denied, "
                     "once the stocks listed below are used up, with the installed bases listed "
                     "below still whole and before the substitutes listed below arrive (not a "
                     "floor: a timeline follows them month by month).\n"),
            std::string::npos)
      << out;
  // The summary dates the static value: the stock of photoresist covers months 0 to 5, then
  // the target is lost (the substitute raises Chinese views, not the world's).
  EXPECT_NE(out.find("\n\nMonth by month (month 0 the scenario's first; one with a duration ends "
                     "then), with stocks drawn down, installed bases ageing and only the "
                     "substitutes the data models with inputs of their own: China AI (`cn-ai`) "
                     "100 % at month 0, 0 % at month 12, 0 % at month 24 and 0 % at month 59 "
                     "(lost from month 6).\n"),
            std::string::npos)
      << out;
  // Chips run out after three months; the installed fleet, whole in the static value, then
  // retires 1/48 of itself a month: (47/48)^10 = 0.810 at month 12, (47/48)^22 = 0.629 at 24,
  // (47/48)^57 = 0.301 at 59.
  ASSERT_EQ(testing::run_cli("whatif tests/data/assumptions.yaml --remove tw-fab -o -", &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("(`cn-ai`) **100 %** of the capacity the graph gives with nothing denied, "
                     "once the stocks listed below are used up, with the installed bases listed "
                     "below still whole and before the substitutes listed below arrive"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(": China AI (`cn-ai`) 100 % at month 0, 81 % at month 12, 63 % at month 24 "
                     "and 30 % at month 59.\n"),
            std::string::npos)
      << out;
  // Without a scenario nothing moves: no such sentence.
  ASSERT_EQ(testing::run_cli("analyze tests/data/assumptions.yaml -o -", &out, &err), 0) << err;
  EXPECT_EQ(out.find("Month by month"), std::string::npos) << out;
  // compare says the same of all its values, once, under its first sentence.
  ASSERT_EQ(testing::run_cli("compare tests/data/assumptions.yaml --remove resist --samples 0 -o -",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("\n\nEach value is a static reading, once the stocks listed below are used "
                     "up, with the installed bases listed below still whole and before the "
                     "substitutes listed below arrive (not a floor: a timeline follows them month "
                     "by month).\n"),
            std::string::npos)
      << out;
  ASSERT_EQ(
      testing::run_cli("timeline tests/data/assumptions.yaml --control 'TW>CN' --months 6 -o -",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(
      out.find("\n- Installed bases, each retiring 1/lifetime of itself a month and rebuilt "
               "only from what its inputs give (what keeps a base running, such as its service and "
               "spare parts, counts only where the data gives it as an input beside the base): "
               "Installed fleet (`cn-fleet`), lifetime 48 "
               "months\n- Stocks, in months of supply, drawn down while the supply falls "
               "short: Chips (`chips`), 3 months; Photoresist (`resist`), 6 months\n- "
               "Substitutes with inputs of their own, ramping in as the timeline runs (each "
               "in its own view's value): Photoresist (`resist`) by Chinese photoresist "
               "(`cn-resist`) from month 12, in full 24 months later\n"),
      std::string::npos)
      << out;
}

// A threshold is relative to its node's own level: where the node has a quantity, the box gives
// the amount at the bar (30 % of 1 M and of 20 M H100-equivalents), so that "lost" for the two
// sides reads as the different amounts it is.
TEST(CliConventionsTest, TheBoxGivesAThresholdsAmount) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze tests/data/thresholds-quantity.yaml -o -", &out, &err), 0)
      << err;
  EXPECT_NE(out.find("source says so): China training (`cn-train`) below 30 % of compute, ≈ 0.30 M "
                     "H100-equivalents a year at the bar; US training (`us-train`) below 30 % of "
                     "compute, ≈ 6.0 M H100-equivalents a year at the bar\n"),
            std::string::npos)
      << out;
}

// --as-of reads a scenario file at a later date: a control `lifted` on or before it is dropped
// (NL's 40 % of the tools comes back on the day it was lifted, not the day before), and the
// report says which; without a file, or with a date that is not a day, it is refused.
TEST(CliConventionsTest, AsOfDropsTheControlsLiftedByThen) {
  std::string graph = testing::temp_file("as-of.yaml", R"(format: 1
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: nl-tools, kind: equipment, jurisdiction: NL}
  - {id: tools, kind: equipment, suppliers: [{id: us-tools, share: 0.6}, {id: nl-tools, share: 0.4}]}
  - {id: cn-fab, name: China fab, kind: foundry, jurisdiction: CN, inputs: [tools], target: true}
)");
  std::string rules = testing::temp_file("as-of-rules.yaml", R"(scenario:
  name: Rules of June
  controls:
    - {id: us-rule, by: [US], against: [CN]}
    - {id: nl-rule, by: [NL], against: [CN], lifted: 2025-07-02}
)");
  std::string out, err;
  const std::string run = "whatif '" + graph + "' -s '" + rules + "' -o - --as-of ";
  ASSERT_EQ(testing::run_cli(run + "2025-07-01", &out, &err), 0) << err;
  EXPECT_NE(out.find("China fab (`cn-fab`) **0 %** of the capacity"), std::string::npos) << out;
  EXPECT_NE(out.find("lifting `nl-rule` (lifted on 2025-07-02) alone"), std::string::npos) << out;
  ASSERT_EQ(testing::run_cli(run + "2025-07-02", &out, &err), 0) << err;
  EXPECT_NE(out.find("China fab (`cn-fab`) **40 %** of the capacity"), std::string::npos) << out;
  EXPECT_NE(out.find("\n- Scenario: Rules of June (as of 2025-07-02)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Read as of 2025-07-02, without the rules lifted by then: nl-rule (lifted "
                     "2025-07-02).\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("nl-rule (lifted on"), std::string::npos) << out;
  EXPECT_EQ(
      testing::run_cli("whatif '" + graph + "' --remove us-tools --as-of 2025-07-02", &out, &err),
      2);
  EXPECT_EQ(err,
            "error: --as-of reads scenario files as of a date, and none was given (-s or "
            "--baseline)\n");
  // An unnamed control is named by its sides (its number may be another's once files merge); two
  // files merged say "as of" once; a file without a name is named by its file, then as of.
  std::string more = testing::temp_file("as-of-more.yaml", R"(scenario:
  controls:
    - {by: [US], against: [CN], lifted: 2025-01-01}
)");
  ASSERT_EQ(testing::run_cli("whatif '" + graph + "' -s '" + rules + "' -s '" + more +
                                 "' -o - --as-of 2025-07-02",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("\n- Scenario: Rules of June (as of 2025-07-02)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("without the rules lifted by then: nl-rule (lifted 2025-07-02), the control "
                     "by US on CN (lifted 2025-01-01).\n"),
            std::string::npos)
      << out;
  ASSERT_EQ(testing::run_cli("timeline '" + graph + "' -s '" + more + "' -o - --as-of 2025-07-02",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("# Timeline: " + more + " (as of 2025-07-02)\n"), std::string::npos) << out;
  EXPECT_EQ(testing::run_cli(run + "2025-7-2", &out, &err), 2);
  EXPECT_NE(err.find("--as-of: expected a date YYYY-MM-DD, got '2025-7-2'"), std::string::npos)
      << err;
}

// A control on a listed firm leaves it its stocks: a die bank bought before the control is drawn
// in the firm's own view month by month, and the world and China's view take the firm's output
// from it (here the bank lasts six months), as under a control on the whole country; with
// --perspective CN the firm's view is computed though not shown (its events neither).
TEST(CliConventionsTest, AStockBehindAnEntityControlIsDrawnInTheFirmsView) {
  std::string graph = testing::temp_file("entity-stock.yaml", R"(format: 1
nodes:
  - {id: tw-fab, kind: firm, jurisdiction: TW}
  - {id: dies, kind: chip, suppliers: [tw-fab]}
  - {id: bank, name: Die bank, kind: chip, inputs: [dies], stock_months: 6}
  - {id: hw, name: Huawei (HiSilicon), kind: firm, jurisdiction: CN, inputs: [bank]}
  - {id: accel, kind: chip, suppliers: [hw]}
  - {id: cn-ai, name: China AI, kind: capability, jurisdiction: CN, target: true, inputs: [accel]}
)");
  std::string listed = testing::temp_file("entity-stock-rules.yaml", R"(scenario:
  name: Listed
  controls:
    - {id: tw-hw, by: [TW], against: [hw]}
    - {id: tw-cn, by: [TW], against: [CN], items: "id == 'nothing'"}
)");
  const std::string path =
      "China AI (`cn-ai`) 100 % at month 0, 0 % at month 12, 0 % at month 24 "
      "and 0 % at month 59 (lost from month 6).";
  std::string out, err;
  ASSERT_EQ(testing::run_cli("whatif '" + graph + "' -s '" + listed + "' -o -", &out, &err), 0)
      << err;
  EXPECT_NE(out.find(path), std::string::npos) << out;
  ASSERT_EQ(testing::run_cli("whatif '" + graph + "' --control 'TW>CN' -o -", &out, &err), 0)
      << err;
  EXPECT_NE(out.find(path), std::string::npos) << out;
  ASSERT_EQ(testing::run_cli("timeline '" + graph + "' -s '" + listed +
                                 "' --perspective CN --months 8 --format csv -o -",
                             &out, &err),
            0)
      << err;
  std::string want = "\xEF\xBB\xBFmonth,target,view,capacity\r\n";
  for (const char* view : {"world", "CN"})
    for (int m = 0; m < 8; ++m) want += fmt::format("{},cn-ai,{},{}\r\n", m, view, m < 6 ? 1 : 0);
  EXPECT_EQ(out, want);
  ASSERT_EQ(testing::run_cli("timeline '" + graph + "' -s '" + listed +
                                 "' --perspective CN --months 8 --format json -o -",
                             &out, &err),
            0)
      << err;
  auto json = nlohmann::json::parse(out);
  EXPECT_EQ(json["timeline"]["views"], nlohmann::json::parse(R"(["world", "CN"])"));
  // The firm's bank runs out in its own view, not shown: the world's event, naming the firm.
  EXPECT_EQ(json["timeline"]["events"][0],
            nlohmann::json::parse(R"({"month": 6, "kind": "stock_exhausted", "view": "world",
                                      "node": "bank", "substitute": null, "part": null,
                                      "holder": "hw"})"));
  ASSERT_EQ(testing::run_cli(
                "timeline '" + graph + "' -s '" + listed + "' --perspective CN --months 8 -o -",
                &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("| 6 | stock of Die bank (`bank`) runs out in the view of Huawei (HiSilicon) "
                     "(`hw`)"),
            std::string::npos)
      << out;
  ASSERT_EQ(
      testing::run_cli("timeline '" + graph + "' -s '" + listed +
                           "' --perspective CN --perspective hw --months 8 --format json -o -",
                       &out, &err),
      0)
      << err;
  json = nlohmann::json::parse(out);
  EXPECT_EQ(json["timeline"]["views"], nlohmann::json::parse(R"(["world", "CN", "hw"])"));
  EXPECT_EQ(json["timeline"]["events"][0],
            nlohmann::json::parse(R"({"month": 6, "kind": "stock_exhausted", "view": "hw",
                                      "node": "bank", "substitute": null, "part": null})"));
  // A control on the firm that ends while the fab is gone for good: from month 2 the world
  // draws its own bank (6 months from month 0), not the firm's view's (nought once the bound of
  // a control no longer in force were kept).
  std::string two = testing::temp_file("entity-two-months.yaml",
                                       "scenario: {controls: [{by: [TW], against: [hw]}], "
                                       "duration_months: 2}");
  std::string gone = testing::temp_file("fab-gone.yaml", "scenario: {remove: [tw-fab]}");
  ASSERT_EQ(testing::run_cli("timeline '" + graph + "' -s '" + two + "' -s '" + gone +
                                 "' --months 8 --format csv -o -",
                             &out, &err),
            0)
      << err;
  for (int m = 0; m < 8; ++m)
    EXPECT_NE(out.find(fmt::format("\n{},cn-ai,world,{}\r", m, m < 6 ? 1 : 0)), std::string::npos)
        << m << "\n"
        << out;
  // A substitute assumed in the firm's hidden view raises the world: the note is the world's,
  // naming the firm.
  std::string sub_graph = testing::temp_file(
      "entity-substitute.yaml",
      std::regex_replace(slurp(graph), std::regex("stock_months: 6"), "substitution_years: 0.5"));
  ASSERT_EQ(testing::run_cli("timeline '" + sub_graph + "' -s '" + listed +
                                 "' --perspective CN --months 8 --ramp step --format json -o -",
                             &out, &err),
            0)
      << err;
  json = nlohmann::json::parse(out);
  EXPECT_EQ(json["timeline"]["assumed_substitutes"],
            nlohmann::json::parse(
                R"([{"node": "bank", "view": "world", "from_month": 6, "holder": "hw"}])"));
}

// The what-if of a Taiwanese control on China over a die bank: Taiwan's dies (`dies_from`) feed
// a bank of 4-9 months (best 6) and, with `spares`, a stock of 9 months beside it; the report.
std::string die_bank_whatif(const std::string& dies_from, bool spares) {
  std::string graph = testing::temp_file("die-bank.yaml", R"(format: 1
nodes:
  - {id: tw-fab, kind: firm, jurisdiction: TW}
  - {id: cn-die-fab, kind: firm, jurisdiction: CN}
  - {id: dies, kind: chip, suppliers: )" + dies_from + R"(}
  - {id: bank, name: Die bank, kind: chip, inputs: [dies], stock_months: {low: 4, high: 9, best: 6}}
  - {id: spare, name: Spares, kind: chip, inputs: [dies], stock_months: 9}
  - {id: cn-fab, kind: firm, jurisdiction: CN, inputs: )" + (spares ? "[bank, spare]" : "[bank]") +
                                                              R"(}
  - {id: accel, kind: chip, suppliers: [cn-fab]}
  - {id: cn-ai, name: China AI, kind: capability, jurisdiction: CN, target: true, inputs: [accel]}
)");
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif '" + graph + "' --control 'TW>CN' -o -", &out, &err), 0)
      << err;
  std::remove(graph.c_str());
  return out;
}

// When the dated headline falls turns on a stock's length; where the data gives it as a range,
// the sentence says which stock runs out when, and its range.
TEST(CliConventionsTest, TheDatedHeadlineNamesTheRangedStocksItsMonthsTurnOn) {
  std::string out = die_bank_whatif("[tw-fab]", true);
  // The bank runs out first and is named; the spares (no range) run out when nothing is left to
  // lose.
  EXPECT_NE(out.find("China AI (`cn-ai`) 100 % at month 0, 0 % at month 12, 0 % at month 24 and "
                     "0 % at month 59 (lost from month 6). When they fall turns on stocks whose "
                     "length the data gives only as a range: Die bank (`bank`) runs out at month "
                     "6 (6 months of stock; 4–9 in the data).\n"),
            std::string::npos)
      << out;
}

// A stock is drawn only for what its supply lacks: half the dies still come, so six months of
// stock last twelve, and the sentence says why it outlasts its months.
TEST(CliConventionsTest, AStockHalfSuppliedOutlastsItsMonthsAndSaysWhy) {
  std::string out =
      die_bank_whatif("[{id: tw-fab, share: 0.5}, {id: cn-die-fab, share: 0.5}]", false);
  EXPECT_NE(out.find("Die bank (`bank`) runs out at month 12 (6 months of stock, drawn only for "
                     "what its supply lacks; 4–9 in the data)."),
            std::string::npos)
      << out;
}

// A control lifted since the data's date holds in the dated headline only until the month it was
// lifted, and the sentence says the first months carry it.
TEST(CliConventionsTest, TheDatedHeadlineSaysWhichLiftedControlsTheFirstMonthsCarry) {
  std::string graph = testing::temp_file("lifted-headline.yaml", R"(format: 1
meta: {as_of: "2025-06"}
nodes:
  - {id: us, kind: firm, jurisdiction: US}
  - {id: gpu, kind: chip, suppliers: [us], stock_months: 1}
  - {id: cn-ai, name: China AI, kind: capability, jurisdiction: CN, target: true, inputs: [gpu]}
)");
  std::string rules = testing::temp_file("lifted-rules.yaml", R"(scenario:
  name: June
  controls:
    - {id: gpus, by: [US], against: [CN], lifted: 2025-09-14}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("whatif '" + graph + "' -s '" + rules + "' -o -", &out, &err), 0)
      << err;
  // The stock covers month 0; the control runs out at month 3.
  EXPECT_NE(out.find("China AI (`cn-ai`) 100 % at month 0, 100 % at month 12, 100 % at month 24 "
                     "and 100 % at month 59 (lowest 0 % at month 1) (lost from month 1, back from "
                     "month 3). The first months still have in force the controls lifted since the "
                     "data's date: gpus (lifted on 2025-09-14), until month 3.\n"),
            std::string::npos)
      << out;
}

// What 100 % amounts to may be a range (BIS's 0.2 M against SemiAnalysis's 0.8 M): every amount
// carries it, scaled by the value (half of 0.2–0.8 M is 0.10–0.40 M), and the box names it once.
TEST(CliConventionsTest, AnAmountCarriesTheRangeOfItsQuantity) {
  std::string path = testing::temp_file("quantity-range.yaml", R"(format: 1
nodes:
  - {id: us-fab, kind: firm, jurisdiction: US}
  - {id: tw-fab, kind: firm, jurisdiction: TW}
  - {id: chips, kind: chip, suppliers: [{id: us-fab, share: 0.5}, {id: tw-fab, share: 0.5}]}
  - {id: ai, name: AI, kind: capability, jurisdiction: CN, target: true, inputs: [chips],
     quantity: {value: [2.0e5, 8.0e5], unit: chips a year}}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("whatif '" + path + "' --remove tw-fab -o -", &out, &err), 0) << err;
  EXPECT_NE(out.find("AI (`ai`) **50 %** (≈ 0.25 M (0.10–0.40 M) chips a year) of the capacity"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\n- What 100 % amounts to, a range in the data (each amount in this report "
                     "gives it, scaled by the value, or where the value has a band from its P5 "
                     "times the low to its P95 times the high): AI (`ai`) 0.50 M (0.20–0.80 M) "
                     "chips a year\n"),
            std::string::npos)
      << out;
  // A timeline samples no band: its amounts carry the quantity's range alone, and it says so.
  ASSERT_EQ(testing::run_cli("timeline '" + path + "' --remove tw-fab --months 3 -o -", &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("\n- What 100 % amounts to, a range in the data (each amount in this report "
                     "gives it scaled by the month's value; a timeline samples no band of its "
                     "values, so a static report's amount for the same value, from its P5 times "
                     "the low to its P95 times the high, is wider): AI (`ai`) 0.50 M "
                     "(0.20–0.80 M) chips a year\n"),
            std::string::npos)
      << out;
}

// A scenario that ends reads, in a static report, as if it lasted: the box says so, in whatif
// and in compare (where it is why "12 months" and "for ever" agree).
TEST(CliConventionsTest, AStaticReportSaysAScenarioThatEndsIsShownWhileItLasts) {
  const std::string said =
      "\n- A scenario that ends: Taiwan offline for 12 months (12 months): a static analysis "
      "shows its state while it lasts, not how long it lasts (the timeline command follows the "
      "months, with stocks drawn down and recovery after the end).\n";
  std::string out, err;
  ASSERT_EQ(testing::run_cli("whatif data/ai-supply-chain.yaml -s "
                             "data/scenarios/taiwan-12-months.yaml -o -",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find(said), std::string::npos) << out;
  // The scenario's own description follows, in the box: what it covers, in its author's words.
  EXPECT_NE(out.find(said + "- Taiwan offline for 12 months, as its file describes it: Every "
                            "Taiwan-located node removed for twelve months, then restored.\n"),
            std::string::npos)
      << out;
  ASSERT_EQ(
      testing::run_cli("compare data/ai-supply-chain.yaml data/scenarios/taiwan-12-months.yaml "
                       "data/scenarios/taiwan-disruption.yaml -o -",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find(said), std::string::npos) << out;
  ASSERT_EQ(testing::run_cli("whatif data/ai-supply-chain.yaml -s "
                             "data/scenarios/taiwan-disruption.yaml -o -",
                             &out, &err),
            0)
      << err;
  EXPECT_EQ(out.find("that ends"), std::string::npos);
}

// --rules on a command without severity is answered, not just "not expected".
TEST(CliConventionsTest, RulesOnACommandWithoutSeverityIsExplained) {
  std::string out, err;
  for (std::string cmd :
       {"decouple data/ai-supply-chain.yaml --between us-nl-jp --and CN",
        "coalitions data/ai-supply-chain.yaml --against CN",
        "timeline data/ai-supply-chain.yaml -s data/scenarios/taiwan-12-months.yaml"}) {
    EXPECT_EQ(testing::run_cli(cmd + " --rules rules/default.yaml", &out, &err), 2) << cmd;
    std::string name = cmd.substr(0, cmd.find(' '));
    EXPECT_EQ(err, "error: " + name +
                       " reports no severity, so it takes no --rules; for severity with two "
                       "sides use 'chokepoint analyze FILE --between A --and B --rules RULES'\n")
        << cmd;
    EXPECT_TRUE(out.empty());
  }
}

// One name per concept: --order is the largest set size in analyze (cut sets), whatif --rank,
// decouple (substitution sets) and coalitions; the old names stay as aliases and give the same
// output. --max-nodes is "drawn whole up to N nodes" in analyze and render.
TEST(CliConventionsTest, OneNamePerConceptWithTheOldNamesAsAliases) {
  std::string d = "data/ai-supply-chain.yaml";
  auto same = [&](const std::string& a, const std::string& b) {
    std::string out_a, out_b, err;
    ASSERT_EQ(testing::run_cli(a, &out_a, &err), 0) << a << err;
    ASSERT_EQ(testing::run_cli(b, &out_b, &err), 0) << b << err;
    EXPECT_EQ(out_a, out_b) << a;
    EXPECT_FALSE(out_a.empty());
  };
  same("analyze " + d + " --order 3 --format json",
       "analyze " + d + " --cut-order 3 --format json");
  same("decouple " + d + " --between us-nl-jp --and CN --order 1 --format json",
       "decouple " + d + " --between us-nl-jp --and CN --cut-order 1 --format json");
  same("coalitions " + d + " --against CN --order 2 --format json",
       "coalitions " + d + " --against CN --max-size 2 --format json");
  same("analyze " + d + " --max-nodes 10 --format html",
       "analyze " + d + " --diagram-nodes 10 --format html");
  std::string out, err;
  std::string o3, o2;
  ASSERT_EQ(testing::run_cli("analyze " + d + " --order 3 --format json", &o3, &err), 0);
  ASSERT_EQ(testing::run_cli("analyze " + d + " --order 2 --format json", &o2, &err), 0);
  EXPECT_NE(o3, o2);  // the flag does something
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// The executable finds its data from where it is, never from where it was built: copied alone
// it says where it looked and how to point it at the data (exit 3); CHOKEPOINT_DATA_DIR does.
TEST(CliDataTest, BinaryCopiedAloneSaysWhereItLookedForItsData) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_alone_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(CHOKEPOINT_BINARY, dir / "chokepoint",
                             std::filesystem::copy_options::overwrite_existing);
  std::string run = "cd '" + testing::source_path("") + "' && ";
  std::string alone = (dir / "chokepoint").string();
  std::string err = (dir / "err").string();
  int status = std::system(
      (run + "'" + alone + "' analyze data/examples/minimal.yaml >/dev/null 2>'" + err + "'")
          .c_str());
  EXPECT_EQ(WEXITSTATUS(status), 3);
  std::ifstream in(err);
  std::string message((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(message, "error: cannot find the default rules (looked for " +
                         (dir.parent_path() / "share/chokepoint/rules/default.yaml").string() +
                         ", " + (dir / "share/chokepoint/rules/default.yaml").string() +
                         "); install chokepoint with its share/chokepoint folder or set "
                         "CHOKEPOINT_DATA_DIR to the folder that holds rules/default.yaml, or "
                         "give --rules FILE\n");
  // Given the data, or explicit rules, it runs.
  std::string data =
      (std::filesystem::path(CHOKEPOINT_BINARY).parent_path() / "share/chokepoint").string();
  EXPECT_EQ(WEXITSTATUS(std::system((run + "CHOKEPOINT_DATA_DIR='" + data + "' '" + alone +
                                     "' analyze data/examples/minimal.yaml >/dev/null")
                                        .c_str())),
            0);
  EXPECT_EQ(WEXITSTATUS(std::system((run + "'" + alone +
                                     "' analyze data/examples/minimal.yaml --rules "
                                     "rules/default.yaml >/dev/null")
                                        .c_str())),
            0);
  std::filesystem::remove_all(dir);
}

// Every problem of a table is reported at its cell, whether the importer or the graph loader
// (behind it) finds it; one run reports them all.
TEST(CliImportTest, ProblemsAreReportedAtTheirTableCells) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("import csv tests/data/import/bad/nodes.csv "
                             "tests/data/import/bad/edges.csv -o -",
                             &out, &err),
            1);
  EXPECT_EQ(out, "");
  EXPECT_EQ(err,
            "tests/data/import/bad/edges.csv:2:19: error: share must be 0.4, 40% or a range "
            "(40-60%, [0.4, 0.6]), got 'lots'\n"
            "  asml,euv,supplier,lots\n                    ^\n"
            "tests/data/import/bad/edges.csv:3:6: error: unknown node 'euvv' in column 'to'; did "
            "you mean 'euv'?\n"
            "  asml,euvv,supplier,1\n       ^\n"
            "tests/data/import/bad/edges.csv:4:1: error: unknown node 'asmll'; did you mean "
            "'asml'?\n"
            "  asmll,euv,supplier,0.5\n  ^\n"
            "tests/data/import/bad/edges.csv:5:10: error: role must be 'supplier' or 'input', got "
            "'maker'\n"
            "  asml,euv,maker,1\n           ^\n"
            "4 errors generated.\n");
  EXPECT_EQ(testing::run_cli("import csv tests/data/import/csv/nodes.csv -o -", &out, &err), 2);
  EXPECT_EQ(err, "error: import csv takes two tables, NODES.csv EDGES.csv; got 1\n");
  EXPECT_EQ(testing::run_cli("import eto tests/data/import/eto --types some -o -", &out, &err), 2);
  EXPECT_EQ(testing::run_cli("import csv tests/data/import/csv/nodes.csv "
                             "tests/data/import/csv/edges.csv --types any -o -",
                             &out, &err),
            2);
  EXPECT_EQ(err, "error: --types is for the ETO tables (import eto); a CSV pair says its groups\n");
}

// The ETO layout (hand-made tables, tests/data/import/eto): the result (the ImportEto golden
// file) analyses with EUV tools and ASML critical, and `--types any` reads a tool's types as
// alternatives, so that neither is a single point of failure any more.
TEST(CliImportTest, EtoTablesBecomeAGraphThatAnalyses) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_eto_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("import eto tests/data/import/eto -o " + (dir / "g.yaml").string(),
                             &out, &err),
            0)
      << err;
  EXPECT_NE(err.find("providers.csv:26:25: warning: provider 'P11' is listed again; this row is "
                     "skipped"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("inputs.csv:10:1: warning: the shares of 'ArF immersion (DUV) lithography "
                     "tools' sum to 110.0%; scaled to 100%"),
            std::string::npos);
  ASSERT_EQ(testing::run_cli(
                "import eto tests/data/import/eto --types any -o " + (dir / "any.yaml").string(),
                &out, &err),
            0)
      << err;
  std::map<std::string, std::map<std::string, std::string>> severity;  // file -> id -> level
  for (const char* file : {"g.yaml", "any.yaml"}) {
    ASSERT_EQ(testing::run_cli("analyze '" + (dir / file).string() + "' --format json", &out, &err),
              0);
    auto report = nlohmann::json::parse(out);
    for (const auto& n : report["nodes"])
      severity[file][n["id"].get<std::string>()] = n["severity"].get<std::string>();
  }
  EXPECT_EQ(severity["g.yaml"]["euv-lithography-tools"], "critical");
  EXPECT_EQ(severity["g.yaml"]["asml"], "critical");
  // One of three alternatives: no longer a single point of failure, so not critical; losing it
  // still costs the target a large share of its capacity (a choke point by degree: high).
  EXPECT_EQ(severity["any.yaml"]["euv-lithography-tools"], "high");
  // ASML holds all the EUV tools and 82 % of ArF immersion: losing it alone costs the target 92 %
  // of its capacity, two-fifths or more, so it is a choke point by capacity.
  EXPECT_EQ(severity["any.yaml"]["asml"], "critical");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chokepoint
