// One product's reorder line (service/reorder.hpp assess), no database:
// the classes at their edges, whole units for 'each' and thousandths for
// weighed goods, stock below zero, refunds outweighing a day's sales, the
// parameters' limits, the order of the list and the reason lines.
#include "service/reorder.hpp"

#include <gtest/gtest.h>

namespace sv = salespider::service;
namespace db = salespider::db;

namespace {

db::ProductDemand product(std::vector<std::int64_t> sold, std::int64_t on_hand, bool weighed = false) {
  db::ProductDemand p;
  p.id = "p";
  p.name = "Thing";
  p.weighed = weighed;
  p.on_hand_milli = on_hand;
  p.sold_milli = std::move(sold);
  return p;
}

std::vector<std::int64_t> days(int n, std::int64_t each) {
  return std::vector<std::int64_t>(static_cast<std::size_t>(n), each);
}

const sv::ReorderParams kDefault{};  // lead 7, safety 3, history 56

}  // namespace

TEST(ReorderLine, ASteadySellerBelowLeadPlusSafetyIsReorderedInWholeUnits) {
  // 2.5 a day: lead 17.5 + safety 7.5 - on hand 5 = 20 (already whole).
  auto it = sv::assess(product(days(56, 2500), 5000), kDefault, 0);
  EXPECT_EQ(it.method, sv::forecast::Method::holt_winters);
  EXPECT_EQ(it.forecast_daily_milli, 2500);
  EXPECT_EQ(it.forecast_lead_milli, 17500);
  EXPECT_EQ(it.safety_milli, 7500);
  EXPECT_EQ(it.suggested_order_milli, 20000);
  EXPECT_EQ(it.klass, "reorder");
  ASSERT_TRUE(it.days_of_cover);
  EXPECT_DOUBLE_EQ(*it.days_of_cover, 2.0);
  EXPECT_EQ(it.reason, "Sells ~2.5/day; 5 on hand lasts 2 days, order arrives in 7 days: order 20.");
  // 1.1 a day with 3 on hand: 7.7 + 3.3 - 3 = 8.0 -> 8; 3.5 on hand: 7.5 -> 8 (rounded up).
  EXPECT_EQ(sv::assess(product(days(56, 1100), 3000), kDefault, 0).suggested_order_milli, 8000);
  EXPECT_EQ(sv::assess(product(days(56, 1100), 3500), kDefault, 0).suggested_order_milli, 8000);
}

TEST(ReorderLine, WeighedGoodsAreOrderedInThousandths) {
  auto it = sv::assess(product(days(56, 1100), 3500, true), kDefault, 0);
  EXPECT_EQ(it.suggested_order_milli, 7500);  // 7.7 + 3.3 - 3.5 kg
  EXPECT_EQ(it.reason, "Sells ~1.1/day; 3.5 on hand lasts 3.2 days, order arrives in 7 days: order 7.5.");
}

TEST(ReorderLine, EnoughStockIsOkAndTooMuchIsSlow) {
  // 2 a day, lead+safety = 10 days: 40 on hand covers 20 days (ok), 100 on
  // hand 50 days, more than 4 x 10 (slow).
  auto ok = sv::assess(product(days(56, 2000), 40000), kDefault, 0);
  EXPECT_EQ(ok.klass, "ok");
  EXPECT_EQ(ok.suggested_order_milli, 0);
  EXPECT_EQ(ok.reason, "Sells ~2/day; 40 on hand lasts 20 days, enough for the 7-day lead time and 3 safety days.");
  auto slow = sv::assess(product(days(56, 2000), 100000), kDefault, 0);
  EXPECT_EQ(slow.klass, "slow");
  EXPECT_EQ(slow.days_sold, 56);
}

TEST(ReorderLine, SellingOnFewerThanOneDayInTenIsSlow) {
  auto sold = days(56, 0);
  sold[10] = sold[20] = sold[30] = sold[40] = sold[45] = 1000;  // 5 of 56 days < 10 %
  auto it = sv::assess(product(sold, 5000), kDefault, 0);
  EXPECT_EQ(it.days_sold, 5);
  EXPECT_EQ(it.klass, "slow") << it.reason;
  EXPECT_EQ(it.suggested_order_milli, 0) << it.reason;
}

TEST(ReorderLine, StockWithoutASaleIsDeadAndNothingAtAllIsOk) {
  auto dead = sv::assess(product(days(56, 0), 12000), kDefault, 0);
  EXPECT_EQ(dead.klass, "dead");
  EXPECT_EQ(dead.method, sv::forecast::Method::none);
  EXPECT_FALSE(dead.days_of_cover);
  EXPECT_EQ(dead.reason, "No sale in 56 days; 12 on hand.");
  EXPECT_EQ(sv::assess(product(days(56, 0), 0), kDefault, 0).klass, "ok");
}

