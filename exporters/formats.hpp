// The one table of output formats: each format's name, the extensions that select it, the kinds
// of report that can be written in it, its file in a report set (`--out-dir`), and its writer.
// The CLI's --format lists and checks, its help, the shell completion and the report sets read
// this table; a new format is one writer and one row.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporters/graphviz.hpp"
#include "exporters/report/report.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

// What a run reports: one per command, and two for whatif (a scenario, or --rank).
enum class ReportKind {
  analyze,
  whatif,
  rank,
  decouple,
  coalitions,
  timeline,
  uncertainty,
  render
};
// The command that writes it, for messages: "analyze", "whatif --rank".
std::string_view report_kind_name(ReportKind kind);

// Everything a writer may need; what a command did not compute stays null. The overview diagram
// is drawn at most once per run and shared by every format that shows it.
struct ReportContext {
  ReportKind kind = ReportKind::analyze;
  const Model* model = nullptr;
  const Analysis* analysis = nullptr;
  const std::vector<rules::NodeScore>* scores = nullptr;
  const std::vector<rules::NodeScore>* baseline_scores = nullptr;  // whatif
  const std::vector<RankEntry>* ranking = nullptr;                 // rank
  const RankSides* rank_sides = nullptr;                           // rank, optional
  int order = 1;                                                   // rank
  std::size_t ranked = 0;  // rank: removals ranked (more than *ranking holds when it was cut)
  const DecoupleResult* decoupling = nullptr;      // decouple
  const CoalitionResult* coalitions = nullptr;     // coalitions
  const TimelineResult* timeline = nullptr;        // timeline
  const UncertaintyResult* uncertainty = nullptr;  // uncertainty
  const Scenario* base_scenario = nullptr;         // coalitions, timeline, decouple, uncertainty
  const DiagramView* render_view = nullptr;        // render
  const DiagramOptions* render_options = nullptr;  // render
  report::Options options;
  std::size_t diagram_nodes = 60;
  // In a report set, where a chart that cannot be drawn is its own missing file, an HTML report
  // goes without it inline; elsewhere the failure is the report's.
  bool charts_optional = false;
  // What a diagram writer drew instead of what was asked (an overview, another layout), for the
  // command to tell the reader; empty when nothing.
  mutable std::string note;

  // The report's diagram: the whole graph when it has at most diagram_nodes nodes, else the A4
  // overview by stage (stage_overview_dot); view() holds the note on what it shows.
  bool by_stage() const;
  const DiagramView& view() const;
  const std::string& dot() const;
  const std::string& svg() const;

 private:
  mutable std::optional<DiagramView> view_;
  mutable std::optional<std::string> dot_;
  mutable std::optional<std::string> svg_;
};

struct Format {
  std::string_view name;
  std::vector<std::string_view> extensions;  // the first is the one messages suggest
  std::vector<ReportKind> kinds;             // what --format may write in it
  std::string_view set_file;  // its file in analyze's report set; empty: not in the set
                              // (a row without kinds exists only in the set)
  std::function<void(std::ostream&, const ReportContext&)> write;

  bool writes(ReportKind kind) const;
};

const std::vector<Format>& formats();

// The format named `name` (case-insensitive), or null.
const Format* find_format(std::string_view name);
// The format whose extension ends `path` ("report.json" -> json), or null.
const Format* format_for_path(std::string_view path);
// The formats a kind of report can be written in, in table order.
std::vector<const Format*> formats_of(ReportKind kind);
// "md, json or html" for a kind of report: what --help and error messages list.
std::string format_names(ReportKind kind);
// ".dot, .svg or .gexf": the extensions that select the kind's formats (the first of each).
std::string extension_names(ReportKind kind);
// The format a report is written in when neither --format nor the output's extension says:
// Markdown for every report; a diagram (render) is SVG on standard output and has no default
// for a file.
const Format* default_format(ReportKind kind, bool to_stdout);

// One file of a report set and the format it is written in.
struct SetFile {
  std::string name;
  const Format* format;
};
// The files of a kind's report set (--out-dir), in table order: a timeline's every format it has,
// as timeline.NAME; analyze's the formats' own files (report.md, nodes.csv, graph.svg, ...). Empty
// for a kind without a set.
std::vector<SetFile> report_set(ReportKind kind);

// Whether `name` is a file a kind's report set writes (one of report_set(kind), or for analyze a
// target's diagram target-ID.svg): what a later, smaller set removes when it lacks it.
bool in_report_set(ReportKind kind, std::string_view name);

// The docs table of the formats (docs/reports.md): name, extensions, who writes it, set files.
std::string formats_markdown();

}  // namespace chokepoint
