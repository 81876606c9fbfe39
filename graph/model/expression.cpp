#include "graph/model/expression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "graph/support/diagnostics.hpp"

namespace chokepoint::rules {

std::string to_text(const Value& v) {
  switch (v.type) {
    case Type::null:
      return "none";
    case Type::boolean:
      return v.boolean ? "true" : "false";
    case Type::string:
      return std::string(v.str());
    case Type::number: {
      double r = std::round(v.number * 1e9) / 1e9;
      if (r == std::floor(r) && std::abs(r) < 1e15)
        return fmt::format("{}", static_cast<long long>(r));
      return fmt::format("{}", r);
    }
    case Type::list: {
      std::string out;
      for (const auto& item : v.items) out += (out.empty() ? "" : ", ") + to_text(item);
      return out;
    }
  }
  return "";
}

namespace {

enum class Tok { number, string, ident, lparen, rparen, lbracket, rbracket, comma, op, end };

struct Token {
  Tok kind;
  std::string text;  // identifier, operator or keyword; decoded string literal
  double number = 0;
  std::size_t offset = 0;
};

struct Failure {
  std::size_t offset;
  std::string message;
};

std::vector<Token> lex(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    std::size_t start = i;
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
      if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
          i = j;
          while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        }
      }
      std::string text(s.substr(start, i - start));
      char* end = nullptr;
      double v = std::strtod(text.c_str(), &end);
      if (*end != '\0') throw Failure{start, fmt::format("malformed number '{}'", text)};
      out.push_back(Token{Tok::number, text, v, start});
      continue;
    }
    if (c == '"' || c == '\'') {
      std::string text;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          char e = s[i + 1];
          text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
          i += 2;
          continue;
        }
        if (s[i] == c) {
          closed = true;
          ++i;
          break;
        }
        text += s[i++];
      }
      if (!closed) throw Failure{start, "unterminated string; add the closing quote"};
      out.push_back(Token{Tok::string, text, 0, start});
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
      // attrs.NAME is one token; attribute names may also hold '-'.
      if (s.substr(start, i - start) == "attrs" && i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() &&
               (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '-'))
          ++i;
      }
      out.push_back(Token{Tok::ident, std::string(s.substr(start, i - start)), 0, start});
      continue;
    }
    auto two = s.substr(i, 2);
    if (two == "==" || two == "!=" || two == "<=" || two == ">=") {
      out.push_back(Token{Tok::op, std::string(two), 0, start});
      i += 2;
      continue;
    }
    if (two == "&&") throw Failure{start, "unknown operator '&&'; write 'and'"};
    if (two == "||") throw Failure{start, "unknown operator '||'; write 'or'"};
    switch (c) {
      case '(':
        out.push_back(Token{Tok::lparen, "(", 0, start});
        break;
      case ')':
        out.push_back(Token{Tok::rparen, ")", 0, start});
        break;
      case '[':
        out.push_back(Token{Tok::lbracket, "[", 0, start});
        break;
      case ']':
        out.push_back(Token{Tok::rbracket, "]", 0, start});
        break;
      case ',':
        out.push_back(Token{Tok::comma, ",", 0, start});
        break;
      case '<':
      case '>':
      case '+':
      case '-':
      case '*':
      case '/':
        out.push_back(Token{Tok::op, std::string(1, c), 0, start});
        break;
      case '=':
        throw Failure{start, "unknown operator '='; write '==' to compare"};
      case '!':
        throw Failure{start, "unknown operator '!'; write 'not'"};
      default:
        throw Failure{start, fmt::format("unexpected character '{}'", c)};
    }
    ++i;
  }
  out.push_back(Token{Tok::end, "", 0, s.size()});
  return out;
}

enum class Op { or_, and_, not_, eq, ne, lt, le, gt, ge, in, not_in, add, sub, mul, div, neg };
enum class Fn { len, contains, startswith, lower, min, max, has };

const std::vector<std::string_view> kFunctions = {"len", "contains", "startswith", "lower",
                                                  "min", "max",      "has"};

std::string describe(TypeSet t) {
  std::vector<std::string> parts;
  if (t & kNumber) parts.push_back("a number");
  if (t & kString) parts.push_back("text");
  if (t & kBool) parts.push_back("true/false");
  if (t & kList) parts.push_back("a list");
  if (t == kNull) parts.push_back("null");
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ") + parts[i];
  return out;
}

}  // namespace

