#include "exporters/json_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>

#include "exporters/report/notes.hpp"
#include "graph/support/parallel.hpp"
#include "rules/node_values.hpp"

namespace chokepoint {

using Json = nlohmann::ordered_json;

namespace {

Json ids(const Model& model, const std::vector<NodeIndex>& nodes) {
  Json out = Json::array();
  for (NodeIndex n : nodes) out.push_back(model.nodes[n].id);
  return out;
}

template <typename T, typename F>
Json optional_json(const std::optional<T>& v, F convert) {
  return v ? Json(convert(*v)) : Json(nullptr);
}

// The notes member: what a reader must know to trust the numbers (exporters/report/notes.hpp).
Json notes_json(const std::vector<report::Note>& notes) {
  Json out = Json::array();
  for (const auto& n : notes) out.push_back(report::clause(n));
  return out;
}

// The members every report of schema 2 starts with.
Json report_head(const char* command) {
  report::Provenance p;
  return Json{{"schema", "chokepoint-report/2"},
              {"tool", Json{{"name", p.tool}, {"version", p.version}}},
              {"command", command}};
}

// The graph's files, its size, and every file the run read with its SHA-256 (provenance).
Json input_json(const Model& model, const std::vector<InputFile>& inputs) {
  report::Provenance p = report::provenance(model, inputs);
  Json read = Json::array();
  for (const auto& f : p.inputs)
    read.push_back(Json{{"role", f.role}, {"path", f.path}, {"sha256", f.sha256}});
  return Json{
      {"files", p.graph_files}, {"nodes", p.nodes}, {"edges", p.edges}, {"checksums", read}};
}

Json scenario_json(const Model& model, const Scenario& s) {
  Json remove_j = Json::array();
  for (auto j : s.remove_jurisdictions) remove_j.push_back(model.jurisdiction_code(j));
  std::vector<std::pair<std::string, double>> factors;
  for (const auto& [n, f] : s.capacity) factors.emplace_back(model.nodes[n].id, f);
  std::sort(factors.begin(), factors.end());
  Json capacity = Json::object();
  for (const auto& [id, f] : factors) capacity[id] = report_number(f);
  Json controls = Json::array();
  for (const auto& c : s.controls)
    controls.push_back(
        Json{{"id", c.id},
             {"by", c.by_names},
             {"against", c.against_names},
             {"items", c.items_text.empty() ? Json(nullptr) : Json(c.items_text)},
             {"made_with", c.made_with_text.empty() ? Json(nullptr) : Json(c.made_with_text)},
             {"fdpr", c.fdpr},
             {"de_minimis", report_number(c.de_minimis)},
             {"sources", c.sources},
             {"lifted", c.lifted.empty() ? Json(nullptr) : Json(c.lifted)}});
  std::vector<NodeIndex> removed = s.remove;
  std::sort(removed.begin(), removed.end(),
            [&](NodeIndex a, NodeIndex b) { return model.nodes[a].id < model.nodes[b].id; });
  return Json{{"name", s.name},
              {"remove", ids(model, removed)},
              {"remove_jurisdictions", remove_j},
              {"capacity", capacity},
              {"duration_months",
               s.duration_months ? Json(report_number(*s.duration_months)) : Json(nullptr)},
              {"controls", controls}};
}

Json band_json(const Band& b) {
  return Json{{"p5", report_number(b.p5)},
              {"p50", report_number(b.p50)},
              {"p95", report_number(b.p95)},
              {"mean", report_number(b.mean)},
              {"p_lost", report_number(b.p_lost)},
              {"p_degraded", report_number(b.p_degraded)},
              {"samples", b.samples}};
}

Json tornado_json(const UncertaintyResult& r, const TargetUncertainty& e) {
  Json out = Json::array();
  for (const Swing& s : e.tornado)
    out.push_back(Json{{"number", s.quantity},
                       {"label", r.labels[s.quantity]},
                       {"at_low", report_number(s.at_low)},
                       {"at_high", report_number(s.at_high)},
                       {"swing", report_number(s.swing)}});
  return out;
}

// With bands: each target's and view's `band` and `tornado` (its largest swings).
Json targets_json(const Model& model, const Analysis& a, bool with_baseline,
                  const UncertaintyResult* bands) {
  auto add_band = [&](Json& entry, NodeIndex target, std::string_view view) {
    if (!bands) return;
    for (std::size_t v = 0; v < bands->view_count(); ++v)
      if (bands->view_name(v) == view)
        if (const TargetUncertainty* e = bands->find(target, v)) {
          entry["band"] = band_json(e->band);
          entry["tornado"] = tornado_json(*bands, *e);
        }
  };
  Json out = Json::array();
  for (const auto& t : a.targets) {
    Json views = Json::object();
    for (const auto& v : t.views) {
      Json view{{"capacity", report_number(v.capacity)}, {"status", status_name(v.status)}};
      add_band(view, t.node, v.perspective);
      views[v.perspective] = view;
    }
    Json entry{{"id", model.nodes[t.node].id}};
    if (with_baseline) entry["baseline"] = report_number(t.baseline);
    entry["capacity"] = report_number(t.capacity);
    entry["status"] = status_name(t.status);
    add_band(entry, t.node, "");
    entry["views"] = views;
    out.push_back(std::move(entry));
  }
  return out;
}

Json perspectives_json(const Model& model, const std::vector<Perspective>& perspectives) {
  Json out = Json::array();
  for (const auto& p : perspectives) {
    Json codes = Json::array();
    for (auto j : p.codes) codes.push_back(model.jurisdiction_code(j));
    out.push_back(
        Json{{"name", p.name},
             {"kind", p.entity()                ? "entity"
                      : model.find_bloc(p.name) ? "bloc"
                                                : "jurisdiction"},
             {"codes", codes},
             {"entity", p.entity() ? Json(model.nodes[p.entities[0]].id) : Json(nullptr)}});
  }
  return out;
}

Json denials_json(const Model& model, const Analysis& a) {
  Json out = Json::array();
  for (const auto& d : a.denials)
    out.push_back(Json{
        {"perspective", a.perspectives[d.perspective].name},
        {"maker", model.nodes[model.pair_maker(d.pair)].id},
        {"product", model.nodes[model.pair_product(d.pair)].id},
        {"control", a.scenario.controls[d.control].id},
        {"reason", reason_name(d.reason)},
        {"fall", d.reason == DenialReason::fdpr ? Json(report_number(d.fall)) : Json(nullptr)}});
  return out;
}

Json denied_nodes_json(const Model& model, const Analysis& a) {
  Json out = Json::object();
  for (const auto& v : a.views) {
    Json ids = Json::array();
    for (NodeIndex n : model.by_id())
      if (node_denied(model, v, n)) ids.push_back(model.nodes[n].id);
    out[v.name] = ids;
  }
  return out;
}

// Per view ("world" or a perspective), each target below its baseline and the nodes whose
// restoration alone would recover most of it.
Json causes_json(const Model& model, const Analysis& a) {
  Json out = Json::array();
  for (const auto& tc : a.causes.targets) {
    bool world = tc.view == TargetCauses::kWorld;
    Json causes = Json::array();
    for (const Cause& c : tc.causes) {
      causes.push_back(
          Json{{"node", model.nodes[c.node].id}, {"recovered", report_number(c.recovered)}});
      if (c.held_by != Cause::kNone) {
        causes.back()["held_by"] = model.nodes[c.held_by].id;
        causes.back()["held_at"] = report_number(c.held_at);
      }
    }
    double cap = world ? a.world[tc.target] : a.views[tc.view].cap[tc.target];
    Json controls = Json::array();
    for (const auto& [k, gain] : tc.controls)
      controls.push_back(
          Json{{"control", a.scenario.controls[k].id}, {"recovered", report_number(gain)}});
    out.push_back(Json{{"view", world ? std::string("world") : a.views[tc.view].name},
                       {"target", model.nodes[tc.target].id},
                       {"capacity", report_number(cap)},
                       {"causes", std::move(causes)},
                       {"controls", std::move(controls)}});
  }
  return out;
}

Json node_views_json(const Analysis& a, NodeIndex n) {
  Json views = Json::object();
  for (const auto& v : a.views)
    views[v.name] = Json{{"capacity", report_number(v.cap[n])},
                         {"status", status_name(status_of(v.cap[n], a.baseline[n]))}};
  return views;
}

// A node value as JSON: whole numbers as integers, other numbers rounded as reports print them.
Json value_json(const rules::Value& v, Shape shape) {
  switch (v.type) {
    case rules::Type::null:
      return nullptr;
    case rules::Type::boolean:
      return v.boolean;
    case rules::Type::string:
      return std::string(v.str());
    case rules::Type::number:
      if (shape == Shape::count) return static_cast<std::int64_t>(v.number);
      return report_number(v.number);
    case rules::Type::list: {
      Json out = Json::array();
      for (const auto& item : v.items) out.push_back(value_json(item, Shape::text));
      return out;
    }
  }
  return nullptr;
}

// The registry's metrics of one node, in its order.
Json metrics_json(const Analysis& a, NodeIndex n) {
  NodeValueContext context{*a.model, &a};
  Json out = Json::object();
  for (const NodeValue* v : json_metrics())
    out[std::string(v->spec.name)] = value_json(v->of(context, n), v->spec.shape);
  return out;
}

Json node_header(const Model& model, NodeIndex n) {
  const Node& node = model.nodes[n];
  return Json{{"id", node.id},
              {"name", node.name},
              {"kind", node.kind},
              {"jurisdiction", node.jurisdiction == kNoJurisdiction
                                   ? Json(nullptr)
                                   : Json(model.jurisdiction_code(node.jurisdiction))}};
}

void dump(std::ostream& out, const Json& j) { out << j.dump(2) << '\n'; }

Json fired_json(const rules::NodeScore& s) {
  Json out = Json::array();
  for (const auto& f : s.fired)
    out.push_back(Json{{"id", f.rule->id},
                       {"severity", rules::level_name(f.rule->severity)},
                       {"score", report_number(f.rule->score)},
                       {"message", f.message}});
  return out;
}

}  // namespace

namespace {

// nlohmann's dump of `value`, indented as if it stood `depth` spaces deep.
std::string indented(const Json& value, int depth) {
  std::string text = value.dump(2);
  std::string pad(static_cast<std::size_t>(depth), ' ');
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t at = 0;;) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) {
      out.append(text, at, std::string::npos);
      break;
    }
    out.append(text, at, nl + 1 - at);
    out += pad;
    at = nl + 1;
  }
  return out;
}

