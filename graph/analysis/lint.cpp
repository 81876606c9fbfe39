#include "graph/analysis/lint.hpp"

#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

namespace chokepoint {
namespace {

// Each kind of warning is listed for this many places, then summed up in one more line: a
// generated graph with 100,000 unused nodes should not print 300,000 lines.
constexpr std::size_t kListed = 10;

// "A, B and C".
std::string spoken_list(const std::set<std::string>& items) {
  std::string out;
  std::size_t i = 0;
  for (const auto& item : items) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += item;
    ++i;
  }
  return out;
}

void warn_unreaching(const Model& model, Diagnostics& diags) {
  if (!model.targets_explicit || model.targets.empty()) return;
  // A node reaches a target through a side's sourcing, or as a substitute of a node that does.
  std::vector<char> reaches = reaching(model, model.targets, true);
  for (bool grew = true; grew;) {
    grew = false;
    std::vector<NodeIndex> more;
    for (NodeIndex n = 0; n < model.nodes.size(); ++n)
      if (reaches[n])
        for (const Substitute& s : model.nodes[n].extras.get().substitutes)
          if (!reaches[s.node]) more.push_back(s.node);
    if (more.empty()) break;
    std::vector<char> feeding = reaching(model, more, true);
    for (NodeIndex n = 0; n < model.nodes.size(); ++n)
      if (feeding[n] && !reaches[n]) {
        reaches[n] = 1;
        grew = true;
      }
  }
  std::size_t count = 0;
  SourceLocation first_unlisted;
  for (NodeIndex n = 0; n < model.nodes.size(); ++n) {
    if (reaches[n]) continue;
    const Node& node = model.nodes[n];
    if (++count > kListed) {
      if (count == kListed + 1) first_unlisted = node.where;
      continue;
    }
    std::size_t feeds = model.dependents(n).size();
    diags.warning(node.where,
                  feeds == 0 ? fmt::format("'{}' reaches no target: nothing depends on it, so it "
                                           "changes no result",
                                           node.id)
                             : fmt::format("'{}' reaches no target: what it feeds leads to no "
                                           "target, so it changes no result",
                                           node.id));
  }
  if (count > kListed)
    diags.warning(first_unlisted, fmt::format("... and {} more nodes that reach no target, from "
                                              "here on (the first {} are listed)",
                                              count - kListed, kListed));
}

void warn_unweighted_any(const Model& model, Diagnostics& diags) {
  std::size_t count = 0;
  SourceLocation first_unlisted;
  for (const Node& node : model.nodes)
    for (const Group& g : node.groups) {
      if (g.role != Role::input || g.members.size() < 2 || g.shares_given) continue;
      std::set<std::string> kinds;
      for (const Member& m : g.members) kinds.insert(model.nodes[m.node].kind);
      if (kinds.size() < 2) continue;
      if (++count > kListed) {
        if (count == kListed + 1) first_unlisted = g.where;
        continue;
      }
      diags.warning(g.where, fmt::format("this 'any' group of '{}' gives no shares and its members "
                                         "are of different kinds ({}); equal weights (1/{} each) "
                                         "are assumed: give shares unless they are "
                                         "interchangeable",
                                         node.id, spoken_list(kinds), g.members.size()));
    }
  if (count > kListed)
    diags.warning(first_unlisted,
                  fmt::format("... and {} more 'any' groups of unlike members without shares, "
                              "from here on (the first {} are listed)",
                              count - kListed, kListed));
}

void note_multi_site_products(const Model& model, Diagnostics& diags) {
  for (const Node& node : model.nodes) {
    const Group* s = node.supplier_group();
    if (!s || node.jurisdiction != kNoJurisdiction || node.groups.size() < 2) continue;
    std::set<std::string> codes;
    for (const Member& m : s->members)
      if (auto j = model.nodes[m.node].jurisdiction; j != kNoJurisdiction)
        codes.insert(std::string(model.jurisdiction_code(j)));
    if (codes.size() < 2) continue;
    diags.note(node.where,
               fmt::format("'{}' has no jurisdiction, makers in {} and inputs of its own: each "
                           "maker uses those inputs where it is located, so an input denied to one "
                           "jurisdiction limits only the makers there",
                           node.id, spoken_list(codes)));
  }
}

}  // namespace

void lint(const Model& model, Diagnostics& diags, bool explain) {
  warn_unreaching(model, diags);
  warn_unweighted_any(model, diags);
  if (explain) note_multi_site_products(model, diags);
}

void lint_scenario(const Model& model, const Scenario& scenario, Diagnostics& diags) {
  if (model.fdpr_declared()) return;
  for (const Control& c : scenario.controls)
    if (c.fdpr) {
      diags.warning(c.fdpr_where,
                    fmt::format("control '{}' applies an FDPR, but no jurisdiction of the graph "
                                "declares one, so every 'by' jurisdiction is taken to have one; "
                                "declare those that do (e.g. US: {{fdpr: true}} under "
                                "jurisdictions)",
                                c.id));
      return;
    }
}

}  // namespace chokepoint
