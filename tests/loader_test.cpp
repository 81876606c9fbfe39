// Loader tests: every rule of the input format (docs/format.md), each bad input asserting the exact
// message and position.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "graph/analysis/lint.hpp"
#include "graph/input/provenance.hpp"
#include "graph/input/scenario_builder.hpp"
#include "graph/input/yaml_tree.hpp"
#include "tests/test_util.hpp"
#include "tests/yaml_compare.hpp"

namespace chokepoint {
namespace {

using testing::load_text;
using testing::must_load;

struct BadCase {
  const char* name;
  const char* yaml;
  std::vector<std::string> expected;  // every diagnostic header, in order
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

const BadCase kBadCases[] = {
    {"UnknownTopKey",
     "nodse: []\n",
     {"t.yaml:1:1: error: unknown key 'nodse' at the top level; did you mean 'nodes'?"}},
    {"TopLevelNotMap",
     "- a\n- b\n",
     {"t.yaml:1:1: error: expected a map with 'nodes' at the top of the file, got a list"}},
    {"UnsupportedFormat",
     "format: 2\nnodes: []\n",
     {"t.yaml:1:9: error: unsupported format 2; this chokepoint reads format 1"}},
    {"MissingKind", "nodes:\n  - id: a\n", {"t.yaml:2:5: error: node 'a' has no 'kind'"}},
    {"MissingId", "nodes:\n  - kind: firm\n", {"t.yaml:2:5: error: node has no 'id'"}},
    {"EmptyId", "nodes:\n  - {id: '', kind: firm}\n", {"t.yaml:2:10: error: id must not be empty"}},
    {"BadIdCharacter",
     "nodes:\n  - {id: a/b, kind: firm}\n",
     {"t.yaml:2:10: error: id 'a/b' has '/' at position 2; ids use letters, digits and '_' '.' "
      "':' '-'"}},
    {"IdStartsWithDash",
     "nodes:\n  - {id: -a, kind: firm}\n",
     {"t.yaml:2:10: error: id '-a' must start with a letter or digit"}},
    {"IdTooLong",
     "nodes:\n  - {id: "
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, kind: firm}\n",
     {"t.yaml:2:10: error: id is 135 characters long; at most 128"}},
    {"BadKind",
     "nodes:\n  - {id: a, kind: Firm}\n",
     {"t.yaml:2:19: error: kind 'Firm' must be lower case letters, digits and '-', starting with a "
      "letter; did you mean 'firm'?"}},
    {"UnknownNodeKey",
     "nodes:\n  - {id: a, kind: firm, supplier: [b]}\n",
     {"t.yaml:2:25: error: unknown key 'supplier' in node 'a'; did you mean 'suppliers'?"}},
    {"UnknownJurisdictionAlpha3",
     "nodes:\n  - {id: a, kind: firm, jurisdiction: USA}\n",
     {"t.yaml:2:39: error: unknown jurisdiction 'USA'; did you mean 'US'?"}},
    {"UnknownJurisdictionName",
     "nodes:\n  - {id: a, kind: firm, jurisdiction: Taiwan}\n",
     {"t.yaml:2:39: error: unknown jurisdiction 'Taiwan'; did you mean 'TW'?"}},
    {"LowerCaseJurisdiction",
     "nodes:\n  - {id: a, kind: firm, jurisdiction: nl}\n",
     {"t.yaml:2:39: error: unknown jurisdiction 'nl'; did you mean 'NL'?"}},
    {"DanglingReference",
     "nodes:\n  - {id: asml, kind: firm}\n  - {id: euv, kind: lithography, suppliers: [asm]}\n",
     {"t.yaml:3:46: error: unknown node 'asm'; did you mean 'asml'?"}},
    {"DuplicateId",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: a, kind: firm}\n",
     {"t.yaml:3:10: error: duplicate id 'a'; first defined at t.yaml:2:10"}},
    {"DuplicateYamlKey",
     "nodes:\n  - id: a\n    kind: firm\n    kind: chip\n",
     {"t.yaml:4:5: error: duplicate key 'kind' (first at line 3, column 5)"}},
    {"SharesAboveOne",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: b, kind: firm}\n"
     "  - {id: c, kind: chip, suppliers: [{id: a, share: 0.7}, {id: b, share: 0.4}]}\n",
     {"t.yaml:4:36: error: shares in this group sum to 1.1; at most 1 (1.02 allowing for "
      "rounding)"}},
    {"ShareOutOfRange",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, suppliers: [{id: a, share: 1.5}]}\n",
     {"t.yaml:3:52: error: share must be between 0 and 1 (or a percentage such as \"40%\"), got "
      "1.5"}},
    {"ShareNegative",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, suppliers: [{id: a, share: "
     "-0.1}]}\n",
     {"t.yaml:3:52: error: share must be between 0 and 1 (or a percentage such as \"40%\"), got "
      "-0.1"}},
    {"ShareNaN",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, suppliers: [{id: a, share: "
     ".nan}]}\n",
     {"t.yaml:3:52: error: share must be a finite number, got .nan"}},
    {"ShareNotNumber",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, suppliers: [{id: a, share: "
     "half}]}\n",
     {"t.yaml:3:52: error: share must be a number, got 'half'"}},
    {"PercentOutOfRange",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, suppliers: [{id: a, share: "
     "140%}]}\n",
     {"t.yaml:3:52: error: share must be between 0% and 100%, got 140%"}},
    {"MemberTwice",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, suppliers: [a, a]}\n",
     {"t.yaml:3:40: error: 'a' is listed twice in this group (first at line 3, column 37)"}},
    {"NestedAny",
     "nodes:\n  - {id: a, kind: firm}\n  - id: c\n    kind: chip\n    inputs: [{any: [a, {any: "
     "[a]}]}]\n",
     {"t.yaml:5:24: error: groups cannot nest ('any' inside a group); model the inner choice as a "
      "node of its own"}},
    {"InputAsMemberMap",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, inputs: [{id: a, share: 0.5}]}\n",
     {"t.yaml:3:34: error: an input is a node id or {any: [...]}; write the id alone, or wrap "
      "alternatives in 'any'"}},
    {"MinShareAboveOne",
     "nodes:\n  - {id: a, kind: firm}\n  - {id: c, kind: chip, inputs: [{any: [a], min_share: "
     "2}]}\n",
     {"t.yaml:3:56: error: min_share must be between 0 and 1 (or a percentage such as \"40%\"), "
      "got "
      "2"}},
    {"NegativeSubstitutionYears",
     "nodes:\n  - {id: a, kind: firm, substitution_years: -1}\n",
     {"t.yaml:2:45: error: substitution_years must be 0 or more, got -1"}},
    {"TargetNotBool",
     "nodes:\n  - {id: a, kind: firm, target: yes}\n",
     {"t.yaml:2:33: error: target must be true or false, got 'yes'"}},
    {"AttrNotScalar",
     "nodes:\n  - {id: a, kind: firm, attrs: {x: [1]}}\n",
     {"t.yaml:2:36: error: attrs.x must be a number, text or true/false, got a list"}},
    {"UnknownTarget",
     "targets: [gpus]\nnodes:\n  - {id: gpu, kind: chip}\n",
     {"t.yaml:1:11: error: unknown node 'gpus'; did you mean 'gpu'?"}},
    {"BlocUnknownCode",
     "blocs:\n  allies: [US, XX]\nnodes: []\n",
     {"t.yaml:2:16: error: unknown jurisdiction 'XX'"}},
    {"BlocNamedLikeCode",
     "blocs:\n  US: [US]\nnodes: []\n",
     {"t.yaml:2:3: error: bloc 'US' has the name of a jurisdiction; pick another name"}},
    {"BadDeclaredCode",
     "jurisdictions:\n  eu: {name: EU}\nnodes: []\n",
     {"t.yaml:2:3: error: jurisdiction code 'eu' must be upper case letters, digits, '-' or '_', "
      "starting with a letter (at most 16)"}},
    {"EmptySuppliers",
     "nodes:\n  - {id: c, kind: chip, suppliers: []}\n",
     {"t.yaml:2:36: error: suppliers is empty; list at least one or leave it out"}},
    {"NodesNotList", "nodes: {a: 1}\n", {"t.yaml:1:8: error: nodes must be a list, got a map"}},
    {"NodeNotMap",
     "nodes:\n  - a\n",
     {"t.yaml:2:5: error: each node must be a map with at least 'id' and 'kind', got 'a'"}},
    {"EmptyFile", "\n\n", {"t.yaml:1:1: error: file is empty; expected a map with 'nodes'"}},
    {"SyntaxError",
     "nodes:\n  - {id: a, kind: firm\n",
     {"t.yaml:3:1: error: YAML syntax: a '{' map is not closed with '}'"}},
    // yaml-cpp ends a quote that is never closed at the end of the file without a word.
    {"UnclosedQuote",
     "nodes:\n  - {id: a, kind: firm}\n  - id: \"b\n    kind: firm\n",
     {"t.yaml:3:9: error: a quoted string starts here and is never closed: add the closing "
      "quote"}},
    {"InvalidUtf8",
     "nodes:\n  - {id: a, name: \"caf\xe9\", kind: firm}\n",
     {"t.yaml:2:23: error: invalid UTF-8 (byte 0xE9); save the file as UTF-8"}},
    {"SelfAlias",
     "nodes: &a\n  - *a\n",
     {"t.yaml:2:5: error: alias '*a' refers to a node that contains it"}},
    {"SecondDocument",
     "nodes: []\n---\nnodes: []\n",
     {"t.yaml:2:1: error: a second YAML document; a graph file holds exactly one"}},
    {"AllErrorsReported",
     "nodes:\n  - {id: a, kind: firm, jurisdiction: USA}\n  - {id: b, kind: chip, suppliers: "
     "[x]}\n",
     {"t.yaml:2:39: error: unknown jurisdiction 'USA'; did you mean 'US'?",
      "t.yaml:3:37: error: unknown node 'x'"}},
};

class LoaderBadInputTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(LoaderBadInputTest, ReportsExactMessage) {
  auto loaded = load_text(GetParam().yaml);
  EXPECT_FALSE(loaded->model.has_value());
  EXPECT_EQ(loaded->headers(), GetParam().expected) << loaded->printed();
}

INSTANTIATE_TEST_SUITE_P(Cases, LoaderBadInputTest, ::testing::ValuesIn(kBadCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(LoaderTest, PrintsSourceLineCaretAndCount) {
  auto loaded = load_text("nodes:\n  - {id: a, kind: firm, jurisdiction: USA}\n");
  EXPECT_EQ(loaded->printed(),
            "t.yaml:2:39: error: unknown jurisdiction 'USA'; did you mean 'US'?\n"
            "    - {id: a, kind: firm, jurisdiction: USA}\n"
            "                                        ^\n"
            "1 error generated.\n");
}

TEST(LoaderTest, WarnsAboutMisspelledKindButLoads) {
  auto loaded = load_text("nodes:\n  - {id: a, kind: foundary}\n");
  ASSERT_TRUE(loaded->model.has_value());
  EXPECT_EQ(loaded->headers(),
            std::vector<std::string>{"t.yaml:2:19: warning: kind 'foundary' is not a well-known "
                                     "kind; did you mean 'foundry'?"});
}

TEST(LoaderTest, SharesAreNormalisedAndUnsharedSplitRemainder) {
  // Example A's hbm group, written with one share missing and a percentage.
  Model m = must_load(
      "nodes:\n"
      "  - {id: skh, kind: firm}\n  - {id: samsung, kind: firm}\n  - {id: micron, kind: firm}\n"
      "  - id: hbm\n    kind: hbm\n"
      "    suppliers: [{id: skh, share: 0.5}, {id: samsung, share: \"40%\"}, micron]\n");
  const Node& hbm = m.nodes[*m.find("hbm")];
  ASSERT_TRUE(hbm.has_suppliers);
  ASSERT_EQ(hbm.groups[0].members.size(), 3u);
  EXPECT_DOUBLE_EQ(hbm.groups[0].members[0].weight, 0.5);
  EXPECT_DOUBLE_EQ(hbm.groups[0].members[1].weight, 0.4);
  EXPECT_NEAR(hbm.groups[0].members[2].weight, 0.1, 1e-15);
}

TEST(LoaderTest, EqualSharesWhenNoneGiven) {
  Model m = must_load(
      "nodes:\n  - {id: a, kind: firm}\n  - {id: b, kind: firm}\n  - {id: c, kind: firm}\n"
      "  - {id: p, kind: chip, inputs: [{any: [a, b, c], min_share: 0.6}]}\n");
  const Group& g = m.nodes[*m.find("p")].groups[0];
  EXPECT_EQ(g.role, Role::input);
  EXPECT_DOUBLE_EQ(g.threshold, 0.6);
  for (const auto& member : g.members) EXPECT_DOUBLE_EQ(member.weight, 1.0 / 3.0);
}

TEST(LoaderTest, SharesUpTo102AreRoundingAndNormalised) {
  Model m = must_load(
      "nodes:\n  - {id: a, kind: firm}\n  - {id: b, kind: firm}\n"
      "  - {id: p, kind: chip, suppliers: [{id: a, share: 0.51}, {id: b, share: 0.51}]}\n");
  const Group& g = m.nodes[*m.find("p")].groups[0];
  EXPECT_DOUBLE_EQ(g.members[0].weight, 0.5);
  EXPECT_DOUBLE_EQ(g.members[1].weight, 0.5);
}

TEST(LoaderTest, EdgesRunFromMemberToDependentWithRoleAndWeight) {
  Model m = must_load(
      "nodes:\n  - {id: asml, kind: firm}\n  - {id: zeiss, kind: firm}\n"
      "  - {id: euv, kind: lithography, suppliers: [asml], inputs: [zeiss]}\n");
  EXPECT_EQ(m.edge_count, 2u);
  NodeIndex asml = *m.find("asml"), euv = *m.find("euv"), zeiss = *m.find("zeiss");
  auto [e, found] = boost::edge(asml, euv, m.graph());
  ASSERT_TRUE(found);
  EXPECT_EQ(m.graph()[e].role, Role::supplier);
  EXPECT_EQ(m.graph()[e].group, 0u);
  auto [e2, found2] = boost::edge(zeiss, euv, m.graph());
  ASSERT_TRUE(found2);
  EXPECT_EQ(m.graph()[e2].role, Role::input);
  EXPECT_EQ(m.graph()[e2].group, 1u);
  auto deps = m.dependents(asml);
  EXPECT_EQ(std::vector<NodeIndex>(deps.begin(), deps.end()), std::vector<NodeIndex>{euv});
}

// The graph is held by pointer so that a move does not copy it: a copy must still be deep.
TEST(LoaderTest, AModelCopiedOrMovedKeepsItsGraph) {
  Model m = must_load("nodes:\n  - {id: a, kind: firm}\n  - {id: b, kind: chip, inputs: [a]}\n");
  Model copy = m;
  Model moved = std::move(m);
  EXPECT_NE(&copy.graph(), &moved.graph());
  for (const Model* x : {&copy, &moved}) {
    EXPECT_EQ(boost::num_edges(x->graph()), 1u);
    EXPECT_TRUE(boost::edge(*x->find("a"), *x->find("b"), x->graph()).second);
  }
  Model assigned;
  assigned = copy;
  EXPECT_EQ(boost::num_vertices(assigned.graph()), 2u);
}

// Tags, sources, attributes and group labels are held behind a pointer (most are empty): they
// read as empty when absent, and a copied model owns copies of them.
TEST(LoaderTest, RareFieldsReadEmptyAndCopyDeeply) {
  Model m = must_load(
      "nodes:\n  - {id: a, kind: firm, tags: [x, y], sources: [s], attrs: {p: 2, o: true}}\n"
      "  - {id: b, kind: firm}\n"
      "  - {id: c, kind: chip, inputs: [{any: [a, b], label: either}, a]}\n");
  const Node& a = m.nodes[*m.find("a")];
  const Node& b = m.nodes[*m.find("b")];
  EXPECT_EQ(a.tags.get(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(a.attrs.size(), 2u);
  EXPECT_EQ(a.attrs.begin()->first, "o");  // sorted by name
  ASSERT_NE(a.attr("p"), nullptr);
  EXPECT_EQ(std::get<double>(*a.attr("p")), 2.0);
  EXPECT_TRUE(b.tags.empty());
  EXPECT_EQ(b.sources.size(), 0u);
  EXPECT_EQ(b.attr("p"), nullptr);
  const Node& c = m.nodes[*m.find("c")];
  EXPECT_EQ(c.groups[0].label.get(), "either");
  EXPECT_TRUE(c.groups[1].label.empty());
  Model copy = m;
  copy.nodes[*m.find("a")].tags.edit().push_back("z");
  copy.nodes[*m.find("c")].groups[0].label = std::string("changed");
  EXPECT_EQ(a.tags.size(), 2u);
  EXPECT_EQ(c.groups[0].label.get(), "either");
  EXPECT_EQ(copy.nodes[*m.find("a")].tags.size(), 3u);
}

TEST(LoaderTest, TargetsDefaultToNodesNothingDependsOn) {
  Model m = must_load(
      "nodes:\n  - {id: a, kind: firm}\n  - {id: b, kind: chip, inputs: [a]}\n"
      "  - {id: c, kind: chip, inputs: [a]}\n");
  EXPECT_FALSE(m.targets_explicit);
  ASSERT_EQ(m.targets.size(), 2u);
  EXPECT_EQ(m.nodes[m.targets[0]].id, "b");
  EXPECT_EQ(m.nodes[m.targets[1]].id, "c");
}

TEST(LoaderTest, TopLevelTargetsAndNodeFlagCombine) {
  Model m = must_load(
      "targets: [c]\nnodes:\n  - {id: a, kind: firm, target: true}\n"
      "  - {id: b, kind: chip, inputs: [a]}\n  - {id: c, kind: chip}\n");
  EXPECT_TRUE(m.targets_explicit);
  ASSERT_EQ(m.targets.size(), 2u);
  EXPECT_EQ(m.nodes[m.targets[0]].id, "a");
  EXPECT_EQ(m.nodes[m.targets[1]].id, "c");
}

TEST(LoaderTest, DeclaredJurisdictionsAndBlocs) {
  Model m = must_load(
      "jurisdictions:\n  EU: {name: European Union}\n"
      "blocs:\n  west: [US, EU]\n  more: [west, JP]\n"
      "nodes:\n  - {id: a, kind: firm, jurisdiction: EU}\n");
  auto codes = m.resolve_codes("more");
  ASSERT_TRUE(codes.has_value());
  std::vector<std::string> names;
  for (auto j : *codes) names.push_back(std::string(m.jurisdiction_code(j)));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"EU", "JP", "US"}));
  EXPECT_EQ(m.located_jurisdiction_count(), 1u);
}

TEST(LoaderTest, AttrsKeepTheirTypes) {
  Model m = must_load(
      "nodes:\n  - id: a\n    kind: firm\n"
      "    attrs: {n: 180, b: true, s: text, q: \"12\"}\n");
  const Node& a = m.nodes[0];
  EXPECT_EQ(std::get<double>(*a.attr("n")), 180.0);
  EXPECT_EQ(std::get<bool>(*a.attr("b")), true);
  EXPECT_EQ(std::get<std::string>(*a.attr("s")), "text");
  EXPECT_EQ(std::get<std::string>(*a.attr("q")), "12");
  EXPECT_EQ(a.attr("missing"), nullptr);
}

TEST(LoaderTest, CyclesAreAllowed) {
  Model m = must_load(
      "nodes:\n  - {id: tools, kind: equipment, suppliers: [vendor, fab]}\n"
      "  - {id: vendor, kind: firm}\n  - {id: fab, kind: foundry, inputs: [tools]}\n");
  EXPECT_EQ(m.edge_count, 3u);
}

TEST(LoaderTest, AliasBombIsRejectedQuickly) {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c) {
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) yaml += std::string(i ? ", *" : "*") + prev;
    yaml += "]\n";
    prev = c;
  }
  yaml += "nodes: []\n";
  auto loaded = load_text(yaml);
  EXPECT_FALSE(loaded->model.has_value());
  auto h = loaded->headers();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0],
            "t.yaml:8:12: error: aliases expand to more than 20000000 nodes; is this an alias "
            "bomb?");
}

TEST(LoaderTest, DeepNestingIsReportedClearly) {
  std::string yaml = "nodes: " + std::string(200, '[') + std::string(200, ']') + "\n";
  auto loaded = load_text(yaml);
  EXPECT_FALSE(loaded->model.has_value());
  EXPECT_EQ(loaded->headers(),
            std::vector<std::string>{"t.yaml:1:71: error: nesting is deeper than 64 levels"});
}

class LoaderFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("chokepoint_loader_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_ / "parts");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& rel, const std::string& text) {
    std::ofstream(dir_ / rel, std::ios::binary) << text;
    return (dir_ / rel).string();
  }
  std::unique_ptr<testing::Loaded> load(const std::string& path) {
    auto l = std::make_unique<testing::Loaded>();
    l->model = load_graph(path, l->files, l->diags);
    return l;
  }
  std::filesystem::path dir_;
};

TEST_F(LoaderFileTest, IncludesAreRelativeToTheIncludingFile) {
  std::string main = write("main.yaml",
                           "include: [parts/a.yaml]\nnodes:\n"
                           "  - {id: gpu, kind: chip, inputs: [hbm]}\n");
  write("parts/a.yaml", "include: [b.yaml]\nnodes:\n  - {id: hbm, kind: hbm, suppliers: [skh]}\n");
  write("parts/b.yaml", "nodes:\n  - {id: skh, kind: firm, jurisdiction: KR}\n");
  auto l = load(main);
  ASSERT_TRUE(l->model.has_value()) << l->printed();
  EXPECT_EQ(l->model->nodes.size(), 3u);
  EXPECT_EQ(l->model->files.size(), 3u);
}

TEST_F(LoaderFileTest, IncludeCycleIsReported) {
  std::string main = write("main.yaml", "include: [parts/a.yaml]\nnodes: []\n");
  write("parts/a.yaml", "include: [../main.yaml]\nnodes: []\n");
  auto l = load(main);
  EXPECT_FALSE(l->model.has_value());
  auto h = l->headers();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0], (dir_ / "parts/a.yaml").string() +
                      ":1:11: error: include cycle: main.yaml -> a.yaml -> main.yaml");
}

