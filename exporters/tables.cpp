#include "exporters/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "exporters/json_report.hpp"
#include "exporters/markdown_report.hpp"

namespace chokepoint {

std::string csv_field(std::string_view text) {
  std::string value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r'))
    value = "'";
  value += text;
  bool quote = value.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // XML 1.0 allows no control characters other than tab and line breaks (nor DEL here).
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
            c == 0x7f)
          break;
        out += c;
    }
  }
  return out;
}

namespace {

std::string number_text(double v) { return fmt::format("{}", report_number(v)); }

template <typename T, typename F>
std::string optional_text(const std::optional<T>& v, F f) {
  return v ? f(*v) : std::string();
}

std::string fired_text(const rules::NodeScore& s) {
  std::string out;
  for (const auto& f : s.fired) out += (out.empty() ? "" : " | ") + f.message;
  return out;
}

}  // namespace

void write_nodes_csv(std::ostream& out, const Analysis& a,
                     const std::vector<rules::NodeScore>& scores) {
  const Model& model = *a.model;
  out << "\xEF\xBB\xBF";
  const char* header[] = {"id",
                          "name",
                          "kind",
                          "jurisdiction",
                          "capacity",
                          "status",
                          "severity",
                          "score",
                          "reach",
                          "impact",
                          "spof",
                          "suppliers",
                          "top_supplier",
                          "top_share",
                          "hhi",
                          "top_jurisdiction",
                          "top_jurisdiction_share",
                          "jurisdiction_hhi",
                          "betweenness",
                          "articulation",
                          "depth",
                          "rules"};
  for (std::size_t i = 0; i < std::size(header); ++i) out << (i ? "," : "") << header[i];
  out << "\r\n";
  for (NodeIndex n : model.by_id()) {
    const Node& node = model.nodes[n];
    std::vector<std::string> row = {node.id,
                                    node.name,
                                    node.kind,
                                    std::string(model.jurisdiction_code(node.jurisdiction)),
                                    number_text(a.world[n]),
                                    std::string(status_name(status_of(a.world[n], a.baseline[n]))),
                                    std::string(rules::level_name(scores[n].severity)),
                                    number_text(scores[n].score)};
    if (!a.metrics.nodes.empty()) {
      const NodeMetrics& m = a.metrics.nodes[n];
      std::string spof;
      for (NodeIndex t : m.spof) spof += (spof.empty() ? "" : " ") + model.nodes[t].id;
      row.insert(row.end(),
                 {std::to_string(m.reach), number_text(m.impact), spof, std::to_string(m.suppliers),
                  optional_text(m.top_supplier, [&](NodeIndex s) { return model.nodes[s].id; }),
                  optional_text(m.top_share, number_text), optional_text(m.hhi, number_text),
                  optional_text(m.top_jurisdiction, [](const std::string& s) { return s; }),
                  optional_text(m.top_jurisdiction_share, number_text),
                  optional_text(m.jurisdiction_hhi, number_text), number_text(m.betweenness),
                  m.articulation ? "true" : "false", std::to_string(m.depth)});
    } else {
      row.resize(row.size() + 13);
    }
    row.push_back(fired_text(scores[n]));
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csv_field(row[i]);
    out << "\r\n";
  }
}

void write_graphml(std::ostream& out, const Analysis& a,
                   const std::vector<rules::NodeScore>& scores, const DiagramView& view) {
  const Model& model = *a.model;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
         "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
         "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
         "  <key id=\"jurisdiction\" for=\"node\" attr.name=\"jurisdiction\" "
         "attr.type=\"string\"/>\n"
         "  <key id=\"severity\" for=\"node\" attr.name=\"severity\" attr.type=\"string\"/>\n"
         "  <key id=\"score\" for=\"node\" attr.name=\"score\" attr.type=\"double\"/>\n"
         "  <key id=\"capacity\" for=\"node\" attr.name=\"capacity\" attr.type=\"double\"/>\n"
         "  <key id=\"role\" for=\"edge\" attr.name=\"role\" attr.type=\"string\"/>\n"
         "  <key id=\"share\" for=\"edge\" attr.name=\"share\" attr.type=\"double\"/>\n"
         "  <graph id=\"chokepoint\" edgedefault=\"directed\">\n";
  for (NodeIndex n : view.nodes) {
    const Node& node = model.nodes[n];
    out << fmt::format(
        "    <node id=\"{}\">\n      <data key=\"name\">{}</data>\n      <data "
        "key=\"kind\">{}</data>\n"
        "      <data key=\"jurisdiction\">{}</data>\n      <data key=\"severity\">{}</data>\n"
        "      <data key=\"score\">{}</data>\n      <data key=\"capacity\">{}</data>\n    "
        "</node>\n",
        xml_escape(node.id), xml_escape(node.name), xml_escape(node.kind),
        xml_escape(model.jurisdiction_code(node.jurisdiction)),
        rules::level_name(scores[n].severity), number_text(scores[n].score),
        number_text(a.world[n]));
  }
  std::size_t e = 0;
  for_each_view_edge(model, view, [&](NodeIndex from, NodeIndex to, const Group& g, double w) {
    out << fmt::format(
        "    <edge id=\"e{}\" source=\"{}\" target=\"{}\">\n      <data key=\"role\">{}</data>\n"
        "      <data key=\"share\">{}</data>\n    </edge>\n",
        e++, xml_escape(model.nodes[from].id), xml_escape(model.nodes[to].id), role_name(g.role),
        number_text(w));
  });
  out << "  </graph>\n</graphml>\n";
}

