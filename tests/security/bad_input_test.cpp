// Bad input, as a manager (or the till) would send it on purpose, over real
// HTTP: impossible dates, broken UTF-8, NULs, numbers beyond int64, repeated
// parameters and backwards ranges on every GET route of the registry that
// takes query parameters, and in the {id} segments. Every answer must be a
// 4xx with a machine-readable error and nothing of SQL or the driver in it —
// never a 500. Also: sums beyond bigint answered exactly, and the audit
// export streamed a page at a time (docs/security.md "Limits and errors",
// "Reading and exporting").
#include <pqxx/pqxx>

#include <map>
#include <set>

#include "db/errors.hpp"
#include "db/pool.hpp"
#include "db/read_limits.hpp"
#include "store_http_support.hpp"

using nlohmann::json;
namespace sp = salespider;

namespace {

enum class Kind { text, date, number, uuid };

struct Param {
  std::string name;
  Kind kind;
};

// The query parameters of every GET route of the registry. A GET route
// missing here fails RegistryIsCovered: add it with its parameters.
const std::map<std::string, std::vector<Param>>& get_routes() {
  static const std::map<std::string, std::vector<Param>> routes = {
      {"/api/v1/health", {}},
      {"/api/v1/me", {}},
      {"/api/v1/me/sessions", {}},
      {"/api/v1/grants/public-key", {}},
      {"/api/v1/grants/revoked", {}},
      {"/api/v1/users", {}},
      {"/api/v1/users/{id}", {}},
      {"/api/v1/sessions", {{"user_id", Kind::uuid}, {"ended", Kind::text}}},
      {"/api/v1/tills", {}},
      {"/api/v1/till", {}},
      {"/api/v1/audit",
       {{"action", Kind::text},
        {"user_id", Kind::uuid},
        {"till_id", Kind::uuid},
        {"entity", Kind::text},
        {"entity_id", Kind::uuid},
        {"from", Kind::date},
        {"to", Kind::date},
        {"before", Kind::number},
        {"limit", Kind::number}}},
      {"/api/v1/audit/export",
       {{"action", Kind::text},
        {"user_id", Kind::uuid},
        {"till_id", Kind::uuid},
        {"entity", Kind::text},
        {"entity_id", Kind::uuid},
        {"from", Kind::date},
        {"to", Kind::date}}},
      {"/api/v1/audit/verify", {}},
      {"/api/v1/settings", {}},
      {"/api/v1/printers", {}},
      {"/api/v1/server/alerts", {}},
      {"/api/v1/reports/dashboard", {{"from", Kind::date}, {"to", Kind::date}}},
      {"/api/v1/sync/pull",
       {{"cursor", Kind::text}, {"limit", Kind::number}, {"protocol_version", Kind::number}}},
      {"/api/v1/sync/health", {}},
      {"/api/v1/sync/bootstrap", {{"part_rows", Kind::number}, {"protocol_version", Kind::number}}},
      {"/api/v1/sync/bootstrap/part",
       {{"after", Kind::uuid}, {"upto", Kind::uuid}, {"protocol_version", Kind::number}}},
      {"/api/v1/ops",
       {{"state", Kind::text}, {"till", Kind::uuid}, {"kind", Kind::text}, {"limit", Kind::number}}},
      {"/api/v1/ops/{id}", {}},
      {"/api/v1/sales",
       {{"from", Kind::date},
        {"to", Kind::date},
        {"cashier", Kind::uuid},
        {"till", Kind::uuid},
        {"tender", Kind::text},
        {"refunded", Kind::text},
        {"q", Kind::text},
        {"cursor", Kind::text},
        {"limit", Kind::number}}},
      {"/api/v1/sales/{id}", {}},
      {"/api/v1/shifts",
       {{"till", Kind::uuid},
        {"status", Kind::text},
        {"from", Kind::date},
        {"to", Kind::date},
        {"cursor", Kind::text},
        {"limit", Kind::number}}},
      {"/api/v1/shifts/{id}/report", {}},
      {"/api/v1/sales/export",
       {{"from", Kind::date},
        {"to", Kind::date},
        {"cashier", Kind::uuid},
        {"till", Kind::uuid},
        {"tender", Kind::text},
        {"refunded", Kind::text},
        {"q", Kind::text}}},
      {"/api/v1/shifts/over-short", {{"from", Kind::date}, {"to", Kind::date}, {"till", Kind::uuid}}},
      {"/api/v1/products",
       {{"q", Kind::text},
        {"category_id", Kind::uuid},
        {"stock", Kind::text},
        {"archived", Kind::text},
        {"sort", Kind::text},
        {"order", Kind::text},
        {"offset", Kind::number},
        {"limit", Kind::number}}},
      {"/api/v1/products/{id}", {}},
      {"/api/v1/products/export.csv",
       {{"q", Kind::text},
        {"category_id", Kind::uuid},
        {"stock", Kind::text},
        {"archived", Kind::text},
        {"sort", Kind::text},
        {"order", Kind::text}}},
      {"/api/v1/products/{id}/movements", {{"before", Kind::text}, {"limit", Kind::number}}},
      {"/api/v1/stock/movements",
       {{"product_id", Kind::uuid},
        {"kind", Kind::text},
        {"from", Kind::date},
        {"to", Kind::date},
        {"before", Kind::text},
        {"limit", Kind::number}}},
      {"/api/v1/stock/movements.csv",
       {{"product_id", Kind::uuid}, {"kind", Kind::text}, {"from", Kind::date}, {"to", Kind::date}}},
      {"/api/v1/stock/low", {}},
      {"/api/v1/stock/value", {}},
      {"/api/v1/categories", {{"archived", Kind::text}}},
      {"/api/v1/tax-rates", {}},
      {"/api/v1/reports/reorder",
       {{"lead_days", Kind::number}, {"safety_days", Kind::number}, {"history_days", Kind::number}}},
  };
  return routes;
}

// Not UTF-8, or text PostgreSQL refuses: for every parameter and {id}.
const std::vector<std::string> kBrokenText = {
    "%FF",       "a%FFb",     "%C0%AF",       "%E0%80%AF", "%F0%80%80%AF",
    "%ED%A0%80", "%ED%BF%BF", "%F4%90%80%80", "%00",       "x%00y",
};
const std::vector<std::string> kBadDates = {
    "2026-02-30", "2026-13-01",       "2026-00-10", "0000-01-01",          "99999-01-01", "2026-01-01T25:00",
    "2025-02-29", "2026-01-01T23:60", "2026-1-1",   "2026-01-01T10:00+16", "%FF",
};
const std::vector<std::string> kBadNumbers = {
    "1e30", "9223372036854775808", "-9223372036854775809", "99999999999999999999", "-1", "0x10", "1.5", " 5",
};

// Words of SQL or libpqxx that must never reach a client.
const std::vector<std::string> kLeaks = {"ERROR:",   "pqxx",     "syntax",   "relation", "column",
                                         "SQLSTATE", "violates", "postgres", "select "};

class BadInput : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  // The request as `who` (a manager, or the till for till routes).
  httplib::Result get(const std::string& target) {
    const bool till = target.rfind("/api/v1/sync/pull", 0) == 0 || target.rfind("/api/v1/sync/bootstrap", 0) == 0 ||
                      target.rfind("/api/v1/grants/revoked", 0) == 0 ||
                      (target.rfind("/api/v1/till", 0) == 0 && target.rfind("/api/v1/tills", 0) != 0);
    if (manager_.empty()) manager_ = manager_headers();
    return client_->Get(target.c_str(), till ? till_headers() : manager_);
  }

