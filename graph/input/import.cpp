#include "graph/input/import.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <malloc.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "graph/input/csv_table.hpp"
#include "graph/input/loader.hpp"
#include "graph/model/jurisdictions.hpp"

namespace chokepoint {

namespace {

// ---- the graph as read from tables, before it becomes YAML ----

// A share as a table gives it: a number, or a range [low, high] (written "40-60%", "0.4-0.6" or
// "[0.4, 0.6]"), which the graph keeps as a range.
struct TableShare {
  double low = 0, high = 0;
  bool range() const { return low != high; }
  std::string yaml() const {
    return range() ? fmt::format("[{}, {}]", low, high) : fmt::format("{}", low);
  }
};

struct RowMember {
  std::string id;
  std::optional<TableShare> share;
  SourceLocation where;
};

struct Requirement {
  std::string label;  // an `any` group's label; empty for a single input
  std::optional<TableShare> min_share;
  std::vector<RowMember> members;
  SourceLocation where;
};

struct ImportNode {
  std::string id, name, kind, jurisdiction;
  bool target = false;
  std::optional<double> substitution_years, stock_months, min_supply;
  std::vector<std::string> tags, sources;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::vector<RowMember> suppliers;
  std::vector<Requirement> inputs;
  SourceLocation where;
};

struct ImportGraph {
  std::string title;
  std::vector<ImportNode> nodes;
};

// A YAML double-quoted scalar (JSON escaping is valid YAML).
std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

// Writes the graph as YAML, one table row per line where it can, and remembers for every YAML
// line the table row it came from.
class Emitter {
 public:
  std::string text;
  std::vector<SourceLocation> origin{SourceLocation{}};  // index: YAML line (1-based)

  void line(const std::string& s, SourceLocation from) {
    text += s;
    text += '\n';
    origin.push_back(from);
  }

  void graph(const ImportGraph& g) {
    line("# written by chokepoint import", {});
    line("format: 1", {});
    if (!g.title.empty()) line(fmt::format("meta: {{title: {}}}", yaml_quoted(g.title)), {});
    line("nodes:", {});
    for (const auto& n : g.nodes) node(n);
  }

 private:
  void member(const std::string& indent, const RowMember& m) {
    line(fmt::format("{}- {{id: {}{}}}", indent, yaml_quoted(m.id),
                     m.share ? fmt::format(", share: {}", m.share->yaml()) : std::string()),
         m.where);
  }

