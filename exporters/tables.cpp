#include "exporters/tables.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "exporters/text.hpp"

namespace chokepoint {

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

void write_leverage_csv(std::ostream& out, const Model& model, const LeverageResult& r) {
  csv_header(out, {"kind", "id", "side", "loss_to_a", "loss_to_b", "leverage"});
  csv_row(out, {"sides", "", "", r.a, r.b, ""});
  auto row = [&](const char* kind, const std::string& id, int side, const SideImpact& s) {
    if (s.on_a <= kStatusEpsilon && s.on_b <= kStatusEpsilon) return;
    double lev = side == 0 ? s.on_b - s.on_a : side == 1 ? s.on_a - s.on_b : 0.0;
    csv_row(out, {kind, id,
                  side == 0   ? r.a
                  : side == 1 ? r.b
                              : "",
                  number_text(s.on_a), number_text(s.on_b), side < 0 ? "" : number_text(lev)});
  };
  for (NodeIndex n : model.by_id()) row("node", model.nodes[n].id, r.side_of(model, n), r.nodes[n]);
  for (const auto& [j, impact] : r.jurisdictions) {
    int side = std::binary_search(r.a_codes.begin(), r.a_codes.end(), j)   ? 0
               : std::binary_search(r.b_codes.begin(), r.b_codes.end(), j) ? 1
                                                                           : -1;
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
    for (std::size_t i = 0; i < r.candidates.size(); ++i)
      csv_row(out, {"index", id, std::string(model.jurisdiction_code(r.candidates[i])), "1",
                    number_text(t.banzhaf[i]), number_text(t.shapley[i])});
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

}  // namespace chokepoint
