// Compares two YAML trees node by node, positions included, and two models field by field: used to
// check that a file parsed in parts, or its nodes read on several threads, give what one thread
// gives.
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <variant>

#include "graph/input/yaml_tree.hpp"
#include "graph/model/model.hpp"

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

// Everything the loader puts in a model, as text, for comparing two loads.
inline std::string model_dump(const Model& m) {
  std::string out;
  auto at = [](SourceLocation w) { return fmt::format("{}:{}:{}", w.file, w.line, w.col); };
  for (const auto& j : m.jurisdictions)
    out += fmt::format("J {} {} {}\n", j.code, j.name, j.declared);
  for (const auto& b : m.blocs) out += fmt::format("B {} {} {}\n", b.name, b.members, at(b.where));
  for (const Node& n : m.nodes) {
    out += fmt::format("N {}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", n.id, n.name, n.kind,
                       m.jurisdiction_code(n.jurisdiction), n.target, n.has_suppliers,
                       n.substitution_years.value_or(-1), n.stock_months.value_or(-1),
                       fmt::join(n.tags.get(), ","), fmt::join(n.sources.get(), ","), at(n.where));
    for (const auto& [key, value] : n.attrs)
      out += fmt::format("  A {}={}\n", key,
                         std::visit([](const auto& v) { return fmt::format("{}", v); }, value));
    for (const Group& g : n.groups) {
      out += fmt::format("  G {} {} {} {} {}\n", role_name(g.role), g.threshold, g.label.get(),
                         g.shares_given, at(g.where));
      for (const Member& mb : g.members)
        out += fmt::format("    M {} {} {}\n", mb.node, mb.weight, at(mb.where));
    }
  }
  out += fmt::format("T {} {}\n", m.targets, m.targets_explicit);
  return out;
}

}  // namespace chokepoint::testing
