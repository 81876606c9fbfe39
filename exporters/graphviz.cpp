#include "exporters/graphviz.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/range/iterator_range.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "exporters/report/palette.hpp"
#include "exporters/report/text.hpp"
#include "graph/analysis/metrics.hpp"
#include "graph/support/errors.hpp"
#include "graph/support/utf8.hpp"

namespace chokepoint {

namespace {

// The text as a diagram may show it: without U+FEFF (a byte-order mark, invisible inside text:
// Graphviz writes a value made only of it unquoted and then cannot read it back, found by
// fuzzing), without bidirectional controls (U+202E would reorder the label around it), and with
// noncharacters as U+FFFD (U+FFFE and U+FFFF make the SVG ill-formed XML, and cairo stops on
// them, leaving a truncated PDF).
std::string drawable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    char32_t c = utf8::decode(text, i, len);
    if (c == 0xFEFF || utf8::bidi_control(c)) continue;
    if (utf8::noncharacter(c))
      out += "\xEF\xBF\xBD";
    else
      out.append(text.substr(i, len));
  }
  return out;
}

}  // namespace

std::string html_label_escape(std::string_view text) {
  // XML escaping, then line breaks as <BR/>; tabs and other control characters are dropped, and
  // so is U+FEFF. A backslash becomes an entity: Graphviz would read \N, \G or \E in the text as
  // the node's name, the graph's name or nothing.
  std::string out;
  for (char c : xml_escape(drawable(text))) {
    if (c == '\n')
      out += "<BR/>";
    else if (c == '\\')
      out += "\\\\";
    else if (c == ']')
      out += "&#93;";  // a text of only ']' is a syntax error to Graphviz's HTML lexer
    else if (c != '\t' && c != '\r')
      out += c;
  }
  // Graphviz's HTML lexer rejects an empty element (<B></B>): a name of only dropped characters
  // becomes a no-break space.
  if (out.empty()) out = "&#160;";
  return out;
}

namespace {

// Names longer than this are shortened in labels (Graphviz fails on labels of about 16 KB).
constexpr std::size_t kMaxLabelBytes = 200;

const char* kind_shape(std::string_view kind) {
  static const std::map<std::string_view, const char*> kShapes = {
      {"firm", "box"},          {"country", "doubleoctagon"},
      {"lithography", "box3d"}, {"equipment", "component"},
      {"service", "component"}, {"material", "cylinder"},
      {"hbm", "tab"},           {"memory", "tab"},
      {"foundry", "house"},     {"process", "house"},
      {"packaging", "folder"},  {"chip", "octagon"},
      {"eda", "note"},          {"model", "ellipse"},
      {"dataset", "cylinder"},  {"power", "invtrapezium"},
      {"cooling", "trapezium"}, {"cloud", "egg"},
      {"capability", "cds"}};
  auto it = kShapes.find(kind);
  return it == kShapes.end() ? "box" : it->second;
}

// The focus nodes and everything within `depth` levels upstream of any of them (-1: all).
std::vector<char> upstream_within(const Model& model, const std::vector<NodeIndex>& focus,
                                  int depth) {
  std::vector<int> level(model.nodes.size(), -1);
  std::deque<NodeIndex> queue(focus.begin(), focus.end());
  for (NodeIndex f : focus) level[f] = 0;
  while (!queue.empty()) {
    NodeIndex n = queue.front();
    queue.pop_front();
    if (depth >= 0 && level[n] >= depth) continue;
    for (const Group& g : model.nodes[n].groups)
      for (const Member& m : g.members)
        if (level[m.node] < 0) {
          level[m.node] = level[n] + 1;
          queue.push_back(m.node);
        }
  }
  std::vector<char> in(model.nodes.size(), 0);
  for (NodeIndex i = 0; i < model.nodes.size(); ++i) in[i] = level[i] >= 0;
  return in;
}

// cgraph takes char*; these keep the strings alive and mutable for the call.
void set_attr(void* obj, const char* name, const std::string& value) {
  std::string n(name), v(value), empty;
  agsafeset(obj, n.data(), v.data(), empty.data());
}

void set_html(Agraph_t* root, void* obj, Agsym_t* sym, const std::string& html) {
  std::string copy = html;
  char* s = agstrdup_html(root, copy.data());
  agxset(obj, sym, s);
  agstrfree(root, s);
}

// cairo stamps a PDF with the time of rendering, in local time with its offset from UTC
// ("D:20261205093000+05'30", or "...Z" in UTC); with SOURCE_DATE_EPOCH set (reproducible builds)
// that time is written instead, in UTC with an offset of the same length, over the old one so
// that the cross-reference offsets stay valid.
void stamp_pdf_date(std::string& pdf) {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (!epoch || !*epoch) return;
  char* end = nullptr;
  long long seconds = std::strtoll(epoch, &end, 10);
  if (*end != '\0' || seconds < 0) return;
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char time[32];
  std::strftime(time, sizeof time, "D:%Y%m%d%H%M%S", &utc);
  for (const char* key : {"/CreationDate (", "/ModDate ("}) {
    auto at = pdf.find(key);
    if (at == std::string::npos) continue;
    at += std::strlen(key);
    auto close = pdf.find(')', at);
    if (close == std::string::npos) continue;
    for (const char* offset : {"Z", "+00'00", "+00'00'"}) {
      std::string stamp = std::string(time) + offset;
      if (stamp.size() != close - at) continue;
      pdf.replace(at, close - at, stamp);
      break;
    }
  }
}

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};
using GraphPtr = std::unique_ptr<Agraph_t, GraphCloser>;

// Object ids in creation order. cgraph's default discipline uses string addresses as ids and
// orders subgraphs by id, so the order of clusters in the DOT text and in the layout depended on
// the heap: two runs could differ, and some orders made dot fail ("trouble in init_rank").
struct IdState {
  std::unordered_map<std::string, IDTYPE> ids;
  std::vector<char*> names;  // cgraph reference-counted strings, as agnameof expects
  IDTYPE next_anonymous = 1;
};

void* id_open(Agraph_t*, Agdisc_t*) { return new IdState; }

long id_map(void* state, int, char* str, IDTYPE* id, int create) {
  auto* s = static_cast<IdState*>(state);
  if (!str) {
    *id = s->next_anonymous;
    s->next_anonymous += 2;
    return 1;
  }
  if (auto it = s->ids.find(str); it != s->ids.end()) {
    *id = it->second;
    return 1;
  }
  if (!create) return 0;
  *id = static_cast<IDTYPE>(2 * s->names.size());
  s->names.push_back(agstrdup(nullptr, str));
  s->ids.emplace(str, *id);
  return 1;
}

long id_alloc(void*, int, IDTYPE) { return 0; }  // no caller-chosen ids
void id_free(void*, int, IDTYPE) {}

char* id_print(void* state, int, IDTYPE id) {
  auto* s = static_cast<IdState*>(state);
  if (id % 2 != 0 || id / 2 >= s->names.size()) return nullptr;
  return s->names[id / 2];
}

void id_close(void* state) {
  auto* s = static_cast<IdState*>(state);
  for (char* n : s->names) agstrfree(nullptr, n);
  delete s;
}

