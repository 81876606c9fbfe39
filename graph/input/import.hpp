// `chokepoint import`: graphs from tables analysts already keep. A CSV pair (nodes and edges, as
// Kumu or Gephi export them, or as `analyze` writes them) or the CSET ETO Chip Explorer tables
// become a graph YAML. The YAML is checked by the same loader as any graph (one set of rules for
// ids, shares and jurisdictions), and every problem it finds is reported at the table cell it
// came from (file:line:column).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/model/model.hpp"
#include "graph/support/diagnostics.hpp"

namespace chokepoint {

// An imported graph: its YAML text, and the model the loader read from it (what was checked).
struct Imported {
  std::string yaml;
  Model model;
};

// nodes.csv: id, name, kind, jurisdiction, target, substitution_years, stock_months, min_supply,
// tags, sources (';'-separated, `\;` a literal semicolon), attr:NAME columns. edges.csv: from,
// to, role (supplier or input), group, label, share, min_share. Header names ignore case; Gephi's
// Source/Target/Label/Type are accepted; commas, semicolons or tabs separate fields. Returns the
// graph, or nullopt after reporting errors.
std::optional<Imported> import_csv(const std::string& nodes_path, const std::string& edges_path,
                                   SourceFiles& files, Diagnostics& diags);

// How the ETO tables' `is_type_of` rows read: every type is a distinct requirement of its parent
// (`all`: the ETO target is leading-edge logic, which needs EUV and ArF immersion tools alike), or
// the parent is any one of its types (`any`, e.g. for mature nodes).
enum class EtoTypes { all, any };

struct EtoOptions {
  EtoTypes types = EtoTypes::all;
};

// The ETO tables (inputs.csv, providers.csv, provision.csv, sequence.csv, stages.csv), given as
// their folder or as the files. Alpha-3 country codes become alpha-2, percentage shares
// fractions; providers that provide nothing are left out; repeated rows are dropped.
std::optional<Imported> import_eto(const std::vector<std::string>& paths, SourceFiles& files,
                                   Diagnostics& diags, const EtoOptions& options = {});

}  // namespace chokepoint
