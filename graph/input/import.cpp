#include "graph/input/import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "graph/input/csv_table.hpp"
#include "graph/input/loader.hpp"
#include "graph/input/provenance.hpp"
#include "graph/model/jurisdictions.hpp"

namespace chokepoint {

namespace {

// ---- a node as read from tables, each value with the table cell it came from ----

struct Text {
  std::string value;
  SourceLocation at;
};

struct Number {
  double value = 0;
  SourceLocation at;
  std::optional<double> high;  // a range [value, high] where the table gave one
};

struct RowMember {
  Text id;
  std::optional<Number> share;
};

struct Requirement {
  Text label;  // an `any` group's label; empty for a single input
  std::optional<Number> min_share;
  std::vector<RowMember> members;
  SourceLocation where;

  static Requirement of(Text label, std::optional<Number> min_share, SourceLocation where) {
    Requirement r;
    r.label = std::move(label);
    r.min_share = min_share;
    r.where = where;
    return r;
  }
};

// An attribute value: a number or true/false written bare, anything else as a string.
struct Attr {
  std::string name;
  std::string value;
  bool bare = false;
  SourceLocation at;
};

struct ImportNode {
  SourceLocation where;
  Text id, name, kind, jurisdiction;
  bool target = false;
  SourceLocation target_at;
  std::optional<Number> substitution_years, stock_months, lifetime_months, min_supply;
  std::optional<Number> quantity;  // with quantity_unit: `quantity: {value, unit}`
  Text quantity_unit;
  std::vector<std::string> tags, sources;
  SourceLocation tags_at, sources_at;
  std::vector<Attr> attrs;
  std::vector<RowMember> suppliers;
  std::vector<Requirement> inputs;
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
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
          out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + "\"";
}

std::string number_text(double v) { return fmt::format("{}", v); }

// Writes nodes as YAML text and, event by event, as the tree the loader reads, so that the graph
// is checked by the loader without its text being parsed again. Each tree node stands at a line
// of its own numbering: the index (from 1) of the table cell it came from in `cells_`.
class Emitter {
 public:
  Emitter(std::string_view title, std::uint32_t file, Diagnostics& tree_diags,
          std::size_t size_hint = 0)
      : tree_(file, tree_diags, size_hint) {
    text_.reserve(size_hint);
    cells_.reserve(size_hint / 8);
    text_ += "# written by chokepoint import\n";
    tree_.begin_map(mark({}));
    key("format", {});
    text_ += " 1\n";
    tree_.scalar("1", false, mark({}));
    if (!title.empty()) {
      key("meta", {});
      text_ += " {title: " + yaml_quoted(title) + "}\n";
      tree_.begin_map(mark({}));
      tree_.scalar("title", false, mark({}));
      tree_.scalar(title, true, mark({}));
      tree_.end_map();
    }
    text_ += "nodes:\n";
    tree_.scalar("nodes", false, mark({}));
    tree_.begin_sequence(mark({}));
  }

  void node(const ImportNode& n) {
    text_ += "  - ";
    tree_.begin_map(mark(n.where));
    pair("", "id", n.where, Value::text(n.id));
    if (!n.name.value.empty() && n.name.value != n.id.value)
      pair("    ", "name", n.where, Value::text(n.name));
    pair("    ", "kind", n.where, Value::text(n.kind));
    if (!n.jurisdiction.value.empty())
      pair("    ", "jurisdiction", n.where, Value::text(n.jurisdiction));
    if (n.target) pair("    ", "target", n.where, Value::bare("true", n.target_at));
    auto number = [&](const char* k, const std::optional<Number>& v) {
      if (v) number_pair("    ", k, n.where, *v);
    };
    number("substitution_years", n.substitution_years);
    number("stock_months", n.stock_months);
    number("lifetime_months", n.lifetime_months);
    number("min_supply", n.min_supply);
    if (n.quantity && !n.quantity_unit.value.empty()) {
      key("    quantity", n.where);
      text_ += "\n";
      tree_.begin_map(mark(n.where));
      number_pair("      ", "value", n.where, *n.quantity);
      pair("      ", "unit", n.where, Value::text(n.quantity_unit));
      tree_.end_map();
    }
    list("tags", n.tags, n.where, n.tags_at);
    list("sources", n.sources, n.where, n.sources_at);
    if (!n.attrs.empty()) {
      key("    attrs", n.where);
      text_ += "\n";
      tree_.begin_map(mark(n.where));
      for (const auto& a : n.attrs)
        pair("      ", a.name, a.at,
             a.bare ? Value::bare(a.value, a.at) : Value::text(Text{a.value, a.at}), true);
      tree_.end_map();
    }
    if (!n.suppliers.empty()) {
      key("    suppliers", n.where);
      text_ += "\n";
      tree_.begin_sequence(mark(n.suppliers[0].id.at));  // a group's problems: its first row
      for (const auto& m : n.suppliers) member("      ", m);
      tree_.end_sequence();
    }
    if (!n.inputs.empty()) {
      key("    inputs", n.where);
      text_ += "\n";
      tree_.begin_sequence(mark(n.where));
      for (const auto& r : n.inputs) {
        if (r.label.value.empty() && r.members.size() == 1 && !r.min_share) {
          text_ += "      - " + yaml_quoted(r.members[0].id.value) + "\n";
          tree_.scalar(r.members[0].id.value, true, mark(r.members[0].id.at));
          continue;
        }
        text_ += "      - ";
        tree_.begin_map(mark(r.where));
        key("any", r.where);
        text_ += "\n";
        tree_.begin_sequence(mark(r.members.empty() ? r.where : r.members[0].id.at));
        for (const auto& m : r.members) member("          ", m);
        tree_.end_sequence();
        if (r.min_share) number_pair("        ", "min_share", r.where, *r.min_share);
        if (!r.label.value.empty()) pair("        ", "label", r.where, Value::text(r.label));
        tree_.end_map();
      }
      tree_.end_sequence();
    }
    tree_.end_map();
  }

