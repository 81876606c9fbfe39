// The third revision's model at the command line: --view, leverage as withholding, coalition
// reasons, and flags that are refused rather than ignored. Numbers are those of the worked
// examples (I, K, L), checked by hand.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "exporters/report/summary.hpp"
#include "exporters/report/text.hpp"
#include "tests/analysis_fixtures.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class SidesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("chokepoint_sides_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  fs::path dir_;
};

// Example L: China buys HBM from SK hynix and CXMT; the US controls its tools against China; a
// US target beside China's.
const std::string kExampleL =
    std::string(testing::kExampleE) +
    "  - {id: us-ai, kind: capability, jurisdiction: US, inputs: [hbm], target: true}\n";

TEST_F(SidesCliTest, AnalyzeInChinasViewJudgesChinasTargetsInItsView) {
  auto graph = write("l.yaml", kExampleL);
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("analyze " + graph + " --control 'US>CN' --view CN --order 1 --format json",
                       &out, &err),
      0)
      << err;
  json j = json::parse(out);
  ASSERT_TRUE(j["view"].is_object());
  EXPECT_EQ(j["view"]["side"], "CN");
  ASSERT_EQ(j["view"]["targets"].size(), 1u);  // China's target only
  EXPECT_EQ(j["view"]["targets"][0]["id"], "cn-ai");
  EXPECT_DOUBLE_EQ(j["view"]["targets"][0]["capacity"].get<double>(), 0.5);
  EXPECT_EQ(j["view"]["targets"][0]["status"], "degraded");
  // In China's view SK hynix is a single point of failure (CXMT's half needs the denied tools).
  EXPECT_EQ(j["cut_sets"]["cn-ai"]["sets"],
            json::parse(R"([["hbm"], ["skh"], ["tools"], ["us-tools"]])"));
  // Four sets of one: no memory limit was near (a view's search said it was, always).
  EXPECT_FALSE(j["cut_sets"]["cn-ai"].contains("memory_limit"));
  EXPECT_EQ(err, "");
  for (const auto& n : j["nodes"]) {
    if (n["id"] == "skh") {
      EXPECT_EQ(n["metrics"]["spof"], json::array({"cn-ai"}));
    }
  }
  ASSERT_EQ(
      testing::run_cli("analyze " + graph + " --control 'US>CN' --view CN --order 1", &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("# chokepoint report in CN's view"), std::string::npos) << out;
  EXPECT_NE(out.find("| in CN's view |"), std::string::npos) << out;
  EXPECT_NE(out.find("Judged in CN's view"), std::string::npos) << out;
  // Without --order a side's view looks for single choke points only; --order 2 asks for pairs.
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN' --view CN", &out, &err), 0);
  EXPECT_NE(out.find("## Cut sets (order 1, by node)"), std::string::npos) << out;
  ASSERT_EQ(
      testing::run_cli("analyze " + graph + " --control 'US>CN' --view CN --order 2", &out, &err),
      0);
  EXPECT_NE(out.find("## Cut sets (order 2, by node)"), std::string::npos) << out;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN'", &out, &err), 0);
  EXPECT_NE(out.find("## Cut sets (order 2, by node)"), std::string::npos) << out;
}

// A diagram in China's view shows China's targets in its view and the US's in the world's, in
// percent: "100 % ok in CN's view" on a US target said nothing about the US (and a US target
// China cannot build was drawn LOST).
TEST_F(SidesCliTest, ADiagramInChinasViewShowsOtherSidesTargetsInTheWorlds) {
  auto graph = write("l.yaml", kExampleL);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN' --view CN --out-dir '" +
                                 (dir_ / "out").string() + "' -q",
                             &out, &err),
            0)
      << err;
  std::ifstream in(dir_ / "out" / "graph.dot");
  std::string dot((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto label_of = [&](const std::string& id) {
    auto at = dot.find("\t\"" + id + "\"\t");
    if (at == std::string::npos) at = dot.find("\t" + id + "\t");
    return at == std::string::npos ? std::string() : dot.substr(at, dot.find("];", at) - at);
  };
  EXPECT_NE(label_of("cn-ai").find("<B>degraded to 50 %</B>"), std::string::npos) << dot;
  EXPECT_NE(label_of("us-ai").find("<B>ok in the world view</B>"), std::string::npos) << dot;
  EXPECT_EQ(label_of("us-ai").find("LOST"), std::string::npos) << dot;
  EXPECT_NE(label_of("hbm").find("<B>degraded to 50 %</B>"), std::string::npos) << dot;
}

TEST_F(SidesCliTest, WhatifRankInChinasViewRanksWhatRemovalsCostChina) {
  auto graph = write("l.yaml", kExampleL);
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("whatif " + graph + " --control 'US>CN' --rank --view CN --format json",
                       &out, &err),
      0)
      << err;
  json j = json::parse(out);
  // China has 0.5 (SK hynix's half); losing skh, hbm, tools or us-tools costs it all of it;
  // cxmt costs it nothing (its half is already gone) and is left out. Ties go to the larger
  // supplier HHI (tools 0.6² + 0.4² = 0.52, hbm 0.5), then to the id.
  std::vector<std::string> removed;
  for (const auto& e : j["ranking"]) {
    removed.push_back(e["remove"][0]);
    EXPECT_DOUBLE_EQ(e["impact"].get<double>(), 0.5) << e;
  }
  EXPECT_EQ(removed, (std::vector<std::string>{"tools", "hbm", "skh", "us-tools"}));
  EXPECT_EQ(
      testing::run_cli("whatif " + graph + " --rank --view CN --between US --and CN", &out, &err),
      2);
  EXPECT_NE(err.find("--view ranks on one side's targets"), std::string::npos) << err;
  EXPECT_EQ(testing::run_cli("whatif " + graph + " --rank --view XX", &out, &err), 2);
  EXPECT_NE(err.find("unknown jurisdiction, bloc or node 'XX' in --view"), std::string::npos)
      << err;
}

