// The embedded catalogue (i18n.hpp): lookups, fallbacks, format(),
// pick_language() and each language's conventions from its "locale" entries.
#include "salespider/shared/i18n.hpp"

#include <gtest/gtest.h>

#include "salespider/shared/currency.hpp"

using namespace salespider;
using namespace salespider::i18n;

namespace {
std::string money_in(std::string_view lang, std::int64_t minor) {
  return format_money(Money{minor, find_currency("EUR").value()}, money_format(lang));
}
}  // namespace

TEST(Catalogue, ListsEnglishFirstThenTheFilesLanguages) {
  const auto& all = languages();
  ASSERT_GE(all.size(), 4u);
  EXPECT_EQ(all[0], "en");
  EXPECT_TRUE(has_language("fr"));
  EXPECT_TRUE(has_language("es"));
  EXPECT_TRUE(has_language("de"));
  EXPECT_FALSE(has_language("xx"));
}

TEST(Catalogue, NamesEachLanguageInItself) {
  EXPECT_EQ(language_name("en"), "English");
  EXPECT_EQ(language_name("fr"), "Français");
  EXPECT_EQ(language_name("es"), "Español");
  EXPECT_EQ(language_name("de"), "Deutsch");
}

TEST(Catalogue, FallsBackToTheMsgidForAMissingEntryOrLanguage) {
  const char* msgid = "no such message in any catalogue";
  EXPECT_EQ(translate("de", msgid), msgid);
  EXPECT_EQ(translate("xx", msgid), msgid);
  EXPECT_EQ(translate_ctx("fr", "nowhere", msgid), msgid);
  EXPECT_STREQ(translate_plural("de", "{n} thing", "{n} things", 1), "{n} thing");
  EXPECT_STREQ(translate_plural("de", "{n} thing", "{n} things", 0), "{n} things");
}

TEST(Catalogue, TranslatesEntriesOfAContext) {
  EXPECT_STREQ(translate_ctx("de", "locale", "date-pattern"), "DD.MM.YYYY");
  // Without its context the same msgid is another entry.
  EXPECT_STREQ(translate("de", "date-pattern"), "date-pattern");
}

TEST(Catalogue, ActiveLanguageDrivesTheShorthands) {
  set_active_language("de");
  EXPECT_STREQ(trc("locale", "language-name"), "Deutsch");
  set_active_language("en");
  EXPECT_STREQ(trc("locale", "language-name"), "language-name");
  EXPECT_EQ(active_language(), "en");
}

TEST(Format, FillsNamedPlaceholdersAndKeepsUnknownOnesAndEscapedBraces) {
  EXPECT_EQ(format("Sale {receipt} by {who}", {{"receipt", "R-12"}, {"who", "Ada"}}), "Sale R-12 by Ada");
  EXPECT_EQ(format("{missing} stays", {{"other", "x"}}), "{missing} stays");
  EXPECT_EQ(format("{{literal}} {n}", {{"n", "3"}}), "{literal} 3");
  EXPECT_EQ(format("unclosed {n", {{"n", "3"}}), "unclosed {n");
}

TEST(PickLanguage, TakesTheHighestQualityLanguageOfTheCatalogue) {
  EXPECT_EQ(pick_language("de"), "de");
  EXPECT_EQ(pick_language("fr-CA;q=0.9, de"), "de");
  EXPECT_EQ(pick_language("fr-CA, de;q=0.5"), "fr");
  EXPECT_EQ(pick_language("pt-BR, es-MX;q=0.8, en;q=0.7"), "es");
  EXPECT_EQ(pick_language("en-GB,en;q=0.9,de;q=0.8"), "en");
  EXPECT_EQ(pick_language("DE-at"), "de");
  EXPECT_EQ(pick_language("de_DE"), "de");
}

TEST(PickLanguage, AnswersEmptyWhenNothingFits) {
  EXPECT_EQ(pick_language(""), "");
  EXPECT_EQ(pick_language("*"), "");
  EXPECT_EQ(pick_language("pt, ja;q=0.5"), "");
  EXPECT_EQ(pick_language("de;q=0"), "");
  EXPECT_EQ(pick_language(" , ;q=1, garbage;;"), "");
}

TEST(LocaleConventions, WriteMoneyTheWayEachLanguageDoes) {
  EXPECT_EQ(money_in("en", 123450), "€1,234.50");
  EXPECT_EQ(money_in("fr", 123450), "1\u202F234,50 €");
  EXPECT_EQ(money_in("de", 123450), "1.234,50 €");
  EXPECT_EQ(money_in("es", 123450), "1.234,50 €");
  EXPECT_EQ(money_in("xx", 123450), "€1,234.50");
}

TEST(LocaleConventions, GiveEachLanguagesDefaultDatePattern) {
  EXPECT_EQ(date_pattern("en"), "YYYY-MM-DD");
  EXPECT_EQ(date_pattern("fr"), "DD/MM/YYYY");
  EXPECT_EQ(date_pattern("es"), "DD/MM/YYYY");
  EXPECT_EQ(date_pattern("de"), "DD.MM.YYYY");
}
