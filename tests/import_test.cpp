// Import tests: CSV tables (every problem at its file:line:column, separators, suggestions, the
// round trip of `analyze`'s own tables) and the ETO layout (tool types, providers, ids).
#include "graph/input/import.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "graph/analysis/analysis.hpp"
#include "rules/rule_set.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

// A folder of tables for one test, removed afterwards.
class Tables {
 public:
  Tables()
      : dir_(fs::temp_directory_path() /
             fmt::format("chokepoint_import_{}_{}", ::getpid(), counter_++)) {
    fs::create_directories(dir_);
  }
  ~Tables() { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  std::string dir() const { return dir_.string(); }
  // The diagnostics as printed, with the folder left out of the paths.
  std::string printed(const Diagnostics& diags, const SourceFiles& files) const {
    std::ostringstream out;
    diags.print(out, files);
    std::string s = out.str();
    std::string prefix = dir_.string() + "/";
    for (auto at = s.find(prefix); at != std::string::npos; at = s.find(prefix))
      s.erase(at, prefix.size());
    return s;
  }

 private:
  static inline int counter_ = 0;
  fs::path dir_;
};

// Two graphs with the same nodes, fields, attributes, tags, sources, groups, weights and targets.
void expect_same_graph(const Model& a, const Model& b) {
  ASSERT_EQ(a.nodes.size(), b.nodes.size());
  for (const Node& x : a.nodes) {
    SCOPED_TRACE(x.id);
    auto i = b.find(x.id);
    ASSERT_TRUE(i.has_value());
    const Node& y = b.nodes[*i];
    EXPECT_EQ(y.name, x.name);
    EXPECT_EQ(y.kind, x.kind);
    EXPECT_EQ(b.jurisdiction_code(y.jurisdiction), a.jurisdiction_code(x.jurisdiction));
    EXPECT_EQ(y.substitution_years, x.substitution_years);
    EXPECT_EQ(y.stock_months, x.stock_months);
    EXPECT_EQ(y.extras.get().lifetime_months, x.extras.get().lifetime_months);
    const auto &qx = x.extras.get().quantity, &qy = y.extras.get().quantity;
    ASSERT_EQ(qy.has_value(), qx.has_value());
    if (qx) {
      EXPECT_EQ(qy->value, qx->value);
      EXPECT_EQ(qy->unit, qx->unit);
    }
    EXPECT_EQ(y.attrs.get(), x.attrs.get());
    EXPECT_EQ(y.tags.get(), x.tags.get());
    EXPECT_EQ(y.sources.get(), x.sources.get());
    ASSERT_EQ(y.groups.size(), x.groups.size());
    for (std::size_t g = 0; g < x.groups.size(); ++g) {
      EXPECT_EQ(y.groups[g].role, x.groups[g].role);
      EXPECT_EQ(y.groups[g].threshold, x.groups[g].threshold);
      EXPECT_EQ(y.groups[g].label.get(), x.groups[g].label.get());
      ASSERT_EQ(y.groups[g].members.size(), x.groups[g].members.size());
      for (std::size_t m = 0; m < x.groups[g].members.size(); ++m) {
        EXPECT_EQ(b.nodes[y.groups[g].members[m].node].id, a.nodes[x.groups[g].members[m].node].id);
        EXPECT_EQ(y.groups[g].members[m].weight, x.groups[g].members[m].weight);
      }
    }
  }
  std::vector<std::string> ta, tb;
  for (NodeIndex n : a.targets) ta.push_back(a.nodes[n].id);
  for (NodeIndex n : b.targets) tb.push_back(b.nodes[n].id);
  EXPECT_EQ(ta, tb);
  EXPECT_EQ(a.edge_count, b.edge_count);
}

// The graph the import checked (built from the tables without writing text) is the graph its
// text says: the loader reading the written YAML gets the same model.
void expect_text_is_what_was_checked(const Imported& imported) {
  Model from_text = testing::must_load(imported.yaml);
  expect_same_graph(imported.model, from_text);
}

struct CsvCase {
  const char* name;
  const char* nodes;
  const char* edges;
  const char* expected;  // the diagnostics exactly as printed
};

void PrintTo(const CsvCase& c, std::ostream* os) { *os << c.name; }

class ImportCsvDiagnostics : public ::testing::TestWithParam<CsvCase> {};

TEST_P(ImportCsvDiagnostics, AtTheCellWithItsMessage) {
  const CsvCase& c = GetParam();
  Tables t;
  SourceFiles files;
  Diagnostics diags;
  auto yaml =
      import_csv(t.write("nodes.csv", c.nodes), t.write("edges.csv", c.edges), files, diags);
  EXPECT_FALSE(yaml.has_value() && diags.error_count() > 0);
  EXPECT_EQ(t.printed(diags, files), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ImportCsvDiagnostics,
    ::testing::Values(
        CsvCase{"DuplicateIdAtBothRows", "id,kind\nasml,firm\neuv,lithography\nasml,firm\n",
                "from,to,role\nasml,euv,supplier\n",
                "nodes.csv:4:1: error: duplicate id 'asml'; first defined at nodes.csv:2:1\n"
                "  asml,firm\n  ^\n1 error generated.\n"},
        CsvCase{"MemberTwiceInAGroup", "id,kind\nasml,firm\neuv,lithography\n",
                "from,to,role,share\nasml,euv,supplier,0.5\nasml,euv,supplier,0.5\n",
                "edges.csv:3:1: error: 'asml' is listed twice in this group (first at line 2, "
                "column 1)\n  asml,euv,supplier,0.5\n  ^\n1 error generated.\n"},
        CsvCase{"KindAndJurisdictionAtTheirColumns",
                "id,name,kind,jurisdiction\nasml,ASML,Firm!,NLD\nnikon,Nikon,firm,JPX\n",
                "from,to\n",
                "nodes.csv:2:11: error: kind 'Firm!' must be lower case letters, digits and '-', "
                "starting with a letter; did you mean 'firm'?\n"
                "  asml,ASML,Firm!,NLD\n            ^\n"
                "nodes.csv:2:17: warning: 'NLD' is an ISO alpha-3 code; written as 'NL' "
                "(alpha-2)\n  asml,ASML,Firm!,NLD\n                  ^\n"
                "nodes.csv:3:18: error: unknown jurisdiction 'JPX'; did you mean 'JP'?\n"
                "  nikon,Nikon,firm,JPX\n                   ^\n"
                "2 errors and 1 warning generated.\n"},
        CsvCase{"SharesAboveOneAtTheGroup", "id,kind\na,firm\nb,firm\nx,material\n",
                "from,to,role,share\na,x,supplier,70%\nb,x,supplier,50%\n",
                "edges.csv:2:1: error: shares in this group sum to 1.2; at most 1 (1.02 allowing "
                "for rounding)\n  a,x,supplier,70%\n  ^\n1 error generated.\n"},
        CsvCase{"RoleTypoGetsASuggestion", "id,kind\na,firm\nx,material\n",
                "from,to,role\na,x,suplier\n",
                "edges.csv:2:5: error: role must be 'supplier' or 'input', got 'suplier'; did you "
                "mean 'supplier'?\n  a,x,suplier\n      ^\n1 error generated.\n"},
        CsvCase{"ColumnTypoGetsASuggestion", "id,kind,juristiction\na,firm,NL\n", "from,to\n",
                "nodes.csv:1:9: warning: unknown column 'juristiction' is ignored; did you mean "
                "'jurisdiction'?\n  id,kind,juristiction\n          ^\n1 warning generated.\n"},
        CsvCase{"MissingColumnNamesTheHeader", "ids,kind\na,firm\n", "from,to\n",
                "nodes.csv:1:1: error: no 'id' column in the header; did you mean 'ids' "
                "(column 1)?\n  ids,kind\n  ^\n1 error generated.\n"},
        CsvCase{"MissingColumnWithNothingClose", "name|kind\na|firm\n", "from,to\n",
                "nodes.csv:1:1: error: no 'id' column in the header (the header, separated by "
                "commas, has 'name|kind')\n  name|kind\n  ^\n"
                "nodes.csv:1:1: error: no 'kind' column in the header (the header, separated by "
                "commas, has 'name|kind')\n  name|kind\n  ^\n2 errors generated.\n"},
        CsvCase{"ColumnNamedTwice", "id,kind,Kind\na,firm,firm\n", "from,to\n",
                "nodes.csv:1:9: error: column 'Kind' is named twice in the header (also column "
                "2); rename or remove one\n  id,kind,Kind\n          ^\n1 error generated.\n"},
        CsvCase{"ExtraFieldsInARow", "id,kind\na,firm,oops\nb,firm,\n", "from,to\n",
                "nodes.csv:2:8: error: expected at most 2 fields (the header's columns, separated "
                "by commas), got 3\n  a,firm,oops\n         ^\n1 error generated.\n"},
        CsvCase{"UnterminatedQuote", "id,kind,name\na,firm,\"ASML\nb,firm,Nikon\n", "from,to\n",
                "nodes.csv:2:8: error: unterminated quoted field: this quote is never closed (a "
                "quote inside a quoted field is written \"\")\n  a,firm,\"ASML\n         ^\n"
                "1 error generated.\n"},
        CsvCase{
            "TextAfterAClosingQuote", "id,kind,name\na,firm,\"ASML\" Holding\n", "from,to\n",
            "nodes.csv:2:15: error: expected ',' or the end of the line after a closing "
            "quote, got 'H'\n  a,firm,\"ASML\" Holding\n                ^\n1 error generated.\n"},
        CsvCase{"TargetThatIsNotABoolean", "id,kind,target\na,capability,maybe\n", "from,to\n",
                "nodes.csv:2:14: error: target must be true or false (also yes/no, 1/0, x), got "
                "'maybe'\n  a,capability,maybe\n               ^\n1 error generated.\n"},
        CsvCase{"QuantityWithoutItsUnit", "id,kind,quantity\na,capability,5\n", "from,to\n",
                "nodes.csv:2:14: error: a quantity needs its unit in column 'quantity_unit'\n"
                "  a,capability,5\n               ^\n1 error generated.\n"},
        CsvCase{"UnitWithoutAQuantity", "id,kind,quantity,quantity_unit\na,capability,,GW\n",
                "from,to\n",
                "nodes.csv:2:15: error: a quantity_unit needs a number in column 'quantity'\n"
                "  a,capability,,GW\n                ^\n1 error generated.\n"},
        CsvCase{"SemicolonsWithAMistakeAtItsColumn", "id;kind\na;firm\nx;material\n",
                "from;to;role;share\na;x;supplier;0,4\na;y;supplier;lots\n",
                "edges.csv:3:3: error: unknown node 'y' in column 'to'\n"
                "  a;y;supplier;lots\n    ^\n1 error generated.\n"}),
    [](const ::testing::TestParamInfo<CsvCase>& info) { return std::string(info.param.name); });

// A table from a European spreadsheet (semicolons, decimal commas) or a tab-separated export
// reads as the comma-separated one does.
TEST(ImportCsvTest, SemicolonsAndTabsReadAsCommas) {
  Tables t;
  auto import = [&](const std::string& nodes, const std::string& edges) {
    SourceFiles files;
    Diagnostics diags;
    auto imported = import_csv(t.write("n.csv", nodes), t.write("e.csv", edges), files, diags);
    EXPECT_TRUE(imported.has_value()) << t.printed(diags, files);
    if (!imported) return std::string();
    expect_text_is_what_was_checked(*imported);
    return imported->yaml;
  };
  std::string commas = import(
      "id,name,kind\nasml,\"ASML, NV\",firm\nnikon,Nikon,firm\n"
      "x,Scanner,lithography\n",
      "from,to,role,share\nasml,x,supplier,0.6\nnikon,x,supplier,0.4\n");
  EXPECT_NE(commas.find("name: \"ASML, NV\""), std::string::npos) << commas;
  EXPECT_EQ(import("\xEF\xBB\xBFid;name;kind\r\nasml;ASML, NV;firm\r\nnikon;Nikon;firm\r\n"
                   "x;Scanner;lithography\r\n",
                   "from;to;role;share\r\nasml;x;supplier;0,6\r\nnikon;x;supplier;40%\r\n"),
            commas);
  EXPECT_EQ(import("id\tname\tkind\nasml\tASML, NV\tfirm\nnikon\tNikon\tfirm\n"
                   "x\tScanner\tlithography\n",
                   "from\tto\trole\tshare\nasml\tx\tsupplier\t0.6\nnikon\tx\tsupplier\t0.4\n"),
            commas);
}

// `analyze`'s nodes.csv and edges.csv give the graph back: every node's fields, attributes,
// tags, sources and groups, and so the same report.
TEST(ImportCsvTest, AnalyzeTablesRoundTripLosslessly) {
  Tables t;
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml --out-dir '" + t.dir() + "/out'",
                             &out, &err),
            0)
      << err;
  ASSERT_EQ(testing::run_cli("import csv '" + t.dir() + "/out/nodes.csv' '" + t.dir() +
                                 "/out/edges.csv' -o '" + t.dir() + "/back.yaml'",
                             &out, &err),
            0)
      << err;
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  Model a = testing::must_load(slurp(testing::source_path("data/ai-supply-chain.yaml")));
  Model b = testing::must_load(slurp(t.dir() + "/back.yaml"));
  expect_same_graph(a, b);
  std::size_t with_attrs = 0, with_tags = 0, with_sources = 0, with_quantity = 0;
  for (const Node& x : a.nodes) {
    with_quantity += x.extras.get().quantity.has_value();
    with_attrs += !x.attrs.empty();
    with_tags += !x.tags.empty();
    with_sources += !x.sources.empty();
  }
  EXPECT_GT(with_attrs, 20u);  // the test sees what it claims to
  EXPECT_GT(with_tags, 20u);
  EXPECT_GT(with_sources, 100u);
  EXPECT_GE(with_quantity, 9u);  // every target's
  // The same analysis: every node's score, severity, fired rules and metrics.
  std::string ra, rb;
  ASSERT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml --format json", &ra, &err), 0);
  ASSERT_EQ(testing::run_cli("analyze '" + t.dir() + "/back.yaml' --format json", &rb, &err), 0);
  EXPECT_EQ(nlohmann::json::parse(ra)["nodes"], nlohmann::json::parse(rb)["nodes"]);
}

