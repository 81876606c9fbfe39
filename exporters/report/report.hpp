// The report model: what a human-readable report says (targets per view, what a scenario denies
// and changes, choke points, cut sets, decoupling, notes, provenance), built once from the
// analyses; Markdown and HTML each render it (exporters/markdown.cpp, exporters/html.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exporters/report/chart_data.hpp"
#include "graph/analysis/analysis.hpp"
#include "graph/analysis/coalitions.hpp"
#include "graph/analysis/compare.hpp"
#include "graph/analysis/decouple.hpp"
#include "graph/analysis/timeline.hpp"
#include "graph/analysis/uncertainty.hpp"
#include "graph/input/provenance.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint::report {

// A run of inline text. `node` links to the node's detail (HTML) and shows its name;
// `status` and `severity` are words a format may colour.
struct Span {
  enum class Kind { text, code, node, status, severity, strong, bar, link } kind = Kind::text;
  std::string text;
  std::string id;      // node: the node id; link: the address
  double value = 0.0;  // bar: its length, 0 to 1 (text is its label)
};
using Inline = std::vector<Span>;

Inline text(std::string s);
// `part` added at the end of `to`.
void append(Inline& to, Inline part);
Inline code(std::string s);

struct Cell {
  Inline content;
  std::optional<double> sort;  // the value a table sorts by, when not the text
};

struct Table {
  std::vector<std::string> columns;
  std::vector<char> numeric;  // per column: right-aligned, sorted as numbers
  std::vector<char> facet;    // per column: HTML offers a filter by its values
  std::vector<std::vector<Cell>> rows;
  std::string empty;        // what the one row says when there are none ("(none)"); empty: no row
  bool searchable = false;  // HTML: a search box filters the rows
};

struct Block {
  enum class Kind { paragraph, note, table, bullets, figure } kind = Kind::paragraph;
  Inline content;             // paragraph, note; figure: caption
  Table table;                // table
  std::vector<Inline> items;  // bullets
  std::string path;           // figure: the image file, relative to the report
  std::string svg;  // figure: the picture, for HTML to inline (empty: the report's diagram)
};

struct Section {
  std::string anchor;  // stable id, e.g. "targets", "denied-CN"
  std::string title;
  std::vector<Block> blocks;
  std::vector<Section> children;
  // A reference section (every node's details): HTML shows it; Markdown, meant to be read as a
  // brief, leaves it to the JSON.
  bool reference = false;
};

struct Document {
  std::string title;
  std::vector<Inline> facts;       // input, scenario and what the report is of
  std::vector<std::string> notes;  // what a reader must know to trust the numbers
  std::vector<Section> sections;
  // The tool and every file read, with the start of its checksum: last, so that a report opens on
  // what it found, not on hashes.
  Inline provenance;
};

struct Options {
  std::size_t top = 20;                // rows of ranked tables
  std::optional<std::string> diagram;  // path of the overview diagram, with its note below
  std::string diagram_note;
  std::vector<std::string> rule_files;  // for provenance
  std::vector<InputFile> inputs;        // every file read, with its checksum (provenance)
  struct TargetDiagramFile {
    NodeIndex target;
    std::string file;
    std::string note;  // what its pruning left out, if anything
  };
  std::vector<TargetDiagramFile> target_diagrams;  // per target
  bool node_details = false;                       // add the reference section of every node (HTML)
  // Bands of the targets (analyze, whatif): each value with its P5–P95, and the numbers that
  // move it most under the targets. Null: no bands (no ranges, or --samples 0).
  const UncertaintyResult* uncertainty = nullptr;
  // The headline month by month (analyze, whatif; headline_path): with only the substitutes the
  // data models. Null: nothing upstream changes with time, or no scenario.
  const TimelineResult* path = nullptr;
  // coalitions --sweep: the answer at each threshold (kSweepThresholds), as a table and a chart.
  const std::vector<CoalitionResult>* coalition_sweep = nullptr;
  // Significant digits of the percentages in summaries and comparison tables (--precision).
  int precision = 2;
};

// The full analysis: targets, denials, changes, decoupling, severity, impact, cut sets.
Document analysis_report(const Analysis& analysis, const std::vector<rules::NodeScore>* scores,
                         const Options& options);
// Baseline against a scenario: targets, denials, changed nodes, severity changes.
Document whatif_report(const Analysis& analysis, const std::vector<rules::NodeScore>* baseline,
                       const std::vector<rules::NodeScore>* scores, const Options& options);
// `ranked`: how many removals were ranked, when more than `ranking` holds (it was cut).
Document rank_report(const Analysis& analysis, const std::vector<RankEntry>& ranking, int order,
                     const Options& options, const RankSides* sides = nullptr,
                     std::size_t ranked = 0);
// `base`: the scenario both sides start from (before their controls on each other), if any.
Document decouple_report(const Model& model, const DecoupleResult& result, const Options& options,
                         const Scenario* base = nullptr);
// Events, capacity by year and the chart of a timeline.
Document timeline_report(const Model& model, const Scenario& scenario, const TimelineResult& result,
                         const Options& options);
// The chart of a timeline: one line per target and view (views other than the world dashed).
LineChart timeline_chart(const Model& model, const Scenario& scenario,
                         const TimelineResult& result);
// Minimal winning coalitions per target and the candidates' power indices, with bars.
Document coalitions_report(const Model& model, const Scenario& base, const CoalitionResult& result,
                           const Options& options);

// `chokepoint uncertainty`: each target's band in each view, what moves it (its tornado) and
// every uncertain number. With options.diagram (the band chart's file), the charts as figures:
// the bands there, the tornado in tornado.svg beside it.
Document uncertainty_report(const Model& model, const Scenario& scenario,
                            const UncertaintyResult& result, const Options& options);
// The chart of the bands: one row per target and view shown (P5–P95, median, point value).
RangeChart band_chart(const Model& model, const Scenario& scenario,
                      const UncertaintyResult& result);
// The tornado chart: per target and view shown with any swing, a heading and its swings (the
// value with each number at its low and at its high, from the point value).
RangeChart tornado_chart(const Model& model, const UncertaintyResult& result);
// The chart of a coalition sweep: per target, the members of its smallest winning coalition at
// each threshold.
RangeChart coalition_sweep_chart(const Model& model, const std::vector<CoalitionResult>& sweep);
// Scenarios side by side: the summary, then per view (the world first) each target's value under
// the baseline and under each scenario, with bands where the comparison has them.
Document compare_report(const Model& model, const Comparison& comparison, const Options& options);

// The file a report set gives the tornado chart, and the sweep chart of coalitions.
constexpr const char* kTornadoChartFile = "tornado.svg";
constexpr const char* kSweepChartFile = "coalitions-sweep.svg";

}  // namespace chokepoint::report
