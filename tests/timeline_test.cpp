// Timelines: hand-computed months (a stock through an outage, step and linear substitutes, a
// loop drawing on a stock) and a property: without stocks, duration or substitutes, every month
// is the static analysis.
#include "graph/analysis/timeline.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sstream>

#include "graph/analysis/analysis.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/test_util.hpp"
#include "tests/timeline_reference.hpp"

namespace chokepoint {
namespace {

using testing::must_load;
using testing::scenario_from;

const TimelineSeries& series(const TimelineResult& r, const Model& m, const std::string& target,
                             const std::string& view) {
  for (const auto& s : r.series)
    if (m.nodes[s.target].id == target && s.view == view) return s;
  throw std::runtime_error("no series");
}

// "month kind view [node] [by substitute] [part k]", in order.
std::vector<std::string> events(const TimelineResult& r, const Model& m) {
  std::vector<std::string> out;
  for (const auto& e : r.events)
    out.push_back(std::to_string(e.month) + " " + std::string(event_name(e.kind)) + " " + e.view +
                  (e.node ? " " + m.nodes[*e.node].id : "") +
                  (e.substitute ? " by " + m.nodes[*e.substitute].id : "") +
                  (e.part ? " part " + std::to_string(*e.part) : ""));
  return out;
}

// One list of names serves --ramp and the JSON report: each name reads back as its ramp.
TEST(TimelineTest, RampNamesReadBack) {
  for (Ramp r : {Ramp::step, Ramp::linear, Ramp::none}) EXPECT_EQ(parse_ramp(ramp_name(r)), r);
  EXPECT_EQ(ramp_name(Ramp::linear), "linear");
  EXPECT_EQ(parse_ramp("none"), Ramp::none);
  EXPECT_EQ(parse_ramp("Linear"), std::nullopt);
  EXPECT_EQ(parse_ramp(""), std::nullopt);
}

TEST(TimelineTest, AStockCoversHalfOfAnOutage) {
  Model m = must_load(R"(
nodes:
  - {id: fab, kind: firm, jurisdiction: TW}
  - {id: chip, kind: chip, suppliers: [fab], stock_months: 3}
  - {id: ai, kind: capability, jurisdiction: US, target: true, inputs: [chip]}
)");
  TimelineOptions o;
  o.months = 9;
  auto r = timeline(m, scenario_from(m, "scenario: {remove: [fab], duration_months: 6}"), o);
  EXPECT_EQ(series(r, m, "ai", "world").capacity, (std::vector<double>{1, 1, 1, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(events(r, m),
            (std::vector<std::string>{"3 stock_exhausted world chip", "3 target_lost world ai",
                                      "6 part_ends world part 0", "6 target_recovers world ai"}));
  // A stock of 2.5 months leaves half a month's output for the third month.
  Model half = must_load(R"(
nodes:
  - {id: fab, kind: firm}
  - {id: chip, kind: chip, suppliers: [fab], stock_months: 2.5}
  - {id: ai, kind: capability, target: true, inputs: [chip]}
)");
  auto h = timeline(half, scenario_from(half, "scenario: {remove: [fab]}"), o);
  EXPECT_EQ(series(h, half, "ai", "world").capacity,
            (std::vector<double>{1, 1, 0.5, 0, 0, 0, 0, 0, 0}));
}

// A bloc a control is against only in part is not followed month by month (its members would
// each need their own stocks): a clear refusal, and a static report's dated headline leaves the
// view out instead of failing.
TEST(TimelineTest, ABlocAControlIsAgainstInPartIsRefused) {
  Model m = must_load(R"(
blocs: {west: [US, JP]}
nodes:
  - {id: ga-cn, kind: firm, jurisdiction: CN}
  - {id: gallium, kind: material, suppliers: [ga-cn], stock_months: 2}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [gallium]}
  - {id: jp-ai, kind: capability, jurisdiction: JP, target: true, inputs: [gallium]}
)");
  Scenario s = scenario_from(m, "scenario:\n  controls: [{by: [CN], against: [US]}]\n");
  TimelineOptions o;
  o.months = 6;
  o.perspectives = {"west"};
  try {
    timeline(m, s, o);
    ADD_FAILURE() << "no error";
  } catch (const UnfollowedView& e) {
    EXPECT_EQ(e.name, "west");
    EXPECT_STREQ(e.what(),
                 "a timeline cannot follow the view of 'west' yet: a control of the scenario is "
                 "against only some of its codes (it spares JP); follow those codes as separate "
                 "perspectives (--perspective CODE)");
  }
  // Against the whole bloc it is followed.
  o.perspectives = {"west"};
  auto whole =
      timeline(m, scenario_from(m, "scenario:\n  controls: [{by: [CN], against: [west]}]\n"), o);
  EXPECT_EQ(series(whole, m, "jp-ai", "west").capacity, (std::vector<double>{1, 1, 0, 0, 0, 0}));
  // The dated headline: the world and the US, not the bloc.
  auto path = headline_path(m, s, {*perspective_of(m, "west"), *perspective_of(m, "US")});
  ASSERT_TRUE(path.has_value());
  EXPECT_EQ(path->views, (std::vector<std::string>{"world", "US"}));
  EXPECT_EQ(series(*path, m, "us-ai", "US").capacity[3], 0.0);
}

const char* kControlled = R"(
nodes:
  - {id: nv, kind: firm, jurisdiction: US}
  - {id: gpu, kind: chip, suppliers: [nv], substitution_years: 1}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [gpu]}
)";

TEST(TimelineTest, StepSubstituteArrivesAfterItsYears) {
  Model m = must_load(kControlled);
  TimelineOptions o;
  o.months = 14;
  auto r = timeline(m, scenario_from(m, "scenario: {controls: [{by: [US], against: [CN]}]}"), o);
  std::vector<double> expected(14, 0.0);
  expected[12] = expected[13] = 1.0;
  EXPECT_EQ(series(r, m, "cn-ai", "CN").capacity, expected);
  EXPECT_EQ(series(r, m, "cn-ai", "world").capacity, std::vector<double>(14, 1.0));
  EXPECT_EQ(events(r, m),
            (std::vector<std::string>{"0 target_lost CN cn-ai", "12 substitute CN gpu",
                                      "12 target_recovers CN cn-ai"}));
}

TEST(TimelineTest, LinearSubstituteRisesToFull) {
  Model m = must_load(kControlled);
  TimelineOptions o;
  o.months = 14;
  o.ramp = Ramp::linear;
  auto r = timeline(m, scenario_from(m, "scenario: {controls: [{by: [US], against: [CN]}]}"), o);
  const auto& cn = series(r, m, "cn-ai", "CN").capacity;
  for (int t = 0; t <= 12; ++t) EXPECT_NEAR(cn[t], t / 12.0, 1e-12) << t;
  EXPECT_EQ(cn[13], 1.0);
}

// tools = 0.4 fab (+ stock) without its vendor, fab = tools. Stock 1.5: months 0 and 1 draw 0.6
// each (tools topped up to 1); month 2 has 0.3 left: tools = 0.4 tools + 0.3, so 0.5; then 0
// until the scenario ends at month 4.
TEST(TimelineTest, ALoopDrawsOnItsStock) {
  Model m = must_load(R"(
nodes:
  - {id: vendor, kind: firm}
  - id: tools
    kind: equipment
    suppliers: [{id: vendor, share: 0.6}, {id: fab, share: 0.4}]
    stock_months: 1.5
  - {id: fab, kind: foundry, target: true, inputs: [tools]}
)");
  TimelineOptions o;
  o.months = 6;
  auto r = timeline(m, scenario_from(m, "scenario: {remove: [vendor], duration_months: 4}"), o);
  const auto& fab = series(r, m, "fab", "world").capacity;
  std::vector<double> expected{1, 1, 0.5, 0, 1, 1};
  for (std::size_t t = 0; t < expected.size(); ++t) EXPECT_NEAR(fab[t], expected[t], 1e-12) << t;
  EXPECT_EQ(events(r, m),
            (std::vector<std::string>{"2 stock_exhausted world tools", "3 target_lost world fab",
                                      "4 part_ends world part 0", "4 target_recovers world fab"}));
}

ScenarioParts parts_of(const Model& m, const std::vector<std::pair<std::string, bool>>& texts) {
  ScenarioParts parts;
  for (const auto& [text, baseline] : texts)
    EXPECT_FALSE(parts.add(scenario_from(m, text), baseline));
  return parts;
}

std::vector<double> months_of(const TimelineResult& r, const Model& m, const std::string& target,
                              const std::string& view) {
  return series(r, m, target, view).capacity;
}

void expect_months(const std::vector<double>& got, const std::vector<double>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t t = 0; t < want.size(); ++t)
    EXPECT_NEAR(got[t], want[t], 1e-12) << "month " << t;
}

// Example M: the baseline control outlives the disruption.
const char* kLayered = R"(
nodes:
  - {id: tw-fab, kind: firm, jurisdiction: TW}
  - {id: chip, kind: chip, suppliers: [tw-fab]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [chip]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
)";
const char* kLayeredBaseline =
    "scenario: {name: B, controls: [{by: [TW], against: [CN], items: \"kind == 'chip'\"}]}";
const char* kLayeredOutage = "scenario: {name: S, remove_jurisdictions: [TW], duration_months: 2}";

TEST(TimelineTest, ExampleMTheBaselineOutlivesTheDisruption) {
  Model m = must_load(kLayered);
  TimelineOptions o;
  o.months = 4;
  auto r = timeline(m, parts_of(m, {{kLayeredBaseline, true}, {kLayeredOutage, false}}), o);
  expect_months(months_of(r, m, "us-ai", "world"), {0, 0, 1, 1});
  expect_months(months_of(r, m, "cn-ai", "CN"), {0, 0, 0, 0});
  expect_months(months_of(r, m, "cn-ai", "world"), {0, 0, 1, 1});
  // The part's end moves the world's targets, not China's: counted there, not listed.
  EXPECT_EQ(events(r, m), (std::vector<std::string>{
                              "0 target_lost CN cn-ai", "0 target_lost world cn-ai",
                              "0 target_lost world us-ai", "2 part_ends world part 1",
                              "2 target_recovers world cn-ai", "2 target_recovers world us-ai"}));
  EXPECT_EQ(r.quiet_events(), (std::vector<int>{0, 1}));
  ASSERT_EQ(r.parts.size(), 2u);
  EXPECT_TRUE(r.parts[0].baseline);
  EXPECT_FALSE(r.parts[0].ends);
  EXPECT_EQ(r.parts[1].ends, 2.0);
  // The same two files merged into one scenario (the release before): the duration ends both.
  Scenario merged = scenario_from(m, kLayeredBaseline);
  merge_scenario(merged, scenario_from(m, kLayeredOutage));
  auto old = timeline(m, merged, o);
  expect_months(months_of(old, m, "cn-ai", "CN"), {0, 0, 1, 1});
}

// A baseline never ends, even when its file gives a duration; --for N gives a duration to
// every other part without one, and a file's own duration wins over it.
TEST(TimelineTest, PartsEndAtTheirOwnDuration) {
  Model m = must_load(R"(
nodes:
  - {id: a, kind: firm, jurisdiction: US}
  - {id: b, kind: firm, jurisdiction: NL}
  - {id: c, kind: firm, jurisdiction: JP}
  - {id: ta, kind: capability, target: true, inputs: [a]}
  - {id: tb, kind: capability, target: true, inputs: [b]}
  - {id: tc, kind: capability, target: true, inputs: [c]}
)");
  ScenarioParts parts = parts_of(m, {{"scenario: {remove: [a], duration_months: 1}", true},
                                     {"scenario: {remove: [b]}", false},
                                     {"scenario: {remove: [c], duration_months: 3}", false}});
  parts.set_default_duration(2);
  EXPECT_FALSE(parts.parts[0].ends());
  EXPECT_EQ(parts.parts[1].ends(), 2.0);
  EXPECT_EQ(parts.parts[2].ends(), 3.0);
  TimelineOptions o;
  o.months = 5;
  auto r = timeline(m, parts, o);
  expect_months(months_of(r, m, "ta", "world"), {0, 0, 0, 0, 0});
  expect_months(months_of(r, m, "tb", "world"), {0, 0, 1, 1, 1});
  expect_months(months_of(r, m, "tc", "world"), {0, 0, 0, 1, 1});
  EXPECT_EQ(parts.at(2).remove, (std::vector<NodeIndex>{*m.find("a"), *m.find("c")}));
  EXPECT_EQ(parts.baseline().remove, (std::vector<NodeIndex>{*m.find("a")}));
  EXPECT_EQ(parts.all().remove.size(), 3u);
  // A control id two parts define is refused.
  ScenarioParts twice;
  EXPECT_FALSE(twice.add(
      scenario_from(m, "scenario: {controls: [{id: x, by: [US], against: [NL]}]}"), true));
  EXPECT_EQ(twice.add(scenario_from(m, "scenario: {controls: [{id: x, by: [US], against: [JP]}]}"),
                      false),
            "x");
}

// Month 0 is the data's date (meta: as_of): a control lifted since ends at the month it was
// lifted (here one lifted in August 2025 on data of June 2025 holds for months 0 and 1; one
// lifted mid-June holds for month 0 alone), as a part of its own; one without a date, or lifted
// by the data's date, holds throughout.
TEST(TimelineTest, AControlLiftedAfterTheDataEndsAtItsMonth) {
  Model m = must_load(R"(
meta: {as_of: "2025-06"}
nodes:
  - {id: us, kind: firm, jurisdiction: US}
  - {id: nl, kind: firm, jurisdiction: NL}
  - {id: jp, kind: firm, jurisdiction: JP}
  - {id: gpu, kind: chip, suppliers: [us]}
  - {id: tool, kind: equipment, suppliers: [nl]}
  - {id: resist, kind: material, suppliers: [jp]}
  - {id: a, kind: capability, jurisdiction: CN, target: true, inputs: [gpu]}
  - {id: b, kind: capability, jurisdiction: CN, target: true, inputs: [tool]}
  - {id: c, kind: capability, jurisdiction: CN, target: true, inputs: [resist]}
)");
  ScenarioParts parts = parts_of(m, {{R"(scenario:
  name: June
  controls:
    - {id: gpus, by: [US], against: [CN], lifted: 2025-08-14}
    - {id: tools, by: [NL], against: [CN], lifted: 2025-06-20}
    - {id: resists, by: [JP], against: [CN]})",
                                      true}});
  TimelineOptions o;
  o.months = 4;
  auto r = timeline(m, parts, o);
  expect_months(months_of(r, m, "a", "CN"), {0, 0, 1, 1});
  expect_months(months_of(r, m, "b", "CN"), {0, 1, 1, 1});
  expect_months(months_of(r, m, "c", "CN"), {0, 0, 0, 0});
  ASSERT_EQ(r.parts.size(), 3u);
  EXPECT_EQ(r.parts[1].name, "gpus (lifted on 2025-08-14)");
  EXPECT_EQ(r.parts[1].ends, 2.0);
  EXPECT_EQ(r.parts[2].name, "tools (lifted on 2025-06-20)");
  EXPECT_EQ(r.parts[2].ends, 1.0);
  // Without the data's date, every control holds.
  Model undated = must_load(R"(
nodes:
  - {id: us, kind: firm, jurisdiction: US}
  - {id: gpu, kind: chip, suppliers: [us]}
  - {id: a, kind: capability, jurisdiction: CN, target: true, inputs: [gpu]}
)");
  auto all = timeline(
      undated,
      parts_of(undated,
               {{"scenario: {controls: [{by: [US], against: [CN], lifted: 2025-08-14}]}", true}}),
      o);
  expect_months(months_of(all, undated, "a", "CN"), {0, 0, 0, 0});
}