TEST_F(LoaderFileTest, DuplicateIdAcrossFilesShowsBothLocations) {
  std::string main =
      write("main.yaml", "include: [parts/a.yaml]\nnodes:\n  - {id: x, kind: firm}\n");
  write("parts/a.yaml", "nodes:\n  - {id: x, kind: firm}\n");
  auto l = load(main);
  EXPECT_FALSE(l->model.has_value());
  auto h = l->headers();
  ASSERT_EQ(h.size(), 1u);
  EXPECT_EQ(h[0], (dir_ / "parts/a.yaml").string() +
                      ":2:10: error: duplicate id 'x'; first defined at " + main + ":3:10");
}

TEST_F(LoaderFileTest, MissingIncludeIsPositioned) {
  std::string main = write("main.yaml", "include: [nope.yaml]\nnodes: []\n");
  auto l = load(main);
  EXPECT_FALSE(l->model.has_value());
  EXPECT_EQ(l->headers(),
            std::vector<std::string>{
                main + ":1:11: error: cannot open included file 'nope.yaml': no such file"});
}

TEST_F(LoaderFileTest, MissingFileDirectoryAndSizeLimit) {
  auto missing = load((dir_ / "none.yaml").string());
  EXPECT_EQ(missing->headers(),
            std::vector<std::string>{(dir_ / "none.yaml").string() +
                                     ": error: cannot open file: no such file"});
  auto directory = load((dir_ / "parts").string());
  EXPECT_EQ(directory->headers(),
            std::vector<std::string>{(dir_ / "parts").string() +
                                     ": error: is a directory; expected a YAML file"});
  std::string big = write("big.yaml", std::string(2048, '#'));
  testing::Loaded l;
  LoadOptions options;
  options.limits.max_bytes = 1024;
  l.model = load_graph(big, l.files, l.diags, options);
  EXPECT_EQ(l.headers(), std::vector<std::string>{
                             big + ": error: file is 2048 bytes; the limit is 1024 bytes (0 MiB)"});
}

