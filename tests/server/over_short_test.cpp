// GET /api/v1/shifts/over-short over real HTTP: shifts opened and closed
// through POST /api/v1/sync/push as tills send them, with known floats and
// counts, come out per person with over, short and net equal to what is
// worked out by hand and to independent SQL over the same closing days in
// the store's time zone; the period's edges move with that time zone.
#include "store_http_support.hpp"

using nlohmann::json;

namespace sp = salespider;

namespace {

// UTC instants (ms): the 1st at 20:00, 22:30, 22:40, 23:30; the 2nd at
// 08:00, 18:00, 18:30, 20:00, 21:00, 22:30, 22:40, 23:30 (March 2024).
constexpr std::int64_t kMar1 = 1709251200000;  // 2024-03-01T00:00Z
constexpr std::int64_t kHour = 3600'000;
constexpr std::int64_t kMin = 60'000;

class OverShort : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  json get(const std::string& path, const httplib::Headers& headers, int status = 200) {
    auto r = client_->Get(path.c_str(), headers);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << " -> " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  sp::Op dated(sp::Op o, std::int64_t at, const std::string& user, const sp::service::EnrolledTill& till) {
    o.created_at = at;
    o.user_id = user;
    o.till_id = till.till.till_id;
    o.grant.clear();  // years back: no grant is valid; the ops are kept and flagged
    return o;
  }

  // A shift of `user` on `till`, open from `opened` to `closed` (0 = still
  // open), with `float_minor` and nothing sold: expected cash = the float.
  std::vector<sp::Op> shift(const sp::service::EnrolledTill& till, const std::string& user, std::int64_t opened,
                            std::int64_t closed, std::int64_t float_minor, std::int64_t counted) {
    const auto id = new_id();
    const auto currency = *sp::find_currency(currency_);
    std::vector<sp::Op> ops{
        dated(op(sp::OpKind::shift_open, *sp::encode_shift_open_payload({id, currency, float_minor})), opened, user, till)};
    if (closed)
      ops.push_back(dated(op(sp::OpKind::shift_close, *sp::encode_shift_close_payload({id, counted, ""})), closed, user,
                          till));
    return ops;
  }

  void push_as(const sp::service::EnrolledTill& till, const std::vector<sp::Op>& ops) {
    sp::PushBatch b;
    b.till_id = till.till.till_id;
    b.ops = ops;
    auto headers = till_headers();
    headers.erase("Authorization");
    headers.emplace("Authorization", "Bearer " + till.credential);
    auto r = client_->Post("/api/v1/sync/push", headers, *sp::encode_push_batch(b), "application/json");
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : std::string("no answer"));
    const auto response = sp::decode_push_response(r->body);
    ASSERT_TRUE(response.ok()) << r->body;
    for (const auto& res : response->results)
      EXPECT_EQ(res.status, sp::OpStatus::applied) << res.code << " " << res.message;
  }

