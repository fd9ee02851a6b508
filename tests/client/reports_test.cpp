// The Dashboard and Reorder screens without a browser: the server's answers
// decoded (contract 1 and 2 of issue 24, with nulls, a sum past int64 and
// missing optional arrays), a period's dates from today's date (an ISO week
// seen from a Sunday, February of a leap year, a year), a change against the
// previous period in words, the reorder line in words, the reducer's rules
// (who may open, stale answers dropped, the filter), and the charts' axis.
#include "answers/reports_answers.hpp"
#include "state/app_state.hpp"
#include "state/sales_dates.hpp"
#include "ui/charts.hpp"

#include <gtest/gtest.h>
#include <imgui.h>

namespace salespider {
namespace {

using state::Period;

constexpr const char* kDashboard = R"({
  "from":"2026-03-01","to":"2026-03-31","time_zone":"Europe/Berlin","currency":"EUR",
  "figures":{"revenue":125050,"tax":19966,"discounts":1500,"refunds":2500,"net":122550,"sales":42,
             "average_basket":2977,"items_sold_milli":97500,"cost":null,"gross_margin":null,
             "margin_coverage_ppm":0,"low_stock":3,"voids":1},
  "previous":{"revenue":"99999999999999999999","tax":0,"discounts":0,"refunds":0,"net":0,"sales":0,
              "average_basket":0,"items_sold_milli":0,"cost":500,"gross_margin":700,"margin_coverage_ppm":800000,
              "voids":0},
  "by_day":[{"date":"2026-03-01","revenue":1000,"sales":1,"refunds":0},
            {"date":"2026-03-02","revenue":0,"sales":0,"refunds":0}],
  "by_hour":[{"hour":0,"revenue":0,"sales":0},{"hour":13,"revenue":125050,"sales":42},{"hour":24,"revenue":1,"sales":1}],
  "by_tender":[{"kind":"cash","amount":100000},{"kind":"card","amount":25050}],
  "by_cashier":[{"id":"u1","name":"Ada","revenue":125050,"sales":42}],
  "by_category":[{"id":null,"name":"Uncategorised","revenue":5}],
  "top_products":[{"id":"p1","name":"Rice 5kg","quantity_milli":2500,"revenue":9000}]
})";

TEST(ReportsAnswers, TheDashboardIsDecodedWithNullsAHugeSumAndMissingArrays) {
  std::optional<state::DashboardData> d = answers::parse_dashboard(kDashboard);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->from, "2026-03-01");
  EXPECT_EQ(d->currency, "EUR");
  EXPECT_EQ(d->figures.revenue, (state::Sum{125050, ""}));
  EXPECT_EQ(d->figures.sales, 42);
  EXPECT_EQ(d->figures.items_sold_milli.minor, 97500);
  EXPECT_FALSE(d->figures.cost);
  EXPECT_FALSE(d->figures.gross_margin);
  EXPECT_EQ(d->figures.low_stock, 3);
  EXPECT_EQ(d->figures.voids, 1);
  ASSERT_TRUE(d->previous);
  EXPECT_FALSE(d->previous->revenue.exact());
  EXPECT_EQ(d->previous->revenue.decimal, "99999999999999999999");
  EXPECT_EQ(d->previous->revenue.minor, INT64_MAX);
  EXPECT_EQ(d->previous->gross_margin->minor, 700);
  EXPECT_EQ(d->previous->margin_coverage_ppm, 800000);
  EXPECT_FALSE(d->previous->low_stock);  // omitted for the previous period
  ASSERT_EQ(d->by_day.size(), 2u);
  EXPECT_EQ(d->by_day[0].revenue.minor, 1000);
  ASSERT_EQ(d->by_hour.size(), 2u) << "an hour outside 0..23 is dropped";
  EXPECT_EQ(d->by_hour[1].hour, 13);
  ASSERT_EQ(d->by_tender.size(), 2u);
  EXPECT_EQ(d->by_tender[0].name, "cash");
  EXPECT_EQ(d->by_tender[0].amount.minor, 100000);
  EXPECT_EQ(d->by_cashier[0].sales, 42);
  EXPECT_EQ(d->by_category[0].id, "");
  EXPECT_EQ(d->top_products[0].quantity_milli, 2500);
  EXPECT_TRUE(d->by_till.empty());
  EXPECT_TRUE(d->slow_products.empty());
}

