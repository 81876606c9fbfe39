#include "rules/rule_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "graph/input/loader.hpp"
#include "graph/input/yaml_tree.hpp"
#include "graph/support/errors.hpp"
#include "graph/support/numbers.hpp"
#include "graph/support/utf8.hpp"
#include "rules/node_values.hpp"

namespace chokepoint::rules {

using yaml::inside;
using yaml::NodeRef;
using namespace yaml_values;

std::string_view level_name(Level level) {
  switch (level) {
    case Level::info:
      return "info";
    case Level::low:
      return "low";
    case Level::medium:
      return "medium";
    case Level::high:
      return "high";
    case Level::critical:
      return "critical";
  }
  return "info";
}

std::optional<Level> parse_level(std::string_view name) {
  for (Level l : {Level::info, Level::low, Level::medium, Level::high, Level::critical})
    if (level_name(l) == name) return l;
  return std::nullopt;
}

Level Bands::level_of(double score) const {
  if (score >= critical) return Level::critical;
  if (score >= high) return Level::high;
  if (score >= medium) return Level::medium;
  if (score >= low) return Level::low;
  return Level::info;
}

namespace {

MessagePart literal_part(std::string text) {
  MessagePart p;
  p.text = std::move(text);
  return p;
}

const std::vector<std::string_view> kTopKeys = {"severity_bands", "rules"};
const std::vector<std::string_view> kRuleKeys = {"id",       "description", "when",
                                                 "severity", "score",       "message"};
const std::vector<std::string_view> kLevels = {"info", "low", "medium", "high", "critical"};

class RuleReader {
 public:
  RuleReader(SourceFiles& files, Diagnostics& diags) : files_(files), diags_(diags) {}

  void read(const yaml::Document& doc) {
    NodeRef root = doc.root();
    if (!root.is_map()) {
      diags_.error(root.location(), fmt::format("expected a map with 'rules' at the top of the "
                                                "file, got {}",
                                                root.describe()));
      return;
    }
    check_keys(root, kTopKeys, "at the top level of a rule file", diags_);
    if (auto b = root.find("severity_bands"); b && !b->is_null()) read_bands(*b);
    auto list = root.find("rules");
    if (!list) {
      diags_.error(root.location(), "rule file has no 'rules' list");
      return;
    }
    if (!expect_list(*list, "rules", diags_)) return;
    for (std::size_t i = 0; i < list->size(); ++i) read_rule(list->item(i));
  }

  RuleSet take() { return std::move(set_); }

 private:
  void read_bands(NodeRef map) {
    if (!expect_map(map, "severity_bands", diags_)) return;
    check_keys(map, {"low", "medium", "high", "critical"}, "in severity_bands", diags_);
    Bands b;
    for (auto [key, slot] : {std::pair{"low", &b.low}, std::pair{"medium", &b.medium},
                             std::pair{"high", &b.high}, std::pair{"critical", &b.critical}})
      if (auto v = map.find(key))
        if (auto n = number(*v, fmt::format("severity_bands.{}", key), diags_)) *slot = *n;
    if (!(b.low <= b.medium && b.medium <= b.high && b.high <= b.critical))
      diags_.error(map.location(), "severity_bands must rise: low <= medium <= high <= critical");
    if (bands_where_.valid() && (b.low != set_.bands.low || b.medium != set_.bands.medium ||
                                 b.high != set_.bands.high || b.critical != set_.bands.critical)) {
      diags_.error(map.location(), fmt::format("severity_bands differ from those at {}:{}:{}",
                                               files_.path(bands_where_.file), bands_where_.line,
                                               bands_where_.col));
      return;
    }
    set_.bands = b;
    bands_where_ = map.location();
  }

