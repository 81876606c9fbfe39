#include "graph/input/yaml_tree.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <stdexcept>
#include <streambuf>
#include <unordered_map>

#include "graph/support/inputs.hpp"
#include "graph/support/parallel.hpp"

namespace chokepoint::yaml {

// ---- NodeRef ----

Kind NodeRef::kind() const { return doc_->nodes_[index_].kind(); }

std::string_view NodeRef::describe() const {
  switch (kind()) {
    case Kind::null:
      return "null";
    case Kind::scalar:
      return "a scalar";
    case Kind::sequence:
      return "a list";
    case Kind::map:
      return "a map";
  }
  return "?";
}

SourceLocation NodeRef::location() const {
  const auto& n = doc_->nodes_[index_];
  return SourceLocation{doc_->file_, n.line, n.col};
}

std::string_view NodeRef::scalar() const {
  const auto& n = doc_->nodes_[index_];
  if (n.kind() != Kind::scalar) return {};
  return std::string_view(doc_->arena_).substr(n.a, n.b);
}

bool NodeRef::quoted() const { return doc_->nodes_[index_].quoted != 0; }

std::size_t NodeRef::size() const {
  const auto& n = doc_->nodes_[index_];
  if (n.kind() == Kind::sequence) return n.b;
  if (n.kind() == Kind::map) return n.b / 2;
  return 0;
}

NodeRef NodeRef::item(std::size_t i) const {
  return NodeRef(doc_, doc_->children_[doc_->nodes_[index_].a + i]);
}
NodeRef NodeRef::key(std::size_t i) const {
  return NodeRef(doc_, doc_->children_[doc_->nodes_[index_].a + 2 * i]);
}
NodeRef NodeRef::value(std::size_t i) const {
  return NodeRef(doc_, doc_->children_[doc_->nodes_[index_].a + 2 * i + 1]);
}

std::optional<NodeRef> NodeRef::find(std::string_view k) const {
  if (!is_map()) return std::nullopt;
  for (std::size_t i = 0; i < size(); ++i)
    if (key(i).is_scalar() && key(i).scalar() == k) return value(i);
  return std::nullopt;
}

// ---- building ----

namespace {

// Thrown from inside the event handler to stop parsing at a positioned problem.
struct Abort {
  SourceLocation where;
  std::string message;
};

constexpr std::uint32_t kSaturated = 0xFFFFFFFFu;

std::uint32_t add_saturating(std::uint32_t a, std::uint32_t b) {
  std::uint64_t s = std::uint64_t{a} + b;
  return s >= kSaturated ? kSaturated : static_cast<std::uint32_t>(s);
}

}  // namespace

// What a node expands to with aliases expanded: nodes and scalar bytes, saturating.
struct Expanded {
  std::uint32_t nodes = 1;
  std::uint32_t bytes = 0;
};

class TreeBuilder : public YAML::EventHandler {
 public:
  // `line_offset` lines precede the text parsed; `base_depth` containers enclose it.
  TreeBuilder(Document& doc, std::uint32_t file, std::size_t text_size, Diagnostics& diags,
              const Limits& limits, std::uint32_t line_offset = 0, std::uint32_t base_depth = 0)
      : doc_(doc),
        diags_(diags),
        limits_(limits),
        line_offset_(line_offset),
        base_depth_(base_depth) {
    doc_.file_ = file;
    doc_.nodes_.reserve(text_size / 8);
    doc_.children_.reserve(text_size / 8);
    doc_.arena_.reserve(text_size / 2);
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override {
    anchor_names_.push_back(name);
  }
  bool has_anchors() const { return !anchor_names_.empty(); }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    std::uint32_t i = add_node(mark, Kind::null);
    register_anchor(anchor, i, false, Expanded{1, 0});
    attach(i, mark, Expanded{1, 0});
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor == 0 || anchor > anchors_.size() || anchors_[anchor - 1].node == kSaturated)
      throw Abort{where(mark), "alias refers to an unknown anchor"};
    const auto& target = anchors_[anchor - 1];
    if (target.open)
      throw Abort{where(mark), fmt::format("alias '*{}' refers to a node that contains it",
                                           anchor_name(anchor))};
    attach(target.node, mark, target.expanded, true);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    std::uint32_t i = add_node(mark, Kind::scalar);
    auto& n = doc_.nodes_[i];
    n.a = static_cast<std::uint32_t>(doc_.arena_.size());
    n.b = static_cast<std::uint32_t>(value.size());
    n.quoted = tag == "!" || tag == "tag:yaml.org,2002:str" ? 1 : 0;
    Expanded size{1, static_cast<std::uint32_t>(std::min<std::size_t>(value.size(), kSaturated))};
    doc_.arena_ += value;
    last_scalar_ = i;
    register_anchor(anchor, i, false, size);
    attach(i, mark, size);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, Kind::sequence, anchor);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, Kind::map, anchor);
  }
  void OnMapEnd() override { close(); }

  bool has_root() const { return has_root_; }
  // What the root expands to, and each container directly under it when the text is parsed at
  // depth 0: what joining parts needs to check the limits as the whole parse checks them.
  const std::vector<std::pair<std::uint32_t, Expanded>>& top_expanded() const {
    return top_expanded_;
  }
  // Positions after `line` (in text put after the file's) are at the file's end: line `line`,
  // column 1.
  void clamp_after(std::uint32_t line) { last_line_ = line; }

  // The last scalar, when it is quoted and holds `marker`: yaml-cpp ends a quoted scalar that is
  // never closed at the end of the text without a word, so a comment line holding a marker is
  // put at the end, and found inside such a scalar.
  std::optional<NodeRef> unclosed_quote(std::string_view marker) const {
    if (last_scalar_ == kSaturated) return std::nullopt;
    NodeRef last(&doc_, last_scalar_);
    marker = marker.substr(0, marker.find('\n'));  // a quoted scalar folds the line break
    if (!last.quoted() || last.scalar().find(marker) == std::string_view::npos) return std::nullopt;
    return last;
  }

 private:
  struct Open {
    std::uint32_t node;
    std::size_t pending_start;
    YAML::anchor_t anchor;
    Expanded expanded;  // so far: the container and what has joined it
    Expanded aliased;   // the part of it that aliases brought (what the limits bound)
  };
  struct Anchor {
    std::uint32_t node = kSaturated;
    bool open = false;
    Expanded expanded;  // once closed
  };

  SourceLocation where(const YAML::Mark& mark) const {
    auto line = static_cast<std::uint32_t>(mark.line + 1) + line_offset_;
    if (line > last_line_) return SourceLocation{doc_.file_, last_line_, 1};
    return SourceLocation{doc_.file_, line, static_cast<std::uint32_t>(mark.column + 1)};
  }

  std::string anchor_name(YAML::anchor_t anchor) const {
    return anchor - 1 < anchor_names_.size() ? anchor_names_[anchor - 1] : std::to_string(anchor);
  }

  std::uint32_t add_node(const YAML::Mark& mark, Kind kind) {
    Document::Node n;
    SourceLocation at = where(mark);
    n.line = at.line;
    n.col = std::min(at.col, Document::Node::kMaxCol);
    n.kind_bits = static_cast<std::uint32_t>(kind);
    doc_.nodes_.push_back(n);
    return static_cast<std::uint32_t>(doc_.nodes_.size() - 1);
  }

  void register_anchor(YAML::anchor_t anchor, std::uint32_t node, bool open, Expanded size = {}) {
    if (anchor == 0) return;
    if (anchors_.size() < anchor) anchors_.resize(anchor);
    anchors_[anchor - 1] = Anchor{node, open, size};
  }

  static void add(Expanded& to, Expanded size) {
    to.nodes = add_saturating(to.nodes, size.nodes);
    to.bytes = add_saturating(to.bytes, size.bytes);
  }

  // Adds `node`, which expands to `size`, to the open container; `mark` is where it (or the
  // alias to it) was written.
  void attach(std::uint32_t node, const YAML::Mark& mark, Expanded size, bool alias = false) {
    if (stack_.empty()) {
      doc_.root_ = node;
      has_root_ = true;
      return;
    }
    pending_.push_back(node);
    add(stack_.back().expanded, size);
    if (alias) {
      add(stack_.back().aliased, size);
      check_limits(where(mark));
    }
  }

  // What aliases brought into the open container, against the limits. A closed container joins
  // its parent with what aliases brought into it (they were only checked where the alias was
  // written: 5,000 maps of three aliases each to a big scalar passed and expanded to 1.5 GB).
  void check_limits(SourceLocation at) const {
    const Expanded& aliased = stack_.back().aliased;
    if (aliased.nodes > limits_.max_expanded_nodes) {
      throw Abort{at, fmt::format("aliases expand to more than {} nodes; is this an alias bomb?",
                                  limits_.max_expanded_nodes)};
    }
    if (aliased.bytes > limits_.max_expanded_bytes) {
      throw Abort{at,
                  fmt::format("aliases expand to more than {} MiB of text; is this an alias bomb?",
                              limits_.max_expanded_bytes >> 20)};
    }
  }

  void open(const YAML::Mark& mark, Kind kind, YAML::anchor_t anchor) {
    if (stack_.size() + base_depth_ >= limits_.max_depth)
      throw Abort{where(mark), fmt::format("nesting is deeper than {} levels", limits_.max_depth)};
    std::uint32_t i = add_node(mark, kind);
    register_anchor(anchor, i, true);
    stack_.push_back(Open{i, pending_.size(), anchor, Expanded{}, Expanded{0, 0}});
  }

  void close() {
    Open top = stack_.back();
    stack_.pop_back();
    auto& n = doc_.nodes_[top.node];
    n.a = static_cast<std::uint32_t>(doc_.children_.size());
    n.b = static_cast<std::uint32_t>(pending_.size() - top.pending_start);
    doc_.children_.insert(doc_.children_.end(), pending_.begin() + top.pending_start,
                          pending_.end());
    pending_.resize(top.pending_start);
    if (n.kind() == Kind::map) check_duplicate_keys(top.node);
    if (top.anchor != 0) {
      anchors_[top.anchor - 1].open = false;
      anchors_[top.anchor - 1].expanded = top.expanded;
    }
    if (stack_.empty()) {
      doc_.root_ = top.node;
      has_root_ = true;
    } else {
      pending_.push_back(top.node);
      add(stack_.back().expanded, top.expanded);
      if (stack_.size() == 1 && base_depth_ == 0)
        top_expanded_.emplace_back(top.node, top.expanded);
      if (top.aliased.nodes > 0) {
        add(stack_.back().aliased, top.aliased);
        check_limits(SourceLocation{doc_.file_, n.line, n.col});
      }
    }
  }

  void check_duplicate_keys(std::uint32_t map) {
    NodeRef m(&doc_, map);
    std::size_t pairs = m.size();
    seen_.clear();
    for (std::size_t i = 0; i < pairs; ++i) {
      NodeRef k = m.key(i);
      if (!k.is_scalar()) continue;
      auto [it, inserted] = seen_.emplace(k.scalar(), i);
      if (inserted) continue;
      SourceLocation first = m.key(it->second).location();
      diags_.error(k.location(), fmt::format("duplicate key '{}' (first at line {}, column {})",
                                             k.scalar(), first.line, first.col));
    }
  }

  Document& doc_;
  Diagnostics& diags_;
  const Limits& limits_;
  std::uint32_t line_offset_;
  std::uint32_t base_depth_;
  std::uint32_t last_line_ = kSaturated;
  std::vector<Open> stack_;
  std::vector<std::uint32_t> pending_;
  std::vector<Anchor> anchors_;
  std::vector<std::string> anchor_names_;
  std::unordered_map<std::string_view, std::size_t> seen_;
  std::uint32_t last_scalar_ = kSaturated;
  bool has_root_ = false;
  std::vector<std::pair<std::uint32_t, Expanded>> top_expanded_;
};

