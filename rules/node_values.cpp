#include "rules/node_values.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <boost/range/iterator_range.hpp>
#include <type_traits>

namespace chokepoint {

using rules::Value;

namespace {

// How the registry's computed values read an analysis (graph/model/node_values.def).

const NodeMetrics* metrics_of(const NodeValueContext& c, NodeIndex n) {
  if (!c.analysis || c.analysis->metrics.nodes.empty()) return nullptr;
  return &c.analysis->metrics.nodes[n];
}

Value ids(const Model& model, const std::vector<NodeIndex>& nodes, bool names) {
  std::vector<Value> out;
  for (NodeIndex t : nodes)
    out.push_back(Value::text(names ? model.nodes[t].name : model.nodes[t].id));
  return Value::list(std::move(out));
}

// A member of NodeMetrics as a value; null without metrics.
template <typename T>
Value metric(const NodeValueContext& c, NodeIndex n, T NodeMetrics::*member) {
  const NodeMetrics* m = metrics_of(c, n);
  if (!m) return Value::null();
  const T& v = m->*member;
  if constexpr (std::is_same_v<T, bool>) {
    return Value::flag(v);
  } else if constexpr (std::is_arithmetic_v<T>) {
    return Value::num(static_cast<double>(v));
  } else if constexpr (std::is_same_v<T, std::vector<NodeIndex>>) {
    return ids(c.model, v, false);
  } else if constexpr (std::is_same_v<T, std::optional<NodeIndex>>) {
    return v ? Value::text(c.model.nodes[*v].id) : Value::null();
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    return v ? Value::text(*v) : Value::null();
  } else {
    static_assert(std::is_same_v<T, std::optional<double>>, "a metric of another type");
    return v ? Value::num(*v) : Value::null();
  }
}

Value capacity(const NodeValueContext& c, NodeIndex n) {
  return c.analysis ? Value::num(c.analysis->judged()[n]) : Value::null();
}

Value status(const NodeValueContext& c, NodeIndex n) {
  if (!c.analysis) return Value::null();
  return Value::text(status_name(status_of(c.analysis->judged()[n], c.analysis->baseline[n])));
}

// The largest share node n holds in any supplier group, and of which node. Ties (TSMC holds all
// of each of its processes) go to the product whose loss costs the targets most (impact), then
// to the smallest id, so that messages name the product that matters.
std::optional<std::pair<NodeIndex, double>> largest(const NodeValueContext& c, NodeIndex n) {
  const Model& model = c.model;
  auto impact = [&](NodeIndex d) { return metrics_of(c, d) ? metrics_of(c, d)->impact : 0.0; };
  std::optional<std::pair<NodeIndex, double>> best;
  auto better = [&](NodeIndex d, double w) {
    if (!best || w > best->second) return true;
    if (w < best->second) return false;
    if (impact(d) != impact(best->first)) return impact(d) > impact(best->first);
    return model.nodes[d].id < model.nodes[best->first].id;
  };
  for (auto e : boost::make_iterator_range(boost::out_edges(n, model.graph()))) {
    const EdgeInfo& info = model.graph()[e];
    if (info.role != Role::supplier) continue;
    NodeIndex d = static_cast<NodeIndex>(boost::target(e, model.graph()));
    if (better(d, info.weight)) best = std::pair{d, info.weight};
  }
  return best;
}

Value largest_share(const NodeValueContext& c, NodeIndex n) {
  auto l = largest(c, n);
  return l ? Value::num(l->second) : Value::null();
}

Value largest_share_of(const NodeValueContext& c, NodeIndex n, bool by_name) {
  auto l = largest(c, n);
  if (!l) return Value::null();
  const Node& of = c.model.nodes[l->first];
  return Value::text(by_name ? of.name : of.id);
}

Value top_supplier_name(const NodeValueContext& c, NodeIndex n) {
  const NodeMetrics* m = metrics_of(c, n);
  if (!m || !m->top_supplier) return Value::null();
  return Value::text(c.model.nodes[*m->top_supplier].name);
}

Value spof_names(const NodeValueContext& c, NodeIndex n) {
  const NodeMetrics* m = metrics_of(c, n);
  return m ? ids(c.model, m->spof, true) : Value::list({});
}

// How many targets the node is judged on: the judged targets (a side's in its view, else all)
// other than the node itself.
std::size_t other_targets(const NodeValueContext& c, NodeIndex n) {
  std::size_t count = 0;
  bool is_target = false;
  auto judge = [&](NodeIndex t) {
    ++count;
    is_target = is_target || t == n;
  };
  if (c.analysis)
    for (const auto& t : c.analysis->targets) judge(t.node);
  else
    for (NodeIndex t : c.model.targets) judge(t);
  return count - (is_target ? 1 : 0);
}

// len(spof) over the targets other than the node itself: the share of them it cuts alone; null
// when there are no other targets.
Value spof_share(const NodeValueContext& c, NodeIndex n) {
  std::size_t others = other_targets(c, n);
  if (others == 0) return Value::null();
  const NodeMetrics* m = metrics_of(c, n);
  std::size_t lost = m ? m->spof.size() : 0;
  return Value::num(static_cast<double>(lost) / static_cast<double>(others));
}

// impact over the targets other than the node itself: the share of their capacity it costs
// alone, on average; null when there are no other targets.
Value impact_share(const NodeValueContext& c, NodeIndex n) {
  std::size_t others = other_targets(c, n);
  if (others == 0) return Value::null();
  const NodeMetrics* m = metrics_of(c, n);
  return Value::num((m ? m->impact : 0.0) / static_cast<double>(others));
}

enum class SideImpactPart { own, other, leverage };

// With two sides: what removing the node costs its own side, the other, and the difference, each
// side as it buys (the disruption tables' figures).
Value side_impact(const NodeValueContext& c, NodeIndex n, SideImpactPart part) {
  if (!c.analysis || !c.analysis->leverage) return Value::null();
  const LeverageResult& l = *c.analysis->leverage;
  int side = l.side_of(c.model, n);
  if (side < 0) return Value::null();
  double own = side == 0 ? l.nodes[n].on_a_view : l.nodes[n].on_b_view;
  double other = side == 0 ? l.nodes[n].on_b_view : l.nodes[n].on_a_view;
  return Value::num(part == SideImpactPart::own     ? own
                    : part == SideImpactPart::other ? other
                                                    : other - own);
}

Value severity(const NodeValueContext& c, NodeIndex n) {
  return c.scores ? Value::text(rules::level_name((*c.scores)[n].severity)) : Value::null();
}

Value score(const NodeValueContext& c, NodeIndex n) {
  return c.scores ? Value::num((*c.scores)[n].score) : Value::null();
}

Value fired(const NodeValueContext& c, NodeIndex n) {
  if (!c.scores) return Value::null();
  std::string out;
  for (const auto& f : (*c.scores)[n].fired) out += (out.empty() ? "" : " | ") + f.message;
  return Value::own(std::move(out));
}

std::vector<NodeValue> make_values() {
  const auto& specs = node_value_specs();
  std::vector<NodeValue> values;
#define NODE_FIELD(name, shape, uses, column, description, value) \
  values.push_back({specs[values.size()], nullptr});  // read by spec.field
#define NODE_VALUE(name, shape, uses, column, description, value) \
  values.push_back({specs[values.size()],                         \
                    [](const NodeValueContext& c, NodeIndex n) -> Value { return value; }});
#include "graph/model/node_values.def"
  return values;
}

}  // namespace

const std::vector<NodeValue>& node_values() {
  static const std::vector<NodeValue> kValues = make_values();
  return kValues;
}

const std::vector<const NodeValue*>& rule_values() {
  static const std::vector<const NodeValue*> kRule = [] {
    std::vector<const NodeValue*> out;
    for (const auto& v : node_values())
      if (v.spec.uses & chokepoint::kRule) out.push_back(&v);
    return out;
  }();
  return kRule;
}

const std::vector<const NodeValue*>& table_columns() {
  static const std::vector<const NodeValue*> kColumns = [] {
    std::vector<const NodeValue*> out;
    for (const auto& v : node_values())
      if (v.spec.column > 0) out.push_back(&v);
    std::stable_sort(out.begin(), out.end(), [](const NodeValue* a, const NodeValue* b) {
      return a->spec.column < b->spec.column;
    });
    return out;
  }();
  return kColumns;
}

const std::vector<const NodeValue*>& json_metrics() {
  static const std::vector<const NodeValue*> kMetrics = [] {
    std::vector<const NodeValue*> out;
    for (const auto& v : node_values())
      if (v.spec.uses & kMetric) out.push_back(&v);
    return out;
  }();
  return kMetrics;
}

namespace {

std::string_view type_words(Shape shape) {
  switch (shape) {
    case Shape::text:
      return "text";
    case Shape::maybe_text:
      return "text or null";
    case Shape::number:
      return "number";
    case Shape::maybe_number:
      return "number or null";
    case Shape::count:
      return "whole number";
    case Shape::flag:
      return "true or false";
    case Shape::list:
      return "list of text";
  }
  return "";
}

}  // namespace

std::string node_values_markdown() {
  std::string out = "| value | type | in | meaning |\n|---|---|---|---|\n";
  for (const auto& v : node_values()) {
    std::vector<std::string_view> in;
    if (v.spec.uses & kRule) in.push_back("rules");
    if ((v.spec.uses & kRule) && v.spec.field) in.push_back("controls");
    if (v.spec.column > 0) in.push_back("nodes.csv");
    if (v.spec.uses & kMetric) in.push_back("JSON metrics");
    std::string meaning;
    for (char ch : v.spec.description)
      meaning += ch == '|' ? std::string("\\|") : std::string(1, ch);
    out += fmt::format("| `{}` | {} | {} | {} |\n", v.spec.name, type_words(v.spec.shape),
                       fmt::join(in, ", "), meaning);
  }
  return out;
}

Value NodeValue::of(const NodeValueContext& c, NodeIndex n) const {
  return get ? get(c, n) : spec.field(c.model, n);
}

Value NodeEnvironment::field(std::size_t i) const { return rule_values()[i]->of(context_, n_); }

}  // namespace chokepoint
