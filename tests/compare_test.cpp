// `chokepoint compare`: scenarios side by side on data/examples/compare.yaml, numbers checked by
// hand through the JSON, the summary's sentences, the CSV, --baseline, --precision, and the
// exact texts of bad input.
//
// The example: chip = 0.5 US fab + 0.3 Korean fab + 0.2 Chinese fab; China's sourcing buys it
// from the Korean fab (share 0.5-0.7, point 0.6) and the Chinese fab (0.4). Both targets need
// the chip. Korean fab offline: the world's chip 0.5 + 0.2 = 0.7; China's 0.4 / (0.6 + 0.4) =
// 0.4, between 0.4 / 1.1 = 0.364 and 0.4 / 0.9 = 0.444 over the share's range. The US chip
// control denies China only the US fab's chips, which its sourcing does not buy: nothing moves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "exporters/report/summary.hpp"
#include "exporters/report/text.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

const std::string kGraph = "data/examples/compare.yaml";
const std::string kUsControl = "data/examples/scenarios/compare-us-control.yaml";
const std::string kKoreaOffline = "data/examples/scenarios/compare-korea-offline.yaml";
const std::string kBoth = "compare " + kGraph + " " + kUsControl + " " + kKoreaOffline;

class CompareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("chokepoint_compare_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

// The values of one row, column by column.
std::vector<double> values(const nlohmann::json& row) {
  std::vector<double> out;
  for (const auto& v : row["values"]) out.push_back(v["capacity"].get<double>());
  return out;
}

TEST_F(CompareTest, HandComputedValuesThroughTheJson) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth + " --samples 0 --format json", &out, &err), 0) << err;
  auto report = nlohmann::json::parse(out);
  EXPECT_EQ(report["command"], "compare");
  EXPECT_TRUE(report["scenario"].is_null());
  const auto& c = report["comparison"];
  EXPECT_EQ(c["columns"],
            (std::vector<std::string>{"no scenario", "US chip control", "Korean fab offline"}));
  EXPECT_EQ(c["views"], (std::vector<std::string>{"CN"}));  // the control's and the sourcing's
  EXPECT_EQ(c["samples"], 0);
  const auto& rows = c["rows"];
  ASSERT_EQ(rows.size(), 3u);  // both targets in the world, China's in its view
  EXPECT_EQ(rows[0]["target"], "cn-ai");
  EXPECT_TRUE(rows[0]["view"].is_null());
  EXPECT_EQ(values(rows[0]), (std::vector<double>{1, 1, 0.7}));
  EXPECT_EQ(rows[1]["target"], "us-ai");
  EXPECT_EQ(values(rows[1]), (std::vector<double>{1, 1, 0.7}));
  EXPECT_EQ(rows[2]["target"], "cn-ai");
  EXPECT_EQ(rows[2]["view"], "CN");
  EXPECT_EQ(rows[2]["no_scenario"].get<double>(), 1.0);
  EXPECT_EQ(values(rows[2]), (std::vector<double>{1, 1, 0.4}));
  EXPECT_EQ(rows[2]["values"][2]["status"], "degraded");
  EXPECT_EQ(rows[2]["values"][1]["status"], "ok");
  EXPECT_FALSE(rows[2]["values"][2].contains("band"));
  EXPECT_EQ(c["scenarios"][1]["scenario"]["remove"], (std::vector<std::string>{"kr-fab"}));
}

TEST_F(CompareTest, BandsWhereTheGraphHasRanges) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth + " --format json", &out, &err), 0) << err;
  auto c = nlohmann::json::parse(out)["comparison"];
  EXPECT_EQ(c["samples"], 200);
  EXPECT_EQ(c["seed"], 1);
  const auto& band = c["rows"][2]["values"][2]["band"];
  EXPECT_EQ(band["samples"], 200);
  EXPECT_GT(band["p5"].get<double>(), 0.4 / 1.1);
  EXPECT_LT(band["p5"].get<double>(), 0.38);
  EXPECT_GT(band["p95"].get<double>(), 0.42);
  EXPECT_LT(band["p95"].get<double>(), 0.4 / 0.9);
  EXPECT_EQ(band["p_lost"].get<double>(), 0.0);
  EXPECT_EQ(band["p_degraded"].get<double>(), 1.0);
  // The world's chip does not depend on China's shares: a band of one value.
  const auto& world = c["rows"][0]["values"][2]["band"];
  EXPECT_EQ(world["p5"].get<double>(), 0.7);
  EXPECT_EQ(world["p95"].get<double>(), 0.7);
  // Another seed, other bands; the same seed, the same bytes.
  std::string again, other;
  ASSERT_EQ(testing::run_cli(kBoth + " --format json", &again, &err), 0);
  EXPECT_EQ(again, out);
  ASSERT_EQ(testing::run_cli(kBoth + " --seed 9 --format json", &other, &err), 0);
  EXPECT_NE(other, out);
}

