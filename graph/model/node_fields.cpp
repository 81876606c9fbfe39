#include "graph/model/node_fields.hpp"

namespace chokepoint {

using rules::Field;
using rules::Value;

Value NodeFields::field(std::size_t i) const {
  const Node& node = model_.nodes[n_];
  switch (static_cast<Field>(i)) {
    case Field::id:
      return Value::text(node.id);
    case Field::name:
      return Value::text(node.name);
    case Field::kind:
      return Value::text(node.kind);
    case Field::jurisdiction:
      return node.jurisdiction == kNoJurisdiction
                 ? Value::null()
                 : Value::text(model_.jurisdiction_code(node.jurisdiction));
    case Field::target:
      return Value::flag(node.target);
    case Field::tags: {
      std::vector<Value> tags;
      for (const auto& t : node.tags) tags.push_back(Value::text(t));
      return Value::list(std::move(tags));
    }
    case Field::substitution_years:
      return node.substitution_years ? Value::num(*node.substitution_years) : Value::null();
    case Field::stock_months:
      return node.stock_months ? Value::num(*node.stock_months) : Value::null();
    default:
      return Value::null();
  }
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
  static const rules::IdentifierScope kScope{
      {"id", "name", "kind", "jurisdiction", "target", "tags", "substitution_years",
       "stock_months"},
      "in a control (it is decided before any metric)",
      "node fields: id, name, kind, jurisdiction, target, tags, substitution_years, "
      "stock_months, attrs.NAME"};
  return kScope;
}

}  // namespace chokepoint
