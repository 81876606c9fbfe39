#include "graph/input/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "graph/input/provenance.hpp"
#include "graph/model/jurisdictions.hpp"
#include "graph/support/parallel.hpp"
#include "graph/support/utf8.hpp"

namespace chokepoint {

namespace fs = std::filesystem;
using yaml::NodeRef;

// ---- scalar helpers ----

namespace yaml_values {

namespace {

// YAML 1.2 core-schema decimal numbers: [-+]? (digits [. digits?] | . digits) ([eE] [-+]? digits)?
bool looks_numeric(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp;
    if (exp == 0) return false;
  }
  return i == s.size();
}

bool is_nan_or_inf(std::string_view s) {
  std::string l;
  for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return l == ".nan" || l == ".inf" || l == "-.inf" || l == "+.inf" || l == "nan" || l == "inf" ||
         l == "-inf";
}

std::string quote_for_message(std::string_view s) {
  return fmt::format("'{}'", utf8::shortened(s, 40, "..."));
}

// A list of two scalars, a map with low/high, or "40-60%": what a range looks like where a
// number is required.
bool looks_like_range(NodeRef node) {
  if (node.is_sequence()) return node.size() == 2;
  if (node.is_map()) return node.find("low") || node.find("high");
  return false;
}

std::string range_hint(NodeRef node) {
  return looks_like_range(node)
             ? "; ranges are allowed on share, min_share, min_supply, stock_months, "
               "lifetime_months, a scenario's capacity and de_minimis"
             : "";
}

}  // namespace

std::optional<double> number(NodeRef node, std::string_view what, Diagnostics& diags) {
  if (!node.is_scalar()) {
    diags.error(node.location(), fmt::format("{} must be a number, got {}{}", what, node.describe(),
                                             range_hint(node)));
    return std::nullopt;
  }
  std::string_view s = node.scalar();
  if (!node.quoted() && is_nan_or_inf(s)) {
    diags.error(node.location(), fmt::format("{} must be a finite number, got {}", what, s));
    return std::nullopt;
  }
  if (node.quoted() || !looks_numeric(s)) {
    diags.error(node.location(),
                fmt::format("{} must be a number, got {}", what, quote_for_message(s)));
    return std::nullopt;
  }
  double v = std::strtod(std::string(s).c_str(), nullptr);
  if (!std::isfinite(v)) {
    diags.error(node.location(), fmt::format("{} must be a finite number, got {}", what, s));
    return std::nullopt;
  }
  return v;
}

std::optional<double> fraction(NodeRef node, std::string_view what, Diagnostics& diags) {
  if (node.is_scalar() && !node.scalar().empty() && node.scalar().back() == '%') {
    std::string_view s = node.scalar().substr(0, node.scalar().size() - 1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (!looks_numeric(s)) {
      diags.error(node.location(), fmt::format("{} must be a number in [0,1] or a percentage such "
                                               "as \"40%\", got {}",
                                               what, quote_for_message(node.scalar())));
      return std::nullopt;
    }
    double pct = std::strtod(std::string(s).c_str(), nullptr);
    if (pct < 0 || pct > 100) {
      diags.error(node.location(),
                  fmt::format("{} must be between 0% and 100%, got {}", what, node.scalar()));
      return std::nullopt;
    }
    return pct / 100.0;
  }
  if (node.is_scalar() && node.quoted()) {
    diags.error(node.location(), fmt::format("{} must be a number in [0,1] or a percentage such "
                                             "as \"40%\", got {}",
                                             what, quote_for_message(node.scalar())));
    return std::nullopt;
  }
  if (!node.is_scalar()) {
    diags.error(node.location(), fmt::format("{} must be a number in [0,1] or a percentage such "
                                             "as \"40%\", got {}{}",
                                             what, node.describe(), range_hint(node)));
    return std::nullopt;
  }
  auto v = number(node, what, diags);
  if (!v) return std::nullopt;
  if (*v < 0 || *v > 1) {
    diags.error(node.location(),
                fmt::format("{} must be between 0 and 1 (or a percentage such as \"40%\"), got {}",
                            what, node.scalar()));
    return std::nullopt;
  }
  return v;
}

namespace {

std::optional<double> bounded(NodeRef node, std::string_view what, Bounds bounds,
                              Diagnostics& diags) {
  if (bounds == Bounds::fraction) return fraction(node, what, diags);
  auto v = number(node, what, diags);
  if (!v) return std::nullopt;
  if (bounds == Bounds::at_least_one && *v < 1) {
    diags.error(node.location(), fmt::format("{} must be at least 1, got {}", what, node.scalar()));
    return std::nullopt;
  }
  if (*v < 0) {
    diags.error(node.location(), fmt::format("{} must be 0 or more, got {}", what, node.scalar()));
    return std::nullopt;
  }
  return v;
}

// "40-60%" (spaces allowed around the dash): the two percentages as fractions.
std::optional<std::pair<double, double>> percent_range(std::string_view s) {
  if (s.empty() || s.back() != '%') return std::nullopt;
  s.remove_suffix(1);
  auto dash = s.find('-', 1);
  if (dash == std::string_view::npos) return std::nullopt;
  auto trim = [](std::string_view t) {
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '%')) t.remove_suffix(1);
    return t;
  };
  std::string_view a = trim(s.substr(0, dash)), b = trim(s.substr(dash + 1));
  if (!looks_numeric(a) || !looks_numeric(b)) return std::nullopt;
  return std::pair{std::strtod(std::string(a).c_str(), nullptr) / 100.0,
                   std::strtod(std::string(b).c_str(), nullptr) / 100.0};
}

std::string show(double v) { return fmt::format("{:g}", v); }

}  // namespace

