// Cart -> Sale: line rounding, discounts spread over lines and rates, tax per
// rate, invariants and validation. Fixture tables cover more (fixture_test.cpp).
#include "salespider/shared/cart.hpp"

#include "builders.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

using namespace test;

TEST(Cart, InclusivePricesContainTheTax) {
  auto sale = compute_sale(cart({line(1'075, 2)}));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->totals.total, 2'150);
  EXPECT_EQ(sale->totals.tax, 150);
  EXPECT_EQ(sale->totals.net, 2'000);
  EXPECT_TRUE(check_invariants(*sale).ok());
}

TEST(Cart, ExclusivePricesGetTaxAdded) {
  auto sale = compute_sale(cart({line(1'000, 2)}, PriceMode::tax_exclusive));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->totals.tax, 150);
  EXPECT_EQ(sale->totals.total, 2'150);
}

TEST(Cart, TaxIsComputedOncePerRateNotPerLine) {
  // Three lines of 10 at 5%: per line 0.5 each would round to 1+1+1; per rate 1.5 -> 2.
  auto sale =
      compute_sale(cart({line(10, 1, vat(50'000)), line(10, 1, vat(50'000)), line(10, 1, vat(50'000))},
                        PriceMode::tax_exclusive));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->totals.tax, 2);
  ASSERT_EQ(sale->totals.taxes.size(), 1u);
  EXPECT_EQ(sale->lines[0].tax + sale->lines[1].tax + sale->lines[2].tax, 2);
}

TEST(Cart, EachRateHasItsOwnBreakdown) {
  auto sale =
      compute_sale(cart({line(10'750, 1, vat()), line(500, 3, exempt()), line(1'050, 1, vat(50'000, "R"))}));
  ASSERT_TRUE(sale.ok());
  ASSERT_EQ(sale->totals.taxes.size(), 3u);
  EXPECT_EQ(sale->totals.taxes[0].tax, 750);
  EXPECT_EQ(sale->totals.taxes[1].tax, 0);
  EXPECT_EQ(sale->totals.taxes[1].net, 1'500);
  EXPECT_EQ(sale->totals.taxes[2].tax, 50);
  EXPECT_TRUE(check_invariants(*sale).ok());
}

TEST(Cart, CartDiscountIsSpreadByLargestRemainder) {
  // 100 off lines of 200, 100, 100: 50, 25, 25.
  auto sale = compute_sale(
      cart({line(200, 1), line(100, 1), line(100, 1, exempt())}, PriceMode::tax_inclusive, {fixed(100)}));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->lines[0].cart_discount, 50);
  EXPECT_EQ(sale->lines[1].cart_discount, 25);
  EXPECT_EQ(sale->lines[2].cart_discount, 25);
  EXPECT_EQ(sale->totals.total, 300);
  // 10 off three equal lines: 4, 3, 3 (ties go to the earlier line).
  auto thirds =
      compute_sale(cart({line(100, 1), line(100, 1), line(100, 1)}, PriceMode::tax_inclusive, {fixed(10)}));
  EXPECT_EQ(thirds->lines[0].cart_discount, 4);
  EXPECT_EQ(thirds->lines[2].cart_discount, 3);
}

TEST(Cart, DiscountsNeverMakeAnythingNegative) {
  auto sale = compute_sale(
      cart({line(100, 1, vat(), {fixed(500)}), line(300, 1)}, PriceMode::tax_inclusive, {fixed(1'000'000)}));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->totals.total, 0);
  EXPECT_EQ(sale->lines[0].amount, 0);
  EXPECT_TRUE(check_invariants(*sale).ok());
}

TEST(Cart, WeighedGoodsRoundOncePerLine) {
  auto sale = compute_sale(cart({weighed(199, 1'255)}));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->lines[0].gross, 250);
}

TEST(Cart, EmptyCartIsAZeroSale) {
  auto sale = compute_sale(cart({}));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(sale->totals.total, 0);
  EXPECT_TRUE(check_invariants(*sale).ok());
}

TEST(Cart, InvalidInputGivesTypedErrors) {
  EXPECT_EQ(compute_sale(cart({line(-1, 1)})).code(), Errc::negative_amount);
  EXPECT_EQ(compute_sale(cart({weighed(100, 1'500)})).ok(), true);
  CartLine half = line(100, 1);
  half.quantity = Quantity{500};
  EXPECT_EQ(compute_sale(cart({half})).code(), Errc::fractional_quantity);
  EXPECT_EQ(compute_sale(cart({line(100, 1, vat(-5))})).code(), Errc::invalid_tax_rate);
  EXPECT_EQ(compute_sale(cart({line(100, 1, vat(), {percent(20'000)})})).code(), Errc::invalid_discount);
  EXPECT_EQ(compute_sale(cart({line(1'000'000'000'000'000, 2)})).code(), Errc::overflow);
  EXPECT_EQ(compute_sale(cart({line(100, 1, vat(75'000)), line(100, 1, vat(50'000))})).code(),
            Errc::invalid_tax_rate);
  Cart none = cart({line(1, 1)});
  none.currency = Currency{};
  EXPECT_EQ(compute_sale(none).code(), Errc::unknown_currency);
  std::vector<CartLine> many(kMaxCartLines + 1, line(1, 1));
  EXPECT_EQ(compute_sale(cart(many)).code(), Errc::too_many_lines);
}

TEST(Cart, DiscountAboveTheRoleLimitIsRefused) {
  auto sale = compute_sale(cart({line(1'000, 1, vat(), {percent(1'500)})}));
  ASSERT_TRUE(sale.ok());
  EXPECT_EQ(check_discount_limits(*sale, DiscountLimit{1'000, 1'000}).code(), Errc::discount_over_limit);
  EXPECT_TRUE(check_discount_limits(*sale, DiscountLimit{1'500, 0}).ok());
  auto cart_off = compute_sale(cart({line(1'000, 1)}, PriceMode::tax_inclusive, {fixed(200)}));
  EXPECT_EQ(check_discount_limits(*cart_off, DiscountLimit{10'000, 1'000}).code(), Errc::discount_over_limit);
  EXPECT_TRUE(check_discount_limits(*cart_off, DiscountLimit{0, 2'000}).ok());
}

}  // namespace
}  // namespace salespider
