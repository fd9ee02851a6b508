// A till whose clock is wrong, over real HTTP with real grants: it signs in
// online (the grant is issued at the server's time), then sells with its own
// clock at -10 min, +10 min and -1 day (0 as the control). The server judges
// the grant, approvals and the price in force at the op's time corrected by
// the skew it measured (X-Till-Time), so nothing is flagged merely because
// the clock is wrong; the skew shows on the till's health instead. Dating an
// op back beyond the measured skew is still flagged `backdated`.
#include <nlohmann/json.hpp>

#include "service/stock.hpp"
#include "store_http_support.hpp"

using salespider::test::kGoodPassword;
using salespider::test::now_ms;

namespace {

constexpr std::int64_t kMinute = 60 * 1000;

class ClockSkew : public ::testing::Test, protected salespider::test::StoreOverHttp {
 protected:
  // Rice on the shelf, so no sale here is oversold.
  void SetUp() override {
    salespider::service::StockWrite w;
    w.product_key = product_;
    w.kind = "receive";
    w.quantity_milli = 100'000;
    ASSERT_TRUE(w_.services().stock().record(w_.store(), w, salespider::auth::Actor{}).ok());
  }

  // The till's own clock, `offset` off the server's.
  static std::int64_t till_clock(std::int64_t offset) { return now_ms() + offset; }

  // An online sign-in on the till (POST /api/v1/auth/login with the till's
  // credential), as the till sends it: its grant is issued at server time.
  std::string sign_in(const std::string& login, std::int64_t offset) {
    httplib::Headers h{{"X-Till-Credential", till_.credential}, {"X-Till-Time", std::to_string(till_clock(offset))}};
    auto r = client_->Post("/api/v1/auth/login", h,
                           nlohmann::json{{"login", login}, {"password", kGoodPassword}}.dump(), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : std::string("no answer"));
    if (!r || r->status != 200) return {};
    return nlohmann::json::parse(r->body)["offline_grant"]["token"].get<std::string>();
  }

  // Pushes `ops` with X-Till-Time on the till's clock (none: without the
  // header) and an empty outbox after.
  salespider::PushResponse push_at(std::optional<std::int64_t> offset, std::vector<salespider::Op> ops) {
    httplib::Headers h{{"Authorization", "Bearer " + till_.credential},
                       {"X-Till-Outbox-Depth", std::to_string(ops.size())}};
    if (offset) h.emplace("X-Till-Time", std::to_string(till_clock(*offset)));
    auto r = client_->Post("/api/v1/sync/push", h, batch(std::move(ops)), "application/json");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : std::string("no answer"));
    if (!r || r->status != 200) return {};
    auto response = salespider::decode_push_response(r->body);
    EXPECT_TRUE(response.ok()) << r->body;
    return response.ok() ? *response : salespider::PushResponse{};
  }

  // A sale of one rice at `price`, stamped by the till's clock.
  salespider::Op sale_at(std::int64_t offset, std::int64_t seq, std::int64_t price) {
    return op(salespider::OpKind::sale,
              *salespider::encode_sale_payload(sale_payload(seq, {rice(1, price)})), till_clock(offset));
  }

  std::string flags_of(const std::string& op_id) {
    return w_.sql_value("SELECT coalesce(string_agg(DISTINCT kind, ',' ORDER BY kind), '') FROM op_flags "
                        "WHERE op_id = '" + op_id + "'");
  }

  // The till's skew as managers see it (GET /api/v1/sync/health).
  std::optional<std::int64_t> health_skew() {
    auto r = client_->Get("/api/v1/sync/health", manager_headers());
    EXPECT_TRUE(r && r->status == 200);
    if (!r || r->status != 200) return std::nullopt;
    const auto body = nlohmann::json::parse(r->body);
    for (const auto& t : body["tills"])
      if (t.value("till_id", "") == till_.till.till_id && t["clock_skew_ms"].is_number_integer())
        return t["clock_skew_ms"].get<std::int64_t>();
    return std::nullopt;
  }