namespace {

SourceLocation offset_location(std::uint32_t file, std::string_view text, std::size_t offset) {
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return SourceLocation{file, line, col};
}

// yaml-cpp's messages are terse and sometimes misleading; these read better to an analyst.
// `line` is the source line the error points at.
std::string reword(const std::string& msg, std::string_view line) {
  std::string_view indent = line.substr(0, line.find_first_not_of(" \t"));
  if (indent.find('\t') != std::string_view::npos)
    return "a tab in the indentation; YAML allows only spaces there";
  if (msg.find("depth") != std::string::npos) return "nesting is too deep";
  if (msg == "end of map flow not found") return "a '{' map is not closed with '}'";
  if (msg == "end of sequence flow not found") return "a '[' list is not closed with ']'";
  if (msg == "end of sequence not found" || msg == "end of map not found" ||
      msg == "illegal map value" || msg == "illegal block entry")
    return msg + "; check the indentation of this line and the one above";
  return msg;
}

}  // namespace

std::optional<std::size_t> find_invalid_utf8(std::string_view text) {
  std::size_t i = 0, n = text.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid too.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return i;
    i += len;
  }
  return std::nullopt;
}

namespace {

// Serves text held elsewhere to yaml-cpp, piece by piece, without copying it (an
// std::istringstream would copy a whole file).
class PiecesBuf : public std::streambuf {
 public:
  explicit PiecesBuf(std::vector<std::string_view> pieces) : pieces_(std::move(pieces)) {}