  // The text, and the tree with what each of its lines stands for.
  std::string text() && { return std::move(text_); }
  yaml::Document finish() {
    tree_.end_sequence();
    tree_.end_map();
    return tree_.finish();
  }
  // The table cell behind a line of the tree; nothing for what the tables did not write.
  SourceLocation origin(std::uint32_t line) const {
    if (line < 1 || line > cells_.size()) return {};
    const Cell& c = cells_[line - 1];
    return SourceLocation{c.file_line >> kLineBits, c.file_line & kLineMask, c.col};
  }

 private:
  struct Value {
    std::string_view str;
    bool quoted;
    SourceLocation at;
    static Value text(const Text& t) { return Value{t.value, true, t.at}; }
    static Value bare(std::string_view v, SourceLocation at) { return Value{v, false, at}; }
  };

  // A table cell in 8 bytes (a tree line per cell: millions of them): the file's index (a few
  // tables) shares a word with the line.
  static constexpr unsigned kLineBits = 28;
  static constexpr std::uint32_t kLineMask = (1u << kLineBits) - 1;
  struct Cell {
    std::uint32_t file_line;
    std::uint32_t col;
  };
  // The tree line for a cell: a new one unless it is the cell of the line before.
  std::uint32_t mark(SourceLocation at) {
    Cell c{at.file << kLineBits | std::min(at.line, kLineMask), at.col};
    if (cells_.empty() || cells_.back().file_line != c.file_line || cells_.back().col != c.col)
      cells_.push_back(c);
    return static_cast<std::uint32_t>(cells_.size());
  }
  // `indent` then `name:` in the text (the caller writes what follows), the key in the tree.
  void key(std::string_view indented_name, SourceLocation at) {
    text_ += indented_name;
    text_ += ':';
    auto name = indented_name.substr(indented_name.find_first_not_of(' '));
    tree_.scalar(name, false, mark(at));
  }
  void pair(std::string_view indent, std::string_view name, SourceLocation key_at, Value v,
            bool quoted_key = false) {
    text_ += indent;
    text_ += quoted_key ? yaml_quoted(name) : std::string(name);
    text_ += ": ";
    text_ += v.quoted ? yaml_quoted(v.str) : std::string(v.str);
    text_ += '\n';
    tree_.scalar(name, quoted_key, mark(key_at));
    tree_.scalar(v.str, v.quoted, mark(v.at.valid() ? v.at : key_at));
  }
  void list(const char* name, const std::vector<std::string>& items, SourceLocation key_at,
            SourceLocation at) {
    if (items.empty()) return;
    text_ += fmt::format("    {}: [", name);
    tree_.scalar(name, false, mark(key_at));
    tree_.begin_sequence(mark(at));
    for (std::size_t i = 0; i < items.size(); ++i) {
      text_ += (i ? ", " : "") + yaml_quoted(items[i]);
      tree_.scalar(items[i], true, mark(at));
    }
    tree_.end_sequence();
    text_ += "]\n";
  }
  // A number, or a range as [low, high], in the text and the tree.
  void number_value(const Number& v) {
    if (!v.high) {
      text_ += number_text(v.value);
      tree_.scalar(number_text(v.value), false, mark(v.at));
      return;
    }
    text_ += fmt::format("[{}, {}]", number_text(v.value), number_text(*v.high));
    tree_.begin_sequence(mark(v.at));
    tree_.scalar(number_text(v.value), false, mark(v.at));
    tree_.scalar(number_text(*v.high), false, mark(v.at));
    tree_.end_sequence();
  }
  void number_pair(std::string_view indent, std::string_view name, SourceLocation key_at,
                   const Number& v) {
    text_ += indent;
    text_ += name;
    text_ += ": ";
    tree_.scalar(name, false, mark(key_at));
    number_value(v);
    text_ += '\n';
  }
  void member(std::string_view indent, const RowMember& m) {
    text_ += indent;
    text_ += "- {id: " + yaml_quoted(m.id.value);
    tree_.begin_map(mark(m.id.at));
    tree_.scalar("id", false, mark(m.id.at));
    tree_.scalar(m.id.value, true, mark(m.id.at));
    if (m.share) {
      text_ += ", share: ";
      tree_.scalar("share", false, mark(m.id.at));
      number_value(*m.share);
    }
    text_ += "}\n";
    tree_.end_map();
  }

