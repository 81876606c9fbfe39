// A side's view in the third revision: sourcing per side (example I), legal instruments
// (example J), entities that sell what they make; and the engine against the brute-force
// reference on seeded random graphs that carry all three.
#include "graph/analysis/views.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sstream>

#include "graph/analysis/analysis.hpp"
#include "graph/analysis/side_view.hpp"
#include "graph/analysis/withholding.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/analysis_fixtures.hpp"
#include "tests/reference.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using testing::kExampleE;
using testing::kExampleI;
using testing::must_load;
using testing::scenario_from;

double in_view(const ScenarioResult& r, const Model& m, std::string_view view,
               std::string_view id) {
  return r.views[*r.find_view(view)].cap[*m.find(id)];
}

TEST(ExampleI, ASideBuysAsItsSourcingSays) {
  Model m = must_load(kExampleI);
  CapacityEngine engine(m);
  auto r = evaluate_scenario(engine, scenario_from(m,
                                                   "scenario:\n  controls: [{by: [DE], against: "
                                                   "[CN]}]\n"));
  EXPECT_DOUBLE_EQ(r.world[*m.find("grid-cn")], 1.0);
  EXPECT_NEAR(in_view(r, m, "CN", "transformers"), 0.9, 1e-12);
  EXPECT_NEAR(in_view(r, m, "CN", "grid-cn"), 0.9, 1e-12);
  EXPECT_EQ(status_of(in_view(r, m, "CN", "grid-cn"), 1.0), Status::degraded);
  // tx-de's pair is denied to China; the world keeps buying from it.
  EXPECT_TRUE(r.views[0].denied[m.first_pair(*m.find("transformers"))]);
}

TEST(ExampleI, WithoutSourcingChinaFallsBelowTheThreshold) {
  std::string yaml = kExampleI;
  yaml.erase(yaml.find("    sourcing:"),
             yaml.find("  - {id: grid-cn") - yaml.find("    sourcing:"));
  Model m = must_load(yaml);
  CapacityEngine engine(m);
  auto r = evaluate_scenario(engine, scenario_from(m,
                                                   "scenario:\n  controls: [{by: [DE], against: "
                                                   "[CN]}]\n"));
  EXPECT_DOUBLE_EQ(in_view(r, m, "CN", "transformers"), 0.0);  // 0.4 < min_supply 0.5
  EXPECT_EQ(status_of(in_view(r, m, "CN", "grid-cn"), 1.0), Status::lost);
}

TEST(ExampleI, ABlocWhoseOnlyCodeIsChinaUsesChinasSourcing) {
  std::string yaml = std::string("blocs: {china: [CN]}\n") + kExampleI;
  Model m = must_load(yaml);
  CapacityEngine engine(m);
  auto r = evaluate_scenario(engine, scenario_from(m,
                                                   "scenario:\n  controls: [{by: [DE], against: "
                                                   "[china]}]\n"));
  EXPECT_NEAR(in_view(r, m, "china", "grid-cn"), 0.9, 1e-12);
}

TEST(ExampleI, SourcingMembersOutsideTheWorldsSuppliersAndDenied) {
  // China buys from a maker the world market does not list, in Japan; a Japanese control
  // denies that pair (a pair of its own) and leaves the rest.
  Model m = must_load(R"(
nodes:
  - {id: tx-de, kind: firm, jurisdiction: DE}
  - {id: tx-cn, kind: firm, jurisdiction: CN}
  - {id: tx-jp, kind: firm, jurisdiction: JP}
  - id: transformers
    kind: equipment
    suppliers: [tx-de]
    sourcing: {CN: [{id: tx-jp, share: 0.3}, {id: tx-cn, share: 0.7}]}
  - {id: grid-cn, kind: power, jurisdiction: CN, inputs: [transformers], target: true}
)");
  CapacityEngine engine(m);
  auto r = evaluate_scenario(engine, scenario_from(m,
                                                   "scenario:\n  controls: [{by: [JP], against: "
                                                   "[CN]}]\n"));
  EXPECT_DOUBLE_EQ(r.world[*m.find("grid-cn")], 1.0);
  EXPECT_NEAR(in_view(r, m, "CN", "grid-cn"), 0.7, 1e-12);
  // Denied: tx-jp's own making, and its pair of transformers (one only sourcing lists).
  ASSERT_EQ(r.denials.size(), 2u);
  EXPECT_EQ(m.pair_product(r.denials[0].pair), *m.find("tx-jp"));
  EXPECT_EQ(r.denials[1].pair, m.world_pair_count());
  EXPECT_EQ(m.pair_maker(r.denials[1].pair), *m.find("tx-jp"));
  // Removing tx-jp for everyone moves China's view, not the world's.
  auto removed = evaluate_scenario(engine, scenario_from(m,
                                                         "scenario:\n  remove: [tx-jp]\n"
                                                         "  controls: [{by: [DE], against: "
                                                         "[CN]}]\n"));
  EXPECT_DOUBLE_EQ(removed.world[*m.find("grid-cn")], 1.0);
  EXPECT_NEAR(in_view(removed, m, "CN", "grid-cn"), 0.7, 1e-12);
}

