#include "exporters/report/summary.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "exporters/report/comparison.hpp"
#include "exporters/report/text.hpp"

namespace chokepoint::report {

namespace {
bool in_months(const UncertainQuantity& q) {
  return q.kind == QuantityKind::stock_months || q.kind == QuantityKind::lifetime_months;
}
}  // namespace

std::string quantity_range(const UncertainQuantity& q, bool with_best) {
  const Range& r = q.range;
  std::string out =
      in_months(q)
          ? fmt::format("{}–{} months", short_number(r.low), short_number(r.high))
          : fmt::format("{}–{} %", significant(r.low * 100, 2), significant(r.high * 100, 2));
  if (with_best && r.best_given) out += ", best " + quantity_point(q);
  return out;
}

std::string quantity_point(const UncertainQuantity& q) {
  return in_months(q) ? fmt::format("{} months", short_number(q.range.best))
                      : percent(q.range.best);
}

namespace {

using K = Span::Kind;

Block prose(Inline content) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.content = std::move(content);
  return b;
}

// The side a target is judged for: --view's side, else the scenario's perspective it is located
// in (its own view), else the world. Returns the value and the view's name (empty: the world).
std::pair<double, std::string> headline_value(const Analysis& a, NodeIndex t) {
  if (a.viewed_as) return {a.view_cap[t], a.viewed_as->name};
  const Model& model = *a.model;
  for (std::size_t v = 0; v < a.perspectives.size(); ++v) {
    const auto& p = a.perspectives[v];
    if (!p.entity() &&
        std::binary_search(p.codes.begin(), p.codes.end(), model.nodes[t].jurisdiction))
      return {a.views[v].cap[t], p.name};
  }
  return {a.world[t], ""};
}

// A node's name, linked to its id in the report.
Inline node_span(const Model& model, NodeIndex n) {
  return Inline{Span{K::node, model.nodes[n].name, model.nodes[n].id}};
}

}  // namespace

Inline made_with_phrase(const Model& model, const std::vector<NodeIndex>& nodes) {
  Inline out = text("made with ");
  std::size_t named = std::min(nodes.size(), kThroughNamed);
  for (std::size_t w = 0; w < named; ++w) {
    if (w) append(out, text(w + 1 == named && nodes.size() == named ? " and " : ", "));
    append(out, node_span(model, nodes[w]));
  }
  if (nodes.size() > named) append(out, text(fmt::format(" and {} more", nodes.size() - named)));
  return out;
}

void add_reached_through(const std::vector<CoalitionReason>& reasons,
                         std::optional<JurisdictionIndex> j, std::vector<NodeIndex>& with) {
  for (const auto& reason : reasons)
    if (!j || reason.member == *j)
      for (const auto& nodes : reason.through)
        for (NodeIndex n : nodes)
          if (std::find(with.begin(), with.end(), n) == with.end()) with.push_back(n);
}

namespace {

// "China 7 nm-class logic's share in Ascend logic dies (20–55 %), which gives China domestic AI
// accelerator output in CN's view 34 % at its low and 45 % at its high": the top of a tornado.
Inline swing_text(const Model& model, const UncertaintyResult& r, const TargetUncertainty& e,
                  int digits) {
  const Swing& sw = e.tornado.front();
  Inline s = text(fmt::format("{} ({}), which gives ", r.labels[sw.quantity],
                              quantity_range(r.quantities[sw.quantity], false)));
  append(s, node_span(model, e.target));
  append(s, text(fmt::format(
                "{} {} at its low and {} at its high",
                e.view == 0 ? std::string() : " in " + view_phrase(model, r.view_name(e.view)),
                percent(sw.at_low, digits), percent(sw.at_high, digits))));
  return s;
}

// Per side (by its code; "" for targets without a jurisdiction), the headline target whose
// tornado's top swing is largest, in the view the headline gives it.
std::map<std::string, const TargetUncertainty*> top_swings(const Analysis& a,
                                                           const UncertaintyResult& r) {
  const Model& model = *a.model;
  std::map<std::string, const TargetUncertainty*> top;
  for (const auto& tr : a.targets) {
    const std::string view_name = headline_value(a, tr.node).second;
    for (std::size_t v = 0; v < r.view_count(); ++v) {
      if (r.view_name(v) != view_name) continue;
      const TargetUncertainty* e = r.find(tr.node, v);
      if (!e || e->tornado.empty()) continue;
      JurisdictionIndex j = model.nodes[tr.node].jurisdiction;
      auto& best =
          top[j == kNoJurisdiction ? std::string() : std::string(model.jurisdiction_code(j))];
      if (!best || e->tornado.front().swing > best->tornado.front().swing) best = e;
    }
  }
  return top;
}

// One target's reading in a headline list: its value with band (in bold), the amount it stands
// for, and what follows it (", lost in 3 % of samples", " against 65 % on the baseline"); a
// timeline's leads with " 52 % at month 0, lowest " and has no value where nothing falls.
struct Reading {
  NodeIndex target;
  std::string value, amount, after, lead = " ";
};

// Appends the readings separated by "; ". Targets that read alike — the same value, amount and
// what follows, and the same quantity in the data — are one finding, named together with the
// amount once: three targets fed by one pool of compute share its amount, which a brief must
// not add up. At most `most` findings; returns how many targets that left out.
std::size_t append_readings(Inline& s, const Model& model, const std::vector<Reading>& readings,
                            std::size_t most = std::numeric_limits<std::size_t>::max()) {
  std::vector<std::vector<const Reading*>> findings;
  for (const Reading& r : readings) {
    auto same = std::find_if(findings.begin(), findings.end(), [&](const auto& f) {
      const Reading& g = *f.front();
      return g.value == r.value && g.amount == r.amount && g.after == r.after && g.lead == r.lead &&
             same_quantity(model, g.target, r.target);
    });
    if (same == findings.end())
      findings.push_back({&r});
    else
      same->push_back(&r);
  }
  static const char* const kWords[] = {"", "one", "two", "three", "four", "five", "six"};
  std::size_t left = 0;
  for (std::size_t i = most; i < findings.size(); ++i) left += findings[i].size();
  findings.resize(std::min(findings.size(), most));
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const auto& f = findings[i];
    if (i) append(s, text("; "));
    for (std::size_t k = 0; k < f.size(); ++k) {
      if (k) append(s, text(k + 1 == f.size() ? " and " : ", "));
      append(s, node_span(model, f[k]->target));
    }
    append(s, text((f.size() > 1 ? " each" : "") + f.front()->lead));
    if (!f.front()->value.empty()) append(s, Inline{Span{K::strong, f.front()->value, {}}});
    const std::string& amount = f.front()->amount;
    if (!amount.empty() && f.size() == 1) append(s, text(" (" + amount + ")"));
    if (!amount.empty() && f.size() > 1) {
      std::string n = f.size() < std::size(kWords) ? kWords[f.size()] : std::to_string(f.size());
      append(s, text(fmt::format(" ({}: one amount the data gives {}, not {} to add up)", amount,
                                 f.size() == 2 ? "both" : "all " + n, n)));
    }
    append(s, text(f.front()->after));
  }
  return left;
}

// The state a static value is of, for the targets given: ", once the stocks listed below are used
// up, with the installed bases listed below still whole and before the substitutes listed below
// arrive (not a floor: a timeline follows them month by month)", each part where something upstream
// of them calls for it; empty when nothing does.
std::string static_state(const Model& model, const std::vector<NodeIndex>& targets) {
  TimeDependence d = time_dependence(model, targets);
  std::vector<std::string> states;
  if (d.stocks) states.push_back("once the stocks listed below are used up");
  if (d.fleets) states.push_back("with the installed bases listed below still whole");
  if (d.substitutes) states.push_back("before the substitutes listed below arrive");
  if (states.empty()) return "";
  // Installed bases age: the value falls below the static one as they retire.
  return ", " + listed(states) +
         (d.fleets        ? " (not a floor: a timeline follows them month by month)"
          : d.substitutes ? " (a timeline follows them month by month)"
                          : "");
}

// " (lost from month 51)", " (lost from month 3, back from month 12)", or "" for a series never
// lost: the same words in a timeline's summary and a static report's dated headline.
std::string lost_months(const TimelineSeries& s) {
  if (!s.first_lost) return "";
  return s.recovered
             ? fmt::format(" (lost from month {}, back from month {})", *s.first_lost, *s.recovered)
             : fmt::format(" (lost from month {})", *s.first_lost);
}