  // A 4xx with {"error":{"code","message","request_id"}} and no SQL or driver text.
  void expect_clean_refusal(const std::string& target) {
    auto r = get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_GE(r->status, 400) << target << " -> " << r->status << " " << r->body;
    EXPECT_LT(r->status, 500) << target << " -> " << r->status << " " << r->body;
    const auto body = json::parse(r->body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body.contains("error")) << target << " -> " << r->body;
    EXPECT_TRUE(body["error"]["code"].is_string()) << target;
    EXPECT_TRUE(body["error"]["message"].is_string()) << target;
    for (const auto& word : kLeaks)
      EXPECT_EQ(r->body.find(word), std::string::npos) << target << ": " << r->body;
  }

  // The route with a real id in {id} and the till's protocol version, so
  // each case fails for the one value under test.
  std::string base(const std::string& path) {
    std::string p = path;
    const auto brace = p.find("{id}");
    if (brace != std::string::npos) p.replace(brace, 4, "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6001");
    if (path == "/api/v1/sync/pull" || path.rfind("/api/v1/sync/bootstrap", 0) == 0)
      return p + "?protocol_version=" + std::to_string(sp::kProtocolVersion) + "&";
    return p + "?";
  }

  httplib::Headers manager_;
};

TEST_F(BadInput, RegistryIsCovered) {
  std::set<std::string> missing;
  for (const auto& route : registry_->routes())
    if (route.method == "GET" && get_routes().count(route.path) == 0) missing.insert(route.path);
  EXPECT_TRUE(missing.empty()) << "GET routes without a row in get_routes(): " << *missing.begin();
}

