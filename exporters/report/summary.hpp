// The executive summary that opens a report: a few generated sentences a brief can quote (each
// side's headline targets with value and quantity, the choke points that matter most and why,
// the denials that cost most, the assumptions the headline rests on, what the model leaves out)
// and a box of the assumptions that drive it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exporters/report/report.hpp"

namespace chokepoint::report {

// "52 %", "0.31 %", "100 %": a capacity (0..1) as a percentage with two significant digits.
std::string percent(double capacity);

// "≈ 0.62 M H100-equivalents a year": what a capacity of a node with a `quantity` amounts to;
// empty without one.
std::string amount(const Model& model, NodeIndex n, double capacity);

// The summary of an analysis (analyze, whatif): nullopt for a graph without targets.
std::optional<Section> analysis_summary(const Analysis& a,
                                        const std::vector<rules::NodeScore>* scores);

}  // namespace chokepoint::report
