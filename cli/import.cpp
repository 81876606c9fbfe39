// chokepoint import: a graph file built from tables (a CSV pair, or the CSET ETO tables).
#include "graph/input/import.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

const char* const kImportHelp =
    R"(Build a graph file from tables: a CSV pair (nodes and edges) or the CSET ETO tables.

The result is checked like any graph; every problem is reported at its table row (file:line).

csv NODES.csv EDGES.csv
  nodes: id, kind (required), name, jurisdiction, target, substitution_years, min_supply,
         tags and sources (';'-separated), attr:NAME columns for attributes
  edges: from, to (required), role (supplier or input, default input), group (rows with the
         same to and group form one 'any' group), share (0.4 or 40%), min_share
  Header names ignore case; Gephi's Source, Target, Label and Type work too.
eto DIR | inputs.csv providers.csv provision.csv sequence.csv [stages.csv]
  The CSET ETO Chip Explorer tables: alpha-3 codes become alpha-2, percentages fractions,
  repeated providers are dropped, is_type_of rows become 'any' groups.

Examples:
  chokepoint import csv nodes.csv edges.csv -o graph.yaml
  chokepoint import eto eto-chip-explorer/data -o eto.yaml && chokepoint analyze eto.yaml)";

namespace {

struct ImportArgs {
  std::string format;
  std::vector<std::string> files;
  std::string output;
};

int import_command(const ImportArgs& args) {
  SourceFiles files;
  Diagnostics diags;
  std::optional<std::string> yaml;
  if (args.format == "csv") {
    if (args.files.size() != 2)
      throw UsageError(fmt::format("import csv takes two tables, NODES.csv EDGES.csv; got {}",
                                   args.files.size()));
    yaml = import_csv(args.files[0], args.files[1], files, diags);
  } else {
    yaml = import_eto(args.files, files, diags);
  }
  diags.print(std::cerr, files);
  if (!yaml) throw InputError("the tables are not a valid graph");
  emit(args.output, [&](std::ostream& out) { out << *yaml; });
  if (args.output != "-") std::cerr << fmt::format("wrote {}\n", args.output);
  return kExitOk;
}

}  // namespace

Run setup_import(CLI::App& cmd) {
  auto args = std::make_shared<ImportArgs>();
  add_choice(cmd, "FORMAT", args->format, {"csv", "eto"}, "csv or eto")->required();
  cmd.add_option("FILES", args->files, "the tables (or the ETO folder)")->required();
  cmd.add_option("-o,--output", args->output, "the graph YAML to write; - for stdout")
      ->required()
      ->check(file_name());
  return [args] { return import_command(*args); };
}

}  // namespace chokepoint::cli
