// Exporter tests: escaping of hostile names through DOT (read back by Graphviz), SVG, HTML,
// Markdown and CSV; spreadsheet formula injection; the --out-dir set; the HTML in a browser.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "exporters/atomic_file.hpp"
#include "exporters/chart.hpp"
#include "exporters/graphviz.hpp"
#include "exporters/html.hpp"
#include "exporters/report/report.hpp"
#include "exporters/report/text.hpp"
#include "exporters/tables.hpp"
#include "graph/input/scenario_builder.hpp"
#include "graph/support/errors.hpp"
#include "graph/support/inputs.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

// Names an analyst's data really contains: quotes, backslashes and Graphviz escape sequences,
// HTML and DOT syntax, spreadsheet formulas, control characters and non-Latin scripts.
const char* kHostile = R"yaml(
nodes:
  - {id: graph, name: "say \"hi\" \\N \\G \\l {x} [y] <b>&amp;</b>", kind: firm, jurisdiction: US}
  - {id: node, name: "<script>alert('x')</script>", kind: firm, jurisdiction: CN}
  - {id: edge, name: "=HYPERLINK(\"http://x\")", kind: firm}
  - {id: strict, name: "-2+3 | pipe * star _u_ `tick` # hash", kind: firm}
  - {id: subgraph, name: "tab\tand\u0001control\nnewline 中文 Ünïcödé", kind: chip, target: true,
     inputs: [graph, node, edge, strict]}
)yaml";

// A DOT label as Graphviz will draw it: tags dropped, entities decoded, then its escString
// layer's doubled backslashes made single.
std::string strip_tags_and_unescape(std::string html) {
  html = std::regex_replace(html, std::regex("<BR/>"), "\n");
  html = std::regex_replace(html, std::regex("<[^>]*>"), "");
  for (auto [from, to] :
       {std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&quot;", "\""},
        std::pair{"&#39;", "'"}, std::pair{"&#93;", "]"}, std::pair{"&amp;", "&"}})
    html = std::regex_replace(html, std::regex(from), to);
  std::string out;
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '\\' && i + 1 < html.size() && html[i + 1] == '\\') ++i;
    out += html[i];
  }
  return out;
}

// The text of an SVG file's <text> elements and link titles, XML entities decoded and the
// non-breaking spaces Graphviz writes for runs of spaces read as spaces.
std::string svg_text(const std::string& svg) {
  std::string out;
  std::regex item("<text[^>]*>([^<]*)</text>|xlink:title=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), item); it != std::sregex_iterator();
       ++it)
    out += (*it)[1].str() + (*it)[2].str() + "\n";
  for (auto [from, to] : {std::pair{"&lt;", "<"}, std::pair{"&gt;", ">"}, std::pair{"&quot;", "\""},
                          std::pair{"&#39;", "'"}, std::pair{"&#160;", " "},
                          std::pair{"&#45;", "-"}, std::pair{"&amp;", "&"}})
    out = std::regex_replace(out, std::regex(from), to);
  return out;
}

struct Fixture {
  Model model;
  Analysis analysis;
  rules::RuleSet rules;
  std::vector<rules::NodeScore> scores;
};

std::unique_ptr<Fixture> hostile() {
  auto f = std::make_unique<Fixture>();
  f->model = testing::must_load(kHostile);
  f->analysis = analyze(f->model, std::nullopt, AnalysisOptions{});
  SourceFiles files;
  Diagnostics diags;
  f->rules = *rules::load_rules({rules::default_rules_path()}, files, diags);
  f->scores = rules::score_nodes(f->rules, f->analysis);
  return f;
}

TEST(DotTest, HostileNamesSurviveTheRoundTripThroughGraphviz) {
  auto f = hostile();
  DiagramView view = select_view(f->analysis, f->scores, DiagramOptions{});
  std::string dot = to_dot(f->analysis, f->scores, view, DiagramOptions{});
  auto parsed = parse_dot_labels(dot);
  std::map<std::string, std::string> labels(parsed.begin(), parsed.end());
  for (NodeIndex n = 0; n < f->model.nodes.size(); ++n) {
    const Node& node = f->model.nodes[n];
    ASSERT_TRUE(labels.count(node.id)) << "node '" << node.id << "' (a DOT keyword) lost";
    std::string text = strip_tags_and_unescape(labels[node.id]);
    std::string expected_name;
    for (char c : node.name)
      if (static_cast<unsigned char>(c) >= 0x20 || c == '\n') expected_name += c;
    EXPECT_EQ(text.substr(0, expected_name.size()), expected_name) << node.id;
  }
  EXPECT_EQ(labels.count("__legend"), 1u);
}

// Graphviz reads \N, \G, \E and \L in labels and tooltips as escapes and decodes entities;
// every name must still reach the drawing as written.
// Numbers in JSON and data CSVs: twelve decimals and no more than twelve significant digits, so
// that float noise of sums never reaches a reader (an HHI of 5050.000000000001 in nodes.csv).
TEST(ReportNumberTest, TwelveDecimalsAndTwelveSignificantDigits) {
  EXPECT_EQ(report_number(5050.000000000001), 5050.0);
  EXPECT_EQ(report_number(4751.999999999998), 4752.0);
  EXPECT_EQ(report_number(0.1 + 0.2), 0.3);
  EXPECT_EQ(report_number(0.001635264842), 0.001635264842);
  EXPECT_EQ(report_number(1.2345678901234), 1.23456789012);
  EXPECT_EQ(report_number(-1e-13), 0.0);
  EXPECT_FALSE(std::signbit(report_number(-1e-13)));
  EXPECT_EQ(report_number(0.0), 0.0);
  EXPECT_EQ(report_number(1e6), 1e6);
}

