// The folders are floors (CONTRIBUTING.md): a file includes its own floor and those below it,
// never one above.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Lowest first.
const std::vector<std::string> kFloors = {"graph/support",  "graph/model", "graph/input",
                                          "graph/analysis", "rules",       "exporters/report",
                                          "exporters",      "cli"};

int floor_of(const std::string& path) {
  std::string dir = fs::path(path).parent_path().generic_string();
  auto it = std::find(kFloors.begin(), kFloors.end(), dir);
  return it == kFloors.end() ? -1 : static_cast<int>(it - kFloors.begin());
}

std::vector<std::string> upward_includes() {
  fs::path root(CHOKEPOINT_SOURCE_DIR);
  std::regex include(R"re(#include "([^"]+)")re");
  std::vector<std::string> out;
  for (const auto& floor : kFloors)
    for (const auto& entry : fs::directory_iterator(root / floor)) {
      auto ext = entry.path().extension();
      if (ext != ".cpp" && ext != ".hpp") continue;
      std::string file = fs::relative(entry.path(), root).generic_string();
      std::ifstream in(entry.path());
      std::string line;
      while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_search(line, m, include) && floor_of(m[1]) > floor_of(file))
          out.push_back(file + " -> " + m[1].str());
      }
    }
  return out;
}

TEST(LayoutTest, NoFolderIncludesOneAboveIt) {
  EXPECT_EQ(upward_includes(), std::vector<std::string>{});
}

TEST(LayoutTest, EveryFloorExists) {
  for (const auto& floor : kFloors)
    EXPECT_TRUE(fs::is_directory(fs::path(CHOKEPOINT_SOURCE_DIR) / floor)) << floor;
}

}  // namespace