void id_register(void*, int, void*) {}

Agiddisc_t kSequentialIds = {id_open, id_map, id_alloc, id_free, id_print, id_close, id_register};

// Reading DOT from a string through the same id discipline.
struct StringChannel {
  const std::string* text;
  std::size_t pos = 0;
};

int string_read(void* chan, char* buf, int size) {
  auto* c = static_cast<StringChannel*>(chan);
  // cgraph's lexer reads line by line; hand it at most one line at a time.
  std::size_t n = 0;
  while (c->pos < c->text->size() && n + 1 < static_cast<std::size_t>(size)) {
    char ch = (*c->text)[c->pos++];
    buf[n++] = ch;
    if (ch == '\n') break;
  }
  return static_cast<int>(n);
}

Agiodisc_t kStringIo = {string_read, AgIoDisc.putstr, AgIoDisc.flush};
Agdisc_t kWriteDiscipline = {&AgMemDisc, &kSequentialIds, &AgIoDisc};
Agdisc_t kReadDiscipline = {&AgMemDisc, &kSequentialIds, &kStringIo};

// Per view of a.views, whether a diagram shows its denials (empty: every view's).
using ShownViews = std::vector<char>;

// The perspectives a node is denied to outright, and those it is partly denied to (some of its
// maker-product pairs), of the views `shown`.
std::pair<std::vector<std::string>, std::vector<std::string>> denials_of(const Analysis& a,
                                                                         NodeIndex n,
                                                                         const ShownViews& shown) {
  const Model& model = *a.model;
  std::vector<std::string> all, part;
  for (std::size_t i = 0; i < a.views.size(); ++i) {
    const auto& v = a.views[i];
    if (v.denied.empty() || (!shown.empty() && !shown[i])) continue;
    if (node_denied(model, v, n)) {
      all.push_back(v.name);
      continue;
    }
    for (std::uint32_t p = model.first_pair(n); p < model.first_pair(n + 1); ++p)
      if (v.denied[p]) {
        part.push_back(v.name);
        break;
      }
  }
  return {all, part};
}

// A name broken into lines of about `width` characters at spaces, escaped for an HTML label.
std::string wrapped_label(const std::string& name, std::size_t width) {
  std::string text = shortened(name, 80), out, line;
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    if (!line.empty() && line.size() + 1 + w.size() > width) {
      out += (out.empty() ? "" : "<BR/>") + html_label_escape(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) out += (out.empty() ? "" : "<BR/>") + html_label_escape(line);
  return out.empty() ? "&#160;" : out;
}

// A target's value as its own side sees it, and the view that is ("CN's view", "the world
// view"; empty in a graph without sides). With --view, the viewed side's targets in its view and
// every other target in the world's ("100 % ok in CN's view" on a US target says nothing about
// the US); without, the view of a perspective the target is located in, else the world.
struct TargetValue {
  double value;
  std::string view;
  bool world;  // the world's value
};
bool located_in(const Model& model, const Perspective& p, NodeIndex n) {
  return std::find(p.codes.begin(), p.codes.end(), model.nodes[n].jurisdiction) != p.codes.end();
}
// The perspective (a side, not a listed firm) node n is located in, if any.
std::optional<std::size_t> side_of(const Analysis& a, NodeIndex n) {
  for (std::size_t v = 0; v < a.perspectives.size(); ++v)
    if (!a.perspectives[v].entity() && located_in(*a.model, a.perspectives[v], n)) return v;
  return std::nullopt;
}
TargetValue target_value(const Analysis& a, NodeIndex n) {
  if (a.viewed_as) {
    if (a.viewed_as->entity() || located_in(*a.model, *a.viewed_as, n))
      return {a.view_cap[n], a.viewed_as->name + "'s view", false};
    return {a.world[n], "the world view", true};
  }
  if (auto v = side_of(a, n))
    return {a.views[*v].cap[n], a.perspectives[*v].name + "'s view", false};
  return {a.world[n], a.perspectives.empty() ? std::string() : std::string("the world view"), true};
}

std::string node_html(const Analysis& a, const rules::NodeScore& score, NodeIndex n,
                      LevelStyle style, bool has_scenario, bool removed, std::size_t wrap,
                      const ShownViews& shown) {
  if (removed) style.font = "#424242";  // dark text on the grey fill of a removed node
  const Model& model = *a.model;
  const Node& node = model.nodes[n];
  std::string sub = node.id + " · " + node.kind;
  if (node.jurisdiction != kNoJurisdiction)
    sub += " · " + std::string(model.jurisdiction_code(node.jurisdiction));
  std::string html = fmt::format(
      "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">"
      "<TR><TD><FONT COLOR=\"{0}\"><B>{1}</B></FONT></TD></TR>"
      "<TR><TD><FONT COLOR=\"{0}\" POINT-SIZE=\"9\">{2}</FONT></TD></TR>",
      style.font,
      wrap > 0 ? wrapped_label(node.name, wrap)
               : html_label_escape(shortened(node.name, kMaxLabelBytes)),
      html_label_escape(shortened(sub, kMaxLabelBytes)));
  if (score.severity != rules::Level::info)
    html += fmt::format("<TR><TD><FONT COLOR=\"{}\" POINT-SIZE=\"9\">{} · {}</FONT></TD></TR>",
                        style.font, rules::level_name(score.severity), short_number(score.score));
  if (has_scenario) {
    // With --view, the side's values (another side's target: the world's, said so); else the
    // world's.
    double value = a.judged()[n];
    std::string elsewhere;
    if (a.viewed_as && node.target) {
      TargetValue shown = target_value(a, n);
      value = shown.value;
      if (shown.world) elsewhere = " in " + shown.view;
    }
    Status s = status_of(value, a.baseline[n]);
    std::string state = removed             ? "REMOVED"
                        : s == Status::lost ? "LOST" + elsewhere
                        : s == Status::degraded
                            ? fmt::format("degraded to {}{}", percent(value), elsewhere)
                        : elsewhere.empty() ? ""
                                            : "ok" + elsewhere;
    if (!state.empty())
      html += fmt::format("<TR><TD><FONT COLOR=\"{}\" POINT-SIZE=\"10\"><B>{}</B></FONT></TD></TR>",
                          style.font, state);
    auto [all, part] = denials_of(a, n, shown);
    if (!all.empty())
      html += fmt::format(
          "<TR><TD><FONT COLOR=\"{}\" POINT-SIZE=\"10\"><B>DENIED to {}</B></FONT>"
          "</TD></TR>",
          style.font, html_label_escape(fmt::format("{}", fmt::join(all, ", "))));
    if (!part.empty())
      html += fmt::format(
          "<TR><TD><FONT COLOR=\"{}\" POINT-SIZE=\"9\">partly denied to {}</FONT>"
          "</TD></TR>",
          style.font, html_label_escape(fmt::format("{}", fmt::join(part, ", "))));
  }
  return html + "</TABLE>";
}

// The legend, in four short rows (the levels side by side), so that it adds little height to a
// diagram laid out left to right.
std::string legend_html() {
  std::string levels;
  for (rules::Level l : {rules::Level::critical, rules::Level::high, rules::Level::medium,
                         rules::Level::low, rules::Level::info}) {
    LevelStyle s = level_style(l);
    levels += fmt::format(
        "<TD BGCOLOR=\"{}\" BORDER=\"1\" COLOR=\"{}\"><FONT COLOR=\"{}\">{}</FONT></TD>", s.fill,
        s.border, s.font, rules::level_name(l));
  }
  return "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"2\" "
         "COLOR=\"#878787\">"
         "<TR><TD><B>Legend</B></TD>" +
         levels +
         "</TR>"
         "<TR><TD COLSPAN=\"6\" ALIGN=\"LEFT\">━ supplier (width = share)   ┅ input (required)   ⊣ "
         "pair denied by a control</TD></TR>"
         "<TR><TD COLSPAN=\"6\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">pointed box: a capability; "
         "double border: lost; dotted, grey: removed; cut corners: denied</FONT></TD></TR>"
         "</TABLE>";
}

}  // namespace

