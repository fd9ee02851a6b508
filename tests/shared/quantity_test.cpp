// Quantities in thousandths and the one rounding of price x quantity.
#include "salespider/shared/quantity.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

TEST(Quantity, WholeUnitsOnlyForCountedProducts) {
  EXPECT_TRUE(validate_quantity(Quantity::units(3), UnitKind::each).ok());
  EXPECT_EQ(validate_quantity(Quantity{1'500}, UnitKind::each).code(), Errc::fractional_quantity);
  EXPECT_TRUE(validate_quantity(Quantity{1'500}, UnitKind::weighed).ok());
}

TEST(Quantity, ZeroNegativeAndHugeAreRefused) {
  EXPECT_EQ(validate_quantity(Quantity{0}, UnitKind::weighed).code(), Errc::invalid_quantity);
  EXPECT_EQ(validate_quantity(Quantity{-1'000}, UnitKind::each).code(), Errc::invalid_quantity);
  EXPECT_EQ(validate_quantity(Quantity{kMaxQuantityThousandths + 1}, UnitKind::weighed).code(),
            Errc::invalid_quantity);
}

TEST(Quantity, PriceTimesWeightRoundsOnceHalfAwayFromZero) {
  // 1.255 kg at 199 per kg = 249.745 -> 250
  EXPECT_EQ(*extend_price(199, Quantity{1'255}), 250);
  // 0.5 kg at 3 = 1.5 -> 2
  EXPECT_EQ(*extend_price(3, Quantity{500}), 2);
  // 0.333 kg at 1000 = 333
  EXPECT_EQ(*extend_price(1'000, Quantity{333}), 333);
}

TEST(Quantity, HugeLineAmountsAreOverflowNotUndefined) {
  EXPECT_EQ(extend_price(1'000'000'000'000'000, Quantity{kMaxQuantityThousandths}).code(), Errc::overflow);
  EXPECT_EQ(*extend_price(1'000'000'000'000'000, Quantity{1'000}), 1'000'000'000'000'000);
}

TEST(Quantity, FormatsAndParsesDecimals) {
  EXPECT_EQ(format_quantity(Quantity{2'000}), "2");
  EXPECT_EQ(format_quantity(Quantity{1'250}), "1.25");
  EXPECT_EQ(format_quantity(Quantity{5}), "0.005");
  EXPECT_EQ(parse_quantity("1.25", UnitKind::weighed)->thousandths, 1'250);
  EXPECT_EQ(parse_quantity("3", UnitKind::each)->thousandths, 3'000);
  EXPECT_EQ(parse_quantity("1.5", UnitKind::each).code(), Errc::fractional_quantity);
  EXPECT_EQ(parse_quantity("1.2345", UnitKind::weighed).code(), Errc::invalid_quantity);
  EXPECT_EQ(parse_quantity("abc", UnitKind::weighed).code(), Errc::invalid_quantity);
  EXPECT_EQ(parse_quantity("1.", UnitKind::weighed).code(), Errc::invalid_quantity);
}
}  // namespace
}  // namespace salespider
