// The .po reader and the Plural-Forms evaluator (po.hpp). Byte-oriented,
// exception-free: bad input gives fewer entries, never an error.
#include "salespider/shared/po.hpp"

#include <cstdlib>

namespace salespider::i18n {
namespace {

constexpr char kContextSeparator = '\x04';  // what gettext's .mo files put between context and msgid

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The text between the first and the last double quote of a line, C escapes decoded.
std::string unquote(std::string_view line) {
  const auto open = line.find('"');
  const auto close = line.rfind('"');
  if (open == std::string_view::npos || close <= open) return {};
  const auto s = line.substr(open + 1, close - open - 1);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        int value = 0;
        std::size_t digits = 0;
        while (i + 1 < s.size() && hex_value(s[i + 1]) >= 0 && digits < 2) {
          value = value * 16 + hex_value(s[++i]);
          ++digits;
        }
        out += static_cast<char>(value);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          int value = c - '0';
          for (int k = 0; k < 2 && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '7'; ++k) {
            value = value * 8 + (s[++i] - '0');
          }
          out += static_cast<char>(value);
        } else {
          out += c;  // \" \\ \' \?
        }
    }
  }
  return out;
}

class Reader {
 public:
  std::vector<PoEntry> read(std::string_view text) {
    int number = 0;
    while (!text.empty()) {
      const auto end = text.find('\n');
      const auto raw = text.substr(0, end);
      text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
      line(trim(raw), ++number);
    }
    flush();
    return std::move(out_);
  }

 private:
  void line(std::string_view s, int number) {
    if (s.empty()) return flush();
    if (s.front() == '#') {
      if (has_msgstr_) flush();
      target_ = nullptr;
      if (starts_with(s, "#,") && s.find("fuzzy") != std::string_view::npos) entry_.fuzzy = true;
      return;
    }
    if (s.front() == '"') {
      if (target_) *target_ += unquote(s);
      return;
    }
    if (starts_with(s, "msgctxt")) {
      if (has_msgid_) flush();
      entry_.context = unquote(s);
      target_ = &*entry_.context;
    } else if (starts_with(s, "msgid_plural")) {
      entry_.msgid_plural = unquote(s);
      target_ = &*entry_.msgid_plural;
    } else if (starts_with(s, "msgid")) {
      if (has_msgid_) flush();
      entry_.msgid = unquote(s);
      entry_.line = number;
      has_msgid_ = true;
      target_ = &entry_.msgid;
    } else if (starts_with(s, "msgstr[")) {
      const auto index = std::strtoul(std::string(s.substr(7)).c_str(), nullptr, 10);
      if (index >= 64) {
        target_ = nullptr;
        return;
      }
      if (entry_.msgstr.size() <= index) entry_.msgstr.resize(index + 1);
      entry_.msgstr[index] = unquote(s.substr(s.find(']')));
      has_msgstr_ = true;
      target_ = &entry_.msgstr[index];
    } else if (starts_with(s, "msgstr")) {
      if (entry_.msgstr.empty()) entry_.msgstr.resize(1);
      entry_.msgstr[0] = unquote(s);
      has_msgstr_ = true;
      target_ = &entry_.msgstr[0];
    } else {
      target_ = nullptr;
    }
  }

  void flush() {
    if (has_msgid_ && has_msgstr_) out_.push_back(std::move(entry_));
    // A comment or a context line before any msgid belongs to the next entry.
    if (has_msgid_ || has_msgstr_) entry_ = PoEntry{};
    has_msgid_ = has_msgstr_ = false;
    target_ = nullptr;
  }

  std::vector<PoEntry> out_;
  PoEntry entry_;
  bool has_msgid_ = false;
  bool has_msgstr_ = false;
  std::string* target_ = nullptr;
};

std::string key_of(const char* context, std::string_view msgid) {
  std::string key;
  if (context) {
    key = context;
    key += kContextSeparator;
  }
  key += msgid;
  return key;
}

}  // namespace

std::vector<PoEntry> parse_po(std::string_view text) { return Reader{}.read(text); }