namespace {

// The drawn edges of a view, by the node that supplies: the nodes it feeds, and its largest
// share into any of them.
struct FedBy {
  std::map<NodeIndex, std::vector<NodeIndex>> feeds;
  std::map<NodeIndex, double> largest;
  double largest_of(NodeIndex n) const {
    auto it = largest.find(n);
    return it == largest.end() ? 0.0 : it->second;
  }
};

FedBy drawn_edges(const Model& model, const DiagramView& view) {
  FedBy out;
  for_each_view_edge(model, view, [&](NodeIndex from, NodeIndex to, const Group&, double w) {
    out.largest[from] = std::max(out.largest[from], w);
    out.feeds[from].push_back(to);
  });
  return out;
}

// The nodes of a view with a path of drawn edges to one of `roots` (the roots among them),
// every node on it after the first accepted by `passes`.
template <typename Passes>
std::set<NodeIndex> leading_to(const DiagramView& view, const FedBy& edges,
                               const std::vector<NodeIndex>& roots, Passes passes) {
  std::set<NodeIndex> reach(roots.begin(), roots.end());
  for (bool grew = true; grew;) {
    grew = false;
    for (NodeIndex n : view.nodes) {
      auto fed = edges.feeds.find(n);
      if (reach.count(n) || fed == edges.feeds.end() || !passes(n)) continue;
      if (std::any_of(fed->second.begin(), fed->second.end(),
                      [&](NodeIndex m) { return reach.count(m) > 0; })) {
        reach.insert(n);
        grew = true;
      }
    }
  }
  return reach;
}

// Whether every node of a view has a path of drawn edges to `target`.
bool all_lead_to(const Model& model, const DiagramView& view, NodeIndex target) {
  return leading_to(view, drawn_edges(model, view), {target}, [](NodeIndex) {
           return true;
         }).size() == view.nodes.size();
}

// Leaves out of a view the branches that carry little: a node (not a focus) whose largest share
// in any drawn dependent's group is below `min_share`, and what then no longer leads to a focus
// node; the view's note names the first (each once, by name).
void prune_small_branches(const Model& model, const std::vector<NodeIndex>& focus, double min_share,
                          DiagramView& view) {
  std::vector<std::string> left_out;
  for (bool pruned = true; pruned;) {
    pruned = false;
    FedBy edges = drawn_edges(model, view);
    std::set<NodeIndex> reach = leading_to(
        view, edges, focus, [&](NodeIndex n) { return edges.largest_of(n) >= min_share; });
    std::vector<NodeIndex> kept;
    for (NodeIndex n : view.nodes) {
      if (reach.count(n)) {
        kept.push_back(n);
        continue;
      }
      pruned = true;
      if (edges.feeds.count(n) && edges.largest_of(n) < min_share)
        left_out.push_back(model.nodes[n].name);
    }
    view.nodes = std::move(kept);
  }
  if (!left_out.empty())
    view.note = fmt::format("left out, each under {:.0f} % of what it supplies: {}",
                            100 * min_share, fmt::join(left_out, "; "));
}

}  // namespace

DiagramView select_view(const Analysis& a, const std::vector<rules::NodeScore>& scores,
                        const DiagramOptions& options) {
  const Model& model = *a.model;
  std::vector<char> in(model.nodes.size(), 1);
  std::vector<NodeIndex> focus;
  for (const auto& id : options.focus) {
    auto f = model.find(id);
    if (!f) {
      std::vector<std::string_view> ids;
      for (const auto& n : model.nodes) ids.push_back(n.id);
      throw UsageError(fmt::format("unknown node '{}' in --focus{}", id, did_you_mean(id, ids)));
    }
    focus.push_back(*f);
  }
  if (!focus.empty()) in = upstream_within(model, focus, options.depth);
  auto focused = [&](NodeIndex n) {
    return std::find(focus.begin(), focus.end(), n) != focus.end();
  };
  DiagramView view;
  for (NodeIndex n : model.by_id()) {
    if (!in[n]) continue;
    if (options.min_severity && scores[n].severity < *options.min_severity && !focused(n)) continue;
    if (options.only_lowered && a.judged()[n] >= a.baseline[n] - kStatusEpsilon && !focused(n))
      continue;
    view.nodes.push_back(n);
  }
  if (options.only_lowered && options.min_branch > 0)
    prune_small_branches(model, focus, options.min_branch, view);
  return view;
}

DiagramView overview_view(const Analysis& a, const std::vector<rules::NodeScore>& scores,
                          std::size_t max_nodes) {
  const Model& model = *a.model;
  DiagramView view;
  if (model.nodes.size() <= max_nodes) {
    view.nodes = model.by_id();
    return view;
  }
  std::vector<NodeIndex> order = rules::rank_by_severity(model, scores, false);
  std::vector<char> in(model.nodes.size(), 0);
  std::size_t count = 0, seeds = 0;
  // An eighth of the budget is kept for the largest suppliers of what is drawn (below).
  std::size_t seed_budget = max_nodes - max_nodes / 8;
  for (NodeIndex x : order) {
    if (scores[x].severity == rules::Level::info) break;
    // Shortest path from x to a target along dependents (breadth first).
    std::vector<NodeIndex> parent(model.nodes.size(), static_cast<NodeIndex>(-1));
    std::deque<NodeIndex> queue{x};
    parent[x] = x;
    std::optional<NodeIndex> reached;
    while (!queue.empty() && !reached) {
      NodeIndex n = queue.front();
      queue.pop_front();
      if (model.nodes[n].target) {
        reached = n;
        break;
      }
      for (NodeIndex d : model.dependents(n))
        if (parent[d] == static_cast<NodeIndex>(-1)) {
          parent[d] = n;
          queue.push_back(d);
        }
    }
    std::vector<NodeIndex> path{x};
    if (reached)
      for (NodeIndex n = *reached; n != x; n = parent[n]) path.push_back(n);
    std::size_t added = 0;
    for (NodeIndex n : path) added += !in[n];
    if (count + added > seed_budget) break;
    for (NodeIndex n : path)
      if (!in[n]) in[n] = 1;
    count += added;
    ++seeds;
  }
  // A node drawn with some of its suppliers shows its largest ones first: a supplier is added
  // when a smaller one is already drawn (metrology with Lasertec's 8 % must show KLA's 56 %).
  for (NodeIndex n : model.by_id()) {
    const Group* sg = model.nodes[n].supplier_group();
    if (!in[n] || !sg) continue;
    std::vector<Member> by_share = sg->members;
    std::stable_sort(by_share.begin(), by_share.end(),
                     [](const Member& x, const Member& y) { return x.weight > y.weight; });
    double smallest_drawn = 2;
    for (const Member& m : by_share)
      if (in[m.node]) smallest_drawn = m.weight;
    for (const Member& m : by_share) {
      if (m.weight <= smallest_drawn || count >= max_nodes) break;
      if (!in[m.node]) {
        in[m.node] = 1;
        ++count;
      }
    }
  }
  for (NodeIndex n : model.by_id())
    if (in[n]) view.nodes.push_back(n);
  view.note = fmt::format(
      "The diagram shows {} of {} nodes: the {} most severe and their shortest "
      "paths to a target (limit {}); chokepoint render --focus ID draws "
      "the rest.",
      view.nodes.size(), model.nodes.size(), seeds, max_nodes);
  return view;
}