// Example N: a substitute with its own inputs covers the shortfall in proportion to its own value;
// the substitution_years shorthand needs nothing and is marked as assumed.
const char* kScannerGraph = R"(
nodes:
  - {id: asml, kind: firm, jurisdiction: NL}
  - id: scanner
    kind: lithography
    suppliers: [asml]
    LINE
  - {id: zeiss, kind: firm, jurisdiction: DE}
  - {id: cn-optics, kind: firm, jurisdiction: CN}
  - {id: optics, kind: material, suppliers: [zeiss, cn-optics]}
  - {id: smee-scanner, kind: lithography, jurisdiction: CN, inputs: [optics]}
  - {id: cn-fab, kind: foundry, jurisdiction: CN, target: true, inputs: [scanner]}
)";
const char* kScannerControl = "scenario: {controls: [{by: [NL, DE], against: [CN]}]}";

std::string scanner_graph(const std::string& line) {
  std::string g = kScannerGraph;
  return g.replace(g.find("LINE"), 4, line);
}

TEST(TimelineTest, ExampleNASubstituteNeedsItsOwnInputs) {
  Model m =
      must_load(scanner_graph("substitutes: [{id: smee-scanner, from_month: 2, ramp_months: 0}]"));
  TimelineOptions o;
  o.months = 4;
  auto r = timeline(m, scenario_from(m, kScannerControl), o);
  expect_months(months_of(r, m, "cn-fab", "CN"), {0, 0, 0.5, 0.5});
  expect_months(months_of(r, m, "cn-fab", "world"), {1, 1, 1, 1});
  EXPECT_EQ(events(r, m), (std::vector<std::string>{"0 target_lost CN cn-fab",
                                                    "2 substitute CN scanner by smee-scanner",
                                                    "2 target_recovers CN cn-fab"}));
  EXPECT_TRUE(r.assumed.empty());

  Model y = must_load(scanner_graph("substitution_years: 0.25"));
  auto ry = timeline(y, scenario_from(y, kScannerControl), o);
  expect_months(months_of(ry, y, "cn-fab", "CN"), {0, 0, 0, 1});
  EXPECT_EQ(events(ry, y),
            (std::vector<std::string>{"0 target_lost CN cn-fab", "3 substitute CN scanner",
                                      "3 target_recovers CN cn-fab"}));
  ASSERT_EQ(ry.assumed.size(), 1u);
  EXPECT_EQ(y.nodes[ry.assumed[0].node].id, "scanner");
  EXPECT_EQ(ry.assumed[0].view, "CN");
  EXPECT_EQ(ry.assumed[0].from_month, 3);
}

