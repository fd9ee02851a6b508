// Sales history and shift reports over real HTTP: ops go in through
// POST /api/v1/sync/push as a till sends them, and come out of
// GET /api/v1/sales, /sales/{id}, /shifts and /shifts/{id}/report — filtered,
// paged, scoped to the caller, and (for the report) equal to what shared/'s
// compute_shift_report makes of the same ops on the till.
#include <set>

#include "salespider/shared/shift_report.hpp"
#include "store_http_support.hpp"

using nlohmann::json;
using salespider::test::now_ms;

namespace sp = salespider;

namespace {

// 2024-03-01T10:00Z, 2024-03-01T23:30Z, 2024-03-02T12:00Z, 2024-03-03T09:00Z.
constexpr std::int64_t kT1 = 1709287200000;
constexpr std::int64_t kT2 = 1709335800000;
constexpr std::int64_t kT3 = 1709380800000;
constexpr std::int64_t kT4 = 1709456400000;

class History : public ::testing::Test, protected sp::test::StoreOverHttp {
 protected:
  json get(const std::string& path, const httplib::Headers& headers, int status = 200) {
    auto r = client_->Get(path.c_str(), headers);
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, status) << path << " -> " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  // An op dated `at`, by `user`, without a grant: no grant can be valid
  // years back, so the server keeps these old sales flagged (grant_problem,
  // needs_approval), which only the attention test below looks at.
  sp::Op dated(sp::Op o, std::int64_t at, const std::string& user) {
    o.created_at = at;
    o.user_id = user;
    o.grant.clear();
    return o;
  }

  sp::Op sale_at(std::int64_t seq, std::int64_t at, const std::string& user, std::vector<sp::CartLine> lines,
                 std::vector<sp::Payment> payments = {}) {
    return dated(op(sp::OpKind::sale, *sp::encode_sale_payload(sale_payload(seq, std::move(lines), std::move(payments)))),
                 at, user);
  }

  sp::RefundPayload one_back(const sp::Op& sale) {
    sp::RefundPayload p;
    p.sale_op_id = sale.op_id;
    p.lines.push_back({0, sp::Quantity{1000}});
    p.reason = "damaged";
    p.total = 1000;
    return p;
  }

  std::vector<std::string> ids(const json& page) {
    std::vector<std::string> out;
    for (const auto& item : page["items"]) out.push_back(item["id"].get<std::string>());
    return out;
  }

  // Four old sales on two cashiers (s3 refunded once), for the filter tests.
  void four_sales() {
    cashier2_ = w_.add_user(sp::auth::Role::cashier, "cashier2");
    auto palm = rice(1, 1000);
    palm.product_id = "0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6099";  // not in the catalog
    palm.name = "Palm oil";
    s_ = {sale_at(1, kT1, cashier_.id, {rice(1)}),
          sale_at(2, kT2, cashier_.id, {rice(2)}, {{sp::TenderKind::cash, 2000, ""}}),
          sale_at(3, kT3, cashier2_.id, {rice(3)}),
          sale_at(4, kT4, cashier_.id, {palm}, {{sp::TenderKind::cash, 1000, ""}})};
    auto refund = dated(op(sp::OpKind::refund, *sp::encode_refund_payload(one_back(s_[2]))), kT4 + 1000, manager_.id);
    auto pushed = s_;
    pushed.push_back(refund);
    for (const auto& r : push(pushed).results) EXPECT_EQ(r.status, sp::OpStatus::applied) << r.code << r.message;
  }

