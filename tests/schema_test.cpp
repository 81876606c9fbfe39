// Every JSON output the tests produce is validated against the shipped JSON Schema
// (data/schema/chokepoint-report-2.schema.json) with python3-jsonschema.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

// Commands whose JSON output is checked, beside the golden JSON files.
const char* kJsonCommands[] = {
    "analyze data/ai-supply-chain.yaml --format json",
    "analyze data/ai-supply-chain.yaml -s data/scenarios/embargo-cn-fdpr.yaml --format json",
    "analyze data/ai-supply-chain.yaml --control 'US>CN' --items \"kind == 'chip'\" --fdpr "
    "--control 'US>huawei' --between us-allies --and CN --format json",
    "whatif data/ai-supply-chain.yaml --control 'NL>CN' --format json",
    "whatif data/ai-supply-chain.yaml --remove-jurisdiction TW --format json",
    "whatif data/ai-supply-chain.yaml --rank --format json",
    "decouple data/ai-supply-chain.yaml --between us-allies --and CN --fdpr --format json",
    "analyze data/examples/minimal.yaml --cut-by jurisdiction --format json",
    "coalitions data/ai-supply-chain.yaml --against CN --fdpr --format json",
    "timeline data/ai-supply-chain.yaml --control 'us-allies>CN' --fdpr --for 24 --ramp linear "
    "--format json",
    "coalitions data/ai-supply-chain.yaml --against CN --items \"kind == 'lithography'\" "
    "--below 0.5 --format json",
    "whatif data/ai-supply-chain.yaml --rank --between us-nl-jp --and CN --format json",
    "uncertainty data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml --view US "
    "--samples 100 --format json",
    "uncertainty data/examples/uncertainty.yaml -s "
    "data/examples/scenarios/uncertainty-hbm-control.yaml --samples 100 --format json",
    "uncertainty data/examples/minimal.yaml --format json",
    "coalitions data/ai-supply-chain.yaml --against CN -s data/scenarios/controls-2025.yaml "
    "--candidates US,NL,JP,KR,TW --sweep --samples 20 --format json",
    "whatif data/examples/uncertainty.yaml -s data/examples/scenarios/uncertainty-hbm-control.yaml "
    "--format json",
    "analyze data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml --view CN --order 1 "
    "--format json",
    "whatif data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml --rank --view CN "
    "--format json",
    "analyze data/ai-supply-chain.yaml -s data/scenarios/controls-2025.yaml --between us-allies "
    "--and CN --fdpr --order 1 --format json",
    "coalitions tests/data/coalitions-24.yaml --against CN --budget 30 --format json",
    "coalitions tests/data/coalitions-24.yaml --against CN --budget 3000 --format json",
    "compare data/examples/compare.yaml data/examples/scenarios/compare-us-control.yaml "
    "data/examples/scenarios/compare-korea-offline.yaml --format json",
    "compare data/ai-supply-chain.yaml --baseline data/scenarios/controls-2025.yaml "
    "-s data/scenarios/taiwan-disruption.yaml --embargo 'us-allies>CN' --samples 20 --format json",
};

std::string validator() {
  return "python3 '" + testing::source_path("tests/validate_json.py") + "' '" +
         testing::source_path("data/schema/chokepoint-report-2.schema.json") + "'";
}

bool have_jsonschema() { return std::system("python3 -c 'import jsonschema' 2>/dev/null") == 0; }

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_jsonschema()) GTEST_SKIP() << "python3-jsonschema missing; run scripts/setup.sh";
    dir_ = fs::temp_directory_path() / ("chokepoint_schema_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // Runs the validator over `files`; returns its exit code and output.
  int validate(const std::vector<std::string>& files, std::string* out) {
    std::string cmd = validator();
    for (const auto& f : files) cmd += " '" + f + "'";
    cmd += " > '" + (dir_ / "validator.out").string() + "' 2>&1";
    int rc = std::system(cmd.c_str());
    std::ifstream in(dir_ / "validator.out");
    *out = std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return WEXITSTATUS(rc);
  }
  fs::path dir_;
};

TEST_F(SchemaTest, EveryJsonOutputValidates) {
  std::vector<std::string> files;
  int i = 0;
  for (const char* args : kJsonCommands) {
    std::string out, err;
    ASSERT_EQ(testing::run_cli(args, &out, &err), 0) << args << "\n" << err;
    auto path = dir_ / ("out" + std::to_string(i++) + ".json");
    std::ofstream(path) << out;
    files.push_back(path.string());
  }
  for (const auto& e : fs::directory_iterator(testing::source_path("tests/data/golden")))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::string report;
  EXPECT_EQ(validate(files, &report), 0) << report;
  EXPECT_EQ(report,
            std::to_string(files.size()) + " of " + std::to_string(files.size()) + " valid\n");
}

// The schema is strict enough to catch a wrong status or an unknown denial reason.
TEST_F(SchemaTest, AnInvalidReportIsRejected) {
  std::string out;
  ASSERT_EQ(testing::run_cli(
                "whatif data/examples/minimal.yaml --embargo 'allies>CN' --format json", &out),
            0);
  auto pos = out.find("\"reason\": \"direct\"");
  ASSERT_NE(pos, std::string::npos);
  out.replace(pos, std::string("\"reason\": \"direct\"").size(), "\"reason\": \"sanction\"");
  auto path = (dir_ / "bad.json").string();
  std::ofstream(path) << out;
  std::string report;
  EXPECT_EQ(validate({path}, &report), 1);
  EXPECT_NE(report.find(path + ": denials/0/reason: 'sanction' is not one of ['direct', 'fdpr']"),
            std::string::npos)
      << report;
}

}  // namespace
}  // namespace chokepoint
