// Graphs, scenarios and helpers shared by the analysis tests: the worked examples A and E,
// scenarios from YAML text, and random graphs and scenarios for the brute-force cross-checks.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <string>

#include "graph/analysis/analysis.hpp"
#include "graph/input/scenario_builder.hpp"
#include "tests/test_util.hpp"

namespace chokepoint::testing {

inline const char* const kExampleA = R"(
nodes:
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: samsung, kind: firm, jurisdiction: KR}
  - {id: micron, kind: firm, jurisdiction: US}
  - {id: tsmc, kind: firm, jurisdiction: TW}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: samsung, share: 0.4}, {id: micron, share: 0.1}]
  - {id: n4, kind: process, suppliers: [tsmc]}
  - {id: gpu, kind: chip, target: true, inputs: [hbm, n4]}
)";

inline double cap_of(const Model& m, const Analysis& a, const std::string& id) {
  return a.world[*m.find(id)];
}

inline AnalysisOptions no_extras() {
  AnalysisOptions o;
  o.with_metrics = false;
  o.with_cut_sets = false;
  return o;
}

// Example I: transformers made 60 % in Germany, 40 % in China; China buys 90 % Chinese.
inline const char* const kExampleI = R"(
nodes:
  - {id: tx-de, kind: firm, jurisdiction: DE}
  - {id: tx-cn, kind: firm, jurisdiction: CN}
  - id: transformers
    kind: equipment
    suppliers: [{id: tx-de, share: 0.6}, {id: tx-cn, share: 0.4}]
    min_supply: 0.5
    sourcing:
      CN: [{id: tx-cn, share: 0.9}, {id: tx-de, share: 0.1}]
  - {id: grid-cn, kind: power, jurisdiction: CN, inputs: [transformers], target: true}
)";

inline const char* const kExampleE = R"(
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: tools, kind: equipment, suppliers: [us-tools]}
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: cxmt, kind: firm, jurisdiction: CN}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: cxmt, share: 0.5}]
    inputs: [tools]
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}
)";

// Random graph text: firms with jurisdictions, products with supplier groups, inputs, `any`
// groups with thresholds, back edges that make cycles, and installed bases.
inline std::string random_graph(std::mt19937& rng, int n) {
  const char* codes[] = {"US", "CN", "NL", "JP"};
  const char* kinds[] = {"chip", "equipment", "hbm"};
  std::ostringstream y;
  y << "nodes:\n";
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto coin = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  for (int i = 0; i < n; ++i) {
    y << "  - id: n" << i << "\n    kind: " << (i < n / 3 ? "firm" : kinds[pick(0, 2)]) << "\n";
    if (coin(0.7)) y << "    jurisdiction: " << codes[pick(0, 3)] << "\n";
    if (coin(0.2)) y << "    attrs: {advanced: true}\n";
    if (i < n / 3) continue;
    auto member_list = [&](int k) {
      std::set<int> ms;
      for (int j = 0; j < k; ++j) ms.insert(coin(0.12) ? pick(0, n - 1) : pick(0, i - 1));
      ms.erase(i);
      std::ostringstream s;
      bool first = true;
      for (int mbr : ms) {
        s << (first ? "" : ", ");
        if (coin(0.6))
          s << "{id: n" << mbr << ", share: " << pick(1, 9) / 10.0 / ms.size() * 1.0 << "}";
        else
          s << "n" << mbr;
        first = false;
      }
      return std::make_pair(s.str(), ms.size());
    };
    if (coin(0.7)) {
      auto [s, k] = member_list(pick(1, 3));
      if (k > 0) {
        y << "    suppliers: [" << s << "]\n";
        if (coin(0.2)) y << "    min_supply: " << pick(1, 6) / 10.0 << "\n";
      }
    }
    int inputs = pick(0, 2);
    std::ostringstream in;
    for (int j = 0; j < inputs; ++j) {
      if (coin(0.5)) {
        int mbr = coin(0.1) ? pick(0, n - 1) : pick(0, i - 1);
        if (mbr != i) in << "      - n" << mbr << "\n";
      } else {
        auto [s, k] = member_list(pick(1, 3));
        if (k == 0) continue;
        in << "      - {any: [" << s << "]";
        if (coin(0.4)) in << ", min_share: " << pick(1, 7) / 10.0;
        in << "}\n";
      }
    }
    if (!in.str().empty()) y << "    inputs:\n" << in.str();
    if (coin(0.3)) y << "    substitution_years: " << pick(0, 10) << "\n";
    if (coin(0.12)) y << "    lifetime_months: " << pick(2, 60) << "\n";  // intact when static
  }
  y << "targets: [n" << n - 1 << ", n" << n - 2 << "]\n";
  return y.str();
}

// A random scenario: a removal, a factor, and one or two controls with items, made_with,
// entities, FDPR and de minimis drawn at random.
inline std::string random_scenario(std::mt19937& rng, const Model& m) {
  std::size_t n = m.nodes.size();
  auto pick = [&](std::size_t k) { return rng() % k; };
  const char* items[] = {"", "kind == 'chip'", "kind in ['equipment', 'hbm']",
                         "has(attrs.advanced)", "kind != 'firm'"};
  const char* made_with[] = {"", "kind == 'equipment'", "kind == 'firm'"};
  const char* by[] = {"[US]", "[US, NL]", "[NL, JP]"};
  std::ostringstream s;
  s << "scenario:\n  remove: [n" << pick(n) << "]\n  capacity: {n" << pick(n) << ": "
    << pick(10) / 10.0 << "}\n  controls:\n";
  int controls = 1 + static_cast<int>(pick(2));
  for (int c = 0; c < controls; ++c) {
    std::string against = "[CN]";
    if (pick(3) == 0) {
      // An entity: any node not located in the controlling side.
      against = "[n" + std::to_string(pick(n)) + "]";
    }
    s << "    - by: " << by[c == 0 ? pick(3) : 0] << "\n      against: " << against << "\n";
    if (auto it = items[pick(5)]; *it) s << "      items: \"" << it << "\"\n";
    if (auto mw = made_with[pick(3)]; *mw) s << "      made_with: \"" << mw << "\"\n";
    s << "      fdpr: " << (pick(2) ? "true" : "false") << "\n";
    if (pick(3) == 0) s << "      de_minimis: 0.25\n";
  }
  return s.str();
}

}  // namespace chokepoint::testing
