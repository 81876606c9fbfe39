// Scenarios applied to the model: the world W and the embargo views V_J of SPEC §3.
#pragma once

#include <string>
#include <vector>

#include "graph/capacity.hpp"
#include "graph/scenario.hpp"

namespace chokepoint {

// Capacity factors of a scenario's world: removals (nodes and jurisdictions) and factors.
CapacityInputs world_inputs(const Model& model, const Scenario& scenario);

// A perspective: one code or bloc name from an `against` list, as written, with its codes.
struct Perspective {
  std::string name;
  std::vector<JurisdictionIndex> codes;  // sorted
};

// Every distinct `against` entry of the scenario's embargoes, sorted by name.
std::vector<Perspective> perspectives(const Model& model, const Scenario& scenario);

struct View {
  std::string name;
  std::vector<double> cap;
  std::vector<char> denied;  // denied to this perspective (located in an embargoing bloc, or FDPR)
  CapacityInputs inputs;     // what cap was evaluated with: world factors plus the view's pins
};

// The view V_J of one perspective. An embargo applies when it names the perspective in
// `against` or its `against` codes overlap the perspective's codes. O(embargoes * (V + E)) for the
// FDPR worlds plus one evaluation.
View compute_view(const CapacityEngine& engine, const Scenario& scenario,
                  const CapacityInputs& world, const std::vector<double>& world_cap,
                  const Perspective& perspective);

}  // namespace chokepoint