  std::string text_;
  yaml::DocumentBuilder tree_;
  std::vector<Cell> cells_;
};

// `<import>:L:C` and `line L, column C` in a loader message (L a line of the tree), rewritten as
// the table cells they stand for.
std::string rewrite_positions(std::string message, const Emitter& e, const SourceFiles& files,
                              std::uint32_t here) {
  auto digits = [&](std::size_t& i) -> std::optional<std::uint32_t> {
    std::uint32_t v = 0;
    auto [end, ec] = std::from_chars(message.data() + i, message.data() + message.size(), v);
    if (ec != std::errc() || end == message.data() + i) return std::nullopt;
    i = static_cast<std::size_t>(end - message.data());
    return v;
  };
  auto replace = [&](std::string_view prefix, std::string_view between, bool same_file_form) {
    for (std::size_t at = message.find(prefix); at != std::string::npos;
         at = message.find(prefix, at + 1)) {
      std::size_t i = at + prefix.size();
      auto line = digits(i);
      if (!line || message.compare(i, between.size(), between) != 0) continue;
      i += between.size();
      if (!digits(i)) continue;
      SourceLocation from = e.origin(*line);
      if (!from.valid()) continue;
      message.replace(at, i - at,
                      same_file_form && from.file == here
                          ? fmt::format("line {}, column {}", from.line, from.col)
                          : fmt::format("{}:{}:{}", files.path(from.file), from.line, from.col));
    }
  };
  replace("<import>:", ":", false);
  replace("line ", ", column ", true);
  return message;
}

// Checks the tree with the ordinary loader; its diagnostics are moved to the table cells. Returns
// the graph when it is valid.
std::optional<Imported> validate(Emitter&& e, const SourceFiles& files, Diagnostics& diags) {
  SourceFiles scratch;
  std::uint32_t file = scratch.add("<import>", "");
  Diagnostics found;
  auto model = load_graph_document("<import>", e.finish(), scratch, found);
  for (const auto& d : found.all()) {
    SourceLocation at = d.where.valid() ? e.origin(d.where.line) : SourceLocation{};
    std::string message = rewrite_positions(d.message, e, files, at.file);
    if (d.severity == Severity::error)
      at.valid() ? diags.error(at, message) : diags.file_error("<import>", message);
    else if (d.severity == Severity::warning && at.valid())
      diags.warning(at, message);
  }
  (void)file;
  if (!model) return std::nullopt;
  return Imported{std::move(e).text(), std::move(*model)};
}

std::string_view trimmed(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string_view() : s.substr(b, e - b + 1);
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  auto e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

// A cell as text: trimmed, and without the apostrophe a CSV writer puts before a value a
// spreadsheet would otherwise run as a formula (`'=x`, `'-x`, `'+x`, `'@x`, also after spaces).
std::string cell_text(std::string_view raw) {
  std::string t = trim(raw);
  if (t.size() < 2 || t[0] != '\'') return t;
  std::string_view rest = std::string_view(t).substr(1);
  static constexpr std::string_view kLeads[] = {"=",
                                                "+",
                                                "-",
                                                "@",
                                                " ",
                                                "\t",
                                                "\r",
                                                "\n",
                                                "\xC2\xA0",       // no-break space
                                                "\xE3\x80\x80",   // ideographic space
                                                "\xE2\x80\x8B",   // zero-width space
                                                "\xEF\xBB\xBF",   // byte-order mark
                                                "\xEF\xBC\x9D",   // full-width =
                                                "\xEF\xBC\x8B",   // full-width +
                                                "\xEF\xBC\x8D",   // full-width -
                                                "\xEF\xBC\xA0",   // full-width @
                                                "\xEF\xB9\xA6"};  // small =
  for (auto lead : kLeads)
    if (rest.substr(0, lead.size()) == lead) return std::string(rest);
  return t;
}

std::optional<double> parse_number(std::string_view text) {
  std::string t = trim(text);
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
    return std::nullopt;
  return v;
}

// "0.4", "40%" or (percent = true) "40" as a fraction; nullopt for anything else, below 0 or
// above the whole.
std::optional<double> fraction(std::string_view text, bool percent) {
  std::string t = trim(text);
  bool pct = percent;
  if (!t.empty() && t.back() == '%') {
    pct = true;
    t.pop_back();
  }
  auto v = parse_number(t);
  if (!v || *v < 0) return std::nullopt;
  double f = pct ? *v / 100 : *v;
  if (f > 1) return std::nullopt;  // a share above the whole (1e308 summed to inf, then nan)
  return f;
}

// A share cell: "0.4", "40%", or a range "40-60%", "0.4-0.6", "[0.4, 0.6]" (low <= high), as
// (low, high); a single value is (v, v).
std::optional<std::pair<double, double>> table_share(std::string_view text) {
  std::string t = trim(text);
  if (auto v = fraction(t, false)) return std::pair{*v, *v};
  bool bracketed = t.size() >= 2 && t.front() == '[' && t.back() == ']';
  if (bracketed) t = t.substr(1, t.size() - 2);
  bool pct = !bracketed && !t.empty() && t.back() == '%';
  if (pct) t.pop_back();
  auto cut = bracketed ? t.find(',') : t.find('-', 1);
  if (cut == std::string::npos) return std::nullopt;
  auto low = fraction(t.substr(0, cut) + (pct ? "%" : ""), false);
  auto high = fraction(t.substr(cut + 1) + (pct ? "%" : ""), false);
  if (!low || !high || *low > *high) return std::nullopt;
  return std::pair{*low, *high};
}

// A number as written in a table: a decimal comma ("0,4", as European spreadsheets write it) is
// a decimal point where commas do not separate the fields.
std::string numeric(const CsvTable& t, std::string_view v) {
  std::string out = trim(v);
  if (t.separator != ',' && std::count(out.begin(), out.end(), ',') == 1 &&
      out.find('.') == std::string::npos)
    out[out.find(',')] = '.';
  return out;
}

// A `;`-separated list; `\;` is a semicolon inside an item and `\\` a backslash.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::string item;
  auto finish = [&] {
    std::string t = trim(item);
    if (!t.empty()) out.push_back(std::move(t));
    item.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == ';' || text[i + 1] == '\\')) {
      item += text[++i];
    } else if (text[i] == ';') {
      finish();
    } else {
      item += text[i];
    }
  }
  finish();
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
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

// A header column named like one of `names`, else an error with the closest header name.
std::optional<std::size_t> required_column(const CsvTable& t,
                                           std::initializer_list<std::string_view> names,
                                           Diagnostics& diags) {
  if (auto c = t.column(names)) return c;
  std::vector<std::string> normal;
  for (const auto& h : t.header) normal.push_back(CsvTable::normalised(h));
  std::vector<std::string_view> candidates(normal.begin(), normal.end());
  std::string hint;
  for (auto n : names)
    if (auto m = closest_match(n, candidates)) {
      auto i =
          static_cast<std::size_t>(std::find(normal.begin(), normal.end(), *m) - normal.begin());
      hint = fmt::format("; did you mean '{}' (column {})?", t.header[i], i + 1);
      break;
    }
  if (hint.empty()) {
    std::string seen;
    for (const auto& h : t.header) seen += (seen.empty() ? "" : ", ") + fmt::format("'{}'", h);
    hint = fmt::format(" (the header, separated by {}, has {})",
                       t.separator == ';'    ? "semicolons"
                       : t.separator == '\t' ? "tabs"
                                             : "commas",
                       seen);
  }
  diags.error(t.header_at(0), fmt::format("no '{}' column in the header{}", *names.begin(), hint));
  return std::nullopt;
}

// Columns a table does not use, where the name is close to one it does: a likely typo.
void check_columns(const CsvTable& t, const std::vector<std::string_view>& known,
                   Diagnostics& diags) {
  for (std::size_t i = 0; i < t.header.size(); ++i) {
    std::string name = CsvTable::normalised(t.header[i]);
    if (name.empty() || name.rfind("attr:", 0) == 0) continue;
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    if (auto m = closest_match(name, known))
      diags.warning(t.header_at(i), fmt::format("unknown column '{}' is ignored; did you mean "
                                                "'{}'?",
                                                t.header[i], *m));
  }
}

const std::vector<std::string_view> kNodeColumns = {"id",           "kind",
                                                    "type",         "name",
                                                    "label",        "jurisdiction",
                                                    "country",      "target",
                                                    "tags",         "sources",
                                                    "source",       "substitution_years",
                                                    "stock_months", "lifetime_months",
                                                    "quantity",     "quantity_unit",
                                                    "min_supply"};
const std::vector<std::string_view> kEdgeColumns = {"from",  "source", "to",       "target",
                                                    "role",  "group",  "any",      "label",
                                                    "share", "weight", "min_share"};

}  // namespace