namespace {

// The graph-wide defaults of a diagram: left to right, bounded layout effort, fonts and sizes.
void set_defaults(Agraph_t* root) {
  // Layout effort is bounded so that no render hangs (network simplex and crossing passes).
  // newrank: the older cluster ranking fails on some of our graphs ("trouble in init_rank").
  for (auto [k, v] :
       {std::pair{"rankdir", "LR"}, std::pair{"newrank", "true"},
        std::pair{"fontname", "Helvetica"}, std::pair{"labelloc", "t"}, std::pair{"fontsize", "20"},
        std::pair{"nodesep", "0.25"}, std::pair{"ranksep", "0.6"}, std::pair{"nslimit", "8"},
        std::pair{"nslimit1", "8"}, std::pair{"mclimit", "0.5"}, std::pair{"searchsize", "30"},
        std::pair{"maxiter", "300"}, std::pair{"outputorder", "edgesfirst"}}) {
    std::string key(k), val(v);
    agattr(root, AGRAPH, key.data(), val.data());
  }
  for (auto [k, v] : {std::pair{"fontname", "Helvetica"}, std::pair{"fontsize", "11"},
                      std::pair{"style", "filled"}, std::pair{"margin", "0.08,0.04"}}) {
    std::string key(k), val(v);
    agattr(root, AGNODE, key.data(), val.data());
  }
  for (auto [k, v] : {std::pair{"fontname", "Helvetica"}, std::pair{"fontsize", "9"},
                      std::pair{"arrowsize", "0.6"}}) {
    std::string key(k), val(v);
    agattr(root, AGEDGE, key.data(), val.data());
  }
}

// The diagram's title: --title, else the graph's title and the scenario's name.
std::string diagram_title(const Analysis& a, const DiagramOptions& options) {
  if (!options.title.empty()) return options.title;
  std::string title =
      a.has_scenario
          ? "Scenario: " + (a.scenario.name.empty() ? std::string("(unnamed)") : a.scenario.name)
          : "";
  for (const auto& [k, v] : a.model->meta)
    if (k == "title") title = title.empty() ? v : v + " — " + title;
  if (a.viewed_as) title += (title.empty() ? "" : " — ") + ("in " + a.viewed_as->name + "'s view");
  return title;
}

// The clusters a diagram groups its nodes in (by jurisdiction or kind), made when first needed.
class Clusters {
 public:
  Clusters(const Model& model, Agraph_t* root, Agsym_t* label, ClusterBy by)
      : model_(model), root_(root), label_(label), by_(by) {}

  // The subgraph node n is drawn in (the root when it is in no cluster).
  Agraph_t* of(NodeIndex n) {
    const Node& node = model_.nodes[n];
    std::string key, label;
    if (by_ == ClusterBy::jurisdiction && node.jurisdiction != kNoJurisdiction) {
      key = std::string(model_.jurisdiction_code(node.jurisdiction));
      const auto& info = model_.jurisdictions[node.jurisdiction];
      label = info.name.empty() ? key : key + " — " + info.name;
    } else if (by_ == ClusterBy::kind) {
      key = node.kind;
      label = node.kind;
    } else {
      return root_;
    }
    auto it = made_.find(key);
    if (it != made_.end()) return it->second;
    std::string sub_name = "cluster_" + key;
    Agraph_t* sub = agsubg(root_, sub_name.data(), 1);
    set_html(root_, sub, label_,
             "<B>" + html_label_escape(shortened(label, kMaxLabelBytes)) + "</B>");
    set_attr(sub, "style", "rounded,filled");
    set_attr(sub, "fillcolor", "#fbfbfb");
    set_attr(sub, "color", "#bdbdbd");
    set_attr(sub, "fontsize", "12");
    made_.emplace(key, sub);
    return sub;
  }

 private:
  const Model& model_;
  Agraph_t* root_;
  Agsym_t* label_;
  ClusterBy by_;
  std::map<std::string, Agraph_t*> made_;
};

// A node's tooltip: its fired rules' messages (else its name), as Graphviz must be given it.
std::string tooltip_of(const Node& node, const rules::NodeScore& score) {
  std::string tooltip;
  for (const auto& f : score.fired) tooltip += (tooltip.empty() ? "" : "\n") + f.message;
  // escString: Graphviz unescapes a tooltip twice (a backslash would start \N, \G or \L) and
  // decodes entities; so a backslash is written four times and '&' as an entity, and the
  // text arrives as written (checked in SvgTest.NamesSurviveIntoTheSvgText).
  std::string escaped;
  for (char c : drawable(shortened(tooltip.empty() ? node.name : tooltip, 4 * kMaxLabelBytes))) {
    if (c == '\\')
      escaped += "\\\\\\\\";
    else if (c == '&')
      escaped += "&amp;";
    else if (c == '\n')
      escaped += "&#10;";
    else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f)
      escaped += c;
  }
  // agwrite leaves some number-like text unquoted and then cannot read it back ("-." was
  // found by fuzzing); a trailing space makes it quote the value.
  if (escaped.find_first_not_of("-.0123456789") == std::string::npos) escaped += ' ';
  return escaped;
}

