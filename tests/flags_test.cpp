// No flag is silently ignored: every flag of every command, as its --help lists it, either
// changes what the command writes or is refused. A new flag without a sample here fails the test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

// US and Dutch tools; Korean and Chinese HBM makers that need them; three Chinese targets (one
// needing both tool makers directly) and a US one; an orphan node for validate's warning.
const char* kGraph = R"(jurisdictions:
  US: {fdpr: true}
nodes:
  - {id: us-tools, kind: equipment, jurisdiction: US}
  - {id: nl-tools, kind: equipment, jurisdiction: NL}
  - {id: tools, kind: equipment, suppliers: [{id: us-tools, share: [0.5, 0.7]}, {id: nl-tools, share: 0.4}]}
  - {id: skh, kind: firm, jurisdiction: KR, inputs: [tools]}
  - {id: cxmt, kind: firm, jurisdiction: CN, inputs: [tools]}
  - {id: power, kind: power}
  - {id: hbm, kind: hbm, suppliers: [{id: skh, share: 0.5}, {id: cxmt, share: 0.5}], inputs: [power], substitution_years: 3}
  - {id: cn-ai, kind: capability, jurisdiction: CN, inputs: [hbm], target: true}
  - {id: cn-cloud, kind: cloud, jurisdiction: CN, inputs: [tools], target: true}
  - {id: us-ai, kind: capability, jurisdiction: US, inputs: [hbm], target: true}
  - {id: cn-fab, kind: foundry, jurisdiction: CN, inputs: [us-tools, nl-tools], target: true}
  - {id: orphan, kind: firm, jurisdiction: DE}
)";

const char* kScenario = "scenario:\n  name: skh gone\n  remove: [skh]\n";
const char* kBadScenario = "scenario:\n  remove: [nope]\n";
// A control lifted in reality: --as-of after that date drops it.
const char* kLiftedScenario =
    "scenario:\n  name: lifted\n  controls:\n    - {id: nl-rule, by: [NL], against: [CN], "
    "lifted: 2025-07-02}\n";
const char* kRules = R"(rules:
  - id: any-hbm
    when: kind == 'hbm'
    severity: high
    score: 50
    message: "{name} is HBM"
)";

struct Sample {
  std::string context;  // added to the command's base line, with and without the flag
  std::string flag;     // the flag with its value
};

class FlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("chokepoint_flags_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "g.yaml") << kGraph;
    std::ofstream(dir_ / "s.yaml") << kScenario;
    std::ofstream(dir_ / "bad.yaml") << kBadScenario;
    std::ofstream(dir_ / "lifted.yaml") << kLiftedScenario;
    std::ofstream(dir_ / "r.yaml") << kRules;
    std::ofstream(dir_ / "nodes.csv") << "id,kind,jurisdiction,target\nt,capability,US,true\n"
                                         "f,firm,US,\n";
    std::ofstream(dir_ / "edges.csv") << "from,to,role\nf,t,supplier\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

// The flags a command's --help lists (long names; -h/--help left out).
std::vector<std::string> listed_flags(const std::string& command) {
  std::string out;
  EXPECT_EQ(testing::run_cli(command + " --help", &out), 0);
  std::vector<std::string> flags;
  std::set<std::string> seen;
  auto options = out.find("Options:");
  std::regex line(R"(\n\s+(?:-[A-Za-z],)?(--[a-z][a-z-]*))");
  for (std::sregex_iterator it(out.begin() + static_cast<std::ptrdiff_t>(options), out.end(), line),
       end;
       it != end; ++it) {
    std::string flag = (*it)[1];
    if (flag != "--help" && seen.insert(flag).second) flags.push_back(flag);
  }
  return flags;
}

TEST_F(FlagsTest, EveryFlagChangesTheOutputOrIsRefused) {
  const std::string g = at("g.yaml"), s = at("s.yaml"), r = at("r.yaml");
  const std::string out_file = at("out.any"), out_dir = at("set");
  const std::map<std::string, std::string> base = {
      {"validate", "validate " + g},
      {"analyze", "analyze " + g + " --control 'US>CN'"},
      {"whatif", "whatif " + g + " --remove cxmt"},
      {"render", "render " + g + " -o -"},
      {"decouple", "decouple " + g + " --between US --and CN"},
      {"coalitions", "coalitions " + g + " --against CN"},
      {"timeline", "timeline " + g + " --control 'US>CN' --months 24"},
      {"uncertainty", "uncertainty " + g + " --control 'US>CN' --samples 50"},
      {"compare", "compare " + g + " -s " + s},
      {"import", "import csv " + at("nodes.csv") + " " + at("edges.csv") + " -o -"},
  };
  const std::string control = "--control 'US>CN'";
  // Scenario flags, the same everywhere a scenario is taken.
  const std::map<std::string, Sample> scenario_flags = {
      {"--scenario", {"", "-s " + s}},
      {"--as-of", {"-s " + at("lifted.yaml"), "--as-of 2025-08-01"}},
      {"--remove", {"", "--remove skh"}},
      {"--remove-jurisdiction", {"", "--remove-jurisdiction KR"}},
      {"--capacity", {"", "--capacity skh=0.5"}},
      {"--control", {"", "--control 'NL>CN'"}},
      {"--embargo", {"", "--embargo 'NL>CN'"}},
      {"--items", {control, "--items \"kind == 'equipment'\""}},
      {"--made-with", {control, "--made-with \"kind == 'equipment'\""}},  // refused: no --fdpr
      {"--fdpr", {control, "--fdpr"}},
      {"--de-minimis", {control + " --fdpr", "--de-minimis 0.9"}},
  };
  std::map<std::string, std::map<std::string, Sample>> samples = {
      {"validate",
       {{"--quiet", {"", "--quiet"}},
        {"--explain", {"", "--explain"}},  // hbm: makers in KR and CN, inputs of its own
        {"--scenario", {"", "-s " + at("bad.yaml")}}}},
      {"analyze",
       {{"--order", {"", "--order 1"}},
        {"--cut-kinds", {"", "--cut-kinds firm"}},
        {"--cut-budget", {"--view CN", "--cut-budget 1"}},
        {"--max-cut-sets", {"", "--max-cut-sets 1"}},
        {"--cut-by", {"", "--cut-by jurisdiction"}},
        {"--between", {"", "--between US --and CN"}},
        {"--and", {"", "--between US --and CN"}},
        {"--view", {"", "--view CN"}},
        {"--samples", {"", "--samples 0"}},
        {"--seed", {"", "--seed 7"}},
        {"--rules", {"", "--rules " + r}},
        {"--fail-on", {"", "--fail-on info"}},
        {"--precision", {"", "--precision 3"}},
        {"--format", {"", "--format json"}},
        {"--output", {"", "-o " + out_file}},
        {"--out-dir", {"", "--out-dir " + out_dir}},
        {"--max-nodes", {"--format svg", "--max-nodes 1"}}}},
      {"whatif",
       {{"--rank", {"", "--rank"}},
        {"--order", {"--rank", "--order 2"}},
        {"--between", {"--rank", "--between US --and CN"}},
        {"--and", {"--rank", "--between US --and CN"}},
        {"--view", {"", "--view CN"}},
        {"--samples", {"", "--samples 0"}},
        {"--seed", {"", "--seed 7"}},
        {"--rules", {"", "--rules " + r}},
        {"--precision", {"", "--precision 3"}},
        {"--format", {"", "--format json"}},
        {"--output", {"", "-o " + out_file}}}},
      {"render",
       {{"--output", {"", "-o " + out_file}},
        {"--format", {"", "--format dot"}},
        {"--focus", {"", "--focus cn-ai"}},
        {"--title", {"", "--title Other"}},
        {"--depth", {"--focus cn-ai", "--depth 1"}},
        {"--cluster", {"", "--cluster kind"}},
        {"--view", {control, "--view CN"}},
        {"--rules", {"", "--rules " + r}},
        {"--min-severity", {"", "--min-severity critical"}},
        {"--max-nodes", {"", "--max-nodes 1"}},
        {"--layout", {"", "--layout sfdp"}}}},
      {"decouple",
       {{"--between", {"", "--between NL"}},  // replaces the base line's US
        {"--and", {"", "--and KR"}},
        {"--order", {"--embargo 'NL>CN'", "--order 1"}},  // cn-fab needs both tool makers back
        {"--items", {"", "--items \"kind == 'hbm'\""}},
        {"--made-with", {"--fdpr", "--made-with \"kind == 'hbm'\""}},
        {"--fdpr", {"", "--fdpr"}},
        {"--de-minimis", {"--fdpr", "--de-minimis 0.9"}},
        {"--format", {"", "--format json"}},
        {"--output", {"", "-o " + out_file}}}},
      {"coalitions",
       {{"--against", {"", "--against US"}},
        {"--items", {"", "--items \"kind == 'firm'\""}},
        {"--made-with", {"--fdpr", "--made-with \"kind == 'firm'\""}},
        {"--fdpr", {"", "--fdpr"}},
        {"--de-minimis", {"--fdpr", "--de-minimis 0.9"}},
        {"--candidates", {"", "--candidates NL"}},
        {"--order", {"", "--order 1"}},
        {"--below", {"", "--below 0.9"}},
        {"--target", {"", "--target cn-cloud"}},
        {"--budget", {"", "--budget 1"}},
        {"--sweep", {"", "--sweep"}},
        {"--samples", {"", "--samples 20"}},
        {"--seed", {"--samples 20", "--seed 7"}},
        {"--precision", {"--below 0.35", "--precision 3"}},
        {"--scenario", {"", "-s " + s}},
        {"--format", {"", "--format json"}},
        {"--output", {"", "-o " + out_file}},
        {"--out-dir", {"", "--out-dir " + out_dir}}}},
      {"timeline",
       {{"--baseline", {"", "--baseline " + s}},
        {"--for", {"", "--for 6"}},
        {"--months", {"", "--months 6"}},
        {"--ramp", {"", "--ramp linear"}},
        {"--perspective", {"", "--perspective US"}},
        {"--precision", {"", "--precision 3"}},
        {"--format", {"", "--format json"}},
        {"--output", {"", "-o " + out_file}},
        {"--out-dir", {"", "--out-dir " + out_dir}}}},
      {"uncertainty",
       {{"--view", {"", "--view US"}},
        {"--precision", {"", "--precision 3"}},
        {"--samples", {"", "--samples 20"}},
        {"--seed", {"", "--seed 7"}},
        {"--format", {"", "--format json"}},
        {"--output", {"", "-o " + out_file}},
        {"--out-dir", {"", "--out-dir " + out_dir}}}},
      {"compare",
       {{"--baseline", {"", "--baseline " + s}},
        {"--view", {"", "--view US"}},
        {"--samples", {"", "--samples 0"}},
        {"--seed", {"--remove us-tools --format json", "--seed 7"}},  // nl-tools' share moves
        {"--precision", {"", "--precision 3"}},
        {"--format", {"", "--format json"}},
        {"--output", {"", "-o " + out_file}},
        {"--out-dir", {"", "--out-dir " + out_dir}}}},
      {"import",
       {{"--output", {"", "-o " + out_file}},
        {"--types", {"", "--types any"}}}},  // refused: a CSV pair says its groups
  };
  for (const auto& [command, line] : base) {
    auto& own = samples[command];
    for (const std::string& flag : listed_flags(command)) {
      // Every command's -q and -v: VerbosityTest below checks what each says.
      if (flag == "--verbose" || (flag == "--quiet" && command != "validate")) continue;
      const Sample* sample = nullptr;
      if (auto it = own.find(flag); it != own.end())
        sample = &it->second;
      else if (auto sf = scenario_flags.find(flag); sf != scenario_flags.end())
        sample = &sf->second;
      if (!sample) {
        ADD_FAILURE() << command << " " << flag << ": no sample in FlagsTest; add one";
        continue;
      }
      fs::remove_all(out_dir);
      fs::remove(out_file);
      std::string without, with, err_without, err_with;
      std::string before = line + (sample->context.empty() ? "" : " " + sample->context);
      int rc_without = testing::run_cli(before, &without, &err_without);
      ASSERT_EQ(rc_without, 0) << before << "\n" << err_without;
      fs::remove_all(out_dir);
      fs::remove(out_file);
      int rc_with = testing::run_cli(before + " " + sample->flag, &with, &err_with);
      bool refused = rc_with != 0 && !err_with.empty();
      // What it writes: standard output and error (validate writes only diagnostics), files.
      bool changed =
          with != without || err_with != err_without || fs::exists(out_file) || fs::exists(out_dir);
      EXPECT_TRUE(refused || changed) << command << " " << flag << ": `" << before << " "
                                      << sample->flag << "` writes the same as without it\n"
                                      << err_with;
    }
  }
}

// -v says what each command read (and where it wrote a file), with the seconds taken; -q keeps
// the "wrote" line back; the two together are refused. Every command has both.
TEST_F(FlagsTest, VerbosityTest) {
  const std::string g = at("g.yaml"), s = at("s.yaml");
  const std::vector<std::string> commands = {"validate " + g,
                                             "analyze " + g,
                                             "whatif " + g + " --remove cxmt",
                                             "render " + g + " -o -",
                                             "decouple " + g + " --between US --and CN",
                                             "coalitions " + g + " --against CN",
                                             "timeline " + g + " --control 'US>CN' --months 6",
                                             "uncertainty " + g + " --control 'US>CN' --samples 10",
                                             "compare " + g + " -s " + s + " --samples 0"};
  for (const auto& line : commands) {
    std::string out, err;
    ASSERT_EQ(testing::run_cli(line + " -v", &out, &err), 0) << line << "\n" << err;
    EXPECT_NE(err.find("read " + g + ": 12 nodes, "), std::string::npos) << line << "\n" << err;
    ASSERT_EQ(testing::run_cli(line + " -q", &out, &err), 0) << line << "\n" << err;
    EXPECT_EQ(err.find("read "), std::string::npos) << line;
    EXPECT_EQ(testing::run_cli(line + " -q -v", &out, &err), 2) << line;
    EXPECT_NE(err.find("--quiet excludes --verbose"), std::string::npos) << err;
  }
  std::string out, err;
  ASSERT_EQ(testing::run_cli("analyze " + g + " --out-dir " + at("set"), &out, &err), 0);
  EXPECT_EQ(err.rfind("wrote 7 files to " + at("set") + " (", 0), 0u) << err;
  ASSERT_EQ(testing::run_cli("analyze " + g + " -q --out-dir " + at("set"), &out, &err), 0);
  EXPECT_EQ(err, "");
  ASSERT_EQ(testing::run_cli(
                "import csv " + at("nodes.csv") + " " + at("edges.csv") + " -o " + at("g2.yaml"),
                &out, &err),
            0)
      << err;
  EXPECT_EQ(err, "wrote " + at("g2.yaml") + "\n");
  ASSERT_EQ(testing::run_cli(
                "import csv " + at("nodes.csv") + " " + at("edges.csv") + " -q -o " + at("g2.yaml"),
                &out, &err),
            0);
  EXPECT_EQ(err, "");
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// On a terminal (a pseudo-terminal from script(1)) a long run shows what it loads and a bar with
// the time left; -q and TERM=dumb show none; on a file (every other test) nothing is shown.
TEST(ProgressTest, ABarOnATerminalOnly) {
  if (std::system("command -v script > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "script(1) is not installed (util-linux)";
  auto run = [](const std::string& env, const std::string& flags) {
    std::string file =
        (fs::temp_directory_path() / ("chokepoint_tty_" + std::to_string(::getpid()) + ".txt"))
            .string();
    std::string cmd = "cd '" + std::string(CHOKEPOINT_SOURCE_DIR) + "' && " + env +
                      " script -qc \"'" + CHOKEPOINT_BINARY +
                      "' whatif data/ai-supply-chain.yaml --rank --format json -o /dev/null " +
                      flags + "\" /dev/null > '" + file + "' 2>&1";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    std::ifstream in(file, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(file);
    return text;
  };
  std::string shown = run("TERM=xterm", "");
  EXPECT_NE(shown.find("loading data/ai-supply-chain.yaml..."), std::string::npos) << shown;
  EXPECT_NE(shown.find("single removals [....................] 0%"), std::string::npos) << shown;
  EXPECT_EQ(run("TERM=xterm", "-q").find("single removals"), std::string::npos);
  EXPECT_EQ(run("TERM=dumb", "").find("single removals"), std::string::npos);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// The command line's rough edges: suggestions for a value out of a list and a misspelt
// top-level option, help without arguments, unreadable scenario and rule files as I/O errors
// (exit 3, as README says), and a CHOKEPOINT_THREADS it cannot use said, not ignored.
TEST(CliEdgesTest, SuggestionsHelpExitCodesAndThreads) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --fail-on critcal", &out, &err),
            2);
  EXPECT_EQ(err.substr(0, err.find('\n')),
            "--fail-on: critcal not in {info,low,medium,high,critical}; did you mean 'critical'?");
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml --fail-on CRITICAL", &out, &err),
            4);  // any case, taken as listed
  EXPECT_EQ(testing::run_cli("--versoin", &out, &err), 2);
  EXPECT_EQ(err, "error: unknown option '--versoin'; did you mean '--version'?\n");
  EXPECT_EQ(testing::run_cli("", &out, &err), 2);
  EXPECT_EQ(out.rfind("chokepoint analyses supply-chain dependency graphs", 0), 0u) << out;
  EXPECT_EQ(testing::run_cli("analyze data/examples/minimal.yaml -s /nonexistent.yaml", &out, &err),
            3);
  EXPECT_NE(err.find("error: cannot read '/nonexistent.yaml'"), std::string::npos) << err;
  EXPECT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml --rules /nonexistent.yaml", &out, &err),
      3);
  EXPECT_NE(err.find("error: cannot read a rule file"), std::string::npos) << err;
  EXPECT_EQ(
      testing::run_cli("analyze data/examples/minimal.yaml --rules data/examples/minimal.yaml",
                       &out, &err),
      1);  // readable but not rules: invalid input
  ::setenv("CHOKEPOINT_THREADS", "abc", 1);
  int rc = testing::run_cli("validate data/examples/minimal.yaml", &out, &err);
  ::unsetenv("CHOKEPOINT_THREADS");
  EXPECT_EQ(rc, 2);
  EXPECT_EQ(err, "error: CHOKEPOINT_THREADS must be a whole number from 1 to 64, got 'abc'\n");
}

}  // namespace
}  // namespace chokepoint
