// The main job (scripts/main.sh) as a reader of a brief gets it: it runs, report.md opens on its
// summary and stays under 600 lines, and every diagram and chart, scaled to fit A4 (523 x 770 pt
// inside half-inch margins, either way round), has text of 7 pt or more.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "tests/test_util.hpp"

namespace chokepoint {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The smallest text of an SVG once scaled to fit A4 (either orientation): Graphviz gives its size
// in points (width="576pt"), gnuplot a view box; both give font sizes in the same units.
double smallest_text_on_a4(const std::string& svg) {
  std::smatch m;
  double w = 0, h = 0;
  if (std::regex_search(svg, m, std::regex(R"(<svg width="([0-9.]+)pt" height="([0-9.]+)pt")")) ||
      std::regex_search(svg, m, std::regex(R"re(viewBox="0 0 ([0-9.]+) ([0-9.]+)")re"))) {
    w = std::stod(m[1]);
    h = std::stod(m[2]);
  }
  if (w <= 0 || h <= 0) return 0;
  double scale = std::max(std::min(523 / w, 770 / h), std::min(770 / w, 523 / h));
  double smallest = 1e9;
  std::regex size(R"re(font-size[=:]"?([0-9.]+))re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), size); it != std::sregex_iterator();
       ++it)
    smallest = std::min(smallest, std::stod((*it)[1]));
  return smallest * scale;
}

TEST(MainJobTest, SmallestTextOnA4ReadsBothKindsOfSvg) {
  EXPECT_NEAR(smallest_text_on_a4(R"(<svg width="576pt" height="495pt"><text font-size="9.00">)"),
              9 * 523.0 / 495, 1e-9);  // landscape: 770 / 576 and 523 / 495
  EXPECT_NEAR(
      smallest_text_on_a4(
          R"(<svg viewBox="0 0 960 1970"><text style="font-size:13.00px"><text font-size="20.00">)"),
      13 * 770.0 / 1970, 1e-9);
  EXPECT_EQ(smallest_text_on_a4("<svg>"), 0);
}

TEST(MainJobTest, ReportOpensOnItsSummaryAndEveryFigureReadsOnA4) {
  fs::path out = fs::temp_directory_path() / ("chokepoint_main_job_" + std::to_string(::getpid()));
  fs::remove_all(out);
  std::string command = std::string("cd '") + CHOKEPOINT_SOURCE_DIR + "' && CHOKEPOINT_BIN='" +
                        CHOKEPOINT_BINARY + "' scripts/main.sh '" + out.string() + "' >'" +
                        out.string() + ".log' 2>&1";
  int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(out.string() + ".log");
  fs::remove(out.string() + ".log");

  std::string report = slurp(out / "report.md");
  EXPECT_LT(std::count(report.begin(), report.end(), '\n'), 600);
  auto first_section = report.find("\n## ");
  ASSERT_NE(first_section, std::string::npos);
  EXPECT_EQ(report.substr(first_section, 12), "\n## Summary\n");

  // A headline reads the same, band and all, in every file that gives it (the uncertainty
  // report's samples everywhere).
  std::regex headline(R"re(`cn-ai-accelerators`\) \*\*([^*]+)\*\*)re");
  std::smatch in_report, in_uncertainty;
  std::string uncertainty = slurp(out / "uncertainty" / "uncertainty.md");
  ASSERT_TRUE(std::regex_search(report, in_report, headline)) << report;
  ASSERT_TRUE(std::regex_search(uncertainty, in_uncertainty, headline)) << uncertainty;
  EXPECT_EQ(in_report[1].str(), in_uncertainty[1].str());
  EXPECT_NE(in_report[1].str().find("–"), std::string::npos) << "a band: " << in_report[1];

  // The index links every report, each of them written.
  std::string index = slurp(out / "index.html");
  std::regex link(R"re(<a href="([^"]+)">)re");
  std::size_t links = 0;
  for (auto it = std::sregex_iterator(index.begin(), index.end(), link);
       it != std::sregex_iterator(); ++it, ++links)
    EXPECT_TRUE(fs::exists(out / (*it)[1].str())) << (*it)[1].str();
  EXPECT_EQ(links, 27u);  // 8 report sets, 7 coalition runs, decoupling, 11 what-ifs

  // The static headline for China's accelerators is the trough of today's controls over time
  // (stocks drawn, fleets whole, CXMT's HBM3 not yet ramped): the timeline's lowest value.
  std::string timeline = slurp(out / "timeline-controls-2025" / "timeline.md");
  std::smatch lowest;
  ASSERT_TRUE(std::regex_search(
      timeline, lowest, std::regex(R"re(`cn-ai-accelerators`\) [^;]*? lowest \*\*([^*]+)\*\*)re")))
      << timeline;
  EXPECT_EQ(lowest[1].str(), in_report[1].str().substr(0, in_report[1].str().find(" (")));

  std::size_t svgs = 0;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (e.path().extension() != ".svg") continue;
    ++svgs;
    EXPECT_GE(smallest_text_on_a4(slurp(e.path())), 7.0)
        << fs::relative(e.path(), out).string() << " has text under 7 pt on A4";
  }
  // The overview and eleven target diagrams twice (world and China's view), the compare chart,
  // two sweeps (China's targets, its new fab tools), four timelines, the bands and the tornado.
  EXPECT_EQ(svgs, 33u);
  fs::remove_all(out);
}

}  // namespace
}  // namespace chokepoint