Json decoupling_json(const Model& model, const DecoupleResult& r);

// Per node and per jurisdiction with any loss: the side it is located in and each side's loss, at
// world market shares and in the side's own view.
Json leverage_json(const Model& model, const LeverageResult& r) {
  auto side_name = [&](int side) {
    return side == 0 ? Json(r.a) : side == 1 ? Json(r.b) : Json(nullptr);
  };
  auto entry = [&](Json e, int side, const SideImpact& s) {
    e["side"] = side_name(side);
    e["loss_to_a"] = report_number(s.on_a);
    e["loss_to_b"] = report_number(s.on_b);
    e["net"] = side == 0   ? Json(report_number(s.on_b - s.on_a))
               : side == 1 ? Json(report_number(s.on_a - s.on_b))
                           : Json(nullptr);
    e["loss_to_a_in_view"] = report_number(s.on_a_view);
    e["loss_to_b_in_view"] = report_number(s.on_b_view);
    e["net_in_view"] = side == 0   ? Json(report_number(s.on_b_view - s.on_a_view))
                       : side == 1 ? Json(report_number(s.on_a_view - s.on_b_view))
                                   : Json(nullptr);
    return e;
  };
  Json nodes = Json::array();
  for (NodeIndex n : model.by_id()) {
    const SideImpact& s = r.nodes[n];
    if (!s.any()) continue;
    nodes.push_back(entry(Json{{"id", model.nodes[n].id}}, r.side_of(model, n), s));
  }
  Json codes = Json::array();
  for (const auto& [j, s] : r.jurisdictions) {
    if (!s.any()) continue;
    int side = r.side_of_code(j);
    codes.push_back(entry(Json{{"code", model.jurisdiction_code(j)}}, side, s));
  }
  return Json{{"a", r.a}, {"b", r.b}, {"nodes", nodes}, {"jurisdictions", codes}};
}

