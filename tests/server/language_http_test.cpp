// A person's own language over real HTTP (migration 0012, routes_language.cpp):
// PUT /api/v1/me/language sets or clears it, GET /api/v1/me and the login
// answers carry it with the store's default, a PIN session may set it too,
// and anything but a catalogue code or null is refused naming the field,
// with nothing written.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "salespider/shared/i18n.hpp"
#include "store_http_support.hpp"

namespace salespider::test {
namespace {

using nlohmann::json;

// A catalogue language other than English when there is one.
std::string some_language() {
  return i18n::languages().back();
}

class Language : public ::testing::Test {
 protected:
  httplib::Headers cashier() { return store_.headers_of("cashier1"); }
  httplib::Result put(const httplib::Headers& h, const std::string& body) {
    return store_.client_->Put("/api/v1/me/language", h, body, "application/json");
  }
  json me(const httplib::Headers& h) {
    auto r = store_.client_->Get("/api/v1/me", h);
    EXPECT_TRUE(r && r->status == 200);
    return r ? json::parse(r->body) : json();
  }
  std::string stored() {
    return store_.w_.sql_value("SELECT coalesce(language, '<null>') FROM users WHERE username = 'cashier1'");
  }
  StoreOverHttp store_;
};

TEST_F(Language, APersonHasNoLanguageOfTheirOwnAtFirstAndTheStoreDefaultIsEnglish) {
  const json m = me(cashier());
  EXPECT_TRUE(m.at("language").is_null());
  EXPECT_EQ(m.at("store_language"), "en");
}

TEST_F(Language, TheStoreDefaultIsTheStoreSettingsLanguage) {
  store_.w_.sql("UPDATE settings SET language = '" + some_language() + "'");
  EXPECT_EQ(me(cashier()).at("store_language"), some_language());
}

TEST_F(Language, SettingItIsKeptAuditedAndShownByMeAndTheNextLogin) {
  const std::string lang = some_language();
  const auto h = cashier();
  auto r = put(h, json{{"language", lang}}.dump());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body).at("language"), lang);
  EXPECT_EQ(me(h).at("language"), lang);
  EXPECT_EQ(stored(), lang);
  EXPECT_EQ(store_.w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'user.language'"), "1");
  auto login = store_.client_->Post("/api/v1/auth/login", json{{"login", "cashier1"}, {"password", kGoodPassword}}.dump(),
                                    "application/json");
  ASSERT_TRUE(login && login->status == 200);
  const json answer = json::parse(login->body);
  EXPECT_EQ(answer.at("user").at("language"), lang);
  EXPECT_EQ(answer.at("language"), lang);
  EXPECT_EQ(answer.at("store_language"), "en");
}

TEST_F(Language, NullGoesBackToTheStoreDefault) {
  const auto h = cashier();
  ASSERT_EQ(put(h, json{{"language", some_language()}}.dump())->status, 200);
  auto r = put(h, R"({"language":null})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(me(h).at("language").is_null());
  EXPECT_EQ(stored(), "<null>");
}

TEST_F(Language, ALanguageTheCatalogueDoesNotHaveIsRefusedNamingTheFieldAndNothingIsWritten) {
  for (const char* bad : {"xx", "DE", "de-DE", "", "english"}) {
    auto r = put(cashier(), json{{"language", bad}}.dump());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << bad << ": " << r->body;
    EXPECT_EQ(json::parse(r->body).at("error").at("field"), "language") << bad;
  }
  EXPECT_EQ(stored(), "<null>");
  EXPECT_EQ(store_.w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'user.language'"), "0");
}

TEST_F(Language, AWrongTypeOrAMissingFieldIsABadRequest) {
  for (const char* body : {R"({"language":42})", R"({"language":["de"]})", R"({})", R"({"lang":"de"})"}) {
    auto r = put(cashier(), body);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body << ": " << r->body;
    EXPECT_EQ(json::parse(r->body).at("error").at("field"), "language") << body;
  }
  EXPECT_EQ(stored(), "<null>");
}

TEST_F(Language, APinSessionMaySetItsPersonsLanguage) {
  ASSERT_TRUE(store_.w_.services().users().set_pin(store_.w_.store(), store_.cashier_.id, std::string("2580"),
                                                   std::nullopt, AuthWorld::cli_actor()));
  auto pin = store_.client_->Post("/api/v1/auth/pin-login",
                                  {{"Authorization", "Bearer " + store_.till_.credential}},
                                  json{{"login", "cashier1"}, {"pin", "2580"}}.dump(), "application/json");
  ASSERT_TRUE(pin);
  ASSERT_EQ(pin->status, 200) << pin->body;
  const json answer = json::parse(pin->body);
  EXPECT_TRUE(answer.at("language").is_null());
  const httplib::Headers h{{"Authorization", "Bearer " + answer.at("token").get<std::string>()}};
  auto r = put(h, json{{"language", some_language()}}.dump());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(stored(), some_language());
}

TEST_F(Language, NobodySignedInMayNotSetOne) {
  auto r = put({}, json{{"language", "en"}}.dump());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

TEST(LanguageColumn, TheDatabaseRefusesAMalformedCode) {
  StoreOverHttp store;
  EXPECT_ANY_THROW(store.w_.sql_value("UPDATE users SET language = 'DE' WHERE username = 'cashier1' RETURNING 1"));
}

}  // namespace
}  // namespace salespider::test
