// Rule language tests: every operator and function, null semantics, every load-time error with
// its exact text and position, scoring and bands, and the default rules on small graphs.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "rules/rule_set.hpp"
#include "tests/test_util.hpp"

namespace chokepoint::rules {
namespace {

// The index of a rule identifier.
std::size_t field(std::string_view name) { return *find_identifier(name); }

// A node with hand-set field values; unset fields are null.
class FakeEnv : public Environment {
 public:
  std::map<std::size_t, Value> fields;
  std::map<std::string, Value, std::less<>> attrs;
  Value field(std::size_t i) const override {
    auto it = fields.find(i);
    return it == fields.end() ? Value::null() : it->second;
  }
  Value attr(std::string_view name) const override {
    auto it = attrs.find(name);
    return it == attrs.end() ? Value::null() : it->second;
  }
  bool has_attr(std::string_view name) const override { return attrs.find(name) != attrs.end(); }
};

FakeEnv sample() {
  FakeEnv e;
  e.fields[field("id")] = Value::text("asml");
  e.fields[field("name")] = Value::text("ASML Holding");
  e.fields[field("kind")] = Value::text("firm");
  e.fields[field("jurisdiction")] = Value::text("NL");
  e.fields[field("suppliers")] = Value::num(1);
  e.fields[field("reach")] = Value::num(3);
  e.fields[field("top_share")] = Value::num(0.9);
  e.fields[field("tags")] = Value::list({Value::text("equipment"), Value::text("euv")});
  e.fields[field("spof")] = Value::list({Value::text("t1")});
  e.attrs["export_controlled"] = Value::flag(true);
  e.attrs["price"] = Value::num(180);
  return e;
}

Value eval(const std::string& text, const FakeEnv& env, TypeSet result = kAny) {
  std::vector<ExpressionError> errors;
  auto e = Expression::compile(text, result, errors);
  EXPECT_TRUE(e.has_value()) << text << ": " << (errors.empty() ? "" : errors[0].message);
  if (!e) return Value::null();
  return e->evaluate(env);
}

bool when(const std::string& text) {
  FakeEnv env = sample();
  std::vector<ExpressionError> errors;
  auto e = Expression::compile(text, kBool, errors);
  EXPECT_TRUE(e.has_value()) << text << ": " << (errors.empty() ? "" : errors[0].message);
  return e && e->test(env);
}

TEST(ExpressionTest, ComparisonsAndLogic) {
  EXPECT_TRUE(when("suppliers == 1 and reach > 0"));
  EXPECT_FALSE(when("suppliers != 1"));
  EXPECT_TRUE(when("reach >= 3 and reach <= 3 and reach < 4 and not (reach > 3)"));
  EXPECT_TRUE(when("reach > 10 or kind == \"firm\""));
  EXPECT_FALSE(when("reach > 10 or kind == 'chip'"));
  EXPECT_TRUE(when("not false"));
  EXPECT_TRUE(when("true and (false or true)"));
}

TEST(ExpressionTest, PrecedenceOfAndOverOr) {
  EXPECT_TRUE(when("true or false and false"));
  EXPECT_FALSE(when("(true or false) and false"));
}

TEST(ExpressionTest, Arithmetic) {
  FakeEnv env = sample();
  EXPECT_EQ(eval("reach + 2 * 3", env).number, 9);
  EXPECT_EQ(eval("(reach + 2) * 3", env).number, 15);
  EXPECT_EQ(eval("reach - 5", env).number, -2);
  EXPECT_EQ(eval("-reach", env).number, -3);
  EXPECT_DOUBLE_EQ(eval("top_share * 100 / 4", env).number, 22.5);
  EXPECT_EQ(eval("reach / 0", env).type, Type::null);  // no infinity, no crash
  EXPECT_EQ(eval("'a' + 'b'", env).str(), "ab");
  EXPECT_DOUBLE_EQ(eval("1.5e2", env).number, 150);
}

TEST(ExpressionTest, InOperatorOnListsAndText) {
  EXPECT_TRUE(when("jurisdiction in ['NL', 'JP']"));
  EXPECT_FALSE(when("jurisdiction in ['US']"));
  EXPECT_TRUE(when("'euv' in tags"));
  EXPECT_TRUE(when("'SML' in name"));
  EXPECT_TRUE(when("'US' not in tags"));
  EXPECT_TRUE(when("'t1' in spof"));
}

TEST(ExpressionTest, Functions) {
  FakeEnv env = sample();
  EXPECT_EQ(eval("len(tags)", env).number, 2);
  EXPECT_EQ(eval("len(name)", env).number, 12);
  EXPECT_TRUE(when("contains(tags, 'euv')"));
  EXPECT_TRUE(when("contains(name, 'Holding')"));
  EXPECT_TRUE(when("startswith(id, 'as')"));
  EXPECT_FALSE(when("startswith(id, 'sml')"));
  EXPECT_EQ(eval("lower(name)", env).str(), "asml holding");
  EXPECT_EQ(eval("min(reach, 2, 5)", env).number, 2);
  EXPECT_EQ(eval("max(reach, 2, 5)", env).number, 5);
  EXPECT_EQ(eval("max([1, 7, 3])", env).number, 7);
  EXPECT_TRUE(when("has(attrs.export_controlled)"));
  EXPECT_FALSE(when("has(attrs.missing)"));
}

TEST(ExpressionTest, AttributesKeepTheirTypes) {
  EXPECT_TRUE(when("attrs.export_controlled == true"));
  EXPECT_TRUE(when("attrs.price > 100"));
  EXPECT_FALSE(when("attrs.missing > 100"));
}

TEST(ExpressionTest, ComparisonsWithNullAreFalse) {
  // hhi is null on this node (no value set): every comparison with it is false, both ways.
  EXPECT_FALSE(when("hhi > 2500"));
  EXPECT_FALSE(when("hhi <= 2500"));
  EXPECT_FALSE(when("hhi == 0"));
  EXPECT_FALSE(when("hhi != 0"));
  EXPECT_FALSE(when("top_supplier == 'asml'"));
  // ... except against the literal null, which tests for it.
  EXPECT_TRUE(when("hhi == null"));
  EXPECT_FALSE(when("hhi != null"));
  EXPECT_TRUE(when("reach != null"));
  EXPECT_TRUE(when("not (hhi > 2500)"));
  EXPECT_FALSE(when("hhi + 1 > 0"));    // arithmetic with null is null
  std::vector<ExpressionError> errors;  // a bare null can never be true: caught at load
  EXPECT_FALSE(Expression::compile("null", kBool, errors).has_value());
  EXPECT_EQ(errors.at(0).message, "expected true/false, got null");
}

struct ErrorCase {
  const char* name;
  const char* when;
  std::size_t offset;
  const char* message;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

const ErrorCase kErrors[] = {
    {"UnknownIdentifier", "supplier == 1", 0,
     "unknown identifier 'supplier'; did you mean 'suppliers'?"},
    {"UnknownFunction", "size(tags) > 1", 0, "unknown function 'size'"},
    {"WrongArity", "len(tags, name) > 1", 0, "len() takes 1 argument, got 2"},
    {"StringOrdered", "kind > 3", 0, "comparison needs numbers, got text"},
    {"CompareStringWithNumber", "kind == 3", 5, "cannot compare text with a number"},
    {"AndNeedsBool", "reach and true", 0, "'and' needs true/false, got a number"},
    {"InNeedsList", "'a' in reach", 7, "'in' needs a list or text on its right, got a number"},
    {"NotBoolean", "reach + 1", 0, "expected true/false, got a number"},
    {"DoubleEquals", "reach = 1", 6, "unknown operator '='; write '==' to compare"},
    {"CStyleAnd", "reach > 1 && true", 10, "unknown operator '&&'; write 'and'"},
    {"Unterminated", "kind == 'firm", 8, "unterminated string; add the closing quote"},
    {"MissingParen", "(reach > 1", 10, "expected ')', got end of expression"},
    {"TrailingToken", "reach > 1 reach", 10, "unexpected 'reach' after the expression"},
    {"Empty", "", 0, "expected a value, got end of expression"},
    {"HasNeedsAttr", "has(kind)", 4, "has() needs an attribute such as attrs.export_controlled"},
    {"MinOfText", "min(kind, 1) > 0", 4, "min() needs numbers, got text"},
    {"LowerOfNumber", "lower(reach) == 'x'", 6, "lower() needs text, got a number"},
};

class ExpressionErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ExpressionErrorTest, ExactMessageAndOffset) {
  std::vector<ExpressionError> errors;
  auto e = Expression::compile(GetParam().when, kBool, errors);
  EXPECT_FALSE(e.has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, GetParam().message);
  EXPECT_EQ(errors[0].offset, GetParam().offset);
}

INSTANTIATE_TEST_SUITE_P(Cases, ExpressionErrorTest, ::testing::ValuesIn(kErrors),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ExpressionTest, AllTypeErrorsOfAnExpressionAreReported) {
  std::vector<ExpressionError> errors;
  EXPECT_FALSE(Expression::compile("kind > 1 and name < 2", kBool, errors).has_value());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].offset, 0u);
  EXPECT_EQ(errors[1].offset, 13u);
}

