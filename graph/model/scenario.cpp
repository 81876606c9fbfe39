#include "graph/model/scenario.hpp"

#include <fmt/format.h>

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

}  // namespace chokepoint
