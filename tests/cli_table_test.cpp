// The command table and the formats table drive the CLI: every --help lists exactly the formats
// a command can write, the shell completion knows every command and its formats, every command
// that writes a report set takes the folder's lock, and an unknown format is named as such.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "exporters/formats.hpp"
#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

// The kind of report each command with --format writes (whatif --rank writes the same formats).
// A new command with --format needs its line here, or the tests below say so.
const std::map<std::string, ReportKind> kReportOf = {
    {"analyze", ReportKind::analyze},         {"whatif", ReportKind::whatif},
    {"render", ReportKind::render},           {"decouple", ReportKind::decouple},
    {"coalitions", ReportKind::coalitions},   {"timeline", ReportKind::timeline},
    {"uncertainty", ReportKind::uncertainty}, {"compare", ReportKind::compare},
};

// The commands of `chokepoint --help`, with their aliases.
std::vector<std::vector<std::string>> listed_commands() {
  std::string out;
  EXPECT_EQ(testing::run_cli("--help", &out), 0);
  std::vector<std::vector<std::string>> commands;
  std::istringstream in(out.substr(out.find("Subcommands:")));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    static const std::regex kWord("[a-z]+");
    std::string names = line.substr(0, line.find("  ", 2));
    std::vector<std::string> these;
    for (std::sregex_iterator it(names.begin(), names.end(), kWord), end; it != end; ++it)
      these.push_back(it->str());
    if (!these.empty()) commands.push_back(these);
  }
  return commands;
}

std::vector<std::string> format_names_of(ReportKind kind) {
  std::vector<std::string> names;
  for (const Format* f : formats_of(kind)) names.emplace_back(f->name);
  return names;
}

TEST(CliTableTest, EveryCommandIsListed) {
  std::vector<std::string> names;
  for (const auto& c : listed_commands()) names.push_back(c[0]);
  EXPECT_EQ(names, (std::vector<std::string>{"validate", "analyze", "whatif", "render", "decouple",
                                             "coalitions", "timeline", "uncertainty", "compare",
                                             "import"}));
}

// --help of every command lists exactly the formats of the formats table it can write.
TEST(CliTableTest, EveryHelpListsTheFormatsOfTheTable) {
  for (const auto& names : listed_commands()) {
    const std::string& cmd = names[0];
    std::string help;
    ASSERT_EQ(testing::run_cli(cmd + " --help", &help), 0) << cmd;
    std::smatch m;
    bool has_format = std::regex_search(help, m, std::regex("\n  --format TEXT +([^\n]*)\n"));
    if (!has_format) {
      EXPECT_EQ(kReportOf.count(cmd), 0u) << cmd << " has no --format";
      continue;
    }
    ASSERT_EQ(kReportOf.count(cmd), 1u) << cmd << " has --format: add it to kReportOf";
    ReportKind kind = kReportOf.at(cmd);
    std::string listed = m[1].str().substr(0, m[1].str().find(" (default"));
    EXPECT_EQ(listed, format_names(kind)) << cmd;
    EXPECT_FALSE(format_names_of(kind).empty()) << cmd;
  }
}

// The completion script knows every command and alias, and offers each command the formats it
// can write.
TEST(CliTableTest, CompletionHasEveryCommandAndItsFormats) {
  std::string script;
  ASSERT_EQ(testing::run_cli("--completion bash", &script), 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(script, m, std::regex("compgen -W \"([^\"]*) --help --version\"")));
  std::string first = fmt::format(" {} ", m[1].str());
  for (const auto& names : listed_commands()) {
    std::string arm;
    for (const auto& n : names) {
      EXPECT_NE(first.find(fmt::format(" {} ", n)), std::string::npos) << n;
      if (!arm.empty()) arm += '|';
      arm += n;
    }
    auto at = script.find("\n    " + arm + ")\n");
    ASSERT_NE(at, std::string::npos) << arm;
    std::string body = script.substr(at, script.find("\" ;;\n", at) - at);
    auto kind = kReportOf.find(names[0]);
    if (kind == kReportOf.end()) continue;
    std::string formats;
    for (const auto& f : format_names_of(kind->second)) {
      if (!formats.empty()) formats += ' ';
      formats += f;
    }
    EXPECT_NE(body.find("--format) COMPREPLY=($(compgen -W \"" + formats + "\""), std::string::npos)
        << names[0] << body;
  }
  int status = std::system(
      ("echo '" + std::regex_replace(script, std::regex("'"), "'\\''") + "' | bash -n").c_str());
  EXPECT_EQ(status, 0) << "the script is not valid bash";
}

TEST(CliTableTest, UnknownRenderFormatIsNamedWithTheFormats) {
  std::string out, err;
  EXPECT_EQ(testing::run_cli("render data/examples/minimal.yaml --format xyz -o -", &out, &err), 2);
  EXPECT_EQ(err, "error: unknown --format 'xyz'; use dot, svg, png, pdf, graphml or gexf\n");
  EXPECT_EQ(out, "");
  EXPECT_EQ(testing::run_cli("render data/examples/minimal.yaml -o graph.txt", &out, &err), 2);
  EXPECT_EQ(err,
            "error: cannot tell the format of 'graph.txt'; end -o with .dot, .svg, .png, .pdf, "
            ".graphml or .gexf, or give --format\n");
  EXPECT_EQ(testing::run_cli("render data/examples/minimal.yaml --format md -o -", &out, &err), 2);
  EXPECT_EQ(err,
            "error: --format md is not available for render; use dot, svg, png, pdf, graphml or "
            "gexf\n");
}

