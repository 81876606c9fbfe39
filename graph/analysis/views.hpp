// A scenario applied to the model (docs/analysis.md, "Scenarios, controls and views"): the world W,
// the denials of its controls to each perspective, and the view V_J of every perspective.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "graph/analysis/capacity.hpp"
#include "graph/model/scenario.hpp"

namespace chokepoint {

// Capacity factors of a scenario's world: removals (nodes and jurisdictions) and factors.
CapacityInputs world_inputs(const Model& model, const Scenario& scenario);

// A perspective: one entry of a control's `against` list, as written: a code, a bloc (its
// codes), or a node id (an entity).
struct Perspective {
  std::string name;
  std::vector<JurisdictionIndex> codes;  // sorted; empty for an entity
  std::vector<NodeIndex> entities;       // the entity, for an entity perspective
  bool entity() const { return !entities.empty(); }
  // The same side, however written (`CN` and a bloc whose only code is CN).
  bool same_side(const Perspective& o) const {
    return entity() ? entities == o.entities : !o.entity() && codes == o.codes;
  }
};

// The perspective a name denotes (a code, a bloc or a node id), nullopt when none.
std::optional<Perspective> perspective_of(const Model& model, const std::string& name);

// The entry of n's `sourcing` for a side (its key names the same codes or entity), if any; an
// entity without an entry of its own takes the entry of its jurisdiction's code.
std::optional<std::size_t> sourcing_for(const Model& model, const Perspective& side, NodeIndex n);

// A side's targets: the targets located in it (for an entity, the entity's jurisdiction) or
// without jurisdiction, by id.
std::vector<NodeIndex> side_targets(const Model& model, const Perspective& side);

// Every distinct `against` entry of the scenario's controls, sorted by name.
std::vector<Perspective> perspectives(const Model& model, const Scenario& scenario);

enum class DenialReason { direct, fdpr };
std::string_view reason_name(DenialReason r);

// One maker-product pair denied to one perspective by one control.
struct Denial {
  std::uint32_t perspective;  // index into ScenarioResult::perspectives
  std::uint32_t pair;         // Model pair index
  std::uint32_t control;      // index into Scenario::controls
  DenialReason reason;
  // fdpr: the fraction of the pair's world rate that would be lost without the controlling
  // side's `made_with` nodes; direct: 1.
  double fall = 1.0;
};

// Pairs a bloc's view denies to only some of its codes. A control against US applies to the view
// of a bloc that holds US and JP, but Japan's makers still buy what it denies: in the bloc's
// view, nodes located in `codes` are computed without these pairs denied.
struct Exemption {
  std::vector<JurisdictionIndex> codes;  // sorted: some of the bloc's codes
  std::vector<std::uint32_t> pairs;      // sorted: denied in the view, but not to these codes
  bool operator==(const Exemption&) const = default;
};

struct View {
  std::string name;
  std::vector<double> cap;
  std::vector<char> denied;       // per pair: denied to the view (to some of a bloc's codes
                                  // when an exemption lists the pair)
  std::vector<Exemption> exempt;  // empty unless a control applies to part of a bloc
  CapacityInputs inputs;          // what cap was evaluated with (a view with exemptions pins
                                  // the nodes located in the bloc at their settled values)
};

struct ScenarioResult {
  CapacityInputs world_inputs;  // removals, factors, and the caps entity controls put on the
                                // pairs their entities make
  std::vector<double> world;    // W
  std::vector<Perspective> perspectives;
  std::vector<View> views;      // one per perspective, same order
  std::vector<Denial> denials;  // by perspective, then pair, then control
  bool budget_hit = false;      // some fixed point stopped at a bound (values are upper bounds)