// Example K: Germany withholding transformers costs China's grid 0.1 (China buys 90 % Chinese);
// a removal of the German maker would cost it everything (a disruption, not leverage).
const char* const kExampleK = testing::kExampleI;

TEST_F(SidesCliTest, LeverageIsWithholdingAndDisruptionIsRemoval) {
  auto graph = write("k.yaml", kExampleK);
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("analyze " + graph + " --between DE --and CN --format json", &out, &err), 0)
      << err;
  json j = json::parse(out);
  const json& lev = j["leverage"]["leverage"];
  EXPECT_EQ(lev["from"], "DE");
  EXPECT_EQ(lev["to"], "CN");
  ASSERT_EQ(lev["nodes"].size(), 1u);
  EXPECT_EQ(lev["nodes"][0]["id"], "transformers");
  EXPECT_NEAR(lev["nodes"][0]["loss"].get<double>(), 0.1, 1e-12);
  EXPECT_NEAR(lev["jurisdictions"][0]["loss"].get<double>(), 0.1, 1e-12);
  EXPECT_TRUE(j["leverage"]["exposure"]["nodes"].empty());  // Germany has no target
  // The removal of tx-de for everyone: China's grid loses all of it.
  bool seen = false;
  for (const auto& n : j["disruption"]["nodes"])
    if (n["id"] == "tx-de") {
      seen = true;
      EXPECT_NEAR(n["loss_to_b"].get<double>(), 1.0, 1e-12);
    }
  EXPECT_TRUE(seen) << j["disruption"];
  // As China buys (90 % Chinese), the same outage costs it the German tenth only; the Markdown
  // ranks by that and shows the world figure beside it.
  for (const auto& n : j["disruption"]["nodes"])
    if (n["id"] == "tx-de") {
      EXPECT_NEAR(n["loss_to_b_in_view"].get<double>(), 0.1, 1e-12);
      EXPECT_NEAR(n["net_in_view"].get<double>(), 0.1, 1e-12);
    }
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --between DE --and CN", &out, &err), 0);
  EXPECT_NE(out.find("| `tx-de` | 10 | 0 | 10 | 100 |"), std::string::npos) << out;
  EXPECT_NE(out.find("| `DE` | DE | 0 | 10 | 0 / 100 |"), std::string::npos) << out;
  EXPECT_NE(out.find("## Leverage and exposure: DE / CN"), std::string::npos) << out;
  EXPECT_NE(out.find("## Disruption (removal for everyone): DE / CN"), std::string::npos) << out;
  // The report set: leverage.csv is withholding, disruption.csv the removals.
  auto set = (dir_ / "set").string();
  ASSERT_EQ(
      testing::run_cli("analyze " + graph + " --between DE --and CN --out-dir " + set, &out, &err),
      0)
      << err;
  std::ifstream csv(fs::path(set) / "leverage.csv");
  std::string text((std::istreambuf_iterator<char>(csv)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text,
            "\xEF\xBB\xBF"  // the byte-order mark every CSV starts with (for spreadsheets)
            "direction,from,to,kind,id,loss\r\n"
            "leverage,DE,CN,jurisdiction,DE,0.1\r\n"
            "leverage,DE,CN,node,transformers,0.1\r\n");
  EXPECT_TRUE(fs::exists(fs::path(set) / "disruption.csv"));
}

// Disruption as each side buys, against a brute force: for every node, the loss to China's
// target equals China's view before minus its view with the node removed (whatif --remove
// --view). Korea's HBM is denied to China already, so losing SK hynix costs China nothing more,
// though half the world's HBM goes with it; CXMT, a tenth of the world's, is half of China's.
const char* const kDisruptionSides = R"(
nodes:
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: samsung, kind: firm, jurisdiction: KR}
  - {id: micron, kind: firm, jurisdiction: US}
  - {id: cxmt, kind: firm, jurisdiction: CN}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: samsung, share: 0.3}, {id: micron, share: 0.1},
                {id: cxmt, share: 0.1}]
    sourcing:
      CN: [{id: cxmt, share: 0.5}, {id: skh, share: 0.3}, {id: micron, share: 0.2}]
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [hbm]}
)";