const char* kExampleJ = R"(
jurisdictions: {US: {fdpr: true}}
nodes:
  - {id: us-source, kind: firm, jurisdiction: US}
  - {id: asml, kind: firm, jurisdiction: NL}
  - {id: litho, kind: lithography, suppliers: [asml], inputs: [us-source]}
  - {id: fab-tw, kind: firm, jurisdiction: TW, inputs: [litho]}
  - {id: chip, kind: chip, suppliers: [fab-tw]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, inputs: [chip], target: true}
)";

TEST(ExampleJ, OnlyAJurisdictionWithAnFdprReachesForeignMadeItems) {
  Model m = must_load(kExampleJ);
  CapacityEngine engine(m);
  auto us = evaluate_scenario(
      engine, scenario_from(m, "scenario:\n  controls: [{by: [US], against: [CN], fdpr: true}]\n"));
  EXPECT_DOUBLE_EQ(in_view(us, m, "CN", "cn-ai"), 0.0);
  // The FDPR denial: fab-tw's chip falls 100 % without US inputs.
  bool fdpr_denial = false;
  for (const auto& d : us.denials)
    fdpr_denial |= d.reason == DenialReason::fdpr && m.pair_product(d.pair) == *m.find("chip");
  EXPECT_TRUE(fdpr_denial);
  // The Netherlands and the US together: the US applies the FDPR, the Netherlands its direct
  // control; the Netherlands' own nodes do not count as FDPR inputs.
  auto both = evaluate_scenario(
      engine,
      scenario_from(m, "scenario:\n  controls: [{by: [NL, US], against: [CN], fdpr: true}]\n"));
  EXPECT_DOUBLE_EQ(in_view(both, m, "CN", "cn-ai"), 0.0);
}

TEST(ExampleJ, WithoutDeclarationsEveryControllingJurisdictionHasAnFdpr) {
  std::string yaml = kExampleJ;
  Model m = must_load(yaml.substr(yaml.find("nodes:")));
  CapacityEngine engine(m);
  auto nl = evaluate_scenario(
      engine, scenario_from(m, "scenario:\n  controls: [{by: [NL], against: [CN], fdpr: true}]\n"));
  EXPECT_DOUBLE_EQ(in_view(nl, m, "CN", "cn-ai"), 0.0);  // the "Dutch FDPR" of the old reading
  Model declared = must_load(kExampleJ);
  CapacityEngine e2(declared);
  auto direct = evaluate_scenario(
      e2, scenario_from(declared, "scenario:\n  controls: [{by: [NL], against: [CN]}]\n"));
  EXPECT_DOUBLE_EQ(in_view(direct, declared, "CN", "cn-ai"), 1.0);  // the chip is made in TW
}

TEST(EntitiesSellWhatTheyMake, AControlledEntityKeepsSellingItsOwnProduct) {
  // e has no jurisdiction and makes a US-located product; a US control against e denies e
  // what it buys from the US, never its own making.
  Model m = must_load(R"(
nodes:
  - {id: us-tool, kind: equipment, jurisdiction: US}
  - {id: e, kind: firm}
  - {id: us-product, kind: chip, jurisdiction: US, suppliers: [e]}
  - {id: us-ai, kind: capability, jurisdiction: US, inputs: [us-product], target: true}
  - {id: e-line, kind: process, suppliers: [e], inputs: [us-tool]}
  - {id: other-ai, kind: capability, inputs: [e-line], target: true}
)");
  CapacityEngine engine(m);
  auto r = evaluate_scenario(
      engine, scenario_from(m, "scenario:\n  controls: [{by: [US], against: [e]}]\n"));
  EXPECT_DOUBLE_EQ(r.world[*m.find("us-product")], 1.0);
  EXPECT_DOUBLE_EQ(r.world[*m.find("us-ai")], 1.0);
  // What e makes with a US tool it can no longer get: lost for every buyer.
  EXPECT_DOUBLE_EQ(r.world[*m.find("e-line")], 0.0);
  EXPECT_DOUBLE_EQ(r.world[*m.find("other-ai")], 0.0);
  for (const auto& d : r.denials) EXPECT_NE(m.pair_maker(d.pair), *m.find("e"));
}