// Node n drawn: its label, shape by kind, colours by severity, and the scenario's overlay
// (removed dotted, lost doubled, degraded dashed, denied hatched).
void draw_node(const Analysis& a, const rules::NodeScore& score, NodeIndex n, Agraph_t* root,
               Agnode_t* an, Agsym_t* label, std::size_t wrap, const ShownViews& shown) {
  const Node& node = a.model->nodes[n];
  LevelStyle style = level_style(score.severity);
  Status s = status_of(a.judged()[n], a.baseline[n]);
  bool removed = a.has_scenario && a.world[n] == 0 && a.baseline[n] > 0 &&
                 (std::binary_search(a.scenario.remove.begin(), a.scenario.remove.end(), n) ||
                  std::binary_search(a.scenario.remove_jurisdictions.begin(),
                                     a.scenario.remove_jurisdictions.end(), node.jurisdiction));
  set_html(root, an, label, node_html(a, score, n, style, a.has_scenario, removed, wrap, shown));
  set_attr(an, "shape", kind_shape(node.kind));
  set_attr(an, "fillcolor", removed ? "#e0e0e0" : style.fill);
  set_attr(an, "color", removed ? "#9e9e9e" : style.border);
  set_attr(an, "penwidth", fmt::format("{}", style.penwidth));
  bool denied = a.has_scenario && !denials_of(a, n, shown).first.empty();
  if (removed)
    set_attr(an, "style", "filled,dotted");
  else if (a.has_scenario && s == Status::lost)
    set_attr(an, "peripheries", "2");
  else if (a.has_scenario && s == Status::degraded)
    set_attr(an, "style", denied ? "filled,dashed,diagonals" : "filled,dashed");
  else if (denied)
    set_attr(an, "style", "filled,diagonals");
  set_attr(an, "tooltip", tooltip_of(node, score));
}

// An edge drawn: a supplier edge as wide as its share (purple with a bar when the pair is denied
// in some view), an input edge dashed.
void draw_edge(const Analysis& a, Agedge_t* e, NodeIndex from, NodeIndex to, const Group& grp,
               double w) {
  const Model& model = *a.model;
  if (grp.role != Role::supplier) {
    set_attr(e, "style", "dashed");
    set_attr(e, "color", "#7f7f7f");
    set_attr(e, "arrowhead", "empty");
    if (grp.members.size() > 1) set_attr(e, "label", fmt::format("{:.0f}%", w * 100));
    return;
  }
  set_attr(e, "penwidth", fmt::format("{:.2f}", 0.6 + 3.0 * w));
  set_attr(e, "color", "#4d4d4d");
  if (w < 0.9995) set_attr(e, "label", fmt::format("{:.0f}%", w * 100));
  auto member = std::find_if(grp.members.begin(), grp.members.end(),
                             [&](const Member& m) { return m.node == from; });
  auto pair = model.first_pair(to) + static_cast<std::uint32_t>(member - grp.members.begin());
  for (const auto& v : a.views)
    if (!v.denied.empty() && v.denied[pair]) {
      set_attr(e, "color", "#762a83");
      set_attr(e, "arrowhead", "tee");
      break;
    }
}

GraphPtr build_graph(const Analysis& a, const std::vector<rules::NodeScore>& scores,
                     const DiagramView& view, const DiagramOptions& options) {
  const Model& model = *a.model;
  std::string name = "chokepoint";
  GraphPtr g(agopen(name.data(), Agdirected, &kWriteDiscipline));
  Agraph_t* root = g.get();
  set_defaults(root);
  std::string empty;
  std::string label_key = "label";
  Agsym_t* graph_label = agattr(root, AGRAPH, label_key.data(), empty.data());
  Agsym_t* node_label = agattr(root, AGNODE, label_key.data(), empty.data());
  std::string title = diagram_title(a, options);
  if (!title.empty()) {
    // A title of several lines (a target diagram's) keeps the diagram narrow.
    std::string lines;
    for (std::size_t from = 0, to; from <= title.size(); from = to + 1) {
      to = std::min(title.find('\n', from), title.size());
      lines += (from ? "<BR/>" : "") +
               html_label_escape(shortened(title.substr(from, to - from), kMaxLabelBytes));
    }
    set_html(root, root, graph_label,
             fmt::format("<FONT POINT-SIZE=\"{}\"><B>{}</B></FONT>", options.title_points, lines));
  }
  if (options.top_down) {
    std::string key = "rankdir", val = "TB";
    agsafeset(root, key.data(), val.data(), val.data());
  }
  if (options.compact) {
    for (auto [k, v] : {std::pair{"nodesep", "0.1"}, std::pair{"ranksep", "0.35"}}) {
      std::string key(k), val(v);
      agsafeset(root, key.data(), val.data(), val.data());
    }
    std::string key = "margin", val = "0.05,0.02";
    agattr(root, AGNODE, key.data(), val.data());
  }
  Clusters clusters(model, root, graph_label, options.cluster);
  // A target diagram marks only the denials that move the values it shows: in a side's view,
  // those to that side; in the world's, those to listed firms drawn in it (their output flows to
  // the target). "DENIED to huawei-fabs" on the US's own compute said nothing about the US.
  ShownViews shown;
  if (options.own_denials_only) {
    shown.assign(a.views.size(), 0);
    for (std::size_t i = 0; i < a.views.size() && i < a.perspectives.size(); ++i) {
      const Perspective& p = a.perspectives[i];
      shown[i] = a.viewed_as ? p.same_side(*a.viewed_as)
                             : std::any_of(p.entities.begin(), p.entities.end(), [&](NodeIndex e) {
                                 // view.nodes is sorted by id, not index
                                 return std::find(view.nodes.begin(), view.nodes.end(), e) !=
                                        view.nodes.end();
                               });
    }
  }
  std::vector<Agnode_t*> handle(model.nodes.size(), nullptr);
  for (NodeIndex n : view.nodes) {
    std::string id = model.nodes[n].id;
    Agnode_t* an = agnode(root, id.data(), 1);
    Agraph_t* where = clusters.of(n);
    if (where != root) agsubnode(where, an, 1);
    handle[n] = an;
    draw_node(a, scores[n], n, root, an, node_label, options.wrap_names, shown);
  }
  for_each_view_edge(model, view, [&](NodeIndex from, NodeIndex to, const Group& grp, double w) {
    std::string ename;
    draw_edge(a, agedge(root, handle[from], handle[to], ename.data(), 1), from, to, grp, w);
  });
  std::string legend = "__legend";
  Agnode_t* key = agnode(root, legend.data(), 1);
  set_html(root, key, node_label, legend_html());
  set_attr(key, "shape", "plaintext");
  set_attr(key, "style", "");
  return g;
}

}  // namespace

std::string to_dot(const Analysis& a, const std::vector<rules::NodeScore>& scores,
                   const DiagramView& view, const DiagramOptions& options) {
  GraphPtr g = build_graph(a, scores, view, options);
  char* buffer = nullptr;
  std::size_t size = 0;
  FILE* mem = open_memstream(&buffer, &size);
  if (!mem) throw IoError("cannot allocate memory for the DOT text");
  agwrite(g.get(), mem);
  std::fclose(mem);
  std::string out(buffer, size);
  std::free(buffer);
  return out;
}

std::string layout_for(const Model& model, const DiagramView& view, std::string_view requested,
                       std::string* note) {
  if (requested != "auto" && requested != "dot" && requested != "sfdp")
    throw UsageError(fmt::format("unknown layout '{}'; use auto, dot or sfdp", requested));
  std::size_t edges = 0;
  for_each_view_edge(model, view, [&](NodeIndex, NodeIndex, const Group&, double) { ++edges; });
  std::size_t size = view.nodes.size() + edges;
  auto say = [&](std::string text) {
    if (note) *note = std::move(text);
  };
  if (size > kSfdpLimit) {
    say(fmt::format(
        "{} nodes and {} edges are more than any layout draws in 30 s: drawn as the overview "
        "by stage. Narrow the view with --focus ID --depth N or --min-severity high",
        view.nodes.size(), edges));
    return "";
  }
  if (requested == "sfdp" || size <= kDotLimit)
    return std::string(requested == "sfdp" ? "sfdp" : "dot");
  say(fmt::format(
      "{} nodes and {} edges: laid out with sfdp, as dot takes minutes above about {} nodes "
      "and edges. --focus ID --depth N or --min-severity high give a layered drawing",
      view.nodes.size(), edges, kDotLimit));
  return "sfdp";
}

