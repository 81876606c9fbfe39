// The chokepoint executable: option parsing and wiring only; the work is in the core library.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "exporters/atomic_file.hpp"
#include "exporters/formats.hpp"
#include "exporters/graphviz.hpp"
#include "exporters/tables.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/lint.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/analysis/views.hpp"
#include "graph/input/import.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/scenario_builder.hpp"
#include "graph/support/diagnostics.hpp"
#include "graph/support/errors.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {
namespace {

// Exit codes of SPEC §6.
constexpr int kExitOk = 0;
constexpr int kExitInvalidInput = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIo = 3;
constexpr int kExitFailOn = 4;

const char* kMainHelp = R"(chokepoint analyses supply-chain dependency graphs written in YAML.

Examples:
  chokepoint validate data/ai-supply-chain.yaml
  chokepoint analyze data/ai-supply-chain.yaml --scenario data/scenarios/embargo-cn-fdpr.yaml
  chokepoint whatif data/ai-supply-chain.yaml --remove asml
  chokepoint whatif data/ai-supply-chain.yaml --rank --order 1
  chokepoint decouple data/ai-supply-chain.yaml --between us-allies --and CN --fdpr
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --fdpr
  chokepoint COMMAND --help

Environment: CHOKEPOINT_THREADS=N sets the threads a large graph is loaded and analysed
on (default: the cores, at most 2; results never depend on it); CHOKEPOINT_DATA_DIR=DIR
is where the default rules are read from (DIR/rules/default.yaml; by default share/chokepoint
beside the program's bin/ folder, or in the program's own folder).

Exit codes: 0 success, 1 invalid input, 2 bad usage, 3 I/O or internal error,
4 a --fail-on threshold was reached.

Documentation: man chokepoint-format (the graph file format); the guides (format, rules,
scenarios, analysis, reports, import, ...) in /usr/share/doc/chokepoint/ (docs/ in the
source tree).)";

const char* kValidateHelp = R"(Check graph files: every error with file:line:col, then a summary.

Examples:
  chokepoint validate data/ai-supply-chain.yaml
      ok: 234 nodes, 492 edges, 8 targets, 17 jurisdictions
  chokepoint validate a.yaml b.yaml      # each file on its own
  chokepoint validate -q data/ai-supply-chain.yaml && echo valid
  chokepoint validate data/ai-supply-chain.yaml -s data/scenarios/taiwan-disruption.yaml
      also checks the scenario against the graph (unknown ids, codes, blocs))";

const char* kAnalyzeHelp =
    R"(Full analysis: target capacities (and embargo views), every node's metrics, cut sets.

Examples:
  chokepoint analyze data/ai-supply-chain.yaml                 # Markdown summary on stdout
  chokepoint analyze data/ai-supply-chain.yaml --format json -o report.json
  chokepoint analyze data/ai-supply-chain.yaml -s data/scenarios/embargo-cn-fdpr.yaml
  chokepoint analyze data/ai-supply-chain.yaml --order 3 --cut-kinds firm
  chokepoint analyze data/ai-supply-chain.yaml --cut-by jurisdiction
      which countries' loss (a disruption) cuts each target off; for which countries a
      control needs, see `chokepoint coalitions`
  chokepoint analyze data/ai-supply-chain.yaml --rules rules/default.yaml --rules my-rules.yaml
  chokepoint analyze data/ai-supply-chain.yaml --fail-on critical   # exit 4 if any node is critical

Rules: the shipped default rules unless --rules is given (man chokepoint; rules.md in
/usr/share/doc/chokepoint).)";

const char* kWhatifHelp =
    R"(Baseline against a scenario: what changed for targets and nodes; or rank removals.

Examples:
  chokepoint whatif data/ai-supply-chain.yaml --remove asml
  chokepoint whatif data/ai-supply-chain.yaml --remove-jurisdiction TW --format json
  chokepoint whatif data/ai-supply-chain.yaml --capacity cowos=0.5,tsmc-n4=0.8
  chokepoint whatif data/ai-supply-chain.yaml --embargo 'us-allies>CN' --fdpr
  chokepoint whatif data/ai-supply-chain.yaml --rank --order 2
      every pair of nodes ranked by the target capacity their removal costs
  chokepoint whatif data/ai-supply-chain.yaml --rank --between us-nl-jp --and CN
      the same for single removals, with the cost to each side's targets)";

const char* kRenderHelp = R"(Draw the graph (or a part of it) with Graphviz, in-process.

The output format follows the extension of -o: .dot .svg .png .pdf, or .graphml / .gexf for
Gephi. Nodes are coloured by severity (rules/default.yaml unless --rules), shaped by kind and
grouped by jurisdiction; supplier edges are labelled with shares.

Examples:
  chokepoint render data/ai-supply-chain.yaml -o graph.svg
  chokepoint render data/ai-supply-chain.yaml -o euv.pdf --focus euv-scanner --depth 2
  chokepoint render data/ai-supply-chain.yaml -o critical.png --min-severity critical --cluster kind
  chokepoint render data/ai-supply-chain.yaml -o tw.svg -s data/scenarios/taiwan-disruption.yaml

No render takes more than about 30 s: dot lays out views up to 4,000 nodes and edges, sfdp
bigger ones (up to 45,000); a view above that, or above --max-nodes (default 2000) nodes, is
drawn as the overview by stage. A note on stderr says when that happens; --focus and
--min-severity narrow the view.)";

const char* kDecoupleHelp =
    R"(Two blocs embargo each other: what each side keeps and what it must substitute.

Examples:
  chokepoint decouple data/ai-supply-chain.yaml --between us-allies --and CN
  chokepoint decouple data/ai-supply-chain.yaml --between us-allies --and china --fdpr --format json)";

const char* kCoalitionsHelp =
    R"(Which jurisdictions must join an export control for it to bite, and how much each one counts.

For each target of the controlled side (--against), every minimal coalition of candidate
jurisdictions whose joint control makes the target lost in that side's view (or below --below),
and each candidate's Banzhaf and Shapley-Shubik power index (exact up to 20 candidates, sampled
beyond). The control covers --items (default every item), with --fdpr/--made-with/--de-minimis,
on top of --scenario (the world to start from, e.g. today's controls).

Examples:
  chokepoint coalitions data/ai-supply-chain.yaml --against CN
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --fdpr --items "kind == 'lithography'"
  chokepoint coalitions data/ai-supply-chain.yaml --against CN -s data/scenarios/controls-2025.yaml
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --candidates US,NL,JP,KR,TW --below 0.5
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --target cn-frontier-training -o c.json)";