Json codes_json(const Model& model, const std::vector<JurisdictionIndex>& codes) {
  Json out = Json::array();
  for (auto j : codes) out.push_back(model.jurisdiction_code(j));
  return out;
}

// Leverage and exposure as withholding: each direction's losses per item and per jurisdiction.
Json withholding_json(const Model& model, const WithholdingResult& r) {
  auto direction = [&](const Withholding& w) {
    Json nodes = Json::array();
    for (const auto& [n, loss] : w.nodes) {
      nodes.push_back(Json{{"id", model.nodes[n].id}, {"loss", report_number(loss)}});
      if (const auto& reached = w.reached_by_fdpr(n); !reached.empty())
        nodes.back()["fdpr_reach"] = codes_json(model, reached);
    }
    Json codes = Json::array();
    for (const auto& [j, loss] : w.jurisdictions)
      codes.push_back(Json{{"code", model.jurisdiction_code(j)}, {"loss", report_number(loss)}});
    Json targets = Json::array();
    for (NodeIndex t : w.targets) targets.push_back(model.nodes[t].id);
    return Json{{"from", w.from},
                {"to", w.to},
                {"targets", targets},
                {"nodes", nodes},
                {"jurisdictions", codes}};
  };
  return Json{{"a", r.a},
              {"b", r.b},
              {"fdpr", r.fdpr},
              {"items", r.items.empty() ? Json(nullptr) : Json(r.items)},
              {"made_with", r.fdpr && !r.made_with.empty() ? Json(r.made_with) : Json(nullptr)},
              {"de_minimis", r.fdpr ? Json(report_number(r.de_minimis)) : Json(nullptr)},
              {"leverage", direction(r.leverage)},
              {"exposure", direction(r.exposure)}};
}

