// The message catalogue: every string a person reads (the till's screens,
// receipts, CSV headers, the server's error messages) is English source text
// looked up here in the reader's language.
//
// The catalogue is gettext: shared/messages/<lang>.po, one file per language,
// English being the msgids themselves. The build embeds every .po it finds
// (adding a language is adding one file); `make messages` re-extracts the
// msgids from the sources (xgettext, keywords below) and merges them into
// every .po. A test fails when a .po misses a msgid or a translation's
// placeholders differ from its msgid's.
//
// Placeholders are named: "Sale complete · receipt {receipt}"; format()
// fills them. A language's number and money conventions are entries of the
// same file (context "locale"), so a new language brings its own:
//   msgctxt "locale" msgid "language-name"          "Deutsch"
//                    msgid "decimal-separator"      ","
//                    msgid "group-separator"        "." (fr: U+202F)
//                    msgid "grouping"               "thousands" | "indian" | "none"
//                    msgid "currency-after-number"  "yes" | "no"
//                    msgid "currency-space"         "yes" | "no"
//                    msgid "date-pattern"           "DD.MM.YYYY" (see date_pattern)
// A missing entry means English's: "English", ".", ",", "thousands", "no",
// "no", "YYYY-MM-DD".
//
// Files: shared/messages/<lang>.po, and shared/messages/parts/<part>.<lang>.po
// merged into the same language (an entry of the top-level file wins).
// Fuzzy entries and empty translations are ignored: English shows instead.
//
// Deliberately no CLDR, no ICU, no runtime file reading: the catalogue is
// compiled into the program.
#pragma once

#include "salespider/shared/money_format.hpp"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::i18n {

struct Arg {
  std::string_view name;
  std::string value;
};

// The catalogue's languages, "en" first, then the .po files' in name order.
const std::vector<std::string>& languages();
bool has_language(std::string_view lang);
// The language's own name, for a picker: "Deutsch" for "de".
std::string language_name(std::string_view lang);
// The best catalogue language for an Accept-Language header or a tag
// ("fr-CA;q=0.9, de" -> "fr"); "" when none of them is in the catalogue.
std::string pick_language(std::string_view accept_language);

// Lookups in an explicit language (the server, per request). `msgid` is the
// English text; the result is never null: the msgid itself when the language
// or the entry is missing. Pointers stay valid for the life of the program.
const char* translate(std::string_view lang, const char* msgid);
const char* translate_ctx(std::string_view lang, const char* context, const char* msgid);
const char* translate_plural(std::string_view lang, const char* singular, const char* plural,
                             std::int64_t n);

// Replaces each {name} with its argument's value; "{{" and "}}" are literal
// braces; a {name} with no argument is left as it is.
std::string format(std::string_view text, std::initializer_list<Arg> args);
std::string format(std::string_view text, const std::vector<Arg>& args);

// The language this process speaks by default: the till's signed-in person's
// (or the store's default). The server never uses it: it passes the request's
// language explicitly.
void set_active_language(std::string_view lang);
const std::string& active_language();

// Shorthands in the active language. These names are the extraction keywords
// of `make messages`: tr, trc:1c,2, trf:1, trn:1,2, N_, NC_:1c,2.
inline const char* tr(const char* msgid) { return translate(active_language(), msgid); }
inline const char* trc(const char* context, const char* msgid) {
  return translate_ctx(active_language(), context, msgid);
}
inline std::string trf(const char* msgid, std::initializer_list<Arg> args) {
  return format(tr(msgid), args);
}
inline const char* trn(const char* singular, const char* plural, std::int64_t n) {
  return translate_plural(active_language(), singular, plural, n);
}
// Marks a literal for extraction without translating it here (a table of
// labels translated where it is shown, a server message translated per request).
constexpr const char* N_(const char* msgid) { return msgid; }
constexpr const char* NC_(const char* /*context*/, const char* msgid) { return msgid; }

// How the language writes numbers and money (separators, symbol position),
// from its catalogue entries of context "locale".
MoneyFormat money_format(std::string_view lang);
// The language's default date pattern, e.g. "DD/MM/YYYY" (a store setting may override it).
std::string date_pattern(std::string_view lang);

}  // namespace salespider::i18n