std::string plan_diagram(const Model& model, const DiagramView& view, const DiagramOptions& options,
                         std::string* note) {
  std::string layout = layout_for(model, view, options.layout, note);
  if (!layout.empty() && view.nodes.size() > options.max_nodes) {
    if (note)
      *note = fmt::format(
          "the view has {} nodes, above --max-nodes {}: drawn as the overview by stage (targets "
          "and critical nodes; the rest merged per stage). Narrow it with --focus ID --depth N "
          "or --min-severity high, or raise --max-nodes",
          view.nodes.size(), options.max_nodes);
    return "";
  }
  return layout;
}

std::string render_diagram(const Analysis& a, const std::vector<rules::NodeScore>& scores,
                           const DiagramView& view, const DiagramOptions& options,
                           std::string_view format, std::string* note) {
  if (format != "svg" && format != "png" && format != "pdf")
    throw UsageError(fmt::format("cannot render '{}'; use svg, png or pdf", format));
  std::string layout = plan_diagram(*a.model, view, options, note);
  if (layout.empty()) return render_dot(stage_overview_dot(a, scores, options.title), format);
  if (layout != "sfdp") return render_dot(to_dot(a, scores, view, options), format, layout);
  if (auto out =
          render_dot_within(to_dot(a, scores, view, options), format, layout, options.sfdp_seconds))
    return *out;
  if (note)
    *note = fmt::format(
        "sfdp did not lay out the view's {} nodes within {:g} s: drawn as the overview by stage. "
        "Narrow the view with --focus ID --depth N or --min-severity high",
        view.nodes.size(), options.sfdp_seconds);
  return render_dot(stage_overview_dot(a, scores, options.title), format);
}

namespace {

// Runs `f` with what the process writes to standard error set aside, and returns it: Graphviz's
// cairo plugin reports a failed surface there ("cairo: out of memory") and still returns
// success, with a truncated PDF or PNG.
std::string stderr_of(const std::function<void()>& f) {
  std::fflush(stderr);
  std::FILE* capture = std::tmpfile();
  int saved = capture ? ::dup(STDERR_FILENO) : -1;
  if (saved < 0 || ::dup2(::fileno(capture), STDERR_FILENO) < 0) {
    if (saved >= 0) ::close(saved);
    if (capture) std::fclose(capture);
    f();
    return "";
  }
  struct Restore {
    int saved;
    ~Restore() {
      std::fflush(stderr);
      ::dup2(saved, STDERR_FILENO);
      ::close(saved);
    }
  };
  {
    Restore restore{saved};
    f();
  }
  std::string text;
  std::rewind(capture);
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, capture)) > 0;)
    if (text.size() < (1 << 16)) text.append(buffer, n);
  std::fclose(capture);
  return text;
}

}  // namespace

