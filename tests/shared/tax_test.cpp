// Tax rates and the one tax formula. Not tested here: spreading tax over
// lines (cart_test.cpp).
#include "salespider/shared/tax.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

TEST(Tax, ExclusiveTaxIsAmountTimesRateRoundedHalfAway) {
  EXPECT_EQ(tax_on(10'000, 75'000, PriceMode::tax_exclusive), 750);
  EXPECT_EQ(tax_on(1'010, 75'000, PriceMode::tax_exclusive), 76);  // 75.75
  EXPECT_EQ(tax_on(1'006, 75'000, PriceMode::tax_exclusive), 75);  // 75.45
  EXPECT_EQ(tax_on(10, 50'000, PriceMode::tax_exclusive), 1);      // 0.5 -> 1
}

TEST(Tax, InclusiveTaxIsTheTaxContainedInTheAmount) {
  EXPECT_EQ(tax_on(10'750, 75'000, PriceMode::tax_inclusive), 750);
  EXPECT_EQ(tax_on(12'000, 200'000, PriceMode::tax_inclusive), 2'000);
  EXPECT_EQ(tax_on(100, 160'000, PriceMode::tax_inclusive), 14);  // 13.79
}

TEST(Tax, ZeroRateGivesNoTax) {
  EXPECT_EQ(tax_on(12'345, 0, PriceMode::tax_inclusive), 0);
}

TEST(Tax, ZeroAndExemptRatesMustBeZeroPercent) {
  EXPECT_EQ(validate(TaxRate{"Z", TaxKind::zero, 1}).code(), Errc::invalid_tax_rate);
  EXPECT_EQ(validate(TaxRate{"E", TaxKind::exempt, 5}).code(), Errc::invalid_tax_rate);
  EXPECT_EQ(validate(TaxRate{"S", TaxKind::standard, 0}).code(), Errc::invalid_tax_rate);
  EXPECT_TRUE(validate(TaxRate{"R", TaxKind::reduced, 50'000}).ok());
}

TEST(Tax, RatesAboveOneHundredPercentOrNegativeAreRefused) {
  EXPECT_EQ(validate(TaxRate{"S", TaxKind::standard, 1'000'001}).code(), Errc::invalid_tax_rate);
  EXPECT_EQ(validate(TaxRate{"S", TaxKind::standard, -1}).code(), Errc::invalid_tax_rate);
  EXPECT_EQ(validate(TaxRate{"", TaxKind::standard, 1}).code(), Errc::invalid_tax_rate);
}

TEST(Tax, KindsAndModesHaveWireNames) {
  EXPECT_EQ(*parse_tax_kind("exempt"), TaxKind::exempt);
  EXPECT_EQ(parse_tax_kind("free").code(), Errc::invalid_tax_rate);
  EXPECT_EQ(*parse_price_mode("tax_exclusive"), PriceMode::tax_exclusive);
}

}  // namespace
}  // namespace salespider