// Includes stay inside the main file's folder: no absolute paths, no way out with '..', so a
// graph cannot make the error messages quote lines of /etc/shadow or a .env file.
TEST_F(LoaderFileTest, IncludesAreConfinedToTheMainFilesFolder) {
  write("secret.env", "KEY: secret\n");
  std::filesystem::create_directories(dir_ / "graph");
  std::string main = write("graph/g.yaml",
                           "include: ['../secret.env', '/etc/passwd', 'parts/ok.yaml']\n"
                           "nodes: [{id: a, kind: firm}]\n");
  std::filesystem::create_directories(dir_ / "graph" / "parts");
  write("graph/parts/ok.yaml", "nodes: [{id: b, kind: firm}]\n");
  auto l = load(main);
  std::string root = std::filesystem::canonical(dir_ / "graph").string();
  EXPECT_EQ(l->headers(),
            (std::vector<std::string>{
                main + ":1:11: error: include '../secret.env' leaves the main file's folder '" +
                    root + "'; includes must stay inside it",
                main + ":1:28: error: include '/etc/passwd' is an absolute path; includes are "
                       "paths relative to the including file, inside the main file's folder"}));
  EXPECT_EQ(l->printed().find("KEY: secret"), std::string::npos);
}

// A chain of includes deeper than 32 files stops with an error instead of overflowing the stack.
TEST_F(LoaderFileTest, DeepIncludeChainsStop) {
  for (int i = 0; i < 2000; ++i)
    write(fmt::format("c{}.yaml", i),
          fmt::format("include: [c{}.yaml]\nnodes: [{{id: n{}, kind: firm}}]\n", i + 1, i));
  auto l = load((dir_ / "c0.yaml").string());
  EXPECT_EQ(l->headers(),
            std::vector<std::string>{(dir_ / "c31.yaml").string() +
                                     ":1:11: error: includes nest deeper than 32 files"});
}

