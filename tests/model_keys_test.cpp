// The keys of the third revision of the input format: sourcing per side, jurisdiction
// instruments, ranges, quantities, installed bases and substitutes — parsed, checked and
// positioned like every other key.
#include <gtest/gtest.h>

#include <cmath>

#include "graph/analysis/lint.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using testing::load_text;
using testing::must_load;

struct KeyCase {
  const char* name;
  const char* yaml;
  std::vector<std::string> expected;  // every diagnostic header, in order
};

void PrintTo(const KeyCase& c, std::ostream* os) { *os << c.name; }

const char* kFirms =
    "nodes:\n"
    "  - {id: a, kind: firm, jurisdiction: US}\n"
    "  - {id: b, kind: firm, jurisdiction: CN}\n";

std::string with_firms(const std::string& more) { return kFirms + more; }

const KeyCase kBadKeys[] = {
    {"RangeLowAboveHigh",
     "  - {id: x, kind: chip, suppliers: [{id: a, share: [0.6, 0.4]}, b]}\n",
     {"t.yaml:4:52: error: share: the range's low 0.6 is above its high 0.4"}},
    {"RangeBestOutside",
     "  - {id: x, kind: chip, suppliers: [{id: a, share: {low: 0.4, high: 0.6, best: 0.7}}, "
     "b]}\n",
     {"t.yaml:4:80: error: share: best 0.7 is outside the range [0.4, 0.6]"}},
    {"RangeOfThree",
     "  - {id: x, kind: chip, suppliers: [{id: a, share: [0.1, 0.2, 0.3]}, b]}\n",
     {"t.yaml:4:52: error: share as a range is [low, high], got a list of 3"}},
    {"RangeNeedsLowAndHigh",
     "  - {id: x, kind: chip, suppliers: [{id: a, share: {low: 0.4}}, b]}\n",
     {"t.yaml:4:52: error: share as a range needs 'low' and 'high'"}},
    {"RangeUnknownKey",
     "  - {id: x, kind: chip, suppliers: [{id: a, share: {low: 0.4, hi: 0.6}}, b]}\n",
     {"t.yaml:4:52: error: share as a range needs 'low' and 'high'",
      "t.yaml:4:63: error: unknown key 'hi' in the range of share"}},
    {"RangeBoundOutOfLimits",
     "  - {id: x, kind: chip, suppliers: [{id: a, share: [0.4, 1.6]}, b]}\n",
     {"t.yaml:4:58: error: share must be between 0 and 1 (or a percentage such as \"40%\"), got "
      "1.6"}},
    {"PercentRangeAbove100",
     "  - {id: x, kind: chip, suppliers: [{id: a, share: \"40-160%\"}, b]}\n",
     {"t.yaml:4:52: error: share must be between 0% and 100%, got 40-160%"}},
    {"RangeWhereANumberIsRequired",
     "  - {id: x, kind: chip, substitution_years: [1, 2]}\n",
     {"t.yaml:4:45: error: substitution_years must be a number, got a list; ranges are allowed "
      "on share, min_share, min_supply, stock_months, lifetime_months, a scenario's capacity and "
      "de_minimis"}},
    {"LifetimeBelowOne",
     "  - {id: x, kind: chip, lifetime_months: 0.5}\n",
     {"t.yaml:4:42: error: lifetime_months must be at least 1, got 0.5"}},
    {"QuantityNeedsUnit",
     "  - {id: x, kind: chip, quantity: {value: 5}}\n",
     {"t.yaml:4:35: error: quantity needs 'value' and 'unit', e.g. {value: 1.2e6, unit: "
      "\"H100-equivalents a year\"}"}},
    {"QuantityNotPositive",
     "  - {id: x, kind: chip, quantity: {value: 0, unit: wafers}}\n",
     {"t.yaml:4:43: error: quantity value must be above 0, got 0"}},
    {"QuantityRangeFromZero",
     "  - {id: x, kind: chip, quantity: {value: [0, 5], unit: wafers}}\n",
     {"t.yaml:4:43: error: quantity value must be above 0, got 0"}},
    {"QuantityRangeBackwards",
     "  - {id: x, kind: chip, quantity: {value: {low: 5, high: 2}, unit: wafers}}\n",
     {"t.yaml:4:43: error: quantity value: the range's low 5 is above its high 2"}},
    {"SubstituteUnknown",
     "  - {id: x, kind: chip, substitutes: [{id: bb, from_month: 3}]}\n",
     {"t.yaml:4:44: error: unknown node 'bb'; did you mean 'b'?"}},
    {"SubstituteItself",
     "  - {id: x, kind: chip, substitutes: [{id: x}]}\n",
     {"t.yaml:4:44: error: node 'x' cannot be its own substitute"}},
    {"SubstituteTwice",
     "  - {id: x, kind: chip, substitutes: [{id: a}, {id: a, ramp_months: 2}]}\n",
     {"t.yaml:4:53: error: substitute 'a' is listed twice"}},
    {"SubstituteNegativeMonth",
     "  - {id: x, kind: chip, substitutes: [{id: a, from_month: -1}]}\n",
     {"t.yaml:4:59: error: from_month must be 0 or more, got -1"}},
    {"SubstituteUnknownKey",
     "  - {id: x, kind: chip, substitutes: [{id: a, ramp: 2}]}\n",
     {"t.yaml:4:47: error: unknown key 'ramp' in a substitute"}},
    {"SourcingWithoutSuppliers",
     "  - {id: x, kind: chip, sourcing: {CN: [b]}}\n",
     {"t.yaml:4:35: error: sourcing needs a 'suppliers' list (the world market)"}},
    {"SourcingUnknownMember",
     "  - {id: x, kind: chip, suppliers: [a], sourcing: {CN: [bee]}}\n",
     {"t.yaml:4:57: error: unknown node 'bee'"}},
    {"SourcingSharesAbove1",
     "  - {id: x, kind: chip, suppliers: [a], sourcing: {CN: [{id: a, share: 0.7}, {id: b, "
     "share: 0.7}]}}\n",
     {"t.yaml:4:56: error: shares in this group sum to 1.4; at most 1 (1.02 allowing for "
      "rounding)"}},
    {"SourcingDuplicateMember",
     "  - {id: x, kind: chip, suppliers: [a], sourcing: {CN: [b, b]}}\n",
     {"t.yaml:4:60: error: 'b' is listed twice in this group (first at line 4, column 57)"}},
    {"SourcingSameSideTwice",
     "blocs: {china: [CN]}\n"
     "  - {id: x, kind: chip, suppliers: [a], sourcing: {CN: [b], china: [a]}}\n",
     {"t.yaml:4:61: error: sourcing for 'china' repeats the side of 'CN' (first at line 4, "
      "column 52)"}},
    {"FdprNotBoolean",
     "jurisdictions: {US: {fdpr: yes}}\n",
     {"t.yaml:4:28: error: fdpr must be true or false, got 'yes'"}},
};