struct LoadedRules {
  SourceFiles files;
  Diagnostics diags;
  std::optional<RuleSet> set;
  std::vector<std::string> headers() const { return testing::diagnostic_headers(diags, files); }
};

std::unique_ptr<LoadedRules> load(const std::string& text) {
  auto l = std::make_unique<LoadedRules>();
  l->set = load_rules_text("r.yaml", text, l->files, l->diags);
  return l;
}

TEST(RuleFileTest, ErrorsPointInsideTheExpression) {
  auto l = load(
      "rules:\n  - id: a\n    when: suppliers == 1 and reech > 0\n"
      "  - id: b\n    when: \"kind > 3\"\n    severity: severe\n");
  EXPECT_FALSE(l->set.has_value());
  EXPECT_EQ(l->headers(),
            (std::vector<std::string>{
                "r.yaml:3:30: error: unknown identifier 'reech'; did you mean 'reach'?",
                "r.yaml:5:12: error: comparison needs numbers, got text",
                "r.yaml:6:15: error: unknown severity 'severe'; use info, low, medium, high or "
                "critical"}));
}

TEST(RuleFileTest, StructuralErrors) {
  auto l = load(
      "severity_bands: {low: 10, medium: 5, high: 50, critical: 80}\n"
      "rules:\n  - id: a\n    when: reach > 0\n    score: 120\n    colour: red\n"
      "  - id: a\n    when: reach > 1\n  - description: no id\n"
      "  - id: c\n    when: reach > 0\n    message: \"{nmae} is {top_share:%%}\"\n");
  EXPECT_FALSE(l->set.has_value());
  EXPECT_EQ(l->headers(),
            (std::vector<std::string>{
                "r.yaml:1:17: error: severity_bands must rise: low <= medium <= high <= critical",
                "r.yaml:5:12: error: score must be between 0 and 100, got 120",
                "r.yaml:6:5: error: unknown key 'colour' in rule 'a'",
                "r.yaml:7:9: error: duplicate rule id 'a'; first defined at r.yaml:3:9",
                "r.yaml:9:5: error: rule has no 'id'", "r.yaml:9:5: error: a rule has no 'when'",
                "r.yaml:12:16: error: unknown placeholder '{nmae}'; did you mean 'name'?",
                "r.yaml:12:36: error: unknown format ':%%'; use ':%', ':.1%' or ':.2f'"}));
}