// "Month by month (month 0 the scenario's first; ...), with stocks drawn down, ...: X 37 % at
// month 0, 12 % at month 12 and 20 % at month 24 (lowest 10 % at month 10);
// ...": the side's targets on the headline's path, in the headline's view. nullopt when every one
// stays at its static value for the months followed.
std::optional<Inline> path_sentence(const Analysis& a, const TimelineResult& path,
                                    const std::vector<NodeIndex>& targets, int digits) {
  const Model& model = *a.model;
  std::vector<Reading> readings;
  bool moves = false;
  for (NodeIndex t : targets) {
    auto [value, view] = headline_value(a, t);
    const TimelineSeries* it = path.find(t, view.empty() ? "world" : view);
    if (!it || it->capacity.empty()) return std::nullopt;
    const auto& c = it->capacity;
    auto [low, high] = std::minmax_element(c.begin(), c.end());
    moves = moves || *high - *low > kStatusEpsilon || std::abs(c.front() - value) > kStatusEpsilon;
    std::vector<std::string> at;
    for (std::size_t m : {std::size_t{0}, std::size_t{12}, std::size_t{24}, c.size() - 1})
      if (m < c.size() && (at.empty() || m > 0))
        at.push_back(fmt::format("{} at month {}", percent(c[m], digits), m));
    if (*high - *low <= kStatusEpsilon) at = {percent(c.front(), digits) + " throughout"};
    // Appended, not " " + listed(at): g++ 12 at -O2 warns of a false overlap there (-Wrestrict).
    std::string lead = " ";
    lead += listed(at);
    Reading r{t, "", "", "", std::move(lead)};
    auto lowest = static_cast<std::size_t>(low - c.begin());
    bool said = lowest == 0 || lowest == 12 || lowest == 24 || lowest + 1 == c.size();
    if (!said && *low < std::min(c.front(), c.back()) - kStatusEpsilon)
      r.after = fmt::format(" (lowest {} at month {})", percent(*low, digits), lowest);
    r.after += lost_months(*it);
    readings.push_back(std::move(r));
  }
  if (!moves) return std::nullopt;
  Inline s = text(
      "Month by month (month 0 the scenario's first; one with a duration ends then), with stocks "
      "drawn down, installed bases ageing and only the substitutes the data models with inputs of "
      "their own: ");
  append_readings(s, model, readings);
  append(s, text("."));
  // The path is the scenario, one part, then a part per control lifted since the data's date
  // (end_lifted_controls): the first months carry those.
  std::vector<std::string> lifted;
  for (std::size_t k = 1; k < path.parts.size(); ++k)
    if (path.parts[k].ends && *path.parts[k].ends < path.months)
      lifted.push_back(
          fmt::format("{}, until month {:g}", path.parts[k].name, *path.parts[k].ends));
  if (!lifted.empty())
    append(s, text(fmt::format(" The first months still have in force the controls lifted since "
                               "the data's date: {}.",
                               fmt::join(lifted, "; "))));
  // When a stock runs out (in any view: a listed firm's moves the world) turns on its length,
  // which the data may give only as a range; the months above move with it.
  std::map<NodeIndex, int> ran_out;
  for (const TimelineEvent& e : path.events)
    if (e.kind == TimelineEvent::Kind::stock_exhausted && e.node && !ran_out.count(*e.node))
      ran_out[*e.node] = e.month;
  std::vector<std::pair<int, const Ranged*>> ranged;  // by month
  for (const Ranged& r : model.ranges)
    if (r.what == RangedWhat::stock_months && ran_out.count(r.node))
      ranged.emplace_back(ran_out[r.node], &r);
  std::stable_sort(ranged.begin(), ranged.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (std::size_t k = 0; k < ranged.size(); ++k) {
    const Ranged& r = *ranged[k].second;
    append(s, text(k == 0 ? " When they fall turns on stocks whose length the data gives only as "
                            "a range: "
                          : "; "));
    append(s, node_span(model, r.node));
    // A stock is drawn only for what its supply lacks: where some supply remains it outlasts
    // its months (9 months of HBM run out at month 10 under one scenario, 9 under another).
    double months = *model.nodes[r.node].stock_months;
    append(s, text(fmt::format(" runs out at month {} ({:g} months of stock{}; {:g}–{:g} in the "
                               "data)",
                               ranged[k].first, months,
                               ranged[k].first > std::ceil(months - 1e-9)
                                   ? ", drawn only for what its supply lacks"
                                   : "",
                               r.range.low, r.range.high)));
  }
  if (!ranged.empty()) append(s, text("."));
  return s;
}

// One sentence per side: "China's targets (in its view): frontier training 85 % (≈ 1.4 M
// H100-equivalents over a year), ...".
std::vector<Inline> headline_sentences(const Analysis& a, const UncertaintyResult* bands,
                                       const TimelineResult* path, int digits) {
  const Model& model = *a.model;
  std::map<std::string, std::vector<NodeIndex>> by_side;
  for (const auto& tr : a.targets) {
    JurisdictionIndex j = model.nodes[tr.node].jurisdiction;
    by_side[j == kNoJurisdiction ? std::string() : std::string(model.jurisdiction_code(j))]
        .push_back(tr.node);
  }
  std::vector<Inline> out;
  bool scenario = a.has_scenario && !a.scenario.empty();
  auto swings = bands ? top_swings(a, *bands) : std::map<std::string, const TargetUncertainty*>{};
  for (const auto& [side, targets] : by_side) {
    Inline s = text(side.empty() ? "Targets without a jurisdiction" : side + "'s targets");
    const std::string view = headline_value(a, targets.front()).second;
    // World values are at world market shares, not as the side buys: say so, with the way to
    // read them in its own view (an outage costs the US 35 % of its edge AI, 57 % in the world).
    const std::string as_it_buys =
        side.empty() ? std::string()
                     : fmt::format(
                           ", at world market shares, not as {0} buys: --view {0} reads "
                           "them in its own view",
                           side);
    append(s, text(view.empty()
                       ? (scenario ? (a.perspectives.empty()
                                          ? " (world view" + as_it_buys + ") under the scenario: "
                                          : " (world view: no control here is against them" +
                                                as_it_buys + ") under the scenario: ")
                                   : ": ")
                       : fmt::format(" in {}'s view{}: ", view,
                                     scenario ? " under the scenario" : "")));
    std::vector<Reading> readings;
    for (NodeIndex t : targets) {
      auto [value, view_name] = headline_value(a, t);
      const Band* band = nullptr;
      if (bands)
        for (std::size_t v = 0; v < bands->view_count() && !band; ++v)
          if (bands->view_name(v) == view_name)
            if (const TargetUncertainty* e = bands->find(t, v)) band = &e->band;
      readings.push_back(
          {t, percent_band(value, band, digits), amount(model, t, value, digits, band), ""});
    }
    append_readings(s, model, readings);
    // A static value is the state once stocks are used up: say so where the side has any and
    // some target of it falls short.
    bool falls_short = std::any_of(targets.begin(), targets.end(), [&](NodeIndex t) {
      return headline_value(a, t).first < a.baseline[t] - kStatusEpsilon;
    });
    // The static value is one state; the months around it, as a brief dates a figure.
    std::optional<Inline> dated = path ? path_sentence(a, *path, targets, digits) : std::nullopt;
    // Likewise it holds installed bases whole (month 0), and counts no substitute with inputs of
    // its own: a low that a timeline shows rising again. Said too where the months move a value
    // the static reading leaves whole.
    append(s, text(" of the capacity the graph gives with nothing denied" +
                   (falls_short || dated ? static_state(model, targets) : std::string()) + "."));
    // The assumption the headline turns on, beside it (the box repeats it among the others).
    if (auto e = swings.find(side); e != swings.end() && e->second->tornado.front().swing > 0.005) {
      // Named with the one target it moves most, not as if it drove every value of the list.
      append(s, text(" The range that moves one of these most: "));
      append(s, swing_text(model, *bands, *e->second, digits));  // swings is empty without bands
      append(s, text("."));
    }
    out.push_back(std::move(s));
    if (dated) out.push_back(std::move(*dated));
  }
  return out;
}

// "The choke points that matter most: X (critical), ...: <the most severe rule's message>". In a
// country's view the ones it supplies mostly itself are apart: a single point of failure at
// home, which no other country can deny ("… Of those China makes mostly itself: neon …").
std::optional<Inline> choke_point_sentence(const Analysis& a,
                                           const std::vector<rules::NodeScore>& scores) {
  const Model& model = *a.model;
  auto order = ranked_choke_points(model, scores, &a);
  if (order.empty()) return std::nullopt;
  const Perspective* side = home_side(a);
  std::vector<NodeIndex> abroad, home;
  for (NodeIndex n : order)
    if (scores[n].severity >= rules::Level::high || abroad.size() + home.size() < 3)
      (side && home_share(model, *side, n) >= 0.5 ? home : abroad).push_back(n);
  bool averaged = false;  // a reason quotes an average over the targets
  auto named = [&](Inline& s, const std::vector<NodeIndex>& nodes) {
    for (std::size_t i = 0; i < std::min<std::size_t>(3, nodes.size()); ++i) {
      NodeIndex n = nodes[i];
      const auto& score = scores[n];
      if (i) append(s, text("; "));
      append(s, node_span(model, n));
      append(s, text(" ("));
      append(s, Inline{Span{K::severity, std::string(rules::level_name(score.severity)), {}}});
      // The most severe rule's message says why.
      const rules::FiredRule* best = nullptr;
      for (const auto& f : score.fired)
        if (!best || f.rule->severity > best->rule->severity ||
            (f.rule->severity == best->rule->severity && f.rule->score > best->rule->score))
          best = &f;
      append(s, text(best ? ": " + best->message + ")" : ")"));
      averaged = averaged || (best && best->message.find("on average") != std::string::npos);
    }
  };
  Inline s;
  if (!abroad.empty()) {
    s = text(abroad.size() == 1 ? "The choke point that matters most"
                                : "The choke points that matter most");
    append(s, text(home.empty() ? ": "
                                : fmt::format(", of those made mostly outside {}: ", side->name)));
    named(s, abroad);
    append(s, text("."));
  }
  if (!home.empty()) {
    // Single points of failure at home: no other country can deny them.
    append(s, text(fmt::format(
                  "{} {} makes mostly itself (no other country can deny them): ",
                  abroad.empty() ? "The choke points that matter most are ones" : " Those",
                  side->name)));
    named(s, home);
    append(s, text("."));
  }
  // An average over targets that installed bases hold up (each side's installed accelerators,
  // China's installed fab tools) mixes the protected with the exposed: it ranks, no more.
  if (averaged && time_dependence(model, model.targets).fleets)
    append(s, text(" An average over the targets counts those an installed base holds up as "
                   "barely touched by a loss: it ranks the items, and is no forecast for any one "
                   "target."));
  return s;
}

// The first `at_most` entries of `all` (already in order) whose key differs from every chosen
// one's: each node (or control) once, at its largest.
template <typename T, typename Key>
std::vector<T> first_distinct(const std::vector<T>& all, std::size_t at_most, Key key) {
  std::vector<T> chosen;
  for (const T& e : all)
    if (chosen.size() < at_most &&
        std::none_of(chosen.begin(), chosen.end(), [&](const T& c) { return key(c) == key(e); }))
      chosen.push_back(e);
  return chosen;
}

// Whether denial d denies node n (one of its pairs) to the view.
bool denies(const Analysis& a, const Denial& d, std::size_t view, NodeIndex n) {
  return d.perspective == view && a.model->pair_product(d.pair) == n;
}

// The controls behind a node's denial in a view: each control that denies one of its pairs to
// that perspective, with the reason ("denied by us-all (direct) and us-tools (direct)").
std::string denied_by(const Analysis& a, std::size_t view, NodeIndex n) {
  std::vector<std::string> by;  // every control that denies it: lifting one leaves the others
  for (const auto& d : a.denials)
    if (denies(a, d, view, n)) {
      const Control& c = a.scenario.controls[d.control];
      std::string one = fmt::format("{} ({}{})", c.id, reason_name(d.reason),
                                    c.lifted.empty() ? std::string() : "; lifted on " + c.lifted);
      if (std::find(by.begin(), by.end(), one) == by.end()) by.push_back(std::move(one));
    }
  return by.empty() ? "" : "denied by " + listed(by);
}

// Whether the scenario acts on node n itself (in a view, or the world with TargetCauses::kWorld):
// removes it, cuts its capacity, or denies it to the view. A node that only inherits the loss
// of its inputs is not: restoring it restores what it is made of, which says nothing (a
// target's sole input "gives back" the whole target).
bool acted_on(const Analysis& a, std::size_t view, NodeIndex n) {
  const Scenario& s = a.scenario;
  const Model& model = *a.model;
  auto among = [n](const auto& pairs) {
    return std::any_of(pairs.begin(), pairs.end(), [n](const auto& p) { return p.first == n; });
  };
  if (std::binary_search(s.remove.begin(), s.remove.end(), n) || among(s.capacity) ||
      among(s.capacity_ranges) ||
      std::binary_search(s.remove_jurisdictions.begin(), s.remove_jurisdictions.end(),
                         model.nodes[n].jurisdiction))
    return true;
  return view != TargetCauses::kWorld &&
         std::any_of(a.denials.begin(), a.denials.end(),
                     [&](const Denial& d) { return denies(a, d, view, n); });
}

// "What costs most: restoring H20 alone would give back 20 points of China's frontier
// training (denied by us-h20-licence, direct)." Only nodes the scenario acts on, where the
// causes name any: the others are what those feed.
std::optional<Inline> causes_sentence(const Analysis& a, int digits) {
  const Model& model = *a.model;
  struct Best {
    const TargetCauses* tc = nullptr;
    const Cause* cause = nullptr;
  };
  // Each target in the view the headline gives it (its side's, else the world).
  std::vector<Best> all;
  for (const auto& tc : a.causes.targets) {
    std::string view = headline_value(a, tc.target).second;
    bool world = tc.view == TargetCauses::kWorld;
    if (world ? !view.empty() : a.views[tc.view].name != view) continue;
    for (const auto& c : tc.causes) all.push_back({&tc, &c});
  }
  if (all.empty()) return std::nullopt;
  std::vector<Best> direct;
  for (const Best& b : all)
    if (acted_on(a, b.tc->view, b.cause->node)) direct.push_back(b);
  if (!direct.empty()) all = std::move(direct);
  std::stable_sort(all.begin(), all.end(), [](const Best& x, const Best& y) {
    return x.cause->recovered > y.cause->recovered;
  });
  // Each node once, at its largest (H20 costs two targets that one pool feeds alike).
  std::vector<Best> chosen = first_distinct(all, 3, [](const Best& b) { return b.cause->node; });
  Inline s = text("What costs most: ");
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const auto& [tc, cause] = chosen[i];
    bool world = tc->view == TargetCauses::kWorld;
    if (i) append(s, text("; "));
    append(s, text("restoring "));
    append(s, node_span(model, cause->node));
    append(s, text(fmt::format(" alone would give back {} points of ",
                               significant(cause->recovered * 100, digits))));
    append(s, node_span(model, tc->target));
    append(s, text(world ? " (world view)" : " in " + view_phrase(model, a.views[tc->view].name)));
    std::string by = world ? std::string() : denied_by(a, tc->view, cause->node);
    if (!by.empty()) append(s, text(", " + by));
  }
  append(s, text("."));
  return s;
}

