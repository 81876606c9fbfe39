// Diagrams: which nodes a view shows, the DOT for it (built with Graphviz's cgraph), and
// in-process rendering to SVG, PNG or PDF with libgvc. Graphviz stays inside this exporter.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/analysis/analysis.hpp"
#include "rules/rule_set.hpp"

namespace chokepoint {

enum class ClusterBy { jurisdiction, kind, none };

// sfdp's time depends on the graph's shape as much as its size (16 s at 10,000 nodes and 29,000
// edges, 55-64 s on another of 44,800 nodes and edges): it runs against this budget, in a child
// process, and the overview by stage is drawn when it runs out, so that no render takes 30 s.
constexpr double kSfdpSeconds = 20.0;

struct DiagramOptions {
  std::vector<std::string> focus;  // node ids; empty: the whole graph
  int depth = -1;                  // upstream levels from the focus; -1: all
  std::string title;               // the diagram's title; empty: the graph's and scenario's
  ClusterBy cluster = ClusterBy::jurisdiction;
  std::optional<rules::Level> min_severity;
  // Keep only the nodes the scenario lowers in the values drawn (and the focus): the path of
  // what binds, where the whole cone upstream does not fit a page.
  bool only_lowered = false;
  // With only_lowered: leave out nodes whose largest share in what they supply is below this
  // (and what then no longer leads to the focus), naming them in the view's note.
  double min_branch = 0;
  // Ranks from top to bottom, not left to right: a deep, narrow view on a portrait page.
  bool top_down = false;
  std::size_t max_nodes = 2000;  // above: the overview by stage (render_diagram, to_dot callers)
  std::string layout = "auto";   // auto, dot or sfdp (see layout_for)
  // Wall-clock seconds an sfdp layout may take before the overview by stage is drawn instead.
  double sfdp_seconds = kSfdpSeconds;
  // Node names broken into lines of about this many characters (0: one line), so that long
  // names do not make a page-sized diagram wide (the per-target diagrams).
  std::size_t wrap_names = 0;
  // Mark only the denials that move the values drawn (a target diagram): to the side whose view
  // it is drawn in, or in the world view, to listed firms drawn in it.
  bool own_denials_only = false;
  int title_points = 20;  // the title's text size
  bool compact = false;   // nodes and ranks closer together (a target diagram fitted to A4)
};

struct DiagramView {
  std::vector<NodeIndex> nodes;  // sorted by id
  std::string note;              // what was left out, if anything
};

// Nodes plus edges up to which dot lays a view out, and up to which sfdp does; above the second,
// no layout ends in 30 s on a two-core machine and the overview by stage is drawn instead.
// Measured (render, SVG): dot 0.8 s at 420 nodes and 1,254 edges, 4.7 s at 1,000 and 2,879,
// 72 s at 2,000 and 5,911; sfdp 0.9 s at 2,000 nodes and 16 s at 10,000 and about 30,000 edges.
constexpr std::size_t kDotLimit = 4000;
constexpr std::size_t kSfdpLimit = 45000;

// The layout a view gets: `requested` (auto, dot or sfdp) where its size allows it; dot above
// kDotLimit becomes sfdp; above kSfdpLimit, "" (draw the overview by stage). When the choice
// differs from what was asked, `note` says why.
std::string layout_for(const Model& model, const DiagramView& view, std::string_view requested,
                       std::string* note = nullptr);

// The nodes of a render view (focus, depth, minimum severity).
DiagramView select_view(const Analysis& analysis, const std::vector<rules::NodeScore>& scores,
                        const DiagramOptions& options);

// For a report: the whole graph if it fits in max_nodes; otherwise the most severe nodes, each
// with its shortest path to a target, until the budget is spent, and a note saying so.
DiagramView overview_view(const Analysis& analysis, const std::vector<rules::NodeScore>& scores,
                          std::size_t max_nodes);

// Calls f(member, dependent, group, weight) for every edge whose two ends are in the view, in the
// order of the view's nodes and their groups.
template <typename F>
void for_each_view_edge(const Model& model, const DiagramView& view, F f) {
  std::vector<char> in(model.nodes.size(), 0);
  for (NodeIndex n : view.nodes) in[n] = 1;
  for (NodeIndex n : view.nodes)
    for (const Group& g : model.nodes[n].groups)
      for (const Member& m : g.members)
        if (in[m.node]) f(m.node, n, g, m.weight);
}

// The report's overview for one A4 page: every target and every critical node, each in the
// column of its stage of the supply chain (materials, equipment and EDA, fabrication, memory,
// packaging, chips, compute, models and data, capabilities; a firm in the stage of what it holds
// most of), and every other node merged into one dashed box per stage. An edge between two
// drawn nodes is kept; an edge to or from a merged node goes to its stage's box. The graph is
// sized to landscape A4 (11 x 7.6 in) and its text stays at 8 pt or more when printed.
std::string stage_overview_dot(const Analysis& analysis,
                               const std::vector<rules::NodeScore>& scores,
                               const std::string& title = "");
// The stage column of a node (0 = materials ... 8 = capabilities) and the columns' names.
std::size_t stage_of(const Model& model, NodeIndex n);
const std::vector<std::string>& stage_names();

// One focus diagram per target for the report set: the target and what it depends on, at most
// max_nodes nodes; each with its file name (target-ID.svg) and SVG.
struct TargetDiagram {
  NodeIndex target;
  std::string file;
  int depth;
  std::string svg;
  std::string note;  // the branches left out of it, if any
};
// The smallest share a branch of a target diagram pruned to the nodes a scenario lowers carries.
inline constexpr double kMinBranch = 0.15;
// An A4 page inside margins of half an inch, in points, and the most a diagram drawn with 9 pt
// text may be scaled down to keep it at 7 pt.
inline constexpr double kA4Width = 523, kA4Height = 770, kSmallestScale = 7.0 / 9.0;
// Whether an SVG of Graphviz's (its size in points) fits on such a page, either way round.
bool fits_a4(std::string_view svg);

// A diagram per target: as many levels up as fit on an A4 page at 7 pt or more, else the nodes
// rated low or above (then medium, high) one or two levels up.
std::vector<TargetDiagram> target_diagrams(const Analysis& analysis,
                                           const std::vector<rules::NodeScore>& scores,
                                           std::size_t max_nodes);

// Lays out and renders DOT text in-process (svg, png or pdf; layout dot or sfdp).
std::string render_dot(const std::string& dot, std::string_view format,
                       std::string_view layout = "dot");
// The same in a child process given at most `seconds` of wall-clock time; nullopt when it ran
// out (the child is killed). Errors are thrown as by render_dot.
std::optional<std::string> render_dot_within(const std::string& dot, std::string_view format,
                                             std::string_view layout, double seconds);

// DOT text of the view: severity colours and line widths, shapes by kind, clusters, share-
// weighted supplier edges, dashed input edges, scenario overlays and a legend.
std::string to_dot(const Analysis& analysis, const std::vector<rules::NodeScore>& scores,
                   const DiagramView& view, const DiagramOptions& options);

// How a view is drawn: its layout (dot or sfdp, from layout_for), or "" for the overview by
// stage when it has more than options.max_nodes nodes or is too big for any layout. `note` says
// why when that is not what was asked.
std::string plan_diagram(const Model& model, const DiagramView& view, const DiagramOptions& options,
                         std::string* note = nullptr);

// Lays out and renders the same graph in-process with libgvc: format svg, png or pdf; layout
// from layout_for, so that no render takes more than about 30 s: a view above
// options.max_nodes, or too big for any layout, is drawn as the overview by stage. `note`, when
// given, receives what was done instead of what was asked. Throws IoError when Graphviz lacks
// the layout or output plugin.
std::string render_diagram(const Analysis& analysis, const std::vector<rules::NodeScore>& scores,
                           const DiagramView& view, const DiagramOptions& options,
                           std::string_view format, std::string* note = nullptr);

// Reads DOT text back with Graphviz and returns each node's name and label as Graphviz parsed
// them, in file order (used to check escaping end to end).
std::vector<std::pair<std::string, std::string>> parse_dot_labels(const std::string& dot);

// Escapes text for a Graphviz HTML-like label (also safe for XML): & < > " ' and control
// characters; line breaks become <BR/>.
std::string html_label_escape(std::string_view text);

}  // namespace chokepoint
