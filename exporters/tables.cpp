#include "exporters/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <ostream>
#include <set>

#include "exporters/report/palette.hpp"
#include "exporters/report/text.hpp"
#include "rules/node_values.hpp"

namespace chokepoint {

namespace {

std::string number_text(double v) { return fmt::format("{}", report_number(v)); }

// An attribute as `import csv` reads it back: numbers and true/false bare, a string that would
// read as one of those (or as no value: "") in quotes.
std::string attr_cell(const AttrValue& v) {
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const double* d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  const std::string& text = std::get<std::string>(v);
  double parsed = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  bool looks_typed = text.empty() || text == "true" || text == "false" ||
                     (!text.empty() && ec == std::errc() && end == text.data() + text.size()) ||
                     (text.size() >= 2 && text.front() == '"' && text.back() == '"');
  return looks_typed ? "\"" + text + "\"" : text;
}

}  // namespace

namespace {

// A node value as text in a node table: numbers as reports print them, lists joined with spaces,
// null empty.
std::string cell_text(const rules::Value& v, Shape shape) {
  switch (v.type) {
    case rules::Type::null:
      return "";
    case rules::Type::boolean:
      return v.boolean ? "true" : "false";
    case rules::Type::string:
      return std::string(v.str());
    case rules::Type::number:
      return shape == Shape::count ? std::to_string(static_cast<long long>(v.number))
                                   : number_text(v.number);
    case rules::Type::list: {
      std::string out;
      for (const auto& item : v.items) {
        if (!out.empty()) out += ' ';
        out += item.str();
      }
      return out;
    }
  }
  return "";
}

// One node attribute, as every node table writes it (nodes.csv, GraphML, GEXF): its name, its
// type in GraphML terms, and its text for a node (empty: no value). The columns are the
// registry's (rules/node_values.hpp).
struct NodeColumn {
  std::string_view name;
  std::string_view type;  // string, double, int, boolean
  std::function<std::string(NodeIndex)> value;
};

std::vector<NodeColumn> node_columns(const Analysis& a,
                                     const std::vector<rules::NodeScore>& scores) {
  std::vector<NodeColumn> out;
  for (const NodeValue* v : table_columns())
    out.push_back({v->spec.name, column_type(v->spec.shape),
                   [v, context = NodeValueContext{*a.model, &a, &scores}](NodeIndex n) {
                     return cell_text(v->of(context, n), v->spec.shape);
                   }});
  return out;
}

}  // namespace

void write_nodes_csv(std::ostream& out, const Analysis& a,
                     const std::vector<rules::NodeScore>& scores) {
  const Model& model = *a.model;
  auto columns = node_columns(a, scores);
  // What the graph says of a node beyond the report's columns, so that `import csv` of this
  // table and edges.csv gives the graph back: the targets, tags and every attribute.
  std::vector<char> is_target(model.nodes.size(), 0);
  for (NodeIndex t : model.targets) is_target[t] = 1;
  std::set<std::string> attr_names;
  for (const auto& node : model.nodes)
    for (const auto& [name, value] : node.attrs) attr_names.insert(name);
  out << "\xEF\xBB\xBF"
      << "id";
  for (const auto& c : columns) out << ',' << c.name;
  out << ",target,tags";
  for (const auto& name : attr_names) out << ',' << csv_field("attr:" + name);
  out << "\r\n";
  for (NodeIndex n : model.by_id()) {
    const Node& node = model.nodes[n];
    out << csv_field(node.id);
    for (const auto& c : columns) out << ',' << csv_field(c.value(n));
    out << ',' << (is_target[n] ? "true" : "") << ',' << csv_field(list_cell(node.tags));
    for (const auto& name : attr_names) {
      const AttrValue* v = node.attr(name);
      out << ',' << (v ? csv_field(attr_cell(*v)) : std::string());
    }
    out << "\r\n";
  }
}

namespace {

// Rows as spreadsheets expect them: a byte-order mark, then CRLF line ends.
void csv_header(std::ostream& out, std::initializer_list<const char*> columns) {
  out << "\xEF\xBB\xBF";
  bool first = true;
  for (const char* c : columns) {
    out << (first ? "" : ",") << c;
    first = false;
  }
  out << "\r\n";
}

void csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << "\r\n";
}

}  // namespace