TEST(ReportsAnswers, ADashboardWithoutFiguresOrWithAnUnreadableSumIsNotUnderstood) {
  EXPECT_FALSE(answers::parse_dashboard(R"({"from":"2026-03-01"})"));
  EXPECT_FALSE(answers::parse_dashboard(R"({"figures":{"revenue":"12x","sales":1}})"));
  EXPECT_FALSE(answers::parse_dashboard(R"({"figures":{"revenue":1.5,"sales":1}})"));
  EXPECT_FALSE(answers::parse_dashboard("not json"));
  EXPECT_TRUE(answers::parse_dashboard(R"({"figures":{"revenue":"-99999999999999999999","sales":0}})"));
}

constexpr const char* kReorder = R"({"as_of":"2026-03-31","time_zone":"Europe/Berlin","lead_days":7,"safety_days":3,
  "history_days":56,"items":[
   {"product":{"id":"p1","name":"Rice 5kg","sku":"R5"},"on_hand_milli":10000,"forecast_daily_milli":2500,
    "forecast_lead_milli":17500,"days_of_cover":4,"suggested_order_milli":18000,"class":"reorder",
    "reason":"English line","method":"holt_winters"},
   {"product":{"id":"p2","name":"Old hat","sku":"H1"},"on_hand_milli":4000,"forecast_daily_milli":0,
    "forecast_lead_milli":0,"days_of_cover":null,"suggested_order_milli":0,"class":"dead","reason":"x","method":"none"},
   {"product":{"id":"p3","name":"Soap","sku":"S1"},"on_hand_milli":50000,"forecast_daily_milli":100,
    "forecast_lead_milli":700,"days_of_cover":500.4,"suggested_order_milli":0,"class":"slow","reason":"x","method":"mean"}]})";

TEST(ReportsAnswers, TheReorderListIsDecodedInTheServersOrderAndExplainedFromItsFields) {
  std::optional<state::ReorderData> d = answers::parse_reorder(kReorder);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->lead_days, 7);
  EXPECT_EQ(d->history_days, 56);
  ASSERT_EQ(d->items.size(), 3u);
  EXPECT_EQ(d->items[0].cls, "reorder");
  EXPECT_EQ(d->items[0].suggested_order_milli, 18000);
  EXPECT_EQ(d->items[0].days_of_cover, 4.0);
  EXPECT_FALSE(d->items[1].days_of_cover);
  EXPECT_EQ(d->items[2].method, "mean");
  EXPECT_EQ(state::reorder_explanation(d->items[0], *d),
            "Sells about 2.5 a day; 10 on hand lasts 4 days, delivery takes 7: order 18.");
  EXPECT_EQ(state::reorder_explanation(d->items[1], *d),
            "No sales in the last 56 days; 4 on hand: do not reorder, consider a markdown.");
  EXPECT_EQ(state::reorder_explanation(d->items[2], *d),
            "Sells only about 0.1 a day; 50 on hand lasts 500 days: do not reorder yet.");
  EXPECT_FALSE(answers::parse_reorder(R"({"items":[{"class":"ok"}]})")) << "an item without its product";
  EXPECT_FALSE(answers::parse_reorder(R"({"as_of":"2026-03-31"})"));
}

TEST(ReportsPeriods, AWeekSeenFromASundayStartsOnTheMondayBefore) {
  // 2026-03-08 is a Sunday.
  state::DateRange w = state::period_range(Period::week, "2026-03-08", "", "");
  EXPECT_EQ(w.from, "2026-03-02");
  EXPECT_EQ(w.to, "2026-03-08");
  state::DateRange monday = state::period_range(Period::week, "2026-03-09", "", "");
  EXPECT_EQ(monday.from, "2026-03-09");
  state::DateRange sunday_start = state::period_range(Period::week, "2026-03-08", "", "", 7);
  EXPECT_EQ(sunday_start.from, "2026-03-08");
}