// "The controls behind it: lifting us-hbm alone (the others kept) would give back 7.8 points of
// China's frontier training in CN's view (22 % of its loss); ...": the three controls whose
// denials alone cost a headline target most (each control once, at its largest).
std::optional<Inline> controls_sentence(const Analysis& a, int digits) {
  const Model& model = *a.model;
  struct Entry {
    const TargetCauses* tc;
    std::uint32_t control;
    double gain;
  };
  std::vector<Entry> all;
  for (const auto& tc : a.causes.targets) {
    if (tc.view == TargetCauses::kWorld) continue;
    if (a.views[tc.view].name != headline_value(a, tc.target).second) continue;
    for (const auto& [k, gain] : tc.controls) all.push_back({&tc, k, gain});
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Entry& x, const Entry& y) { return x.gain > y.gain; });
  std::vector<Entry> chosen = first_distinct(all, 3, [](const Entry& e) { return e.control; });
  // With one control, "lifting it alone (the others kept)" is the whole loss by definition.
  if (chosen.empty() || a.scenario.controls.size() < 2) return std::nullopt;
  Inline s = text("The controls behind it: ");
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const Entry& e = chosen[i];
    NodeIndex t = e.tc->target;
    double loss = a.baseline[t] - a.views[e.tc->view].cap[t];
    if (i) append(s, text("; "));
    append(s, text("lifting "));
    const Control& control = a.scenario.controls[e.control];
    append(s, Inline{Span{K::code, control.id, {}}});
    append(s, text(fmt::format("{} alone (the others kept) would give back {} points of ",
                               lifted_note(control), significant(e.gain * 100, digits))));
    append(s, node_span(model, t));
    append(s, text(fmt::format(" in {}'s view ({} of its loss)", a.views[e.tc->view].name,
                               percent(loss > 0 ? e.gain / loss : 0, digits))));
  }
  append(s, text("."));
  // Controls overlap: what no single lifting gives back must not be read as nobody's doing.
  const TargetCauses& first = *chosen.front().tc;
  NodeIndex t = first.target;
  double loss = a.baseline[t] - a.views[first.view].cap[t], single = 0;
  for (const auto& [k, gain] : first.controls) single += gain;
  if (loss - single > 0.005) {
    append(s, text(fmt::format(" Of the {}-point loss of ", significant(loss * 100, digits))));
    append(s, node_span(model, t));
    append(s, text(fmt::format(
                  ", lifting one control at a time gives back {} points in all; no single lifting "
                  "gives back the other {} (two or more controls deny them at once, or a control "
                  "on a listed firm cuts them for everyone).",
                  significant(single * 100, digits), significant((loss - single) * 100, digits))));
  }
  return s;
}

