// The dependency model: nodes, requirement groups and weighted, role-tagged edges (SPEC §2).
//
// Built once by the loader and read-only afterwards; analyses take it by const reference and keep
// their per-scenario state (capacities, removals) in their own vectors indexed by NodeIndex.
#pragma once

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "graph/support/diagnostics.hpp"

namespace chokepoint {

using NodeIndex = std::uint32_t;
using JurisdictionIndex = std::int32_t;
constexpr JurisdictionIndex kNoJurisdiction = -1;

enum class Role : std::uint8_t { supplier, input };

std::string_view role_name(Role role);

// A value most nodes and groups leave empty (tags, sources, attributes, a group's label), kept
// behind a pointer: 8 bytes where the value itself takes 24 or 32, for each of a million nodes.
// Reads see an empty value when none was set; copies are deep.
template <class T>
class Rare {
 public:
  Rare() = default;
  Rare(T value) { *this = std::move(value); }  // NOLINT(google-explicit-constructor)
  Rare(const Rare& other) : p_(other.p_ ? std::make_unique<T>(*other.p_) : nullptr) {}
  Rare(Rare&&) noexcept = default;
  Rare& operator=(const Rare& other) {
    p_ = other.p_ ? std::make_unique<T>(*other.p_) : nullptr;
    return *this;
  }
  Rare& operator=(Rare&&) noexcept = default;
  Rare& operator=(T value) {
    p_ = value.empty() ? nullptr : std::make_unique<T>(std::move(value));
    return *this;
  }
  ~Rare() = default;

  const T& get() const {
    static const T kEmpty{};
    return p_ ? *p_ : kEmpty;
  }
  operator const T&() const { return get(); }  // NOLINT(google-explicit-constructor)
  T& edit() {
    if (!p_) p_ = std::make_unique<T>();
    return *p_;
  }
  bool empty() const { return !p_ || p_->empty(); }
  auto size() const { return get().size(); }
  auto begin() const { return get().begin(); }
  auto end() const { return get().end(); }

 private:
  std::unique_ptr<T> p_;
};

// One membership of a group: the member node and its normalised weight. (Fields in this order
// leave no padding: 24 bytes, not 32 — a million-node graph has millions of members.)
struct Member {
  NodeIndex node;
  SourceLocation where;
  double weight;
};

// A requirement group: the supplier group (OR) or one `inputs` item (an id or an `any` group).
// (In this order: 56 bytes.)
struct Group {
  Role role;
  bool shares_given = false;  // some member was written with a share
  SourceLocation where;
  double threshold = 0.0;  // min_share / min_supply; 0 means "any supply at all"
  Rare<std::string> label;
  std::vector<Member> members;
};

using AttrValue = std::variant<bool, double, std::string>;

struct Node {
  std::string id;
  std::string name;
  std::string kind;
  JurisdictionIndex jurisdiction = kNoJurisdiction;
  bool target = false;
  bool has_suppliers = false;  // if so, groups[0] is the supplier group
  std::vector<Group> groups;
  std::optional<double> substitution_years;
  std::optional<double> stock_months;  // inventory or installed base, in months of baseline output
  Rare<std::vector<std::pair<std::string, AttrValue>>> attrs;  // sorted by name
  Rare<std::vector<std::string>> tags;
  Rare<std::vector<std::string>> sources;
  SourceLocation where;