// --view: the side and its targets' values in its view.
Json view_json(const Model& model, const Analysis& a) {
  if (!a.viewed_as) return nullptr;
  Json targets = Json::array();
  for (const auto& t : a.targets)
    targets.push_back(Json{{"id", model.nodes[t.node].id},
                           {"capacity", report_number(a.view_cap[t.node])},
                           {"status", status_name(status_of(a.view_cap[t.node], t.baseline))}});
  return Json{{"side", a.viewed_as->name}, {"targets", targets}};
}

Json node_json(const Analysis& a, const std::vector<rules::NodeScore>* scores, NodeIndex n) {
  const Model& model = *a.model;
  Json entry = node_header(model, n);
  entry["capacity"] = report_number(a.world[n]);
  entry["status"] = status_name(status_of(a.world[n], a.baseline[n]));
  entry["views"] = node_views_json(a, n);
  const Node& node = model.nodes[n];
  entry["substitution_years"] =
      node.substitution_years ? Json(report_number(*node.substitution_years)) : Json(nullptr);
  entry["stock_months"] =
      node.stock_months ? Json(report_number(*node.stock_months)) : Json(nullptr);
  entry["sources"] = node.sources.get();
  if (!a.metrics.nodes.empty()) entry["metrics"] = metrics_json(a, n);
  if (scores) {
    entry["score"] = report_number((*scores)[n].score);
    entry["severity"] = rules::level_name((*scores)[n].severity);
    entry["rules"] = fired_json((*scores)[n]);
  } else {
    entry["score"] = 0;
    entry["severity"] = "info";
    entry["rules"] = Json::array();
  }
  return entry;
}

}  // namespace

void write_analysis_json(std::ostream& out, const Analysis& a,
                         const std::vector<rules::NodeScore>* scores,
                         const std::vector<InputFile>& inputs, const UncertaintyResult* bands) {
  const Model& model = *a.model;
  Json cuts = Json::object();
  for (const auto& c : a.cut_sets) {
    Json sets = Json::array();
    for (const auto& s : c.sets) sets.push_back(s);
    cuts[model.nodes[c.target].id] =
        Json{{"sets", sets}, {"truncated", c.truncated}, {"budget_hit", c.budget_hit}};
    if (c.memory_hit) cuts[model.nodes[c.target].id]["memory_limit"] = true;
  }
  Json notes = notes_json(report::analysis_notes(a));
  // Written member by member, nodes one at a time, so a 100,000-node report never exists as one
  // JSON document in memory; the text is what dump(2) of the whole report would give.
  auto member = [&](const char* key, const Json& value, bool last = false) {
    out << "  " << Json(key).dump() << ": " << indented(value, 2) << (last ? "\n" : ",\n");
  };
  out << "{\n";
  const Json head = report_head("analyze");
  for (const auto& [key, value] : head.items()) member(key.c_str(), value);
  member("input", input_json(model, inputs));
  member("scenario", a.has_scenario ? scenario_json(model, a.scenario) : Json(nullptr));
  member("perspectives", perspectives_json(model, a.perspectives));
  member("targets", targets_json(model, a, false, bands));
  member("denials", denials_json(model, a));
  member("denied_nodes", denied_nodes_json(model, a));
  member("causes", causes_json(model, a));
  if (model.nodes.empty()) {
    out << "  \"nodes\": [],\n";
  } else {
    out << "  \"nodes\": [\n";
    // Blocks of nodes turned into text on the analysis threads, written in order.
    const auto& order = model.by_id();
    constexpr std::size_t kBlock = 4096;
    std::vector<std::string> text(std::min(kBlock, order.size()));
    for (std::size_t first = 0; first < order.size(); first += kBlock) {
      std::size_t count = std::min(kBlock, order.size() - first);
      parallel_for(count, analysis_threads(), [&](unsigned, std::size_t i) {
        text[i] = indented(node_json(a, scores, order[first + i]), 4);
      });
      for (std::size_t i = 0; i < count; ++i)
        out << "    " << text[i] << (first + i + 1 < order.size() ? ",\n" : "\n");
    }
    out << "  ],\n";
  }
  member("cut_sets", cuts);
  member("cut_by", a.cut_options.by_jurisdiction ? "jurisdiction" : "node");
  member("cut_order", a.cut_options.order);
  member("decoupling", a.decoupling ? decoupling_json(model, *a.decoupling) : Json(nullptr));
  member("leverage", a.withholding ? withholding_json(model, *a.withholding) : Json(nullptr));
  member("disruption", a.leverage ? leverage_json(model, *a.leverage) : Json(nullptr));
  member("view", view_json(model, a));
  member("notes", notes, true);
  out << "}\n";
}