// An installed base's lifetime and a target's quantity come back from their columns (the dataset
// has no installed base with a lifetime, so a table of its own).
TEST(ImportCsvTest, LifetimeAndQuantityColumns) {
  Tables t;
  SourceFiles files;
  Diagnostics diags;
  auto imported =
      import_csv(t.write("n.csv",
                         "id,kind,jurisdiction,target,lifetime_months,quantity,quantity_unit\n"
                         "fleet,equipment,CN,,60,,\n"
                         "ai,capability,CN,true,,1.2e6,H100-equivalents a year\n"),
                 t.write("e.csv", "from,to\nfleet,ai\n"), files, diags);
  ASSERT_TRUE(imported.has_value()) << t.printed(diags, files);
  expect_text_is_what_was_checked(*imported);
  const Model& m = imported->model;
  EXPECT_EQ(m.nodes[*m.find("fleet")].extras.get().lifetime_months, 60.0);
  const auto& q = m.nodes[*m.find("ai")].extras.get().quantity;
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->value, 1.2e6);
  EXPECT_EQ(q->unit, "H100-equivalents a year");
  EXPECT_NE(imported->yaml.find("    lifetime_months: 60\n"), std::string::npos) << imported->yaml;
  EXPECT_NE(imported->yaml.find("    quantity:\n      value: 1200000\n      unit: "
                                "\"H100-equivalents a year\"\n"),
            std::string::npos)
      << imported->yaml;
}