const char* kTimelineHelp =
    R"(Capacity month by month under a scenario: stocks drawn down, substitutes arriving, the end.

A node below its baseline draws on its stock_months; in a perspective's view a node the scenario
leaves short and that has substitution_years Y is restored from month 12 Y (--ramp step) or
rises to it by then (--ramp linear); the scenario ends after duration_months (--for). Output:
events and capacity by year (md, html), one row per month (csv), JSON, or the chart (svg, png);
--out-dir writes them all.

Examples:
  chokepoint timeline data/ai-supply-chain.yaml -s data/scenarios/taiwan-12-months.yaml
  chokepoint timeline data/ai-supply-chain.yaml --remove-jurisdiction TW --for 12 -o tw.svg
  chokepoint timeline data/ai-supply-chain.yaml --control 'us-nl-jp>CN' --fdpr --ramp linear \
      --perspective CN --out-dir out/timeline-controls)";

const char* kImportHelp =
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

// A subcommand whose help text's first line is its one-line summary and the rest a footer
// with examples, so that `chokepoint --help` stays short.
CLI::App* add_command(CLI::App& app, const char* name, std::string_view help) {
  auto cut = help.find('\n');
  auto* cmd = app.add_subcommand(name, std::string(help.substr(0, cut)));
  if (cut != std::string_view::npos) cmd->footer(std::string(help.substr(cut + 1)));
  return cmd;
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// Loads the graph (and scenario file) or prints diagnostics and throws InputError.
struct Loaded {
  SourceFiles files;
  Diagnostics diags;
  std::optional<Model> model;
};

// A loaded graph is kept until the process ends: freeing a large model node by node takes a
// tenth of a second per 100,000 nodes and gives nothing back that the exit would not. It stays
// reachable (no leak to report).
struct KeepUntilExit {
  void operator()(Loaded* l) const {
    static auto* kept = new std::vector<Loaded*>;
    kept->push_back(l);
  }
};
using LoadedPtr = std::unique_ptr<Loaded, KeepUntilExit>;

LoadedPtr load_or_fail(const std::string& path) {
  LoadedPtr l(new Loaded);
  l->model = load_graph(path, l->files, l->diags);
  l->diags.print(std::cerr, l->files);
  // A file that cannot be read is an I/O error (exit 3); one with mistakes is invalid input.
  if (!l->model && l->files.size() == 0) throw IoError(fmt::format("cannot read '{}'", path));
  if (!l->model) throw InputError(fmt::format("'{}' is not a valid graph", path));
  return l;
}

// The rule files given, or the shipped default; diagnostics printed, InputError on a bad file.
rules::RuleSet load_rules_or_fail(Loaded& l, std::vector<std::string> paths) {
  if (paths.empty()) paths.push_back(rules::default_rules_path());
  Diagnostics diags;
  auto set = rules::load_rules(paths, l.files, diags);
  diags.print(std::cerr, l.files);
  if (!set) throw InputError("invalid rule file");
  return std::move(*set);
}

// Every file the run read, with its checksum, for the reports' provenance. `rules` are the rule
// files the run used (none for commands without rules).
std::vector<InputFile> inputs_of(const Loaded& l, const std::vector<std::string>& scenarios,
                                 std::vector<std::string> rules) {
  auto inputs = input_files(l.files, l.model->files, scenarios, rules);
  // The shipped rules are named as shipped, not by where this machine keeps them, so that
  // reports do not depend on the install location.
  for (auto& f : inputs)
    if (f.role == "rules" && rules::is_default_rules_path(f.path)) f.path = "rules/default.yaml";
  return inputs;
}

std::vector<std::string> rules_used(const std::vector<std::string>& rule_files) {
  return rule_files.empty() ? std::vector<std::string>{rules::default_rules_path()} : rule_files;
}

Scenario load_scenario_or_fail(Loaded& l, const std::string& path) {
  Diagnostics diags;
  auto s = load_scenario(path, *l.model, l.files, diags);
  diags.print(std::cerr, l.files);
  if (!s) throw InputError(fmt::format("'{}' is not a valid scenario", path));
  return *s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<JurisdictionIndex> codes_or_usage(const Model& model, const std::string& name,
                                              std::string_view flag) {
  if (auto c = resolve_scenario_codes(model, name)) return *c;
  std::vector<std::string_view> names;
  for (const auto& b : model.blocs) names.push_back(b.name);
  for (const auto& j : model.jurisdictions) names.push_back(j.code);
  throw UsageError(fmt::format("unknown jurisdiction or bloc '{}' in {}{}", name, flag,
                               did_you_mean(name, names)));
}

struct ScenarioFlags {
  std::vector<std::string> files;
  std::vector<std::string> remove, remove_jurisdictions, capacity, embargo, control;
  std::string items, made_with;
  bool fdpr = false;
  double de_minimis = 0.0;
  std::optional<double> duration;

  bool any() const {
    return !files.empty() || !remove.empty() || !remove_jurisdictions.empty() ||
           !capacity.empty() || !embargo.empty() || !control.empty();
  }
};

// One flag's value registered as a source "file" named after the flag, so that a mistake in it
// is reported at its column with the value quoted, like a mistake in a scenario file.
struct FlagText {
  std::uint32_t file;
  std::string text;

  FlagText(SourceFiles& files, std::string_view flag, std::string value)
      : file(files.add(std::string(flag), value)), text(std::move(value)) {}
  Written at(std::size_t offset, std::string piece) const {
    return Written{std::move(piece),
                   SourceLocation{file, 1, static_cast<std::uint32_t>(offset + 1)}};
  }
  // The comma-separated items of the value, each with its position.
  std::vector<Written> items(char sep = ',') const { return items_of(0, text.size(), sep); }
  std::vector<Written> items_of(std::size_t from, std::size_t to, char sep = ',') const {
    std::vector<Written> out;
    std::size_t start = from;
    for (std::size_t i = from; i <= to; ++i)
      if (i == to || text[i] == sep) {
        if (i > start) out.push_back(at(start, text.substr(start, i - start)));
        start = i + 1;
      }
    return out;
  }
};

// The scenario file (if any) with the flags applied on top, through the same builder as a file.
std::optional<Scenario> build_scenario(Loaded& l, const ScenarioFlags& f) {
  if (!f.any()) return std::nullopt;
  const Model& model = *l.model;
  Scenario base;
  for (const auto& file : f.files)
    if (auto clash = merge_scenario(base, load_scenario_or_fail(l, file)))
      throw InputError(
          fmt::format("control '{}' is defined twice (again in '{}'); give the "
                      "controls distinct ids",
                      *clash, file));
  Diagnostics diags;
  ScenarioBuilder builder(model, diags);
  builder.scenario() = std::move(base);
  for (const auto& list : f.remove)
    for (const auto& id : FlagText(l.files, "--remove", list).items()) builder.remove(id);
  for (const auto& list : f.remove_jurisdictions)
    for (const auto& code : FlagText(l.files, "--remove-jurisdiction", list).items())
      builder.remove_jurisdiction(code);
  for (const auto& list : f.capacity) {
    FlagText flag(l.files, "--capacity", list);
    for (const auto& item : flag.items()) {
      auto eq = item.text.find('=');
      if (eq == std::string::npos) {
        diags.error(item.where, fmt::format("expected ID=FACTOR, got '{}'", item.text));
        continue;
      }
      std::string number = item.text.substr(eq + 1);
      char* end = nullptr;
      double v = std::strtod(number.c_str(), &end);
      if (number.empty() || *end != '\0' || !(v >= 0 && v <= 1) ||
          number.find_first_of("xXpP") != std::string::npos) {
        Written at = item;
        at.where.col += static_cast<std::uint32_t>(eq + 1);
        diags.error(at.where,
                    fmt::format("a capacity factor must be a number in [0,1], got '{}'", number));
        continue;
      }
      Written id = item;
      id.text = item.text.substr(0, eq);
      builder.capacity(id, v);
    }
  }
  auto add_controls = [&](const std::vector<std::string>& values, std::string_view flag,
                          bool embargo) {
    for (const auto& value : values) {
      FlagText text(l.files, flag, value);
      auto gt = value.find('>');
      if (gt == std::string::npos || gt == 0 || gt + 1 == value.size())
        throw UsageError(
            fmt::format("{} expects 'BY>AGAINST' (e.g. 'us-allies>CN'), got '{}'", flag, value));
      ControlSpec spec;
      spec.where = text.at(0, value).where;
      spec.embargo = embargo && f.items.empty() && f.made_with.empty();
      spec.by = text.items_of(0, gt);
      spec.against = text.items_of(gt + 1, value.size());
      if (!f.items.empty()) spec.items = FlagText(l.files, "--items", f.items).at(0, f.items);
      if (!f.made_with.empty())
        spec.made_with = FlagText(l.files, "--made-with", f.made_with).at(0, f.made_with);
      spec.fdpr = f.fdpr;
      spec.de_minimis = f.de_minimis;
      builder.control(spec);
    }
  };
  add_controls(f.control, "--control", false);
  add_controls(f.embargo, "--embargo", true);
  if (f.duration) builder.scenario().duration_months = *f.duration;
  Scenario& s = builder.scenario();
  if (s.name.empty()) {
    std::vector<std::string> desc;
    for (const auto& r : f.remove) desc.push_back("remove " + r);
    for (const auto& r : f.remove_jurisdictions) desc.push_back("remove jurisdiction " + r);
    for (const auto& c : f.capacity) desc.push_back("capacity " + c);
    std::string tail;
    if (!f.items.empty()) tail += " on items " + f.items;
    if (!f.made_with.empty()) tail += ", FDPR made with " + f.made_with;
    if (f.fdpr) tail += " with FDPR";
    for (const auto& e : f.control) desc.push_back("control " + e + tail);
    for (const auto& e : f.embargo) desc.push_back("embargo " + e + tail);
    std::string name;
    for (const auto& d : desc) name += (name.empty() ? "" : "; ") + d;
    s.name = name;
  }
  auto scenario = builder.finish();
  diags.print(std::cerr, l.files);
  if (!scenario) throw UsageError("the scenario flags are not valid (see above)");
  return scenario;
}

// A one-line progress indicator on stderr, shown only when stderr is a terminal.
Progress terminal_progress() {
  if (!::isatty(STDERR_FILENO)) return nullptr;
  return [last = std::string(), shown = std::size_t(101)](std::string_view stage, std::size_t done,
                                                          std::size_t total) mutable {
    std::size_t pct = total ? done * 100 / total : 100;
    if (stage == last && pct == shown) return;
    last = std::string(stage);
    shown = pct;
    std::cerr << fmt::format("\r\x1b[K{}: {}%", stage, pct) << std::flush;
  };
}

void clear_progress(const Progress& p) {
  if (p) std::cerr << "\r\x1b[K" << std::flush;
}

// Writes to -o PATH atomically, or to stdout.
void emit(const std::string& output, const std::function<void(std::ostream&)>& write) {
  if (output.empty() || output == "-") {
    write(std::cout);
    std::cout.flush();
    return;
  }
  write_atomically(output, write);
}

// The format of a report: --format, else -o's extension, else Markdown; the command must be able
// to write it.
const Format& pick_format(const std::string& flag, const std::string& output, Command command) {
  const Format* f = nullptr;
  if (!flag.empty()) {
    f = find_format(flag);
    if (!f) {
      std::vector<std::string_view> names;
      for (const auto& each : formats()) names.push_back(each.name);
      throw UsageError(fmt::format("unknown --format '{}'{}; use {}", flag,
                                   did_you_mean(flag, names), format_names(command)));
    }
  } else if (!output.empty() && output != "-") {
    f = format_for_path(output);
  }
  if (!f) f = find_format("md");
  if (std::find(f->commands.begin(), f->commands.end(), command) == f->commands.end())
    throw UsageError(fmt::format("--format {} is not available for {}; use {}", f->name,
                                 command_name(command), format_names(command)));
  return *f;
}

std::string extension_of(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  return ext.empty() ? ext : ext.substr(1);
}

int run_validate(const std::vector<std::string>& paths, const std::vector<std::string>& scenarios,
                 bool quiet, bool explain) {
  int status = kExitOk;
  for (const auto& path : paths) {
    SourceFiles files;
    Diagnostics diags;
    auto model = load_graph(path, files, diags);
    if (model) {
      lint(*model, diags, explain);
      for (const auto& s : scenarios)
        if (auto scenario = load_scenario(s, *model, files, diags))
          lint_scenario(*model, *scenario, diags);
    }
    diags.print(std::cerr, files);
    if (!model || diags.error_count() > 0) {
      status = kExitInvalidInput;
      continue;
    }
    if (quiet) continue;
    std::string prefix = paths.size() > 1 ? path + ": " : "";
    std::cout << fmt::format("{}ok: {}, {}, {}, {}\n", prefix, plural(model->nodes.size(), "node"),
                             plural(model->edge_count, "edge"),
                             plural(model->targets.size(), "target"),
                             plural(model->located_jurisdiction_count(), "jurisdiction"));
  }
  return status;
}

void add_scenario_flags(CLI::App* cmd, ScenarioFlags& f, bool all) {
  cmd->add_option("-s,--scenario", f.files,
                  "scenario file (scenarios.md in /usr/share/doc/chokepoint); repeat to "
                  "combine files");
  if (!all) return;
  cmd->add_option("--remove", f.remove, "remove nodes: ID,ID,..");
  cmd->add_option("--remove-jurisdiction", f.remove_jurisdictions,
                  "remove every node located in CODE (or bloc): CODE,..");
  cmd->add_option("--capacity", f.capacity, "capacity factors: ID=F,.. with F in [0,1]");
  cmd->add_option("--control", f.control,
                  "export control 'BY>AGAINST': codes or blocs, then codes, blocs or node ids "
                  "(entities); on every item unless --items");
  cmd->add_option("--items", f.items,
                  "what --control covers, a rule expression over node fields: \"kind == 'chip'\"");
  cmd->add_option("--made-with", f.made_with,
                  "with --fdpr: which controlling-side nodes make a foreign item subject to it");
  cmd->add_flag(
      "--fdpr", f.fdpr,
      "apply the foreign direct product rule to --control/--embargo (and --between/--and)");
  cmd->add_option("--de-minimis", f.de_minimis,
                  "with --fdpr: a foreign item is exempt if it loses at most this fraction")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--embargo", f.embargo, "a control on every item: 'BY>AGAINST'");
  cmd->add_option("--for", f.duration, "months the scenario lasts (timeline); default for ever")
      ->check(CLI::NonNegativeNumber);
}

int run(int argc, char** argv) {
  CLI::App app{kMainHelp, "chokepoint"};
  app.set_version_flag("--version", std::string("chokepoint ") + CHOKEPOINT_VERSION);
  app.require_subcommand(1);

  auto* validate = add_command(app, "validate", kValidateHelp);
  std::vector<std::string> validate_files, validate_scenarios;
  bool quiet = false;
  validate->add_option("FILE", validate_files, "graph files to check")->required();
  validate->add_flag("-q,--quiet", quiet, "print only diagnostics, no summary line");
  bool explain = false;
  validate->add_flag("--explain", explain,
                     "also print notes on how valid but subtle parts of the graph are read");
  validate->add_option("-s,--scenario", validate_scenarios,
                       "scenario files to check against the graph");

  std::string file, format, output;
  auto* analyze_cmd = add_command(app, "analyze", kAnalyzeHelp);
  analyze_cmd->alias("analyse");
  ScenarioFlags analyze_flags;
  int cut_order = 2;
  std::size_t max_cut_sets = 1000;
  std::string cut_kinds, cut_by = "node", fail_on;
  std::vector<std::string> rule_files;
  analyze_cmd->add_option("FILE", file, "graph file")->required();
  add_scenario_flags(analyze_cmd, analyze_flags, true);
  analyze_cmd
      ->add_option("--order,--cut-order", cut_order,
                   "largest cut set size, 1 to 4 (--cut-order: the same, its old name)")
      ->default_val(2)
      ->check(CLI::Range(1, 4));
  analyze_cmd->add_option("--cut-kinds", cut_kinds,
                          "only nodes of these kinds in cut sets: firm,country");
  std::size_t cut_budget = kDefaultCutWork;
  analyze_cmd
      ->add_option("--cut-budget", cut_budget,
                   "evaluations the cut-set search may spend before it stops and says so")
      ->default_val(kDefaultCutWork)
      ->check(CLI::Range(std::size_t{1}, std::numeric_limits<std::size_t>::max()));
  analyze_cmd->add_option("--max-cut-sets", max_cut_sets, "cut sets per target before truncating")
      ->default_val(1000)
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  analyze_cmd
      ->add_option("--cut-by", cut_by,
                   "node or jurisdiction (countries removed, a disruption; for which "
                   "countries a control needs, see coalitions)")
      ->transform(CLI::IsMember({"node", "jurisdiction"}, CLI::ignore_case));
  std::string analyze_between, analyze_and;
  analyze_cmd->add_option("--between", analyze_between,
                          "also decouple this side (code or bloc) ...");
  analyze_cmd->add_option("--and", analyze_and, "... from this one, as `decouple` does")
      ->needs(analyze_cmd->get_option("--between"));
  analyze_cmd->get_option("--between")->needs(analyze_cmd->get_option("--and"));
  analyze_cmd->add_option("--rules", rule_files,
                          "rule file (repeatable); default rules/default.yaml");
  analyze_cmd->add_option("--fail-on", fail_on, "exit 4 if any node reaches this severity")
      ->transform(CLI::IsMember({"info", "low", "medium", "high", "critical"}, CLI::ignore_case));
  std::string out_dir;
  std::size_t max_nodes = 2000;
  analyze_cmd->add_option("--format", format,
                          "md, json, csv, dot, svg, png, pdf or html (default: from -o, else md)");
  analyze_cmd->add_option("-o,--output", output,
                          "write to this file (atomically) instead of stdout");
  analyze_cmd->add_option(
      "--out-dir", out_dir,
      "write report.md, report.json, nodes.csv, edges.csv, graph.dot, graph.svg, report.html");
  std::size_t diagram_nodes = 60;
  analyze_cmd
      ->add_option("--max-nodes,--diagram-nodes", diagram_nodes,
                   "a graph of at most this many nodes is drawn whole in the report; a bigger one "
                   "as an A4 overview by stage (targets and critical nodes, the rest merged)")
      ->default_val(60)
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));

  auto* whatif = add_command(app, "whatif", kWhatifHelp);
  ScenarioFlags whatif_flags;
  bool rank = false;
  int order = 1;
  whatif->add_option("FILE", file, "graph file")->required();
  add_scenario_flags(whatif, whatif_flags, true);
  whatif->add_flag("--rank", rank, "rank every single removal (or pair, --order 2) by impact");
  whatif->add_option("--order", order, "1 or 2, with --rank")
      ->default_val(1)
      ->check(CLI::Range(1, 2));
  std::string rank_between, rank_and;
  whatif->add_option("--between", rank_between,
                     "with --rank: split each removal's impact between this side's targets ...");
  whatif->add_option("--and", rank_and, "... and this side's (codes or bloc names)")
      ->needs(whatif->get_option("--between"));
  whatif->get_option("--between")->needs(whatif->get_option("--and"));
  whatif->add_option("--rules", rule_files, "rule file (repeatable); default rules/default.yaml");
  whatif->add_option("--format", format, "md, json or html (default: from -o, else md)");
  whatif->add_option("-o,--output", output, "write to this file (atomically) instead of stdout");

  auto* render_cmd = add_command(app, "render", kRenderHelp);
  ScenarioFlags render_flags;
  std::string cluster = "jurisdiction", min_severity, layout = "auto", title;
  std::vector<std::string> focus;
  int depth = -1;
  render_cmd->add_option("FILE", file, "graph file")->required();
  render_cmd
      ->add_option("-o,--output", output,
                   "OUT.dot, .svg, .png, .pdf, .graphml or .gexf; - for stdout")
      ->required();
  std::string render_format;
  render_cmd->add_option("--format", render_format,
                         "dot, svg, png, pdf, graphml or gexf (default: from -o)");
  render_cmd
      ->add_option("--focus", focus,
                   "only these nodes and what they depend on (comma-separated or repeated)")
      ->delimiter(',');
  render_cmd->add_option("--title", title,
                         "the diagram's title (default: the graph's title and the scenario)");
  render_cmd->add_option("--depth", depth, "levels upstream of --focus (default: all)")
      ->check(CLI::Range(0, 1'000'000));
  render_cmd->add_option("--cluster", cluster, "jurisdiction, kind or none")
      ->transform(CLI::IsMember({"jurisdiction", "kind", "none"}, CLI::ignore_case));
  add_scenario_flags(render_cmd, render_flags, true);
  render_cmd->add_option("--rules", rule_files,
                         "rule file (repeatable); default rules/default.yaml");
  render_cmd->add_option("--min-severity", min_severity, "hide nodes below this severity")
      ->transform(CLI::IsMember({"info", "low", "medium", "high", "critical"}, CLI::ignore_case));
  render_cmd
      ->add_option("--max-nodes", max_nodes,
                   "a view of at most this many nodes is drawn whole; a bigger one as the "
                   "overview by stage (targets and critical nodes, the rest merged)")
      ->default_val(2000)
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  render_cmd
      ->add_option("--layout", layout,
                   "auto (dot for small views, sfdp for big ones), dot or sfdp; dot above about "
                   "4,000 nodes and edges becomes sfdp, as it would take minutes")
      ->transform(CLI::IsMember({"auto", "dot", "sfdp"}, CLI::ignore_case));

  auto* decouple_cmd = add_command(app, "decouple", kDecoupleHelp);
  std::string side_a, side_b;
  ScenarioFlags decouple_flags;
  decouple_cmd->add_option("FILE", file, "graph file")->required();
  decouple_cmd->add_option("--between", side_a, "one side: a code or bloc name")->required();
  decouple_cmd->add_option("--and", side_b, "the other side: a code or bloc name")->required();
  decouple_cmd
      ->add_option("--order,--cut-order", cut_order,
                   "largest substitution set size, 1 to 4 (--cut-order: its old name)")
      ->default_val(2)
      ->check(CLI::Range(1, 4));
  // The scenario flags as in analyze; --fdpr covers both embargoes and any --control/--embargo.
  add_scenario_flags(decouple_cmd, decouple_flags, true);
  decouple_cmd->add_option("--format", format, "md, json or html (default: from -o, else md)");
  decouple_cmd->add_option("-o,--output", output,
                           "write to this file (atomically) instead of stdout");

  auto* coalitions_cmd = add_command(app, "coalitions", kCoalitionsHelp);
  std::string against, candidates, items, made_with, coalition_target;
  std::vector<std::string> coalition_scenario;
  bool coalition_fdpr = false;
  double de_minimis = 0.0;
  int max_size = 4;
  std::optional<double> below;
  std::vector<std::string> coalition_rules;
  coalitions_cmd->add_option("FILE", file, "graph file")->required();
  coalitions_cmd->add_option("--against", against, "the controlled side: a code or bloc")
      ->required();
  coalitions_cmd->add_option("--items", items, "what the control covers (rule expression)");
  coalitions_cmd->add_flag("--fdpr", coalition_fdpr, "the control applies the FDPR");
  coalitions_cmd->add_option("--made-with", made_with,
                             "with --fdpr: which coalition nodes make a foreign item subject");
  coalitions_cmd->add_option("--de-minimis", de_minimis, "with --fdpr: the tolerated fall")
      ->check(CLI::Range(0.0, 1.0));
  coalitions_cmd->add_option("--candidates", candidates,
                             "jurisdictions that may join: CODE,.. (default: every one upstream)");
  coalitions_cmd
      ->add_option("--order,--max-size", max_size,
                   "largest coalition listed, 1 to 8 (--max-size: its old name)")
      ->default_val(4)
      ->check(CLI::Range(1, 8));
  coalitions_cmd
      ->add_option("--below", below,
                   "a coalition wins when the target falls below this (default: lost)")
      ->check(CLI::Range(0.0, 1.0));
  coalitions_cmd->add_option("--target", coalition_target, "only this target");
  coalitions_cmd->add_option("-s,--scenario", coalition_scenario,
                             "the world to start from (e.g. today's controls); repeatable");
  coalitions_cmd->add_option("--format", format, "md, json or html (default: from -o, else md)");
  coalitions_cmd->add_option("-o,--output", output,
                             "write to this file (atomically) instead of stdout");

  auto* timeline_cmd = add_command(app, "timeline", kTimelineHelp);
  ScenarioFlags timeline_flags;
  int months = 60;
  std::string ramp = "step";
  std::vector<std::string> timeline_perspectives;
  std::string timeline_out_dir;
  timeline_cmd->add_option("FILE", file, "graph file")->required();
  add_scenario_flags(timeline_cmd, timeline_flags, true);
  timeline_cmd->add_option("--months", months, "months to follow (default 60)")
      ->default_val(60)
      ->check(CLI::Range(1, 1200));
  timeline_cmd->add_option("--ramp", ramp, "step or linear: how substitutes arrive")
      ->transform(CLI::IsMember({"step", "linear"}, CLI::ignore_case));
  timeline_cmd->add_option("--perspective", timeline_perspectives,
                           "show this side's view (code or bloc; repeatable); default: the "
                           "scenario's controlled sides");
  timeline_cmd->add_option("--format", format, "md, json, csv, html, svg or png");
  timeline_cmd->add_option("-o,--output", output, "write to this file instead of stdout");
  timeline_cmd->add_option("--out-dir", timeline_out_dir,
                           "write timeline.md, .html, .json, .csv, .svg and .png");

  auto* import_cmd = add_command(app, "import", kImportHelp);
  std::string import_format;
  std::vector<std::string> import_files;
  import_cmd->add_option("FORMAT", import_format, "csv or eto")
      ->required()
      ->transform(CLI::IsMember({"csv", "eto"}, CLI::ignore_case));
  import_cmd->add_option("FILES", import_files, "the tables (or the ETO folder)")->required();
  import_cmd->add_option("-o,--output", output, "the graph YAML to write; - for stdout")
      ->required();
  std::string import_types = "all";
  auto* import_types_opt = import_cmd->add_option(
      "--types", import_types,
      "eto: all (a tool's types are distinct tools, each needed) or any (any one "
      "of them will do)");
  import_types_opt->transform(CLI::IsMember({"all", "any"}, CLI::ignore_case));

  // decouple, coalitions and timeline report no severity: --rules there gets an answer that
  // says so and where severity on two sides is, not "was not expected".
  std::vector<std::string> unused_rules;
  for (auto* cmd : {decouple_cmd, coalitions_cmd, timeline_cmd})
    cmd->add_option("--rules", unused_rules)->group("");

  // --version anywhere on the line (`chokepoint analyze --version`), as users try it.
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--version") {
      std::cout << "chokepoint " << CHOKEPOINT_VERSION << '\n';
      return kExitOk;
    }
  // A misspelt command gets a suggestion instead of "A subcommand is required".
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string_view> names;
    for (const auto* sub : app.get_subcommands({})) {
      names.push_back(sub->get_name());
      for (const auto& alias : sub->get_aliases()) names.push_back(alias);
    }
    if (std::find(names.begin(), names.end(), std::string_view(argv[1])) == names.end())
      throw UsageError(
          fmt::format("unknown command '{}'{}; the commands are validate, analyze, "
                      "whatif, render, decouple, coalitions, timeline and import",
                      argv[1], did_you_mean(argv[1], names)));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    // A misspelt flag: suggest the closest flag of the command it was given to.
    std::string word;
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({}))
      if (sub->parsed()) {
        for (const auto& r : sub->remaining())
          if (word.empty() && r.rfind("-", 0) == 0) word = r;
        for (const auto* opt : sub->get_options())
          for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
      }
    std::vector<std::string_view> views(names.begin(), names.end());
    std::cerr << e.what() << did_you_mean(word, views) << '\n'
              << "Run with --help for more information.\n";
    return kExitUsage;
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (validate->parsed()) return run_validate(validate_files, validate_scenarios, quiet, explain);
  if (render_cmd->parsed()) {
    auto l = load_or_fail(file);
    auto scenario = build_scenario(*l, render_flags);
    auto rule_set = load_rules_or_fail(*l, rule_files);
    AnalysisOptions options;
    options.with_cut_sets = false;
    Analysis a = analyze(*l->model, scenario, options);
    auto scores = rules::score_nodes(rule_set, a);
    DiagramOptions d;
    d.focus = focus;
    d.depth = depth;
    d.title = title;
    d.cluster = cluster == "kind"   ? ClusterBy::kind
                : cluster == "none" ? ClusterBy::none
                                    : ClusterBy::jurisdiction;
    if (!min_severity.empty()) d.min_severity = rules::parse_level(min_severity);
    d.max_nodes = max_nodes;
    d.layout = layout;
    std::string ext = !render_format.empty() ? render_format
                      : output == "-"        ? std::string("svg")  // standard output: SVG
                                             : extension_of(output);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext != "dot" && ext != "svg" && ext != "png" && ext != "pdf" && ext != "graphml" &&
        ext != "gexf")
      throw UsageError(
          fmt::format("cannot tell the format of '{}'; end -o with .dot, .svg, .png, "
                      ".pdf, .graphml or .gexf, or give --format",
                      output));
    DiagramView view = select_view(a, scores, d);
    std::string note;
    emit(output, [&](std::ostream& out) {
      if (ext == "graphml") return write_graphml(out, a, scores, view);
      if (ext == "gexf") return write_gexf(out, a, scores, view);
      if (ext != "dot") {
        out << render_diagram(a, scores, view, d, ext, &note);
      } else if (plan_diagram(*l->model, view, d, &note).empty()) {
        out << stage_overview_dot(a, scores, d.title);
      } else {
        note.clear();  // DOT text has no layout: only the overview is worth a note
        out << to_dot(a, scores, view, d);
      }
    });
    if (!note.empty()) std::cerr << "note: " << note << '\n';
    return kExitOk;
  }

  if (analyze_cmd->parsed()) {
    auto l = load_or_fail(file);
    AnalysisOptions options;
    options.cuts.order = cut_order;
    options.cuts.kinds = split(cut_kinds, ',');
    options.cuts.max_sets = max_cut_sets;
    options.cuts.by_jurisdiction = cut_by == "jurisdiction";
    options.cuts.max_work = cut_budget;
    auto scenario = build_scenario(*l, analyze_flags);
    auto rule_set = load_rules_or_fail(*l, rule_files);
    if (!analyze_between.empty()) {
      codes_or_usage(*l->model, analyze_between, "--between");
      codes_or_usage(*l->model, analyze_and, "--and");
      options.decouple = std::pair{analyze_between, analyze_and};
      options.decouple_fdpr = analyze_flags.fdpr;  // --fdpr covers --embargo and --between/--and
    }
    options.progress = terminal_progress();
    Analysis a = analyze(*l->model, scenario, options);
    clear_progress(options.progress);
    auto scores = rules::score_nodes(rule_set, a);
    if (std::any_of(a.cut_sets.begin(), a.cut_sets.end(),
                    [](const CutSets& c) { return c.budget_hit; }))
      std::cerr << fmt::format(
          "warning: the cut-set search used up its budget of {} evaluations (an equal share per "
          "target); the reports mark the targets whose lists may be incomplete (raise "
          "--cut-budget)\n",
          cut_budget);
    ReportContext context;
    context.command = Command::analyze;
    context.model = &*l->model;
    context.analysis = &a;
    context.scores = &scores;
    context.diagram_nodes = diagram_nodes;
    context.options.rule_files = rule_files;
    context.options.inputs = inputs_of(*l, analyze_flags.files, rules_used(rule_files));
    if (!out_dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(out_dir, ec);
      if (ec) throw IoError(fmt::format("cannot create '{}': {}", out_dir, ec.message()));
      // Every file is drawn before any is written, so a failure leaves the folder as it was.
      std::vector<std::pair<std::string, std::string>> files;
      ReportContext in_set = context;
      in_set.options.diagram = "graph.svg";
      // A graph too big to draw whole also gets a focus diagram per target.
      if (context.by_stage())
        for (auto& d : target_diagrams(a, scores, diagram_nodes / 2)) {
          in_set.options.target_diagrams.emplace_back(d.target, d.file);
          files.emplace_back(d.file, std::move(d.svg));
        }
      for (const auto& f : formats()) {
        if (f.out_dir_file.empty() ||
            (!f.commands.empty() &&
             std::find(f.commands.begin(), f.commands.end(), Command::analyze) == f.commands.end()))
          continue;
        std::ostringstream text;
        f.write(text, in_set);
        if (!text.str().empty()) files.emplace_back(std::string(f.out_dir_file), text.str());
      }
      // Concurrent runs into one folder take turns (a lock on the folder itself), so the set is
      // always one run's.
      int lock = ::open(out_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (lock >= 0) ::flock(lock, LOCK_EX);
      for (const auto& file : files)
        write_atomically((std::filesystem::path(out_dir) / file.first).string(),
                         [&](std::ostream& out) { out << file.second; });
      if (lock >= 0) ::close(lock);
      std::cerr << fmt::format("wrote {} files to {}\n", files.size(), out_dir);
    } else {
      const Format& f = pick_format(format, output, Command::analyze);
      emit(output, [&](std::ostream& out) { f.write(out, context); });
    }
    if (!fail_on.empty()) {
      rules::Level threshold = *rules::parse_level(fail_on);
      std::size_t reached = 0;
      for (const auto& s : scores) reached += s.severity >= threshold;
      if (reached > 0) {
        std::cerr << fmt::format("{} reached --fail-on {}\n", plural(reached, "node"), fail_on);
        return kExitFailOn;
      }
    }
    return kExitOk;
  }
  if (whatif->parsed()) {
    auto l = load_or_fail(file);
    auto scenario = build_scenario(*l, whatif_flags);
    AnalysisOptions options;
    options.with_metrics = false;
    options.with_cut_sets = false;
    if (rank) {
      Analysis a = analyze(*l->model, scenario, options);
      Progress progress = terminal_progress();
      std::optional<RankSides> sides;
      if (!rank_between.empty()) {
        sides =
            RankSides{rank_between, rank_and, codes_or_usage(*l->model, rank_between, "--between"),
                      codes_or_usage(*l->model, rank_and, "--and")};
        std::sort(sides->a.begin(), sides->a.end());
        std::sort(sides->b.begin(), sides->b.end());
      }
      auto ranking = rank_removals(*l->model, a.world_inputs, a.world, order, &progress,
                                   &a.capacity_budget_hit, sides ? &*sides : nullptr);
      clear_progress(progress);
      ReportContext context;
      context.command = Command::rank;
      context.model = &*l->model;
      context.analysis = &a;
      context.ranking = &ranking;
      context.rank_sides = sides ? &*sides : nullptr;
      context.options.inputs = inputs_of(*l, whatif_flags.files, {});
      context.order = order;
      const Format& f = pick_format(format, output, Command::rank);
      emit(output, [&](std::ostream& out) { f.write(out, context); });
      return kExitOk;
    }
    if (!rank_between.empty()) throw UsageError("--between/--and go with --rank");
    if (!scenario)
      throw UsageError(
          "whatif needs a change: --remove, --remove-jurisdiction, --capacity, "
          "--control, --embargo or --scenario (or --rank)");
    auto rule_set = load_rules_or_fail(*l, rule_files);
    options.with_metrics = true;
    Analysis base = analyze(*l->model, std::nullopt, options);
    Analysis a = analyze(*l->model, scenario, options);
    auto base_scores = rules::score_nodes(rule_set, base);
    auto scores = rules::score_nodes(rule_set, a);
    ReportContext context;
    context.command = Command::whatif;
    context.model = &*l->model;
    context.analysis = &a;
    context.scores = &scores;
    context.baseline_scores = &base_scores;
    context.options.inputs = inputs_of(*l, whatif_flags.files, rules_used(rule_files));
    const Format& f = pick_format(format, output, Command::whatif);
    emit(output, [&](std::ostream& out) { f.write(out, context); });
    return kExitOk;
  }
  for (auto* cmd : {decouple_cmd, coalitions_cmd, timeline_cmd})
    if (cmd->parsed() && cmd->count("--rules") > 0)
      throw UsageError(fmt::format(
          "{} reports no severity, so it takes no --rules; for severity with two sides use "
          "'chokepoint analyze FILE --between A --and B --rules RULES'",
          cmd->get_name()));
  if (timeline_cmd->parsed()) {
    auto l = load_or_fail(file);
    auto scenario = build_scenario(*l, timeline_flags);
    if (!scenario)
      throw UsageError(
          "timeline needs a scenario: --scenario, or --remove, --remove-jurisdiction, "
          "--capacity, --control or --embargo (with --for MONTHS for its duration)");
    TimelineOptions options;
    options.months = months;
    options.ramp = ramp == "linear" ? Ramp::linear : Ramp::step;
    options.perspectives = timeline_perspectives;
    auto result = timeline(*l->model, *scenario, options);
    ReportContext context;
    context.command = Command::timeline;
    context.model = &*l->model;
    context.timeline = &result;
    context.base_scenario = &*scenario;
    context.options.inputs = inputs_of(*l, timeline_flags.files, {});
    if (!timeline_out_dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(timeline_out_dir, ec);
      if (ec) throw IoError(fmt::format("cannot create '{}': {}", timeline_out_dir, ec.message()));
      std::vector<std::pair<std::string, std::string>> files;
      std::vector<std::string> failed;  // a chart that cannot be drawn costs only itself
      ReportContext in_set = context;
      in_set.options.diagram = "timeline.svg";
      for (const char* name : {"md", "html", "json", "csv", "svg", "png"}) {
        std::ostringstream text;
        try {
          find_format(name)->write(text, in_set);
        } catch (const IoError& e) {
          failed.push_back(fmt::format("timeline.{}: {}", name, e.what()));
          continue;
        }
        files.emplace_back(std::string("timeline.") + name, text.str());
      }
      for (const auto& file : files)
        write_atomically((std::filesystem::path(timeline_out_dir) / file.first).string(),
                         [&](std::ostream& out) { out << file.second; });
      std::cerr << fmt::format("wrote {} files to {}\n", files.size(), timeline_out_dir);
      for (const auto& f : failed) std::cerr << "error: " << f << '\n';
      return failed.empty() ? kExitOk : kExitIo;
    }
    const Format& f = pick_format(format, output, Command::timeline);
    emit(output, [&](std::ostream& out) { f.write(out, context); });
    return kExitOk;
  }
  if (import_cmd->parsed()) {
    SourceFiles files;
    Diagnostics diags;
    std::optional<Imported> imported;
    if (import_format == "csv") {
      if (import_files.size() != 2)
        throw UsageError(fmt::format("import csv takes two tables, NODES.csv EDGES.csv; got {}",
                                     import_files.size()));
      if (import_types_opt->count() > 0)
        throw UsageError("--types is for the ETO tables (import eto); a CSV pair says its groups");
      imported = import_csv(import_files[0], import_files[1], files, diags);
    } else {
      imported = import_eto(import_files, files, diags,
                            EtoOptions{import_types == "any" ? EtoTypes::any : EtoTypes::all});
    }
    diags.print(std::cerr, files);
    if (!imported) throw InputError("the tables are not a valid graph");
    imported->model = Model();  // only the text is written
    emit(output, [&](std::ostream& out) { out << imported->yaml; });
    if (output != "-") std::cerr << fmt::format("wrote {}\n", output);
    return kExitOk;
  }
  if (coalitions_cmd->parsed()) {
    auto l = load_or_fail(file);
    const Model& model = *l->model;
    codes_or_usage(model, against, "--against");
    ScenarioFlags base_flags;
    base_flags.files = coalition_scenario;
    Scenario base = build_scenario(*l, base_flags).value_or(Scenario{});
    Diagnostics diags;
    ScenarioBuilder builder(model, diags);
    ControlSpec spec;
    spec.against = {Written{against, {}}};
    if (!items.empty()) spec.items = FlagText(l->files, "--items", items).at(0, items);
    if (!made_with.empty())
      spec.made_with = FlagText(l->files, "--made-with", made_with).at(0, made_with);
    spec.fdpr = coalition_fdpr;
    spec.de_minimis = de_minimis;
    auto control = builder.resolve(spec);
    diags.print(std::cerr, l->files);
    if (!control) throw UsageError("the control's flags are not valid (see above)");
    CoalitionOptions options;
    options.control = std::move(*control);
    options.against = against;
    for (const auto& code : split(candidates, ','))
      for (auto j : codes_or_usage(model, code, "--candidates")) options.candidates.push_back(j);
    options.max_size = max_size;
    options.below = below;
    if (!coalition_target.empty()) {
      auto t = model.find(coalition_target);
      if (!t || !model.nodes[*t].target) {
        std::vector<std::string_view> ids;
        for (NodeIndex x : model.targets) ids.push_back(model.nodes[x].id);
        throw UsageError(fmt::format("'{}' is not a target{}", coalition_target,
                                     did_you_mean(coalition_target, ids)));
      }
      options.target = *t;
    }
    options.progress = terminal_progress();
    auto result = coalitions(model, base, options);
    clear_progress(options.progress);
    ReportContext context;
    context.command = Command::coalitions;
    context.model = &model;
    context.coalitions = &result;
    context.base_scenario = &base;
    context.options.inputs = inputs_of(*l, coalition_scenario, {});
    const Format& f = pick_format(format, output, Command::coalitions);
    emit(output, [&](std::ostream& out) { f.write(out, context); });
    return kExitOk;
  }
  if (decouple_cmd->parsed()) {
    auto l = load_or_fail(file);
    codes_or_usage(*l->model, side_a, "--between");
    codes_or_usage(*l->model, side_b, "--and");
    auto scenario = build_scenario(*l, decouple_flags).value_or(Scenario{});
    DecoupleOptions options;
    options.fdpr = decouple_flags.fdpr;
    options.order = cut_order;
    auto result = decouple(*l->model, scenario, side_a, side_b, options);
    ReportContext context;
    context.command = Command::decouple;
    context.model = &*l->model;
    context.decoupling = &result;
    context.base_scenario = &scenario;
    context.options.inputs = inputs_of(*l, decouple_flags.files, {});
    const Format& f = pick_format(format, output, Command::decouple);
    emit(output, [&](std::ostream& out) { f.write(out, context); });
    return kExitOk;
  }
  return kExitUsage;
}

}  // namespace
}  // namespace chokepoint

// A report written to a full disk or a closed pipe must not end with exit 0.
int checked_stdout(int code) {
  std::cout.flush();
  if (!std::cout) {
    int error = errno;
    std::cerr << "error: cannot write to standard output: "
              << (error ? std::strerror(error) : "write failed") << '\n';
    return chokepoint::kExitIo;
  }
  return code;
}

int main(int argc, char** argv) {
  try {
    return checked_stdout(chokepoint::run(argc, argv));
  } catch (const chokepoint::InputError&) {
    return chokepoint::kExitInvalidInput;  // diagnostics were printed where they were found
  } catch (const chokepoint::UsageError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return chokepoint::kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return chokepoint::kExitIo;
  }
}
