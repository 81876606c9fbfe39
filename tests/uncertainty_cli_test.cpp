// `chokepoint uncertainty` and the bands of analyze and whatif, from the command line: worked
// example P through the JSON report, the same bytes whatever the thread count, a graph without
// ranges giving the same reports with and without --samples, and the usage errors.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

// Runs `args` with CHOKEPOINT_THREADS=threads from the source directory; stdout.
std::string run_with_threads(const std::string& args, int threads, int* status) {
  std::string cmd = std::string("cd '") + CHOKEPOINT_SOURCE_DIR +
                    "' && CHOKEPOINT_THREADS=" + std::to_string(threads) + " '" +
                    CHOKEPOINT_BINARY + "' " + args + " 2>/dev/null";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  char buffer[4096];
  std::size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, p)) > 0) out.append(buffer, got);
  int rc = ::pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

const char* kExampleP = "tests/data/uncertainty/example-p.yaml --remove a";
const char* kHbm =
    "data/examples/uncertainty.yaml -s data/examples/scenarios/uncertainty-hbm-control.yaml";

// Example P: point 0.5; with 10,000 samples P5, P50 and P95 within 0.005 of 0.41, 0.5 and 0.59;
// one bar in the tornado, 0.6 at a's low share and 0.4 at its high.
TEST(UncertaintyCliTest, ExamplePThroughTheJsonReport) {
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli(std::string("uncertainty ") + kExampleP + " --samples 10000 --format json",
                       &out, &err),
      0)
      << err;
  auto report = nlohmann::json::parse(out);
  EXPECT_EQ(report["command"], "uncertainty");
  ASSERT_EQ(report["targets"].size(), 1u);
  const auto& t = report["targets"][0];
  EXPECT_EQ(t["id"], "t");
  EXPECT_EQ(t["capacity"].get<double>(), 0.5);
  const auto& band = t["band"];
  EXPECT_EQ(band["samples"], 10000);
  EXPECT_NEAR(band["p5"].get<double>(), 0.41, 0.005);
  EXPECT_NEAR(band["p50"].get<double>(), 0.5, 0.005);
  EXPECT_NEAR(band["p95"].get<double>(), 0.59, 0.005);
  EXPECT_EQ(band["p_lost"].get<double>(), 0.0);
  EXPECT_EQ(band["p_degraded"].get<double>(), 1.0);
  ASSERT_EQ(t["tornado"].size(), 1u);
  EXPECT_EQ(t["tornado"][0]["label"], "a's share in x");
  EXPECT_EQ(t["tornado"][0]["at_low"].get<double>(), 0.6);
  EXPECT_EQ(t["tornado"][0]["at_high"].get<double>(), 0.4);
  EXPECT_EQ(t["tornado"][0]["swing"].get<double>(), 0.2);
  const auto& number = report["uncertainty"]["numbers"][0];
  EXPECT_EQ(number["where"], "tests/data/uncertainty/example-p.yaml:6:46");
  EXPECT_EQ(number["point"].get<double>(), 0.5);
}

// The same seed gives the same bytes in every format whatever the thread count; another seed
// other bands (and the same tornado: it is exact, not sampled).
TEST(UncertaintyCliTest, SameSeedSameBytesWhateverTheThreadCount) {
  for (const char* format : {"md", "json", "csv"}) {
    std::string args =
        std::string("uncertainty ") + kHbm + " --samples 700 --seed 5 --format " + format;
    int status = 0;
    std::string one = run_with_threads(args, 1, &status);
    ASSERT_EQ(status, 0) << args;
    EXPECT_EQ(run_with_threads(args, 2, &status), one) << format;
    EXPECT_EQ(run_with_threads(args, 3, &status), one) << format;
    std::string other = run_with_threads(
        std::string("uncertainty ") + kHbm + " --samples 700 --seed 6 --format " + format, 2,
        &status);
    EXPECT_NE(other, one) << format;
  }
  // Bands in analyze are seeded the same way.
  std::string args = std::string("analyze ") + kHbm + " --samples 300 --seed 9 --format json";
  int status = 0;
  std::string one = run_with_threads(args, 1, &status);
  EXPECT_EQ(run_with_threads(args, 2, &status), one);
  EXPECT_NE(one.find("\"band\""), std::string::npos);
}

