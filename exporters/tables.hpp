// Node tables and graph files for other tools: CSV (safe to open in a spreadsheet), GraphML and
// GEXF (Gephi). Their node columns are the registry's (rules/node_values.hpp).
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "exporters/graphviz.hpp"
#include "exporters/report/text.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/analysis/compare.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

// nodes.csv: one row per node (by id) with metrics, severity and the fired rules' messages.
// UTF-8 with a byte-order mark and CRLF line ends, as spreadsheets expect.
void write_nodes_csv(std::ostream& out, const Analysis& analysis,
                     const std::vector<rules::NodeScore>& scores);

// edges.csv: one row per edge (group membership), by dependent id then group order: from
// (member), to (dependent), role, group ("suppliers" or "input N"), label, share (normalised
// weight) and min_share (the group's threshold, if any). For Kumu, Gephi and spreadsheets.
void write_edges_csv(std::ostream& out, const Model& model);

// leverage.csv: what each side can withhold from the other: direction (leverage: from A to B;
// exposure: from B to A), from, to, kind (jurisdiction: a control by it alone on every item;
// node: a control on that item), id, the capacity the receiving side's targets lose.
void write_withholding_csv(std::ostream& out, const Model& model, const WithholdingResult& r);
// disruption.csv: one row per node and per jurisdiction whose removal (for everyone) costs either
// side anything: kind, id, side it is located in, loss to each side, net (the other side's loss
// minus its own).
void write_disruption_csv(std::ostream& out, const Model& model, const LeverageResult& leverage);

// timeline.csv: one row per month, target and view (month, target, view, capacity).
void write_timeline_csv(std::ostream& out, const Model& model, const TimelineResult& result);

// uncertainty.csv: per target and view (every view, as JSON) a `band` row (point, mean, P5, P50,
// P95, P(lost), P(degraded)) and its `swing` rows (the number, the value at its low and high).
void write_uncertainty_csv(std::ostream& out, const Model& model, const UncertaintyResult& result);

// compare.csv: one row per target, view and column (the baseline, then each scenario): the
// value and status, and the band where the comparison has them (empty cells otherwise).
void write_compare_csv(std::ostream& out, const Model& model, const Comparison& comparison);

// coalitions.csv: per target, one row per minimal winning coalition and one per candidate's
// indices (kind, target, coalition or jurisdiction, size, banzhaf, shapley_shubik).
void write_coalitions_csv(std::ostream& out, const Model& model, const CoalitionResult& result);

// GraphML and GEXF of a view, with every node column of nodes.csv as attributes (metrics,
// severity, score, substitution years, sources, rules) and edge attributes (role, group, share);
// GEXF also carries the severity colour (viz:color) and a size that grows with the score.
void write_graphml(std::ostream& out, const Analysis& analysis,
                   const std::vector<rules::NodeScore>& scores, const DiagramView& view);
void write_gexf(std::ostream& out, const Analysis& analysis,
                const std::vector<rules::NodeScore>& scores, const DiagramView& view);

}  // namespace chokepoint