// The installed bases and stocks the headline targets rest on (nodes upstream of them with
// `lifetime_months` or `stock_months`), what the report makes of the graph's ranges
// (`ranges`, said when the graph has any), and assumed substitution times. `over_time`: the
// report follows time (a timeline), which ages the bases and draws the stocks down.
std::vector<Inline> assumptions(const Model& model, const std::vector<NodeIndex>& targets,
                                const std::string& ranges, bool over_time = false,
                                bool substitution_years_left_out = false) {
  std::vector<char> upstream = reaching(model, targets, true);
  // One bullet for the installed bases and one for the stocks, each a list of "node (N
  // months)": the same caveat once, not once a node.
  Inline bases, stocks, thresholds, substitutes;
  auto add = [&](Inline& list, const Node& node, const char* what, double months) {
    if (!list.empty()) append(list, text("; "));
    append(list, Inline{Span{K::node, node.name, node.id}});
    append(list, text(fmt::format(", {}{} months", what, short_number(months))));
  };
  for (NodeIndex n : model.by_id()) {
    if (!upstream[n]) continue;
    const Node& node = model.nodes[n];
    if (node.extras.get().lifetime_months)
      add(bases, node, "lifetime ", *node.extras.get().lifetime_months);
    else if (node.stock_months && *node.stock_months > 0)
      add(stocks, node, "", *node.stock_months);
    // A substitute with inputs of its own closes a gap only in a timeline: a static low may be
    // the months before it ("China's accelerators 10 %, before CXMT's HBM3 ramps").
    for (const Substitute& sub : node.extras.get().substitutes) {
      if (!substitutes.empty()) append(substitutes, text("; "));
      append(substitutes, Inline{Span{K::node, node.name, node.id}});
      append(substitutes, text(" by "));
      append(substitutes,
             Inline{Span{K::node, model.nodes[sub.node].name, model.nodes[sub.node].id}});
      append(substitutes,
             text(sub.ramp_months > 0
                      ? fmt::format(" from month {}, in full {} months later",
                                    short_number(sub.from_month), short_number(sub.ramp_months))
                      : fmt::format(" from month {}", short_number(sub.from_month))));
    }
    // A threshold (min_share) flips a node from degraded to lost: the number a brief must name
    // when a target is lost, or near it ("China frontier model training: training compute below
    // 30 % (20–50 %)").
    for (std::size_t g = 0; g < node.groups.size(); ++g) {
      const Group& group = node.groups[g];
      if (group.threshold <= 0) continue;
      if (!thresholds.empty()) append(thresholds, text("; "));
      append(thresholds, Inline{Span{K::node, node.name, node.id}});
      std::string what = group.label.get().empty() ? std::string("its inputs") : group.label.get();
      std::string range;
      for (const Ranged& r : model.ranges)
        if (r.what == RangedWhat::threshold && r.node == n && r.group == static_cast<int>(g))
          range =
              fmt::format(" ({}–{})", significant(100 * r.range.low, 2), percent(r.range.high, 2));
      append(thresholds,
             text(fmt::format(" below {}{} of {}", percent(group.threshold, 2), range, what)));
      // The bar is relative to the node's own level: in amounts, two sides' "lost" differ
      // (the US's frontier training at 6.9 M H100-equivalents, China's at 0.51 M).
      if (const auto& q = node.extras.get().quantity)
        append(thresholds, text(fmt::format(", ≈ {} {} at the bar",
                                            amount_number(model, n, group.threshold), q->unit)));
    }
  }
  std::vector<Inline> out;
  // One bullet per kind: its lead-in (a timeline's, else a static analysis'), then its list.
  auto bullet = [&](Inline& list, const char* over_time_lead, const char* static_lead) {
    if (list.empty()) return;
    Inline b = text(over_time ? over_time_lead : static_lead);
    append(b, std::move(list));
    out.push_back(std::move(b));
  };
  const char* thresholds_lead =
      "Thresholds written into the data (a node is lost below them, not reduced; a modelling "
      "assumption where its source says so): ";
  bullet(thresholds, thresholds_lead, thresholds_lead);
  bullet(bases,
         "Installed bases, each retiring 1/lifetime of itself a month and rebuilt only from what "
         "its inputs give (what keeps a base running, such as its service and spare parts, counts "
         "only where the data gives it as an input beside the base): ",
         "Installed bases, held intact in this static analysis (they age over their lifetime in a "
         "timeline; what keeps a base running, such as its service and spare parts, counts only "
         "where the data gives it as an input beside the base): ");
  bullet(stocks, "Stocks, in months of supply, drawn down while the supply falls short: ",
         "Stocks, in months of supply, not counted here (a static analysis shows the state once "
         "they are used up; a timeline draws them down month by month): ");
  bullet(substitutes,
         "Substitutes with inputs of their own, ramping in as the timeline runs (each in its own "
         "view's value): ",
         "Substitutes with inputs of their own, not counted in this static analysis (a value here "
         "is the state before they arrive; a timeline ramps them in): ");
  // What 100 % amounts to, where the data gives it only as a range: every amount carries it.
  Inline anchors;
  for (auto it = targets.begin(); it != targets.end(); ++it) {
    NodeIndex t = *it;
    const auto& q = model.nodes[t].extras.get().quantity;
    if (!q || !q->range) continue;
    if (std::any_of(targets.begin(), it, [&](NodeIndex u) { return same_quantity(model, t, u); }))
      continue;  // one pool of compute, said once
    if (!anchors.empty()) append(anchors, text("; "));
    std::vector<NodeIndex> sharing;
    std::copy_if(it, targets.end(), std::back_inserter(sharing),
                 [&](NodeIndex u) { return same_quantity(model, t, u); });
    for (std::size_t k = 0; k < sharing.size(); ++k) {
      if (k) append(anchors, text(k + 1 == sharing.size() ? " and " : ", "));
      append(anchors,
             Inline{Span{K::node, model.nodes[sharing[k]].name, model.nodes[sharing[k]].id}});
    }
    append(anchors, text(fmt::format("{} {} {}", sharing.size() > 1 ? " (one amount)" : "",
                                     amount_number(model, t, 1.0), q->unit)));
  }
  if (!anchors.empty()) {
    // A timeline samples no band of its values: its amounts carry the amount's range alone,
    // narrower than a static report's for the same value (which also carry the value's band).
    Inline b =
        text(over_time ? "What 100 % amounts to, a range in the data (each amount in this "
                         "report gives it scaled by the month's value; a timeline samples no "
                         "band of its values, so a static report's amount for the same value, "
                         "from its P5 times the low to its P95 times the high, is wider): "
                       : "What 100 % amounts to, a range in the data (each amount in this "
                         "report gives it, scaled by the value, or where the value has a band "
                         "from its P5 times the low to its P95 times the high): ");
    append(b, std::move(anchors));
    out.push_back(std::move(b));
  }
  if (std::size_t n = model.ranges.size())
    out.push_back(text(fmt::format(
        "{} {}{}", n, n == 1 ? "number of the graph is a range" : "numbers of the graph are ranges",
        ranges)));
  if (std::any_of(model.nodes.begin(), model.nodes.end(),
                  [](const Node& n) { return n.substitution_years.has_value(); }))
    out.push_back(text(substitution_years_left_out
                           ? "Substitution times (substitution_years), which assume a substitute "
                             "needing nothing, are left out of this timeline (--ramp none): only "
                             "substitutes with their own inputs close a gap."
                           : "Substitution times (substitution_years) are assumed: no inputs "
                             "modelled for the substitute."));
  return out;
}

// Per side, the number whose range moves one of its headline targets (in the view the headline
// gives) most: the assumption a brief must name beside the headline.
std::vector<Inline> headline_swings(const Analysis& a, const UncertaintyResult& r, int digits) {
  const Model& model = *a.model;
  std::vector<Inline> out;
  for (const auto& [side, e] : top_swings(a, r)) {
    Inline s = text(side.empty() ? "The range that moves a target without a jurisdiction most: "
                                 : fmt::format("The range that moves {}'s headline most: ", side));
    append(s, swing_text(model, r, *e, digits));
    append(s, text(" (the tables below list the others)"));
    out.push_back(std::move(s));
  }
  return out;
}

// "Taiwan offline for 12 months lasts 12 months: ...": a static report shows a scenario that
// ends as if it lasted, so two scenarios that differ only in how long they last agree here.
std::optional<Inline> duration_assumption(const std::vector<std::string>& names,
                                          const std::vector<std::optional<double>>& months) {
  std::vector<std::string> lasting;
  for (std::size_t i = 0; i < names.size() && i < months.size(); ++i)
    if (months[i])
      lasting.push_back(fmt::format("{} ({} months)", names[i], short_number(*months[i])));
  if (lasting.empty()) return std::nullopt;
  return text(fmt::format(
      "{} {}: a static analysis shows {} while {} lasts, not how long it lasts (the timeline "
      "command follows the months, with stocks drawn down and recovery after the end).",
      lasting.size() == 1 ? "A scenario that ends:" : "Scenarios that end:", listed(lasting),
      lasting.size() == 1 ? "its state" : "each one's state", lasting.size() == 1 ? "it" : "each"));
}

// What a report makes of the graph's ranges, after "N numbers of the graph are ranges".
const char* const kRangesAtBest =
    ", taken here at their best values; the uncertainty command gives the bands and which of them "
    "move the headline most.";

// What every summary ends with: what the model leaves out, then the box of the assumptions that
// drive the numbers (when there are any).
void finish_summary(Section& s, std::vector<Inline> assumed) {
  s.blocks.push_back(prose(
      text("Not modelled: prices and demand, stocks and smuggling the data does not list, and "
           "how long a control takes to bite (the timeline report models time). Values are "
           "capacities relative to the graph as written (100 %: nothing denied, nothing removed; "
           "its shares are the market of the data's date, which the controls then in force had "
           "already shaped, so 100 % is not a world without controls): the "
           "world view buys at world market shares "
           "with no country's control applied to the buyer (removals, outages and controls on "
           "listed firms, which cut what those firms make for everyone, still count); a side's "
           "view buys as that side does, and what the controls deny it is gone. Shares behind "
           "them are estimates.")));
  if (assumed.empty()) return;
  Section box{"assumptions", "Assumptions that drive this", {}, {}};
  Block list;
  list.kind = Block::Kind::bullets;
  list.items = std::move(assumed);
  box.blocks.push_back(std::move(list));
  s.children.push_back(std::move(box));
}

}  // namespace

const Perspective* home_side(const Analysis& a) {
  return a.viewed_as && !a.viewed_as->entity() ? &*a.viewed_as : nullptr;
}

double home_share(const Model& model, const Perspective& side, NodeIndex n) {
  const Group* g = model.nodes[n].supplier_group();
  if (shown_in_view(model, side, n))
    if (auto k = sourcing_for(model, side, n)) g = &model.nodes[n].sourcing()[*k].group;
  auto home = [&](NodeIndex x) {
    return std::binary_search(side.codes.begin(), side.codes.end(), model.nodes[x].jurisdiction);
  };
  if (!g) return home(n) ? 1.0 : 0.0;  // a firm, or a node made where it is located
  double share = 0;
  for (const Member& m : g->members)
    if (home(m.node)) share += m.weight;
  return share;
}

std::vector<NodeIndex> ranked_choke_points(const Model& model,
                                           const std::vector<rules::NodeScore>& scores,
                                           const Analysis* a) {
  std::vector<NodeIndex> order = rules::rank_by_severity(model, scores, true);
  if (a && !a->metrics.nodes.empty())  // equal severity and score: the larger impact first
    std::stable_sort(order.begin(), order.end(), [&](NodeIndex x, NodeIndex y) {
      if (scores[x].severity != scores[y].severity) return scores[x].severity > scores[y].severity;
      if (report_number(scores[x].score) != report_number(scores[y].score))
        return scores[x].score > scores[y].score;
      return report_number(a->metrics.nodes[x].impact) > report_number(a->metrics.nodes[y].impact);
    });
  return order;
}

