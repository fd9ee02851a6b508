// Partial refunds by line and quantity, exactness of the last refund, tender
// allocation, and voids. Random sequences are in property_test.cpp.
#include "salespider/shared/refund.hpp"

#include "builders.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace salespider {
namespace {

using namespace test;

struct Paid {
  Sale sale;
  Settlement settlement;
};

Paid pay(const Cart& c, std::vector<Payment> payments, std::int64_t step = 0) {
  Paid p{*compute_sale(c), {}};
  TenderSettings settings;
  settings.cash_rounding_step = step;
  p.settlement = *settle(p.sale.totals.total, payments, settings);
  return p;
}

TEST(Refund, OneUnitOfThreeReturnsAThirdRounded) {
  Paid p = pay(cart({line(1'000, 3)}), {{TenderKind::cash, 3'000, ""}});  // tax 209.30 -> 209
  const std::vector<RefundRequestLine> one{{0, Quantity::units(1)}};
  auto r = compute_refund(p.sale, p.settlement, RefundLedger::for_sale(p.sale), one);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 1'000);
  EXPECT_EQ(r->tax, 70);  // 209 x 1/3 = 69.67 -> 70
  EXPECT_FALSE(r->completes_sale);
}

TEST(Refund, LastUnitTakesTheRemainder) {
  Paid p = pay(cart({line(1'000, 3)}), {{TenderKind::cash, 3'000, ""}});
  RefundLedger ledger = RefundLedger::for_sale(p.sale);
  std::int64_t total = 0;
  std::int64_t tax = 0;
  for (int i = 0; i < 3; ++i) {
    const std::vector<RefundRequestLine> one{{0, Quantity::units(1)}};
    auto r = compute_refund(p.sale, p.settlement, ledger, one);
    ASSERT_TRUE(r.ok());
    total += r->total;
    tax += r->tax;
    ledger = record_refund(ledger, *r);
    EXPECT_EQ(r->completes_sale, i == 2);
  }
  EXPECT_EQ(total, p.sale.totals.total);
  EXPECT_EQ(tax, p.sale.totals.tax);
}

TEST(Refund, NeverMoreThanWhatRemains) {
  Paid p = pay(cart({line(1'000, 2)}), {{TenderKind::cash, 2'000, ""}});
  RefundLedger ledger = RefundLedger::for_sale(p.sale);
  const std::vector<RefundRequestLine> two{{0, Quantity::units(2)}};
  ledger = record_refund(ledger, *compute_refund(p.sale, p.settlement, ledger, two));
  const std::vector<RefundRequestLine> one{{0, Quantity::units(1)}};
  EXPECT_EQ(compute_refund(p.sale, p.settlement, ledger, one).code(), Errc::refund_exceeds_remaining);
}

TEST(Refund, BadRequestsAreTypedErrors) {
  Paid p = pay(cart({line(1'000, 2)}), {{TenderKind::cash, 2'000, ""}});
  const RefundLedger ledger = RefundLedger::for_sale(p.sale);
  EXPECT_EQ(compute_refund(p.sale, p.settlement, ledger, {}).code(), Errc::nothing_to_refund);
  const std::vector<RefundRequestLine> unknown{{5, Quantity::units(1)}};
  EXPECT_EQ(compute_refund(p.sale, p.settlement, ledger, unknown).code(), Errc::unknown_line);
  const std::vector<RefundRequestLine> half{{0, Quantity{500}}};
  EXPECT_EQ(compute_refund(p.sale, p.settlement, ledger, half).code(), Errc::fractional_quantity);
  const std::vector<RefundRequestLine> twice{{0, Quantity::units(1)}, {0, Quantity::units(1)}};
  EXPECT_EQ(compute_refund(p.sale, p.settlement, ledger, twice).code(), Errc::invalid_argument);
}

TEST(Refund, MoneyGoesBackToTendersInProportion) {
  Paid p = pay(cart({line(1'000, 4)}), {{TenderKind::card, 3'000, ""}, {TenderKind::cash, 1'000, ""}});
  const std::vector<RefundRequestLine> one{{0, Quantity::units(1)}};
  auto r = compute_refund(p.sale, p.settlement, RefundLedger::for_sale(p.sale), one);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->tenders[static_cast<std::size_t>(TenderKind::card)], 750);
  EXPECT_EQ(r->tenders[static_cast<std::size_t>(TenderKind::cash)], 250);
}

TEST(Refund, LastRefundReversesCashRounding) {
  Paid p = pay(cart({line(1'003, 1)}), {{TenderKind::cash, 1'005, ""}}, 5);
  ASSERT_EQ(p.settlement.rounding, 2);
  const std::vector<RefundRequestLine> all{{0, Quantity::units(1)}};
  auto r = compute_refund(p.sale, p.settlement, RefundLedger::for_sale(p.sale), all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 1'003);
  EXPECT_EQ(r->cash_rounding, 2);
  EXPECT_EQ(r->tenders[0], 1'005);
}

TEST(Refund, UnpaidSaleCannotBeRefunded) {
  Paid p = pay(cart({line(1'000, 1)}), {});
  const std::vector<RefundRequestLine> one{{0, Quantity::units(1)}};
  EXPECT_EQ(compute_refund(p.sale, p.settlement, RefundLedger::for_sale(p.sale), one).code(),
            Errc::invalid_argument);
}

TEST(Void, OpenOrParkedUnpaidSaleCanBeVoided) {
  EXPECT_EQ(*void_sale(SaleStatus::open, 0), SaleStatus::voided);
  EXPECT_EQ(*void_sale(SaleStatus::parked, 0), SaleStatus::voided);
}

TEST(Void, CompletedOrPaidSaleCannotBeVoided) {
  EXPECT_EQ(void_sale(SaleStatus::completed, 0).code(), Errc::cannot_void);
  EXPECT_EQ(void_sale(SaleStatus::open, 100).code(), Errc::cannot_void);
  EXPECT_EQ(void_sale(SaleStatus::voided, 0).code(), Errc::cannot_void);
}

}  // namespace
}  // namespace salespider
