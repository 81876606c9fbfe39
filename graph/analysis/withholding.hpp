// Leverage as withholding (docs/analysis.md, "Leverage and exposure"): what one side can deny
// another — the capacity the other side's targets lose in its own view when the first adds a
// control on one item (or, per jurisdiction, on every item) on top of the run's scenario.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

// One direction, `from` withholding from `to`.
struct Withholding {
  std::string from, to;  // the sides as written
  // Per node upstream of `to`'s targets (or one of them) whose control costs them more than 1e-9,
  // largest loss first (ties by id): the capacity `to`'s targets lose, summed, in `to`'s view.
  std::vector<std::pair<NodeIndex, double>> nodes;
  // Per code of `from` (a control by that code alone on every item), by code.
  std::vector<std::pair<JurisdictionIndex, double>> jurisdictions;
  std::vector<NodeIndex> targets;  // `to`'s targets (located in it or without jurisdiction)
  // With the FDPR, per item of `nodes` (in the order tried, by id) whose control the FDPR
  // carries in part: the jurisdictions of the third-country makers whose pairs of it only the
  // FDPR denies, sorted (Korea's LPDDR5 under a US control).
  std::vector<std::pair<NodeIndex, std::vector<JurisdictionIndex>>> fdpr_reach;

  // fdpr_reach's jurisdictions for item n (empty when the FDPR carries none of it).
  const std::vector<JurisdictionIndex>& reached_by_fdpr(NodeIndex n) const;
};

struct WithholdingResult {
  std::string a, b;
  bool fdpr = false;
  std::string items;      // the items a control may cover, as written ("" for every item)
  std::string made_with;  // with fdpr: what makes a foreign item subject, as written ("": every
                          // node located in the controlling side)
  double de_minimis = 0;  // with fdpr: the fraction a foreign item may lose and stay exempt
  Withholding leverage;   // A withholding from B: what A can deny B
  Withholding exposure;   // B withholding from A: what B can deny A
  bool budget_hit = false;
};

// What went wrong, in the analysis' own terms (the caller names the flags).
struct WithholdingError {
  std::string message;
};

// `a`, `b`: codes or bloc names. `terms` is the template of every control tried (its `by` and
// `against` are ignored): only nodes among its `items` are tried one by one, and a
// jurisdiction's control covers all of them; its `made_with`, `de_minimis` and `fdpr` apply
// (the FDPR through the controlling codes that declare one). One evaluation of the base
// scenario per direction, then one evaluation of the side's view per node whose control denies
// something: O(V (V + E)).
WithholdingResult withholding(const Model& model, const Scenario& base, const std::string& a,
                              const std::string& b, const Control& terms,
                              const Progress* progress = nullptr);

}  // namespace chokepoint