std::optional<Imported> import_csv(const std::string& nodes_path, const std::string& edges_path,
                                   SourceFiles& files, Diagnostics& diags) {
  auto nodes = read_csv(nodes_path, files, diags);
  auto edges = read_csv(edges_path, files, diags);
  if (!nodes || !edges) return std::nullopt;
  std::size_t errors = diags.error_count();
  auto c_id = required_column(*nodes, {"id"}, diags);
  auto c_kind = required_column(*nodes, {"kind", "type"}, diags);
  auto c_from = required_column(*edges, {"from", "source"}, diags);
  auto c_to = required_column(*edges, {"to", "target"}, diags);
  if (diags.error_count() > errors) return std::nullopt;
  check_columns(*nodes, kNodeColumns, diags);
  check_columns(*edges, kEdgeColumns, diags);
  auto c_name = nodes->column({"name", "label"});
  auto c_jur = nodes->column({"jurisdiction", "country"});
  auto c_target = nodes->column({"target"});
  auto c_years = nodes->column({"substitution_years"});
  auto c_stock = nodes->column({"stock_months"});
  auto c_lifetime = nodes->column({"lifetime_months"});
  auto c_quantity = nodes->column({"quantity"});
  auto c_unit = nodes->column({"quantity_unit"});
  auto c_min = nodes->column({"min_supply"});
  auto c_tags = nodes->column({"tags"});
  auto c_sources = nodes->column({"sources", "source"});
  auto c_role = edges->column({"role"});
  auto c_group = edges->column({"group", "any"});
  auto c_label = edges->column({"label"});
  auto c_share = edges->column({"share", "weight"});
  auto c_min_share = edges->column({"min_share"});
  std::vector<std::pair<std::string, std::size_t>> attr_columns;
  for (std::size_t i = 0; i < nodes->header.size(); ++i)
    if (lower(nodes->header[i]).rfind("attr:", 0) == 0)
      attr_columns.emplace_back(nodes->header[i].substr(5), i);

  // Reserved generously: what is never written takes no memory, and a million-row table grows
  // no vector by copying it.
  std::size_t table_bytes = files.text(nodes->file).size() + files.text(edges->file).size();
  Diagnostics tree_diags;
  Emitter e("", 0, tree_diags, table_bytes * 3);
  {  // what only the writing needs, freed before the loader reads
    // Node ids to their rows (the first, where one is repeated: the loader reports the repeat).
    std::unordered_map<std::string_view, std::uint32_t> row_of;
    row_of.reserve(nodes->rows());
    std::vector<std::string_view> ids(nodes->rows());  // in the table's text
    for (std::size_t r = 0; r < nodes->rows(); ++r) {
      ids[r] = trimmed(nodes->get(r, c_id));
      row_of.try_emplace(ids[r], static_cast<std::uint32_t>(r));
    }
    std::vector<std::string_view> id_list;  // for suggestions, built on the first unknown id
    // Edge rows by the node that depends on them, in table order.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edge_rows;  // (node row, edge row)
    edge_rows.reserve(edges->rows());
    for (std::size_t r = 0; r < edges->rows(); ++r) {
      std::string_view to = trimmed(edges->get(r, c_to));
      auto it = row_of.find(to);
      if (it == row_of.end()) {
        if (id_list.empty()) id_list = ids;
        diags.error(edges->at(r, c_to),
                    fmt::format("unknown node '{}' in column '{}'{}", to, edges->header[*c_to],
                                did_you_mean(to, id_list)));
        continue;
      }
      edge_rows.emplace_back(it->second, static_cast<std::uint32_t>(r));
    }
    std::stable_sort(edge_rows.begin(), edge_rows.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });

    auto text = [](const CsvTable& t, std::size_t r, std::optional<std::size_t> c) {
      return Text{cell_text(t.get(r, c)), t.at(r, c)};
    };
    auto optional_fraction = [&](const CsvTable& t, std::size_t r, std::optional<std::size_t> c,
                                 const char* what) -> std::optional<Number> {
      std::string v = numeric(t, t.get(r, c));
      if (v.empty()) return std::nullopt;
      auto x = table_share(v);
      if (!x) {
        diags.error(
            t.at(r, c),
            fmt::format("{} must be 0.4, 40% or a range (40-60%, [0.4, 0.6]), got '{}'", what, v));
        return std::nullopt;
      }
      return Number{x->first, t.at(r, c),
                    x->second == x->first ? std::nullopt : std::optional<double>(x->second)};
    };

    std::size_t next_edge = 0;
    for (std::size_t r = 0; r < nodes->rows(); ++r) {
      ImportNode n;
      n.where = nodes->at(r);
      n.id = Text{std::string(ids[r]), nodes->at(r, c_id)};
      n.kind = text(*nodes, r, c_kind);
      n.name = text(*nodes, r, c_name);
      if (c_jur) {
        n.jurisdiction.at = nodes->at(r, c_jur);
        n.jurisdiction.value = jurisdiction(nodes->get(r, c_jur), n.jurisdiction.at, diags);
      }
      if (std::string t = lower(trim(nodes->get(r, c_target))); !t.empty()) {
        n.target_at = nodes->at(r, c_target);
        if (t == "true" || t == "yes" || t == "1" || t == "y" || t == "x")
          n.target = true;
        else if (t != "false" && t != "no" && t != "0" && t != "n")
          diags.error(n.target_at, fmt::format("target must be true or false (also yes/no, 1/0, "
                                               "x), got '{}'",
                                               trim(nodes->get(r, c_target))));
      }
      auto optional_number = [&](std::optional<std::size_t> c,
                                 const char* what) -> std::optional<Number> {
        std::string v = numeric(*nodes, nodes->get(r, c));
        if (v.empty()) return std::nullopt;
        auto x = parse_number(v);
        if (!x || *x < 0) {
          diags.error(nodes->at(r, c),
                      fmt::format("{} must be a number of 0 or more, got '{}'", what, v));
          return std::nullopt;
        }
        return Number{*x, nodes->at(r, c), std::nullopt};
      };
      n.substitution_years = optional_number(c_years, "substitution_years");
      n.stock_months = optional_number(c_stock, "stock_months");
      n.lifetime_months = optional_number(c_lifetime, "lifetime_months");
      n.quantity = optional_number(c_quantity, "quantity");
      n.quantity_unit = Text{cell_text(nodes->get(r, c_unit)), nodes->at(r, c_unit)};
      // Each needs the other (a quantity written but not a number was reported above).
      bool written = !cell_text(nodes->get(r, c_quantity)).empty();
      if (written == n.quantity_unit.value.empty())
        diags.error(written ? nodes->at(r, c_quantity) : nodes->at(r, c_unit),
                    written ? "a quantity needs its unit in column 'quantity_unit'"
                            : "a quantity_unit needs a number in column 'quantity'");
      n.min_supply = optional_fraction(*nodes, r, c_min, "min_supply");
      n.tags = split_list(cell_text(nodes->get(r, c_tags)));
      n.tags_at = nodes->at(r, c_tags);
      n.sources = split_list(cell_text(nodes->get(r, c_sources)));
      n.sources_at = nodes->at(r, c_sources);
      for (const auto& [name, c] : attr_columns) {
        std::string v = cell_text(nodes->get(r, c));
        if (v.empty()) continue;
        Attr a{name, v, false, nodes->at(r, c)};
        if (v.size() >= 2 && v.front() == '"' &&
            v.back() == '"')  // a string that reads as a number
          a.value = v.substr(1, v.size() - 2);
        else
          a.bare = v == "true" || v == "false" || parse_number(v).has_value();
        if (a.bare && v != "true" && v != "false") a.value = number_text(*parse_number(v));
        n.attrs.push_back(std::move(a));
      }

      std::map<std::string, std::size_t> groups;  // group name -> index in n.inputs
      for (; next_edge < edge_rows.size() && edge_rows[next_edge].first == r; ++next_edge) {
        std::size_t er = edge_rows[next_edge].second;
        RowMember m{text(*edges, er, c_from), optional_fraction(*edges, er, c_share, "share")};
        std::string role = lower(trim(edges->get(er, c_role)));
        auto min_share = optional_fraction(*edges, er, c_min_share, "min_share");
        if (role == "supplier") {
          n.suppliers.push_back(std::move(m));
          if (min_share && !n.min_supply) n.min_supply = min_share;  // as `analyze` writes it
          continue;
        }
        if (!role.empty() && role != "input") {
          diags.error(
              edges->at(er, c_role),
              fmt::format("role must be 'supplier' or 'input', got '{}'{}",
                          trim(edges->get(er, c_role)), did_you_mean(role, {"supplier", "input"})));
          continue;
        }
        std::string group = cell_text(edges->get(er, c_group));
        // The group's label: the `label` column where there is one, else the group's name.
        Text label = c_label ? text(*edges, er, c_label) : text(*edges, er, c_group);
        if (group.empty()) {
          n.inputs.push_back(Requirement::of(label, min_share, edges->at(er)));
          n.inputs.back().members.push_back(std::move(m));
          continue;
        }
        auto [it, inserted] = groups.emplace(group, n.inputs.size());
        if (inserted) n.inputs.push_back(Requirement::of(label, min_share, edges->at(er)));
        Requirement& req = n.inputs[it->second];
        req.members.push_back(std::move(m));
        if (min_share && !req.min_share) req.min_share = min_share;
        if (req.label.value.empty() && !label.value.empty()) req.label = label;
      }
      e.node(n);
    }
  }
  // The loader checks the rest (ids, kinds, references, shares), so one run reports everything.
  // Big tables' text is read again only to quote a line in a message (as the loader does with a
  // big graph file).
  for (std::uint32_t file : {nodes->file, edges->file}) {
    std::error_code ec;
    if (files.text(file).size() >= LoadOptions{}.release_text_min_bytes &&
        std::filesystem::is_regular_file(files.path(file), ec))
      files.release_text(file, sha256_hex(files.text(file)));
  }
  nodes.reset();
  edges.reset();
  auto imported = validate(std::move(e), files, diags);
  if (diags.error_count() > errors) return std::nullopt;
  return imported;
}