std::string render_dot(const std::string& dot, std::string_view format, std::string_view layout) {
  agseterr(AGERR);  // warnings (e.g. about fonts) are not the user's problem
  // One Graphviz context for the process: the pango plugin caches a font name across contexts
  // and reads it after gvFreeContext frees it (a use-after-free found by fuzz_render when a
  // process renders twice). Deliberately never freed.
  static GVC_t* const context = gvContext();
  // Laid out from the DOT text, as `dot` would read it: node and edge order then follow the file.
  StringChannel channel{&dot};
  GraphPtr g(agread(&channel, &kReadDiscipline));
  if (!g) throw IoError("Graphviz could not read the generated DOT (please report this)");
  std::string lay(layout), fmt_name(format);
  // dot's spline router sometimes fails on a layout ("triangulation failed ... lost A B edge":
  // the edge is then missing from the drawing). Wider spacing gives it another
  // layout (nodes further apart within a rank: ranks further apart did not help on the dataset's
  // overview); after three tries what it said is passed on.
  std::string laid_out;
  for (int attempt = 0;; ++attempt) {
    int rc = 0;
    laid_out = stderr_of([&] { rc = gvLayout(context, g.get(), lay.data()); });
    if (rc != 0)
      throw IoError(
          fmt::format("Graphviz has no '{}' layout plugin; install the graphviz package "
                      "(scripts/setup.sh)",
                      layout));
    bool lost_edge = laid_out.find("Pshortestpath failed") != std::string::npos ||
                     laid_out.find("triangulation failed") != std::string::npos;
    if (!lost_edge || attempt == 3) break;
    gvFreeLayout(context, g.get());
    std::string key = "nodesep";
    const char* was = agget(g.get(), key.data());
    double nodesep = was && *was ? std::atof(was) : 0.25;
    std::string wider = fmt::format("{:.3f}", (nodesep > 0 ? nodesep : 0.25) * 1.6);
    std::string none;
    agsafeset(g.get(), key.data(), wider.data(), none.data());
  }
  char* data = nullptr;
  unsigned int length = 0;
  // With SOURCE_DATE_EPOCH, cairo dates the PDF in UTC whatever TZ says, so that the stamp
  // written over its date has the same length in every time zone: the bytes are the same.
  std::optional<std::string> saved_tz;
  bool utc = format == "pdf" && std::getenv("SOURCE_DATE_EPOCH");
  if (utc) {
    if (const char* tz = std::getenv("TZ")) saved_tz = tz;
    setenv("TZ", "UTC0", 1);
    tzset();
  }
  int rc = 0;
  std::string said = laid_out + stderr_of([&] {
                       rc = gvRenderData(context, g.get(), fmt_name.data(), &data, &length);
                     });
  if (utc) {
    if (saved_tz)
      setenv("TZ", saved_tz->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  std::string out = rc == 0 && data ? std::string(data, length) : std::string();
  if (data) gvFreeRenderData(data);
  gvFreeLayout(context, g.get());
  if (rc != 0)
    throw IoError(
        fmt::format("Graphviz has no '{}' output plugin; install the graphviz package "
                    "(scripts/setup.sh)",
                    format));
  // What the render said is passed on, except a failed cairo surface, which fails the run.
  std::string failure;
  for (std::size_t at = 0; at < said.size();) {
    std::size_t end = std::min(said.find('\n', at), said.size());
    std::string_view line(said.data() + at, end - at);
    if (line.rfind("cairo: ", 0) == 0 && failure.empty())
      failure = std::string(line);
    else if (!line.empty())
      std::cerr << line << '\n';
    at = end + 1;
  }
  if (!failure.empty())
    throw IoError(fmt::format("Graphviz could not draw the {}: {}", format, failure));
  if (format == "pdf") stamp_pdf_date(out);
  return out;
}

std::optional<std::string> render_dot_within(const std::string& dot, std::string_view format,
                                             std::string_view layout, double seconds) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return render_dot(dot, format, layout);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return render_dot(dot, format, layout);
  }
  if (pid == 0) {  // the child: one status byte ('O' or 'E'), then the drawing or the error
    ::close(fds[0]);
    std::string out;
    char status = 'O';
    try {
      out = render_dot(dot, format, layout);
    } catch (const std::exception& e) {
      status = 'E';
      out = e.what();
    } catch (...) {
      status = 'E';
      out = "the layout failed";
    }
    out.insert(out.begin(), status);
    for (std::size_t done = 0; done < out.size();) {
      ssize_t n = ::write(fds[1], out.data() + done, out.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  std::string got;
  char buffer[1 << 16];
  bool done = false;
  while (!done) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1 << 30)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      done = true;
    else
      got.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (!done) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!done) return std::nullopt;
  if (got.empty()) throw IoError(fmt::format("the {} layout ended without a drawing", layout));
  if (got[0] == 'E') throw IoError(got.substr(1));
  return got.substr(1);
}

bool fits_a4(std::string_view svg) {
  // Graphviz writes the size in points: <svg width="612pt" height="404pt"
  auto number = [&](std::string_view key) {
    auto at = svg.find(key);
    if (at == std::string_view::npos) return 0.0;
    at += key.size();
    return std::strtod(std::string(svg.substr(at, 16)).c_str(), nullptr);
  };
  double w = number("width=\""), h = number("height=\"");
  auto within = [](double x, double y) { return x <= kA4Width && y <= kA4Height; };
  return within(w * kSmallestScale, h * kSmallestScale) ||
         within(h * kSmallestScale, w * kSmallestScale);
}

std::vector<TargetDiagram> target_diagrams(const Analysis& a,
                                           const std::vector<rules::NodeScore>& scores,
                                           std::size_t max_nodes) {
  const Model& model = *a.model;
  using rules::Level;
  // As many levels up as fit on an A4 page with text of 7 pt or more; where one level does not
  // fit, the nodes rated low or above, then medium, then high, or those the scenario lowers
  // (each diagram says which).
  struct Try {
    int depth;
    std::optional<Level> floor;
    bool lowered = false;
  };
  static const Try kTries[] = {{4, {}},
                               {3, {}},
                               {2, {}},
                               {3, Level::low},
                               {2, Level::low},
                               {3, Level::medium},
                               {2, Level::medium},
                               {2, Level::high},
                               {6, {}, true},
                               {4, {}, true},
                               {3, {}, true},
                               {2, {}, true},
                               {1, {}, true},
                               {1, {}},
                               {1, Level::low},
                               {1, Level::medium},
                               {1, Level::high}};
  std::vector<TargetDiagram> out;
  // A side's target is drawn in its side's view, as the overview and the targets table give it:
  // the analysis as that side sees it (one copy per side with targets; only when there are
  // sides, and only for the report set, so a graph too big to copy has no sides to draw).
  std::map<std::size_t, Analysis> seen_by;
  auto drawn_in = [&](NodeIndex t) -> const Analysis& {
    auto v = a.viewed_as ? std::nullopt : side_of(a, t);
    if (!v) return a;
    auto [at, fresh] = seen_by.try_emplace(*v);
    if (fresh) {
      at->second = a;
      at->second.viewed_as = a.perspectives[*v];
      at->second.view_cap = a.views[*v].cap;
    }
    return at->second;
  };
  for (NodeIndex t : model.targets) {
    const Analysis& seen = drawn_in(t);
    DiagramOptions options;
    options.focus = {model.nodes[t].id};
    options.max_nodes = std::numeric_limits<std::size_t>::max();
    options.cluster = ClusterBy::none;  // clusters by jurisdiction double the width
    options.wrap_names = 26;            // "China advanced-node logic capacity (7 nm class)"
    options.own_denials_only = true;
    options.title_points = 14;  // three lines of 20 pt made the title wider than the graph
    options.compact = true;
    std::string file = "target-" + model.nodes[t].id + ".svg";
    std::replace(file.begin(), file.end(), ':', '_');
    // Of the tries that fit, the one that shows most nodes (the first of equals: deeper, less
    // pruned); where none fits, the last drawn. One level up drew a target and its pool alone
    // where two levels, pruned to the rated nodes, show what the pool rests on.
    std::optional<TargetDiagram> best, drawn;
    std::size_t best_nodes = 0;
    // A target the scenario lowers is drawn with the nodes that lower it rather than pruned to
    // the rated nodes, which can show none of its causes (China's new clusters at 19 % beside
    // its cloud and cooling, without the accelerators that bind); a whole view that fits shows
    // them anyway.
    double value = seen.viewed_as ? seen.view_cap[t] : seen.world[t];
    bool lowered_target = !a.baseline.empty() && value < a.baseline[t] - kStatusEpsilon;
    bool lowered_fits = false, best_rated = false;
    for (const Try& attempt : kTries) {
      if (lowered_fits && attempt.floor) continue;
      options.depth = attempt.depth;
      options.min_severity = attempt.floor;
      options.only_lowered = attempt.lowered;
      options.min_branch = attempt.lowered ? kMinBranch : 0;
      // A chain of what binds runs down a portrait page; one or two levels sit in a column.
      options.top_down = attempt.lowered && attempt.depth > 2;
      DiagramView view = select_view(seen, scores, options);
      bool last = &attempt == &kTries[std::size(kTries) - 1];
      if (view.nodes.size() > max_nodes && !last) continue;
      bool first_lowered =
          lowered_target && attempt.lowered && !lowered_fits && (!best || best_rated);
      if (best && view.nodes.size() <= best_nodes && !first_lowered) continue;  // cannot show more
      // Pruned to the rated nodes, a view can lose the nodes between them: a column of chips
      // with no edge to the target says nothing. Such a try is drawn only as the last resort.
      if ((attempt.floor || attempt.lowered) && !last && !all_lead_to(model, view, t)) continue;
      // Short lines: what, how far up (and which nodes), in whose values.
      // A side's target in the world's report: its values are the side's, its ratings (scored on
      // the world) are not, and the title says so (the side's own report rates it in its view).
      std::string values = seen.viewed_as ? "\nvalues in " + seen.viewed_as->name + "'s view" +
                                                (&seen != &a ? "; ratings of the world view" : "")
                           : seen.perspectives.empty() ? std::string()
                                                       : std::string("\nvalues in the world view");
      options.title = fmt::format(
          "{}\nwhat it depends on, {} level{} up{}{}", model.nodes[t].name, attempt.depth,
          attempt.depth == 1 ? "" : "s",
          attempt.floor
              ? fmt::format(" (nodes rated {} or above)", rules::level_name(*attempt.floor))
          : attempt.lowered
              ? std::string(view.note.empty() ? " (the nodes the scenario lowers)"
                                              : " (the nodes the scenario lowers;\nsmaller "
                                                "branches listed in the report)")
              : std::string(),
          values);
      drawn = TargetDiagram{t, file, attempt.depth,
                            render_diagram(seen, scores, view, options, "svg"), view.note};
      if (fits_a4(drawn->svg)) {
        // The first lowered diagram that fits outranks one pruned to the rated nodes.
        if (first_lowered) {
          lowered_fits = true;
          best.reset();
          best_nodes = 0;
        }
        if (!best || view.nodes.size() > best_nodes) {
          best = std::move(drawn);
          best_nodes = view.nodes.size();
          best_rated = attempt.floor.has_value();
        }
        drawn.reset();
      }
    }
    if (best) drawn = std::move(best);
    if (drawn) out.push_back(std::move(*drawn));
  }
  return out;
}

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> kNames = {"materials", "equipment and EDA", "fabrication",
                                                  "memory",    "packaging",         "chips",
                                                  "compute",   "models and data",   "capabilities"};
  return kNames;
}