TEST(SvgTest, NamesSurviveIntoTheSvgText) {
  Model m = testing::must_load(R"yaml(
meta: {title: 'T \N \G \E x'}
nodes:
  - {id: a, name: 'A \N \G \E \\ \L &lt; &amp; end', kind: firm}
  - {id: b, name: 'B \T', kind: chip, inputs: [a], target: true}
)yaml");
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  SourceFiles files;
  Diagnostics diags;
  auto rules = *rules::load_rules({rules::default_rules_path()}, files, diags);
  auto scores = rules::score_nodes(rules, a);
  DiagramView view = select_view(a, scores, DiagramOptions{});
  std::string text = svg_text(render_diagram(a, scores, view, DiagramOptions{}, "svg"));
  EXPECT_NE(text.find("A \\N \\G \\E \\\\ \\L &lt; &amp; end\n"), std::string::npos) << text;
  EXPECT_NE(text.find("A \\N \\G \\E \\\\ \\L &lt; &amp; end: losing it alone loses B \\T"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("B \\T\n"), std::string::npos) << text;
  // A name of only ']' was a syntax error to Graphviz's HTML lexer (found by fuzz_render).
  Model brackets = testing::must_load("nodes: [{id: n, name: ']]', kind: firm, target: true}]\n");
  auto b = analyze(brackets, std::nullopt, AnalysisOptions{});
  std::vector<rules::NodeScore> none(1);
  std::string svg =
      render_diagram(b, none, select_view(b, none, DiagramOptions{}), DiagramOptions{}, "svg");
  EXPECT_NE(svg_text(svg).find("]]\n"), std::string::npos);
  EXPECT_NE(text.find("T \\N \\G \\E x"), std::string::npos) << text;
  // A name of only a byte-order mark was written unquoted and could not be read back, and a name
  // of only dropped characters made an empty <B></B> (found by fuzz_dot): both render, the mark
  // is dropped from text it is part of.
  for (const char* name : {"\xEF\xBB\xBF", "\t", "x\xEF\xBB\xBFy"}) {
    Model odd = testing::must_load(
        fmt::format("nodes: [{{id: n, name: \"{}\", kind: firm, target: true}}]\n",
                    name[0] == '\t' ? "\\t" : name));
    auto o = analyze(odd, std::nullopt, AnalysisOptions{});
    std::string rendered;
    EXPECT_NO_THROW(rendered = render_diagram(o, none, select_view(o, none, DiagramOptions{}),
                                              DiagramOptions{}, "svg"))
        << name;
    if (std::string_view(name) == "x\xEF\xBB\xBFy") {
      EXPECT_NE(svg_text(rendered).find("xy\n"), std::string::npos);
    }
  }
}

TEST(SvgTest, HostileNamesAreEscapedInTheRenderedSvg) {
  auto f = hostile();
  DiagramView view = select_view(f->analysis, f->scores, DiagramOptions{});
  std::string svg = render_diagram(f->analysis, f->scores, view, DiagramOptions{}, "svg");
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("中文"), std::string::npos);
  EXPECT_EQ(svg.find('\x01'), std::string::npos);
}

TEST(HtmlTest, HostileNamesAreEscaped) {
  auto f = hostile();
  std::ostringstream out;
  report::Options options;
  options.diagram = "graph.svg";
  options.diagram_note = "note <b>";
  options.node_details = true;
  write_html(out, report::analysis_report(f->analysis, &f->scores, options), "<svg></svg>");
  std::string html = out.str();
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("note &lt;b&gt;"), std::string::npos);
  // Self-contained: no external resources.
  EXPECT_EQ(html.find("http://"), html.find("http://x"));
  EXPECT_EQ(html.find("src=\""), std::string::npos);
}

TEST(CsvTest, FieldsAreQuotedAndFormulasDisarmed) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("=SUM(A1:A9)"), "'=SUM(A1:A9)");
  EXPECT_EQ(csv_field("+1"), "'+1");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  // A negative number alone is a number, not a formula: guarded, it would import as text.
  EXPECT_EQ(csv_field("-0.12"), "-0.12");
  EXPECT_EQ(csv_field("-1e-05"), "-1e-05");
  EXPECT_EQ(csv_field("-0.12 "), "'-0.12 ");
  EXPECT_EQ(csv_field("@cmd"), "'@cmd");
  EXPECT_EQ(csv_field("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv_field(""), "");
  // Hidden behind white space, line breaks or full-width forms, a formula is still disarmed.
  EXPECT_EQ(csv_field("  =1+1"), "'  =1+1");
  EXPECT_EQ(csv_field("\n=1+1"), "\"'\n=1+1\"");
  EXPECT_EQ(csv_field("\xEF\xBC\x9D"
                      "1+1"),
            "'\xEF\xBC\x9D"
            "1+1");
  EXPECT_EQ(csv_field(" plain"), " plain");
  EXPECT_EQ(csv_field(std::string("nul\0here", 8)), "nulhere");
}

TEST(XmlTest, NoncharactersAndControlsAreDropped) {
  EXPECT_EQ(xml_escape("a\xEF\xBF\xBE"
                       "b\xEF\xBF\xBF"
                       "c\x01"
                       "d\xEF\xBF\xBD"
                       "e"),
            "abcd\xEF\xBF\xBD"
            "e");
}

TEST(CsvTest, NodesCsvHasOneRowPerNodeAndNoLiveFormula) {
  auto f = hostile();
  std::ostringstream out;
  write_nodes_csv(out, f->analysis, f->scores);
  std::string csv = out.str();
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(csv.find("\r\nedge,\"'=HYPERLINK(\"\"http://x\"\")\",firm,"), std::string::npos);
  EXPECT_NE(csv.find("\r\nstrict,'-2+3 | pipe"), std::string::npos);
  // No row starts a field with a bare formula character.
  EXPECT_EQ(csv.find(",="), std::string::npos);
  EXPECT_EQ(csv.find(",\"="), std::string::npos);
}

TEST(MarkdownTest, TableCellsAreEscaped) {
  EXPECT_EQ(markdown_escape("a|b *c* _d_ `e` [f](g) <h> & #"),
            "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) &lt;h&gt; &amp; \\#");
  EXPECT_EQ(markdown_escape("one\ntwo\x01"), "one two");
}

// Without gnuplot (a system where it is missing), a timeline's report set loses only its charts:
// the Markdown, JSON, CSV and HTML (without the chart inline) are written, the error names the
// charts, and the exit status is 3. Written alone, the chart is an error as before.
// gnuplot reads tic labels as format strings: a row label with '%' (the coalition sweep's
// "below 10 %") stopped it before the label was escaped.
TEST(ChartTest, RowLabelsKeepTheirPercentSigns) {
  RangeChart chart;
  chart.title = "Bars at 50 %";
  chart.legend = {"band"};
  for (std::string label : {"below 10 %", "100% and more", "%s %d %%"}) {
    RangeRow row;
    row.label = label;
    row.segments.push_back(RangeSegment{0.2, 0.6, 0});
    chart.rows.push_back(row);
  }
  std::string svg = draw_range_chart(chart, "svg");
  EXPECT_NE(svg.find(">below 10 %<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">100% and more<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">%s %d %%<"), std::string::npos) << svg;
}

// An end label moved off its line's end (labels are kept apart) is tied to it by a dotted
// leader in the line's colour; one at its line's end has none; a long one ends in an ellipsis.
TEST(ChartTest, AnEndLabelMovedOffItsLineHasALeader) {
  LineChart chart;
  chart.x_label = "month";
  ChartPanel panel;
  panel.y_max = 1.05;
  ChartSeries moved;
  moved.label = "moved";
  moved.values = {1, 0.9, 0.3};
  moved.label_y = 0.6;  // 30 points above its end
  ChartSeries kept;
  kept.label = "a label longer than the right margin holds it whole";
  kept.values = {1, 1, 1};
  kept.label_y = 1.0;
  kept.style = 1;
  panel.series = {moved, kept};
  chart.panels.push_back(panel);
  std::string svg = draw_line_chart(chart, "svg");
  EXPECT_NE(svg.find(">moved<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">a label longer than the right mar…<"), std::string::npos) << svg;
  // gnuplot draws an arrow without a head as a path of its own in the line's colour, dotted.
  std::size_t leaders = 0;
  for (auto at = svg.find("stroke-dasharray"); at != std::string::npos;
       at = svg.find("stroke-dasharray", at + 1))
    ++leaders;
  LineChart plain = chart;
  plain.panels[0].series[0].label_y = 0.3;  // at its end
  std::string svg2 = draw_line_chart(plain, "svg");
  std::size_t leaders2 = 0;
  for (auto at = svg2.find("stroke-dasharray"); at != std::string::npos;
       at = svg2.find("stroke-dasharray", at + 1))
    ++leaders2;
  EXPECT_GT(leaders, leaders2);
}

// ... and cuts what such a format gives at about 50 bytes: "below 10 % (none (all 18
// candidates together: 58 %))" was drawn as "… together: 58 ". A long label with a percent sign
// is shortened with an ellipsis; one without keeps its length.
TEST(ChartTest, LongRowLabelsWithPercentSignsEndInAnEllipsisNotMidWord) {
  RangeChart chart;
  chart.legend = {"band"};
  for (std::string label : {"below 10 % (none (all 18 candidates together: 58 %))",
                            "a label without a percent sign that is longer than fifty bytes"}) {
    RangeRow row;
    row.label = label;
    row.segments.push_back(RangeSegment{0.2, 0.6, 0});
    chart.rows.push_back(row);
  }
  std::string svg = draw_range_chart(chart, "svg");
  // 48 bytes with the ellipsis (3): the first 45 of the label.
  EXPECT_NE(svg.find(">below 10 % (none (all 18 candidates together:…<"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">a label without a percent sign that is longer than fifty bytes<"),
            std::string::npos)
      << svg;
}

// A heading longer than every row label (a sweep of one target: "New tool deliveries to China's
// advanced-node fabs" over "lost", "below 10 %", ...) ran over the axis, which gnuplot placed by
// the row labels alone: the axis now sits past the heading (13 px text: about 6 px a character,
// so 306 px for its 51 characters; the row labels end at the axis, right-aligned).
TEST(ChartTest, AHeadingLongerThanTheRowLabelsEndsBeforeTheAxis) {
  RangeChart chart;
  chart.legend = {"band"};
  RangeRow heading;
  heading.label = "New tool deliveries to China's advanced-node fabs";
  heading.heading = true;
  chart.rows.push_back(heading);
  for (std::string label : {"lost", "below 10 %"}) {
    RangeRow row;
    row.label = label;
    row.segments.push_back(RangeSegment{0, 1, 0});
    chart.rows.push_back(row);
  }
  std::string svg = draw_range_chart(chart, "svg");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      svg, m,
      std::regex(R"re(translate\(([0-9.]+),[0-9.]+\)[^>]*text-anchor="end">\s*<text>lost<)re")))
      << svg;
  EXPECT_GT(std::stod(m[1].str()), 51 * 6.0) << svg;
  EXPECT_NE(svg.find(">New tool deliveries to China's advanced-node fabs<"), std::string::npos);
}

TEST(OutDirTest, AChartThatCannotBeDrawnCostsOnlyItsOwnFile) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_nochart_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "empty-path");
  std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", (dir / "empty-path").c_str(), 1);
  std::string out, err;
  int rc = testing::run_cli(
      "timeline data/examples/timeline.yaml -s "
      "data/examples/scenarios/timeline-foundry-outage.yaml --out-dir " +
          (dir / "set").string(),
      &out, &err);
  int alone = testing::run_cli(
      "timeline data/examples/timeline.yaml -s "
      "data/examples/scenarios/timeline-foundry-outage.yaml -o " +
          (dir / "chart.svg").string(),
      &out, &out);
  ::setenv("PATH", old_path.c_str(), 1);
  EXPECT_EQ(rc, 3);
  EXPECT_NE(err.find("error: timeline.svg, timeline.png: not drawn: cannot run gnuplot; install "
                     "the gnuplot-nox package; the other 4 files are written in " +
                     (dir / "set").string()),
            std::string::npos)
      << err;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir / "set"))
    files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"timeline.csv", "timeline.html", "timeline.json",
                                             "timeline.md"}));
  EXPECT_EQ(alone, 3);
  EXPECT_FALSE(std::filesystem::exists(dir / "chart.svg"));
  std::filesystem::remove_all(dir);
}

