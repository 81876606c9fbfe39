// Warnings about a valid graph that is probably not what its author meant. Run by `validate`
// only: the other commands print the loader's diagnostics, not these.
#pragma once

#include "graph/model/model.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/diagnostics.hpp"

namespace chokepoint {

// Adds to `diags`:
// - a warning for each node (not a target) from which no target can be reached: it cannot change
//   any result (only when targets are declared; otherwise every sink is a target);
// - a warning for each `any` group written without shares whose members are of different kinds:
//   equal weights are assumed, which is rarely right for things that are not interchangeable;
// - with `explain`, a note for each node without a jurisdiction whose makers sit in several
//   jurisdictions and that has inputs of its own: each maker uses those inputs where it is.
void lint(const Model& model, Diagnostics& diags, bool explain);

// Warnings about a valid scenario: once, when it applies an FDPR on a graph where no
// jurisdiction declares one (every `by` jurisdiction is then taken to have one).
void lint_scenario(const Model& model, const Scenario& scenario, Diagnostics& diags);

}  // namespace chokepoint