// A graph without ranges (the minimal example's "40%" is a point) gives the same report, byte
// for byte, with bands asked for, turned off, or left at their default.
TEST(UncertaintyCliTest, AGraphWithoutRangesGivesTheSameReportWithAndWithoutSamples) {
  for (std::string command :
       {"analyze data/examples/minimal.yaml", "analyze data/examples/minimal.yaml --format json",
        "whatif data/examples/minimal.yaml --embargo 'allies>CN' --fdpr",
        "whatif data/examples/minimal.yaml --remove skh --format json",
        "analyze data/examples/minimal.yaml --format html"}) {
    std::string plain, err;
    ASSERT_EQ(testing::run_cli(command, &plain, &err), 0) << command << err;
    for (const char* flags : {" --samples 0", " --samples 1000", " --samples 50 --seed 3"}) {
      std::string with;
      ASSERT_EQ(testing::run_cli(command + flags, &with, &err), 0) << command << flags << err;
      EXPECT_EQ(with, plain) << command << flags;
    }
  }
}

// A graph with ranges shows `value (P5–P95)` and the largest swings under the targets by
// default, and neither with --samples 0.
TEST(UncertaintyCliTest, BandsInAnalyzeAndWhatifWhereTheGraphHasRanges) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(std::string("whatif ") + kHbm, &out, &err), 0) << err;
  EXPECT_NE(out.find("over 200 samples of the ranges written in the data (seed 1"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("## The assumptions that move the targets"), std::string::npos);
  EXPECT_NE(out.find("US tools' share in Korean memory fab"), std::string::npos);
  std::string off;
  ASSERT_EQ(testing::run_cli(std::string("whatif ") + kHbm + " --samples 0", &off, &err), 0);
  EXPECT_EQ(off.find("P5–P95"), std::string::npos);
  EXPECT_EQ(off.find("The assumptions that move"), std::string::npos);
  // At most three swings per target and view in the JSON.
  ASSERT_EQ(testing::run_cli(std::string("analyze ") + kHbm + " --format json", &out, &err), 0);
  auto report = nlohmann::json::parse(out);
  bool banded = false;
  for (const auto& t : report["targets"]) {
    ASSERT_TRUE(t.contains("band")) << t.dump();
    EXPECT_EQ(t["band"]["samples"], 200);
    EXPECT_LE(t["tornado"].size(), 3u);
    for (const auto& [name, view] : t["views"].items()) {
      ASSERT_TRUE(view.contains("band")) << name;
      EXPECT_LE(view["tornado"].size(), 3u);
      banded = banded || view["tornado"].size() == 3u;
    }
  }
  EXPECT_TRUE(banded);
}

TEST(UncertaintyCliTest, UsageErrors) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli(std::string("uncertainty ") + kHbm + " --samples 0", &out, &err), 2);
  EXPECT_EQ(err, "error: --samples must be at least 1\n");
  EXPECT_EQ(testing::run_cli(std::string("uncertainty ") + kHbm + " --view CNN", &out, &err), 2);
  EXPECT_EQ(err, "error: unknown jurisdiction, bloc or node 'CNN' in --view; did you mean 'CN'?\n");
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --rank --samples 10", &out, &err),
            2);
  EXPECT_EQ(err, "error: --samples and --seed go without --rank (a ranking has no bands)\n");
  EXPECT_EQ(testing::run_cli(std::string("uncertainty ") + kHbm + " --rules rules/default.yaml",
                             &out, &err),
            2);
  EXPECT_TRUE(out.empty());
}

// The bands chart leaves out a view whose band is the world's (US's view of US training: 100 %
// throughout): its row said nothing, and the entity views' long labels squeezed the plot of the
// main job's chart to nothing. The table keeps every view.
TEST(UncertaintyCliTest, TheBandsChartLeavesOutViewsThatReadAsTheWorld) {
  auto svg_path = std::filesystem::temp_directory_path() /
                  ("chokepoint_bands_" + std::to_string(::getpid()) + ".svg");
  std::string out, err;
  std::string command = std::string("uncertainty ") + kHbm + " --samples 200 --view CN --view US";
  ASSERT_EQ(testing::run_cli(command + " -o '" + svg_path.string() + "'", &out, &err), 0) << err;
  std::ifstream in(svg_path);
  std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(svg_path);
  EXPECT_NE(svg.find("<text>China training (CN's view)</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<text>US training</text>"), std::string::npos) << svg;
  EXPECT_EQ(svg.find("US's view"), std::string::npos) << svg;
  ASSERT_EQ(testing::run_cli(command + " -o -", &out, &err), 0) << err;
  EXPECT_NE(out.find("| US training (`us-ai`) | US's view | 100 % |"), std::string::npos) << out;
}