  void node(const ImportNode& n) {
    SourceLocation at = n.where;
    line(fmt::format("  - id: {}", yaml_quoted(n.id)), at);
    if (!n.name.empty() && n.name != n.id)
      line(fmt::format("    name: {}", yaml_quoted(n.name)), at);
    line(fmt::format("    kind: {}", yaml_quoted(n.kind)), at);
    if (!n.jurisdiction.empty())
      line(fmt::format("    jurisdiction: {}", yaml_quoted(n.jurisdiction)), at);
    if (n.target) line("    target: true", at);
    if (n.substitution_years)
      line(fmt::format("    substitution_years: {}", *n.substitution_years), at);
    if (n.stock_months) line(fmt::format("    stock_months: {}", *n.stock_months), at);
    if (n.min_supply) line(fmt::format("    min_supply: {}", *n.min_supply), at);
    auto list = [&](const char* key, const std::vector<std::string>& items) {
      if (items.empty()) return;
      std::vector<std::string> q;
      for (const auto& item : items) q.push_back(yaml_quoted(item));
      line(fmt::format("    {}: [{}]", key, fmt::join(q, ", ")), at);
    };
    list("tags", n.tags);
    list("sources", n.sources);
    if (!n.attrs.empty()) {
      line("    attrs:", at);
      for (const auto& [k, v] : n.attrs)
        line(fmt::format("      {}: {}", yaml_quoted(k), yaml_quoted(v)), at);
    }
    if (!n.suppliers.empty()) {
      line("    suppliers:", at);
      for (const auto& m : n.suppliers) member("      ", m);
    }
    if (!n.inputs.empty()) {
      line("    inputs:", at);
      for (const auto& r : n.inputs) {
        if (r.label.empty() && r.members.size() == 1 && !r.min_share) {
          line(fmt::format("      - {}", yaml_quoted(r.members[0].id)), r.members[0].where);
          continue;
        }
        line("      - any:", r.where);
        for (const auto& m : r.members) member("          ", m);
        if (r.min_share) line(fmt::format("        min_share: {}", r.min_share->yaml()), r.where);
        if (!r.label.empty()) line(fmt::format("        label: {}", yaml_quoted(r.label)), r.where);
      }
    }
  }
};

// Loads the YAML with the ordinary loader; its diagnostics are moved to the table rows.
std::optional<std::string> validate(Emitter e, SourceFiles& files, Diagnostics& diags) {
  SourceFiles scratch;
  Diagnostics found;
  // The text goes to the loader and is taken back once the model is gone, so that a big table
  // is held once while it is checked; what the tables and the graph as read held is handed back
  // to the system first (the loader's allocations would not reuse most of it: a million rows
  // peaked at 1.9 GB, now under 1 GB).
#ifdef __GLIBC__
  ::malloc_trim(0);
#endif
  bool loaded = load_graph_text("<import>", std::move(e.text), scratch, found).has_value();
  // A message that names a second place ("first at line 11, column 14") names a line of the
  // YAML, which the reader never sees: it becomes the table row that line came from.
  auto at_rows = [&](std::string message) {
    for (std::string_view at : {std::string_view("line "), std::string_view("<import>:")}) {
      std::string_view column = at == "line " ? ", column " : ":";
      for (std::size_t i = message.find(at); i != std::string::npos; i = message.find(at, i + 1)) {
        std::uint32_t line = 0;
        auto [stop, ec] =
            std::from_chars(message.data() + i + at.size(), message.data() + message.size(), line);
        if (ec != std::errc() || line >= e.origin.size() || !e.origin[line].valid()) continue;
        std::size_t to = static_cast<std::size_t>(stop - message.data());
        if (message.compare(to, column.size(), column) == 0) {
          to += column.size();
          while (to < message.size() && std::isdigit(static_cast<unsigned char>(message[to]))) ++to;
        }
        const SourceLocation& row = e.origin[line];
        std::string place = fmt::format("{}:{}", files.path(row.file), row.line);
        message.replace(i, to - i, place);
        i += place.size() - 1;
      }
    }
    return message;
  };
  for (const auto& d : found.all()) {
    SourceLocation at = d.where.line < e.origin.size() ? e.origin[d.where.line] : SourceLocation{};
    std::string message = at_rows(d.message);
    if (d.severity == Severity::error)
      at.valid() ? diags.error(at, message) : diags.file_error("<import>", message);
    else if (at.valid())
      diags.warning(at, message);
  }
  if (!loaded) return std::nullopt;
  for (std::uint32_t f = 0; f < scratch.size(); ++f)
    if (scratch.path(f) == "<import>") return scratch.text(f);
  return std::nullopt;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

// "0.4", "40%" or (percent = true) "40" as a fraction.
std::optional<double> fraction(std::string_view text, bool percent) {
  std::string t = trim(text);
  bool pct = percent;
  if (!t.empty() && t.back() == '%') {
    pct = true;
    t.pop_back();
  }
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !(v >= 0) ||
      !std::isfinite(v))
    return std::nullopt;
  if (pct) v /= 100;
  if (v > 1) return std::nullopt;  // a share above the whole (1e308 summed to inf, then nan)
  return v;
}

// A share cell: "0.4", "40%", or a range "40-60%", "0.4-0.6", "[0.4, 0.6]" (low <= high).
std::optional<TableShare> table_share(std::string_view text) {
  std::string t = trim(text);
  if (auto v = fraction(t, false)) return TableShare{*v, *v};
  bool bracketed = t.size() >= 2 && t.front() == '[' && t.back() == ']';
  if (bracketed) t = t.substr(1, t.size() - 2);
  bool pct = !bracketed && !t.empty() && t.back() == '%';
  if (pct) t.pop_back();
  auto cut = bracketed ? t.find(',') : t.find('-', 1);
  if (cut == std::string::npos) return std::nullopt;
  auto low = fraction(t.substr(0, cut) + (pct ? "%" : ""), false);
  auto high = fraction(t.substr(cut + 1) + (pct ? "%" : ""), false);
  if (!low || !high || *low > *high) return std::nullopt;
  return TableShare{*low, *high};
}

std::optional<double> parse_number(std::string_view text) {
  std::string t = trim(text);
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !(v >= 0) ||
      !std::isfinite(v))
    return std::nullopt;
  return v;
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    auto item = trim(text.substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// A jurisdiction as written: alpha-2 as is, alpha-3 converted with a warning.
std::string jurisdiction(std::string_view text, SourceLocation at, Diagnostics& diags) {
  std::string code = trim(text);
  for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (code.size() == 3)
    if (const Jurisdiction* j = find_iso_alpha3(code)) {
      diags.warning(
          at, fmt::format("'{}' is an ISO alpha-3 code; written as '{}' (alpha-2)", code, j->code));
      return std::string(j->code);
    }
  return code;
}

bool truthy(std::string_view text) {
  std::string t = trim(text);
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return t == "true" || t == "yes" || t == "1" || t == "y" || t == "x";
}

}  // namespace

std::optional<std::string> import_csv(const std::string& nodes_path, const std::string& edges_path,
                                      SourceFiles& files, Diagnostics& diags) {
  auto nodes = read_csv(nodes_path, files, diags);
  auto edges = read_csv(edges_path, files, diags);
  if (!nodes || !edges) return std::nullopt;
  std::size_t errors = diags.error_count();
  ImportGraph g;
  auto need = [&](const CsvTable& t, std::initializer_list<std::string_view> names,
                  const char* what) {
    auto c = t.column(names);
    if (!c) diags.file_error(t.path, fmt::format("no '{}' column in the header", what));
    return c;
  };
  auto c_id = need(*nodes, {"id"}, "id");
  auto c_kind = need(*nodes, {"kind", "type"}, "kind");
  auto c_name = nodes->column({"name", "label"});
  auto c_jur = nodes->column({"jurisdiction", "country"});
  auto c_target = nodes->column({"target"});
  auto c_years = nodes->column({"substitution_years"});
  auto c_stock = nodes->column({"stock_months"});
  auto c_min = nodes->column({"min_supply"});
  auto c_tags = nodes->column({"tags"});
  auto c_sources = nodes->column({"sources", "source"});
  auto c_from = need(*edges, {"from", "source"}, "from");
  auto c_to = need(*edges, {"to", "target"}, "to");
  auto c_role = edges->column({"role"});
  auto c_group = edges->column({"group", "any"});
  auto c_share = edges->column({"share", "weight"});
  auto c_min_share = edges->column({"min_share"});
  if (diags.error_count() > errors) return std::nullopt;

  std::map<std::string, std::size_t> index;
  for (const auto& row : nodes->rows) {
    SourceLocation at = nodes->at(row);
    ImportNode n;
    n.where = at;
    n.id = trim(nodes->get(row, c_id));
    n.kind = trim(nodes->get(row, c_kind));
    n.name = trim(nodes->get(row, c_name));
    if (c_jur) n.jurisdiction = jurisdiction(nodes->get(row, c_jur), at, diags);
    n.target = truthy(nodes->get(row, c_target));
    auto optional_number = [&](std::optional<std::size_t> c, const char* what) {
      std::string v = trim(nodes->get(row, c));
      if (v.empty()) return std::optional<double>();
      auto x = parse_number(v);
      if (!x) diags.error(at, fmt::format("{} must be a number of 0 or more, got '{}'", what, v));
      return x;
    };
    n.substitution_years = optional_number(c_years, "substitution_years");
    n.stock_months = optional_number(c_stock, "stock_months");
    if (std::string v = trim(nodes->get(row, c_min)); !v.empty()) {
      n.min_supply = fraction(v, false);
      if (!n.min_supply) diags.error(at, fmt::format("min_supply must be 0.4 or 40%, got '{}'", v));
    }
    n.tags = split_list(nodes->get(row, c_tags));
    n.sources = split_list(nodes->get(row, c_sources));
    for (std::size_t i = 0; i < nodes->header.size(); ++i)
      if (nodes->header[i].rfind("attr:", 0) == 0)
        if (std::string v = trim(nodes->get(row, i)); !v.empty())
          n.attrs.emplace_back(nodes->header[i].substr(5), v);
    if (n.kind.empty() && !n.id.empty()) n.kind = "";
    index.emplace(n.id, g.nodes.size());  // the loader reports duplicates with both rows
    g.nodes.push_back(std::move(n));
  }
  nodes.reset();  // read: what a million rows hold is let go before the edges add theirs
  std::map<std::pair<std::string, std::string>, std::size_t> groups;  // (to, group) -> input
  for (const auto& row : edges->rows) {
    SourceLocation at = edges->at(row);
    std::string from = trim(edges->get(row, c_from)), to = trim(edges->get(row, c_to));
    auto it = index.find(to);
    if (it == index.end()) {
      std::vector<std::string_view> ids;
      for (const auto& [id, i] : index) ids.push_back(id);
      diags.error(at, fmt::format("unknown node '{}' in column 'to'{}", to, did_you_mean(to, ids)));
      continue;
    }
    ImportNode& n = g.nodes[it->second];
    RowMember m{from, std::nullopt, at};
    if (std::string v = trim(edges->get(row, c_share)); !v.empty()) {
      m.share = table_share(v);
      if (!m.share)
        diags.error(
            at, fmt::format("share must be 0.4, 40% or a range (40-60%, [0.4, 0.6]), got '{}'", v));
    }
    std::string role = trim(edges->get(row, c_role));
    for (char& c : role) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (role == "supplier") {
      n.suppliers.push_back(m);
      continue;
    }
    if (!role.empty() && role != "input") {
      diags.error(at, fmt::format("role must be 'supplier' or 'input', got '{}'", role));
      continue;
    }
    std::string group = trim(edges->get(row, c_group));
    std::optional<TableShare> min_share;
    if (std::string v = trim(edges->get(row, c_min_share)); !v.empty()) {
      min_share = table_share(v);
      if (!min_share)
        diags.error(
            at,
            fmt::format("min_share must be 0.4, 40% or a range (40-60%, [0.4, 0.6]), got '{}'", v));
    }
    if (group.empty()) {
      n.inputs.push_back(Requirement{"", min_share, {m}, at});
      continue;
    }
    auto [g_it, inserted] = groups.emplace(std::pair{to, group}, n.inputs.size());
    if (inserted) n.inputs.push_back(Requirement{group, min_share, {}, at});
    Requirement& r = n.inputs[g_it->second];
    r.members.push_back(m);
    if (min_share && !r.min_share) r.min_share = min_share;
  }
  // The loader checks the rest (ids, kinds, references, shares), so one run reports everything.
  // The tables and the graph as read are let go first: the check loads the whole graph (a
  // million rows needed 1.9 GB with them kept).
  edges.reset();
  std::map<std::string, std::size_t>().swap(index);
  decltype(groups)().swap(groups);
  Emitter e;
  e.graph(g);
  g = ImportGraph{};
  auto yaml = validate(std::move(e), files, diags);
  if (diags.error_count() > errors) return std::nullopt;
  return yaml;
}

namespace {

// The id a name gives: ASCII letters and digits in lower case, runs of anything else as one '-';
// `fallback` (the table's own id, made an id the same way) when nothing is left, as of a name
// written in another script.
std::string slug(std::string_view name, std::string_view fallback = {}) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u))
      out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 100) out.resize(100);
  if (out.empty() && !fallback.empty()) return slug(fallback);
  return out.empty() ? "node" : out;
}