TEST(RuleFileTest, DuplicateIdAcrossFiles) {
  SourceFiles files;
  Diagnostics diags;
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_rules_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "a.yaml") << "rules:\n  - {id: x, when: reach > 0}\n";
  std::ofstream(dir / "b.yaml") << "rules:\n  - {id: x, when: reach > 1}\n";
  auto set = load_rules({(dir / "a.yaml").string(), (dir / "b.yaml").string()}, files, diags);
  EXPECT_FALSE(set.has_value());
  std::ostringstream out;
  diags.print(out, files, false);
  EXPECT_EQ(out.str().substr(0, out.str().find('\n')),
            (dir / "b.yaml").string() + ":2:10: error: duplicate rule id 'x'; first defined at " +
                (dir / "a.yaml").string() + ":2:10");
  std::filesystem::remove_all(dir);
}

const char* kGraph = R"(
nodes:
  - {id: asml, name: ASML, kind: firm, jurisdiction: NL}
  - {id: skh, kind: firm, jurisdiction: KR}
  - {id: samsung, kind: firm, jurisdiction: KR}
  - {id: micron, kind: firm, jurisdiction: US}
  - id: euv
    name: EUV scanner
    kind: lithography
    suppliers: [asml]
    substitution_years: 12
    attrs: {export_controlled: true}
  - id: hbm
    kind: hbm
    suppliers: [{id: skh, share: 0.5}, {id: samsung, share: 0.4}, {id: micron, share: 0.1}]
  - {id: gpu, kind: chip, target: true, inputs: [hbm, euv]}
)";

