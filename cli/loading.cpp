#include "cli/loading.hpp"

#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "cli/progress.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/scenario_builder.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

void KeepUntilExit::operator()(Loaded* l) const {
  static auto* kept = new std::vector<Loaded*>;
  kept->push_back(l);
}

LoadedPtr load_or_fail(const std::string& path) {
  LoadedPtr l(new Loaded);
  show_stage("loading " + path);
  l->model = load_graph(path, l->files, l->diags);
  clear_progress(terminal_progress());
  l->diags.print(std::cerr, l->files);
  // A file that cannot be read is an I/O error (exit 3); one with mistakes is invalid input.
  if (!l->model && l->files.size() == 0) throw IoError(fmt::format("cannot read '{}'", path));
  if (!l->model) throw InputError(fmt::format("'{}' is not a valid graph", path));
  tell(fmt::format("read {}: {} nodes, {} edges ({:.2f} s)", path, l->model->nodes.size(),
                   l->model->edge_count, seconds_since_start()));
  return l;
}

rules::RuleSet load_rules_or_fail(Loaded& l, std::vector<std::string> paths) {
  if (paths.empty()) paths.push_back(rules::default_rules_path());
  Diagnostics diags;
  std::size_t before = l.files.size();
  auto set = rules::load_rules(paths, l.files, diags);
  diags.print(std::cerr, l.files);
  // A file that cannot be read is an I/O error (exit 3), as for the graph.
  if (!set && l.files.size() < before + paths.size()) throw IoError("cannot read a rule file");
  if (!set) throw InputError("invalid rule file");
  return std::move(*set);
}

std::vector<std::string> rules_used(const std::vector<std::string>& rule_files) {
  return rule_files.empty() ? std::vector<std::string>{rules::default_rules_path()} : rule_files;
}

Scenario load_scenario_or_fail(Loaded& l, const std::string& path) {
  Diagnostics diags;
  std::size_t before = l.files.size();
  auto s = load_scenario(path, *l.model, l.files, diags);
  diags.print(std::cerr, l.files);
  if (!s && l.files.size() == before) throw IoError(fmt::format("cannot read '{}'", path));
  if (!s) throw InputError(fmt::format("'{}' is not a valid scenario", path));
  return *s;
}

std::vector<InputFile> inputs_of(const Loaded& l, const std::vector<std::string>& scenarios,
                                 std::vector<std::string> rules) {
  auto inputs = input_files(l.files, l.model->files, scenarios, rules);
  // The shipped rules are named as shipped, not by where this machine keeps them, so that
  // reports do not depend on the install location.
  for (auto& f : inputs)
    if (f.role == "rules" && rules::is_default_rules_path(f.path)) f.path = "rules/default.yaml";
  return inputs;
}

Perspective side_or_usage(const Model& model, const std::string& name, std::string_view flag) {
  if (auto p = perspective_of(model, name)) return *p;
  std::vector<std::string_view> names;
  for (const auto& b : model.blocs) names.push_back(b.name);
  for (const auto& j : model.jurisdictions) names.push_back(j.code);
  throw UsageError(fmt::format("unknown jurisdiction, bloc or node '{}' in {}{}", name, flag,
                               did_you_mean(name, names)));
}

std::vector<JurisdictionIndex> codes_or_usage(const Model& model, const std::string& name,
                                              std::string_view flag) {
  if (auto c = resolve_scenario_codes(model, name)) return *c;
  std::vector<std::string_view> names;
  for (const auto& b : model.blocs) names.push_back(b.name);
  for (const auto& j : model.jurisdictions) names.push_back(j.code);
  throw UsageError(fmt::format("unknown jurisdiction or bloc '{}' in {}{}", name, flag,
                               did_you_mean(name, names)));
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, sep))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<Perspective> views_of(const Analysis& analysis) {
  if (!analysis.viewed_as) return {};
  return {*analysis.viewed_as};
}

}  // namespace chokepoint::cli
