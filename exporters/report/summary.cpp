#include "exporters/report/summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "exporters/report/text.hpp"

namespace chokepoint::report {

namespace {

using K = Span::Kind;

// x with two significant digits: "52", "0.31", "0.0010"; a value that rounds up to the next
// power of ten loses its extra digit (9.96 -> "10", 0.99999 -> "1.0").
std::string two_significant(double x) {
  if (x == 0) return "0";
  int digits = std::max(0, 1 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
  double scale = std::pow(10.0, digits);
  double rounded = std::round(x * scale) / scale;
  if (digits > 0 && std::fabs(rounded) >= std::pow(10.0, 2 - digits)) digits -= 1;
  return fmt::format("{:.{}f}", rounded, digits);
}

void append(Inline& to, Inline part) { to.insert(to.end(), part.begin(), part.end()); }

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

// One sentence per side: "China's targets (in its view): frontier training 85 % (≈ 1.4 M
// H100-equivalents over a year), ...".
std::vector<Inline> headline_sentences(const Analysis& a) {
  const Model& model = *a.model;
  std::map<std::string, std::vector<NodeIndex>> by_side;
  for (const auto& tr : a.targets) {
    JurisdictionIndex j = model.nodes[tr.node].jurisdiction;
    by_side[j == kNoJurisdiction ? std::string() : std::string(model.jurisdiction_code(j))]
        .push_back(tr.node);
  }
  std::vector<Inline> out;
  bool scenario = a.has_scenario && !a.scenario.empty();
  for (const auto& [side, targets] : by_side) {
    Inline s = text(side.empty() ? "Targets without a jurisdiction" : side + "'s targets");
    const std::string view = headline_value(a, targets.front()).second;
    append(s, text(view.empty() ? (scenario ? " (world view) under the scenario: " : ": ")
                                : fmt::format(" in {}'s view{}: ", view,
                                              scenario ? " under the scenario" : "")));
    for (std::size_t i = 0; i < targets.size(); ++i) {
      NodeIndex t = targets[i];
      double value = headline_value(a, t).first;
      if (i) append(s, text("; "));
      append(s, Inline{Span{K::node, model.nodes[t].name, model.nodes[t].id}});
      append(s, text(" "));
      append(s, Inline{Span{K::strong, percent(value), {}}});
      std::string q = amount(model, t, value);
      if (!q.empty()) append(s, text(" (" + q + ")"));
    }
    append(s, text(" of today's capacity."));
    out.push_back(std::move(s));
  }
  return out;
}

// "The choke points that matter most: X (critical), ...: <the most severe rule's message>".
std::optional<Inline> choke_point_sentence(const Analysis& a,
                                           const std::vector<rules::NodeScore>& scores) {
  const Model& model = *a.model;
  auto order = rules::rank_by_severity(model, scores, true);
  if (order.empty()) return std::nullopt;
  Inline s = text(order.size() == 1 ? "The choke point that matters most: "
                                    : "The choke points that matter most: ");
  for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i) {
    NodeIndex n = order[i];
    const auto& score = scores[n];
    if (i) append(s, text("; "));
    append(s, Inline{Span{K::node, model.nodes[n].name, model.nodes[n].id}});
    append(s, text(" ("));
    append(s, Inline{Span{K::severity, std::string(rules::level_name(score.severity)), {}}});
    // The most severe rule's message says why.
    const rules::FiredRule* best = nullptr;
    for (const auto& f : score.fired)
      if (!best || f.rule->severity > best->rule->severity ||
          (f.rule->severity == best->rule->severity && f.rule->score > best->rule->score))
        best = &f;
    append(s, text(best ? ": " + best->message + ")" : ")"));
  }
  append(s, text("."));
  return s;
}

// The control behind a node's denial in a view: the first control that denies one of its
// pairs to that perspective, with the reason.
std::string denied_by(const Analysis& a, std::size_t view, NodeIndex n) {
  const Model& model = *a.model;
  for (const auto& d : a.denials)
    if (d.perspective == view && model.pair_product(d.pair) == n)
      return fmt::format("denied by {} ({})", a.scenario.controls[d.control].id,
                         reason_name(d.reason));
  return "";
}

// "What costs most: restoring H20 alone would give back 20 points of China's frontier
// training (denied by us-h20-licence, direct)."
std::optional<Inline> causes_sentence(const Analysis& a) {
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
  std::stable_sort(all.begin(), all.end(), [](const Best& x, const Best& y) {
    return x.cause->recovered > y.cause->recovered;
  });
  Inline s = text("What costs most: ");
  for (std::size_t i = 0; i < std::min<std::size_t>(3, all.size()); ++i) {
    const auto& [tc, cause] = all[i];
    bool world = tc->view == TargetCauses::kWorld;
    if (i) append(s, text("; "));
    append(s, text("restoring "));
    append(s, Inline{Span{K::node, model.nodes[cause->node].name, model.nodes[cause->node].id}});
    append(s, text(fmt::format(" alone would give back {} points of ",
                               two_significant(cause->recovered * 100))));
    append(s, Inline{Span{K::node, model.nodes[tc->target].name, model.nodes[tc->target].id}});
    append(s, text(world ? " (world view)" : " in " + a.views[tc->view].name + "'s view"));
    std::string by = world ? std::string() : denied_by(a, tc->view, cause->node);
    if (!by.empty()) append(s, text(", " + by));
  }
  append(s, text("."));
  return s;
}

// The installed bases and stocks the headline targets rest on (nodes upstream of them with
// `lifetime_months` or `stock_months`), and the ranges taken at their best values.
std::vector<Inline> assumptions(const Analysis& a) {
  const Model& model = *a.model;
  std::vector<NodeIndex> targets;
  for (const auto& tr : a.targets) targets.push_back(tr.node);
  std::vector<char> upstream = reaching(model, targets, true);
  std::vector<Inline> out;
  for (NodeIndex n : model.by_id()) {
    if (!upstream[n]) continue;
    const Node& node = model.nodes[n];
    if (node.extras.get().lifetime_months) {
      Inline b = Inline{Span{K::node, node.name, node.id}};
      append(b, text(fmt::format(": an installed base, held intact in this static analysis (it "
                                 "ages over {} months in a timeline)",
                                 short_number(*node.extras.get().lifetime_months))));
      out.push_back(std::move(b));
    } else if (node.stock_months && *node.stock_months > 0) {
      Inline b = Inline{Span{K::node, node.name, node.id}};
      append(b, text(fmt::format(": a stock of {} months, which a static analysis does not "
                                 "deplete (a timeline does)",
                                 short_number(*node.stock_months))));
      out.push_back(std::move(b));
    }
  }
  if (!model.ranges.empty())
    out.push_back(text(fmt::format(
        "{} numbers of the graph are ranges, taken here at their best values; the uncertainty "
        "command gives the bands and which of them move the headline most.",
        model.ranges.size())));
  if (std::any_of(model.nodes.begin(), model.nodes.end(),
                  [](const Node& n) { return n.substitution_years.has_value(); }))
    out.push_back(
        text("Substitution times (substitution_years) are assumed: no inputs modelled "
             "for the substitute."));
  return out;
}

}  // namespace

std::string percent(double capacity) {
  double p = capacity * 100;
  return p <= 0 ? "0 %" : two_significant(p) + " %";
}

std::string amount(const Model& model, NodeIndex n, double capacity) {
  const auto& q = model.nodes[n].extras.get().quantity;
  if (!q) return "";
  double v = q->value * capacity;
  // 0.62 M rather than 620 k, as briefs write it.
  std::string number = v >= 1e8   ? two_significant(v / 1e9) + " bn"
                       : v >= 1e5 ? two_significant(v / 1e6) + " M"
                       : v >= 1e3 ? two_significant(v / 1e3) + " k"
                                  : two_significant(v);
  return fmt::format("≈ {} {}", number, q->unit);
}

std::optional<Section> analysis_summary(const Analysis& a,
                                        const std::vector<rules::NodeScore>* scores) {
  if (a.targets.empty()) return std::nullopt;
  Section s{"summary", "Summary", {}, {}};
  for (auto& sentence : headline_sentences(a)) s.blocks.push_back(prose(std::move(sentence)));
  if (scores)
    if (auto c = choke_point_sentence(a, *scores)) s.blocks.push_back(prose(std::move(*c)));
  if (auto c = causes_sentence(a)) s.blocks.push_back(prose(std::move(*c)));
  s.blocks.push_back(prose(
      text("Not modelled: prices and demand, stocks and smuggling the data does not list, and "
           "how long a control takes to bite (the timeline report models time). Values are "
           "capacities relative to today's (100 %); shares behind them are estimates.")));
  auto assumed = assumptions(a);
  if (!assumed.empty()) {
    Section box{"assumptions", "Assumptions that drive this", {}, {}};
    Block list;
    list.kind = Block::Kind::bullets;
    list.items = std::move(assumed);
    box.blocks.push_back(std::move(list));
    s.children.push_back(std::move(box));
  }
  return s;
}

}  // namespace chokepoint::report
