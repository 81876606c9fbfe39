// The chokepoint executable: a short dispatcher over the table of commands (cli/commands.cpp).
// Each command's options and work are in its own file; the core library does the analysis.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/completion.hpp"
#include "cli/progress.hpp"
#include "graph/support/diagnostics.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {
namespace {

const char* kMainHelp = R"(chokepoint analyses supply-chain dependency graphs written in YAML.

Examples:
  chokepoint validate data/ai-supply-chain.yaml
  chokepoint analyze data/ai-supply-chain.yaml --scenario data/scenarios/embargo-cn-fdpr.yaml
  chokepoint whatif data/ai-supply-chain.yaml --remove asml
  chokepoint whatif data/ai-supply-chain.yaml --rank --order 1
  chokepoint decouple data/ai-supply-chain.yaml --between us-allies --and CN --fdpr
  chokepoint coalitions data/ai-supply-chain.yaml --against CN --fdpr
  chokepoint COMMAND --help

Environment: CHOKEPOINT_THREADS=N sets the threads a large graph is loaded and analysed
on (default: the cores, at most 2; results never depend on it); CHOKEPOINT_DATA_DIR=DIR
is where the default rules are read from (DIR/rules/default.yaml; by default share/chokepoint
beside the program's bin/ folder, or in the program's own folder).

Exit codes: 0 success, 1 invalid input, 2 bad usage, 3 I/O or internal error,
4 a --fail-on threshold was reached.

Documentation: man chokepoint-format (the graph file format); the guides (format, rules,
scenarios, analysis, reports, import, ...) in /usr/share/doc/chokepoint/ (docs/ in the
source tree).)";

struct Registered {
  CLI::App* cmd;
  Run run;
};

// Every command of the table as a subcommand: the help's first line is its summary in
// `chokepoint --help`, the rest a footer with examples.
std::vector<Registered> add_commands(CLI::App& app) {
  std::vector<Registered> out;
  for (const auto& spec : commands()) {
    auto cut = spec.help.find('\n');
    auto* cmd = app.add_subcommand(std::string(spec.name), std::string(spec.help.substr(0, cut)));
    if (cut != std::string_view::npos) cmd->footer(std::string(spec.help.substr(cut + 1)));
    for (auto alias : spec.aliases) cmd->alias(std::string(alias));
    out.push_back({cmd, spec.setup(*cmd)});
    // Every command says as much as asked (validate's own --quiet drops its summary line too).
    CLI::Option* quiet = cmd->get_option_no_throw("--quiet");
    if (!quiet)
      quiet =
          cmd->add_flag("-q,--quiet")
              ->description("say nothing but warnings and errors (no progress line, no \"wrote\")");
    CLI::Option* verbose =
        cmd->add_flag("-v,--verbose")
            ->description("also say what is read and written, with the seconds taken");
    verbose->excludes(quiet);
  }
  return out;
}

void set_verbosity_from(const CLI::App& cmd) {
  if (cmd.get_option("--quiet")->count() > 0)
    set_verbosity(Verbosity::quiet);
  else if (cmd.get_option("--verbose")->count() > 0)
    set_verbosity(Verbosity::verbose);
}

