// Node tables and graph files for other tools: CSV (safe to open in a spreadsheet), GraphML and
// GEXF (Gephi), and the self-contained HTML report.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "exporters/graphviz.hpp"
#include "exporters/text.hpp"
#include "graph/analysis.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

// nodes.csv: one row per node (by id) with metrics, severity and the fired rules' messages.
// UTF-8 with a byte-order mark and CRLF line ends, as spreadsheets expect.
void write_nodes_csv(std::ostream& out, const Analysis& analysis,
                     const std::vector<rules::NodeScore>& scores);

// GraphML and GEXF of a view, with node attributes (name, kind, jurisdiction, severity, score,
// capacity) and edge attributes (role, share).
void write_graphml(std::ostream& out, const Analysis& analysis,
                   const std::vector<rules::NodeScore>& scores, const DiagramView& view);
void write_gexf(std::ostream& out, const Analysis& analysis,
                const std::vector<rules::NodeScore>& scores, const DiagramView& view);

}  // namespace chokepoint