namespace {

// A name as an id: lower-case ASCII letters and digits, other runs of characters as one '-'.
std::string slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x80 && std::isalnum(u))
      out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 100) out.resize(100);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

// Ids not yet taken: the slug, else the slug with -2, -3, ... (each base remembers its next
// number, so ten thousand names that slug alike cost ten thousand steps, not fifty million).
class IdMaker {
 public:
  std::string make(std::string base, std::string_view fallback) {
    if (base.empty()) base = slug(fallback);
    if (base.empty()) base = "node";
    if (taken_.insert(base).second) return base;
    int& k = next_[base];
    if (k < 2) k = 2;
    for (;; ++k) {
      std::string id = fmt::format("{}-{}", base, k);
      if (taken_.insert(id).second) {
        ++k;
        return id;
      }
    }
  }

 private:
  std::set<std::string> taken_;
  std::map<std::string, int> next_;
};

const std::map<std::string, std::string, std::less<>> kEtoKinds = {
    {"tool_resource", "equipment"},
    {"material_resource", "material"},
    {"design_resource", "chip"},
    {"process", "process"},
    {"ultimate_output", "capability"}};

struct Provider {
  std::size_t row = 0;
  std::string name;
  bool country = false;
  bool used = false;
  std::size_t node = 0;  // index in the graph once used
};