// --ramp none: the substitution_years shorthand is left out, a substitute with inputs stays. With
// both on the scanner, the shorthand (full at month 3) would win over the Chinese scanner's 0.5.
TEST(TimelineTest, RampNoneLeavesOutSubstitutesThatNeedNothing) {
  TimelineOptions o;
  o.months = 4;
  o.ramp = Ramp::none;
  Model y = must_load(scanner_graph("substitution_years: 0.25"));
  auto ry = timeline(y, scenario_from(y, kScannerControl), o);
  expect_months(months_of(ry, y, "cn-fab", "CN"), {0, 0, 0, 0});
  EXPECT_EQ(events(ry, y), (std::vector<std::string>{"0 target_lost CN cn-fab"}));
  EXPECT_TRUE(ry.assumed.empty());
  Model both = must_load(scanner_graph(
      "substitution_years: 0.25\n    substitutes: [{id: smee-scanner, from_month: 2, ramp_months: "
      "0}]"));
  auto rb = timeline(both, scenario_from(both, kScannerControl), o);
  expect_months(months_of(rb, both, "cn-fab", "CN"), {0, 0, 0.5, 0.5});
  o.ramp = Ramp::step;
  rb = timeline(both, scenario_from(both, kScannerControl), o);
  expect_months(months_of(rb, both, "cn-fab", "CN"), {0, 0, 0.5, 1});
}

