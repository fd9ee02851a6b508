// GET /api/v1/reports/dashboard over real HTTP, every figure and breakdown
// checked against independent SQL written here straight over the base
// tables (sales, sale_lines, payments, refunds, applied_ops) with
// `AT TIME ZONE`: a normal day, a month with its previous period, both DST
// change days of Europe/Berlin (23 and 25 hours, sales in the repeated
// hour), a sale pushed late onto an old day, a void, and a change of the
// store's time zone (the summaries are rebuilt and figures move days).
// Sales go in through POST /api/v1/sync/push from two tills by two cashiers.
#include <pqxx/pqxx>

#include "db/catalog.hpp"
#include "db/pool.hpp"
#include "store_http_support.hpp"

using nlohmann::json;

namespace sp = salespider;

namespace {

class Dashboard : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  void SetUp() override {
    w_.sql("UPDATE settings SET time_zone = 'Europe/Berlin'");
    cashier2_ = w_.add_user(sp::auth::Role::cashier, "cashier2");
    till2_ = w_.add_till("Back");
    const auto store = sp::db::catalog::store(w_.pool());
    w_.sql("INSERT INTO categories (store_id, name) VALUES ('" + store.id + "', 'Oils')");
    const auto oils = w_.sql_value("SELECT id FROM categories WHERE name = 'Oils'");
    sp::db::catalog::NewProduct p;
    p.name = "Palm oil";
    p.sku = "PALM-1L";
    p.category_id = oils;
    p.price_minor = 2500;
    p.cost_minor = 1800;
    p.currency = store.currency;
    p.price_from_ms = 1'600'000'000'000;
    palm_ = sp::db::catalog::add_product(w_.pool(), store.id, p);
    p.name = "Matches";
    p.sku = "MATCH";
    p.category_id = "";
    p.price_minor = 150;
    p.cost_minor = -1;  // cost unknown
    matches_ = sp::db::catalog::add_product(w_.pool(), store.id, p);
    w_.sql("UPDATE products SET cost_minor = 700 WHERE id = '" + product_ + "'");  // rice: cost known
    for (const auto& id : {product_, palm_, matches_})
      w_.sql("INSERT INTO stock_levels (product_id, store_id, on_hand_milli) VALUES ('" + id + "', '" + store.id +
             "', 500000) ON CONFLICT (product_id) DO UPDATE SET on_hand_milli = 500000");
  }

  std::int64_t at(const std::string& utc) {
    return std::stoll(w_.sql_value("SELECT (extract(epoch FROM '" + utc + "'::timestamptz) * 1000)::bigint"));
  }

  sp::CartLine line(const std::string& product, const std::string& name, std::int64_t units, std::int64_t price,
                    std::vector<sp::Discount> discounts = {}) const {
    auto l = rice(units, price, std::move(discounts));
    l.product_id = product;
    l.name = name;
    return l;
  }

  // A sale at `utc` on till 1 or 2 by `user`, without a grant (old sales are
  // kept with a flag, which the dashboard ignores).
  sp::Op sale_at(int till, const std::string& utc, const std::string& user, std::vector<sp::CartLine> lines,
                 std::vector<sp::Payment> payments = {}) {
    auto payload = sale_payload(1, std::move(lines), std::move(payments));
    for (auto& p : payload.payments)
      if (p.amount == 0) p.amount = payload.total;  // 0 = exactly the total
    const auto& t = till == 1 ? till_ : till2_;
    payload.receipt_number = *sp::format_receipt_number({t.till.till_code, ++seq_[till]});
    auto o = op(sp::OpKind::sale, *sp::encode_sale_payload(payload));
    o.till_id = t.till.till_id;
    o.created_at = at(utc);
    o.user_id = user;
    o.grant.clear();
    return o;
  }