TEST_F(CompareTest, TheSummarySaysWhatCostsEachSideMost) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth + " --samples 0", &out, &err), 0) << err;
  EXPECT_NE(out.find("## Summary\n\nThis compares 2 scenarios with the baseline (no scenario), in "
                     "the world and CN's view.\n\n"
                     "What costs CN most (in CN's view; the largest loss summed over its targets): "
                     "**Korean fab offline**, which leaves "
                     "China training (`cn-ai`) **40 %** (≈ 0.80 M H100-equivalents a year) "
                     "against 100 % on the baseline.\n\n"
                     "What costs US most (world view; the largest loss summed over its targets): "
                     "**Korean fab offline**, which leaves US "
                     "training (`us-ai`) **70 %** against 100 % on the baseline.\n\n"
                     // China buys no US chips, and the world view applies no control.
                     "US chip control gives every target the baseline's value in every view "
                     "shown: what it denies or removes, the targets do not need.\n\n"
                     "Not modelled:"),
            std::string::npos)
      << out;
  // The summary comes first, then China's table (what a side gets, the answer a brief quotes),
  // then the world's, for comparison.
  auto summary = out.find("## Summary"), world = out.find("## In the world"),
       china = out.find("## In CN's view");
  EXPECT_LT(summary, china);
  EXPECT_LT(china, world);
  // A column that changes nothing says so in its heading, as the summary does.
  EXPECT_NE(out.find("| target | 100 % is | no scenario | US chip control (changes no target) | "
                     "Korean fab offline |\n"
                     "|---|---|---:|---:|---:|\n"
                     "| China training (`cn-ai`) | 2.0 M H100-equivalents a year | 100 % | 100 % "
                     "| 40 % |\n"),
            std::string::npos)
      << out;
}

// "Costs most" is the largest loss summed over a side's targets, not the worst for each: where
// another scenario leaves a target lower, the sentence says so. Korea offline costs China 100
// points of cn-a and 40 of cn-b (140); Taiwan offline only 60 points of cn-b, but leaves it at
// 40 % against Korea's 60 %.
TEST_F(CompareTest, CostsMostSaysWhereAnotherScenarioCostsATargetMore) {
  std::string graph = write("two.yaml", R"(nodes:
  - {id: kr-fab, kind: firm, jurisdiction: KR}
  - {id: tw-fab, kind: firm, jurisdiction: TW}
  - {id: chip-a, kind: chip, suppliers: [kr-fab]}
  - {id: chip-b, kind: chip, suppliers: [{id: tw-fab, share: 0.6}, {id: kr-fab, share: 0.4}]}
  - {id: cn-a, kind: capability, jurisdiction: CN, target: true, inputs: [chip-a]}
  - {id: cn-b, kind: capability, jurisdiction: CN, target: true, inputs: [chip-b]}
)");
  std::string kr = write("kr.yaml", "scenario:\n  name: Korea offline\n  remove: [kr-fab]\n");
  std::string tw = write("tw.yaml", "scenario:\n  name: Taiwan offline\n  remove: [tw-fab]\n");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("compare " + graph + " " + kr + " " + tw, &out, &err), 0) << err;
  EXPECT_NE(out.find("What costs CN most (world view; the largest loss summed over its targets): "
                     "**Korea offline**, which leaves `cn-a` **0 %** against 100 % on the "
                     "baseline; `cn-b` **60 %** against 100 % on the baseline; for cn-b, Taiwan "
                     "offline costs more (40 % against 60 %).\n"),
            std::string::npos)
      << out;
}