void write_whatif_json(std::ostream& out, const Analysis& a,
                       const std::vector<rules::NodeScore>* baseline_scores,
                       const std::vector<rules::NodeScore>* scores,
                       const std::vector<InputFile>& inputs, const UncertaintyResult* bands) {
  const Model& model = *a.model;
  Json changed = Json::array();
  for (NodeIndex n : model.by_id()) {
    bool in_view = false;
    for (std::size_t v = 0; v < a.views.size(); ++v) in_view = in_view || changed_in_view(a, v, n);
    if (!changed_by_scenario(a, n) && !in_view) continue;
    Status s = status_of(a.world[n], a.baseline[n]);
    Json entry = node_header(model, n);
    entry["baseline"] = report_number(a.baseline[n]);
    entry["capacity"] = report_number(a.world[n]);
    entry["status"] = status_name(s);
    entry["views"] = node_views_json(a, n);
    changed.push_back(std::move(entry));
  }
  Json report = report_head("whatif");
  report["input"] = input_json(model, inputs);
  report["scenario"] = scenario_json(model, a.scenario);
  report["perspectives"] = perspectives_json(model, a.perspectives);
  report["targets"] = targets_json(model, a, true, bands);
  report["denials"] = denials_json(model, a);
  report["denied_nodes"] = denied_nodes_json(model, a);
  report["causes"] = causes_json(model, a);
  report["changed"] = changed;
  report["notes"] = notes_json(report::whatif_notes(a));
  if (baseline_scores && scores) {
    Json severity = Json::array();
    for (NodeIndex n : model.by_id()) {
      const auto& b = (*baseline_scores)[n];
      const auto& s = (*scores)[n];
      if (b.severity == s.severity && report_number(b.score) == report_number(s.score)) continue;
      Json entry{{"id", model.nodes[n].id},
                 {"baseline", Json{{"score", report_number(b.score)},
                                   {"severity", rules::level_name(b.severity)}}},
                 {"scenario", Json{{"score", report_number(s.score)},
                                   {"severity", rules::level_name(s.severity)}}},
                 {"rules", fired_json(s)}};
      severity.push_back(std::move(entry));
    }
    report["severity_changes"] = severity;
  }
  dump(out, report);
}

void write_rank_json(std::ostream& out, const Model& model, const Analysis& a,
                     const std::vector<RankEntry>& ranking, int order, const RankSides* sides,
                     const std::vector<InputFile>& inputs, std::size_t ranked) {
  ranked = std::max(ranked, ranking.size());
  Json rows = Json::array();
  for (const auto& r : ranking) {
    Json row{{"remove", ids(model, r.removed)},
             {"impact", report_number(r.impact)},
             {"lost", ids(model, r.lost)},
             {"worst", report_number(r.worst)},
             {"substitution_years",
              r.substitution_years ? Json(report_number(*r.substitution_years)) : Json(nullptr)},
             {"concentration", report_number(r.concentration)}};
    if (sides)
      row["sides"] = Json{{"a", sides->a_name},
                          {"b", sides->b_name},
                          {"on_a", report_number(r.on_a)},
                          {"on_b", report_number(r.on_b)}};
    rows.push_back(std::move(row));
  }
  Json report = report_head("rank");
  report["input"] = input_json(model, inputs);
  report["scenario"] = a.has_scenario ? scenario_json(model, a.scenario) : Json(nullptr);
  report["order"] = order;
  report["targets"] = ids(model, model.targets);
  report["ranking"] = rows;
  report["ranked"] = ranked;
  report["truncated"] = ranked > ranking.size();
  report["notes"] = notes_json(report::whatif_notes(a));
  if (ranked > ranking.size())
    report["notes"].push_back(
        fmt::format("the ranking lists the first {} of {} removals (at most {} are kept)",
                    ranking.size(), ranked, kMaxRankEntries));
  dump(out, report);
}

