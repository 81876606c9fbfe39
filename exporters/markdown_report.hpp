// Markdown summaries for analyze, whatif, rank and decouple: what an analyst pastes into a report.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "graph/analysis.hpp"
#include "graph/decouple.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

// Escapes text for a Markdown table cell: pipes, emphasis, links, HTML and line breaks.
std::string markdown_escape(std::string_view text);
// A capacity or share with at most four decimals, trailing zeros dropped ("0.5", "1", "0.4444").
std::string short_number(double v);

// With `scores`, choke points are ranked by severity and score and each shows why; without,
// by impact.
// `diagram_note`, when given, adds a Diagram section pointing at graph.svg (the --out-dir set).
void write_analysis_markdown(std::ostream& out, const Analysis& analysis,
                             const std::vector<rules::NodeScore>* scores = nullptr,
                             std::size_t top = 20, const std::string* diagram_note = nullptr);
void write_whatif_markdown(std::ostream& out, const Analysis& analysis,
                           const std::vector<rules::NodeScore>* baseline_scores = nullptr,
                           const std::vector<rules::NodeScore>* scores = nullptr);
void write_rank_markdown(std::ostream& out, const Model& model, const Analysis& analysis,
                         const std::vector<RankEntry>& ranking, int order, std::size_t top = 50);
void write_decouple_markdown(std::ostream& out, const Model& model, const DecoupleResult& result);

}  // namespace chokepoint