TEST(OutDirTest, WritesEveryFileOfTheReportSet) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_outdir_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml --out-dir " + dir.string(), &out, &err),
      0)
      << err;
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    files.push_back(e.path().filename().string());
  std::sort(files.begin(), files.end());
  EXPECT_EQ(files, (std::vector<std::string>{"edges.csv", "graph.dot", "graph.svg", "nodes.csv",
                                             "report.html", "report.json", "report.md"}));
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_EQ(slurp(dir / "report.json"),
            slurp(testing::source_path("tests/data/golden/minimal-analyze.json")));
  EXPECT_EQ(slurp(dir / "graph.svg"),
            slurp(testing::source_path("tests/data/golden/minimal-graph.svg")));
  EXPECT_EQ(slurp(dir / "edges.csv"),
            slurp(testing::source_path("tests/data/golden/minimal-edges.csv")));
  EXPECT_EQ(slurp(dir / "report.html"),
            slurp(testing::source_path("tests/data/golden/minimal-report.html")));
  std::filesystem::remove_all(dir);
}

Model load_dataset() {
  testing::Loaded l;
  l.model = load_graph(testing::source_path("data/ai-supply-chain.yaml"), l.files, l.diags);
  if (!l.model) throw std::runtime_error("the dataset did not load");
  return std::move(*l.model);
}

// A view above --max-nodes is not refused: it is drawn as the overview by stage, and stderr
// says so with the way to a full drawing.
TEST(RenderTest, OversizedViewIsDrawnAsTheOverviewWithANote) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("render data/ai-supply-chain.yaml -o - --format svg --max-nodes 50",
                             &out, &err),
            0);
  Model dataset = load_dataset();  // the count follows the dataset
  EXPECT_EQ(err, fmt::format("note: the view has {} nodes, above --max-nodes 50: drawn as the "
                             "overview by stage (targets and critical nodes; the rest merged per "
                             "stage). Narrow it with --focus ID --depth N or --min-severity high, "
                             "or raise --max-nodes\n",
                             dataset.nodes.size()));
  EXPECT_NE(svg_text(out).find(stage_names().front()), std::string::npos);  // a stage column
  // The same for DOT text.
  EXPECT_EQ(testing::run_cli("render data/ai-supply-chain.yaml -o - --format dot --max-nodes 50",
                             &out, &err),
            0);
  EXPECT_NE(out.find(stage_names().back()), std::string::npos);
  EXPECT_NE(err.find("above --max-nodes 50"), std::string::npos);
  EXPECT_EQ(testing::run_cli("render data/examples/minimal.yaml -o x.txt", &out, &err), 2);
  EXPECT_EQ(testing::run_cli("render data/examples/minimal.yaml -o - --format svg --focus gpuu",
                             &out, &err),
            2);
  EXPECT_EQ(err, "error: unknown node 'gpuu' in --focus; did you mean 'gpu'?\n");
}

