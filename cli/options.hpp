// Options defined the same way in every command that takes them — the graph file, --rules, the
// two sides, sampling, options with a fixed set of values — and what the shell completion reads
// back.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace chokepoint::cli {

// The graph file every command but validate and import reads.
void add_graph_file(CLI::App& cmd, std::string& file);

// --rules FILE (repeatable), for the commands that report severity.
void add_rules(CLI::App& cmd, std::vector<std::string>& rule_files);
// decouple, coalitions and timeline report no severity: --rules there is answered with where
// severity on two sides is, not "was not expected". refuse_rules() throws that UsageError when
// --rules was given; run it before anything else.
void add_refused_rules(CLI::App& cmd);
void refuse_rules(const CLI::App& cmd);

// Two sides (codes or bloc names): --between A --and B, both or neither unless `required`.
struct Sides {
  std::string a, b;
  bool given() const { return !a.empty(); }
};
void add_sides(CLI::App& cmd, Sides& sides, const std::string& help_a, const std::string& help_b,
               bool required);

// --samples N and --seed S: how many draws of the ranges in the data, and from which seed.
struct Sampling {
  std::size_t samples = 0;
  std::uint64_t seed = 1;
  CLI::Option* samples_option = nullptr;
  CLI::Option* seed_option = nullptr;
  bool given() const { return samples_option->count() > 0 || seed_option->count() > 0; }
};
void add_sampling(CLI::App& cmd, Sampling& sampling, std::size_t default_samples,
                  const std::string& help);
// --samples' help where reports show bands beside their values.
extern const char* const kBandSamplesHelp;

// --precision N: significant digits of the percentages in Markdown, HTML and summary CSV
// (default 2); JSON and data tables keep full precision.
void add_precision(CLI::App& cmd, int& digits);

// An option that takes one of `values`, in any case: checked by CLI11 and offered by the
// completion.
CLI::Option* add_choice(CLI::App& cmd, const std::string& name, std::string& value,
                        const std::vector<std::string>& values, const std::string& help);
// The values the completion offers for an option, recorded without a check (--format gives its
// own message); offered() is empty for an option that takes any value.
void offer(const CLI::Option* option, std::vector<std::string> values);
const std::vector<std::string>& offered(const CLI::Option* option);

// A number from `lo` to `hi` (a finite one: CLI11's Range lets nan through, and prints the
// largest double for "0 or more"): "expected a number from 0 to 1, got 'nan'", or "... of 0 or
// more ..." when `hi` is infinite.
CLI::Validator finite_range(double lo, double hi);
// A day, YYYY-MM-DD (--as-of).
CLI::Validator iso_date();
// A file name: not empty (an empty -o would be standard output, or --out-dir the current folder).
CLI::Validator file_name();

// The severity levels, for --fail-on and --min-severity.
const std::vector<std::string>& level_names();

}  // namespace chokepoint::cli