  sp::service::UserView cashier2_;
  std::vector<sp::Op> s_;
};

TEST_F(History, TheServersShiftReportEqualsTheSharedReportOfTheSameOps) {
  const std::string shift = new_id();
  const auto usd = *sp::find_currency(currency_);
  sp::ShiftInputs till;  // what the till adds up for its own Z report
  till.shift.currency = usd;
  till.shift.opening_float = 10'000;

  auto open = op(sp::OpKind::shift_open, *sp::encode_shift_open_payload({shift, usd, 10'000}));
  auto first = sale_payload(1, {rice(2)}, {{sp::TenderKind::cash, 5'000, ""}});
  auto second = sale_payload(2, {rice(3)}, {{sp::TenderKind::card, 1'000, "slip"}, {sp::TenderKind::cash, 2'000, ""}});
  first.shift_id = second.shift_id = shift;
  till.sales = {first, second};
  auto sale1 = op(sp::OpKind::sale, *sp::encode_sale_payload(first));
  auto sale2 = op(sp::OpKind::sale, *sp::encode_sale_payload(second));
  const sp::CashMovementPayload bread{shift, sp::CashMovementKind::pay_out, 300, usd, "bread"};
  till.cash_movements = {bread};
  auto pay_out = op(sp::OpKind::cash_movement, *sp::encode_cash_movement_payload(bread));

  // One of three back, all of it in cash, approved by the manager.
  const auto sale = *sp::compute_sale(second.cart);
  const auto settled = *sp::settle(sale.totals.total, second.payments, {});
  const std::vector<sp::RefundRequestLine> lines{{0, sp::Quantity{1000}}};
  const auto refund = *sp::compute_refund(sale, settled, sp::RefundLedger::for_sale(sale), lines);
  sp::RefundPayload back;
  back.sale_op_id = sale2.op_id;
  back.lines = lines;
  back.reason = "damaged";
  back.total = refund.total;
  back.shift_id = shift;
  back.tenders = {{sp::TenderKind::cash, refund.total, ""}};
  back.approval = sp::Approval{manager_.id, grant_for(manager_, till_)};
  till.refunds = {sp::shift_refund(back, refund)};
  auto refund_op = op(sp::OpKind::refund, *sp::encode_refund_payload(back));
  sp::VoidPayload left;
  left.sale_id = new_id();
  left.reason = "customer left";
  left.approval = back.approval;
  auto void_op = op(sp::OpKind::void_sale, *sp::encode_void_payload(left));
  till.void_count = 1;

  const auto results = push({open, sale1, sale2, pay_out, refund_op, void_op}).results;
  ASSERT_EQ(results.size(), 6u);
  for (const auto& r : results) EXPECT_EQ(r.status, sp::OpStatus::applied) << r.code << " " << r.message;
  EXPECT_EQ(results[4].message, "") << "an approved refund paid back in full raises no flag";

  const auto headers = manager_headers();
  auto x = get("/api/v1/shifts/" + shift + "/report", headers);
  EXPECT_EQ(x["report"]["kind"], "X");
  EXPECT_EQ(x["report"], json::parse(*sp::encode_shift_report_json(*sp::compute_shift_report(till))));

  w_.services().audit().seal_now();  // the Z report carries the head as at the close
  push({op(sp::OpKind::shift_close, *sp::encode_shift_close_payload({shift, 12'000, "short"}))});
  till.shift.counted_cash = 12'000;
  w_.services().audit().seal_now();
  auto z = get("/api/v1/shifts/" + shift + "/report", headers);
  const auto expected = json::parse(*sp::encode_shift_report_json(*sp::compute_shift_report(till)));
  EXPECT_EQ(z["report"], expected) << z.dump(2);
  // Worked out by hand: 10'000 + (5'000 - 3'000 change) + 2'000 - 1'000 refunded - 300 paid out.
  EXPECT_EQ(z["report"]["kind"], "Z");
  EXPECT_EQ(z["report"]["expected_cash"], 12'700);
  EXPECT_EQ(z["report"]["over_short"], -700);
  EXPECT_EQ(z["report"]["voids"]["count"], 1);
  EXPECT_EQ(z["shift"]["expected_cash"], 12'700) << "the close stored the report's expected cash";
  EXPECT_EQ(z["shift"]["status"], "closed");
  EXPECT_GT(z["audit_head"]["position"].get<std::int64_t>(), 0);
  EXPECT_EQ(z["audit_head"]["hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(w_.sql_value("SELECT approved_by FROM refunds"), manager_.id);
  EXPECT_EQ(w_.sql_value("SELECT string_agg(tender || '=' || amount_minor, ',') FROM refund_tenders"), "cash=1000");
}

TEST_F(History, ShiftsAreListedByTillAndStatusAndACashierSeesOnlyTheirOwn) {
  const auto usd = *sp::find_currency(currency_);
  const std::string mine = new_id();
  const std::string theirs = new_id();
  auto by_manager = op(sp::OpKind::shift_open, *sp::encode_shift_open_payload({theirs, usd, 0}), now_ms() - 60'000);
  by_manager.user_id = manager_.id;
  by_manager.grant = grant_for(manager_, till_);
  auto close = op(sp::OpKind::shift_close, *sp::encode_shift_close_payload({theirs, 0, ""}), now_ms() - 30'000);
  close.user_id = manager_.id;
  close.grant = by_manager.grant;
  push({by_manager, close, op(sp::OpKind::shift_open, *sp::encode_shift_open_payload({mine, usd, 5'000}))});

  const auto manager = manager_headers();
  auto all = get("/api/v1/shifts", manager);
  EXPECT_EQ(all["scope"], "all");
  EXPECT_EQ(ids(all), (std::vector<std::string>{mine, theirs}));
  EXPECT_EQ(ids(get("/api/v1/shifts?status=open", manager)), std::vector<std::string>{mine});
  EXPECT_EQ(ids(get("/api/v1/shifts?till=" + till_.till.till_id + "&status=closed", manager)),
            std::vector<std::string>{theirs});
  auto paged = get("/api/v1/shifts?limit=1", manager);
  EXPECT_EQ(ids(paged), std::vector<std::string>{mine});
  EXPECT_EQ(ids(get("/api/v1/shifts?limit=1&cursor=" + paged["next_cursor"].get<std::string>(), manager)),
            std::vector<std::string>{theirs});

  const auto cashier = headers_of("cashier1");
  auto own = get("/api/v1/shifts", cashier);
  EXPECT_EQ(own["scope"], "own");
  EXPECT_EQ(ids(own), std::vector<std::string>{mine});
  EXPECT_EQ(own["items"][0]["opening_float"], 5'000);
  get("/api/v1/shifts/" + theirs + "/report", cashier, 404);
  EXPECT_EQ(get("/api/v1/shifts/" + mine + "/report", cashier)["report"]["kind"], "X");
}

TEST_F(History, FiltersNarrowTheSalesAndTheTotalsCountTheWholeFilteredSet) {
  four_sales();
  const auto h = manager_headers();
  auto all = get("/api/v1/sales", h);
  EXPECT_EQ(ids(all), (std::vector<std::string>{s_[3].op_id, s_[2].op_id, s_[1].op_id, s_[0].op_id}));
  EXPECT_EQ(all["totals"], (json{{"count", 4}, {"total", 7000}, {"refunded", 1000}}));
  EXPECT_TRUE(all["next_cursor"].is_null());
  EXPECT_EQ(all["items"][1]["status"], "partially_refunded");
  EXPECT_EQ(all["items"][1]["cashier"]["id"], cashier2_.id);
  EXPECT_EQ(all["items"][1]["till"]["code"], till_.till.till_code);

  const auto code = till_.till.till_code;
  struct Case {
    std::string query;
    std::vector<std::size_t> sales;  // indexes into s_, newest first
  } cases[] = {
      {"tender=cash", {3, 1}},
      {"tender=card&refunded=false", {0}},
      {"refunded=true", {2}},
      {"cashier=" + cashier2_.id, {2}},
      {"till=" + till_.till.till_id, {3, 2, 1, 0}},
      {"till=" + w_.add_till("Back").till.till_id, {}},
      {"q=" + code + "-000004", {3}},
      {"q=" + code + "-00000", {3, 2, 1, 0}},
      {"q=palm", {3}},
      {"q=rice-1kg", {2, 1, 0}},
      {"q=100%25", {}},  // a LIKE wildcard is a character like any other
      {"from=2024-03-02&to=2024-03-02", {2}},
      {"from=2024-03-01T23:00:00Z&to=2024-03-02T12:00:00Z", {2, 1}},
      {"to=2024-03-01T10:00:00.000Z", {0}},
      {"from=2024-03-03", {3}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> want;
    for (auto i : c.sales) want.push_back(s_[i].op_id);
    auto page = get("/api/v1/sales?" + c.query, h);
    EXPECT_EQ(ids(page), want) << c.query;
    EXPECT_EQ(page["totals"]["count"], want.size()) << c.query;
  }

  // Dates and local times are the store's: 23:30 UTC is already the 2nd in Lagos.
  w_.sql("UPDATE settings SET time_zone = 'Africa/Lagos'");
  EXPECT_EQ(ids(get("/api/v1/sales?from=2024-03-02&to=2024-03-02", h)),
            (std::vector<std::string>{s_[2].op_id, s_[1].op_id}));
  EXPECT_EQ(ids(get("/api/v1/sales?from=2024-03-02T00:00&to=2024-03-02T00:30:00", h)),
            std::vector<std::string>{s_[1].op_id});
}

TEST_F(History, PagesFollowTheCursorAndNeverRepeatOrSkipASale) {
  four_sales();
  const auto h = manager_headers();
  std::vector<std::string> seen;
  std::string cursor;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = get("/api/v1/sales?limit=1&cursor=" + cursor, h);
    for (const auto& id : ids(page)) seen.push_back(id);
    EXPECT_EQ(page["totals"]["count"], 4) << "totals are of the whole set, not the page";
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{s_[3].op_id, s_[2].op_id, s_[1].op_id, s_[0].op_id}));
  EXPECT_EQ(ids(get("/api/v1/sales?limit=3&tender=card", h)).size(), 2u);
}

TEST_F(History, ACashierSeesOnlyTheirOwnSalesOfTheLastSevenDays) {
  four_sales();  // all older than a week
  auto recent = sale(5, 1000);
  auto theirs = dated(sale(6, 1000), now_ms() - 3600'000, cashier2_.id);
  push({recent, theirs});
  const auto cashier = headers_of("cashier1");
  auto own = get("/api/v1/sales", cashier);
  EXPECT_EQ(own["scope"], "own");
  EXPECT_EQ(ids(own), std::vector<std::string>{recent.op_id});
  EXPECT_EQ(own["totals"]["count"], 1);
  auto forbidden = get("/api/v1/sales?cashier=" + cashier2_.id, cashier, 403);
  EXPECT_EQ(forbidden["error"]["code"], "forbidden");
  EXPECT_EQ(ids(get("/api/v1/sales?cashier=" + cashier_.id, cashier)), std::vector<std::string>{recent.op_id});
  get("/api/v1/sales/" + theirs.op_id, cashier, 404);
  get("/api/v1/sales/" + s_[0].op_id, cashier, 404);  // mine, but older than a week
  EXPECT_EQ(get("/api/v1/sales/" + recent.op_id, cashier)["receipt_number"], till_.till.till_code + "-000005");
  EXPECT_EQ(get("/api/v1/sales", manager_headers())["totals"]["count"], 6);
}

TEST_F(History, ASaleShowsItsLinesPaymentsRefundsAndWhatNeedsAttention) {
  four_sales();
  auto d = get("/api/v1/sales/" + s_[2].op_id, manager_headers());
  EXPECT_EQ(d["receipt_number"], till_.till.till_code + "-000003");
  EXPECT_EQ(d["cashier"]["name"], cashier2_.display_name);
  EXPECT_EQ(d["total"], 3000);
  EXPECT_EQ(d["tax"], 209);
  EXPECT_EQ(d["voided"], false);
  ASSERT_EQ(d["lines"].size(), 1u);
  EXPECT_EQ(d["lines"][0]["line"], 0);
  EXPECT_EQ(d["lines"][0]["name"], "Rice");
  EXPECT_EQ(d["lines"][0]["quantity_milli"], 3000);
  EXPECT_EQ(d["lines"][0]["unit_price"], 1000);
  EXPECT_EQ(d["lines"][0]["tax"], (json{{"code", "VAT"}, {"kind", "standard"}, {"rate_ppm", 75000}, {"amount", 209}}));
  EXPECT_EQ(d["lines"][0]["refunded_milli"], 1000);
  EXPECT_EQ(d["payments"], (json::array({{{"kind", "card"}, {"amount", 3000}, {"reference", "slip"}}})));
  EXPECT_EQ(d["change"], 0);
  ASSERT_EQ(d["refunds"].size(), 1u);
  EXPECT_EQ(d["refunds"][0]["total"], 1000);
  EXPECT_EQ(d["refunds"][0]["lines"][0]["line"], 0);
  EXPECT_EQ(d["refunds"][0]["tenders"], (json::array({{{"kind", "card"}, {"amount", 1000}}})));
  EXPECT_EQ(d["refunds"][0]["user"]["id"], manager_.id);

  // The palm oil is no catalog product: the server flagged it, and shows it
  // here, beside the flags of a sale pushed without a grant.
  auto flagged = get("/api/v1/sales/" + s_[3].op_id, manager_headers());
  std::set<std::string> kinds;
  for (const auto& a : flagged["attention"]) {
    kinds.insert(a["kind"].get<std::string>());
    EXPECT_EQ(a["resolved"], false);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"grant_problem", "needs_approval", "unknown_product"})) << flagged.dump();
  EXPECT_EQ(flagged["flags_count"], flagged["attention"].size());
  get("/api/v1/sales/0190a5b2-7c3d-7e4f-8a1b-2c3d4e5f6001", manager_headers(), 404);
  get("/api/v1/sales/not-a-sale", manager_headers(), 404);
}

TEST_F(History, BadQueryStringsGetAMachineReadable400NamingTheField) {
  const auto h = manager_headers();
  struct Case {
    std::string path, field;
  } cases[] = {
      {"/api/v1/sales?from=2024-13-01", "from"},
      {"/api/v1/sales?from=2024-02-30", "from"},
      {"/api/v1/sales?to=yesterday", "to"},
      {"/api/v1/sales?to=2024-03-01T25:00:00Z", "to"},
      {"/api/v1/sales?from=2024-03-01T10:00:00+99:00", "from"},
      {"/api/v1/sales?limit=0", "limit"},
      {"/api/v1/sales?limit=201", "limit"},
      {"/api/v1/sales?limit=ten", "limit"},
      {"/api/v1/sales?cursor=zz", "cursor"},
      {"/api/v1/sales?cursor=12.not-a-uuid", "cursor"},
      {"/api/v1/sales?tender=cheque", "tender"},
      {"/api/v1/sales?refunded=maybe", "refunded"},
      {"/api/v1/sales?cashier=ada", "cashier"},
      {"/api/v1/sales?till=T1", "till"},
      {"/api/v1/sales?q=" + std::string(101, 'x'), "q"},
      {"/api/v1/shifts?status=pending", "status"},
      {"/api/v1/shifts?from=soon", "from"},
      {"/api/v1/shifts?limit=-1", "limit"},
  };
  for (const auto& c : cases) {
    auto body = get(c.path, h, 400);
    EXPECT_EQ(body["error"]["code"], "bad_request") << c.path;
    EXPECT_EQ(body["error"]["field"], c.field) << c.path;
  }
  EXPECT_EQ(get("/api/v1/sales?limit=200&from=2024-03-01T10:00:00%2B01:00", h)["items"], json::array());
}

}  // namespace
