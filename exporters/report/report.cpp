#include "exporters/report/report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "exporters/report/comparison.hpp"
#include "exporters/report/notes.hpp"
#include "exporters/report/summary.hpp"
#include "exporters/report/text.hpp"

namespace chokepoint::report {

Inline text(std::string s) { return Inline{Span{Span::Kind::text, std::move(s), {}}}; }
void append(Inline& to, Inline part) { to.insert(to.end(), part.begin(), part.end()); }
Inline code(std::string s) { return Inline{Span{Span::Kind::code, std::move(s), {}}}; }

namespace {

using K = Span::Kind;

// The axis of a chart of capacities: 100 % is the graph as written, whose shares are the market
// the controls of its date already shaped, not a world without controls.
constexpr const char* kFullCapacityLabel =
    "capacity (100 % = the graph as written, nothing denied)";

Inline node_ref(const Model& model, NodeIndex n) {
  return Inline{Span{K::node, model.nodes[n].name, model.nodes[n].id}};
}

Inline join(const std::vector<Inline>& parts, const std::string& sep, const std::string& none) {
  if (parts.empty()) return text(none);
  Inline out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back(Span{K::text, sep, {}});
    out.insert(out.end(), parts[i].begin(), parts[i].end());
  }
  return out;
}

Inline id_list(const Model& model, const std::vector<NodeIndex>& nodes) {
  std::vector<Inline> parts;
  for (NodeIndex n : nodes) parts.push_back(code(model.nodes[n].id));
  return join(parts, ", ", "–");
}

Cell cell(Inline content) { return Cell{std::move(content), std::nullopt}; }
Cell cell(std::string s) { return cell(text(std::move(s))); }
Cell number(double v) { return Cell{text(short_number(v)), v}; }
Cell status(Status s) { return cell(Inline{Span{K::status, std::string(status_name(s)), {}}}); }
// A gain in capacity as percentage points with two significant digits: "60 points".
std::string points(double gain, int digits = 2) {
  return significant(100 * gain, digits) + " points";
}
// A capacity as a brief writes it ("34 %"), sorting by its value.
Cell percent_cell(double v, int digits = 2) { return Cell{text(percent(v, digits)), v}; }

// A coalition that brings a target within this of the bar wins on the data's shares alone.
constexpr double kKnifeEdge = 0.05;

// The FDPR's terms as every report gives them: "(made with X; de minimis 0 %)".
std::string fdpr_terms(const std::string& made_with, double de_minimis) {
  return fmt::format(
      "({}; de minimis {})",
      made_with.empty() ? "made with every input located there" : "made with " + made_with,
      percent(de_minimis));
}

// Percentage points of capacity ("11"), under a header that says "points"; sorting by value.
Cell points_cell(double gain, int digits = 2) {
  return Cell{text(gain <= 0 ? "0" : significant(100 * gain, digits)), gain};
}

// Percentage points with their sign, two significant digits ("0" within the status epsilon).
std::string signed_points(double v) {
  if (std::abs(v) <= kStatusEpsilon) return "0";
  return (v < 0 ? "-" : "") + significant(100 * std::abs(v), 2);
}

Cell signed_cell(double v) { return Cell{text(signed_points(v)), v}; }

// A capacity as a brief writes it (two significant digits), with its status.
Cell with_status(double v, Status s) {
  return Cell{Inline{Span{K::text, percent(v) + " (", {}},
                     Span{K::status, std::string(status_name(s)), {}}, Span{K::text, ")", {}}},
              v};
}

Block paragraph(Inline content) {
  Block b;
  b.content = std::move(content);
  return b;
}
Block paragraph(std::string s) { return paragraph(text(std::move(s))); }
// A picture in its own file beside the report, with its caption.
Block figure(std::string path, std::string caption) {
  Block b;
  b.kind = Block::Kind::figure;
  b.path = std::move(path);
  b.content = text(std::move(caption));
  return b;
}
Block table_block(Table t) {
  Block b;
  b.kind = Block::Kind::table;
  b.table = std::move(t);
  return b;
}

Table table(std::vector<std::pair<std::string, bool>> columns, std::string empty = "") {
  Table t;
  for (auto& [name, numeric] : columns) {
    t.columns.push_back(name);
    t.numeric.push_back(numeric);
  }
  t.empty = std::move(empty);
  return t;
}

std::string title_of(const Model& model) {
  for (const auto& [k, v] : model.meta)
    if (k == "title") return v;
  return model.files.empty() ? "graph" : model.files[0];
}

void facts(Document& d, const Model& model, const Analysis* a, const Options& options) {
  Provenance p = provenance(model, options.inputs);
  d.facts.push_back(text(fmt::format("Input: {} ({} nodes, {} edges, {} target{})",
                                     p.graph_files.empty() ? "" : p.graph_files[0], p.nodes,
                                     p.edges, p.targets, p.targets == 1 ? "" : "s")));
  if (a)
    d.facts.push_back(
        text("Scenario: " + (a->has_scenario
                                 ? (a->scenario.name.empty() ? "(unnamed)" : a->scenario.name)
                                 : std::string("none (baseline)"))));
  // Provenance: the tool and every file read, with the start of its SHA-256 (in full in JSON).
  Inline made = text(fmt::format("Made by {} {} from ", p.tool, p.version));
  std::vector<Inline> files;
  for (const auto& f : p.inputs) {
    Inline one = text(f.role + " ");
    one.push_back(Span{K::code, f.path, {}});
    one.push_back(Span{K::text, " (sha256 " + f.sha256.substr(0, 12) + ")", {}});
    files.push_back(std::move(one));
  }
  if (!files.empty()) {
    Inline list = join(files, ", ", "");
    made.insert(made.end(), list.begin(), list.end());
    d.provenance = std::move(made);
  }
}

// The notes that a report gives among its notes (the others are in their sections).
void add_notes(Document& d, const std::vector<Note>& notes) {
  for (const auto& n : notes)
    if (auto s = sentence(n); !s.empty()) d.notes.push_back(std::move(s));
}

// ---- uncertainty: bands and tornadoes (docs/uncertainty.md) ----

// The entries a report shows: every target in the world, a view's own targets in the view.
bool shown(const Model& model, const UncertaintyResult& r, const TargetUncertainty& e) {
  return e.view == 0 || shown_in_view(model, r.perspectives[e.view - 1], e.target);
}

std::string view_label(const Model& model, const UncertaintyResult& r, std::size_t view) {
  return view == 0 ? std::string("world") : view_phrase(model, r.view_name(view));
}

// A target's tornado and the views that share it: a side's view often moves like the world.
struct TornadoGroup {
  const TargetUncertainty* entry;
  std::vector<std::string> views;  // "world", "CN's view", "the view of Huawei", ...
  // "world and the views of Huawei and SMIC"; with `at_most`, "world and 4 more views" beyond it.
  std::string listed(std::size_t at_most = 0) const {
    if (at_most && views.size() > at_most)
      return fmt::format("{} and {} more views", views[0], views.size() - 1);
    return listed_views(views);
  }
};

bool same_tornado(const TargetUncertainty& a, const TargetUncertainty& b) {
  if (a.tornado.size() != b.tornado.size() ||
      report_number(a.band.point) != report_number(b.band.point))
    return false;
  for (std::size_t i = 0; i < a.tornado.size(); ++i)
    if (a.tornado[i].quantity != b.tornado[i].quantity ||
        report_number(a.tornado[i].at_low) != report_number(b.tornado[i].at_low) ||
        report_number(a.tornado[i].at_high) != report_number(b.tornado[i].at_high))
      return false;
  return true;
}

// Per target (by id), each distinct tornado of the views shown, with the views that have it.
std::vector<TornadoGroup> tornado_groups(const Model& model, const UncertaintyResult& r) {
  std::vector<TornadoGroup> out;
  for (NodeIndex target : model.targets) {
    std::size_t first = out.size();
    for (std::size_t v = 0; v < r.view_count(); ++v) {
      const TargetUncertainty* e = r.find(target, v);
      if (!e || !shown(model, r, *e) || e->tornado.empty()) continue;
      auto it = std::find_if(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
                             [&](const TornadoGroup& g) { return same_tornado(*g.entry, *e); });
      if (it == out.end())
        out.push_back(TornadoGroup{e, {view_label(model, r, v)}});
      else
        it->views.push_back(view_label(model, r, v));
    }
  }
  return out;
}

// Targets in the world and in each perspective's view; a view shows only the targets located in
// it or without jurisdiction ("–" for the others, which the JSON still carries).
// " in CN's view" for an analysis judged in a side's view (--view), else "".
std::string in_view(const Analysis& a) {
  return a.viewed_as ? " in " + view_phrase(*a.model, a.viewed_as->name) : std::string();
}

Section targets_section(const Analysis& a, bool with_baseline, const UncertaintyResult* bands) {
  const Model& model = *a.model;
  std::vector<std::pair<std::string, bool>> cols = {{"target", false}};
  if (with_baseline) cols.emplace_back("baseline", true);
  cols.emplace_back(bands ? "world (P5–P95)" : "world", true);
  cols.emplace_back("status", false);
  // --view: the side's own view first; the same side as a perspective is not repeated.
  if (a.viewed_as) cols.emplace_back("in " + view_phrase(model, a.viewed_as->name), true);
  // A value, with its band where the report has them.
  auto band = [&](NodeIndex target, std::string_view view) -> const Band* {
    if (!bands) return nullptr;
    for (std::size_t v = 0; v < bands->view_count(); ++v)
      if (bands->view_name(v) == view)
        if (const TargetUncertainty* e = bands->find(target, v)) return &e->band;
    return nullptr;
  };
  // A listed firm's view that reads as the world's for every target it shows (its control cuts
  // what it makes for everyone) is named under the table, not given a column.
  auto as_world = [&](std::size_t v) {
    for (const auto& target : a.targets) {
      const TargetView& tv = target.views[v];
      if (shown_in_view(model, a.perspectives[v], target.node) &&
          (tv.status != target.status ||
           percent_band(tv.capacity, band(target.node, tv.perspective)) !=
               percent_band(target.capacity, band(target.node, ""))))
        return false;
    }
    return true;
  };
  std::vector<std::string> like_world;
  auto repeated = [&](std::size_t v) {
    return a.viewed_as && a.perspectives[v].same_side(*a.viewed_as);
  };
  std::vector<char> column(a.perspectives.size(), 0);
  for (std::size_t v = 0; v < a.perspectives.size(); ++v) {
    if (repeated(v)) continue;
    if (a.perspectives[v].entity() && !a.targets.empty() && as_world(v)) {
      like_world.push_back(a.perspectives[v].name);
      continue;
    }
    column[v] = 1;
    cols.emplace_back("view " + a.perspectives[v].name, true);
  }
  Table t = table(cols);
  for (const auto& target : a.targets) {
    std::vector<Cell> row = {cell(node_ref(model, target.node))};
    if (with_baseline) row.push_back(Cell{text(percent(target.baseline)), target.baseline});
    const Band* world = band(target.node, "");
    row.push_back(Cell{text(percent_band(target.capacity, world)), target.capacity});
    row.push_back(status(target.status));
    // A value in a view, with its band where the report has them.
    auto in_a_view = [&](double capacity, Status st, std::string_view view) {
      if (const Band* b = band(target.node, view))
        return Cell{Inline{Span{K::text, percent_band(capacity, b) + " ", {}},
                           Span{K::status, std::string(status_name(st)), {}}},
                    capacity};
      return with_status(capacity, st);
    };
    if (a.viewed_as) {
      double v = a.view_cap[target.node];
      row.push_back(in_a_view(v, status_of(v, target.baseline), a.viewed_as->name));
    }
    for (std::size_t v = 0; v < target.views.size(); ++v)
      if (column[v])
        row.push_back(shown_in_view(model, a.perspectives[v], target.node)
                          ? in_a_view(target.views[v].capacity, target.views[v].status,
                                      target.views[v].perspective)
                          : cell("–"));
    t.rows.push_back(std::move(row));
  }
  Section s{"targets", "Targets", {}, {}};
  if (bands)
    s.blocks.push_back(paragraph(fmt::format(
        "Each value with the range in which nine samples in ten fall (P5–P95), over {} samples "
        "of the ranges written in the data (seed {}; chokepoint uncertainty gives more). A value "
        "is the data's best values taken together, not the middle of its band: where the ranges "
        "are lopsided it can sit at an end of the band.",
        bands->samples, bands->seed)));
  s.blocks.push_back(table_block(std::move(t)));
  if (!like_world.empty()) {
    std::vector<std::string> phrases;
    for (const auto& name : like_world) phrases.push_back(view_phrase(model, name));
    std::string views = listed_views(phrases);
    views[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(views[0])));
    s.blocks.push_back(paragraph(fmt::format(
        "{}: every target reads as in the world, so {} no column: a control on a listed firm "
        "cuts what it makes for everyone, which the world view counts already.",
        views, like_world.size() == 1 ? "it has" : "they have")));
  }
  return s;
}

// Under the targets, the three numbers whose range moves each most (its tornado's top).
std::optional<Section> assumptions_section(const Model& model, const UncertaintyResult* bands,
                                           int digits) {
  if (!bands) return std::nullopt;
  Section s{"assumptions", "The assumptions that move the targets", {}, {}};
  s.blocks.push_back(
      paragraph("Per target and view, the numbers whose range moves it most: its value with the "
                "number at the low and at the high end of its range, every other number at its "
                "point."));
  Table t = table({{"target", false},
                   {"views", false},
                   {"number", false},
                   {"range", false},
                   {"at low", true},
                   {"at high", true},
                   {"swing (points)", true}},
                  "(no range moves a target)");
  for (const TornadoGroup& g : tornado_groups(model, *bands))
    for (const Swing& sw : g.entry->tornado)
      t.rows.push_back({cell(node_ref(model, g.entry->target)), cell(g.listed()),
                        cell(bands->labels[sw.quantity]),
                        cell(quantity_range(bands->quantities[sw.quantity])),
                        percent_cell(sw.at_low, digits), percent_cell(sw.at_high, digits),
                        points_cell(sw.swing, digits)});
  s.blocks.push_back(table_block(std::move(t)));
  return s;
}

// "HBM3 by SK hynix, HBM3E by Samsung Memory and 2 more": the first `most` pairs as text.
std::string made_by(const Model& model, const std::vector<std::uint32_t>& pairs, std::size_t most) {
  std::string out;
  for (std::size_t i = 0; i < std::min(most, pairs.size()); ++i)
    out += (i ? ", " : "") + model.nodes[model.pair_product(pairs[i])].name +
           (model.pair_maker(pairs[i]) == model.pair_product(pairs[i])
                ? std::string()
                : " by " + model.nodes[model.pair_maker(pairs[i])].name);
  if (pairs.size() > most) out += fmt::format(" and {} more", pairs.size() - most);
  return out;
}

