// JSON reports (docs/analysis.md#json) of every command. Deterministic: nodes by id,
// every list in a stable order, numbers rounded to 12 decimals and printed shortest round-trip.
#pragma once

#include <iosfwd>

#include "exporters/report/text.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/analysis/compare.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "graph/input/provenance.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

// `scores` (one per node) fills score, severity and rules; without it they are 0, info and [].
// `bands` (optional) adds each target's and view's band and largest swings.
void write_analysis_json(std::ostream& out, const Analysis& analysis,
                         const std::vector<rules::NodeScore>* scores = nullptr,
                         const std::vector<InputFile>& inputs = {},
                         const UncertaintyResult* bands = nullptr);

// Baseline against the scenario: targets, every node whose capacity or status changed, and
// (with both score vectors) every node whose severity changed.
void write_whatif_json(std::ostream& out, const Analysis& analysis,
                       const std::vector<rules::NodeScore>* baseline_scores = nullptr,
                       const std::vector<rules::NodeScore>* scores = nullptr,
                       const std::vector<InputFile>& inputs = {},
                       const UncertaintyResult* bands = nullptr);

void write_rank_json(std::ostream& out, const Model& model, const Analysis& analysis,
                     const std::vector<RankEntry>& ranking, int order,
                     const RankSides* sides = nullptr, const std::vector<InputFile>& inputs = {},
                     std::size_t ranked = 0);

void write_decouple_json(std::ostream& out, const Model& model, const DecoupleResult& result,
                         const std::vector<InputFile>& inputs = {});

void write_timeline_json(std::ostream& out, const Model& model, const Scenario& scenario,
                         const TimelineResult& result, const std::vector<InputFile>& inputs = {});

// Per target and view: the point value, its band and its tornado; and every uncertain number.
void write_uncertainty_json(std::ostream& out, const Model& model, const Scenario& scenario,
                            const UncertaintyResult& result,
                            const std::vector<InputFile>& inputs = {});

// Scenarios side by side: the baseline and each scenario as written, and per target and view each
// column's value, status and band.
void write_compare_json(std::ostream& out, const Model& model,
                        const std::vector<ComparedScenario>& columns, const Comparison& comparison,
                        const std::vector<InputFile>& inputs = {});

void write_coalitions_json(std::ostream& out, const Model& model, const Scenario& base,
                           const CoalitionResult& result, const std::vector<InputFile>& inputs = {},
                           const std::vector<CoalitionResult>* sweep = nullptr);

}  // namespace chokepoint