// A ramp: r(t) = min(1, (t - M + 1) / R); a loss of the substitute's own input shows in its share.
TEST(TimelineTest, ASubstituteRampsUpOverItsMonths) {
  Model m =
      must_load(scanner_graph("substitutes: [{id: smee-scanner, from_month: 1, ramp_months: 4}]"));
  TimelineOptions o;
  o.months = 7;
  auto r = timeline(m, scenario_from(m, kScannerControl), o);
  // V = 0.5: 0, then 0.5 * 1/4, 2/4, 3/4, 1.
  expect_months(months_of(r, m, "cn-fab", "CN"), {0, 0.125, 0.25, 0.375, 0.5, 0.5, 0.5});
  EXPECT_EQ(events(r, m),
            (std::vector<std::string>{"0 target_lost CN cn-fab", "1 target_recovers CN cn-fab",
                                      "4 substitute CN scanner by smee-scanner"}));
  // With China's optics maker removed too, the substitute has nothing to work with: the event
  // moves no target and is only counted.
  auto none =
      timeline(m,
               scenario_from(
                   m, "scenario: {remove: [cn-optics], controls: [{by: [NL, DE], against: [CN]}]}"),
               o);
  expect_months(months_of(none, m, "cn-fab", "CN"), std::vector<double>(7, 0.0));
  EXPECT_EQ(events(none, m), (std::vector<std::string>{"0 target_lost CN cn-fab"}));
  EXPECT_EQ(none.quiet_events(), (std::vector<int>{0, 1}));
}

// Example O: an installed base retires 1/L a month; static analyses see it intact.
const char* kFleet = R"(
nodes:
  - {id: tw-fab, kind: firm, jurisdiction: TW}
  - {id: chips, kind: chip, suppliers: [tw-fab]}
  - {id: cn-fleet, kind: cloud, jurisdiction: CN, inputs: [chips], lifetime_months: 4}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [cn-fleet]}
)";

TEST(TimelineTest, ExampleOAnInstalledBaseAges) {
  Model m = must_load(kFleet);
  Scenario s = scenario_from(m, "scenario: {controls: [{by: [TW], against: [CN]}]}");
  TimelineOptions o;
  o.months = 5;
  auto r = timeline(m, s, o);
  expect_months(months_of(r, m, "cn-ai", "CN"), {1, 0.75, 0.5625, 0.421875, 0.31640625});
  expect_months(months_of(r, m, "cn-ai", "world"), {1, 1, 1, 1, 1});
  AnalysisOptions ao;
  ao.with_metrics = ao.with_cut_sets = false;
  auto a = analyze(m, s, ao);
  ASSERT_EQ(a.views.size(), 1u);
  EXPECT_EQ(a.views[0].cap[*m.find("cn-ai")], 1.0);
  // Removing the fleet itself is felt at once; a part that ends lets it be rebuilt at 1/L a
  // month.
  auto gone =
      timeline(m, scenario_from(m, "scenario: {remove: [cn-fleet], duration_months: 2}"), o);
  expect_months(months_of(gone, m, "cn-ai", "world"), {0, 0, 0.25, 0.4375, 0.578125});
  auto cut = timeline(m, scenario_from(m, "scenario: {remove: [tw-fab], duration_months: 2}"), o);
  expect_months(months_of(cut, m, "cn-ai", "world"), {1, 0.75, 0.8125, 0.859375, 0.89453125});
}

// An installed base in a loop: fleet = 0.75 fleet(t-1) + 0.25 * min(1, 0.5 + 0.5 fleet) once
// the outside half of its chips is gone; solved exactly each month.
TEST(TimelineTest, AnInstalledBaseOnALoop) {
  Model m = must_load(R"(
nodes:
  - {id: vendor, kind: firm}
  - {id: chips, kind: chip, suppliers: [vendor, fleet]}
  - {id: fleet, kind: cloud, inputs: [chips], lifetime_months: 4, target: true}
)");
  TimelineOptions o;
  o.months = 4;
  auto r = timeline(m, scenario_from(m, "scenario: {remove: [vendor]}"), o);
  // chips = 0.5 fleet(t); fleet(t) = 0.75 fleet(t-1) + 0.25 * 0.5 fleet(t), so
  // fleet(t) = 0.75 / 0.875 fleet(t-1).
  double f = 1;
  std::vector<double> want{1};
  for (int t = 1; t < 4; ++t) want.push_back(f *= 0.75 / 0.875);
  expect_months(months_of(r, m, "fleet", "world"), want);
}

// Without stocks, duration or substitution years, every month is the static analysis, in the
// world and in every view (seeded random graphs with cycles, controls and entities).
class TimelineProperty : public ::testing::TestWithParam<int> {};