// A big file's text is freed once parsed; its messages still quote their lines (read again), its
// checksum is the one of the text read, and a file changed since is not misquoted.
TEST_F(LoaderFileTest, AReleasedTextIsReadAgainForMessagesOnlyIfUnchanged) {
  std::string yaml =
      "nodes:\n  - {id: a, kind: firm}\n  - {id: b, kind: chipz, inputs: [a]}\n"
      "include: [b.yaml]\n";
  std::string path = write("g.yaml", yaml);
  write("b.yaml", "nodes:\n  - {id: c, kind: frim}\n");
  auto kept = load(path);
  LoadOptions release;
  release.release_text_min_bytes = 0;
  auto l = std::make_unique<testing::Loaded>();
  l->model = load_graph(path, l->files, l->diags, release);
  ASSERT_TRUE(l->model.has_value()) << l->printed();
  ASSERT_EQ(l->files.size(), 2u);
  EXPECT_TRUE(l->files.released(0));
  EXPECT_TRUE(l->files.released(1));
  EXPECT_TRUE(l->files.text(0).empty());
  EXPECT_FALSE(kept->files.released(0));
  EXPECT_EQ(l->files.checksum(0), sha256_hex(yaml));
  auto inputs = input_files(l->files, {path}, {}, {});
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].sha256, input_files(kept->files, {path}, {}, {})[0].sha256);
  std::string printed = kept->printed();
  EXPECT_NE(printed.find("  - {id: b, kind: chipz, inputs: [a]}\n"), std::string::npos) << printed;
  EXPECT_NE(printed.find("  - {id: c, kind: frim}\n"), std::string::npos) << printed;
  EXPECT_EQ(l->printed(), printed);
  EXPECT_EQ(l->files.text(0), yaml);  // brought back by the quoting

  // Changed after it was read (same size, one letter): headers, but no quoted line.
  auto again = std::make_unique<testing::Loaded>();
  again->model = load_graph(path, again->files, again->diags, release);
  std::string changed = yaml;
  changed[changed.find("chipz")] = 'C';
  write("g.yaml", changed);
  std::filesystem::remove(dir_ / "b.yaml");
  EXPECT_EQ(again->headers(), kept->headers());
  std::string quoted = again->printed();
  EXPECT_EQ(quoted.find("Chipz"), std::string::npos) << quoted;
  EXPECT_EQ(quoted.find("frim}"), std::string::npos) << quoted;  // b.yaml is gone
  EXPECT_EQ(quoted.find("  ^"), std::string::npos) << quoted;
  EXPECT_EQ(again->files.line_text(0, 3), "");
}

