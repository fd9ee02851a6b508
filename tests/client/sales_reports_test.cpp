// The till's side of the sales and shifts reports (issue 24): the History's
// dates as whole days in the store's time zone (a DST change day included),
// the local history's filters and totals (date range, tender, cashier) over
// sales recorded through the real store, the reducer keeping the filters'
// choices and dropping stale answers, and decoding the server's answers for
// the shifts archive (GET /api/v1/shifts, /shifts/{id}/report and contract
// 4, /shifts/over-short).
#include "answers/server_answers.hpp"
#include "answers/shifts_answers.hpp"
#include "fake_backend.hpp"
#include "state/app_state.hpp"
#include "state/sales_dates.hpp"
#include "store/day_records.hpp"
#include "store/store.hpp"

#include <salespider/shared/shift_report.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace salespider {
namespace {

using state::local_date_range;
using state::parse_date_days;

constexpr std::int64_t kHour = 3'600'000;

// Europe/Berlin in 2026: CET (+60) until 2026-03-29 01:00 UTC, CEST (+120)
// until 2026-10-25 01:00 UTC.
int berlin(std::int64_t utc_ms) {
  const std::int64_t spring = 1774746000000;  // 2026-03-29T01:00:00Z
  const std::int64_t autumn = 1792890000000;  // 2026-10-25T01:00:00Z
  return utc_ms >= spring && utc_ms < autumn ? 120 : 60;
}

std::int64_t utc(const char* iso) {
  return answers::parse_utc_ms(iso).value();
}

TEST(SalesDates, OnlyRealCalendarDatesAreDates) {
  EXPECT_EQ(parse_date_days("1970-01-02"), 1);
  EXPECT_TRUE(parse_date_days("2028-02-29"));
  EXPECT_FALSE(parse_date_days("2026-02-29"));
  EXPECT_FALSE(parse_date_days("2026-13-01"));
  EXPECT_FALSE(parse_date_days("2026-3-1"));
  EXPECT_FALSE(parse_date_days("yesterday"));
  EXPECT_EQ(state::date_of_days(*parse_date_days("2026-03-29")), "2026-03-29");
  EXPECT_FALSE(state::date_problem("2026-02-30").empty());
  EXPECT_TRUE(state::date_problem("").empty());
}

TEST(SalesDates, ADayIsTheWholeLocalDayInTheStoresZoneAndTheDstChangeDayHas23Hours) {
  auto r = local_date_range("2026-03-29", "2026-03-29", berlin);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->from_ms, utc("2026-03-28T23:00:00Z"));  // local midnight, still CET
  EXPECT_EQ(r->to_ms, utc("2026-03-29T22:00:00Z"));    // the next midnight, CEST
  EXPECT_EQ(r->to_ms - r->from_ms, 23 * kHour);
  auto autumn = local_date_range("2026-10-25", "2026-10-25", berlin);
  ASSERT_TRUE(autumn);
  EXPECT_EQ(autumn->to_ms - autumn->from_ms, 25 * kHour);
}

TEST(SalesDates, AnOpenEndIsUnboundedAndABackwardOrBadRangeIsRefused) {
  auto open = local_date_range("", "2026-01-10", berlin);
  ASSERT_TRUE(open);
  EXPECT_EQ(open->from_ms, INT64_MIN);
  EXPECT_EQ(open->to_ms, utc("2026-01-10T23:00:00Z"));
  EXPECT_FALSE(local_date_range("2026-01-10", "2026-01-09", berlin));
  EXPECT_FALSE(local_date_range("2026-01-32", "", berlin));
}

// A till with sales recorded through the real store (the sales table is
// filled by the store's apply of each op, as on a real till).
struct LocalTill {
  store::testing::FakeIndexedDb idb;
  std::unique_ptr<store::Store> st;
  int n = 0;

  LocalTill() {
    auto opened = store::Store::open(store::OpenInput{}, idb);
    EXPECT_TRUE(opened.ok());
    st = std::move(opened).value();
  }

  std::string sell(const char* when, const char* user, std::int64_t total, const char* tender) {
    ++n;
    store::OpInput op;
    op.op_id = "0190a000-0000-7000-8000-" + std::to_string(100000000000 + n);
    op.till_id = "till-1";
    op.kind = "sale";
    op.created_at = utc(when);
    op.user_id = user;
    op.payload = std::string(R"({"receipt_number":"SP3-00000)") + std::to_string(n) + R"(","total":)" +
                 std::to_string(total) + R"(,"currency":"EUR","payments":[{"kind":")" + tender +
                 R"(","amount":)" + std::to_string(total) + R"(,"reference":""}]})";
    op.takes_receipt = true;
    auto ticket = st->record_op(std::move(op), [](const store::Status&, const store::JournalRecord&) {});
    EXPECT_TRUE(ticket.ok());
    idb.complete_all(*st);
    return ticket.ok() ? ticket.value().op_id : std::string();
  }

  store::LocalSalesQuery day(const char* date) {
    store::LocalSalesQuery q;
    auto r = local_date_range(date, date, berlin);
    q.from_ms = r->from_ms;
    q.to_ms = r->to_ms;
    return q;
  }
};

