// The message catalogue (i18n.hpp): the .po files the build embedded
// (messages_embedded.hpp), parsed once on first use into one PoCatalogue per
// language. A language's conventions (name, separators, currency position,
// date pattern) are its entries of context "locale"; the msgids below are
// the keys, with English's values as the defaults.
#include "salespider/shared/i18n.hpp"

#include "messages_embedded.hpp"
#include "salespider/shared/po.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

namespace salespider::i18n {
namespace {

struct Catalogues {
  std::map<std::string, PoCatalogue, std::less<>> by_language;
  std::vector<std::string> languages{"en"};
};

const Catalogues& catalogues() {
  static const Catalogues all = [] {
    Catalogues c;
    for (std::size_t i = 0; i < detail::kEmbeddedPoCount; ++i) {
      const auto& file = detail::kEmbeddedPo[i];
      if (std::string_view(file.language) == "en") continue;  // English is the msgids
      c.by_language[file.language].add(file.text);
    }
    for (const auto& [lang, catalogue] : c.by_language) c.languages.push_back(lang);
    return c;
  }();
  return all;
}

const PoCatalogue* catalogue_of(std::string_view lang) {
  const auto& all = catalogues().by_language;
  const auto it = all.find(lang);
  return it == all.end() ? nullptr : &it->second;
}

std::string& active() {
  static std::string lang = "en";
  return lang;
}

// A "locale" entry of the language, or the English default when it has none.
std::string locale_value(std::string_view lang, const char* key, const char* english) {
  const auto* catalogue = catalogue_of(lang);
  const char* found = catalogue ? catalogue->find("locale", key) : nullptr;
  return found ? found : english;
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// "fr-CA", "fr_ca" -> "fr-ca".
std::string normalise_tag(std::string_view tag) {
  std::string out;
  for (const char c : tag) out += c == '_' ? '-' : lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The catalogue language a tag names: the tag itself ("pt-br" for a pt_BR.po), else its primary subtag.
std::string catalogue_language_for(std::string_view tag) {
  const auto wanted = normalise_tag(tag);
  for (const auto& lang : languages()) {
    if (normalise_tag(lang) == wanted) return lang;
  }
  const auto primary = wanted.substr(0, wanted.find('-'));
  for (const auto& lang : languages()) {
    if (normalise_tag(lang) == primary) return lang;
  }
  return {};
}

// q=0.8 -> 800; a missing or malformed q is 1000 (the header's default), clamped to [0, 1000].
int quality_of(std::string_view params) {
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto param = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (param.size() < 2 || lower(param[0]) != 'q' || param[1] != '=') continue;
    const std::string value(param.substr(2));
    char* end = nullptr;
    const double q = std::strtod(value.c_str(), &end);
    if (end == value.c_str()) return 1000;
    return std::clamp(static_cast<int>(q * 1000 + 0.5), 0, 1000);
  }
  return 1000;
}

}  // namespace

const std::vector<std::string>& languages() { return catalogues().languages; }

bool has_language(std::string_view lang) {
  const auto& all = languages();
  return std::find(all.begin(), all.end(), lang) != all.end();
}

std::string language_name(std::string_view lang) {
  // TRANSLATORS: the language's own name, as a person speaking it writes it ("Français").
  return locale_value(lang, NC_("locale", "language-name"), "English");
}

std::string pick_language(std::string_view accept_language) {
  std::string best;
  int best_q = 0;
  while (!accept_language.empty()) {
    const auto comma = accept_language.find(',');
    const auto item = trim(accept_language.substr(0, comma));
    accept_language = comma == std::string_view::npos ? std::string_view{} : accept_language.substr(comma + 1);
    const auto semi = item.find(';');
    const auto tag = trim(item.substr(0, semi));
    const int q = semi == std::string_view::npos ? 1000 : quality_of(item.substr(semi + 1));
    if (tag.empty() || tag == "*" || q <= best_q) continue;  // earlier wins a tie
    auto lang = catalogue_language_for(tag);
    if (lang.empty()) continue;
    best = std::move(lang);
    best_q = q;
  }
  return best;
}

const char* translate(std::string_view lang, const char* msgid) {
  const auto* catalogue = catalogue_of(lang);
  const char* found = catalogue ? catalogue->find(nullptr, msgid) : nullptr;
  return found ? found : msgid;
}

const char* translate_ctx(std::string_view lang, const char* context, const char* msgid) {
  const auto* catalogue = catalogue_of(lang);
  const char* found = catalogue ? catalogue->find(context, msgid) : nullptr;
  return found ? found : msgid;
}

const char* translate_plural(std::string_view lang, const char* singular, const char* plural, std::int64_t n) {
  const auto* catalogue = catalogue_of(lang);
  const char* found = catalogue ? catalogue->find_plural(nullptr, singular, n) : nullptr;
  if (found) return found;
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

MoneyFormat money_format(std::string_view lang) {
  MoneyFormat f;
  // TRANSLATORS: the decimal separator of amounts: "." or ",".
  f.decimal_separator = locale_value(lang, NC_("locale", "decimal-separator"), ".");
  // TRANSLATORS: the thousands separator of amounts: ",", ".", " " or U+202F (narrow no-break space).
  f.group_separator = locale_value(lang, NC_("locale", "group-separator"), ",");
  // TRANSLATORS: how digits are grouped: "thousands" (1,234,567), "indian" (12,34,567) or "none".
  const auto grouping = locale_value(lang, NC_("locale", "grouping"), "thousands");
  f.grouping = grouping == "none" ? Grouping::none : grouping == "indian" ? Grouping::indian : Grouping::thousands;
  // TRANSLATORS: "yes" when the currency symbol follows the number (1 234,50 €), else "no".
  f.currency_after = locale_value(lang, NC_("locale", "currency-after-number"), "no") == "yes";
  // TRANSLATORS: "yes" when a space separates the currency symbol and the number, else "no".
  f.space_between = locale_value(lang, NC_("locale", "currency-space"), "no") == "yes";
  // A language's separators came from a file: never hand out an invalid format.
  if (!validate(f).ok()) return MoneyFormat{};
  return f;
}

std::string date_pattern(std::string_view lang) {
  // TRANSLATORS: the default date pattern: "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD" or "DD.MM.YYYY".
  return locale_value(lang, NC_("locale", "date-pattern"), "YYYY-MM-DD");
}

}  // namespace salespider::i18n