TEST(EntitiesSellWhatTheyMake, AnEntityWithSuppliersSellsWhatItsSuppliersLetItMake) {
  // The entity is a product with suppliers of its own (a fab bought from two vendors); its
  // pairs as a maker are those of the nodes it supplies.
  Model m = must_load(R"(
nodes:
  - {id: us-vendor, kind: firm, jurisdiction: US}
  - {id: cn-vendor, kind: firm, jurisdiction: CN}
  - {id: fab, kind: foundry, jurisdiction: CN, suppliers: [{id: us-vendor, share: 0.5}, {id: cn-vendor, share: 0.5}]}
  - {id: wafers, kind: process, jurisdiction: US, suppliers: [fab]}
  - {id: ai, kind: capability, inputs: [wafers], target: true}
)");
  CapacityEngine engine(m);
  auto r = evaluate_scenario(engine, scenario_from(m,
                                                   "scenario:\n  controls: [{by: [US], against: "
                                                   "[fab]}]\n"));
  // In its own view fab's supply halves (the US vendor is denied to it); wafers, made by fab
  // though located in the US, follow that in every view. (The node fab itself keeps its world
  // value: the control limits what the entity makes, through its pairs.)
  EXPECT_NEAR(in_view(r, m, "fab", "fab"), 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(r.world[*m.find("fab")], 1.0);
  EXPECT_NEAR(r.world[*m.find("wafers")], 0.5, 1e-12);
  EXPECT_NEAR(r.world[*m.find("ai")], 0.5, 1e-12);
}

// A control against one member of a bloc: in the bloc's view only that member's nodes and
// makers are denied; the other members' makers still buy the item.
const char* kPartOfABloc = R"(
blocs: {west: [US, JP]}
nodes:
  - {id: ga-cn, kind: firm, jurisdiction: CN}
  - {id: gallium, kind: material, suppliers: [ga-cn]}
  - {id: jp-maker, kind: firm, jurisdiction: JP}
  - {id: us-maker, kind: firm, jurisdiction: US}
  - {id: part, kind: chip, suppliers: [{id: jp-maker, share: 0.4}, {id: us-maker, share: 0.6}], inputs: [gallium]}
  - {id: jp-line, kind: process, jurisdiction: JP, inputs: [gallium]}
  - {id: us-line, kind: process, jurisdiction: US, inputs: [gallium]}
  - {id: jp-ai, kind: capability, jurisdiction: JP, inputs: [jp-line], target: true}
  - {id: us-ai, kind: capability, jurisdiction: US, inputs: [part, us-line], target: true}
)";

ScenarioResult with_view(const Model& m, const std::string& scenario, const std::string& view) {
  CapacityEngine engine(m);
  return evaluate_scenario(engine, scenario_from(m, scenario),
                           ViewRequest{{*perspective_of(m, view)}, false});
}

TEST(PartOfABloc, OnlyTheNamedMembersMakersAreDenied) {
  Model m = must_load(kPartOfABloc);
  auto r = with_view(m, "scenario:\n  controls: [{by: [CN], against: [US]}]\n", "west");
  // JP's own line and JP's maker of parts keep their gallium; the US's lose it: parts at the
  // JP maker's 0.4, the US target at the least of its inputs (its line at 0).
  EXPECT_DOUBLE_EQ(in_view(r, m, "west", "jp-line"), 1.0);
  EXPECT_DOUBLE_EQ(in_view(r, m, "west", "jp-ai"), 1.0);
  EXPECT_NEAR(in_view(r, m, "west", "part"), 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(in_view(r, m, "west", "us-line"), 0.0);
  const View& west = r.views[*r.find_view("west")];
  ASSERT_EQ(west.exempt.size(), 1u);
  EXPECT_EQ(west.exempt[0].codes, std::vector<JurisdictionIndex>{*m.find_jurisdiction("JP")});
  // The pair stays denied in the bloc's view (to the US part of it).
  EXPECT_TRUE(west.denied[m.first_pair(*m.find("gallium"))]);
  // The US's own view reads parts the same: Japan's maker is outside it, at its world rate.
  EXPECT_NEAR(in_view(r, m, "US", "part"), 0.4, 1e-12);
}

TEST(PartOfABloc, AControlNamingTheBlocDeniesEveryMember) {
  Model m = must_load(kPartOfABloc);
  auto r = with_view(m, "scenario:\n  controls: [{by: [CN], against: [west]}]\n", "west");
  EXPECT_DOUBLE_EQ(in_view(r, m, "west", "jp-ai"), 0.0);
  EXPECT_DOUBLE_EQ(in_view(r, m, "west", "part"), 0.0);
  EXPECT_TRUE(r.views[*r.find_view("west")].exempt.empty());
  // Against both codes, as against the bloc.
  auto both = with_view(m, "scenario:\n  controls: [{by: [CN], against: [US, JP]}]\n", "west");
  EXPECT_EQ(both.views[*both.find_view("west")].cap, r.views[*r.find_view("west")].cap);
}

TEST(PartOfABloc, ControlsAgainstDifferentMembersEachDenyTheirOwn) {
  Model m = must_load(kPartOfABloc);
  // Gallium denied to the US by CN; Japan's line denied its gallium too by a second control
  // against JP alone: each member loses what is against it, and parts keep neither maker.
  auto r = with_view(m,
                     "scenario:\n  controls:\n    - {by: [CN], against: [US]}\n"
                     "    - {by: [CN], against: [JP]}\n",
                     "west");
  EXPECT_DOUBLE_EQ(in_view(r, m, "west", "jp-ai"), 0.0);
  EXPECT_DOUBLE_EQ(in_view(r, m, "west", "part"), 0.0);
  EXPECT_TRUE(r.views[*r.find_view("west")].exempt.empty());
}

TEST(PartOfABloc, WithholdingFromTheWholeBlocCostsWhatTheOtherMembersStillHad) {
  Model m = must_load(kPartOfABloc);
  Scenario s = scenario_from(m, "scenario:\n  controls: [{by: [CN], against: [US]}]\n");
  // On top of the control against the US, CN withholding gallium from the whole bloc takes
  // Japan's line too: its target's point (the US target is already at 0).
  WithholdingResult r = withholding(m, s, "CN", "west", Control{});
  ASSERT_EQ(r.leverage.nodes.size(), 1u);
  EXPECT_EQ(m.nodes[r.leverage.nodes[0].first].id, "gallium");
  EXPECT_NEAR(r.leverage.nodes[0].second, 1.0, 1e-12);
  ASSERT_EQ(r.leverage.jurisdictions.size(), 1u);
  EXPECT_NEAR(r.leverage.jurisdictions[0].second, 1.0, 1e-12);
}

const char* kExampleO = R"(
nodes:
  - {id: tw-fab, kind: firm, jurisdiction: TW}
  - {id: chips, kind: chip, suppliers: [tw-fab]}
  - {id: cn-fleet, kind: cloud, jurisdiction: CN, inputs: [chips], lifetime_months: 4}
  - {id: cn-ai, kind: capability, jurisdiction: CN, inputs: [cn-fleet], target: true}
)";

