// The table of commands (ninja's tool table): each command's name, aliases, help and the function
// that adds its options and returns what runs it. main.cpp dispatches through it; `--help`, the
// man page and the shell completion are derived from it and CLI11. A new command is one file
// (cli/NAME.cpp) and one row.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string_view>
#include <vector>

namespace chokepoint::cli {

// Exit codes (docs/reports.md): one per error class of graph/support/errors.hpp.
constexpr int kExitOk = 0;
constexpr int kExitInvalidInput = 1;
constexpr int kExitUsage = 2;
constexpr int kExitIo = 3;
constexpr int kExitFailOn = 4;

// What a command's setup returns: runs the command once the line is parsed; its exit code.
using Run = std::function<int()>;

struct CommandSpec {
  std::string_view name;
  std::vector<std::string_view> aliases;
  std::string_view help;        // first line: the summary `chokepoint --help` lists; then examples
  Run (*setup)(CLI::App& cmd);  // adds the command's options to `cmd`
};

// Every command, in the order `chokepoint --help` lists them.
const std::vector<CommandSpec>& commands();

// "validate, analyze, ... and import": the commands' names, for messages.
std::string command_names();

// One declaration per command file.
extern const char* const kValidateHelp;
Run setup_validate(CLI::App& cmd);
extern const char* const kAnalyzeHelp;
Run setup_analyze(CLI::App& cmd);
extern const char* const kWhatifHelp;
Run setup_whatif(CLI::App& cmd);
extern const char* const kRenderHelp;
Run setup_render(CLI::App& cmd);
extern const char* const kDecoupleHelp;
Run setup_decouple(CLI::App& cmd);
extern const char* const kCoalitionsHelp;
Run setup_coalitions(CLI::App& cmd);
extern const char* const kTimelineHelp;
Run setup_timeline(CLI::App& cmd);
extern const char* const kUncertaintyHelp;
Run setup_uncertainty(CLI::App& cmd);
extern const char* const kCompareHelp;
Run setup_compare(CLI::App& cmd);
extern const char* const kImportHelp;
Run setup_import(CLI::App& cmd);

}  // namespace chokepoint::cli