// What the controls deny, per perspective: the nodes denied outright, what each FDPR adds, then
// the pairs (product made by maker) with the control and the reason; at most `top` pairs per
// perspective.
std::optional<Section> denials_section(const Analysis& a, std::size_t top) {
  const Model& model = *a.model;
  if (a.perspectives.empty()) return std::nullopt;
  Section s{"denials", "What the controls deny", {}, {}};
  s.blocks.push_back(paragraph(
      "A pair is a product as made by one maker. direct: the controlling side makes it, or the "
      "product is its own; fdpr: a third country's maker makes it with the controlling side's "
      "inputs that the control's made_with names (by default every input located there; "
      "tools and EDA, say, not parts built into tools) under the foreign direct product rule, "
      "modelled as losing more than "
      "the control's de_minimis fraction of its output without them — a threshold of the "
      "model, not the de minimis rule on US-origin content."));
  for (std::uint32_t v = 0; v < a.perspectives.size(); ++v) {
    Section sub{"denied-" + a.perspectives[v].name, "Denied to " + a.perspectives[v].name, {}, {}};
    std::vector<Inline> nodes;
    std::size_t node_count = 0;
    for (NodeIndex n : model.by_id())
      if (node_denied(model, a.views[v], n) && ++node_count <= top)
        nodes.push_back(node_ref(model, n));
    Inline line = text("Denied outright (every maker): ");
    Inline list = join(nodes, ", ", "none");
    line.insert(line.end(), list.begin(), list.end());
    if (node_count > top)
      line.push_back(Span{K::text, fmt::format(" and {} more", node_count - top), {}});
    line.push_back(Span{K::text, ".", {}});
    sub.blocks.push_back(paragraph(std::move(line)));
    // What each FDPR adds over the direct denials: same answer with and without it when nothing.
    std::set<std::uint32_t> direct;
    for (const auto& d : a.denials)
      if (d.perspective == v && d.reason == DenialReason::direct) direct.insert(d.pair);
    for (std::uint32_t k = 0; k < a.scenario.controls.size(); ++k) {
      const Control& c = a.scenario.controls[k];
      if (!c.fdpr || !control_applies(c, a.perspectives[v])) continue;
      std::set<std::uint32_t> added;
      for (const auto& d : a.denials)
        if (d.perspective == v && d.control == k && d.reason == DenialReason::fdpr &&
            !direct.count(d.pair))
          added.insert(d.pair);
      sub.blocks.push_back(paragraph(
          added.empty()
              ? fmt::format("The foreign direct product rule of {} adds nothing here: every "
                            "foreign-made pair it reaches is also denied directly, or none "
                            "depends on the controlling side's inputs beyond the rule's "
                            "threshold ({} of the pair's output). Without the rule the answer "
                            "is the same.",
                            c.id, percent(c.de_minimis))
              : fmt::format(
                    "The foreign direct product rule of {} adds {} pair{} made abroad "
                    "to what is denied directly: {}.",
                    c.id, added.size(), added.size() == 1 ? "" : "s",
                    made_by(model, std::vector<std::uint32_t>(added.begin(), added.end()), 5))));
    }
    std::vector<const Denial*> rows;
    for (const auto& d : a.denials)
      if (d.perspective == v && model.nodes[model.pair_product(d.pair)].has_suppliers)
        rows.push_back(&d);
    if (!rows.empty()) {
      Table t =
          table({{"product", false}, {"maker", false}, {"control", false}, {"reason", false}});
      for (std::size_t i = 0; i < std::min(top, rows.size()); ++i) {
        const Denial& d = *rows[i];
        std::string reason = d.reason == DenialReason::fdpr
                                 ? fmt::format("fdpr: loses {}% without controlled inputs",
                                               short_number(100 * d.fall))
                                 : "direct";
        t.rows.push_back(
            {cell(node_ref(model, model.pair_product(d.pair))),
             cell(node_ref(model, model.pair_maker(d.pair))),
             cell(a.scenario.controls[d.control].id + lifted_note(a.scenario.controls[d.control])),
             cell(reason)});
      }
      sub.blocks.push_back(table_block(std::move(t)));
      if (rows.size() > top)
        sub.blocks.push_back(
            paragraph(fmt::format("{} more denied pairs in the JSON report.", rows.size() - top)));
    }
    s.children.push_back(std::move(sub));
  }
  return s;
}

// Per view, each target below its baseline and the nodes whose restoration alone would recover
// most of it: the answer to "why is this target lost?".
std::optional<Section> causes_section(const Analysis& a) {
  const Model& model = *a.model;
  if (a.causes.targets.empty()) return std::nullopt;
  Section s{"causes", "Why targets fall", {}, {}};
  s.blocks.push_back(paragraph(
      "For each target below its baseline, the nodes whose restoration alone (back to their "
      "baseline, everything else as in the scenario) would recover most of it, with the capacity "
      "each would give back. A node listed with the whole loss is the cause; several that each "
      "give back part are causes together, and the first says which input then holds the target "
      "down. In a side's view, the controls behind the loss: what "
      "the target regains when the pairs a control alone denies to that side are allowed again "
      "(the other controls in place), and that gain's share of the loss; shares of controls that "
      "deny overlapping supplies need not add up to 100 %."));
  if (a.causes.capped)
    s.blocks.push_back(
        paragraph("More nodes were reduced than could be tried; the 300 with the "
                  "largest drops per view were."));
  auto view_section = [&](std::size_t v) {
    bool world = v == TargetCauses::kWorld;
    std::string name = world ? "world" : a.views[v].name;
    Section sub{
        "causes-" + name, world ? "In the world" : "In " + view_phrase(model, name), {}, {}};
    std::vector<std::pair<std::string, bool>> cols = {
        {"target", false}, {"capacity", true}, {"restoring alone recovers", false}};
    if (!world) cols.emplace_back("the controls behind it", false);
    Table t = table(cols);
    for (const auto& tc : a.causes.targets) {
      if (tc.view != v) continue;
      if (!world && !shown_in_view(model, a.perspectives[v], tc.target)) continue;
      double c = world ? a.world[tc.target] : a.views[v].cap[tc.target];
      std::vector<Inline> parts;
      for (const Cause& cause : tc.causes) {
        Inline part = node_ref(model, cause.node);
        part.push_back(Span{K::text, " +" + points(cause.recovered), {}});
        // The largest cause short of the whole loss: what then holds the target down (China's
        // training regains 12 points with its compute, inference 37: training data holds it).
        if (parts.empty() && cause.held_by != Cause::kNone) {
          part.push_back(Span{K::text, " (then ", {}});
          Inline by = node_ref(model, cause.held_by);
          part.insert(part.end(), by.begin(), by.end());
          part.push_back(Span{K::text, " holds it at " + percent(cause.held_at) + ")", {}});
        }
        parts.push_back(std::move(part));
      }
      std::vector<Cell> row = {cell(node_ref(model, tc.target)),
                               with_status(c, status_of(c, a.baseline[tc.target])),
                               cell(join(parts, "; ", "no single node: several causes together"))};
      if (!world) {
        // Each control: what lifting its denials alone gives back, as a share of the loss.
        double loss = a.baseline[tc.target] - c;
        std::vector<Inline> controls;
        for (const auto& [k, gain] : tc.controls) {
          Inline part = code(a.scenario.controls[k].id);
          part.push_back(
              Span{K::text,
                   fmt::format("{} +{} ({} of the loss)", lifted_note(a.scenario.controls[k]),
                               points(gain), percent(loss > 0 ? gain / loss : 0)),
                   {}});
          controls.push_back(std::move(part));
        }
        row.push_back(cell(join(controls, "; ", "none alone (controls overlap, or no control)")));
      }
      t.rows.push_back(std::move(row));
    }
    if (!t.rows.empty()) {
      sub.blocks.push_back(table_block(std::move(t)));
      s.children.push_back(std::move(sub));
    }
  };
  view_section(TargetCauses::kWorld);
  for (std::size_t v = 0; v < a.views.size(); ++v) view_section(v);
  return s;
}

