// Ops PostgreSQL cannot store as sent (a NUL character in the payload, in a
// line name, in the user id or the grant; an op whose payload is over the
// size limit), pushed over real HTTP: each is answered `rejected` with
// `payload_unstorable` and kept in a safe form for a manager, the other ops
// of the batch apply, a replay is a duplicate, and nothing is ever a 5xx
// (a 5xx makes the till retry the same batch forever).
// Not here: the decoder's own refusals (push_exactly_once_test.cpp).
#include <nlohmann/json.hpp>

#include "store_http_support.hpp"

namespace {

class PushUnstorable : public ::testing::Test, protected salespider::test::StoreOverHttp {
 protected:
  // Pushes a raw body; the answer must be a 200 with a result per op.
  salespider::PushResponse push_text(const std::string& body) {
    auto r = client_->Post("/api/v1/sync/push", till_headers(), body, "application/json");
    EXPECT_TRUE(r) << "no answer";
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    auto decoded = salespider::decode_push_response(r->body);
    EXPECT_TRUE(decoded.ok()) << r->body;
    return decoded.ok() ? *decoded : salespider::PushResponse{};
  }

  // The batch text of `ops` with `from` (the first time it occurs in the op
  // `op_id`, whose envelope opens before its id: keys are sorted) replaced
  // by `to`: how a till with a damaged op would send it.
  std::string spliced(std::vector<salespider::Op> ops, const std::string& op_id, const std::string& from,
                      const std::string& to) {
    auto text = batch(std::move(ops));
    const auto at = text.find(from, text.rfind("{\"", text.find(op_id)));
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }

  std::string stored(const std::string& op_id, const std::string& column) {
    return w_.sql_value("SELECT coalesce(" + column + ", '') FROM applied_ops WHERE op_id = '" + op_id + "'");
  }
};

}  // namespace

TEST_F(PushUnstorable, ANulInAPayloadIsRejectedStoredSafelyAndTheOtherOpsApply) {
  auto before = sale(1, 1000);
  auto bad = sale(2, 1000);
  auto after = sale(3, 1000);
  // The payment reference "slip" becomes "sl\u0000ip".
  const auto body = spliced({before, bad, after}, bad.op_id, "\"slip\"", "\"sl\\u0000ip\"");
  const auto r = push_text(body);
  ASSERT_EQ(r.results.size(), 3u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied);
  EXPECT_EQ(r.results[1].status, salespider::OpStatus::rejected);
  EXPECT_EQ(r.results[1].code, "payload_unstorable");
  EXPECT_EQ(r.results[2].status, salespider::OpStatus::applied);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales"), "2");
  // Kept for a manager: the original bytes (base64url), their length and hash.
  const auto payload = nlohmann::json::parse(stored(bad.op_id, "payload::text"));
  ASSERT_TRUE(payload.contains("unstorable")) << payload.dump();
  EXPECT_GT(payload["unstorable"]["bytes"].get<std::int64_t>(), 0);
  EXPECT_EQ(payload["unstorable"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_FALSE(payload["unstorable"]["base64url"].get<std::string>().empty());
  EXPECT_EQ(stored(bad.op_id, "kind"), "sale");

  // Replaying the whole batch: all duplicates, nothing new.
  const auto again = push_text(body);
  ASSERT_EQ(again.results.size(), 3u);
  for (const auto& x : again.results) EXPECT_EQ(x.status, salespider::OpStatus::duplicate) << x.op_id;
  EXPECT_NE(again.results[1].message.find("original: rejected"), std::string::npos) << again.results[1].message;
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales"), "2");
}

TEST_F(PushUnstorable, ANulInALineNameIsRejectedAndShownToManagers) {
  auto good = sale(1, 1000);
  auto bad = sale(2, 1000);
  const auto r = push_text(spliced({good, bad}, bad.op_id, "\"Rice\"", "\"Ri\\u0000ce\""));
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied);
  EXPECT_EQ(r.results[1].status, salespider::OpStatus::rejected);
  EXPECT_EQ(r.results[1].code, "payload_unstorable");
  // The needs-attention list shows it, with its reason.
  auto list = client_->Get("/api/v1/ops", manager_headers());
  ASSERT_EQ(list->status, 200) << list->body;
  const auto j = nlohmann::json::parse(list->body);
  bool listed = false;  // the good sale is listed too (flagged oversold: no stock)
  for (const auto& o : j["ops"])
    if (o["op_id"] == bad.op_id) {
      listed = true;
      EXPECT_EQ(o["status"], "rejected");
      EXPECT_EQ(o["reject_code"], "payload_unstorable");
    }
  EXPECT_TRUE(listed) << list->body;
  auto show = client_->Get("/api/v1/ops/" + bad.op_id, manager_headers());
  EXPECT_EQ(show->status, 200) << show->body;
  // A manager's retry cannot make it storable: it stays rejected, no 5xx.
  auto retry = client_->Post("/api/v1/ops/" + bad.op_id + "/retry", manager_headers(), "", "application/json");
  EXPECT_EQ(retry->status, 200) << retry->body;
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales"), "1");
}

TEST_F(PushUnstorable, ANulInTheUserIdOrTheGrantIsRejectedNotA5xx) {
  auto good = sale(1, 1000);
  auto bad_user = sale(2, 1000);
  auto bad_grant = sale(3, 1000);
  auto text = spliced({good, bad_user, bad_grant}, bad_user.op_id, "\"" + cashier_.id + "\"",
                      "\"" + cashier_.id.substr(0, 8) + "\\u0000" + cashier_.id.substr(9) + "\"");
  const auto grant_at = text.find("\"grant\":\"", text.rfind("{\"", text.find(bad_grant.op_id))) + 9;
  text.insert(grant_at + 4, "\\u0000");
  const auto r = push_text(text);
  ASSERT_EQ(r.results.size(), 3u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied);
  EXPECT_EQ(r.results[1].status, salespider::OpStatus::rejected);
  EXPECT_EQ(r.results[2].status, salespider::OpStatus::rejected);
  EXPECT_EQ(r.results[2].code, "payload_unstorable");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM applied_ops WHERE status = 'rejected'"), "2");
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales"), "1");
  const auto again = push_text(text);
  for (const auto& x : again.results) EXPECT_EQ(x.status, salespider::OpStatus::duplicate) << x.op_id;
}

TEST_F(PushUnstorable, AnUnknownKindWithANulIsStoredAsUnknown) {
  auto good = sale(1, 1000);
  auto bad = sale(2, 1000);
  const auto r = push_text(spliced({good, bad}, bad.op_id, "\"kind\":\"sale\"", "\"kind\":\"sa\\u0000le\""));
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied);
  EXPECT_EQ(r.results[1].status, salespider::OpStatus::rejected);
  EXPECT_EQ(stored(bad.op_id, "kind"), "unknown");
}

TEST_F(PushUnstorable, AnOpWhosePayloadIsOverTheLimitIsRejectedAndKeptCut) {
  auto good = sale(1, 1000);
  auto big = sale(2, 1000);
  // A reference far over the payload limit: the decoder refuses it and the
  // server keeps what fits, as valid JSON.
  const std::string huge(salespider::kMaxPayloadBytes + 1000, 'x');
  const auto r = push_text(spliced({good, big}, big.op_id, "\"slip\"", "\"" + huge + "\""));
  ASSERT_EQ(r.results.size(), 2u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied);
  EXPECT_EQ(r.results[1].status, salespider::OpStatus::rejected);
  EXPECT_EQ(w_.sql_value("SELECT count(*) FROM applied_ops WHERE status = 'rejected' AND payload IS NOT NULL"), "1");
}