namespace {

// The scale briefs write a number in, as its divisor and suffix: 0.62 M rather than 620 k.
std::pair<double, std::string> scale_of(double v) {
  return v >= 1e8   ? std::pair{1e9, std::string(" bn")}
         : v >= 1e5 ? std::pair{1e6, std::string(" M")}
         : v >= 1e3 ? std::pair{1e3, std::string(" k")}
                    : std::pair{1.0, std::string()};
}

}  // namespace

std::string amount_number(const Model& model, NodeIndex n, double capacity, int digits,
                          const Band* band) {
  const auto& q = model.nodes[n].extras.get().quantity;
  if (!q) return "";
  auto [divisor, scale] = scale_of(q->value * capacity);
  std::string number = significant(q->value * capacity / divisor, digits);
  // Nothing left and no band above it: nothing to range over.
  if (!q->range || (capacity <= kStatusEpsilon && !(band && band->p95 > kStatusEpsilon)))
    return number + scale;
  // The quantity's own range, at this capacity, or across the value's band, in the value's
  // scale: "60 k (12–120 k)".
  std::string low = significant(q->range->low * (band ? band->p5 : capacity) / divisor, digits);
  std::string high = significant(q->range->high * (band ? band->p95 : capacity) / divisor, digits);
  if (low == high) return number + scale;
  return fmt::format("{}{} ({}–{}{})", number, scale, low, high, scale);
}

std::string amount(const Model& model, NodeIndex n, double capacity, int digits, const Band* band) {
  const auto& q = model.nodes[n].extras.get().quantity;
  if (!q) return "";
  // Lost at a threshold is not "≈ 0 H100-equivalents": the compute is there, below the bar.
  if (capacity <= kStatusEpsilon)
    for (const Group& g : model.nodes[n].groups)
      if (g.threshold > 0) {
        std::string what = g.label.get().empty() ? std::string("its inputs") : g.label.get();
        return fmt::format("lost: below its threshold, {} of {}", percent(g.threshold, digits),
                           what.substr(0, what.find(" (")));
      }
  return fmt::format("≈ {} {}", amount_number(model, n, capacity, digits, band), q->unit);
}

std::optional<Section> analysis_summary(const Analysis& a,
                                        const std::vector<rules::NodeScore>* scores,
                                        const UncertaintyResult* bands, const TimelineResult* path,
                                        int digits) {
  if (a.targets.empty()) return std::nullopt;
  Section s{"summary", "Summary", {}, {}};
  // What the values start from: a what-if of one file is that file alone, not that file on
  // today's controls (compare --baseline lays scenarios on them).
  if (a.has_scenario && !a.scenario.empty())
    s.blocks.push_back(prose(text(fmt::format(
        "Measured against the graph as written (its shares are the market of the data's date, "
        "which earlier controls had already shaped), with nothing denied in the model: every "
        "value below is what {}, as modelled, takes from it.",
        a.scenario.name.empty() ? std::string("the scenario") : a.scenario.name))));
  for (auto& sentence : headline_sentences(a, bands, path, digits))
    s.blocks.push_back(prose(std::move(sentence)));
  if (scores)
    if (auto c = choke_point_sentence(a, *scores)) s.blocks.push_back(prose(std::move(*c)));
  if (auto c = causes_sentence(a, digits)) s.blocks.push_back(prose(std::move(*c)));
  if (auto c = controls_sentence(a, digits)) s.blocks.push_back(prose(std::move(*c)));
  std::vector<NodeIndex> targets;
  for (const auto& tr : a.targets) targets.push_back(tr.node);
  std::vector<Inline> assumed = bands ? headline_swings(a, *bands, digits) : std::vector<Inline>{};
  if (a.has_scenario)
    if (auto d = duration_assumption(
            {a.scenario.name.empty() ? std::string("The scenario") : a.scenario.name},
            {a.scenario.duration_months}))
      assumed.push_back(std::move(*d));
  if (auto l = lifted_assumption(a.scenario.controls)) assumed.push_back(std::move(*l));
  // The scenario as its author describes it: what it covers and what changed after its date
  // (a brief quotes the values with it).
  if (a.has_scenario && !a.scenario.description.empty())
    assumed.push_back(
        text(fmt::format("{}, as its file describes it: {}",
                         a.scenario.name.empty() ? std::string("The scenario") : a.scenario.name,
                         a.scenario.description)));
  for (auto& item : assumptions(*a.model, targets, kRangesAtBest))
    assumed.push_back(std::move(item));
  finish_summary(s, std::move(assumed));
  return s;
}

bool same_quantity(const Model& model, NodeIndex x, NodeIndex y) {
  const auto &p = model.nodes[x].extras.get().quantity, &q = model.nodes[y].extras.get().quantity;
  return p.has_value() == q.has_value() && (!p || (p->value == q->value && p->unit == q->unit));
}

std::optional<Inline> shared_amount_note(const Model& model, const std::vector<NodeIndex>& targets,
                                         int digits) {
  std::vector<std::vector<NodeIndex>> pools;
  for (NodeIndex t : targets) {
    if (!model.nodes[t].extras.get().quantity) continue;
    auto pool = std::find_if(pools.begin(), pools.end(),
                             [&](const auto& p) { return same_quantity(model, p.front(), t); });
    if (pool == pools.end())
      pools.push_back({t});
    else
      pool->push_back(t);
  }
  std::erase_if(pools, [](const auto& p) { return p.size() < 2; });
  if (pools.empty()) return std::nullopt;
  static const char* const kTimes[] = {"", "once", "twice", "three times", "four times"};
  Inline s = text("Points summed over targets count a shared amount more than once: ");
  for (std::size_t i = 0; i < pools.size(); ++i) {
    const auto& p = pools[i];
    if (i) append(s, text("; "));
    for (std::size_t k = 0; k < p.size(); ++k) {
      if (k) append(s, text(k + 1 == p.size() ? " and " : ", "));
      append(s, node_span(model, p[k]));
    }
    std::string times =
        p.size() < std::size(kTimes) ? kTimes[p.size()] : fmt::format("{} times", p.size());
    append(s, text(fmt::format(" give one amount (≈ {} {}), so a loss to it counts {}",
                               amount_number(model, p.front(), 1.0, digits),
                               model.nodes[p.front()].extras.get().quantity->unit, times)));
  }
  append(s, text(". Read such a sum as a score, not as capacity lost."));
  return s;
}

std::string lifted_note(const Control& c) {
  return c.lifted.empty() ? std::string() : " (lifted on " + c.lifted + ")";
}

std::optional<Inline> lifted_assumption(const std::vector<Control>& controls) {
  std::vector<const Control*> lifted;
  for (const Control& c : controls)
    if (!c.lifted.empty()) lifted.push_back(&c);
  if (lifted.empty()) return std::nullopt;
  Inline s = text(lifted.size() == 1 ? "A control applied here was lifted after the scenario's "
                                       "date: "
                                     : "Controls applied here were lifted after the scenario's "
                                       "date: ");
  for (std::size_t i = 0; i < lifted.size(); ++i) {
    if (i) append(s, text(i + 1 == lifted.size() ? " and " : ", "));
    append(s, Inline{Span{K::code, lifted[i]->id, {}}});
    append(s, text(lifted_note(*lifted[i])));
  }
  append(s, text(fmt::format(". The values read the rules as they stood before; a scenario "
                             "without {} reads them after.",
                             lifted.size() == 1 ? "it" : "them")));
  return s;
}

std::string view_phrase(const Model& model, std::string_view name) {
  if (!model.resolve_codes(name))
    if (auto n = model.find(std::string(name))) {
      const std::string& full = model.nodes[*n].name;
      return "the view of " + full.substr(0, full.find(" ("));
    }
  return std::string(name) + "'s view";
}

std::string listed_views(const std::vector<std::string>& phrases) {
  static constexpr std::string_view kEntity = "the view of ";
  std::vector<std::string> out, entities;
  for (const auto& p : phrases)
    if (p.starts_with(kEntity))
      entities.push_back(p.substr(kEntity.size()));
    else
      out.push_back(p);
  if (entities.size() == 1) out.push_back(std::string(kEntity) + entities.front());
  if (entities.size() > 1) out.push_back("the views of " + listed(entities));
  return listed(out);
}

std::string percent_band(double capacity, const Band* band, int digits, bool* said_lost) {
  if (said_lost) *said_lost = false;
  std::string value = percent(capacity, digits);
  if (!band) return value;
  std::string low = percent(band->p5, digits), high = percent(band->p95, digits);
  if (low == value && high == value) return value;
  // A band that reaches a loss is two answers, not a spread: say how often the target is lost
  // ("44 % (0–48 %; lost in 12 % of samples)"), or "0–48 %" reads as every value between.
  std::string lost;
  if (band->p5 <= kStatusEpsilon && band->p_lost > 0 && band->p_lost < 1) {
    lost = "; lost in " + percent(band->p_lost, digits) + " of samples";
    if (said_lost) *said_lost = true;
  }
  // "52 % (40–61 %)": the unit once.
  return fmt::format("{} ({}–{}{})", value, low.substr(0, low.size() - 2), high, lost);
}

namespace {

std::size_t side_view(const Comparison& c, JurisdictionIndex j) {
  if (j == kNoJurisdiction) return 0;
  for (std::size_t v = 1; v < c.view_count(); ++v) {
    const Perspective& p = c.views[v - 1];
    if (!p.entity() && std::binary_search(p.codes.begin(), p.codes.end(), j)) return v;
  }
  return 0;
}

}  // namespace