TEST_F(BadInput, BrokenUtf8AndNulInAnyQueryParameterIsA400NotA500) {
  for (const auto& [path, params] : get_routes()) {
    for (const auto& p : params) {
      for (const auto& v : kBrokenText) expect_clean_refusal(base(path) + p.name + "=" + v);
    }
  }
}

TEST_F(BadInput, BrokenUtf8InAnIdSegmentIsRefusedCleanly) {
  for (const auto& [path, params] : get_routes()) {
    const auto brace = path.find("{id}");
    if (brace == std::string::npos) continue;
    for (const auto& v : kBrokenText) {
      std::string p = path;
      p.replace(brace, 4, v);
      expect_clean_refusal(p);
    }
  }
}

TEST_F(BadInput, ImpossibleDatesAreA400) {
  for (const auto& [path, params] : get_routes()) {
    for (const auto& p : params) {
      if (p.kind != Kind::date) continue;
      for (const auto& v : kBadDates) expect_clean_refusal(base(path) + p.name + "=" + v);
    }
  }
}

TEST_F(BadInput, NumbersOutOfRangeAreA400) {
  for (const auto& [path, params] : get_routes()) {
    for (const auto& p : params) {
      if (p.kind != Kind::number) continue;
      for (const auto& v : kBadNumbers) expect_clean_refusal(base(path) + p.name + "=" + v);
    }
  }
}

TEST_F(BadInput, MalformedIdsAreRefusedCleanly) {
  for (const auto& [path, params] : get_routes()) {
    for (const auto& p : params) {
      if (p.kind != Kind::uuid) continue;
      for (const char* v :
           {"x", "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f600", "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6001x"})
        expect_clean_refusal(base(path) + p.name + "=" + v);
    }
  }
}

TEST_F(BadInput, ARepeatedParameterIsA400) {
  for (const auto& [path, params] : get_routes()) {
    for (const auto& p : params) {
      if (p.name == "protocol_version") continue;  // the base of the pull route sets it already
      // Two different values (cpp-httplib itself drops an exact repeat of name=value).
      const std::string v = p.kind == Kind::date ? "2026-01-0" : p.kind == Kind::number ? "5" : "open";
      expect_clean_refusal(base(path) + p.name + "=" + v + "1&" + p.name + "=" + v + "2");
    }
  }
}

TEST_F(BadInput, ABackwardsRangeIsA400) {
  for (const auto& [path, params] : get_routes()) {
    bool ranged = false;
    for (const auto& p : params) ranged = ranged || p.name == "from";
    if (!ranged) continue;
    expect_clean_refusal(base(path) + "from=2026-03-02&to=2026-03-01");
    expect_clean_refusal(base(path) + "from=2026-03-01T10:00:00Z&to=2026-03-01T09:59:59Z");
    // The same day, or one instant, is a range, not an error.
    auto same_day = get(base(path) + "from=2026-03-01&to=2026-03-01");
    ASSERT_TRUE(same_day);
    EXPECT_EQ(same_day->status, 200) << path << " " << same_day->body;
  }
}

TEST_F(BadInput, ExtremeButRealDatesAreAnswered) {
  for (const auto& path : {"/api/v1/sales", "/api/v1/shifts", "/api/v1/audit", "/api/v1/audit/export"}) {
    for (const char* q :
         {"from=0001-01-01&to=9999-12-31", "to=9999-12-31T23:59:59.999999Z", "from=2024-02-29"}) {
      auto r = get(base(path) + q);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 200) << path << "?" << q << " -> " << r->body;
    }
  }
}

