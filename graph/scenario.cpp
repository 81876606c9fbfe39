#include "graph/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "graph/jurisdictions.hpp"
#include "graph/loader.hpp"
#include "graph/yaml_tree.hpp"

namespace chokepoint {

using yaml::NodeRef;
using namespace yaml_values;

namespace {

const std::vector<std::string_view> kScenarioKeys = {
    "name", "description", "remove", "remove_jurisdictions", "capacity", "embargoes"};
const std::vector<std::string_view> kEmbargoKeys = {"by", "against", "fdpr", "de_minimis"};

template <typename T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

class ScenarioReader {
 public:
  ScenarioReader(const Model& model, Diagnostics& diags) : model_(model), diags_(diags) {}

  std::optional<Scenario> read(NodeRef root) {
    std::size_t errors_before = diags_.error_count();
    if (!root.is_map()) {
      diags_.error(root.location(), fmt::format("expected a map with 'scenario' at the top of "
                                                "the file, got {}",
                                                root.describe()));
      return std::nullopt;
    }
    check_keys(root, {"scenario"}, "in a scenario file", diags_);
    auto body = root.find("scenario");
    if (!body) {
      diags_.error(root.location(), "scenario file has no 'scenario' key");
      return std::nullopt;
    }
    if (!expect_map(*body, "scenario", diags_)) return std::nullopt;
    check_keys(*body, kScenarioKeys, "in the scenario", diags_);
    Scenario s;
    if (auto v = body->find("name")) s.name = string(*v, "name", diags_).value_or("");
    if (auto v = body->find("description"))
      s.description = string(*v, "description", diags_).value_or("");
    if (auto v = body->find("remove"); v && !v->is_null() && expect_list(*v, "remove", diags_))
      for (std::size_t i = 0; i < v->size(); ++i)
        if (auto n = node(v->item(i))) s.remove.push_back(*n);
    if (auto v = body->find("remove_jurisdictions");
        v && !v->is_null() && expect_list(*v, "remove_jurisdictions", diags_))
      for (std::size_t i = 0; i < v->size(); ++i)
        if (auto c = codes(v->item(i)))
          s.remove_jurisdictions.insert(s.remove_jurisdictions.end(), c->begin(), c->end());
    if (auto v = body->find("capacity"); v && !v->is_null() && expect_map(*v, "capacity", diags_))
      for (std::size_t i = 0; i < v->size(); ++i) {
        auto n = node(v->key(i));
        auto f = fraction(v->value(i), "a capacity factor", diags_);
        if (n && f) s.capacity.emplace_back(*n, *f);
      }
    if (auto v = body->find("embargoes");
        v && !v->is_null() && expect_list(*v, "embargoes", diags_))
      for (std::size_t i = 0; i < v->size(); ++i)
        if (auto e = embargo(v->item(i))) s.embargoes.push_back(std::move(*e));
    if (diags_.error_count() > errors_before) return std::nullopt;
    normalise(s);
    return s;
  }

 private:
  std::optional<NodeIndex> node(NodeRef ref) {
    auto id = string(ref, "a node id", diags_);
    if (!id) return std::nullopt;
    if (auto n = model_.find(*id)) return n;
    std::vector<std::string_view> ids;
    if (model_.nodes.size() <= 50'000)
      for (const auto& n : model_.nodes) ids.push_back(n.id);
    diags_.error(ref.location(), fmt::format("unknown node '{}'{}", *id, did_you_mean(*id, ids)));
    return std::nullopt;
  }

  std::optional<std::vector<JurisdictionIndex>> codes(NodeRef ref) {
    auto name = string(ref, "a jurisdiction or bloc", diags_);
    if (!name) return std::nullopt;
    if (auto c = resolve_scenario_codes(model_, *name)) return c;
    std::vector<std::string_view> candidates;
    for (const auto& b : model_.blocs) candidates.push_back(b.name);
    for (const auto& j : model_.jurisdictions) candidates.push_back(j.code);
    diags_.error(ref.location(), fmt::format("unknown jurisdiction or bloc '{}'{}", *name,
                                             did_you_mean(*name, candidates)));
    return std::nullopt;
  }

  std::optional<Embargo> embargo(NodeRef ref) {
    if (!expect_map(ref, "an embargo", diags_)) return std::nullopt;
    check_keys(ref, kEmbargoKeys, "in an embargo", diags_);
    Embargo e;
    bool ok = true;
    for (auto [key, names, resolved] : {std::tuple{"by", &e.by_names, &e.by},
                                        std::tuple{"against", &e.against_names, &e.against}}) {
      auto v = ref.find(key);
      if (!v) {
        diags_.error(ref.location(), fmt::format("embargo has no '{}' list", key));
        ok = false;
        continue;
      }
      std::vector<NodeRef> items;
      if (v->is_scalar())
        items.push_back(*v);
      else if (expect_list(*v, key, diags_))
        for (std::size_t i = 0; i < v->size(); ++i) items.push_back(v->item(i));
      for (NodeRef item : items) {
        auto c = codes(item);
        if (!c) {
          ok = false;
          continue;
        }
        names->push_back(std::string(item.scalar()));
        resolved->insert(resolved->end(), c->begin(), c->end());
      }
      sort_unique(*resolved);
    }
    if (auto v = ref.find("fdpr")) e.fdpr = boolean(*v, "fdpr", diags_).value_or(false);
    if (auto v = ref.find("de_minimis"))
      e.de_minimis = fraction(*v, "de_minimis", diags_).value_or(0);
    for (auto j : e.by)
      if (std::binary_search(e.against.begin(), e.against.end(), j)) {
        diags_.error(ref.location(), fmt::format("'{}' is on both sides of this embargo",
                                                 model_.jurisdiction_code(j)));
        ok = false;
      }
    if (!ok) return std::nullopt;
    return e;
  }

  const Model& model_;
  Diagnostics& diags_;
};

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

std::optional<Scenario> load_scenario(const std::string& path, const Model& model,
                                      SourceFiles& files, Diagnostics& diags) {
  auto doc = yaml::read_file(path, files, diags);
  if (!doc) return std::nullopt;
  return ScenarioReader(model, diags).read(doc->root());
}

std::optional<Scenario> load_scenario_text(const std::string& path, std::string text,
                                           const Model& model, SourceFiles& files,
                                           Diagnostics& diags) {
  std::uint32_t file = files.add(path, std::move(text));
  auto doc = yaml::parse(file, files, diags);
  if (!doc) return std::nullopt;
  return ScenarioReader(model, diags).read(doc->root());
}

}  // namespace chokepoint
