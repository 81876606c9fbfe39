#include "graph/analysis/timeline.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "graph/support/errors.hpp"

namespace chokepoint {

std::optional<Ramp> parse_ramp(std::string_view name) {
  for (std::size_t i = 0; i < kRampNames.size(); ++i)
    if (kRampNames[i] == name) return static_cast<Ramp>(i);
  return std::nullopt;
}

std::vector<int> TimelineResult::quiet_events() const {
  std::vector<int> counts(views.size(), 0);
  for (const TimelineEvent& e : quiet) ++counts[*view_index(e.view)];
  return counts;
}

std::string_view event_name(TimelineEvent::Kind kind) {
  switch (kind) {
    case TimelineEvent::Kind::stock_exhausted:
      return "stock_exhausted";
    case TimelineEvent::Kind::substitute:
      return "substitute";
    case TimelineEvent::Kind::part_ends:
      return "part_ends";
    case TimelineEvent::Kind::target_lost:
      return "target_lost";
    case TimelineEvent::Kind::target_recovers:
      return "target_recovers";
  }
  return "";
}

const TimelineSeries* TimelineResult::find(NodeIndex target, std::string_view view) const {
  auto it = std::find_if(series.begin(), series.end(), [&](const TimelineSeries& s) {
    return s.target == target && s.view == view;
  });
  return it == series.end() ? nullptr : &*it;
}

std::optional<std::size_t> TimelineResult::view_index(std::string_view name) const {
  for (std::size_t v = 0; v < views.size(); ++v)
    if (views[v] == name) return v;
  return std::nullopt;
}

namespace {

constexpr double kEmpty = 1e-12;  // stock left at or below this is none
constexpr double kMoves = 1e-9;   // an event matters when it moves a target by more than this

// One substitute of a node: a node of the graph, or the `substitution_years` shorthand.
struct SubstituteSpec {
  NodeIndex by = MonthTerms::kNeedsNothing;
  double from = 0, ramp = 0;  // from_month, ramp_months
  bool linear_shorthand = false;

  // r(t): how much of its value the substitute gives at month t.
  double level(int t) const {
    if (linear_shorthand) return ramp <= 0 ? 1.0 : std::min(1.0, t / ramp);
    if (t < from) return 0.0;
    return ramp <= 0 ? 1.0 : std::min(1.0, (t - from + 1) / ramp);
  }
};

// A listed firm (an entity perspective) whose pairs the world takes from the firm's own view.
struct EntityView {
  std::size_t view;                  // its index in TimelineResult::views
  std::vector<std::uint32_t> pairs;  // the pairs it makes
};

// The scenario in force over the months a set of parts applies.
struct Epoch {
  ScenarioResult result;
  std::vector<std::size_t> view_of;  // per perspective: its index in result.views
  std::vector<EntityView> entities;
};

// What one view carries from a month to the next.
struct ViewState {
  std::vector<double> stock;  // left; empty when no node has a stock
  std::vector<char> fell_short;
  std::vector<double> base;  // installed bases: last month's value
};

// One month evaluated: the values and inputs of every view (world first).
struct MonthEval {
  const Epoch* epoch = nullptr;
  std::vector<std::unique_ptr<MonthTerms>> terms;
  std::vector<CapacityInputs> inputs;
  std::vector<std::vector<double>> cap;
  bool unsettled = false;  // the firms' joint fixed point stopped at its bound
};

class Timeline {
 public:
  Timeline(const Model& model, const ScenarioParts& parts, const TimelineOptions& options)
      : model_(model), parts_(parts), options_(options), engine_(model, true) {}

  TimelineResult run();

