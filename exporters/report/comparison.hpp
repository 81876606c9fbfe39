// What the compare report shows besides its tables (exporters/report/report.hpp's
// compare_report and the summary's compare_summary): the view it judges each target in, and its
// chart.
#pragma once

#include "exporters/report/chart_data.hpp"
#include "graph/analysis/compare.hpp"

namespace chokepoint::report {

// The view a comparison judges a target in: the first compared view of a code or bloc holding its
// jurisdiction, else the world (0).
std::size_t headline_view(const Model& model, const Comparison& c, NodeIndex target);

// The chart of a comparison: per target, in its headline view, one bar per column (the baseline,
// then each scenario) with its P5-P95 where there are bands.
RangeChart compare_chart(const Model& model, const Comparison& comparison);

}  // namespace chokepoint::report
