// The .po reader and the Plural-Forms evaluator (po.hpp) on literal files.
#include "salespider/shared/po.hpp"

#include <gtest/gtest.h>

using namespace salespider::i18n;

namespace {

constexpr const char* kHeaderFr = R"(msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
)";
constexpr const char* kHeaderDe = R"(msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
)";
constexpr const char* kItems = R"(
msgid "{n} item"
msgid_plural "{n} items"
msgstr[0] "form0 {n}"
msgstr[1] "form1 {n}"
)";

}  // namespace

TEST(PoReader, ReadsContextsAsEntriesOfTheirOwn) {
  PoCatalogue c;
  c.add(std::string(kHeaderFr) + R"(
msgid "Open"
msgstr "Ouvrir"

msgctxt "state"
msgid "Open"
msgstr "Ouvert"
)");
  EXPECT_STREQ(c.find(nullptr, "Open"), "Ouvrir");
  EXPECT_STREQ(c.find("state", "Open"), "Ouvert");
  EXPECT_EQ(c.find("other", "Open"), nullptr);
}

TEST(PoReader, JoinsContinuedLinesAndDecodesEscapes) {
  const auto entries = parse_po(R"(
# a comment
#: server/x.cpp:12
msgid ""
"two "
"lines\n"
msgstr "tab\there \"quoted\" back\\slash \101\x42"
)");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].msgid, "two lines\n");
  EXPECT_EQ(entries[0].msgstr[0], "tab\there \"quoted\" back\\slash AB");
}

TEST(PoReader, IgnoresFuzzyEmptyAndObsoleteEntries) {
  PoCatalogue c;
  c.add(std::string(kHeaderDe) + R"(
#, fuzzy
msgid "Save"
msgstr "Sichern"

msgid "Cancel"
msgstr ""

#~ msgid "Gone"
#~ msgstr "Weg"

#, c-format
msgid "Print"
msgstr "Drucken"
)");
  EXPECT_EQ(c.find(nullptr, "Save"), nullptr);
  EXPECT_EQ(c.find(nullptr, "Cancel"), nullptr);
  EXPECT_EQ(c.find(nullptr, "Gone"), nullptr);
  EXPECT_STREQ(c.find(nullptr, "Print"), "Drucken");
}

TEST(PoReader, KeepsTheFirstFilesTranslationWhenFilesOfALanguageOverlap) {
  PoCatalogue c;
  c.add(std::string(kHeaderDe) + "msgid \"Till\"\nmsgstr \"Kasse\"\n");
  c.add(std::string(kHeaderDe) + "msgid \"Till\"\nmsgstr \"Ladenkasse\"\nmsgid \"Sale\"\nmsgstr \"Verkauf\"\n");
  EXPECT_STREQ(c.find(nullptr, "Till"), "Kasse");
  EXPECT_STREQ(c.find(nullptr, "Sale"), "Verkauf");
}

TEST(PoReader, ChoosesPluralFormsByTheHeadersRule) {
  PoCatalogue fr;
  fr.add(std::string(kHeaderFr) + kItems);
  PoCatalogue de;
  de.add(std::string(kHeaderDe) + kItems);
  // French: 0 and 1 are singular; German: only 1.
  EXPECT_STREQ(fr.find_plural(nullptr, "{n} item", 0), "form0 {n}");
  EXPECT_STREQ(de.find_plural(nullptr, "{n} item", 0), "form1 {n}");
  EXPECT_STREQ(fr.find_plural(nullptr, "{n} item", 1), "form0 {n}");
  EXPECT_STREQ(de.find_plural(nullptr, "{n} item", 1), "form0 {n}");
  EXPECT_STREQ(fr.find_plural(nullptr, "{n} item", 2), "form1 {n}");
  EXPECT_STREQ(de.find_plural(nullptr, "{n} item", 2), "form1 {n}");
}

TEST(PoReader, ReadsHeaderFields) {
  const auto entries = parse_po(kHeaderFr);
  EXPECT_EQ(po_header_field(entries, "Plural-Forms"), "nplurals=2; plural=(n > 1);");
  EXPECT_EQ(po_header_field(entries, "Missing"), "");
}

TEST(PluralRule, EvaluatesGettextsExpressions) {
  // Polish: three forms.
  const auto pl = PluralRule::parse(
      "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);");
  ASSERT_TRUE(pl);
  EXPECT_EQ(pl->forms(), 3);
  EXPECT_EQ(pl->index(1), 0);
  EXPECT_EQ(pl->index(3), 1);
  EXPECT_EQ(pl->index(12), 2);
  EXPECT_EQ(pl->index(22), 1);
  EXPECT_EQ(pl->index(25), 2);
  const auto one = PluralRule::parse("nplurals=1; plural=0;");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->index(7), 0);
  const auto negated = PluralRule::parse("nplurals=2; plural=!(n == 1);");
  ASSERT_TRUE(negated);
  EXPECT_EQ(negated->index(1), 0);
  EXPECT_EQ(negated->index(5), 1);
}

TEST(PluralRule, RejectsWhatItCannotReadAndKeepsIndexesInRange) {
  EXPECT_FALSE(PluralRule::parse("nplurals=2; plural=(n > ;"));
  EXPECT_FALSE(PluralRule::parse("plural=n;"));
  EXPECT_FALSE(PluralRule::parse("nplurals=2; plural=n ? 1;"));
  const auto wild = PluralRule::parse("nplurals=2; plural=n*7;");
  ASSERT_TRUE(wild);
  EXPECT_EQ(wild->index(3), 0);  // 21 is no form: the first
  EXPECT_EQ(wild->index(0), 0);
  const auto division = PluralRule::parse("nplurals=2; plural=n/0 + n%0;");
  ASSERT_TRUE(division);
  EXPECT_EQ(division->index(4), 0);
  EXPECT_EQ(PluralRule{}.index(1), 0);
  EXPECT_EQ(PluralRule{}.index(0), 1);
}