struct Expression::Node {
  enum class Kind { literal, identifier, attr, unary, binary, call, list } kind;
  std::size_t offset = 0;
  Value literal;
  std::size_t ident = 0;
  std::string name;  // attribute or function name, or the source text of an identifier
  Op op = Op::or_;
  Fn fn = Fn::len;
  std::vector<std::unique_ptr<Node>> args;
  TypeSet types = kAny;
  bool null_literal = false;
};

using NodePtr = std::unique_ptr<Expression::Node>;

namespace {

class Parser {
 public:
  Parser(std::vector<Token> tokens, const IdentifierScope* scope)
      : t_(std::move(tokens)), scope_(scope) {}

  NodePtr parse() {
    NodePtr e = parse_or();
    if (peek().kind != Tok::end)
      throw Failure{peek().offset,
                    fmt::format("unexpected '{}' after the expression", show(peek()))};
    return e;
  }

 private:
  const Token& peek() const { return t_[pos_]; }
  const Token& next() { return t_[pos_++]; }
  bool is_word(std::string_view w) const { return peek().kind == Tok::ident && peek().text == w; }
  bool is_op(std::string_view o) const { return peek().kind == Tok::op && peek().text == o; }

  static std::string show(const Token& t) {
    if (t.kind == Tok::end) return "end of expression";
    if (t.kind == Tok::string) return "\"" + t.text + "\"";
    return t.text;
  }

  NodePtr make(Expression::Node::Kind kind, std::size_t offset) {
    auto n = std::make_unique<Expression::Node>();
    n->kind = kind;
    n->offset = offset;
    return n;
  }

  NodePtr binary(Op op, std::size_t offset, NodePtr a, NodePtr b) {
    auto n = make(Expression::Node::Kind::binary, offset);
    n->op = op;
    n->args.push_back(std::move(a));
    n->args.push_back(std::move(b));
    return n;
  }

  // Every nested construct passes through parse_or or parse_unary; bounding their depth bounds
  // the recursion (a fuzzer found that 10,000 '(' overflowed the stack).
  struct DepthGuard {
    Parser& p;
    DepthGuard(Parser& parser, std::size_t offset) : p(parser) {
      if (++p.depth_ > kMaxDepth)
        throw Failure{offset, "expression nests too deeply (about 100 levels); simplify it"};
    }
    ~DepthGuard() { --p.depth_; }
  };
  static constexpr std::size_t kMaxDepth = 300;  // three parser levels per parenthesis

  NodePtr parse_or() {
    DepthGuard guard(*this, peek().offset);
    NodePtr left = parse_and();
    while (is_word("or")) {
      std::size_t at = next().offset;
      left = binary(Op::or_, at, std::move(left), parse_and());
    }
    return left;
  }

  NodePtr parse_and() {
    NodePtr left = parse_not();
    while (is_word("and")) {
      std::size_t at = next().offset;
      left = binary(Op::and_, at, std::move(left), parse_not());
    }
    return left;
  }

  NodePtr parse_not() {
    DepthGuard guard(*this, peek().offset);
    if (is_word("not")) {
      std::size_t at = next().offset;
      auto n = make(Expression::Node::Kind::unary, at);
      n->op = Op::not_;
      n->args.push_back(parse_not());
      return n;
    }
    return parse_comparison();
  }

  NodePtr parse_comparison() {
    NodePtr left = parse_additive();
    static const std::pair<std::string_view, Op> kOps[] = {{"==", Op::eq}, {"!=", Op::ne},
                                                           {"<", Op::lt},  {"<=", Op::le},
                                                           {">", Op::gt},  {">=", Op::ge}};
    for (const auto& [text, op] : kOps)
      if (is_op(text)) {
        std::size_t at = next().offset;
        return binary(op, at, std::move(left), parse_additive());
      }
    if (is_word("in")) {
      std::size_t at = next().offset;
      return binary(Op::in, at, std::move(left), parse_additive());
    }
    if (is_word("not") && pos_ + 1 < t_.size() && t_[pos_ + 1].kind == Tok::ident &&
        t_[pos_ + 1].text == "in") {
      std::size_t at = next().offset;
      next();
      return binary(Op::not_in, at, std::move(left), parse_additive());
    }
    return left;
  }

