// Till enrolment codes over real HTTP and a real database: a manager makes a
// code, a new browser enrols with it once; wrong, expired and used codes get
// clear 4xx answers naming the field; two concurrent uses enrol one till; a
// cashier may not make codes; wrong codes from one address are throttled like
// login attempts (429 with Retry-After).
#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>

#include "service/till_auth.hpp"
#include "store_http_support.hpp"

namespace {

using nlohmann::json;
using salespider::test::StoreOverHttp;

class TillEnrolCodes : public ::testing::Test, public StoreOverHttp {
 protected:
  struct Answer {
    int status = 0;
    json body;
    std::string retry_after;
  };

  Answer post(const std::string& path, const json& body, const httplib::Headers& headers = {}) {
    httplib::Client c("127.0.0.1", server_->http_port());
    auto r = c.Post(path, headers, body.dump(), "application/json");
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    Answer a{r->status, json::parse(r->body, nullptr, false), r->get_header_value("Retry-After")};
    return a;
  }

  std::string new_code(const json& body = json::object()) {
    auto a = post("/api/v1/tills/enrol-codes", body, manager_headers());
    EXPECT_EQ(a.status, 201) << a.body.dump();
    return a.body.value("code", "");
  }

  Answer enrol(const std::string& code, const std::string& name = "Back counter") {
    return post("/api/v1/tills/enrol-with-code", {{"code", code}, {"name", name}});
  }
};

TEST_F(TillEnrolCodes, AManagersCodeEnrolsOneTillWhoseCredentialWorks) {
  auto made = post("/api/v1/tills/enrol-codes", {{"name", "Window"}}, manager_headers());
  ASSERT_EQ(made.status, 201) << made.body.dump();
  const std::string code = made.body["code"];
  ASSERT_EQ(code.size(), 8u);
  for (const char c : code) EXPECT_NE(salespider::service::kEnrolCodeAlphabet.find(c), std::string::npos) << code;
  EXPECT_FALSE(made.body["expires_at"].get<std::string>().empty());

  // Typed in lower case with a space: still the code. No name: the code's.
  auto a = post("/api/v1/tills/enrol-with-code", {{"code", "  " + code.substr(0, 4) + " " + code.substr(4)}});
  ASSERT_EQ(a.status, 201) << a.body.dump();
  EXPECT_EQ(a.body["name"], "Window");
  const std::string credential = a.body["credential"];
  auto me = client_->Get("/api/v1/till", {{"Authorization", "Bearer " + credential}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(json::parse(me->body)["id"], a.body["till_id"]);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action IN ('till.enrol_code', 'till.enrol') "
                         "AND entity_id = '" + a.body["till_id"].get<std::string>() + "'::uuid"),
            "1");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM audit_log WHERE action = 'till.enrol_code'"), "1");
  EXPECT_EQ(w_.sql_value("SELECT till_id::text FROM till_enrol_codes"), a.body["till_id"].get<std::string>());
}

TEST_F(TillEnrolCodes, AWrongCodeIsRefusedNamingTheField) {
  new_code();
  auto a = enrol("ABCDEFGH");
  EXPECT_EQ(a.status, 422) << a.body.dump();
  EXPECT_EQ(a.body["error"]["field"], "code");
  auto b = enrol("not a code at all");
  EXPECT_EQ(b.status, 422) << b.body.dump();
}

TEST_F(TillEnrolCodes, AnExpiredCodeIsRefused) {
  const auto code = new_code();
  w_.sql("UPDATE till_enrol_codes SET expires_at = now() - interval '1 second', "
         "created_at = now() - interval '16 minutes'");
  auto a = enrol(code);
  EXPECT_EQ(a.status, 422) << a.body.dump();
  EXPECT_NE(a.body["error"]["message"].get<std::string>().find("expired"), std::string::npos);
}

TEST_F(TillEnrolCodes, ACodeWorksOnce) {
  const auto code = new_code();
  EXPECT_EQ(enrol(code).status, 201);
  auto again = enrol(code, "Another");
  EXPECT_EQ(again.status, 409) << again.body.dump();
  EXPECT_EQ(again.body["error"]["field"], "code");
}

TEST_F(TillEnrolCodes, TwoConcurrentUsesOfOneCodeEnrolOneTill) {
  const auto code = new_code();
  auto first = std::async(std::launch::async, [&] { return enrol(code, "One"); });
  auto second = std::async(std::launch::async, [&] { return enrol(code, "Two"); });
  const int a = first.get().status;
  const int b = second.get().status;
  EXPECT_EQ(std::min(a, b), 201);
  EXPECT_EQ(std::max(a, b), 409);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM tills WHERE name IN ('One', 'Two')"), "1");
}

TEST_F(TillEnrolCodes, ACashierMayNotMakeCodes) {
  auto a = post("/api/v1/tills/enrol-codes", json::object(), headers_of("cashier1"));
  EXPECT_EQ(a.status, 403) << a.body.dump();
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM till_enrol_codes"), "0");
}

TEST_F(TillEnrolCodes, WrongCodesFromOneAddressAreThrottledAndThenEvenARightCodeWaits) {
  const auto code = new_code();
  Answer last;
  for (int i = 0; i < 5; ++i) last = enrol("WRNGC0DE");  // 0 is not in the alphabet: never a code
  EXPECT_EQ(last.status, 429) << last.body.dump();  // the fifth failure blocks the address
  auto blocked = enrol(code);
  EXPECT_EQ(blocked.status, 429) << blocked.body.dump();
  EXPECT_FALSE(blocked.retry_after.empty());
  EXPECT_EQ(blocked.body["error"]["code"], "rate_limited");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM till_enrol_codes WHERE used_at IS NOT NULL"), "0");
}

}  // namespace
