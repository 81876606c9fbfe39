#include "cli/options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <map>

#include "graph/input/scenario_builder.hpp"
#include "graph/support/diagnostics.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

namespace {

std::map<const CLI::Option*, std::vector<std::string>>& offers() {
  static std::map<const CLI::Option*, std::vector<std::string>> kOffers;
  return kOffers;
}

}  // namespace

CLI::Validator iso_date() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (text.size() == 10 && is_date(text)) return {};
        return fmt::format("expected a date YYYY-MM-DD, got '{}'", text);
      },
      "YYYY-MM-DD");
}

CLI::Validator finite_range(double lo, double hi) {
  std::string what = hi == std::numeric_limits<double>::infinity()
                         ? fmt::format("a number of {:g} or more", lo)
                         : fmt::format("a number from {:g} to {:g}", lo, hi);
  return CLI::Validator(
      [lo, hi, what](std::string& text) -> std::string {
        double v = 0;
        const char* end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, v);
        if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(v) || v < lo ||
            v > hi)
          return fmt::format("expected {}, got '{}'", what, text);
        return {};
      },
      what);
}

CLI::Validator file_name() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        return text.empty() ? "expected a file name (- for standard output), got ''" : "";
      },
      "FILE");
}

void add_graph_file(CLI::App& cmd, std::string& file) {
  cmd.add_option("FILE", file, "graph file")->required();
}

void add_rules(CLI::App& cmd, std::vector<std::string>& rule_files) {
  cmd.add_option("--rules", rule_files, "rule file (repeatable); default rules/default.yaml");
}

void add_refused_rules(CLI::App& cmd) {
  static std::vector<std::string> unused;
  cmd.add_option("--rules", unused)->group("");
}

void refuse_rules(const CLI::App& cmd) {
  if (cmd.count("--rules") > 0)
    throw UsageError(fmt::format(
        "{} reports no severity, so it takes no --rules; for severity with two sides use "
        "'chokepoint analyze FILE --between A --and B --rules RULES'",
        cmd.get_name()));
}

void add_sides(CLI::App& cmd, Sides& sides, const std::string& help_a, const std::string& help_b,
               bool required) {
  auto* a = cmd.add_option("--between", sides.a, help_a);
  auto* b = cmd.add_option("--and", sides.b, help_b);
  if (required) {
    a->required();
    b->required();
  } else {
    b->needs(a);
    a->needs(b);
  }
}

const char* const kBandSamplesHelp =
    "samples of the ranges in the data behind each value's P5-P95 band (default 200; 0: no "
    "bands; a graph without ranges has none)";

void add_sampling(CLI::App& cmd, Sampling& sampling, std::size_t default_samples,
                  const std::string& help) {
  sampling.samples = default_samples;
  sampling.samples_option = cmd.add_option("--samples", sampling.samples, help)
                                ->default_val(default_samples)
                                ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
  sampling.seed_option =
      cmd.add_option("--seed", sampling.seed,
                     "seed of the draws (default 1): the same seed gives the same output")
          ->default_val(1);
}

void add_precision(CLI::App& cmd, int& digits) {
  digits = 2;
  cmd.add_option("--precision", digits,
                 "significant digits of the report's percentages (default 2: 52 %, 0.31 %); "
                 "JSON and CSV data keep full precision")
      ->default_val(2)
      ->check(CLI::Range(1, 12));
}

CLI::Option* add_choice(CLI::App& cmd, const std::string& name, std::string& value,
                        const std::vector<std::string>& values, const std::string& help) {
  // A value of the list in any case (taken as listed), else an error with the closest one.
  auto* option = cmd.add_option(name, value, help)
                     ->transform(CLI::Validator(
                         [values](std::string& v) -> std::string {
                           for (const auto& known : values)
                             if (CLI::detail::to_lower(known) == CLI::detail::to_lower(v)) {
                               v = known;
                               return {};
                             }
                           std::vector<std::string_view> names(values.begin(), values.end());
                           return fmt::format("{} not in {{{}}}{}", v, fmt::join(values, ","),
                                              did_you_mean(v, names));
                         },
                         fmt::format("{{{}}}", fmt::join(values, ",")), ""));
  offer(option, values);
  return option;
}

void offer(const CLI::Option* option, std::vector<std::string> values) {
  offers()[option] = std::move(values);
}

const std::vector<std::string>& offered(const CLI::Option* option) {
  static const std::vector<std::string> kNone;
  auto it = offers().find(option);
  return it == offers().end() ? kNone : it->second;
}

const std::vector<std::string>& level_names() {
  static const std::vector<std::string> kLevels = {"info", "low", "medium", "high", "critical"};
  return kLevels;
}

}  // namespace chokepoint::cli
