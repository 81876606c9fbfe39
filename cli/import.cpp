// chokepoint import: a graph file built from tables (a CSV pair, or the CSET ETO tables).
#include "graph/input/import.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

const char* const kImportHelp =
    R"(Build a graph file from tables: a CSV pair (nodes and edges) or the CSET ETO tables.

The result is checked like any graph; every problem is reported at its table cell
(file:line:column).

csv NODES.csv EDGES.csv
  nodes: id, kind (required), name, jurisdiction, target, substitution_years, min_supply,
         tags and sources (';'-separated), attr:NAME columns for attributes
  edges: from, to (required), role (supplier or input, default input), group (rows with the
         same to and group form one 'any' group), share (0.4 or 40%), min_share
  Header names ignore case; Gephi's Source, Target, Label and Type work too.
eto DIR | inputs.csv providers.csv provision.csv sequence.csv [stages.csv]
  The CSET ETO Chip Explorer tables: alpha-3 codes become alpha-2, percentages fractions,
  repeated rows are dropped, providers that provide nothing are left out. The types of a tool
  (is_type_of rows: EUV, ArF immersion, ...) are distinct tools its parent needs, all of them;
  --types any reads them as alternatives (any one will do), e.g. for mature nodes.

Examples:
  chokepoint import csv nodes.csv edges.csv -o graph.yaml
  chokepoint import eto eto-chip-explorer/data -o eto.yaml && chokepoint analyze eto.yaml)";

namespace {

struct ImportArgs {
  std::string format;
  std::vector<std::string> files;
  std::string output;
  std::string types = "all";
  CLI::Option* types_opt = nullptr;
};

int import_command(const ImportArgs& args) {
  SourceFiles files;
  Diagnostics diags;
  std::optional<Imported> imported;
  if (args.format == "csv") {
    if (args.files.size() != 2)
      throw UsageError(fmt::format("import csv takes two tables, NODES.csv EDGES.csv; got {}",
                                   args.files.size()));
    if (args.types_opt->count() > 0)
      throw UsageError("--types is for the ETO tables (import eto); a CSV pair says its groups");
    imported = import_csv(args.files[0], args.files[1], files, diags);
  } else {
    imported = import_eto(args.files, files, diags,
                          EtoOptions{args.types == "any" ? EtoTypes::any : EtoTypes::all});
  }
  diags.print(std::cerr, files);
  if (!imported) throw InputError("the tables are not a valid graph");
  imported->model = Model();  // only the text is written
  emit(args.output, [&](std::ostream& out) { out << imported->yaml; });
  if (args.output != "-") say(fmt::format("wrote {}", args.output));
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
  args->types_opt = add_choice(cmd, "--types", args->types, {"all", "any"},
                               "eto: all (a tool's types are distinct tools, each needed) or any "
                               "(any one of them will do)");
  return [args] { return import_command(*args); };
}

}  // namespace chokepoint::cli
