// A node's own fields (id, name, kind, jurisdiction, target, tags, substitution_years, attrs) as
// values of the rule language: what a control's `items` and `made_with` test, and the part of a
// rule's environment that needs no analysis.
#pragma once

#include "graph/model/expression.hpp"
#include "graph/model/model.hpp"

namespace chokepoint {

class NodeFields : public rules::Environment {
 public:
  NodeFields(const Model& model, NodeIndex n) : model_(model), n_(n) {}

  // A node field's value; null for identifiers that are not node fields (metrics).
  rules::Value field(std::size_t identifier_index) const override;
  rules::Value attr(std::string_view name) const override;
  bool has_attr(std::string_view name) const override;

  // The identifiers a control's `items` and `made_with` may use.
  static const rules::IdentifierScope& control_scope();

 protected:
  const Model& model_;
  NodeIndex n_;
};

}  // namespace chokepoint
