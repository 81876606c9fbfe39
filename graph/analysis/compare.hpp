// Scenarios side by side (docs/reports.md, "compare"): each target's value in the world and in
// each side's view under a baseline and under each scenario laid on it, with bands where the
// graph has ranges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "graph/analysis/uncertainty.hpp"
#include "graph/analysis/views.hpp"
#include "graph/model/scenario.hpp"
#include "graph/support/progress.hpp"

namespace chokepoint {

// One column: its name as a reader knows it (the scenario's own, not merged with the baseline)
// and the scenario evaluated (the baseline with it on top).
struct ComparedScenario {
  std::string name;
  Scenario scenario;
};

struct CompareOptions {
  std::vector<Perspective> views;        // sides to show besides the ones compare_views() finds
  std::size_t samples = kReportSamples;  // 0: no bands
  std::uint64_t seed = 1;
  Progress progress;  // optional
};

// One target's value in one view under one column. The status is against the graph without
// any scenario (as everywhere); `band` where the graph or the scenario has ranges.
struct ComparedValue {
  double value = 0;
  Status status = Status::ok;
  std::optional<Band> band;
};

struct ComparisonRow {
  NodeIndex target;
  std::size_t view = 0;               // 0: the world; v + 1: Comparison::views[v]
  double no_scenario = 0;             // the target's value in this view without any scenario
  std::vector<ComparedValue> values;  // per column
};

struct Comparison {
  std::vector<std::string> columns;              // the baseline first, then each scenario
  std::vector<std::optional<double>> durations;  // per column: its months, if it ends
  std::vector<Perspective> views;                // the views besides the world, by name
  std::vector<ComparisonRow> rows;               // by view (the world first), then target by id
  std::size_t samples = 0;                       // 0: no column has bands
  // Per column: its bands and each target's largest swings (headline_uncertainty), if any.
  std::vector<std::optional<UncertaintyResult>> bands;
  std::uint64_t seed = 1;
  bool budget_hit = false;   // some fixed point stopped at a bound (values are upper bounds)
  bool on_baseline = false;  // the baseline sets something: each scenario adds to it
  // Per column: whether a control of its own (not the baseline's) applies the FDPR (and one with
  // a de minimis), and how many maker-product pairs only those FDPRs deny to a view shown (no
  // control denies the pair to that view directly, no baseline control at all): 0 says the
  // column's FDPR adds nothing.
  std::vector<char> fdpr, fdpr_de_minimis;
  std::vector<std::size_t> fdpr_only;

  // A column as a table heads it: "B + X" for a scenario on a baseline that sets something (a
  // reader must not take X's column for X alone), "B: name" for that baseline, else the name.
  std::string heading(std::size_t column) const;

  std::size_t view_count() const { return views.size() + 1; }
  // "" for the world.
  const std::string& view_name(std::size_t view) const;
  const ComparisonRow* find(NodeIndex target, std::size_t view) const;
};

// The sides a comparison shows besides the world: every side a column's controls are against and
// every side the graph's `sourcing` gives a way of buying (codes and blocs; an entity only when
// asked for), then `also`; each once, by name.
std::vector<Perspective> compare_views(const Model& model,
                                       const std::vector<ComparedScenario>& columns,
                                       const std::vector<Perspective>& also);

// Evaluates every column (the first is the baseline) in the world and in every view of
// compare_views(); a view lists the targets located in it or without jurisdiction. Bands from
// headline_uncertainty() per column with the same seed. O(columns * (E_s + samples * E_s)) where
// E_s is one evaluation of a scenario with its views.
Comparison compare_scenarios(const Model& model, const std::vector<ComparedScenario>& columns,
                             const CompareOptions& options);

}  // namespace chokepoint
