// Node tables and graph files for other tools: CSV (safe to open in a spreadsheet), GraphML and
// GEXF (Gephi), and the self-contained HTML report.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "exporters/graphviz.hpp"
#include "exporters/report/text.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
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

// leverage.csv: one row per node and per jurisdiction whose removal costs either side anything:
// kind (node/jurisdiction), id, side it is located in, loss to each side, leverage for its side.
void write_leverage_csv(std::ostream& out, const Model& model, const LeverageResult& leverage);

// timeline.csv: one row per month, target and view (month, target, view, capacity).
void write_timeline_csv(std::ostream& out, const Model& model, const TimelineResult& result);

// uncertainty.csv: per target and view (every view, as JSON) a `band` row (point, mean, P5, P50,
// P95, P(lost), P(degraded)) and its `swing` rows (the number, the value at its low and high).
void write_uncertainty_csv(std::ostream& out, const Model& model, const UncertaintyResult& result);

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