std::size_t headline_view(const Model& model, const Comparison& c, NodeIndex target) {
  return side_view(c, model.nodes[target].jurisdiction);
}

namespace {

std::string view_words(const Model& model, const Comparison& c, std::size_t view) {
  return view == 0 ? "world view" : "in " + view_phrase(model, c.view_name(view));
}

// A row's reading in a column: "15 % (0–100 %)", "≈ 0.2 M H100-equivalents a year".
Reading reading(const Model& model, const ComparisonRow& row, std::size_t column, int digits,
                std::string after = "") {
  const ComparedValue& v = row.values[column];
  return {row.target, percent_band(v.value, v.band ? &*v.band : nullptr, digits),
          amount(model, row.target, v.value, digits, v.band ? &*v.band : nullptr),
          std::move(after)};
}

// The column that costs a side's rows most (the sum of their losses against the baseline), if
// any costs anything; ties: the first.
std::optional<std::size_t> costliest(const std::vector<const ComparisonRow*>& rows,
                                     std::size_t columns) {
  std::optional<std::size_t> best;
  double most = kStatusEpsilon;
  for (std::size_t k = 1; k < columns; ++k) {
    double cost = 0;
    for (const ComparisonRow* r : rows) cost += r->values[0].value - r->values[k].value;
    if (cost > most) {
      most = cost;
      best = k;
    }
  }
  return best;
}

// Whether columns k and m give every target the same value in every view.
bool same_columns(const Comparison& c, std::size_t k, std::size_t m) {
  return std::all_of(c.rows.begin(), c.rows.end(), [&](const ComparisonRow& r) {
    return report_number(r.values[k].value) == report_number(r.values[m].value);
  });
}

// Groups of two or more scenarios (columns, not the baseline) that agree everywhere: "A and B".
// The columns of `like_base` (like_baseline()) are left out: the summary says they add nothing.
std::vector<std::vector<std::size_t>> same_answers(const Comparison& c,
                                                   const std::vector<std::size_t>& like_base) {
  std::vector<std::vector<std::size_t>> groups;
  std::vector<char> grouped(c.columns.size(), 0);
  for (std::size_t k : like_base) grouped[k] = 1;
  for (std::size_t k = 1; k < c.columns.size(); ++k) {
    if (grouped[k]) continue;
    std::vector<std::size_t> group = {k};
    for (std::size_t m = k + 1; m < c.columns.size(); ++m) {
      bool same = !grouped[m] && same_columns(c, k, m);
      if (same) {
        group.push_back(m);
        grouped[m] = 1;
      }
    }
    if (group.size() > 1) groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace

std::vector<std::size_t> like_baseline(const Comparison& c) {
  std::vector<std::size_t> out;
  for (std::size_t k = 1; k < c.columns.size(); ++k)
    if (same_columns(c, 0, k)) out.push_back(k);
  return out;
}

namespace {

// A side of a comparison: its targets (in its view where compared), the scenario that costs it
// most and how much, summed over them.
struct Side {
  std::string name;
  std::size_t view = 0;
  std::vector<const ComparisonRow*> rows;
  std::optional<std::size_t> column;
  double cost = 0;
};

// "What costs CN most (in CN's view): X, which leaves ...", or that no scenario lowers its
// targets.
Inline side_sentence(const Model& model, const Comparison& c, const Side& side, int digits) {
  std::string who = side.name.empty() ? "targets without a jurisdiction" : side.name;
  Inline sentence;
  if (!side.column) {
    sentence = text(fmt::format("No scenario lowers {}'s targets ({}) below the baseline: ", who,
                                view_words(model, c, side.view)));
    std::vector<Reading> readings;
    for (const ComparisonRow* row : side.rows) readings.push_back(reading(model, *row, 0, digits));
    append_readings(sentence, model, readings);
  } else {
    std::size_t k = *side.column;
    sentence =
        text(fmt::format("What costs {} most ({}; the largest loss summed over its targets): ", who,
                         view_words(model, c, side.view)));
    append(sentence, Inline{Span{K::strong, c.heading(k), {}}});
    append(sentence, text(", which leaves "));
    // The three findings it costs most (targets that read alike are one), the largest loss first;
    // the tables have the rest.
    std::vector<const ComparisonRow*> hit;
    for (const ComparisonRow* r : side.rows)
      if (r->values[0].value - r->values[k].value > kStatusEpsilon) hit.push_back(r);
    std::stable_sort(hit.begin(), hit.end(), [k](const ComparisonRow* a, const ComparisonRow* b) {
      return a->values[0].value - a->values[k].value > b->values[0].value - b->values[k].value;
    });
    std::vector<Reading> readings;
    for (const ComparisonRow* row : hit)
      readings.push_back(reading(
          model, *row, k, digits,
          fmt::format(" against {} on the baseline", percent(row->values[0].value, digits))));
    if (std::size_t left = append_readings(sentence, model, readings, 3))
      append(sentence, text(fmt::format(" (and {} more of its targets)", left)));
    // The largest sum is not the worst for every target: name the target another scenario
    // leaves lowest by the widest margin, so "costs most" is not read as "worst for each".
    const ComparisonRow* other_row = nullptr;
    std::size_t other = 0;
    double margin = kStatusEpsilon;
    for (const ComparisonRow* r : side.rows)
      for (std::size_t m = 1; m < c.columns.size(); ++m)
        if (r->values[k].value - r->values[m].value > margin) {
          margin = r->values[k].value - r->values[m].value;
          other_row = r;
          other = m;
        }
    if (other_row) {
      append(sentence, text(fmt::format("; for {}, {} costs more ({} against {})",
                                        model.nodes[other_row->target].name, c.heading(other),
                                        percent(other_row->values[other].value, digits),
                                        percent(other_row->values[k].value, digits))));
    }
  }
  append(sentence, text("."));
  return sentence;
}

// "The range that moves the costliest answer (X) most: ...": the top of the tornado of the
// side's target that X costs most, in the side's view.
std::optional<Inline> costliest_range(const Model& model, const Comparison& c, const Side& side,
                                      int digits) {
  if (!side.column) return std::nullopt;
  std::size_t k = *side.column;
  const auto& bands = c.bands.size() > k ? c.bands[k] : std::nullopt;
  const ComparisonRow* row = side.rows.front();
  for (const ComparisonRow* r : side.rows)  // the target that loses most
    if (r->values[0].value - r->values[k].value > row->values[0].value - row->values[k].value)
      row = r;
  const TargetUncertainty* e = nullptr;
  if (bands)
    for (std::size_t v = 0; v < bands->view_count() && !e; ++v) {
      bool match = side.view == 0
                       ? v == 0
                       : v > 0 && bands->perspectives[v - 1].same_side(c.views[side.view - 1]);
      if (match) e = bands->find(row->target, v);
    }
  if (!e || e->tornado.empty()) return std::nullopt;
  Inline sentence =
      text(fmt::format("The range that moves the costliest answer ({}) most: ", c.heading(k)));
  append(sentence, swing_text(model, *bands, *e, digits));
  append(sentence, text("."));
  return sentence;
}

}  // namespace

std::optional<Section> compare_summary(const Model& model, const Comparison& c, int digits) {
  if (c.rows.empty() || c.columns.empty()) return std::nullopt;
  Section s{"summary", "Summary", {}, {}};
  std::vector<std::string> views = {"the world"};
  for (const auto& p : c.views) views.push_back(view_phrase(model, p.name));
  std::size_t scenarios = c.columns.size() - 1;
  s.blocks.push_back(prose(text(fmt::format(
      "This compares {} scenario{} with the baseline ({}){}, in {}{}.", scenarios,
      scenarios == 1 ? "" : "s", c.columns[0],
      c.on_baseline ? fmt::format(", each laid on top of it: a column is the baseline and its "
                                  "scenario together (B + {})",
                                  scenarios == 1 ? "the scenario" : "each scenario")
                    : "",
      listed_views(views),
      c.samples ? fmt::format("; each value with the range nine samples in ten fall in (P5–P95 of "
                              "{} samples of the ranges in the data)",
                              c.samples)
                : ""))));
  // Static values, like the headlines of analyze: the state once stocks are used up, with the
  // fleets whole, before substitutes with inputs arrive.
  if (std::string state = static_state(model, model.targets); !state.empty())
    s.blocks.push_back(prose(text("Each value is a static reading" + state + ".")));
  // One sentence per side (its targets by jurisdiction, in its view where compared): at most
  // four, the sides with the costliest answer first.
  std::map<std::string, Side> by_side;
  for (NodeIndex t : model.targets) {
    JurisdictionIndex j = model.nodes[t].jurisdiction;
    std::string name = j == kNoJurisdiction ? "" : std::string(model.jurisdiction_code(j));
    Side& side = by_side[name];
    side.name = name;
    side.view = side_view(c, j);
    if (const ComparisonRow* r = c.find(t, side.view)) side.rows.push_back(r);
  }
  std::vector<Side> sides;
  for (auto& [name, side] : by_side) {
    if (side.rows.empty()) continue;
    side.column = costliest(side.rows, c.columns.size());
    if (side.column)
      for (const ComparisonRow* r : side.rows)
        side.cost += r->values[0].value - r->values[*side.column].value;
    sides.push_back(std::move(side));
  }
  std::stable_sort(sides.begin(), sides.end(),
                   [](const Side& a, const Side& b) { return a.cost > b.cost; });
  if (sides.size() > 4) sides.resize(4);
  for (const Side& side : sides) s.blocks.push_back(prose(side_sentence(model, c, side, digits)));
  // Scenarios that agree everywhere: a reader should not look for a difference.
  const std::vector<std::size_t> like_base = like_baseline(c);
  for (const auto& group : same_answers(c, like_base)) {
    std::vector<std::string> names;
    for (std::size_t k : group) names.push_back(c.heading(k));
    std::string text_of = fmt::format(
        "{} give every target the same value in every view shown: what one adds over the "
        "other denies or removes nothing the targets still had.",
        listed(names));
    // Why an FDPR adds nothing, when one of them has it and another does not.
    bool without = std::any_of(group.begin(), group.end(), [&](auto k) { return !c.fdpr[k]; });
    for (std::size_t k : group) {
      if (!c.fdpr[k] || !without) continue;
      text_of +=
          c.fdpr_only[k] == 0
              ? fmt::format(
                    " The FDPR of {} denies nothing its controls do not deny "
                    "directly: every product it reaches is made in a "
                    "controlling country, or is that country's own{}.",
                    c.heading(k), c.fdpr_de_minimis[k] ? ", or stays within its de minimis" : "")
              : fmt::format(
                    " The FDPR of {} denies {} more maker-product pair{} to the "
                    "views shown, none that a target still needed.",
                    c.heading(k), c.fdpr_only[k], c.fdpr_only[k] == 1 ? "" : "s");
    }
    s.blocks.push_back(prose(text(text_of)));
  }
  // Scenarios that add nothing to the baseline: a reader would conclude they do nothing at all.
  if (!like_base.empty()) {
    std::vector<std::string> names;
    for (std::size_t k : like_base) names.push_back(c.heading(k));
    bool one = names.size() == 1;
    s.blocks.push_back(prose(text(fmt::format(
        "{} give{} every target the baseline's value in every view shown: what {} denies or "
        "removes, {}the targets do not need{}.",
        listed(names), one ? "s" : "", one ? "it" : "each",
        c.on_baseline ? "the baseline denies already or " : "",
        c.on_baseline ? fmt::format(" — not that {} would do nothing on {} own",
                                    one ? "it" : "they", one ? "its" : "their")
                      : ""))));
  }
  // The range that moves the costliest answer most.
  if (!sides.empty())
    if (auto r = costliest_range(model, c, sides.front(), digits)) s.blocks.push_back(prose(*r));
  std::string ranges = c.samples
                           ? fmt::format(
                                 ": each value shows its P5–P95 over {} samples (seed {}); the "
                                 "uncertainty command gives which of them move each target most.",
                                 c.samples, c.seed)
                           : std::string(kRangesAtBest);
  std::vector<Inline> assumed;
  if (auto d = duration_assumption(c.columns, c.durations)) assumed.push_back(std::move(*d));
  for (auto& item : assumptions(model, model.targets, ranges)) assumed.push_back(std::move(item));
  finish_summary(s, std::move(assumed));
  return s;
}

namespace {

// The targets of `targets` grouped by the code of their jurisdiction ("" without), by code.
std::map<std::string, std::vector<NodeIndex>> by_jurisdiction(
    const Model& model, const std::vector<NodeIndex>& targets) {
  std::map<std::string, std::vector<NodeIndex>> out;
  for (NodeIndex t : targets) {
    JurisdictionIndex j = model.nodes[t].jurisdiction;
    out[j == kNoJurisdiction ? std::string() : std::string(model.jurisdiction_code(j))].push_back(
        t);
  }
  return out;
}

// The first of `sides` (codes or blocs) that holds jurisdiction `j`, if any.
std::optional<std::size_t> side_holding(const std::vector<Perspective>& sides,
                                        JurisdictionIndex j) {
  if (j == kNoJurisdiction) return std::nullopt;
  for (std::size_t v = 0; v < sides.size(); ++v)
    if (!sides[v].entity() && std::binary_search(sides[v].codes.begin(), sides[v].codes.end(), j))
      return v;
  return std::nullopt;
}

std::string whose(const std::string& side) {
  return side.empty() ? "Targets without a jurisdiction" : side + "'s targets";
}

std::string scenario_words(const Scenario& s) {
  if (s.empty() && s.name.empty()) return "no scenario";
  return s.name.empty() ? "the scenario" : s.name;
}

}  // namespace

std::optional<Section> uncertainty_summary(const Model& model, const Scenario& scenario,
                                           const UncertaintyResult& r, int digits) {
  if (model.targets.empty()) return std::nullopt;
  Section s{"summary", "Summary", {}, {}};
  s.blocks.push_back(prose(text(fmt::format(
      "Under {}, {} sample{} (seed {}) of the {} uncertain number{} of the graph and the "
      "scenario: each value below is the point value with the range nine samples in ten fall in "
      "(P5–P95).",
      scenario_words(scenario), r.samples, r.samples == 1 ? "" : "s", r.seed, r.quantities.size(),
      r.quantities.size() == 1 ? "" : "s"))));
  // Each side's targets in its own view where shown, else the world's; at most four sides.
  const TargetUncertainty* moved = nullptr;  // the headline entry with the largest swing
  std::size_t sides = 0;
  for (const auto& [side, targets] : by_jurisdiction(model, model.targets)) {
    if (++sides > 4) break;
    auto v = side_holding(r.perspectives, model.nodes[targets.front()].jurisdiction);
    std::size_t view = v ? *v + 1 : 0;
    Inline sentence = text(whose(side) + (view ? fmt::format(" in {}'s view: ", r.view_name(view))
                                               : std::string(" (world view): ")));
    std::vector<Reading> readings;
    for (NodeIndex t : targets) {
      const TargetUncertainty* e = r.find(t, view);
      if (!e) continue;
      // percent_band says how often a band that reaches a loss is lost; other bands with lost
      // samples (a point lost with a band above 0 in some samples) say it after.
      bool said = false;
      std::string value = percent_band(e->band.point, &e->band, digits, &said);
      readings.push_back({t, value, amount(model, t, e->band.point, digits, &e->band),
                          e->band.p_lost > 0 && !said ? fmt::format(", lost in {} of samples",
                                                                    percent(e->band.p_lost, digits))
                                                      : std::string()});
      if (!e->tornado.empty() &&
          (!moved || e->tornado.front().swing > moved->tornado.front().swing))
        moved = e;
    }
    append_readings(sentence, model, readings);
    append(sentence, text("."));
    s.blocks.push_back(prose(std::move(sentence)));
  }
  if (moved) {
    Inline sentence = text("The number that moves a headline most: ");
    append(sentence, swing_text(model, r, *moved, digits));
    append(sentence, text("."));
    s.blocks.push_back(prose(std::move(sentence)));
  }
  finish_summary(s, assumptions(model, model.targets,
                                ", drawn independently in every sample (uniform, or triangular "
                                "where a best value is given)."));
  return s;
}

std::optional<Section> timeline_summary(const Model& model, const Scenario& scenario,
                                        const TimelineResult& r, int digits) {
  if (r.series.empty()) return std::nullopt;
  Section s{"summary", "Summary", {}, {}};
  s.blocks.push_back(prose(text(fmt::format(
      "This follows every target for {} months under {}, month 0 being the first month of the "
      "scenario.",
      r.months, scenario_words(scenario)))));
  std::vector<NodeIndex> targets;
  for (const auto& series : r.series)
    if (std::find(targets.begin(), targets.end(), series.target) == targets.end())
      targets.push_back(series.target);
  std::size_t sides = 0;
  for (const auto& [side, mine] : by_jurisdiction(model, targets)) {
    if (++sides > 4) break;
    auto v = side_holding(r.perspectives, model.nodes[mine.front()].jurisdiction);
    const std::string& view = r.views[v ? *v + 1 : 0];
    Inline sentence = text(
        whose(side) + (v ? fmt::format(" in {}'s view: ", view) : std::string(" (world view): ")));
    std::vector<Reading> readings;
    for (NodeIndex t : mine) {
      const TimelineSeries* it = r.find(t, view);
      if (!it || it->capacity.empty()) continue;
      const auto& c = it->capacity;
      auto low = std::min_element(c.begin(), c.end());
      Reading reading{t, "", "", "", fmt::format(" {} at month 0", percent(c.front(), digits))};
      if (*low < c.front() - kStatusEpsilon) {
        reading.lead += ", lowest ";
        reading.value = percent(*low, digits);
        reading.amount = amount(model, t, *low, digits);
        reading.after = fmt::format(" at month {}", low - c.begin());
      }
      reading.after += fmt::format(", {} at month {}", percent(c.back(), digits), c.size() - 1);
      reading.after += lost_months(*it);
      readings.push_back(std::move(reading));
    }
    append_readings(sentence, model, readings);
    append(sentence, text("."));
    if (!readings.empty()) s.blocks.push_back(prose(std::move(sentence)));
  }
  auto assumed = assumptions(model, targets, kRangesAtBest, true, r.ramp == Ramp::none);
  finish_summary(s, std::move(assumed));
  return s;
}

std::string all_candidates(std::size_t n) {
  if (n == 1) return "the one candidate";
  if (n == 2) return "both candidates";
  return fmt::format("all {} candidates", n);
}

std::string all_together(std::size_t n) {
  return n == 1 ? all_candidates(n) : all_candidates(n) + " together";
}

std::string no_coalition(const CoalitionResult& r, const CoalitionTarget& t, bool opens) {
  const char* no = opens ? "No" : "no";
  // Lost is 0 for a target without a threshold: a trickle left by every candidate together is
  // not "enough" for that bar, which says more about the bar than about the control.
  if (!t.grand_wins && !r.below && t.grand > 0 && t.grand < kTrickle)
    return fmt::format(
        "{} coalition makes it lost, not even {}: {} it at {}, and without a threshold in the "
        "data (min_share) lost means nothing left; a bar (--below, or the sweep's) reads such a "
        "target",
        no, all_together(r.candidates.size()),
        r.candidates.size() == 1 ? "it leaves" : "they leave", percent(t.grand));
  if (!t.grand_wins)
    return fmt::format("{} coalition is enough, not even {}", no,
                       all_together(r.candidates.size()));
  return fmt::format(
      "{} coalition of at most {} is enough; {} together would, so a larger one can (--order "
      "raises the limit)",
      no, r.max_size == 1 ? std::string("one candidate") : fmt::format("{} candidates", r.max_size),
      all_candidates(r.candidates.size()));
}

std::string kept_reading(const Model& model, const CoalitionResult& r, const CoalitionTarget& t,
                         int digits) {
  // Out of the control's reach (made in the controlled side, or by no candidate), left out of its
  // items (remote access, published weights), and what it leaves of what it cuts.
  std::vector<std::string> out_of_reach, not_items, left;
  double rest = 0;
  std::size_t rest_count = 0;
  for (const auto& k : t.kept) {
    auto& list = !k.untouched ? left : r.control.item(k.node) ? out_of_reach : not_items;
    if (k.points < 0.005 || list.size() == 3) {
      rest += k.points;
      rest_count += k.points > 0;
      continue;
    }
    std::string points = fmt::format("{} point{}", significant(k.points * 100, digits),
                                     significant(k.points * 100, digits) == "1" ? "" : "s");
    list.push_back(k.via != k.node && k.via != t.target
                       ? fmt::format("{} ({}, held there by {})", model.nodes[k.via].name, points,
                                     model.nodes[k.node].name)
                       : fmt::format("{} ({})", model.nodes[k.node].name, points));
  }
  if (out_of_reach.empty() && not_items.empty() && left.empty()) return "";
  std::vector<std::string> parts;
  if (!out_of_reach.empty()) parts.push_back(listed(out_of_reach) + ", out of the control's reach");
  if (!not_items.empty()) parts.push_back(listed(not_items) + ", which its items leave out");
  if (!left.empty())
    parts.push_back(listed(left) + ", what the control leaves of " +
                    (left.size() == 1 ? "it" : "them"));
  std::string s = fmt::format("; what keeps it at {}: ", percent(t.grand, digits));
  for (std::size_t i = 0; i < parts.size(); ++i)
    s += (i == 0 ? "" : i + 1 == parts.size() ? ", and " : "; ") + parts[i];
  if (rest_count > 0)
    s += fmt::format(" (and {} more: {} points)", rest_count, significant(rest * 100, digits));
  // An installed base holds the target only while it lasts: the answer is year one's.
  std::vector<std::string> bases;
  for (const auto& k : t.kept)
    if (k.points >= 0.005 && model.nodes[k.node].extras.get().lifetime_months)
      bases.push_back(fmt::format("{} ({:g} months)", model.nodes[k.node].name,
                                  *model.nodes[k.node].extras.get().lifetime_months));
  if (!bases.empty())
    s += fmt::format(
        ". That is year one: {} {} an installed base, which retires over its "
        "lifetime and is not renewed under the control (a timeline of it shows when "
        "the target falls)",
        listed(bases), bases.size() == 1 ? "is" : "are");
  return s;
}

std::optional<Section> coalitions_summary(const Model& model, const CoalitionResult& r,
                                          int digits) {
  if (r.targets.empty()) return std::nullopt;
  Section s{"summary", "Summary", {}, {}};
  std::string codes;
  for (std::size_t i = 0; i < r.candidates.size(); ++i)
    codes += (i ? ", " : "") + std::string(model.jurisdiction_code(r.candidates[i]));
  s.blocks.push_back(prose(text(fmt::format(
      "Which of the candidates ({}) must join a control on {} against {} to {}, in {}'s view. "
      "The control is against {} as a whole (every buyer located there), not against listed "
      "firms or end uses as the rules in force are: a counterfactual of how far such a control "
      "reaches, not a reading of those rules.",
      codes, r.control.items_text.empty() ? "every item" : "items " + r.control.items_text,
      r.against,
      r.below ? fmt::format("push a target of {} below {}", r.against, percent(*r.below, digits))
              : fmt::format("make a target of {} lost", r.against),
      r.against, r.against))));
  // Targets with the same answer (three uses of one compute pool) share a sentence; at most four
  // sentences, the other targets named.
  auto same = [&](const CoalitionTarget& a, const CoalitionTarget& b) {
    return a.baseline == b.baseline && a.grand == b.grand && a.already == b.already &&
           a.minimal == b.minimal && a.shapley == b.shapley && a.win_share == b.win_share &&
           (!a.minimal.empty() || a.already ||
            no_coalition(r, a) + kept_reading(model, r, a, digits) ==
                no_coalition(r, b) + kept_reading(model, r, b, digits));
  };
  std::vector<NodeIndex> targets;
  std::vector<std::vector<const CoalitionTarget*>> groups;
  for (const auto& t : r.targets) {
    targets.push_back(t.target);
    auto g = std::find_if(groups.begin(), groups.end(),
                          [&](const auto& g) { return same(*g.front(), t); });
    if (g != groups.end())
      g->push_back(&t);
    else
      groups.push_back({&t});
  }
  constexpr std::size_t kSentences = 4;
  for (std::size_t k = 0; k < std::min(groups.size(), kSentences); ++k) {
    const CoalitionTarget& t = *groups[k].front();
    Inline sentence;
    for (std::size_t i = 0; i < groups[k].size(); ++i) {
      if (i) append(sentence, text(i + 1 == groups[k].size() ? " and " : ", "));
      append(sentence, node_span(model, groups[k][i]->target));
    }
    append(sentence, text(fmt::format(" ({}{} before the control, {} with every candidate in it): ",
                                      groups[k].size() > 1 ? "each " : "",
                                      percent(t.baseline, digits), percent(t.grand, digits))));
    if (t.already) {
      append(sentence, text(r.below ? fmt::format("already below {} before this control.",
                                                  percent(*r.below, digits))
                                    : std::string("already lost before this control.")));
    } else if (t.minimal.empty()) {
      append(sentence, text(no_coalition(r, t) + kept_reading(model, r, t, digits) + "."));
    } else {
      std::string members;
      for (auto j : t.minimal.front())
        members += (members.empty() ? "" : " + ") + std::string(model.jurisdiction_code(j));
      append(sentence, text("the smallest winning coalition is "));
      append(sentence, Inline{Span{K::strong, members, {}}});
      append(sentence, text(t.minimal.size() > 1 ? fmt::format(" (one of {})", t.minimal.size())
                                                 : std::string()));
      if (!t.win_share.empty())
        append(sentence, text(fmt::format(", winning in {} of {} samples",
                                          percent(t.win_share.front(), digits), r.win_samples)));
      // A coalition that wins through an FDPR wins through the control's made_with and de
      // minimis, read as reaching a maker's whole product: said beside the answer.
      if (!t.fdpr_members.empty() && !t.fdpr_members.front().empty()) {
        std::vector<std::string> via;
        for (auto j : t.fdpr_members.front()) via.emplace_back(model.jurisdiction_code(j));
        // What the products it reaches are made with, over the group's first coalitions.
        std::vector<NodeIndex> with;
        for (const CoalitionTarget* g : groups[k])
          if (!g->reasons.empty()) add_reached_through(g->reasons.front(), std::nullopt, with);
        append(sentence, text(fmt::format(", through the FDPR of {} (", listed(via))));
        if (!with.empty()) {
          append(sentence, made_with_phrase(model, with));
          append(sentence, text(", as "));
        } else {
          append(sentence, text("what "));
        }
        append(sentence,
               text(fmt::format("the control's made_with names, at de minimis {}, reaching a "
                                "maker's whole product: an upper bound)",
                                percent(r.control.de_minimis, digits))));
      }
      // The members needed most: every candidate at the highest index (two at 0.42 each are
      // both named; naming one, by code order, read as a finding).
      std::size_t best = 0;
      for (std::size_t i = 1; i < t.shapley.size(); ++i)
        if (t.shapley[i] > t.shapley[best] + 1e-12) best = i;
      if (!t.shapley.empty() && t.shapley[best] > 0) {
        std::vector<std::string> tied;
        for (std::size_t i = 0; i < t.shapley.size(); ++i)
          if (t.shapley[i] >= t.shapley[best] - 1e-12)
            tied.emplace_back(model.jurisdiction_code(r.candidates[i]));
        append(sentence,
               text(tied.size() == 1
                        ? fmt::format("; the member needed most is {} (Shapley–Shubik {})",
                                      tied.front(), significant(t.shapley[best], digits))
                        : fmt::format("; the members needed most are {} (Shapley–Shubik {} each)",
                                      listed(tied), significant(t.shapley[best], digits))));
      }
      append(sentence, text("."));
    }
    s.blocks.push_back(prose(std::move(sentence)));
  }
  if (groups.size() > kSentences) {
    Inline rest = text("The other targets' answers are in their sections below: ");
    bool first = true;
    for (std::size_t k = kSentences; k < groups.size(); ++k)
      for (const CoalitionTarget* t : groups[k]) {
        if (!first) append(rest, text(", "));
        first = false;
        append(rest, node_span(model, t->target));
      }
    append(rest, text("."));
    s.blocks.push_back(prose(std::move(rest)));
  }
  finish_summary(s, assumptions(model, targets,
                                r.win_samples ? fmt::format(", taken at their best values; each "
                                                            "coalition's wins are counted over "
                                                            "{} samples of them (seed {}).",
                                                            r.win_samples, r.win_seed)
                                              : std::string(kRangesAtBest)));
  return s;
}

}  // namespace chokepoint::report
