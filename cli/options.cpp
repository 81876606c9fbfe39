#include "cli/options.hpp"

#include <fmt/format.h>

#include <map>

#include "graph/support/errors.hpp"

namespace chokepoint::cli {

namespace {

std::map<const CLI::Option*, std::vector<std::string>>& offers() {
  static std::map<const CLI::Option*, std::vector<std::string>> kOffers;
  return kOffers;
}

}  // namespace

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

CLI::Option* add_choice(CLI::App& cmd, const std::string& name, std::string& value,
                        const std::vector<std::string>& values, const std::string& help) {
  auto* option =
      cmd.add_option(name, value, help)->transform(CLI::IsMember(values, CLI::ignore_case));
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