TEST(ScoringTest, CappedSumAndBandRaiseSeverity) {
  Model m = testing::must_load(kGraph);
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  auto l = load(
      "severity_bands: {low: 10, medium: 25, high: 50, critical: 80}\n"
      "rules:\n"
      "  - {id: r1, when: reach > 0, severity: low, score: 30}\n"
      "  - {id: r2, when: suppliers > 0, severity: info, score: 30}\n"
      "  - {id: r3, when: hhi > 4000, severity: medium, score: 50, message: 'HHI {hhi}'}\n");
  ASSERT_TRUE(l->set.has_value());
  auto scores = score_nodes(*l->set, a);
  const auto& hbm = scores[*m.find("hbm")];
  EXPECT_EQ(hbm.score, 100);                 // 30 + 30 + 50 capped
  EXPECT_EQ(hbm.severity, Level::critical);  // by band
  ASSERT_EQ(hbm.fired.size(), 3u);
  EXPECT_EQ(hbm.fired[2].message, "HHI 4200");
  const auto& skh = scores[*m.find("skh")];
  EXPECT_EQ(skh.score, 30);
  EXPECT_EQ(skh.severity, Level::medium);  // band 25 beats the rule's low
  const auto& gpu = scores[*m.find("gpu")];
  EXPECT_EQ(gpu.score, 0);
  EXPECT_EQ(gpu.severity, Level::info);
  EXPECT_TRUE(gpu.fired.empty());
}

// With one target nothing can be lost three times over, so nothing is critical; the sole EUV
// supplier and the concentrated HBM market are high, and each message names nodes by name.
// One target: the choke-point rules go by the share of targets a node cuts, so a graph of one
// target (an imported ETO table) has critical nodes too.
TEST(DefaultRulesTest, OneTargetGraphHasCriticalChokePoints) {
  Model m = testing::must_load(kGraph);
  auto a = analyze(m, std::nullopt, AnalysisOptions{});
  SourceFiles files;
  Diagnostics diags;
  auto set = load_rules({default_rules_path()}, files, diags);
  ASSERT_TRUE(set.has_value());
  auto scores = score_nodes(*set, a);
  const auto& asml = scores[*m.find("asml")];
  EXPECT_EQ(asml.severity, Level::critical);
  EXPECT_EQ(asml.score, 100);  // choke-point firm 60, only supplier 30, spof 15: 105, capped
  std::vector<std::string> messages;
  for (const auto& f : asml.fired) messages.push_back(f.message);
  EXPECT_EQ(messages,
            (std::vector<std::string>{"ASML holds 100 % of EUV scanner; losing it alone loses gpu",
                                      "ASML is the only supplier of EUV scanner; losing it alone "
                                      "loses gpu",
                                      "ASML: losing it alone loses gpu"}));
  const auto& euv = scores[*m.find("euv")];
  EXPECT_EQ(euv.severity, Level::critical);
  EXPECT_EQ(euv.fired[0].message,
            "EUV scanner is a choke point: losing it alone loses gpu; largest supplier ASML "
            "(100 %), NL 100 %");
  // HBM: Korea holds 90%, the choke point's jurisdiction line.
  const auto& hbm = scores[*m.find("hbm")];
  EXPECT_EQ(hbm.severity, Level::critical);
  messages.clear();
  for (const auto& f : hbm.fired) messages.push_back(f.message);
  EXPECT_EQ(messages, (std::vector<std::string>{
                          "hbm is a choke point: losing it alone loses gpu; largest supplier skh "
                          "(50 %), KR 90 %",
                          "hbm: losing it alone loses gpu; largest supplier skh (50 %)",
                          "hbm: losing it alone loses gpu",
                          "hbm: highly concentrated supply (HHI 4200); largest supplier skh (50 %)",
                          "KR holds 90 % of hbm"}));
  // Micron holds 10% and nothing else: no rule fires.
  EXPECT_TRUE(scores[*m.find("micron")].fired.empty());
}

