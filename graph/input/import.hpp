// `chokepoint import`: graphs from tables analysts already keep. A CSV pair (nodes and edges, as
// Kumu or Gephi export them) or the CSET ETO Chip Explorer tables become a graph YAML. The YAML
// is checked by the same loader as any graph (one set of rules for ids, shares and
// jurisdictions), and every problem it finds is reported at the table row it came from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/support/diagnostics.hpp"

namespace chokepoint {

// nodes.csv: id, name, kind, jurisdiction, target, substitution_years, stock_months, min_supply,
// tags, sources (';'-separated), attr:NAME columns. edges.csv: from, to, role (supplier or
// input), group, share, min_share. Header names ignore case; Gephi's Source/Target/Label/Type
// are accepted. Returns the graph YAML, or nullopt after reporting errors.
std::optional<std::string> import_csv(const std::string& nodes_path, const std::string& edges_path,
                                      SourceFiles& files, Diagnostics& diags);

// The ETO tables (inputs.csv, providers.csv, provision.csv, sequence.csv, stages.csv), given as
// their folder or as the files. Alpha-3 country codes become alpha-2, percentage shares
// fractions, repeated provider rows are dropped, `is_type_of` rows become `any` groups.
std::optional<std::string> import_eto(const std::vector<std::string>& paths, SourceFiles& files,
                                      Diagnostics& diags);

}  // namespace chokepoint