std::size_t stage_of(const Model& model, NodeIndex n) {
  static const std::map<std::string_view, std::size_t> kStage = {
      {"material", 0}, {"equipment", 1}, {"lithography", 1}, {"eda", 1},       {"service", 1},
      {"process", 2},  {"foundry", 2},   {"hbm", 3},         {"memory", 3},    {"packaging", 4},
      {"chip", 5},     {"component", 6}, {"cloud", 6},       {"power", 6},     {"cooling", 6},
      {"model", 7},    {"dataset", 7},   {"software", 7},    {"capability", 8}};
  // A firm (or a country) sits in the stage of the product it holds the largest share of.
  for (int hops = 0; hops < 8; ++hops) {
    const Node& node = model.nodes[n];
    if (node.target) return 8;
    if (auto it = kStage.find(node.kind); it != kStage.end()) return it->second;
    std::optional<std::pair<NodeIndex, double>> best;
    for (auto e : boost::make_iterator_range(boost::out_edges(n, model.graph()))) {
      const EdgeInfo& info = model.graph()[e];
      if (info.role != Role::supplier) continue;
      auto d = static_cast<NodeIndex>(boost::target(e, model.graph()));
      if (!best || info.weight > best->second ||
          (info.weight == best->second && model.nodes[d].id < model.nodes[best->first].id))
        best = std::pair{d, info.weight};
    }
    if (!best) return node.kind == "firm" ? 0 : 6;
    n = best->first;
  }
  return 6;
}

std::string stage_overview_dot(const Analysis& a, const std::vector<rules::NodeScore>& scores,
                               const std::string& title) {
  const Model& model = *a.model;
  const std::size_t kStages = stage_names().size();
  std::vector<char> drawn(model.nodes.size(), 0);
  std::vector<std::size_t> stage(model.nodes.size());
  std::vector<std::size_t> merged(kStages, 0);
  for (NodeIndex n = 0; n < model.nodes.size(); ++n) {
    stage[n] = stage_of(model, n);
    drawn[n] = model.nodes[n].target || scores[n].severity == rules::Level::critical;
    if (!drawn[n]) ++merged[stage[n]];
  }
  auto handle = [&](NodeIndex n) {
    return drawn[n] ? "\"" + model.nodes[n].id + "\"" : fmt::format("stage{}", stage[n]);
  };
  std::string heading = title;
  if (heading.empty()) {
    for (const auto& [k, v] : model.meta)
      if (k == "title") heading = v;
    if (a.has_scenario)
      heading += (heading.empty() ? "" : " — ") + std::string("Scenario: ") +
                 (a.scenario.name.empty() ? "(unnamed)" : a.scenario.name);
  }
  // 11 x 7.6 in is landscape A4 less margins; at these sizes the page needs no more than a 0.8
  // reduction, which keeps 10 pt text at 8 pt or more (OverviewTest checks the SVG).
  std::string out = fmt::format(
      "digraph overview {{\n"
      "  graph [rankdir=LR, newrank=true, size=\"11,7.6\", nodesep=0.05, ranksep=0.22, "
      "fontname=Helvetica, fontsize=12, labelloc=t, outputorder=edgesfirst, nslimit=8, "
      "nslimit1=8, mclimit=0.5, searchsize=30,\n"
      "         label=<<B>{}</B><BR/><FONT POINT-SIZE=\"10\">Every target and every critical "
      "node (dark red, thick border); dashed boxes merge the other nodes of a stage.</FONT>>];\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=Helvetica, fontsize=10, "
      "margin=\"0.05,0.02\", height=0.3];\n"
      "  edge [arrowsize=0.5, color=\"#9a9a9a\", penwidth=0.8];\n",
      html_label_escape(shortened(heading.empty() ? "chokepoint overview" : heading, 200)));
  for (std::size_t s = 0; s < kStages; ++s) {
    out += fmt::format(
        "  subgraph cluster_stage{0} {{\n    graph [label=\"{1}\", rank=same, "
        "color=\"#d9d9d9\", fontsize=10];\n    anchor{0} [style=invis, label=\"\", width=0, "
        "height=0, fixedsize=true];\n",
        s, stage_names()[s]);
    for (NodeIndex n : model.by_id()) {
      if (!drawn[n] || stage[n] != s) continue;
      LevelStyle style = level_style(scores[n].severity);
      // Targets, the tallest stage, wrap wider: the page is short of height, not width.
      std::string label = wrapped_label(model.nodes[n].name, model.nodes[n].target ? 24 : 16);
      if (model.nodes[n].target && a.has_scenario) {
        // The view on a line of its own, as narrow as the wrapped name.
        auto [value, view, world] = target_value(a, n);
        label += fmt::format("<BR/>{} {}{}", percent(value),
                             status_name(status_of(value, a.baseline[n])),
                             view.empty() ? "" : "<BR/>in " + html_label_escape(view));
      }
      out += fmt::format(
          "    \"{}\" [label=<{}>, fillcolor=\"{}\", color=\"{}\", fontcolor=\"{}\", "
          "penwidth={}];\n",
          model.nodes[n].id, label, style.fill, style.border, style.font, style.penwidth);
    }
    if (merged[s] > 0)
      out += fmt::format(
          "    stage{} [label=\"{} other\", style=\"rounded,dashed\", color=\"#7f7f7f\", "
          "fontcolor=\"#4d4d4d\"];\n",
          s, merged[s]);
    out += "  }\n";
  }
  for (std::size_t s = 0; s + 1 < kStages; ++s)
    out += fmt::format("  anchor{} -> anchor{} [style=invis];\n", s, s + 1);
  std::set<std::pair<std::string, std::string>> edges;
  for (NodeIndex v = 0; v < model.nodes.size(); ++v)
    for (const Group& g : model.nodes[v].groups)
      for (const Member& m : g.members) {
        std::string from = handle(m.node), to = handle(v);
        if (from != to) edges.emplace(from, to);
      }
  for (const auto& [from, to] : edges) out += fmt::format("  {} -> {};\n", from, to);
  out += "}\n";
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_dot_labels(const std::string& dot) {
  StringChannel channel{&dot};
  GraphPtr g(agread(&channel, &kReadDiscipline));
  if (!g) throw IoError("Graphviz could not read the DOT text");
  std::vector<std::pair<std::string, std::string>> out;
  std::string label = "label";
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n)) {
    char* value = agget(n, label.data());
    out.emplace_back(agnameof(n), value ? value : "");
  }
  return out;
}

}  // namespace chokepoint
