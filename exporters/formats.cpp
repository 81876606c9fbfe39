#include "exporters/formats.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <ostream>
#include <sstream>

#include "exporters/chart.hpp"
#include "exporters/html.hpp"
#include "exporters/json_report.hpp"
#include "exporters/markdown.hpp"
#include "exporters/report/comparison.hpp"
#include "exporters/tables.hpp"

namespace chokepoint {

std::string_view report_kind_name(ReportKind kind) {
  switch (kind) {
    case ReportKind::analyze:
      return "analyze";
    case ReportKind::whatif:
      return "whatif";
    case ReportKind::rank:
      return "whatif --rank";
    case ReportKind::decouple:
      return "decouple";
    case ReportKind::coalitions:
      return "coalitions";
    case ReportKind::timeline:
      return "timeline";
    case ReportKind::uncertainty:
      return "uncertainty";
    case ReportKind::compare:
      return "compare";
    case ReportKind::render:
      return "render";
  }
  return "";
}

bool Format::writes(ReportKind kind) const {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

bool ReportContext::by_stage() const { return model->nodes.size() > diagram_nodes; }

const DiagramView& ReportContext::view() const {
  if (!view_) {
    if (by_stage()) {
      std::size_t targets = 0, critical = 0;
      for (NodeIndex n = 0; n < model->nodes.size(); ++n) {
        targets += model->nodes[n].target;
        critical += !model->nodes[n].target && (*scores)[n].severity == rules::Level::critical;
      }
      view_ = DiagramView{
          {},
          fmt::format("The diagram shows the {} targets and the {} critical nodes of the {} "
                      "nodes, each in the column of its stage; the other nodes are merged into "
                      "one dashed box per stage. chokepoint render --focus ID draws any part in "
                      "full.",
                      targets, critical, model->nodes.size())};
    } else {
      view_ = overview_view(*analysis, *scores, diagram_nodes);
    }
  }
  return *view_;
}

const std::string& ReportContext::dot() const {
  if (!dot_)
    dot_ = by_stage() ? stage_overview_dot(*analysis, *scores)
                      : to_dot(*analysis, *scores, view(), DiagramOptions{});
  return *dot_;
}

const std::string& ReportContext::svg() const {
  if (!svg_) svg_ = render_dot(dot(), "svg");
  return *svg_;
}

namespace {

// The report model of the context's command.
report::Document document(const ReportContext& c) {
  switch (c.kind) {
    case ReportKind::analyze: {
      report::Options o = c.options;
      if (o.diagram) o.diagram_note = c.view().note;
      return report::analysis_report(*c.analysis, c.scores, o);
    }
    case ReportKind::whatif:
      return report::whatif_report(*c.analysis, c.baseline_scores, c.scores, c.options);
    case ReportKind::rank:
      return report::rank_report(*c.analysis, *c.ranking, c.order, c.options, c.rank_sides,
                                 c.ranked);
    case ReportKind::decouple:
      return report::decouple_report(*c.model, *c.decoupling, c.options, c.base_scenario);
    case ReportKind::coalitions:
      return report::coalitions_report(*c.model, *c.base_scenario, *c.coalitions, c.options);
    case ReportKind::timeline:
      return report::timeline_report(*c.model, *c.base_scenario, *c.timeline, c.options);
    case ReportKind::uncertainty:
      return report::uncertainty_report(*c.model, *c.base_scenario, *c.uncertainty, c.options);
    case ReportKind::compare:
      return report::compare_report(*c.model, *c.comparison, c.options);
    case ReportKind::render:
      break;  // diagrams only
  }
  return {};
}

void write_json(std::ostream& out, const ReportContext& c) {
  switch (c.kind) {
    case ReportKind::analyze:
      return write_analysis_json(out, *c.analysis, c.scores, c.options.inputs,
                                 c.options.uncertainty);
    case ReportKind::whatif:
      return write_whatif_json(out, *c.analysis, c.baseline_scores, c.scores, c.options.inputs,
                               c.options.uncertainty);
    case ReportKind::rank:
      return write_rank_json(out, *c.model, *c.analysis, *c.ranking, c.order, c.rank_sides,
                             c.options.inputs, c.ranked);
    case ReportKind::decouple:
      return write_decouple_json(out, *c.model, *c.decoupling, c.options.inputs);
    case ReportKind::coalitions:
      return write_coalitions_json(out, *c.model, *c.base_scenario, *c.coalitions, c.options.inputs,
                                   c.options.coalition_sweep);
    case ReportKind::timeline:
      return write_timeline_json(out, *c.model, *c.base_scenario, *c.timeline, c.options.inputs);
    case ReportKind::uncertainty:
      return write_uncertainty_json(out, *c.model, *c.base_scenario, *c.uncertainty,
                                    c.options.inputs);
    case ReportKind::compare:
      return write_compare_json(out, *c.model, *c.compared, *c.comparison, c.options.inputs);
    case ReportKind::render:
      return;  // diagrams only
  }
}

// A render view: DOT text of the view as asked, or of the overview by stage when the view is too
// big to lay out (DOT text has no layout, so only the overview is worth a note); other formats
// laid out in-process.
void render_view(std::ostream& out, const ReportContext& c, std::string_view format) {
  const DiagramOptions& d = *c.render_options;
  if (format != "dot") {
    out << render_diagram(*c.analysis, *c.scores, *c.render_view, d, format, &c.note);
  } else if (plan_diagram(*c.model, *c.render_view, d, &c.note).empty()) {
    out << stage_overview_dot(*c.analysis, *c.scores, d.title);
  } else {
    c.note.clear();
    out << to_dot(*c.analysis, *c.scores, *c.render_view, d);
  }
}

// A chart drawn for an HTML report: empty when it cannot be drawn and the report may go without.
std::string inline_chart(const ReportContext& c, const std::function<std::string()>& draw) {
  try {
    return draw();
  } catch (const ChartError&) {
    if (!c.charts_optional) throw;
    return {};
  }
}

void diagram(std::ostream& out, const ReportContext& c, std::string_view format) {
  if (c.kind == ReportKind::render) return render_view(out, c, format);
  if (c.kind == ReportKind::timeline) {
    out << draw_line_chart(report::timeline_chart(*c.model, *c.base_scenario, *c.timeline), format);
    return;
  }
  if (c.kind == ReportKind::uncertainty) {
    out << draw_range_chart(report::band_chart(*c.model, *c.base_scenario, *c.uncertainty), format);
    return;
  }
  if (c.kind == ReportKind::compare) {
    out << draw_range_chart(report::compare_chart(*c.model, *c.comparison), format);
    return;
  }
  if (c.kind == ReportKind::coalitions && c.options.coalition_sweep) {
    out << draw_range_chart(report::coalition_sweep_chart(*c.model, *c.options.coalition_sweep),
                            format);
    return;
  }
  if (format == "svg")
    out << c.svg();
  else if (format == "dot")
    out << c.dot();
  else
    out << render_dot(c.dot(), format);
}

// The kinds of report each row serves. Every report has Markdown, JSON and HTML; render writes
// only diagrams and graph files.
const std::vector<ReportKind> kReports = {
    ReportKind::analyze,    ReportKind::whatif,   ReportKind::rank,        ReportKind::decouple,
    ReportKind::coalitions, ReportKind::timeline, ReportKind::uncertainty, ReportKind::compare};
const std::vector<ReportKind> kAnalyze = {ReportKind::analyze};
const std::vector<ReportKind> kRender = {ReportKind::render};
const std::vector<ReportKind> kDiagrams = {ReportKind::analyze, ReportKind::timeline,
                                           ReportKind::uncertainty, ReportKind::compare,
                                           ReportKind::render};
const std::vector<ReportKind> kDrawings = {ReportKind::analyze, ReportKind::render};

// Kinds whose report set is every format they have, as STEM.NAME.
const std::vector<std::pair<ReportKind, std::string_view>> kSetStems = {
    {ReportKind::timeline, "timeline"},
    {ReportKind::uncertainty, "uncertainty"},
    {ReportKind::coalitions, "coalitions"},
    {ReportKind::compare, "compare"}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// The CSV of a report: the table its kind is about (analyze: the nodes).
void write_report_csv(std::ostream& out, const ReportContext& c) {
  if (c.kind == ReportKind::compare)
    write_compare_csv(out, *c.model, *c.comparison);
  else if (c.kind == ReportKind::coalitions)
    write_coalitions_csv(out, *c.model, *c.coalitions);
  else if (c.kind == ReportKind::uncertainty)
    write_uncertainty_csv(out, *c.model, *c.uncertainty);
  else if (c.kind == ReportKind::timeline)
    write_timeline_csv(out, *c.model, *c.timeline);
  else
    write_nodes_csv(out, *c.analysis, *c.scores);
}

// The report's own chart (timeline, compare, sweep, bands) as inline SVG.
std::string report_chart(const ReportContext& c) {
  return inline_chart(c, [&] {
    std::ostringstream svg;
    diagram(svg, c, "svg");
    return svg.str();
  });
}

// The HTML report: analyze with its diagram and node details; a report whose diagram is its
// chart with the chart inline (uncertainty with its tornado too).
void write_html_report(std::ostream& out, const ReportContext& c) {
  bool with_diagram = c.kind == ReportKind::analyze && c.scores;
  ReportContext detailed = c;
  detailed.options.node_details = c.kind == ReportKind::analyze;
  if (with_diagram) detailed.options.diagram = "graph.svg";
  // Reports whose diagram is their chart: inline.
  const char* chart_file = c.kind == ReportKind::timeline  ? "timeline.svg"
                           : c.kind == ReportKind::compare ? "compare.svg"
                           : c.kind == ReportKind::coalitions && c.options.coalition_sweep
                               ? report::kSweepChartFile
                               : nullptr;
  if (chart_file) {
    detailed.options.diagram = chart_file;
    return write_html(out, document(detailed), report_chart(c));
  }
  if (c.kind == ReportKind::uncertainty) {
    // Both charts inline: the bands as the report's diagram, the tornado in its figure.
    detailed.options.diagram = "uncertainty.svg";
    std::string chart = report_chart(c);
    report::Document doc = document(detailed);
    std::string tornado = inline_chart(c, [&] {
      return draw_range_chart(report::tornado_chart(*c.model, *c.uncertainty), "svg");
    });
    for (auto& s : doc.sections)
      for (auto& b : s.blocks)
        if (b.kind == report::Block::Kind::figure && b.path == report::kTornadoChartFile)
          b.svg = tornado;
    return write_html(out, doc, chart);
  }
  write_html(out, document(detailed), with_diagram ? c.svg() : std::string());
}

}  // namespace

const std::vector<Format>& formats() {
  static const std::vector<Format> kFormats = {
      {"md",
       {"md", "markdown"},
       kReports,
       "report.md",
       [](std::ostream& out, const ReportContext& c) { write_markdown(out, document(c)); }},
      {"json", {"json"}, kReports, "report.json", write_json},
      {"csv",
       {"csv"},
       {ReportKind::analyze, ReportKind::coalitions, ReportKind::timeline, ReportKind::uncertainty,
        ReportKind::compare},
       "nodes.csv",
       write_report_csv},
      // Every edge, for tools that import a node and an edge table (Kumu, Gephi, spreadsheets);
      // chosen by name (--format edges-csv), since .csv means the node table.
      {"edges-csv",
       {},
       kAnalyze,
       "edges.csv",
       [](std::ostream& out, const ReportContext& c) { write_edges_csv(out, *c.model); }},
      // Only in the --out-dir set, and only when two sides were given: what each side can
      // withhold from the other, and what each node's loss for everyone costs each side.
      {"leverage-csv",
       {},
       {},
       "leverage.csv",
       [](std::ostream& out, const ReportContext& c) {
         if (c.analysis && c.analysis->withholding)
           write_withholding_csv(out, *c.model, *c.analysis->withholding);
       }},
      {"disruption-csv",
       {},
       {},
       "disruption.csv",
       [](std::ostream& out, const ReportContext& c) {
         if (c.analysis && c.analysis->leverage)
           write_disruption_csv(out, *c.model, *c.analysis->leverage);
       }},
      {"dot",
       {"dot", "gv"},
       kDrawings,
       "graph.dot",
       [](std::ostream& out, const ReportContext& c) { diagram(out, c, "dot"); }},
      {"svg",
       {"svg"},
       kDiagrams,
       "graph.svg",
       [](std::ostream& out, const ReportContext& c) { diagram(out, c, "svg"); }},
      {"png",
       {"png"},
       kDiagrams,
       "",
       [](std::ostream& out, const ReportContext& c) { diagram(out, c, "png"); }},
      {"pdf",
       {"pdf"},
       kDrawings,
       "",
       [](std::ostream& out, const ReportContext& c) { diagram(out, c, "pdf"); }},
      {"html", {"html", "htm"}, kReports, "report.html", write_html_report},
      // Graph files for Gephi and yEd, of a render view.
      {"graphml",
       {"graphml"},
       kRender,
       "",
       [](std::ostream& out, const ReportContext& c) {
         write_graphml(out, *c.analysis, *c.scores, *c.render_view);
       }},
      {"gexf",
       {"gexf"},
       kRender,
       "",
       [](std::ostream& out, const ReportContext& c) {
         write_gexf(out, *c.analysis, *c.scores, *c.render_view);
       }},
  };
  return kFormats;
}

const Format* find_format(std::string_view name) {
  std::string n = lower(name);
  for (const auto& f : formats())
    if (f.name == n) return &f;
  return nullptr;
}

const Format* format_for_path(std::string_view path) {
  auto dot = path.rfind('.');
  auto slash = path.find_last_of('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
    return nullptr;
  std::string ext = lower(path.substr(dot + 1));
  for (const auto& f : formats())
    if (std::find(f.extensions.begin(), f.extensions.end(), ext) != f.extensions.end()) return &f;
  return nullptr;
}

std::vector<const Format*> formats_of(ReportKind kind) {
  std::vector<const Format*> out;
  for (const auto& f : formats())
    if (f.writes(kind)) out.push_back(&f);
  return out;
}

namespace {

// "a, b or c".
std::string one_of(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace

std::string format_names(ReportKind kind) {
  std::vector<std::string> names;
  for (const Format* f : formats_of(kind)) names.emplace_back(f->name);
  return one_of(names);
}

std::string extension_names(ReportKind kind) {
  std::vector<std::string> names;
  for (const Format* f : formats_of(kind))
    if (!f->extensions.empty()) names.push_back(fmt::format(".{}", f->extensions.front()));
  return one_of(names);
}

const Format* default_format(ReportKind kind, bool to_stdout) {
  if (kind != ReportKind::render) return find_format("md");
  return to_stdout ? find_format("svg") : nullptr;
}

std::vector<SetFile> report_set(ReportKind kind) {
  std::vector<SetFile> out;
  for (const auto& [stemmed, stem] : kSetStems)
    if (stemmed == kind) {
      for (const Format* f : formats_of(kind))
        out.push_back({fmt::format("{}.{}", stem, f->name), f});
      return out;
    }
  if (kind != ReportKind::analyze) return out;
  for (const auto& f : formats())
    if (!f.set_file.empty() && (f.kinds.empty() || f.writes(kind)))
      out.push_back({std::string(f.set_file), &f});
  return out;
}

bool in_report_set(ReportKind kind, std::string_view name) {
  if (kind == ReportKind::analyze && name.size() > 11 && name.substr(0, 7) == "target-" &&
      name.substr(name.size() - 4) == ".svg")
    return true;
  for (const auto& file : report_set(kind))
    if (file.name == name) return true;
  return false;
}

std::string formats_markdown() {
  const std::vector<ReportKind> kinds = {
      ReportKind::analyze,     ReportKind::whatif,     ReportKind::rank,
      ReportKind::decouple,    ReportKind::coalitions, ReportKind::timeline,
      ReportKind::uncertainty, ReportKind::compare,    ReportKind::render};
  std::string out =
      "| `--format` | `-o` extensions | written by | in a report set (`--out-dir`) |\n"
      "|---|---|---|---|\n";
  for (const auto& f : formats()) {
    std::vector<std::string> exts, by, files;
    for (auto e : f.extensions) exts.push_back(fmt::format("`.{}`", e));
    for (auto kind : kinds) {
      if (f.writes(kind)) by.emplace_back(report_kind_name(kind));
      for (const auto& file : report_set(kind))
        if (file.format == &f) files.push_back(fmt::format("`{}`", file.name));
    }
    out += fmt::format("| `{}` | {} | {} | {} |\n", f.name,
                       exts.empty() ? "–" : fmt::format("{}", fmt::join(exts, ", ")),
                       by.empty() ? "–" : fmt::format("{}", fmt::join(by, ", ")),
                       files.empty() ? "–" : fmt::format("{}", fmt::join(files, ", ")));
  }
  return out;
}

}  // namespace chokepoint