namespace {

Json decoupling_json(const Model& model, const DecoupleResult& r) {
  auto side = [&](const DecoupleSide& s) {
    Json targets = Json::array();
    for (const auto& t : s.targets) {
      Json sets = Json::array();
      for (const auto& set : t.sets) sets.push_back(ids(model, set));
      targets.push_back(
          Json{{"id", model.nodes[t.target].id},
               {"capacity", report_number(t.capacity)},
               {"status", status_name(t.status)},
               {"substitution_sets", sets},
               {"truncated", t.truncated},
               {"years_to_substitute",
                optional_json(t.years_to_substitute, [](double y) { return report_number(y); })}});
      if (t.nearly_lost) targets.back()["nearly_lost"] = true;
    }
    return Json{{"side", s.name}, {"targets", targets}};
  };
  return Json{{"between", r.a.name},
              {"and", r.b.name},
              {"fdpr", r.fdpr},
              {"sides", Json::array({side(r.a), side(r.b)})}};
}

}  // namespace

void write_decouple_json(std::ostream& out, const Model& model, const DecoupleResult& r,
                         const std::vector<InputFile>& inputs) {
  Json report = report_head("decouple");
  report["input"] = input_json(model, inputs);
  report["scenario"] = scenario_json(model, r.scenario);
  report["decoupling"] = decoupling_json(model, r);
  report["leverage"] = r.withholding ? withholding_json(model, *r.withholding) : Json(nullptr);
  report["disruption"] = leverage_json(model, r.leverage);
  report["notes"] = notes_json(report::decouple_notes(r));
  dump(out, report);
}

namespace {

Json coalitions_json(const Model& model, const CoalitionResult& r) {
  Json targets = Json::array();
  for (const auto& t : r.targets) {
    Json minimal = Json::array();
    for (const auto& c : t.minimal) minimal.push_back(codes_json(model, c));
    // Per minimal coalition: why each member is needed, and whose FDPR carried the control.
    Json why = Json::array();
    for (std::size_t k = 0; k < t.minimal.size(); ++k) {
      Json members = Json::array();
      if (k < t.reasons.size())
        for (const auto& reason : t.reasons[k]) {
          Json products = Json::array();
          for (std::size_t i = 0; i < reason.products.size(); ++i) {
            const auto& [n, kept] = reason.products[i];
            products.push_back(Json{{"id", model.nodes[n].id}, {"capacity", report_number(kept)}});
            if (i < reason.alone.size()) products.back()["alone"] = report_number(reason.alone[i]);
            if (i < reason.through.size() && !reason.through[i].empty()) {
              Json with = Json::array();
              for (NodeIndex w : reason.through[i]) with.push_back(model.nodes[w].id);
              products.back()["fdpr_through"] = std::move(with);
            }
          }
          members.push_back(Json{{"member", model.jurisdiction_code(reason.member)},
                                 {"essential", reason.essential},
                                 {"products", products}});
        }
      why.push_back(
          Json{{"members", members},
               {"fdpr_members",
                k < t.fdpr_members.size() ? codes_json(model, t.fdpr_members[k]) : Json::array()}});
      if (k < t.value.size()) why.back()["capacity"] = report_number(t.value[k]);
    }
    Json banzhaf = Json::object(), shapley = Json::object();
    if (t.banzhaf.empty()) banzhaf = shapley = nullptr;  // the search stopped before any index
    for (std::size_t i = 0; i < r.candidates.size() && !t.banzhaf.empty(); ++i) {
      std::string code(model.jurisdiction_code(r.candidates[i]));
      banzhaf[code] = report_number(t.banzhaf[i]);
      shapley[code] = report_number(t.shapley[i]);
    }
    targets.push_back(Json{{"id", model.nodes[t.target].id},
                           {"baseline", report_number(t.baseline)},
                           {"grand_coalition", report_number(t.grand)},
                           {"already", t.already},
                           {"minimal_winning", minimal},
                           {"reasons", why},
                           {"truncated", t.truncated},
                           {"banzhaf", banzhaf},
                           {"shapley_shubik", shapley}});
    if (!t.win_share.empty()) {
      Json shares = Json::array();
      for (double w : t.win_share) shares.push_back(report_number(w));
      targets.back()["win_share"] = shares;
    }
    if (!t.kept.empty()) {
      Json kept = Json::array();
      for (const auto& k : t.kept)
        kept.push_back(Json{{"id", model.nodes[k.node].id},
                            {"capacity", report_number(k.points)},
                            {"untouched", k.untouched},
                            {"via", model.nodes[k.via].id}});
      targets.back()["kept"] = kept;
    }
  }
  const Control& c = r.control;
  return Json{{"against", r.against},
              {"control", Json{{"items", c.items_text.empty() ? Json(nullptr) : Json(c.items_text)},
                               {"made_with",
                                c.made_with_text.empty() ? Json(nullptr) : Json(c.made_with_text)},
                               {"fdpr", c.fdpr},
                               {"de_minimis", report_number(c.de_minimis)}}},
              {"candidates", codes_json(model, r.candidates)},
              {"left_out", codes_json(model, r.idle)},
              {"max_size", r.max_size},
              {"below", r.below ? Json(report_number(*r.below)) : Json(nullptr)},
              {"exact", r.exact},
              {"samples", r.exact ? Json(nullptr) : Json(r.samples)},
              {"evaluations", r.evaluations},
              {"max_views", r.max_views},
              {"stopped", r.stopped},
              {"targets", targets}};
}

// coalitions --sweep: per threshold (null: lost), each target's minimal winning coalitions and
// indices.
Json coalition_sweep_json(const Model& model, const std::vector<CoalitionResult>& sweep) {
  Json out = Json::array();
  for (const CoalitionResult& r : sweep) {
    Json c = coalitions_json(model, r);
    out.push_back(Json{{"below", c["below"]}, {"targets", c["targets"]}});
  }
  return out;
}

}  // namespace

