// A compact, read-only YAML tree built from yaml-cpp's event parser, with positions.
//
// yaml-cpp's node API costs about 1 GB for a 17 MB file and silently accepts duplicate keys; this
// tree keeps every scalar in one arena, shares aliased subtrees instead of copying them, and
// rejects duplicate keys, self-referencing aliases, alias bombs and runaway nesting.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "graph/support/diagnostics.hpp"

namespace chokepoint::yaml {

enum class Kind : std::uint8_t { null, scalar, sequence, map };

struct Limits {
  std::size_t max_bytes = std::size_t{256} << 20;  // 256 MiB
  std::uint32_t max_depth = 64;
  std::uint32_t max_expanded_nodes = 20'000'000;  // nodes after expanding aliases
  std::uint32_t max_expanded_bytes = 256u << 20;  // scalar text after expanding aliases
  // A file of at least this size has its 'nodes' list parsed in parts on `threads` threads (0:
  // the analyses' count), each part on its own; any doubt and it is parsed whole instead.
  std::size_t parts_min_bytes = std::size_t{1} << 20;  // 1 MiB
  unsigned threads = 0;
};

class Document;

// A handle to one node of a Document; cheap to copy.
class NodeRef {
 public:
  NodeRef(const Document* doc, std::uint32_t index) : doc_(doc), index_(index) {}

  Kind kind() const;
  bool is_null() const { return kind() == Kind::null; }
  bool is_scalar() const { return kind() == Kind::scalar; }
  bool is_sequence() const { return kind() == Kind::sequence; }
  bool is_map() const { return kind() == Kind::map; }
  // "a map", "a list", "a string", "null": for "expected X, got Y" messages.
  std::string_view describe() const;

  SourceLocation location() const;
  std::string_view scalar() const;  // text of a scalar, empty otherwise
  bool quoted() const;              // scalar written in quotes or with an explicit !!str tag

  std::size_t size() const;  // items of a sequence, pairs of a map
  NodeRef item(std::size_t i) const;
  NodeRef key(std::size_t i) const;
  NodeRef value(std::size_t i) const;
  // The value under a scalar key, if present.
  std::optional<NodeRef> find(std::string_view key) const;

 private:
  friend struct Parts;
  const Document* doc_;
  std::uint32_t index_;
};

class Document {
 public:
  NodeRef root() const { return NodeRef(this, root_); }
  std::uint32_t file() const { return file_; }
  // How many parts the file was parsed in (1: whole); see Limits::parts_min_bytes.
  std::uint32_t parts() const { return parts_; }

 private:
  friend class NodeRef;
  friend class TreeBuilder;
  friend struct Parts;
  // 16 bytes: a million-node graph is some 20 million of them. (What aliases expand to is
  // counted only while the tree is built; a column fits in 29 bits, since a file is at most
  // 256 MiB, and is clamped below 2^29 otherwise.)
  struct Node {
    static constexpr std::uint32_t kMaxCol = (1u << 29) - 1;
    std::uint32_t line = 0;
    std::uint32_t col : 29 = 0;
    std::uint32_t kind_bits : 2 = 0;
    std::uint32_t quoted : 1 = 0;
    std::uint32_t a = 0;  // scalar: arena offset; container: first child in children_
    std::uint32_t b = 0;  // scalar: length; container: number of child slots
    Kind kind() const { return static_cast<Kind>(kind_bits); }
  };
  static_assert(sizeof(Node) == 16);
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> children_;
  std::string arena_;
  std::uint32_t root_ = 0;
  std::uint32_t file_ = 0;
  std::uint32_t parts_ = 1;
};

// Parses `text` (already registered as `file` in SourceFiles). Reports problems to `diags` and
// returns nullopt when the file cannot be used at all.
std::optional<Document> parse(std::uint32_t file, const SourceFiles& files, Diagnostics& diags,
                              const Limits& limits = {});

// Reads a whole file, pipe, FIFO or device ("-" is standard input) up to `max_bytes`; waits at
// most `wait_ms` for a pipe without a writer. Problems go to `diags`.
std::optional<std::string> read_text(const std::string& path, std::size_t max_bytes,
                                     Diagnostics& diags, int wait_ms = 10'000);

// Reads `path` ("-" for standard input) with read_text, registers it and parses.
std::optional<Document> read_file(const std::string& path, SourceFiles& files, Diagnostics& diags,
                                  const Limits& limits = {});

// Builds a Document from the events a parser would give, for a reader whose input is not YAML
// text (the import's tables), so that the loader checks it like any file without the text being
// parsed again. Every node is put at line `line`, column 1, of `file`: the reader keeps what
// each line stands for. Duplicate keys are reported to `diags` as the parser's are.
class DocumentBuilder {
 public:
  DocumentBuilder(std::uint32_t file, Diagnostics& diags, std::size_t size_hint = 0);
  ~DocumentBuilder();
  DocumentBuilder(const DocumentBuilder&) = delete;
  DocumentBuilder& operator=(const DocumentBuilder&) = delete;

  void scalar(std::string_view text, bool quoted, std::uint32_t line);
  void begin_map(std::uint32_t line);
  void end_map();
  void begin_sequence(std::uint32_t line);
  void end_sequence();
  // The document, once every container begun has ended.
  Document finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The position of byte `offset` of a scalar's text (a quoted scalar starts after its quote; a
// line break moves to the next line at the scalar's column).
SourceLocation inside(NodeRef scalar, std::size_t offset);

// Checks UTF-8; returns the byte offset of the first invalid sequence, if any.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

}  // namespace chokepoint::yaml