  NodePtr parse_additive() {
    NodePtr left = parse_multiplicative();
    while (is_op("+") || is_op("-")) {
      const Token& t = next();
      left = binary(t.text == "+" ? Op::add : Op::sub, t.offset, std::move(left),
                    parse_multiplicative());
    }
    return left;
  }

  NodePtr parse_multiplicative() {
    NodePtr left = parse_unary();
    while (is_op("*") || is_op("/")) {
      const Token& t = next();
      left = binary(t.text == "*" ? Op::mul : Op::div, t.offset, std::move(left), parse_unary());
    }
    return left;
  }

  NodePtr parse_unary() {
    DepthGuard guard(*this, peek().offset);
    if (is_op("-")) {
      std::size_t at = next().offset;
      auto n = make(Expression::Node::Kind::unary, at);
      n->op = Op::neg;
      n->args.push_back(parse_unary());
      return n;
    }
    return parse_primary();
  }

  NodePtr parse_primary() {
    const Token& t = peek();
    switch (t.kind) {
      case Tok::number: {
        next();
        auto n = make(Expression::Node::Kind::literal, t.offset);
        n->literal = Value::num(t.number);
        return n;
      }
      case Tok::string: {
        next();
        auto n = make(Expression::Node::Kind::literal, t.offset);
        n->literal = Value::own(t.text);
        return n;
      }
      case Tok::lparen: {
        next();
        NodePtr e = parse_or();
        expect(Tok::rparen, "')'");
        return e;
      }
      case Tok::lbracket: {
        next();
        auto n = make(Expression::Node::Kind::list, t.offset);
        if (peek().kind != Tok::rbracket) {
          n->args.push_back(parse_or());
          while (peek().kind == Tok::comma) {
            next();
            n->args.push_back(parse_or());
          }
        }
        expect(Tok::rbracket, "']' or ','");
        return n;
      }
      case Tok::ident:
        return parse_name();
      default:
        throw Failure{t.offset, fmt::format("expected a value, got {}", show(t))};
    }
  }

  NodePtr parse_name() {
    const Token& t = next();
    if (t.text == "true" || t.text == "false") {
      auto n = make(Expression::Node::Kind::literal, t.offset);
      n->literal = Value::flag(t.text == "true");
      return n;
    }
    if (t.text == "null") {
      auto n = make(Expression::Node::Kind::literal, t.offset);
      n->null_literal = true;
      return n;
    }
    if (t.text == "and" || t.text == "or" || t.text == "in" || t.text == "not")
      throw Failure{t.offset, fmt::format("expected a value, got '{}'", t.text)};
    if (peek().kind == Tok::lparen) {
      auto it = std::find(kFunctions.begin(), kFunctions.end(), t.text);
      if (it == kFunctions.end())
        throw Failure{t.offset, fmt::format("unknown function '{}'{}", t.text,
                                            did_you_mean(t.text, kFunctions))};
      next();
      auto n = make(Expression::Node::Kind::call, t.offset);
      n->fn = static_cast<Fn>(it - kFunctions.begin());
      n->name = t.text;
      if (peek().kind != Tok::rparen) {
        n->args.push_back(parse_or());
        while (peek().kind == Tok::comma) {
          next();
          n->args.push_back(parse_or());
        }
      }
      expect(Tok::rparen, "')' or ','");
      return n;
    }
    if (t.text.rfind("attrs.", 0) == 0) {
      if (t.text.size() == 6) throw Failure{t.offset, "expected an attribute name after 'attrs.'"};
      auto n = make(Expression::Node::Kind::attr, t.offset);
      n->name = t.text.substr(6);
      return n;
    }
    auto index = find_identifier(t.text);
    if (!index) {
      std::vector<std::string_view> names;
      for (const auto& id : identifiers()) names.push_back(id.name);
      std::string hint = did_you_mean(t.text, names);
      if (hint.empty() && t.text == "attrs") hint = "; write attrs.NAME";
      throw Failure{t.offset, fmt::format("unknown identifier '{}'{}", t.text, hint)};
    }
    if (scope_ &&
        std::find(scope_->names.begin(), scope_->names.end(), t.text) == scope_->names.end())
      throw Failure{t.offset, fmt::format("'{}' cannot be used {}; use {}", t.text, scope_->where,
                                          scope_->hint)};
    auto n = make(Expression::Node::Kind::identifier, t.offset);
    n->ident = *index;
    n->name = t.text;
    return n;
  }

