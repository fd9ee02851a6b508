// Checked money arithmetic. Not tested here: parsing and formatting
// (money_format_test.cpp).
#include "salespider/shared/money.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

const Currency kNgn = *find_currency("NGN");
const Currency kUsd = *find_currency("USD");

TEST(Money, AddingSameCurrencyAddsMinorUnits) {
  auto sum = add(Money{150, kNgn}, Money{275, kNgn});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(*sum, (Money{425, kNgn}));
}

TEST(Money, AddingDifferentCurrenciesIsAnError) {
  auto sum = add(Money{150, kNgn}, Money{275, kUsd});
  EXPECT_EQ(sum.code(), Errc::currency_mismatch);
  EXPECT_NE(sum.error().context.find("NGN"), std::string::npos);
}

TEST(Money, SubtractingDifferentCurrenciesIsAnError) {
  EXPECT_EQ(subtract(Money{1, kNgn}, Money{1, kUsd}).code(), Errc::currency_mismatch);
}

TEST(Money, SubtractingMayGoNegative) {
  EXPECT_EQ(subtract(Money{100, kNgn}, Money{250, kNgn})->minor, -150);
}

TEST(Money, AmountsBeyondTheLimitAreOverflow) {
  EXPECT_EQ(make_money(kMaxMoneyMinor + 1, kNgn).code(), Errc::overflow);
  EXPECT_EQ(make_money(-kMaxMoneyMinor - 1, kNgn).code(), Errc::overflow);
  EXPECT_TRUE(make_money(kMaxMoneyMinor, kNgn).ok());
  EXPECT_EQ(add(Money{kMaxMoneyMinor, kNgn}, Money{1, kNgn}).code(), Errc::overflow);
  EXPECT_EQ(add(Money{INT64_MAX, kNgn}, Money{1, kNgn}).code(), Errc::overflow);
}

TEST(Money, EmptyCurrencyIsRefused) {
  EXPECT_EQ(make_money(1, Currency{}).code(), Errc::unknown_currency);
}

TEST(Money, ComparingDifferentCurrenciesIsAnError) {
  EXPECT_EQ(compare(Money{1, kNgn}, Money{2, kUsd}).code(), Errc::currency_mismatch);
  EXPECT_EQ(*compare(Money{1, kNgn}, Money{2, kNgn}), -1);
}

}  // namespace
}  // namespace salespider