class ModelKeysBadTest : public ::testing::TestWithParam<KeyCase> {};

TEST_P(ModelKeysBadTest, ReportsExactMessage) {
  std::string yaml = GetParam().yaml;
  // A top-level key goes after the nodes (a line of its own); a node is appended to them.
  auto loaded = load_text(yaml.rfind("  -", 0) == 0 ? with_firms(yaml)
                          : yaml.find("\n  -") != std::string::npos
                              ? with_firms(yaml.substr(yaml.find('\n') + 1)) +
                                    yaml.substr(0, yaml.find('\n') + 1)
                              : with_firms(yaml));
  EXPECT_FALSE(loaded->model.has_value());
  EXPECT_EQ(loaded->headers(), GetParam().expected) << loaded->printed();
}

INSTANTIATE_TEST_SUITE_P(Cases, ModelKeysBadTest, ::testing::ValuesIn(kBadKeys),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ModelKeysTest, RangesGiveTheirPointValueAndAreRecorded) {
  Model m = must_load(
      with_firms("  - {id: c, kind: firm}\n"
                 "  - id: x\n    kind: chip\n"
                 "    suppliers: [{id: a, share: [0.4, 0.6]}, {id: b, share: \"20-40%\"}, c]\n"
                 "    min_supply: {low: 0.2, high: 0.5, best: 0.3}\n"
                 "    stock_months: [2, 4]\n"
                 "    lifetime_months: {low: 24, high: 60, best: 36}\n"
                 "    inputs: [{any: [a, b], min_share: [0.1, 0.3]}]\n"));
  const Node& x = m.nodes[*m.find("x")];
  // Point values: 0.5 and 0.3 given, c the remaining 0.2.
  EXPECT_DOUBLE_EQ(x.groups[0].members[0].weight, 0.5);
  EXPECT_DOUBLE_EQ(x.groups[0].members[1].weight, 0.3);
  EXPECT_NEAR(x.groups[0].members[2].weight, 0.2, 1e-15);
  EXPECT_DOUBLE_EQ(x.groups[0].threshold, 0.3);
  EXPECT_DOUBLE_EQ(*x.stock_months, 3);
  EXPECT_DOUBLE_EQ(*x.extras.get().lifetime_months, 36);
  EXPECT_DOUBLE_EQ(x.groups[1].threshold, 0.2);
  ASSERT_EQ(m.ranges.size(), 6u);
  NodeIndex xi = *m.find("x");
  EXPECT_EQ(m.ranges[0].what, RangedWhat::threshold);  // min_supply, read first
  EXPECT_EQ(m.ranges[1].what, RangedWhat::share);
  EXPECT_EQ(m.ranges[1].member, 0u);
  EXPECT_DOUBLE_EQ(m.ranges[1].range.low, 0.4);
  EXPECT_DOUBLE_EQ(m.ranges[1].range.high, 0.6);
  EXPECT_FALSE(m.ranges[1].range.best_given);
  EXPECT_EQ(m.ranges[2].member, 1u);
  EXPECT_DOUBLE_EQ(m.ranges[2].range.low, 0.2);
  EXPECT_DOUBLE_EQ(m.ranges[2].range.high, 0.4);
  EXPECT_EQ(m.ranges[3].what, RangedWhat::threshold);  // the any group's min_share
  EXPECT_EQ(m.ranges[3].group, 1);
  EXPECT_EQ(m.ranges[4].what, RangedWhat::stock_months);
  EXPECT_EQ(m.ranges[5].what, RangedWhat::lifetime_months);
  EXPECT_TRUE(m.ranges[5].range.best_given);
  for (const auto& r : m.ranges) EXPECT_EQ(r.node, xi);
  ASSERT_EQ(m.ranged_groups.size(), 1u);
  EXPECT_DOUBLE_EQ(m.ranged_groups[0].shares[0], 0.5);
  EXPECT_DOUBLE_EQ(m.ranged_groups[0].shares[1], 0.3);
  EXPECT_TRUE(std::isnan(m.ranged_groups[0].shares[2]));
}