void write_withholding_csv(std::ostream& out, const Model& model, const WithholdingResult& r) {
  csv_header(out, {"direction", "from", "to", "kind", "id", "loss"});
  for (const auto* w : {&r.leverage, &r.exposure}) {
    const char* direction = w == &r.leverage ? "leverage" : "exposure";
    for (const auto& [j, loss] : w->jurisdictions)
      if (loss > kStatusEpsilon)
        csv_row(out, {direction, w->from, w->to, "jurisdiction",
                      std::string(model.jurisdiction_code(j)), number_text(loss)});
    for (const auto& [n, loss] : w->nodes)
      csv_row(out, {direction, w->from, w->to, "node", model.nodes[n].id, number_text(loss)});
  }
}

void write_disruption_csv(std::ostream& out, const Model& model, const LeverageResult& r) {
  csv_header(out, {"kind", "id", "side", "loss_to_a", "loss_to_b", "net", "loss_to_a_in_view",
                   "loss_to_b_in_view", "net_in_view"});
  csv_row(out, {"sides", "", "", r.a, r.b, "", r.a, r.b, ""});
  auto row = [&](const char* kind, const std::string& id, int side, const SideImpact& s) {
    if (!s.any()) return;
    auto net = [&](double on_a, double on_b) {
      return side == 0 ? number_text(on_b - on_a) : side == 1 ? number_text(on_a - on_b) : "";
    };
    csv_row(out,
            {kind, id,
             side == 0   ? r.a
             : side == 1 ? r.b
                         : "",
             number_text(s.on_a), number_text(s.on_b), net(s.on_a, s.on_b),
             number_text(s.on_a_view), number_text(s.on_b_view), net(s.on_a_view, s.on_b_view)});
  };
  for (NodeIndex n : model.by_id()) row("node", model.nodes[n].id, r.side_of(model, n), r.nodes[n]);
  for (const auto& [j, impact] : r.jurisdictions) {
    int side = r.side_of_code(j);
    row("jurisdiction", std::string(model.jurisdiction_code(j)), side, impact);
  }
}

void write_timeline_csv(std::ostream& out, const Model& model, const TimelineResult& r) {
  csv_header(out, {"month", "target", "view", "capacity"});
  for (const auto& s : r.series)
    for (std::size_t m = 0; m < s.capacity.size(); ++m)
      csv_row(out,
              {std::to_string(m), model.nodes[s.target].id, s.view, number_text(s.capacity[m])});
}

void write_uncertainty_csv(std::ostream& out, const Model& model, const UncertaintyResult& r) {
  csv_header(out, {"kind", "target", "view", "number", "point", "mean", "p5", "p50", "p95",
                   "p_lost", "p_degraded", "at_low", "at_high", "swing"});
  for (const auto& e : r.entries) {
    const std::string& id = model.nodes[e.target].id;
    std::string view = e.view == 0 ? std::string("world") : std::string(r.view_name(e.view));
    const Band& b = e.band;
    csv_row(out, {"band", id, view, "", number_text(b.point), number_text(b.mean),
                  number_text(b.p5), number_text(b.p50), number_text(b.p95), number_text(b.p_lost),
                  number_text(b.p_degraded), "", "", ""});
    for (const Swing& s : e.tornado)
      csv_row(out, {"swing", id, view, r.labels[s.quantity], number_text(b.point), "", "", "", "",
                    "", "", number_text(s.at_low), number_text(s.at_high), number_text(s.swing)});
  }
}