void write_coalitions_json(std::ostream& out, const Model& model, const Scenario& base,
                           const CoalitionResult& r, const std::vector<InputFile>& inputs,
                           const std::vector<CoalitionResult>* sweep) {
  Json report = report_head("coalitions");
  report["input"] = input_json(model, inputs);
  report["scenario"] =
      base.empty() && base.name.empty() ? Json(nullptr) : scenario_json(model, base);
  report["coalitions"] = coalitions_json(model, r);
  if (r.win_samples)
    report["coalitions"]["sampling"] = Json{{"samples", r.win_samples}, {"seed", r.win_seed}};
  if (sweep) report["coalitions"]["sweep"] = coalition_sweep_json(model, *sweep);
  report["notes"] = notes_json(report::coalitions_notes(r));
  dump(out, report);
}

void write_timeline_json(std::ostream& out, const Model& model, const Scenario& scenario,
                         const TimelineResult& r, const std::vector<InputFile>& inputs) {
  Json series = Json::array();
  for (const auto& s : r.series) {
    Json values = Json::array();
    for (double v : s.capacity) values.push_back(report_number(v));
    series.push_back(Json{{"target", model.nodes[s.target].id},
                          {"view", s.view},
                          {"capacity", values},
                          {"first_lost", s.first_lost ? Json(*s.first_lost) : Json(nullptr)},
                          {"recovered", s.recovered ? Json(*s.recovered) : Json(nullptr)}});
    if (const auto& q = model.nodes[s.target].extras.get().quantity) {
      series.back()["quantity"] = Json{{"value", report_number(q->value)}, {"unit", q->unit}};
      if (q->range) {
        series.back()["quantity"]["low"] = report_number(q->range->low);
        series.back()["quantity"]["high"] = report_number(q->range->high);
      }
    }
  }
  Json events = Json::array();
  auto node = [&](std::optional<NodeIndex> n) {
    return n ? Json(model.nodes[*n].id) : Json(nullptr);
  };
  for (const auto& e : r.events) {
    events.push_back(Json{{"month", e.month},
                          {"kind", event_name(e.kind)},
                          {"view", e.view},
                          {"node", node(e.node)},
                          {"substitute", node(e.substitute)},
                          {"part", e.part ? Json(*e.part) : Json(nullptr)}});
    if (e.holder) events.back()["holder"] = model.nodes[*e.holder].id;
  }
  Json parts = Json::array();
  for (const auto& p : r.parts)
    parts.push_back(Json{{"name", p.name},
                         {"baseline", p.baseline},
                         {"ends", p.ends ? Json(report_number(*p.ends)) : Json(nullptr)}});
  Json quiet = Json::object();
  std::vector<int> counts = r.quiet_events();
  for (std::size_t v = 0; v < r.views.size(); ++v) quiet[r.views[v]] = counts[v];
  Json assumed = Json::array();
  for (const auto& a : r.assumed) {
    assumed.push_back(
        Json{{"node", model.nodes[a.node].id}, {"view", a.view}, {"from_month", a.from_month}});
    if (a.holder) assumed.back()["holder"] = model.nodes[*a.holder].id;
  }
  Json report = report_head("timeline");
  report["input"] = input_json(model, inputs);
  report["scenario"] = scenario_json(model, scenario);
  report["timeline"] = Json{{"months", r.months},    {"ramp", ramp_name(r.ramp)},
                            {"parts", parts},        {"views", r.views},
                            {"series", series},      {"events", events},
                            {"quiet_events", quiet}, {"assumed_substitutes", assumed}};
  report["notes"] = notes_json(report::timeline_notes(r));
  dump(out, report);
}