TEST(ModelKeysTest, NormalisedWeightsSplitTheRemainderThenScale) {
  const double nan = std::nan("");
  auto w = normalised_weights(std::vector<double>{0.5, nan, nan});
  EXPECT_EQ(w, (std::vector<double>{0.5, 0.25, 0.25}));
  w = normalised_weights(std::vector<double>{0.6, 0.6});
  EXPECT_EQ(w, (std::vector<double>{0.5, 0.5}));
  w = normalised_weights(std::vector<double>{0.9, 0.3, nan});
  EXPECT_DOUBLE_EQ(w[0], 0.75);
  EXPECT_DOUBLE_EQ(w[2], 0.0);
  EXPECT_TRUE(normalised_weights(std::vector<double>{0.0}).empty());
}

TEST(ModelKeysTest, QuantityLifetimeAndSubstitutes) {
  Model m = must_load(with_firms(
      "  - id: x\n    kind: chip\n    quantity: {value: 1.2e6, unit: H100-equivalents a year}\n"
      "    lifetime_months: 48\n"
      "    substitutes: [{id: b, from_month: 24, ramp_months: 12}, {id: a}]\n"));
  const NodeExtras& e = m.nodes[*m.find("x")].extras.get();
  ASSERT_TRUE(e.quantity);
  EXPECT_DOUBLE_EQ(e.quantity->value, 1.2e6);
  EXPECT_EQ(e.quantity->unit, "H100-equivalents a year");
  EXPECT_DOUBLE_EQ(*e.lifetime_months, 48);
  ASSERT_EQ(e.substitutes.size(), 2u);
  EXPECT_EQ(e.substitutes[0].node, *m.find("b"));
  EXPECT_DOUBLE_EQ(e.substitutes[0].from_month, 24);
  EXPECT_DOUBLE_EQ(e.substitutes[0].ramp_months, 12);
  EXPECT_DOUBLE_EQ(e.substitutes[1].from_month, 0);
  EXPECT_TRUE(m.ranges.empty());
  EXPECT_FALSE(e.quantity->range);
}