TEST_P(TimelineProperty, EveryMonthEqualsTheStaticAnalysis) {
  std::mt19937 rng(static_cast<unsigned>(GetParam()));
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* codes[] = {"US", "CN", "NL"};
  std::ostringstream y;
  y << "nodes:\n";
  int n = pick(5, 10);
  for (int i = 0; i < n; ++i) {
    y << "  - {id: n" << i << ", kind: " << (i < 3 ? "firm" : "chip");
    if (pick(0, 3)) y << ", jurisdiction: " << codes[pick(0, 2)];
    if (i >= 3) {
      int a = pick(0, i - 1), b = pick(0, n - 1);
      y << ", suppliers: [n" << a;
      if (b != a && b != i) y << ", n" << b;  // sometimes a back edge: a cycle
      y << "]";
    }
    if (i >= 4 && pick(0, 1)) y << ", inputs: [n" << pick(0, i - 1) << "]";
    y << "}\n";
  }
  y << "targets: [n" << n - 1 << "]\n";
  auto loaded = testing::load_text(y.str());
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << y.str();
  const Model& m = *loaded->model;
  std::string text = "scenario: {remove: [n" + std::to_string(pick(0, n - 1)) +
                     "], controls: [{by: [US], against: [CN], fdpr: true}, {by: [NL], against: [n" +
                     std::to_string(pick(0, n - 1)) + "]}]}";
  SourceFiles files;
  Diagnostics diags;
  auto s = load_scenario_text("s.yaml", text, m, files, diags);
  ASSERT_TRUE(s) << text;
  AnalysisOptions ao;
  ao.with_metrics = ao.with_cut_sets = false;
  auto a = analyze(m, *s, ao);
  TimelineOptions o;
  o.months = 3;
  auto r = timeline(m, *s, o);
  for (const auto& series : r.series) {
    double expected = a.world[series.target];
    for (std::size_t v = 0; v < a.perspectives.size(); ++v)
      if (a.perspectives[v].name == series.view) expected = a.views[v].cap[series.target];
    for (double c : series.capacity) EXPECT_NEAR(c, expected, 1e-12) << series.view << y.str();
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, TimelineProperty, ::testing::Range(1, 51));

// A random graph with every key a timeline reads: stocks, installed bases, substitutes (nodes
// of the graph, sometimes downstream of what they replace), substitution years, loops,
// thresholds; and a scenario in layered parts: a baseline of controls (FDPR, sometimes an
// entity), a disruption and sometimes a third part, with durations or none.
struct LayeredCase {
  std::string graph;
  std::vector<std::pair<std::string, bool>> parts;
  bool linear = false;
  std::optional<double> default_duration;
};

LayeredCase layered_case(int seed, bool month_zero_only) {
  std::mt19937 rng(static_cast<unsigned>(seed) * 7919u + 13u);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* codes[] = {"US", "CN", "NL", "TW"};
  std::ostringstream y;
  y << "nodes:\n";
  int n = pick(6, 11);
  for (int i = 0; i < n; ++i) {
    y << "  - {id: n" << i << ", kind: " << (i < 3 ? "firm" : i % 2 ? "chip" : "equipment");
    if (pick(0, 3)) y << ", jurisdiction: " << codes[pick(0, 3)];
    if (i >= 3) {
      int a = pick(0, i - 1), b = pick(0, n - 1);
      y << ", suppliers: [{id: n" << a << ", share: 0." << pick(3, 7) << "}";
      if (b != a && b != i) y << ", n" << b;
      y << "]";
    }
    if (i >= 4 && pick(0, 1)) {
      int a = pick(0, i - 1), b = pick(0, i - 1);
      if (a != b && pick(0, 1))
        y << ", inputs: [{any: [n" << a << ", n" << b << "], min_share: 0." << pick(2, 6) << "}]";
      else
        y << ", inputs: [n" << a << "]";
    }
    if (!month_zero_only && pick(0, 4) == 0) y << ", stock_months: " << pick(1, 6) * 0.5;
    if (pick(0, 3) == 0) y << ", lifetime_months: " << pick(2, 12) * 0.5;
    if (i >= 3 && pick(0, 2) == 0) {
      int x = pick(0, n - 1);
      if (x != i)
        y << ", substitutes: [{id: n" << x << ", from_month: " << pick(month_zero_only, 4)
          << ", ramp_months: " << pick(0, 3) << "}]";
    }
    if (i >= 3 && pick(0, 4) == 0)
      y << ", substitution_years: " << (month_zero_only ? pick(1, 3) : pick(0, 3)) * 0.25;
    y << "}\n";
  }
  y << "targets: [n" << n - 1 << ", n" << n - 2 << ", n" << n - 3 << "]\n";
  LayeredCase c;
  c.graph = y.str();
  std::ostringstream b;
  b << "scenario:\n  name: baseline\n  controls:\n    - {by: [US], against: [CN], fdpr: "
    << (pick(0, 1) ? "true" : "false") << "}\n";
  if (pick(0, 3) == 0) b << "    - {by: [NL], against: [n" << pick(0, 2) << "]}\n";
  if (pick(0, 4) == 0) b << "  duration_months: 1\n";  // ignored: a baseline never ends
  c.parts.emplace_back(b.str(), true);
  std::ostringstream d;
  d << "scenario:\n  name: disruption\n";
  if (pick(0, 1))
    d << "  remove: [n" << pick(0, n - 1) << "]\n";
  else
    d << "  remove_jurisdictions: [" << codes[pick(0, 3)] << "]\n";
  if (pick(0, 2)) d << "  duration_months: " << pick(1, 5) << "\n";
  c.parts.emplace_back(d.str(), false);
  if (pick(0, 1)) {
    std::ostringstream e;
    e << "scenario:\n  name: more\n  capacity: {n" << pick(0, n - 1) << ": 0." << pick(2, 8)
      << "}\n  controls:\n    - {by: [NL], against: [CN]}\n";
    // Sometimes a second listed firm, in a part that may end.
    if (pick(0, 2) == 0) e << "    - {by: [US], against: [n" << pick(0, 2) << "]}\n";
    if (pick(0, 1)) e << "  duration_months: " << pick(0, 6) << "\n";
    c.parts.emplace_back(e.str(), false);
  }
  c.linear = pick(0, 1);
  if (pick(0, 2) == 0) c.default_duration = pick(1, 4);
  return c;
}

// Month 0 is the static analysis, installed bases intact, whatever the new keys (without stocks
// and with substitutes from month 1 on).
class TimelineMonthZero : public ::testing::TestWithParam<int> {};

TEST_P(TimelineMonthZero, IsTheStaticAnalysis) {
  LayeredCase c = layered_case(GetParam(), true);
  auto loaded = testing::load_text(c.graph);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << c.graph;
  const Model& m = *loaded->model;
  ScenarioParts parts = parts_of(m, c.parts);
  AnalysisOptions ao;
  ao.with_metrics = ao.with_cut_sets = false;
  auto a = analyze(m, parts.at(0), ao);
  TimelineOptions o;
  o.months = 2;
  o.ramp = c.linear ? Ramp::step : Ramp::step;
  auto r = timeline(m, parts, o);
  for (const auto& s : r.series) {
    double expected = a.world[s.target];
    for (std::size_t v = 0; v < a.perspectives.size(); ++v)
      if (a.perspectives[v].name == s.view) expected = a.views[v].cap[s.target];
    EXPECT_NEAR(s.capacity[0], expected, 1e-12) << s.view << " " << m.nodes[s.target].id << "\n"
                                                << c.graph;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, TimelineMonthZero, ::testing::Range(1, 61));

// Random graphs with layered parts, substitutes, installed bases and stocks against the slow
// month-by-month reading of tests/timeline_reference.hpp, to 1e-9, every target and view.
class TimelineBruteForce : public ::testing::TestWithParam<int> {};

TEST_P(TimelineBruteForce, AgreesWithTheReference) {
  LayeredCase c = layered_case(GetParam(), false);
  auto loaded = testing::load_text(c.graph);
  ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << c.graph;
  const Model& m = *loaded->model;
  ScenarioParts parts = parts_of(m, c.parts);
  if (c.default_duration) parts.set_default_duration(*c.default_duration);
  TimelineOptions o;
  o.months = 9;
  o.ramp = c.linear ? Ramp::linear : Ramp::step;
  auto r = timeline(m, parts, o);
  ASSERT_FALSE(r.budget_hit);
  auto want = testing::TimelineReference(m).run(parts, o.months, c.linear);
  ASSERT_EQ(r.views, want.views);
  std::string context = c.graph;
  for (const auto& [text, baseline] : c.parts) context += (baseline ? "baseline " : "") + text;
  for (const auto& s : r.series) {
    std::size_t v = *r.view_index(s.view);
    for (int t = 0; t < o.months; ++t)
      ASSERT_NEAR(s.capacity[t], want.value[v][t][s.target], 1e-9)
          << "month " << t << ", " << s.view << ", " << m.nodes[s.target].id << "\n"
          << context;
  }
  // The world and CN's view alone: the listed firms' views are computed hidden, the same values.
  if (!r.view_index("CN")) return;
  o.perspectives = {"CN"};
  auto shown = timeline(m, parts, o);
  ASSERT_EQ(shown.views, (std::vector<std::string>{"world", "CN"}));
  for (const auto& s : shown.series) {
    std::size_t v = s.view == "world" ? 0 : *r.view_index("CN");
    for (int t = 0; t < o.months; ++t)
      ASSERT_NEAR(s.capacity[t], want.value[v][t][s.target], 1e-9)
          << "month " << t << ", " << s.view << " (firms hidden), " << m.nodes[s.target].id << "\n"
          << context;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, TimelineBruteForce, ::testing::Range(1, 301));

// A random graph with only the keys timelines had before installed bases, substitutes with
// inputs and layered parts: stocks, substitution years (on nodes without a stock), a duration,
// removals, factors, controls with and without FDPR, an entity control, loops.
struct LegacyCase {
  std::string graph, scenario;
};

LegacyCase legacy_case(int seed) {
  std::mt19937 rng(static_cast<unsigned>(seed));
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const char* codes[] = {"US", "CN", "NL", "TW"};
  std::ostringstream y;
  y << "nodes:\n";
  int n = pick(6, 12);
  for (int i = 0; i < n; ++i) {
    y << "  - {id: n" << i << ", kind: " << (i < 3 ? "firm" : i % 2 ? "chip" : "equipment");
    if (pick(0, 3)) y << ", jurisdiction: " << codes[pick(0, 3)];
    if (i >= 3) {
      int a = pick(0, i - 1), b = pick(0, n - 1);
      y << ", suppliers: [{id: n" << a << ", share: 0." << pick(3, 7) << "}";
      if (b != a && b != i) y << ", n" << b;  // sometimes a back edge: a loop
      y << "]";
    }
    if (i >= 4 && pick(0, 1)) {
      int a = pick(0, i - 1), b = pick(0, i - 1);
      if (a != b && pick(0, 1))
        y << ", inputs: [{any: [n" << a << ", n" << b << "], min_share: 0." << pick(2, 6) << "}]";
      else
        y << ", inputs: [n" << a << "]";
    }
    if (pick(0, 3) == 0)
      y << ", stock_months: " << pick(1, 8) * 0.5;
    else if (i >= 3 && pick(0, 3) == 0)
      y << ", substitution_years: " << pick(0, 6) * 0.25;
    y << "}\n";
  }
  y << "targets: [n" << n - 1 << ", n" << n - 2 << "]\n";
  std::ostringstream s;
  s << "scenario:\n  remove: [n" << pick(0, n - 1) << "]\n";
  if (pick(0, 1)) s << "  capacity: {n" << pick(0, n - 1) << ": 0." << pick(2, 8) << "}\n";
  s << "  controls:\n    - {by: [US], against: [CN], fdpr: " << (pick(0, 1) ? "true" : "false")
    << "}\n";
  if (pick(0, 2) == 0) s << "    - {by: [NL], against: [n" << pick(0, n - 1) << "]}\n";
  if (pick(0, 1)) s << "  duration_months: " << pick(2, 7) << "\n";
  return {y.str(), s.str()};
}

std::string legacy_series_text(const TimelineResult& r, const Model& m) {
  std::ostringstream out;
  out.precision(17);
  for (const auto& s : r.series) {
    out << m.nodes[s.target].id << " " << s.view;
    for (double c : s.capacity) out << " " << c;
    out << "\n";
  }
  return out.str();
}

// A graph without installed bases or substitutes, and a scenario in one part, give the same
// timeline as the release before them (tests/data/golden/timeline-legacy.txt, written by it;
// rewritten once since, for the seeds with a control on a listed firm, when a timeline began to
// draw a firm's stocks in its own view month by month).
TEST(TimelineLegacy, GraphsWithoutTheNewKeysGiveTheSameTimelineAsBefore) {
  std::string path = testing::source_path("tests/data/golden/timeline-legacy.txt");
  std::ostringstream all;
  for (int seed = 1; seed <= 80; ++seed) {
    LegacyCase c = legacy_case(seed);
    auto loaded = testing::load_text(c.graph);
    ASSERT_TRUE(loaded->model.has_value()) << loaded->printed() << c.graph;
    const Model& m = *loaded->model;
    SourceFiles files;
    Diagnostics diags;
    auto s = load_scenario_text("s.yaml", c.scenario, m, files, diags);
    ASSERT_TRUE(s) << c.scenario;
    TimelineOptions o;
    o.months = 10;
    all << "seed " << seed << "\n" << legacy_series_text(timeline(m, *s, o), m);
  }
  if (std::getenv("CHOKEPOINT_UPDATE_GOLDEN")) std::ofstream(path) << all.str();
  // Line by line: the same words, numbers within 1e-9.
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::istringstream got(all.str());
  std::string want_line, got_line, seed;
  while (std::getline(in, want_line)) {
    ASSERT_TRUE(std::getline(got, got_line)) << "missing: " << want_line;
    if (want_line.rfind("seed", 0) == 0) seed = want_line;
    std::istringstream w(want_line), g(got_line);
    std::string a, b;
    while (w >> a) {
      ASSERT_TRUE(g >> b) << seed << ": " << got_line << "\nwant " << want_line;
      char* end = nullptr;
      double x = std::strtod(a.c_str(), &end);
      if (*end == '\0' && !a.empty() && (std::isdigit(a[0]) || a[0] == '-'))
        EXPECT_NEAR(std::strtod(b.c_str(), nullptr), x, 1e-9)
            << seed << ": " << got_line << "\nwant " << want_line;
      else
        EXPECT_EQ(b, a) << seed;
    }
  }
  EXPECT_FALSE(std::getline(got, got_line)) << "extra: " << got_line;
}

// The command line: each --baseline file, each -s file and the flags are parts; --for gives a
// duration to the parts without one, never to a baseline. Examples M, N and O as shipped in
// data/examples, read from the CSV (one row per month, target and view).
std::map<std::string, std::vector<std::string>> cli_series(const std::string& args) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("timeline " + args + " --format csv", &out, &err), 0) << err;
  std::map<std::string, std::vector<std::string>> by;
  std::istringstream in(out);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CSV rows end in CRLF
    auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    by[line.substr(a + 1, b - a - 1) + " " + line.substr(b + 1, c - b - 1)].push_back(
        line.substr(c + 1));
  }
  return by;
}