TEST_F(CompareTest, TheBandAndTheRangeThatMovesItInTheSummary) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth, &out, &err), 0) << err;
  EXPECT_NE(out.find("; each value with the range nine samples in ten fall in (P5–P95 of 200 "
                     "samples of the ranges in the data)."),
            std::string::npos)
      << out;
  // 0.4 / (s + 0.4) at the share's low 0.5 and high 0.7.
  EXPECT_NE(out.find("The range that moves the costliest answer (Korean fab offline) most: "
                     "Korean fab's share in Chip (sourcing for CN) (50–70 %), which gives China "
                     "training (`cn-ai`) in CN's view 44 % at its low and 36 % at its high."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("**40 % (37–44 %)**"), std::string::npos) << out;
}

// --precision N: N significant digits; a value that rounds up to the next power of ten keeps N.
TEST(PrecisionTest, SignificantDigitsAndBands) {
  EXPECT_EQ(significant(52.36, 2), "52");
  EXPECT_EQ(significant(52.36, 3), "52.4");
  EXPECT_EQ(significant(0.3149, 2), "0.31");
  EXPECT_EQ(significant(9.96, 2), "10");
  EXPECT_EQ(significant(9.996, 3), "10.0");
  EXPECT_EQ(significant(99.96, 3), "100");
  EXPECT_EQ(significant(0.00012345, 3), "0.000123");
  EXPECT_EQ(significant(1234.5, 1), "1235");  // whole numbers are never cut
  EXPECT_EQ(percent(0.5236, 3), "52.4 %");
  EXPECT_EQ(percent(0.5236, 1), "52 %");
  EXPECT_EQ(percent(0.0314, 1), "3 %");
  Band band;
  band.p5 = 0.4;
  band.p95 = 0.61;
  EXPECT_EQ(report::percent_band(0.52, &band), "52 % (40–61 %)");
  EXPECT_EQ(report::percent_band(0.52, &band, 3), "52.0 % (40.0–61.0 %)");
  band.p5 = band.p95 = 0.7;
  EXPECT_EQ(report::percent_band(0.7, &band), "70 %");  // a band of one value: the value once
  EXPECT_EQ(report::percent_band(0.7, nullptr), "70 %");
  band.p5 = 0;
  EXPECT_EQ(report::percent_band(0.7, &band), "70 % (0–70 %)");
  // A band that reaches a loss is two answers: how often the target is lost, said in the band.
  band.p_lost = 0.12;
  band.p95 = 0.48;
  EXPECT_EQ(report::percent_band(0.44, &band), "44 % (0–48 %; lost in 12 % of samples)");
  band.p5 = 0.3;  // lost in some samples, but not in the band
  EXPECT_EQ(report::percent_band(0.44, &band), "44 % (30–48 %)");
}

TEST_F(CompareTest, Precision) {
  std::string two, three, err;
  ASSERT_EQ(testing::run_cli(kBoth + " --samples 0", &two, &err), 0) << err;
  ASSERT_EQ(testing::run_cli(kBoth + " --samples 0 --precision 3", &three, &err), 0) << err;
  EXPECT_NE(two.find("**70 %**"), std::string::npos);
  EXPECT_NE(three.find("**70.0 %**"), std::string::npos) << three;
  EXPECT_NE(three.find("| 100 % | 100 % | 40.0 % |"), std::string::npos) << three;
  // JSON keeps full precision whatever --precision says.
  std::string json_two, json_three;
  ASSERT_EQ(testing::run_cli(kBoth + " --format json", &json_two, &err), 0);
  ASSERT_EQ(testing::run_cli(kBoth + " --format json --precision 4", &json_three, &err), 0);
  EXPECT_EQ(json_two, json_three);
  EXPECT_EQ(testing::run_cli(kBoth + " --precision 0", &two, &err), 2);
  EXPECT_NE(err.find("--precision"), std::string::npos) << err;
  // whatif's headline in CN's view: 0.4 with its band over the default 200 samples (seed 1),
  // within 0.4 / 1.1 and 0.4 / 0.9.
  ASSERT_EQ(
      testing::run_cli("whatif " + kGraph + " -s " + kKoreaOffline + " --view CN --precision 3",
                       &three, &err),
      0)
      << err;
  EXPECT_NE(three.find("China training (`cn-ai`) **40.0 % (36.6–44.0 %)** (≈ 0.800 M"),
            std::string::npos)
      << three;
  EXPECT_EQ(testing::run_cli("whatif " + kGraph + " --rank --precision 3", &three, &err), 2);
  EXPECT_EQ(err, "error: --precision goes without --rank (a ranking has no summary)\n");
}

