// The `when` expression language of rule files (SPEC §5): lexer, parser, type checker and
// evaluator, written for this language alone.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chokepoint::rules {

enum class Type : std::uint8_t { null, number, string, boolean, list };

// A runtime value. Strings usually view node data; computed strings are owned.
struct Value {
  Type type = Type::null;
  double number = 0;
  bool boolean = false;
  std::string_view view;
  std::shared_ptr<const std::string> owned;
  std::vector<Value> items;

  static Value null() { return Value{}; }
  static Value num(double v) {
    Value x;
    x.type = Type::number;
    x.number = v;
    return x;
  }
  static Value flag(bool v) {
    Value x;
    x.type = Type::boolean;
    x.boolean = v;
    return x;
  }
  static Value text(std::string_view v) {
    Value x;
    x.type = Type::string;
    x.view = v;
    return x;
  }
  static Value own(std::string v) {
    Value x;
    x.type = Type::string;
    x.owned = std::make_shared<const std::string>(std::move(v));
    x.view = *x.owned;
    return x;
  }
  static Value list(std::vector<Value> v) {
    Value x;
    x.type = Type::list;
    x.items = std::move(v);
    return x;
  }
  std::string_view str() const { return view; }
};

// Renders a value for messages: numbers shortest, lists comma-separated, null as "none".
std::string to_text(const Value& v);

// What the checker knows about a value before evaluation: a set of possible types.
using TypeSet = std::uint8_t;
constexpr TypeSet kNull = 1, kNumber = 2, kString = 4, kBool = 8, kList = 16,
                  kAny = kNull | kNumber | kString | kBool | kList;

// An identifier of the rule language: a node value of the registry (graph/model/node_values.def).
struct Identifier {
  std::string_view name;
  TypeSet types;
};
// Every identifier, in the registry's order (defined with it, in graph/model/node_fields.cpp).
const std::vector<Identifier>& identifiers();

// Supplies identifier values for one node at evaluation time.
class Environment {
 public:
  virtual ~Environment() = default;
  virtual Value field(std::size_t identifier_index) const = 0;  // index into identifiers()
  virtual Value attr(std::string_view name) const = 0;          // null when absent
  virtual bool has_attr(std::string_view name) const = 0;
};

// The identifiers an expression may use where not every one makes sense (a control's `items` is
// decided before any metric exists), and how to say so.
struct IdentifierScope {
  std::vector<std::string_view> names;
  std::string_view where;  // "in a control's items"
  std::string_view hint;   // "node fields: id, name, kind, ..."
};

// A problem in an expression, at a byte offset of its text.
struct ExpressionError {
  std::size_t offset;
  std::string message;
};

class Expression {
 public:
  struct Node;
  Expression();
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  // Parses and type-checks `text`; all errors found are appended to `errors`. `result` is the
  // type the whole expression must be able to have (kBool for `when`).
  static std::optional<Expression> compile(std::string_view text, TypeSet result,
                                           std::vector<ExpressionError>& errors,
                                           const IdentifierScope* scope = nullptr);

  Value evaluate(const Environment& env) const;
  // `when` semantics: true only for the boolean true (null and false are false).
  bool test(const Environment& env) const;

 private:
  std::unique_ptr<Node> root_;
};

// Parses one placeholder name or `attrs.NAME` used in message templates; nullopt if unknown.
std::optional<std::size_t> find_identifier(std::string_view name);

}  // namespace chokepoint::rules