  std::optional<std::size_t> find_view(std::string_view name) const;
  // The view of a side however written; nullopt when it was not evaluated.
  std::optional<std::size_t> find_side(const Perspective& side) const;
};

// What evaluate_scenario computes beyond the world.
struct ViewRequest {
  std::vector<Perspective> also;  // sides to view besides the controls' `against` entries
  bool only_also = false;         // views of `also` only (entity views the world needs aside)
};

// The pairs a perspective's entities make (none for a code or bloc), in pair order.
std::vector<std::uint32_t> pairs_made_by(const Model& model, const Perspective& p);

// Whether a report shows node n in a perspective's view: nodes located in it (for an entity, in
// the entity's jurisdiction) or without jurisdiction. (A US target "lost in China's view" is
// noise; the JSON still carries every view.)
bool shown_in_view(const Model& model, const Perspective& perspective, NodeIndex n);

// True when every pair of node n is denied in the view.
bool node_denied(const Model& model, const View& view, NodeIndex n);

// The rate of every pair at a fixed point `cap` of `in`.
std::vector<double> pair_rates(const CapacityEngine& engine, const std::vector<double>& cap,
                               const CapacityInputs& in);

// How much of its world rate each pair would lose (a fraction) if every node located in the
// control's `by` jurisdictions and matching `made_with` were removed from the world: the FDPR
// test. O(V + E) (one incremental lowering).
std::vector<double> fdpr_falls(const CapacityEngine& engine, const CapacityInputs& world_inputs,
                               const std::vector<double>& world, const std::vector<double>& rates,
                               const Control& control);

// Whether a control applies to a perspective: it names it, or (for codes and blocs) its
// `against` codes overlap the perspective's.
bool control_applies(const Control& control, const Perspective& perspective);

// The part of a perspective a control that applies to it is against: the perspective itself,
// unless it is a bloc the control does not name, when only the bloc's codes the control is
// against (same name). deny() with this scope gives what the control denies to those codes.
Perspective control_scope(const Control& control, const Perspective& perspective);

// The exemptions of a bloc's view from the denials recorded for it (`denials` of view `view`,
// control numbers into `controls`; control numbers past the end apply to the whole bloc): per
// group of the bloc's codes that the same controls are against, the pairs only other controls
// deny. Empty for a code or an entity, or when every control applies to the whole bloc.
std::vector<Exemption> exemptions(const std::vector<Control>& controls, const Perspective& bloc,
                                  std::uint32_t view, const std::vector<Denial>& denials);

// Takes out of the exemptions the pairs a control against the whole bloc denies (`denials`, its
// record), dropping exemptions left with none.
void deny_whole(std::vector<Exemption>& exempt, std::span<const Denial> denials);

// Marks in `denied` (per pair) what control number `control` denies to the perspective, direct
// and (with `falls`) FDPR; appends each denial to `record` when given. O(pairs).
void deny(const Model& model, const Control& c, std::uint32_t control, const Perspective& p,
          std::uint32_t perspective, const std::vector<double>* falls, std::vector<char>& denied,
          std::vector<Denial>* record);

// The view of one perspective over the world `world` (evaluated with `base`, whose pair rates
// are `world_rates`), given what is denied to it. One full evaluation; with exemptions, a fixed
// point: each group of codes is evaluated with its own denials and the rest of the bloc pinned,
// then the bloc with each group's nodes pinned, until no value moves (one more evaluation per
// group and round; rounds grow with how often supply crosses between the groups).
View make_view(const CapacityEngine& engine, const Perspective& p, const CapacityInputs& base,
               const std::vector<double>& world, const std::vector<double>& world_rates,
               std::vector<char> denied, std::vector<Exemption> exempt = {});

// Evaluates the world and every perspective's view of a scenario. Denials are decided on the
// world before entity controls; an entity's pairs then take their rate from the entity's view,
// in the world and in every view (a joint fixed point, usually two rounds).
// O((controls + perspectives) * (V + E)) per round.
ScenarioResult evaluate_scenario(const CapacityEngine& engine, const Scenario& scenario,
                                 const ViewRequest& request = {});

}  // namespace chokepoint
