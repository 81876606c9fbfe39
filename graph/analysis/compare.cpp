#include "graph/analysis/compare.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <span>

#include "graph/analysis/capacity.hpp"

namespace chokepoint {

const std::string& Comparison::view_name(std::size_t view) const {
  static const std::string kWorld;
  return view == 0 ? kWorld : views[view - 1].name;
}

const ComparisonRow* Comparison::find(NodeIndex target, std::size_t view) const {
  for (const auto& r : rows)
    if (r.target == target && r.view == view) return &r;
  return nullptr;
}

std::vector<Perspective> compare_views(const Model& model,
                                       const std::vector<ComparedScenario>& columns,
                                       const std::vector<Perspective>& also) {
  std::vector<Perspective> found;
  auto add = [&](Perspective p) {
    if (std::none_of(found.begin(), found.end(), [&](const auto& q) { return q.same_side(p); }))
      found.push_back(std::move(p));
  };
  for (const auto& c : columns)
    for (auto& p : perspectives(model, c.scenario))
      if (!p.entity()) add(std::move(p));
  for (const Node& node : model.nodes)
    for (const Sourcing& s : node.sourcing())
      if (!s.entity)
        if (auto p = perspective_of(model, s.key)) add(std::move(*p));
  std::sort(found.begin(), found.end(),
            [](const Perspective& a, const Perspective& b) { return a.name < b.name; });
  // The sides asked for keep their place at the end, in the order given.
  for (const auto& p : also) {
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](const Perspective& q) { return q.same_side(p); }),
                found.end());
  }
  for (const auto& p : also) add(p);
  // A side that would show no target is left out.
  std::vector<Perspective> out;
  for (auto& p : found)
    if (std::any_of(model.targets.begin(), model.targets.end(),
                    [&](NodeIndex t) { return shown_in_view(model, p, t); }))
      out.push_back(std::move(p));
  return out;
}

namespace {

// The maker-product pairs that only the FDPR of a control from `own_from` on denies to one of
// the views shown: no control denies the pair to that view directly and no baseline control
// (before `own_from`) denies it at all. Each pair counted once.
std::size_t fdpr_only_pairs(const ScenarioResult& r, const std::vector<Perspective>& views,
                            std::size_t own_from) {
  std::vector<char> shown(r.perspectives.size(), 0);
  for (std::size_t p = 0; p < r.perspectives.size(); ++p)
    shown[p] = std::any_of(views.begin(), views.end(),
                           [&](const Perspective& v) { return v.same_side(r.perspectives[p]); });
  // Per (perspective, pair): 1 reached by an own FDPR, 2 covered otherwise.
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> state;
  for (const Denial& d : r.denials) {
    if (!shown[d.perspective]) continue;
    bool own_fdpr = d.reason == DenialReason::fdpr && d.control >= own_from;
    state[{d.perspective, d.pair}] |= own_fdpr ? 1 : 2;
  }
  std::set<std::uint32_t> pairs;
  for (const auto& [key, s] : state)
    if (s == 1) pairs.insert(key.second);
  return pairs.size();
}

// Per view (the world first), every target's value: one evaluation of the scenario with the views.
std::vector<std::vector<double>> values_per_view(const CapacityEngine& engine,
                                                 const Scenario& scenario,
                                                 const std::vector<Perspective>& views,
                                                 bool* budget_hit, std::size_t* fdpr_only = nullptr,
                                                 std::size_t own_from = 0) {
  ScenarioResult r = evaluate_scenario(engine, scenario, ViewRequest{views, false});
  *budget_hit = *budget_hit || r.budget_hit;
  if (fdpr_only) *fdpr_only = fdpr_only_pairs(r, views, own_from);
  std::vector<std::vector<double>> out = {r.world};
  for (const auto& p : views) out.push_back(r.views[*r.find_side(p)].cap);
  return out;
}

// The band of a target in a side's view (or the world's, with no side) among `bands`' views.
std::optional<Band> band_of(const UncertaintyResult& bands, NodeIndex target,
                            const Perspective* side) {
  for (std::size_t v = 0; v < bands.view_count(); ++v) {
    bool match = side ? v > 0 && bands.perspectives[v - 1].same_side(*side) : v == 0;
    if (!match) continue;
    if (const TargetUncertainty* e = bands.find(target, v)) return e->band;
  }
  return std::nullopt;
}

}  // namespace

std::string Comparison::heading(std::size_t column) const {
  if (!on_baseline) return columns[column];
  return (column == 0 ? "B: " : "B + ") + columns[column];
}

Comparison compare_scenarios(const Model& model, const std::vector<ComparedScenario>& columns,
                             const CompareOptions& options) {
  Comparison c;
  c.views = compare_views(model, columns, options.views);
  c.seed = options.seed;
  c.on_baseline = !columns.empty() && !columns.front().scenario.empty();
  for (const auto& col : columns) {
    c.columns.push_back(col.name);
    c.durations.push_back(col.scenario.duration_months);
  }
  CapacityEngine engine(model);
  auto none = values_per_view(engine, Scenario{}, c.views, &c.budget_hit);
  std::vector<std::vector<std::vector<double>>> values;  // column, view, node
  auto& bands = c.bands;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    // A scenario's controls follow the baseline's in its column (merge_scenario appends).
    const Scenario& s = columns[k].scenario;
    std::size_t own_from = k == 0 ? 0 : columns[0].scenario.controls.size();
    auto own = std::span(s.controls).subspan(own_from);
    c.fdpr.push_back(std::any_of(own.begin(), own.end(), [](const Control& x) { return x.fdpr; }));
    c.fdpr_de_minimis.push_back(std::any_of(
        own.begin(), own.end(), [](const Control& x) { return x.fdpr && x.de_minimis > 0; }));
    c.fdpr_only.push_back(0);
    values.push_back(
        values_per_view(engine, s, c.views, &c.budget_hit, &c.fdpr_only.back(), own_from));
    bands.push_back(headline_uncertainty(model, columns[k].scenario, c.views, options.samples,
                                         options.seed, options.progress));
    if (bands.back()) {
      c.samples = bands.back()->samples;
      c.budget_hit = c.budget_hit || bands.back()->budget_hit;
    }
  }
  for (std::size_t v = 0; v < c.view_count(); ++v) {
    const Perspective* side = v == 0 ? nullptr : &c.views[v - 1];
    for (NodeIndex t : model.targets) {
      if (side && !shown_in_view(model, *side, t)) continue;
      ComparisonRow row{t, v, none[v][t], {}};
      for (std::size_t k = 0; k < columns.size(); ++k) {
        double value = values[k][v][t];
        ComparedValue cell{value, status_of(value, none[0][t]), std::nullopt};
        if (bands[k]) cell.band = band_of(*bands[k], t, side);
        row.values.push_back(cell);
      }
      c.rows.push_back(std::move(row));
    }
  }
  return c;
}

}  // namespace chokepoint
