// Timelines: hand-computed months (a stock through an outage, step and linear substitutes, a
// loop drawing on a stock) and a property: without stocks, duration or substitutes, every month
// is the static analysis.
#include "graph/analysis/timeline.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "graph/analysis/analysis.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

using testing::must_load;

Scenario scenario_of(const Model& m, const std::string& yaml) {
  SourceFiles files;
  Diagnostics diags;
  auto s = load_scenario_text("s.yaml", yaml, m, files, diags);
  EXPECT_TRUE(s.has_value()) << testing::diagnostic_headers(diags, files).front();
  return s.value_or(Scenario{});
}

const TimelineSeries& series(const TimelineResult& r, const Model& m, const std::string& target,
                             const std::string& view) {
  for (const auto& s : r.series)
    if (m.nodes[s.target].id == target && s.view == view) return s;
  throw std::runtime_error("no series");
}

std::vector<std::string> events(const TimelineResult& r, const Model& m) {
  std::vector<std::string> out;
  for (const auto& e : r.events)
    out.push_back(std::to_string(e.month) + " " + std::string(event_name(e.kind)) + " " + e.view +
                  (e.node ? " " + m.nodes[*e.node].id : ""));
  return out;
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
  auto r = timeline(m, scenario_of(m, "scenario: {remove: [fab], duration_months: 6}"), o);
  EXPECT_EQ(series(r, m, "ai", "world").capacity, (std::vector<double>{1, 1, 1, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(events(r, m),
            (std::vector<std::string>{"2 stock_exhausted world chip", "3 target_lost world ai",
                                      "6 scenario_ends ", "6 target_recovers world ai"}));
  // A stock of 2.5 months leaves half a month's output for the third month.
  Model half = must_load(R"(
nodes:
  - {id: fab, kind: firm}
  - {id: chip, kind: chip, suppliers: [fab], stock_months: 2.5}
  - {id: ai, kind: capability, target: true, inputs: [chip]}
)");
  auto h = timeline(half, scenario_of(half, "scenario: {remove: [fab]}"), o);
  EXPECT_EQ(series(h, half, "ai", "world").capacity,
            (std::vector<double>{1, 1, 0.5, 0, 0, 0, 0, 0, 0}));
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
  auto r = timeline(m, scenario_of(m, "scenario: {controls: [{by: [US], against: [CN]}]}"), o);
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
  auto r = timeline(m, scenario_of(m, "scenario: {controls: [{by: [US], against: [CN]}]}"), o);
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
  auto r = timeline(m, scenario_of(m, "scenario: {remove: [vendor], duration_months: 4}"), o);
  const auto& fab = series(r, m, "fab", "world").capacity;
  std::vector<double> expected{1, 1, 0.5, 0, 1, 1};
  for (std::size_t t = 0; t < expected.size(); ++t) EXPECT_NEAR(fab[t], expected[t], 1e-12) << t;
  EXPECT_EQ(events(r, m),
            (std::vector<std::string>{"2 stock_exhausted world tools", "3 target_lost world fab",
                                      "4 scenario_ends ", "4 target_recovers world fab"}));
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
// timeline as the release before them (tests/data/golden/timeline-legacy.txt, written by it).
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
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::string want((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all.str(), want);
}

}  // namespace
}  // namespace chokepoint
