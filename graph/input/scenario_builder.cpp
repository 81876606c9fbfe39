#include "graph/input/scenario_builder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "graph/input/loader.hpp"
#include "graph/input/yaml_tree.hpp"
#include "graph/model/jurisdictions.hpp"
#include "graph/model/node_fields.hpp"

namespace chokepoint {

using yaml::NodeRef;
using namespace yaml_values;

namespace {

const std::vector<std::string_view> kScenarioKeys = {
    "name",     "description", "remove",    "remove_jurisdictions",
    "capacity", "controls",    "embargoes", "duration_months"};
const std::vector<std::string_view> kControlKeys = {"id",      "description", "by",   "against",
                                                    "items",   "made_with",   "fdpr", "de_minimis",
                                                    "sources", "lifted"};
const std::vector<std::string_view> kEmbargoKeys = {"id", "by", "against", "fdpr", "de_minimis"};

}  // namespace

bool is_date(std::string_view s) { return month_number(s).has_value(); }

namespace {

template <typename T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

SourceLocation advance(SourceLocation at, std::size_t offset) {
  at.col += static_cast<std::uint32_t>(offset);
  return at;
}

Written written(NodeRef scalar) {
  return Written{std::string(scalar.scalar()), yaml::inside(scalar, 0)};
}

// Reads the YAML form of a scenario into the builder.
class ScenarioReader {
 public:
  ScenarioReader(ScenarioBuilder& builder, Diagnostics& diags) : b_(builder), diags_(diags) {}

  void read(NodeRef root) {
    if (!root.is_map()) {
      diags_.error(root.location(), fmt::format("expected a map with 'scenario' at the top of "
                                                "the file, got {}",
                                                root.describe()));
      return;
    }
    check_keys(root, {"scenario"}, "in a scenario file", diags_);
    auto body = root.find("scenario");
    if (!body) {
      diags_.error(root.location(), "scenario file has no 'scenario' key");
      return;
    }
    if (!expect_map(*body, "scenario", diags_)) return;
    check_keys(*body, kScenarioKeys, "in the scenario", diags_);
    Scenario& s = b_.scenario();
    if (auto v = body->find("name")) s.name = string(*v, "name", diags_).value_or("");
    if (auto v = body->find("description"))
      s.description = string(*v, "description", diags_).value_or("");
    if (auto v = body->find("duration_months"); v && !v->is_null()) {
      auto d = number(*v, "duration_months", diags_);
      if (d && *d < 0)
        diags_.error(v->location(),
                     fmt::format("duration_months must be 0 or more, got {}", v->scalar()));
      else if (d)
        s.duration_months = *d;
    }
    for (NodeRef item : list(*body, "remove"))
      if (string(item, "a node id", diags_)) b_.remove(written(item));
    for (NodeRef item : list(*body, "remove_jurisdictions"))
      if (string(item, "a jurisdiction or bloc", diags_)) b_.remove_jurisdiction(written(item));
    if (auto v = body->find("capacity"); v && !v->is_null() && expect_map(*v, "capacity", diags_))
      for (std::size_t i = 0; i < v->size(); ++i) {
        auto id = string(v->key(i), "a node id", diags_);
        auto f = b_.capacity_factor(v->value(i));
        if (id && f) b_.capacity(written(v->key(i)), f->point, f->range);
      }
    for (NodeRef item : list(*body, "controls")) control(item, false);
    for (NodeRef item : list(*body, "embargoes")) control(item, true);
  }

 private:
  std::vector<NodeRef> list(NodeRef map, std::string_view key) {
    std::vector<NodeRef> out;
    auto v = map.find(key);
    if (!v || v->is_null() || !expect_list(*v, key, diags_)) return out;
    for (std::size_t i = 0; i < v->size(); ++i) out.push_back(v->item(i));
    return out;
  }

  void control(NodeRef ref, bool embargo) {
    std::string_view what = embargo ? "embargo" : "control";
    if (!expect_map(ref, embargo ? "an embargo" : "a control", diags_)) return;
    check_keys(ref, embargo ? kEmbargoKeys : kControlKeys,
               embargo ? "in an embargo" : "in a control", diags_);
    ControlSpec spec;
    spec.where = ref.location();
    spec.embargo = embargo;
    if (auto v = ref.find("id"))
      if (string(*v, "id", diags_)) spec.id = written(*v);
    for (auto [key, names] : {std::pair{"by", &spec.by}, std::pair{"against", &spec.against}}) {
      auto v = ref.find(key);
      if (!v) {
        diags_.error(ref.location(), fmt::format("{} has no '{}' list", what, key));
        continue;
      }
      if (v->is_scalar()) {
        names->push_back(written(*v));
        continue;
      }
      if (!expect_list(*v, key, diags_)) continue;
      for (std::size_t i = 0; i < v->size(); ++i)
        if (string(v->item(i), "a jurisdiction or bloc", diags_))
          names->push_back(written(v->item(i)));
    }
    for (auto [key, slot] :
         {std::pair{"items", &spec.items}, std::pair{"made_with", &spec.made_with}})
      if (auto v = ref.find(key))
        if (string(*v, key, diags_)) *slot = written(*v);
    if (auto v = ref.find("fdpr")) {
      spec.fields.fdpr = boolean(*v, "fdpr", diags_).value_or(false);
      spec.fields.fdpr_where = v->location();
    }
    if (auto v = ref.find("de_minimis"))
      if (auto d = ranged(*v, "de_minimis", Bounds::fraction, diags_)) {
        spec.fields.de_minimis = d->point;
        spec.fields.de_minimis_range = d->range;
      }
    if (auto v = ref.find("sources"); v && !v->is_null() && expect_list(*v, "sources", diags_))
      for (std::size_t i = 0; i < v->size(); ++i)
        if (auto s = string(v->item(i), "a source", diags_)) spec.fields.sources.push_back(*s);
    if (auto v = ref.find("lifted"))
      if (auto s = string(*v, "lifted", diags_)) {
        if (is_date(*s))
          spec.fields.lifted = *s;
        else
          diags_.error(v->location(),
                       fmt::format("lifted must be a date, YYYY-MM-DD or YYYY-MM, got '{}'", *s));
      }
    if (spec.by.empty() || spec.against.empty()) return;
    b_.control(spec);
  }