// Pipes and /proc files have no size to ask for; a FIFO without a writer is not waited on for ever.
TEST_F(LoaderFileTest, PipesAndFifosAreReadOrGivenUpOn) {
  auto fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Diagnostics diags;
  EXPECT_FALSE(yaml::read_text(fifo.string(), 1 << 20, diags, 100).has_value());
  SourceFiles files;
  EXPECT_EQ(testing::diagnostic_headers(diags, files),
            std::vector<std::string>{
                fifo.string() + ": error: nothing to read after 0 s (a FIFO without a writer?)"});
  Diagnostics proc_diags;
  auto status = yaml::read_text("/proc/self/status", 1 << 20, proc_diags);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->rfind("Name:", 0), 0u);
}

TEST(LoaderTest, AliasesAreLimitedByBytesToo) {
  std::string yaml = "big: &big \"" + std::string(100'000, 'x') + "\"\nlots: [";
  for (int i = 0; i < 3000; ++i) yaml += std::string(i ? ", " : "") + "*big";
  yaml += "]\nnodes: []\n";
  auto loaded = load_text(yaml);
  EXPECT_FALSE(loaded->model.has_value());
  EXPECT_EQ(loaded->headers(),
            std::vector<std::string>{"t.yaml:2:" + std::to_string(8 + 6 * 2684) +
                                     ": error: aliases expand to more than 256 MiB of text; is "
                                     "this an alias bomb?"});
}

// 200,000 aliases of one bad node are one mistake, reported once; control characters in the
// input never reach the terminal raw.
TEST(LoaderTest, RepeatedAndControlCharacterDiagnostics) {
  std::string yaml = "bad: &bad {id: a, kind: firm, colour: red}\nnodes: [";
  for (int i = 0; i < 2000; ++i) yaml += std::string(i ? ", " : "") + "*bad";
  yaml += ", {id: \"b\\e[31m\", kind: firm, suppliers: [\"c\\a\"]}]\n";
  auto loaded = load_text(yaml);
  auto h = loaded->headers();
  ASSERT_GE(h.size(), 2u);
  EXPECT_EQ(
      std::count_if(h.begin(), h.end(),
                    [](const std::string& s) { return s.find("colour") != std::string::npos; }),
      1);
  std::string all = loaded->printed();
  EXPECT_EQ(all.find('\x1b'), std::string::npos);
  EXPECT_EQ(all.find('\a'), std::string::npos);
  EXPECT_NE(all.find("\\x1b[31m"), std::string::npos) << all;
}

TEST(DatasetTest, ShippedDatasetValidatesWithAtLeast150Nodes) {
  testing::Loaded l;
  l.model = load_graph(testing::source_path("data/ai-supply-chain.yaml"), l.files, l.diags);
  ASSERT_TRUE(l.model.has_value()) << l.printed();
  EXPECT_EQ(l.diags.warning_count(), 0u) << l.printed();
  EXPECT_GE(l.model->nodes.size(), 150u);
  // Both sides' capabilities are targets.
  EXPECT_TRUE(l.model->find("us-frontier-training").has_value());
  EXPECT_TRUE(l.model->nodes[*l.model->find("cn-frontier-training")].target);
}

TEST(DatasetTest, ShippedDatasetHasNoLintWarnings) {
  // Every node reaches a target and every `any` group of unlike members has shares.
  testing::Loaded l;
  l.model = load_graph(testing::source_path("data/ai-supply-chain.yaml"), l.files, l.diags);
  ASSERT_TRUE(l.model.has_value()) << l.printed();
  lint(*l.model, l.diags, false);
  EXPECT_EQ(l.diags.warning_count(), 0u) << l.printed();
}

TEST(DatasetTest, EveryNodeNamesItsSources) {
  // Every node, firms included, cites where its figures come from.
  testing::Loaded l;
  l.model = load_graph(testing::source_path("data/ai-supply-chain.yaml"), l.files, l.diags);
  ASSERT_TRUE(l.model.has_value());
  std::vector<std::string> missing;
  for (const auto& n : l.model->nodes)
    if (n.sources.empty()) missing.push_back(n.id);
  EXPECT_TRUE(missing.empty()) << fmt::format("{}", fmt::join(missing, ", "));
}

TEST(LintTest, NodesThatReachNoTargetAreWarnedAbout) {
  auto l = testing::load_text(R"(format: 1
nodes:
  - {id: ore, name: Ore, kind: material}
  - {id: metal, name: Metal, kind: material, inputs: [ore]}
  - {id: chip, name: Chip, kind: chip}
  - {id: ai, name: AI, kind: capability, target: true, inputs: [chip]}
)");
  ASSERT_TRUE(l->model.has_value()) << l->printed();
  lint(*l->model, l->diags, false);
  EXPECT_EQ(l->headers(),
            (std::vector<std::string>{
                "t.yaml:3:5: warning: 'ore' reaches no target: what it feeds leads to no target, "
                "so it changes no result",
                "t.yaml:4:5: warning: 'metal' reaches no target: nothing depends on it, so it "
                "changes no result"}));
}

TEST(LintTest, ManyWarningsOfAKindAreListedTenTimesThenSummed) {
  std::string yaml = "format: 1\nnodes:\n  - {id: ai, name: AI, kind: capability, target: true}\n";
  for (int i = 0; i < 15; ++i) yaml += fmt::format("  - {{id: x{:02}, name: X, kind: firm}}\n", i);
  auto l = testing::load_text(yaml);
  ASSERT_TRUE(l->model.has_value()) << l->printed();
  lint(*l->model, l->diags, false);
  auto headers = l->headers();
  ASSERT_EQ(headers.size(), 11u);
  EXPECT_EQ(headers[9],
            "t.yaml:13:5: warning: 'x09' reaches no target: nothing depends on it, so it changes "
            "no result");
  EXPECT_EQ(headers[10],
            "t.yaml:14:5: warning: ... and 5 more nodes that reach no target, from here on (the "
            "first 10 are listed)");
}

TEST(LintTest, WithoutDeclaredTargetsEverySinkIsOneAndNothingIsWarned) {
  auto l = testing::load_text(R"(format: 1
nodes:
  - {id: ore, name: Ore, kind: material}
  - {id: metal, name: Metal, kind: material, inputs: [ore]}
)");
  ASSERT_TRUE(l->model.has_value());
  lint(*l->model, l->diags, true);
  EXPECT_TRUE(l->headers().empty()) << l->printed();
}

TEST(LintTest, AnyGroupOfUnlikeMembersWithoutSharesIsWarnedAbout) {
  auto l = testing::load_text(R"(format: 1
nodes:
  - {id: gpu, name: GPU, kind: chip}
  - {id: tpu, name: TPU, kind: chip}
  - {id: cloud, name: Cloud, kind: cloud}
  - id: ai
    name: AI
    kind: capability
    target: true
    inputs:
      - any: [gpu, tpu]
      - any: [gpu, cloud]
      - any: [{id: gpu, share: 0.7}, cloud]
)");
  ASSERT_TRUE(l->model.has_value()) << l->printed();
  lint(*l->model, l->diags, false);
  // Alike members (two chips) and a group with a share are fine.
  EXPECT_EQ(l->headers(),
            (std::vector<std::string>{
                "t.yaml:12:9: warning: this 'any' group of 'ai' gives no shares and its members "
                "are of different kinds (chip and cloud); equal weights (1/2 each) are assumed: "
                "give shares unless they are interchangeable"}));
}

TEST(LintTest, ExplainNotesProductsMadeInSeveralJurisdictionsWithInputs) {
  const std::string yaml = R"(format: 1
nodes:
  - {id: skh, name: SK hynix, kind: firm, jurisdiction: KR}
  - {id: mu, name: Micron, kind: firm, jurisdiction: US}
  - {id: tools, name: Tools, kind: equipment}
  - {id: hbm, name: HBM, kind: hbm, suppliers: [skh, mu], inputs: [tools]}
  - {id: ai, name: AI, kind: capability, target: true, inputs: [hbm]}
)";
  auto quiet = testing::load_text(yaml);
  ASSERT_TRUE(quiet->model.has_value());
  lint(*quiet->model, quiet->diags, false);
  EXPECT_TRUE(quiet->headers().empty());
  auto l = testing::load_text(yaml);
  lint(*l->model, l->diags, true);
  EXPECT_EQ(l->headers(),
            (std::vector<std::string>{
                "t.yaml:6:5: note: 'hbm' has no jurisdiction, makers in KR and US and inputs of "
                "its own: each maker uses those inputs where it is located, so an input denied "
                "to one jurisdiction limits only the makers there"}));
  EXPECT_EQ(l->diags.warning_count(), 0u);
}