void write_gexf(std::ostream& out, const Analysis& a, const std::vector<rules::NodeScore>& scores,
                const DiagramView& view) {
  const Model& model = *a.model;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
         "  <graph defaultedgetype=\"directed\">\n"
         "    <attributes class=\"node\">\n"
         "      <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n"
         "      <attribute id=\"jurisdiction\" title=\"jurisdiction\" type=\"string\"/>\n"
         "      <attribute id=\"severity\" title=\"severity\" type=\"string\"/>\n"
         "      <attribute id=\"score\" title=\"score\" type=\"double\"/>\n"
         "      <attribute id=\"capacity\" title=\"capacity\" type=\"double\"/>\n"
         "    </attributes>\n"
         "    <attributes class=\"edge\">\n"
         "      <attribute id=\"role\" title=\"role\" type=\"string\"/>\n"
         "    </attributes>\n"
         "    <nodes>\n";
  for (NodeIndex n : view.nodes) {
    const Node& node = model.nodes[n];
    out << fmt::format(
        "      <node id=\"{}\" label=\"{}\">\n        <attvalues>\n"
        "          <attvalue for=\"kind\" value=\"{}\"/>\n"
        "          <attvalue for=\"jurisdiction\" value=\"{}\"/>\n"
        "          <attvalue for=\"severity\" value=\"{}\"/>\n"
        "          <attvalue for=\"score\" value=\"{}\"/>\n"
        "          <attvalue for=\"capacity\" value=\"{}\"/>\n        </attvalues>\n      "
        "</node>\n",
        xml_escape(node.id), xml_escape(node.name), xml_escape(node.kind),
        xml_escape(model.jurisdiction_code(node.jurisdiction)),
        rules::level_name(scores[n].severity), number_text(scores[n].score),
        number_text(a.world[n]));
  }
  out << "    </nodes>\n    <edges>\n";
  std::size_t e = 0;
  for_each_view_edge(model, view, [&](NodeIndex from, NodeIndex to, const Group& g, double w) {
    out << fmt::format(
        "      <edge id=\"{}\" source=\"{}\" target=\"{}\" weight=\"{}\">\n        <attvalues>\n"
        "          <attvalue for=\"role\" value=\"{}\"/>\n        </attvalues>\n      </edge>\n",
        e++, xml_escape(model.nodes[from].id), xml_escape(model.nodes[to].id), number_text(w),
        role_name(g.role));
  });
  out << "    </edges>\n  </graph>\n</gexf>\n";
}

namespace {

const char* kCss =
    R"(body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:1200px;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:0.6em 0;font-size:0.9em}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f3f3f3;cursor:pointer;user-select:none}th.sorted-asc::after{content:" ▲"}th.sorted-desc::after{content:" ▼"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{padding:1px 6px;border-radius:3px;font-weight:bold}
.critical{background:#b2182b;color:#fff}.high{background:#ef8a62}.medium{background:#fddbc7}.low{background:#d1e5f0}.info{background:#f7f7f7}
.lost{color:#b2182b;font-weight:bold}.degraded{color:#b35806}
.diagram{overflow:auto;border:1px solid #ddd;padding:4px}.diagram svg{max-width:100%;height:auto}
.note{color:#555;font-size:0.9em}code{font-size:0.95em}td ul{margin:0;padding-left:1.2em})";

// Sorts a table by the clicked column; numeric when every cell parses as a number.
const char* kScript = R"(document.querySelectorAll('table.sortable').forEach(function(t){
t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
var b=t.tBodies[0],rows=Array.from(b.rows),asc=!th.classList.contains('sorted-asc');
t.querySelectorAll('th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc')});
th.classList.add(asc?'sorted-asc':'sorted-desc');
var num=rows.every(function(r){var v=r.cells[i].dataset.v||r.cells[i].textContent;return v===''||!isNaN(parseFloat(v))});
rows.sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent;
var r=num?(parseFloat(a||'-1e300')-parseFloat(c||'-1e300')):a.localeCompare(c);return asc?r:-r});
rows.forEach(function(r){b.appendChild(r)})})})});)";

