// The registry of node values (graph/model/node_values.def): the rule identifiers, the node
// tables' columns, the JSON's metrics and the docs table all follow it.
#include "rules/node_values.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "exporters/tables.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Analysed {
  Model model;
  Analysis analysis;
  std::vector<rules::NodeScore> scores;
};

std::unique_ptr<Analysed> minimal() {
  auto f = std::make_unique<Analysed>();
  SourceFiles files;
  Diagnostics diags;
  f->model = *load_graph(testing::source_path("data/examples/minimal.yaml"), files, diags);
  AnalysisOptions options;
  options.decouple = std::pair{std::string("allies"), std::string("CN")};
  f->analysis = analyze(f->model, std::nullopt, options);
  auto rules = rules::load_rules({rules::default_rules_path()}, files, diags);
  f->scores = rules::score_nodes(*rules, f->analysis);
  return f;
}

TEST(NodeValuesTest, RuleIdentifiersAreTheRegistrysRuleRowsInOrder) {
  const auto& ids = rules::identifiers();
  ASSERT_EQ(ids.size(), rule_values().size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i].name, rule_values()[i]->spec.name);
    EXPECT_EQ(ids[i].types, types_of(rule_values()[i]->spec.shape));
    EXPECT_EQ(rules::find_identifier(ids[i].name), i);
  }
  // The first and the last: new identifiers are added at the end (the node's quantity unit, after
  // impact_share, lifetime_months and quantity), so rule files keep the indexes they had.
  EXPECT_EQ(ids.front().name, "id");
  EXPECT_EQ(ids.back().name, "quantity_unit");
  EXPECT_EQ(ids.size(), 36u);
}

TEST(NodeValuesTest, NamesAndColumnsAreUnique) {
  std::set<std::string_view> names;
  std::set<int> columns;
  for (const auto& v : node_values()) {
    EXPECT_TRUE(names.insert(v.spec.name).second) << v.spec.name;
    if (v.spec.column > 0) {
      EXPECT_TRUE(columns.insert(v.spec.column).second) << v.spec.name;
    }
    EXPECT_FALSE(v.spec.description.empty()) << v.spec.name;
    EXPECT_TRUE(v.get || v.spec.field) << v.spec.name;  // every value can be read
  }
}

// Controls may test the node's own fields, and only those.
TEST(NodeValuesTest, ControlsTestTheNodeFields) {
  const auto& scope = NodeFields::control_scope();
  EXPECT_EQ(std::vector<std::string_view>(scope.names.begin(), scope.names.end()),
            (std::vector<std::string_view>{"id", "name", "kind", "jurisdiction", "target", "tags",
                                           "substitution_years", "stock_months", "lifetime_months",
                                           "quantity", "quantity_unit"}));
  EXPECT_EQ(scope.hint,
            "node fields: id, name, kind, jurisdiction, target, tags, substitution_years, "
            "stock_months, lifetime_months, quantity, quantity_unit, attrs.NAME");
}

// Every value read on every node of an analysis has a type its shape allows.
TEST(NodeValuesTest, EveryValueHasTheTypeOfItsShape) {
  auto f = minimal();
  NodeValueContext context{f->model, &f->analysis, &f->scores};
  for (const auto& v : node_values())
    for (NodeIndex n = 0; n < f->model.nodes.size(); ++n) {
      rules::Value value = v.of(context, n);
      rules::TypeSet type = static_cast<rules::TypeSet>(1u << static_cast<unsigned>(value.type));
      EXPECT_TRUE(types_of(v.spec.shape) & type) << v.spec.name << " of " << f->model.nodes[n].id;
    }
}

// The registry's columns, then what `import csv` needs to give the graph back: target, tags and
// an attr:NAME column per attribute (the minimal graph has none).
TEST(NodeValuesTest, NodesCsvHasTheRegistrysColumnsInColumnOrder) {
  auto f = minimal();
  std::ostringstream out;
  write_nodes_csv(out, f->analysis, f->scores);
  std::string header = out.str().substr(3, out.str().find("\r\n") - 3);
  std::string expected = "id";
  for (const NodeValue* v : table_columns()) {
    expected += ',';
    expected += v->spec.name;
  }
  expected += ",target,tags";
  EXPECT_EQ(header, expected);
  EXPECT_EQ(
      header,
      "id,name,kind,jurisdiction,capacity,status,severity,score,reach,impact,spof,suppliers,"
      "top_supplier,top_share,hhi,top_jurisdiction,top_jurisdiction_share,jurisdiction_hhi,"
      "betweenness,articulation,depth,substitution_years,stock_months,lifetime_months,quantity,"
      "quantity_unit,substitutes,sources,rules,target,tags");
}

// docs/rules.md carries the registry's table. Set CHOKEPOINT_UPDATE_GOLDEN=1 to rewrite it.
TEST(NodeValuesTest, DocsTableIsTheRegistrys) {
  std::string path = testing::source_path("docs/rules.md");
  std::string doc = slurp(path);
  const std::string begin = "-->\n", start_marker = "<!-- node values: generated",
                    end_marker = "<!-- end of node values -->";
  auto start = doc.find(start_marker);
  ASSERT_NE(start, std::string::npos);
  start = doc.find(begin, start) + begin.size();
  auto end = doc.find(end_marker, start);
  ASSERT_NE(end, std::string::npos);
  std::string table = node_values_markdown();
  if (std::getenv("CHOKEPOINT_UPDATE_GOLDEN")) {
    doc.replace(start, end - start, table);
    std::ofstream(path, std::ios::binary) << doc;
    end = start + table.size();
  }
  EXPECT_EQ(doc.substr(start, end - start), table);
}

// Every metric the JSON carries is defined in the analyses' documentation.
TEST(NodeValuesTest, EveryMetricIsDefinedInTheAnalysisDocs) {
  std::string doc = slurp(testing::source_path("docs/analysis.md"));
  auto table = doc.substr(doc.find("## Metrics"));
  table = table.substr(0, table.find("\n## "));
  for (const NodeValue* v : json_metrics())
    EXPECT_NE(table.find(fmt::format("`{}`", v->spec.name)), std::string::npos) << v->spec.name;
}

}  // namespace
}  // namespace chokepoint