TEST(DatasetTest, ExampleValidates) {
  testing::Loaded l;
  l.model = load_graph(testing::source_path("data/examples/minimal.yaml"), l.files, l.diags);
  ASSERT_TRUE(l.model.has_value()) << l.printed();
  EXPECT_LE(l.model->nodes.size(), 15u);
}

TEST(DatasetTest, EveryScenarioValidatesAgainstTheDataset) {
  testing::Loaded l;
  l.model = load_graph(testing::source_path("data/ai-supply-chain.yaml"), l.files, l.diags);
  ASSERT_TRUE(l.model.has_value());
  std::size_t count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::source_path("data/scenarios"))) {
    auto s = load_scenario(entry.path().string(), *l.model, l.files, l.diags);
    EXPECT_TRUE(s.has_value()) << entry.path() << "\n" << l.printed();
    // Every control cites the rule it models (or says it is hypothetical).
    if (s) {
      for (const auto& c : s->controls)
        EXPECT_FALSE(c.sources.empty()) << entry.path() << ": control '" << c.id << "'";
    }
    ++count;
  }
  EXPECT_GE(count, 6u);
}

TEST(CliTest, ValidatePrintsSummaryAndExitsZero) {
  std::string out;
  EXPECT_EQ(testing::run_cli("validate data/examples/minimal.yaml", &out), 0);
  EXPECT_EQ(out, "ok: 12 nodes, 11 edges, 1 target, 5 jurisdictions\n");
}