TEST_F(SidesCliTest, DisruptionInASidesViewIsItsViewWithTheNodeRemoved) {
  const std::string graph = write("d.yaml", kDisruptionSides), control = " --embargo 'KR>CN'";
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + control + " --between US --and CN --format json",
                             &out, &err),
            0)
      << err;
  json d = json::parse(out)["disruption"];
  std::map<std::string, json> by_id;
  for (const auto& n : d["nodes"]) by_id[n["id"].get<std::string>()] = n;
  auto cn_view = [&](const std::string& extra) {
    std::string o, e;
    EXPECT_EQ(
        testing::run_cli("whatif " + graph + control + extra + " --view CN --format json", &o, &e),
        0)
        << e;
    json report = json::parse(o);
    for (const auto& t : report["targets"])
      if (t["id"] == "cn-ai") return t["views"]["CN"]["capacity"].get<double>();
    ADD_FAILURE() << o;
    return 0.0;
  };
  const double before = cn_view("");
  EXPECT_NEAR(before, 0.7, 1e-12);  // CXMT's half and Micron's fifth
  for (const char* id : {"skh", "samsung", "micron", "cxmt", "hbm", "us-ai"}) {
    double loss = before - cn_view(std::string(" --remove ") + id);
    double reported = by_id.count(id) ? by_id[id]["loss_to_b_in_view"].get<double>() : 0.0;
    EXPECT_NEAR(reported, loss, 1e-9) << id;
  }
  // The US buys at world shares and no control is against it: its view is the world's, so
  // side A's figures in its view equal its world figures, node by node and code by code.
  for (const json* list : {&d["nodes"], &d["jurisdictions"]})
    for (const auto& n : *list)
      EXPECT_NEAR(n["loss_to_a_in_view"].get<double>(), n["loss_to_a"].get<double>(), 1e-12) << n;
  EXPECT_NEAR(by_id["skh"]["loss_to_b"].get<double>(), 0.5, 1e-12);  // at world shares
  EXPECT_NEAR(by_id["skh"]["loss_to_b_in_view"].get<double>(), 0.0, 1e-12);
  EXPECT_NEAR(by_id["skh"]["loss_to_a_in_view"].get<double>(), 0.5,
              1e-12);  // the US buys at world shares
  EXPECT_NEAR(by_id["cxmt"]["loss_to_b"].get<double>(), 0.1, 1e-12);
  EXPECT_NEAR(by_id["cxmt"]["loss_to_b_in_view"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(by_id["micron"]["net_in_view"].get<double>(), 0.2 - 0.1, 1e-12);
  int codes = 0;
  for (const auto& c : d["jurisdictions"])
    if (c["code"] == "KR") {
      ++codes;
      EXPECT_NEAR(c["loss_to_b"].get<double>(), 0.8, 1e-12);
      EXPECT_NEAR(c["loss_to_b_in_view"].get<double>(), 0.0, 1e-12);
      EXPECT_NEAR(c["loss_to_a_in_view"].get<double>(), 0.8, 1e-12);
    }
  EXPECT_EQ(codes, 1);
}

// A removal can give a side back what a control denied it: with the US tool maker gone, Taiwan's
// chip no longer needs US tools and the FDPR stops reaching it (China 0 -> 50 %): a loss of
// -0.5, in the JSON (the schema allows it) and in the Markdown ("-50"), never a "0".
TEST_F(SidesCliTest, ARemovalThatEndsAnFdprsReachIsANegativeLoss) {
  auto graph = write("neg.yaml", R"(
jurisdictions:
  US: {fdpr: true}
nodes:
  - {id: us-tools, kind: firm, jurisdiction: US}
  - {id: jp-tools, kind: firm, jurisdiction: JP}
  - {id: tool, kind: equipment, suppliers: [{id: us-tools, share: 0.5}, {id: jp-tools, share: 0.5}]}
  - {id: tw-fab, kind: firm, jurisdiction: TW, inputs: [tool]}
  - {id: chip, kind: chip, suppliers: [tw-fab]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [chip]}
)");
  std::string out, err,
      cmd = "analyze " + graph + " --embargo 'US>CN' --fdpr --between US --and CN";
  ASSERT_EQ(testing::run_cli(cmd + " --format json", &out, &err), 0) << err;
  json d = json::parse(out)["disruption"];
  int seen = 0;
  for (const auto& n : d["nodes"])
    if (n["id"] == "us-tools") {
      ++seen;
      EXPECT_NEAR(n["loss_to_b_in_view"].get<double>(), -0.5, 1e-12);
      EXPECT_NEAR(n["loss_to_b"].get<double>(), 0.5, 1e-12);  // the world loses half its tools
    }
  EXPECT_EQ(seen, 1) << d;
  ASSERT_EQ(testing::run_cli(cmd, &out, &err), 0) << err;
  EXPECT_NE(out.find("| `US` | US | n/a (its targets are removed) | -50 | n/a / 50 |"),
            std::string::npos)
      << out;
}

// A jurisdiction's removal in a side's view takes every node there, also one the world has at 0
// (the side reaches it through its sourcing): Japan's fab lives only in the allies' view.
TEST_F(SidesCliTest, AJurisdictionsRemovalTakesNodesTheWorldHasAtZero) {
  auto graph = write("j.yaml", R"(
blocs:
  allies: [US, JP]
nodes:
  - {id: w, kind: firm, jurisdiction: KR}
  - {id: x, kind: firm, jurisdiction: US}
  - {id: tool, kind: equipment, suppliers: [w], sourcing: {allies: [x]}}
  - {id: jp-fab, kind: firm, jurisdiction: JP, inputs: [tool]}
  - {id: chip, kind: chip, suppliers: [jp-fab]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [chip]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
)");
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("analyze " + graph + " --remove w --between allies --and CN --format json",
                       &out, &err),
      0)
      << err;
  json codes = json::parse(out)["disruption"]["jurisdictions"];
  ASSERT_EQ(codes.size(), 1u) << codes;
  EXPECT_EQ(codes[0]["code"], "JP");
  EXPECT_NEAR(codes[0]["loss_to_a_in_view"].get<double>(), 1.0, 1e-12);
  EXPECT_NEAR(codes[0]["loss_to_a"].get<double>(), 0.0, 1e-12);
}

// A listed firm with no sourcing of its own buys as its country does: Huawei, denied Korean
// HBM, keeps China's half from CXMT (0.5), not the world's tenth (0.1) — and, a listed firm's
// output reaching everyone, so does China's target in the world.
TEST_F(SidesCliTest, AListedFirmBuysAsItsCountryDoes) {
  auto graph = write("e.yaml", R"(
nodes:
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: cxmt, kind: firm, jurisdiction: CN}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.9}, {id: cxmt, share: 0.1}]
    sourcing:
      CN: [{id: cxmt, share: 0.5}, {id: skh, share: 0.5}]
  - {id: huawei, kind: firm, jurisdiction: CN, inputs: [hbm]}
  - {id: ascend, kind: chip, suppliers: [huawei]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [ascend]}
)");
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("whatif " + graph + " --embargo 'KR>huawei' --format json", &out, &err), 0)
      << err;
  json t = json::parse(out)["targets"][0];
  EXPECT_NEAR(t["capacity"].get<double>(), 0.5, 1e-12) << t;
  EXPECT_NEAR(t["views"]["huawei"]["capacity"].get<double>(), 0.5, 1e-12) << t;
}

