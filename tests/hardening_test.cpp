// Regression tests of the second hardening round (issue 29): hostile inputs that crashed, ran out
// of memory or ran for minutes must end with a clear message, the documented exit status and
// bounded work. The generators of the full-size cases are tests/hostile/generate.py and
// bench/generate.py --shape; these tests use smaller versions of the same shapes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

// A scratch folder removed at the end of the test.
class Scratch {
 public:
  Scratch()
      : dir_(std::filesystem::temp_directory_path() /
             ("chokepoint_hardening_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~Scratch() { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }

 private:
  std::filesystem::path dir_;
};

std::string joined(std::size_t count, const std::string& term, const std::string& op) {
  std::string out = term;
  for (std::size_t i = 1; i < count; ++i) out += op + term;
  return out;
}

// High 1: `items: 'true and true and ...'` (50,000 terms) was a SIGSEGV; a rule's
// `when: "1+1+..."` (25,000 terms) too.
TEST(HardeningExpressionTest, FlatChainsInItemsAndWhenAreAnswered) {
  Scratch s;
  std::string scenario = s.write("s.yaml",
                                 "scenario:\n  controls:\n    - by: [US]\n"
                                 "      against: [CN]\n      items: '" +
                                     joined(50'000, "true", " and ") + "'\n");
  std::string out, err;
  EXPECT_EQ(testing::run_cli("whatif data/examples/minimal.yaml -s " + scenario + " --format json",
                             &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("\"denials\""), std::string::npos);
  std::string rules =
      s.write("r.yaml", "rules:\n  - id: long\n    when: \"" + joined(25'000, "1", "+") +
                            " == 25000\"\n    severity: low\n    score: 1\n"
                            "    message: \"{name}\"\n");
  EXPECT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml --rules " + rules + " --format json",
                       &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("\"id\": \"long\""), std::string::npos);
}

}  // namespace
}  // namespace chokepoint