  void read_rule(NodeRef r) {
    if (!expect_map(r, "each rule", diags_)) return;
    Rule rule;
    rule.where = r.location();
    auto id = r.find("id");
    std::string label = "a rule";
    if (!id) {
      diags_.error(r.location(), "rule has no 'id'");
    } else if (auto s = string(*id, "id", diags_)) {
      rule.id = *s;
      label = fmt::format("rule '{}'", rule.id);
      auto [it, inserted] = ids_.emplace(rule.id, id->location());
      if (!inserted)
        diags_.error(id->location(),
                     fmt::format("duplicate rule id '{}'; first defined at {}:{}:{}", rule.id,
                                 files_.path(it->second.file), it->second.line, it->second.col));
    }
    check_keys(r, kRuleKeys, "in " + label, diags_);
    if (auto d = r.find("description"))
      rule.description = string(*d, "description", diags_).value_or("");
    if (auto s = r.find("severity")) {
      if (auto text = string(*s, "severity", diags_)) {
        if (auto level = parse_level(*text))
          rule.severity = *level;
        else
          diags_.error(s->location(), fmt::format("unknown severity '{}'; use info, low, medium, "
                                                  "high or critical{}",
                                                  *text, did_you_mean(*text, kLevels)));
      }
    }
    if (auto s = r.find("score")) {
      if (auto v = number(*s, "score", diags_)) {
        if (*v < 0 || *v > 100)
          diags_.error(s->location(),
                       fmt::format("score must be between 0 and 100, got {}", s->scalar()));
        else
          rule.score = *v;
      }
    }
    bool ok = true;
    if (auto w = r.find("when")) {
      if (auto text = string(*w, "when", diags_)) {
        std::vector<ExpressionError> errors;
        auto e = Expression::compile(*text, kBool, errors);
        for (const auto& err : errors) diags_.error(inside(*w, err.offset), err.message);
        if (e)
          rule.when = std::move(*e);
        else
          ok = false;
      } else {
        ok = false;
      }
    } else {
      diags_.error(r.location(), fmt::format("{} has no 'when'", label));
      ok = false;
    }
    if (auto m = r.find("message")) {
      if (auto text = string(*m, "message", diags_)) rule.message = parse_message(*m, *text);
    } else {
      rule.message.push_back(literal_part(rule.description.empty() ? rule.id : rule.description));
    }
    if (ok) set_.rules.push_back(std::move(rule));
  }

  std::vector<MessagePart> parse_message(NodeRef node, std::string_view text) {
    std::vector<MessagePart> parts;
    std::string literal;
    for (std::size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
        literal += '{';
        ++i;
        continue;
      }
      if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      if (c != '{') {
        literal += c;
        continue;
      }
      std::size_t close = text.find('}', i);
      if (close == std::string_view::npos) {
        diags_.error(inside(node, i), "unclosed '{' in message; write '{{' for a literal brace");
        return parts;
      }
      if (!literal.empty()) parts.push_back(literal_part(std::move(literal)));
      literal.clear();
      std::string_view inner = text.substr(i + 1, close - i - 1);
      MessagePart p;
      p.placeholder = true;
      std::string_view name = inner, format;
      if (auto colon = inner.find(':'); colon != std::string_view::npos) {
        name = inner.substr(0, colon);
        format = inner.substr(colon + 1);
      }
      if (name.rfind("attrs.", 0) == 0 && name.size() > 6) {
        p.attr = true;
        p.attr_name = std::string(name.substr(6));
      } else if (auto index = find_identifier(name)) {
        p.identifier = *index;
      } else {
        std::vector<std::string_view> names;
        for (const auto& id : identifiers()) names.push_back(id.name);
        diags_.error(inside(node, i + 1), fmt::format("unknown placeholder '{{{}}}'{}", name,
                                                      did_you_mean(name, names)));
      }
      if (!parse_format(format, p))
        diags_.error(inside(node, i + 1 + name.size() + 1),
                     fmt::format("unknown format ':{}'; use ':%', ':.1%' or ':.2f'", format));
      parts.push_back(std::move(p));
      i = close;
    }
    if (!literal.empty()) parts.push_back(literal_part(std::move(literal)));
    return parts;
  }

  static bool parse_format(std::string_view f, MessagePart& p) {
    if (f.empty()) return true;
    if (f == "%") {
      p.format = MessagePart::Format::percent;
      p.decimals = -1;  // two significant digits
      return true;
    }
    if (f.size() == 3 && f[0] == '.' && std::isdigit(static_cast<unsigned char>(f[1])) &&
        (f[2] == '%' || f[2] == 'f')) {
      p.format = f[2] == '%' ? MessagePart::Format::percent : MessagePart::Format::fixed;
      p.decimals = f[1] - '0';
      return true;
    }
    return false;
  }

  SourceFiles& files_;
  Diagnostics& diags_;
  RuleSet set_;
  SourceLocation bands_where_;
  std::map<std::string, SourceLocation> ids_;
};

std::string format_value(const Value& v, const MessagePart& p) {
  if (v.type != Type::number || p.format == MessagePart::Format::plain) return to_text(v);
  if (p.format == MessagePart::Format::fixed) return fmt::format("{:.{}f}", v.number, p.decimals);
  // As the reports print percentages: "25 %", "19 %", "0.31 %".
  if (p.decimals >= 0) return fmt::format("{:.{}f} %", v.number * 100, p.decimals);
  return percent(v.number, 2);
}

// At most kMaxMessage bytes, cut at a character and ended with "…": a template of 10,000
// {name} over every node of a graph ran out of memory. Text is taken only as far as it is shown.
std::string render(const std::vector<MessagePart>& parts, const Environment& env) {
  std::string out;
  for (const auto& p : parts) {
    if (out.size() > kMaxMessage) break;
    if (!p.placeholder) {
      out += p.text;
      continue;
    }
    Value v = p.attr ? env.attr(p.attr_name) : env.field(p.identifier);
    if (v.type == Type::string)
      out += v.str().substr(0, kMaxMessage + 1 - out.size());
    else
      out += format_value(v, p);
  }
  return utf8::shortened(out, kMaxMessage);
}

}  // namespace