 protected:
  int_type underflow() override {
    while (next_ < pieces_.size()) {
      std::string_view piece = pieces_[next_++];
      if (piece.empty()) continue;
      char* begin = const_cast<char*>(piece.data());  // read only: there is no put area
      setg(begin, begin, begin + piece.size());
      return traits_type::to_int_type(*begin);
    }
    return traits_type::eof();
  }

 private:
  std::vector<std::string_view> pieces_;
  std::size_t next_ = 0;
};

// Reads a document without keeping it: enough to learn whether one more follows.
struct SkipDocument : YAML::EventHandler {
  YAML::Mark first = YAML::Mark::null_mark();
  bool seen = false;
  void OnDocumentStart(const YAML::Mark& m) override {
    if (!seen) first = m;
    seen = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Reads the first document of `in` into `builder` (yaml-cpp's exceptions and Abort propagate);
// when it has one, also reads on to learn whether a second document follows, and where.
std::optional<YAML::Mark> read_first_document(std::istream& in, TreeBuilder& builder) {
  YAML::Parser parser(in);
  parser.HandleNextDocument(builder);
  SkipDocument rest;
  if (builder.has_root() && parser.HandleNextDocument(rest) && rest.seen) return rest.first;
  return std::nullopt;
}

// A comment line put after the text parsed; see TreeBuilder::unclosed_quote.
constexpr std::string_view kEndMarker = "# chokepoint: the end of the text parsed 5d1f\n";

// Where a file's top-level 'nodes' list can be cut into parts that parse on their own: at lines
// that start one of its items. Parts 1.. are [starts[i], starts[i + 1] or end); part 0 is the
// text before starts[0], then as many blank lines as the other parts hold, then the text from
// `end` (a line at column 1 after the list, or the end of the file) — so every line keeps its
// number.
struct Plan {
  std::size_t indent = 0;             // the column of the items' '-', from 0
  std::uint32_t nodes_line = 0;       // the line of 'nodes:'
  std::uint32_t first_item_line = 0;  // the line of the list's first '-'
  std::vector<std::size_t> starts;    // byte offsets of parts 1..
  std::vector<std::uint32_t> lines;   // their lines
  std::size_t end = 0;                // byte offset just after the list
  std::uint32_t end_line = 0;         // its line
};

// Plans `parts` parts, or nothing when the file's layout leaves any doubt about where items
// start (no block list under a 'nodes:' at column 1, a line less indented than the items inside
// the list, too few items).
std::optional<Plan> plan_parts(std::string_view text, unsigned parts) {
  struct Line {
    std::size_t begin, spaces;
    char first;  // the first character after the spaces; '\n' for an empty line
    char second;
  };
  auto line_at = [&](std::size_t begin) {
    std::size_t i = begin;
    while (i < text.size() && text[i] == ' ') ++i;
    char first = i < text.size() ? text[i] : '\n';
    char second = i + 1 < text.size() ? text[i + 1] : '\n';
    return Line{begin, i - begin, first, second};
  };
  auto next = [&](std::size_t begin) {
    std::size_t nl = text.find('\n', begin);
    return nl == std::string_view::npos ? text.size() : nl + 1;
  };
  auto blank = [](const Line& l) { return l.first == '\n' || l.first == '\r' || l.first == '#'; };
  auto item = [](const Line& l, std::size_t indent) {
    return l.spaces == indent && l.first == '-' &&
           (l.second == ' ' || l.second == '\n' || l.second == '\r');
  };

  Plan plan;
  std::size_t pos = 0;
  std::uint32_t line = 1;
  // 'nodes:' at column 1, then nothing but a comment.
  for (;; pos = next(pos), ++line) {
    if (pos >= text.size()) return std::nullopt;
    if (text.compare(pos, 6, "nodes:") != 0) continue;
    std::size_t rest = pos + 6;
    while (rest < text.size() && text[rest] == ' ') ++rest;
    if (rest < text.size() && text[rest] != '\n' && text[rest] != '\r' &&
        !(text[rest] == '#' && rest > pos + 6))
      return std::nullopt;
    break;
  }
  plan.nodes_line = line;
  for (pos = next(pos), ++line;; pos = next(pos), ++line) {
    if (pos >= text.size()) return std::nullopt;
    Line l = line_at(pos);
    if (blank(l)) continue;
    if (l.first != '-' || !item(l, l.spaces)) return std::nullopt;
    plan.indent = l.spaces;
    break;
  }
  plan.first_item_line = line;
  std::size_t region = pos;
  std::size_t target = region + (text.size() - region) / parts;
  for (; pos < text.size(); pos = next(pos), ++line) {
    Line l = line_at(pos);
    if (blank(l) || l.spaces > plan.indent) continue;
    if (item(l, plan.indent)) {
      if (pos >= target && pos > region && plan.starts.size() + 1 < parts) {
        plan.starts.push_back(pos);
        plan.lines.push_back(line);
        target = region + (text.size() - region) / parts * (plan.starts.size() + 1);
      }
      continue;
    }
    if (l.spaces > 0) return std::nullopt;
    break;
  }
  plan.end = pos;
  plan.end_line = line;
  if (plan.starts.empty()) return std::nullopt;
  return plan;
}

}  // namespace

// Parses a large file's 'nodes' list in parts on several threads and joins the trees. Each part
// is a block list of its own; the join is the tree of the whole file exactly when every part
// parses cleanly, part 0's 'nodes' list and the other parts' lists start where the plan says,
// and no part but the first names an anchor (an alias after the list must mean the same node).
// Anything else — an error, a warning, an alias across parts — returns nothing, and the caller
// parses the file whole, which reports the problem as usual.
struct Parts {
  static std::optional<Document> parse(std::uint32_t file, std::string_view text,
                                       const Limits& limits) {
    unsigned threads = analysis_threads(limits.threads);
    if (threads < 2 || text.size() < limits.parts_min_bytes) return std::nullopt;
    auto plan = plan_parts(text, threads);
    if (!plan) return std::nullopt;
    std::size_t parts = plan->starts.size() + 1;
    std::vector<Document> docs(parts);
    std::vector<char> ok(parts, 0);
    std::vector<std::pair<std::uint32_t, Expanded>> tops;  // of part 0's containers under the root
    std::string blank_lines(plan->end_line - plan->lines[0], '\n');
    parallel_for(parts, threads, [&](unsigned, std::size_t i) {
      std::vector<std::string_view> pieces;
      std::size_t size;
      std::uint32_t line_offset = 0, base_depth = 0;
      bool pieces_marked = false;
      // Each part ends in the marker line (part 0 before its blank lines, in place of one): a
      // quoted string that runs on into the next part swallows it.
      if (i == 0) {
        pieces = {text.substr(0, plan->starts[0]), kEndMarker,
                  std::string_view(blank_lines).substr(1), text.substr(plan->end)};
        size = text.size();  // room for the other parts, joined to this one
      } else {
        std::size_t begin = plan->starts[i - 1];
        std::size_t stop = i < plan->starts.size() ? plan->starts[i] : plan->end;
        pieces = {text.substr(begin, stop - begin)};
        pieces_marked = text[stop - 1] == '\n';
        if (pieces_marked) pieces.push_back(kEndMarker);
        size = stop - begin;
        line_offset = plan->lines[i - 1] - 1;
        base_depth = 1;  // inside the root map and the 'nodes' list, at the items' depth
      }
      Diagnostics diags;
      PiecesBuf buf(std::move(pieces));
      std::istream in(&buf);
      TreeBuilder builder(docs[i], file, size, diags, limits, line_offset, base_depth);
      try {
        if (read_first_document(in, builder) || !builder.has_root() ||
            builder.unclosed_quote(kEndMarker))
          return;
      } catch (...) {
        return;
      }
      if (!diags.all().empty() || (i > 0 && builder.has_anchors())) return;
      // An empty value is placed at the token after it, which for the last value of a part lies
      // past the part (in the text after the list for part 0, after the marker for the others).
      std::uint32_t past =
          i == 0 ? plan->end_line : (i < plan->starts.size() ? plan->lines[i] : plan->end_line);
      bool marked = i == 0 || pieces_marked;
      for (const Document::Node& n : docs[i].nodes_)
        if (marked && n.kind() == Kind::null && (i == 0 ? n.line == past : n.line >= past)) return;
      if (i == 0) tops = builder.top_expanded();
      ok[i] = 1;
    });
    if (std::find(ok.begin(), ok.end(), 0) != ok.end()) return std::nullopt;

    Document& whole = docs[0];
    NodeRef root = whole.root();
    if (!root.is_map()) return std::nullopt;
    std::size_t at = 0;  // the 'nodes' key: the one the plan found, its list where planned
    while (at < root.size() && root.key(at).scalar() != "nodes") ++at;
    if (at == root.size() || root.key(at).location().line != plan->nodes_line) return std::nullopt;
    NodeRef nodes = root.value(at);
    if (!nodes.is_sequence() || nodes.location().line != plan->first_item_line ||
        nodes.location().col != plan->indent + 1)
      return std::nullopt;
    // The text after the list must start where the plan says: with a key of the root map on
    // its first line. A flow collection left open by the list's last item in part 0 would have
    // swallowed that line, which the whole parse reports as an error inside the list.
    if (plan->end < text.size()) {
      std::size_t k = 0;
      while (k < root.size() &&
             !(root.key(k).location().line == plan->end_line && root.key(k).location().col == 1))
        ++k;
      if (k == root.size()) return std::nullopt;
    }
    std::uint32_t list = index_of(nodes);
    std::vector<std::uint32_t> items(
        whole.children_.begin() + whole.nodes_[list].a,
        whole.children_.begin() + whole.nodes_[list].a + whole.nodes_[list].b);
    // The limits bound what aliases bring, and the parts after the first hold no alias (one
    // would have no anchor there): part 0's parse checked every limit the whole one would.
    if (std::find_if(tops.begin(), tops.end(), [&](const auto& t) { return t.first == list; }) ==
        tops.end())
      return std::nullopt;
    for (std::size_t i = 1; i < parts; ++i) {
      Document& part = docs[i];
      const Document::Node& top = part.nodes_[part.root_];
      if (top.kind() != Kind::sequence || top.line != plan->lines[i - 1] ||
          top.col != plan->indent + 1)
        return std::nullopt;
      std::uint64_t node_base = whole.nodes_.size(), child_base = whole.children_.size(),
                    arena_base = whole.arena_.size();
      if (node_base + part.nodes_.size() >= kSaturated ||
          child_base + part.children_.size() + items.size() + top.b >= kSaturated ||
          arena_base + part.arena_.size() >= kSaturated)
        return std::nullopt;
      for (std::uint32_t c = 0; c < top.b; ++c)
        items.push_back(part.children_[top.a + c] + static_cast<std::uint32_t>(node_base));
      // Each of the part's arrays is freed once copied: the join never holds two whole copies.
      for (Document::Node n : part.nodes_) {
        if (n.kind() == Kind::scalar) n.a += static_cast<std::uint32_t>(arena_base);
        if (n.kind() == Kind::sequence || n.kind() == Kind::map)
          n.a += static_cast<std::uint32_t>(child_base);
        whole.nodes_.push_back(n);
      }
      std::vector<Document::Node>().swap(part.nodes_);
      for (std::uint32_t c : part.children_)
        whole.children_.push_back(c + static_cast<std::uint32_t>(node_base));
      std::vector<std::uint32_t>().swap(part.children_);
      whole.arena_ += part.arena_;
      part = Document{};
    }
    whole.nodes_[list].a = static_cast<std::uint32_t>(whole.children_.size());
    whole.nodes_[list].b = static_cast<std::uint32_t>(items.size());
    whole.children_.insert(whole.children_.end(), items.begin(), items.end());
    whole.parts_ = static_cast<std::uint32_t>(parts);
    return std::move(whole);
  }

  static std::uint32_t index_of(NodeRef node) { return node.index_; }
};

std::optional<Document> parse(std::uint32_t file, const SourceFiles& files, Diagnostics& diags,
                              const Limits& limits) {
  const std::string& text = files.text(file);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    diags.error(SourceLocation{file, 1, 1}, "file is empty; expected a map with 'nodes'");
    return std::nullopt;
  }
  if (text.size() >= 2 &&
      ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'))) {
    diags.error(SourceLocation{file, 1, 1}, "file is UTF-16; save it as UTF-8");
    return std::nullopt;
  }
  if (auto bad = find_invalid_utf8(text)) {
    diags.error(offset_location(file, text, *bad),
                fmt::format("invalid UTF-8 (byte 0x{:02X}); save the file as UTF-8",
                            static_cast<unsigned char>(text[*bad])));
    return std::nullopt;
  }
  if (auto doc = Parts::parse(file, text, limits)) return doc;
  Document doc;
  bool marked = text.back() == '\n';  // a marker line after a last line without '\n' would
                                      // change a block scalar that ends the file
  PiecesBuf buf(marked ? std::vector<std::string_view>{text, kEndMarker}
                       : std::vector<std::string_view>{text});
  std::istream in(&buf);
  TreeBuilder builder(doc, file, text.size(), diags, limits);
  std::uint32_t end_line = 0;  // the line after the last '\n'
  if (marked) {
    end_line = static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n') + 1);
    builder.clamp_after(end_line);
  }
  try {
    auto second = read_first_document(in, builder);
    if (!builder.has_root()) {
      diags.error(SourceLocation{file, 1, 1},
                  "file holds no YAML document; expected a map with 'nodes'");
      return std::nullopt;
    }
    if (auto quote = builder.unclosed_quote(kEndMarker)) {
      diags.error(quote->location(),
                  "a quoted string starts here and is never closed: add the closing quote");
      return std::nullopt;
    }
    // A second document is a mistake (a stray '---'), not something to ignore silently.
    if (second)
      diags.error(SourceLocation{file, static_cast<std::uint32_t>(second->line + 1),
                                 static_cast<std::uint32_t>(second->column + 1)},
                  "a second YAML document; a graph file holds exactly one");
  } catch (const Abort& a) {
    diags.error(a.where, a.message);
    return std::nullopt;
  } catch (const YAML::DeepRecursion& e) {
    diags.error(SourceLocation{file, static_cast<std::uint32_t>(e.mark.line + 1),
                               static_cast<std::uint32_t>(e.mark.column + 1)},
                "nesting is too deep for the YAML parser");
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    SourceLocation where{file, 1, 1};
    if (!e.mark.is_null())
      where = SourceLocation{file, static_cast<std::uint32_t>(e.mark.line + 1),
                             static_cast<std::uint32_t>(e.mark.column + 1)};
    // A problem found in the marker line is at the end of the file.
    if (marked && where.line >= end_line) where = SourceLocation{file, end_line, 1};
    diags.error(where, "YAML syntax: " + reword(e.msg, files.line_text(file, where.line)));
    return std::nullopt;
  }
  return doc;
}

std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes,
                                     Diagnostics& diags, int wait_ms) {
  bool is_stdin = path == "-";
  int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    diags.file_error(path, error == ENOENT
                               ? "cannot open file: no such file"
                               : fmt::format("cannot open file: {}", std::strerror(error)));
    return std::nullopt;
  }
  struct Closer {
    int fd;
    bool own;
    ~Closer() {
      if (own) ::close(fd);
    }
  } closer{fd, !is_stdin};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    diags.file_error(path, fmt::format("cannot read file: {}", std::strerror(errno)));
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    diags.file_error(path, "is a directory; expected a YAML file");
    return std::nullopt;
  }
  if (S_ISREG(st.st_mode)) inputs::note(st.st_dev, st.st_ino);  // never to be overwritten
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    diags.file_error(path, fmt::format("file is {} bytes; the limit is {} bytes ({} MiB)",
                                       st.st_size, max_bytes, max_bytes >> 20));
    return std::nullopt;
  }
  // A pipe or FIFO may have no writer yet: wait a bounded time for one rather than for ever.
  if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISSOCK(st.st_mode)) {
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, wait_ms);
    if (ready == 0) {
      diags.file_error(path, fmt::format("nothing to read after {} s (a FIFO without a writer?)",
                                         wait_ms / 1000));
      return std::nullopt;
    }
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string text;
  if (S_ISREG(st.st_mode)) text.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      diags.file_error(path, fmt::format("cannot read file: {}", std::strerror(errno)));
      return std::nullopt;
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_bytes) {
      diags.file_error(path, fmt::format("input is above the limit of {} bytes ({} MiB)", max_bytes,
                                         max_bytes >> 20));
      return std::nullopt;
    }
  }
  return text;
}

