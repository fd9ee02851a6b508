// The message catalogue (i18n.hpp). Stub: English only until the catalogue
// is embedded; format() and the active language are final.
#include "salespider/shared/i18n.hpp"

namespace salespider::i18n {
namespace {
std::string& active() {
  static std::string lang = "en";
  return lang;
}
}  // namespace

const std::vector<std::string>& languages() {
  static const std::vector<std::string> all{"en"};
  return all;
}
bool has_language(std::string_view lang) { return lang == "en"; }
std::string language_name(std::string_view lang) { return lang == "en" ? "English" : std::string(lang); }
std::string pick_language(std::string_view accept_language) {
  return accept_language.substr(0, 2) == "en" ? "en" : "";
}

const char* translate(std::string_view, const char* msgid) { return msgid; }
const char* translate_ctx(std::string_view, const char*, const char* msgid) { return msgid; }
const char* translate_plural(std::string_view, const char* singular, const char* plural, std::int64_t n) {
  return n == 1 ? singular : plural;
}

std::string format(std::string_view text, const std::vector<Arg>& args) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == '{') {
      const auto close = text.find('}', i + 1);
      if (close != std::string_view::npos) {
        const auto name = text.substr(i + 1, close - i - 1);
        const Arg* found = nullptr;
        for (const auto& a : args) {
          if (a.name == name) found = &a;
        }
        if (found) {
          out += found->value;
          i = close;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}
std::string format(std::string_view text, std::initializer_list<Arg> args) {
  return format(text, std::vector<Arg>(args));
}

void set_active_language(std::string_view lang) { active() = std::string(lang); }
const std::string& active_language() { return active(); }

MoneyFormat money_format(std::string_view) { return MoneyFormat{}; }
std::string date_pattern(std::string_view) { return "YYYY-MM-DD"; }

}  // namespace salespider::i18n