  // Front till: cashier1 +500 (closed 22:30Z on the 1st), cashier1 -200
  // (closed 23:30Z on the 1st), manager +100 (22:30Z on the 2nd), manager
  // +1000 (23:30Z on the 2nd). Back till: cashier2 0 (18:00Z on the 2nd),
  // cashier2 -300 (20:00Z on the 2nd), and one still open.
  void seed() {
    cashier2_ = w_.add_user(sp::auth::Role::cashier, "cashier2");
    back_ = w_.add_till("Back");
    std::vector<sp::Op> front, back;
    auto add = [](std::vector<sp::Op>& to, std::vector<sp::Op> ops) { to.insert(to.end(), ops.begin(), ops.end()); };
    add(front, shift(till_, cashier_.id, kMar1 + 20 * kHour, kMar1 + 22 * kHour + 30 * kMin, 10'000, 10'500));
    add(front, shift(till_, cashier_.id, kMar1 + 22 * kHour + 40 * kMin, kMar1 + 23 * kHour + 30 * kMin, 10'000, 9'800));
    add(front, shift(till_, manager_.id, kMar1 + 30 * kHour, kMar1 + 46 * kHour + 30 * kMin, 10'000, 10'100));
    add(front, shift(till_, manager_.id, kMar1 + 46 * kHour + 40 * kMin, kMar1 + 47 * kHour + 30 * kMin, 10'000, 11'000));
    add(back, shift(back_, cashier2_.id, kMar1 + 32 * kHour, kMar1 + 42 * kHour, 5'000, 5'000));
    add(back, shift(back_, cashier2_.id, kMar1 + 42 * kHour + 30 * kMin, kMar1 + 44 * kHour, 5'000, 4'700));
    add(back, shift(back_, cashier2_.id, kMar1 + 45 * kHour, 0, 5'000, 0));
    push_as(till_, front);
    push_as(back_, back);
  }

  // What SQL says of the closing day `day` in the store's time zone, per person: "shifts/net".
  std::string sql_net(const std::string& user, const std::string& day) {
    return w_.sql_value(
        "SELECT count(*) || '/' || coalesce(sum(counted_cash_minor - expected_cash_minor), 0) FROM shifts sh, settings s"
        " WHERE s.store_id = sh.store_id AND sh.status = 'closed' AND sh.user_id = '" + user +
        "' AND (sh.closed_at AT TIME ZONE s.time_zone)::date = '" + day + "'");
  }

  const json* row_of(const json& answer, const std::string& user) {
    for (const auto& c : answer["cashiers"])
      if (c["user"]["id"] == user) return &c;
    return nullptr;
  }

  sp::service::UserView cashier2_;
  sp::service::EnrolledTill back_;
};

TEST_F(OverShort, PerPersonOverShortAndNetEqualTheHandWorkAndIndependentSqlInTheStoresTimeZone) {
  seed();
  w_.sql("UPDATE settings SET time_zone = 'Africa/Lagos'");  // UTC+1: 23:30Z on the 1st is the 2nd there
  const auto h = manager_headers();
  const auto a = get("/api/v1/shifts/over-short?from=2024-03-02&to=2024-03-02", h);
  EXPECT_EQ(a["from"], "2024-03-02");
  EXPECT_EQ(a["to"], "2024-03-02");
  EXPECT_EQ(a["currency"], currency_);
  ASSERT_EQ(a["cashiers"].size(), 3u) << a.dump(2);
  struct Want {
    std::string user;
    int shifts;
    std::int64_t over, short_, net, expected, counted;
  } want[] = {{cashier_.id, 1, 0, -200, -200, 10'000, 9'800},
              {cashier2_.id, 2, 0, -300, -300, 10'000, 9'700},
              {manager_.id, 1, 100, 0, 100, 10'000, 10'100}};
  for (const auto& w : want) {
    const auto* row = row_of(a, w.user);
    ASSERT_NE(row, nullptr) << w.user;
    EXPECT_EQ((*row)["shifts"], w.shifts) << w.user;
    EXPECT_EQ((*row)["over"], w.over) << w.user;
    EXPECT_EQ((*row)["short"], w.short_) << w.user;
    EXPECT_EQ((*row)["net"], w.net) << w.user;
    EXPECT_EQ((*row)["expected"], w.expected) << w.user;
    EXPECT_EQ((*row)["counted"], w.counted) << w.user;
    EXPECT_EQ(sql_net(w.user, "2024-03-02"), std::to_string(w.shifts) + "/" + std::to_string(w.net)) << w.user;
  }
  EXPECT_EQ(row_of(a, cashier2_.id)->at("user")["name"], cashier2_.display_name);
  EXPECT_EQ(a["total"]["shifts"], 4);
  EXPECT_EQ(a["total"]["over"], 100);
  EXPECT_EQ(a["total"]["short"], -500);
  EXPECT_EQ(a["total"]["net"], -400);

  // The same day in UTC: the 23:30Z close of the 1st leaves, that of the 2nd comes in.
  w_.sql("UPDATE settings SET time_zone = 'UTC'");
  const auto utc = get("/api/v1/shifts/over-short?from=2024-03-02&to=2024-03-02", h);
  EXPECT_EQ(row_of(utc, cashier_.id), nullptr);
  EXPECT_EQ((*row_of(utc, manager_.id))["net"], 1'100);
  EXPECT_EQ((*row_of(utc, manager_.id))["over"], 1'100);
  EXPECT_EQ(sql_net(manager_.id, "2024-03-02"), "2/1100");
  EXPECT_EQ(utc["total"]["net"], 800);

  // A till narrows it; no period is every closed shift; the open one is never counted.
  const auto back = get("/api/v1/shifts/over-short?till=" + back_.till.till_id, h);
  ASSERT_EQ(back["cashiers"].size(), 1u);
  EXPECT_EQ(back["cashiers"][0]["shifts"], 2);
  EXPECT_TRUE(back["from"].is_null());
  const auto all = get("/api/v1/shifts/over-short", h);
  EXPECT_EQ(all["total"], (json{{"shifts", 6}, {"over", 1'600}, {"short", -500}, {"net", 1'100},
                                {"expected", 50'000}, {"counted", 51'100}}));
  EXPECT_EQ(w_.sql_value("SELECT sum(counted_cash_minor - expected_cash_minor) FROM shifts WHERE status = 'closed'"),
            "1100");
}

TEST_F(OverShort, AnEmptyPeriodHasZeroTotalsAndOnlyManagersMayAsk) {
  seed();
  const auto none = get("/api/v1/shifts/over-short?from=2025-01-01&to=2025-01-31", manager_headers());
  EXPECT_EQ(none["cashiers"], json::array());
  EXPECT_EQ(none["total"], (json{{"shifts", 0}, {"over", 0}, {"short", 0}, {"net", 0}, {"expected", 0}, {"counted", 0}}));
  EXPECT_EQ(get("/api/v1/shifts/over-short", headers_of("cashier1"), 403)["error"]["code"], "forbidden");
  EXPECT_EQ(get("/api/v1/shifts/over-short?from=2024-02-30", manager_headers(), 400)["error"]["field"], "from");
  EXPECT_EQ(get("/api/v1/shifts/over-short?till=front", manager_headers(), 400)["error"]["field"], "till");
  EXPECT_EQ(get("/api/v1/shifts/over-short?from=2024-03-02&to=2024-03-01", manager_headers(), 400)["error"]["field"],
            "to");
}

}  // namespace