// Lists in a cell: `;` separates, `\;` and `\\` keep a semicolon or backslash in an item; an
// attribute that reads as a number or true/false is one, a quoted one stays a string; the
// apostrophe a CSV writer puts before a formula-like value is not part of it.
TEST(ImportCsvTest, ListsAttributesAndFormulaGuards) {
  Tables t;
  SourceFiles files;
  Diagnostics diags;
  auto imported = import_csv(
      t.write("n.csv",
              "id,name,kind,tags,sources,attr:tpp,attr:controlled,attr:code,attr:note\n"
              "a,'-minus,chip,x; y,CSET 2021\\; ASML 2024;C:\\\\data,4800,true,\"\"\"12\"\"\","
              "'=SUM(A1)\n"),
      t.write("e.csv", "from,to\n"), files, diags);
  ASSERT_TRUE(imported.has_value()) << t.printed(diags, files);
  expect_text_is_what_was_checked(*imported);
  const Model& m = imported->model;
  const Node& a = m.nodes[*m.find("a")];
  EXPECT_EQ(a.name, "-minus");
  EXPECT_EQ(a.tags.get(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(a.sources.get(), (std::vector<std::string>{"CSET 2021; ASML 2024", "C:\\data"}));
  EXPECT_EQ(*a.attr("tpp"), AttrValue(4800.0));
  EXPECT_EQ(*a.attr("controlled"), AttrValue(true));
  EXPECT_EQ(*a.attr("code"), AttrValue(std::string("12")));
  EXPECT_EQ(*a.attr("note"), AttrValue(std::string("=SUM(A1)")));
}

// The ETO layout read by default: a tool's types are distinct tools its parent needs (each an
// input of its own), the parent keeps its own providers, and providers that provide nothing
// (Hitachi High-Tech; the countries of items that have firms) are no nodes.
TEST(ImportEtoTest, TypesAreDistinctRequirements) {
  SourceFiles files;
  Diagnostics diags;
  auto imported = import_eto({testing::source_path("tests/data/import/eto")}, files, diags);
  ASSERT_TRUE(imported.has_value());
  expect_text_is_what_was_checked(*imported);
  const Model& m = imported->model;
  EXPECT_EQ(m.nodes.size(), 40u);  // 19 inputs, 17 firms, 4 countries (hand count)
  EXPECT_EQ(m.edge_count, 57u);    // 39 provision rows kept, 18 sequence rows
  EXPECT_FALSE(m.find("hitachi-high-tech").has_value());
  EXPECT_FALSE(m.find("country-netherlands").has_value());
  EXPECT_TRUE(m.find("country-south-korea").has_value());  // electronic gases: countries only
  EXPECT_TRUE(m.find("naura").has_value());                // 北方华创, by its alias
  const Node& litho = m.nodes[*m.find("lithography-tools")];
  ASSERT_TRUE(litho.has_suppliers);
  std::vector<std::string> inputs;
  for (const Group& g : litho.groups)
    if (g.role == Role::input) {
      ASSERT_EQ(g.members.size(), 1u);
      inputs.push_back(m.nodes[g.members[0].node].id);
    }
  EXPECT_EQ(inputs,
            (std::vector<std::string>{"euv-lithography-tools",
                                      "arf-immersion-duv-lithography-tools", "mask-aligners"}));
  // With the default rules, EUV tools and ASML are critical: losing either loses the chip.
  auto analysis = analyze(m, std::nullopt, AnalysisOptions{});
  Diagnostics rule_diags;
  auto rules = rules::load_rules({rules::default_rules_path()}, files, rule_diags);
  ASSERT_TRUE(rules.has_value());
  auto scores = rules::score_nodes(*rules, analysis);
  EXPECT_EQ(scores[*m.find("euv-lithography-tools")].severity, rules::Level::critical);
  EXPECT_EQ(scores[*m.find("asml")].severity, rules::Level::critical);
}

// `--types any`: the old reading, the parent is any one of its types (one `any` group).
TEST(ImportEtoTest, TypesAnyIsOneAlternativeGroup) {
  SourceFiles files;
  Diagnostics diags;
  auto imported = import_eto({testing::source_path("tests/data/import/eto")}, files, diags,
                             EtoOptions{EtoTypes::any});
  ASSERT_TRUE(imported.has_value());
  expect_text_is_what_was_checked(*imported);
  const Model& m = imported->model;
  EXPECT_EQ(m.edge_count, 57u);
  const Node& litho = m.nodes[*m.find("lithography-tools")];
  ASSERT_EQ(litho.groups.size(), 2u);  // suppliers, one of its types
  EXPECT_EQ(litho.groups[1].label.get(), "one of its types");
  EXPECT_EQ(litho.groups[1].members.size(), 3u);
}

// Names with no Latin letters take their ETO id; names that slug alike are numbered. (Twenty
// thousand such names once took 31 s, each new id trying every number before it.)
TEST(ImportEtoTest, IdsForNamesInOtherScriptsAndRepeatedNames) {
  Tables t;
  std::string inputs = "input_id,input_name,type\nN0,Finished chip,ultimate_output\n";
  std::string sequence = "input_id,goes_into_id,is_type_of_id\n";
  for (int i = 1; i <= 3000; ++i) {
    inputs += fmt::format("N{},{},material_resource\n", i, i % 2 ? "芯片材料" : "Wafer");
    sequence += fmt::format("N{},N0,\n", i);
  }
  t.write("inputs.csv", inputs);
  t.write("sequence.csv", sequence);
  t.write("providers.csv", "provider_id,provider_name,provider_type,country\n");
  t.write("provision.csv", "provider_id,provided_id,share_provided\n");
  SourceFiles files;
  Diagnostics diags;
  auto imported = import_eto({t.dir()}, files, diags);
  ASSERT_TRUE(imported.has_value()) << t.printed(diags, files);
  expect_text_is_what_was_checked(*imported);
  const Model& m = imported->model;
  EXPECT_EQ(m.nodes.size(), 3001u);
  EXPECT_EQ(m.nodes[*m.find("n1")].name, "芯片材料");
  EXPECT_EQ(m.nodes[*m.find("n2999")].name, "芯片材料");
  EXPECT_EQ(m.nodes[*m.find("wafer")].name, "Wafer");
  EXPECT_TRUE(m.find("wafer-2").has_value());
  EXPECT_TRUE(m.find("wafer-1500").has_value());
}

// A table in another layout: the missing column is named, with the closest one in the header.
TEST(ImportEtoTest, MissingColumnsAreNamed) {
  Tables t;
  t.write("inputs.csv", "input_id,inputname,type\nN0,Chip,ultimate_output\n");
  t.write("sequence.csv", "input_id,goes_into_id\n");
  t.write("providers.csv", "provider_id,provider_name,provider_type,country\n");
  t.write("provision.csv", "provider_id,provided_id,share\n");
  SourceFiles files;
  Diagnostics diags;
  EXPECT_FALSE(import_eto({t.dir()}, files, diags).has_value());
  EXPECT_EQ(t.printed(diags, files),
            "inputs.csv:1:1: error: no 'input_name' column in the header; did you mean "
            "'inputname' (column 2)?\n  input_id,inputname,type\n  ^\n"
            "provision.csv:1:1: error: no 'share_provided' column in the header (the header, "
            "separated by commas, has 'provider_id', 'provided_id', 'share')\n"
            "  provider_id,provided_id,share\n  ^\n2 errors generated.\n");
}

}  // namespace
}  // namespace chokepoint
