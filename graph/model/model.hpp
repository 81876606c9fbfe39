// The dependency model: nodes, requirement groups and weighted, role-tagged edges (docs/format.md).
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

// A number the data gives only as a range: `[low, high]` (its point value the midpoint) or
// `{low, high, best}` (triangular around best). Deterministic analyses use the point value.
struct Range {
  double low = 0, high = 0, best = 0;
  bool best_given = false;
};

// What `quantity:` says capacity 1 of a node means in physical terms.
struct Quantity {
  double value = 0;
  std::string unit;
  // `value` given as a range (`[low, high]` or `{low, high, best}`; value is its point): what
  // capacity 1 amounts to is itself uncertain, and reports carry the range into every amount.
  std::optional<Range> range;
};

// A node of the graph that can replace another from a month on, rising over `ramp_months`.
struct Substitute {
  NodeIndex node;
  double from_month = 0;
  double ramp_months = 0;
  SourceLocation where;
};

// How one side buys a node where that differs from the world market: its own supplier group.
// The key denotes a perspective: jurisdiction codes (a code or a bloc) or an entity node.
struct Sourcing {
  std::string key;                       // as written
  std::vector<JurisdictionIndex> codes;  // sorted; empty for an entity
  std::optional<NodeIndex> entity;
  SourceLocation where;
  Group group;                       // role supplier; threshold: the node's min_supply
  std::vector<std::uint32_t> pairs;  // per member: its maker-product pair (Model::finish)
};

// What few nodes carry, behind one pointer.
struct NodeExtras {
  std::optional<Quantity> quantity;
  std::optional<double> lifetime_months;  // an installed base retiring 1/L a month
  std::vector<Substitute> substitutes;
  std::vector<Sourcing> sourcing;
  bool empty() const {
    return !quantity && !lifetime_months && substitutes.empty() && sourcing.empty();
  }
};

// Where a ranged number of the graph sits.
enum class RangedWhat : std::uint8_t { share, threshold, stock_months, lifetime_months };
struct Ranged {
  RangedWhat what;
  NodeIndex node;
  // share and threshold: the group, an index into the node's groups, or -1 - k for its
  // sourcing entry k
  std::int32_t group = 0;
  std::uint32_t member = 0;  // share: the member's position in the group
  Range range;
  SourceLocation where;
};

// The shares of a group as written (NaN where none was given), kept for groups with a ranged
// share so that sampled shares can be normalised again.
struct WrittenShares {
  NodeIndex node;
  std::int32_t group;  // as in Ranged
  std::vector<double> shares;
};

// Normalised weights of shares as written (NaN: not given): members without a share split
// the remainder 1 - sum(given) equally, then all are scaled to sum to 1. Empty when they sum
// to 0.
std::vector<double> normalised_weights(std::span<const double> written);

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
  Rare<NodeExtras> extras;
  SourceLocation where;

  const Group* supplier_group() const { return has_suppliers ? &groups[0] : nullptr; }
  const AttrValue* attr(std::string_view name) const;
  const std::vector<Sourcing>& sourcing() const { return extras.get().sourcing; }
  // A group by its index as in Ranged (negative: a sourcing entry's).
  const Group& group(std::int32_t g) const {
    return g >= 0 ? groups[static_cast<std::size_t>(g)]
                  : sourcing()[static_cast<std::size_t>(-1 - g)].group;
  }
};

struct JurisdictionInfo {
  std::string code;
  std::string name;
  bool declared = false;  // declared in the file rather than built in
  bool fdpr = false;      // has a foreign direct product rule (and de minimis rules)
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
  std::vector<Ranged> ranges;                // every ranged number, in file order
  std::vector<WrittenShares> ranged_groups;  // groups with a ranged share
  bool has_sourcing = false;                 // some node has `sourcing`
  bool has_installed_bases = false;          // some node has `lifetime_months`
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
  // Dependents including the nodes that buy from n only through `sourcing` (a side's view).
  std::span<const NodeIndex> dependents_with_sourcing(NodeIndex n) const {
    if (sourcing_dependent_start_.empty()) return dependents(n);
    return {sourcing_dependents_.data() + sourcing_dependent_start_[n],
            sourcing_dependents_.data() + sourcing_dependent_start_[n + 1]};
  }
  // True when some jurisdiction declares `fdpr: true`; then only those apply an FDPR.
  bool fdpr_declared() const;
  // Whether jurisdiction j can apply an FDPR: it declares one, or none is declared at all.
  bool applies_fdpr(JurisdictionIndex j) const {
    return j != kNoJurisdiction && (!fdpr_declared() || jurisdictions[j].fdpr);
  }
  // Number of distinct jurisdictions that nodes are located in.
  std::size_t located_jurisdiction_count() const;

  // Maker-product pairs (docs/semantics.md): one per supplier of a node, or the node itself as
  // its own maker when it has no suppliers. The world pairs of node n are [first_pair(n),
  // first_pair(n + 1)), in the order of its supplier group. Makers that only a side's
  // `sourcing` lists add pairs after every world pair: [world_pair_count(), pair_count()).
  std::size_t pair_count() const { return pair_product_.size(); }
  std::size_t world_pair_count() const { return pair_offset_.empty() ? 0 : pair_offset_.back(); }
  std::uint32_t first_pair(NodeIndex n) const { return pair_offset_[n]; }
  NodeIndex pair_product(std::uint32_t pair) const { return pair_product_[pair]; }
  NodeIndex pair_maker(std::uint32_t pair) const {
    if (pair >= pair_offset_.back()) return sourcing_maker_[pair - pair_offset_.back()];
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
  std::vector<NodeIndex> sourcing_maker_;  // makers of the pairs only sourcing lists
  // With sourcing: dependents of each node including sourcing buyers (else empty).
  std::vector<NodeIndex> sourcing_dependents_;
  std::vector<std::uint32_t> sourcing_dependent_start_;
  void finish_sourcing();
};

// Every node with a dependency path to one of `from`, as a flag per node; a node of `from` is
// flagged only when it lies upstream of one of them (on a loop, or feeding another). With
// `sourcing`, the members of every sourcing group count as dependencies too (a side's view).
std::vector<char> upstream_of(const Model& model, std::span<const NodeIndex> from,
                              bool sourcing = false);
// The nodes of `to` and every node with a dependency path to one of them, as a flag per node.
std::vector<char> reaching(const Model& model, std::span<const NodeIndex> to,
                           bool sourcing = false);

}  // namespace chokepoint
