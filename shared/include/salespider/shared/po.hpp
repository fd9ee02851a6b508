// gettext .po text read into memory: the message catalogue's loader (i18n.cpp
// builds one PoCatalogue per language from the .po files the build embedded)
// and the `messages_catalogue` test's reader.
//
// Reads what msgfmt accepts and we use: comments (ignored, except the
// "#, fuzzy" flag), msgctxt, msgid, msgid_plural, msgstr, msgstr[n], strings
// continued on following lines, C escapes (\n \t \" \\ \ooo \xhh ...).
// Obsolete entries (#~) are skipped. The header (msgid "") gives
// Plural-Forms, evaluated by PluralRule.
//
// Deliberately forgiving and exception-free: the build already checked every
// embedded file with `msgfmt --check-format --check-header`, so a line we do
// not understand is skipped rather than reported; no I/O.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace salespider::i18n {

struct PoEntry {
  std::optional<std::string> context;  // msgctxt, when present ("" is a context too)
  std::string msgid;
  std::optional<std::string> msgid_plural;
  std::vector<std::string> msgstr;  // [0] for a singular entry; one per plural form otherwise
  bool fuzzy = false;
  int line = 0;  // 1-based line of the entry's msgid, for reports
};

std::vector<PoEntry> parse_po(std::string_view text);

// A header field ("Plural-Forms", "Language") of a parsed file's msgid "" entry.
std::string po_header_field(const std::vector<PoEntry>& entries, std::string_view name);

// gettext's Plural-Forms expression: "nplurals=2; plural=(n > 1);". The C
// subset gettext uses: n, integer literals, == != < > <= >= && || ! % * / + -,
// ?:, parentheses.
class PluralRule {
 public:
  // Germanic "n != 1" with two forms: English and the fallback for a header
  // that has no or an unreadable Plural-Forms.
  PluralRule();
  static std::optional<PluralRule> parse(std::string_view plural_forms);

  int forms() const { return forms_; }
  // The msgstr[] index for n, always in [0, forms()).
  int index(std::int64_t n) const;

  struct Node;

 private:
  int forms_ = 2;
  std::shared_ptr<const Node> expr_;  // null: n != 1
};

// One language's translations, merged from its files. Entries are added once
// (at load) and never change afterwards, so returned pointers stay valid.
class PoCatalogue {
 public:
  // Adds a file's entries: fuzzy entries and empty translations are skipped;
  // an entry already translated by an earlier file keeps that translation.
  // The first file with a readable Plural-Forms sets the plural rule.
  void add(std::string_view po_text);

  // The translation, or nullptr when there is none.
  const char* find(const char* context, std::string_view msgid) const;
  const char* find_plural(const char* context, std::string_view singular, std::int64_t n) const;
  const PluralRule& plural_rule() const { return rule_; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> entries_;  // key: context \x04 msgid
  PluralRule rule_;
  bool have_rule_ = false;
};

}  // namespace salespider::i18n