// A sole supplier never rates below a larger share's: as firm a's share of x rises to 100 %
// (b's falls to nothing), neither x's nor a's score or severity falls, whether x is a single
// point of failure of one target, of a third of eight, or of none (an alternative exists).
TEST(DefaultRulesTest, SoleSupplierRatesAtLeastAsHighAsAnyShare) {
  SourceFiles files;
  Diagnostics diags;
  auto set = load_rules({default_rules_path()}, files, diags);
  ASSERT_TRUE(set.has_value());
  const std::vector<std::string> uses = {
      "  - {id: t, kind: capability, target: true, inputs: [x]}\n",
      "  - {id: t1, kind: capability, target: true, inputs: [x]}\n"
      "  - {id: t2, kind: capability, target: true, inputs: [x]}\n"
      "  - {id: t3, kind: capability, target: true, inputs: [x]}\n"
      "  - {id: t4, kind: capability, target: true, inputs: [y]}\n"
      "  - {id: t5, kind: capability, target: true, inputs: [y]}\n"
      "  - {id: t6, kind: capability, target: true, inputs: [y]}\n"
      "  - {id: t7, kind: capability, target: true, inputs: [y]}\n"
      "  - {id: t8, kind: capability, target: true, inputs: [y]}\n",
      "  - {id: t, kind: capability, target: true, inputs: [{any: [x, y]}]}\n"};
  for (const auto& use : uses) {
    double last_x = -1, last_a = -1;
    Level level_x = Level::info, level_a = Level::info;
    for (double s : {0.5, 0.65, 0.8, 0.9, 0.94, 0.99, 1.0}) {
      std::string suppliers =
          s < 1 ? fmt::format("[{{id: a, share: {}}}, {{id: b, share: {}}}]", s, 1 - s) : "[a]";
      Model m = testing::must_load(
          "nodes:\n"
          "  - {id: a, kind: firm, jurisdiction: NL}\n"
          "  - {id: b, kind: firm, jurisdiction: JP}\n"
          "  - {id: c, kind: firm, jurisdiction: US}\n"
          "  - {id: x, kind: equipment, suppliers: " +
          suppliers +
          "}\n"
          "  - {id: y, kind: equipment, suppliers: [c]}\n" +
          use);
      auto scores = score_nodes(*set, analyze(m, std::nullopt, AnalysisOptions{}));
      const auto& x = scores[*m.find("x")];
      const auto& a = scores[*m.find("a")];
      SCOPED_TRACE(fmt::format("share {} with\n{}", s, use));
      EXPECT_GE(x.score, last_x);
      EXPECT_GE(x.severity, level_x);
      EXPECT_GE(a.score, last_a);
      EXPECT_GE(a.severity, level_a);
      last_x = x.score;
      last_a = a.score;
      level_x = x.severity;
      level_a = a.severity;
    }
  }
}

// An installed base beside new supply: losing the scanner (sole supplier a) stops new clusters,
// which are 1 - f of the year's compute, and loses no target. With f = 0.5 it costs the target
// half its capacity (two-fifths or more): a choke point by capacity, item and firm; with f = 0.7
// it costs 30 %: a choke point by degree (high), and its firm fires no rule.
TEST(DefaultRulesTest, AnInstalledBaseMakesChokePointsByCapacity) {
  SourceFiles files;
  Diagnostics diags;
  auto set = load_rules({default_rules_path()}, files, diags);
  ASSERT_TRUE(set.has_value());
  for (double installed : {0.5, 0.7}) {
    Model m = testing::must_load(fmt::format(
        "nodes:\n"
        "  - {{id: a, name: Scanner maker, kind: firm, jurisdiction: NL}}\n"
        "  - {{id: scanner, name: Scanner, kind: equipment, suppliers: [a]}}\n"
        "  - {{id: new-clusters, kind: cloud, inputs: [scanner]}}\n"
        "  - {{id: fleet, kind: cloud}}\n"
        "  - {{id: t, kind: capability, target: true, inputs: [{{any: [{{id: fleet, share: "
        "{}}}, {{id: new-clusters, share: {}}}]}}]}}\n",
        installed, 1 - installed));
    auto scores = score_nodes(*set, analyze(m, std::nullopt, AnalysisOptions{}));
    const auto& scanner = scores[*m.find("scanner")];
    const auto& a = scores[*m.find("a")];
    SCOPED_TRACE(installed);
    ASSERT_FALSE(scanner.fired.empty());
    if (installed == 0.5) {
      ASSERT_FALSE(a.fired.empty());
      EXPECT_EQ(scanner.severity, Level::critical);
      EXPECT_EQ(scanner.fired[0].message,
                "Scanner is a choke point: losing it alone costs the targets 50 % of their "
                "capacity on average; largest supplier Scanner maker (100 %), NL 100 %");
      EXPECT_EQ(a.severity, Level::critical);
      EXPECT_EQ(a.fired[0].message,
                "Scanner maker holds 100 % of Scanner; losing it alone costs the targets 50 % of "
                "their capacity on average");
    } else {
      EXPECT_EQ(scanner.severity, Level::high);
      EXPECT_EQ(scanner.fired[0].message,
                "Scanner: losing it alone costs the targets 30 % of their capacity on average");
      EXPECT_EQ(a.severity, Level::info);  // no target lost, a cost under half a target's
      EXPECT_TRUE(a.fired.empty());
    }
  }
}

