// GET /api/v1/reports/reorder over four weeks of sales pushed through the
// real push endpoint (POST /api/v1/sync/push), dated on past days as a till
// coming back online sends them: a weekly-patterned seller that needs an
// order, a steady seller with enough stock, a slow mover, dead stock, a
// refund lowering its day's demand, the parameters' limits and who may look.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service/reorder.hpp"
#include "store_http_support.hpp"

namespace sp = salespider;
using nlohmann::json;

namespace {

constexpr std::int64_t kDayMs = 24 * 3600 * 1000;

class Reorder : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  void SetUp() override {
    w_.sql("UPDATE settings SET time_zone = 'UTC'");
    const auto store = sp::db::catalog::store(w_.pool());
    auto product = [&](const std::string& name, const std::string& sku) {
      sp::db::catalog::NewProduct p;
      p.name = name;
      p.sku = sku;
      p.price_minor = 1000;
      p.currency = store.currency;
      p.price_from_ms = 1'600'000'000'000;
      return sp::db::catalog::add_product(w_.pool(), store.id, p);
    };
    bread_ = product("Bread", "BREAD");
    matches_ = product("Matches", "MATCH");
    candles_ = product("Candles", "CANDLE");
    product("Soap", "SOAP");  // no stock, no sale: not listed
  }

  // Noon UTC, `days_ago` days before today.
  static std::int64_t noon(int days_ago) { return sp::test::now_ms() / kDayMs * kDayMs - days_ago * kDayMs + 12 * 3600 * 1000; }

  sp::Op dated(sp::Op o, std::int64_t at, const std::string& user) {
    o.created_at = at;
    o.user_id = user;
    o.grant.clear();  // no grant is valid weeks back: applied, flagged for a look
    return o;
  }

  sp::CartLine line(const std::string& product, const std::string& name, std::int64_t units) const {
    auto l = rice(units);
    l.product_id = product;
    l.name = name;
    return l;
  }

  sp::Op receive(const std::string& product, std::int64_t units, std::int64_t at) {
    sp::StockMovement m;
    m.product_id = product;
    m.kind = sp::StockMovementKind::receive;
    m.delta_thousandths = units * 1000;
    return dated(op(sp::OpKind::stock_movement, *sp::encode_stock_movement_payload(m)), at, manager_.id);
  }

