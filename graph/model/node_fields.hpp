// The registry of node values as this floor sees it (graph/model/node_values.def): every value's
// name, shape, uses and description, and for a node's own fields (id, name, kind, jurisdiction,
// target, tags, substitution_years, stock_months, sources) how to read them. It gives the rule
// language its identifiers and a control's `items` and `made_with` the fields they may test.
// rules/node_values.hpp adds how to read the values the analyses compute.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graph/model/expression.hpp"
#include "graph/model/model.hpp"

namespace chokepoint {

// How a node value looks: its type in the rule language and its column type in node tables.
enum class Shape { text, maybe_text, number, maybe_number, count, flag, list };
rules::TypeSet types_of(Shape shape);
// The attribute type of a column in GraphML ("string", "double", "int", "boolean").
std::string_view column_type(Shape shape);

// Where a node value appears besides the node tables (which take every value with a column).
enum NodeValueUse : unsigned {
  kRule = 1,    // an identifier of the rule language
  kMetric = 2,  // in the JSON's "metrics" of each node
};

struct NodeValueSpec {
  std::string_view name;
  Shape shape;
  unsigned uses;  // NodeValueUse bits
  int column;     // position in the node tables; 0: not a column
  std::string_view description;
  // A node field's value; null for a value an analysis computes.
  rules::Value (*field)(const Model& model, NodeIndex n);
};

// Every node value, in the registry's order (the rule identifiers' order).
const std::vector<NodeValueSpec>& node_value_specs();

// A list in one table cell, as `import csv` reads it back (tags, sources): items separated by
// "; ", a ';' or '\\' inside an item escaped with '\\'.
std::string list_cell(const std::vector<std::string>& items);

// The rule language's environment for a node's own fields (a control's items and made_with).
class NodeFields : public rules::Environment {
 public:
  NodeFields(const Model& model, NodeIndex n) : model_(model), n_(n) {}

  // A node field's value; null for identifiers that are not node fields (metrics).
  rules::Value field(std::size_t identifier_index) const override;
  rules::Value attr(std::string_view name) const override;
  bool has_attr(std::string_view name) const override;

  // The identifiers a control's `items` and `made_with` may use: the node fields.
  static const rules::IdentifierScope& control_scope();

 protected:
  const Model& model_;
  NodeIndex n_;
};

}  // namespace chokepoint
