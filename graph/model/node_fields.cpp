#include "graph/model/node_fields.hpp"

#include <string>

namespace chokepoint {

using rules::Value;

namespace {

// How the registry's node fields read a node (graph/model/node_values.def).
Value text_of(std::string_view s) { return Value::text(s); }
Value flag_of(bool b) { return Value::flag(b); }
Value code_of(const Model& m, JurisdictionIndex j) {
  return j == kNoJurisdiction ? Value::null() : Value::text(m.jurisdiction_code(j));
}
Value number_of(const std::optional<double>& v) { return v ? Value::num(*v) : Value::null(); }
Value texts_of(const std::vector<std::string>& items) {
  std::vector<Value> out;
  for (const auto& t : items) out.push_back(Value::text(t));
  return Value::list(std::move(out));
}
Value list_cell_of(const std::vector<std::string>& items) { return Value::own(list_cell(items)); }
Value quantity_of(const Model& m, NodeIndex n) {
  const auto& q = m.nodes[n].extras.get().quantity;
  return q ? Value::num(q->value) : Value::null();
}
Value quantity_unit_of(const Model& m, NodeIndex n) {
  const auto& q = m.nodes[n].extras.get().quantity;
  return q ? Value::own(q->unit) : Value::null();
}
Value substitutes_of(const Model& m, NodeIndex n) {
  std::vector<std::string> ids;
  for (const auto& s : m.nodes[n].extras.get().substitutes) ids.push_back(m.nodes[s.node].id);
  return Value::own(list_cell(ids));
}

std::vector<NodeValueSpec> make_specs() {
  constexpr Shape text = Shape::text, maybe_text = Shape::maybe_text, number = Shape::number,
                  maybe_number = Shape::maybe_number, count = Shape::count, flag = Shape::flag,
                  list = Shape::list;
  std::vector<NodeValueSpec> specs;
#define NODE_FIELD(name, shape, uses, column, description, value) \
  specs.push_back({#name, shape, uses, column, description,       \
                   [](const Model& m, NodeIndex n) -> Value { return value; }});
#define NODE_VALUE(name, shape, uses, column, description, value) \
  specs.push_back({#name, shape, uses, column, description, nullptr});
#include "graph/model/node_values.def"
  return specs;
}

// The index into node_value_specs() of each rule identifier.
const std::vector<std::size_t>& rule_rows() {
  static const std::vector<std::size_t> kRows = [] {
    std::vector<std::size_t> rows;
    const auto& specs = node_value_specs();
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i].uses & kRule) rows.push_back(i);
    return rows;
  }();
  return kRows;
}

}  // namespace

std::string list_cell(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += "; ";
    for (char c : item) {
      if (c == ';' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out;
}

rules::TypeSet types_of(Shape shape) {
  switch (shape) {
    case Shape::text:
      return rules::kString;
    case Shape::maybe_text:
      return rules::kString | rules::kNull;
    case Shape::number:
    case Shape::count:
      return rules::kNumber;
    case Shape::maybe_number:
      return rules::kNumber | rules::kNull;
    case Shape::flag:
      return rules::kBool;
    case Shape::list:
      return rules::kList;
  }
  return rules::kAny;
}

std::string_view column_type(Shape shape) {
  switch (shape) {
    case Shape::number:
    case Shape::maybe_number:
      return "double";
    case Shape::count:
      return "int";
    case Shape::flag:
      return "boolean";
    default:
      return "string";
  }
}

const std::vector<NodeValueSpec>& node_value_specs() {
  static const std::vector<NodeValueSpec> kSpecs = make_specs();
  return kSpecs;
}

Value NodeFields::field(std::size_t i) const {
  const NodeValueSpec& spec = node_value_specs()[rule_rows()[i]];
  return spec.field ? spec.field(model_, n_) : Value::null();
}

Value NodeFields::attr(std::string_view name) const {
  const AttrValue* v = model_.nodes[n_].attr(name);
  if (!v) return Value::null();
  if (auto b = std::get_if<bool>(v)) return Value::flag(*b);
  if (auto d = std::get_if<double>(v)) return Value::num(*d);
  return Value::text(std::get<std::string>(*v));
}

bool NodeFields::has_attr(std::string_view name) const {
  return model_.nodes[n_].attr(name) != nullptr;
}

const rules::IdentifierScope& NodeFields::control_scope() {
  static const rules::IdentifierScope kScope = [] {
    rules::IdentifierScope scope;
    for (std::size_t row : rule_rows())
      if (node_value_specs()[row].field) scope.names.push_back(node_value_specs()[row].name);
    static std::string hint = "node fields: ";
    for (auto name : scope.names) hint += std::string(name) + ", ";
    hint += "attrs.NAME";
    scope.where = "in a control (it is decided before any metric)";
    scope.hint = hint;
    return scope;
  }();
  return kScope;
}

}  // namespace chokepoint

namespace chokepoint::rules {

// The rule language's identifiers: the registry's rows used in rules, in its order.
const std::vector<Identifier>& identifiers() {
  static const std::vector<Identifier> kIdentifiers = [] {
    std::vector<Identifier> out;
    for (const auto& spec : node_value_specs())
      if (spec.uses & kRule) out.push_back({spec.name, types_of(spec.shape)});
    return out;
  }();
  return kIdentifiers;
}

std::optional<std::size_t> find_identifier(std::string_view name) {
  const auto& ids = identifiers();
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (ids[i].name == name) return i;
  return std::nullopt;
}

}  // namespace chokepoint::rules
