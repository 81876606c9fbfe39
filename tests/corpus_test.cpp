// The malformed-input corpus: every file in tests/data/bad/ is a mistake a person or a broken
// converter makes; NAME.expect holds the exact diagnostics `validate` must print for it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

std::vector<std::string> corpus() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(testing::source_path("tests/data/bad")))
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class CorpusTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusTest, ValidateReportsTheExpectedDiagnostics) {
  std::string rel = "tests/data/bad/" + GetParam() + ".yaml";
  std::ifstream in(testing::source_path("tests/data/bad/" + GetParam() + ".expect"));
  ASSERT_TRUE(in) << "missing " << GetParam() << ".expect";
  std::vector<std::string> expected;
  for (std::string line; std::getline(in, line);) expected.push_back(line);
  ASSERT_FALSE(expected.empty());
  std::string out, err;
  EXPECT_EQ(testing::run_cli("validate " + rel, &out, &err), 1) << err;
  EXPECT_EQ(out, "");
  std::vector<std::string> headers;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);)
    if (line.find(": error: ") != std::string::npos ||
        line.find(": warning: ") != std::string::npos)
      if (line.rfind("  ", 0) != 0) headers.push_back(line);
  EXPECT_EQ(headers, expected);
}

INSTANTIATE_TEST_SUITE_P(BadInputs, CorpusTest, ::testing::ValuesIn(corpus()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

TEST(CorpusTest, HasAtLeastFortyFiles) { EXPECT_GE(corpus().size(), 40u); }

}  // namespace
}  // namespace chokepoint