TEST_F(CompareTest, OneRowPerTargetViewAndScenarioInTheCsv) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth + " --samples 0 --format csv", &out, &err), 0) << err;
  // As every CSV: a byte-order mark for spreadsheets, CRLF line ends.
  EXPECT_EQ(out,
            "\xEF\xBB\xBFtarget,view,scenario,capacity,status,p5,p50,p95,mean,p_lost,p_degraded,"
            "samples\r\n"
            "cn-ai,world,no scenario,1,ok,,,,,,,\r\n"
            "cn-ai,world,US chip control,1,ok,,,,,,,\r\n"
            "cn-ai,world,Korean fab offline,0.7,degraded,,,,,,,\r\n"
            "us-ai,world,no scenario,1,ok,,,,,,,\r\n"
            "us-ai,world,US chip control,1,ok,,,,,,,\r\n"
            "us-ai,world,Korean fab offline,0.7,degraded,,,,,,,\r\n"
            "cn-ai,CN,no scenario,1,ok,,,,,,,\r\n"
            "cn-ai,CN,US chip control,1,ok,,,,,,,\r\n"
            "cn-ai,CN,Korean fab offline,0.4,degraded,,,,,,,\r\n");
}

// --baseline lies beneath every scenario; the command-line changes are one more column.
TEST_F(CompareTest, BaselineAndFlags) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("compare " + kGraph + " --baseline " + kKoreaOffline + " -s " +
                                 kUsControl + " --remove cn-fab --samples 0 --format json",
                             &out, &err),
            0)
      << err;
  auto report = nlohmann::json::parse(out);
  const auto& c = report["comparison"];
  EXPECT_EQ(c["columns"],
            (std::vector<std::string>{"Korean fab offline", "US chip control", "remove cn-fab"}));
  EXPECT_EQ(report["scenario"]["name"], "Korean fab offline");
  // China's view: 0.4 on the baseline and with the US control on it; nothing without the
  // Chinese fab either. The world: 0.7, 0.7, then 0.5 (the US fab alone).
  EXPECT_EQ(values(c["rows"][2]), (std::vector<double>{0.4, 0.4, 0}));
  EXPECT_EQ(values(c["rows"][0]), (std::vector<double>{0.7, 0.7, 0.5}));
  EXPECT_EQ(c["rows"][2]["values"][2]["status"], "lost");
  // The Markdown heads each scenario's column "B + X": a reader must not take "US chip control"
  // for the control alone, without the Korean fab's outage beneath it.
  ASSERT_EQ(testing::run_cli("compare " + kGraph + " --baseline " + kKoreaOffline + " -s " +
                                 kUsControl + " --remove cn-fab --samples 0",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("- Baseline (B), under every column: Korean fab offline\n"
                     "- Scenario 1: B + US chip control\n- Scenario 2: B + remove cn-fab\n"),
            std::string::npos)
      << out;
  EXPECT_NE(
      out.find("| 100 % is | B: Korean fab offline | B + US chip control (adds nothing to B) | B + "
               "remove cn-fab |"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("This compares 2 scenarios with the baseline (Korean fab offline), each laid "
                     "on top of it: a column is the baseline and its scenario together (B + each "
                     "scenario), in "),
            std::string::npos)
      << out;
  // China buys no US chips and Korea's are gone in the baseline: the US control adds nothing,
  // which the summary says rather than let a reader think it does nothing.
  EXPECT_NE(out.find("\n\nB + US chip control gives every target the baseline's value in every "
                     "view shown: what it denies or removes, the baseline denies already or the "
                     "targets do not need — not that it would do nothing on its own.\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("B + remove cn-fab gives every target"), std::string::npos) << out;
}

// A side's view above the world's is its own sourcing, and the table says so: China buys 80 %
// of its HBM from CXMT, the world half; with SK hynix gone China keeps 0.8, the world 0.5.
TEST_F(CompareTest, AViewAboveTheWorldsIsExplained) {
  auto graph = write("above.yaml", R"(nodes:
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: cxmt, kind: firm, jurisdiction: CN}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: cxmt, share: 0.5}]
    sourcing:
      CN: [{id: skh, share: 0.2}, {id: cxmt, share: 0.8}]
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("compare " + graph + " --remove skh --samples 0", &out, &err), 0)
      << err;
  EXPECT_NE(out.find("| `cn-ai` | 100 % | 80 % |\n\n1 value here is above the world's (the "
                     "largest: cn-ai under remove skh, 80 % against 50 % in the world): CN buys "
                     "as its sourcing in the data says, which leans less on what the scenario "
                     "takes than world market shares do."),
            std::string::npos)
      << out;
  // The world's own table has no such sentence, and a view at or below the world's none either.
  EXPECT_EQ(out.find("above the world's"), out.rfind("above the world's")) << out;
  ASSERT_EQ(testing::run_cli("compare " + kGraph + " " + kUsControl + " --samples 0", &out, &err),
            0)
      << err;
  EXPECT_EQ(out.find("above the world's"), std::string::npos) << out;
}