  void expect(Tok kind, std::string_view what) {
    if (peek().kind != kind)
      throw Failure{peek().offset, fmt::format("expected {}, got {}", what, show(peek()))};
    next();
  }

  std::vector<Token> t_;
  const IdentifierScope* scope_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
};

// Computes every node's possible types and reports operand types that cannot work.
class Checker {
 public:
  explicit Checker(std::vector<ExpressionError>& errors) : errors_(errors) {}

  TypeSet check(Expression::Node& n) {
    using K = Expression::Node::Kind;
    switch (n.kind) {
      case K::literal:
        n.types = n.null_literal                   ? kNull
                  : n.literal.type == Type::number ? kNumber
                  : n.literal.type == Type::string ? kString
                                                   : kBool;
        break;
      case K::identifier:
        n.types = identifiers()[n.ident].types;
        break;
      case K::attr:
        n.types = kNull | kNumber | kString | kBool;
        break;
      case K::list:
        for (auto& a : n.args) check(*a);
        n.types = kList;
        break;
      case K::unary: {
        TypeSet a = check(*n.args[0]);
        if (n.op == Op::not_) {
          need(*n.args[0], a, kBool | kNull, "'not' needs true/false");
          n.types = kBool;
        } else {
          need(*n.args[0], a, kNumber | kNull, "'-' needs a number");
          n.types = kNumber | kNull;
        }
        break;
      }
      case K::binary:
        n.types = check_binary(n);
        break;
      case K::call:
        n.types = check_call(n);
        break;
    }
    return n.types;
  }

 private:
  void error(std::size_t offset, std::string message) {
    errors_.push_back(ExpressionError{offset, std::move(message)});
  }

  void need(const Expression::Node& at, TypeSet got, TypeSet allowed, std::string_view what) {
    if (got & allowed & ~kNull) return;
    if (got == kNull && (allowed & kNull)) return;
    error(at.offset, fmt::format("{}, got {}", what, describe(got)));
  }

  TypeSet check_binary(Expression::Node& n) {
    TypeSet a = check(*n.args[0]);
    TypeSet b = check(*n.args[1]);
    switch (n.op) {
      case Op::and_:
      case Op::or_: {
        const char* word = n.op == Op::and_ ? "'and' needs true/false" : "'or' needs true/false";
        need(*n.args[0], a, kBool | kNull, word);
        need(*n.args[1], b, kBool | kNull, word);
        return kBool;
      }
      case Op::eq:
      case Op::ne:
        if (!((a & b & ~kNull) || a == kNull || b == kNull))
          error(n.offset, fmt::format("cannot compare {} with {}", describe(a), describe(b)));
        return kBool;
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge:
        need(*n.args[0], a, kNumber | kNull, "comparison needs numbers");
        need(*n.args[1], b, kNumber | kNull, "comparison needs numbers");
        return kBool;
      case Op::in:
      case Op::not_in:
        need(*n.args[1], b, kList | kString | kNull, "'in' needs a list or text on its right");
        return kBool;
      case Op::add:
        if ((a & kString) && (b & kString)) return kString | kNull;
        need(*n.args[0], a, kNumber | kNull, "'+' needs numbers (or text on both sides)");
        need(*n.args[1], b, kNumber | kNull, "'+' needs numbers (or text on both sides)");
        return kNumber | kNull;
      default: {
        const char* word = n.op == Op::sub   ? "'-' needs numbers"
                           : n.op == Op::mul ? "'*' needs numbers"
                                             : "'/' needs numbers";
        need(*n.args[0], a, kNumber | kNull, word);
        need(*n.args[1], b, kNumber | kNull, word);
        return kNumber | kNull;
      }
    }
  }

  bool arity(const Expression::Node& n, std::size_t min, std::size_t max) {
    std::size_t got = n.args.size();
    if (got >= min && got <= max) return true;
    std::string expected = min == max
                               ? fmt::format("{} argument{}", min, min == 1 ? "" : "s")
                               : fmt::format("at least {} argument{}", min, min == 1 ? "" : "s");
    error(n.offset, fmt::format("{}() takes {}, got {}", n.name, expected, got));
    return false;
  }

