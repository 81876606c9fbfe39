// JSON reports (SPEC §7) for analyze, whatif, rank and decouple. Deterministic: nodes by id,
// every list in a stable order, numbers rounded to 12 decimals and printed shortest round-trip.
#pragma once

#include <iosfwd>

#include "graph/analysis.hpp"
#include "graph/decouple.hpp"

namespace chokepoint {

// Rounds to 12 decimal places, the precision every report prints.
double report_number(double v);

void write_analysis_json(std::ostream& out, const Analysis& analysis);

// Baseline against the scenario: targets and every node whose capacity or status changed.
void write_whatif_json(std::ostream& out, const Analysis& analysis);

void write_rank_json(std::ostream& out, const Model& model, const Analysis& analysis,
                     const std::vector<RankEntry>& ranking, int order);

void write_decouple_json(std::ostream& out, const Model& model, const DecoupleResult& result,
                         const std::string& a, const std::string& b);

}  // namespace chokepoint