using Months = std::vector<std::string>;

TEST(TimelineCli, BaselineScenarioFilesAndFlagsArePartsOfTheirOwn) {
  const std::string m = "data/examples/layered.yaml --months 4 ";
  const std::string base = "--baseline data/examples/scenarios/layered-chip-control.yaml ";
  const std::string outage = "-s data/examples/scenarios/layered-taiwan-outage.yaml ";
  auto r = cli_series(m + base + outage);
  EXPECT_EQ(r["us-ai world"], (Months{"0", "0", "1", "1"}));
  EXPECT_EQ(r["cn-ai CN"], (Months{"0", "0", "0", "0"}));
  // The control as an -s file without a duration never ends either; --for 1 ends it (and only
  // it: the outage file's own duration wins).
  EXPECT_EQ(
      cli_series(m + "-s data/examples/scenarios/layered-chip-control.yaml " + outage)["cn-ai CN"],
      (Months{"0", "0", "0", "0"}));
  auto ended =
      cli_series(m + "-s data/examples/scenarios/layered-chip-control.yaml " + outage + "--for 1");
  EXPECT_EQ(ended["cn-ai CN"], (Months{"0", "0", "1", "1"}));
  EXPECT_EQ(ended["us-ai world"], (Months{"0", "0", "1", "1"}));
  // --for never ends a baseline; the flags are a part of their own, ended by --for.
  EXPECT_EQ(cli_series(m + base + "--remove-jurisdiction TW --for 3")["cn-ai CN"],
            (Months{"0", "0", "0", "0"}));
  auto flags = cli_series(m + base + "--remove-jurisdiction TW --for 3");
  EXPECT_EQ(flags["us-ai world"], (Months{"0", "0", "0", "1"}));
  // A control id two parts define is refused.
  std::string out, err;
  EXPECT_EQ(testing::run_cli("timeline " + m + base + base, &out, &err), 1);
  EXPECT_NE(err.find("control 'tw-chips' is defined twice"), std::string::npos) << err;
  EXPECT_TRUE(out.empty());
}

