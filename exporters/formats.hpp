// The one table of output formats: each format's name, the extensions that select it, the
// commands that can write it, its file in the `--out-dir` set, and its writer. The CLI and
// `--out-dir` read this table; a new format is one writer and one row.
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
#include "rules/rule_set.hpp"

namespace chokepoint {

enum class Command { analyze, whatif, rank, decouple, coalitions, timeline };
std::string_view command_name(Command c);

// Everything a writer may need; what a command did not compute stays null. The overview diagram
// is drawn at most once per run and shared by every format that shows it.
struct ReportContext {
  Command command = Command::analyze;
  const Model* model = nullptr;
  const Analysis* analysis = nullptr;
  const std::vector<rules::NodeScore>* scores = nullptr;
  const std::vector<rules::NodeScore>* baseline_scores = nullptr;  // whatif
  const std::vector<RankEntry>* ranking = nullptr;                 // rank
  const RankSides* rank_sides = nullptr;                           // rank, optional
  int order = 1;                                                   // rank
  std::size_t ranked = 0;  // rank: removals ranked (more than *ranking holds when it was cut)
  const DecoupleResult* decoupling = nullptr;   // decouple
  const CoalitionResult* coalitions = nullptr;  // coalitions
  const TimelineResult* timeline = nullptr;     // timeline
  const Scenario* base_scenario = nullptr;      // coalitions, timeline, decouple
  report::Options options;
  std::size_t diagram_nodes = 60;

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
  std::vector<std::string_view> extensions;
  std::vector<Command> commands;
  std::string_view out_dir_file;  // its file in the --out-dir set; empty: not in the set
                                  // (a row without commands exists only in the set)
  std::function<void(std::ostream&, const ReportContext&)> write;
};

const std::vector<Format>& formats();

// The format named `name` (case-insensitive), or null.
const Format* find_format(std::string_view name);
// The format whose extension ends `path` ("report.json" -> json), or null.
const Format* format_for_path(std::string_view path);
// "md, json, csv" for a command: what --help and error messages list.
std::string format_names(Command command);

// Whether `name` is a file the report set of an analysis writes (a format's file, or a target's
// diagram target-ID.svg): what a later, smaller set removes when it lacks it.
bool in_analysis_set(std::string_view name);

}  // namespace chokepoint