  const Group* supplier_group() const { return has_suppliers ? &groups[0] : nullptr; }
  const AttrValue* attr(std::string_view name) const;
};

struct JurisdictionInfo {
  std::string code;
  std::string name;
  bool declared = false;  // declared in the file rather than built in
};

struct Bloc {
  std::string name;
  std::vector<JurisdictionIndex> members;
  SourceLocation where;
};

// An edge runs from a member to the node that depends on it.
struct EdgeInfo {
  Role role = Role::input;
  std::uint32_t group = 0;  // index into the dependent's groups
  double weight = 0.0;
};

// Built once, never changed: a compressed sparse row graph (edges in arrays, both directions)
// builds in a tenth of the time of an adjacency_list and takes a third of the memory.
using DependencyGraph =
    boost::compressed_sparse_row_graph<boost::bidirectionalS, boost::no_property, EdgeInfo,
                                       boost::no_property, std::uint32_t, std::uint32_t>;

// Boost's graphs may lack a move constructor (adjacency_list has none, and its swap copies three
// times), so a Model moved out of the loader or into an optional could copy its whole graph;
// held by pointer, it moves for free.
struct MovableGraph {
  std::unique_ptr<DependencyGraph> g = std::make_unique<DependencyGraph>();
  MovableGraph() = default;
  MovableGraph(const MovableGraph& other) : g(std::make_unique<DependencyGraph>(*other.g)) {}
  MovableGraph& operator=(const MovableGraph& other) {
    g = std::make_unique<DependencyGraph>(*other.g);
    return *this;
  }
  MovableGraph(MovableGraph&&) noexcept = default;
  MovableGraph& operator=(MovableGraph&&) noexcept = default;
  ~MovableGraph() = default;
};

class Model {
 public:
  std::vector<Node> nodes;
  std::vector<JurisdictionInfo> jurisdictions;  // every code that nodes, blocs or files mention
  std::vector<Bloc> blocs;
  std::vector<NodeIndex> targets;  // sorted by id
  bool targets_explicit = false;   // false: every node nothing depends on
  std::vector<std::pair<std::string, std::string>> meta;
  std::vector<std::string> files;  // every file read, the main one first
  std::size_t edge_count = 0;
  const DependencyGraph& graph() const { return *graph_.g; }

  std::optional<NodeIndex> find(std::string_view id) const;  // O(log nodes)
  std::optional<JurisdictionIndex> find_jurisdiction(std::string_view code) const;
  const Bloc* find_bloc(std::string_view name) const;
  // Codes of a code or bloc name, nullopt when neither.
  std::optional<std::vector<JurisdictionIndex>> resolve_codes(std::string_view code_or_bloc) const;
  std::string_view jurisdiction_code(JurisdictionIndex j) const {
    return j == kNoJurisdiction ? std::string_view() : std::string_view(jurisdictions[j].code);
  }
  // Node indexes sorted by id (byte order), for deterministic output.
  const std::vector<NodeIndex>& by_id() const { return by_id_; }
  // Dependents of a node (targets of its out-edges), each listed once.
  std::span<const NodeIndex> dependents(NodeIndex n) const {
    return {dependents_.data() + dependent_start_[n], dependents_.data() + dependent_start_[n + 1]};
  }
  // Number of distinct jurisdictions that nodes are located in.
  std::size_t located_jurisdiction_count() const;

  // Maker-product pairs (SPEC §3): one per supplier of a node, or the node itself as its own
  // maker when it has no suppliers. Pairs of node n are [first_pair(n), first_pair(n + 1)), in
  // the order of its supplier group.
  std::size_t pair_count() const { return pair_offset_.empty() ? 0 : pair_offset_.back(); }
  std::uint32_t first_pair(NodeIndex n) const { return pair_offset_[n]; }
  NodeIndex pair_product(std::uint32_t pair) const { return pair_product_[pair]; }
  NodeIndex pair_maker(std::uint32_t pair) const {
    NodeIndex n = pair_product_[pair];
    const Group* s = nodes[n].supplier_group();
    return s ? s->members[pair - pair_offset_[n]].node : n;
  }
  // Where a pair is located: its maker's jurisdiction, else its product's (kNoJurisdiction if
  // neither has one).
  JurisdictionIndex pair_jurisdiction(std::uint32_t pair) const {
    JurisdictionIndex j = nodes[pair_maker(pair)].jurisdiction;
    return j != kNoJurisdiction ? j : nodes[pair_product_[pair]].jurisdiction;
  }

  // Called by the loader once nodes are complete: builds the graph, indexes and target list.
  void finish();
  JurisdictionIndex intern_jurisdiction(std::string_view code, std::string name, bool declared);

 private:
  MovableGraph graph_;
  std::unordered_map<std::string, JurisdictionIndex> jurisdiction_index_;
  std::vector<NodeIndex> by_id_;
  std::vector<NodeIndex> dependents_;           // node n's are [dependent_start_[n], ...[n + 1])
  std::vector<std::uint32_t> dependent_start_;  // nodes + 1 entries
  std::vector<std::uint32_t> pair_offset_;      // nodes + 1 entries
  std::vector<NodeIndex> pair_product_;
};

// Every node with a dependency path to one of `from`, as a flag per node; a node of `from` is
// flagged only when it lies upstream of one of them (on a loop, or feeding another).
std::vector<char> upstream_of(const Model& model, std::span<const NodeIndex> from);
// The nodes of `to` and every node with a dependency path to one of them, as a flag per node.
std::vector<char> reaching(const Model& model, std::span<const NodeIndex> to);

}  // namespace chokepoint