  // Sign in, then sell at the price that came into force five minutes ago:
  // the sale is applied with no flag at all and the skew is on the health.
  void sells_cleanly_with_the_clock_off_by(std::int64_t offset) {
    SCOPED_TRACE("till clock off by " + std::to_string(offset / kMinute) + " min");
    salespider::db::catalog::set_price(w_.pool(), product_, 1100, now_ms() - 5 * kMinute);
    grant_ = sign_in("cashier1", offset);
    ASSERT_FALSE(grant_.empty());
    auto sale = sale_at(offset, 1, 1100);
    const auto r = push_at(offset, {sale});
    ASSERT_EQ(r.results.size(), 1u);
    EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied) << r.results[0].message;
    EXPECT_EQ(flags_of(sale.op_id), "") << r.results[0].message;
    EXPECT_EQ(w_.sql_value("SELECT count(*) FROM sales WHERE id = '" + sale.op_id + "'"), "1");
    const auto skew = health_skew();
    ASSERT_TRUE(skew.has_value());
    EXPECT_NEAR(static_cast<double>(*skew), static_cast<double>(offset), 30'000.0);
  }
};

}  // namespace

TEST_F(ClockSkew, ATillWithTheRightClockSellsWithoutFlags) { sells_cleanly_with_the_clock_off_by(0); }

TEST_F(ClockSkew, ATillTenMinutesSlowSellsWithoutFlagsAfterAnOnlineSignIn) {
  sells_cleanly_with_the_clock_off_by(-10 * kMinute);
}

TEST_F(ClockSkew, ATillTenMinutesFastSellsWithoutFlagsAfterAnOnlineSignIn) {
  sells_cleanly_with_the_clock_off_by(10 * kMinute);
}

TEST_F(ClockSkew, ATillADaySlowSellsWithoutFlagsButBackDatingBeyondItsSkewIsFlagged) {
  const std::int64_t offset = -24 * 60 * kMinute;
  sells_cleanly_with_the_clock_off_by(offset);
  // Everything was pushed; a sale the till now says it made three minutes
  // ago (on its own, day-slow clock) was dated back past that push.
  auto late = sale_at(offset - 3 * kMinute, 2, 1100);
  const auto r = push_at(offset, {late});
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied);
  EXPECT_EQ(flags_of(late.op_id), "backdated");
}

TEST_F(ClockSkew, AManagersApprovalIsJudgedOnTheCorrectedClock) {
  const std::int64_t offset = -10 * kMinute;
  grant_ = sign_in("cashier1", offset);
  const auto manager_grant = sign_in("manager1", offset);
  // 25% off is above the cashier's limit: the manager approved it on the till.
  auto payload = sale_payload(1, {rice(1, 1000, {{salespider::DiscountKind::percent, 2500}})});
  payload.approval = salespider::Approval{manager_.id, manager_grant};
  auto sale = op(salespider::OpKind::sale, *salespider::encode_sale_payload(payload), till_clock(offset));
  const auto r = push_at(offset, {sale});
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied) << r.results[0].message;
  EXPECT_EQ(flags_of(sale.op_id), "");
}

// The sign-in measures the skew too: a push that arrives without X-Till-Time
// (a proxy dropped it) is judged with the skew measured at the sign-in.
TEST_F(ClockSkew, AnOnlineSignInMeasuresTheSkewForAPushWithoutTheHeader) {
  const std::int64_t offset = -10 * kMinute;
  grant_ = sign_in("cashier1", offset);
  const auto measured = health_skew();
  ASSERT_TRUE(measured.has_value());
  EXPECT_NEAR(static_cast<double>(*measured), static_cast<double>(offset), 30'000.0);
  auto sale = sale_at(offset, 1, 1000);
  const auto r = push_at(std::nullopt, {sale});
  ASSERT_EQ(r.results.size(), 1u);
  EXPECT_EQ(r.results[0].status, salespider::OpStatus::applied) << r.results[0].message;
  EXPECT_EQ(flags_of(sale.op_id), "");
}