  ScenarioBuilder& b_;
  Diagnostics& diags_;
};

}  // namespace

ScenarioBuilder::ScenarioBuilder(const Model& model, Diagnostics& diags)
    : model_(model), diags_(diags), errors_before_(diags.error_count()) {}

// Candidates compared, over all the suggestions of one scenario: a million (twenty names against
// a 50,000-node graph) take about a second.
constexpr std::size_t kSuggestionWork = 1'000'000;

std::string ScenarioBuilder::suggestion(char kind, const std::string& name,
                                        const std::vector<std::string_view>& candidates) {
  auto key = std::pair{kind, name};
  if (auto it = suggestions_.find(key); it != suggestions_.end()) return it->second;
  std::string found;
  if (compared_ + candidates.size() <= kSuggestionWork) {
    compared_ += candidates.size();
    found = did_you_mean(name, candidates);
  }
  suggestions_.emplace(std::move(key), found);
  return found;
}

std::optional<NodeIndex> ScenarioBuilder::node(const Written& id) {
  if (auto n = model_.find(id.text)) return n;
  if (node_ids_.empty() && model_.nodes.size() <= 50'000)
    for (const auto& n : model_.nodes) node_ids_.push_back(n.id);
  diags_.error(id.where,
               fmt::format("unknown node '{}'{}", id.text, suggestion('n', id.text, node_ids_)));
  return std::nullopt;
}

std::optional<std::vector<JurisdictionIndex>> ScenarioBuilder::codes(const Written& name) {
  if (auto c = resolve_scenario_codes(model_, name.text)) return c;
  if (codes_.empty()) {
    for (const auto& b : model_.blocs) codes_.push_back(b.name);
    for (const auto& j : model_.jurisdictions) codes_.push_back(j.code);
  }
  diags_.error(name.where, fmt::format("unknown jurisdiction or bloc '{}'{}", name.text,
                                       suggestion('j', name.text, codes_)));
  return std::nullopt;
}

void ScenarioBuilder::remove(const Written& id) {
  if (auto n = node(id)) scenario_.remove.push_back(*n);
}

void ScenarioBuilder::remove_jurisdiction(const Written& code_or_bloc) {
  if (auto c = codes(code_or_bloc))
    scenario_.remove_jurisdictions.insert(scenario_.remove_jurisdictions.end(), c->begin(),
                                          c->end());
}

std::optional<RangedValue> ScenarioBuilder::capacity_factor(NodeRef value) {
  return ranged(value, "a capacity factor", Bounds::fraction, diags_);
}

std::optional<RangedValue> ScenarioBuilder::capacity_factor(const Written& factor) {
  // The text read as a scenario file's value would be, in a file of its own; what is wrong with
  // it is reported at its place in the flag.
  if (factor.text.find_first_not_of(' ') == std::string::npos) {
    diags_.error(factor.where, "a capacity factor must be a number or a range, got nothing");
    return std::nullopt;
  }
  SourceFiles scratch;
  Diagnostics found;
  std::optional<RangedValue> v;
  if (auto doc = yaml::parse(scratch.add("", factor.text), scratch, found))
    v = ranged(doc->root(), "a capacity factor", Bounds::fraction, found);
  for (const auto& d : found.all())
    if (d.severity == Severity::error) diags_.error(factor.where, d.message);
  if (found.error_count() > 0) return std::nullopt;
  return v;
}

void ScenarioBuilder::capacity(const Written& id, double factor, std::optional<Range> range) {
  if (auto n = node(id)) {
    scenario_.capacity.emplace_back(*n, factor);
    if (range) scenario_.capacity_ranges.emplace_back(*n, *range);
  }
}

std::optional<std::vector<char>> ScenarioBuilder::matches(const Written& expression) {
  std::vector<rules::ExpressionError> errors;
  auto e = rules::Expression::compile(expression.text, rules::kBool, errors,
                                      &NodeFields::control_scope());
  for (const auto& err : errors) diags_.error(advance(expression.where, err.offset), err.message);
  if (!e) return std::nullopt;
  std::vector<char> out(model_.nodes.size(), 0);
  for (NodeIndex n = 0; n < model_.nodes.size(); ++n) out[n] = e->test(NodeFields(model_, n));
  return out;
}

void ScenarioBuilder::control(const ControlSpec& spec) {
  if (auto c = resolve(spec)) scenario_.controls.push_back(std::move(*c));
}

std::optional<Control> ScenarioBuilder::resolve(const ControlSpec& spec) {
  Control c = spec.fields;
  std::size_t number = scenario_.controls.size() + 1;
  c.id =
      spec.id ? spec.id->text : fmt::format("{} {}", spec.embargo ? "embargo" : "control", number);
  c.id_written = spec.id.has_value();
  if (spec.id)
    for (const auto& other : scenario_.controls)
      if (other.id == c.id)
        diags_.error(spec.id->where, fmt::format("duplicate control id '{}'", c.id));
  bool ok = true;
  for (const auto& name : spec.by) {
    auto found = codes(name);
    if (!found) {
      ok = false;
      continue;
    }
    c.by_names.push_back(name.text);
    c.by.insert(c.by.end(), found->begin(), found->end());
  }
  sort_unique(c.by);
  for (const auto& name : spec.against) {
    if (auto found = resolve_scenario_codes(model_, name.text)) {
      for (auto j : *found)
        if (std::binary_search(c.by.begin(), c.by.end(), j)) {
          diags_.error(name.where,
                       fmt::format("'{}' is on both sides of this {}", model_.jurisdiction_code(j),
                                   spec.embargo ? "embargo" : "control"));
          ok = false;
        }
      c.against.insert(c.against.end(), found->begin(), found->end());
    } else if (auto n = model_.find(name.text)) {
      c.entities.push_back(*n);
    } else {
      std::vector<std::string_view> candidates;
      if (!suggestions_.count({'a', name.text})) {
        for (const auto& b : model_.blocs) candidates.push_back(b.name);
        for (const auto& j : model_.jurisdictions) candidates.push_back(j.code);
        if (model_.nodes.size() <= 50'000)
          for (const auto& node : model_.nodes) candidates.push_back(node.id);
      }
      diags_.error(name.where, fmt::format("unknown jurisdiction, bloc or node '{}'{}", name.text,
                                           suggestion('a', name.text, candidates)));
      ok = false;
      continue;
    }
    if (std::find(c.against_names.begin(), c.against_names.end(), name.text) ==
        c.against_names.end())
      c.against_names.push_back(name.text);
  }
  sort_unique(c.against);
  sort_unique(c.entities);
  if (spec.items) {
    c.items_text = spec.items->text;
    if (auto m = matches(*spec.items))
      c.items = std::move(*m);
    else
      ok = false;
  }
  if (spec.made_with) {
    c.made_with_text = spec.made_with->text;
    if (auto m = matches(*spec.made_with))
      c.made_with = std::move(*m);
    else
      ok = false;
  }
  if (!(spec.fields.de_minimis >= 0 && spec.fields.de_minimis <= 1)) {
    diags_.error(spec.where,
                 fmt::format("de_minimis must be in [0,1], got {}", spec.fields.de_minimis));
    ok = false;
  }
  c.fdpr_where = c.fdpr_where.line > 0 ? c.fdpr_where : spec.where;
  // Only jurisdictions that declare an FDPR apply one, once any does.
  if (c.fdpr && !c.by.empty() && model_.fdpr_declared() &&
      std::none_of(c.by.begin(), c.by.end(), [&](auto j) { return model_.applies_fdpr(j); })) {
    std::string names;
    for (const auto& n : c.by_names) names += (names.empty() ? "" : ", ") + n;
    diags_.error(c.fdpr_where, fmt::format("control '{}': fdpr: none of {} declares an FDPR (add "
                                           "fdpr: true under jurisdictions)",
                                           c.id, names));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return c;
}

std::optional<Scenario> ScenarioBuilder::finish() {
  if (diags_.error_count() > errors_before_) return std::nullopt;
  normalise(scenario_);
  return scenario_;
}

std::optional<Scenario> load_scenario(const std::string& path, const Model& model,
                                      SourceFiles& files, Diagnostics& diags) {
  ScenarioBuilder builder(model, diags);
  auto doc = yaml::read_file(path, files, diags);
  if (!doc) return std::nullopt;
  ScenarioReader(builder, diags).read(doc->root());
  return builder.finish();
}

std::optional<Scenario> load_scenario_text(const std::string& path, std::string text,
                                           const Model& model, SourceFiles& files,
                                           Diagnostics& diags) {
  ScenarioBuilder builder(model, diags);
  std::uint32_t file = files.add(path, std::move(text));
  auto doc = yaml::parse(file, files, diags);
  if (!doc) return std::nullopt;
  ScenarioReader(builder, diags).read(doc->root());
  return builder.finish();
}

}  // namespace chokepoint
