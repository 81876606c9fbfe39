#include "cli/scenario_flags.hpp"

#include <fmt/format.h>

#include <iostream>
#include <limits>
#include <map>

#include "cli/options.hpp"
#include "graph/support/errors.hpp"

namespace chokepoint::cli {

namespace {

// One flag's value registered as a source "file" named after the flag, so that a mistake in it
// is reported at its column with the value quoted, like a mistake in a scenario file.
struct FlagText {
  std::uint32_t file;
  std::string text;

  FlagText(SourceFiles& files, std::string_view flag, std::string value)
      : file(files.add(std::string(flag), value)), text(std::move(value)) {}
  Written at(std::size_t offset, std::string piece) const {
    return Written{std::move(piece),
                   SourceLocation{file, 1, static_cast<std::uint32_t>(offset + 1)}};
  }
  // The comma-separated items of the value (or of [from, to)), each with its position.
  std::vector<Written> items(char sep = ',') const { return items_of(0, text.size(), sep); }
  std::vector<Written> items_of(std::size_t from, std::size_t to, char sep = ',') const {
    std::vector<Written> out;
    std::size_t start = from;
    for (std::size_t i = from; i <= to; ++i)
      if (i == to || text[i] == sep) {
        if (i > start) out.push_back(at(start, text.substr(start, i - start)));
        start = i + 1;
      }
    return out;
  }
};

void add_changes(CLI::App& cmd, ScenarioFlags& f) {
  cmd.add_option("--remove", f.remove, "remove nodes: ID,ID,..");
  cmd.add_option("--remove-jurisdiction", f.remove_jurisdictions,
                 "remove every node located in CODE (or bloc): CODE,..");
  cmd.add_option(
      "--capacity", f.capacity,
      "capacity factors: ID=F,.. with F in [0,1], a percentage (40%) or a range (40-60%)");
}

// --items, --made-with, --fdpr and --de-minimis; `control` names what they shape and `fdpr_scope`
// what --fdpr applies to.
void add_terms(CLI::App& cmd, ScenarioFlags& f, const std::string& control,
               const std::string& fdpr_scope) {
  cmd.add_option("--items", f.items,
                 fmt::format("what {} covers, a rule expression over node fields: \"kind == "
                             "'chip'\"",
                             control));
  cmd.add_option("--made-with", f.made_with,
                 "with --fdpr: which controlling-side nodes make a foreign item subject to it");
  cmd.add_flag("--fdpr", f.fdpr,
               fmt::format("apply the foreign direct product rule to {}", fdpr_scope));
  cmd.add_option("--de-minimis", f.de_minimis,
                 "with --fdpr: a foreign item is exempt if it loses at most this fraction")
      ->check(finite_range(0, 1));
}

}  // namespace

bool ScenarioFlags::any() const { return !files.empty() || !baselines.empty() || changes_any(); }

std::vector<std::string> ScenarioFlags::files_read() const {
  std::vector<std::string> out = baselines;
  out.insert(out.end(), files.begin(), files.end());
  return out;
}

bool ScenarioFlags::changes_any() const {
  return !remove.empty() || !remove_jurisdictions.empty() || !capacity.empty() ||
         !embargo.empty() || !control.empty();
}

void add_scenario_flags(CLI::App& cmd, ScenarioFlags& f, unsigned parts) {
  if (parts & ScenarioFlags::kBaseline)
    cmd.add_option("--baseline", f.baselines,
                   "scenario file that never ends, the world the others start from "
                   "(repeatable; scenarios.md in /usr/share/doc/chokepoint)");
  if (parts & ScenarioFlags::kFiles)
    cmd.add_option("-s,--scenario", f.files,
                   !(parts & ScenarioFlags::kBaseline)
                       ? "scenario file (scenarios.md in /usr/share/doc/chokepoint); repeat to "
                         "combine files"
                   : (parts & ScenarioFlags::kDuration)
                       ? "scenario file, a part ending at its own duration_months (repeatable)"
                       : "scenario file to compare, on top of the baseline (repeatable)");
  if (parts & (ScenarioFlags::kFiles | ScenarioFlags::kBaseline))
    cmd.add_option("--as-of", f.as_of,
                   "read the scenario files as of this date (YYYY-MM-DD): a control `lifted` on or "
                   "before it is dropped, and the reports say which")
        ->check(iso_date());
  if (parts & ScenarioFlags::kChanges) add_changes(cmd, f);
  if (parts & ScenarioFlags::kControls) {
    cmd.add_option("--control", f.control,
                   "export control 'BY>AGAINST': codes or blocs, then codes, blocs or node ids "
                   "(entities); on every item unless --items");
    add_terms(cmd, f, "--control", "--control/--embargo (and --between/--and)");
    cmd.add_option("--embargo", f.embargo, "a control on every item: 'BY>AGAINST'");
  }
  if (parts & ScenarioFlags::kControlTerms) add_terms(cmd, f, "the control", "the control");
  if (parts & ScenarioFlags::kDuration)
    cmd.add_option("--for", f.duration, "months the scenario lasts (timeline); default for ever")
        ->check(finite_range(0, std::numeric_limits<double>::infinity()));
}

ControlSpec control_terms(Loaded& l, const ScenarioFlags& f) {
  ControlSpec spec;
  if (!f.items.empty()) spec.items = FlagText(l.files, "--items", f.items).at(0, f.items);
  if (!f.made_with.empty())
    spec.made_with = FlagText(l.files, "--made-with", f.made_with).at(0, f.made_with);
  spec.fields.fdpr = f.fdpr;
  spec.fields.de_minimis = f.de_minimis;
  return spec;
}

Control control_template(Loaded& l, const ScenarioFlags& f, std::optional<std::string> against) {
  Diagnostics diags;
  ScenarioBuilder builder(*l.model, diags);
  ControlSpec spec = control_terms(l, f);
  if (against) spec.against = {Written{*against, {}}};
  auto control = builder.resolve(spec);
  diags.print(std::cerr, l.files);
  if (!control) throw UsageError("the control's flags are not valid (see above)");
  return std::move(*control);
}

namespace {

// Invalid input found here rather than in a file's diagnostics: printed, then InputError.
[[noreturn]] void defined_twice(const std::string& control, const std::string& where) {
  std::cerr << fmt::format(
      "error: control '{}' is defined twice (again in '{}'); give the controls distinct ids\n",
      control, where);
  throw InputError("control defined twice");
}

// A scenario as read --as-of, if given: once it has its name and its files are merged (so the
// suffix is said once and a dropped control is named by its final id).
void read_as_of(const ScenarioFlags& f, Scenario& s) {
  if (!f.as_of.empty()) as_of(s, f.as_of);
}

// A scenario file as one part (timeline) or column (compare): named by its file if unnamed,
// read --as-of.
Scenario scenario_file(Loaded& l, const ScenarioFlags& f, const std::string& file) {
  Scenario s = load_scenario_or_fail(l, file);
  if (s.name.empty()) s.name = file;
  read_as_of(f, s);
  return s;
}

Scenario merged_files(Loaded& l, const ScenarioFlags& f) {
  Scenario base;
  for (const auto& file : f.files)
    if (auto clash = merge_scenario(base, load_scenario_or_fail(l, file)))
      defined_twice(*clash, file);
  return base;
}

void apply_changes(Loaded& l, const ScenarioFlags& f, ScenarioBuilder& builder,
                   Diagnostics& diags) {
  for (const auto& list : f.remove)
    for (const auto& id : FlagText(l.files, "--remove", list).items()) builder.remove(id);
  for (const auto& list : f.remove_jurisdictions)
    for (const auto& code : FlagText(l.files, "--remove-jurisdiction", list).items())
      builder.remove_jurisdiction(code);
  for (const auto& list : f.capacity) {
    FlagText flag(l.files, "--capacity", list);
    for (const auto& item : flag.items()) {
      auto eq = item.text.find('=');
      if (eq == std::string::npos) {
        diags.error(item.where, fmt::format("expected ID=FACTOR, got '{}'", item.text));
        continue;
      }
      Written factor{item.text.substr(eq + 1), item.where};
      factor.where.col += static_cast<std::uint32_t>(eq + 1);
      if (auto f = builder.capacity_factor(factor))
        builder.capacity(Written{item.text.substr(0, eq), item.where}, f->point, f->range);
    }
  }
}

void apply_controls(Loaded& l, const ScenarioFlags& f, const std::vector<std::string>& values,
                    std::string_view flag, bool embargo, ScenarioBuilder& builder) {
  for (const auto& value : values) {
    FlagText text(l.files, flag, value);
    auto gt = value.find('>');
    if (gt == std::string::npos || gt == 0 || gt + 1 == value.size())
      throw UsageError(
          fmt::format("{} expects 'BY>AGAINST' (e.g. 'us-allies>CN'), got '{}'", flag, value));
    ControlSpec spec = control_terms(l, f);
    spec.where = text.at(0, value).where;
    spec.embargo = embargo && f.items.empty() && f.made_with.empty();
    spec.by = text.items_of(0, gt);
    spec.against = text.items_of(gt + 1, value.size());
    builder.control(spec);
  }
}

// "remove tsmc; control US>CN on items kind == 'chip' with FDPR": what the flags did.
std::string flags_name(const ScenarioFlags& f) {
  std::vector<std::string> desc;
  for (const auto& r : f.remove) desc.push_back("remove " + r);
  for (const auto& r : f.remove_jurisdictions) desc.push_back("remove jurisdiction " + r);
  for (const auto& c : f.capacity) desc.push_back("capacity " + c);
  std::string tail;
  if (!f.items.empty()) tail += " on items " + f.items;
  if (!f.made_with.empty()) tail += ", FDPR made with " + f.made_with;
  if (f.fdpr) tail += " with FDPR";
  for (const auto& e : f.control) desc.push_back("control " + e + tail);
  for (const auto& e : f.embargo) desc.push_back("embargo " + e + tail);
  std::string name;
  for (const auto& d : desc) name += (name.empty() ? "" : "; ") + d;
  return name;
}

}  // namespace

namespace {

// A term that would shape nothing is refused, never silently ignored.
void check_terms_used(const ScenarioFlags& f, bool own_controls) {
  if (!f.as_of.empty() && f.files.empty() && f.baselines.empty())
    throw UsageError(
        "--as-of reads scenario files as of a date, and none was given (-s or --baseline)");
  std::vector<std::string_view> given;
  if (!f.items.empty()) given.push_back("--items");
  if (!f.made_with.empty()) given.push_back("--made-with");
  if (f.fdpr) given.push_back("--fdpr");
  if (f.de_minimis > 0) given.push_back("--de-minimis");
  if (given.empty()) return;
  if (f.control.empty() && f.embargo.empty() && !own_controls)
    throw UsageError(fmt::format(
        "{} shapes the controls of --control or --embargo, and none was given (a scenario "
        "file's controls carry their own terms)",
        given.front()));
  if (!f.fdpr && (!f.made_with.empty() || f.de_minimis > 0))
    throw UsageError(fmt::format("{} shapes the foreign direct product rule: add --fdpr",
                                 f.made_with.empty() ? "--de-minimis" : "--made-with"));
}

// The flags' changes and controls on top of `base`, with `duration` if given.
Scenario with_flags(Loaded& l, const ScenarioFlags& f, Scenario base,
                    std::optional<double> duration) {
  Diagnostics diags;
  ScenarioBuilder builder(*l.model, diags);
  builder.scenario() = std::move(base);
  apply_changes(l, f, builder, diags);
  apply_controls(l, f, f.control, "--control", false, builder);
  apply_controls(l, f, f.embargo, "--embargo", true, builder);
  if (duration) builder.scenario().duration_months = *duration;
  if (builder.scenario().name.empty()) builder.scenario().name = flags_name(f);
  auto scenario = builder.finish();
  diags.print(std::cerr, l.files);
  if (!scenario) throw UsageError("the scenario flags are not valid (see above)");
  return std::move(*scenario);
}

}  // namespace

std::optional<Scenario> build_scenario(Loaded& l, const ScenarioFlags& f, bool own_controls) {
  check_terms_used(f, own_controls);
  if (!f.any()) return std::nullopt;
  Scenario s = with_flags(l, f, merged_files(l, f), f.duration);
  read_as_of(f, s);
  return s;
}

ScenarioParts build_parts(Loaded& l, const ScenarioFlags& f) {
  check_terms_used(f, false);
  ScenarioParts parts;
  auto add = [&](Scenario s, bool baseline, const std::string& where) {
    if (auto clash = parts.add(std::move(s), baseline)) defined_twice(*clash, where);
  };
  auto file_part = [&](const std::string& file, bool baseline) {
    add(scenario_file(l, f, file), baseline, file);
  };
  for (const auto& file : f.baselines) file_part(file, true);
  for (const auto& file : f.files) file_part(file, false);
  if (f.changes_any()) add(with_flags(l, f, Scenario{}, std::nullopt), false, "the flags");
  if (f.duration) parts.set_default_duration(*f.duration);
  return parts;
}

std::vector<ComparedScenario> build_alternatives(Loaded& l, const ScenarioFlags& f) {
  check_terms_used(f, false);
  ComparedScenario base{"no scenario", {}};
  for (const auto& file : f.baselines) {
    Scenario s = load_scenario_or_fail(l, file);
    if (s.name.empty()) s.name = file;
    if (auto clash = merge_scenario(base.scenario, std::move(s))) defined_twice(*clash, file);
  }
  if (!f.baselines.empty()) {
    read_as_of(f, base.scenario);
    base.name = base.scenario.name;
  }
  std::vector<ComparedScenario> out = {base};
  auto add = [&](Scenario own, const std::string& where) {
    ComparedScenario c{own.name, base.scenario};
    if (auto clash = merge_scenario(c.scenario, std::move(own))) defined_twice(*clash, where);
    c.scenario.name = c.name;
    out.push_back(std::move(c));
  };
  for (const auto& file : f.files) add(scenario_file(l, f, file), file);
  if (f.changes_any()) add(with_flags(l, f, Scenario{}, std::nullopt), "the flags");
  // Two columns of one name (two files that give the same name) are told apart by their files.
  std::vector<std::string> where = {""};
  where.insert(where.end(), f.files.begin(), f.files.end());
  where.push_back("the flags");
  std::map<std::string, std::size_t> uses;
  for (std::size_t k = 1; k < out.size(); ++k) ++uses[out[k].name];
  for (std::size_t k = 1; k < out.size(); ++k)
    if (uses[out[k].name] > 1) out[k].scenario.name = out[k].name += " (" + where[k] + ")";
  return out;
}

}  // namespace chokepoint::cli