 private:
  const Epoch& epoch(const std::vector<char>& in_force);
  std::vector<char> in_force(int month) const;
  void setup_views();
  void setup_substitutes();
  // One month in every view; `last` (last month's, whose values are taken) spares re-solving what
  // did not move.
  MonthEval evaluate(int month, const Epoch& e, const std::vector<ViewState>& states,
                     MonthEval* last = nullptr) const;
  MonthTerms terms_for(std::size_t view, int month, const Epoch& e, const ViewState& state,
                       std::span<const double> world) const;
  // The month's joint fixed point of the world and the listed firms' views (m.cap[0] and every
  // entity view of e), from the top.
  void settle_entities(int month, const Epoch& e, const std::vector<ViewState>& states,
                       MonthEval& m) const;
  // Whether `cf` (a counterfactual of view v) differs from `actual` at one of v's targets.
  bool moves(std::size_t v, const std::vector<double>& actual, const std::vector<double>& cf) const;
  // Whether re-solving view v after its terms changed at n moves one of its targets or (in a
  // listed firm's view) a pair the firm makes; everything is put back.
  bool moves_after_update(std::size_t v, MonthEval& m, NodeIndex n) const;
  // The listed firm whose view is view v in m's epoch (a control of it names the firm), if any.
  const EntityView* firm_of(const MonthEval& m, std::size_t v) const;
  // Records an event of view v: one of a hidden firm's view goes to the world, naming the firm.
  void view_event(const MonthEval& m, std::size_t v, TimelineEvent e, bool matters);
  void advance(int month, MonthEval& m, std::vector<ViewState>& states);
  void event(TimelineEvent e, bool matters);