// A command line per command that writes a report set; a new one needs its line here.
const std::map<std::string, std::string> kSetRuns = {
    {"analyze", "analyze data/examples/minimal.yaml"},
    {"timeline", "timeline data/examples/minimal.yaml --remove tsmc --for 6 --months 12"},
    {"coalitions", "coalitions data/examples/minimal.yaml --against CN"},
    {"uncertainty", "uncertainty data/examples/uncertainty.yaml --samples 10"},
    {"compare",
     "compare data/examples/compare.yaml data/examples/scenarios/compare-korea-offline.yaml"},
};

// True when process `pid` waits for a flock (a "->" line of /proc/locks).
bool waits_for_a_lock(pid_t pid) {
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line))
    if (line.find("->") != std::string::npos &&
        line.find(fmt::format(" {} ", pid)) != std::string::npos)
      return true;
  return false;
}

// Every command with --out-dir waits for the folder's lock before it writes a file: while the
// test holds the lock the command waits and the folder stays empty; once it is released the set
// appears.
TEST(CliTableTest, EveryReportSetTakesTheFoldersLock) {
  for (const auto& names : listed_commands()) {
    const std::string& cmd = names[0];
    std::string help;
    testing::run_cli(cmd + " --help", &help);
    if (help.find("\n  --out-dir ") == std::string::npos) continue;
    ASSERT_EQ(kSetRuns.count(cmd), 1u) << cmd << " writes a set: add a run to kSetRuns";
    auto dir = std::filesystem::temp_directory_path() /
               fmt::format("chokepoint_lock_{}_{}", ::getpid(), cmd);
    std::filesystem::create_directories(dir);
    // O_CLOEXEC: the command must not inherit (and so keep) the test's hold on the lock.
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX), 0);
    std::string line =
        fmt::format("cd '{}' && '{}' {} --out-dir '{}' >/dev/null 2>&1 & echo $!",
                    CHOKEPOINT_SOURCE_DIR, CHOKEPOINT_BINARY, kSetRuns.at(cmd), dir.string());
    FILE* p = ::popen(line.c_str(), "r");
    pid_t pid = 0;
    ASSERT_EQ(std::fscanf(p, "%d", &pid), 1);
    ::pclose(p);
    bool waited = false;
    for (int i = 0; i < 600 && !waited && ::kill(pid, 0) == 0; ++i) {
      waited = waits_for_a_lock(pid);
      if (!waited) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_TRUE(waited) << cmd << " did not wait for the lock";
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << cmd << " wrote before it had the lock";
    ::close(fd);  // releases the lock
    for (int i = 0; i < 600 && ::kill(pid, 0) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (::kill(pid, 0) == 0) {
      ::kill(pid, SIGKILL);
      ADD_FAILURE() << cmd << " did not finish once the lock was free";
    }
    EXPECT_FALSE(std::filesystem::is_empty(dir)) << cmd;
    std::filesystem::remove_all(dir);
  }
}

// --capacity reads its factor as a scenario file reads it: percentages and ranges, and the
// same message for the same mistake.
TEST(CliTableTest, CapacityFlagIsReadLikeAScenarioFile) {
  std::string decimal, percent, err;
  ASSERT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --capacity skh=0.4 --format json",
                             &decimal, &err),
            0)
      << err;
  ASSERT_EQ(testing::run_cli("whatif data/examples/minimal.yaml --capacity skh=40% --format json",
                             &percent, &err),
            0)
      << err;
  auto name = [](const std::string& json) {
    return json.substr(json.find("\"capacity\": {"), 40);  // the scenario's factors
  };
  EXPECT_EQ(name(decimal), name(percent));
  EXPECT_EQ(
      testing::run_cli("whatif data/examples/minimal.yaml --capacity skh=1.5", &decimal, &err), 2);
  EXPECT_NE(err.find("--capacity:1:5: error: a capacity factor must be between 0 and 1 (or a "
                     "percentage such as \"40%\"), got 1.5\n"),
            std::string::npos)
      << err;
  auto file = std::filesystem::temp_directory_path() /
              fmt::format("chokepoint_capacity_{}.yaml", ::getpid());
  std::ofstream(file) << "scenario: {capacity: {skh: 1.5}}\n";
  EXPECT_EQ(
      testing::run_cli("whatif data/examples/minimal.yaml -s " + file.string(), &decimal, &err), 1);
  EXPECT_NE(err.find(": error: a capacity factor must be between 0 and 1 (or a percentage such as "
                     "\"40%\"), got 1.5\n"),
            std::string::npos)
      << err;
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace chokepoint

namespace chokepoint {
namespace {

// docs/reports.md carries the formats table. Set CHOKEPOINT_UPDATE_GOLDEN=1 to rewrite it.
TEST(FormatsDocTest, DocsTableIsTheFormatsTable) {
  std::string path = testing::source_path("docs/reports.md");
  std::ifstream in(path, std::ios::binary);
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto start = doc.find("<!-- formats: generated");
  ASSERT_NE(start, std::string::npos);
  start = doc.find("-->\n", start) + 4;
  auto end = doc.find("<!-- end of formats -->", start);
  ASSERT_NE(end, std::string::npos);
  std::string table = formats_markdown();
  if (std::getenv("CHOKEPOINT_UPDATE_GOLDEN")) {
    doc.replace(start, end - start, table);
    std::ofstream(path, std::ios::binary) << doc;
    end = start + table.size();
  }
  EXPECT_EQ(doc.substr(start, end - start), table);
}

}  // namespace
}  // namespace chokepoint