std::string po_header_field(const std::vector<PoEntry>& entries, std::string_view name) {
  for (const auto& e : entries) {
    if (!e.msgid.empty() || e.context || e.msgstr.empty()) continue;
    std::string_view header = e.msgstr[0];
    while (!header.empty()) {
      const auto end = header.find('\n');
      const auto field = trim(header.substr(0, end));
      header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
      const auto colon = field.find(':');
      if (colon != std::string_view::npos && trim(field.substr(0, colon)) == name) {
        return std::string(trim(field.substr(colon + 1)));
      }
    }
  }
  return {};
}

// ---- Plural-Forms ---------------------------------------------------------

struct PluralRule::Node {
  enum class Kind { number, n, unary, binary, conditional } kind = Kind::number;
  std::int64_t value = 0;
  std::string op;  // "!", "-" (unary) or the binary operator
  std::shared_ptr<const Node> a, b, c;

  std::int64_t eval(std::int64_t n) const {
    switch (kind) {
      case Kind::number: return value;
      case Kind::n: return n;
      case Kind::unary: return op == "!" ? !a->eval(n) : -a->eval(n);
      case Kind::conditional: return a->eval(n) ? b->eval(n) : c->eval(n);
      case Kind::binary: break;
    }
    const std::int64_t x = a->eval(n);
    // Short-circuit like C.
    if (op == "&&") return x && b->eval(n);
    if (op == "||") return x || b->eval(n);
    const std::int64_t y = b->eval(n);
    if (op == "==") return x == y;
    if (op == "!=") return x != y;
    if (op == "<") return x < y;
    if (op == ">") return x > y;
    if (op == "<=") return x <= y;
    if (op == ">=") return x >= y;
    if (op == "+") return x + y;
    if (op == "-") return x - y;
    if (op == "*") return x * y;
    if (op == "/") return y == 0 ? 0 : x / y;
    if (op == "%") return y == 0 ? 0 : x % y;
    return 0;
  }
};

namespace {

using NodePtr = std::shared_ptr<const PluralRule::Node>;
using Node = PluralRule::Node;

// Recursive descent over C's precedence levels; nullptr on any syntax error.
class ExprParser {
 public:
  explicit ExprParser(std::string_view s) : s_(s) {}

  NodePtr parse_all() {
    auto e = conditional();
    skip_space();
    return e && pos_ == s_.size() ? e : nullptr;
  }

 private:
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n')) ++pos_;
  }
  bool accept(std::string_view token) {
    skip_space();
    if (s_.substr(pos_, token.size()) != token) return false;
    // "<" must not eat the first character of "<=", nor "!" of "!=", "=" is never alone.
    if (token.size() == 1 && pos_ + 1 < s_.size() && s_[pos_ + 1] == '=' &&
        (token == "<" || token == ">" || token == "!")) {
      return false;
    }
    pos_ += token.size();
    return true;
  }
  static NodePtr binary(std::string op, NodePtr a, NodePtr b) {
    if (!a || !b) return nullptr;
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::binary;
    node->op = std::move(op);
    node->a = std::move(a);
    node->b = std::move(b);
    return node;
  }

  NodePtr conditional() {
    auto test = level(0);
    if (!test || !accept("?")) return test;
    auto yes = conditional();
    if (!accept(":")) return nullptr;
    auto no = conditional();
    if (!yes || !no) return nullptr;
    auto node = std::make_shared<Node>();
    node->kind = Node::Kind::conditional;
    node->a = std::move(test);
    node->b = std::move(yes);
    node->c = std::move(no);
    return node;
  }

  // Binary levels from the loosest: || && (== !=) (< > <= >=) (+ -) (* / %).
  NodePtr level(std::size_t depth) {
    static const std::vector<std::vector<std::string_view>> levels{
        {"||"}, {"&&"}, {"==", "!="}, {"<=", ">=", "<", ">"}, {"+", "-"}, {"*", "/", "%"}};
    if (depth == levels.size()) return unary();
    auto left = level(depth + 1);
    for (;;) {
      bool matched = false;
      for (const auto op : levels[depth]) {
        if (accept(op)) {
          left = binary(std::string(op), left, level(depth + 1));
          matched = true;
          break;
        }
      }
      if (!matched || !left) return left;
    }
  }