// The world table gives a target at world market shares, without the controls against its side:
// each cell its side's view contradicts is marked and a note says where to read it. China's
// chip under the Korean outage: 70 % in the world, 40 % in its view; the other columns agree.
TEST_F(CompareTest, WorldCellsThatASidesViewContradictsAreMarked) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth + " --samples 0", &out, &err), 0) << err;
  EXPECT_NE(out.find("| China training (`cn-ai`) | 2.0 M H100-equivalents a year | 100 % | 100 % "
                     "| 70 % † |\n| US training (`us-ai`) | – | 100 % | 100 % | 70 % |\n\n† Read "
                     "in CN's view above: there the value is what the target's side gets, buying "
                     "as it does and with the controls against it; here it is at world market "
                     "shares without those controls, which is not what that side gets (an "
                     "embargo's cost to it shows only there).\n"),
            std::string::npos)
      << out;
  // The US control alone moves nothing in China's view: no mark, no note.
  ASSERT_EQ(testing::run_cli("compare " + kGraph + " " + kUsControl + " --samples 0", &out, &err),
            0)
      << err;
  EXPECT_EQ(out.find("†"), std::string::npos) << out;
}

// Targets whose markers coincide in every column share one, named by the first and a count: the
// names joined ran off the chart's right edge.
TEST_F(CompareTest, CoincidingTargetsShareAMarkerNamedByTheFirst) {
  auto graph = write("alike.yaml", R"(nodes:
  - {id: kr-fab, kind: firm, jurisdiction: KR}
  - {id: cn-fab, kind: firm, jurisdiction: CN}
  - {id: chip, kind: chip, suppliers: [kr-fab, cn-fab]}
  - {id: cn-train, name: China training, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
  - {id: cn-infer, name: China inference, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
  - {id: cn-tune, name: China fine-tuning, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
)");
  std::string out, err;
  auto svg = (dir_ / "alike.svg").string();
  ASSERT_EQ(
      testing::run_cli("compare " + graph + " --remove kr-fab --samples 0 -o " + svg, &out, &err),
      0)
      << err;
  std::ifstream in(svg);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Targets in id order: cn-infer, cn-train, cn-tune.
  EXPECT_NE(text.find("<text>China inference and 2 more alike</text>"), std::string::npos) << text;
  EXPECT_EQ(text.find("China training"), std::string::npos) << text;
}

// Two alternatives may define the same control (one or the other applies); the baseline and an
// alternative may not.
TEST_F(CompareTest, ControlIdsAcrossColumns) {
  std::string copy = write("copy.yaml",
                           "scenario:\n  name: US chip control again\n  controls:\n"
                           "    - {id: us-chips, by: [US], against: [CN], items: \"kind == "
                           "'chip'\"}\n");
  std::string out, err;
  EXPECT_EQ(testing::run_cli("compare " + kGraph + " " + kUsControl + " " + copy + " --samples 0",
                             &out, &err),
            0)
      << err;
  EXPECT_EQ(
      testing::run_cli("compare " + kGraph + " --baseline " + kUsControl + " " + copy, &out, &err),
      1);
  EXPECT_EQ(err, "error: control 'us-chips' is defined twice (again in '" + copy +
                     "'); give the controls distinct ids\n");
  EXPECT_TRUE(out.empty());
}

// Scenarios that give every target the same value say so; two columns of one name are told
// apart by their files.
TEST_F(CompareTest, SameAnswerAndSameNames) {
  std::string fdpr = write("fdpr.yaml",
                           "scenario:\n  name: US chip control\n  controls:\n"
                           "    - {id: us-chips-fdpr, by: [US], against: [CN], items: \"kind == "
                           "'chip'\", fdpr: true}\n");
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth + " " + fdpr + " --samples 0", &out, &err), 0) << err;
  // Markdown escapes the underscores of the temporary folder's name.
  EXPECT_NE(out.find("US chip control (" + kUsControl + ") and US chip control ("),
            std::string::npos)
      << out;
  // Both equal the baseline (China buys no US chips): said once, for the two, as adding nothing.
  EXPECT_NE(out.find("fdpr.yaml) give every target the baseline's value in every view shown: "
                     "what each denies or removes, the targets do not need."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| no scenario | US chip control (" + kUsControl +
                     ") (changes no target) | Korean fab offline | US chip control ("),
            std::string::npos)
      << out;
  // Two scenarios that agree with each other, not with the baseline.
  std::string again =
      write("again.yaml", "scenario:\n  name: Korean fab gone\n  remove: [kr-fab]\n");
  ASSERT_EQ(
      testing::run_cli("compare " + kGraph + " " + kKoreaOffline + " " + again + " --samples 0",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("\n\nKorean fab offline and Korean fab gone give every target the same value "
                     "in every view shown: what one adds over the other denies or removes "
                     "nothing the targets still had.\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("the baseline's value"), std::string::npos) << out;
}

// Two columns that differ by the FDPR and agree say why: every pair the FDPR reaches is made in
// a controlling country (denied directly), or the pairs only it denies are none a target needs
// (a Japanese fab's phone chips, made with US tools: two pairs, the fab's own output and its
// phone chip).
TEST_F(CompareTest, AnFdprThatAddsNothingSaysWhy) {
  std::string graph = write("g.yaml", R"(
jurisdictions:
  US: {fdpr: true}
nodes:
  - {id: us-tools, kind: firm, jurisdiction: US}
  - {id: kr-fab, kind: firm, jurisdiction: KR, inputs: [tools]}
  - {id: jp-fab, kind: firm, jurisdiction: JP, inputs: [tools]}
  - {id: tools, kind: equipment, suppliers: [us-tools]}
  - {id: chip, kind: chip, suppliers: [kr-fab]}
  - {id: phone-soc, kind: chip, suppliers: [jp-fab]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
)");
  auto scenario = [&](const std::string& name, const std::string& items, bool fdpr) {
    return write(name + ".yaml", "scenario:\n  name: " + name + "\n  controls:\n    - {id: " +
                                     name + ", by: [US, KR], against: [CN], items: \"" + items +
                                     "\", fdpr: " + (fdpr ? "true" : "false") + "}\n");
  };
  std::string out, err;
  ASSERT_EQ(testing::run_cli("compare " + graph + " " + scenario("with", "true", true) + " " +
                                 scenario("without", "true", false) + " --samples 0",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("with and without give every target the same value in every view shown: "
                     "what one adds over the other denies or removes nothing the targets still "
                     "had. The FDPR of with denies 2 more maker-product pairs to the views shown, "
                     "none that a target still needed.\n"),
            std::string::npos)
      << out;
  ASSERT_EQ(testing::run_cli("compare " + graph + " " +
                                 scenario("chips", "id == 'chip' or id == 'tools'", true) + " " +
                                 scenario("nofdpr", "true", false) + " --samples 0",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find(" The FDPR of chips denies nothing its controls do not deny directly: every "
                     "product it reaches is made in a controlling country, or is that country's "
                     "own.\n"),
            std::string::npos)
      << out;
  // A pair the baseline's FDPR denies already is not one more (the phone chip); a de minimis
  // is named as a reason the FDPR may reach nothing.
  std::string base = write("base.yaml",
                           "scenario:\n  name: base\n  controls:\n    - {id: b, by: [US], against: "
                           "[CN], items: \"id == 'phone-soc'\", fdpr: true}\n");
  ASSERT_EQ(testing::run_cli("compare " + graph + " --baseline " + base + " " +
                                 scenario("with", "true", true) + " " +
                                 scenario("without", "true", false) + " --samples 0",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("The FDPR of B + with denies 1 more maker-product pair to the views shown"),
            std::string::npos)
      << out;
  std::string dm =
      write("dm.yaml",
            "scenario:\n  name: dm\n  controls:\n    - {id: dm, by: [US, KR], against: "
            "[CN], items: \"id == 'chip' or id == 'tools'\", fdpr: true, de_minimis: "
            "0.5}\n");
  ASSERT_EQ(testing::run_cli("compare " + graph + " " + dm + " " +
                                 scenario("nofdpr", "true", false) + " --samples 0",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("made in a controlling country, or is that country's own, or stays within "
                     "its de minimis.\n"),
            std::string::npos)
      << out;
  // Without a column lacking the FDPR, nothing is said of it.
  ASSERT_EQ(
      testing::run_cli("compare " + graph + " " + scenario("a", "true", true) + " " +
                           scenario("b", "id == 'chip' or id == 'tools'", true) + " --samples 0",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("a and b give every target the same value"), std::string::npos) << out;
  EXPECT_EQ(out.find("The FDPR of"), std::string::npos) << out;
}

TEST_F(CompareTest, BadInput) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("compare " + kGraph, &out, &err), 2);
  EXPECT_EQ(err,
            "error: compare needs a scenario: scenario files (after the graph or with -s), or "
            "--remove, --remove-jurisdiction, --capacity, --control or --embargo\n");
  EXPECT_EQ(testing::run_cli("compare " + kGraph + " --baseline " + kUsControl, &out, &err), 2);
  EXPECT_NE(err.find("compare needs a scenario"), std::string::npos);
  // A scenario file that cannot be read is an I/O error (exit 3), as a graph file is.
  EXPECT_EQ(testing::run_cli("compare " + kGraph + " nope.yaml", &out, &err), 3);
  EXPECT_EQ(err,
            "nope.yaml: error: cannot open file: no such file\n1 error generated.\n"
            "error: cannot read 'nope.yaml'\n");
  EXPECT_EQ(testing::run_cli(kBoth + " --view CNN", &out, &err), 2);
  EXPECT_EQ(err, "error: unknown jurisdiction, bloc or node 'CNN' in --view; did you mean 'CN'?\n");
  EXPECT_EQ(testing::run_cli(kBoth + " --rules rules/default.yaml", &out, &err), 2);
  EXPECT_TRUE(out.empty());
  std::string bad = write("bad.yaml", "scenario:\n  remove: [nope]\n");
  EXPECT_EQ(testing::run_cli("compare " + kGraph + " " + bad, &out, &err), 1);
  EXPECT_NE(err.find("unknown node 'nope'"), std::string::npos) << err;
  EXPECT_TRUE(out.empty());
}

TEST_F(CompareTest, TheReportSet) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli(kBoth + " --out-dir '" + dir_.string() + "/set'", &out, &err), 0)
      << err;
  for (const char* f :
       {"compare.md", "compare.html", "compare.json", "compare.csv", "compare.svg", "compare.png"})
    EXPECT_TRUE(fs::exists(dir_ / "set" / f)) << f;
  // The chart: per view that judges a target, a heading and a row per column (numbered as in
  // the facts), a marker per target in the legend; 960 wide (7 pt text on A4); inline in HTML.
  std::ifstream svg_in(dir_ / "set" / "compare.svg");
  std::string svg((std::istreambuf_iterator<char>(svg_in)), std::istreambuf_iterator<char>());
  for (const char* text : {"In the world", "In CN's view", "US training", "China training",
                           "B: no scenario", "2: Korean fab offline", "bars: P5–P95"})
    EXPECT_NE(svg.find(text), std::string::npos) << text;
  EXPECT_NE(svg.find("viewBox=\"0 0 960 "), std::string::npos);
  std::ifstream html_in(dir_ / "set" / "compare.html");
  std::string html((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("<svg"), std::string::npos);
  // The same summary and numbers as the Markdown: in the sentence and in CN's table.
  EXPECT_NE(html.find("What costs CN most (in CN&#39;s view; the largest loss summed over its "
                      "targets): <strong>Korean fab offline"),
            std::string::npos);
  std::size_t band = html.find("40 % (37–44 %)");
  ASSERT_NE(band, std::string::npos);
  EXPECT_NE(html.find("40 % (37–44 %)", band + 1), std::string::npos);
}

}  // namespace
}  // namespace chokepoint
