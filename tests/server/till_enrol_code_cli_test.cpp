// `salespider till enrol-code` run as the binary, against a throw-away
// database (DATABASE_URL): --json prints a code that enrols a till through
// the service once; a bad --name is exit 2 naming the field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "common_pg.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "salespider_process.hpp"
#include "service/till_auth.hpp"

namespace sp = salespider;

namespace {

class TillEnrolCodeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testpg::url_for(db_.name());
    if (url_.empty()) GTEST_SKIP() << "needs the embedded test cluster";
    sp::db::Database owner(db_.conninfo(), 1);
    sp::db::migrate(owner.pool());
  }

  std::pair<int, std::string> run(std::vector<std::string> args) {
    sp::test::SalespiderProcess p(dir_.path(), std::move(args), {"DATABASE_URL=" + url_});
    const int rc = p.wait();
    return {rc, p.output()};
  }

  std::string sql_value(const std::string& query) {
    pqxx::connection c(db_.conninfo());
    pqxx::nontransaction tx(c);
    return tx.exec1(query)[0].as<std::string>();
  }

  testpg::TempDatabase db_;
  testpg::TempDir dir_{"salespider-enrol-code-cli"};
  std::string url_;
};

TEST_F(TillEnrolCodeCli, JsonPrintsASingleUseCodeWithItsExpiryAndTheAddresses) {
  const auto [rc, out] = run({"till", "enrol-code", "--name", "Side", "--json"});
  ASSERT_EQ(rc, 0) << out;
  const auto start = out.find("{\n");
  ASSERT_NE(start, std::string::npos) << out;
  const auto j = nlohmann::json::parse(out.substr(start), nullptr, false);
  ASSERT_TRUE(j.is_object()) << out;
  const std::string code = j.value("code", "");
  ASSERT_EQ(code.size(), 8u) << out;
  for (const char c : code) EXPECT_NE(sp::service::kEnrolCodeAlphabet.find(c), std::string::npos) << code;
  EXPECT_FALSE(j.value("expires_at", "").empty());
  EXPECT_NE(j.value("setup_url", "").find("/setup"), std::string::npos);
  EXPECT_EQ(sql_value("SELECT count(*) FROM till_enrol_codes WHERE name = 'Side' AND created_by IS NULL "
                      "AND expires_at BETWEEN now() + interval '14 minutes' AND now() + interval '16 minutes'"),
            "1");
  EXPECT_EQ(sql_value("SELECT count(*) FROM audit_log WHERE action = 'till.enrol_code'"), "1");
}

TEST_F(TillEnrolCodeCli, ANameTooLongIsExitTwoNamingTheField) {
  const auto [rc, out] = run({"till", "enrol-code", "--name", std::string(101, 'x')});
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("name"), std::string::npos) << out;
  EXPECT_EQ(sql_value("SELECT count(*) FROM till_enrol_codes"), "0");
}

}  // namespace