// dot for small views, sfdp above kDotLimit nodes and edges (dot would take minutes), the
// overview above kSfdpLimit; an explicit --layout dot gives way the same, with a note.
TEST(RenderTest, LayoutFollowsTheViewsSize) {
  auto chain = [](int n) {
    std::string y = "nodes:\n  - {id: n0, kind: firm}\n";
    for (int i = 1; i < n; ++i)
      y += fmt::format("  - {{id: n{}, kind: chip, inputs: [n{}]}}\n", i, i - 1);
    return y;
  };
  for (auto [n, expected] : {std::pair{2000, "dot"}, std::pair{2001, "sfdp"},
                             std::pair{22500, "sfdp"}, std::pair{22501, ""}}) {
    auto loaded = testing::load_text(chain(n));  // n nodes and n - 1 edges
    ASSERT_TRUE(loaded->model.has_value());
    DiagramView view{loaded->model->by_id(), ""};
    std::string note;
    EXPECT_EQ(layout_for(*loaded->model, view, "auto", &note), expected) << n;
    std::string as_dot = layout_for(*loaded->model, view, "dot", &note);
    EXPECT_EQ(as_dot, expected) << n;
    if (std::string(expected) == "sfdp") {
      EXPECT_EQ(note, fmt::format("{} nodes and {} edges: laid out with sfdp, as dot takes "
                                  "minutes above about 4000 nodes and edges. --focus ID --depth "
                                  "N or --min-severity high give a layered drawing",
                                  n, n - 1));
    }
    if (std::string(expected).empty()) {
      EXPECT_EQ(note, fmt::format("{} nodes and {} edges are more than any layout draws in 30 s: "
                                  "drawn as the overview by stage. Narrow the view with --focus "
                                  "ID --depth N or --min-severity high",
                                  n, n - 1));
    }
    EXPECT_EQ(layout_for(*loaded->model, view, "sfdp"),
              std::string(expected).empty() ? "" : "sfdp");
  }
  EXPECT_THROW(layout_for(Model{}, DiagramView{}, "neato"), UsageError);
}

TEST(RenderTest, PngAndPdfAreProduced) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("render data/examples/minimal.yaml --format png -o -", &out, &err), 0)
      << err;
  EXPECT_EQ(out.substr(0, 8), "\x89PNG\r\n\x1a\n");
  ASSERT_EQ(testing::run_cli("render data/examples/minimal.yaml --format pdf -o -", &out, &err), 0)
      << err;
  EXPECT_EQ(out.substr(0, 5), "%PDF-");
}

// Renders report.html in headless Chromium and checks it drew something: the screenshot must not
// be blank. Skipped where no browser is installed (scripts/setup.sh installs Debian's chromium).
TEST(HtmlBrowserTest, ReportRendersInHeadlessChromium) {
  const char* browser = nullptr;
  for (const char* b : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(b)) browser = b;
  if (!browser) GTEST_SKIP() << "no chromium installed; run scripts/setup.sh to install it";
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_html_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string out, err;
  ASSERT_EQ(testing::run_cli(
                "analyze data/examples/minimal.yaml --format html -o " + (dir / "r.html").string(),
                &out, &err),
            0);
  std::string shot = (dir / "shot.png").string();
  std::string cmd = std::string(browser) +
                    " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                    "--disable-background-networking --disable-component-update --disable-sync "
                    "--user-data-dir=" +
                    (dir / "profile").string() + " --window-size=1200,2000 --screenshot=" + shot +
                    " file://" + (dir / "r.html").string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ASSERT_TRUE(std::filesystem::exists(shot));
  // A blank page compresses to a few kilobytes; the report with tables and a diagram does not.
  EXPECT_GT(std::filesystem::file_size(shot), 30'000u);
  std::filesystem::remove_all(dir);
}

// The Markdown and HTML reports render one report model: the same sections in the same order
// and the same numbers in their tables (the HTML adds only its reference section of every node).
TEST(ReportModelTest, MarkdownAndHtmlHaveTheSameSectionsAndNumbers) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_same_" + std::to_string(::getpid()));
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --embargo 'US,NL>KR' "
                             "--capacity tsmc=0.5 --out-dir " +
                                 dir.string(),
                             &out, &err),
            0)
      << err;
  auto slurp = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  std::string md = slurp(dir / "report.md"), html = slurp(dir / "report.html");
  // Less the HTML's reference section of every node, which ends where the provenance begins.
  html = html.substr(0, html.find("<h2 id=\"nodes\">")) +
         html.substr(html.find("<section id=\"provenance\">"));
  std::vector<std::string> md_titles, html_titles;
  std::regex md_heading(R"(^#{1,3} (.*)$)", std::regex::multiline);
  for (std::sregex_iterator i(md.begin(), md.end(), md_heading), e; i != e; ++i)
    md_titles.push_back((*i)[1]);
  std::regex html_heading(R"(<h[1-3][^>]*>([^<]*)</h[1-3]>)");
  for (std::sregex_iterator i(html.begin(), html.end(), html_heading), e; i != e; ++i)
    html_titles.push_back((*i)[1]);
  EXPECT_EQ(md_titles, html_titles);
  EXPECT_GE(md_titles.size(), 8u);
  // Numbers in table cells, in order (Markdown rows start with '|'; HTML cells are <td>).
  auto numbers_in = [](const std::string& text, std::vector<std::string>& into) {
    std::regex number(R"(-?[0-9]+(\.[0-9]+)?)");
    for (std::sregex_iterator i(text.begin(), text.end(), number), e; i != e; ++i)
      into.push_back(i->str());
  };
  std::vector<std::string> md_numbers, html_numbers;
  // Markdown table rows, without each table's header row (the one above its |---| line).
  std::vector<std::string> lines;
  std::istringstream stream(md);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  auto separator = [](const std::string& l) { return l.rfind("|---", 0) == 0; };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.rfind("|", 0) != 0 || separator(line)) continue;
    if (i + 1 < lines.size() && separator(lines[i + 1])) continue;
    numbers_in(std::regex_replace(line, std::regex("`[a-z0-9-]+`"), ""), md_numbers);
  }
  std::regex td(R"(<td[^>]*>(.*?)</td>)");
  for (std::sregex_iterator i(html.begin(), html.end(), td), e; i != e; ++i) {
    std::string cell = std::regex_replace(i->str(1), std::regex("<code>[a-z0-9-]+</code>"), "");
    cell = std::regex_replace(cell, std::regex("<[^>]*>"), "");
    numbers_in(cell, html_numbers);
  }
  EXPECT_EQ(md_numbers, html_numbers);
  EXPECT_GE(md_numbers.size(), 20u);
  std::filesystem::remove_all(dir);
}

// A 100,000-node report opens in a browser within seconds: the node table is drawn a page at a
// time from JSON and node details are made when a link asks for one. A probe put right after
// the page's script searches the table as soon as the page can be used, and notes the time since
// navigation began (performance.now()); then it opens a node by its link. Timed on purpose:
// "interactive within 10 s" is the requirement (issue 28), measured in the page, not around the
// browser's start.
std::string slurp_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(HtmlBrowserTest, HundredThousandNodeReportIsInteractiveWithinTenSeconds) {
  const char* browser = nullptr;
  for (const char* b : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(b)) browser = b;
  if (!browser) GTEST_SKIP() << "no chromium installed; run scripts/setup.sh to install it";
  auto dir = std::filesystem::temp_directory_path() /
             ("chokepoint_html_big_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string graph = (dir / "g.yaml").string(), html = (dir / "r.html").string();
  ASSERT_EQ(std::system(("cd '" + testing::source_path("") +
                         "' && python3 bench/generate.py "
                         "--nodes 100000 --seed 1 > '" +
                         graph + "'")
                            .c_str()),
            0);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze '" + graph + "' --order 1 --format html -o '" + html + "'",
                             &out, &err),
            0)
      << err;
  std::string page = slurp_file(html);
  const std::string probe = R"(<script>
