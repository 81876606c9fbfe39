// The registry of node values with how to read each one (graph/model/node_values.def): the
// rules' environment, the node tables (nodes.csv, GraphML, GEXF) and the JSON's metrics all read
// node values here. It lives on the rules floor because its values need the analyses and, for
// severity and score, the rules' scores.
#pragma once

#include <string_view>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "graph/model/node_fields.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

// What a node value is read from. Without an analysis only node fields have values; without
// scores, severity, score and the fired rules are null.
struct NodeValueContext {
  const Model& model;
  const Analysis* analysis = nullptr;
  const std::vector<rules::NodeScore>* scores = nullptr;
};

struct NodeValue {
  NodeValueSpec spec;  // name, shape, uses, column, description; field() for a node field
  rules::Value (*get)(const NodeValueContext& c, NodeIndex n);  // null for a node field

  rules::Value of(const NodeValueContext& c, NodeIndex n) const;
};

// Every node value, in the registry's order.
const std::vector<NodeValue>& node_values();
// The values used as rule identifiers, in identifier order (index = Environment's index).
const std::vector<const NodeValue*>& rule_values();
// The columns of the node tables, in column order.
const std::vector<const NodeValue*>& table_columns();
// The values in the JSON's metrics, in registry order.
const std::vector<const NodeValue*>& json_metrics();

// The rule language's environment for one node of an analysis: every identifier's value.
class NodeEnvironment : public NodeFields {
 public:
  NodeEnvironment(const Analysis& a, NodeIndex n)
      : NodeFields(*a.model, n), context_{*a.model, &a} {}
  rules::Value field(std::size_t identifier_index) const override;

 private:
  NodeValueContext context_;
};

// The docs table of every node value (docs/rules.md): name, type, where it appears, meaning.
std::string node_values_markdown();

}  // namespace chokepoint