TEST(ReportsPeriods, TodayYesterdayMonthAndYearAcrossALeapFebruary) {
  EXPECT_EQ(state::period_range(Period::today, "2028-02-29", "", "").from, "2028-02-29");
  state::DateRange y = state::period_range(Period::yesterday, "2028-03-01", "", "");
  EXPECT_EQ(y.from, "2028-02-29");
  EXPECT_EQ(y.to, "2028-02-29");
  state::DateRange m = state::period_range(Period::month, "2028-02-29", "", "");
  EXPECT_EQ(m.from, "2028-02-01");
  EXPECT_EQ(m.to, "2028-02-29");
  state::DateRange year = state::period_range(Period::year, "2026-01-01", "", "");
  EXPECT_EQ(year.from, "2026-01-01");
  EXPECT_EQ(year.to, "2026-01-01");
  EXPECT_EQ(state::period_range(Period::year, "2026-12-31", "", "").from, "2026-01-01");
  EXPECT_FALSE(state::parse_date_days("2026-02-29")) << "2026 is no leap year";
  EXPECT_TRUE(state::parse_date_days("2000-02-29"));
  EXPECT_FALSE(state::parse_date_days("2100-02-29"));
}

TEST(ReportsPeriods, ACustomRangeIsCheckedLikeTheServerChecksIt) {
  state::DateRange ok = state::period_range(Period::custom, "2026-03-08", "2025-03-01", "2026-03-02");
  EXPECT_EQ(ok.error, "");
  EXPECT_EQ(ok.from, "2025-03-01");
  EXPECT_NE(state::period_range(Period::custom, "2026-03-08", "2025-03-01", "2026-03-03").error, "")
      << "367 days apart";
  EXPECT_NE(state::period_range(Period::custom, "2026-03-08", "2026-03-05", "2026-03-04").error, "");
  EXPECT_NE(state::period_range(Period::custom, "2026-03-08", "2026-3-5", "2026-03-06").error, "");
  EXPECT_NE(state::period_range(Period::today, "", "", "").error, "");
}

TEST(ReportsChange, AChangeIsWrittenAsASignedRoundedPercentOrNew) {
  EXPECT_EQ(state::change_of(112, 100).text, "+12%");
  EXPECT_EQ(state::change_of(112, 100).direction, 1);
  EXPECT_EQ(state::change_of(97, 100).text, "\xE2\x88\x92" "3%");
  EXPECT_EQ(state::change_of(97, 100).direction, -1);
  EXPECT_EQ(state::change_of(1005, 1000).text, "+1%") << "0.5 rounds away from zero";
  EXPECT_EQ(state::change_of(995, 1000).text, "\xE2\x88\x92" "1%");
  EXPECT_EQ(state::change_of(5, 0).text, "new");
  EXPECT_EQ(state::change_of(0, 0).text, "0%");
  EXPECT_EQ(state::change_of(INT64_MAX, 1).direction, 1) << "no overflow";
  EXPECT_EQ(state::change_of(state::Sum{1, ""}, state::Sum{INT64_MAX, "99999999999999999999"}).text, "—");
}

state::AppState manager(bool with_permission = true) {
  state::AppState s;
  s.till.enrolled = true;
  s.user = state::User{};
  s.user->id = "u1";
  s.user->role = "manager";
  if (with_permission) s.user->permissions = {"view_dashboard"};
  s.screen = state::Screen::BackOffice;
  s.sync.online = true;
  return s;
}

TEST(ReportsState, OnlyViewDashboardOpensTheScreensAndAnOlderAnswerIsDropped) {
  state::AppState cashier = state::reduce(manager(false), state::OpenDashboard{});
  EXPECT_EQ(cashier.screen, state::Screen::BackOffice);
  ASSERT_TRUE(cashier.message);

  state::AppState s = state::reduce(manager(), state::OpenDashboard{});
  EXPECT_EQ(s.screen, state::Screen::Dashboard);
  EXPECT_TRUE(s.dashboard.loading);
  const std::int64_t first = s.dashboard.asked;
  s = state::reduce(s, state::QueryDashboard{Period::month, "", ""});
  EXPECT_EQ(s.dashboard.period, Period::month);
  state::DashboardData old;
  old.figures.sales = 1;
  s = state::reduce(s, state::DashboardLoaded{first, "2026-03-08", "2026-03-08", old, ""});
  EXPECT_TRUE(s.dashboard.loading) << "the answer to Today came after This month was asked";
  EXPECT_FALSE(s.dashboard.data);
  state::DashboardData now;
  now.figures.sales = 9;
  s = state::reduce(s, state::DashboardLoaded{s.dashboard.asked, "2026-03-01", "2026-03-08", now, ""});
  EXPECT_FALSE(s.dashboard.loading);
  EXPECT_EQ(s.dashboard.from, "2026-03-01");
  EXPECT_EQ(s.dashboard.data->figures.sales, 9);
  s = state::reduce(s, state::Back{});
  EXPECT_EQ(s.screen, state::Screen::BackOffice);
}

