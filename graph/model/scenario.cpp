#include "graph/model/scenario.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "graph/model/jurisdictions.hpp"

namespace chokepoint {

namespace {

template <typename T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::optional<std::vector<JurisdictionIndex>> resolve_scenario_codes(const Model& model,
                                                                     std::string_view name) {
  if (auto c = model.resolve_codes(name)) return c;
  // A valid ISO code that no node uses: nothing is located there, which is still a valid answer.
  if (find_iso_jurisdiction(name)) return std::vector<JurisdictionIndex>{};
  return std::nullopt;
}

void normalise(Scenario& s) {
  sort_unique(s.remove);
  sort_unique(s.remove_jurisdictions);
  std::stable_sort(s.capacity.begin(), s.capacity.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

std::optional<std::string> merge_scenario(Scenario& into, Scenario more) {
  for (const Control& c : more.controls)
    if (c.id_written)
      for (const Control& d : into.controls)
        if (d.id == c.id) return c.id;
  if (into.name.empty())
    into.name = std::move(more.name);
  else if (!more.name.empty())
    into.name += " + " + more.name;
  if (into.description.empty()) into.description = std::move(more.description);
  into.remove.insert(into.remove.end(), more.remove.begin(), more.remove.end());
  into.remove_jurisdictions.insert(into.remove_jurisdictions.end(),
                                   more.remove_jurisdictions.begin(),
                                   more.remove_jurisdictions.end());
  into.capacity_ranges.insert(into.capacity_ranges.end(), more.capacity_ranges.begin(),
                              more.capacity_ranges.end());
  for (const auto& entry : more.capacity) {
    NodeIndex node = entry.first;
    auto it = std::find_if(into.capacity.begin(), into.capacity.end(),
                           [node](const auto& c) { return c.first == node; });
    if (it != into.capacity.end())
      it->second *= entry.second;
    else
      into.capacity.push_back(entry);
  }
  for (Control& c : more.controls) {
    if (!c.id_written)  // renumber "control N" in the joined list
      c.id = fmt::format("{} {}", c.id.substr(0, c.id.find(' ')), into.controls.size() + 1);
    into.controls.push_back(std::move(c));
  }
  if (more.duration_months) into.duration_months = more.duration_months;
  normalise(into);
  return std::nullopt;
}

namespace {

template <typename Keep>
Scenario merged_parts(const ScenarioParts& p, Keep keep) {
  Scenario out;
  for (const auto& part : p.parts)
    if (keep(part)) merge_scenario(out, part.scenario);  // clashes were refused by add()
  out.duration_months.reset();
  return out;
}

}  // namespace

std::optional<std::string> ScenarioParts::add(Scenario scenario, bool baseline) {
  for (const Control& c : scenario.controls)
    if (c.id_written)
      for (const auto& part : parts)
        for (const Control& d : part.scenario.controls)
          if (d.id == c.id) return c.id;
  parts.push_back(ScenarioPart{std::move(scenario), baseline});
  return std::nullopt;
}

void ScenarioParts::set_default_duration(double months) {
  for (auto& part : parts)
    if (!part.baseline && !part.scenario.duration_months) part.scenario.duration_months = months;
}

Scenario ScenarioParts::at(double month) const {
  return merged_parts(*this, [&](const ScenarioPart& part) { return part.in_force(month); });
}

Scenario ScenarioParts::all() const {
  return merged_parts(*this, [](const ScenarioPart&) { return true; });
}

Scenario ScenarioParts::baseline() const {
  return merged_parts(*this, [](const ScenarioPart& part) { return part.baseline; });
}

namespace {

// A control as a report names it apart from its scenario: its id, or (an unnamed control's number
// may be another's once files merge) its sides.
std::string control_label(const Control& c) {
  return c.id_written ? c.id
                      : fmt::format("the control by {} on {}", fmt::join(c.by_names, "+"),
                                    fmt::join(c.against_names, "+"));
}

}  // namespace

std::optional<int> month_number(std::string_view date) {
  auto number = [&](std::size_t at, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (char c : date.substr(at, n)) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  if ((date.size() != 7 && date.size() != 10) || date[4] != '-') return std::nullopt;
  auto year = number(0, 4), month = number(5, 2);
  if (!year || !month || *month < 1 || *month > 12) return std::nullopt;
  if (date.size() == 10) {
    auto day = number(8, 2);
    if (date[7] != '-' || !day || *day < 1 || *day > 31) return std::nullopt;
  }
  return *year * 12 + *month - 1;
}

std::size_t end_lifted_controls(ScenarioParts& parts, std::string_view date) {
  auto start = month_number(date);
  if (!start) return 0;
  std::vector<ScenarioPart> added;
  for (ScenarioPart& part : parts.parts) {
    std::vector<Control> kept;
    for (Control& c : part.scenario.controls) {
      auto lifted = month_number(c.lifted);
      // ISO dates compare as text; a control lifted by the data's date is not in its rules.
      if (!lifted || c.lifted <= date) {
        kept.push_back(std::move(c));
        continue;
      }
      ScenarioPart own;
      own.scenario.name = fmt::format("{} (lifted on {})", control_label(c), c.lifted);
      own.scenario.duration_months = std::max(1, *lifted - *start);
      own.scenario.controls.push_back(std::move(c));
      added.push_back(std::move(own));
    }
    part.scenario.controls = std::move(kept);
  }
  for (ScenarioPart& p : added) parts.parts.push_back(std::move(p));
  return added.size();
}

std::vector<Control> as_of(Scenario& scenario, std::string_view date) {
  std::vector<Control> dropped, kept;
  for (Control& c : scenario.controls)
    // ISO dates compare as text.
    (!c.lifted.empty() && c.lifted <= date ? dropped : kept).push_back(std::move(c));
  scenario.controls = std::move(kept);
  if (!scenario.name.empty()) scenario.name += fmt::format(" (as of {})", date);
  if (!dropped.empty()) {
    std::vector<std::string> said;
    // An unnamed control's number may be another's once files merge: it is named by its sides.
    for (const Control& c : dropped)
      said.push_back(fmt::format("{} (lifted {})", control_label(c), c.lifted));
    if (!scenario.description.empty()) scenario.description += ' ';
    scenario.description += fmt::format("Read as of {}, without the rules lifted by then: {}.",
                                        date, fmt::join(said, ", "));
  }
  return dropped;
}

}  // namespace chokepoint
