#include "exporters/markdown_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "exporters/json_report.hpp"

namespace chokepoint {

std::string markdown_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|':
      case '\\':
      case '*':
      case '_':
      case '`':
      case '[':
      case ']':
      case '#':
        out += '\\';
        out += c;
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) break;  // other control characters dropped
        out += c;
    }
  }
  return out;
}

std::string short_number(double v) {
  std::string s = fmt::format("{:.4f}", report_number(v));
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

namespace {

const char* kBudgetNote =
    "> Note: a dependency loop could not be solved within its bound; its capacities are upper "
    "bounds.\n\n";

std::string node_label(const Model& model, NodeIndex n) {
  const Node& node = model.nodes[n];
  if (node.name == node.id) return fmt::format("`{}`", node.id);
  return fmt::format("{} (`{}`)", markdown_escape(node.name), node.id);
}

std::string id_list(const Model& model, const std::vector<NodeIndex>& nodes) {
  std::string out;
  for (NodeIndex n : nodes)
    out += (out.empty() ? "" : ", ") + fmt::format("`{}`", model.nodes[n].id);
  return out.empty() ? "–" : out;
}

std::string title(const Model& model) {
  for (const auto& [k, v] : model.meta)
    if (k == "title") return markdown_escape(v);
  return markdown_escape(model.files.empty() ? "graph" : model.files[0]);
}

void header(std::ostream& out, const Model& model, const char* what, const Analysis& a) {
  out << fmt::format("# {}: {}\n\n", what, title(model));
  out << fmt::format("- Input: {} ({} nodes, {} edges, {} target{})\n",
                     markdown_escape(model.files.empty() ? "" : model.files[0]), model.nodes.size(),
                     model.edge_count, model.targets.size(), model.targets.size() == 1 ? "" : "s");
  out << fmt::format("- Scenario: {}\n\n",
                     a.has_scenario
                         ? markdown_escape(a.scenario.name.empty() ? "(unnamed)" : a.scenario.name)
                         : "none (baseline)");
  if (a.capacity_budget_hit) out << kBudgetNote;
}

// Targets in the world and in each perspective's view; a view shows only the targets located
// in it or without jurisdiction ("–" for the others, which the JSON still carries).
void targets_table(std::ostream& out, const Analysis& a, bool with_baseline) {
  const Model& model = *a.model;
  out << "| target | " << (with_baseline ? "baseline | " : "") << "world | status |";
  for (const auto& p : a.perspectives) out << " view " << markdown_escape(p.name) << " |";
  out << "\n|---|" << (with_baseline ? "---:|" : "") << "---:|---|";
  for (std::size_t i = 0; i < a.perspectives.size(); ++i) out << "---|";
  out << '\n';
  for (const auto& t : a.targets) {
    out << "| " << node_label(model, t.node) << " | ";
    if (with_baseline) out << short_number(t.baseline) << " | ";
    out << short_number(t.capacity) << " | " << status_name(t.status) << " |";
    for (std::size_t v = 0; v < t.views.size(); ++v) {
      if (!shown_in_view(model, a.perspectives[v], t.node)) {
        out << " – |";
        continue;
      }
      out << ' ' << short_number(t.views[v].capacity) << " (" << status_name(t.views[v].status)
          << ") |";
    }
    out << '\n';
  }
  out << '\n';
}

std::string name_of(const Model& model, NodeIndex n) {
  return markdown_escape(model.nodes[n].name);
}

// What the controls deny, per perspective: the nodes denied outright, then the pairs (product
// made by maker) with the control and the reason; at most `top` pairs per perspective.
void denials_section(std::ostream& out, const Analysis& a, std::size_t top) {
  const Model& model = *a.model;
  if (a.perspectives.empty()) return;
  out << "## What the controls deny\n\n";
  out << "A pair is a product as made by one maker. *direct*: the controlling side makes it, or "
         "the product is its own; *fdpr*: a third country's maker needs the controlling side's "
         "inputs for more than the de minimis share of it (the foreign direct product rule).\n\n";
  for (std::uint32_t v = 0; v < a.perspectives.size(); ++v) {
    out << "### Denied to " << markdown_escape(a.perspectives[v].name) << "\n\n";
    std::string nodes;
    std::size_t node_count = 0;
    for (NodeIndex n : model.by_id())
      if (node_denied(model, a.views[v], n)) {
        if (++node_count <= top) nodes += (nodes.empty() ? "" : ", ") + name_of(model, n);
      }
    if (node_count > top) nodes += fmt::format(" and {} more", node_count - top);
    out << "Denied outright (every maker): " << (nodes.empty() ? "none" : nodes) << ".\n\n";
    std::vector<const Denial*> rows;
    for (const auto& d : a.denials)
      if (d.perspective == v && model.nodes[model.pair_product(d.pair)].has_suppliers)
        rows.push_back(&d);
    if (rows.empty()) continue;
    out << "| product | maker | control | reason |\n|---|---|---|---|\n";
    for (std::size_t i = 0; i < std::min(top, rows.size()); ++i) {
      const Denial& d = *rows[i];
      std::string reason =
          d.reason == DenialReason::fdpr
              ? fmt::format("fdpr: loses {}% without controlled inputs", short_number(100 * d.fall))
              : "direct";
      out << "| " << name_of(model, model.pair_product(d.pair)) << " | "
          << name_of(model, model.pair_maker(d.pair)) << " | "
          << markdown_escape(a.scenario.controls[d.control].id) << " | " << reason << " |\n";
    }
    if (rows.size() > top)
      out << fmt::format("\n{} more denied pairs in the JSON report.\n", rows.size() - top);
    out << '\n';
  }
}

}  // namespace

namespace {

void decoupling_section(std::ostream& out, const Model& model, const DecoupleResult& r,
                        const std::string& level) {
  out << fmt::format(
      "Each side embargoes the other{}. For each side: its targets in its own view, "
      "and for lost ones the smallest sets of nodes it would have to build.\n\n",
      r.fdpr ? ", with the foreign direct product rule" : "");
  for (const DecoupleSide* s : {&r.a, &r.b}) {
    out << level << " " << markdown_escape(s->name) << "\n\n";
    if (s->targets.empty()) {
      out << "No target is located in this side.\n\n";
      continue;
    }
    out << "| target | capacity | status | years to substitute | substitution sets |\n"
           "|---|---:|---|---:|---|\n";
    for (const auto& t : s->targets) {
      std::string sets;
      for (const auto& set : t.sets) sets += (sets.empty() ? "" : "; ") + id_list(model, set);
      if (t.truncated) sets += "; …";
      if (sets.empty()) sets = t.status == Status::lost ? "none within the order" : "–";
      out << "| " << node_label(model, t.target) << " | " << short_number(t.capacity) << " | "
          << status_name(t.status) << " | "
          << (t.years_to_substitute ? short_number(*t.years_to_substitute) : "–") << " | " << sets
          << " |\n";
    }
    out << '\n';
  }
}

// Every node whose capacity or status differs from the baseline, in the world or in a view
// that shows it.
void changed_nodes_table(std::ostream& out, const Analysis& a) {
  const Model& model = *a.model;
  out << "| node | kind | baseline | world |";
  for (const auto& p : a.perspectives) out << " view " << markdown_escape(p.name) << " |";
  out << "\n|---|---|---:|---|";
  for (std::size_t i = 0; i < a.perspectives.size(); ++i) out << "---|";
  out << '\n';
  std::size_t count = 0;
  auto cell = [&](double v, NodeIndex n) {
    Status s = status_of(v, a.baseline[n]);
    return s == Status::ok && std::abs(v - a.baseline[n]) <= kStatusEpsilon
               ? std::string("ok")
               : fmt::format("{} ({})", short_number(v), status_name(s));
  };
  for (NodeIndex n : model.by_id()) {
    bool changed = changed_by_scenario(a, n);
    for (std::size_t v = 0; v < a.views.size(); ++v)
      changed = changed || (shown_in_view(model, a.perspectives[v], n) && changed_in_view(a, v, n));
    if (!changed) continue;
    ++count;
    out << "| " << node_label(model, n) << " | " << markdown_escape(model.nodes[n].kind) << " | "
        << short_number(a.baseline[n]) << " | " << cell(a.world[n], n) << " |";
    for (std::size_t v = 0; v < a.views.size(); ++v)
      out << ' ' << (shown_in_view(model, a.perspectives[v], n) ? cell(a.views[v].cap[n], n) : "–")
          << " |";
    out << '\n';
  }
  if (count == 0) out << "| (none) | | | |" << std::string(a.perspectives.size() * 2, ' ') << "\n";
  out << '\n';
}

std::string why(const rules::NodeScore& s) {
  std::string out;
  for (const auto& f : s.fired) out += (out.empty() ? "" : "; ") + markdown_escape(f.message);
  return out.empty() ? "–" : out;
}

void severity_section(std::ostream& out, const Model& model,
                      const std::vector<rules::NodeScore>& scores, std::size_t top) {
  std::size_t counts[5] = {0, 0, 0, 0, 0};
  for (const auto& s : scores) ++counts[static_cast<int>(s.severity)];
  out << "## Severity\n\n";
  out << fmt::format("critical {}, high {}, medium {}, low {}, info {}.\n\n", counts[4], counts[3],
                     counts[2], counts[1], counts[0]);
  std::vector<NodeIndex> order = rules::rank_by_severity(model, scores, true);
  out << "## Top choke points\n\n";
  out << "Ranked by severity, then score; the reasons are the rules that fired.\n\n";
  out << "| node | kind | severity | score | why |\n|---|---|---|---:|---|\n";
  for (std::size_t i = 0; i < std::min(top, order.size()); ++i) {
    NodeIndex n = order[i];
    out << "| " << node_label(model, n) << " | " << markdown_escape(model.nodes[n].kind) << " | "
        << rules::level_name(scores[n].severity) << " | " << short_number(scores[n].score) << " | "
        << why(scores[n]) << " |\n";
  }
  if (order.size() > top)
    out << fmt::format("\n{} more scored nodes in the JSON report.\n", order.size() - top);
  out << '\n';
}

}  // namespace

void write_analysis_markdown(std::ostream& out, const Analysis& a,
                             const std::vector<rules::NodeScore>* scores, std::size_t top,
                             const std::string* diagram_note) {
  const Model& model = *a.model;
  header(out, model, "chokepoint report", a);
  out << "## Targets\n\n";
  targets_table(out, a, false);
  if (a.has_scenario && !a.scenario.empty()) {
    denials_section(out, a, top);
    out << "## What the scenario changes\n\n";
    changed_nodes_table(out, a);
  }
  if (a.decoupling) {
    out << fmt::format("## Decoupling {} / {}{}\n\n", markdown_escape(a.decoupling->a.name),
                       markdown_escape(a.decoupling->b.name),
                       a.decoupling->fdpr ? " (with FDPR)" : "");
    decoupling_section(out, model, *a.decoupling, "###");
  }
  if (scores) severity_section(out, model, *scores, top);
  if (diagram_note) {
    out << "## Diagram\n\n![dependency diagram](graph.svg)\n\n";
    if (!diagram_note->empty()) out << markdown_escape(*diagram_note) << "\n\n";
  }
  if (!a.metrics.nodes.empty()) {
    std::vector<NodeIndex> order;
    for (NodeIndex n : model.by_id())
      if (a.metrics.nodes[n].impact > kStatusEpsilon || !a.metrics.nodes[n].spof.empty())
        order.push_back(n);
    std::stable_sort(order.begin(), order.end(), [&](NodeIndex x, NodeIndex y) {
      double ix = report_number(a.metrics.nodes[x].impact),
             iy = report_number(a.metrics.nodes[y].impact);
      if (ix != iy) return ix > iy;
      return a.metrics.nodes[x].spof.size() > a.metrics.nodes[y].spof.size();
    });
    out << (scores ? "## Largest impact\n\n" : "## Top choke points\n\n");
    out << "Ranked by impact: the target capacity lost, summed over targets, if the node alone is "
           "removed.\n\n";
    out << "| node | kind | jurisdiction | impact | single point of failure for | top supplier | "
           "HHI |\n";
    out << "|---|---|---|---:|---|---|---:|\n";
    for (std::size_t i = 0; i < std::min(top, order.size()); ++i) {
      NodeIndex n = order[i];
      const auto& m = a.metrics.nodes[n];
      std::string supplier = m.top_supplier
                                 ? fmt::format("`{}` ({})", model.nodes[*m.top_supplier].id,
                                               short_number(*m.top_share))
                                 : "–";
      out << "| " << node_label(model, n) << " | " << markdown_escape(model.nodes[n].kind) << " | "
          << (model.nodes[n].jurisdiction == kNoJurisdiction
                  ? "–"
                  : std::string(model.jurisdiction_code(model.nodes[n].jurisdiction)))
          << " | " << short_number(m.impact) << " | " << id_list(model, m.spof) << " | " << supplier
          << " | " << (m.hhi ? fmt::format("{:.0f}", *m.hhi) : "–") << " |\n";
    }
    if (order.size() > top)
      out << fmt::format("\n{} more nodes with impact in the JSON report.\n", order.size() - top);
    out << '\n';
    if (a.metrics.betweenness_sampled)
      out << fmt::format("Betweenness was estimated from {} sampled sources.\n\n",
                         a.metrics.betweenness_samples);
  }
  if (!a.cut_sets.empty()) {
    out << fmt::format("## Cut sets (order {}, by {})\n\n", a.cut_options.order,
                       a.cut_options.by_jurisdiction ? "jurisdiction" : "node");
    for (const auto& c : a.cut_sets) {
      out << "### " << node_label(model, c.target) << "\n\n";
      if (c.sets.empty()) out << "No cut set of this order.\n";
      for (const auto& s : c.sets) {
        std::string line;
        for (const auto& id : s) line += (line.empty() ? "" : " + ") + fmt::format("`{}`", id);
        out << "- " << line << '\n';
      }
      if (c.truncated)
        out << fmt::format("- … truncated after {} sets (--max-cut-sets)\n", c.sets.size());
      out << '\n';
    }
  }
}

void write_whatif_markdown(std::ostream& out, const Analysis& a,
                           const std::vector<rules::NodeScore>* baseline_scores,
                           const std::vector<rules::NodeScore>* scores) {
  const Model& model = *a.model;
  header(out, model, "What-if", a);
  out << "## Targets\n\n";
  targets_table(out, a, true);
  denials_section(out, a, 20);
  out << "## Changed nodes\n\n";
  changed_nodes_table(out, a);
  if (!baseline_scores || !scores) return;
  out << "## Severity changes\n\n| node | baseline | scenario | why now |\n|---|---|---|---|\n";
  std::size_t changes = 0;
  for (NodeIndex n : model.by_id()) {
    const auto& b = (*baseline_scores)[n];
    const auto& s = (*scores)[n];
    if (b.severity == s.severity && report_number(b.score) == report_number(s.score)) continue;
    ++changes;
    out << "| " << node_label(model, n) << " | " << rules::level_name(b.severity) << " ("
        << short_number(b.score) << ") | " << rules::level_name(s.severity) << " ("
        << short_number(s.score) << ") | " << why(s) << " |\n";
  }
  if (changes == 0) out << "| (none) | | | |\n";
  out << '\n';
}

void write_rank_markdown(std::ostream& out, const Model& model, const Analysis& a,
                         const std::vector<RankEntry>& ranking, int order, std::size_t top) {
  header(out, model, order == 1 ? "Single removals ranked" : "Pair removals ranked", a);
  out << "| rank | remove | impact | targets lost |\n|---:|---|---:|---|\n";
  for (std::size_t i = 0; i < std::min(top, ranking.size()); ++i) {
    const auto& r = ranking[i];
    out << "| " << i + 1 << " | " << id_list(model, r.removed) << " | " << short_number(r.impact)
        << " | " << id_list(model, r.lost) << " |\n";
  }
  if (ranking.size() > top)
    out << fmt::format("\n{} more in the JSON output (--format json).\n", ranking.size() - top);
  out << '\n';
}

void write_decouple_markdown(std::ostream& out, const Model& model, const DecoupleResult& r) {
  out << fmt::format("# Decoupling {} / {}{}: {}\n\n", markdown_escape(r.a.name),
                     markdown_escape(r.b.name), r.fdpr ? " (with FDPR)" : "", title(model));
  if (r.budget_hit) out << kBudgetNote;
  decoupling_section(out, model, r, "##");
}

}  // namespace chokepoint