namespace {

Json quantity_json(const Model& model, const Scenario& scenario, const UncertaintyResult& r,
                   std::size_t q) {
  const UncertainQuantity& u = r.quantities[q];
  Json out{{"label", r.labels[q]}, {"kind", quantity_kind_name(u.kind)}};
  if (u.kind == QuantityKind::de_minimis) {
    out["control"] = scenario.controls[u.control].id;
  } else {
    out["node"] = model.nodes[u.node].id;
    if (u.kind == QuantityKind::share)
      out["member"] = model.nodes[model.nodes[u.node].group(u.group).members[u.member].node].id;
    if (u.group < 0)
      out["sourcing"] = model.nodes[u.node].sourcing()[static_cast<std::size_t>(-1 - u.group)].key;
  }
  out["low"] = report_number(u.range.low);
  out["high"] = report_number(u.range.high);
  out["best"] = u.range.best_given ? Json(report_number(u.range.best)) : Json(nullptr);
  out["point"] = report_number(u.point());
  std::string file = u.where.file < model.files.size() ? model.files[u.where.file] : "";
  out["where"] = u.where.valid() ? Json(fmt::format("{}:{}:{}", file, u.where.line, u.where.col))
                                 : Json(nullptr);
  return out;
}

}  // namespace

void write_uncertainty_json(std::ostream& out, const Model& model, const Scenario& scenario,
                            const UncertaintyResult& r, const std::vector<InputFile>& inputs) {
  Json quantities = Json::array();
  for (std::size_t q = 0; q < r.quantities.size(); ++q)
    quantities.push_back(quantity_json(model, scenario, r, q));
  Json targets = Json::array();
  for (NodeIndex t : model.targets) {
    Json entry{{"id", model.nodes[t].id}};
    Json views = Json::object();
    for (std::size_t v = 0; v < r.view_count(); ++v) {
      const TargetUncertainty* e = r.find(t, v);
      Json one{{"capacity", report_number(e->band.point)},
               {"band", band_json(e->band)},
               {"tornado", tornado_json(r, *e)}};
      if (v == 0)
        entry.update(one);
      else
        views[std::string(r.view_name(v))] = one;
    }
    entry["views"] = views;
    targets.push_back(entry);
  }
  Json report = report_head("uncertainty");
  report["input"] = input_json(model, inputs);
  report["scenario"] =
      scenario.empty() && scenario.name.empty() ? Json(nullptr) : scenario_json(model, scenario);
  report["uncertainty"] = Json{{"samples", r.samples},
                               {"seed", r.seed},
                               {"percentiles", "linear between order statistics"},
                               {"numbers", quantities}};
  report["targets"] = targets;
  report["notes"] = notes_json(report::uncertainty_notes(r));
  dump(out, report);
}

void write_compare_json(std::ostream& out, const Model& model,
                        const std::vector<ComparedScenario>& columns, const Comparison& c,
                        const std::vector<InputFile>& inputs) {
  auto scenario_or_null = [&](const Scenario& s) {
    return s.empty() && s.name.empty() ? Json(nullptr) : scenario_json(model, s);
  };
  Json scenarios = Json::array();
  for (std::size_t k = 1; k < columns.size(); ++k)
    scenarios.push_back(
        Json{{"name", columns[k].name}, {"scenario", scenario_or_null(columns[k].scenario)}});
  Json views = Json::array();
  for (const auto& p : c.views) views.push_back(p.name);
  Json rows = Json::array();
  for (const auto& row : c.rows) {
    Json values = Json::array();
    for (std::size_t k = 0; k < row.values.size(); ++k) {
      const ComparedValue& v = row.values[k];
      Json one{{"column", c.columns[k]},
               {"capacity", report_number(v.value)},
               {"status", status_name(v.status)}};
      if (v.band) one["band"] = band_json(*v.band);
      values.push_back(one);
    }
    rows.push_back(Json{{"target", model.nodes[row.target].id},
                        {"view", row.view == 0 ? Json(nullptr) : Json(c.view_name(row.view))},
                        {"no_scenario", report_number(row.no_scenario)},
                        {"values", values}});
  }
  Json report = report_head("compare");
  report["input"] = input_json(model, inputs);
  report["scenario"] = scenario_or_null(columns.front().scenario);
  report["comparison"] = Json{{"columns", c.columns},
                              {"baseline", columns.front().name},
                              {"scenarios", scenarios},
                              {"views", views},
                              {"samples", c.samples},
                              {"seed", c.seed},
                              {"rows", rows}};
  report["notes"] = notes_json(report::compare_notes(c));
  dump(out, report);
}

}  // namespace chokepoint