void write_compare_csv(std::ostream& out, const Model& model, const Comparison& c) {
  csv_header(out, {"target", "view", "scenario", "capacity", "status", "p5", "p50", "p95", "mean",
                   "p_lost", "p_degraded", "samples"});
  for (const auto& row : c.rows) {
    std::string view = row.view == 0 ? std::string("world") : c.view_name(row.view);
    for (std::size_t k = 0; k < row.values.size(); ++k) {
      const ComparedValue& v = row.values[k];
      std::vector<std::string> cells = {model.nodes[row.target].id, view, c.columns[k],
                                        number_text(v.value), std::string(status_name(v.status))};
      if (v.band)
        cells.insert(cells.end(),
                     {number_text(v.band->p5), number_text(v.band->p50), number_text(v.band->p95),
                      number_text(v.band->mean), number_text(v.band->p_lost),
                      number_text(v.band->p_degraded), std::to_string(v.band->samples)});
      else
        cells.resize(12);
      csv_row(out, cells);
    }
  }
}

void write_coalitions_csv(std::ostream& out, const Model& model, const CoalitionResult& r) {
  csv_header(out, {"kind", "target", "members", "size", "banzhaf", "shapley_shubik"});
  for (const auto& t : r.targets) {
    const std::string& id = model.nodes[t.target].id;
    for (const auto& c : t.minimal) {
      std::string members;
      for (auto j : c) {
        if (!members.empty()) members += ' ';
        members += model.jurisdiction_code(j);
      }
      csv_row(out, {"coalition", id, members, std::to_string(c.size()), "", ""});
    }
    for (std::size_t i = 0; i < r.candidates.size() && !t.banzhaf.empty(); ++i)
      csv_row(out, {"index", id, std::string(model.jurisdiction_code(r.candidates[i])), "1",
                    number_text(t.banzhaf[i]), number_text(t.shapley[i])});
  }
}

namespace {

// A group's name in edge tables: "suppliers", or "input N" (1-based among the node's inputs).
std::string group_name(const Node& node, const Group& g) {
  if (g.role == Role::supplier) return "suppliers";
  std::size_t k = static_cast<std::size_t>(&g - node.groups.data()) + (node.has_suppliers ? 0 : 1);
  return fmt::format("input {}", k);
}

// "#b2182b" -> r="178" g="24" b="33", for GEXF's viz:color.
std::string viz_rgb(const char* hex) {
  unsigned r = 0, g = 0, b = 0;
  std::sscanf(hex, "#%02x%02x%02x", &r, &g, &b);
  return fmt::format("r=\"{}\" g=\"{}\" b=\"{}\"", r, g, b);
}

}  // namespace

void write_edges_csv(std::ostream& out, const Model& model) {
  csv_header(out, {"from", "to", "role", "group", "label", "share", "min_share"});
  for (NodeIndex n : model.by_id()) {
    const Node& node = model.nodes[n];
    for (const Group& g : node.groups)
      for (const Member& m : g.members)
        // Shares in full (the shortest text that reads back as the same number): `import csv`
        // of this table gives the same graph, not one rounded to 12 decimals.
        csv_row(out, {model.nodes[m.node].id, node.id, std::string(role_name(g.role)),
                      group_name(node, g), g.label, fmt::format("{}", m.weight),
                      g.threshold > 0 ? fmt::format("{}", g.threshold) : std::string()});
  }
}