TEST(ExampleO, StaticAnalysesSeeTheInstalledBaseIntact) {
  Model m = must_load(kExampleO);
  Scenario s = scenario_from(m, "scenario:\n  controls: [{by: [TW], against: [CN]}]\n");
  auto a = analyze(m, s, AnalysisOptions{});
  EXPECT_DOUBLE_EQ(a.world[*m.find("cn-ai")], 1.0);
  ASSERT_EQ(a.views.size(), 1u);
  EXPECT_DOUBLE_EQ(a.views[0].cap[*m.find("chips")], 0.0);  // new chips are denied
  EXPECT_DOUBLE_EQ(a.views[0].cap[*m.find("cn-ai")], 1.0);  // the fleet is there at month 0
  // Only the fleet's own loss cuts the target at month 0, in the world and in China's view.
  ASSERT_EQ(a.cut_sets.size(), 1u);
  EXPECT_EQ(a.cut_sets[0].sets, (std::vector<std::vector<std::string>>{{"cn-fleet"}}));
  EXPECT_EQ(a.metrics.nodes[*m.find("cn-fleet")].spof, std::vector<NodeIndex>{*m.find("cn-ai")});
  EXPECT_TRUE(a.metrics.nodes[*m.find("tw-fab")].spof.empty());
  auto side = analyze_side(m, s, *perspective_of(m, "CN"), a.metrics, CutSetOptions{}, true);
  EXPECT_EQ(side.cut_sets[0].sets, (std::vector<std::vector<std::string>>{{"cn-fleet"}}));
  // A timeline ages it: with the base not held intact, the fleet follows its inputs.
  CapacityEngine engine(m);
  CapacityInputs in = a.views[0].inputs;
  in.intact_bases = false;
  EXPECT_DOUBLE_EQ(engine.evaluate(in)[*m.find("cn-fleet")], 0.0);
}

// ---- brute force, third revision ----

// A random graph like the reference's other cross-checks, with sourcing for CN and for an
// entity on some products, and (on some seeds) only the US declaring an FDPR.
std::string random_graph(std::mt19937& rng, int n, bool instruments) {
  const char* codes[] = {"US", "CN", "NL", "JP"};
  const char* kinds[] = {"chip", "equipment", "hbm"};
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto coin = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  std::ostringstream y;
  if (instruments) y << "jurisdictions: {US: {fdpr: true}}\n";
  y << "nodes:\n";
  auto members = [&](int i, int k) {
    std::set<int> ms;
    for (int j = 0; j < k; ++j) ms.insert(coin(0.12) ? pick(0, n - 1) : pick(0, i - 1));
    ms.erase(i);
    std::ostringstream s;
    bool first = true;
    for (int mbr : ms) {
      s << (first ? "" : ", ");
      if (coin(0.6))
        s << "{id: n" << mbr << ", share: " << pick(1, 9) / 10.0 / static_cast<double>(ms.size())
          << "}";
      else
        s << "n" << mbr;
      first = false;
    }
    return std::make_pair(s.str(), ms.size());
  };
  for (int i = 0; i < n; ++i) {
    y << "  - id: n" << i << "\n    kind: " << (i < n / 3 ? "firm" : kinds[pick(0, 2)]) << "\n";
    if (coin(0.7)) y << "    jurisdiction: " << codes[pick(0, 3)] << "\n";
    if (i < n / 3) continue;
    if (coin(0.75)) {
      auto [s, k] = members(i, pick(1, 3));
      if (k > 0) {
        y << "    suppliers: [" << s << "]\n";
        if (coin(0.2)) y << "    min_supply: " << pick(1, 5) / 10.0 << "\n";
        if (coin(0.5)) {
          y << "    sourcing:\n";
          auto [cn, kc] = members(i, pick(1, 3));
          if (kc > 0) y << "      CN: [" << cn << "]\n";
          if (coin(0.3)) y << "      n0: [n" << pick(0, n / 3) << "]\n";
          if (kc == 0) y << "      JP: [n" << pick(0, n / 3) << "]\n";
        }
      }
    }
    std::ostringstream in;
    for (int j = pick(0, 2); j > 0; --j) {
      auto [s, k] = members(i, pick(1, 2));
      if (k == 0) continue;
      in << "      - {any: [" << s << "]";
      if (coin(0.3)) in << ", min_share: " << pick(1, 6) / 10.0;
      in << "}\n";
    }
    if (!in.str().empty()) y << "    inputs:\n" << in.str();
  }
  y << "targets: [n" << n - 1 << ", n" << n - 2 << "]\n";
  return y.str();
}