  void push_on(int till, std::vector<sp::Op> ops) {
    const auto& t = till == 1 ? till_ : till2_;
    sp::PushBatch b;
    b.till_id = t.till.till_id;
    b.ops = std::move(ops);
    httplib::Headers h{{"Authorization", "Bearer " + t.credential}, {"X-Till-Time", std::to_string(sp::test::now_ms())}};
    auto r = client_->Post("/api/v1/sync/push", h, *sp::encode_push_batch(b), "application/json");
    ASSERT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    auto response = sp::decode_push_response(r->body);
    ASSERT_TRUE(response.ok());
    for (const auto& x : response->results) EXPECT_EQ(x.status, sp::OpStatus::applied) << x.code << " " << x.message;
  }

  sp::Op refund_of(const sp::Op& sale, const std::string& utc, std::int64_t total) {
    sp::RefundPayload p;
    p.sale_op_id = sale.op_id;
    p.lines.push_back({0, sp::Quantity{1000}});
    p.reason = "damaged";
    p.total = total;
    auto o = op(sp::OpKind::refund, *sp::encode_refund_payload(p));
    o.created_at = at(utc);
    o.user_id = manager_.id;
    o.grant.clear();
    return o;
  }

  sp::Op void_at(const std::string& utc) {
    sp::VoidPayload p;
    p.sale_id = new_id();
    p.reason = "customer left";
    auto o = op(sp::OpKind::void_sale, *sp::encode_void_payload(p));
    o.created_at = at(utc);
    o.user_id = manager_.id;
    o.grant.clear();
    return o;
  }