  NodePtr unary() {
    for (const std::string_view op : {"!", "-"}) {
      if (accept(op)) {
        auto operand = unary();
        if (!operand) return nullptr;
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::unary;
        node->op = std::string(op);
        node->a = std::move(operand);
        return node;
      }
    }
    return primary();
  }

  NodePtr primary() {
    skip_space();
    if (accept("(")) {
      auto inner = conditional();
      return accept(")") ? inner : nullptr;
    }
    if (pos_ < s_.size() && s_[pos_] == 'n') {
      ++pos_;
      auto node = std::make_shared<Node>();
      node->kind = Node::Kind::n;
      return node;
    }
    if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      std::int64_t value = 0;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9' && value < 1'000'000'000) {
        value = value * 10 + (s_[pos_++] - '0');
      }
      auto node = std::make_shared<Node>();
      node->value = value;
      return node;
    }
    return nullptr;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

PluralRule::PluralRule() = default;

std::optional<PluralRule> PluralRule::parse(std::string_view plural_forms) {
  // "nplurals=2; plural=(n > 1);"
  const auto np = plural_forms.find("nplurals");
  if (np == std::string_view::npos) return std::nullopt;
  auto rest = plural_forms.substr(np + 8);
  const auto eq = rest.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  const int forms = std::atoi(std::string(trim(rest.substr(eq + 1, rest.find(';') - eq - 1))).c_str());
  if (forms < 1 || forms > 16) return std::nullopt;
  const auto semi = rest.find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  rest = rest.substr(semi + 1);
  const auto p = rest.find("plural");
  if (p == std::string_view::npos) return std::nullopt;
  rest = rest.substr(p + 6);
  const auto eq2 = rest.find('=');
  if (eq2 == std::string_view::npos || !trim(rest.substr(0, eq2)).empty()) return std::nullopt;
  auto expression = rest.substr(eq2 + 1);
  expression = trim(expression.substr(0, expression.find(';')));
  auto expr = ExprParser(expression).parse_all();
  if (!expr) return std::nullopt;
  PluralRule rule;
  rule.forms_ = forms;
  rule.expr_ = std::move(expr);
  return rule;
}

int PluralRule::index(std::int64_t n) const {
  const std::int64_t i = expr_ ? expr_->eval(n) : (n != 1 ? 1 : 0);
  return i < 0 || i >= forms_ ? 0 : static_cast<int>(i);
}

// ---- PoCatalogue ----------------------------------------------------------

void PoCatalogue::add(std::string_view po_text) {
  const auto entries = parse_po(po_text);
  if (!have_rule_) {
    if (auto rule = PluralRule::parse(po_header_field(entries, "Plural-Forms"))) {
      rule_ = std::move(*rule);
      have_rule_ = true;
    }
  }
  for (const auto& e : entries) {
    if (e.fuzzy || e.msgid.empty() || e.msgstr.empty()) continue;
    bool translated = true;
    for (const auto& form : e.msgstr) translated = translated && !form.empty();
    if (!translated) continue;
    entries_.emplace(key_of(e.context ? e.context->c_str() : nullptr, e.msgid), e.msgstr);
  }
}

const char* PoCatalogue::find(const char* context, std::string_view msgid) const {
  const auto it = entries_.find(key_of(context, msgid));
  return it == entries_.end() ? nullptr : it->second[0].c_str();
}

const char* PoCatalogue::find_plural(const char* context, std::string_view singular, std::int64_t n) const {
  const auto it = entries_.find(key_of(context, singular));
  if (it == entries_.end()) return nullptr;
  const auto index = static_cast<std::size_t>(rule_.index(n));
  return index < it->second.size() ? it->second[index].c_str() : nullptr;
}

}  // namespace salespider::i18n
