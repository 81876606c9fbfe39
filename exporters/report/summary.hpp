// The executive summary that opens a report: a few generated sentences a brief can quote (each
// side's headline targets with value and quantity, the choke points that matter most and why,
// the denials that cost most, the assumptions the headline rests on, what the model leaves out)
// and a box of the assumptions that drive it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporters/report/report.hpp"
#include "graph/analysis/compare.hpp"

namespace chokepoint::report {

// "52 % (40–61 %)": a value with its band's P5–P95; the value alone when there is no band or
// the band prints as the value. A band from a loss says how often: "44 % (0–48 %; lost in 12 %
// of samples)"; `said_lost` (optional) tells whether it did.
std::string percent_band(double capacity, const Band* band, int digits = 2,
                         bool* said_lost = nullptr);

// A view as prose names it: "CN's view" for a code or bloc; "the view of Huawei" for an entity
// (a listed firm, by its name up to " (": its id, "huawei-fabs's view", reads as jargon).
std::string view_phrase(const Model& model, std::string_view name);
// Views named by view_phrase (and "world"), joined, the entities' as one group: "world and the
// views of Huawei, SMIC and YMTC".
std::string listed_views(const std::vector<std::string>& phrases);

// "≈ 0.62 M H100-equivalents a year": what a capacity of a node with a `quantity` amounts to;
// empty without one. A node lost with a threshold (min_share) says so instead of "≈ 0": "lost:
// below its threshold, 30 % of training compute".
// Where the quantity is a range, the amount gives it ("≈ 60 k (20–75 k) …"): at `capacity`, or
// with a `band` from the band's P5 times the quantity's low to its P95 times its high (both
// ranges at once, their extremes).
std::string amount(const Model& model, NodeIndex n, double capacity, int digits = 2,
                   const Band* band = nullptr);
// The number alone ("0.62 M"), for a table that gives the unit once; empty without a quantity.
std::string amount_number(const Model& model, NodeIndex n, double capacity, int digits = 2,
                          const Band* band = nullptr);

// The share of n's supply, as the side buys it (its sourcing where shown in its view), made in
// the side's own jurisdictions (a node without suppliers: 1 where it is located in them, else 0;
// always 0 for an entity's side). A choke
// point of which a country makes half or more is a single point of failure at home, which no
// other country can deny.
double home_share(const Model& model, const Perspective& side, NodeIndex n);
// The country an analysis is judged in (`--view CN`), whose home share its choke points get;
// null in the world's analysis or an entity's view (an entity has no home).
const Perspective* home_side(const Analysis& a);

// The scored nodes in the order a report ranks its choke points: severity, then score, then
// (with an analysis' metrics) the larger impact; the summary names the first of them.
std::vector<NodeIndex> ranked_choke_points(const Model& model,
                                           const std::vector<rules::NodeScore>& scores,
                                           const Analysis* a);

// The summary of an analysis (analyze, whatif): nullopt for a graph without targets.
// `bands` (optional): each headline value with its P5–P95. `path` (optional, headline_path):
// each side's headline month by month, at months 0, 12, 24 and 59 and its lowest.
std::optional<Section> analysis_summary(const Analysis& a,
                                        const std::vector<rules::NodeScore>* scores,
                                        const UncertaintyResult* bands = nullptr,
                                        const TimelineResult* path = nullptr, int digits = 2);

// The summary of a comparison: what it compares, which scenario costs each side most (its
// targets' values with their bands and quantities, against the baseline), scenarios that give
// the same answer, the range that moves the costliest answer most, what is left out; and the
// box of assumptions. nullopt without targets.
std::optional<Section> compare_summary(const Model& model, const Comparison& c, int digits = 2);

// The summary of `chokepoint uncertainty`: what was sampled, each side's headline targets with
// their bands and how often they are lost, the number that moves the headline most, what is left
// out; and the box. nullopt without targets.
std::optional<Section> uncertainty_summary(const Model& model, const Scenario& scenario,
                                           const UncertaintyResult& r, int digits = 2);
// The summary of a timeline: what it follows, each side's targets at the start, at their lowest
// (with the month) and at the end, when they are lost and recover; what is left out; the box.
std::optional<Section> timeline_summary(const Model& model, const Scenario& scenario,
                                        const TimelineResult& r, int digits = 2);
// "all 18 candidates", "both candidates", "the one candidate".
std::string all_candidates(std::size_t n);
// "all 18 candidates together"; one candidate is not together with anyone.
std::string all_together(std::size_t n);

// Why a target has no minimal winning coalition (said after its value with every candidate in
// the control): "no coalition is enough, not even all 18 candidates together" (none of any size
// wins), or "no coalition of at most 4 candidates is enough; all 18 candidates together would …"
// (the search stopped at its order), or that a trickle left without a threshold is the bar's
// doing. No full stop; lower case unless it `opens` a sentence ("No coalition ...").
// The scenarios (columns k >= 1) that give every target the baseline's value: they add nothing
// to it (the summary says so, and the table's heading).
std::vector<std::size_t> like_baseline(const Comparison& c);

std::string no_coalition(const CoalitionResult& r, const CoalitionTarget& t, bool opens = false);
// The nodes a coalition's FDPR reaches a product through, named at most (then "and N more").
inline constexpr std::size_t kThroughNamed = 3;
// "made with SK hynix (`skh`) and Samsung (`samsung`)": what an FDPR reached a product through,
// the first kThroughNamed named ("…, C and 2 more").
Inline made_with_phrase(const Model& model, const std::vector<NodeIndex>& nodes);
// Adds to `with` what one coalition's FDPR reached its products through
// (CoalitionReason::through), each node once, in the order met; only member `j`'s when given.
void add_reached_through(const std::vector<CoalitionReason>& reasons,
                         std::optional<JurisdictionIndex> j, std::vector<NodeIndex>& with);
// Below this, what every candidate together leaves of a target is a trickle, not a survival.
inline constexpr double kTrickle = 0.05;
// An uncertain number's range as the reports give capacities: shares, thresholds, factors and
// de minimis in percent ("3.0–20 %, best 10 %"), stocks and lifetimes in months ("6–18 months,
// best 9"); `point` alone: "10 %", "9 months".
std::string quantity_range(const UncertainQuantity& q, bool with_best = true);
// " (lifted on 2025-07-14)" after a control's id when the rule was lifted after the scenario's
// date (`lifted:`), else "".
std::string lifted_note(const Control& c);
// Whether two targets give the same quantity (value and unit) in the data, or both none: targets
// fed by one pool of compute share its amount.
bool same_quantity(const Model& model, NodeIndex x, NodeIndex y);
// "Points summed over targets count a shared amount more than once: A, B and C give one amount
// (≈ 1.7 M H100-equivalents over a year), so a loss to it counts three times. ...", for every
// two or more of `targets` that share a quantity; none when none do.
std::optional<Inline> shared_amount_note(const Model& model, const std::vector<NodeIndex>& targets,
                                         int digits = 2);
// The box's line on the controls a scenario applies that were lifted later, if any.
std::optional<Inline> lifted_assumption(const std::vector<Control>& controls);
std::string quantity_point(const UncertainQuantity& q);
// What keeps a target no coalition can make lose: "; what keeps it at 58 %: AI accelerators
// installed in Chinese data centres (50 points) and …, which the control does not reach, and
// Server DRAM (0.86 points), what the control leaves of it" ("" when nothing was found).
std::string kept_reading(const Model& model, const CoalitionResult& r, const CoalitionTarget& t,
                         int digits = 2);

// The summary of coalitions: the question, per target the smallest winning coalition, the
// member needed most, and how often it wins where sampled; what is left out; the box.
std::optional<Section> coalitions_summary(const Model& model, const CoalitionResult& r,
                                          int digits = 2);

}  // namespace chokepoint::report
