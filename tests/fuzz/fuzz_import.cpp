// libFuzzer harness: the CSV reader and `import csv`. The input is the nodes table, then a line
// "=====", then the edges table (written to files, as the import reads tables from files).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "graph/input/import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chokepoint;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto cut = text.find("\n=====\n");
  std::string nodes = text.substr(0, cut);
  std::string edges = cut == std::string::npos ? "from,to\n" : text.substr(cut + 7);
  static const std::string dir = "/tmp/fuzz_import_" + std::to_string(::getpid());
  static const bool made = (void(std::system(("mkdir -p " + dir).c_str())), true);
  (void)made;
  std::ofstream(dir + "/nodes.csv", std::ios::binary) << nodes;
  std::ofstream(dir + "/edges.csv", std::ios::binary) << edges;
  SourceFiles files;
  Diagnostics diags;
  auto imported = import_csv(dir + "/nodes.csv", dir + "/edges.csv", files, diags);
  std::ostringstream out;
  diags.print(out, files);
  return 0;
}