std::optional<RangedValue> ranged(NodeRef node, std::string_view what, Bounds bounds,
                                  Diagnostics& diags) {
  Range r;
  if (node.is_scalar()) {
    auto pr =
        node.quoted() || bounds == Bounds::fraction ? percent_range(node.scalar()) : std::nullopt;
    if (!pr || bounds != Bounds::fraction) {
      auto v = bounded(node, what, bounds, diags);
      if (!v) return std::nullopt;
      return RangedValue{*v, std::nullopt};
    }
    r.low = pr->first;
    r.high = pr->second;
    if (r.low < 0 || r.high > 1) {
      diags.error(node.location(),
                  fmt::format("{} must be between 0% and 100%, got {}", what, node.scalar()));
      return std::nullopt;
    }
  } else if (node.is_sequence()) {
    if (node.size() != 2) {
      diags.error(node.location(),
                  fmt::format("{} as a range is [low, high], got a list of {}", what, node.size()));
      return std::nullopt;
    }
    auto lo = bounded(node.item(0), what, bounds, diags);
    auto hi = bounded(node.item(1), what, bounds, diags);
    if (!lo || !hi) return std::nullopt;
    r.low = *lo;
    r.high = *hi;
  } else if (node.is_map()) {
    check_keys(node, {"low", "high", "best"}, fmt::format("in the range of {}", what), diags);
    auto lo_node = node.find("low"), hi_node = node.find("high");
    if (!lo_node || !hi_node) {
      diags.error(node.location(), fmt::format("{} as a range needs 'low' and 'high'", what));
      return std::nullopt;
    }
    auto lo = bounded(*lo_node, what, bounds, diags);
    auto hi = bounded(*hi_node, what, bounds, diags);
    std::optional<double> best;
    if (auto b = node.find("best")) {
      best = bounded(*b, what, bounds, diags);
      if (!best) return std::nullopt;
    }
    if (!lo || !hi) return std::nullopt;
    r.low = *lo;
    r.high = *hi;
    if (best) {
      r.best = *best;
      r.best_given = true;
    }
  } else {
    diags.error(node.location(),
                fmt::format("{} must be a number or a range, got {}", what, node.describe()));
    return std::nullopt;
  }
  if (r.low > r.high) {
    diags.error(node.location(), fmt::format("{}: the range's low {} is above its high {}", what,
                                             show(r.low), show(r.high)));
    return std::nullopt;
  }
  if (r.best_given && (r.best < r.low || r.best > r.high)) {
    diags.error(node.find("best")->location(),
                fmt::format("{}: best {} is outside the range [{}, {}]", what, show(r.best),
                            show(r.low), show(r.high)));
    return std::nullopt;
  }
  if (!r.best_given) r.best = (r.low + r.high) / 2;
  return RangedValue{r.best, r};
}

std::optional<bool> boolean(NodeRef node, std::string_view what, Diagnostics& diags) {
  if (node.is_scalar() && !node.quoted()) {
    std::string_view s = node.scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  diags.error(node.location(), fmt::format("{} must be true or false, got {}", what,
                                           node.is_scalar() ? quote_for_message(node.scalar())
                                                            : std::string(node.describe())));
  return std::nullopt;
}

std::optional<std::string> string(NodeRef node, std::string_view what, Diagnostics& diags) {
  if (!node.is_scalar()) {
    diags.error(node.location(), fmt::format("{} must be text, got {}", what, node.describe()));
    return std::nullopt;
  }
  return std::string(node.scalar());
}

bool expect_map(NodeRef node, std::string_view what, Diagnostics& diags) {
  if (node.is_map()) return true;
  diags.error(node.location(), fmt::format("{} must be a map, got {}", what, node.describe()));
  return false;
}

bool expect_list(NodeRef node, std::string_view what, Diagnostics& diags) {
  if (node.is_sequence()) return true;
  diags.error(node.location(), fmt::format("{} must be a list, got {}", what, node.describe()));
  return false;
}

void check_keys(NodeRef map, const std::vector<std::string_view>& allowed,
                std::string_view where_name, Diagnostics& diags) {
  for (std::size_t i = 0; i < map.size(); ++i) {
    NodeRef k = map.key(i);
    if (!k.is_scalar()) {
      diags.error(k.location(),
                  fmt::format("keys {} must be text, got {}", where_name, k.describe()));
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), k.scalar()) != allowed.end()) continue;
    diags.error(k.location(), fmt::format("unknown key '{}' {}{}", k.scalar(), where_name,
                                          did_you_mean(k.scalar(), allowed)));
  }
}

}  // namespace yaml_values

