#include "graph/yaml_tree.hpp"

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

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

namespace chokepoint::yaml {

// ---- NodeRef ----

Kind NodeRef::kind() const { return doc_->nodes_[index_].kind; }

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
  if (n.kind != Kind::scalar) return {};
  return std::string_view(doc_->arena_).substr(n.a, n.b);
}

bool NodeRef::quoted() const { return doc_->nodes_[index_].quoted; }

std::size_t NodeRef::size() const {
  const auto& n = doc_->nodes_[index_];
  if (n.kind == Kind::sequence) return n.b;
  if (n.kind == Kind::map) return n.b / 2;
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

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(Document& doc, std::uint32_t file, std::size_t text_size, Diagnostics& diags,
              const Limits& limits)
      : doc_(doc), diags_(diags), limits_(limits) {
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

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    std::uint32_t i = add_node(mark, Kind::null);
    register_anchor(anchor, i, false);
    attach(i, mark);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (anchor == 0 || anchor > anchors_.size() || anchors_[anchor - 1].node == kSaturated)
      throw Abort{where(mark), "alias refers to an unknown anchor"};
    const auto& target = anchors_[anchor - 1];
    if (target.open)
      throw Abort{where(mark), fmt::format("alias '*{}' refers to a node that contains it",
                                           anchor_name(anchor))};
    attach(target.node, mark);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    std::uint32_t i = add_node(mark, Kind::scalar);
    auto& n = doc_.nodes_[i];
    n.a = static_cast<std::uint32_t>(doc_.arena_.size());
    n.b = static_cast<std::uint32_t>(value.size());
    n.quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    n.expanded_bytes = static_cast<std::uint32_t>(std::min<std::size_t>(value.size(), 0xFFFFFFFFu));
    doc_.arena_ += value;
    register_anchor(anchor, i, false);
    attach(i, mark);
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

 private:
  struct Open {
    std::uint32_t node;
    std::size_t pending_start;
    YAML::anchor_t anchor;
  };
  struct Anchor {
    std::uint32_t node = kSaturated;
    bool open = false;
  };

  SourceLocation where(const YAML::Mark& mark) const {
    return SourceLocation{doc_.file_, static_cast<std::uint32_t>(mark.line + 1),
                          static_cast<std::uint32_t>(mark.column + 1)};
  }

  std::string anchor_name(YAML::anchor_t anchor) const {
    return anchor - 1 < anchor_names_.size() ? anchor_names_[anchor - 1] : std::to_string(anchor);
  }

  std::uint32_t add_node(const YAML::Mark& mark, Kind kind) {
    Document::Node n;
    n.line = static_cast<std::uint32_t>(mark.line + 1);
    n.col = static_cast<std::uint32_t>(mark.column + 1);
    n.kind = kind;
    doc_.nodes_.push_back(n);
    return static_cast<std::uint32_t>(doc_.nodes_.size() - 1);
  }

  void register_anchor(YAML::anchor_t anchor, std::uint32_t node, bool open) {
    if (anchor == 0) return;
    if (anchors_.size() < anchor) anchors_.resize(anchor);
    anchors_[anchor - 1] = Anchor{node, open};
  }

  // Adds `node` to the open container; `mark` is where it (or the alias to it) was written.
  void attach(std::uint32_t node, const YAML::Mark& mark) {
    if (stack_.empty()) {
      doc_.root_ = node;
      has_root_ = true;
      return;
    }
    pending_.push_back(node);
    auto& parent = doc_.nodes_[stack_.back().node];
    parent.expanded = add_saturating(parent.expanded, doc_.nodes_[node].expanded);
    parent.expanded_bytes = add_saturating(parent.expanded_bytes, doc_.nodes_[node].expanded_bytes);
    if (parent.expanded > limits_.max_expanded_nodes) {
      throw Abort{where(mark),
                  fmt::format("aliases expand to more than {} nodes; is this an alias bomb?",
                              limits_.max_expanded_nodes)};
    }
    if (parent.expanded_bytes > limits_.max_expanded_bytes) {
      throw Abort{where(mark),
                  fmt::format("aliases expand to more than {} MiB of text; is this an alias bomb?",
                              limits_.max_expanded_bytes >> 20)};
    }
  }

  void open(const YAML::Mark& mark, Kind kind, YAML::anchor_t anchor) {
    if (stack_.size() >= limits_.max_depth)
      throw Abort{where(mark), fmt::format("nesting is deeper than {} levels", limits_.max_depth)};
    std::uint32_t i = add_node(mark, kind);
    register_anchor(anchor, i, true);
    stack_.push_back(Open{i, pending_.size(), anchor});
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
    if (n.kind == Kind::map) check_duplicate_keys(top.node);
    if (top.anchor != 0) anchors_[top.anchor - 1].open = false;
    std::uint32_t expanded = n.expanded, expanded_bytes = n.expanded_bytes;
    if (stack_.empty()) {
      doc_.root_ = top.node;
      has_root_ = true;
    } else {
      pending_.push_back(top.node);
      auto& parent = doc_.nodes_[stack_.back().node];
      parent.expanded = add_saturating(parent.expanded, expanded);
      parent.expanded_bytes = add_saturating(parent.expanded_bytes, expanded_bytes);
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
  std::vector<Open> stack_;
  std::vector<std::uint32_t> pending_;
  std::vector<Anchor> anchors_;
  std::vector<std::string> anchor_names_;
  std::unordered_map<std::string_view, std::size_t> seen_;
  bool has_root_ = false;
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
  Document doc;
  std::istringstream in(text);
  TreeBuilder builder(doc, file, text.size(), diags, limits);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    if (!builder.has_root()) {
      diags.error(SourceLocation{file, 1, 1},
                  "file holds no YAML document; expected a map with 'nodes'");
      return std::nullopt;
    }
    // A second document is a mistake (a stray '---'), not something to ignore silently.
    struct Ignore : YAML::EventHandler {
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
    } rest;
    if (parser.HandleNextDocument(rest) && rest.seen) {
      diags.error(SourceLocation{file, static_cast<std::uint32_t>(rest.first.line + 1),
                                 static_cast<std::uint32_t>(rest.first.column + 1)},
                  "a second YAML document; a graph file holds exactly one");
    }
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

}  // namespace chokepoint::yaml
