// Decoupling between two blocs (docs/analysis.md, "Decoupling"): each side embargoes the other;
// what each side keeps, and which minimal substitutions would bring its lost targets back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/analysis/leverage.hpp"
#include "graph/analysis/withholding.hpp"
#include "graph/input/scenario_builder.hpp"
#include "graph/model/scenario.hpp"

namespace chokepoint {

// A degraded target below this share of its baseline is treated as lost by the substitution
// search: its sets bring it back above the share.
inline constexpr double kNearlyLost = 0.1;

struct SubstitutionResult {
  NodeIndex target;
  double capacity = 0;  // in the side's view
  double baseline = 0;  // world capacity without any scenario
  Status status = Status::ok;
  bool nearly_lost = false;  // degraded below kNearlyLost of its baseline: sets as if lost
  std::vector<std::vector<NodeIndex>> sets;  // by size, then ids
  bool truncated = false;
  std::optional<double> years_to_substitute;
};

struct DecoupleSide {
  std::string name;                         // as given on the command line
  std::vector<SubstitutionResult> targets;  // targets located in the side, by id
};

struct DecoupleResult {
  bool fdpr = false;
  bool budget_hit = false;  // some fixed point stopped at a bound (values are upper bounds)
  Scenario scenario;        // the base scenario plus the two controls
  DecoupleSide a, b;
  LeverageResult leverage;  // disruption: what each node's or jurisdiction's loss costs each side
  // Leverage and exposure as withholding between the two sides, on the base scenario.
  std::optional<WithholdingResult> withholding;
};

struct DecoupleOptions {
  // The terms of both decoupling controls: what they cover (`items`, default every item), the
  // FDPR (`fields.fdpr`) with its `made_with` and `de_minimis`. by/against/id are ignored.
  ControlSpec terms;
  bool with_withholding = true;
  bool with_disruption = true;  // analyze measures it itself
  Progress progress;            // optional
  int order = 2;
  std::size_t max_sets = 1000;
};

// `a`, `b`: codes or bloc names (UnknownSide if the graph has neither), each embargoing the
// other on top of `base`. Substitution sets by a level search: at worst O(targets * C^order)
// evaluations of O(V+E) for C candidate nodes; then, with_disruption, the single removals of
// leverage() (its cost is there).
DecoupleResult decouple(const Model& model, const Scenario& base, const std::string& a,
                        const std::string& b, const DecoupleOptions& options);

// The terms as the template of a control whose `by` is filled in later (withholding);
// AnalysisError if they do not resolve on `model`.
Control resolve_terms(const Model& model, const ControlSpec& terms);

}  // namespace chokepoint