std::optional<Document> read_file(const std::string& path, SourceFiles& files, Diagnostics& diags,
                                  const Limits& limits) {
  auto text = read_text(path, limits.max_bytes, diags);
  if (!text) return std::nullopt;
  std::uint32_t file = files.add(path == "-" ? "<stdin>" : path, std::move(*text));
  return parse(file, files, diags, limits);
}

SourceLocation inside(NodeRef scalar, std::size_t offset) {
  SourceLocation at = scalar.location();
  std::string_view text = scalar.scalar();
  std::uint32_t line = at.line, col = at.col + (scalar.quoted() ? 1 : 0);
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = at.col;
    } else {
      ++col;
    }
  }
  return SourceLocation{at.file, line, col};
}

// ---- documents built from events ----

struct DocumentBuilder::Impl {
  Impl(std::uint32_t file, Diagnostics& diags, std::size_t size_hint)
      : builder(doc, file, size_hint, diags, limits) {}
  static YAML::Mark mark(std::uint32_t line) {
    YAML::Mark m;
    m.line = static_cast<int>(line) - 1;
    m.column = 0;
    return m;
  }
  // Begun containers not yet ended: an emitter that ends more than it began, or finishes with
  // some open, is a bug that would leave the loader checking another tree than the text.
  std::size_t open = 0;
  Limits limits{.max_bytes = std::size_t{1} << 40,
                .max_depth = 64,
                .max_expanded_nodes = std::numeric_limits<std::uint32_t>::max() - 1,
                .max_expanded_bytes = std::numeric_limits<std::uint32_t>::max() - 1};
  Document doc;
  TreeBuilder builder;
};