(function () {
  var r = {};
  var t = document.getElementById('nodes-table');
  var box = t.previousElementSibling, q = box.querySelector('input');
  r.rowsDrawn = t.tBodies[0].rows.length;
  r.pager = t.nextElementSibling.querySelector('.where').textContent;
  q.value = 'firm 13 '; q.dispatchEvent(new Event('input'));
  r.interactive = performance.now();
  r.found = Array.from(t.tBodies[0].rows).map(function (x) { return x.cells[0].textContent; });
  window.probe = r;
})();
</script>
<script>
window.addEventListener('load', function () {
  var r = window.probe || {error: 'the first probe did not finish'};
  try {
    location.hash = '#node-firm-000013'; openHash();
    var d = document.getElementById('node-firm-000013');
    r.details = d ? d.tagName + (d.open ? ' open' : '') : null;
    r.detailsText = d ? d.textContent.indexOf('is the only supplier of') >= 0 : false;
  } catch (e) { r.error = String(e); }
  // What --dump-dom prints stays small: the page's data is gone once used.
  document.querySelectorAll('script, table').forEach(function (x) { x.remove(); });
  var pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = JSON.stringify(r); document.body.appendChild(pre);
});
</script>
)";
  // Right after the page's own script, before the node details' JSON.
  auto at = page.find("</script>\n", page.find("var collator"));
  ASSERT_NE(at, std::string::npos);
  page.insert(at + 10, probe);
  std::ofstream(dir / "probe.html") << page;
  std::string dump = (dir / "dom.html").string();
  std::string cmd = std::string(browser) +
                    " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                    "--disable-background-networking --disable-component-update --disable-sync "
                    "--user-data-dir=" +
                    (dir / "profile").string() + " --dump-dom file://" +
                    (dir / "probe.html").string() + " > " + dump + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::string dom = slurp_file(dump);
  auto start = dom.find("<pre id=\"probe\">");
  ASSERT_NE(start, std::string::npos) << dom.substr(0, 2000);
  start += std::string("<pre id=\"probe\">").size();
  auto result = nlohmann::json::parse(dom.substr(start, dom.find("</pre>", start) - start));
  EXPECT_EQ(result["rowsDrawn"], 100);  // one page, not 99,925 rows
  EXPECT_EQ(result["pager"], "rows 1\u2013100 of 99925");
  EXPECT_EQ(result["found"], nlohmann::json::array({"Firm 13 Holdings firm-000013"}));
  EXPECT_LT(result["interactive"].get<double>(), 10'000) << "ms from navigation to a search";
  EXPECT_EQ(result["details"], "DETAILS open");
  EXPECT_EQ(result["detailsText"], true);
  std::cerr << "100,000-node report: " << std::filesystem::file_size(html) / 1'000'000
            << " MB, searchable after " << result["interactive"].get<double>() << " ms\n";
  std::filesystem::remove_all(dir);
}

// Drives the HTML report in headless Chromium: a script appended to a copy of the page picks a
// facet, searches, opens a node by its link and sorts by keyboard, then writes what it saw into
// the page, which --dump-dom prints. The expected values come from the graph, not the page.
TEST(HtmlBrowserTest, SearchFiltersAndALinkOpensItsDetails) {
  const char* browser = nullptr;
  for (const char* b : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (std::filesystem::exists(b)) browser = b;
  if (!browser) GTEST_SKIP() << "no chromium installed; run scripts/setup.sh to install it";
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_html_js_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string page, err;
  ASSERT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --format html", &page, &err), 0);
  const std::string probe = R"(<script>
window.addEventListener('load', function () {
  var r = {};
  var t = document.querySelector('table.searchable');
  var box = t.previousElementSibling;
  var q = box.querySelector('input');
  var kind = box.querySelectorAll('select')[0];
  function shown() {
    return Array.from(t.tBodies[0].rows).filter(function (x) { return !x.hidden; })
      .map(function (x) { var a = x.cells[0].querySelector('a'); return a.getAttribute('href').slice(6); });
  }
  kind.value = 'firm'; kind.dispatchEvent(new Event('change'));
  r.firms = shown().sort().join(' ');
  q.value = 'samsung'; q.dispatchEvent(new Event('input'));
  r.firmsSearched = shown().join(' ');
  kind.value = ''; kind.dispatchEvent(new Event('change'));
  q.value = ''; q.dispatchEvent(new Event('input'));
  r.all = shown().length;
  var jur = box.querySelectorAll('select')[1];
  jur.value = Array.from(jur.options).filter(function (o) { return o.textContent === '(none)'; })[0].value;
  jur.dispatchEvent(new Event('change'));
  r.none = shown().sort().join(' ');
  jur.value = ''; jur.dispatchEvent(new Event('change'));
  r.ids = Array.from(document.querySelectorAll('[id]')).map(function (e) { return e.id; });
  r.closedBefore = !document.getElementById('node-euv').open;
  t.querySelector('a[href="#node-euv"]').click();
  var score = Array.from(t.tHead.rows[0].cells).filter(function (c) { return c.textContent === 'score'; })[0];
  r.focusable = score.tabIndex === 0;
  score.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
  r.sort1 = score.getAttribute('aria-sort');
  score.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
  r.sort2 = score.getAttribute('aria-sort');
  r.top = shown()[0];
  setTimeout(function () {
    r.openAfter = document.getElementById('node-euv').open;
    var pre = document.createElement('pre'); pre.id = 'probe';
    pre.textContent = JSON.stringify(r); document.body.appendChild(pre);
  }, 50);
});
</script>)";
  auto at = page.rfind("</body>");
  ASSERT_NE(at, std::string::npos);
  page.insert(at, probe);
  std::ofstream(dir / "probe.html") << page;
  std::string dump = (dir / "dom.html").string();
  std::string cmd = std::string(browser) +
                    " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                    "--disable-background-networking --disable-component-update --disable-sync "
                    "--virtual-time-budget=5000 --user-data-dir=" +
                    (dir / "profile").string() + " --dump-dom file://" +
                    (dir / "probe.html").string() + " > " + dump + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(dump);
  std::string dom((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto start = dom.find("<pre id=\"probe\">");
  ASSERT_NE(start, std::string::npos) << dom.substr(0, 2000);
  start += std::string("<pre id=\"probe\">").size();
  auto result = nlohmann::json::parse(dom.substr(start, dom.find("</pre>", start) - start));
  // The graph's firms, by id; the search narrows them; clearing both shows every node.
  std::ifstream graph(testing::source_path("data/examples/minimal.yaml"));
  Model m = testing::must_load(
      std::string((std::istreambuf_iterator<char>(graph)), std::istreambuf_iterator<char>()));
  std::vector<std::string> firms;
  for (const auto& n : m.nodes)
    if (n.kind == "firm") firms.push_back(n.id);
  std::sort(firms.begin(), firms.end());
  std::string expected_firms;
  for (const auto& f : firms) expected_firms += (expected_firms.empty() ? "" : " ") + f;
  EXPECT_EQ(result["firms"], expected_firms);
  EXPECT_EQ(result["firmsSearched"], "samsung");
  EXPECT_EQ(result["all"], m.nodes.size());
  // "(none)" shows the nodes without a jurisdiction, not every row.
  std::vector<std::string> none;
  for (const auto& n : m.nodes)
    if (n.jurisdiction == kNoJurisdiction) none.push_back(n.id);
  std::sort(none.begin(), none.end());
  std::string expected_none;
  for (const auto& n : none) expected_none += (expected_none.empty() ? "" : " ") + n;
  EXPECT_EQ(result["none"], expected_none);
  EXPECT_FALSE(none.empty());
  // No element id is used twice (the "All nodes" heading and its table once shared "nodes").
  std::set<std::string> ids;
  for (const auto& id : result["ids"]) EXPECT_TRUE(ids.insert(id.get<std::string>()).second) << id;
  EXPECT_EQ(result["closedBefore"], true);
  EXPECT_EQ(result["openAfter"], true);  // the link opened the node's details
  EXPECT_EQ(result["focusable"], true);
  EXPECT_EQ(result["sort1"], "ascending");
  EXPECT_EQ(result["sort2"], "descending");
  // Sorted by score, descending: five nodes at 100 (tests/data/golden/minimal-nodes.csv), the
  // first of them by id first.
  EXPECT_EQ(result["top"], "asml");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class AtomicWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Tests before this one read files in this process (load_graph notes each as an input) and
    // deleted them; a new file here can reuse such a file's inode and read as "an input".
    inputs::forget_all();
    dir_ = std::filesystem::temp_directory_path() /
           ("chokepoint_atomic_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "report.json").string();
    std::ofstream(path_) << "previous report\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(AtomicWriteTest, AFailedWriteLeavesThePreviousFileAndNoTemporary) {
  EXPECT_THROW(write_atomically(path_,
                                [](std::ostream& out) {
                                  out << "half a rep";
                                  throw IoError("disk on fire");
                                }),
               IoError);
  EXPECT_EQ(read_all(path_), "previous report\n");
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1u);
}

TEST_F(AtomicWriteTest, ASuccessfulWriteReplacesTheFile) {
  write_atomically(path_, [](std::ostream& out) { out << "new report\n"; });
  EXPECT_EQ(read_all(path_), "new report\n");
}

TEST_F(AtomicWriteTest, ASymlinkIsFollowedAndKept) {
  auto link = dir_ / "latest.json";
  std::filesystem::create_symlink("report.json", link);
  write_atomically(link.string(), [](std::ostream& out) { out << "new report\n"; });
  EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(link)));
  EXPECT_EQ(read_all(path_), "new report\n");
}

