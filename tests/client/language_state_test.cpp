// Which language the till speaks (state/language.hpp): the signed-in
// person's, else the store's default, else the device's pick before anyone
// signs in, else English; only catalogue languages count; and dates in the
// store's or the language's pattern.
#include "state/language.hpp"

#include <salespider/shared/i18n.hpp>

#include <gtest/gtest.h>

namespace salespider::state {
namespace {

// A catalogue language other than English when there is one (else English).
std::string other() {
  return i18n::languages().back();
}

AppState with_user(std::string language) {
  AppState s;
  s.user = User{};
  s.user->id = "u1";
  s.user->language = std::move(language);
  s.known_users.push_back(KnownUser{"u1", "ada", "Ada", true, false, ""});
  return s;
}

TEST(TillLanguage, EnglishWhenNobodyChoseOne) {
  EXPECT_EQ(active_language_of(AppState{}), "en");
  EXPECT_EQ(reduce(AppState{}, OpenTill{}).language, "en");
}

TEST(TillLanguage, ThePersonsOwnBeatsTheStoresDefault) {
  AppState s = with_user(other());
  s.store.language = "en";
  EXPECT_EQ(active_language_of(s), other());
  s.user->language.clear();
  s.store.language = other();
  EXPECT_EQ(active_language_of(s), other());
}

TEST(TillLanguage, TheDevicesPickCountsOnlyBeforeAnyoneSignsIn) {
  AppState s;
  s = reduce(s, SetLanguage{other()});
  EXPECT_EQ(s.device_language, other());
  EXPECT_EQ(s.language, other());
  AppState signed_in = with_user("");
  signed_in.device_language = other();
  EXPECT_EQ(active_language_of(signed_in), "en");
}

TEST(TillLanguage, APickWhileSignedInIsThePersonsAndTheirKnownAccountsToo) {
  AppState s = reduce(with_user(""), SetLanguage{other()});
  EXPECT_EQ(s.user->language, other());
  EXPECT_EQ(s.known_users.front().language, other());
  EXPECT_EQ(s.device_language, "");
  EXPECT_EQ(s.language, other());
  s = reduce(s, SetLanguage{""});
  EXPECT_EQ(s.user->language, "");
  EXPECT_EQ(s.language, "en");
}

TEST(TillLanguage, ALanguageTheCatalogueDoesNotHaveIsIgnored) {
  AppState s = reduce(with_user(""), SetLanguage{"xx"});
  EXPECT_EQ(s.user->language, "");
  EXPECT_EQ(s.language, "en");
  s.store.language = "zz";
  EXPECT_EQ(active_language_of(s), "en");
}

TEST(TillDates, TheStoresDateFormatBeatsTheLanguages) {
  AppState s;
  s.store.date_format = "DD/MM/YYYY";
  EXPECT_EQ(date_pattern_of(s), "DD/MM/YYYY");
  s.store.date_format.clear();
  EXPECT_EQ(date_pattern_of(s), i18n::date_pattern("en"));
}

}  // namespace
}  // namespace salespider::state