DocumentBuilder::DocumentBuilder(std::uint32_t file, Diagnostics& diags, std::size_t size_hint)
    : impl_(std::make_unique<Impl>(file, diags, size_hint)) {}

DocumentBuilder::~DocumentBuilder() = default;

void DocumentBuilder::scalar(std::string_view text, bool quoted, std::uint32_t line) {
  impl_->builder.OnScalar(Impl::mark(line), quoted ? "!" : "?", 0, std::string(text));
}

void DocumentBuilder::begin_map(std::uint32_t line) {
  ++impl_->open;
  impl_->builder.OnMapStart(Impl::mark(line), "?", 0, YAML::EmitterStyle::Block);
}

void DocumentBuilder::end_map() {
  if (impl_->open == 0) throw std::logic_error("DocumentBuilder: end_map without begin");
  --impl_->open;
  impl_->builder.OnMapEnd();
}

void DocumentBuilder::begin_sequence(std::uint32_t line) {
  ++impl_->open;
  impl_->builder.OnSequenceStart(Impl::mark(line), "?", 0, YAML::EmitterStyle::Block);
}

void DocumentBuilder::end_sequence() {
  if (impl_->open == 0) throw std::logic_error("DocumentBuilder: end_sequence without begin");
  --impl_->open;
  impl_->builder.OnSequenceEnd();
}

Document DocumentBuilder::finish() {
  if (impl_->open != 0 || !impl_->builder.has_root())
    throw std::logic_error("DocumentBuilder: finished with containers open");
  return std::move(impl_->doc);
}

}  // namespace chokepoint::yaml