TEST(CliTest, ValidateInvalidExitsOne) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("validate tests/data/bad/unknown-jurisdiction.yaml", &out, &err), 1);
  EXPECT_EQ(out, "");
  EXPECT_EQ(err,
            "tests/data/bad/unknown-jurisdiction.yaml:4:19: error: unknown jurisdiction 'USA'; did "
            "you mean 'US'?\n"
            "      jurisdiction: USA\n"
            "                    ^\n"
            "1 error generated.\n");
}

TEST(CliTest, BadUsageExitsTwo) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("validate", &out, &err), 2);
  EXPECT_EQ(testing::run_cli("frobnicate x", &out, &err), 2);
}

TEST(CliTest, VersionAndHelp) {
  std::string out;
  EXPECT_EQ(testing::run_cli("--version", &out), 0);
  EXPECT_EQ(out, std::string("chokepoint ") + CHOKEPOINT_VERSION + "\n");
  EXPECT_EQ(testing::run_cli("validate --help", &out), 0);
  EXPECT_NE(out.find("Examples:"), std::string::npos);
}

// Every example in a command's --help is a command line ("  chokepoint CMD ...", continued after
// a trailing backslash) or a line of prose under it, and prose carries no option: coalitions'
// help once ran "--items ..." into the prose of the example above it.
TEST(CliTest, HelpExamplesAreCommandsOrProse) {
  for (const char* command : {"validate", "analyze", "whatif", "render", "decouple", "coalitions",
                              "timeline", "uncertainty", "compare", "import"}) {
    std::string out;
    ASSERT_EQ(testing::run_cli(std::string(command) + " --help", &out), 0) << command;
    auto at = out.find("\nExamples:\n");
    ASSERT_NE(at, std::string::npos) << command;
    std::istringstream lines(out.substr(at + 11));
    std::string line;
    bool continued = false;
    std::size_t examples = 0;
    while (std::getline(lines, line) && !line.empty()) {
      bool example = line.rfind(std::string("  chokepoint ") + command + " ", 0) == 0;
      if (example) ++examples;
      if (!example && !continued) {
        EXPECT_EQ(line.rfind("      ", 0), 0u) << command << ": " << line;
        EXPECT_EQ(line.find(" --"), std::string::npos)
            << command << ": an option in prose: " << line;
      }
      continued = !line.empty() && line.back() == '\\';
    }
    EXPECT_GT(examples, 0u) << command;
  }
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

TEST(ProvenanceTest, Sha256MatchesTheStandardVectors) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ProvenanceTest, ReportsNameEveryFileReadWithItsChecksum) {
  std::string out;
  ASSERT_EQ(testing::run_cli("whatif data/examples/timeline.yaml -s "
                             "data/examples/scenarios/timeline-foundry-outage.yaml --format json",
                             &out),
            0);
  auto checksums = nlohmann::json::parse(out)["input"]["checksums"];
  ASSERT_EQ(checksums.size(), 3u) << checksums.dump();
  auto sha_of = [](const std::string& path) {
    std::ifstream in(testing::source_path(path), std::ios::binary);
    return sha256_hex(std::string(std::istreambuf_iterator<char>(in), {}));
  };
  EXPECT_EQ(checksums[0]["role"], "graph");
  EXPECT_EQ(checksums[0]["sha256"], sha_of("data/examples/timeline.yaml"));
  EXPECT_EQ(checksums[1]["role"], "scenario");
  EXPECT_EQ(checksums[1]["path"], "data/examples/scenarios/timeline-foundry-outage.yaml");
  EXPECT_EQ(checksums[1]["sha256"], sha_of("data/examples/scenarios/timeline-foundry-outage.yaml"));
  EXPECT_EQ(checksums[2]["path"], "rules/default.yaml");
  EXPECT_EQ(checksums[2]["sha256"], sha_of("rules/default.yaml"));
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

struct Read {
  std::string diagnostics;
  std::string model;
};

Read read_with(const std::string& text, unsigned threads) {
  SourceFiles files;
  Diagnostics diags;
  LoadOptions options;
  options.parallel_min_nodes = 0;
  options.limits.threads = threads;
  auto model = load_graph_text("g.yaml", text, files, diags, options);
  std::ostringstream out;
  diags.print(out, files);
  return {out.str(), model ? testing::model_dump(*model) : "no model"};
}

// Nodes read on two or three threads give the model and the messages of nodes read one by one:
// on every file of the malformed-input corpus, and on graphs whose nodes add jurisdictions in
// an order of their own and carry warnings.
TEST(LoaderParallelTest, NodesReadOnSeveralThreadsGiveWhatReadingOneByOneGives) {
  std::vector<std::string> texts;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("tests/data/bad")))
    if (e.path().extension() == ".yaml") {
      std::ifstream in(e.path());
      texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  // 'BR' first appears at the end of the first half, 'CA' at the start of the second: read
  // in parallel without adding jurisdictions first, CA would come before BR.
  std::string warned = "jurisdictions: {ZZ: {name: Zed}}\nnodes:\n";
  const char* codes[] = {"JP", "ZZ", "DE", "US", "KR", "JP", "FR", "TW"};
  for (int i = 0; i < 4000; ++i)
    warned += fmt::format(
        "  - {{id: n{}, kind: {}, jurisdiction: {}, inputs: [n{}], tags: [t{}], "
        "attrs: {{b: {}, s: x{}}}, substitution_years: {}}}\n",
        i, i % 500 == 0 ? "chipp" : "chip",
        i == 1999   ? "BR"
        : i >= 2000 ? "CA"
                    : codes[i % 8],
        i % 700 == 0 ? i : i + 1, i % 3, i % 2 == 0 ? "true" : "1.5", i, i % 4);
  warned += "  - {id: n4000, kind: material, target: true}\n";
  texts.push_back(warned);
  // Errors after the first part: unknown ids with suggestions, a duplicate id.
  texts.push_back(warned +
                  "  - {id: late, kind: chip, inputs: [n4O, n1]}\n  - {id: n3, kind: chip}\n");
  int parallel_models = 0;
  for (const std::string& text : texts) {
    Read one = read_with(text, 1);
    for (unsigned threads : {2u, 3u}) {
      Read several = read_with(text, threads);
      EXPECT_EQ(several.diagnostics, one.diagnostics) << text.substr(0, 300);
      EXPECT_TRUE(several.model == one.model) << threads << " threads on " << text.substr(0, 300);
    }
    parallel_models += one.model != "no model";
  }
  EXPECT_EQ(parallel_models, 1);  // the corpus's files all fail; the graph with warnings loads
  EXPECT_NE(read_with(warned, 2).diagnostics.find("did you mean 'chip'?"), std::string::npos);
}

}  // namespace
}  // namespace chokepoint