// What is answered before parsing: --version anywhere on the line (`chokepoint analyze
// --version`, as users try it), the hidden --help-all (every command's help: the man page's
// input) and --completion SHELL, and a misspelt command (a suggestion instead of "A subcommand
// is required").
std::optional<int> answer_early(const CLI::App& app, int argc, char** argv) {
  if (argc == 1) {  // no arguments: what the tool does and its commands, as --help
    std::cout << app.help();
    return kExitUsage;
  }
  // CHOKEPOINT_THREADS is read deep inside; a value it cannot use is said here, not ignored.
  if (const char* env = std::getenv("CHOKEPOINT_THREADS")) {
    int n = 0;
    std::string_view text(env);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > 64)
      throw UsageError(
          fmt::format("CHOKEPOINT_THREADS must be a whole number from 1 to 64, got '{}'", text));
  }
  if (argv[1][0] == '-' && argv[1][1] == '-') {  // a misspelt top-level option (--versoin)
    std::vector<std::string_view> known = {"--help", "--version", "--completion", "--help-all"};
    if (std::find(known.begin(), known.end(), std::string_view(argv[1])) == known.end()) {
      std::string hint = did_you_mean(argv[1], known);
      throw UsageError(fmt::format("unknown option '{}'{}", argv[1],
                                   hint.empty() ? "; see chokepoint --help" : hint));
    }
  }
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--version") {
      std::cout << "chokepoint " << CHOKEPOINT_VERSION << '\n';
      return kExitOk;
    }
  if (argc == 2 && std::string_view(argv[1]) == "--help-all") {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  }
  if (argc > 1 && std::string_view(argv[1]) == "--completion") {
    if (argc != 3 || std::string_view(argv[2]) != "bash")
      throw UsageError("--completion takes one shell: bash");
    std::cout << bash_completion(app);
    return kExitOk;
  }
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string_view> names;
    for (const auto* sub : app.get_subcommands({})) {
      names.push_back(sub->get_name());
      for (const auto& alias : sub->get_aliases()) names.push_back(alias);
    }
    if (std::find(names.begin(), names.end(), std::string_view(argv[1])) == names.end())
      throw UsageError(fmt::format("unknown command '{}'{}; the commands are {}", argv[1],
                                   did_you_mean(argv[1], names), command_names()));
  }
  return std::nullopt;
}

// A misspelt flag: CLI11's message with the closest flag of the command it was given to.
int extras_error(const CLI::App& app, const CLI::ExtrasError& e) {
  std::string word;
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands({}))
    if (sub->parsed()) {
      for (const auto& r : sub->remaining())
        if (word.empty() && r.rfind("-", 0) == 0) word = r;
      for (const auto* opt : sub->get_options())
        for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
    }
  std::vector<std::string_view> views(names.begin(), names.end());
  std::cerr << e.what() << did_you_mean(word, views) << '\n'
            << "Run with --help for more information.\n";
  return kExitUsage;
}

int run(int argc, char** argv) {
  CLI::App app{kMainHelp, "chokepoint"};
  app.set_version_flag("--version", std::string("chokepoint ") + CHOKEPOINT_VERSION);
  app.require_subcommand(1);
  auto registered = add_commands(app);
  if (auto code = answer_early(app, argc, argv)) return *code;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError& e) {
    return extras_error(app, e);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  for (const auto& r : registered)
    if (r.cmd->parsed()) {
      set_verbosity_from(*r.cmd);
      return r.run();
    }
  return kExitUsage;
}

// A report written to a full disk or a closed pipe must not end with exit 0.
int checked_stdout(int code) {
  std::cout.flush();
  if (!std::cout) {
    int error = errno;
    std::cerr << "error: cannot write to standard output: "
              << (error ? std::strerror(error) : "write failed") << '\n';
    return kExitIo;
  }
  return code;
}

}  // namespace
}  // namespace chokepoint::cli

int main(int argc, char** argv) {
  using namespace chokepoint;
  try {
    return cli::checked_stdout(cli::run(argc, argv));
  } catch (const InputError&) {
    return cli::kExitInvalidInput;  // diagnostics were printed where they were found
  } catch (const UsageError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return cli::kExitUsage;
  } catch (const SideWithoutTargets& e) {
    std::cerr << "error: " << e.what() << '\n';  // a fact about the graph: invalid input
    return cli::kExitInvalidInput;
  } catch (const AnalysisError& e) {
    std::cerr << "error: " << e.what() << '\n';  // what was asked of an analysis: usage
    return cli::kExitUsage;
  } catch (const std::bad_alloc&) {  // a last resort: every analysis bounds its own memory
    std::cerr << "error: out of memory (no output was written)\n";
    return cli::kExitIo;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return cli::kExitIo;
  }
}
