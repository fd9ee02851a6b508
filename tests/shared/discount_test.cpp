// Discount arithmetic and role limits. Not tested here: spreading cart
// discounts over lines (cart_test.cpp).
#include "salespider/shared/discount.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace salespider {
namespace {

TEST(Discount, PercentageRoundsHalfAwayFromZero) {
  const std::vector<Discount> d{{DiscountKind::percent, 1'250}};  // 12.5%
  EXPECT_EQ(apply_discounts(1'000, d), 125);
  EXPECT_EQ(apply_discounts(1'004, d), 126);  // 125.5 -> 126
}

TEST(Discount, SeveralDiscountsApplyToWhatIsLeft) {
  const std::vector<Discount> d{{DiscountKind::percent, 1'000}, {DiscountKind::fixed, 100}};
  EXPECT_EQ(apply_discounts(1'000, d), 200);  // 100 off, then 100 off 900
}

TEST(Discount, FixedDiscountNeverTakesMoreThanTheBase) {
  const std::vector<Discount> d{{DiscountKind::fixed, 5'000}, {DiscountKind::percent, 5'000}};
  EXPECT_EQ(apply_discounts(1'200, d), 1'200);
}

TEST(Discount, OutOfRangeValuesAreInvalid) {
  EXPECT_EQ(validate(Discount{DiscountKind::percent, 10'001}).code(), Errc::invalid_discount);
  EXPECT_EQ(validate(Discount{DiscountKind::percent, -1}).code(), Errc::invalid_discount);
  EXPECT_EQ(validate(Discount{DiscountKind::fixed, -1}).code(), Errc::invalid_discount);
}

TEST(Discount, LimitComparesTheShareTakenWithTheRoleLimit) {
  EXPECT_TRUE(within_limit(100, 1'000, 1'000));  // 10% of 10%
  EXPECT_FALSE(within_limit(101, 1'000, 1'000));
  EXPECT_TRUE(within_limit(0, 0, 0));
  EXPECT_FALSE(within_limit(1, 0, 10'000));
}

}  // namespace
}  // namespace salespider