TEST(ReorderLine, StockBelowZeroIsOrderedBackToZeroAndFirst) {
  auto it = sv::assess(product(days(56, 0), -3000), kDefault, 0);
  EXPECT_EQ(it.klass, "reorder");
  EXPECT_EQ(it.suggested_order_milli, 3000);
  EXPECT_EQ(it.reason, "No demand expected, but -3 on hand: order 3 to get back to zero.");
  auto selling = sv::assess(product(days(56, 1000), -2000), kDefault, 0);
  ASSERT_TRUE(selling.days_of_cover);
  EXPECT_EQ(*selling.days_of_cover, 0);
  EXPECT_EQ(selling.suggested_order_milli, 7000 + 3000 + 2000);
}

TEST(ReorderLine, ARefundHeavierThanTheDaysSalesCountsAsNoSale) {
  auto sold = days(56, 1000);
  sold[40] = -4000;
  auto it = sv::assess(product(sold, 100000), kDefault, 0);
  EXPECT_EQ(it.days_sold, 55);
  EXPECT_EQ(it.sold_milli, 55 * 1000 - 4000);
  EXPECT_GT(it.forecast_daily_milli, 800);  // the history saw 0 that day, not -4
}

TEST(ReorderLine, AProductsHistoryStartsAtItsFirstSale) {
  auto sold = days(56, 0);
  for (std::size_t d = 51; d < 56; ++d) sold[d] = 4000;  // new five days ago
  auto it = sv::assess(product(sold, 0), kDefault, 0);
  EXPECT_EQ(it.method, sv::forecast::Method::mean);
  EXPECT_EQ(it.forecast_daily_milli, 4000) << "not diluted by 51 days before it existed";
}

TEST(ReorderLine, ABusierWeekdayIsNamedFromAFittedSeason) {
  std::vector<std::int64_t> sold;
  for (int t = 0; t < 56; ++t) sold.push_back(t % 7 == 5 ? 20000 : 10000);  // day 5, 12, ... busier
  // 56 days: today is day 56 = 0 mod 7; if today is a Monday (0), day 5 of
  // the week is a Saturday.
  auto it = sv::assess(product(sold, 0), kDefault, 0);
  ASSERT_TRUE(it.busier_weekday);
  EXPECT_EQ(*it.busier_weekday, 5);
  EXPECT_NE(it.reason.find("(busier Saturdays)"), std::string::npos) << it.reason;
  auto wednesday = sv::assess(product(sold, 0), kDefault, 2);
  EXPECT_EQ(*wednesday.busier_weekday, 0);  // then that day is a Monday
  EXPECT_FALSE(sv::assess(product(days(56, 3000), 0), kDefault, 0).busier_weekday);
}

TEST(ReorderParams, DefaultsAndLimits) {
  auto d = sv::read_reorder_params({});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->lead_days, 7);
  EXPECT_EQ(d->safety_days, 3);
  EXPECT_EQ(d->history_days, 56);
  EXPECT_TRUE(sv::read_reorder_params({"1", "0", "14"}).ok());
  EXPECT_TRUE(sv::read_reorder_params({"90", "90", "365"}).ok());
  for (const auto& [r, field] : std::vector<std::pair<sv::ReorderRequest, std::string>>{
           {{"0", "", ""}, "lead_days"},
           {{"91", "", ""}, "lead_days"},
           {{"+7", "", ""}, "lead_days"},
           {{" 7", "", ""}, "lead_days"},
           {{"", "-1", ""}, "safety_days"},
           {{"", "91", ""}, "safety_days"},
           {{"", "", "13"}, "history_days"},
           {{"", "", "99999999999"}, "history_days"}}) {
    auto p = sv::read_reorder_params(r);
    ASSERT_FALSE(p.ok()) << field;
    EXPECT_EQ(p.error().field, field);
    EXPECT_EQ(p.error().problem, sv::Problem::bad_request);
  }
}

TEST(ReorderList, ReorderFirstByCoverThenSlowDeadOk) {
  auto make = [](std::string name, std::string klass, std::optional<double> cover) {
    sv::ReorderItem it;
    it.product_id = name;
    it.name = std::move(name);
    it.klass = std::move(klass);
    it.days_of_cover = cover;
    return it;
  };
  std::vector<sv::ReorderItem> items{make("a", "ok", 20),     make("b", "dead", std::nullopt),
                                     make("c", "reorder", 3), make("d", "slow", 300),
                                     make("e", "reorder", 1), make("f", "reorder", std::nullopt)};
  sv::sort_items(items);
  std::string order;
  for (const auto& it : items) order += it.name;
  EXPECT_EQ(order, "fecdba");
}

TEST(ReorderList, WeekdaysOfDates) {
  EXPECT_EQ(sv::weekday_of("2026-12-06"), 6);  // a Sunday
  EXPECT_EQ(sv::weekday_of("2024-02-29"), 3);  // a Thursday
  EXPECT_EQ(sv::weekday_of("2026-03-30"), 0);  // a Monday
}