// The tornado reads in percent and points, like the tables: "(point 15 %)", not "(point 0.15)"
// or four decimals.
TEST(UncertaintyCliTest, TheTornadoReadsInPercentAndPoints) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_tornado_" + std::to_string(::getpid()));
  std::string out, err;
  ASSERT_EQ(testing::run_cli(std::string("uncertainty ") + kHbm +
                                 " --samples 200 --view CN --out-dir '" + dir.string() + "'",
                             &out, &err),
            0)
      << err;
  std::ifstream in(dir / "tornado.svg");
  std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove_all(dir);
  EXPECT_NE(svg.find("<text>China training: CN's view (point 15 %)</text>"), std::string::npos)
      << svg;
  EXPECT_NE(svg.find("<text>change from the point value (percentage points)</text>"),
            std::string::npos)
      << svg;
}

// The report set: Markdown, HTML (both charts inline), JSON, CSV and the two charts.
TEST(UncertaintyCliTest, TheReportSet) {
  auto dir = std::filesystem::temp_directory_path() /
             ("chokepoint_uncertainty_" + std::to_string(::getpid()));
  std::string out, err;
  ASSERT_EQ(testing::run_cli(std::string("uncertainty ") + kHbm + " --samples 200 --out-dir '" +
                                 dir.string() + "'",
                             &out, &err),
            0)
      << err;
  for (const char* f : {"uncertainty.md", "uncertainty.html", "uncertainty.json", "uncertainty.csv",
                        "uncertainty.svg", "uncertainty.png", "tornado.svg"})
    EXPECT_TRUE(std::filesystem::exists(dir / f)) << f;
  std::ifstream in(dir / "uncertainty.html");
  std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t first = html.find("<svg");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(html.find("<svg", first + 1), std::string::npos) << "the tornado is inline too";
  std::filesystem::remove_all(dir);
}

// With samples, the sweep's table says how often each coalition wins at its bar. China's own share
// is triangular on 0.05-0.4 (most likely 0.1); NL+US leave it cn / (0.9 + cn), below 25 % when
// cn < 0.3: P = 1 - 0.1^2 / (0.35 * 0.3) = 90.5 %. Alone, either leaves (0.45 + cn) / (0.9 + cn),
// below 75 % for any cn < 0.9: always.
TEST(UncertaintyCliTest, SweepSaysHowOftenEachCoalitionWins) {
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("coalitions tests/data/coalitions-bar-ranged.yaml --against CN --sweep "
                       "--samples 400",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("| `cn-ai` | below 75 % | NL: tools (wins in 100 %) or US: tools (wins in "
                     "100 %) | NL, US (0.50 each) |\n"),
            std::string::npos)
      << out;
  std::string prefix = "| `cn-ai` | below 25 % | NL: tools + US: tools (wins in ";
  auto at = out.find(prefix);
  ASSERT_NE(at, std::string::npos) << out;
  double share = std::stod(out.substr(at + prefix.size()));
  EXPECT_GT(share, 86.0) << out;  // 90.5 % within sampling error over 400 samples (sd 1.5)
  EXPECT_LT(share, 95.0) << out;
  // Without samples, no shares.
  ASSERT_EQ(
      testing::run_cli("coalitions tests/data/coalitions-bar-ranged.yaml --against CN --sweep "
                       "--samples 0",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("| `cn-ai` | below 25 % | NL: tools + US: tools | NL, US (0.50 each) |\n"),
            std::string::npos)
      << out;
}

// A tie for "most needed" names every candidate in it, not the first by code: each of two
// halves of the tool market alone loses China's target.
TEST(UncertaintyCliTest, SweepNamesEveryCandidateOfATie) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("coalitions tests/data/coalitions-tie.yaml --against CN --sweep", &out,
                             &err),
            0)
      << err;
  EXPECT_NE(out.find("| `cn-ai` | lost | NL: tools or US: tools | NL, US (0.50 each) |\n"),
            std::string::npos)
      << out;
  // The sweep reads as "who had to join": what the model leaves out is said above it.
  EXPECT_NE(out.find("the share of samples in which it still wins. A win or a loss here is a "
                     "reading of the data's market shares: the model has no backfill"),
            std::string::npos)
      << out;
}