struct Provision {
  std::size_t provider;
  std::size_t row;
};

}  // namespace

std::optional<Imported> import_eto(const std::vector<std::string>& paths, SourceFiles& files,
                                   Diagnostics& diags, const EtoOptions& options) {
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
  auto c_in_id = required_column(*inputs, {"input_id"}, diags),
       c_in_name = required_column(*inputs, {"input_name"}, diags),
       c_type = required_column(*inputs, {"type"}, diags);
  auto c_p_id = required_column(*providers, {"provider_id"}, diags),
       c_p_name = required_column(*providers, {"provider_name"}, diags),
       c_p_type = required_column(*providers, {"provider_type"}, diags);
  auto c_pv_provider = required_column(*provision, {"provider_id"}, diags),
       c_pv_input = required_column(*provision, {"provided_id"}, diags),
       c_pv_share = required_column(*provision, {"share_provided"}, diags);
  auto c_sq_in = required_column(*sequence, {"input_id"}, diags);
  auto c_sq_into = sequence->column({"goes_into_id"}),
       c_sq_type = sequence->column({"is_type_of_id"});
  if (!c_sq_into && !c_sq_type) required_column(*sequence, {"goes_into_id"}, diags);
  if (diags.error_count() > 0) return std::nullopt;
  auto c_stage = inputs->column({"stage_id"}), c_stage_name = inputs->column({"stage_name"}),
       c_year = inputs->column({"year"});
  auto c_p_alias = providers->column({"alias"}), c_p_country = providers->column({"country"});
  auto c_pv_source = provision->column({"source"});

  std::vector<ImportNode> g;
  IdMaker ids;
  std::map<std::string, std::size_t> by_input;  // ETO input id -> node index
  std::map<std::string, std::string> stage_names;
  if (stages)
    for (std::size_t r = 0; r < stages->rows(); ++r)
      stage_names[trim(stages->get(r, stages->column({"stage_id"})))] =
          trim(stages->get(r, stages->column({"stage_name"})));

  // Inputs: one node each, named by its name; the ultimate output is the target.
  for (std::size_t r = 0; r < inputs->rows(); ++r) {
    ImportNode n;
    n.where = inputs->at(r);
    std::string eto = trim(inputs->get(r, c_in_id));
    if (by_input.count(eto)) {
      diags.warning(inputs->at(r, c_in_id),
                    fmt::format("input '{}' is listed again; this row is skipped", eto));
      continue;
    }
    n.name = Text{trim(inputs->get(r, c_in_name)), inputs->at(r, c_in_name)};
    n.id = Text{ids.make(slug(n.name.value), eto), n.name.at};
    std::string type = trim(inputs->get(r, c_type));
    n.kind.at = inputs->at(r, c_type);
    if (auto kind = kEtoKinds.find(type); kind != kEtoKinds.end()) {
      n.kind.value = kind->second;
    } else {
      std::string k = slug(type);  // kinds take '-', not '_'
      n.kind.value = k.empty() || !std::isalpha(static_cast<unsigned char>(k[0])) ? "input" : k;
    }
    n.target = type == "ultimate_output";
    n.target_at = n.kind.at;
    std::string stage = trim(inputs->get(r, c_stage_name));
    if (stage.empty()) stage = stage_names[trim(inputs->get(r, c_stage))];
    if (!stage.empty()) n.tags.push_back(stage);
    n.tags_at = inputs->at(r, c_stage_name ? c_stage_name : c_stage);
    n.attrs.push_back(Attr{"eto_id", eto, false, inputs->at(r, c_in_id)});
    if (std::string year = trim(inputs->get(r, c_year)); !year.empty())
      n.attrs.push_back(Attr{"eto_year", year, false, inputs->at(r, c_year)});
    n.sources.push_back("CSET ETO Chip Explorer, input " + eto);
    n.sources_at = n.where;
    by_input.emplace(eto, g.size());
    g.push_back(std::move(n));
  }

  // Providers: read now, made nodes only if they provide something.
  std::vector<Provider> provider_list;
  std::map<std::string, std::size_t> by_provider;
  for (std::size_t r = 0; r < providers->rows(); ++r) {
    std::string pid = trim(providers->get(r, c_p_id));
    if (by_provider.count(pid)) {
      diags.warning(providers->at(r, c_p_id),
                    fmt::format("provider '{}' is listed again; this row is skipped", pid));
      continue;
    }
    by_provider.emplace(pid, provider_list.size());
    provider_list.push_back(Provider{r, trim(providers->get(r, c_p_name)),
                                     lower(trim(providers->get(r, c_p_type))) == "country"});
  }

  // Provision: each input's rows; stage-level rows (S1, ...) are country shares of a stage.
  std::vector<std::vector<Provision>> rows_of(g.size());
  for (std::size_t r = 0; r < provision->rows(); ++r) {
    std::string pid = trim(provision->get(r, c_pv_provider));
    std::string iid = trim(provision->get(r, c_pv_input));
    auto in = by_input.find(iid);
    if (in == by_input.end() && stage_names.count(iid)) continue;
    if (in == by_input.end()) {
      diags.error(provision->at(r, c_pv_input),
                  fmt::format("unknown input '{}' (not in {})", iid, inputs->path));
      continue;
    }
    auto pr = by_provider.find(pid);
    if (pr == by_provider.end()) {
      diags.error(provision->at(r, c_pv_provider),
                  fmt::format("unknown provider '{}' (not in {})", pid, providers->path));
      continue;
    }
    rows_of[in->second].push_back(Provision{pr->second, r});
  }
  // An input's suppliers are its organisations; where it has none, its countries (a country row
  // beside organisations gives the same market by location, which the firms' jurisdictions give).
  for (std::size_t i = 0; i < g.size(); ++i) {
    auto& rows = rows_of[i];
    bool any_org = std::any_of(rows.begin(), rows.end(), [&](const Provision& p) {
      return !provider_list[p.provider].country;
    });
    std::set<std::size_t> seen;
    std::erase_if(rows, [&](const Provision& p) {
      if (provider_list[p.provider].country == any_org) return true;
      if (seen.insert(p.provider).second) return false;
      diags.warning(provision->at(p.row, c_pv_provider),
                    fmt::format("'{}' provides '{}' again; this row is skipped",
                                provider_list[p.provider].name, g[i].name.value));
      return true;
    });
    for (const auto& p : rows) provider_list[p.provider].used = true;
  }
  // The providers that provide something become nodes, in the table's order: organisations as
  // firms located by their country, countries as country nodes.
  for (auto& p : provider_list) {
    if (!p.used) continue;
    std::size_t r = p.row;
    ImportNode n;
    n.where = providers->at(r);
    std::string pid = trim(providers->get(r, c_p_id));
    std::string code = p.country ? p.name : trim(providers->get(r, c_p_country));
    n.jurisdiction.at = providers->at(r, p.country ? c_p_name : c_p_country);
    if (!code.empty()) {
      if (const Jurisdiction* j = find_iso_alpha3(code))
        n.jurisdiction.value = std::string(j->code);
      else if (!p.country)
        diags.warning(n.jurisdiction.at,
                      fmt::format("'{}' is not an ISO alpha-3 country code; '{}' is left without "
                                  "jurisdiction",
                                  code, p.name));
    }
    n.name.at = providers->at(r, c_p_name);
    if (p.country) {
      std::string alias = trim(providers->get(r, c_p_alias));
      n.name.value = alias.empty() ? p.name : alias;
      n.kind.value = "country";
      std::string base = slug(n.name.value);
      n.id = Text{ids.make(base.empty() ? "" : "country-" + base, pid), n.name.at};
    } else {
      n.name.value = p.name;
      n.kind.value = "firm";
      // A name in another script (北方华创) has no slug; its alias (NAURA) or ETO id does.
      std::string base = slug(p.name);
      if (base.empty()) base = slug(trim(providers->get(r, c_p_alias)));
      n.id = Text{ids.make(base, pid), n.name.at};
      // "Various companies": the rest of a market, not one firm.
      if (lower(p.name).rfind("various", 0) == 0 || lower(p.name).rfind("other", 0) == 0)
        n.attrs.push_back(Attr{"group_of_firms", "true", true, n.name.at});
    }
    n.kind.at = providers->at(r, c_p_type);
    n.attrs.push_back(Attr{"eto_id", pid, false, providers->at(r, c_p_id)});
    p.node = g.size();
    g.push_back(std::move(n));
  }
  // Supplier groups: every provision row kept above is a supplier with its share (percent).
  for (std::size_t i = 0; i < rows_of.size(); ++i) {
    ImportNode& n = g[i];
    double total = 0;
    std::set<std::string> sources;
    for (const auto& p : rows_of[i]) {
      const Provider& provider = provider_list[p.provider];
      RowMember m{Text{g[provider.node].id.value, provision->at(p.row, c_pv_provider)}, {}};
      if (std::string v = trim(provision->get(p.row, c_pv_share)); !v.empty()) {
        auto share = fraction(v, true);
        if (!share) {
          diags.error(
              provision->at(p.row, c_pv_share),
              fmt::format("share_provided must be a percentage from 0 to 100, got '{}'", v));
        } else {
          m.share = Number{*share, provision->at(p.row, c_pv_share), std::nullopt};
          total += *share;
        }
      }
      if (std::string s = trim(provision->get(p.row, c_pv_source)); !s.empty()) sources.insert(s);
      n.suppliers.push_back(std::move(m));
    }
    if (total > 1.02) {  // up to 2 points over is rounding, which the loader normalises
      diags.warning(n.where, fmt::format("the shares of '{}' sum to {:.1f}%; scaled to 100%",
                                         n.name.value, total * 100));
      for (auto& m : n.suppliers)
        if (m.share) m.share->value /= total;
    }
    n.sources.insert(n.sources.end(), sources.begin(), sources.end());
  }

  // Sequence: "goes into" is an input; "is type of" makes the type an input of its parent (all
  // of its types needed), or a member of the parent's one `any` group (any one of them).
  std::map<std::size_t, std::size_t> type_group;  // parent -> index of its any group
  std::set<std::pair<std::size_t, std::size_t>> links;
  for (std::size_t r = 0; r < sequence->rows(); ++r) {
    std::string iid = trim(sequence->get(r, c_sq_in));
    auto in = by_input.find(iid);
    if (in == by_input.end()) {
      diags.error(sequence->at(r, c_sq_in),
                  fmt::format("unknown input '{}' (not in {})", iid, inputs->path));
      continue;
    }
    for (auto [column, is_type] : {std::pair{c_sq_into, false}, std::pair{c_sq_type, true}}) {
      std::string target = trim(sequence->get(r, column));
      if (target.empty()) continue;
      auto to = by_input.find(target);
      if (to == by_input.end()) {
        diags.error(sequence->at(r, column),
                    fmt::format("unknown input '{}' (not in {})", target, inputs->path));
        continue;
      }
      if (!links.emplace(in->second, to->second).second) {
        diags.warning(sequence->at(r, column),
                      fmt::format("'{}' goes into '{}' again; this row is skipped",
                                  g[in->second].name.value, g[to->second].name.value));
        continue;
      }
      RowMember m{Text{g[in->second].id.value, sequence->at(r, c_sq_in)}, {}};
      ImportNode& parent = g[to->second];
      if (!is_type || options.types == EtoTypes::all) {
        parent.inputs.push_back(Requirement::of({}, std::nullopt, sequence->at(r)));
        parent.inputs.back().members.push_back(m);
        continue;
      }
      auto [it, inserted] = type_group.emplace(to->second, parent.inputs.size());
      if (inserted)
        parent.inputs.push_back(Requirement::of(Text{"one of its types", sequence->at(r, column)},
                                                std::nullopt, sequence->at(r)));
      parent.inputs[it->second].members.push_back(m);
    }
  }

  Diagnostics tree_diags;
  Emitter e("CSET ETO Chip Explorer (imported)", 0, tree_diags);
  for (const auto& n : g) e.node(n);
  g.clear();
  auto imported = validate(std::move(e), files, diags);
  if (diags.error_count() > 0) return std::nullopt;
  return imported;
}

}  // namespace chokepoint