TEST(DefaultRulesTest, ShippedDatasetAsmlIsCritical) {
  std::string out;
  ASSERT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml --format json", &out), 0);
  auto at = out.find("\"id\": \"asml\"");
  ASSERT_NE(at, std::string::npos);
  auto block = out.substr(at, out.find("\"id\": \"ats\"") - at);
  EXPECT_NE(block.find("\"severity\": \"critical\""), std::string::npos);
  // Messages name nodes by name, not id.
  // Critical through its service: every scanner fleet, China's too, runs on it.
  EXPECT_NE(block.find("ASML Holding holds 100 % of Service and spare parts for EUV scanners; "
                       "losing it alone"),
            std::string::npos)
      << block;
}

// The calibration: the critical set of the shipped dataset is the golden list (each entry with
// why it is a choke point), at most about a tenth of the nodes, and critical plus high at most a
// quarter; no firm is critical for being the only maker of its own product.
TEST(DefaultRulesTest, CriticalSetOfTheDataset) {
  std::string out;
  ASSERT_EQ(testing::run_cli("analyze data/ai-supply-chain.yaml --format json", &out), 0);
  auto report = nlohmann::json::parse(out);
  std::vector<std::string> critical;
  std::size_t high = 0, nodes = report["nodes"].size();
  for (const auto& n : report["nodes"]) {
    if (n["severity"] == "critical") critical.push_back(n["id"]);
    if (n["severity"] == "high") ++high;
  }
  std::vector<std::string> expected;
  std::ifstream in(testing::source_path("tests/data/golden/dataset-critical.txt"));
  for (std::string line; std::getline(in, line);) {
    auto id = line.substr(0, line.find_first_of(" #"));
    if (!id.empty()) expected.push_back(id);
  }
  EXPECT_EQ(critical, expected);
  EXPECT_LE(critical.size() * 100, nodes * 10);
  EXPECT_LE((critical.size() + high) * 100, nodes * 25);
  for (const char* own_product_only : {"mistral-ai", "meta", "deepseek-ai", "alibaba"})
    EXPECT_EQ(std::find(critical.begin(), critical.end(), own_product_only), critical.end());
}

TEST(CliRulesTest, FailOnExitsFour) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --fail-on high --format json",
                             &out, &err),
            4);
  EXPECT_EQ(err, "5 nodes reached --fail-on high\n");  // asml, euv, hbm, n4, tsmc
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --fail-on high "
                             "--rules tests/data/rules/quiet.yaml --format json",
                             &out, &err),
            0);
}

TEST(CliRulesTest, BadRuleFileExitsOne) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --rules tests/data/rules/bad.yaml",
                             &out, &err),
            1);
  EXPECT_EQ(
      err,
      "tests/data/rules/bad.yaml:4:29: error: unknown identifier 'reech'; did you mean 'reach'?\n"
      "      when: suppliers > 1 and reech > 0\n"
      "                              ^\n"
      "1 error generated.\n");
}

}  // namespace
}  // namespace chokepoint::rules