TEST_F(SidesCliTest, ControlTermsThatShapeNoControlAreRefused) {
  auto graph = write("k.yaml", kExampleK);
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze " + graph + " --items \"kind == 'equipment'\"", &out, &err),
            2);
  EXPECT_NE(err.find("--items shapes the controls of --control or --embargo, and none was given"),
            std::string::npos)
      << err;
  EXPECT_EQ(
      testing::run_cli("analyze " + graph + " --control 'DE>CN' --made-with \"true\"", &out, &err),
      2);
  EXPECT_NE(err.find("--made-with shapes the foreign direct product rule: add --fdpr"),
            std::string::npos)
      << err;
  EXPECT_EQ(testing::run_cli("whatif " + graph + " --remove tx-de --order 2", &out, &err), 2);
  EXPECT_NE(err.find("--order goes with --rank"), std::string::npos) << err;
  EXPECT_NE(testing::run_cli("analyze " + graph + " --for 12", &out, &err), 0);
}

TEST_F(SidesCliTest, DecoupleHonoursItems) {
  // Decoupling on every item costs China's grid the German tenth of its transformers (it buys
  // 90 % Chinese); decoupling on power alone leaves transformers alone.
  auto graph = write("k.yaml", kExampleK);
  std::string all, some, err;
  ASSERT_EQ(
      testing::run_cli("decouple " + graph + " --between DE --and CN --format json", &all, &err), 0)
      << err;
  ASSERT_EQ(testing::run_cli("decouple " + graph +
                                 " --between DE --and CN --items \"kind == 'power'\" --format json",
                             &some, &err),
            0)
      << err;
  json a = json::parse(all), s = json::parse(some);
  double everything = a["decoupling"]["sides"][1]["targets"][0]["capacity"].get<double>();
  double power_only = s["decoupling"]["sides"][1]["targets"][0]["capacity"].get<double>();
  EXPECT_NEAR(everything, 0.9, 1e-12);  // China keeps its own 90 %
  EXPECT_NEAR(power_only, 1.0, 1e-12);  // transformers are not covered
  EXPECT_NE(a["scenario"], s["scenario"]);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

TEST(SummaryTest, PercentagesHaveTwoSignificantDigits) {
  EXPECT_EQ(percent(0.5236), "52 %");
  EXPECT_EQ(percent(0.0031), "0.31 %");
  EXPECT_EQ(percent(0.0996), "10 %");
  EXPECT_EQ(percent(0.9547), "95 %");
  EXPECT_EQ(percent(0.9996), "100 %");
  EXPECT_EQ(percent(1.0), "100 %");
  EXPECT_EQ(percent(0.0), "0 %");
  EXPECT_EQ(percent(0.00001), "0.0010 %");
}

// Example L with a quantity on China's target: 1.2 M accelerators a year.
std::string example_l_with_quantity() {
  std::string yaml = kExampleL;
  const std::string node = "{id: cn-ai, kind: capability, jurisdiction: CN,";
  yaml.replace(yaml.find(node), node.size(),
               node + " quantity: {value: 1.2e6, unit: accelerators a year},");
  return yaml;
}

TEST_F(SidesCliTest, TheSummaryOpensTheReportWithEachSidesHeadlineInItsView) {
  // Example L with quantities: China keeps SK hynix's half of HBM under a US control on every
  // item (its own CXMT needs the denied tools); 0.5 of 1.2 M accelerators is 0.6 M.
  std::string yaml = example_l_with_quantity();
  auto graph = write("l.yaml", yaml);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN' --order 1", &out, &err), 0)
      << err;
  auto summary = out.find("## Summary");
  ASSERT_NE(summary, std::string::npos) << out;
  EXPECT_LT(summary, out.find("## Targets"));
  EXPECT_NE(out.find("CN's targets in CN's view under the scenario: `cn-ai` **50 %** (≈ "
                     "0.60 M accelerators a year) of the capacity the graph gives with nothing "
                     "denied."),
            std::string::npos)
      << out;
  // No control here is against the US: its targets are read in the world view, and it says so.
  EXPECT_NE(out.find("US's targets (world view: no control here is against them, at world "
                     "market shares, not as US buys: --view US reads them in its own view) under "
                     "the "
                     "scenario: `us-ai` **100 %** of the capacity the graph gives with "
                     "nothing denied."),
            std::string::npos)
      << out;
  // SK hynix alone makes what China keeps: a single point of failure in its view.
  EXPECT_NE(out.find("What costs most: restoring"), std::string::npos) << out;
}

// Targets that read alike are one finding: two Chinese targets fed by the same HBM, with the
// amount the data gives both, are named together with that amount once and a warning not to add
// it up; a third that reads the same without a quantity stays apart.
// In a country's view a choke point it makes mostly itself is a single point of failure at
// home, which no other country can deny: the summary names it apart from those bought abroad,
// and the choke-point table gives the home share as the side buys (its sourcing: 90 % though
// China makes 40 % of the world's neon).
TEST_F(SidesCliTest, ChokePointsMadeAtHomeAreApartFromThoseOthersCanDeny) {
  auto graph = write("home.yaml", R"(nodes:
  - {id: cn-neon, kind: firm, jurisdiction: CN}
  - {id: ua-neon, kind: firm, jurisdiction: UA}
  - {id: asml, kind: firm, jurisdiction: NL}
  - id: neon
    kind: material
    suppliers: [{id: cn-neon, share: 0.4}, {id: ua-neon, share: 0.6}]
    sourcing:
      CN: [{id: cn-neon, share: 0.9}, {id: ua-neon, share: 0.1}]
  - {id: scanner, kind: lithography, suppliers: [asml]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [neon, scanner]}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --view CN --order 1", &out, &err), 0) << err;
  EXPECT_NE(out.find("The choke points that matter most, of those made mostly outside CN: `asml` "
                     "(critical: asml holds 100 % of scanner; losing it alone loses cn-ai); "
                     "`scanner` (critical: scanner is a choke point: losing it alone loses cn-ai; "
                     "largest supplier asml (100 %), NL 100 %). Those CN makes mostly itself (no "
                     "other country can deny them): `neon` (critical: neon is a choke point: "
                     "losing it alone loses cn-ai; largest supplier cn-neon (90 %), CN 90 %).\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| node | kind | severity | score | made in CN | why |"), std::string::npos);
  EXPECT_NE(out.find("| `neon` | material | critical | 100 | 90 % |"), std::string::npos) << out;
  EXPECT_NE(out.find("| `scanner` | lithography | critical | 100 | 0 % |"), std::string::npos);
  EXPECT_NE(out.find("| `cn-neon` | firm | low | 10 | 100 % |"), std::string::npos);
  // Each ranking says whose buying it reads.
  EXPECT_NE(out.find("(the node details list them all). In CN's view: as it buys, with the "
                     "controls against it applied.\n"),
            std::string::npos)
      << out;
  // The world's report has no side: one list, no column.
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --order 1", &out, &err), 0) << err;
  EXPECT_NE(out.find("The choke points that matter most: "), std::string::npos) << out;
  EXPECT_NE(out.find("of the item. In the world view: every buyer at world market shares, no "
                     "control applied to the buyer (--view ranks them as one side buys).\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("makes mostly itself"), std::string::npos);
  EXPECT_EQ(out.find("| made in"), std::string::npos);
}

TEST_F(SidesCliTest, TargetsThatReadAlikeAreOneFinding) {
  std::string yaml = example_l_with_quantity();
  yaml +=
      "  - {id: cn-infer, kind: capability, jurisdiction: CN, target: true, inputs: [hbm], "
      "quantity: {value: 1.2e6, unit: accelerators a year}}\n"
      "  - {id: cn-edge, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}\n";
  auto graph = write("l.yaml", yaml);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN' --order 1", &out, &err), 0)
      << err;
  EXPECT_NE(out.find("CN's targets in CN's view under the scenario: `cn-ai` and `cn-infer` each "
                     "**50 %** (≈ 0.60 M accelerators a year: one amount the data gives both, "
                     "not two to add up); `cn-edge` **50 %** of the capacity the graph gives "
                     "with nothing denied."),
            std::string::npos)
      << out;
  // The timeline's summary likewise.
  ASSERT_EQ(testing::run_cli("timeline " + graph + " --control 'US>CN' --months 2 --perspective CN",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("CN's targets in CN's view: `cn-ai` and `cn-infer` each 50 % at month 0, 50 % "
                     "at month 1; `cn-edge` 50 % at month 0, 50 % at month 1.\n"),
            std::string::npos)
      << out;
}

// A target lost at its threshold is not "≈ 0" of its quantity: China keeps half its HBM, under
// the 60 % the target needs, and the summary says that instead of "≈ 0 accelerators a year".
TEST_F(SidesCliTest, ATargetLostAtItsThresholdSaysSo) {
  std::string yaml = kExampleL;
  yaml.replace(
      yaml.find("{id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}"),
      std::string("{id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}")
          .size(),
      "{id: cn-ai, kind: capability, jurisdiction: CN, target: true, quantity: {value: "
      "1.2e6, unit: accelerators a year}, inputs: [{any: [hbm], min_share: 0.6, label: "
      "\"HBM (below 60 % no cluster)\"}]}");
  auto graph = write("l.yaml", yaml);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN' --order 1", &out, &err), 0)
      << err;
  EXPECT_NE(out.find("`cn-ai` **0 %** (lost: below its threshold, 60 % of HBM) of the capacity "
                     "the graph gives"),
            std::string::npos)
      << out;
}

// A listed firm's view is named by the firm's name, several as one group ("the views of Huawei,
// SMIC and Yangtze Memory"), where its id ("huawei-fabs's view") read as jargon.
TEST_F(SidesCliTest, ViewsOfListedFirmsAreNamedByTheirNames) {
  Model m = testing::must_load(R"y(
blocs: {west: [US, NL]}
nodes:
  - {id: huawei-fabs, name: "Huawei's fab network (SwaySure, PXW)", kind: firm, jurisdiction: CN}
  - {id: smic, name: SMIC, kind: firm, jurisdiction: CN}
  - {id: t, kind: capability, jurisdiction: CN, target: true, inputs: [smic]}
)y");
  EXPECT_EQ(report::view_phrase(m, "CN"), "CN's view");
  EXPECT_EQ(report::view_phrase(m, "west"), "west's view");
  EXPECT_EQ(report::view_phrase(m, "huawei-fabs"), "the view of Huawei's fab network");
  EXPECT_EQ(report::listed_views({"world", report::view_phrase(m, "huawei-fabs"), "CN's view",
                                  report::view_phrase(m, "smic")}),
            "world, CN's view and the views of Huawei's fab network and SMIC");
  EXPECT_EQ(report::listed_views({"world", report::view_phrase(m, "smic")}),
            "world and the view of SMIC");
}

TEST_F(SidesCliTest, AListedFirmsViewThatIsTheWorldsHasNoColumn) {
  // A control on CXMT halves HBM for everyone (the world view counts it); in CXMT's view China's
  // target reads the same, 50 %, so the table names the view instead of a column of repeats.
  // China's own view keeps its column, though it reads the same too: it is a side's headline.
  auto graph = write("l.yaml", kExampleL);
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("analyze " + graph + " --control 'US>CN' --control 'US>cxmt'", &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("| target | world | status | view CN |\n"), std::string::npos) << out;
  EXPECT_NE(out.find("The view of cxmt: every target reads as in the world, so it has no "
                     "column: a control on a listed firm cuts what it makes for everyone, which "
                     "the world view counts already."),
            std::string::npos)
      << out;
  // Without the entity control, nothing to explain.
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN'", &out, &err), 0) << err;
  EXPECT_EQ(out.find("reads as in the world"), std::string::npos) << out;
}

TEST_F(SidesCliTest, TheSummarySaysWhatNoSingleControlGivesBack) {
  // Example L under three controls: two US ones both deny China the tools (CXMT's half), a
  // Korean one SK hynix's HBM. China's target is lost (100 points); lifting kr-all alone gives
  // back SK hynix's 50, lifting either US control alone nothing (the other still denies the
  // tools): 50 points no single control can be credited with.
  auto graph = write("l.yaml", kExampleL);
  auto scenario = write("ov.yaml", R"(scenario:
  name: Overlapping controls
  controls:
    - {id: us-all, by: [US], against: [CN]}
    - {id: us-tools-only, by: [US], against: [CN], items: "kind == 'equipment'"}
    - {id: kr-all, by: [KR], against: [CN]}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " -s " + scenario, &out, &err), 0) << err;
  EXPECT_NE(out.find("restoring `tools` alone would give back 50 points of `cn-ai` in CN's view, "
                     "denied by us-all (direct) and us-tools-only (direct)."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("The controls behind it: lifting `kr-all` alone (the others kept) would give "
                     "back 50 points of `cn-ai` in CN's view (50 % of its loss). Of the 100-point "
                     "loss of `cn-ai`, lifting one control at a time gives back 50 points in all; "
                     "no single lifting gives back the other 50 (two or more controls deny them "
                     "at once, or a control on a listed firm cuts them for everyone).\n"),
            std::string::npos)
      << out;
  // One control: lifting it is the whole loss by definition, so the sentence is left out.
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --control 'US>CN'", &out, &err), 0) << err;
  EXPECT_EQ(out.find("The controls behind it"), std::string::npos) << out;
}

TEST_F(SidesCliTest, AControlLiftedAfterTheScenariosDateSaysSoWhereverItIsNamed) {
  // The overlapping controls again, two of them lifted later (`lifted:`): every sentence and
  // table that names one says so, and the box says what the values read.
  auto graph = write("l.yaml", kExampleL);
  auto scenario = write("lifted.yaml", R"(scenario:
  name: Overlapping controls
  controls:
    - {id: us-all, by: [US], against: [CN], lifted: 2025-07}
    - {id: us-tools-only, by: [US], against: [CN], items: "kind == 'equipment'"}
    - {id: kr-all, by: [KR], against: [CN], lifted: 2025-07-14}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " -s " + scenario, &out, &err), 0) << err;
  EXPECT_NE(out.find("denied by us-all (direct; lifted on 2025-07) and us-tools-only (direct)."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("The controls behind it: lifting `kr-all` (lifted on 2025-07-14) alone (the "
                     "others kept) would give back 50 points of `cn-ai` in CN's view (50 % of "
                     "its loss)."),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("- Controls applied here were lifted after the scenario's date: `us-all` "
                     "(lifted on 2025-07) and `kr-all` (lifted on 2025-07-14). The values read "
                     "the rules as they stood before; a scenario without them reads them after.\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| `tools` | `us-tools` | us-all (lifted on 2025-07) | direct |"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| `cn-ai` | 0 % (lost) |"), std::string::npos) << out;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " -s " + scenario + " --format json", &out, &err),
            0)
      << err;
  json j = json::parse(out);
  EXPECT_EQ(j["scenario"]["controls"][0]["lifted"], "2025-07");
  EXPECT_TRUE(j["scenario"]["controls"][1]["lifted"].is_null());
  EXPECT_EQ(j["scenario"]["controls"][2]["lifted"], "2025-07-14");
  // Not a date: an error at the value, nothing written.
  auto bad = write("bad.yaml", R"(scenario:
  controls:
    - {id: us-all, by: [US], against: [CN], lifted: 14 July 2025}
)");
  EXPECT_EQ(testing::run_cli("analyze " + graph + " -s " + bad, &out, &err), 1);
  EXPECT_EQ(err, bad +
                     ":3:53: error: lifted must be a date, YYYY-MM-DD or YYYY-MM, got '14 July "
                     "2025'\n"
                     "      - {id: us-all, by: [US], against: [CN], lifted: 14 July 2025}\n"
                     "                                                      ^\n"
                     "1 error generated.\n");
  // Month 13 is no date either.
  bad = write("bad.yaml", R"(scenario:
  controls:
    - {id: us-all, by: [US], against: [CN], lifted: 2025-13-01}
)");
  EXPECT_EQ(testing::run_cli("analyze " + graph + " -s " + bad, &out, &err), 1);
  EXPECT_NE(err.find("got '2025-13-01'"), std::string::npos) << err;
  // Without `lifted`, none of it.
  auto plain = write("plain.yaml", R"(scenario:
  controls:
    - {id: us-all, by: [US], against: [CN]}
    - {id: kr-all, by: [KR], against: [CN]}
)");
  ASSERT_EQ(testing::run_cli("analyze " + graph + " -s " + plain, &out, &err), 0) << err;
  EXPECT_EQ(out.find("lifted"), std::string::npos) << out;
}

TEST_F(SidesCliTest, SummedPointsSayWhenTargetsShareOneAmount) {
  // China's training and inference draw on one pool (one quantity in the data): denying the
  // tools costs 200 points, two counts of one loss. The leverage and disruption sections say so.
  auto graph = write("pool.yaml", R"(nodes:
  - {id: us-tools, kind: firm, jurisdiction: US}
  - {id: tools, kind: equipment, suppliers: [us-tools]}
  - {id: cn-pool, kind: compute, jurisdiction: CN, inputs: [tools]}
  - {id: cn-train, kind: capability, jurisdiction: CN, target: true, inputs: [cn-pool],
     quantity: {value: 1000000, unit: H100-equivalents a year}}
  - {id: cn-infer, kind: capability, jurisdiction: CN, target: true, inputs: [cn-pool],
     quantity: {value: 1000000, unit: H100-equivalents a year}}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [tools],
     quantity: {value: 5000000, unit: H100-equivalents a year}}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --between US --and CN", &out, &err), 0) << err;
  const std::string note =
      "Points summed over targets count a shared amount more than once: `cn-infer` and "
      "`cn-train` give one amount (≈ 1.0 M H100-equivalents a year), so a loss to it counts "
      "twice. Read such a sum as a score, not as capacity lost.\n";
  auto leverage = out.find("## Leverage and exposure"), disruption = out.find("## Disruption");
  ASSERT_NE(disruption, std::string::npos) << out;
  EXPECT_NE(out.find(note, leverage), std::string::npos) << out;
  EXPECT_LT(out.find(note, leverage), disruption);
  EXPECT_NE(out.find(note, disruption), std::string::npos) << out;
  auto impact = out.find("## Largest impact");
  ASSERT_NE(impact, std::string::npos) << out;
  EXPECT_NE(out.find(note, impact), std::string::npos) << out;
  EXPECT_NE(out.find("| `tools` | – | 200 |"), std::string::npos) << out;
  // Different amounts: nothing is counted twice, nothing said.
  auto apart = write("apart.yaml", R"(nodes:
  - {id: us-tools, kind: firm, jurisdiction: US}
  - {id: tools, kind: equipment, suppliers: [us-tools]}
  - {id: cn-train, kind: capability, jurisdiction: CN, target: true, inputs: [tools],
     quantity: {value: 1000000, unit: H100-equivalents a year}}
  - {id: cn-infer, kind: capability, jurisdiction: CN, target: true, inputs: [tools],
     quantity: {value: 2000000, unit: H100-equivalents a year}}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [tools]}
)");
  ASSERT_EQ(testing::run_cli("analyze " + apart + " --between US --and CN", &out, &err), 0) << err;
  EXPECT_EQ(out.find("Points summed over targets"), std::string::npos) << out;
}

TEST_F(SidesCliTest, ADegradedTargetHasNothingToBuildInADecoupling) {
  // China keeps Japan's half of the tools: degraded, not lost, so there is no set to build and no
  // time to build it ("–" there read as "unknown"); a lost one with no substitution_years says so.
  auto graph = write("half.yaml", R"(nodes:
  - {id: us-tools, kind: firm, jurisdiction: US}
  - {id: jp-tools, kind: firm, jurisdiction: JP}
  - {id: tools, kind: equipment, suppliers: [us-tools, jp-tools]}
  - {id: chips, kind: chip, suppliers: [us-tools]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [tools]}
  - {id: cn-edge, kind: capability, jurisdiction: CN, target: true, inputs: [chips]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [tools]}
)");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("decouple " + graph + " --between US --and CN -o -", &out, &err), 0)
      << err;
  EXPECT_NE(out.find("| `cn-ai` | 50 % | degraded | n/a (not lost) | n/a (not lost) |"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| `cn-edge` | 0 % | lost | not given (no substitution\\_years) | `chips` |"),
            std::string::npos)
      << out;
}

TEST_F(SidesCliTest, DisruptionOfAJurisdictionHoldingEveryTargetOfASideIsNotAZero) {
  // Removing the US removes us-ai, the US side's only target: nothing is left to count, which
  // a 0 would read as "no loss". China loses all of its HBM: both makers need the US tools.
  auto graph = write("l.yaml", kExampleL);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + graph + " --between US --and CN", &out, &err), 0) << err;
  EXPECT_NE(out.find("| `US` | US | n/a (its targets are removed) | 100 |"), std::string::npos)
      << out;
  EXPECT_NE(out.find("| `KR` | – | 50 | 50 |"), std::string::npos) << out;
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

TEST_F(SidesCliTest, CsvImportKeepsRangesOfSharesAndThresholds) {
  auto nodes = write("n.csv",
                     "id,kind,jurisdiction,target\nus,firm,US,\nkr,firm,KR,\nhbm,hbm,,\n"
                     "ai,capability,CN,true\n");
  auto edges = write("e.csv",
                     "from,to,role,share,min_share\nus,hbm,supplier,40-60%,\n"
                     "kr,hbm,supplier,\"[0.4, 0.6]\",\nhbm,ai,input,,0.2-0.3\n");
  std::string out, err;
  ASSERT_EQ(testing::run_cli("import csv " + nodes + " " + edges + " -o -", &out, &err), 0) << err;
  EXPECT_NE(out.find("{id: \"us\", share: [0.4, 0.6]}"), std::string::npos) << out;
  EXPECT_NE(out.find("{id: \"kr\", share: [0.4, 0.6]}"), std::string::npos) << out;
  EXPECT_NE(out.find("min_share: [0.2, 0.3]"), std::string::npos) << out;
  // The imported graph reads the ranges as ranges: the uncertainty command samples them.
  auto graph = write("g.yaml", out);
  ASSERT_EQ(testing::run_cli("validate " + graph, &out, &err), 0) << err;
  // A range the wrong way round is an error at the cell.
  auto bad = write("bad.csv", "from,to,role,share\nus,hbm,supplier,60-40%\n");
  EXPECT_EQ(testing::run_cli("import csv " + nodes + " " + bad + " -o -", &out, &err), 1);
  EXPECT_NE(err.find("share must be 0.4, 40% or a range (40-60%, [0.4, 0.6]), got '60-40%'"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace chokepoint