void write_graphml(std::ostream& out, const Analysis& a,
                   const std::vector<rules::NodeScore>& scores, const DiagramView& view) {
  const Model& model = *a.model;
  auto columns = node_columns(a, scores);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n";
  for (const auto& c : columns)
    out << fmt::format("  <key id=\"{0}\" for=\"node\" attr.name=\"{0}\" attr.type=\"{1}\"/>\n",
                       c.name, c.type);
  out << "  <key id=\"role\" for=\"edge\" attr.name=\"role\" attr.type=\"string\"/>\n"
         "  <key id=\"group\" for=\"edge\" attr.name=\"group\" attr.type=\"string\"/>\n"
         "  <key id=\"share\" for=\"edge\" attr.name=\"share\" attr.type=\"double\"/>\n"
         "  <graph id=\"chokepoint\" edgedefault=\"directed\">\n";
  for (NodeIndex n : view.nodes) {
    out << fmt::format("    <node id=\"{}\">\n", xml_escape(model.nodes[n].id));
    for (const auto& c : columns) {
      std::string v = c.value(n);
      if (!v.empty())
        out << fmt::format("      <data key=\"{}\">{}</data>\n", c.name, xml_escape(v));
    }
    out << "    </node>\n";
  }
  std::size_t e = 0;
  for_each_view_edge(model, view, [&](NodeIndex from, NodeIndex to, const Group& g, double w) {
    out << fmt::format(
        "    <edge id=\"e{}\" source=\"{}\" target=\"{}\">\n      <data key=\"role\">{}</data>\n"
        "      <data key=\"group\">{}</data>\n      <data key=\"share\">{}</data>\n    </edge>\n",
        e++, xml_escape(model.nodes[from].id), xml_escape(model.nodes[to].id), role_name(g.role),
        group_name(model.nodes[to], g), number_text(w));
  });
  out << "  </graph>\n</graphml>\n";
}

void write_gexf(std::ostream& out, const Analysis& a, const std::vector<rules::NodeScore>& scores,
                const DiagramView& view) {
  const Model& model = *a.model;
  auto columns = node_columns(a, scores);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:viz=\"http://gexf.net/1.3/viz\" "
         "version=\"1.3\">\n"
         "  <graph defaultedgetype=\"directed\">\n"
         "    <attributes class=\"node\">\n";
  for (const auto& c : columns)
    if (c.name != "name")  // the label
      out << fmt::format("      <attribute id=\"{0}\" title=\"{0}\" type=\"{1}\"/>\n", c.name,
                         c.type == "int" ? "integer" : c.type);
  out << "    </attributes>\n"
         "    <attributes class=\"edge\">\n"
         "      <attribute id=\"role\" title=\"role\" type=\"string\"/>\n"
         "      <attribute id=\"group\" title=\"group\" type=\"string\"/>\n"
         "    </attributes>\n"
         "    <nodes>\n";
  for (NodeIndex n : view.nodes) {
    const Node& node = model.nodes[n];
    out << fmt::format("      <node id=\"{}\" label=\"{}\">\n        <attvalues>\n",
                       xml_escape(node.id), xml_escape(node.name));
    for (const auto& c : columns) {
      std::string v = c.value(n);
      if (c.name != "name" && !v.empty())
        out << fmt::format("          <attvalue for=\"{}\" value=\"{}\"/>\n", c.name,
                           xml_escape(v));
    }
    // Severity colour (the diagrams' palette) and a size that grows with the score.
    out << fmt::format(
        "        </attvalues>\n        <viz:color {}/>\n        <viz:size value=\"{}\"/>\n"
        "      </node>\n",
        viz_rgb(level_style(scores[n].severity).fill), number_text(10 + scores[n].score / 5));
  }
  out << "    </nodes>\n    <edges>\n";
  std::size_t e = 0;
  for_each_view_edge(model, view, [&](NodeIndex from, NodeIndex to, const Group& g, double w) {
    out << fmt::format(
        "      <edge id=\"{}\" source=\"{}\" target=\"{}\" weight=\"{}\">\n        <attvalues>\n"
        "          <attvalue for=\"role\" value=\"{}\"/>\n"
        "          <attvalue for=\"group\" value=\"{}\"/>\n        </attvalues>\n      </edge>\n",
        e++, xml_escape(model.nodes[from].id), xml_escape(model.nodes[to].id), number_text(w),
        role_name(g.role), group_name(model.nodes[to], g));
  });
  out << "    </edges>\n  </graph>\n</gexf>\n";
}

}  // namespace chokepoint
