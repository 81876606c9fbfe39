#include "graph/analysis/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "graph/support/errors.hpp"

namespace chokepoint {

std::string_view event_name(TimelineEvent::Kind kind) {
  switch (kind) {
    case TimelineEvent::Kind::stock_exhausted:
      return "stock_exhausted";
    case TimelineEvent::Kind::substitute:
      return "substitute";
    case TimelineEvent::Kind::scenario_ends:
      return "scenario_ends";
    case TimelineEvent::Kind::target_lost:
      return "target_lost";
    case TimelineEvent::Kind::target_recovers:
      return "target_recovers";
  }
  return "";
}

namespace {

constexpr double kEmpty = 1e-12;  // a stock at or below this is exhausted

// One view's state over time: its stocks (month-equivalents of baseline output, per node).
struct Stocks {
  std::vector<double> left;
  std::vector<char> exhausted;
};

Stocks initial_stocks(const Model& model, const std::vector<double>& baseline) {
  Stocks s{std::vector<double>(model.nodes.size(), 0.0), std::vector<char>(model.nodes.size(), 0)};
  for (NodeIndex n = 0; n < model.nodes.size(); ++n)
    if (model.nodes[n].stock_months) s.left[n] = *model.nodes[n].stock_months * baseline[n];
  return s;
}

// Draws this month's top-ups from the stocks of the nodes `cap` computed (not pinned); returns
// the nodes whose stock ran out this month.
std::vector<NodeIndex> draw(const CapacityEngine& engine, const std::vector<double>& cap,
                            const CapacityInputs& in, const std::vector<double>& baseline,
                            Stocks& stocks) {
  std::vector<NodeIndex> exhausted;
  for (NodeIndex n = 0; n < stocks.left.size(); ++n) {
    if (stocks.left[n] <= kEmpty || in.is_pinned(n)) continue;
    double computed = engine.raw_value(n, cap, in);
    if (!in.floor.empty()) computed = std::max(computed, in.floor[n]);
    if (computed >= baseline[n] - kStatusEpsilon) continue;
    stocks.left[n] -= std::min(stocks.left[n], baseline[n] - computed);
    if (stocks.left[n] <= kEmpty && !stocks.exhausted[n]) {
      stocks.left[n] = 0;
      stocks.exhausted[n] = 1;
      exhausted.push_back(n);
    }
  }
  return exhausted;
}

void with_stocks(CapacityInputs& in, const Stocks& stocks, const std::vector<double>& baseline) {
  in.supplement = stocks.left;
  in.ceiling = baseline;
}

}  // namespace

TimelineResult timeline(const Model& model, const Scenario& scenario,
                        const TimelineOptions& options) {
  if (options.months < 1 || options.months > 1200)
    throw AnalysisError(fmt::format("a timeline follows 1 to 1200 months, got {}", options.months));
  CapacityEngine engine(model);
  std::vector<double> baseline = engine.evaluate(CapacityInputs(model.nodes.size()));
  ScenarioResult base = evaluate_scenario(engine, scenario);

  // The perspectives shown, with what is denied to each.
  std::vector<Perspective> shown;
  std::vector<std::vector<char>> denied;
  std::vector<std::vector<double>> static_view;
  auto add = [&](const Perspective& p, std::vector<char> d, std::vector<double> cap) {
    shown.push_back(p);
    denied.push_back(std::move(d));
    static_view.push_back(std::move(cap));
  };
  if (options.perspectives.empty()) {
    for (std::size_t v = 0; v < base.perspectives.size(); ++v)
      add(base.perspectives[v], base.views[v].denied, base.views[v].cap);
  } else {
    auto rates = pair_rates(engine, base.world, base.world_inputs);
    for (const auto& name : options.perspectives) {
      if (auto v = base.find_view(name)) {
        add(base.perspectives[*v], base.views[*v].denied, base.views[*v].cap);
        continue;
      }
      auto codes = resolve_scenario_codes(model, name);
      if (!codes) throw UnknownSide(name);
      Perspective p{name, *codes, {}};
      std::sort(p.codes.begin(), p.codes.end());
      std::vector<char> none(model.pair_count(), 0);
      View view = make_view(engine, p, base.world_inputs, base.world, rates, none);
      add(p, none, view.cap);
    }
  }

  TimelineResult r;
  r.months = options.months;
  r.ramp = options.ramp;
  r.duration = scenario.duration_months;
  r.views.push_back("world");
  for (const auto& p : shown) r.views.push_back(p.name);
  r.perspectives = shown;
  std::size_t V = r.views.size();

  // Substitutes: in each perspective's view, nodes the scenario leaves short of the world.
  std::vector<std::vector<NodeIndex>> substitutes(shown.size());
  for (std::size_t v = 0; v < shown.size(); ++v)
    for (NodeIndex n : model.by_id())
      if (model.nodes[n].substitution_years && static_view[v][n] < base.world[n] - kStatusEpsilon)
        substitutes[v].push_back(n);

  std::vector<Stocks> stocks(V, initial_stocks(model, baseline));
  std::vector<std::vector<std::vector<double>>> capacity(
      V, std::vector<std::vector<double>>(model.targets.size()));
  auto event = [&](int month, TimelineEvent::Kind kind, const std::string& view,
                   std::optional<NodeIndex> node) {
    r.events.push_back(TimelineEvent{month, kind, view, node});
  };
  for (std::size_t v = 0; v < shown.size(); ++v)
    for (NodeIndex n : substitutes[v]) {
      double months = 12 * *model.nodes[n].substitution_years;
      if (months < options.months)
        event(static_cast<int>(std::ceil(months)), TimelineEvent::Kind::substitute, shown[v].name,
              n);
    }
  if (scenario.duration_months && *scenario.duration_months < options.months)
    event(static_cast<int>(std::ceil(*scenario.duration_months)),
          TimelineEvent::Kind::scenario_ends, "", std::nullopt);

  for (int t = 0; t < options.months; ++t) {
    bool active = !scenario.duration_months || t < *scenario.duration_months;
    std::vector<std::vector<double>> caps(V);
    if (!active) {
      for (std::size_t v = 0; v < V; ++v) caps[v] = baseline;
    } else {
      CapacityInputs world_in = base.world_inputs;
      with_stocks(world_in, stocks[0], baseline);
      caps[0] = engine.evaluate(world_in);
      for (NodeIndex n : draw(engine, caps[0], world_in, baseline, stocks[0]))
        event(t, TimelineEvent::Kind::stock_exhausted, "world", n);
      auto rates = pair_rates(engine, caps[0], world_in);
      for (std::size_t v = 0; v < shown.size(); ++v) {
        CapacityInputs in = base.world_inputs;
        with_stocks(in, stocks[v + 1], baseline);
        in.floor.assign(model.nodes.size(), 0.0);
        for (NodeIndex n : substitutes[v]) {
          double full = 12 * *model.nodes[n].substitution_years;
          double level = options.ramp == Ramp::step ? (t >= full ? 1.0 : 0.0)
                                                    : (full <= 0 ? 1.0 : std::min(1.0, t / full));
          in.floor[n] = level * caps[0][n];
        }
        View view = make_view(engine, shown[v], in, caps[0], rates, denied[v]);
        for (NodeIndex n : draw(engine, view.cap, view.inputs, baseline, stocks[v + 1]))
          event(t, TimelineEvent::Kind::stock_exhausted, shown[v].name, n);
        caps[v + 1] = std::move(view.cap);
      }
    }
    for (std::size_t v = 0; v < V; ++v)
      for (std::size_t k = 0; k < model.targets.size(); ++k)
        capacity[v][k].push_back(caps[v][model.targets[k]]);
  }
  for (std::size_t k = 0; k < model.targets.size(); ++k) {
    NodeIndex t = model.targets[k];
    for (std::size_t v = 0; v < V; ++v) {
      TimelineSeries s{t, r.views[v], std::move(capacity[v][k]), std::nullopt, std::nullopt};
      for (int m = 0; m < options.months; ++m) {
        bool lost = status_of(s.capacity[m], baseline[t]) == Status::lost;
        if (lost && !s.first_lost) {
          s.first_lost = m;
          event(m, TimelineEvent::Kind::target_lost, s.view, t);
        } else if (!lost && s.first_lost && !s.recovered) {
          s.recovered = m;
          event(m, TimelineEvent::Kind::target_recovers, s.view, t);
        }
      }
      r.series.push_back(std::move(s));
    }
  }
  std::stable_sort(r.events.begin(), r.events.end(), [&](const auto& a, const auto& b) {
    if (a.month != b.month) return a.month < b.month;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.view != b.view) return a.view < b.view;
    std::string_view ia = a.node ? std::string_view(model.nodes[*a.node].id) : "";
    std::string_view ib = b.node ? std::string_view(model.nodes[*b.node].id) : "";
    return ia < ib;
  });
  r.budget_hit = base.budget_hit || engine.hit_budget();
  return r;
}

}  // namespace chokepoint