// Every node the scenario changes (in the world or a view that shows it), by id; with `limit`,
// the `limit` that fall furthest below their baseline (anywhere), and how many were left out.
Table changed_nodes_table(const Analysis& a, std::optional<std::size_t> limit = std::nullopt,
                          std::size_t* left_out = nullptr) {
  const Model& model = *a.model;
  std::vector<std::pair<std::string, bool>> cols = {
      {"node", false}, {"kind", false}, {"baseline", true}, {"world", true}};
  for (const auto& p : a.perspectives) cols.emplace_back("view " + p.name, true);
  Table t = table(cols, "(none)");
  auto value = [&](double v, NodeIndex n) {
    Status s = status_of(v, a.baseline[n]);
    if (s == Status::ok && std::abs(v - a.baseline[n]) <= kStatusEpsilon)
      return Cell{text("ok"), v};
    return with_status(v, s);
  };
  std::vector<std::pair<double, NodeIndex>> changed_nodes;  // the fall below baseline, the node
  for (NodeIndex n : model.by_id()) {
    bool changed = changed_by_scenario(a, n);
    double lowest = a.world[n];
    for (std::size_t v = 0; v < a.views.size(); ++v)
      if (shown_in_view(model, a.perspectives[v], n)) {
        changed = changed || changed_in_view(a, v, n);
        lowest = std::min(lowest, a.views[v].cap[n]);
      }
    if (changed) changed_nodes.emplace_back(lowest - a.baseline[n], n);
  }
  if (limit && changed_nodes.size() > *limit) {
    std::stable_sort(changed_nodes.begin(), changed_nodes.end(), [](const auto& x, const auto& y) {
      return report_number(x.first) < report_number(y.first);
    });
    if (left_out) *left_out = changed_nodes.size() - *limit;
    changed_nodes.resize(*limit);
  }
  for (const auto& [fall, n] : changed_nodes) {
    std::vector<Cell> row = {cell(node_ref(model, n)), cell(model.nodes[n].kind),
                             Cell{text(percent(a.baseline[n])), a.baseline[n]},
                             value(a.world[n], n)};
    for (std::size_t v = 0; v < a.views.size(); ++v)
      row.push_back(shown_in_view(model, a.perspectives[v], n) ? value(a.views[v].cap[n], n)
                                                               : cell("–"));
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Beside every figure that sums what a side loses through whole markets (decoupling, disruption,
// leverage and exposure): the model rations a market short of supply in proportion.
constexpr std::string_view kRationedInProportion =
    "A market that loses part of its supply is shared out in proportion: every buyer loses the "
    "same fraction. AI clusters, small and well-paying buyers of whole markets such as neon, "
    "NAND flash or etch chemicals, would be served first, so the rows of such markets overstate "
    "what they cost a side.";

std::vector<Section> decoupling_sections(const Model& model, const DecoupleResult& r) {
  std::vector<Section> out;
  for (const DecoupleSide* side : {&r.a, &r.b}) {
    Section s{"decoupling-" + side->name, side->name, {}, {}};
    if (side->targets.empty()) {
      s.blocks.push_back(paragraph("No target is located in this side."));
      out.push_back(std::move(s));
      continue;
    }
    Table t = table({{"target", false},
                     {"capacity", true},
                     {"status", false},
                     {"years to substitute", true},
                     {"substitution sets", false}});
    for (const auto& target : side->targets) {
      std::vector<Inline> sets;
      for (const auto& set : target.sets) sets.push_back(id_list(model, set));
      if (target.truncated) sets.push_back(text("…"));
      // Only a lost target (or one nearly lost) has sets to build; "–" beside a degraded one read
      // as "unknown".
      bool lost = target.status == Status::lost || target.nearly_lost;
      Inline set_text = join(sets, "; ", lost ? "none within the order" : "n/a (not lost)");
      Cell state = status(target.status);
      if (target.nearly_lost)
        state = cell(fmt::format("nearly lost (below {})", percent(kNearlyLost)));
      t.rows.push_back({cell(node_ref(model, target.target)), percent_cell(target.capacity),
                        std::move(state),
                        target.years_to_substitute ? number(*target.years_to_substitute)
                        : lost                     ? cell("not given (no substitution_years)")
                                                   : cell("n/a (not lost)"),
                        cell(set_text)});
    }
    s.blocks.push_back(table_block(std::move(t)));
    out.push_back(std::move(s));
  }
  return out;
}

Section decoupling_section(const Model& model, const DecoupleResult& r) {
  Section s{"decoupling",
            fmt::format("Decoupling {} / {}{}", r.a.name, r.b.name, r.fdpr ? " (with FDPR)" : ""),
            {},
            decoupling_sections(model, r)};
  // The two controls the decoupling added last to its scenario share their terms.
  std::string items, terms;
  if (!r.scenario.controls.empty()) {
    const Control& c = r.scenario.controls.back();
    if (!c.items_text.empty()) items = " (items " + c.items_text + ")";
    if (r.fdpr)
      terms =
          ", with the foreign direct product rule " + fdpr_terms(c.made_with_text, c.de_minimis);
  } else if (r.fdpr) {
    terms = ", with the foreign direct product rule";
  }
  s.blocks.push_back(paragraph(fmt::format(
      "Each side controls every item against the other{}{}. For each side: its targets in its own "
      "view, and for lost ones the smallest sets of nodes it would have to build and how long "
      "that takes; a target below 10 % of its capacity counts as nearly lost, with the sets "
      "that bring it back above 10 % (each member lost or below 10 % of its own); a degraded "
      "target above that keeps what its capacity says, with nothing to build. {}",
      items, terms, kRationedInProportion)));
  return s;
}

// Disruption between the two sides (removal, not a control): by jurisdiction, then each side's
// nodes whose loss hurts the other side more, and what hurts it most, wherever it is.
Section disruption_section(const Model& model, const LeverageResult& r, std::size_t top) {
  Section s{"disruption", "Disruption (removal for everyone): " + r.a + " / " + r.b, {}, {}};
  s.blocks.push_back(paragraph(fmt::format(
      "The target capacity each side loses, in percentage points summed over its targets (two "
      "targets each halved: 100), if one node, or every node of one jurisdiction, disappeared "
      "for everyone: an outage, not a control (what a side can "
      "withhold is under \"Leverage and exposure\"). Each side's loss is taken as it buys (its "
      "own sourcing, and the scenario's controls against it): a side that buys little from the "
      "removed supplier loses little, and one already denied its product loses nothing more. "
      "The net figure of a side's node is the other side's loss minus its own; \"net at world "
      "shares\" is the same sum with every buyer at world market shares, for comparison. "
      "Targets of a removed jurisdiction are not counted. {}",
      kRationedInProportion)));
  if (auto note = shared_amount_note(model, model.targets)) s.blocks.push_back(paragraph(*note));
  std::string la = "loss to " + r.a + " (points)", lb = "loss to " + r.b + " (points)";
  Table codes = table({{"jurisdiction", false},
                       {"side", false},
                       {la, true},
                       {lb, true},
                       {"at world shares: " + r.a + " / " + r.b, true}});
  // A side whose every target is in the removed jurisdiction has nothing left to count: its 0
  // would read as "no loss".
  auto all_removed = [&](const std::vector<JurisdictionIndex>& codes, JurisdictionIndex j) {
    bool any = false;
    for (NodeIndex t : model.targets) {
      JurisdictionIndex tj = model.nodes[t].jurisdiction;
      if (!std::binary_search(codes.begin(), codes.end(), tj)) continue;
      if (tj != j) return false;
      any = true;
    }
    return any;
  };
  auto loss = [&](double v, const std::vector<JurisdictionIndex>& codes, JurisdictionIndex j) {
    return all_removed(codes, j) ? cell("n/a (its targets are removed)") : signed_cell(v);
  };
  for (const auto& [j, impact] : r.jurisdictions) {
    if (!impact.any()) continue;
    int side = r.side_of_code(j);
    codes.rows.push_back(
        {cell(code(std::string(model.jurisdiction_code(j)))),
         cell(side == 0   ? r.a
              : side == 1 ? r.b
                          : "–"),
         loss(impact.on_a_view, r.a_codes, j), loss(impact.on_b_view, r.b_codes, j),
         cell((all_removed(r.a_codes, j) ? "n/a" : signed_points(impact.on_a)) + " / " +
              (all_removed(r.b_codes, j) ? "n/a" : signed_points(impact.on_b)))});
  }
  s.children.push_back(
      Section{"disruption-jurisdictions", "By jurisdiction", {table_block(std::move(codes))}, {}});
  for (int side = 0; side < 2; ++side) {
    const std::string& own = side == 0 ? r.a : r.b;
    const std::string& other = side == 0 ? r.b : r.a;
    auto own_loss = [&](NodeIndex n) {
      return side == 0 ? r.nodes[n].on_a_view : r.nodes[n].on_b_view;
    };
    auto other_loss = [&](NodeIndex n) {
      return side == 0 ? r.nodes[n].on_b_view : r.nodes[n].on_a_view;
    };
    auto world_net = [&](NodeIndex n) {
      return side == 0 ? r.nodes[n].on_b - r.nodes[n].on_a : r.nodes[n].on_a - r.nodes[n].on_b;
    };
    std::vector<NodeIndex> points, exposure;
    for (NodeIndex n : model.by_id()) {
      if (r.side_of(model, n) == side && other_loss(n) - own_loss(n) > kStatusEpsilon)
        points.push_back(n);
      if (own_loss(n) > kStatusEpsilon) exposure.push_back(n);
    }
    auto by = [&](auto key) {
      return [&, key](NodeIndex x, NodeIndex y) {
        return report_number(key(x)) > report_number(key(y));
      };
    };
    std::stable_sort(points.begin(), points.end(),
                     by([&](NodeIndex n) { return other_loss(n) - own_loss(n); }));
    std::stable_sort(exposure.begin(), exposure.end(), by(own_loss));
    Table lev = table({{"node", false},
                       {"loss to " + other + " (points)", true},
                       {"loss to " + own + " (points)", true},
                       {"net (points)", true},
                       {"net at world shares", true}},
                      "(none)");
    for (std::size_t i = 0; i < std::min(top, points.size()); ++i) {
      NodeIndex n = points[i];
      lev.rows.push_back({cell(node_ref(model, n)), signed_cell(other_loss(n)),
                          signed_cell(own_loss(n)), signed_cell(other_loss(n) - own_loss(n)),
                          signed_cell(world_net(n))});
    }
    s.children.push_back(Section{"disruption-" + own,
                                 "Nodes of " + own + " whose loss hurts " + other + " more",
                                 {table_block(std::move(lev))},
                                 {}});
    Table exp = table({{"node", false},
                       {"jurisdiction", false},
                       {"loss to " + own + " (points)", true},
                       {"loss to " + other + " (points)", true}},
                      "(none)");
    for (std::size_t i = 0; i < std::min(top, exposure.size()); ++i) {
      NodeIndex n = exposure[i];
      JurisdictionIndex j = model.nodes[n].jurisdiction;
      exp.rows.push_back(
          {cell(node_ref(model, n)),
           cell(j == kNoJurisdiction ? "–" : std::string(model.jurisdiction_code(j))),
           signed_cell(own_loss(n)), signed_cell(other_loss(n))});
    }
    s.children.push_back(Section{"disruption-exposure-" + own,
                                 "What hurts " + own + " most",
                                 {table_block(std::move(exp))},
                                 {}});
  }
  return s;
}

// One direction of withholding (`w`, from one side to the other): its jurisdictions' totals, the
// items that cost most, and a sentence when one item makes most of a total.
Section withholding_direction(const Model& model, const WithholdingResult& r, const Withholding& w,
                              const std::string& id, const std::string& title, std::size_t top) {
  Section d{id, title, {}, {}};
  bool any_code = std::any_of(w.jurisdictions.begin(), w.jurisdictions.end(),
                              [](const auto& c) { return c.second > kStatusEpsilon; });
  if (w.nodes.empty() && !any_code) {
    d.blocks.push_back(paragraph(
        fmt::format("{} can deny {} nothing that costs its targets capacity{}.", w.from, w.to,
                    w.targets.empty() ? fmt::format(" ({} has no target)", w.to) : "")));
    return d;
  }
  Table codes = table({{"jurisdiction", false}, {"loss to " + w.to + " (points)", true}}, "(none)");
  for (const auto& [j, loss] : w.jurisdictions)
    if (loss > kStatusEpsilon)
      codes.rows.push_back(
          {cell(code(std::string(model.jurisdiction_code(j)))), points_cell(loss)});
  d.blocks.push_back(
      paragraph(fmt::format("Each jurisdiction of {} controlling every item:", w.from)));
  d.blocks.push_back(table_block(std::move(codes)));
  Table items = table({{"item controlled", false},
                       {"made in " + w.from, false},
                       {"loss to " + w.to + " (points)", true}},
                      "(none)");
  // Where the controlling side makes the item: the item's own place, else its makers' (an item
  // without jurisdiction is made wherever its makers are).
  auto side = perspective_of(model, w.from);
  auto makers_in_side = [&](NodeIndex n) {
    std::set<JurisdictionIndex> codes;
    auto add = [&](JurisdictionIndex j) {
      if (j != kNoJurisdiction && side &&
          std::binary_search(side->codes.begin(), side->codes.end(), j))
        codes.insert(j);
    };
    add(model.nodes[n].jurisdiction);
    for (std::uint32_t q = model.first_pair(n); q < model.first_pair(n + 1); ++q)
      add(model.pair_jurisdiction(q));
    return codes;
  };
  auto names = [&](const auto& codes) {
    std::vector<std::string> out;
    for (JurisdictionIndex j : codes) out.emplace_back(model.jurisdiction_code(j));
    std::sort(out.begin(), out.end());
    return listed(out);
  };
  // Third-country makers only the FDPR reaches are named, so that a row the FDPR carries reads
  // as such ("JP and US; by the FDPR: KR").
  auto made_in = [&](NodeIndex n) {
    auto codes = makers_in_side(n);
    const auto& reached = w.reached_by_fdpr(n);
    std::string via = reached.empty() ? "" : "by the FDPR: " + names(reached);
    if (codes.empty())
      return !via.empty() ? "none; " + via
                          : std::string(r.fdpr ? "none (reached by the FDPR)" : "–");
    return via.empty() ? names(codes) : names(codes) + "; " + via;
  };
  for (std::size_t i = 0; i < std::min(top, w.nodes.size()); ++i) {
    auto [n, loss] = w.nodes[i];
    items.rows.push_back({cell(node_ref(model, n)), cell(made_in(n)), points_cell(loss)});
  }
  d.blocks.push_back(paragraph(fmt::format(
      "The items whose control by {} costs {} most{}:", w.from, w.to,
      w.nodes.size() > top ? fmt::format(" (the first {} of {})", top, w.nodes.size()) : "")));
  d.blocks.push_back(table_block(std::move(items)));
  if (w.nodes.empty()) return d;
  // One item that makes most of a jurisdiction's total says so: the decoupling's 170 points of
  // China's exposure were 147 of neon, one whole market rationed in proportion. The
  // jurisdiction is the one with the largest total among those the item is within reach of (made
  // there, or reached by its FDPR): TSMC's 16 nm under a bloc with Taiwan in it is Taiwan's, not
  // the US's 90 points.
  auto [first, first_loss] = w.nodes.front();
  auto made_there = makers_in_side(first);
  bool fdpr_reaches = r.fdpr && !w.reached_by_fdpr(first).empty();
  auto largest = w.jurisdictions.end();
  for (auto it = w.jurisdictions.begin(); it != w.jurisdictions.end(); ++it)
    if ((made_there.count(it->first) > 0 || (fdpr_reaches && model.applies_fdpr(it->first))) &&
        (largest == w.jurisdictions.end() || it->second > largest->second))
      largest = it;
  if (largest != w.jurisdictions.end() && largest->second > kStatusEpsilon &&
      first_loss >= 0.5 * largest->second) {
    Inline line = node_ref(model, first);
    append(line, text(fmt::format(
                     " alone is {} of the {} that {} controlling every item costs {}: read the "
                     "total as mostly this one item (a market short of supply is shared out in "
                     "proportion, as above).",
                     points(first_loss), points(largest->second),
                     model.jurisdiction_code(largest->first), w.to)));
    d.blocks.push_back(paragraph(std::move(line)));
  }
  return d;
}

// Leverage and exposure as withholding: what each side can deny the other by a control on one
// item (or by each of its jurisdictions on every item), on top of the run's scenario.
Section withholding_section(const Model& model, const WithholdingResult& r, std::size_t top) {
  Section s{"leverage", "Leverage and exposure: " + r.a + " / " + r.b, {}, {}};
  Inline intro = text(
      "What one side can deny the other: the capacity the other side's targets lose in its own "
      "view, in percentage points summed over them (two targets each halved: 100), when the first "
      "side adds a control on one item against it");
  if (!r.items.empty()) {
    append(intro, text(", of the items "));
    append(intro, Inline{Span{K::code, r.items, {}}});
  }
  append(intro,
         text(fmt::format(
             "{} (or, per jurisdiction, a control by that jurisdiction alone on every such item). "
             "Leverage of {} is what {} can deny {}; its exposure is what {} can deny it.",
             r.fdpr ? ", with the foreign direct product rule of those of its jurisdictions that "
                      "have one " +
                          fdpr_terms(r.made_with, r.de_minimis)
                    : "",
             r.a, r.a, r.b, r.b)));
  append(intro, text(" " + std::string(kRationedInProportion)));
  s.blocks.push_back(paragraph(std::move(intro)));
  std::vector<NodeIndex> summed = r.leverage.targets;
  summed.insert(summed.end(), r.exposure.targets.begin(), r.exposure.targets.end());
  if (auto note = shared_amount_note(model, summed)) s.blocks.push_back(paragraph(*note));
  s.children.push_back(withholding_direction(model, r, r.leverage, "leverage-" + r.a,
                                             "Leverage of " + r.a + ": what it can deny " + r.b,
                                             top));
  s.children.push_back(
      withholding_direction(model, r, r.exposure, "exposure-" + r.a,
                            "Exposure of " + r.a + ": what " + r.b + " can deny it", top));
  return s;
}

// The message of the most severe rule that fired (then the highest score, then the first), and
// the ids of the others: one sentence a reader can take in; the node details carry them all.
Inline why(const rules::NodeScore& s) {
  if (s.fired.empty()) return text("–");
  std::size_t best = 0;
  for (std::size_t i = 1; i < s.fired.size(); ++i) {
    const rules::Rule& f = *s.fired[i].rule;
    const rules::Rule& b = *s.fired[best].rule;
    if (f.severity > b.severity || (f.severity == b.severity && f.score > b.score)) best = i;
  }
  std::string out = s.fired[best].message;
  std::vector<std::string> others;
  for (std::size_t i = 0; i < s.fired.size(); ++i)
    if (i != best) others.push_back(s.fired[i].rule->id);
  if (!others.empty()) out += fmt::format(" (also {})", fmt::join(others, ", "));
  return text(out);
}

Cell severity(const rules::NodeScore& s) {
  return Cell{Inline{Span{K::severity, std::string(rules::level_name(s.severity)), {}}},
              static_cast<double>(s.severity)};
}

// Which buyers a ranking is read for: " In the world view: ..." or " In CN's view: ...".
std::string ranked_in(const Analysis& a) {
  if (a.viewed_as)
    return fmt::format(" In {}: as it buys, with the controls against it applied.",
                       view_phrase(*a.model, a.viewed_as->name));
  return " In the world view: every buyer at world market shares, no control applied to the "
         "buyer (--view ranks them as one side buys).";
}

std::vector<Section> severity_sections(const Model& model,
                                       const std::vector<rules::NodeScore>& scores, std::size_t top,
                                       const Analysis* a = nullptr) {
  std::size_t counts[5] = {0, 0, 0, 0, 0};
  for (const auto& s : scores) ++counts[static_cast<int>(s.severity)];
  Section sev{"severity", "Severity", {}, {}};
  sev.blocks.push_back(
      paragraph(fmt::format("critical {}, high {}, medium {}, low {}, info {}.", counts[4],
                            counts[3], counts[2], counts[1], counts[0])));
  std::vector<NodeIndex> order = ranked_choke_points(model, scores, a);
  Section top_section{"choke-points", "Top choke points", {}, {}};
  top_section.blocks.push_back(paragraph(
      a ? "Ranked by severity, then score, then impact; the reason given is the most severe rule "
          "that fired (the node details list them all)." +
              ranked_in(*a)
        : "Ranked by severity, then score; the reason given is the most severe rule that fired."));
  // In a country's view, how much of each it makes itself: a choke point made mostly at home is
  // a single point of failure no other country can deny.
  const Perspective* side = a ? home_side(*a) : nullptr;
  if (side)
    top_section.blocks.push_back(paragraph(fmt::format(
        "\"made in {0}\" is the share of the item {0} buys from makers in {0}: at half or more "
        "it is a single point of failure at home, which no other country can deny.",
        side->name)));
  std::vector<std::pair<std::string, bool>> columns{
      {"node", false}, {"kind", false}, {"severity", false}, {"score", true}, {"why", false}};
  if (side) columns.insert(columns.begin() + 4, {"made in " + side->name, true});
  Table t = table(std::move(columns));
  for (std::size_t i = 0; i < std::min(top, order.size()); ++i) {
    NodeIndex n = order[i];
    t.rows.push_back({cell(node_ref(model, n)), cell(model.nodes[n].kind), severity(scores[n]),
                      number(scores[n].score), cell(why(scores[n]))});
    if (side)
      t.rows.back().insert(
          t.rows.back().begin() + 4,
          model.nodes[n].supplier_group() || model.nodes[n].jurisdiction != kNoJurisdiction
              ? cell(percent(home_share(model, *side, n)))
              : cell("–"));
  }
  top_section.blocks.push_back(table_block(std::move(t)));
  if (order.size() > top)
    top_section.blocks.push_back(
        paragraph(fmt::format("{} more scored nodes in the JSON report.", order.size() - top)));
  return {sev, top_section};
}

Section impact_section(const Analysis& a, bool scored, std::size_t top) {
  const Model& model = *a.model;
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
  Section s{"impact", scored ? "Largest impact" : "Top choke points", {}, {}};
  s.blocks.push_back(
      paragraph("Ranked by impact: the target capacity lost if the node alone is removed, in "
                "percentage points summed over the targets (two targets each halved: 100); the top "
                "supplier with its share of the item." +
                ranked_in(a)));
  if (auto note = shared_amount_note(model, model.targets)) s.blocks.push_back(paragraph(*note));
  Table t = table({{"node", false},
                   {"kind", false},
                   {"jurisdiction", false},
                   {"impact (points)", true},
                   {"single point of failure for", false},
                   {"top supplier", false},
                   {"HHI", true}});
  for (std::size_t i = 0; i < std::min(top, order.size()); ++i) {
    NodeIndex n = order[i];
    const auto& m = a.metrics.nodes[n];
    Inline supplier = text("–");
    if (m.top_supplier) {
      supplier = code(model.nodes[*m.top_supplier].id);
      supplier.push_back(Span{K::text, fmt::format(" ({})", percent(*m.top_share)), {}});
    }
    JurisdictionIndex j = model.nodes[n].jurisdiction;
    t.rows.push_back({cell(node_ref(model, n)), cell(model.nodes[n].kind),
                      cell(j == kNoJurisdiction ? "–" : std::string(model.jurisdiction_code(j))),
                      points_cell(m.impact), cell(id_list(model, m.spof)), cell(supplier),
                      m.hhi ? Cell{text(fmt::format("{:.0f}", *m.hhi)), *m.hhi} : cell("–")});
  }
  s.blocks.push_back(table_block(std::move(t)));
  if (order.size() > top)
    s.blocks.push_back(paragraph(
        fmt::format("{} more nodes with impact in the JSON report.", order.size() - top)));
  for (const auto& n : analysis_notes(a))
    if (auto said = section_sentence(n); !said.empty()) s.blocks.push_back(paragraph(said));
  return s;
}

// Cut sets summarised: how many of each size per target, then per target a line of the items
// that lose it alone (up to 3 x `top`) and one of the smallest `top` larger sets; the full list
// is in the JSON.
Section cut_sets_section(const Analysis& a, std::size_t top) {
  const Model& model = *a.model;
  bool by_code = a.cut_options.by_jurisdiction;
  Section s{"cut-sets",
            fmt::format("Cut sets (order {}, by {})", a.cut_options.order,
                        by_code ? "jurisdiction" : "node"),
            {},
            {}};
  s.blocks.push_back(paragraph(
      by_code ? "Minimal sets of jurisdictions whose loss (every node located there removed, a "
                "disruption) loses the target. For which countries must join a control for it "
                "to bite, see `chokepoint coalitions`."
              : "Minimal sets of nodes whose joint removal loses the target." + ranked_in(a)));
  Table counts = table({{"target", false},
                        {"size 1", true},
                        {"size 2", true},
                        {"size 3", true},
                        {"size 4", true},
                        {"truncated", false}});
  for (const auto& c : a.cut_sets) {
    std::size_t by_size[5] = {0, 0, 0, 0, 0};
    for (const auto& set : c.sets) ++by_size[std::min<std::size_t>(set.size(), 4)];
    std::vector<Cell> row = {cell(node_ref(model, c.target))};
    for (int k = 1; k <= 4; ++k)
      row.push_back(k <= a.cut_options.order ? number(static_cast<double>(by_size[k])) : cell("–"));
    row.push_back(cell(c.memory_hit   ? "yes (memory limit)"
                       : c.budget_hit ? "yes (work budget, --cut-budget)"
                       : c.truncated  ? "yes (--max-cut-sets)"
                                      : "no"));
    counts.rows.push_back(std::move(row));
  }
  s.blocks.push_back(table_block(std::move(counts)));
  for (const auto& c : a.cut_sets) {
    Section sub{"cut-sets-" + model.nodes[c.target].id, model.nodes[c.target].name, {}, {}};
    // One paragraph: the items that lose the target alone, then the smallest `top` larger sets.
    std::vector<Inline> alone, larger;
    for (const auto& set : c.sets) {
      std::vector<Inline> parts;
      for (const auto& id : set) parts.push_back(code(id));
      (set.size() == 1 ? alone : larger).push_back(join(parts, " + ", ""));
    }
    auto line = [&](const char* head, std::vector<Inline> sets, std::size_t most,
                    const std::string& sep) {
      std::size_t all = sets.size();
      if (all > most) sets.resize(most);
      Inline out = text(fmt::format("{} ({}{}): ", head, all,
                                    all > most ? fmt::format(", the first {}", most) : ""));
      Inline listed = join(sets, sep, "");
      out.insert(out.end(), listed.begin(), listed.end());
      out.push_back(Span{K::text, all > most ? "; the rest in the JSON report." : ".", {}});
      return out;
    };
    Inline both;
    if (!alone.empty()) both = line("Alone", std::move(alone), 3 * top, ", ");
    if (!larger.empty()) {
      if (!both.empty()) both.push_back(Span{K::text, " ", {}});
      append(both, line("With others", std::move(larger), top, "; "));
    }
    if (!both.empty()) sub.blocks.push_back(paragraph(std::move(both)));
    if (c.sets.empty())
      sub.blocks.push_back(paragraph(c.budget_hit
                                         ? "The search stopped at its limit before it found a set."
                                         : "No cut set of this order."));
    s.children.push_back(std::move(sub));
  }
  return s;
}

// The searchable table of every node: kind, jurisdiction, capacity, severity and key metrics.
Table nodes_table(const Analysis& a, const std::vector<rules::NodeScore>* scores) {
  const Model& model = *a.model;
  Table t = table({{"node", false},
                   {"kind", false},
                   {"jurisdiction", false},
                   {"capacity", true},
                   {"severity", false},
                   {"score", true},
                   {"impact", true},
                   {"reach", true},
                   {"HHI", true},
                   {"top jurisdiction", false}});
  t.facet = {0, 1, 1, 0, 1, 0, 0, 0, 0, 0};
  t.searchable = true;
  bool metrics = !a.metrics.nodes.empty();
  for (NodeIndex n : model.by_id()) {
    const Node& node = model.nodes[n];
    std::vector<Cell> row = {cell(node_ref(model, n)), cell(node.kind),
                             cell(std::string(model.jurisdiction_code(node.jurisdiction))),
                             number(a.world[n])};
    row.push_back(scores ? severity((*scores)[n]) : cell(""));
    row.push_back(scores ? number((*scores)[n].score) : cell(""));
    if (metrics) {
      const auto& m = a.metrics.nodes[n];
      row.push_back(number(m.impact));
      row.push_back(number(static_cast<double>(m.reach)));
      row.push_back(m.hhi ? Cell{text(fmt::format("{:.0f}", *m.hhi)), *m.hhi} : cell(""));
      row.push_back(cell(m.top_jurisdiction
                             ? *m.top_jurisdiction + " " + short_number(*m.top_jurisdiction_share)
                             : std::string()));
    } else {
      for (int i = 0; i < 4; ++i) row.push_back(cell(""));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// A node's first line: kind, jurisdiction, capacity in the world and in each view, substitution.
Inline node_head(const Analysis& a, NodeIndex n) {
  const Model& model = *a.model;
  const Node& node = model.nodes[n];
  JurisdictionIndex j = node.jurisdiction;
  Inline head = text(fmt::format(
      "{} · {} · capacity {} ({})", node.kind,
      j == kNoJurisdiction ? "no jurisdiction" : std::string(model.jurisdiction_code(j)),
      short_number(a.world[n]), status_name(status_of(a.world[n], a.baseline[n]))));
  for (std::size_t v = 0; v < a.views.size(); ++v)
    head.push_back(
        Span{K::text,
             fmt::format("; view {}: {} ({})", a.views[v].name, short_number(a.views[v].cap[n]),
                         status_name(status_of(a.views[v].cap[n], a.baseline[n]))),
             {}});
  if (node.substitution_years)
    head.push_back(
        Span{K::text,
             fmt::format("; {} years to substitute", short_number(*node.substitution_years)),
             {}});
  return head;
}

// Why a node scores: its severity and the fired rules' messages.
void add_fired_rules(Section& d, const rules::NodeScore& score) {
  if (score.fired.empty()) return;
  Block rules_list;
  rules_list.kind = Block::Kind::bullets;
  for (const auto& f : score.fired) {
    Inline item{Span{K::severity, std::string(rules::level_name(f.rule->severity)), {}},
                Span{K::text, " " + f.message, {}}};
    rules_list.items.push_back(std::move(item));
  }
  d.blocks.push_back(
      paragraph(fmt::format("Severity {} (score {}), because:", rules::level_name(score.severity),
                            short_number(score.score))));
  d.blocks.push_back(std::move(rules_list));
}

// Who supplies a node and what it needs, one line per group.
void add_groups(Section& d, const Model& model, const Node& node) {
  for (const Group& g : node.groups) {
    std::vector<Inline> members;
    for (const Member& m : g.members) {
      Inline mi = node_ref(model, m.node);
      mi.push_back(Span{K::text, fmt::format(" {}", short_number(m.weight)), {}});
      members.push_back(std::move(mi));
    }
    Inline line = text(g.role == Role::supplier ? "Suppliers: "
                       : g.members.size() == 1  ? "Needs: "
                                                : "Needs one of: ");
    Inline list = join(members, ", ", "–");
    line.insert(line.end(), list.begin(), list.end());
    if (g.threshold > 0)
      line.push_back(Span{K::text, fmt::format(" (at least {})", short_number(g.threshold)), {}});
    d.blocks.push_back(paragraph(std::move(line)));
  }
}

// One node's reference section: what an analyst asks of it (why it scores, who supplies it,
// what it needs, its metrics, its sources, each view).
Section node_section(const Analysis& a, const std::vector<rules::NodeScore>* scores, NodeIndex n) {
  const Model& model = *a.model;
  const Node& node = model.nodes[n];
  Section d{"node-" + node.id,
            node.name == node.id ? node.id : node.name + " (" + node.id + ")",
            {},
            {},
            true};
  d.blocks.push_back(paragraph(node_head(a, n)));
  if (scores) add_fired_rules(d, (*scores)[n]);
  add_groups(d, model, node);
  if (!a.metrics.nodes.empty()) {
    const auto& m = a.metrics.nodes[n];
    d.blocks.push_back(paragraph(fmt::format(
        "Impact {}, reach {}, betweenness {}, depth {}{}{}.", short_number(m.impact), m.reach,
        short_number(m.betweenness), m.depth, m.articulation ? ", articulation point" : "",
        m.spof.empty()
            ? ""
            : fmt::format(", single point of failure for {} target(s)", m.spof.size()))));
  }
  if (!node.sources.empty()) {
    std::vector<Inline> sources;
    for (const auto& src : node.sources) sources.push_back(text(src));
    Inline line = text("Sources: ");
    Inline list = join(sources, "; ", "");
    line.insert(line.end(), list.begin(), list.end());
    d.blocks.push_back(paragraph(std::move(line)));
  }
  return d;
}

// Every node: a searchable table, then one reference section per node.
Section nodes_section(const Analysis& a, const std::vector<rules::NodeScore>* scores) {
  Section s{"nodes", "All nodes", {}, {}, true};
  s.blocks.push_back(paragraph("Search, filter and sort; each name opens the node's details."));
  s.blocks.push_back(table_block(nodes_table(a, scores)));
  for (NodeIndex n : a.model->by_id()) s.children.push_back(node_section(a, scores, n));
  return s;
}

}  // namespace

Document analysis_report(const Analysis& a, const std::vector<rules::NodeScore>* scores,
                         const Options& options) {
  const Model& model = *a.model;
  Document d;
  d.title = fmt::format("chokepoint report{}: {}", in_view(a), title_of(model));
  facts(d, model, &a, options);
  add_notes(d, analysis_notes(a));
  // What a reader came for first: the summary, the targets (with their bands), the assumptions
  // that move them; then the choke points; then why (controls, changes), then the two-sided
  // views and the detail.
  if (auto s = analysis_summary(a, scores, options.uncertainty, options.path, options.precision))
    d.sections.push_back(std::move(*s));
  d.sections.push_back(targets_section(a, false, options.uncertainty));
  if (auto s = assumptions_section(model, options.uncertainty, options.precision))
    d.sections.push_back(std::move(*s));
  if (scores)
    for (auto& s : severity_sections(model, *scores, options.top, &a))
      d.sections.push_back(std::move(s));
  if (a.has_scenario && !a.scenario.empty()) {
    if (auto s = causes_section(a)) d.sections.push_back(std::move(*s));
    // Lists repeated per side or target keep to ten rows here (a brief); the JSON has them all.
    if (auto s = denials_section(a, std::min<std::size_t>(options.top, 10)))
      d.sections.push_back(std::move(*s));
    std::size_t more = 0;
    Table changed = changed_nodes_table(a, options.top, &more);
    Section changes{"changes", "What the scenario changes", {}, {}};
    if (more)
      changes.blocks.push_back(paragraph(fmt::format(
          "The {} of {} changed nodes that fall furthest below their baseline, in the world or a "
          "view that shows them; nodes.csv and the JSON report have every node.",
          options.top, options.top + more)));
    changes.blocks.push_back(table_block(std::move(changed)));
    d.sections.push_back(std::move(changes));
  }
  if (a.decoupling) d.sections.push_back(decoupling_section(model, *a.decoupling));
  if (a.withholding) d.sections.push_back(withholding_section(model, *a.withholding, 10));
  if (a.leverage) d.sections.push_back(disruption_section(model, *a.leverage, 10));
  if (options.diagram) {
    Section s{"diagram", "Diagram", {}, {}};
    s.blocks.push_back(figure(*options.diagram, "dependency diagram"));
    if (!options.diagram_note.empty()) s.blocks.push_back(paragraph(options.diagram_note));
    d.sections.push_back(std::move(s));
  }
  if (!options.target_diagrams.empty()) {
    Section s{"target-diagrams", "Diagrams per target", {}, {}};
    s.blocks.push_back(paragraph(
        a.perspectives.empty() || a.viewed_as
            ? "Each target with what it depends on, as many levels up as fit on a page (SVG "
              "files beside this report)."
            : "Each target with what it depends on, as many levels up as fit on a page (SVG "
              "files beside this report); a side's targets in that side's view, as the overview "
              "and the targets table give them, the others in the world's."));
    Block list;
    list.kind = Block::Kind::bullets;
    for (const auto& [t, file, note] : options.target_diagrams) {
      list.items.push_back(Inline{Span{K::link, model.nodes[t].name, file}});
      if (!note.empty()) append(list.items.back(), text(" (" + note + ")"));
    }
    s.blocks.push_back(std::move(list));
    d.sections.push_back(std::move(s));
  }
  if (!a.metrics.nodes.empty())
    d.sections.push_back(impact_section(a, scores != nullptr, options.top));
  if (!a.cut_sets.empty())
    d.sections.push_back(cut_sets_section(a, std::min<std::size_t>(options.top, 10)));
  if (options.node_details) d.sections.push_back(nodes_section(a, scores));
  return d;
}

Document whatif_report(const Analysis& a, const std::vector<rules::NodeScore>* baseline,
                       const std::vector<rules::NodeScore>* scores, const Options& options) {
  const Model& model = *a.model;
  Document d;
  d.title = fmt::format("What-if{}: {}", in_view(a), title_of(model));
  facts(d, model, &a, options);
  add_notes(d, whatif_notes(a));
  if (auto s = analysis_summary(a, scores, options.uncertainty, options.path, options.precision))
    d.sections.push_back(std::move(*s));
  d.sections.push_back(targets_section(a, true, options.uncertainty));
  if (auto s = assumptions_section(model, options.uncertainty, options.precision))
    d.sections.push_back(std::move(*s));
  if (auto s = causes_section(a)) d.sections.push_back(std::move(*s));
  if (auto s = denials_section(a, options.top)) d.sections.push_back(std::move(*s));
  d.sections.push_back(
      Section{"changes", "Changed nodes", {table_block(changed_nodes_table(a))}, {}});
  if (baseline && scores) {
    Table t = table({{"node", false}, {"baseline", false}, {"scenario", false}, {"why now", false}},
                    "(none)");
    for (NodeIndex n : model.by_id()) {
      const auto& b = (*baseline)[n];
      const auto& s = (*scores)[n];
      if (b.severity == s.severity && report_number(b.score) == report_number(s.score)) continue;
      t.rows.push_back(
          {cell(node_ref(model, n)),
           cell(fmt::format("{} ({})", rules::level_name(b.severity), short_number(b.score))),
           cell(fmt::format("{} ({})", rules::level_name(s.severity), short_number(s.score))),
           cell(why(s))});
    }
    d.sections.push_back(Section{"severity-changes", "Severity changes", {table_block(t)}, {}});
  }
  return d;
}

Document rank_report(const Analysis& a, const std::vector<RankEntry>& ranking, int order,
                     const Options& options, const RankSides* sides, std::size_t ranked) {
  ranked = std::max(ranked, ranking.size());
  const Model& model = *a.model;
  Document d;
  d.title = fmt::format("{} removals ranked{}: {}", order == 1 ? "Single" : "Pair", in_view(a),
                        title_of(model));
  facts(d, model, &a, options);
  add_notes(d, whatif_notes(a));
  std::size_t top = std::max<std::size_t>(options.top, 50);
  std::vector<std::pair<std::string, bool>> columns = {
      {"rank", true}, {"remove", false}, {"impact", true}};
  if (sides) {
    columns.push_back({"on " + sides->a_name, true});
    columns.push_back({"on " + sides->b_name, true});
  }
  columns.insert(columns.end(), {{"targets lost", false},
                                 {"worst loss", true},
                                 {"substitution (years)", true},
                                 {"supplier HHI", true}});
  Table t = table(columns);
  for (std::size_t i = 0; i < std::min(top, ranking.size()); ++i) {
    const auto& r = ranking[i];
    std::vector<Cell> row = {number(static_cast<double>(i + 1)), cell(id_list(model, r.removed)),
                             number(r.impact)};
    if (sides) {
      row.push_back(number(r.on_a));
      row.push_back(number(r.on_b));
    }
    row.push_back(cell(id_list(model, r.lost)));
    row.push_back(number(r.worst));
    row.push_back(r.substitution_years ? number(*r.substitution_years) : cell("–"));
    row.push_back(number(std::round(r.concentration * 10000)));
    t.rows.push_back(std::move(row));
  }
  Section s{"ranking",
            "Ranking",
            {paragraph("Ordered by impact (target capacity lost, summed over targets); ties by "
                       "the number of targets lost, the worst single loss, the longest "
                       "substitution and the supplier HHI of what is removed."),
             table_block(std::move(t))},
            {}};
  if (ranking.size() > top)
    s.blocks.push_back(paragraph(
        fmt::format("{} more in the JSON output (--format json).", ranking.size() - top)));
  if (ranked > ranking.size())
    s.blocks.push_back(paragraph(fmt::format(
        "{} removals were ranked; the reports keep the first {}.", ranked, ranking.size())));
  d.sections.push_back(std::move(s));
  return d;
}

Document decouple_report(const Model& model, const DecoupleResult& r, const Options& options,
                         const Scenario* base) {
  Document d;
  d.title = fmt::format("Decoupling {} / {}{}: {}", r.a.name, r.b.name,
                        r.fdpr ? " (with FDPR)" : "", title_of(model));
  facts(d, model, nullptr, options);
  // Said either way: a decoupling from nothing denied lists levers today's controls already pull.
  d.facts.push_back(text(
      "Starting from: " +
      (!base || base->empty()
           ? std::string("the graph as written, with nothing denied (controls already in force "
                         "are not assumed: add them with -s)")
           : (base->name.empty() ? "(unnamed scenario)" : base->name))));
  add_notes(d, decouple_notes(r));
  Section s = decoupling_section(model, r);
  d.sections = std::move(s.children);
  d.sections.insert(d.sections.begin(), Section{"decoupling", "Sides", s.blocks, {}});
  if (r.withholding) d.sections.push_back(withholding_section(model, *r.withholding, options.top));
  d.sections.push_back(disruption_section(model, r.leverage, options.top));
  return d;
}

namespace {

// ---- coalitions --sweep ----

std::string threshold_text(const std::optional<double>& below) {
  return below ? fmt::format("below {}", percent(*below)) : std::string("lost");
}

// The candidates with the largest Banzhaf index, in the candidates' order ("NL, US (0.5
// each)": a tie is shown as one, not settled by the alphabet); "–" if none is needed.
std::string most_needed(const Model& model, const CoalitionResult& r, const CoalitionTarget& t) {
  double top = 0;
  for (double b : t.banzhaf) top = std::max(top, report_number(b));
  if (top <= 0) return "–";
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < t.banzhaf.size(); ++i)
    if (report_number(t.banzhaf[i]) == top)
      codes.emplace_back(model.jurisdiction_code(r.candidates[i]));
  return fmt::format("{} ({}{})", fmt::join(codes, ", "), significant(top, 2),
                     codes.size() > 1 ? " each" : "");
}

// A target that stands at the bar before the control (10 % against "below 10 %"): any loss at
// all wins, so the coalitions that win say more about the bar than about who is needed.
bool at_the_bar(const CoalitionResult& r, const CoalitionTarget& t) {
  return !t.already && r.below && std::abs(t.baseline - *r.below) < 0.005;
}

// "none (all 18 candidates together: 51 %)" when no coalition of any size wins, else "none of at
// most 4 (a larger one wins)". `compact` for a chart's row label, which gnuplot cuts at about 50
// bytes: "none; all 18 together: 51 %", "none of at most 4; more win".
std::string no_coalition_cell(const CoalitionResult& r, const CoalitionTarget& t, int digits,
                              bool compact = false) {
  if (t.grand_wins)
    return compact ? fmt::format("none of at most {}; more win", r.max_size)
                   : fmt::format("none of at most {} (a larger one wins)", r.max_size);
  if (compact)
    return fmt::format("none; all {} together: {}", r.candidates.size(), percent(t.grand, digits));
  return fmt::format("none ({}: {})", all_together(r.candidates.size()), percent(t.grand, digits));
}

// Per target, the answer at each threshold: the minimal winning coalitions and the candidate
// most often needed.
// Beside every coalition answer that reads as "who had to join": what the model leaves out.
constexpr std::string_view kSharesNotBackfill =
    "A win or a loss here is a reading of the data's market shares: the model has no backfill (a "
    "maker outside the coalition growing to replace a controlled one) and gives a coalition's "
    "control no end-use or entity scope, so it cannot say what a control would have left in "
    "fact, nor why a country joined.";

Section coalition_sweep_section(const Model& model, const std::vector<CoalitionResult>& sweep,
                                const Options& options) {
  Section s{"coalition-sweep", "Across thresholds", {}, {}};
  s.blocks.push_back(paragraph(
      "The same control at every bar: a coalition wins when the target is lost, or when it falls "
      "below 10, 25, 50, 75 or 90 % of the capacity the graph gives it with nothing denied. A "
      "lower "
      "bar needs more members; where the answer "
      "changes with the bar, the choice of bar is part of the finding. Each minimal winning "
      "coalition is listed with its members joined by +, each with the product its denial "
      "matters most through (its first reason, as in the coalitions table), the coalitions "
      "separated by \"or\" (any one of them is enough), and, where the data's ranges were "
      "sampled, the share of samples in which it still wins. " +
      std::string(kSharesNotBackfill)));
  if (options.diagram) {
    s.blocks.push_back(figure(
        *options.diagram, "members of the smallest winning coalition per target and threshold"));
  }
  Table t = table({{"target", false},
                   {"wins when", false},
                   {"minimal winning coalitions", false},
                   {"most needed (Banzhaf)", false}});
  if (sweep.empty()) return s;
  for (std::size_t k = 0; k < sweep.front().targets.size(); ++k)
    for (const CoalitionResult& r : sweep) {
      const CoalitionTarget& target = r.targets[k];
      if (at_the_bar(r, target)) {
        t.rows.push_back({cell(node_ref(model, target.target)), cell(threshold_text(r.below)),
                          cell(fmt::format("– ({} before the control: at the bar, any loss wins)",
                                           percent(target.baseline, options.precision))),
                          cell("–")});
        continue;
      }
      std::string coalitions;
      if (target.already) coalitions = "(already, before the control)";
      for (std::size_t m = 0; m < target.minimal.size(); ++m) {
        std::string members;
        for (auto j : target.minimal[m]) {
          if (!members.empty()) members += " + ";
          members += model.jurisdiction_code(j);
          // The member's first reason: the product it denies that matters most.
          if (m < target.reasons.size())
            for (const auto& reason : target.reasons[m])
              if (reason.member == j && !reason.products.empty())
                members += ": " + model.nodes[reason.products.front().first].id;
        }
        if (m < target.win_share.size())  // how often it wins across the data's ranges
          members += fmt::format(" (wins in {})", percent(target.win_share[m], options.precision));
        if (!coalitions.empty()) coalitions += " or ";
        coalitions += members;
      }
      if (coalitions.empty()) coalitions = no_coalition_cell(r, target, options.precision);
      if (target.truncated) coalitions += " or …";
      // A bar just under where the target starts is won by any dent, a rationed share of neon
      // among them: a reading of the bar, not a lever.
      if (r.below && !target.already && !target.minimal.empty() &&
          target.baseline - *r.below < kKnifeEdge)
        coalitions += fmt::format(
            " (the target starts at {}, within {:g} points of the bar: a "
            "small loss wins)",
            percent(target.baseline, options.precision), 100 * kKnifeEdge);
      t.rows.push_back({cell(node_ref(model, target.target)), cell(threshold_text(r.below)),
                        cell(coalitions), cell(most_needed(model, r, target))});
    }
  s.blocks.push_back(table_block(std::move(t)));
  return s;
}

// "DE: mask writers (essential); JP: photoresist (gives back 42 points), ...; via FDPR: US" for one
// coalition.
Inline coalition_reasons(const Model& model, const CoalitionTarget& t, std::size_t k, int digits) {
  if (k >= t.reasons.size()) return text("–");
  Inline out;
  auto add = [&](Inline part) { out.insert(out.end(), part.begin(), part.end()); };
  for (const auto& r : t.reasons[k]) {
    if (!out.empty()) add(text("; "));
    add(code(std::string(model.jurisdiction_code(r.member))));
    add(text(": "));
    if (r.products.empty()) add(text("no single product (the members' denials together)"));
    for (std::size_t i = 0; i < r.products.size(); ++i) {
      if (i) add(text(", "));
      add(node_ref(model, r.products[i].first));
      add(text(r.essential || i >= r.alone.size()
                   ? std::string(" (essential)")
                   : " (costs " + points(r.alone[i], digits) + " on its own)"));
    }
    // No single denial is needed: the member counts for its denials together, ranked by what
    // each would cost alone (what lifting one gives back is small by definition).
    if (!r.essential && !r.products.empty())
      add(
          text(" — with any one of them lifted the coalition still wins: its denials bind "
               "together"));
  }
  // Each FDPR member, with what the products it reaches are made with that it makes.
  if (k < t.fdpr_members.size() && !t.fdpr_members[k].empty()) {
    std::vector<Inline> codes;
    for (auto j : t.fdpr_members[k]) {
      codes.push_back(code(std::string(model.jurisdiction_code(j))));
      std::vector<NodeIndex> with;
      add_reached_through(t.reasons[k], j, with);
      if (with.empty()) continue;
      append(codes.back(), text(" ("));
      append(codes.back(), made_with_phrase(model, with));
      append(codes.back(), text(")"));
    }
    add(text("; via FDPR: "));
    add(join(codes, ", ", ""));
  }
  return out;
}

}  // namespace

RangeChart coalition_sweep_chart(const Model& model, const std::vector<CoalitionResult>& sweep) {
  RangeChart chart;
  chart.title = sweep.empty() ? std::string("Coalitions")
                              : "Members a control against " + sweep.front().against +
                                    " needs, by the bar it must reach";
  chart.x_label = "members of the smallest winning coalition";
  chart.legend = {"smallest winning coalition"};
  int most = 1;
  if (!sweep.empty())
    for (std::size_t k = 0; k < sweep.front().targets.size(); ++k) {
      RangeRow heading;
      heading.label = shortened(model.nodes[sweep.front().targets[k].target].name, 72);
      heading.heading = true;
      chart.rows.push_back(std::move(heading));
      for (const CoalitionResult& r : sweep) {
        const CoalitionTarget& t = r.targets[k];
        most = std::max(most, r.max_size);
        RangeRow row;
        row.label = threshold_text(r.below);
        if (t.already)
          row.label += " (already)";
        else if (at_the_bar(r, t))
          row.label += " (at the bar: any loss)";
        else if (t.minimal.empty())
          row.label += " (" + no_coalition_cell(r, t, 2, true) + ")";
        else
          row.segments.push_back(RangeSegment{0, static_cast<double>(t.minimal.front().size()), 0});
        chart.rows.push_back(std::move(row));
      }
    }
  chart.x_min = 0;
  chart.x_max = most + 0.5;
  chart.x_step = 1;
  return chart;
}

Document coalitions_report(const Model& model, const Scenario& base, const CoalitionResult& r,
                           const Options& options) {
  Document d;
  d.title = "Coalitions against " + r.against + ": " + title_of(model);
  facts(d, model, nullptr, options);
  d.facts.push_back(text("Starting from: " +
                         (base.empty() ? std::string("the graph as written, with nothing denied")
                                       : (base.name.empty() ? "(unnamed scenario)" : base.name))));
  const Control& c = r.control;
  d.facts.push_back(text(
      fmt::format("Control: {}{}{}", c.items_text.empty() ? "every item" : "items " + c.items_text,
                  c.fdpr ? ", with the foreign direct product rule" : ", without the FDPR",
                  c.fdpr ? " " + fdpr_terms(c.made_with_text, c.de_minimis) : "")));
  std::vector<Inline> names;
  for (auto j : r.candidates) names.push_back(code(std::string(model.jurisdiction_code(j))));
  Inline line = text("Candidates: ");
  Inline list = join(names, ", ", "none");
  line.insert(line.end(), list.begin(), list.end());
  if (!r.idle.empty()) {
    std::vector<Inline> idle;
    for (auto j : r.idle) idle.push_back(code(std::string(model.jurisdiction_code(j))));
    append(line, text(" (left out: "));
    Inline more = join(idle, ", ", "");
    line.insert(line.end(), more.begin(), more.end());
    append(line, text(fmt::format(": nothing {} upstream is an item the control covers)",
                                  r.idle.size() == 1 ? "it locates" : "they locate")));
  }
  d.facts.push_back(std::move(line));
  add_notes(d, coalitions_notes(r));
  if (auto s = coalitions_summary(model, r, options.precision)) d.sections.push_back(std::move(*s));
  Section intro{"coalitions", "How to read this", {}, {}};
  intro.blocks.push_back(paragraph(fmt::format(
      "A coalition wins for a target when a control by its members {} in {}'s view. A minimal "
      "winning coalition needs every member: drop one and the target survives. The Banzhaf "
      "index of a candidate is the share of all swings (a losing coalition that it turns into a "
      "winning one) that are its own; the Shapley–Shubik index is the chance that it is the "
      "member whose joining makes the control bite, over every order of joining. Both sum to 1 "
      "over the candidates; 0 means the candidate is never needed.{}",
      r.below ? fmt::format("brings it below {}", percent(*r.below)) : "makes it lost", r.against,
      r.control.fdpr
          ? " The FDPR denies a maker's whole product when its output would fall by more than "
            "the de minimis fraction without the inputs the control's made_with names: the "
            "model does not split a product's units by which inputs they hold, so a rule that "
            "in law reaches some models of a product reaches all of it here (an upper bound)."
          : "")));
  d.sections.push_back(std::move(intro));
  for (const auto& t : r.targets) {
    Section s{"coalitions-" + model.nodes[t.target].id, model.nodes[t.target].name, {}, {}};
    s.blocks.push_back(paragraph(fmt::format(
        "In {}'s view: {} before the control, {} with every candidate in it.", r.against,
        percent(t.baseline, options.precision), percent(t.grand, options.precision))));
    if (t.already) {
      s.blocks.push_back(paragraph(
          r.below ? fmt::format("Already below {} before this control: no coalition is needed.",
                                percent(*r.below))
                  : std::string("Already lost before this control: no coalition is needed.")));
      d.sections.push_back(std::move(s));
      continue;
    }
    if (t.minimal.empty()) {
      s.blocks.push_back(
          paragraph(no_coalition(r, t, true) + kept_reading(model, r, t, options.precision) + "."));
    } else {
      bool sampled = !t.win_share.empty();
      std::vector<std::pair<std::string, bool>> columns = {{"size", true},
                                                           {"minimal winning coalition", false}};
      // With a bar, how far below it each coalition brings the target (lost is 0 for all).
      bool with_it = r.below && t.value.size() == t.minimal.size();
      auto near_bar = [&](double v) { return v > *r.below - kKnifeEdge; };
      if (with_it) columns.emplace_back("with it", true);
      if (sampled) columns.emplace_back("wins in samples", true);
      columns.emplace_back("why each member is needed", false);
      Table coalitions = table(columns);
      for (std::size_t k = 0; k < t.minimal.size(); ++k) {
        const auto& c = t.minimal[k];
        std::vector<Inline> members;
        for (auto j : c) members.push_back(code(std::string(model.jurisdiction_code(j))));
        std::vector<Cell> row = {number(static_cast<double>(c.size())),
                                 cell(join(members, " + ", ""))};
        // A win within a few points of the bar rests on the data's shares: a knife edge.
        if (with_it) {
          Cell v = percent_cell(t.value[k], options.precision);
          if (near_bar(t.value[k])) append(v.content, text(" (near the bar)"));
          row.push_back(std::move(v));
        }
        if (sampled) row.push_back(percent_cell(t.win_share[k], options.precision));
        row.push_back(cell(coalition_reasons(model, t, k, options.precision)));
        coalitions.rows.push_back(std::move(row));
      }
      if (with_it) {
        std::string says = fmt::format(
            "\"With it\": the target in {}'s view with the coalition in the control.", r.against);
        if (std::any_of(t.value.begin(), t.value.end(), near_bar))
          says += fmt::format(
              " \"Near the bar\": within {:.0f} points of {}, a win the data's shares decide, "
              "not the public record; the sweep over thresholds and the samples of the ranges say "
              "how firm it is.",
              100 * kKnifeEdge, percent(*r.below));
        s.blocks.push_back(paragraph(says));
      }
      if (sampled)
        s.blocks.push_back(paragraph(fmt::format(
            "Wins in samples: the share of {} samples of the ranges written in the data (seed "
            "{}) in which the coalition still wins.",
            r.win_samples, r.win_seed)));
      s.blocks.push_back(table_block(std::move(coalitions)));
      s.blocks.push_back(paragraph(
          "Why: for each member, the products it denies that the target cannot do without (its "
          "denials of that product alone, lifted, keep the target from losing), else the products "
          "whose denial on its own (the member denying only that product, on the starting point) "
          "costs the target most, in points of its capacity. \"via FDPR\": the member's foreign "
          "direct product rule carries part of the control. " +
          std::string(kRationedInProportion)));
      if (t.truncated) s.blocks.push_back(paragraph("More minimal coalitions in the JSON report."));
    }
    std::vector<std::size_t> order(t.shapley.empty() ? 0 : r.candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return report_number(t.shapley[a]) > report_number(t.shapley[b]);
    });
    Table power =
        table({{"jurisdiction", false}, {"Banzhaf", true}, {"Shapley–Shubik", true}, {"", false}});
    for (std::size_t i : order) {
      if (t.banzhaf[i] <= 0 && t.shapley[i] <= 0) continue;
      power.rows.push_back({cell(code(std::string(model.jurisdiction_code(r.candidates[i])))),
                            Cell{text(significant(t.banzhaf[i], 2)), t.banzhaf[i]},
                            Cell{text(significant(t.shapley[i], 2)), t.shapley[i]},
                            cell(Inline{Span{K::bar, "Shapley–Shubik", {}, t.shapley[i]}})});
    }
    if (!power.rows.empty()) {
      s.blocks.push_back(paragraph("Power indices (candidates that are never needed left out):"));
      s.blocks.push_back(table_block(std::move(power)));
      // Never needed is an answer too: name them (the 2023 tool question leaves the US out).
      // Only from exact indices: a sampled 0 may be a swing the samples missed.
      std::vector<Inline> never;
      for (std::size_t i = 0; r.exact && i < t.banzhaf.size(); ++i)
        if (t.banzhaf[i] <= 0 && t.shapley[i] <= 0)
          never.push_back(code(std::string(model.jurisdiction_code(r.candidates[i]))));
      if (!never.empty()) {
        Inline line = text("Never needed: ");
        append(line, join(never, ", ", ""));
        append(line, text(fmt::format(
                         ". {} in no minimal winning coalition at this bar: what it can deny "
                         "leaves the target above the bar (other makers supply the rest), or "
                         "every winning coalition's members deny it already. The sweep, where "
                         "run, shows the bars at which it wins. {}",
                         never.size() == 1 ? "It is" : "Each is", kSharesNotBackfill)));
        s.blocks.push_back(paragraph(std::move(line)));
      }
    }
    d.sections.push_back(std::move(s));
  }
  if (options.coalition_sweep)
    d.sections.push_back(coalition_sweep_section(model, *options.coalition_sweep, options));
  return d;
}

namespace {

std::string scenario_title(const Scenario& s) {
  return s.name.empty() ? std::string("(unnamed scenario)") : s.name;
}

std::string view_title(const Model& model, const TimelineResult& r, std::size_t v) {
  if (v == 0) return "World view";
  std::string phrase = view_phrase(model, r.views[v]);
  if (phrase.starts_with("the ")) phrase[0] = 'T';
  return phrase;
}

std::string part_title(const TimelinePart& p) {
  return p.name.empty() ? std::string("(unnamed)") : p.name;
}

// The targets a view's section and panel show: those located in it or without jurisdiction.
std::vector<NodeIndex> shown_targets(const TimelineResult& r, std::size_t v) {
  return r.view_targets[v];
}

// Whether the world view of a timeline with perspectives stays at 100 % throughout: controls
// against a side act in its view only, so its panel and table would show flat lines beside the
// side's falling ones (and be quoted as "China at 100 %").
bool world_unmoved(const TimelineResult& r) {
  if (r.views.size() < 2) return false;
  return std::all_of(r.series.begin(), r.series.end(), [&](const TimelineSeries& s) {
    return s.view != r.views[0] || std::all_of(s.capacity.begin(), s.capacity.end(),
                                               [](double c) { return std::abs(c - 1.0) <= 1e-9; });
  });
}

// The unit every target of a view gives its quantity in, if they all give one and agree.
const Quantity* shared_quantity(const Model& model, const std::vector<NodeIndex>& targets) {
  const Quantity* first = nullptr;
  for (NodeIndex t : targets) {
    const auto& q = model.nodes[t].extras.get().quantity;
    if (!q || (first && q->unit != first->unit)) return nullptr;
    if (!first) first = &*q;
  }
  return first;
}

// Lines that coincide (within 1e-9 over a quarter of the months or more) are lifted apart by
// `step` in turn, the first of them not at all; end labels are spread `gap` apart.
void keep_visible(ChartPanel& panel, double step, double gap) {
  auto coincide = [](const ChartSeries& a, const ChartSeries& b) {
    std::size_t same = 0, n = std::min(a.values.size(), b.values.size());
    for (std::size_t t = 0; t < n; ++t)
      if (std::abs(a.values[t] - b.values[t]) <= 1e-9 * std::max(1.0, std::abs(a.values[t])))
        ++same;
    return n > 0 && 4 * same >= n;
  };
  std::vector<std::size_t> slot(panel.series.size(), 0);
  for (std::size_t i = 0; i < panel.series.size(); ++i) {
    for (std::size_t k = 0;; ++k) {
      bool taken = false;
      for (std::size_t j = 0; j < i && !taken; ++j)
        taken = slot[j] == k && coincide(panel.series[i], panel.series[j]);
      if (!taken) {
        slot[i] = k;
        break;
      }
    }
    panel.series[i].lift = static_cast<double>(slot[i]) * step;
  }
  std::vector<std::size_t> order(panel.series.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto end = [&](std::size_t i) {
    const auto& s = panel.series[i];
    return (s.values.empty() ? 0.0 : s.values.back()) + s.lift;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return end(a) < end(b); });
  double last = -1e300;
  for (std::size_t i : order) last = panel.series[i].label_y = std::max(end(i), last + gap);
  // Labels pushed above the top come down together, still `gap` apart.
  double over = last - panel.y_max;
  if (over > 0)
    for (std::size_t i : order) panel.series[i].label_y -= over;
}

}  // namespace

LineChart timeline_chart(const Model& model, const Scenario& scenario, const TimelineResult& r) {
  LineChart chart;
  chart.title = scenario_title(scenario);
  chart.x_label = "month";
  std::size_t every = static_cast<std::size_t>(std::max(1, r.months / 10));
  for (std::size_t v = world_unmoved(r) ? 1 : 0; v < r.views.size(); ++v) {
    auto targets = shown_targets(r, v);
    if (targets.empty()) continue;
    ChartPanel panel;
    panel.title = view_title(model, r, v);
    const Quantity* unit = shared_quantity(model, targets);
    panel.y_label = unit ? unit->unit : std::string(kFullCapacityLabel);
    panel.percent_axis = unit == nullptr;
    double top = 1.0;
    for (std::size_t k = 0; k < targets.size(); ++k) {
      const TimelineSeries* s = nullptr;
      for (const auto& x : r.series)
        if (x.target == targets[k] && x.view == r.views[v]) s = &x;
      if (!s) continue;
      ChartSeries line;
      line.label = model.nodes[targets[k]].name;
      line.values = s->capacity;
      if (unit)
        for (double& x : line.values) x *= model.nodes[targets[k]].extras.get().quantity->value;
      for (double x : line.values) top = std::max(top, x);
      line.style = k;
      line.marker_every = every;
      line.marker_phase = (k * every / targets.size()) % every;
      panel.series.push_back(std::move(line));
    }
    panel.y_max = 1.1 * top;
    keep_visible(panel, 0.01 * panel.y_max, 0.065 * panel.y_max);
    chart.panels.push_back(std::move(panel));
  }
  return chart;
}

Document timeline_report(const Model& model, const Scenario& scenario, const TimelineResult& r,
                         const Options& options) {
  Document d;
  d.title = fmt::format("Timeline: {}", scenario_title(scenario));
  facts(d, model, nullptr, options);
  std::vector<std::string> parts;
  for (const auto& p : r.parts)
    parts.push_back(p.baseline ? fmt::format("baseline {} (never ends)", part_title(p))
                    : p.ends
                        ? fmt::format("{} (until month {})", part_title(p), short_number(*p.ends))
                        : fmt::format("{} (does not end)", part_title(p)));
  std::string list;
  for (const auto& p : parts) list += (list.empty() ? "" : "; ") + p;
  d.facts.push_back(text(fmt::format("Parts: {}", list)));
  d.facts.push_back(text(fmt::format(
      "Horizon: {} months; substitutes given as substitution_years {}", r.months,
      r.ramp == Ramp::step ? "arrive at once after their years (step)"
      : r.ramp == Ramp::linear
          ? "rise from nothing to full over their years (linear)"
          : "are left out (none): only substitutes with their own inputs close a gap")));
  add_notes(d, timeline_notes(r));
  // One note per view, not one per node: a full embargo names some twenty.
  for (std::size_t i = 0; i < r.assumed.size();) {
    std::size_t j = i;
    std::vector<std::string> nodes;
    while (j < r.assumed.size() && r.assumed[j].view == r.assumed[i].view) {
      // A node once, with the listed firms in whose hidden views it was raised.
      const AssumedSubstitute& a = r.assumed[j];
      std::vector<std::string> holders;
      int from = a.from_month;
      for (; j < r.assumed.size() && r.assumed[j].view == a.view && r.assumed[j].node == a.node;
           ++j) {
        from = std::min(from, r.assumed[j].from_month);
        if (r.assumed[j].holder) holders.push_back(model.nodes[*r.assumed[j].holder].id);
      }
      nodes.push_back(fmt::format(
          "{} (from month {}, {} years{})", model.nodes[a.node].name, from,
          short_number(model.nodes[a.node].substitution_years.value_or(0)),
          holders.empty() ? std::string()
                          : fmt::format(", in the view{} of {}", holders.size() > 1 ? "s" : "",
                                        listed(holders))));
    }
    d.notes.push_back(fmt::format(
        "Assumed: no inputs modelled. In {}, {} replaced by a substitute that needs nothing "
        "(substitution_years): {}. Give a node a substitute with its own inputs (substitutes:) "
        "to model what it would take, or run with --ramp none to leave these out.",
        r.assumed[i].view == "world" ? std::string("the world view")
                                     : view_phrase(model, r.assumed[i].view),
        nodes.size() == 1 ? std::string("one node is") : fmt::format("{} nodes are", nodes.size()),
        listed(nodes)));
    i = j;
  }
  if (auto s = timeline_summary(model, scenario, r, options.precision))
    d.sections.push_back(std::move(*s));
  if (options.diagram) {
    Section s{"chart", "Capacity over time", {}, {}};
    Block figure;
    figure.kind = Block::Kind::figure;
    figure.path = *options.diagram;
    figure.content = text(
        "each view's targets month by month, one panel per view; lines that coincide are "
        "drawn 1 % of the axis apart");
    s.blocks.push_back(std::move(figure));
    d.sections.push_back(std::move(s));
  }
  std::vector<int> months;
  for (int m = 0; m < r.months; m += 12) months.push_back(m);
  if (months.back() != r.months - 1) months.push_back(r.months - 1);
  for (std::size_t v = 0; v < r.views.size(); ++v) {
    Section section{"view-" + r.views[v], view_title(model, r, v), {}, {}};
    if (v == 0 && world_unmoved(r)) {
      section.blocks.push_back(paragraph(
          "No target moves in the world view: it buys at world market shares with no "
          "country's control applied to the buyer, and nothing here removes a node or cuts a "
          "listed firm, which would show in it. The controls act in the views below, of the "
          "sides they are against; the chart leaves this view out."));
      d.sections.push_back(std::move(section));
      continue;
    }
    auto describe = [&](const TimelineEvent& e) {
      Inline what;
      auto node = [&](std::optional<NodeIndex> n) { return n ? node_ref(model, *n) : text(""); };
      auto add = [&](std::vector<Inline> pieces) {
        for (auto& p : pieces) what.insert(what.end(), p.begin(), p.end());
      };
      switch (e.kind) {
        case TimelineEvent::Kind::stock_exhausted:
          add({text("stock of "), node(e.node), text(" runs out")});
          break;
        case TimelineEvent::Kind::substitute:
          if (e.substitute)
            add({text("substitute "), node(e.substitute), text(" for "), node(e.node),
                 text(" at full capacity")});
          else
            add({text("substitute for "), node(e.node),
                 text(r.ramp == Ramp::step ? " in service" : " at full capacity"),
                 text(" (assumed: no inputs modelled)")});
          break;
        case TimelineEvent::Kind::part_ends:
          add({text(fmt::format("part ends: {}", part_title(r.parts[*e.part])))});
          break;
        case TimelineEvent::Kind::target_lost:
          add({node(e.node), text(" lost")});
          break;
        case TimelineEvent::Kind::target_recovers:
          add({node(e.node), text(" recovers")});
          break;
      }
      // A listed firm's own view, not shown: the world takes the firm's output from it.
      if (e.holder) add({text(" in the view of "), node(e.holder)});
      return what;
    };
    std::vector<std::pair<int, Inline>> rows;
    std::set<int> months_with_events;
    // The largest move of this view's targets in a month (at least a point), as "X a % → b %":
    // said once a month, beside its first event, so that a row names how far the line moves.
    auto largest_move = [&](int month) -> std::optional<Inline> {
      const TimelineSeries* best = nullptr;
      double size = 0.01;
      for (NodeIndex t : shown_targets(r, v))
        for (const auto& s : r.series)
          if (s.target == t && s.view == r.views[v]) {
            auto m = static_cast<std::size_t>(month);
            double d = std::abs(s.capacity[m] - s.capacity[m - 1]);
            if (d > size) {
              size = d;
              best = &s;
            }
          }
      if (!best) return std::nullopt;
      auto m = static_cast<std::size_t>(month);
      Inline out = text(": ");
      append(out, node_ref(model, best->target));
      append(out, text(fmt::format(" {} → {}", percent(best->capacity[m - 1], options.precision),
                                   percent(best->capacity[m], options.precision))));
      return out;
    };
    std::set<int> moves_said;
    for (const auto& e : r.events)
      if (e.view == r.views[v]) {
        Inline what = describe(e);
        // A target lost or back is what moved, not why.
        bool cause = e.kind != TimelineEvent::Kind::target_lost &&
                     e.kind != TimelineEvent::Kind::target_recovers;
        if (cause && e.month > 0 && moves_said.insert(e.month).second)
          if (auto move = largest_move(e.month)) append(what, std::move(*move));
        rows.emplace_back(e.month, std::move(what));
        if (cause) months_with_events.insert(e.month);
      }
    // A month whose targets step down with no event listed, just after stocks that run out and
    // move none alone (together, or part-way through the month before): those stocks name the
    // fall, not "(none)" beside a falling line. A stock names a target's fall only if it lies
    // upstream of the target: this view's stocks that moved nothing alone, and the stocks of
    // listed firms (their views, shown in the world's table) whose output this view buys.
    int quiet = r.quiet_events()[v];
    std::vector<char> used(r.quiet.size(), 0);
    std::map<NodeIndex, std::vector<char>> upstream;  // per target, itself and what feeds it
    auto feeds = [&](NodeIndex n, NodeIndex t) {
      auto it = upstream.find(t);
      if (it == upstream.end()) {
        NodeIndex from[] = {t};
        it = upstream.emplace(t, reaching(model, from, true)).first;
      }
      return it->second[n] != 0;
    };
    for (int month = 1; month < r.months; ++month) {
      if (months_with_events.count(month)) continue;
      auto recent = [&](const TimelineEvent& e) {
        return e.kind == TimelineEvent::Kind::stock_exhausted && e.node &&
               (e.month == month || e.month == month - 1);
      };
      // One row per cause found: the first target each new set of stocks feeds, with the other
      // falling targets those stocks feed counted beside it.
      struct Row {
        Inline moved;
        std::vector<std::size_t> causes;          // this view's quiet stocks (into r.quiet)
        std::vector<const TimelineEvent*> firms;  // listed firms' stocks (the world's table)
        int others = 0;
      };
      std::vector<Row> found;
      for (NodeIndex t : shown_targets(r, v))
        for (const auto& s : r.series) {
          if (s.target != t || s.view != r.views[v]) continue;
          auto at = [&](int m) { return s.capacity[static_cast<std::size_t>(m)]; };
          double before = at(month - 1), after = at(month);
          // A step down, not a month of a slope (a base ageing, a ramp): stocks running out
          // cut supply at once.
          double fall = before - after;
          if (fall <= 1e-9 || (month >= 2 && std::abs(at(month - 1) - at(month - 2)) * 2 > fall) ||
              (month + 1 < r.months && std::abs(at(month + 1) - after) * 2 > fall))
            continue;
          Row row;
          for (std::size_t i = 0; i < r.quiet.size(); ++i)
            if (!used[i] && r.quiet[i].view == r.views[v] && recent(r.quiet[i]) &&
                feeds(*r.quiet[i].node, t))
              row.causes.push_back(i);
          if (v > 0)
            for (const auto& e : r.events)
              if (e.holder && e.view == r.views[0] && recent(e) && feeds(*e.node, t) &&
                  std::none_of(found.begin(), found.end(), [&](const Row& f) {
                    return std::find(f.firms.begin(), f.firms.end(), &e) != f.firms.end();
                  }))
                row.firms.push_back(&e);
          if (row.causes.empty() && row.firms.empty()) {
            // Fed by stocks already named this month: one of that row's other targets.
            auto named = [&](const Row& f) {
              for (std::size_t i : f.causes)
                if (feeds(*r.quiet[i].node, t)) return true;
              for (const TimelineEvent* e : f.firms)
                if (feeds(*e->node, t)) return true;
              return false;
            };
            auto it = std::find_if(found.begin(), found.end(), named);
            if (it != found.end()) ++it->others;
            continue;  // else a fall this table cannot name
          }
          for (std::size_t i : row.causes) used[i] = 1;
          row.moved = node_ref(model, t);
          append(row.moved, text(fmt::format(" {} → {}", percent(before, options.precision),
                                             percent(after, options.precision))));
          found.push_back(std::move(row));
        }
      for (Row& row : found) {
        Inline moved = std::move(row.moved);
        if (row.others)
          append(moved, text(fmt::format(" and {} other target{}", row.others,
                                         row.others == 1 ? "" : "s")));
        append(moved, text(", after: "));
        std::size_t k = 0;
        for (; k < row.causes.size(); ++k) {
          const TimelineEvent& e = r.quiet[row.causes[k]];
          if (k) append(moved, text("; "));
          append(moved, describe(e));
          append(moved, text(fmt::format(" (month {})", e.month)));
        }
        for (const TimelineEvent* e : row.firms) {
          if (k++) append(moved, text("; "));
          append(moved, describe(*e));
          append(moved, text(fmt::format(" (month {})", e->month)));
        }
        if (row.causes.size() > 1 && row.firms.empty())
          append(moved, text(" (none of them moves a target alone in its month)"));
        rows.emplace_back(month, std::move(moved));
        quiet -= static_cast<int>(row.causes.size());
      }
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    Table events = table({{"month", true}, {"what happens", false}}, "(none)");
    for (auto& [month, what] : rows) events.rows.push_back({number(month), cell(std::move(what))});
    section.blocks.push_back(paragraph("Events that move a target of this view:"));
    section.blocks.push_back(table_block(std::move(events)));
    if (quiet > 0)
      section.blocks.push_back(
          paragraph(fmt::format("and {} event{} that move{} no target of this view", quiet,
                                quiet == 1 ? "" : "s", quiet == 1 ? "s" : "")));
    std::vector<std::pair<std::string, bool>> cols = {{"target", false}};
    for (int m : months) cols.emplace_back(fmt::format("month {}", m), true);
    Table years = table(cols, "(no target of this view)");
    for (NodeIndex t : shown_targets(r, v)) {
      for (const auto& s : r.series) {
        if (s.target != t || s.view != r.views[v]) continue;
        // The unit once, beside the target; each month "52 % (≈ 0.88 M)".
        const auto& q = model.nodes[t].extras.get().quantity;
        Inline name = node_ref(model, t);
        if (q) append(name, text(", in " + q->unit));
        std::vector<Cell> row = {Cell{std::move(name), {}}};
        for (int m : months) {
          double c = s.capacity[static_cast<std::size_t>(m)];
          std::string value = percent(c, options.precision);
          if (q) value += " (≈ " + amount_number(model, t, c, options.precision) + ")";
          row.push_back(Cell{text(value), c});
        }
        years.rows.push_back(std::move(row));
      }
    }
    section.blocks.push_back(paragraph("Capacity by year:"));
    section.blocks.push_back(table_block(std::move(years)));
    d.sections.push_back(std::move(section));
  }
  return d;
}

namespace {

Section uncertain_numbers_section(const Model& model, const UncertaintyResult& r) {
  Section s{"uncertain-numbers", "The uncertain numbers", {}, {}};
  if (r.quantities.empty()) {
    s.blocks.push_back(paragraph(
        "Neither the graph nor the scenario gives a range: every sample is the point value. "
        "Write ranges where the sources are rough (see the format's \"Ranges\")."));
    return s;
  }
  s.blocks.push_back(paragraph(
      "Each number below is drawn independently in every sample: uniformly between low and "
      "high, or from a triangle peaking at best where one is given. The point value (best, else "
      "the midpoint) is what every other analysis uses. Stocks and installed bases matter only "
      "to timelines."));
  Table t = table({{"number", false}, {"range", false}, {"point", true}, {"written at", false}});
  for (std::size_t q = 0; q < r.quantities.size(); ++q) {
    const UncertainQuantity& u = r.quantities[q];
    std::string at = "scenario";
    if (u.where.line > 0) {
      std::string file = u.where.file < model.files.size() ? model.files[u.where.file] : "";
      at = fmt::format("{}:{}:{}", file, u.where.line, u.where.col);
    }
    t.rows.push_back(
        {cell(r.labels[q]), cell(quantity_range(u)), cell(quantity_point(u)), cell(code(at))});
  }
  s.blocks.push_back(table_block(std::move(t)));
  return s;
}

}  // namespace

RangeChart band_chart(const Model& model, const Scenario& scenario, const UncertaintyResult& r) {
  RangeChart chart;
  chart.title = fmt::format(
      "{}: P5–P95 of {} samples",
      scenario.empty() ? std::string("no scenario") : scenario_title(scenario), r.samples);
  chart.x_label = kFullCapacityLabel;
  chart.percent_axis = true;
  chart.legend = {"P5–P95"};
  chart.dot_label = "median (P50)";
  chart.diamond_label = "point value";
  // A view whose band is the world's (within half a point) adds a row that says nothing and a
  // long label that squeezes the plot to nothing: the table below the chart has every view.
  std::map<NodeIndex, const Band*> world;
  for (const auto& e : r.entries)
    if (e.view == 0) world[e.target] = &e.band;
  auto as_world = [&](const TargetUncertainty& e) {
    auto w = world.find(e.target);
    if (e.view == 0 || w == world.end()) return false;
    const Band& a = e.band;
    const Band& b = *w->second;
    return std::abs(a.point - b.point) <= 0.005 && std::abs(a.p5 - b.p5) <= 0.005 &&
           std::abs(a.p50 - b.p50) <= 0.005 && std::abs(a.p95 - b.p95) <= 0.005;
  };
  for (const auto& e : r.entries) {
    if (!shown(model, r, e) || as_world(e)) continue;
    RangeRow row;
    row.label = e.view == 0 ? model.nodes[e.target].name
                            : fmt::format("{} ({})", model.nodes[e.target].name,
                                          view_label(model, r, e.view));
    row.segments.push_back(RangeSegment{e.band.p5, e.band.p95, 0});
    row.dot = e.band.p50;
    row.diamond = e.band.point;
    chart.rows.push_back(std::move(row));
  }
  return chart;
}

RangeChart tornado_chart(const Model& model, const UncertaintyResult& r) {
  RangeChart chart;
  chart.title = "What moves each target: one number at a time, the others at their point";
  chart.x_label = "change from the point value (percentage points)";
  chart.legend = {"the number at its low", "the number at its high"};
  double reach = 1;  // in points
  auto groups = tornado_groups(model, r);
  // As many swings per target as keep the chart on A4 (at least three; the tables have all).
  std::size_t per =
      groups.empty()
          ? 0
          : std::clamp<std::size_t>(
                (kA4RangeRows - std::min(kA4RangeRows, groups.size())) / groups.size(), 3, 10);
  bool cut = false;
  for (const TornadoGroup& g : groups) {
    const TargetUncertainty& e = *g.entry;
    RangeRow heading;
    heading.label = fmt::format("{}: {} (point {})", shortened(model.nodes[e.target].name, 50),
                                g.listed(2), percent(e.band.point, 2));
    heading.heading = true;
    chart.rows.push_back(std::move(heading));
    cut = cut || e.tornado.size() > per;
    for (std::size_t i = 0; i < std::min(per, e.tornado.size()); ++i) {
      const Swing& s = e.tornado[i];
      RangeRow row;
      row.label = shortened(r.labels[s.quantity], 46);
      double low = 100 * (s.at_low - e.band.point), high = 100 * (s.at_high - e.band.point);
      row.segments = {RangeSegment{0, low, 0}, RangeSegment{0, high, 1}};
      reach = std::max({reach, std::abs(low), std::abs(high)});
      chart.rows.push_back(std::move(row));
    }
  }
  chart.x_min = -1.1 * reach;
  chart.x_max = 1.1 * reach;
  if (cut) chart.title = fmt::format("What moves each target most: its {} largest swings", per);
  return chart;
}

Document uncertainty_report(const Model& model, const Scenario& scenario,
                            const UncertaintyResult& r, const Options& options) {
  Document d;
  d.title = fmt::format("Uncertainty: {}", title_of(model));
  facts(d, model, nullptr, options);
  d.facts.push_back(text("Scenario: " + (scenario.empty() ? std::string("none (baseline)")
                                                          : scenario_title(scenario))));
  d.facts.push_back(
      text(fmt::format("Samples: {} (seed {}); {} uncertain number{}", r.samples, r.seed,
                       r.quantities.size(), r.quantities.size() == 1 ? "" : "s")));
  add_notes(d, uncertainty_notes(r));
  if (auto s = uncertainty_summary(model, scenario, r, options.precision))
    d.sections.push_back(std::move(*s));
  Section bands{"bands", "Bands", {}, {}};
  bands.blocks.push_back(paragraph(fmt::format(
      "Each target's capacity over {} samples of the uncertain numbers: the point value (every "
      "number at its point), the mean, the 5th, 50th and 95th percentiles, and the share of "
      "samples in which the target is lost or degraded (below its value with no scenario, not "
      "lost). Nine samples in "
      "ten fall between P5 and P95. The bands cover the ranges written in the data, drawn "
      "independently; not errors in the model itself.",
      r.samples)));
  if (options.diagram) {
    bands.blocks.push_back(figure(
        *options.diagram,
        "bands of each target per view (a view whose band is the world's is left out; the table "
        "has every view)"));
  }
  Table t = table({{"target", false},
                   {"view", false},
                   {"point", true},
                   {"mean", true},
                   {"P5", true},
                   {"P50", true},
                   {"P95", true},
                   {"P(lost)", true},
                   {"P(degraded)", true}});
  for (const auto& e : r.entries) {
    if (!shown(model, r, e)) continue;
    const Band& b = e.band;
    int p = options.precision;
    t.rows.push_back({cell(node_ref(model, e.target)), cell(view_label(model, r, e.view)),
                      percent_cell(b.point, p), percent_cell(b.mean, p), percent_cell(b.p5, p),
                      percent_cell(b.p50, p), percent_cell(b.p95, p), percent_cell(b.p_lost, p),
                      percent_cell(b.p_degraded, p)});
  }
  bands.blocks.push_back(table_block(std::move(t)));
  d.sections.push_back(std::move(bands));

  Section moves{"tornado", "What moves each target", {}, {}};
  moves.blocks.push_back(paragraph(
      "For each target and view, the numbers whose range moves it most: the target's value "
      "with that one number at its low and at its high, every other number at its point. The "
      "swing is the distance between the two (the ten largest are listed; numbers that move "
      "nothing are left out)."));
  if (options.diagram) {
    moves.blocks.push_back(figure(kTornadoChartFile, "tornado of each target per view"));
  }
  auto groups = tornado_groups(model, r);
  bool any = !groups.empty();
  for (const TornadoGroup& g : groups) {
    const TargetUncertainty& e = *g.entry;
    Section s{fmt::format("tornado-{}-{}", model.nodes[e.target].id,
                          e.view == 0 ? std::string("world") : std::string(r.view_name(e.view))),
              fmt::format("{}: {} (point {})", model.nodes[e.target].name, g.listed(),
                          percent(e.band.point, options.precision)),
              {},
              {}};
    Table swings = table({{"number", false},
                          {"range", false},
                          {"at low", true},
                          {"at high", true},
                          {"swing (points)", true},
                          {"", false}});
    for (const Swing& sw : e.tornado)
      swings.rows.push_back(
          {cell(r.labels[sw.quantity]), cell(quantity_range(r.quantities[sw.quantity])),
           percent_cell(sw.at_low, options.precision), percent_cell(sw.at_high, options.precision),
           points_cell(sw.swing, options.precision),
           cell(Inline{Span{K::bar, "swing", {}, std::min(1.0, sw.swing)}})});
    s.blocks.push_back(table_block(std::move(swings)));
    moves.children.push_back(std::move(s));
  }
  if (!any) moves.blocks.push_back(paragraph("No uncertain number moves any target shown here."));
  d.sections.push_back(std::move(moves));
  d.sections.push_back(uncertain_numbers_section(model, r));
  return d;
}

// Per view, a row per column (B: the baseline, 1..: the scenarios, as the report's facts number
// them) and a marker per target judged in that view (its side's), with its P5-P95 band; targets
// whose markers would coincide under every column (half a point apart or less) share one. Rows:
// the columns times the views that judge some target, so that the chart fits A4 however many
// targets there are.
RangeChart compare_chart(const Model& model, const Comparison& c) {
  RangeChart chart;
  chart.title = fmt::format("Each target in its side's view: the baseline (B) and {} scenario{}",
                            c.columns.size() - 1, c.columns.size() == 2 ? "" : "s");
  chart.x_label =
      c.samples ? std::string(kFullCapacityLabel) + "; bars: P5–P95" : kFullCapacityLabel;
  chart.percent_axis = true;
  auto same = [](const ComparisonRow& a, const ComparisonRow& b) {
    for (std::size_t k = 0; k < a.values.size(); ++k) {
      const ComparedValue &x = a.values[k], &y = b.values[k];
      double lx = x.band ? x.band->p5 : x.value, ly = y.band ? y.band->p5 : y.value;
      double hx = x.band ? x.band->p95 : x.value, hy = y.band ? y.band->p95 : y.value;
      if (std::abs(x.value - y.value) > 0.005 || std::abs(lx - ly) > 0.005 ||
          std::abs(hx - hy) > 0.005)
        return false;
    }
    return true;
  };
  for (std::size_t v = 0; v < c.view_count(); ++v) {
    // Targets whose markers coincide share one, named by the first and a count: the legend
    // sits under the plot, right of the row labels, with room for about 50 characters.
    struct MarkerGroup {
      std::string first;
      std::size_t more = 0;
      const ComparisonRow* row;
    };
    std::vector<MarkerGroup> groups;
    for (NodeIndex t : model.targets) {
      const ComparisonRow* row = headline_view(model, c, t) == v ? c.find(t, v) : nullptr;
      if (!row) continue;
      auto g = std::find_if(groups.begin(), groups.end(),
                            [&](const auto& group) { return same(*group.row, *row); });
      if (g != groups.end())
        ++g->more;
      else
        groups.push_back({shortened(model.nodes[t].name, 40), 0, row});
    }
    if (groups.empty()) continue;
    RangeRow heading;
    heading.label =
        v == 0 ? std::string("In the world") : "In " + view_phrase(model, c.view_name(v));
    heading.heading = true;
    chart.rows.push_back(std::move(heading));
    std::size_t first = chart.markers.size();
    for (const auto& g : groups)
      chart.markers.push_back(g.more == 0 ? g.first
                                          : fmt::format("{} and {} more alike", g.first, g.more));
    for (std::size_t k = 0; k < c.columns.size(); ++k) {
      RangeRow row;
      row.label = k == 0 || !c.on_baseline
                      ? fmt::format("{}: {}", k == 0 ? std::string("B") : std::to_string(k),
                                    shortened(c.columns[k], 48))
                      : fmt::format("{}: B + {}", k, shortened(c.columns[k], 44));
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const ComparedValue& value = groups[g].row->values[k];
        RangeMarker m{value.value, value.value, value.value, first + g};
        if (value.band) {
          m.low = value.band->p5;
          m.high = value.band->p95;
        }
        row.markers.push_back(m);
      }
      chart.rows.push_back(std::move(row));
    }
  }
  return chart;
}

// A side's view above the world's reads as a bug; it is the side's own sourcing, which leans
// less on what the scenario takes than world shares do. Says where, with the largest gap.
std::optional<std::string> above_world(const Model& model, const Comparison& c, std::size_t v,
                                       int digits) {
  std::size_t count = 0;
  const ComparisonRow *at = nullptr, *world_at = nullptr;
  std::size_t column = 0;
  double gap = 0;
  for (const auto& row : c.rows) {
    if (row.view != v) continue;
    const ComparisonRow* world = c.find(row.target, 0);
    if (!world) continue;
    for (std::size_t k = 0; k < row.values.size(); ++k) {
      double d = row.values[k].value - world->values[k].value;
      if (d <= kStatusEpsilon) continue;
      ++count;
      if (d > gap) std::tie(gap, at, world_at, column) = std::tuple(d, &row, world, k);
    }
  }
  if (!at) return std::nullopt;
  return fmt::format(
      "{} value{} here {} above the world's (the largest: {} under {}, {} against {} in the "
      "world): {} buys as its sourcing in the data says, which leans less on what the scenario "
      "takes than world market shares do.",
      count, count == 1 ? "" : "s", count == 1 ? "is" : "are", model.nodes[at->target].id,
      c.heading(column), percent(at->values[column].value, digits),
      percent(world_at->values[column].value, digits), c.view_name(v));
}

Document compare_report(const Model& model, const Comparison& c, const Options& options) {
  Document d;
  d.title = fmt::format("Scenarios compared: {}", title_of(model));
  facts(d, model, nullptr, options);
  d.facts.push_back(text((c.on_baseline ? "Baseline (B), under every column: " : "Baseline: ") +
                         c.columns.front()));
  for (std::size_t k = 1; k < c.columns.size(); ++k)
    d.facts.push_back(
        text(fmt::format("Scenario {}: {}{}", k, c.on_baseline ? "B + " : "", c.columns[k])));
  add_notes(d, compare_notes(c));
  if (auto s = compare_summary(model, c, options.precision)) d.sections.push_back(std::move(*s));
  // A column "100 % is" when some target says what its capacity amounts to.
  bool quantities = std::any_of(model.targets.begin(), model.targets.end(), [&](NodeIndex t) {
    return model.nodes[t].extras.get().quantity.has_value();
  });
  // A target also shown in a side's view reads, in the world table, at world market shares
  // without the controls against that side: the world's "83 %" under an embargo is not what
  // China gets. Each world cell that a side's view contradicts (by more than half a point) is
  // marked, and a note under the table names those views.
  std::vector<const ComparisonRow*> world_row(model.nodes.size(), nullptr);
  for (const auto& row : c.rows)
    if (row.view == 0) world_row[row.target] = &row;
  std::set<std::pair<NodeIndex, std::size_t>> contradicted;  // (target, column)
  std::vector<std::string> side_views;
  for (const auto& row : c.rows) {
    const ComparisonRow* w = row.view > 0 ? world_row[row.target] : nullptr;
    if (!w) continue;
    bool any = false;
    for (std::size_t k = 0; k < row.values.size() && k < w->values.size(); ++k)
      if (std::abs(row.values[k].value - w->values[k].value) > 0.005) {
        contradicted.insert({row.target, k});
        any = true;
      }
    std::string phrase = view_phrase(model, c.view_name(row.view));
    if (any && std::find(side_views.begin(), side_views.end(), phrase) == side_views.end())
      side_views.push_back(phrase);
  }
  const std::vector<std::size_t> adds_nothing = like_baseline(c);
  // The sides' views first: what each side gets is the answer a brief quotes; the world (at
  // world market shares, without the controls against a side) comes last, for comparison.
  std::vector<std::size_t> order;
  for (std::size_t v = 1; v < c.view_count(); ++v) order.push_back(v);
  order.push_back(0);
  for (std::size_t v : order) {
    std::vector<std::pair<std::string, bool>> cols = {{"target", false}};
    if (quantities) cols.emplace_back("100 % is", false);
    for (std::size_t k = 0; k < c.columns.size(); ++k)
      cols.emplace_back(
          c.heading(k) + (std::count(adds_nothing.begin(), adds_nothing.end(), k)
                              ? (c.on_baseline ? " (adds nothing to B)" : " (changes no target)")
                              : ""),
          true);
    Table t = table(cols);
    bool marked = false;
    for (const auto& row : c.rows) {
      if (row.view != v) continue;
      std::vector<Cell> cells = {cell(node_ref(model, row.target))};
      if (quantities) {
        std::string q = amount(model, row.target, 1.0, options.precision);
        cells.push_back(cell(q.empty() ? "–" : q.substr(q.find(' ') + 1)));  // without "≈"
      }
      for (std::size_t k = 0; k < row.values.size(); ++k) {
        const auto& value = row.values[k];
        std::string shown =
            percent_band(value.value, value.band ? &*value.band : nullptr, options.precision);
        if (v == 0 && contradicted.count({row.target, k})) {
          shown += " †";
          marked = true;
        }
        cells.push_back(Cell{text(shown), value.value});
      }
      t.rows.push_back(std::move(cells));
    }
    Section s{v == 0 ? std::string("world") : "view-" + c.view_name(v),
              v == 0 ? std::string("In the world") : "In " + view_phrase(model, c.view_name(v)),
              {},
              {}};
    s.blocks.push_back(paragraph(
        v == 0 ? std::string("Every target at what the world market gives it, its capacity in the "
                             "graph as written (nothing denied) being 100 %.")
               : fmt::format("{0}'s targets (located there or without jurisdiction) at what {0} "
                             "can get: its own sourcing, and what the controls deny it.",
                             c.view_name(v))));
    if (c.samples && v == order.front())
      s.blocks.push_back(paragraph(fmt::format(
          "Where the data has ranges, each value is followed by the range nine samples in ten "
          "fall in (P5–P95), over {} samples (seed {}; chokepoint uncertainty gives more). A "
          "value is the data's best values taken together, not the middle of its band: where the "
          "ranges are lopsided it can sit at an end of the band.",
          c.samples, c.seed)));
    s.blocks.push_back(table_block(std::move(t)));
    if (marked)
      s.blocks.push_back(paragraph(fmt::format(
          "† Read in {} above: there the value is what the target's side gets, buying as it "
          "does and with the controls against it; here it is at world market shares without "
          "those controls, which is not what that side gets (an embargo's cost to it shows only "
          "there).",
          listed_views(side_views))));
    if (v > 0)
      if (auto above = above_world(model, c, v, options.precision))
        s.blocks.push_back(paragraph(*above));
    d.sections.push_back(std::move(s));
  }
  if (options.diagram) {
    Section s{"chart", "Chart", {}, {}};
    s.blocks.push_back(
        figure(*options.diagram, "each target per view under the baseline and each scenario"));
    s.blocks.push_back(paragraph(
        "Each target in the view the summary judges it in (its side's, else the world's); the "
        "tables above have every view."));
    d.sections.push_back(std::move(s));
  }
  return d;
}

}  // namespace chokepoint::report