TEST(LocalHistoryFilters, TheDateRangeIsTheStoresLocalDayNotUtcs) {
  LocalTill t;
  t.sell("2026-03-28T22:30:00Z", "ada", 100, "cash");  // 23:30 on the 28th in Berlin
  t.sell("2026-03-28T23:30:00Z", "ada", 200, "cash");  // 00:30 on the 29th
  t.sell("2026-03-29T21:59:00Z", "ada", 400, "card");  // 23:59 on the 29th (CEST)
  t.sell("2026-03-29T22:00:00Z", "ada", 800, "card");  // 00:00 on the 30th
  auto rows = store::local_sales(t.st->db(), t.day("2026-03-29"));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows.value().size(), 2u);
  EXPECT_EQ(rows.value()[0].total, 400);
  EXPECT_EQ(rows.value()[1].total, 200);
  auto totals = store::local_sales_totals(t.st->db(), t.day("2026-03-29"));
  ASSERT_TRUE(totals.ok());
  EXPECT_EQ(totals.value().count, 2);
  EXPECT_EQ(totals.value().total, 600);
}

TEST(LocalHistoryFilters, TenderAndCashierNarrowTheListAndTheTotalsOfTheWholeSet) {
  LocalTill t;
  t.sell("2026-05-01T09:00:00Z", "ada", 1000, "cash");
  t.sell("2026-05-01T10:00:00Z", "ada", 2500, "card");
  t.sell("2026-05-01T11:00:00Z", "bola", 700, "card");
  t.sell("2026-05-01T12:00:00Z", "bola", 300, "mobile_money");
  store::LocalSalesQuery card;
  card.tender = "card";
  auto rows = store::local_sales(t.st->db(), card);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows.value().size(), 2u);
  auto totals = store::local_sales_totals(t.st->db(), card);
  EXPECT_EQ(totals.value().count, 2);
  EXPECT_EQ(totals.value().total, 3200);
  card.user_id = "bola";
  totals = store::local_sales_totals(t.st->db(), card);
  EXPECT_EQ(totals.value().count, 1);
  EXPECT_EQ(totals.value().total, 700);
  // The totals are the set's, whatever the page: a page of one still says 2 card sales.
  store::LocalSalesQuery page;
  page.tender = "card";
  page.limit = 1;
  EXPECT_EQ(store::local_sales(t.st->db(), page).value().size(), 1u);
  EXPECT_EQ(store::local_sales_totals(t.st->db(), page).value().count, 2);
  auto sellers = store::local_sellers(t.st->db());
  ASSERT_TRUE(sellers.ok());
  EXPECT_EQ(sellers.value(), (std::vector<std::string>{"bola", "ada"}));
}

TEST(HistoryReducer, ChoicesSurviveANewFilterAndAStaleAnswerIsDropped) {
  state::AppState s;
  state::User u;
  u.id = "u1";
  u.display_name = "Ada";
  u.role = "manager";
  u.permissions = {"view_all_sales", "export_data"};
  s.user = u;
  state::HistoryFilter f;
  f.server = true;
  s = state::reduce(std::move(s), state::OpenHistory{f});
  state::HistoryLoaded page;
  page.filter = f;
  page.count = 3;
  page.sum = 900;
  page.refunded = 100;
  page.cashiers = {{"u1", "Ada"}, {"u2", "Bola"}};
  page.tills = {{"t1", "SP3"}};
  s = state::reduce(std::move(s), page);
  EXPECT_EQ(s.history.refunded, 100);
  state::HistoryFilter card = f;
  card.tender = "card";
  s = state::reduce(std::move(s), state::OpenHistory{card});
  EXPECT_EQ(s.history.cashiers.size(), 2u);  // still offered while the list is narrower
  s = state::reduce(std::move(s), page);       // the answer for the old filter
  EXPECT_EQ(s.history.count, 0);
  EXPECT_TRUE(s.history.loading);
  s = state::reduce(std::move(s), state::ExportSales{});
  EXPECT_TRUE(s.history.exporting);
  s = state::reduce(std::move(s), state::SalesExported{"The export failed: cut", ""});
  EXPECT_FALSE(s.history.exporting);
  EXPECT_EQ(s.history.export_error, "The export failed: cut");
}