  TypeSet check_call(Expression::Node& n) {
    std::vector<TypeSet> t;
    for (auto& a : n.args) t.push_back(check(*a));
    switch (n.fn) {
      case Fn::len:
        if (arity(n, 1, 1))
          need(*n.args[0], t[0], kString | kList | kNull, "len() needs text or a list");
        return kNumber | kNull;
      case Fn::contains:
        if (arity(n, 2, 2))
          need(*n.args[0], t[0], kString | kList | kNull, "contains() needs text or a list first");
        return kBool;
      case Fn::startswith:
        if (arity(n, 2, 2)) {
          need(*n.args[0], t[0], kString | kNull, "startswith() needs text");
          need(*n.args[1], t[1], kString | kNull, "startswith() needs text");
        }
        return kBool;
      case Fn::lower:
        if (arity(n, 1, 1)) need(*n.args[0], t[0], kString | kNull, "lower() needs text");
        return kString | kNull;
      case Fn::min:
      case Fn::max:
        if (arity(n, 1, 64)) {
          if (n.args.size() == 1)
            need(*n.args[0], t[0], kList | kNull,
                 fmt::format("{}() of one argument needs a list", n.name));
          else
            for (std::size_t i = 0; i < n.args.size(); ++i)
              need(*n.args[i], t[i], kNumber | kNull, fmt::format("{}() needs numbers", n.name));
        }
        return kNumber | kNull;
      case Fn::has:
        if (arity(n, 1, 1) && n.args[0]->kind != Expression::Node::Kind::attr)
          error(n.args[0]->offset, "has() needs an attribute such as attrs.export_controlled");
        return kBool;
    }
    return kAny;
  }

  std::vector<ExpressionError>& errors_;
};

bool equal(const Value& a, const Value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case Type::null:
      return true;
    case Type::number:
      return a.number == b.number;
    case Type::boolean:
      return a.boolean == b.boolean;
    case Type::string:
      return a.str() == b.str();
    case Type::list:
      if (a.items.size() != b.items.size()) return false;
      for (std::size_t i = 0; i < a.items.size(); ++i)
        if (!equal(a.items[i], b.items[i])) return false;
      return true;
  }
  return false;
}

bool truthy(const Value& v) { return v.type == Type::boolean && v.boolean; }

Value eval(const Expression::Node& n, const Environment& env);

Value eval_binary(const Expression::Node& n, const Environment& env) {
  if (n.op == Op::and_) {
    if (!truthy(eval(*n.args[0], env))) return Value::flag(false);
    return Value::flag(truthy(eval(*n.args[1], env)));
  }
  if (n.op == Op::or_) {
    if (truthy(eval(*n.args[0], env))) return Value::flag(true);
    return Value::flag(truthy(eval(*n.args[1], env)));
  }
  Value a = eval(*n.args[0], env);
  Value b = eval(*n.args[1], env);
  switch (n.op) {
    case Op::eq:
    case Op::ne: {
      // A comparison with null is false, except against the literal null, which tests for it.
      bool literal_null = n.args[0]->null_literal || n.args[1]->null_literal;
      if ((a.type == Type::null || b.type == Type::null) && !literal_null)
        return Value::flag(false);
      bool same = equal(a, b);
      return Value::flag(n.op == Op::eq ? same : !same);
    }
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge: {
      if (a.type != Type::number || b.type != Type::number) return Value::flag(false);
      double x = a.number, y = b.number;
      bool r = n.op == Op::lt ? x < y : n.op == Op::le ? x <= y : n.op == Op::gt ? x > y : x >= y;
      return Value::flag(r);
    }
    case Op::in:
    case Op::not_in: {
      bool found = false;
      if (b.type == Type::null || a.type == Type::null) return Value::flag(false);
      if (b.type == Type::list)
        found = std::any_of(b.items.begin(), b.items.end(),
                            [&](const Value& x) { return equal(a, x); });
      else if (b.type == Type::string && a.type == Type::string)
        found = b.str().find(a.str()) != std::string_view::npos;
      return Value::flag(n.op == Op::in ? found : !found);
    }
    case Op::add:
      if (a.type == Type::string && b.type == Type::string)
        return Value::own(std::string(a.str()) + std::string(b.str()));
      [[fallthrough]];
    default: {
      if (a.type != Type::number || b.type != Type::number) return Value::null();
      double x = a.number, y = b.number;
      if (n.op == Op::add) return Value::num(x + y);
      if (n.op == Op::sub) return Value::num(x - y);
      if (n.op == Op::mul) return Value::num(x * y);
      if (y == 0) return Value::null();  // no infinities: a rule over x/0 simply does not fire
      return Value::num(x / y);
    }
  }
}

