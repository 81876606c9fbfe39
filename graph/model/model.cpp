#include "graph/model/model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "graph/support/parallel.hpp"

namespace chokepoint {

std::string_view role_name(Role role) { return role == Role::supplier ? "supplier" : "input"; }

std::vector<double> normalised_weights(std::span<const double> written) {
  double given = 0;
  std::size_t unshared = 0;
  for (double w : written) {
    if (std::isnan(w))
      ++unshared;
    else
      given += w;
  }
  double remainder = std::max(0.0, 1.0 - given);
  double each = unshared > 0 ? remainder / static_cast<double>(unshared) : 0.0;
  double total = given + (unshared > 0 ? remainder : 0.0);
  if (total <= 0) return {};
  std::vector<double> out;
  out.reserve(written.size());
  for (double w : written) out.push_back((std::isnan(w) ? each : w) / total);
  return out;
}

bool Model::fdpr_declared() const {
  return std::any_of(jurisdictions.begin(), jurisdictions.end(),
                     [](const JurisdictionInfo& j) { return j.fdpr; });
}

const AttrValue* Node::attr(std::string_view attr_name) const {
  auto it = std::lower_bound(attrs.begin(), attrs.end(), attr_name,
                             [](const auto& a, std::string_view n) { return a.first < n; });
  return it != attrs.end() && it->first == attr_name ? &it->second : nullptr;
}

std::optional<NodeIndex> Model::find(std::string_view id) const {
  // A binary search of the nodes sorted by id: a hash index would cost 70 MB at a million nodes
  // for lookups that only scenarios, views and flags make.
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), id,
                             [&](NodeIndex n, std::string_view key) { return nodes[n].id < key; });
  if (it == by_id_.end() || nodes[*it].id != id) return std::nullopt;
  return *it;
}

std::optional<JurisdictionIndex> Model::find_jurisdiction(std::string_view code) const {
  auto it = jurisdiction_index_.find(std::string(code));
  if (it == jurisdiction_index_.end()) return std::nullopt;
  return it->second;
}

const Bloc* Model::find_bloc(std::string_view bloc_name) const {
  for (const auto& b : blocs)
    if (b.name == bloc_name) return &b;
  return nullptr;
}

std::optional<std::vector<JurisdictionIndex>> Model::resolve_codes(
    std::string_view code_or_bloc) const {
  if (const Bloc* b = find_bloc(code_or_bloc)) return b->members;
  if (auto j = find_jurisdiction(code_or_bloc)) return std::vector<JurisdictionIndex>{*j};
  return std::nullopt;
}

JurisdictionIndex Model::intern_jurisdiction(std::string_view code, std::string jname,
                                             bool declared) {
  auto [it, inserted] = jurisdiction_index_.emplace(
      std::string(code), static_cast<JurisdictionIndex>(jurisdictions.size()));
  if (inserted) {
    jurisdictions.push_back(JurisdictionInfo{std::string(code), std::move(jname), declared});
  } else if (declared) {
    jurisdictions[it->second].declared = true;
    if (!jname.empty()) jurisdictions[it->second].name = std::move(jname);
  }
  return it->second;
}

std::size_t Model::located_jurisdiction_count() const {
  std::vector<bool> seen(jurisdictions.size(), false);
  std::size_t count = 0;
  for (const auto& n : nodes)
    if (n.jurisdiction != kNoJurisdiction && !seen[n.jurisdiction]) {
      seen[n.jurisdiction] = true;
      ++count;
    }
  return count;
}