  json dashboard(const std::string& from, const std::string& to, int status = 200) {
    const auto path = "/api/v1/reports/dashboard?from=" + from + "&to=" + to;
    auto r = client_->Get(path.c_str(), manager_headers());
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << " -> " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  json sql_json(const std::string& q) { return json::parse(w_.sql_value(q)); }

  // The figures of [from, to] in zone `tz`, from the base tables.
  json expected_figures(const std::string& from, const std::string& to, const std::string& tz) {
    const std::string in = " BETWEEN '" + from + "'::date AND '" + to + "'::date";
    const std::string s = "(SELECT * FROM sales WHERE status = 'completed' AND (occurred_at AT TIME ZONE '" + tz +
                          "')::date" + in + ")";
    auto raw = sql_json(
        "SELECT json_build_object("
        " 'revenue', (SELECT coalesce(sum(total_minor), 0) FROM " + s + " s),"
        " 'tax', (SELECT coalesce(sum(tax_minor), 0) FROM " + s + " s),"
        " 'discounts', (SELECT coalesce(sum(discount_minor), 0) FROM " + s + " s),"
        " 'sales', (SELECT count(*) FROM " + s + " s),"
        " 'refunds', (SELECT coalesce(sum(total_minor), 0) FROM refunds WHERE (occurred_at AT TIME ZONE '" + tz +
        "')::date" + in + "),"
        " 'voids', (SELECT count(*) FROM applied_ops WHERE kind = 'void' AND status = 'applied'"
        "            AND (occurred_at AT TIME ZONE '" + tz + "')::date" + in + "),"
        " 'items', (SELECT coalesce(sum(l.quantity_milli), 0) FROM " + s + " s JOIN sale_lines l ON l.sale_id = s.id),"
        " 'cost', (SELECT round(sum(l.quantity_milli * p.cost_minor) / 1000.0) FROM " + s +
        " s JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id),"
        " 'known_net', (SELECT sum(l.total_minor - l.tax_minor) FROM " + s +
        " s JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id WHERE p.cost_minor IS NOT NULL),"
        " 'known_rev', (SELECT coalesce(sum(l.total_minor), 0) FROM " + s +
        " s JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id WHERE p.cost_minor IS NOT NULL),"
        " 'line_rev', (SELECT coalesce(sum(l.total_minor), 0) FROM " + s + " s JOIN sale_lines l ON l.sale_id = s.id)"
        ")::text");
    const auto rev = raw["revenue"].get<std::int64_t>(), n = raw["sales"].get<std::int64_t>();
    const auto line_rev = raw["line_rev"].get<std::int64_t>();
    json f{{"revenue", rev},
           {"tax", raw["tax"]},
           {"discounts", raw["discounts"]},
           {"refunds", raw["refunds"]},
           {"net", rev - raw["refunds"].get<std::int64_t>()},
           {"sales", n},
           {"average_basket", n ? (2 * rev + n) / (2 * n) : 0},
           {"items_sold_milli", raw["items"]},
           {"cost", raw["cost"]},
           {"gross_margin", raw["cost"].is_null() ? json(nullptr)
                                                  : json(raw["known_net"].get<std::int64_t>() -
                                                         raw["cost"].get<std::int64_t>())},
           {"margin_coverage_ppm",
            line_rev ? (raw["known_rev"].get<std::int64_t>() * 2'000'000 + line_rev) / (2 * line_rev) : 0},
           {"voids", raw["voids"]}};
    return f;
  }

  // The breakdowns of [from, to] in zone `tz`, from the base tables, in the
  // API's order.
  json expected_breakdowns(const std::string& from, const std::string& to, const std::string& tz) {
    const std::string local = "(s.occurred_at AT TIME ZONE '" + tz + "')";
    const std::string s = "(SELECT * FROM sales WHERE status = 'completed' AND (occurred_at AT TIME ZONE '" + tz +
                          "')::date BETWEEN '" + from + "'::date AND '" + to + "'::date)";
    return sql_json(
        "SELECT json_build_object("
        " 'by_day', (SELECT json_agg(json_build_object('date', g.d::date::text,"
        "     'revenue', (SELECT coalesce(sum(total_minor), 0) FROM " + s + " s WHERE " + local + "::date = g.d::date),"
        "     'sales', (SELECT count(*) FROM " + s + " s WHERE " + local + "::date = g.d::date),"
        "     'refunds', (SELECT coalesce(sum(total_minor), 0) FROM refunds r"
        "                  WHERE (r.occurred_at AT TIME ZONE '" + tz + "')::date = g.d::date)) ORDER BY g.d)"
        "   FROM generate_series('" + from + "'::date, '" + to + "'::date, interval '1 day') g(d)),"
        " 'by_hour', (SELECT json_agg(json_build_object('hour', h,"
        "     'revenue', (SELECT coalesce(sum(total_minor), 0) FROM " + s + " s WHERE extract(hour FROM " + local + ") = h),"
        "     'sales', (SELECT count(*) FROM " + s + " s WHERE extract(hour FROM " + local + ") = h)) ORDER BY h)"
        "   FROM generate_series(0, 23) h),"
        " 'by_tender', (SELECT coalesce(json_agg(json_build_object('kind', k, 'amount', a) ORDER BY a DESC, k), '[]')"
        "   FROM (SELECT k, sum(a) AS a FROM (SELECT p.tender AS k, p.amount_minor AS a FROM " + s +
        " s JOIN payments p ON p.sale_id = s.id UNION ALL SELECT 'cash', -s.change_minor FROM " + s +
        " s WHERE s.change_minor > 0) x GROUP BY k) y),"
        " 'by_cashier', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'revenue', rev, 'sales', n)"
        "     ORDER BY rev DESC, name, id), '[]')"
        "   FROM (SELECT u.id, u.display_name AS name, sum(s.total_minor) AS rev, count(*) AS n FROM " + s +
        " s JOIN users u ON u.id = s.user_id GROUP BY 1, 2) x),"
        " 'by_till', (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'revenue', rev, 'sales', n)"
        "     ORDER BY rev DESC, code, id), '[]')"
        "   FROM (SELECT t.id, t.code, sum(s.total_minor) AS rev, count(*) AS n FROM " + s +
        " s JOIN tills t ON t.id = s.till_id GROUP BY 1, 2) x),"
        " 'by_category', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'revenue', rev)"
        "     ORDER BY rev DESC, name, id), '[]')"
        "   FROM (SELECT c.id, coalesce(c.name, '') AS name, sum(l.total_minor) AS rev FROM " + s +
        " s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id"
        "     LEFT JOIN categories c ON c.id = p.category_id GROUP BY 1, 2) x),"
        " 'top_products', (SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'quantity_milli', q,"
        "     'revenue', rev) ORDER BY rev DESC, q DESC, name, id), '[]')"
        "   FROM (SELECT p.id, p.name, sum(l.quantity_milli) AS q, sum(l.total_minor) AS rev FROM " + s +
        " s JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id GROUP BY 1, 2"
        "     ORDER BY 4 DESC, 3 DESC, 2, 1 LIMIT 10) x)"
        ")::text");
  }

  // Everything the answer for [from, to] says, against the base tables.
  void expect_matches(const std::string& from, const std::string& to, const std::string& tz) {
    const auto d = dashboard(from, to);
    ASSERT_TRUE(d.is_object());
    EXPECT_EQ(d["time_zone"], tz);
    auto figures = d["figures"];
    EXPECT_EQ(figures["low_stock"], 0);
    figures.erase("low_stock");
    EXPECT_EQ(figures, expected_figures(from, to, tz)) << from << ".." << to;
    auto previous = d["previous"];
    const auto pf = previous["from"].get<std::string>(), pt = previous["to"].get<std::string>();
    previous.erase("from");
    previous.erase("to");
    EXPECT_EQ(previous, expected_figures(pf, pt, tz)) << "previous " << pf << ".." << pt;
    const auto b = expected_breakdowns(from, to, tz);
    for (const auto* k : {"by_day", "by_hour", "by_tender", "by_cashier", "by_till", "by_category", "top_products"})
      EXPECT_EQ(d[k], b[k]) << k << " " << from << ".." << to;
  }

  // June 2026 and May 2026 (the month's previous period), both DST days.
  void seed() {
    const auto disc = std::vector<sp::Discount>{{sp::DiscountKind::percent, 1000}};
    std::vector<sp::Op> t1{
        sale_at(1, "2026-06-15T08:05:00Z", cashier_.id, {rice(2), line(palm_, "Palm oil", 1, 2500)}),
        sale_at(1, "2026-06-15T21:59:00Z", cashier_.id, {line(matches_, "Matches", 3, 150)},
                {{sp::TenderKind::cash, 1000, ""}}),  // 23:59 local: still the 15th
        sale_at(1, "2026-06-15T22:01:00Z", cashier_.id, {rice(1)}),  // 00:01 on the 16th
        sale_at(1, "2026-06-02T10:00:00Z", cashier2_.id, {rice(5, 1000, disc)}, {{sp::TenderKind::mobile_money, 0, "m"}}),
        sale_at(1, "2026-05-20T12:00:00Z", cashier_.id, {line(palm_, "Palm oil", 2, 2500)}),
        sale_at(1, "2026-05-31T21:30:00Z", cashier_.id, {rice(1)}),  // 23:30 on May 31st
    };
    std::vector<sp::Op> t2{
        sale_at(2, "2026-06-15T12:00:00Z", cashier2_.id, {line(palm_, "Palm oil", 1, 2500), line(matches_, "Matches", 1, 150)},
                {{sp::TenderKind::cash, 5000, ""}}),
        sale_at(2, "2026-06-30T21:00:00Z", cashier2_.id, {rice(3)}, {{sp::TenderKind::bank_transfer, 0, "t"}}),
        // 2026-03-29 (23 hours): 00:30 CET, 01:30 CET, 03:30 CEST, 23:30 CEST
        sale_at(2, "2026-03-28T23:30:00Z", cashier_.id, {rice(1)}),
        sale_at(2, "2026-03-29T00:30:00Z", cashier_.id, {rice(2)}),
        sale_at(2, "2026-03-29T01:30:00Z", cashier_.id, {rice(3)}),
        sale_at(2, "2026-03-29T21:30:00Z", cashier_.id, {rice(4)}),
        sale_at(2, "2026-03-29T22:30:00Z", cashier_.id, {rice(5)}),  // 00:30 on the 30th
        // 2026-10-25 (25 hours): 00:30 CEST, 01:30 CEST, 02:30 CEST, 02:30 CET, 23:30 CET
        sale_at(2, "2026-10-24T22:30:00Z", cashier2_.id, {rice(1)}),
        sale_at(2, "2026-10-24T23:30:00Z", cashier2_.id, {rice(2)}),
        sale_at(2, "2026-10-25T00:30:00Z", cashier2_.id, {rice(3)}),
        sale_at(2, "2026-10-25T01:30:00Z", cashier2_.id, {rice(4)}),
        sale_at(2, "2026-10-25T22:30:00Z", cashier2_.id, {rice(5)}),
        sale_at(2, "2026-10-25T23:30:00Z", cashier2_.id, {rice(6)}),  // 00:30 on the 26th
    };
    push_on(1, t1);
    push_on(2, t2);
    refunded_ = t1[0];
    push_on(1, {refund_of(t1[0], "2026-06-16T09:00:00Z", 1000), void_at("2026-06-15T10:00:00Z")});
  }

  sp::service::UserView cashier2_;
  sp::service::EnrolledTill till2_;
  std::string palm_, matches_;
  sp::Op refunded_;
  int seq_[3] = {0, 0, 0};
};

TEST_F(Dashboard, EveryFigureOfADayAMonthAndTheirPreviousPeriodsEqualsSqlOverTheBaseTables) {
  seed();
  expect_matches("2026-06-15", "2026-06-15", "Europe/Berlin");
  expect_matches("2026-06-16", "2026-06-16", "Europe/Berlin");
  expect_matches("2026-06-01", "2026-06-30", "Europe/Berlin");
  const auto month = dashboard("2026-06-01", "2026-06-30");
  EXPECT_EQ(month["previous"]["from"], "2026-05-02");
  EXPECT_EQ(month["previous"]["to"], "2026-05-31");
  EXPECT_EQ(month["by_day"].size(), 30u);
  EXPECT_EQ(month["by_hour"].size(), 24u);
  EXPECT_EQ(month["figures"]["voids"], 1);
  EXPECT_EQ(month["figures"]["refunds"], 1000);
  // Rice and palm oil have a cost, matches not: coverage strictly between.
  EXPECT_GT(month["figures"]["margin_coverage_ppm"].get<std::int64_t>(), 0);
  EXPECT_LT(month["figures"]["margin_coverage_ppm"].get<std::int64_t>(), 1'000'000);
  // Slow movers: matches sold least of the three products in stock.
  const auto day = dashboard("2026-06-16", "2026-06-16");
  ASSERT_EQ(day["slow_products"].size(), 3u);
  EXPECT_EQ(day["slow_products"][0]["quantity_milli"], 0);
  EXPECT_GT(day["slow_products"][0]["on_hand_milli"].get<std::int64_t>(), 0);
  EXPECT_EQ(day["slow_products"][2]["id"], product_);  // the one sold that day
}

TEST_F(Dashboard, DstChangeDaysHave23And25HoursAndTheirDayBoundariesAreRight) {
  seed();
  expect_matches("2026-03-29", "2026-03-29", "Europe/Berlin");
  expect_matches("2026-10-25", "2026-10-25", "Europe/Berlin");
  expect_matches("2026-03-28", "2026-03-30", "Europe/Berlin");
  const auto spring = dashboard("2026-03-29", "2026-03-29");
  EXPECT_EQ(spring["figures"]["sales"], 4);  // 00:30, 01:30, 03:30, 23:30
  EXPECT_EQ(spring["by_hour"][2]["sales"], 0);  // 02:xx does not exist that day
  const auto autumn = dashboard("2026-10-25", "2026-10-25");
  EXPECT_EQ(autumn["figures"]["sales"], 5);  // 00:30, 01:30, 02:30 twice, 23:30
  EXPECT_EQ(autumn["by_hour"][2]["sales"], 2);  // the repeated hour
  EXPECT_EQ(autumn["by_hour"][23]["sales"], 1);
}

TEST_F(Dashboard, ALatePushAVoidAndAChangedTimeZoneShowAtTheNextRequest) {
  seed();
  const auto before = dashboard("2026-06-10", "2026-06-10");
  EXPECT_EQ(before["figures"]["sales"], 0);
  // A till offline for days: a sale of June 10th recorded now.
  push_on(1, {sale_at(1, "2026-06-10T09:00:00Z", cashier_.id, {rice(7)}), void_at("2026-06-10T09:05:00Z")});
  expect_matches("2026-06-10", "2026-06-10", "Europe/Berlin");
  const auto after = dashboard("2026-06-10", "2026-06-10");
  EXPECT_EQ(after["figures"]["sales"], 1);
  EXPECT_EQ(after["figures"]["voids"], 1);
  expect_matches("2026-06-01", "2026-06-30", "Europe/Berlin");

  // The 23:59 local sale of the 15th is on the 15th in UTC too (21:59Z); the
  // 00:01 one of the 16th (22:01Z) moves back to the 15th.
  const auto berlin15 = dashboard("2026-06-15", "2026-06-15")["figures"]["sales"].get<int>();
  w_.sql("UPDATE settings SET time_zone = 'UTC'");
  const auto utc15 = dashboard("2026-06-15", "2026-06-15");
  EXPECT_EQ(utc15["time_zone"], "UTC");
  EXPECT_EQ(utc15["figures"]["sales"].get<int>(), berlin15 + 1);
  expect_matches("2026-06-15", "2026-06-15", "UTC");
  expect_matches("2026-06-01", "2026-06-30", "UTC");
  expect_matches("2026-10-25", "2026-10-25", "UTC");
  EXPECT_EQ(w_.sql_value("SELECT time_zone FROM report_state"), "UTC");
}

TEST_F(Dashboard, ADayAfterAnotherTransactionsLateCommitIsNotSkipped) {
  seed();
  dashboard("2026-06-01", "2026-06-30");
  // A push that began before the last refresh and commits after the next
  // one: simulated by inserting with an old recorded_at in an open
  // transaction, refreshing, then committing.
  const auto sale = w_.sql_value("SELECT id FROM sales ORDER BY occurred_at LIMIT 1");
  pqxx::connection c(w_.pool().conninfo());
  pqxx::work late(c);
  late.exec0("INSERT INTO applied_ops (op_id, store_id, till_id, user_id, kind, status, occurred_at, received_at)"
             " SELECT gen_random_uuid(), store_id, till_id, user_id, 'void', 'applied', '2026-06-20T10:00:00Z',"
             "        now() - interval '1 minute' FROM sales WHERE id = '" + sale + "'");
  EXPECT_EQ(dashboard("2026-06-20", "2026-06-20")["figures"]["voids"], 0);  // not committed yet
  late.commit();
  EXPECT_EQ(dashboard("2026-06-20", "2026-06-20")["figures"]["voids"], 1);
  expect_matches("2026-06-01", "2026-06-30", "Europe/Berlin");
}

TEST_F(Dashboard, BadDatesAndRangesOverAYearAreA400NamingTheField) {
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"from=2026-02-30", "from"},
           {"from=2026-13-01", "from"},
           {"from=yesterday", "from"},
           {"from=2026-03-01T10:00:00Z", "from"},
           {"to=2026-3-1", "to"},
           {"from=2026-01-01&to=2027-01-03", "to"},
           {"from=2026-03-02&to=2026-03-01", "to"}}) {
    auto r = client_->Get(("/api/v1/reports/dashboard?" + query).c_str(), manager_headers());
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << query;
    EXPECT_EQ(json::parse(r->body)["error"]["field"], field) << query << " " << r->body;
  }
  // 366 days apart (a leap year's worth) is allowed; no dates = today.
  EXPECT_EQ(dashboard("2027-01-01", "2028-01-02")["by_day"].size(), 367u);
  const auto today = dashboard("", "");
  EXPECT_EQ(today["from"], today["to"]);
  EXPECT_EQ(today["by_day"].size(), 1u);
  // A cashier has no view_dashboard.
  auto r = client_->Get("/api/v1/reports/dashboard", headers_of("cashier1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
}

}  // namespace