TEST(ReportsState, ReorderKeepsItsDaysChecksThemAndFiltersByClass) {
  state::AppState s = state::reduce(manager(), state::OpenReorder{});
  EXPECT_EQ(s.screen, state::Screen::Reorder);
  EXPECT_EQ(s.reorder.lead_days, 7);
  EXPECT_EQ(s.reorder.safety_days, 3);
  s = state::reduce(s, state::QueryReorder{-1, 3});
  EXPECT_NE(s.reorder.error, "");
  s = state::reduce(s, state::QueryReorder{91, 3});
  EXPECT_NE(s.reorder.error, "") << "the server takes lead days 1-90";
  EXPECT_EQ(s.reorder.lead_days, 7);
  s = state::reduce(s, state::QueryReorder{10, 2});
  EXPECT_EQ(s.reorder.lead_days, 10);
  EXPECT_EQ(s.reorder.error, "");
  s = state::reduce(s, state::ReorderLoaded{s.reorder.asked, answers::parse_reorder(kReorder), ""});
  EXPECT_EQ(state::reorder_shown(s.reorder).size(), 3u);
  s = state::reduce(s, state::FilterReorder{"dead"});
  ASSERT_EQ(state::reorder_shown(s.reorder).size(), 1u);
  EXPECT_EQ(state::reorder_shown(s.reorder)[0]->name, "Old hat");
  s = state::reduce(s, state::FilterReorder{"nonsense"});
  EXPECT_EQ(s.reorder.filter, "dead");
}

TEST(ReportsState, OfflineTheScreensOpenButAskNothing) {
  state::AppState s = manager();
  s.sync.online = false;
  s = state::reduce(s, state::OpenDashboard{});
  EXPECT_EQ(s.screen, state::Screen::Dashboard);
  EXPECT_FALSE(s.dashboard.loading);
}

TEST(ReportsCharts, TheAxisStepsAreOneTwoOrFiveTimesAPowerOfTenAndReachTheTop) {
  EXPECT_EQ(ui::nice_ticks(0), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(ui::nice_ticks(100, 4), (std::vector<std::int64_t>{0, 50, 100}));
  EXPECT_EQ(ui::nice_ticks(95, 4), (std::vector<std::int64_t>{0, 50, 100}));
  EXPECT_EQ(ui::nice_ticks(7, 4), (std::vector<std::int64_t>{0, 2, 4, 6, 8}));
  EXPECT_EQ(ui::nice_ticks(1'234'500, 4), (std::vector<std::int64_t>{0, 500'000, 1'000'000, 1'500'000}));
  const std::vector<std::int64_t> huge = ui::nice_ticks(INT64_MAX, 4);
  EXPECT_GE(huge.size(), 2u);
  EXPECT_GT(huge.back(), 0) << "no wrap past int64";
}

TEST(ReportsCharts, ALabelTooWideIsCutWithAnEllipsisOnACharacterBoundary) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(360, 640);
  io.Fonts->AddFontDefault();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  ImGui::NewFrame();
  EXPECT_EQ(ui::elide("Rice", 200.0f), "Rice");
  const std::string cut = ui::elide("Crème brûlée with a very long name indeed", 80.0f);
  EXPECT_LE(ImGui::CalcTextSize(cut.c_str()).x, 80.0f);
  EXPECT_EQ(cut.substr(cut.size() - 3), "\xE2\x80\xA6");
  ImGui::EndFrame();
  ImGui::DestroyContext();
}

}  // namespace
}  // namespace salespider