// A FIFO is written in place (a reader gets the report) and stays a FIFO.
TEST_F(AtomicWriteTest, AFifoIsWrittenInPlace) {
  auto fifo = dir_ / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = read_all(fifo.string()); });
  write_atomically(fifo.string(), [](std::ostream& out) { out << "through the pipe\n"; });
  reader.join();
  EXPECT_EQ(got, "through the pipe\n");
  EXPECT_TRUE(std::filesystem::is_fifo(fifo));
}

// A device that refuses writes (a link to /dev/full: the link, not the device, is what a
// regression would replace) is reported with its reason, not as success.
TEST_F(AtomicWriteTest, AWriteErrorOnADeviceIsReported) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  auto link = dir_ / "full";
  std::filesystem::create_symlink("/dev/full", link);
  try {
    write_atomically(link.string(), [](std::ostream& out) { out << std::string(1 << 16, 'x'); });
    ADD_FAILURE() << "no error";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write '" + link.string() + "': No space left on device");
  }
  EXPECT_TRUE(std::filesystem::is_symlink(std::filesystem::symlink_status(link)));
}

// Kills a run at several moments while it writes a large report over an existing one: the file
// is always either the previous report or the whole new one, never a part.
TEST_F(AtomicWriteTest, KillingARunNeverLeavesHalfAReport) {
  std::string graph = (dir_ / "g.yaml").string();
  ASSERT_EQ(std::system(("python3 '" + testing::source_path("bench/generate.py") +
                         "' --nodes 20000 --seed 3 > '" + graph + "'")
                            .c_str()),
            0);
  std::string out, err;
  ASSERT_EQ(
      testing::run_cli("analyze '" + graph + "' --order 1 --format json -o '" + path_ + ".full'",
                       &out, &err),
      0)
      << err;
  std::string full = read_all(path_ + ".full");
  ASSERT_GT(full.size(), 1'000'000u);
  for (const char* after : {"0.2", "0.5", "0.8", "1.1", "1.4"}) {
    std::ofstream(path_) << "previous report\n";
    std::string cmd = std::string("timeout -s KILL ") + after + " '" + CHOKEPOINT_BINARY +
                      "' analyze '" + graph + "' --order 1 --format json -o '" + path_ +
                      "' >/dev/null 2>&1";
    (void)std::system(cmd.c_str());
    std::string now = read_all(path_);
    EXPECT_TRUE(now == "previous report\n" || now == full)
        << "killed after " << after << " s: " << now.size() << " bytes";
  }
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// GraphML and GEXF must open in other tools with their attributes; NetworkX's readers (which
// follow the same schemas as Gephi's importers) stand in for Gephi here.
TEST(GraphFileTest, GraphmlAndGexfReadBackWithAttributes) {
  if (std::system("python3 -c 'import networkx' >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "python3-networkx is not installed; run scripts/setup.sh";
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_gephi_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string out, err;
  for (const char* ext : {"graphml", "gexf"})
    ASSERT_EQ(testing::run_cli(std::string("render data/examples/minimal.yaml -o ") +
                                   (dir / (std::string("g.") + ext)).string(),
                               &out, &err),
              0)
        << err;
  std::string script =
      "import networkx as nx, sys\n"
      "g = nx.read_graphml(sys.argv[1]); h = nx.read_gexf(sys.argv[2])\n"
      "assert g.number_of_nodes() == 12 and g.number_of_edges() == 11, g\n"
      "assert h.number_of_nodes() == 12 and h.number_of_edges() == 11, h\n"
      "a = g.nodes['asml']; assert (a['name'], a['kind'], a['jurisdiction'], a['severity']) == "
      "('ASML', 'firm', 'NL', 'critical'), a\n"
      "e = g.edges['skh', 'hbm']; assert (e['role'], e['share']) == ('supplier', 0.5), e\n"
      "b = h.nodes['hbm']; assert (b['label'], b['severity']) == ('HBM3E', 'critical'), b\n"
      "assert h.edges['samsung', 'hbm']['weight'] == 0.4\n";
  std::ofstream(dir / "check.py") << script;
  std::string cmd = "python3 '" + (dir / "check.py").string() + "' '" +
                    (dir / "g.graphml").string() + "' '" + (dir / "g.gexf").string() + "'";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// Found by fuzz_dot: a node named "-." made agwrite emit tooltip=-. unquoted, which Graphviz
// then could not read back.
TEST(DotTest, NumberLikeNamesStayReadable) {
  for (const char* name : {"-.", "-", ".", "1.2.3", "-1", "1e5"}) {
    Model m = testing::must_load(std::string("nodes:\n  - {id: n, name: \"") + name +
                                 "\", kind: firm, target: true}\n");
    Analysis a = analyze(m, std::nullopt, AnalysisOptions{});
    std::vector<rules::NodeScore> scores(1);
    std::string dot = to_dot(a, scores, DiagramView{{0}, ""}, DiagramOptions{});
    auto labels = parse_dot_labels(dot);
    ASSERT_FALSE(labels.empty()) << name;
    EXPECT_NE(labels[0].second.find(std::string("<B>") + name + "</B>"), std::string::npos) << name;
  }
}

TEST(OverviewTest, ANodeDrawnWithASmallSupplierShowsItsLargestToo) {
  Model m = testing::must_load(R"(
nodes:
  - {id: big, kind: firm}
  - {id: small, kind: firm}
  - {id: metrology, kind: equipment, suppliers: [{id: big, share: 0.9}, {id: small, share: 0.1}]}
  - {id: t, kind: capability, target: true, inputs: [metrology]}
  - {id: x1, kind: firm}
  - {id: x2, kind: firm}
  - {id: x3, kind: firm}
  - {id: x4, kind: firm}
  - {id: x5, kind: firm}
  - {id: x6, kind: firm}
  - {id: x7, kind: firm}
  - {id: x8, kind: firm}
)");
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  std::vector<rules::NodeScore> scores(m.nodes.size());
  scores[*m.find("small")].severity = rules::Level::critical;  // the seed: small, metrology, t
  DiagramView view = overview_view(a, scores, 8);
  std::vector<std::string> ids;
  for (NodeIndex n : view.nodes) ids.push_back(m.nodes[n].id);
  EXPECT_EQ(ids, (std::vector<std::string>{"big", "metrology", "small", "t"}));
}

TEST(RenderTest, SeveralFocusNodesAndATitle) {
  std::string out, err;
  ASSERT_EQ(testing::run_cli("render data/ai-supply-chain.yaml --focus hbm3e,hbm2e --depth 1 "
                             "--title 'HBM supply' --format dot -o -",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("HBM supply"), std::string::npos);
  // Ids with a '-' are quoted in DOT.
  for (const char* id : {"\thbm3e\t", "\thbm2e\t", "\t\"sk-hynix\"\t", "\tcxmt\t"})
    EXPECT_NE(out.find(id), std::string::npos) << id;
  EXPECT_EQ(out.find("\thbm3\t"), std::string::npos);  // not asked for
  EXPECT_EQ(
      testing::run_cli("render data/ai-supply-chain.yaml --focus hbm3e,hbm9 -o -", &out, &err), 2);
  EXPECT_EQ(err, "error: unknown node 'hbm9' in --focus; did you mean 'hbm3'?\n");
}

// The report's overview of the shipped dataset under today's controls, printed on landscape A4:
// every label at 8 pt or more, every target and every critical node drawn.
TEST(OverviewTest, TheDatasetOverviewReadsOnA4AndShowsEveryTargetAndCriticalNode) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_a4_" + std::to_string(::getpid()));
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml -s "
                             "data/scenarios/controls-2025.yaml --out-dir " +
                                 dir.string(),
                             &out, &err),
            0)
      << err;
  // A target the controls lower is drawn with what lowers it, not pruned to the rated nodes:
  // China's new clusters (19 %) with the H20 and its domestic accelerators, not its cloud and
  // cooling alone.
  {
    std::ifstream target(dir / "target-cn-new-compute.svg");
    std::string drawn((std::istreambuf_iterator<char>(target)), std::istreambuf_iterator<char>());
    EXPECT_NE(drawn.find("the nodes the scenario lowers"), std::string::npos);
    EXPECT_NE(drawn.find("<title>h20</title>"), std::string::npos);
    EXPECT_NE(drawn.find("<title>cn&#45;domestic&#45;accelerators</title>"), std::string::npos);
    EXPECT_EQ(drawn.find("<title>liquid&#45;cooling&#45;cn</title>"), std::string::npos);
  }
  std::ifstream in(dir / "graph.svg");
  std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::smatch size;
  ASSERT_TRUE(
      std::regex_search(svg, size, std::regex(R"(<svg width="([0-9.]+)pt" height="([0-9.]+)pt")")));
  EXPECT_LE(std::stod(size[1]), 11 * 72.0);  // 11 x 7.6 in: landscape A4 less margins
  EXPECT_LE(std::stod(size[2]), 7.6 * 72.0);
  std::smatch scale;
  ASSERT_TRUE(std::regex_search(svg, scale, std::regex(R"(transform="scale\(([0-9.]+))")));
  double smallest = 1e9;
  std::regex font(R"re(font-size="([0-9.]+)")re");
  for (std::sregex_iterator i(svg.begin(), svg.end(), font), e; i != e; ++i)
    smallest = std::min(smallest, std::stod((*i)[1]));
  EXPECT_GE(smallest * std::stod(scale[1]), 8.0) << "scale " << scale[1] << ", font " << smallest;
  std::ifstream report(dir / "report.json");
  auto json = nlohmann::json::parse(report);
  std::set<std::string> targets;
  for (const auto& t : json["targets"]) targets.insert(t["id"]);
  std::size_t drawn = 0;
  for (const auto& n : json["nodes"]) {
    std::string id = n["id"];
    if (n["severity"] != "critical" && !targets.count(id)) continue;
    // Graphviz writes '-' in SVG titles as &#45;.
    std::string title = std::regex_replace(id, std::regex("-"), "&#45;");
    EXPECT_NE(svg.find("<title>" + title + "</title>"), std::string::npos) << id;
    ++drawn;
  }
  EXPECT_EQ(drawn, 23u);  // the 11 targets and the 12 nodes critical under the 2025 controls
  // Targets in percent, each in its side's view (China's six in CN's view; the US, which the
  // data gives no view here, in the world's), on a line of its own.
  std::regex state(">[0-9.]+ % (ok|degraded|lost)<");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(svg.begin(), svg.end(), state), std::sregex_iterator()),
      11);
  auto count = [&](const std::string& text) {
    std::size_t k = 0;
    for (auto at = svg.find(text); at != std::string::npos; at = svg.find(text, at + 1)) ++k;
    return k;
  };
  EXPECT_EQ(count(">in CN&#39;s view<"), 6u);
  EXPECT_EQ(count(">in the world view<"), 5u);
  // And one focus diagram per target, linked from the report.
  std::ifstream md_in(dir / "report.md");
  std::string md((std::istreambuf_iterator<char>(md_in)), std::istreambuf_iterator<char>());
  for (const auto& t : targets) {
    std::string file = "target-" + t + ".svg";
    EXPECT_TRUE(std::filesystem::exists(dir / file)) << file;
    EXPECT_NE(md.find("](" + file + ")"), std::string::npos) << file;
  }
  std::filesystem::remove_all(dir);
}

TEST(DotTest, DeniedNodesAndPairsAreMarked) {
  Model m = testing::must_load(R"(
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: tools, kind: equipment, suppliers: [us-tools]}
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: cxmt, kind: firm, jurisdiction: CN}
  - {id: hbm, kind: hbm, suppliers: [{id: skh, share: 0.5}, {id: cxmt, share: 0.5}], inputs: [tools]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [hbm]}
)");
  SourceFiles files;
  Diagnostics diags;
  auto scenario = load_scenario_text("s.yaml", "scenario: {controls: [{by: [US], against: [CN]}]}",
                                     m, files, diags);
  ASSERT_TRUE(scenario.has_value());
  auto a = analyze(m, scenario, AnalysisOptions{});
  std::vector<rules::NodeScore> scores(m.nodes.size());
  DiagramView view = select_view(a, scores, DiagramOptions{});
  std::string dot = to_dot(a, scores, view, DiagramOptions{});
  // tools: its only pair is US-made, denied to CN outright; the edge into it ends in a bar.
  std::regex tools_node(R"re(\ttools\t\[[^\]]*DENIED to CN[^\]]*diagonals)re");
  EXPECT_TRUE(std::regex_search(dot, tools_node)) << dot;
  std::regex denied_edge(R"re("us-tools" -> tools\s*\[[^\]]*arrowhead=tee)re");
  EXPECT_TRUE(std::regex_search(dot, denied_edge)) << dot;
  // hbm is made in Korea and China, neither denied without the FDPR.
  EXPECT_EQ(dot.find("partly denied"), std::string::npos);
  std::regex hbm_edge(R"re(skh -> hbm\s*\[[^\]]*arrowhead=tee)re");
  EXPECT_FALSE(std::regex_search(dot, hbm_edge));
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// A4 inside half-inch margins is 523 x 770 pt; text drawn at 9 pt may shrink to 7/9 of its size.
TEST(TargetDiagramTest, FitsA4ReadsGraphvizSizes) {
  EXPECT_TRUE(fits_a4(R"(<svg width="672pt" height="990pt")"));   // portrait, at the limit
  EXPECT_TRUE(fits_a4(R"(<svg width="990pt" height="672pt")"));   // landscape
  EXPECT_FALSE(fits_a4(R"(<svg width="673pt" height="991pt")"));  // neither way round
  EXPECT_FALSE(fits_a4(R"(<svg width="2007pt" height="885pt")"));
}

// Every per-target diagram of the dataset's report set fits an A4 page with its text at 7 pt or
// more (the 9 pt labels scaled by at most 7/9), and its title says how far up it goes and in
// whose values: a Chinese target in CN's view, with the value the report gives it there (the
// overview and the targets table do; the world's, 40 % for China's accelerators, contradicted
// them), a US target, which no control here is against, in the world's.
TEST(TargetDiagramTest, TheDatasetsTargetDiagramsFitA4) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_a4_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml -s "
                             "data/scenarios/controls-2025.yaml --order 1 --out-dir " +
                                 dir.string(),
                             &out, &err),
            0)
      << err;
  std::ifstream report(dir / "report.json");
  auto json = nlohmann::json::parse(report);
  std::map<std::string, double> in_cn, in_world;
  for (const auto& t : json["targets"]) {
    in_world[t["id"]] = t["capacity"];
    if (t["views"].contains("CN")) in_cn[t["id"]] = t["views"]["CN"]["capacity"];
  }
  std::size_t diagrams = 0, chinese = 0, deeper = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.rfind("target-", 0) != 0) continue;
    ++diagrams;
    std::ifstream in(e.path());
    std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_TRUE(fits_a4(svg)) << name << ": " << svg.substr(0, 300);
    EXPECT_NE(svg.find("what it depends on, "), std::string::npos) << name;
    std::string id = name.substr(7, name.size() - 11);  // target-ID.svg
    bool china = name.rfind("target-cn-", 0) == 0;
    chinese += china;
    EXPECT_NE(svg.find(china ? "values in CN&#39;s view" : "values in the world view"),
              std::string::npos)
        << name;
    // Its ratings are the world's (this report scores the world): the title says so, where the
    // severity boxes of China's own report differ (SMIC N+2 high there, medium here).
    EXPECT_EQ(svg.find("; ratings of the world view") != std::string::npos, china) << name;
    // Only denials that move the values drawn: a US target's diagram (world view) marked the US's
    // own compute "DENIED to huawei-fabs, smic, ymtc" (those firms cannot buy it; the US loses
    // nothing), and a Chinese one marks only what is denied to CN.
    if (!china) {
      EXPECT_EQ(svg.find("enied to"), std::string::npos) << name;
    }
    for (std::size_t at = svg.find("DENIED to "); at != std::string::npos;
         at = svg.find("DENIED to ", at + 1))
      EXPECT_EQ(svg.substr(at, 13), "DENIED to CN<") << name;
    // Two levels or more where they fit, each node with a path to the target: one level drew
    // a target and its compute pool alone.
    if (svg.find("what it depends on, 1 level up<") == std::string::npos) ++deeper;
    double value = china ? in_cn.at(id) : in_world.at(id);
    // The target's own label: "degraded to 10 %" (or nothing where it is whole).
    if (value < 1 - 1e-9) {
      EXPECT_NE(svg.find("degraded to " + percent(value) + "<"), std::string::npos)
          << name << " " << value;
    }
  }
  EXPECT_EQ(diagrams, 11u);
  EXPECT_EQ(chinese, 6u);
  EXPECT_GE(deeper, 6u);  // all nine were one level up; China's accelerators one until 2025-12
  // China's accelerators: whose whole cone does not fit, drawn as the path of what the controls
  // lower, top to bottom, with the small branches (chips under 15 % of the pool) left out and
  // named in the report: the HBM that binds them was not drawn (one level, the pool alone).
  {
    std::ifstream in(dir / "target-cn-ai-accelerators.svg");
    std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(svg.find("(the nodes the scenario lowers;"), std::string::npos) << svg;
    EXPECT_NE(svg.find(">cn&#45;accelerator&#45;hbm · hbm<"), std::string::npos) << svg;
    EXPECT_NE(svg.find(">ascend&#45;910c · chip · CN<"), std::string::npos);
    EXPECT_EQ(svg.find("cambricon"), std::string::npos);
    std::ifstream md(dir / "report.md");
    std::string report((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
    EXPECT_NE(report.find("- [China domestic AI accelerator output](target-cn-ai-accelerators.svg) "
                          "(left out, each under 15 % of what it supplies: Cambricon MLU590; "),
              std::string::npos)
        << report;
  }
  EXPECT_NEAR(in_cn.at("cn-ai-accelerators"), 0.1, 0.005);  // not the world's 0.40
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chokepoint