// What capacity 1 amounts to may be a range, as any uncertain number: its point is the value
// (the midpoint, or best), and it is no sampled range (it moves no capacity).
TEST(ModelKeysTest, AQuantitysValueMayBeARange) {
  Model m = must_load(
      with_firms("  - {id: x, kind: chip, quantity: {value: [2.0e5, 8.0e5], unit: chips a year}}\n"
                 "  - {id: y, kind: chip, quantity: {value: {low: 2, high: 8, best: 6}, unit: "
                 "GW}}\n"));
  const auto& x = m.nodes[*m.find("x")].extras.get().quantity;
  ASSERT_TRUE(x && x->range);
  EXPECT_DOUBLE_EQ(x->value, 5.0e5);
  EXPECT_DOUBLE_EQ(x->range->low, 2.0e5);
  EXPECT_DOUBLE_EQ(x->range->high, 8.0e5);
  const auto& y = m.nodes[*m.find("y")].extras.get().quantity;
  ASSERT_TRUE(y && y->range);
  EXPECT_DOUBLE_EQ(y->value, 6);
  EXPECT_TRUE(m.ranges.empty());
}

TEST(ModelKeysTest, SourcingResolvesKeysAndGivesOnlyNewMakersPairsOfTheirOwn) {
  Model m = must_load(
      "blocs: {allies: [DE, JP]}\n"
      "nodes:\n"
      "  - {id: tx-de, kind: firm, jurisdiction: DE}\n"
      "  - {id: tx-cn, kind: firm, jurisdiction: CN}\n"
      "  - {id: tx-jp, kind: firm, jurisdiction: JP}\n"
      "  - id: transformers\n    kind: equipment\n    min_supply: 0.5\n"
      "    suppliers: [{id: tx-de, share: 0.6}, {id: tx-cn, share: 0.4}]\n"
      "    sourcing:\n"
      "      CN: [{id: tx-cn, share: 0.9}, {id: tx-de, share: 0.1}]\n"
      "      allies: [tx-jp, tx-de]\n"
      "      tx-cn: [tx-jp]\n"
      "  - {id: grid-cn, kind: power, jurisdiction: CN, inputs: [transformers], target: true}\n");
  NodeIndex t = *m.find("transformers");
  const auto& s = m.nodes[t].sourcing();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].codes, std::vector<JurisdictionIndex>{*m.find_jurisdiction("CN")});
  EXPECT_FALSE(s[0].entity);
  EXPECT_EQ(s[1].codes.size(), 2u);
  EXPECT_EQ(s[2].entity, *m.find("tx-cn"));
  EXPECT_DOUBLE_EQ(s[0].group.members[0].weight, 0.9);
  EXPECT_DOUBLE_EQ(s[0].group.threshold, 0.5);  // the node's min_supply
  // World pairs: tx-de (0), tx-cn (1) of transformers; tx-jp gets one new pair, shared.
  std::uint32_t first = m.first_pair(t);
  EXPECT_EQ(s[0].pairs, (std::vector<std::uint32_t>{first + 1, first}));
  EXPECT_EQ(m.world_pair_count() + 1, m.pair_count());
  std::uint32_t extra = static_cast<std::uint32_t>(m.world_pair_count());
  EXPECT_EQ(s[1].pairs, (std::vector<std::uint32_t>{extra, first}));
  EXPECT_EQ(s[2].pairs, std::vector<std::uint32_t>{extra});
  EXPECT_EQ(m.pair_maker(extra), *m.find("tx-jp"));
  EXPECT_EQ(m.pair_product(extra), t);
  EXPECT_EQ(m.pair_jurisdiction(extra), *m.find_jurisdiction("JP"));
  EXPECT_TRUE(m.has_sourcing);
  // tx-jp feeds transformers only in a side's view: not in the world's dependents.
  NodeIndex jp = *m.find("tx-jp");
  EXPECT_TRUE(m.dependents(jp).empty());
  EXPECT_EQ(std::vector<NodeIndex>(m.dependents_with_sourcing(jp).begin(),
                                   m.dependents_with_sourcing(jp).end()),
            std::vector<NodeIndex>{t});
  NodeIndex grid = *m.find("grid-cn");
  EXPECT_FALSE(upstream_of(m, std::vector<NodeIndex>{grid})[jp]);
  EXPECT_TRUE(upstream_of(m, std::vector<NodeIndex>{grid}, true)[jp]);
}

