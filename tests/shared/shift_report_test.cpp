// The shift report (X and Z): a table of shifts with every figure worked out
// by hand, then the fixed order of its lists, its JSON, and its errors.
#include "salespider/shared/shift_report.hpp"

#include "builders.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>

namespace salespider {
namespace {

using namespace test;

SalePayload sale(Cart c, std::vector<Payment> payments) {
  SalePayload p;
  p.receipt_number = "SP3-000001";
  p.cart = std::move(c);
  p.payments = std::move(payments);
  p.total = compute_sale(p.cart)->totals.total;
  return p;
}

CashMovementPayload cash(CashMovementKind kind, std::int64_t amount) {
  return CashMovementPayload{"", kind, amount, *find_currency("NGN"), "why"};
}

ShiftRefund refund_in(TenderKind kind, std::int64_t amount, std::int64_t tax) {
  ShiftRefund r;
  r.tax = tax;
  r.tenders[static_cast<std::size_t>(kind)] = amount;
  return r;
}

ShiftInputs shift(std::int64_t opening_float, std::optional<std::int64_t> counted = std::nullopt) {
  ShiftInputs in;
  in.shift.currency = *find_currency("NGN");
  in.shift.opening_float = opening_float;
  in.shift.counted_cash = counted;
  return in;
}

std::int64_t tender(const std::vector<TenderAmount>& tenders, TenderKind kind) {
  for (const auto& t : tenders)
    if (t.kind == kind) return t.amount;
  return 0;
}

struct Case {
  const char* name;
  ShiftInputs in;
  // What the report must say, worked out by hand (VAT 7.5% unless said).
  std::int64_t sales, gross, discounts, net, tax, total, cash_taken, card_taken, refunded, expected;
  std::optional<std::int64_t> over_short;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  out.push_back({"an empty shift expects its float back", shift(50'000, 50'000), 0, 0, 0, 0, 0, 0, 0, 0, 0,
                 50'000, 0});
  {
    // ₦20.00 with VAT included: tax 139.53 -> 140; ₦50 handed over, ₦30 change.
    auto in = shift(10'000, 11'500);
    in.sales.push_back(sale(cart({line(1'000, 2)}), {{TenderKind::cash, 5'000, ""}}));
    out.push_back({"change leaves the drawer and a short count is negative", in, 1, 2'000, 0, 1'860, 140, 2'000,
                   2'000, 0, 0, 12'000, -500});
  }
  {
    // ₦30 split card ₦10 + cash ₦20 (tax 209); ₦10 back in cash; 500 in,
    // 1'000 top-up, 200 out, 5'000 dropped: 10'000 + 2'000 - 1'000 + 1'500 - 5'200.
    auto in = shift(10'000);
    in.sales.push_back(
        sale(cart({line(1'000, 3)}), {{TenderKind::card, 1'000, "slip"}, {TenderKind::cash, 2'000, ""}}));
    in.refunds.push_back(refund_in(TenderKind::cash, 1'000, 70));
    in.cash_movements = {cash(CashMovementKind::pay_in, 500), cash(CashMovementKind::float_top_up, 1'000),
                         cash(CashMovementKind::pay_out, 200), cash(CashMovementKind::drop, 5'000)};
    out.push_back({"split tender, a cash refund and cash movements", in, 1, 3'000, 0, 2'791, 209, 3'000, 2'000,
                   1'000, 1'000, 7'300, std::nullopt});
  }
  {
    // 10% off the line (100), then ₦1 off the cart: ₦8.00 paid, tax 55.81 -> 56.
    auto in = shift(0, 800);
    in.sales.push_back(sale(cart({line(1'000, 1, vat(), {percent(1'000)})}, PriceMode::tax_inclusive, {fixed(100)}),
                            {{TenderKind::cash, 800, ""}}));
    out.push_back({"line and cart discounts add up", in, 1, 1'000, 200, 744, 56, 800, 800, 0, 0, 800, 0});
  }
  {
    // ₦10.03 in cash with a 5-kobo smallest coin: 10.05 taken (tax 69.98 -> 70).
    auto in = shift(1'000, 2'005);
    in.shift.cash_rounding_step = 5;
    in.sales.push_back(sale(cart({line(1'003, 1)}), {{TenderKind::cash, 1'005, ""}}));
    out.push_back({"cash rounding stays in the drawer", in, 1, 1'003, 0, 933, 70, 1'003, 1'005, 0, 0, 2'005, 0});
  }
  {
    // Tax added on top: ₦10 + 7.5% and ₦5 exempt, by card: no cash moves.
    auto in = shift(2'000, 2'100);
    in.sales.push_back(sale(cart({line(1'000, 1), line(500, 1, exempt())}, PriceMode::tax_exclusive),
                            {{TenderKind::card, 1'575, ""}}));
    out.push_back({"tax-exclusive card sales leave the cash alone", in, 1, 1'500, 0, 1'500, 75, 1'575, 0, 1'575, 0,
                   2'000, 100});
  }
  {
    // Two sales, one refunded to the card it was paid with.
    auto in = shift(0, 0);
    in.sales.push_back(sale(cart({line(2'000, 1)}), {{TenderKind::card, 2'000, ""}}));
    in.sales.push_back(sale(cart({line(1'000, 1)}), {{TenderKind::cash, 1'000, ""}}));
    in.refunds.push_back(refund_in(TenderKind::card, 2'000, 140));
    // Tax per sale: 139.53 -> 140 and 69.77 -> 70.
    out.push_back({"a card refund does not touch the drawer", in, 2, 3'000, 0, 2'790, 210, 3'000, 1'000, 2'000,
                   2'000, 1'000, -1'000});
  }
  return out;
}

TEST(ShiftReport, EveryFigureOfEveryTableCaseIsWhatWeWorkedOutByHand) {
  for (const auto& c : cases()) {
    SCOPED_TRACE(c.name);
    auto r = compute_shift_report(c.in);
    ASSERT_TRUE(r.ok()) << r.error().context;
    EXPECT_EQ(r->closed, c.in.shift.counted_cash.has_value());
    EXPECT_EQ(r->sale_count, c.sales);
    EXPECT_EQ(r->gross_sales, c.gross);
    EXPECT_EQ(r->discounts, c.discounts);
    EXPECT_EQ(r->discounts, r->line_discounts + r->cart_discounts);
    EXPECT_EQ(r->net_sales, c.net);
    EXPECT_EQ(r->tax, c.tax);
    EXPECT_EQ(r->total_sales, c.total);
    EXPECT_EQ(r->net_sales + r->tax, r->total_sales);
    EXPECT_EQ(tender(r->tenders, TenderKind::cash), c.cash_taken);
    EXPECT_EQ(tender(r->tenders, TenderKind::card), c.card_taken);
    EXPECT_EQ(r->refund_total, c.refunded);
    EXPECT_EQ(r->expected_cash, c.expected);
    EXPECT_EQ(r->over_short, c.over_short);
  }
}

TEST(ShiftReport, TheSameOpsInAnyOrderGiveTheSameReport) {
  auto c = cases()[2].in;
  c.sales.push_back(sale(cart({line(500, 1, vat(0, "ZERO")), line(700, 2, exempt())}), {{TenderKind::cash, 2'000, ""}}));
  const auto first = *encode_shift_report_json(*compute_shift_report(c));
  std::reverse(c.sales.begin(), c.sales.end());
  std::reverse(c.refunds.begin(), c.refunds.end());
  std::reverse(c.cash_movements.begin(), c.cash_movements.end());
  EXPECT_EQ(*encode_shift_report_json(*compute_shift_report(c)), first);
}

TEST(ShiftReport, TaxRatesAreListedByCodeThenRateWithEverySalesShareAdded) {
  auto in = shift(0);
  in.sales.push_back(sale(cart({line(1'075, 1), line(500, 1, exempt())}), {{TenderKind::cash, 1'575, ""}}));
  in.sales.push_back(sale(cart({line(2'150, 1)}), {{TenderKind::cash, 2'150, ""}}));
  auto r = compute_shift_report(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->taxes.size(), 2u);
  EXPECT_EQ(r->taxes[0], (ShiftTaxLine{"EXEMPT", TaxKind::exempt, 0, 500, 0}));
  EXPECT_EQ(r->taxes[1], (ShiftTaxLine{"VAT", TaxKind::standard, 75'000, 1'000 + 2'000, 75 + 150}));
}

TEST(ShiftReport, EveryCashMovementKindIsListedEvenWhenNoneHappened) {
  auto in = shift(0);
  in.cash_movements = {cash(CashMovementKind::drop, 300), cash(CashMovementKind::drop, 200)};
  auto r = compute_shift_report(in);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->cash_movements.size(), 4u);
  EXPECT_EQ(r->cash_movements[2], (CashMovementTotal{CashMovementKind::drop, 2, 500}));
  EXPECT_EQ(r->cash_movements[0], (CashMovementTotal{CashMovementKind::pay_in, 0, 0}));
  EXPECT_EQ(r->cash_out, 500);
  EXPECT_EQ(r->expected_cash, -500);  // more taken out than there was: the count will say
}

TEST(ShiftReport, TheJsonIsOneCanonicalTextWithMinorUnits) {
  auto in = shift(10'000, 11'500);
  in.sales.push_back(sale(cart({line(1'000, 2)}), {{TenderKind::cash, 5'000, ""}}));
  in.void_count = 1;
  auto text = encode_shift_report_json(*compute_shift_report(in));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text,
            R"({"cash_movements":{"by_kind":[{"amount":0,"count":0,"kind":"pay_in"},{"amount":0,"count":0,"kind":"pay_out"},)"
            R"({"amount":0,"count":0,"kind":"drop"},{"amount":0,"count":0,"kind":"float_top_up"}],"in":0,"out":0},)"
            R"("counted_cash":11500,"currency":"NGN","expected_cash":12000,"kind":"Z","opening_float":10000,)"
            R"("over_short":-500,"refunds":{"count":0,"tax":0,"tenders":[],"total":0},)"
            R"("sales":{"cart_discounts":0,"cash_rounding":0,"change_given":3000,"count":1,"discounts":0,)"
            R"("gross":2000,"line_discounts":0,"net":1860,"tax":140,"total":2000},)"
            R"("taxes":[{"code":"VAT","kind":"standard","net":1860,"rate_ppm":75000,"tax":140}],)"
            R"("tenders":[{"amount":2000,"kind":"cash"}],"voids":{"count":1}})");
  in.shift.counted_cash.reset();
  text = encode_shift_report_json(*compute_shift_report(in));
  EXPECT_NE(text->find(R"("counted_cash":null)"), std::string::npos);
  EXPECT_NE(text->find(R"("kind":"X")"), std::string::npos);
}

TEST(ShiftReport, ARefundGivesBackWhatItsTendersSay) {
  RefundPayload payload;
  Refund computed;
  computed.tax = 70;
  computed.tenders[static_cast<std::size_t>(TenderKind::card)] = 1'000;
  payload.tenders = {{TenderKind::cash, 1'000, ""}};  // the customer took cash instead
  auto in = shift(5'000);
  in.refunds.push_back(shift_refund(payload, computed));
  auto r = compute_shift_report(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->refund_tenders, (std::vector<TenderAmount>{{TenderKind::cash, 1'000}}));
  EXPECT_EQ(r->refund_tax, 70);
  EXPECT_EQ(r->expected_cash, 4'000);
}

TEST(ShiftReport, InputsThatDoNotFitAreTypedErrors) {
  struct Bad {
    const char* name;
    ShiftInputs in;
    Errc code;
  };
  std::vector<Bad> bad;
  {
    auto in = shift(0);
    in.sales.push_back(sale(cart({line(1'000, 1)}, PriceMode::tax_inclusive, {}, "USD"), {}));
    bad.push_back({"a sale in another currency", in, Errc::currency_mismatch});
  }
  {
    auto in = shift(0);
    in.cash_movements.push_back(cash(CashMovementKind::pay_in, 1));
    in.cash_movements.back().currency = *find_currency("USD");
    bad.push_back({"a cash movement in another currency", in, Errc::currency_mismatch});
  }
  {
    auto in = shift(0);
    in.sales.push_back(sale(cart({line(1'000, 1)}), {}));
    in.sales.back().payments = {{TenderKind::card, 5'000, ""}};
    bad.push_back({"a sale settle refuses", in, Errc::overpaid_non_cash});
  }
  bad.push_back({"a negative float", shift(-1), Errc::out_of_range});
  bad.push_back({"a negative count", shift(0, -1), Errc::out_of_range});
  {
    auto in = shift(0);
    in.refunds.push_back(refund_in(TenderKind::cash, -5, 0));
    bad.push_back({"a negative refund", in, Errc::out_of_range});
  }
  {
    ShiftInputs in;
    bad.push_back({"no currency", in, Errc::unknown_currency});
  }
  {
    auto in = shift(0);
    for (int i = 0; i < 10; ++i) in.refunds.push_back(refund_in(TenderKind::cash, INT64_MAX / 4, 0));
    bad.push_back({"sums beyond int64", in, Errc::overflow});
  }
  for (const auto& b : bad) EXPECT_EQ(compute_shift_report(b.in).code(), b.code) << b.name;
}

}  // namespace
}  // namespace salespider