std::string random_scenario(std::mt19937& rng, int n, bool instruments) {
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  const char* items[] = {"", "kind == 'chip'", "kind in ['equipment', 'hbm']", "kind != 'firm'"};
  const char* by[] = {"[US]", "[US, NL]", "[NL, JP]", "[JP]"};
  std::ostringstream s;
  s << "scenario:\n  remove: [n" << pick(n) << "]\n  controls:\n";
  for (int c = 1 + pick(2); c > 0; --c) {
    int side = pick(4);
    bool fdpr = pick(2) == 1 && (!instruments || side < 2);
    std::string against = pick(3) == 0 ? "[n0]" : "[CN]";
    s << "    - by: " << by[side] << "\n      against: " << against << "\n";
    if (auto it = items[pick(4)]; *it) s << "      items: \"" << it << "\"\n";
    s << "      fdpr: " << (fdpr ? "true" : "false") << "\n";
  }
  return s.str();
}

class ThirdRevisionBruteForceTest : public ::testing::TestWithParam<int> {};

TEST_P(ThirdRevisionBruteForceTest, ViewsAgreeWithReference) {
  std::mt19937 rng(static_cast<unsigned>(GetParam()) * 7919u);
  int n = std::uniform_int_distribution<int>(6, 11)(rng);
  bool instruments = GetParam() % 2 == 0;
  std::string yaml = random_graph(rng, n, instruments);
  auto loaded = testing::load_text(yaml);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << yaml;
  const Model& m = *loaded->model;
  std::string text = random_scenario(rng, n, instruments);
  Scenario scenario = scenario_from(m, text);
  CapacityEngine engine(m);
  ScenarioResult r = evaluate_scenario(engine, scenario);

  testing::Reference ref(m);
  std::vector<double> factor = ref.ones();
  for (auto node : scenario.remove) factor[node] = 0;
  auto expected = ref.evaluate_scenario(scenario, factor);
  for (std::size_t i = 0; i < m.nodes.size(); ++i)
    EXPECT_NEAR(r.world[i], expected.world[i], 1e-9) << "world of " << m.nodes[i].id << "\n"
                                                     << yaml << text;
  ASSERT_EQ(r.views.size(), expected.sides.size());
  for (std::size_t v = 0; v < r.views.size(); ++v) {
    for (std::size_t i = 0; i < m.nodes.size(); ++i)
      EXPECT_NEAR(r.views[v].cap[i], expected.views[v][i], 1e-9)
          << "view " << r.views[v].name << " of " << m.nodes[i].id << "\n"
          << yaml << text;
    EXPECT_EQ(r.views[v].denied, expected.denied[v]) << r.views[v].name << "\n" << yaml << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, ThirdRevisionBruteForceTest, ::testing::Range(1, 301));

// A control against one member of a bloc (US of {US, JP}) on random graphs: the bloc's view
// lies between the same control against the whole bloc and no control at all, node by node.
// (Nodes without a location are the bloc's common pool and take every denial.)
struct BlocViews {
  std::vector<double> part, whole, none;
};

BlocViews bloc_views(int seed, std::string* text) {
  std::mt19937 rng(static_cast<unsigned>(seed) * 104729u);
  int n = std::uniform_int_distribution<int>(6, 11)(rng);
  std::string yaml = "blocs: {west: [US, JP]}\n" + random_graph(rng, n, seed % 2 == 0);
  Model m = must_load(yaml);
  const char* items[] = {"", "kind == 'chip'", "kind in ['equipment', 'hbm']"};
  std::string item = items[rng() % 3];
  std::string control = item.empty() ? "{by: [CN]" : "{by: [CN], items: \"" + item + "\"";
  *text = yaml + control;
  auto view = [&](const std::string& against) {
    std::string s = against.empty()
                        ? "scenario:\n  capacity: {}\n"
                        : "scenario:\n  controls: [" + control + ", against: [" + against + "]}]\n";
    auto r = with_view(m, s, "west");
    return r.views[*r.find_view("west")].cap;
  };
  return {view("US"), view("west"), view("")};
}

class PartOfABlocBruteForceTest : public ::testing::TestWithParam<int> {};

TEST_P(PartOfABlocBruteForceTest, BetweenTheWholeBlocAndNoControl) {
  std::string text;
  BlocViews v = bloc_views(GetParam(), &text);
  for (std::size_t i = 0; i < v.part.size(); ++i) {
    EXPECT_LE(v.whole[i], v.part[i] + 1e-9) << "node " << i << "\n" << text;
    EXPECT_LE(v.part[i], v.none[i] + 1e-9) << "node " << i << "\n" << text;
  }
}

// The seeds do tell the readings apart: on many the part of the bloc keeps more than the whole.
TEST(PartOfABlocBruteForceCoverage, SeedsSpareTheOtherMember) {
  int spared = 0;
  std::string text;
  for (int seed = 1; seed <= 200; ++seed)
    spared += bloc_views(seed, &text).part != bloc_views(seed, &text).whole;
  EXPECT_GE(spared, 40);
}

INSTANTIATE_TEST_SUITE_P(Seeds, PartOfABlocBruteForceTest, ::testing::Range(1, 201));

// The seeds above do exercise what they are for: views that buy through sourcing (with pairs
// only sourcing lists), entity controls and declared instruments.
TEST(ThirdRevisionBruteForceCoverage, SeedsExerciseSourcingEntitiesAndInstruments) {
  int sourcing_views = 0, extra_pairs = 0, entity_views = 0, fdpr_denials = 0;
  for (int seed = 1; seed <= 300; ++seed) {
    std::mt19937 rng(static_cast<unsigned>(seed) * 7919u);
    int n = std::uniform_int_distribution<int>(6, 11)(rng);
    bool instruments = seed % 2 == 0;
    std::string yaml = random_graph(rng, n, instruments);
    auto loaded = testing::load_text(yaml);
    const Model& m = *loaded->model;
    Scenario scenario = scenario_from(m, random_scenario(rng, n, instruments));
    CapacityEngine engine(m);
    ScenarioResult r = evaluate_scenario(engine, scenario);
    extra_pairs += m.pair_count() > m.world_pair_count();
    for (const auto& v : r.views) sourcing_views += !v.inputs.sourcing.empty();
    for (const auto& p : r.perspectives) entity_views += p.entity();
    for (const auto& d : r.denials) fdpr_denials += instruments && d.reason == DenialReason::fdpr;
  }
  EXPECT_GT(sourcing_views, 60);
  EXPECT_GT(extra_pairs, 60);
  EXPECT_GT(entity_views, 60);
  EXPECT_GT(fdpr_denials, 20);
}

TEST(ExampleL, CutSetsAndSinglePointsOfFailureInChinasView) {
  Model m = must_load(kExampleE);
  Scenario s = scenario_from(m, "scenario:\n  controls: [{by: [US], against: [CN]}]\n");
  CutSetOptions cuts;
  cuts.order = 1;
  auto world = analyze(m, s, AnalysisOptions{});
  auto side = analyze_side(m, s, *perspective_of(m, "CN"), world.metrics, cuts, true);
  ASSERT_EQ(side.targets, std::vector<NodeIndex>{*m.find("cn-ai")});
  EXPECT_NEAR(side.cap[*m.find("cn-ai")], 0.5, 1e-12);
  ASSERT_EQ(side.cut_sets.size(), 1u);
  EXPECT_EQ(side.cut_sets[0].sets,
            (std::vector<std::vector<std::string>>{{"hbm"}, {"skh"}, {"tools"}, {"us-tools"}}));
  EXPECT_EQ(side.nodes[*m.find("skh")].spof, std::vector<NodeIndex>{*m.find("cn-ai")});
  EXPECT_NEAR(side.nodes[*m.find("skh")].impact, 0.5, 1e-12);
  EXPECT_NEAR(side.nodes[*m.find("cxmt")].impact, 0.0, 1e-12);  // skh's half stays
  EXPECT_EQ(side.nodes[*m.find("skh")].reach, 1u);
  // In the world view skh is no single point of failure: removing it leaves world hbm 0.5.
  EXPECT_TRUE(world.metrics.nodes[*m.find("skh")].spof.empty());
  EXPECT_NEAR(world.world[*m.find("hbm")], 1.0, 1e-12);
}

TEST(ExampleL, SupplierMetricsUseTheSidesSourcing) {
  std::string yaml = kExampleI;
  Model m = must_load(yaml);
  Scenario s = scenario_from(m, "scenario:\n  controls: [{by: [DE], against: [CN]}]\n");
  auto world = analyze(m, s, AnalysisOptions{});
  auto side = analyze_side(m, s, *perspective_of(m, "CN"), world.metrics, CutSetOptions{}, false);
  NodeIndex t = *m.find("transformers");
  EXPECT_EQ(*world.metrics.nodes[t].top_supplier, *m.find("tx-de"));
  EXPECT_EQ(*side.nodes[t].top_supplier, *m.find("tx-cn"));
  EXPECT_NEAR(*side.nodes[t].top_share, 0.9, 1e-12);
  EXPECT_NEAR(*side.nodes[t].hhi, 8200, 1e-9);
  EXPECT_EQ(*side.nodes[t].top_jurisdiction, "CN");
}

// spof, impact and cut sets (order 2) in China's view against the reference: each removal (or
// pair) evaluated from scratch, the side's denials decided again.
class SideViewBruteForceTest : public ::testing::TestWithParam<int> {};

TEST_P(SideViewBruteForceTest, MetricsAndCutSetsAgreeWithReference) {
  std::mt19937 rng(static_cast<unsigned>(GetParam()) * 104729u);
  int n = std::uniform_int_distribution<int>(6, 10)(rng);
  bool instruments = GetParam() % 2 == 1;
  std::string yaml = random_graph(rng, n, instruments);
  auto loaded = testing::load_text(yaml);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << yaml;
  const Model& m = *loaded->model;
  std::string text = random_scenario(rng, n, instruments);
  Scenario scenario = scenario_from(m, text);
  Perspective cn = *perspective_of(m, "CN");
  CutSetOptions cuts;
  cuts.order = 2;
  auto world = analyze(m, scenario, AnalysisOptions{});
  auto side = analyze_side(m, scenario, cn, world.metrics, cuts, true);

  testing::Reference ref(m);
  auto cn_view = [&](const std::vector<NodeIndex>& removed) {
    std::vector<double> factor = ref.ones();
    for (auto node : scenario.remove) factor[node] = 0;
    for (auto node : removed) factor[node] = 0;
    // A control against CN that denies nothing, so the reference always has China's view.
    Scenario with = scenario;
    with.controls.push_back(Control{});
    with.controls.back().against_names = {"CN"};
    with.controls.back().items.assign(m.nodes.size(), 0);
    auto r = ref.evaluate_scenario(with, factor);
    for (std::size_t v = 0; v < r.sides.size(); ++v)
      if (r.sides[v].name == "CN") return r.views[v];
    ADD_FAILURE() << "no view of CN";
    return std::vector<double>{};
  };
  auto base = cn_view({});
  std::vector<NodeIndex> targets = side_targets(m, cn);
  for (NodeIndex t : targets) EXPECT_NEAR(side.cap[t], base[t], 1e-9) << yaml << text;
  for (NodeIndex x = 0; x < m.nodes.size(); ++x) {
    auto after = cn_view({x});
    double impact = 0;
    std::vector<NodeIndex> spof;
    for (NodeIndex t : targets) {
      if (t == x) continue;
      impact += base[t] - after[t];
      if (after[t] <= 1e-9 && base[t] > 1e-9) spof.push_back(t);
    }
    EXPECT_NEAR(side.nodes[x].impact, impact, 1e-9) << m.nodes[x].id << "\n" << yaml << text;
    EXPECT_EQ(side.nodes[x].spof, spof) << m.nodes[x].id << "\n" << yaml << text;
  }
  for (const auto& cs : side.cut_sets) {
    NodeIndex t = cs.target;
    std::vector<std::vector<NodeIndex>> found;
    if (base[t] > 1e-9) {
      std::vector<NodeIndex> others;
      for (NodeIndex x : m.by_id())
        if (x != t) others.push_back(x);
      for (NodeIndex x : others)
        if (cn_view({x})[t] <= 1e-9) found.push_back({x});
      for (std::size_t i = 0; i < others.size(); ++i)
        for (std::size_t j = i + 1; j < others.size(); ++j) {
          NodeIndex x = others[i], y = others[j];
          bool super = false;
          for (const auto& f : found) super |= f.size() == 1 && (f[0] == x || f[0] == y);
          if (!super && cn_view({x, y})[t] <= 1e-9) found.push_back({x, y});
        }
    }
    std::vector<std::vector<std::string>> expected;
    for (const auto& f : found) {
      std::vector<std::string> ids;
      for (auto x : f) ids.push_back(m.nodes[x].id);
      expected.push_back(ids);
    }
    EXPECT_EQ(cs.sets, expected) << m.nodes[t].id << "\n" << yaml << text;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SideViewBruteForceTest, ::testing::Range(1, 121));

TEST(ExampleK, WithholdingIsWhatASideCanDenyNotWhatDisappears) {
  Model m = must_load(kExampleI);
  auto w = withholding(m, Scenario{}, "DE", "CN", Control{});
  // A control by Germany on transformers costs China's grid 0.1 (its sourcing is 90 % Chinese).
  ASSERT_EQ(w.leverage.nodes.size(), 1u);
  EXPECT_EQ(w.leverage.nodes[0].first, *m.find("transformers"));
  EXPECT_NEAR(w.leverage.nodes[0].second, 0.1, 1e-12);
  ASSERT_EQ(w.leverage.jurisdictions.size(), 1u);
  EXPECT_NEAR(w.leverage.jurisdictions[0].second, 0.1, 1e-12);
  EXPECT_EQ(w.leverage.targets, std::vector<NodeIndex>{*m.find("grid-cn")});
  // Germany has no target: China can deny it nothing that counts.
  EXPECT_TRUE(w.exposure.nodes.empty());
  // Removing tx-de for everyone (a disruption) costs grid-cn all of it: the world's
  // transformers fall to 0.4, below the 0.5 threshold.
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  EXPECT_NEAR(a.metrics.nodes[*m.find("tx-de")].impact, 1.0, 1e-12);
}

TEST(ExampleK, WithholdingBetweenEntitiesIsRefused) {
  Model m = must_load(kExampleI);
  EXPECT_THROW(withholding(m, Scenario{}, "DE", "tx-cn", Control{}), WithholdingError);
}

// Withholding against the reference: for every node, the scenario with one more control (by
// the giving side on that item, against the other) evaluated from scratch. One seed in four
// lets the controls cover only a random half of the items (--items): the others are never tried,
// and a jurisdiction's control covers that half.
class WithholdingBruteForceTest : public ::testing::TestWithParam<int> {};

TEST_P(WithholdingBruteForceTest, AgreesWithAControlAddedToTheScenario) {
  std::mt19937 rng(static_cast<unsigned>(GetParam()) * 15485863u);
  int n = std::uniform_int_distribution<int>(6, 10)(rng);
  bool instruments = GetParam() % 2 == 1;
  bool fdpr = GetParam() % 3 != 0;
  std::string yaml = random_graph(rng, n, instruments);
  auto loaded = testing::load_text(yaml);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << yaml;
  const Model& m = *loaded->model;
  std::string text = random_scenario(rng, n, instruments);
  Scenario scenario = scenario_from(m, text);
  Control terms;
  terms.fdpr = fdpr;
  if (GetParam() % 4 == 0) {
    terms.items.resize(m.nodes.size());
    for (auto& x : terms.items) x = static_cast<char>(rng() % 2);
  }
  auto w = withholding(m, scenario, "US", "CN", terms);
  testing::Reference ref(m);
  std::vector<double> factor = ref.ones();
  for (auto node : scenario.remove) factor[node] = 0;
  auto view_of = [&](const Scenario& s) {
    auto r = ref.evaluate_scenario(s, factor);
    for (std::size_t v = 0; v < r.sides.size(); ++v)
      if (r.sides[v].name == "CN") return r.views[v];
    return std::vector<double>{};
  };
  auto with_control = [&](std::vector<char> items, std::vector<JurisdictionIndex> by) {
    Scenario s = scenario;
    Control c;
    c.by = std::move(by);
    c.against_names = {"CN"};
    if (auto j = m.find_jurisdiction("CN")) c.against = {*j};
    c.items = std::move(items);
    c.fdpr = fdpr;
    s.controls.push_back(c);
    return s;
  };
  Scenario none = with_control(std::vector<char>(m.nodes.size(), 0), {});
  auto before = view_of(none);
  std::vector<NodeIndex> targets = side_targets(m, *perspective_of(m, "CN"));
  // A side where nothing is located has no codes: no jurisdiction rows, nothing denied by it.
  std::vector<JurisdictionIndex> us;
  if (auto j = m.find_jurisdiction("US")) us = {*j};
  std::vector<std::pair<NodeIndex, double>> expected;
  for (NodeIndex x : m.by_id()) {
    if (!terms.item(x)) continue;
    std::vector<char> items(m.nodes.size(), 0);
    items[x] = 1;
    auto after = view_of(with_control(items, us));
    double loss = 0;
    for (NodeIndex t : targets) loss += before[t] - after[t];
    if (loss > 1e-9) expected.emplace_back(x, loss);
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second + 1e-12; });
  ASSERT_EQ(w.leverage.nodes.size(), expected.size()) << yaml << text;
  for (std::size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(w.leverage.nodes[k].first, expected[k].first) << k << "\n" << yaml << text;
    EXPECT_NEAR(w.leverage.nodes[k].second, expected[k].second, 1e-9) << yaml << text;
  }
  ASSERT_EQ(w.leverage.jurisdictions.size(), us.size());
  if (us.empty()) return;
  auto every = view_of(with_control(terms.items, us));
  double loss = 0;
  for (NodeIndex t : targets) loss += before[t] - every[t];
  EXPECT_NEAR(w.leverage.jurisdictions[0].second, loss, 1e-9) << yaml << text;
}

INSTANTIATE_TEST_SUITE_P(Seeds, WithholdingBruteForceTest, ::testing::Range(1, 121));

}  // namespace
}  // namespace chokepoint
