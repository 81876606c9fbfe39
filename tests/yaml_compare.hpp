// Compares two YAML trees node by node, positions included: used to check that a file parsed in
// parts gives the tree of the file parsed whole.
#pragma once

#include <fmt/format.h>

#include <string>

#include "graph/yaml_tree.hpp"

namespace chokepoint::testing {

// The first difference between `a` and `b` as "line:col: what", or empty when they are the same.
inline std::string tree_difference(yaml::NodeRef a, yaml::NodeRef b) {
  SourceLocation la = a.location(), lb = b.location();
  auto at = [&](const std::string& what) {
    return fmt::format("{}:{} vs {}:{}: {}", la.line, la.col, lb.line, lb.col, what);
  };
  if (la.line != lb.line || la.col != lb.col) return at("positions differ");
  if (a.kind() != b.kind()) return at("kinds differ");
  if (a.is_scalar())
    return a.scalar() == b.scalar() && a.quoted() == b.quoted() ? "" : at("scalars differ");
  if (a.size() != b.size()) return at(fmt::format("sizes differ ({} vs {})", a.size(), b.size()));
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a.is_map()) {
      if (auto d = tree_difference(a.key(i), b.key(i)); !d.empty()) return d;
      if (auto d = tree_difference(a.value(i), b.value(i)); !d.empty()) return d;
    } else if (auto d = tree_difference(a.item(i), b.item(i)); !d.empty()) {
      return d;
    }
  }
  return "";
}

}  // namespace chokepoint::testing