std::string sev(rules::Level l) {
  return fmt::format("<span class=\"sev {0}\">{0}</span>", rules::level_name(l));
}

std::string status_cell(Status s) {
  return fmt::format("<span class=\"{0}\">{0}</span>", status_name(s));
}

}  // namespace

void write_html_report(std::ostream& out, const Analysis& a,
                       const std::vector<rules::NodeScore>& scores, const std::string& svg,
                       const std::string& diagram_note) {
  const Model& model = *a.model;
  std::string title = "chokepoint report";
  for (const auto& [k, v] : model.meta)
    if (k == "title") title = v;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>" << xml_escape(title) << "</title>\n<style>\n"
      << kCss << "\n</style>\n</head>\n<body>\n";
  out << "<h1>" << xml_escape(title) << "</h1>\n<p>"
      << xml_escape(model.files.empty() ? "" : model.files[0]) << ": " << model.nodes.size()
      << " nodes, " << model.edge_count << " edges, " << model.targets.size()
      << " targets. Scenario: "
      << (a.has_scenario ? xml_escape(a.scenario.name.empty() ? "(unnamed)" : a.scenario.name)
                         : std::string("none (baseline)"))
      << ".</p>\n";
  for (const auto& [k, v] : model.meta)
    if (k != "title")
      out << "<p class=\"note\">" << xml_escape(k) << ": " << xml_escape(v) << "</p>\n";

  out << "<h2>Targets</h2>\n<table "
         "class=\"sortable\"><thead><tr><th>target</th><th>capacity</th><th>status</th>";
  std::vector<std::string> perspectives;
  if (!a.targets.empty())
    for (const auto& v : a.targets[0].views) perspectives.push_back(v.perspective);
  for (const auto& p : perspectives) out << "<th>view " << xml_escape(p) << "</th>";
  out << "</tr></thead><tbody>\n";
  for (const auto& t : a.targets) {
    out << "<tr><td>" << xml_escape(model.nodes[t.node].name) << " <code>"
        << xml_escape(model.nodes[t.node].id) << "</code></td><td class=\"num\">"
        << short_number(t.capacity) << "</td><td>" << status_cell(t.status) << "</td>";
    for (const auto& v : t.views)
      out << "<td data-v=\"" << short_number(v.capacity) << "\">" << short_number(v.capacity) << " "
          << status_cell(v.status) << "</td>";
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";

  if (a.has_scenario && !a.scenario.empty()) {
    out << "<h2>What the scenario changes</h2>\n<table class=\"sortable\"><thead><tr><th>node</th>"
           "<th>kind</th><th>baseline</th><th>scenario</th><th>status</th></tr></thead><tbody>\n";
    for (NodeIndex n : model.by_id()) {
      if (!changed_by_scenario(a, n)) continue;
      Status s = status_of(a.world[n], a.baseline[n]);
      out << "<tr><td>" << xml_escape(model.nodes[n].name) << " <code>"
          << xml_escape(model.nodes[n].id) << "</code></td><td>" << xml_escape(model.nodes[n].kind)
          << "</td><td class=\"num\">" << short_number(a.baseline[n]) << "</td><td class=\"num\">"
          << short_number(a.world[n]) << "</td><td>" << status_cell(s) << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
  }
  if (a.decoupling) {
    const DecoupleResult& r = *a.decoupling;
    out << "<h2>Decoupling " << xml_escape(r.a.name) << " / " << xml_escape(r.b.name)
        << (r.fdpr ? " (with FDPR)" : "") << "</h2>\n";
    for (const DecoupleSide* side : {&r.a, &r.b}) {
      out << "<h3>" << xml_escape(side->name) << "</h3>\n";
      if (side->targets.empty()) {
        out << "<p>No target is located in this side.</p>\n";
        continue;
      }
      out << "<table><thead><tr><th>target</th><th>capacity</th><th>status</th><th>years to "
             "substitute</th><th>substitution sets</th></tr></thead><tbody>\n";
      for (const auto& t : side->targets) {
        out << "<tr><td>" << xml_escape(model.nodes[t.target].name) << "</td><td class=\"num\">"
            << short_number(t.capacity) << "</td><td>" << status_cell(t.status)
            << "</td><td class=\"num\">"
            << (t.years_to_substitute ? short_number(*t.years_to_substitute) : "–") << "</td><td>";
        for (std::size_t i = 0; i < t.sets.size(); ++i) {
          out << (i ? "; " : "");
          for (std::size_t k = 0; k < t.sets[i].size(); ++k)
            out << (k ? " + " : "") << "<code>" << xml_escape(model.nodes[t.sets[i][k]].id)
                << "</code>";
        }
        out << "</td></tr>\n";
      }
      out << "</tbody></table>\n";
    }
  }

  std::vector<NodeIndex> order = rules::rank_by_severity(model, scores, true);
  out << "<h2>Top choke points</h2>\n<table "
         "class=\"sortable\"><thead><tr><th>node</th><th>kind</th>"
         "<th>severity</th><th>score</th><th>why</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < std::min<std::size_t>(25, order.size()); ++i) {
    NodeIndex n = order[i];
    out << "<tr><td>" << xml_escape(model.nodes[n].name) << " <code>"
        << xml_escape(model.nodes[n].id) << "</code></td><td>" << xml_escape(model.nodes[n].kind)
        << "</td><td data-v=\"" << static_cast<int>(scores[n].severity) << "\">"
        << sev(scores[n].severity) << "</td><td class=\"num\">" << short_number(scores[n].score)
        << "</td><td><ul>";
    for (const auto& f : scores[n].fired) out << "<li>" << xml_escape(f.message) << "</li>";
    out << "</ul></td></tr>\n";
  }
  out << "</tbody></table>\n";

  out << "<h2>Diagram</h2>\n";
  if (!diagram_note.empty()) out << "<p class=\"note\">" << xml_escape(diagram_note) << "</p>\n";
  std::size_t start = svg.find("<svg");
  out << "<div class=\"diagram\">\n"
      << (start == std::string::npos ? std::string() : svg.substr(start)) << "</div>\n";

  if (!a.cut_sets.empty()) {
    out << "<h2>Cut sets (order " << a.cut_options.order << ", by "
        << (a.cut_options.by_jurisdiction ? "jurisdiction" : "node") << ")</h2>\n";
    for (const auto& c : a.cut_sets) {
      out << "<h3>" << xml_escape(model.nodes[c.target].name) << "</h3>\n<ul>";
      if (c.sets.empty()) out << "<li>No cut set of this order.</li>";
      for (const auto& s : c.sets) {
        out << "<li>";
        for (std::size_t i = 0; i < s.size(); ++i)
          out << (i ? " + " : "") << "<code>" << xml_escape(s[i]) << "</code>";
        out << "</li>";
      }
      if (c.truncated) out << "<li>… truncated (--max-cut-sets)</li>";
      out << "</ul>\n";
    }
  }

  out << "<h2>All nodes</h2>\n<p class=\"note\">Click a column to sort.</p>\n"
         "<table class=\"sortable\" id=\"nodes\"><thead><tr><th>id</th><th>name</th><th>kind</th>"
         "<th>jurisdiction</th><th>capacity</th><th>severity</th><th>score</th><th>impact</th>"
         "<th>reach</th><th>HHI</th><th>top jurisdiction</th></tr></thead><tbody>\n";
  for (NodeIndex n : model.by_id()) {
    const Node& node = model.nodes[n];
    out << "<tr><td><code>" << xml_escape(node.id) << "</code></td><td>" << xml_escape(node.name)
        << "</td><td>" << xml_escape(node.kind) << "</td><td>"
        << xml_escape(model.jurisdiction_code(node.jurisdiction)) << "</td><td class=\"num\">"
        << short_number(a.world[n]) << "</td><td data-v=\"" << static_cast<int>(scores[n].severity)
        << "\">" << sev(scores[n].severity) << "</td><td class=\"num\">"
        << short_number(scores[n].score) << "</td>";
    if (!a.metrics.nodes.empty()) {
      const auto& m = a.metrics.nodes[n];
      out << "<td class=\"num\">" << short_number(m.impact) << "</td><td class=\"num\">" << m.reach
          << "</td><td class=\"num\">" << (m.hhi ? fmt::format("{:.0f}", *m.hhi) : "")
          << "</td><td>"
          << (m.top_jurisdiction
                  ? xml_escape(*m.top_jurisdiction) + " " + short_number(*m.top_jurisdiction_share)
                  : std::string())
          << "</td>";
    } else {
      out << "<td></td><td></td><td></td><td></td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody></table>\n<script>\n" << kScript << "\n</script>\n</body>\n</html>\n";
}

}  // namespace chokepoint