// A "\u0000" escape in any string of a JSON body: every route that takes a
// body answers 4xx (the NUL never reaches PostgreSQL, which would refuse it
// mid-statement with a 500).
TEST_F(BadInput, ANulEscapeInAJsonBodyIsRefusedCleanly) {
  const std::string nul = "\"a\\u0000b\"";
  std::string body = "{";
  for (const char* field : {"name", "note", "username", "login", "password", "display_name", "email",
                            "reason", "current_password", "new_password", "pin", "role"})
    body += std::string(body.size() > 1 ? "," : "") + "\"" + field + "\":" + nul;
  body += "}";
  for (const auto& route : registry_->routes()) {
    if (route.method == "GET" || route.path == "/api/v1/auth/logout") continue;
    const auto target = base(route.path).substr(0, base(route.path).find('?'));
    const bool till = route.access.kind == sp::http::AccessKind::till;
    auto headers = till ? till_headers() : manager_headers();
    auto r = route.method == "POST"    ? client_->Post(target.c_str(), headers, body, "application/json")
             : route.method == "PUT"   ? client_->Put(target.c_str(), headers, body, "application/json")
             : route.method == "PATCH" ? client_->Patch(target.c_str(), headers, body, "application/json")
                                       : client_->Delete(target.c_str(), headers, body, "application/json");
    ASSERT_TRUE(r) << route.method << " " << target;
    EXPECT_GE(r->status, 400) << route.method << " " << target << " -> " << r->body;
    EXPECT_LT(r->status, 500) << route.method << " " << target << " -> " << r->body;
    for (const auto& word : kLeaks)
      EXPECT_EQ(r->body.find(word), std::string::npos) << target << ": " << r->body;
  }
}

// Two sales whose totals add up beyond 2^63-1: the totals are summed as
// numeric and answered as the exact decimal string, never wrapped or a 500.
TEST_F(BadInput, SumsBeyondBigintAreAnsweredExactly) {
  auto pushed = push({sale(1, 1000), sale(2, 1000)});
  ASSERT_EQ(pushed.results.size(), 2u);
  {
    pqxx::connection c(w_.conninfo());
    pqxx::work tx(c);
    tx.exec0(
        "UPDATE sales SET total_minor = 9223372036854775000, subtotal_minor = 9223372036854775000,"
        " paid_minor = 9223372036854775000");
    tx.exec0("UPDATE payments SET amount_minor = 9223372036854775000");
    tx.commit();
  }
  auto r = get("/api/v1/sales");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const auto body = json::parse(r->body);
  EXPECT_EQ(body["totals"]["count"], 2);
  EXPECT_EQ(body["totals"]["total"], "18446744073709550000") << body["totals"].dump();
  EXPECT_EQ(body["totals"]["refunded"], 0);
  EXPECT_EQ(body["items"][0]["total"], 9223372036854775000);

  auto shifts = get("/api/v1/shifts");
  ASSERT_TRUE(shifts);
  EXPECT_EQ(shifts->status, 200) << shifts->body;
}

// A large export streams: chunked, a page (one short query) at a time,
// complete, and audited once with its row count.
TEST_F(BadInput, AuditExportOfALargeRangeIsStreamed) {
  constexpr int kRows = 3500;
  {
    pqxx::connection c(w_.conninfo());
    pqxx::work tx(c);
    tx.exec_params0(
        "INSERT INTO audit_log (store_id, action, detail)"
        " SELECT $1::uuid, 'test.bulk', jsonb_build_object('n', n) FROM generate_series(1, $2) n",
        w_.store(), kRows);
    tx.commit();
  }
  std::size_t chunks = 0;
  std::string csv;
  auto r = client_->Get("/api/v1/audit/export?action=test.bulk", manager_headers(),
                        [&](const char* data, std::size_t n) {
                          ++chunks;
                          csv.append(data, n);
                          return true;
                        });
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(r->has_header("Content-Length"));
  std::size_t lines = 0;
  for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++lines;
  EXPECT_EQ(lines, static_cast<std::size_t>(kRows) + 1);  // the header line and every row
  EXPECT_GT(chunks, 1u);

  auto audited = get("/api/v1/audit?action=audit.export");
  ASSERT_TRUE(audited);
  const auto rows = json::parse(audited->body)["rows"];
  ASSERT_EQ(rows.size(), 1u) << audited->body;
  EXPECT_EQ(rows[0]["detail"]["rows"], kRows);
}

// The statement timeout of a manager's read turns into db::QueryTimeout
// (HTTP 503 with a message to narrow the filters), not a driver error.
TEST_F(BadInput, AReadOverItsStatementTimeoutIsAQueryTimeout) {
  EXPECT_THROW(w_.pool().with_connection([](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    sp::db::limit_statement_time(tx, 50);
    tx.exec("SELECT pg_sleep(5)");
    return 0;
  }),
               sp::db::QueryTimeout);
}

}  // namespace