TEST(ModelKeysTest, SourcingKeysThatNoSideCanUseAreWarnedAbout) {
  auto loaded = load_text(with_firms(
      "  - id: x\n    kind: chip\n    suppliers: [a]\n    sourcing: {CNN: [b], CH: [b]}\n"));
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed();
  EXPECT_EQ(loaded->headers(),
            (std::vector<std::string>{
                "t.yaml:7:16: warning: sourcing for 'CNN' names no jurisdiction, bloc or node, so "
                "no side's view can use it; did you mean 'CN'?",
                "t.yaml:7:26: warning: sourcing for 'CH': no node is located there; did you mean "
                "'CN'?"}));
  EXPECT_EQ(loaded->model->nodes[*loaded->model->find("x")].sourcing().size(), 1u);
}

TEST(ModelKeysTest, NodesReachingATargetOnlyThroughSourcingOrAsSubstitutesAreNotWarnedAbout) {
  auto loaded = load_text(
      "nodes:\n"
      "  - {id: a, kind: firm, jurisdiction: US}\n"
      "  - {id: b, kind: firm, jurisdiction: CN}\n"
      "  - {id: b-tool, kind: equipment, jurisdiction: CN}\n"
      "  - {id: cn-sub, kind: equipment, jurisdiction: CN, inputs: [b-tool]}\n"
      "  - {id: orphan, kind: firm}\n"
      "  - {id: x, kind: chip, suppliers: [a], sourcing: {CN: [b]}, substitutes: [{id: cn-sub}]}\n"
      "  - {id: t, kind: capability, inputs: [x], target: true}\n");
  ASSERT_TRUE(loaded->model.has_value());
  lint(*loaded->model, loaded->diags, false);
  EXPECT_EQ(loaded->headers(),
            std::vector<std::string>{"t.yaml:6:5: warning: 'orphan' reaches no target: nothing "
                                     "depends on it, so it changes no result"});
}

TEST(ModelKeysTest, JurisdictionsDeclareInstruments) {
  Model m =
      must_load(with_firms("jurisdictions: {US: {fdpr: true}, EU: {name: European Union}}\n"));
  auto us = *m.find_jurisdiction("US");
  EXPECT_TRUE(m.jurisdictions[us].fdpr);
  EXPECT_EQ(m.jurisdictions[us].name, "United States");
  EXPECT_TRUE(m.fdpr_declared());
  EXPECT_TRUE(m.applies_fdpr(us));
  EXPECT_FALSE(m.applies_fdpr(*m.find_jurisdiction("CN")));
  Model plain = must_load(kFirms);
  EXPECT_FALSE(plain.fdpr_declared());
  EXPECT_TRUE(plain.applies_fdpr(*plain.find_jurisdiction("CN")));  // the old reading
}

// Example J's graph: only the US declares an FDPR.
const char* kInstruments =
    "jurisdictions: {US: {fdpr: true}}\n"
    "nodes:\n"
    "  - {id: us-source, kind: firm, jurisdiction: US}\n"
    "  - {id: asml, kind: firm, jurisdiction: NL}\n"
    "  - {id: litho, kind: lithography, suppliers: [asml], inputs: [us-source]}\n"
    "  - {id: fab-tw, kind: firm, jurisdiction: TW, inputs: [litho]}\n"
    "  - {id: chip, kind: chip, suppliers: [fab-tw]}\n"
    "  - {id: cn-ai, kind: capability, jurisdiction: CN, inputs: [chip], target: true}\n";