// The yearly table as a brief writes it: percent, the quantity's unit once beside the target and
// its amount in each month (70 % of 2 M H100-equivalents: 1.4 M), a target without one plain.
TEST(TimelineCli, TheYearlyTableGivesPercentAndQuantities) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("timeline data/examples/compare.yaml -s "
                             "data/examples/scenarios/compare-korea-offline.yaml --months 3",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("| China training (`cn-ai`), in H100-equivalents a year | 70 % (≈ 1.4 M) | "
                     "70 % (≈ 1.4 M) |\n| US training (`us-ai`) | 70 % | 70 % |\n"),
            std::string::npos)
      << out;
}

// Substitutes assumed to need nothing are named once per view (66 under the allied embargo, one
// note each made the report's head a page long; transformers left the list once their foreign
// makers were no longer located in allied countries, and the lasers and optics inside scanners
// once parts were no items of a control); --ramp none leaves them out and says so.
TEST(TimelineCli, AssumedSubstitutesAreOneNotePerViewAndRampNoneLeavesThemOut) {
  std::string out, err;
  const std::string run =
      "timeline data/ai-supply-chain.yaml -s data/scenarios/embargo-cn-fdpr.yaml --months 3 ";
  ASSERT_EQ(testing::run_cli(run + "--ramp linear", &out, &err), 0) << err;
  auto count = [&](const std::string& text) {
    std::size_t n = 0;
    for (auto at = out.find(text); at != std::string::npos; at = out.find(text, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("Assumed: no inputs modelled"), 1u) << out;
  EXPECT_NE(out.find("> Note: Assumed: no inputs modelled. In CN's view, 66 nodes are replaced by "
                     "a substitute that needs nothing (substitution\\_years): Ajinomoto build-up "
                     "film (ABF) (from month 1, 5 years), ABF package substrates (from month 1, 3 "
                     "years), "),
            std::string::npos)
      << out;
  ASSERT_EQ(testing::run_cli(run + "--ramp none", &out, &err), 0) << err;
  EXPECT_EQ(count("Assumed: no inputs modelled"), 0u);
  EXPECT_NE(out.find("substitutes given as substitution\\_years are left out (none): only "
                     "substitutes with their own inputs close a gap"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("are left out of this timeline (--ramp none)"), std::string::npos);
}

// A fall is named by the stocks upstream of it, not by whatever ran out that month: two targets
// each fed by a pair of stocks that run out together get a row each, with their own pair.
TEST(TimelineCli, AFallIsNamedByTheStocksThatFeedIt) {
  std::string dir = ::testing::TempDir() + "chokepoint_feeds_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  // cn-ai needs resist and gas (2 months of stock each), cn-car film and glass (`months` each).
  auto write = [&](int months) {
    std::ofstream(dir + "/g.yaml", std::ios::trunc) << fmt::format(R"(nodes:
  - {{id: us-fab, kind: firm, jurisdiction: US}}
  - {{id: resist, kind: material, suppliers: [us-fab], stock_months: 2}}
  - {{id: gas, kind: material, suppliers: [us-fab], stock_months: 2}}
  - {{id: film, kind: material, suppliers: [us-fab], stock_months: {0}}}
  - {{id: glass, kind: material, suppliers: [us-fab], stock_months: {0}}}
  - {{id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [resist, gas]}}
  - {{id: cn-car, kind: capability, jurisdiction: CN, target: true, inputs: [film, glass]}}
)",
                                                                   months);
  };
  write(3);
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("timeline " + dir + "/g.yaml --control 'US>CN' --months 5 -o -", &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("| 2 | `cn-ai` 100 % → 0 %, after: stock of `resist` runs out (month 2); "
                     "stock of `gas` runs out (month 2) (none of them moves a target alone in "
                     "its month) |\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("| 3 | `cn-car` 100 % → 0 %, after: stock of `film` runs out (month 3); "
                     "stock of `glass` runs out (month 3) (none of them moves a target alone in "
                     "its month) |\n"),
            std::string::npos)
      << out;
  // Both in month 2: each target with its own pair, not one row naming all four.
  write(2);
  ASSERT_EQ(
      testing::run_cli("timeline " + dir + "/g.yaml --control 'US>CN' --months 4 -o -", &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("| 2 | `cn-ai` 100 % → 0 %, after: stock of `resist` runs out (month 2); "
                     "stock of `gas` runs out (month 2) (none of them moves a target alone in "
                     "its month) |\n| 2 | `cn-car` 100 % → 0 %, after: stock of `film` runs out "
                     "(month 2); stock of `glass` runs out (month 2) (none of them moves a target "
                     "alone in its month) |\n"),
            std::string::npos)
      << out;
}

// Two stocks that run out in one month move the target together though neither does alone (each
// is tested with the other in place): the events table names them beside the move, not
// "(none)". A control on China leaves the world at 100 % throughout: one sentence says why, in
// place of a table and a chart panel of flat lines that read "China at 100 %".
TEST(TimelineCli, StocksThatRunOutTogetherAreNamedAndAnUnmovedWorldIsOneSentence) {
  std::string dir = ::testing::TempDir() + "chokepoint_joint_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir + "/g.yaml") << R"(nodes:
  - {id: us-fab, kind: firm, jurisdiction: US}
  - {id: resist, kind: material, suppliers: [us-fab], stock_months: 2}
  - {id: gas, kind: material, suppliers: [us-fab], stock_months: 2}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [resist, gas]}
)";
  }
  std::string out, err;
  ASSERT_EQ(testing::run_cli(
                "timeline " + dir + "/g.yaml --control 'US>CN' --months 4 --out-dir " + dir + "/o",
                &out, &err),
            0)
      << err;
  std::ifstream md(dir + "/o/timeline.md"), svg(dir + "/o/timeline.svg");
  std::string report((std::istreambuf_iterator<char>(md)), {}),
      chart((std::istreambuf_iterator<char>(svg)), {});
  EXPECT_NE(report.find("| 2 | `cn-ai` lost |\n| 2 | `cn-ai` 100 % → 0 %, after: stock of "
                        "`resist` runs out (month 2); stock of `gas` runs out (month 2) (none of "
                        "them moves a target alone in its month) |\n\nCapacity by year:"),
            std::string::npos)
      << report;
  EXPECT_EQ(report.find("events that move no target"), std::string::npos) << report;
  EXPECT_NE(report.find("## World view\n\nNo target moves in the world view: it buys at world "
                        "market shares with no country's control applied to the buyer, and "
                        "nothing here removes a node or cuts a listed firm, which would show in "
                        "it. The controls act in the views below, of the sides they are against; "
                        "the chart leaves this view out.\n\n## CN's view"),
            std::string::npos)
      << report;
  EXPECT_EQ(chart.find("World view"), std::string::npos);
  EXPECT_NE(chart.find("CN's view"), std::string::npos);
  // One stock: it moves the target alone, so it is an event of its own, and the world, where
  // the fab is removed, keeps its table and panel.
  {
    std::ofstream(dir + "/g.yaml") << R"(nodes:
  - {id: us-fab, kind: firm, jurisdiction: US}
  - {id: resist, kind: material, suppliers: [us-fab], stock_months: 2}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [resist]}
)";
  }
  ASSERT_EQ(
      testing::run_cli("timeline " + dir + "/g.yaml --remove us-fab --months 4 -o -", &out, &err),
      0)
      << err;
  // The event row says how far the line moves that month.
  EXPECT_NE(
      out.find("| 2 | stock of `resist` runs out: `cn-ai` 100 % → 0 % |\n| 2 | `cn-ai` lost |\n"),
      std::string::npos)
      << out;
  EXPECT_EQ(out.find("No target moves"), std::string::npos) << out;
  std::filesystem::remove_all(dir);
}

TEST(TimelineCli, ExamplesNAndOAsShipped) {
  auto n = cli_series(
      "data/examples/substitutes.yaml -s data/examples/scenarios/nl-de-controls.yaml --months 4");
  EXPECT_EQ(n["cn-fab CN"], (Months{"0", "0", "0.5", "0.5"}));
  EXPECT_EQ(n["cn-fab world"], (Months{"1", "1", "1", "1"}));
  auto o = cli_series(
      "data/examples/installed-base.yaml -s data/examples/scenarios/tw-controls.yaml --months 5");
  EXPECT_EQ(o["cn-ai CN"], (Months{"1", "0.75", "0.5625", "0.421875", "0.31640625"}));
  EXPECT_EQ(o["cn-ai world"], (Months{"1", "1", "1", "1", "1"}));
}

}  // namespace
}  // namespace chokepoint