namespace chokepoint::rules {
namespace {

// Found by fuzz_rules: 10,000 nested parentheses overflowed the parser's stack.
TEST(ExpressionTest, DeepNestingIsAnErrorNotACrash) {
  std::vector<ExpressionError> errors;
  std::string deep = std::string(10'000, '(') + "true" + std::string(10'000, ')');
  EXPECT_FALSE(Expression::compile(deep, kBool, errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "expression nests too deeply (about 100 levels); simplify it");
  EXPECT_EQ(errors[0].offset, 100u);
  std::string minus = std::string(5'000, '-') + "1";
  errors.clear();
  EXPECT_FALSE(Expression::compile(minus, kAny, errors).has_value());
  // Fifty levels are fine.
  errors.clear();
  EXPECT_TRUE(
      Expression::compile(std::string(50, '(') + "true" + std::string(50, ')'), kBool, errors));
}

std::string joined(std::size_t count, const std::string& term, const std::string& op) {
  std::string out = term;
  for (std::size_t i = 1; i < count; ++i) out += op + term;
  return out;
}

// Issue 29: flat chains built a left-deep tree that the checker and the evaluator walked one
// frame per operand, and 25,000 terms overflowed the stack (SIGSEGV).
TEST(ExpressionTest, LongChainsOfOneOperatorAreFlat) {
  FakeEnv env = sample();
  EXPECT_EQ(eval(joined(25'000, "1", "+"), env).number, 25'000);
  EXPECT_EQ(eval(joined(50'000, "1", " * ") + " * 7", env).number, 7);
  EXPECT_EQ(eval("64 / 2 / 2 / 2", env).number, 8);
  EXPECT_TRUE(when(joined(50'000, "true", " and ")));
  EXPECT_FALSE(when(joined(50'000, "true", " and ") + " and false"));
  EXPECT_TRUE(when(joined(50'000, "false", " or ") + " or reach == 3"));
  EXPECT_FALSE(when(joined(50'000, "false", " or ")));
  EXPECT_EQ(eval(joined(30'000, "'ab'", " + "), env).str().size(), 60'000u);
  // Left to right, as written: (((10 - 2) - 3) + 1), ((8 / 2) * 3); text then null is null.
  EXPECT_EQ(eval("10 - 2 - 3 + 1", env).number, 6);
  EXPECT_EQ(eval("8 / 2 * 3", env).number, 12);
  EXPECT_EQ(eval("(1 - 2) - (3 - 4)", env).number, 0);
  EXPECT_EQ(eval("'a' + attrs.none + 'b'", env).type, Type::null);
  EXPECT_EQ(eval("'a' + 'b' + name", env).str(), "abASML Holding");
  // Precedence still holds inside chains.
  EXPECT_TRUE(when("false and true or true and reach == 3"));
  EXPECT_EQ(eval("1 + 2 * 3 - 4 / 2", env).number, 5);
}

TEST(ExpressionTest, TypeErrorsInsideChainsKeepTheirPositions) {
  std::vector<ExpressionError> errors;
  EXPECT_FALSE(Expression::compile("1 + 2 + 'x' + 3", kAny, errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].offset, 8u);
  EXPECT_EQ(errors[0].message, "'+' needs numbers (or text on both sides), got text");
  errors.clear();
  // What precedes an operand is reported at the operator before it, as for a left-deep tree.
  EXPECT_FALSE(Expression::compile("'a' + 'b' - 1", kAny, errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].offset, 4u);
  EXPECT_EQ(errors[0].message, "'-' needs numbers, got text");
  errors.clear();
  EXPECT_FALSE(Expression::compile("true and 1 and reach", kBool, errors).has_value());
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].offset, 9u);
  EXPECT_EQ(errors[0].message, "'and' needs true/false, got a number");
  EXPECT_EQ(errors[1].offset, 15u);
}

TEST(ExpressionTest, TooManyTokensIsAPositionedError) {
  std::vector<ExpressionError> errors;
  std::string text = joined(kMaxTokens / 2 + 1, "true", " or ");
  EXPECT_FALSE(Expression::compile(text, kBool, errors).has_value());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message,
            "expression is too long (more than 250000 tokens); split it into rules or use 'in "
            "[...]'");
  EXPECT_EQ(errors[0].offset, (kMaxTokens / 2) * std::string("true or ").size());
  errors.clear();
  EXPECT_TRUE(Expression::compile(joined(kMaxTokens / 2, "true", " or "), kBool, errors));
}

TEST(ExpressionTest, JoinedTextPastTheLimitIsNull) {
  FakeEnv env = sample();
  std::string big = "'" + std::string(kMaxText / 4, 'x') + "'";
  EXPECT_EQ(eval(joined(4, big, " + "), env).str().size(), kMaxText);
  EXPECT_EQ(eval(joined(5, big, " + "), env).type, Type::null);
  EXPECT_EQ(eval(joined(5, big, " + ") + " + 'y'", env).type, Type::null);
}

}  // namespace
}  // namespace chokepoint::rules

namespace chokepoint {
namespace {

TEST(RuleFieldsTest, LeverageFieldsNeedTwoSides) {
  auto loaded = testing::load_text(R"(
nodes:
  - {id: us-fab, kind: firm, jurisdiction: US}
  - {id: cn-mine, kind: firm, jurisdiction: CN}
  - {id: jp-mine, kind: firm, jurisdiction: JP}
  - {id: chip, kind: chip, suppliers: [us-fab]}
  - {id: gallium, kind: material, suppliers: [{id: cn-mine, share: 0.8}, {id: jp-mine, share: 0.2}]}
  - {id: us-ai, kind: capability, jurisdiction: US, target: true, inputs: [chip, gallium]}
  - {id: cn-ai, kind: capability, jurisdiction: CN, target: true, inputs: [chip]}
)");
  const Model& m = *loaded->model;
  SourceFiles files;
  Diagnostics diags;
  auto rules = rules::load_rules_text("r.yaml", R"y(
rules:
  - id: lever
    when: leverage > 0.5
    severity: high
    message: "{name}: leverage {leverage:.2f} (own {impact_on_own_side:.1f}, other {impact_on_other_side:.1f})"
)y",
                                      files, diags);
  ASSERT_TRUE(rules.has_value());
  AnalysisOptions o;
  o.decouple = std::pair<std::string, std::string>{"US", "CN"};
  auto a = analyze(m, std::nullopt, o);
  auto scores = rules::score_nodes(*rules, a);
  ASSERT_EQ(scores[*m.find("cn-mine")].fired.size(), 1u);
  EXPECT_EQ(scores[*m.find("cn-mine")].fired[0].message,
            "cn-mine: leverage 0.80 (own 0.0, other 0.8)");
  EXPECT_TRUE(scores[*m.find("us-fab")].fired.empty());   // leverage 0
  EXPECT_TRUE(scores[*m.find("jp-mine")].fired.empty());  // in neither side: null
  auto no_sides = analyze(m, std::nullopt, AnalysisOptions{});
  EXPECT_TRUE(rules::score_nodes(*rules, no_sides)[*m.find("cn-mine")].fired.empty());
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// impact_share and spof_share divide by the targets judged: all three in the world, China's two
// in its view. Hand-computed: removing firm a leaves mem at 0.4, so t1 and t2 at 0.4 each
// (impact 1.2); removing b leaves mem at 0.6 and loses t3's input (impact 0.8 + 1 = 1.8, of
// which China's targets 0.8); removing mem loses t1 and t2 (impact 2, spof 2).
TEST(NodeValuesTest, SharesOfTargetsAreOfTheTargetsJudged) {
  auto dir =
      std::filesystem::temp_directory_path() / ("chokepoint_shares_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "g.yaml") << "format: 1\nnodes:\n"
                                   "  - {id: a, kind: firm, jurisdiction: KR}\n"
                                   "  - {id: b, kind: firm, jurisdiction: US}\n"
                                   "  - {id: mem, kind: hbm, suppliers: [{id: a, share: 0.6}, "
                                   "{id: b, share: 0.4}]}\n"
                                   "  - {id: other, kind: material, suppliers: [b]}\n"
                                   "  - {id: t1, kind: capability, target: true, "
                                   "jurisdiction: CN, inputs: [mem]}\n"
                                   "  - {id: t2, kind: capability, target: true, "
                                   "jurisdiction: CN, inputs: [mem]}\n"
                                   "  - {id: t3, kind: capability, target: true, "
                                   "jurisdiction: US, inputs: [other]}\n";
  std::ofstream(dir / "r.yaml")
      << "severity_bands: {low: 15, medium: 35, high: 60, critical: 101}\n"
         "rules:\n"
         "  - id: show\n"
         "    when: id in ['a', 'b', 'mem']\n"
         "    severity: info\n"
         "    score: 0\n"
         "    message: '{impact_share:.4f} {spof_share:.4f}'\n";
  auto messages = [&](const std::string& extra) {
    std::string out, err;
    EXPECT_EQ(testing::run_cli("analyze " + (dir / "g.yaml").string() + " --rules " +
                                   (dir / "r.yaml").string() + " --format json" + extra,
                               &out, &err),
              0)
        << err;
    std::map<std::string, std::string> by_id;
    auto report = nlohmann::json::parse(out);
    for (const auto& n : report["nodes"])
      if (!n["rules"].empty()) by_id[n["id"]] = n["rules"][0]["message"];
    return by_id;
  };
  EXPECT_EQ(messages(""),
            (std::map<std::string, std::string>{
                {"a", "0.4000 0.0000"}, {"b", "0.6000 0.3333"}, {"mem", "0.6667 0.6667"}}));
  EXPECT_EQ(messages(" --view CN"),
            (std::map<std::string, std::string>{
                {"a", "0.6000 0.0000"}, {"b", "0.4000 0.0000"}, {"mem", "1.0000 1.0000"}}));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace chokepoint