// Ids handed out, and for each base the next number to try, so that n names with one slug take
// n steps, not n^2/2.
struct Ids {
  std::set<std::string> taken;
  std::map<std::string, int> next;
};

// An id not yet taken: the slug, else the slug with -2, -3, ...
std::string unique_id(const std::string& base, Ids& ids) {
  if (ids.taken.insert(base).second) return base;
  int& i = ids.next.try_emplace(base, 2).first->second;
  std::string id;
  do id = fmt::format("{}-{}", base, i++);
  while (!ids.taken.insert(id).second);
  return id;
}

const std::map<std::string, std::string, std::less<>> kEtoKinds = {
    {"tool_resource", "equipment"},
    {"material_resource", "material"},
    {"design_resource", "chip"},
    {"process", "process"},
    {"ultimate_output", "capability"}};

}  // namespace

std::optional<std::string> import_eto(const std::vector<std::string>& paths, SourceFiles& files,
                                      Diagnostics& diags) {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> found;  // table name -> path
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (const char* name : {"inputs", "providers", "provision", "sequence", "stages"})
        if (fs::exists(fs::path(p) / (std::string(name) + ".csv")))
          found[name] = (fs::path(p) / (std::string(name) + ".csv")).string();
    } else {
      found[fs::path(p).stem().string()] = p;
    }
  }
  for (const char* name : {"inputs", "providers", "provision", "sequence"})
    if (!found.count(name)) {
      diags.file_error(name + std::string(".csv"),
                       "missing: give the ETO data folder or its inputs.csv, providers.csv, "
                       "provision.csv and sequence.csv");
    }
  if (diags.error_count() > 0) return std::nullopt;
  auto inputs = read_csv(found["inputs"], files, diags);
  auto providers = read_csv(found["providers"], files, diags);
  auto provision = read_csv(found["provision"], files, diags);
  auto sequence = read_csv(found["sequence"], files, diags);
  std::optional<CsvTable> stages;
  if (found.count("stages")) stages = read_csv(found["stages"], files, diags);
  if (!inputs || !providers || !provision || !sequence) return std::nullopt;

  ImportGraph g;
  g.title = "CSET ETO Chip Explorer (imported)";
  Ids taken;
  std::map<std::string, std::size_t> by_input, by_provider;  // ETO ids -> node index
  std::map<std::string, std::string> stage_names;
  if (stages)
    for (const auto& row : stages->rows)
      stage_names[trim(stages->get(row, stages->column({"stage_id"})))] =
          trim(stages->get(row, stages->column({"stage_name"})));
  auto c_in_id = inputs->column({"input_id"}), c_in_name = inputs->column({"input_name"}),
       c_type = inputs->column({"type"}), c_stage = inputs->column({"stage_id"}),
       c_stage_name = inputs->column({"stage_name"}), c_year = inputs->column({"year"});
  for (const auto& row : inputs->rows) {
    ImportNode n;
    n.where = inputs->at(row);
    std::string eto = trim(inputs->get(row, c_in_id));
    n.name = trim(inputs->get(row, c_in_name));
    n.id = unique_id(slug(n.name, "input-" + eto), taken);
    std::string type = trim(inputs->get(row, c_type));
    auto kind = kEtoKinds.find(type);
    if (kind != kEtoKinds.end()) {
      n.kind = kind->second;
    } else {
      std::string k = slug(type);  // kinds take '-', not '_'
      n.kind = k.empty() || !std::isalpha(static_cast<unsigned char>(k[0])) ? "input" : k;
    }
    n.target = type == "ultimate_output";
    std::string stage = trim(inputs->get(row, c_stage_name));
    if (stage.empty()) stage = stage_names[trim(inputs->get(row, c_stage))];
    if (!stage.empty()) n.tags.push_back(stage);
    n.attrs.emplace_back("eto_id", eto);
    if (std::string year = trim(inputs->get(row, c_year)); !year.empty())
      n.attrs.emplace_back("eto_year", year);
    n.sources.push_back("CSET ETO Chip Explorer, input " + eto);
    if (!by_input.emplace(eto, g.nodes.size()).second) {
      diags.warning(n.where, fmt::format("input '{}' is listed again; this row is skipped", eto));
      taken.taken.erase(n.id);
      continue;
    }
    g.nodes.push_back(std::move(n));
  }
  // Providers: organisations become firms located by their country; countries become country
  // nodes, used where an input has no organisation among its providers.
  auto c_p_id = providers->column({"provider_id"}), c_p_name = providers->column({"provider_name"}),
       c_p_alias = providers->column({"alias"}), c_p_type = providers->column({"provider_type"}),
       c_p_country = providers->column({"country"});
  std::set<std::string> countries;
  for (const auto& row : providers->rows) {
    SourceLocation at = providers->at(row);
    std::string pid = trim(providers->get(row, c_p_id));
    if (by_provider.count(pid)) {
      diags.warning(at, fmt::format("provider '{}' is listed again; this row is skipped", pid));
      continue;
    }
    ImportNode n;
    n.where = at;
    std::string name = trim(providers->get(row, c_p_name));
    bool country = trim(providers->get(row, c_p_type)) == "country";
    std::string code = country ? name : trim(providers->get(row, c_p_country));
    if (!code.empty()) {
      if (const Jurisdiction* j = find_iso_alpha3(code))
        n.jurisdiction = std::string(j->code);
      else if (!country)
        diags.warning(at, fmt::format("'{}' is not an ISO alpha-3 country code; '{}' is left "
                                      "without jurisdiction",
                                      code, name));
    }
    if (country) {
      std::string alias = trim(providers->get(row, c_p_alias));
      n.name = alias.empty() ? name : alias;
      n.kind = "country";
      n.id = unique_id("country-" + slug(n.name, pid), taken);
      countries.insert(pid);
    } else {
      n.name = name;
      n.kind = "firm";
      n.id = unique_id(slug(name, "provider-" + pid), taken);
    }
    n.attrs.emplace_back("eto_id", pid);
    by_provider.emplace(pid, g.nodes.size());
    g.nodes.push_back(std::move(n));
  }
  // Provision: shares in percent; organisations where an input has any, else countries.
  auto c_pv_provider = provision->column({"provider_id"}),
       c_pv_input = provision->column({"provided_id"}),
       c_pv_share = provision->column({"share_provided"});
  std::map<std::size_t, std::vector<std::pair<const CsvRow*, bool>>> rows_of;  // input -> rows
  for (const auto& row : provision->rows) {
    SourceLocation at = provision->at(row);
    std::string pid = trim(provision->get(row, c_pv_provider));
    std::string iid = trim(provision->get(row, c_pv_input));
    auto in = by_input.find(iid);
    auto pr = by_provider.find(pid);
    if (in == by_input.end() && stage_names.count(iid)) continue;  // a stage's country shares
    if (in == by_input.end()) {
      diags.error(at, fmt::format("unknown input '{}' (not in {})", iid, inputs->path));
      continue;
    }
    if (pr == by_provider.end()) {
      diags.error(at, fmt::format("unknown provider '{}' (not in {})", pid, providers->path));
      continue;
    }
    rows_of[in->second].emplace_back(&row, countries.count(pid) > 0);
  }
  for (auto& [input, rows] : rows_of) {
    bool any_org = std::any_of(rows.begin(), rows.end(), [](const auto& r) { return !r.second; });
    std::set<std::size_t> seen;
    double total = 0;
    ImportNode& n = g.nodes[input];
    for (const auto& [row, is_country] : rows) {
      if (is_country == any_org) continue;
      SourceLocation at = provision->at(*row);
      std::size_t provider = by_provider[trim(provision->get(*row, c_pv_provider))];
      if (!seen.insert(provider).second) {
        diags.warning(at, fmt::format("'{}' provides '{}' again; this row is skipped",
                                      g.nodes[provider].name, n.name));
        continue;
      }
      RowMember m{g.nodes[provider].id, std::nullopt, at};
      if (std::string v = trim(provision->get(*row, c_pv_share)); !v.empty()) {
        if (auto f = fraction(v, true)) {
          m.share = TableShare{*f, *f};
          total += *f;
        } else {
          diags.error(
              at, fmt::format("share_provided must be a percentage from 0 to 100, got '{}'", v));
        }
      }
      n.suppliers.push_back(m);
    }
    if (total > 1.02) {  // up to 2 points over is rounding, which the loader normalises
      diags.warning(n.where, fmt::format("the shares of '{}' sum to {:.1f}%; scaled to 100%",
                                         n.name, total * 100));
      for (auto& m : n.suppliers)
        if (m.share) m.share->low = m.share->high = m.share->low / total;
    }
  }
  // Sequence: "goes into" is an input; "is type of" makes the parent any of its types.
  auto c_sq_in = sequence->column({"input_id"}), c_sq_into = sequence->column({"goes_into_id"}),
       c_sq_type = sequence->column({"is_type_of_id"});
  std::map<std::size_t, std::size_t> type_group;  // parent -> index of its any group
  for (const auto& row : sequence->rows) {
    SourceLocation at = sequence->at(row);
    std::string iid = trim(sequence->get(row, c_sq_in));
    auto in = by_input.find(iid);
    if (in == by_input.end()) {
      diags.error(at, fmt::format("unknown input '{}' (not in {})", iid, inputs->path));
      continue;
    }
    RowMember m{g.nodes[in->second].id, std::nullopt, at};
    for (auto [column, is_type] : {std::pair{c_sq_into, false}, std::pair{c_sq_type, true}}) {
      std::string target = trim(sequence->get(row, column));
      if (target.empty()) continue;
      auto to = by_input.find(target);
      if (to == by_input.end()) {
        diags.error(at, fmt::format("unknown input '{}' (not in {})", target, inputs->path));
        continue;
      }
      ImportNode& parent = g.nodes[to->second];
      if (!is_type) {
        parent.inputs.push_back(Requirement{"", std::nullopt, {m}, at});
        continue;
      }
      auto [it, inserted] = type_group.emplace(to->second, parent.inputs.size());
      if (inserted) parent.inputs.push_back(Requirement{"one of its types", std::nullopt, {}, at});
      parent.inputs[it->second].members.push_back(m);
    }
  }
  // A parent made of its types is not also supplied as an aggregate.
  for (auto [parent, group] : type_group) {
    (void)group;
    if (!g.nodes[parent].suppliers.empty()) {
      diags.warning(g.nodes[parent].where,
                    fmt::format("'{}' has types of its own; its aggregate providers are left out "
                                "(each type keeps its own)",
                                g.nodes[parent].name));
      g.nodes[parent].suppliers.clear();
    }
  }
  inputs.reset();
  providers.reset();
  provision.reset();
  sequence.reset();
  stages.reset();
  Emitter e;
  e.graph(g);
  g = ImportGraph{};
  auto yaml = validate(std::move(e), files, diags);
  if (diags.error_count() > 0) return std::nullopt;
  return yaml;
}

}  // namespace chokepoint