namespace {

using namespace yaml_values;

const std::vector<std::string_view> kTopKeys = {"format", "meta",    "include", "jurisdictions",
                                                "blocs",  "targets", "nodes"};
const std::vector<std::string_view> kNodeKeys = {"id",
                                                 "name",
                                                 "kind",
                                                 "jurisdiction",
                                                 "suppliers",
                                                 "inputs",
                                                 "min_supply",
                                                 "target",
                                                 "substitution_years",
                                                 "stock_months",
                                                 "attrs",
                                                 "tags",
                                                 "sources",
                                                 "sourcing",
                                                 "quantity",
                                                 "lifetime_months",
                                                 "substitutes"};
const std::vector<std::string_view> kMemberKeys = {"id", "share"};
const std::vector<std::string_view> kSubstituteKeys = {"id", "from_month", "ramp_months"};
const std::vector<std::string_view> kAnyKeys = {"any", "min_share", "label"};
const std::vector<std::string_view> kWellKnownKinds = {
    "firm",    "country",   "lithography", "equipment",  "material", "hbm",     "memory",
    "foundry", "packaging", "chip",        "eda",        "model",    "dataset", "power",
    "cooling", "cloud",     "process",     "capability", "service"};

constexpr std::size_t kMaxIdLength = 128;
constexpr double kShareTolerance = 1.02;
constexpr std::size_t kMaxSuggestions = 200;  // edit-distance searches per run on big graphs

bool id_char(char c, bool first) {
  bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return first ? alnum : alnum || c == '_' || c == '.' || c == ':' || c == '-';
}

bool kind_valid(std::string_view k) {
  if (k.empty() || !(k[0] >= 'a' && k[0] <= 'z')) return false;
  return std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool code_valid(std::string_view c) {
  if (c.empty() || c.size() > 16 || !(c[0] >= 'A' && c[0] <= 'Z')) return false;
  return std::all_of(c.begin(), c.end(), [](char x) {
    return (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9') || x == '-' || x == '_';
  });
}

std::string format_location(const SourceFiles& files, SourceLocation loc) {
  return fmt::format("{}:{}:{}", files.path(loc.file), loc.line, loc.col);
}

struct Decl {
  NodeRef key;
  NodeRef value;
};

// Where the loader's messages go: the run's diagnostics, or, while nodes are read on several
// threads, a list of the thread's own (merged in node order afterwards).
class DiagnosticsSink {
 public:
  explicit DiagnosticsSink(Diagnostics& run) : run_(run) {}
  Diagnostics& get() const { return redirect ? *redirect : run_; }
  operator Diagnostics&() const { return get(); }
  void error(SourceLocation where, std::string message) const {
    get().error(where, std::move(message));
  }
  void warning(SourceLocation where, std::string message) const {
    get().warning(where, std::move(message));
  }
  void note(SourceLocation where, std::string message) const {
    get().note(where, std::move(message));
  }
  void file_error(std::string path, std::string message) const {
    get().file_error(std::move(path), std::move(message));
  }
  std::size_t error_count() const { return get().error_count(); }
  std::size_t warning_count() const { return get().warning_count(); }

  static thread_local Diagnostics* redirect;

 private:
  Diagnostics& run_;
};

thread_local Diagnostics* DiagnosticsSink::redirect = nullptr;

// Sends this thread's messages to `to` while it lives.
struct Redirect {
  explicit Redirect(Diagnostics& to) { DiagnosticsSink::redirect = &to; }
  ~Redirect() { DiagnosticsSink::redirect = nullptr; }
  Redirect(const Redirect&) = delete;
  Redirect& operator=(const Redirect&) = delete;
};

class Loader {
 public:
  Loader(SourceFiles& files, Diagnostics& diags, const LoadOptions& options)
      : files_(files), diags_(diags), options_(options) {}

  std::optional<Model> load(const std::string& path, std::optional<std::string> text,
                            std::optional<yaml::Document> document = std::nullopt) {
    std::vector<std::string> stack;
    root_dir_ = canonical(path == "-" ? std::string(".") : fs::path(path).parent_path().string());
    if (root_dir_.empty()) root_dir_ = canonical(".");
    if (document) {
      take_document(std::move(*document), path, stack);
    } else if (text) {
      std::uint32_t file = files_.add(path, std::move(*text));
      auto doc = yaml::parse(file, files_, diags_, options_.limits);
      if (doc) take_document(std::move(*doc), path, stack);
    } else {
      read(path, stack);
    }
    if (docs_.empty()) return std::nullopt;
    build();
    if (diags_.error_count() > 0) return std::nullopt;
    // The trees are read: free them before the model's indexes and graph are built, where
    // loading peaks (93 MB of 263 at 100,000 nodes).
    node_decls_.clear();
    node_decls_.shrink_to_fit();
    id_lookup_.clear();
    docs_.clear();
    model_.finish();
    return std::move(model_);
  }

 private:
  std::string canonical(const std::string& path) {
    std::error_code ec;
    auto c = fs::weakly_canonical(path, ec);
    return ec ? path : c.string();
  }

  void read(const std::string& path, std::vector<std::string>& stack) {
    std::size_t errors = diags_.error_count();
    auto doc = yaml::read_file(path, files_, diags_, options_.limits);
    if (!doc) return;
    // The tree holds its own copy of every scalar: a big file's text is needed again only to
    // quote a line in a message, and can be read again for that.
    std::uint32_t file = doc->file();
    std::error_code ec;
    if (diags_.error_count() == errors && path != "-" &&
        files_.text(file).size() >= options_.release_text_min_bytes &&
        fs::is_regular_file(path, ec))
      files_.release_text(file, sha256_hex(files_.text(file)));
    take_document(std::move(*doc), path, stack);
  }

  void take_document(yaml::Document doc, const std::string& path, std::vector<std::string>& stack) {
    model_.files.push_back(path);
    loaded_.push_back(canonical(path));
    docs_.push_back(std::make_unique<yaml::Document>(std::move(doc)));
    NodeRef root = docs_.back()->root();
    stack.push_back(loaded_.back());
    collect(root, path, stack);
    stack.pop_back();
  }

  void collect(NodeRef root, const std::string& path, std::vector<std::string>& stack) {
    if (!root.is_map()) {
      diags_.error(root.location(),
                   fmt::format("expected a map with 'nodes' at the top of the file, got {}",
                               root.describe()));
      return;
    }
    check_keys(root, kTopKeys, "at the top level", diags_);
    if (auto v = root.find("format")) {
      if (auto f = number(*v, "format", diags_); f && *f != 1)
        diags_.error(v->location(), fmt::format("unsupported format {}; this chokepoint reads "
                                                "format 1",
                                                v->scalar()));
    }
    if (auto v = root.find("meta"); v && !v->is_null() && expect_map(*v, "meta", diags_)) {
      for (std::size_t i = 0; i < v->size(); ++i) {
        auto key = string(v->key(i), "a meta key", diags_);
        auto value = v->value(i).is_null()
                         ? std::optional<std::string>("")
                         : string(v->value(i), fmt::format("meta.{}", key.value_or("?")), diags_);
        if (key && value) model_.meta.emplace_back(*key, *value);
      }
    }
    if (auto v = root.find("jurisdictions");
        v && !v->is_null() && expect_map(*v, "jurisdictions", diags_))
      for (std::size_t i = 0; i < v->size(); ++i)
        jurisdiction_decls_.push_back({v->key(i), v->value(i)});
    if (auto v = root.find("blocs"); v && !v->is_null() && expect_map(*v, "blocs", diags_))
      for (std::size_t i = 0; i < v->size(); ++i) bloc_decls_.push_back({v->key(i), v->value(i)});
    if (auto v = root.find("targets"); v && !v->is_null() && expect_list(*v, "targets", diags_))
      for (std::size_t i = 0; i < v->size(); ++i) target_refs_.push_back(v->item(i));
    if (auto v = root.find("nodes"); v && !v->is_null()) {
      if (expect_list(*v, "nodes", diags_))
        for (std::size_t i = 0; i < v->size(); ++i) node_decls_.push_back(v->item(i));
    }
    if (auto v = root.find("include"); v && !v->is_null() && expect_list(*v, "include", diags_)) {
      fs::path dir = fs::path(path).parent_path();
      for (std::size_t i = 0; i < v->size(); ++i) include(v->item(i), dir, stack);
    }
  }

  void include(NodeRef item, const fs::path& dir, std::vector<std::string>& stack) {
    auto rel = string(item, "an include entry", diags_);
    if (!rel) return;
    // Includes stay inside the main file's folder, so that a graph cannot make error messages
    // quote lines of files elsewhere (/etc/shadow, a .env) into a CI log.
    if (fs::path(*rel).is_absolute()) {
      diags_.error(item.location(),
                   fmt::format("include '{}' is an absolute path; includes are paths relative "
                               "to the including file, inside the main file's folder",
                               *rel));
      return;
    }
    if (stack.size() >= kMaxIncludeDepth) {
      diags_.error(item.location(),
                   fmt::format("includes nest deeper than {} files", kMaxIncludeDepth));
      return;
    }
    std::string path = (dir / *rel).lexically_normal().string();
    std::string canon = canonical(path);
    fs::path inside = fs::path(canon).lexically_relative(root_dir_);
    if (inside.empty() || *inside.begin() == "..") {
      diags_.error(item.location(),
                   fmt::format("include '{}' leaves the main file's folder '{}'; includes must "
                               "stay inside it",
                               *rel, root_dir_));
      return;
    }
    if (auto it = std::find(stack.begin(), stack.end(), canon); it != stack.end()) {
      std::string chain;
      for (auto p = it; p != stack.end(); ++p) chain += fs::path(*p).filename().string() + " -> ";
      chain += fs::path(canon).filename().string();
      diags_.error(item.location(), fmt::format("include cycle: {}", chain));
      return;
    }
    if (std::find(loaded_.begin(), loaded_.end(), canon) != loaded_.end()) return;  // diamond
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      diags_.error(item.location(),
                   fmt::format("cannot open included file '{}': no such file", *rel));
      return;
    }
    if (fs::is_directory(path, ec)) {
      diags_.error(item.location(),
                   fmt::format("included path '{}' is a directory; expected a YAML file", *rel));
      return;
    }
    read(path, stack);
  }

  // ---- resolution ----

  void build() {
    declare_jurisdictions();
    register_ids();
    model_.nodes.resize(ids_.size());
    parse_nodes();
    declare_blocs();
    mark_targets();
    resolve_sourcing();
    // Ranges in node order (several threads may have found them), then file order.
    std::stable_sort(ranges_.begin(), ranges_.end(),
                     [](const Ranged& a, const Ranged& b) { return a.node < b.node; });
    std::stable_sort(ranged_groups_.begin(), ranged_groups_.end(),
                     [](const auto& a, const auto& b) {
                       return a.node != b.node ? a.node < b.node : a.group > b.group;
                     });
    model_.ranges = std::move(ranges_);
    model_.ranged_groups = std::move(ranged_groups_);
  }

  void parse_nodes() {
    unsigned threads = analysis_threads(options_.limits.threads);
    if (threads > 1 &&
        node_decls_.size() >= std::max<std::size_t>(options_.parallel_min_nodes, 2) &&
        parse_nodes_in_parallel(threads))
      return;
    for (std::size_t i = 0; i < node_decls_.size(); ++i) parse_node(i);
  }

  // Reads the nodes in `threads` runs of consecutive nodes at once, runs of about the same work
  // (a node's keys and the members it lists). Nodes only read what is shared (ids,
  // jurisdictions), except that a node may add a jurisdiction: those are added first, in node
  // order, so that their indexes are the ones reading one by one gives. Each thread's messages
  // are merged in node order; an error anywhere (whose message may carry a suggestion, of which
  // there are only so many) and the nodes are read again one by one.
  bool parse_nodes_in_parallel(unsigned threads) {
    std::size_t count = node_decls_.size();
    std::vector<std::size_t> work(count + 1, 0);  // work before node i
    {
      Diagnostics ignored;
      Redirect to(ignored);
      for (std::size_t i = 0; i < count; ++i) {
        NodeRef decl = node_decls_[i];
        std::size_t w = 1;
        if (decl.is_map()) {
          w += decl.size();
          if (auto v = decl.find("jurisdiction"); v && !v->is_null())
            resolve_jurisdiction(*v, "jurisdiction");
          for (const char* list : {"suppliers", "inputs"})
            if (auto v = decl.find(list)) w += 8 * v->size();
        }
        work[i + 1] = work[i] + w;
      }
    }
    std::vector<std::size_t> first(threads + 1, count);  // runs [first[p], first[p + 1])
    for (unsigned p = 0; p < threads; ++p)
      first[p] = static_cast<std::size_t>(
          std::lower_bound(work.begin(), work.end(), work.back() * p / threads) - work.begin());
    std::vector<Diagnostics> found(threads);
    reading_in_parallel_ = true;
    parallel_for(threads, threads, [&](unsigned, std::size_t part) {
      Redirect to(found[part]);
      for (std::size_t i = first[part]; i < first[part + 1]; ++i) parse_node(i);
    });
    reading_in_parallel_ = false;
    for (const Diagnostics& f : found) {
      if (f.error_count() == 0) continue;
      std::fill(model_.nodes.begin(), model_.nodes.end(), Node{});
      ranges_.clear();
      ranged_groups_.clear();
      return false;
    }
    for (const Diagnostics& f : found)
      for (const Diagnostic& d : f.all()) {
        if (d.severity == Severity::warning) diags_.warning(d.where, d.message);
        if (d.severity == Severity::note) diags_.note(d.where, d.message);
      }
    return true;
  }

  void declare_jurisdictions() {
    std::unordered_map<std::string, SourceLocation> first;
    for (const auto& d : jurisdiction_decls_) {
      auto code = string(d.key, "a jurisdiction code", diags_);
      if (!code) continue;
      if (!code_valid(*code)) {
        diags_.error(d.key.location(),
                     fmt::format("jurisdiction code '{}' must be upper case letters, digits, '-' "
                                 "or '_', starting with a letter (at most 16)",
                                 *code));
        continue;
      }
      auto [it, inserted] = first.emplace(*code, d.key.location());
      if (!inserted) {
        diags_.error(d.key.location(),
                     fmt::format("jurisdiction '{}' is declared twice; first at {}", *code,
                                 format_location(files_, it->second)));
        continue;
      }
      std::string jname;
      bool fdpr = false;
      if (!d.value.is_null() &&
          expect_map(d.value, fmt::format("jurisdiction '{}'", *code), diags_)) {
        check_keys(d.value, {"name", "fdpr"}, fmt::format("in jurisdiction '{}'", *code), diags_);
        if (auto n = d.value.find("name")) jname = string(*n, "name", diags_).value_or("");
        if (auto f = d.value.find("fdpr")) fdpr = boolean(*f, "fdpr", diags_).value_or(false);
      }
      // A built-in code listed to give it attributes keeps its name unless one is given.
      const Jurisdiction* iso = find_iso_jurisdiction(*code);
      if (jname.empty() && iso) jname = std::string(iso->name);
      JurisdictionIndex j = model_.intern_jurisdiction(*code, jname, true);
      model_.jurisdictions[j].fdpr = fdpr;
    }
  }

  std::optional<JurisdictionIndex> resolve_jurisdiction(NodeRef node, std::string_view what) {
    auto code = string(node, what, diags_);
    if (!code) return std::nullopt;
    if (auto j = model_.find_jurisdiction(*code); j && model_.jurisdictions[*j].declared) return j;
    if (const Jurisdiction* iso = find_iso_jurisdiction(*code)) {
      if (auto j = model_.find_jurisdiction(iso->code)) return j;  // always, when in parallel
      return model_.intern_jurisdiction(iso->code, std::string(iso->name), false);
    }
    diags_.error(node.location(),
                 fmt::format("unknown jurisdiction '{}'{}", *code, jurisdiction_suggestion(*code)));
    return std::nullopt;
  }

  // Alpha-3 codes and country names map to their alpha-2 code; otherwise the nearest code.
  std::string jurisdiction_suggestion(std::string_view code) {
    auto lower = [](std::string_view s) {
      std::string out(s);
      for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    };
    std::string lc = lower(code);
    for (const auto& j : iso_jurisdictions())
      if (lower(j.alpha3) == lc || lower(j.name) == lc || lower(j.code) == lc)
        return fmt::format("; did you mean '{}'?", j.code);
    std::vector<std::string_view> candidates;
    for (const auto& j : model_.jurisdictions)
      if (j.declared) candidates.push_back(j.code);
    // Two-letter codes are all one edit apart; guessing between them would only mislead.
    if (code.size() <= 2) return {};
    for (const auto& j : iso_jurisdictions()) candidates.push_back(j.code);
    return did_you_mean(code, candidates);
  }

  void register_ids() {
    decl_index_.assign(node_decls_.size(), -1);
    ids_.reserve(node_decls_.size());
    id_decl_.reserve(node_decls_.size());
    id_lookup_.reserve(node_decls_.size());
    for (std::size_t i = 0; i < node_decls_.size(); ++i) {
      NodeRef decl = node_decls_[i];
      if (!decl.is_map()) continue;
      auto id_node = decl.find("id");
      if (!id_node) continue;  // reported in parse_node
      if (!id_node->is_scalar()) continue;
      if (!valid_id(*id_node)) continue;
      std::string_view id = id_node->scalar();
      auto [it, inserted] = id_lookup_.try_emplace(id, static_cast<NodeIndex>(ids_.size()));
      if (!inserted) {
        SourceLocation first = node_decls_[id_decl_[it->second]].find("id")->location();
        diags_.error(id_node->location(), fmt::format("duplicate id '{}'; first defined at {}", id,
                                                      format_location(files_, first)));
        continue;
      }
      decl_index_[i] = static_cast<std::int64_t>(ids_.size());
      id_decl_.push_back(i);
      ids_.emplace_back(id);
    }
  }

  bool valid_id(NodeRef node, bool report = false) {
    std::string_view id = node.scalar();
    std::string problem;
    if (id.empty())
      problem = "id must not be empty";
    else if (id.size() > kMaxIdLength)
      problem = fmt::format("id is {} characters long; at most {}", id.size(), kMaxIdLength);
    else if (!id_char(id[0], true))
      problem = fmt::format("id '{}' must start with a letter or digit", id);
    else
      for (std::size_t k = 1; k < id.size(); ++k)
        if (!id_char(id[k], false)) {
          // The whole character, not its first byte (half a character is not UTF-8); what
          // comes before it is ASCII, so its position is k + 1 in characters too.
          std::size_t len = 1;
          utf8::decode(id, k, len);
          problem = fmt::format(
              "id '{}' has '{}' at position {}; ids use letters, digits and "
              "'_' '.' ':' '-'",
              id, id.substr(k, len), k + 1);
          break;
        }
    if (problem.empty()) return true;
    if (report) diags_.error(node.location(), problem);
    return false;
  }

  std::optional<NodeIndex> resolve_id(NodeRef node, std::string_view what) {
    auto id = string(node, what, diags_);
    if (!id) return std::nullopt;
    if (auto it = id_lookup_.find(std::string_view(*id)); it != id_lookup_.end()) return it->second;
    std::string hint;
    if (!reading_in_parallel_ && suggestions_++ < kMaxSuggestions) {
      hint = did_you_mean(*id, ids_);
    }
    diags_.error(node.location(), fmt::format("unknown node '{}'{}", *id, hint));
    return std::nullopt;
  }

  void parse_node(std::size_t i) {
    NodeRef decl = node_decls_[i];
    if (!decl.is_map()) {
      diags_.error(decl.location(),
                   fmt::format("each node must be a map with at least 'id' and 'kind', got {}",
                               decl.is_scalar() ? quote_for_message(decl.scalar())
                                                : std::string(decl.describe())));
      return;
    }
    Node scratch;
    Node& node = decl_index_[i] >= 0 ? model_.nodes[decl_index_[i]] : scratch;
    node.where = decl.location();
    auto id_node = decl.find("id");
    std::string label = "node";
    if (!id_node) {
      diags_.error(decl.location(), "node has no 'id'");
    } else if (!id_node->is_scalar()) {
      diags_.error(id_node->location(),
                   fmt::format("id must be text, got {}", id_node->describe()));
    } else {
      valid_id(*id_node, true);
      node.id = std::string(id_node->scalar());
      label = fmt::format("node '{}'", node.id);
    }
    check_keys(decl, kNodeKeys, "in " + label, diags_);

    if (auto v = decl.find("name")) node.name = string(*v, "name", diags_).value_or("");
    if (node.name.empty()) node.name = node.id;

    if (auto v = decl.find("kind")) {
      if (auto k = string(*v, "kind", diags_)) {
        if (!kind_valid(*k)) {
          diags_.error(v->location(), fmt::format("kind '{}' must be lower case letters, digits "
                                                  "and '-', starting with a letter{}",
                                                  *k, did_you_mean(*k, kWellKnownKinds)));
        } else {
          node.kind = *k;
          if (std::find(kWellKnownKinds.begin(), kWellKnownKinds.end(), *k) ==
              kWellKnownKinds.end()) {
            if (auto m = closest_match(*k, kWellKnownKinds))
              diags_.warning(v->location(), fmt::format("kind '{}' is not a well-known kind; did "
                                                        "you mean '{}'?",
                                                        *k, *m));
          }
        }
      }
    } else {
      diags_.error(decl.location(), fmt::format("{} has no 'kind'", label));
    }

    if (auto v = decl.find("jurisdiction"); v && !v->is_null())
      if (auto j = resolve_jurisdiction(*v, "jurisdiction")) node.jurisdiction = *j;

    double supplier_threshold = 0.0;
    std::optional<Range> supplier_threshold_range;
    auto min_supply = decl.find("min_supply");
    if (min_supply)
      if (auto t = ranged(*min_supply, "min_supply", Bounds::fraction, diags_)) {
        supplier_threshold = t->point;
        supplier_threshold_range = t->range;
      }
    NodeIndex self = decl_index_[i] >= 0 ? static_cast<NodeIndex>(decl_index_[i]) : 0;
    bool real = decl_index_[i] >= 0;
    auto suppliers = decl.find("suppliers");
    auto inputs = decl.find("inputs");
    // Exactly as many groups as written (growing one by one leaves a third unused).
    std::size_t groups = 0;
    if (suppliers && suppliers->is_sequence()) groups += suppliers->size() > 0 ? 1 : 0;
    if (inputs && inputs->is_sequence()) groups += inputs->size();
    node.groups.reserve(groups);
    if (suppliers && !suppliers->is_null()) {
      if (expect_list(*suppliers, "suppliers", diags_)) {
        if (suppliers->size() == 0) {
          diags_.error(suppliers->location(),
                       "suppliers is empty; list at least one or leave it out");
        } else {
          Group g{.role = Role::supplier,
                  .where = suppliers->location(),
                  .threshold = supplier_threshold,
                  .label = {},
                  .members = {}};
          if (real) {
            if (supplier_threshold_range)
              record(Ranged{RangedWhat::threshold, self, 0, 0, *supplier_threshold_range,
                            min_supply->location()});
            parse_members(*suppliers, g, "a supplier", self, 0);
          } else {
            parse_members(*suppliers, g, "a supplier", std::nullopt, 0);
          }
          node.has_suppliers = true;
          node.groups.push_back(std::move(g));
        }
      }
    } else if (min_supply) {
      diags_.error(min_supply->location(), "min_supply needs a 'suppliers' list");
    }

    if (inputs && !inputs->is_null() && expect_list(*inputs, "inputs", diags_)) {
      for (std::size_t k = 0; k < inputs->size(); ++k)
        parse_input(inputs->item(k), node, real ? std::optional(self) : std::nullopt);
    }
    if (auto v = decl.find("sourcing"); v && !v->is_null())
      parse_sourcing(*v, node, supplier_threshold, supplier_threshold_range,
                     real ? std::optional(self) : std::nullopt);

    if (auto v = decl.find("target")) node.target = boolean(*v, "target", diags_).value_or(false);
    if (auto v = decl.find("substitution_years")) {
      if (auto y = number(*v, "substitution_years", diags_)) {
        if (*y < 0)
          diags_.error(v->location(),
                       fmt::format("substitution_years must be 0 or more, got {}", v->scalar()));
        else
          node.substitution_years = *y;
      }
    }
    if (auto v = decl.find("stock_months"))
      if (auto y = ranged(*v, "stock_months", Bounds::non_negative, diags_)) {
        node.stock_months = y->point;
        if (y->range && real)
          record(Ranged{RangedWhat::stock_months, self, 0, 0, *y->range, v->location()});
      }
    if (auto v = decl.find("lifetime_months"); v && !v->is_null())
      if (auto y = ranged(*v, "lifetime_months", Bounds::at_least_one, diags_)) {
        node.extras.edit().lifetime_months = y->point;
        if (y->range && real)
          record(Ranged{RangedWhat::lifetime_months, self, 0, 0, *y->range, v->location()});
      }
    if (auto v = decl.find("quantity"); v && !v->is_null()) parse_quantity(*v, node);
    if (auto v = decl.find("substitutes"); v && !v->is_null())
      parse_substitutes(*v, node, real ? std::optional(self) : std::nullopt);
    if (auto v = decl.find("attrs"); v && !v->is_null() && expect_map(*v, "attrs", diags_))
      parse_attrs(*v, node);
    if (auto v = decl.find("tags"); v && !v->is_null()) node.tags = string_list(*v, "tags");
    if (auto v = decl.find("sources"); v && !v->is_null())
      node.sources = string_list(*v, "sources");

    for (const auto& g : node.groups)
      for (const auto& m : g.members)
        if (decl_index_[i] >= 0 && m.node == static_cast<NodeIndex>(decl_index_[i]))
          diags_.warning(m.where, fmt::format("node '{}' depends on itself", node.id));
  }

  // A ranged number found while reading nodes (on several threads, perhaps).
  void record(Ranged r) {
    std::lock_guard lock(ranges_mutex_);
    ranges_.push_back(r);
  }

  void parse_quantity(NodeRef v, Node& node) {
    if (!expect_map(v, "quantity", diags_)) return;
    check_keys(v, {"value", "unit"}, "in quantity", diags_);
    auto value = v.find("value");
    auto unit = v.find("unit");
    if (!value || !unit) {
      diags_.error(v.location(),
                   "quantity needs 'value' and 'unit', e.g. {value: 1.2e6, unit: "
                   "\"H100-equivalents a year\"}");
      return;
    }
    auto x = ranged(*value, "quantity value", Bounds::non_negative, diags_);
    auto u = string(*unit, "quantity unit", diags_);
    if (x && (x->range ? x->range->low : x->point) <= 0) {
      diags_.error(value->location(),
                   fmt::format("quantity value must be above 0, got {}",
                               x->range ? show(x->range->low) : value->scalar()));
      return;
    }
    if (u && u->empty()) {
      diags_.error(unit->location(), "quantity unit must not be empty");
      return;
    }
    if (x && u) node.extras.edit().quantity = Quantity{x->point, *u, x->range};
  }

  void parse_substitutes(NodeRef list, Node& node, std::optional<NodeIndex> self) {
    if (!expect_list(list, "substitutes", diags_)) return;
    for (std::size_t k = 0; k < list.size(); ++k) {
      NodeRef item = list.item(k);
      if (!expect_map(item, "a substitute", diags_)) continue;
      check_keys(item, kSubstituteKeys, "in a substitute", diags_);
      auto id = item.find("id");
      if (!id) {
        diags_.error(item.location(), "substitute has no 'id'");
        continue;
      }
      auto n = resolve_id(*id, "a substitute");
      Substitute sub{n.value_or(0), 0, 0, id->location()};
      bool ok = n.has_value();
      for (auto [key, slot] :
           {std::pair{"from_month", &sub.from_month}, std::pair{"ramp_months", &sub.ramp_months}})
        if (auto v = item.find(key)) {
          auto x = ranged(*v, key, Bounds::non_negative, diags_);
          if (x && x->range) {
            diags_.error(v->location(), fmt::format("{} must be a number, got a range", key));
            ok = false;
          } else if (x) {
            *slot = x->point;
          } else {
            ok = false;
          }
        }
      if (!ok) continue;
      if (self && *n == *self) {
        diags_.error(id->location(),
                     fmt::format("node '{}' cannot be its own substitute", node.id));
        continue;
      }
      auto& subs = node.extras.edit().substitutes;
      if (std::any_of(subs.begin(), subs.end(), [&](const auto& s) { return s.node == *n; })) {
        diags_.error(id->location(), fmt::format("substitute '{}' is listed twice", id->scalar()));
        continue;
      }
      subs.push_back(sub);
    }
  }

  // `sourcing:` — a supplier group per side; the keys are resolved once blocs are known.
  void parse_sourcing(NodeRef map, Node& node, double threshold,
                      const std::optional<Range>& threshold_range, std::optional<NodeIndex> self) {
    if (!expect_map(map, "sourcing", diags_)) return;
    if (!node.has_suppliers) {
      diags_.error(map.location(), "sourcing needs a 'suppliers' list (the world market)");
      return;
    }
    for (std::size_t k = 0; k < map.size(); ++k) {
      auto key = string(map.key(k), "a sourcing key", diags_);
      NodeRef list = map.value(k);
      if (!key || !expect_list(list, fmt::format("sourcing for '{}'", *key), diags_)) continue;
      if (list.size() == 0) {
        diags_.error(list.location(),
                     fmt::format("sourcing for '{}' is empty; list at least one supplier", *key));
        continue;
      }
      auto& entries = node.extras.edit().sourcing;
      auto number = -1 - static_cast<std::int32_t>(entries.size());
      Sourcing s{*key,
                 {},
                 std::nullopt,
                 map.key(k).location(),
                 Group{.role = Role::supplier,
                       .where = list.location(),
                       .threshold = threshold,
                       .label = {},
                       .members = {}},
                 {}};
      std::size_t errors = diags_.error_count();
      parse_members(list, s.group, "a supplier", self, number);
      if (diags_.error_count() > errors) continue;
      if (threshold_range && self)
        record(Ranged{RangedWhat::threshold, *self, number, 0, *threshold_range, s.group.where});
      entries.push_back(std::move(s));
    }
  }

  // Sourcing keys name a perspective: a jurisdiction code, a bloc or a node id (an entity).
  void resolve_sourcing() {
    // Copies, not views: interning an ISO code below may grow model_.jurisdictions.
    std::vector<std::string> names;
    std::vector<char> is_located(model_.jurisdictions.size(), 0);
    for (const Node& n : model_.nodes)
      if (n.jurisdiction != kNoJurisdiction) is_located[n.jurisdiction] = 1;
    for (std::size_t j = 0; j < is_located.size(); ++j)
      if (is_located[j]) names.push_back(model_.jurisdictions[j].code);
    for (const auto& b : model_.blocs) names.push_back(b.name);
    const std::vector<std::string_view> located(names.begin(), names.end());
    for (Node& node : model_.nodes) {
      if (node.sourcing().empty()) continue;
      auto& entries = node.extras.edit().sourcing;
      std::vector<Sourcing> kept;
      for (Sourcing& s : entries) {
        if (const Bloc* b = model_.find_bloc(s.key)) {
          s.codes = b->members;
        } else if (auto j = model_.find_jurisdiction(s.key)) {
          s.codes = {*j};
        } else if (const Jurisdiction* iso = find_iso_jurisdiction(s.key)) {
          s.codes = {model_.intern_jurisdiction(iso->code, std::string(iso->name), false)};
        } else if (auto it = id_lookup_.find(std::string_view(s.key)); it != id_lookup_.end()) {
          s.entity = it->second;
        } else {
          diags_.warning(s.where,
                         fmt::format("sourcing for '{}' names no jurisdiction, bloc or node, so "
                                     "no side's view can use it{}",
                                     s.key, did_you_mean(s.key, located)));
          continue;
        }
        if (!s.entity && std::none_of(s.codes.begin(), s.codes.end(), [&](JurisdictionIndex j) {
              return static_cast<std::size_t>(j) < is_located.size() && is_located[j];
            }))
          diags_.warning(s.where, fmt::format("sourcing for '{}': no node is located there{}",
                                              s.key, did_you_mean(s.key, located)));
        std::sort(s.codes.begin(), s.codes.end());
        bool repeated = false;
        for (const Sourcing& other : kept)
          if (other.entity == s.entity && other.codes == s.codes) {
            diags_.error(s.where,
                         fmt::format("sourcing for '{}' repeats the side of '{}' (first at line "
                                     "{}, column {})",
                                     s.key, other.key, other.where.line, other.where.col));
            repeated = true;
          }
        if (!repeated) kept.push_back(std::move(s));
      }
      entries = std::move(kept);
    }
  }

  std::vector<std::string> string_list(NodeRef list, std::string_view what) {
    std::vector<std::string> out;
    if (!expect_list(list, what, diags_)) return out;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (auto s = string(list.item(i), fmt::format("each entry of {}", what), diags_))
        out.push_back(std::move(*s));
    return out;
  }

  void parse_attrs(NodeRef map, Node& node) {
    for (std::size_t i = 0; i < map.size(); ++i) {
      auto key = string(map.key(i), "an attribute name", diags_);
      if (!key) continue;
      NodeRef v = map.value(i);
      if (!v.is_scalar()) {
        diags_.error(v.location(), fmt::format("attrs.{} must be a number, text or true/false, "
                                               "got {}",
                                               *key, v.describe()));
        continue;
      }
      std::string_view s = v.scalar();
      AttrValue value = std::string(s);
      if (!v.quoted()) {
        if (s == "true" || s == "True" || s == "TRUE")
          value = true;
        else if (s == "false" || s == "False" || s == "FALSE")
          value = false;
        else if (looks_numeric(s))
          value = std::strtod(std::string(s).c_str(), nullptr);
        else if (is_nan_or_inf(s)) {
          diags_.error(v.location(),
                       fmt::format("attrs.{} must be a finite number, got {}", *key, s));
          continue;
        }
      }
      node.attrs.edit().emplace_back(*key, std::move(value));
    }
    if (node.attrs.empty()) return;
    std::sort(node.attrs.edit().begin(), node.attrs.edit().end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  void parse_input(NodeRef item, Node& node, std::optional<NodeIndex> self) {
    if (item.is_scalar()) {
      if (auto m = resolve_id(item, "an input")) {
        Group g{.role = Role::input,
                .where = item.location(),
                .label = {},
                .members = {Member{.node = *m, .where = item.location(), .weight = 1.0}}};
        node.groups.push_back(std::move(g));
      }
      return;
    }
    if (!item.is_map()) {
      diags_.error(item.location(), fmt::format("each input must be a node id or {{any: [...]}}, "
                                                "got {}",
                                                item.describe()));
      return;
    }
    if (item.find("id") && !item.find("any")) {
      diags_.error(item.location(),
                   "an input is a node id or {any: [...]}; write the id alone, "
                   "or wrap alternatives in 'any'");
      return;
    }
    check_keys(item, kAnyKeys, "in an input group", diags_);
    auto any = item.find("any");
    if (!any) {
      diags_.error(item.location(), "input group has no 'any' list");
      return;
    }
    if (!expect_list(*any, "any", diags_)) return;
    if (any->size() == 0) {
      diags_.error(any->location(), "'any' is empty; list at least one alternative");
      return;
    }
    Group g{.role = Role::input, .where = item.location(), .label = {}, .members = {}};
    auto group = static_cast<std::int32_t>(node.groups.size());
    if (auto t = item.find("min_share"))
      if (auto v = ranged(*t, "min_share", Bounds::fraction, diags_)) {
        g.threshold = v->point;
        if (v->range && self)
          record(Ranged{RangedWhat::threshold, *self, group, 0, *v->range, t->location()});
      }
    if (auto l = item.find("label")) g.label = string(*l, "label", diags_).value_or("");
    parse_members(*any, g, "an alternative", self, group);
    node.groups.push_back(std::move(g));
  }

  // Members with their shares, normalised so that the group's weights sum to 1. The ranges of
  // a group of node `self` (number `group` as in Ranged) are recorded.
  void parse_members(NodeRef list, Group& group, std::string_view member_word,
                     std::optional<NodeIndex> self, std::int32_t group_number) {
    struct Raw {
      NodeIndex node;
      std::optional<double> share;
      SourceLocation where;
      std::optional<Range> range;
    };
    std::optional<Range> range;
    std::vector<Raw> raw;
    std::unordered_map<NodeIndex, std::size_t> seen;  // member -> its index in raw
    bool all_resolved = true;
    for (std::size_t i = 0; i < list.size(); ++i) {
      NodeRef item = list.item(i);
      NodeRef id_node = item;
      std::optional<double> share;
      if (item.is_map() && item.find("any")) {
        diags_.error(item.location(),
                     "groups cannot nest ('any' inside a group); model the inner "
                     "choice as a node of its own");
        all_resolved = false;
        continue;
      }
      if (item.is_map()) {
        check_keys(item, kMemberKeys, fmt::format("in {}", member_word), diags_);
        auto id = item.find("id");
        if (!id) {
          diags_.error(item.location(), fmt::format("{} has no 'id'", member_word));
          all_resolved = false;
          continue;
        }
        id_node = *id;
        range.reset();
        if (auto s = item.find("share")) {
          if (auto v = ranged(*s, "share", Bounds::fraction, diags_)) {
            share = v->point;
            range = v->range;
          } else {
            all_resolved = false;
          }
        }
      } else if (!item.is_scalar()) {
        diags_.error(item.location(), fmt::format("each {} must be a node id or {{id: X, share: "
                                                  "S}}, got {}",
                                                  member_word, item.describe()));
        all_resolved = false;
        continue;
      }
      auto m = resolve_id(id_node, member_word);
      if (!m) {
        all_resolved = false;
        continue;
      }
      if (auto it = seen.find(*m); it != seen.end()) {
        const Raw& first = raw[it->second];
        diags_.error(id_node.location(),
                     fmt::format("'{}' is listed twice in this group (first at line {}, column "
                                 "{})",
                                 ids_[*m], first.where.line, first.where.col));
        all_resolved = false;
        continue;
      }
      seen.emplace(*m, raw.size());
      raw.push_back(Raw{*m, share, id_node.location(), item.is_map() ? range : std::nullopt});
    }
    double given = 0;
    std::size_t unshared = 0;
    for (const auto& r : raw) {
      if (r.share)
        given += *r.share;
      else
        ++unshared;
    }
    if (given > kShareTolerance + 1e-12) {
      diags_.error(list.location(), fmt::format("shares in this group sum to {:.4g}; at most 1 "
                                                "(1.02 allowing for rounding)",
                                                given));
      return;
    }
    if (!all_resolved) return;
    double remainder = std::max(0.0, 1.0 - given);
    if (unshared > 0 && remainder <= 0) {
      for (const auto& r : raw)
        if (!r.share)
          diags_.warning(r.where, fmt::format("'{}' has no share and none is left (the others sum "
                                              "to {:.4g}); its weight is 0",
                                              ids_[r.node], given));
    }
    double each = unshared > 0 ? remainder / static_cast<double>(unshared) : 0.0;
    double total = given + (unshared > 0 ? remainder : 0.0);
    if (total <= 0) {
      diags_.error(list.location(),
                   "shares in this group sum to 0; give at least one a share "
                   "above 0");
      return;
    }
    group.shares_given = unshared < raw.size();
    group.members.reserve(raw.size());
    // Weights that already sum to 1 but for rounding (a table `analyze` wrote) are kept as they
    // are: dividing by 0.9999999999999999 would move each by a bit and the report's last digits.
    if (std::abs(total - 1.0) <= 4 * std::numeric_limits<double>::epsilon()) total = 1.0;
    for (const auto& r : raw)
      group.members.push_back(
          Member{.node = r.node, .where = r.where, .weight = r.share.value_or(each) / total});
    if (!self || std::none_of(raw.begin(), raw.end(), [](const Raw& r) { return r.range; })) return;
    WrittenShares written{*self, group_number, {}};
    for (std::size_t k = 0; k < raw.size(); ++k) {
      written.shares.push_back(raw[k].share.value_or(std::numeric_limits<double>::quiet_NaN()));
      if (raw[k].range)
        record(Ranged{RangedWhat::share, *self, group_number, static_cast<std::uint32_t>(k),
                      *raw[k].range, raw[k].where});
    }
    std::lock_guard lock(ranges_mutex_);
    ranged_groups_.push_back(std::move(written));
  }

  void declare_blocs() {
    std::unordered_map<std::string, SourceLocation> first;
    for (const auto& d : bloc_decls_) {
      auto name = string(d.key, "a bloc name", diags_);
      if (!name) continue;
      if (model_.find_jurisdiction(*name) || find_iso_jurisdiction(*name)) {
        diags_.error(
            d.key.location(),
            fmt::format("bloc '{}' has the name of a jurisdiction; pick another name", *name));
        continue;
      }
      auto [it, inserted] = first.emplace(*name, d.key.location());
      if (!inserted) {
        diags_.error(d.key.location(), fmt::format("bloc '{}' is declared twice; first at {}",
                                                   *name, format_location(files_, it->second)));
        continue;
      }
      Bloc bloc{*name, {}, d.key.location()};
      if (expect_list(d.value, fmt::format("bloc '{}'", *name), diags_)) {
        for (std::size_t i = 0; i < d.value.size(); ++i) {
          NodeRef item = d.value.item(i);
          if (auto s = string(item, "a bloc member", diags_)) {
            if (const Bloc* other = model_.find_bloc(*s)) {
              for (auto j : other->members) bloc.members.push_back(j);
              continue;
            }
          }
          if (auto j = resolve_jurisdiction(item, "a bloc member")) bloc.members.push_back(*j);
        }
      }
      std::sort(bloc.members.begin(), bloc.members.end());
      bloc.members.erase(std::unique(bloc.members.begin(), bloc.members.end()), bloc.members.end());
      model_.blocs.push_back(std::move(bloc));
    }
  }

  void mark_targets() {
    for (NodeRef t : target_refs_)
      if (auto n = resolve_id(t, "a target")) model_.nodes[*n].target = true;
  }

  SourceFiles& files_;
  DiagnosticsSink diags_;
  const LoadOptions& options_;
  Model model_;
  std::vector<std::unique_ptr<yaml::Document>> docs_;
  std::vector<std::string> loaded_;
  std::string root_dir_;  // canonical folder of the main file: includes stay inside it
  static constexpr std::size_t kMaxIncludeDepth = 32;
  std::vector<NodeRef> node_decls_;
  std::vector<Decl> jurisdiction_decls_;
  std::vector<Decl> bloc_decls_;
  std::vector<NodeRef> target_refs_;
  std::vector<std::string_view> ids_;  // in the trees' text, which outlives the reading
  // Ids by their text in the YAML trees (which live until the nodes are read).
  std::unordered_map<std::string_view, NodeIndex> id_lookup_;
  std::vector<std::size_t> id_decl_;  // the declaration of each id
  std::vector<std::int64_t> decl_index_;
  bool reading_in_parallel_ = false;
  std::size_t suggestions_ = 0;
  std::mutex ranges_mutex_;
  std::vector<Ranged> ranges_;
  std::vector<WrittenShares> ranged_groups_;
};

}  // namespace

std::optional<Model> load_graph(const std::string& path, SourceFiles& files, Diagnostics& diags,
                                const LoadOptions& options) {
  return Loader(files, diags, options).load(path, std::nullopt);
}

std::optional<Model> load_graph_text(const std::string& path, std::string text, SourceFiles& files,
                                     Diagnostics& diags, const LoadOptions& options) {
  return Loader(files, diags, options).load(path, std::move(text));
}

std::optional<Model> load_graph_document(const std::string& path, yaml::Document document,
                                         SourceFiles& files, Diagnostics& diags,
                                         const LoadOptions& options) {
  return Loader(files, diags, options).load(path, std::nullopt, std::move(document));
}

}  // namespace chokepoint