  // 28 days of trading ending yesterday: Rice 2 a day; Bread 10 on
  // weekdays, 20 on Saturdays, 5 on Sundays; Matches one on two days;
  // Candles received, never sold. One Rice of three days ago is refunded
  // yesterday.
  void trade() {
    std::vector<sp::Op> ops{receive(product_, 100, noon(28) - 3600'000), receive(bread_, 320, noon(28) - 3600'000),
                            receive(matches_, 100, noon(28) - 3600'000), receive(candles_, 12, noon(28) - 3600'000)};
    std::int64_t seq = 0;
    sp::Op three_days_ago;
    for (int d = 28; d >= 1; --d) {
      const auto at = noon(d);
      const auto weekday = sp::service::weekday_of(day_text(at));
      std::vector<sp::CartLine> lines{rice(2), line(bread_, "Bread", weekday == 5 ? 20 : weekday == 6 ? 5 : 10)};
      if (d == 20 || d == 5) lines.push_back(line(matches_, "Matches", 1));
      ops.push_back(dated(op(sp::OpKind::sale, *sp::encode_sale_payload(sale_payload(++seq, lines))), at, cashier_.id));
      if (d == 3) three_days_ago = ops.back();
    }
    sp::RefundPayload back;
    back.sale_op_id = three_days_ago.op_id;
    back.lines.push_back({0, sp::Quantity{1000}});
    back.reason = "damaged";
    back.total = 1000;
    ops.push_back(dated(op(sp::OpKind::refund, *sp::encode_refund_payload(back)), noon(1) + 3600'000, manager_.id));
    for (const auto& r : push(ops).results) EXPECT_EQ(r.status, sp::OpStatus::applied) << r.code << r.message;
  }

  static std::string day_text(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
  }

  json get(const std::string& path, const httplib::Headers& headers, int status = 200) {
    auto r = client_->Get(path.c_str(), headers);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << " -> " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  static const json& item_of(const json& body, const std::string& name) {
    for (const auto& it : body["items"])
      if (it["product"]["name"] == name) return it;
    static const json none;
    ADD_FAILURE() << name << " not listed";
    return none;
  }

  std::string bread_, matches_, candles_;
};

}  // namespace

TEST_F(Reorder, ClassesSuggestedOrdersAndReasonsFollowTheSalesHistory) {
  trade();
  const auto body = get("/api/v1/reports/reorder", manager_headers());
  EXPECT_EQ(body["as_of"], day_text(sp::test::now_ms()));
  EXPECT_EQ(body["time_zone"], "UTC");
  EXPECT_EQ(body["lead_days"], 7);
  EXPECT_EQ(body["safety_days"], 3);
  EXPECT_EQ(body["history_days"], 56);
  ASSERT_EQ(body["items"].size(), 4u) << body.dump(1);  // Soap: no stock, no sale

  // Bread: ~10.7 a day, 20 left: an order of lead 7 + safety 3 days' demand
  // minus what is on hand, whole loaves.
  const auto& bread = item_of(body, "Bread");
  EXPECT_EQ(bread["class"], "reorder");
  EXPECT_EQ(bread["method"], "holt_winters");
  EXPECT_EQ(bread["on_hand_milli"], 20'000);
  EXPECT_EQ(bread["product"]["sku"], "BREAD");
  const auto daily = bread["forecast_daily_milli"].get<std::int64_t>();
  EXPECT_GT(daily, 9'000);
  EXPECT_LT(daily, 12'500);
  const auto order = bread["suggested_order_milli"].get<std::int64_t>();
  EXPECT_EQ(order % 1000, 0);
  const auto expected = bread["forecast_lead_milli"].get<std::int64_t>() + bread["safety_milli"].get<std::int64_t>() - 20'000;
  EXPECT_GE(order, expected);
  EXPECT_LT(order, expected + 1000);
  EXPECT_EQ(bread["busier_weekday"], "saturday");
  EXPECT_NEAR(bread["days_of_cover"].get<double>(), 20'000.0 / static_cast<double>(daily), 0.051);
  const auto reason = bread["reason"].get<std::string>();
  EXPECT_NE(reason.find("(busier Saturdays)"), std::string::npos) << reason;
  EXPECT_NE(reason.find("20 on hand lasts"), std::string::npos) << reason;
  EXPECT_NE(reason.find("order " + std::to_string(order / 1000) + "."), std::string::npos) << reason;

  // Rice: 2 a day, 45 on hand (100 - 56 sold + 1 refunded and restocked).
  const auto& rice_item = item_of(body, "Rice");
  EXPECT_EQ(rice_item["class"], "ok") << rice_item.dump();
  EXPECT_EQ(rice_item["on_hand_milli"], 45'000);
  EXPECT_EQ(rice_item["sold_milli"], 55'000) << "the refund lowers the demand of its own day";
  EXPECT_EQ(rice_item["suggested_order_milli"], 0);
  EXPECT_EQ(rice_item["days_sold"], 28);

  const auto& matches = item_of(body, "Matches");
  EXPECT_EQ(matches["class"], "slow") << matches.dump();
  EXPECT_EQ(matches["days_sold"], 2);
  EXPECT_NE(matches["reason"].get<std::string>().find("sold on 2 of 56 days"), std::string::npos) << matches.dump();

  const auto& candles = item_of(body, "Candles");
  EXPECT_EQ(candles["class"], "dead");
  EXPECT_EQ(candles["method"], "none");
  EXPECT_EQ(candles["forecast_daily_milli"], 0);
  EXPECT_TRUE(candles["days_of_cover"].is_null());
  EXPECT_EQ(candles["reason"], "No sale in 56 days; 12 on hand.");

  // Sorted: reorder, slow, dead, ok.
  std::vector<std::string> classes;
  for (const auto& it : body["items"]) classes.push_back(it["class"].get<std::string>());
  EXPECT_EQ(classes, (std::vector<std::string>{"reorder", "slow", "dead", "ok"}));

  // A longer lead time: Rice's 45 no longer covers it.
  const auto longer = get("/api/v1/reports/reorder?lead_days=30&safety_days=0&history_days=14", manager_headers());
  EXPECT_EQ(longer["lead_days"], 30);
  EXPECT_EQ(longer["history_days"], 14);
  const auto& rice_later = item_of(longer, "Rice");
  EXPECT_EQ(rice_later["class"], "reorder") << rice_later.dump();
  EXPECT_EQ(rice_later["method"], "seasonal_naive") << "14 days of history";
  EXPECT_EQ(rice_later["safety_milli"], 0);
}

TEST_F(Reorder, OutOfRangeParametersAreRefusedNamingTheField) {
  const auto manager = manager_headers();
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"lead_days=0", "lead_days"},
           {"lead_days=91", "lead_days"},
           {"lead_days=7.5", "lead_days"},
           {"safety_days=-1", "safety_days"},
           {"safety_days=abc", "safety_days"},
           {"history_days=13", "history_days"},
           {"history_days=366", "history_days"}}) {
    const auto body = get("/api/v1/reports/reorder?" + query, manager, 400);
    EXPECT_EQ(body["error"]["field"], field) << query << " -> " << body.dump();
  }
}

TEST_F(Reorder, ACashierMayNotSeeIt) {
  get("/api/v1/reports/reorder", headers_of("cashier1"), 403);
  get("/api/v1/reports/reorder", {}, 401);
}

TEST_F(Reorder, DaysAreTheStoresLocalDays) {
  // Honolulu is UTC-10 all year: local midnights are 10:00 UTC, so sales
  // half an hour either side of one are on different store days but the
  // same UTC day.
  w_.sql("UPDATE settings SET time_zone = 'Pacific/Honolulu'");
  constexpr std::int64_t kOffset = 10 * 3600 * 1000;
  const std::int64_t today = (sp::test::now_ms() - kOffset) / kDayMs * kDayMs + kOffset;  // local midnight, UTC ms
  const std::int64_t first = today - 14 * kDayMs;
  constexpr std::int64_t kHalfHour = 1800 * 1000;
  const auto late = [&] {
    sp::db::catalog::NewProduct p;
    p.name = "Lanterns";
    p.price_minor = 1000;
    p.currency = currency_;
    p.price_from_ms = 1'600'000'000'000;
    return sp::db::catalog::add_product(w_.pool(), sp::db::catalog::store(w_.pool()).id, p);
  }();
  std::vector<sp::Op> ops{receive(late, 50, first - 3 * kDayMs)};
  std::int64_t seq = 100;
  for (const auto& [at, units] : std::vector<std::pair<std::int64_t, std::int64_t>>{
           {first - kHalfHour, 1},   // the day before the window
           {first + kHalfHour, 2},   // its first day
           {today - kHalfHour, 4}})  // yesterday, late evening
    ops.push_back(dated(op(sp::OpKind::sale, *sp::encode_sale_payload(sale_payload(++seq, {line(late, "Lanterns", units)}))),
                        at, cashier_.id));
  for (const auto& r : push(ops).results) EXPECT_EQ(r.status, sp::OpStatus::applied) << r.code << r.message;

  const auto body = get("/api/v1/reports/reorder?history_days=14", manager_headers());
  EXPECT_EQ(body["time_zone"], "Pacific/Honolulu");
  EXPECT_EQ(body["as_of"], day_text(today)) << "today's local date (local midnight is 10:00 UTC of that date)";
  const auto& lanterns = item_of(body, "Lanterns");
  EXPECT_EQ(lanterns["sold_milli"], 6000) << lanterns.dump();
  EXPECT_EQ(lanterns["days_sold"], 2);
  EXPECT_EQ(lanterns["on_hand_milli"], 43'000);
}