Value eval_call(const Expression::Node& n, const Environment& env) {
  if (n.fn == Fn::has) return Value::flag(env.has_attr(n.args[0]->name));
  std::vector<Value> a;
  for (const auto& arg : n.args) a.push_back(eval(*arg, env));
  switch (n.fn) {
    case Fn::len:
      if (a[0].type == Type::string) return Value::num(static_cast<double>(a[0].str().size()));
      if (a[0].type == Type::list) return Value::num(static_cast<double>(a[0].items.size()));
      return Value::null();
    case Fn::contains:
      if (a[0].type == Type::list)
        return Value::flag(std::any_of(a[0].items.begin(), a[0].items.end(),
                                       [&](const Value& x) { return equal(x, a[1]); }));
      if (a[0].type == Type::string && a[1].type == Type::string)
        return Value::flag(a[0].str().find(a[1].str()) != std::string_view::npos);
      return Value::flag(false);
    case Fn::startswith:
      if (a[0].type != Type::string || a[1].type != Type::string) return Value::flag(false);
      return Value::flag(a[0].str().substr(0, a[1].str().size()) == a[1].str());
    case Fn::lower: {
      if (a[0].type != Type::string) return Value::null();
      std::string s(a[0].str());
      for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return Value::own(std::move(s));
    }
    case Fn::min:
    case Fn::max: {
      const std::vector<Value>& items = a.size() == 1 && a[0].type == Type::list ? a[0].items : a;
      std::optional<double> best;
      for (const auto& v : items)
        if (v.type == Type::number)
          best = !best             ? v.number
                 : n.fn == Fn::min ? std::min(*best, v.number)
                                   : std::max(*best, v.number);
      return best ? Value::num(*best) : Value::null();
    }
    case Fn::has:
      break;
  }
  return Value::null();
}

Value eval(const Expression::Node& n, const Environment& env) {
  using K = Expression::Node::Kind;
  switch (n.kind) {
    case K::literal:
      return n.null_literal ? Value::null() : n.literal;
    case K::identifier:
      return env.field(n.ident);
    case K::attr:
      return env.attr(n.name);
    case K::list: {
      std::vector<Value> items;
      for (const auto& a : n.args) items.push_back(eval(*a, env));
      return Value::list(std::move(items));
    }
    case K::unary: {
      Value v = eval(*n.args[0], env);
      if (n.op == Op::not_) return Value::flag(!truthy(v));
      return v.type == Type::number ? Value::num(-v.number) : Value::null();
    }
    case K::binary:
      return eval_binary(n, env);
    case K::call:
      return eval_call(n, env);
  }
  return Value::null();
}

}  // namespace

Expression::Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

std::optional<Expression> Expression::compile(std::string_view text, TypeSet result,
                                              std::vector<ExpressionError>& errors,
                                              const IdentifierScope* scope) {
  NodePtr root;
  try {
    root = Parser(lex(text), scope).parse();
  } catch (const Failure& f) {
    errors.push_back(ExpressionError{f.offset, f.message});
    return std::nullopt;
  }
  std::size_t before = errors.size();
  TypeSet t = Checker(errors).check(*root);
  if (errors.size() == before && !(t & result))
    errors.push_back(
        ExpressionError{0, fmt::format("expected {}, got {}", describe(result), describe(t))});
  if (errors.size() > before) return std::nullopt;
  Expression e;
  e.root_ = std::move(root);
  return e;
}

Value Expression::evaluate(const Environment& env) const { return eval(*root_, env); }

bool Expression::test(const Environment& env) const { return truthy(evaluate(env)); }

}  // namespace chokepoint::rules
