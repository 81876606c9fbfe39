// Helpers shared by the test files: load YAML from strings, collect diagnostic headers.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "graph/input/loader.hpp"
#include "graph/input/scenario_builder.hpp"
#include "graph/support/diagnostics.hpp"

namespace chokepoint::testing {

// Each diagnostic's first line (`file:line:col: error: ...`), in print order.
inline std::vector<std::string> diagnostic_headers(const Diagnostics& diags,
                                                   const SourceFiles& files) {
  std::ostringstream out;
  diags.print(out, files, false);
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(out.str());
  while (std::getline(in, line))
    if (line.rfind("  ", 0) != 0) lines.push_back(line);
  return lines;
}

struct Loaded {
  SourceFiles files;
  Diagnostics diags;
  std::optional<Model> model;

  std::vector<std::string> headers() const { return diagnostic_headers(diags, files); }
  std::string printed() const {
    std::ostringstream out;
    diags.print(out, files);
    return out.str();
  }
};

inline std::unique_ptr<Loaded> load_text(const std::string& yaml,
                                         const std::string& name = "t.yaml") {
  auto l = std::make_unique<Loaded>();
  l->model = load_graph_text(name, yaml, l->files, l->diags);
  return l;
}

inline Model must_load(const std::string& yaml) {
  auto l = load_text(yaml);
  EXPECT_TRUE(l->model.has_value()) << l->printed();
  if (!l->model) throw std::runtime_error("graph did not load");
  return std::move(*l->model);
}

// The scenario a YAML text gives against m; a failed expectation (with every diagnostic and the
// text) and an empty scenario when it does not load.
inline Scenario scenario_from(const Model& m, const std::string& yaml) {
  SourceFiles files;
  Diagnostics diags;
  auto s = load_scenario_text("s.yaml", yaml, m, files, diags);
  std::ostringstream out;
  diags.print(out, files);
  EXPECT_TRUE(s.has_value()) << out.str() << yaml;
  return s.value_or(Scenario{});
}

inline std::string source_path(const std::string& rel) {
  return std::string(CHOKEPOINT_SOURCE_DIR) + "/" + rel;
}

// Writes `text` to `name`, made unique by the process id, in the test's temporary folder, and
// returns its path (the caller removes it).
inline std::string temp_file(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path) << text;
  return path;
}

// Runs the chokepoint binary with `args`; returns the exit code and fills stdout/stderr.
int run_cli(const std::string& args, std::string* out, std::string* err = nullptr);

}  // namespace chokepoint::testing
