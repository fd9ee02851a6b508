// See dotenv.hpp. A hand-written scanner: the format is small, and regexes
// would make the quoting rules harder to read than the loop below.
#include "config/dotenv.hpp"

#include <cctype>

namespace salespider::config {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

Error line_error(std::size_t line, const std::string& what) {
  return make_error(Errc::invalid_value, ".env line " + std::to_string(line) + ": " + what);
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  Result<std::vector<DotenvEntry>> run() {
    std::vector<DotenvEntry> entries;
    while (!done()) {
      skip_blanks();
      if (done()) break;
      if (peek() == '\n') {
        skip_to_eol();
        continue;
      }
      if (peek() == '#') {
        skip_to_eol();
        continue;
      }
      auto entry = parse_entry();
      if (!entry) return std::move(entry).error();
      entries.push_back(std::move(entry).value());
    }
    return entries;
  }

 private:
  Result<DotenvEntry> parse_entry() {
    DotenvEntry entry;
    entry.line = line_;
    if (text_.substr(pos_, 7) == "export " || text_.substr(pos_, 7) == "export\t") {
      pos_ += 7;
      skip_blanks();
    }
    if (done() || !is_key_start(peek())) return line_error(line_, "expected KEY=VALUE");
    while (!done() && is_key_char(peek())) entry.key += advance();
    skip_blanks();
    if (done() || peek() != '=') return line_error(line_, "expected '=' after " + entry.key);
    advance();
    const bool blank_before_value = !done() && is_blank(peek());
    skip_blanks();
    if (done() || peek() == '\n') return entry;
    if (peek() == '"') {
      auto value = double_quoted();
      if (!value) return std::move(value).error();
      entry.value = std::move(value).value();
      return finish_quoted(std::move(entry));
    }
    if (peek() == '\'') {
      advance();
      const auto end = text_.find('\'', pos_);
      if (end == std::string_view::npos) return line_error(entry.line, "unterminated ' quote in " + entry.key);
      entry.value = std::string(text_.substr(pos_, end - pos_));
      for (auto c : entry.value) line_ += c == '\n' ? 1u : 0u;
      pos_ = end + 1;
      return finish_quoted(std::move(entry));
    }
    // Unquoted: a '#' starts a comment when whitespace precedes it (also the
    // whitespace between '=' and the value: `KEY=  # note` is empty).
    if (peek() == '#' && blank_before_value) {
      skip_to_eol();
      return entry;
    }
    std::string value;
    while (!done() && peek() != '\n') {
      if (peek() == '#' && !value.empty() && is_blank(value.back())) break;
      value += advance();
    }
    skip_to_eol();
    while (!value.empty() && is_blank(value.back())) value.pop_back();
    entry.value = std::move(value);
    return entry;
  }

  Result<std::string> double_quoted() {
    const auto start_line = line_;
    advance();  // opening quote
    std::string value;
    while (!done()) {
      const char c = advance();
      if (c == '"') return value;
      if (c == '\n') ++line_;
      if (c == '\\' && !done()) {
        const char e = advance();
        switch (e) {
          case 'n': value += '\n'; break;
          case 't': value += '\t'; break;
          case 'r': value += '\r'; break;
          case '"': value += '"'; break;
          case '\\': value += '\\'; break;
          default:
            value += '\\';
            value += e;
            if (e == '\n') ++line_;
        }
        continue;
      }
      value += c;
    }
    return line_error(start_line, "unterminated \" quote");
  }

  // After a closing quote only blanks and a comment may follow.
  Result<DotenvEntry> finish_quoted(DotenvEntry entry) {
    skip_blanks();
    if (!done() && peek() != '\n' && peek() != '#') {
      return line_error(line_, "unexpected text after the closing quote of " + entry.key);
    }
    skip_to_eol();
    return entry;
  }

  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  char advance() { return text_[pos_++]; }
  void skip_blanks() {
    while (!done() && is_blank(peek())) ++pos_;
  }
  void skip_to_eol() {
    while (!done() && peek() != '\n') ++pos_;
    if (!done()) {
      ++pos_;
      ++line_;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

}  // namespace

Result<std::vector<DotenvEntry>> parse_dotenv(std::string_view text) {
  // A UTF-8 byte order mark from a Windows editor is not part of the first key.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return Scanner(text).run();
}

}  // namespace salespider::config
