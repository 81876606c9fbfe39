#include "exporters/formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ostream>
#include <sstream>

#include "exporters/chart.hpp"
#include "exporters/html.hpp"
#include "exporters/json_report.hpp"
#include "exporters/markdown.hpp"
#include "exporters/tables.hpp"

namespace chokepoint {

std::string_view command_name(Command c) {
  switch (c) {
    case Command::analyze:
      return "analyze";
    case Command::whatif:
      return "whatif";
    case Command::rank:
      return "whatif --rank";
    case Command::decouple:
      return "decouple";
    case Command::coalitions:
      return "coalitions";
    case Command::timeline:
      return "timeline";
  }
  return "";
}

bool ReportContext::by_stage() const { return model->nodes.size() > diagram_nodes; }

const DiagramView& ReportContext::view() const {
  if (!view_) {
    if (by_stage()) {
      std::size_t drawn = 0;
      for (NodeIndex n = 0; n < model->nodes.size(); ++n)
        drawn += model->nodes[n].target || (*scores)[n].severity == rules::Level::critical;
      view_ = DiagramView{
          {},
          fmt::format("The diagram shows all {} targets and critical nodes of {}, each in the "
                      "column of its stage; the other nodes are merged into one dashed box per "
                      "stage. chokepoint render --focus ID draws any part in full.",
                      drawn, model->nodes.size())};
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
  switch (c.command) {
    case Command::analyze: {
      report::Options o = c.options;
      if (o.diagram) o.diagram_note = c.view().note;
      return report::analysis_report(*c.analysis, c.scores, o);
    }
    case Command::whatif:
      return report::whatif_report(*c.analysis, c.baseline_scores, c.scores, c.options);
    case Command::rank:
      return report::rank_report(*c.analysis, *c.ranking, c.order, c.options, c.rank_sides,
                                 c.ranked);
    case Command::decouple:
      return report::decouple_report(*c.model, *c.decoupling, c.options, c.base_scenario);
    case Command::coalitions:
      return report::coalitions_report(*c.model, *c.base_scenario, *c.coalitions, c.options);
    case Command::timeline:
      return report::timeline_report(*c.model, *c.base_scenario, *c.timeline, c.options);
  }
  return {};
}

void write_json(std::ostream& out, const ReportContext& c) {
  switch (c.command) {
    case Command::analyze:
      return write_analysis_json(out, *c.analysis, c.scores, c.options.inputs);
    case Command::whatif:
      return write_whatif_json(out, *c.analysis, c.baseline_scores, c.scores, c.options.inputs);
    case Command::rank:
      return write_rank_json(out, *c.model, *c.analysis, *c.ranking, c.order, c.rank_sides,
                             c.options.inputs, c.ranked);
    case Command::decouple:
      return write_decouple_json(out, *c.model, *c.decoupling, c.options.inputs);
    case Command::coalitions:
      return write_coalitions_json(out, *c.model, *c.base_scenario, *c.coalitions,
                                   c.options.inputs);
    case Command::timeline:
      return write_timeline_json(out, *c.model, *c.base_scenario, *c.timeline, c.options.inputs);
  }
}

void diagram(std::ostream& out, const ReportContext& c, std::string_view format) {
  if (c.command == Command::timeline) {
    out << draw_line_chart(report::timeline_chart(*c.model, *c.base_scenario, *c.timeline), format);
    return;
  }
  if (format == "svg")
    out << c.svg();
  else if (format == "dot")
    out << c.dot();
  else
    out << render_dot(c.dot(), format);
}

const std::vector<Command> kAll = {Command::analyze,  Command::whatif,     Command::rank,
                                   Command::decouple, Command::coalitions, Command::timeline};
const std::vector<Command> kAnalyze = {Command::analyze};
const std::vector<Command> kDiagrams = {Command::analyze, Command::timeline};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

const std::vector<Format>& formats() {
  static const std::vector<Format> kFormats = {
      {"md",
       {"md", "markdown"},
       kAll,
       "report.md",
       [](std::ostream& out, const ReportContext& c) { write_markdown(out, document(c)); }},
      {"json", {"json"}, kAll, "report.json", write_json},
      {"csv",
       {"csv"},
       {Command::analyze, Command::coalitions, Command::timeline},
       "nodes.csv",
       [](std::ostream& out, const ReportContext& c) {
         if (c.command == Command::coalitions)
           write_coalitions_csv(out, *c.model, *c.coalitions);
         else if (c.command == Command::timeline)
           write_timeline_csv(out, *c.model, *c.timeline);
         else
           write_nodes_csv(out, *c.analysis, *c.scores);
       }},
      // Every edge, for tools that import a node and an edge table (Kumu, Gephi, spreadsheets);
      // chosen by name (--format edges-csv), since .csv means the node table.
      {"edges-csv",
       {},
       kAnalyze,
       "edges.csv",
       [](std::ostream& out, const ReportContext& c) { write_edges_csv(out, *c.model); }},
      // Only in the --out-dir set, and only when two sides were given.
      {"leverage-csv",
       {},
       {},
       "leverage.csv",
       [](std::ostream& out, const ReportContext& c) {
         if (c.analysis && c.analysis->leverage)
           write_leverage_csv(out, *c.model, *c.analysis->leverage);
       }},
      {"dot",
       {"dot", "gv"},
       kAnalyze,
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
       kAnalyze,
       "",
       [](std::ostream& out, const ReportContext& c) { diagram(out, c, "pdf"); }},
      {"html",
       {"html", "htm"},
       kAll,
       "report.html",
       [](std::ostream& out, const ReportContext& c) {
         bool diagram = c.command == Command::analyze && c.scores;
         ReportContext detailed = c;
         detailed.options.node_details = c.command == Command::analyze;
         if (diagram) detailed.options.diagram = "graph.svg";
         if (c.command == Command::timeline) {
           detailed.options.diagram = "timeline.svg";
           std::ostringstream chart;
           ::chokepoint::diagram(chart, c, "svg");
           return write_html(out, document(detailed), chart.str());
         }
         write_html(out, document(detailed), diagram ? c.svg() : std::string());
       }},
  };
  return kFormats;
}

bool in_analysis_set(std::string_view name) {
  if (name.size() > 11 && name.substr(0, 7) == "target-" && name.substr(name.size() - 4) == ".svg")
    return true;
  for (const auto& f : formats())
    if (!f.out_dir_file.empty() && f.out_dir_file == name) return true;
  return false;
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

std::string format_names(Command command) {
  std::vector<std::string_view> names;
  for (const auto& f : formats())
    if (std::find(f.commands.begin(), f.commands.end(), command) != f.commands.end())
      names.push_back(f.name);
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
  return out;
}

}  // namespace chokepoint
