// Disruption between two sides (docs/coalitions.md, "Disruption: removal for everyone"): what each
// node's or jurisdiction's loss costs each side's targets, and so what hurts the other side more
// than one's own.
#pragma once

#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"

namespace chokepoint {

// Target capacity lost (summed over a side's targets) if one node or jurisdiction is removed.
struct SideImpact {
  double on_a = 0.0;
  double on_b = 0.0;
};

struct LeverageResult {
  std::string a, b;                                                     // the sides as written
  std::vector<JurisdictionIndex> a_codes, b_codes;                      // sorted
  std::vector<SideImpact> nodes;                                        // per node
  std::vector<std::pair<JurisdictionIndex, SideImpact>> jurisdictions;  // by code
  bool budget_hit = false;

  // The side a node is located in: 0 for A, 1 for B, -1 for neither.
  int side_of(const Model& model, NodeIndex n) const;
};

// Per node (from the single-removal effects of metrics, index by model.targets position) and per
// jurisdiction (every node located there removed): the capacity each side's targets lose.
// O(jurisdictions * (V + E)) beyond the node effects.
LeverageResult leverage(const Model& model, const CapacityInputs& world,
                        const std::vector<double>& world_cap, const RemovalEffects& effects,
                        const std::string& a, const std::string& b);

}  // namespace chokepoint