  const Model& model_;
  const ScenarioParts& parts_;
  const TimelineOptions& options_;
  CapacityEngine engine_;
  std::vector<double> baseline_;
  std::map<std::vector<char>, std::unique_ptr<Epoch>> epochs_;
  std::vector<NodeIndex> installed_;  // nodes with lifetime_months
  std::vector<NodeIndex> stocked_;    // nodes with stock_months
  // Substitutes, per node: [start[n], start[n + 1]) of specs (views only).
  std::vector<std::uint32_t> substitution_start_;
  std::vector<SubstituteSpec> specs_;
  std::size_t shown_ = 0;  // views shown; the rest are listed firms the world needs (hidden)
  TimelineResult r_;
};

std::vector<char> Timeline::in_force(int month) const {
  std::vector<char> out(parts_.parts.size());
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = parts_.parts[k].in_force(month);
  return out;
}

const Epoch& Timeline::epoch(const std::vector<char>& in_force) {
  auto& slot = epochs_[in_force];
  if (slot) return *slot;
  Scenario s;
  for (std::size_t k = 0; k < in_force.size(); ++k)
    if (in_force[k]) merge_scenario(s, parts_.parts[k].scenario);
  s.duration_months.reset();
  slot = std::make_unique<Epoch>();
  slot->result = evaluate_scenario(engine_, s, ViewRequest{r_.perspectives, true});
  for (std::size_t k = 0; k < r_.perspectives.size(); ++k) {
    const Perspective& p = r_.perspectives[k];
    auto v = slot->result.find_side(p);
    if (!v) throw IoError("internal error: a timeline view was not evaluated (please report this)");
    slot->view_of.push_back(*v);
    // A bloc that a control is against only in part is a fixed point over its members (views.hpp,
    // Exemption), which the month-by-month updates of stocks and bases do not follow yet.
    if (const auto& exempt = slot->result.views[*v].exempt; !exempt.empty()) {
      std::vector<std::string> spared;
      for (const Exemption& e : exempt)
        for (JurisdictionIndex j : e.codes) spared.emplace_back(model_.jurisdiction_code(j));
      throw UnfollowedView(
          p.name,
          fmt::format(
              "a timeline cannot follow the view of '{}' yet: a control of the scenario is against "
              "only some of its codes (it spares {}); follow those codes as separate perspectives "
              "(--perspective CODE)",
              p.name, fmt::join(spared, ", ")));
    }
    // A listed firm a control of the epoch names makes what its own view of each month allows
    // (settle_entities); the static bounds are not kept, nor bounds on a firm no control names.
    if (!p.entity()) continue;
    EntityView ev{k + 1, pairs_made_by(model_, p)};
    if (!slot->result.world_inputs.pair_limit.empty())
      for (std::uint32_t q : ev.pairs)
        slot->result.world_inputs.pair_limit[q] = std::numeric_limits<double>::infinity();
    if (std::any_of(s.controls.begin(), s.controls.end(),
                    [&](const Control& c) { return control_applies(c, p); }))
      slot->entities.push_back(std::move(ev));
  }
  r_.budget_hit = r_.budget_hit || slot->result.budget_hit;
  return *slot;
}

void Timeline::setup_views() {
  r_.views.push_back("world");
  if (options_.perspectives.empty()) {
    r_.perspectives = perspectives(model_, parts_.all());
  } else {
    for (const auto& name : options_.perspectives) {
      auto p = perspective_of(model_, name);
      if (!p) throw UnknownSide(name);
      if (std::none_of(r_.perspectives.begin(), r_.perspectives.end(),
                       [&](const Perspective& q) { return q.same_side(*p); }))
        r_.perspectives.push_back(std::move(*p));
    }
  }
  // A listed firm that no view shows still has its own view, hidden: its stocks are drawn there,
  // and the world takes the firm's output from it month by month.
  shown_ = r_.perspectives.size() + 1;
  for (Perspective& p : perspectives(model_, parts_.all()))
    if (p.entity() && std::none_of(r_.perspectives.begin(), r_.perspectives.end(),
                                   [&](const Perspective& q) { return q.same_side(p); }))
      r_.perspectives.push_back(std::move(p));
  for (const auto& p : r_.perspectives) r_.views.push_back(p.name);
  r_.view_targets.push_back(model_.targets);
  for (const auto& p : r_.perspectives) r_.view_targets.push_back(side_targets(model_, p));
}

void Timeline::setup_substitutes() {
  std::size_t n = model_.nodes.size();
  std::vector<std::uint32_t> start(n + 1, 0);
  for (NodeIndex i = 0; i < n; ++i) {
    const Node& node = model_.nodes[i];
    for (const Substitute& s : node.extras.get().substitutes)
      specs_.push_back(SubstituteSpec{s.node, s.from_month, s.ramp_months, false});
    if (node.substitution_years && options_.ramp != Ramp::none) {
      double months = 12 * *node.substitution_years;
      if (options_.ramp == Ramp::step)
        specs_.push_back(SubstituteSpec{MonthTerms::kNeedsNothing, months, 0, false});
      else
        specs_.push_back(SubstituteSpec{MonthTerms::kNeedsNothing, 0, months, true});
    }
    start[i + 1] = static_cast<std::uint32_t>(specs_.size());
  }
  if (!specs_.empty()) substitution_start_ = std::move(start);
}

MonthTerms Timeline::terms_for(std::size_t view, int month, const Epoch& e, const ViewState& state,
                               std::span<const double> world) const {
  MonthTerms t;
  if (view > 0 && !specs_.empty()) {
    t.substitution_start = substitution_start_;
    t.substitutions.reserve(specs_.size());
    for (const auto& s : specs_) t.substitutions.push_back({s.by, s.level(month)});
    t.world = world;
  }
  if (!stocked_.empty()) {
    t.stock = state.stock;
    t.ceiling = baseline_;
  }
  if (!installed_.empty()) {
    t.keep.assign(model_.nodes.size(), 0.0);
    t.inflow.assign(model_.nodes.size(), 0.0);
    for (NodeIndex n : installed_) {
      if (month == 0) {
        // The base intact: f(n), 0 if removed.
        t.keep[n] = std::max(e.result.world_inputs.factor[n], 0.0);
      } else {
        double life = *model_.nodes[n].extras.get().lifetime_months;
        t.keep[n] = (1 - 1 / life) * state.base[n];
        t.inflow[n] = 1 / life;
      }
    }
  }
  return t;
}

namespace {

// The nodes whose terms differ between two months of a view (the world span aside).
std::vector<NodeIndex> changed_terms(const MonthTerms& a, const MonthTerms& b, std::size_t n) {
  std::vector<NodeIndex> out;
  auto differ = [](const std::vector<double>& x, const std::vector<double>& y, NodeIndex i) {
    return x.size() != y.size() || (!x.empty() && x[i] != y[i]);
  };
  for (NodeIndex i = 0; i < n; ++i) {
    bool moved =
        differ(a.stock, b.stock, i) || differ(a.keep, b.keep, i) || differ(a.inflow, b.inflow, i);
    if (!moved && a.substituted(i))
      for (std::uint32_t k = a.substitution_start[i]; k < a.substitution_start[i + 1]; ++k)
        moved = moved || a.substitutions[k].level != b.substitutions[k].level;
    if (moved) out.push_back(i);
  }
  return out;
}

}  // namespace

void Timeline::settle_entities(int month, const Epoch& e, const std::vector<ViewState>& states,
                               MonthEval& m) const {
  CapacityInputs& world = m.inputs[0];
  std::vector<NodeIndex> seeds;
  auto reseed = [&] {  // update() takes each seed once, however often it is listed
    if (!seeds.empty()) engine_.update(m.cap[0], world, seeds);
    seeds.clear();
  };
  // From the top, as evaluate_scenario does: the firms' pairs unbounded, then bounded each round
  // by their rate in the firm's view of that world, until no bound moves.
  for (const EntityView& ev : e.entities)
    for (std::uint32_t q : ev.pairs)
      if (world.pair_limit[q] != std::numeric_limits<double>::infinity()) {
        world.pair_limit[q] = std::numeric_limits<double>::infinity();
        seeds.push_back(model_.pair_product(q));
      }
  reseed();
  for (const EntityView& ev : e.entities)
    m.terms[ev.view] =
        std::make_unique<MonthTerms>(terms_for(ev.view, month, e, states[ev.view], m.cap[0]));
  constexpr int kMaxRounds = 64;
  for (int round = 0; round < kMaxRounds; ++round) {
    auto rates = pair_rates(engine_, m.cap[0], world);
    std::vector<std::pair<std::uint32_t, double>> limits;
    for (const EntityView& ev : e.entities) {
      CapacityInputs base = world;
      base.month = m.terms[ev.view].get();
      for (std::uint32_t q : ev.pairs) base.pair_limit[q] = std::numeric_limits<double>::infinity();
      View view = make_view(engine_, r_.perspectives[ev.view - 1], base, m.cap[0], rates,
                            e.result.views[e.view_of[ev.view - 1]].denied);
      auto own = pair_rates(engine_, view.cap, view.inputs);
      for (std::uint32_t q : ev.pairs)
        if (own[q] != world.pair_limit[q]) limits.emplace_back(q, own[q]);
      m.cap[ev.view] = std::move(view.cap);
      m.inputs[ev.view] = std::move(view.inputs);
    }
    if (limits.empty()) return;
    for (auto [q, limit] : limits) {
      world.pair_limit[q] = limit;
      seeds.push_back(model_.pair_product(q));
    }
    reseed();
  }
  m.unsettled = true;
}

MonthEval Timeline::evaluate(int month, const Epoch& e, const std::vector<ViewState>& states,
                             MonthEval* last) const {
  std::size_t views = r_.views.size(), n = model_.nodes.size();
  MonthEval m;
  m.epoch = &e;
  m.terms.resize(views);
  m.inputs.resize(views);
  m.cap.resize(views);
  // Within one epoch, a view starts from last month's values and is updated where its terms
  // moved (exact, touching only what changes); a view's inputs follow the world, so it is taken
  // over only while the world (and the bounds listed firms put on it) did not move.
  bool same_epoch = last && last->epoch == &e;
  bool same_world = false;
  m.terms[0] = std::make_unique<MonthTerms>(terms_for(0, month, e, states[0], {}));
  if (same_epoch) {
    m.cap[0] = std::move(last->cap[0]);
    m.inputs[0] = std::move(last->inputs[0]);
    m.inputs[0].month = m.terms[0].get();
    std::vector<double> before, bounds;
    if (!e.entities.empty()) {
      before = m.cap[0];
      bounds = m.inputs[0].pair_limit;
    }
    UndoLog undo;
    auto changed = changed_terms(*m.terms[0], *last->terms[0], n);
    if (!changed.empty()) engine_.update(m.cap[0], m.inputs[0], changed, &undo);
    same_world = undo.empty();
    if (!e.entities.empty()) {
      settle_entities(month, e, states, m);
      same_world = m.cap[0] == before && m.inputs[0].pair_limit == bounds;
    }
  } else {
    m.inputs[0] = e.result.world_inputs;
    m.inputs[0].month = m.terms[0].get();
    m.inputs[0].intact_bases = false;
    m.cap[0] = engine_.evaluate(m.inputs[0]);
    if (!e.entities.empty()) settle_entities(month, e, states, m);
  }
  std::vector<double> rates;
  for (std::size_t v = 1; v < views; ++v) {
    if (m.terms[v]) continue;  // a listed firm's, settled with the world
    m.terms[v] = std::make_unique<MonthTerms>(terms_for(v, month, e, states[v], m.cap[0]));
    if (same_world) {
      m.cap[v] = std::move(last->cap[v]);
      m.inputs[v] = std::move(last->inputs[v]);
      m.inputs[v].month = m.terms[v].get();
      auto changed = changed_terms(*m.terms[v], *last->terms[v], n);
      if (!changed.empty()) engine_.update(m.cap[v], m.inputs[v], changed);
      continue;
    }
    if (rates.empty()) rates = pair_rates(engine_, m.cap[0], m.inputs[0]);
    CapacityInputs in = m.inputs[0];
    in.month = m.terms[v].get();
    std::size_t at = e.view_of[v - 1];
    View view =
        make_view(engine_, r_.perspectives[v - 1], in, m.cap[0], rates, e.result.views[at].denied);
    m.cap[v] = std::move(view.cap);
    m.inputs[v] = std::move(view.inputs);
  }
  return m;
}

bool Timeline::moves(std::size_t v, const std::vector<double>& actual,
                     const std::vector<double>& cf) const {
  for (NodeIndex t : r_.view_targets[v])
    if (std::abs(actual[t] - cf[t]) > kMoves) return true;
  return false;
}

const EntityView* Timeline::firm_of(const MonthEval& m, std::size_t v) const {
  const auto& entities = m.epoch->entities;
  auto firm = std::find_if(entities.begin(), entities.end(),
                           [&](const EntityView& ev) { return ev.view == v; });
  return firm == entities.end() ? nullptr : &*firm;
}

// Re-solves view v after its terms changed at n, compares its targets (and, for a listed firm's
// view, the world's with the firm's new output), and puts everything back.
bool Timeline::moves_after_update(std::size_t v, MonthEval& m, NodeIndex n) const {
  const EntityView* firm = firm_of(m, v);
  auto targets_of = [&](std::size_t view) {
    std::vector<double> out;
    for (NodeIndex t : r_.view_targets[view]) out.push_back(m.cap[view][t]);
    return out;
  };
  auto moved = [](const std::vector<double>& a, const std::vector<double>& b) {
    for (std::size_t k = 0; k < a.size(); ++k)
      if (std::abs(a[k] - b[k]) > kMoves) return true;
    return false;
  };
  UndoLog undo;
  std::vector<double> before = targets_of(v);
  NodeIndex seeds[] = {n};
  engine_.update(m.cap[v], m.inputs[v], seeds, &undo);
  bool own = moved(before, targets_of(v));
  // A listed firm's view moves the world through what the firm makes: the world again with the
  // firm's pairs at their rates here (one round of the month's joint fixed point).
  bool world = false;
  if (firm) {
    std::vector<std::pair<std::uint32_t, double>> bounds;
    for (std::uint32_t q : firm->pairs) {
      double req = engine_.requirement(model_.pair_product(q), m.cap[v], m.inputs[v]);
      double rate = engine_.pair_rate(q, req, m.cap[v], m.inputs[v]);
      if (std::abs(rate - m.inputs[0].pair_limit[q]) > kMoves) bounds.emplace_back(q, rate);
    }
    if (!bounds.empty()) {
      std::vector<double> world_before = targets_of(0);
      std::vector<NodeIndex> products;
      for (auto& [q, rate] : bounds) {
        std::swap(m.inputs[0].pair_limit[q], rate);  // `rate` keeps the bound to put back
        products.push_back(model_.pair_product(q));
      }
      UndoLog world_undo;
      engine_.update(m.cap[0], m.inputs[0], products, &world_undo);
      world = moved(world_before, targets_of(0));
      restore(m.cap[0], world_undo);
      for (auto [q, bound] : bounds) m.inputs[0].pair_limit[q] = bound;
    }
  }
  restore(m.cap[v], undo);
  // A hidden firm's event is the world's; a shown firm's view lists what moves either.
  return v >= shown_ ? world : own || world;
}

void Timeline::view_event(const MonthEval& m, std::size_t v, TimelineEvent e, bool matters) {
  if (v >= shown_) {
    // A hidden firm's view: its events are the world's while a control names the firm and they
    // move the world; the rest are not shown.
    if (!firm_of(m, v) || !matters) return;
    e.view = r_.views[0];
    e.holder = r_.perspectives[v - 1].entities.front();
  }
  event(std::move(e), matters);
}

void Timeline::event(TimelineEvent e, bool matters) {
  if (matters) {
    r_.events.push_back(std::move(e));
    return;
  }
  r_.quiet.push_back(std::move(e));
}

// After month t: the events of the month (each tested against the same month without it), the
// stocks drawn and the installed bases carried to the next month.
void Timeline::advance(int month, MonthEval& m, std::vector<ViewState>& states) {
  std::size_t views = r_.views.size();
  // Parts that end this month: the month again with each still in force.
  if (month > 0) {
    auto now = in_force(month), before = in_force(month - 1);
    for (std::size_t k = 0; k < now.size(); ++k) {
      if (now[k] || !before[k]) continue;
      auto with = now;
      with[k] = 1;
      MonthEval cf = evaluate(month, epoch(with), states);
      r_.budget_hit = r_.budget_hit || cf.unsettled;
      for (std::size_t v = 0; v < shown_; ++v)
        event(TimelineEvent{month, TimelineEvent::Kind::part_ends, r_.views[v], {}, {}, k},
              moves(v, m.cap[v], cf.cap[v]));
    }
  }
  for (std::size_t v = 0; v < views; ++v) {
    const CapacityInputs& in = m.inputs[v];
    MonthTerms& terms = *m.terms[v];
    ViewState& state = states[v];
    // Substitutes at full capacity this month.
    if (v > 0)
      for (NodeIndex n = 0; n + 1 < substitution_start_.size(); ++n)
        for (std::uint32_t k = substitution_start_[n]; k < substitution_start_[n + 1]; ++k) {
          const SubstituteSpec& s = specs_[k];
          double now = s.level(month), before = month > 0 ? s.level(month - 1) : 0.0;
          bool assumed = s.by == MonthTerms::kNeedsNothing;
          if (assumed && now > 0 && !in.is_pinned(n) && (v < shown_ || firm_of(m, v))) {
            double raw = engine_.raw_value(n, m.cap[v], in);
            // A hidden firm's: the world's (it takes the firm's output from that view).
            AssumedSubstitute a{n, r_.views[v < shown_ ? v : 0], month};
            if (v >= shown_) a.holder = r_.perspectives[v - 1].entities.front();
            if (terms.world[n] > raw + kStatusEpsilon &&
                std::none_of(r_.assumed.begin(), r_.assumed.end(), [&](const auto& b) {
                  return b.node == n && b.view == a.view && b.holder == a.holder;
                }))
              r_.assumed.push_back(a);
          }
          if (!(now >= 1.0 && before < 1.0)) continue;
          terms.substitutions[k].level = before;
          bool matters = moves_after_update(v, m, n);
          terms.substitutions[k].level = now;
          view_event(m, v,
                     TimelineEvent{month,
                                   TimelineEvent::Kind::substitute,
                                   r_.views[v],
                                   n,
                                   assumed ? std::nullopt : std::optional<NodeIndex>(s.by),
                                   {}},
                     matters);
        }
    // Stocks: each draws what its node lacks of its baseline (after substitutes).
    for (NodeIndex n : stocked_) {
      if (in.is_pinned(n) || (state.fell_short[n] && state.stock[n] <= kEmpty)) continue;
      double raw = engine_.raw_value(n, m.cap[v], in);
      MonthSteps steps = engine_.month_steps(n, raw, m.cap[v], in);
      double need = baseline_[n] - steps.substituted;
      if (need <= 0) continue;
      if (state.stock[n] < need - kEmpty && need > kStatusEpsilon && !state.fell_short[n]) {
        state.fell_short[n] = 1;
        double left = terms.stock[n];
        terms.stock[n] = need;  // as if it had enough
        bool matters = moves_after_update(v, m, n);
        terms.stock[n] = left;
        view_event(
            m, v,
            TimelineEvent{month, TimelineEvent::Kind::stock_exhausted, r_.views[v], n, {}, {}},
            matters);
      }
      state.stock[n] -= std::min(state.stock[n], need);
    }
    for (NodeIndex n : installed_) state.base[n] = m.cap[v][n];
  }
}

TimelineResult Timeline::run() {
  if (options_.months < 1 || options_.months > 1200)
    throw AnalysisError(
        fmt::format("a timeline follows 1 to 1200 months, got {}", options_.months));
  r_.months = options_.months;
  r_.ramp = options_.ramp;
  for (const auto& p : parts_.parts)
    r_.parts.push_back(TimelinePart{p.scenario.name, p.baseline, p.ends()});
  setup_views();
  std::size_t views = r_.views.size();
  baseline_ = engine_.evaluate(CapacityInputs(model_.nodes.size()));
  setup_substitutes();
  for (NodeIndex n = 0; n < model_.nodes.size(); ++n) {
    if (model_.nodes[n].stock_months) stocked_.push_back(n);
    if (model_.nodes[n].extras.get().lifetime_months) installed_.push_back(n);
  }
  std::vector<ViewState> states(views);
  for (auto& s : states) {
    if (!stocked_.empty()) {
      s.stock.assign(model_.nodes.size(), 0.0);
      s.fell_short.assign(model_.nodes.size(), 0);
      for (NodeIndex n : stocked_) s.stock[n] = *model_.nodes[n].stock_months * baseline_[n];
    }
    if (!installed_.empty()) s.base.assign(model_.nodes.size(), 0.0);
  }

  std::vector<std::vector<std::vector<double>>> capacity(
      views, std::vector<std::vector<double>>(model_.targets.size()));
  MonthEval last;
  for (int t = 0; t < options_.months; ++t) {
    const Epoch& e = epoch(in_force(t));
    MonthEval m = evaluate(t, e, states, t > 0 ? &last : nullptr);
    r_.budget_hit = r_.budget_hit || m.unsettled;
    for (std::size_t v = 0; v < views; ++v)
      for (std::size_t k = 0; k < model_.targets.size(); ++k)
        capacity[v][k].push_back(m.cap[v][model_.targets[k]]);
    advance(t, m, states);
    last = std::move(m);
  }

  // The hidden firms' views go (view_event and the assumed notes gave the world what moved it).
  views = shown_;
  r_.views.resize(views);
  r_.perspectives.resize(views - 1);
  r_.view_targets.resize(views);
  for (std::size_t k = 0; k < model_.targets.size(); ++k) {
    NodeIndex target = model_.targets[k];
    for (std::size_t v = 0; v < views; ++v) {
      TimelineSeries s{target, r_.views[v], std::move(capacity[v][k]), std::nullopt, std::nullopt};
      const auto& mine = r_.view_targets[v];
      bool of_view = std::find(mine.begin(), mine.end(), target) != mine.end();
      for (int m = 0; m < options_.months; ++m) {
        bool lost = status_of(s.capacity[m], baseline_[target]) == Status::lost;
        if (lost && !s.first_lost) {
          s.first_lost = m;
          if (of_view)
            r_.events.push_back(
                TimelineEvent{m, TimelineEvent::Kind::target_lost, s.view, target, {}, {}});
        } else if (!lost && s.first_lost && !s.recovered) {
          s.recovered = m;
          if (of_view)
            r_.events.push_back(
                TimelineEvent{m, TimelineEvent::Kind::target_recovers, s.view, target, {}, {}});
        }
      }
      r_.series.push_back(std::move(s));
    }
  }
  auto id = [&](std::optional<NodeIndex> n) {
    return n ? std::string_view(model_.nodes[*n].id) : std::string_view();
  };
  std::stable_sort(r_.events.begin(), r_.events.end(), [&](const auto& a, const auto& b) {
    if (a.month != b.month) return a.month < b.month;
    if (a.kind != b.kind) return a.kind < b.kind;
    if (a.view != b.view) return a.view < b.view;
    if (id(a.node) != id(b.node)) return id(a.node) < id(b.node);
    if (id(a.substitute) != id(b.substitute)) return id(a.substitute) < id(b.substitute);
    return a.part < b.part;
  });
  std::sort(r_.assumed.begin(), r_.assumed.end(), [&](const auto& a, const auto& b) {
    if (a.view != b.view) return *r_.view_index(a.view) < *r_.view_index(b.view);
    if (a.node != b.node) return model_.nodes[a.node].id < model_.nodes[b.node].id;
    return id(a.holder) < id(b.holder);
  });
  r_.budget_hit = r_.budget_hit || engine_.hit_budget();
  return std::move(r_);
}

}  // namespace

TimelineResult timeline(const Model& model, const ScenarioParts& parts,
                        const TimelineOptions& options) {
  // Month 0 is the data's date: a control lifted since ends at the month it was lifted.
  ScenarioParts dated = parts;
  for (const auto& [key, value] : model.meta)
    if (key == "as_of") end_lifted_controls(dated, value);
  return Timeline(model, dated, options).run();
}

TimelineResult timeline(const Model& model, const Scenario& scenario,
                        const TimelineOptions& options) {
  ScenarioParts parts;
  parts.add(scenario, false);
  return timeline(model, parts, options);
}

TimeDependence time_dependence(const Model& model, std::span<const NodeIndex> targets) {
  TimeDependence d;
  std::vector<char> upstream = reaching(model, targets, true);
  for (NodeIndex n = 0; n < model.nodes.size(); ++n) {
    if (!upstream[n]) continue;
    const Node& node = model.nodes[n];
    const NodeExtras& extras = node.extras.get();
    d.fleets = d.fleets || extras.lifetime_months.has_value();
    d.substitutes = d.substitutes || !extras.substitutes.empty();
    d.stocks = d.stocks || (!extras.lifetime_months && node.stock_months && *node.stock_months > 0);
  }
  return d;
}

std::optional<TimelineResult> headline_path(const Model& model, const Scenario& scenario,
                                            const std::vector<Perspective>& views) {
  if (scenario.empty() || !time_dependence(model, model.targets).any()) return std::nullopt;
  TimelineOptions options;
  options.months = kHeadlinePathMonths + 1;
  options.ramp = Ramp::none;
  for (const Perspective& p : views) options.perspectives.push_back(p.name);
  for (;;) {
    try {
      return timeline(model, scenario, options);
    } catch (const UnfollowedView& e) {
      auto& names = options.perspectives;
      auto it = std::find(names.begin(), names.end(), e.name);
      // Not one asked for (a scenario's own `against` entry): no path at all.
      if (it == names.end()) return std::nullopt;
      names.erase(it);
    }
  }
}

}  // namespace chokepoint