struct ScenarioRun {
  SourceFiles files;
  Diagnostics diags;
  std::optional<Scenario> scenario;
  std::vector<std::string> headers() const { return testing::diagnostic_headers(diags, files); }
};

std::unique_ptr<ScenarioRun> load_scenario_for(const Model& m, const std::string& yaml) {
  auto r = std::make_unique<ScenarioRun>();
  r->scenario = load_scenario_text("s.yaml", yaml, m, r->files, r->diags);
  return r;
}

TEST(InstrumentsTest, AControlWhoseSideDeclaresNoFdprCannotApplyOne) {
  Model m = must_load(kInstruments);
  auto r = load_scenario_for(m,
                             "scenario:\n  controls:\n"
                             "    - {id: nl-duv, by: [NL], against: [CN], fdpr: true}\n");
  EXPECT_FALSE(r->scenario);
  EXPECT_EQ(r->headers(), std::vector<std::string>{
                              "s.yaml:3:51: error: control 'nl-duv': fdpr: none of NL declares an "
                              "FDPR (add fdpr: true under jurisdictions)"});
  // With the US on the same side, the control is valid (the US applies it).
  r = load_scenario_for(m,
                        "scenario:\n  controls:\n"
                        "    - {id: c, by: [NL, US], against: [CN], fdpr: true}\n");
  EXPECT_TRUE(r->scenario) << testing::diagnostic_headers(r->diags, r->files)[0];
}

TEST(InstrumentsTest, AGraphDeclaringNoFdprKeepsTheOldReadingWithOneWarning) {
  std::string yaml = kInstruments;
  Model m = must_load(yaml.substr(yaml.find('\n') + 1));
  auto r = load_scenario_for(m,
                             "scenario:\n  controls:\n"
                             "    - {id: nl-duv, by: [NL], against: [CN], fdpr: true}\n"
                             "    - {id: two, by: [NL], against: [CN], fdpr: true}\n");
  ASSERT_TRUE(r->scenario);
  lint_scenario(m, *r->scenario, r->diags);
  EXPECT_EQ(r->headers(),
            std::vector<std::string>{
                "s.yaml:3:51: warning: control 'nl-duv' applies an FDPR, but no jurisdiction of "
                "the graph declares one, so every 'by' jurisdiction is taken to have one; declare "
                "those that do (e.g. US: {fdpr: true} under jurisdictions)"});
}

TEST(InstrumentsTest, ScenarioCapacityAndDeMinimisTakeRanges) {
  Model m = must_load(kInstruments);
  auto r = load_scenario_for(m,
                             "scenario:\n  capacity: {asml: [0.4, 0.6], chip: \"20-40%\"}\n"
                             "  controls:\n"
                             "    - {by: [US], against: [CN], fdpr: true, de_minimis: {low: 0.1, "
                             "high: 0.3, best: 0.25}}\n");
  ASSERT_TRUE(r->scenario) << r->headers()[0];
  const Scenario& s = *r->scenario;
  ASSERT_EQ(s.capacity.size(), 2u);
  EXPECT_DOUBLE_EQ(s.capacity[0].second, 0.5);
  EXPECT_NEAR(s.capacity[1].second, 0.3, 1e-15);
  ASSERT_EQ(s.capacity_ranges.size(), 2u);
  EXPECT_DOUBLE_EQ(s.capacity_ranges[1].second.high, 0.4);
  EXPECT_DOUBLE_EQ(s.controls[0].de_minimis, 0.25);
  ASSERT_TRUE(s.controls[0].de_minimis_range);
  EXPECT_DOUBLE_EQ(s.controls[0].de_minimis_range->low, 0.1);
  r = load_scenario_for(m, "scenario:\n  capacity: {asml: [0.6, 0.4]}\n");
  EXPECT_EQ(
      r->headers(),
      std::vector<std::string>{
          "s.yaml:2:20: error: a capacity factor: the range's low 0.6 is above its high 0.4"});
}

}  // namespace
}  // namespace chokepoint
