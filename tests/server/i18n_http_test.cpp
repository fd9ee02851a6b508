// Error messages and CSV headers in the reader's language, over real HTTP:
// Accept-Language picks the catalogue language (English without it), the
// message is translated with its placeholders filled, the JSON `code` and
// `field` never change; a German product export imports back unchanged.
#include "store_http_support.hpp"

namespace {

using nlohmann::json;

class I18nHttp : public ::testing::Test, protected salespider::test::StoreOverHttp {
 protected:
  static httplib::Headers with_language(httplib::Headers headers, const std::string& accept_language) {
    headers.emplace("Accept-Language", accept_language);
    return headers;
  }
  json error_of(const httplib::Result& r, int status) {
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, status) << r->body;
    return json::parse(r->body, nullptr, false)["error"];
  }
  json bad_login(const httplib::Headers& headers) {
    return error_of(client_->Post("/api/v1/auth/login", headers,
                                  R"({"login":"manager1","password":"not the password"})", "application/json"),
                    401);
  }
};

}  // namespace

TEST_F(I18nHttp, ABadLoginIsAnsweredInTheRequestsLanguage) {
  const auto german = bad_login({{"Accept-Language", "de-DE,de;q=0.9,en;q=0.5"}});
  EXPECT_EQ(german["message"], "Anmeldename oder Passwort falsch");
  EXPECT_EQ(german["code"], "unauthenticated");
  const auto french = bad_login({{"Accept-Language", "fr-CA"}});
  EXPECT_EQ(french["message"], "identifiant ou mot de passe incorrect");
  const auto english = bad_login({});
  EXPECT_EQ(english["message"], "wrong login or password");
  EXPECT_EQ(english["code"], "unauthenticated");
  const auto unknown = bad_login({{"Accept-Language", "pt-BR, ja;q=0.8"}});
  EXPECT_EQ(unknown["message"], "wrong login or password");
}

TEST_F(I18nHttp, AValidationErrorKeepsItsCodeAndFieldAndFillsItsPlaceholders) {
  const std::string body = R"({"name":"Drinks","parent_id":"not-an-id"})";
  const auto german = error_of(
      client_->Post("/api/v1/categories", with_language(manager_headers(), "de"), body, "application/json"), 422);
  EXPECT_EQ(german["message"], "parent_id: keine gültige ID");
  EXPECT_EQ(german["code"], "invalid");
  EXPECT_EQ(german["field"], "parent_id");
  const auto english = error_of(client_->Post("/api/v1/categories", manager_headers(), body, "application/json"), 422);
  EXPECT_EQ(english["message"], "parent_id: not an id");
  EXPECT_EQ(english["code"], "invalid");
  EXPECT_EQ(english["field"], "parent_id");

  const auto limit = error_of(client_->Get("/api/v1/products?limit=0", with_language(manager_headers(), "es")), 400);
  EXPECT_EQ(limit["message"], "limit: un número entero de 1 a 500");
  EXPECT_EQ(limit["field"], "limit");
}

TEST_F(I18nHttp, TheAuthLayersAnswersAreTranslatedToo) {
  const auto signed_out = error_of(client_->Get("/api/v1/products", {{"Accept-Language", "fr"}}), 401);
  EXPECT_EQ(signed_out["message"], "connectez-vous d'abord");
  const auto cashier = error_of(
      client_->Get("/api/v1/products/export.csv", with_language(headers_of("cashier1"), "de")), 403);
  EXPECT_EQ(cashier["message"], "die Rolle cashier darf nicht: CSV-Dateien exportieren");
  EXPECT_EQ(cashier["code"], "forbidden");
  const auto not_json = error_of(client_->Post("/api/v1/categories", with_language(manager_headers(), "de"),
                                               "{", "application/json"),
                                 400);
  EXPECT_EQ(not_json["message"], "der Inhalt ist kein wohlgeformtes JSON");
}

TEST_F(I18nHttp, CsvExportsWriteTheirHeaderInTheRequestsLanguage) {
  const auto movements = client_->Get("/api/v1/stock/movements.csv", with_language(manager_headers(), "de"));
  ASSERT_EQ(movements->status, 200) << movements->body;
  EXPECT_EQ(movements->body.rfind("Zeitpunkt,Erfasst am,Artikel-ID,Artikel,Art,Menge,", 0), 0u) << movements->body;
  const auto audit = client_->Get("/api/v1/audit/export", with_language(manager_headers(), "fr"));
  ASSERT_EQ(audit->status, 200) << audit->body;
  EXPECT_EQ(audit->body.rfind("id,position chaîne,date,action,", 0), 0u) << audit->body.substr(0, 200);
  const auto english = client_->Get("/api/v1/audit/export", manager_headers());
  EXPECT_EQ(english->body.rfind("id,chain_pos,occurred_at,action,actor_user_id,", 0), 0u);
}

TEST_F(I18nHttp, AGermanProductExportImportsBackUnchanged) {
  const auto exported = client_->Get("/api/v1/products/export.csv?archived=all", with_language(manager_headers(), "de"));
  ASSERT_EQ(exported->status, 200) << exported->body;
  EXPECT_EQ(exported->body.rfind("ID,Artikelnummer,Name,Barcodes,Kategorie,Preis,Einkaufspreis,Steuercode,Einheit,"
                                 "Bestand führen,Mindestbestand,Aktiv,Beschreibung\r\n",
                                 0),
            0u)
      << exported->body;
  const auto r = client_->Post("/api/v1/products/import?dry_run=1", manager_headers(), exported->body, "text/csv");
  ASSERT_EQ(r->status, 200) << r->body;
  const auto report = json::parse(r->body);
  EXPECT_EQ(report["summary"]["unchanged"], 1) << report.dump();
  EXPECT_EQ(report["summary"]["errors"], 0) << report.dump();
  EXPECT_EQ(report["summary"]["created"], 0) << report.dump();
}