TEST(ShiftsAnswers, OverShortPerCashierAndItsTotalsAreRead) {
  const auto o = answers::parse_over_short(
      R"({"from":"2026-03-01","to":"2026-03-31","currency":"EUR","cashiers":[)"
      R"({"user":{"id":"u1","name":"Ada"},"shifts":3,"over":500,"short":-1200,"net":-700,"expected":90000,"counted":89300},)"
      R"({"user":{"id":"u2","name":"Bola"},"shifts":1,"over":0,"short":0,"net":0,"expected":1000,"counted":1000}],)"
      R"("total":{"shifts":4,"over":500,"short":-1200,"net":-700}})");
  ASSERT_TRUE(o);
  ASSERT_EQ(o->cashiers.size(), 2u);
  EXPECT_EQ(o->cashiers[0].name, "Ada");
  EXPECT_EQ(o->cashiers[0].short_, -1200);
  EXPECT_EQ(o->cashiers[0].net, -700);
  EXPECT_EQ(o->shifts, 4);
  EXPECT_EQ(o->net, -700);
  EXPECT_FALSE(answers::parse_over_short(R"({"cashiers":[{"user":{"id":"u1"},"shifts":"x"}],"total":{}})"));
  EXPECT_FALSE(answers::parse_over_short(R"({"cashiers":[]})"));
}

TEST(ShiftsAnswers, AClosedShiftsPageKeepsCountAndOverShortAndNullsStayUnknown) {
  const auto p = answers::parse_shifts_page(
      R"({"items":[{"id":"s1","till":{"id":"t1","code":"SP3"},"user":{"id":"u1","name":"Ada"},"status":"closed",)"
      R"("currency":"EUR","opening_float":10000,"expected_cash":12700,"counted_cash":12000,"over_short":-700,)"
      R"("opened_at":"2026-03-02T08:00:00Z","closed_at":"2026-03-02T17:00:00.500Z","closed_by":"u1",)"
      R"("sales":{"count":2,"total":5000}},)"
      R"({"id":"s2","till":{"id":"t1","code":"SP3"},"user":{"id":"u1","name":"Ada"},"status":"open",)"
      R"("currency":"EUR","opening_float":0,"expected_cash":null,"counted_cash":null,"over_short":null,)"
      R"("opened_at":"2026-03-03T08:00:00Z","closed_at":null,"sales":{"count":0,"total":0}}],)"
      R"("next_cursor":"abc","scope":"all"})");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->items.size(), 2u);
  EXPECT_EQ(p->items[0].till_code, "SP3");
  EXPECT_EQ(p->items[0].over_short, -700);
  EXPECT_EQ(p->items[0].counted, 12000);
  EXPECT_EQ(p->items[0].closed_ms, utc("2026-03-02T17:00:00.500Z"));
  EXPECT_FALSE(p->items[1].over_short);
  EXPECT_EQ(p->next_cursor, "abc");
  EXPECT_FALSE(answers::parse_shifts_page(R"({"items":[{"till":{}}]})"));
}

TEST(ShiftsAnswers, TheServersZReportReadsBackIntoTheSameReportItWasEncodedFrom) {
  ShiftReport r;
  r.currency = find_currency("EUR").value();
  r.closed = true;
  r.opening_float = 10000;
  r.sale_count = 2;
  r.gross_sales = 5000;
  r.discounts = 0;
  r.net_sales = 4651;
  r.tax = 349;
  r.total_sales = 5000;
  r.change_given = 3000;
  r.taxes = {ShiftTaxLine{"VAT", TaxKind::standard, 75000, 4651, 349}};
  r.tenders = {TenderAmount{TenderKind::cash, 4000}, TenderAmount{TenderKind::card, 1000}};
  r.refund_count = 1;
  r.refund_total = 1000;
  r.refund_tax = 70;
  r.refund_tenders = {TenderAmount{TenderKind::cash, 1000}};
  r.cash_movements = {CashMovementTotal{CashMovementKind::pay_in, 0, 0}, CashMovementTotal{CashMovementKind::pay_out, 1, 300},
                      CashMovementTotal{CashMovementKind::drop, 0, 0}, CashMovementTotal{CashMovementKind::float_top_up, 0, 0}};
  r.cash_out = 300;
  r.expected_cash = 12700;
  r.counted_cash = 12000;
  r.over_short = -700;
  const std::string report = encode_shift_report_json(r).value();
  const auto a = answers::parse_shift_report(
      R"({"shift":{"id":"s1","till":{"id":"t1","code":"SP3"},"user":{"id":"u1","name":"Ada"},"opening_float":10000,)"
      R"("opened_at":"2026-03-02T08:00:00Z","closed_at":"2026-03-02T17:00:00Z"},"report":)" + report +
      R"(,"audit_head":{"position":1,"hash":"00"}})");
  ASSERT_TRUE(a);
  EXPECT_EQ(encode_shift_report_json(a->report).value(), report);
  EXPECT_EQ(a->shift.cashier, "Ada");
  EXPECT_FALSE(answers::parse_shift_report(R"({"shift":{"id":"s1"},"report":{"kind":"Q"}})"));
}

}  // namespace
}  // namespace salespider