// A bar just under where the target starts is won by any dent: the row says so. Korea's 8 % is
// gone before the control, so the target starts at 92 % and each of NL (50 %) and US (42 %)
// wins "below 90 %" alone.
TEST(UncertaintyCliTest, SweepFlagsABarJustUnderTheStart) {
  std::string graph = testing::temp_file("near-start.yaml", R"(format: 1
nodes:
  - {id: nl-maker, kind: firm, jurisdiction: NL}
  - {id: us-maker, kind: firm, jurisdiction: US}
  - {id: other, kind: firm, jurisdiction: KR}
  - {id: tools, kind: equipment, suppliers: [{id: nl-maker, share: 0.5}, {id: us-maker, share: 0.42}, {id: other, share: 0.08}]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [tools]}
)");
  std::string base = testing::temp_file("near-start-base.yaml",
                                        "scenario:\n  name: other gone\n  remove: [other]\n");
  std::string out, err;
  ASSERT_EQ(testing::run_cli(
                "coalitions " + graph + " -s " + base + " --against CN --sweep --candidates NL,US",
                &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("| `cn-ai` | below 90 % | NL: tools or US: tools (the target starts at 92 %, "
                     "within 5 points of the bar: a small loss wins) | NL, US (0.50 each) |\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| `cn-ai` | below 75 % | NL: tools or US: tools | NL, US (0.50 each) |\n"),
            std::string::npos)
      << out;
  std::remove(graph.c_str());
  std::remove(base.c_str());
}

// Where no coalition wins, the report says whether none can (all candidates together leave the
// target at 10 %: China's own tools) or the search stopped at its order; a bar the target stands
// at before the control gets no coalitions (any loss wins there: 50 % against "below 50 %").
TEST(UncertaintyCliTest, SweepSaysWhyNoCoalitionWinsAndLeavesTheBarOut) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("coalitions tests/data/coalitions-bar.yaml --against CN --sweep", &out,
                             &err),
            0)
      << err;
  EXPECT_NE(
      out.find("`cn-ai` (100 % before the control, 10 % with every candidate in it): no "
               "coalition is enough, not even both candidates together; what keeps it at 10 %: "
               "tools (10 points), what the control leaves of it.\n"),
      std::string::npos)
      << out;
  EXPECT_NE(
      out.find("In CN's view: 100 % before the control, 10 % with every candidate in it.\n\n"
               "No coalition is enough, not even both candidates together; what keeps it at 10 "
               "%: tools (10 points), what the control leaves of it.\n"),
      std::string::npos);
  EXPECT_NE(out.find("| `cn-ai` | below 10 % | none (both candidates together: 10 %) | – |\n"
                     "| `cn-ai` | below 25 % | NL: tools + US: tools | NL, US (0.50 each) |\n"),
            std::string::npos);
  EXPECT_NE(out.find("| `cn-ai` | below 75 % | NL: tools or US: tools | NL, US (0.50 each) |\n"),
            std::string::npos);
  ASSERT_EQ(testing::run_cli(
                "coalitions tests/data/coalitions-bar.yaml --against CN --below 0.25 --order 1",
                &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("(100 % before the control, 10 % with every candidate in it): no coalition of "
                     "at most one candidate is enough; both candidates together would, so a larger "
                     "one can (--order raises the limit).\n"),
            std::string::npos)
      << out;
  ASSERT_EQ(testing::run_cli("coalitions tests/data/coalitions-bar.yaml --against CN --sweep "
                             "--order 1 -s tests/data/coalitions-bar-half.yaml",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("| `cn-ai` | below 25 % | none of at most 1 (a larger one wins) | NL, US "
                     "(0.50 each) |\n"
                     "| `cn-ai` | below 50 % | – (50 % before the control: at the bar, any loss "
                     "wins) | – |\n"),
            std::string::npos)
      << out;
}

// A coalition's reasons and its share of winning samples are percentages, as the report's other
// capacities: no product is essential (lifting a alone leaves the target at b's Chinese half,
// under the bar of 60 %), so the reasons rank what each denial costs on its own: a 100 points (the
// target needs all of it), b 50 (the US's half of b), and the US winning through its FDPR in 63 %
// of the samples (bringing China's HBM to the 15 % made outside Korea and the US's reach, "with
// it").
TEST(UncertaintyCliTest, CoalitionReasonsAndWinSharesArePercentages) {
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("coalitions tests/data/coalitions-reasons.yaml --against CN --below 0.6",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("| 1 | `US` | 0 % | `US`: `a` (costs 100 points on its own), `b` (costs 50 "
                     "points on its own) — with any one of them lifted the coalition still wins: "
                     "its denials bind together |\n"),
            std::string::npos)
      << out;
  ASSERT_EQ(testing::run_cli("coalitions data/examples/uncertainty.yaml --against CN --fdpr "
                             "--items \"kind == 'hbm'\" --de-minimis 0.5 --below 0.5 --samples 400",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("| 1 | `US` | 15 % | 63 % | `US`: HBM (`hbm`) (essential); via FDPR: `US` "
                     "(made with US tools (`us-tools`)) |\n"),
            std::string::npos)
      << out;
}

// Candidates tied at the highest Shapley–Shubik index are all named: NL and US each hold 45 %
// of the tools, and pushing China below 25 % needs both (0.5 each); naming NL alone, first by
// code, read as a finding.
TEST(UncertaintyCliTest, CoalitionsNameEveryMemberTiedAtTheTop) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("coalitions tests/data/coalitions-bar.yaml --against CN --below 0.25",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("the smallest winning coalition is **NL + US**; the members needed most are "
                     "NL and US (Shapley–Shubik 0.50 each)."),
            std::string::npos)
      << out;
}

// Where every candidate together is not enough, the report says what keeps the target up
// (tests/data/coalitions-kept.yaml, hand-computed): the fleet, out of the control's reach, the
// rented compute, which its items leave out, and the new clusters held by the Chinese tenth of the
// chips, what it leaves; the JSON has the same parts, summing to the grand coalition's 64 %.
TEST(UncertaintyCliTest, CoalitionsSayWhatKeepsATargetNoCoalitionCanTake) {
  std::string out, err;
  const std::string run =
      "coalitions tests/data/coalitions-kept.yaml --against CN --items 'not attrs.remote_access'";
  ASSERT_EQ(testing::run_cli(run, &out, &err), 0) << err;
  EXPECT_NE(out.find("`cn-ai` (100 % before the control, 64 % with every candidate in it): no "
                     "coalition is enough, not even the one candidate; what keeps it at "
                     "64 %: fleet (50 points), out of the control's reach; rented (10 points), "
                     "which its items leave out, and new-clusters (4.0 points, held there by "
                     "chips), what the control leaves of it.\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("\nNo coalition is enough, not even the one candidate; what keeps it "
                     "at 64 %: fleet"),
            std::string::npos)
      << out;
  // The fleet an installed base: the answer is year one's, and the report says so.
  std::string aged = testing::temp_file("coalitions-kept-aged.yaml", R"(format: 1
nodes:
  - {id: us-fab, kind: firm, jurisdiction: US}
  - {id: cn-fab, kind: firm, jurisdiction: CN}
  - {id: chips, kind: chip, suppliers: [{id: us-fab, share: 0.9}, {id: cn-fab, share: 0.1}]}
  - {id: new-clusters, kind: cloud, jurisdiction: CN, inputs: [chips]}
  - {id: fleet, kind: cloud, jurisdiction: CN, inputs: [new-clusters], lifetime_months: 60}
  - {id: rented, kind: cloud, jurisdiction: MY, attrs: {remote_access: true}}
  - id: cn-ai
    kind: capability
    jurisdiction: CN
    target: true
    inputs:
      - any: [{id: fleet, share: 0.5}, {id: new-clusters, share: 0.4}, {id: rented, share: 0.1}]
)");
  ASSERT_EQ(
      testing::run_cli("coalitions '" + aged + "' --against CN --items 'not attrs.remote_access'",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("what the control leaves of it. That is year one: fleet (60 months) is an "
                     "installed base, which retires over its lifetime and is not renewed under the "
                     "control (a timeline of it shows when the target falls).\n"),
            std::string::npos)
      << out;
  // Malaysia locates only the rented compute, which the items leave out: it could deny
  // nothing, so it is no candidate (it was, with no say in any answer).
  EXPECT_NE(out.find("\n- Candidates: `US` (left out: `MY`: nothing it locates upstream is an "
                     "item the control covers)\n"),
            std::string::npos)
      << out;
  ASSERT_EQ(testing::run_cli(run + " --format json", &out, &err), 0) << err;
  EXPECT_EQ(nlohmann::json::parse(out)["coalitions"]["left_out"],
            nlohmann::json::parse(R"(["MY"])"));
  auto kept = nlohmann::json::parse(out)["coalitions"]["targets"][0]["kept"];
  ASSERT_EQ(kept.size(), 3u) << kept;
  EXPECT_EQ(kept[0]["id"], "fleet");
  EXPECT_NEAR(kept[0]["capacity"].get<double>(), 0.5, 1e-9);
  EXPECT_TRUE(kept[0]["untouched"].get<bool>());
  EXPECT_EQ(kept[1]["id"], "rented");
  EXPECT_NEAR(kept[1]["capacity"].get<double>(), 0.1, 1e-9);
  EXPECT_EQ(kept[2]["id"], "chips");
  EXPECT_EQ(kept[2]["via"], "new-clusters");
  EXPECT_NEAR(kept[2]["capacity"].get<double>(), 0.04, 1e-9);
  EXPECT_FALSE(kept[2]["untouched"].get<bool>());
  // A target some coalition can take has no such list.
  ASSERT_EQ(testing::run_cli(run + " --below 0.7 --format json", &out, &err), 0) << err;
  EXPECT_FALSE(nlohmann::json::parse(out)["coalitions"]["targets"][0].contains("kept"));
}

// coalitions --sweep: a table across the thresholds and a chart (in the set, inline in HTML);
// --samples on a graph without ranges changes nothing.
TEST(UncertaintyCliTest, CoalitionsSweepAndSamples) {
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("coalitions data/examples/minimal.yaml --against CN --sweep", &out, &err), 0)
      << err;
  EXPECT_NE(out.find("## Across thresholds"), std::string::npos);
  EXPECT_NE(out.find("| below 90 % |"), std::string::npos);
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_sweep_" + std::to_string(::getpid()));
  ASSERT_EQ(testing::run_cli("coalitions data/examples/minimal.yaml --against CN --sweep "
                             "--out-dir '" +
                                 dir.string() + "'",
                             &out, &err),
            0)
      << err;
  std::ifstream chart(dir / "coalitions-sweep.svg");
  std::string svg((std::istreambuf_iterator<char>(chart)), std::istreambuf_iterator<char>());
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  std::ifstream page(dir / "coalitions.html");
  std::string html((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<svg"), std::string::npos) << "the sweep chart inline";
  std::filesystem::remove_all(dir);
  EXPECT_EQ(
      testing::run_cli("coalitions data/examples/minimal.yaml --against CN --sweep --below 0.5",
                       &out, &err),
      2);
  EXPECT_EQ(err, "error: --sweep covers every threshold; drop --below\n");
  std::string plain, sampled;
  ASSERT_EQ(testing::run_cli("coalitions data/examples/minimal.yaml --against CN --format json",
                             &plain, &err),
            0);
  ASSERT_EQ(testing::run_cli(
                "coalitions data/examples/minimal.yaml --against CN --samples 30 --format json",
                &sampled, &err),
            0);
  EXPECT_EQ(sampled, plain);
  // With ranges: how often each minimal coalition wins.
  // US wins through its FDPR only where US tools' share of the Korean fab (0.4-0.7) is above the
  // de minimis (0.5): about two samples in three. KR wins in every sample.
  ASSERT_EQ(testing::run_cli("coalitions data/examples/uncertainty.yaml --against CN --fdpr "
                             "--items \"kind == 'hbm'\" --de-minimis 0.5 --below 0.5 "
                             "--samples 400 --format json",
                             &out, &err),
            0)
      << err;
  auto report = nlohmann::json::parse(out);
  EXPECT_EQ(report["coalitions"]["sampling"]["samples"], 400);
  const auto& t = report["coalitions"]["targets"][0];
  EXPECT_EQ(t["minimal_winning"], nlohmann::json::parse(R"([["KR"], ["US"]])"));
  ASSERT_EQ(t["win_share"].size(), 2u);
  EXPECT_EQ(t["win_share"][0].get<double>(), 1.0);
  EXPECT_NEAR(t["win_share"][1].get<double>(), 2.0 / 3, 0.08);
}

}  // namespace
}  // namespace chokepoint
