// Disruption between two sides (docs/coalitions.md, "Disruption: removal for everyone"): what each
// node's or jurisdiction's loss costs each side's targets, at world market shares and as each side
// buys, and so what hurts the other side more than one's own.
#pragma once

#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

// Target capacity lost (summed over a side's targets) if one node or jurisdiction is removed: in
// the world view (every buyer at world market shares) and in each side's own view (its sourcing,
// the controls against it). A view's loss can be negative: removing the controlling side's only
// input of a product ends the FDPR's reach over it, and the side gets it again.
struct SideImpact {
  double on_a = 0.0;
  double on_b = 0.0;
  double on_a_view = 0.0;
  double on_b_view = 0.0;
  // Any loss (or gain) beyond the status epsilon, in either view.
  bool any() const;
};

struct LeverageResult {
  std::string a, b;                                                     // the sides as written
  std::vector<JurisdictionIndex> a_codes, b_codes;                      // sorted
  std::vector<SideImpact> nodes;                                        // per node
  std::vector<std::pair<JurisdictionIndex, SideImpact>> jurisdictions;  // by code
  bool budget_hit = false;

  // The side a node is located in: 0 for A, 1 for B, -1 for neither.
  int side_of(const Model& model, NodeIndex n) const;
  // The side a jurisdiction belongs to, likewise (kNoJurisdiction: -1).
  int side_of_code(JurisdictionIndex j) const;
};

// Per node and per jurisdiction (every node located there), removed for everyone: the capacity
// each side's targets (those located in it) lose.
// - World (on_a, on_b): from the single-removal effects of metrics (index by model.targets
//   position) and one lowering per jurisdiction: O(jurisdictions * (V + E)).
// - Each side's view (on_a_view, on_b_view) of `scenario`, so a side loses what it buys from the
//   removed node: one evaluation of the view per node upstream of its targets and per
//   jurisdiction, O((V + jurisdictions) * (controls + sides) * (V + E)) per side, on the analysis
//   threads.
LeverageResult leverage(const Model& model, const Scenario& scenario, const CapacityInputs& world,
                        const std::vector<double>& world_cap, const RemovalEffects& effects,
                        const std::string& a, const std::string& b,
                        const Progress* progress = nullptr);

}  // namespace chokepoint
