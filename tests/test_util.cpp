#include "tests/test_util.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace chokepoint::testing {

int run_cli(const std::string& args, std::string* out, std::string* err) {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path();
  std::string base =
      (dir / ("chokepoint_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++)))
          .string();
  std::string cmd = std::string("cd '") + CHOKEPOINT_SOURCE_DIR + "' && '" + CHOKEPOINT_BINARY +
                    "' " + args + " >'" + base + ".out' 2>'" + base + ".err' </dev/null";
  int status = std::system(cmd.c_str());
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  if (out) *out = slurp(base + ".out");
  if (err) *err = slurp(base + ".err");
  std::filesystem::remove(base + ".out");
  std::filesystem::remove(base + ".err");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace chokepoint::testing
