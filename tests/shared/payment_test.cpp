// Settlement: enabled tenders, split tender, change, cash rounding.
#include "salespider/shared/payment.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace salespider {
namespace {

TEST(Payment, CashGivesChange) {
  const std::vector<Payment> p{{TenderKind::cash, 5'000, ""}};
  auto s = settle(3'500, p, TenderSettings{});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->complete);
  EXPECT_EQ(s->change, 1'500);
  EXPECT_EQ(s->tendered[0], 3'500);
}

TEST(Payment, SplitTenderPaysCardFirstAndCashTheRest) {
  const std::vector<Payment> p{{TenderKind::cash, 2'000, ""}, {TenderKind::card, 2'000, "slip 1"}};
  auto s = settle(3'500, p, TenderSettings{});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->complete);
  EXPECT_EQ(s->change, 500);
  EXPECT_EQ(s->tendered[static_cast<std::size_t>(TenderKind::card)], 2'000);
  EXPECT_EQ(s->tendered[static_cast<std::size_t>(TenderKind::cash)], 1'500);
}

TEST(Payment, PartialPaymentLeavesARemainder) {
  const std::vector<Payment> p{{TenderKind::mobile_money, 1'000, "MM-1"}};
  auto s = settle(3'500, p, TenderSettings{});
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->complete);
  EXPECT_EQ(s->remaining, 2'500);
}

TEST(Payment, CardCannotExceedTheTotal) {
  const std::vector<Payment> p{{TenderKind::card, 4'000, ""}};
  EXPECT_EQ(settle(3'500, p, TenderSettings{}).code(), Errc::overpaid_non_cash);
}

TEST(Payment, DisabledTenderIsRefused) {
  TenderSettings settings;
  settings.enabled[static_cast<std::size_t>(TenderKind::bank_transfer)] = false;
  const std::vector<Payment> p{{TenderKind::bank_transfer, 100, ""}};
  EXPECT_EQ(settle(100, p, settings).code(), Errc::tender_disabled);
}

TEST(Payment, NonPositivePaymentIsRefused) {
  const std::vector<Payment> p{{TenderKind::cash, 0, ""}};
  EXPECT_EQ(settle(100, p, TenderSettings{}).code(), Errc::negative_amount);
}

TEST(Payment, CashRoundsToTheSmallestDenomination) {
  TenderSettings settings;
  settings.cash_rounding_step = 5;
  const std::vector<Payment> p{{TenderKind::cash, 1'100, ""}};
  auto s = settle(1'003, p, settings);  // cash due 1'005
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->cash_due, 1'005);
  EXPECT_EQ(s->rounding, 2);
  EXPECT_EQ(s->change, 95);
  auto down = settle(1'002, p, settings);  // cash due 1'000
  EXPECT_EQ(down->rounding, -2);
  EXPECT_EQ(down->change, 100);
  EXPECT_EQ(cash_needed(1'003, {}, settings), 1'005);
}

TEST(Payment, CashRoundingAppliesOnlyToTheCashPart) {
  TenderSettings settings;
  settings.cash_rounding_step = 50;
  const std::vector<Payment> p{{TenderKind::card, 1'003, ""}, {TenderKind::cash, 500, ""}};
  auto s = settle(1'500, p, settings);  // cash portion 497 -> 500
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->complete);
  EXPECT_EQ(s->rounding, 3);
  EXPECT_EQ(s->change, 0);
}

TEST(Payment, TenderKindsHaveWireNames) {
  EXPECT_EQ(*parse_tender_kind("mobile_money"), TenderKind::mobile_money);
  EXPECT_EQ(parse_tender_kind("crypto").code(), Errc::invalid_value);
}

TEST(Payment, AVoucherIsATenderThatGivesNoChange) {
  EXPECT_EQ(*parse_tender_kind("voucher"), TenderKind::voucher);
  EXPECT_EQ(to_string(TenderKind::voucher), "voucher");
  const std::vector<Payment> over{{TenderKind::voucher, 1'500, "V-1"}};
  EXPECT_EQ(settle(1'000, over, TenderSettings{}).code(), Errc::overpaid_non_cash);
  const std::vector<Payment> part{{TenderKind::voucher, 400, "V-2"}, {TenderKind::cash, 1'000, ""}};
  auto s = settle(1'000, part, TenderSettings{});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->tendered[static_cast<std::size_t>(TenderKind::voucher)], 400);
  EXPECT_EQ(s->change, 400);
}

}  // namespace
}  // namespace salespider