std::optional<RuleSet> load_rules(const std::vector<std::string>& paths, SourceFiles& files,
                                  Diagnostics& diags) {
  std::size_t before = diags.error_count();
  RuleReader reader(files, diags);
  for (const auto& path : paths)
    if (auto doc = yaml::read_file(path, files, diags)) reader.read(*doc);
  if (diags.error_count() > before) return std::nullopt;
  return reader.take();
}

std::optional<RuleSet> load_rules_text(const std::string& path, std::string text,
                                       SourceFiles& files, Diagnostics& diags) {
  std::size_t before = diags.error_count();
  RuleReader reader(files, diags);
  std::uint32_t file = files.add(path, std::move(text));
  if (auto doc = yaml::parse(file, files, diags)) reader.read(*doc);
  if (diags.error_count() > before) return std::nullopt;
  return reader.take();
}

std::vector<NodeScore> score_nodes(const RuleSet& rules, const Analysis& analysis) {
  const Model& model = *analysis.model;
  std::vector<NodeScore> out(model.nodes.size());
  for (NodeIndex n = 0; n < model.nodes.size(); ++n) {
    NodeEnvironment env(analysis, n);
    NodeScore& s = out[n];
    double total = 0;
    Level highest = Level::info;
    for (const Rule& r : rules.rules) {
      if (!r.when.test(env)) continue;
      s.fired.push_back(FiredRule{&r, render(r.message, env)});
      total += r.score;
      highest = std::max(highest, r.severity);
    }
    s.score = std::min(100.0, total);
    s.severity = std::max(highest, rules.bands.level_of(s.score));
  }
  return out;
}

std::vector<NodeIndex> rank_by_severity(const Model& model, const std::vector<NodeScore>& scores,
                                        bool fired_only) {
  std::vector<NodeIndex> order;
  for (NodeIndex n : model.by_id())
    if (!fired_only || !scores[n].fired.empty()) order.push_back(n);
  auto rounded = [](double v) { return std::round(v * 1e12) / 1e12; };  // as reports print it
  std::stable_sort(order.begin(), order.end(), [&](NodeIndex x, NodeIndex y) {
    if (scores[x].severity != scores[y].severity) return scores[x].severity > scores[y].severity;
    return rounded(scores[x].score) > rounded(scores[y].score);
  });
  return order;
}

namespace {

std::filesystem::path executable_dir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : exe.parent_path();
}

// The places the data may be, in the order they are tried.
std::vector<std::filesystem::path> data_dir_candidates() {
  if (const char* dir = std::getenv("CHOKEPOINT_DATA_DIR"); dir && *dir) return {dir};
  std::filesystem::path exe = executable_dir();
  if (exe.empty()) return {};
  return {exe.parent_path() / "share" / "chokepoint", exe / "share" / "chokepoint"};
}

std::filesystem::path rules_in(const std::filesystem::path& dir) {
  return dir / "rules" / "default.yaml";
}

}  // namespace

std::optional<std::string> find_data_dir() {
  for (const auto& dir : data_dir_candidates()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(rules_in(dir), ec)) return dir.string();
  }
  return std::nullopt;
}

std::string default_rules_path() {
  if (auto dir = find_data_dir()) return rules_in(*dir).string();
  std::string looked;
  for (const auto& dir : data_dir_candidates())
    looked += (looked.empty() ? "" : ", ") + rules_in(dir).string();
  const char* env = std::getenv("CHOKEPOINT_DATA_DIR");
  throw IoError(
      fmt::format("cannot find the default rules (looked for {}); {}, or give --rules FILE",
                  looked.empty() ? std::string("the executable's folder") : looked,
                  env && *env ? "CHOKEPOINT_DATA_DIR names a folder without rules/default.yaml"
                              : "install chokepoint with its share/chokepoint folder or set "
                                "CHOKEPOINT_DATA_DIR to the folder that holds rules/default.yaml"));
}

bool is_default_rules_path(std::string_view path) {
  auto dir = find_data_dir();
  return dir && rules_in(*dir).string() == path;
}

}  // namespace chokepoint::rules