void Model::finish() {
  // Two halves that share nothing but the nodes: on two threads for a large graph.
  auto indexes = [&] {
    by_id_.resize(nodes.size());
    for (NodeIndex i = 0; i < nodes.size(); ++i) by_id_[i] = i;
    std::sort(by_id_.begin(), by_id_.end(),
              [&](NodeIndex a, NodeIndex b) { return nodes[a].id < nodes[b].id; });
  };
  auto edges = [&] {
    // Edges run from a member to its dependent, in node, group and member order.
    std::vector<std::pair<NodeIndex, NodeIndex>> ends;
    std::vector<EdgeInfo> info;
    // A node's dependents, each once, ascending: counted, then placed (nodes in order).
    dependent_start_.assign(nodes.size() + 1, 0);
    constexpr NodeIndex kNone = std::numeric_limits<NodeIndex>::max();
    std::vector<NodeIndex> last(nodes.size(), kNone);
    for (NodeIndex n = 0; n < nodes.size(); ++n) {
      const auto& groups = nodes[n].groups;
      for (std::uint32_t g = 0; g < groups.size(); ++g)
        for (const auto& m : groups[g].members) {
          ends.emplace_back(m.node, n);
          info.push_back(EdgeInfo{groups[g].role, g, m.weight});
          if (last[m.node] != n) ++dependent_start_[m.node + 1];
          last[m.node] = n;
        }
    }
    edge_count = ends.size();
    graph_.g = std::make_unique<DependencyGraph>(boost::edges_are_unsorted_multi_pass, ends.begin(),
                                                 ends.end(), info.begin(),
                                                 static_cast<std::uint32_t>(nodes.size()));
    for (std::size_t n = 0; n < nodes.size(); ++n) dependent_start_[n + 1] += dependent_start_[n];
    dependents_.assign(dependent_start_.back(), 0);
    std::vector<std::uint32_t> next(dependent_start_.begin(), dependent_start_.end() - 1);
    std::fill(last.begin(), last.end(), kNone);
    for (auto [member, n] : ends) {
      if (last[member] == n) continue;
      last[member] = n;
      dependents_[next[member]++] = n;
    }

    pair_offset_.assign(nodes.size() + 1, 0);
    for (NodeIndex n = 0; n < nodes.size(); ++n) {
      const Group* s = nodes[n].supplier_group();
      pair_offset_[n + 1] =
          pair_offset_[n] + (s ? static_cast<std::uint32_t>(s->members.size()) : 1);
    }
    pair_product_.resize(pair_offset_.back());
    for (NodeIndex n = 0; n < nodes.size(); ++n)
      for (std::uint32_t p = pair_offset_[n]; p < pair_offset_[n + 1]; ++p) pair_product_[p] = n;
  };
  parallel_for(2, nodes.size() >= 4096 ? analysis_threads() : 1,
               [&](unsigned, std::size_t half) { half == 0 ? indexes() : edges(); });

  finish_sourcing();
  has_installed_bases = std::any_of(nodes.begin(), nodes.end(), [](const Node& n) {
    return n.extras.get().lifetime_months.has_value();
  });

  targets.clear();
  targets_explicit =
      std::any_of(nodes.begin(), nodes.end(), [](const Node& n) { return n.target; });
  for (NodeIndex n : by_id_)
    if (targets_explicit ? nodes[n].target : dependents(n).empty()) targets.push_back(n);
  for (NodeIndex t : targets) nodes[t].target = true;
}

void Model::finish_sourcing() {
  sourcing_maker_.clear();
  sourcing_dependents_.clear();
  sourcing_dependent_start_.clear();
  has_sourcing = false;
  for (NodeIndex n = 0; n < nodes.size(); ++n) {
    if (nodes[n].sourcing().empty()) continue;
    has_sourcing = true;
    // A maker the world's suppliers list keeps its world pair; another gets one pair of its
    // own, shared by every sourcing entry of the node that lists it.
    std::vector<std::pair<NodeIndex, std::uint32_t>> extra;
    const Group* world = nodes[n].supplier_group();
    for (Sourcing& s : nodes[n].extras.edit().sourcing) {
      s.pairs.clear();
      for (const Member& m : s.group.members) {
        std::uint32_t pair = 0;
        bool found = false;
        for (std::size_t i = 0; world && i < world->members.size(); ++i)
          if (world->members[i].node == m.node) {
            pair = pair_offset_[n] + static_cast<std::uint32_t>(i);
            found = true;
          }
        for (auto [maker, q] : extra)
          if (!found && maker == m.node) {
            pair = q;
            found = true;
          }
        if (!found) {
          pair = static_cast<std::uint32_t>(pair_product_.size());
          pair_product_.push_back(n);
          sourcing_maker_.push_back(m.node);
          extra.emplace_back(m.node, pair);
        }
        s.pairs.push_back(pair);
      }
    }
  }
  if (!has_sourcing) return;
  // Dependents with the sourcing buyers: each node's world dependents and the nodes whose
  // sourcing lists it, each once, ascending.
  std::vector<std::vector<NodeIndex>> more(nodes.size());
  for (NodeIndex n = 0; n < nodes.size(); ++n)
    for (const Sourcing& s : nodes[n].sourcing())
      for (const Member& m : s.group.members) more[m.node].push_back(n);
  sourcing_dependent_start_.assign(nodes.size() + 1, 0);
  for (NodeIndex n = 0; n < nodes.size(); ++n) {
    auto own = dependents(n);
    std::vector<NodeIndex> all(own.begin(), own.end());
    all.insert(all.end(), more[n].begin(), more[n].end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    sourcing_dependents_.insert(sourcing_dependents_.end(), all.begin(), all.end());
    sourcing_dependent_start_[n + 1] = static_cast<std::uint32_t>(sourcing_dependents_.size());
  }
}

std::vector<char> upstream_of(const Model& model, std::span<const NodeIndex> from, bool sourcing) {
  std::vector<char> seen(model.nodes.size(), 0);
  std::vector<NodeIndex> stack(from.begin(), from.end());
  auto visit = [&](const Group& g) {
    for (const Member& m : g.members)
      if (!seen[m.node]) {
        seen[m.node] = 1;
        stack.push_back(m.node);
      }
  };
  while (!stack.empty()) {
    NodeIndex n = stack.back();
    stack.pop_back();
    for (const Group& g : model.nodes[n].groups) visit(g);
    if (sourcing)
      for (const Sourcing& s : model.nodes[n].sourcing()) visit(s.group);
  }
  return seen;
}

std::vector<char> reaching(const Model& model, std::span<const NodeIndex> to, bool sourcing) {
  std::vector<char> seen = upstream_of(model, to, sourcing);
  for (NodeIndex t : to) seen[t] = 1;
  return seen;
}

}  // namespace chokepoint
