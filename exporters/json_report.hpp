// JSON reports (docs/analysis.md#json) of every command. Deterministic: nodes by id,
// every list in a stable order, numbers rounded to 12 decimals and printed shortest round-trip.
#pragma once

#include <iosfwd>

#include "exporters/report/text.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/input/provenance.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

// `scores` (one per node) fills score, severity and rules; without it they are 0, info and [].
void write_analysis_json(std::ostream& out, const Analysis& analysis,
                         const std::vector<rules::NodeScore>* scores = nullptr,
                         const std::vector<InputFile>& inputs = {});

// Baseline against the scenario: targets, every node whose capacity or status changed, and
// (with both score vectors) every node whose severity changed.
void write_whatif_json(std::ostream& out, const Analysis& analysis,
                       const std::vector<rules::NodeScore>* baseline_scores = nullptr,
                       const std::vector<rules::NodeScore>* scores = nullptr,
                       const std::vector<InputFile>& inputs = {});

void write_rank_json(std::ostream& out, const Model& model, const Analysis& analysis,
                     const std::vector<RankEntry>& ranking, int order,
                     const RankSides* sides = nullptr, const std::vector<InputFile>& inputs = {});

void write_decouple_json(std::ostream& out, const Model& model, const DecoupleResult& result,
                         const std::vector<InputFile>& inputs = {});

void write_timeline_json(std::ostream& out, const Model& model, const Scenario& scenario,
                         const TimelineResult& result, const std::vector<InputFile>& inputs = {});

void write_coalitions_json(std::ostream& out, const Model& model, const Scenario& base,
                           const CoalitionResult& result,
                           const std::vector<InputFile>& inputs = {});

}  // namespace chokepoint
