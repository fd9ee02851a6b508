// Table-driven sales from fixtures/*.json: each case is a sale payload (as a
// till sends it), optional cash rounding and refund steps, with the expected
// figures. The expectations were produced by an independent implementation of
// docs/domain.md and checked by hand for the simple cases. Not here: random
// carts (property_test.cpp).
#include "salespider/shared/payloads.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

#ifndef SALESPIDER_FIXTURE_DIR
#error "SALESPIDER_FIXTURE_DIR must name tests/shared/fixtures"
#endif

namespace salespider {
namespace {

using nlohmann::json;

json load(const std::string& file) {
  std::ifstream in(std::string(SALESPIDER_FIXTURE_DIR) + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str(), nullptr, false);
}

std::int64_t num(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

void check_tenders(const json& expected, const TenderTotals& actual) {
  for (auto kind : kAllTenderKinds) {
    SCOPED_TRACE(std::string(to_string(kind)));
    EXPECT_EQ(actual[static_cast<std::size_t>(kind)], num(expected, std::string(to_string(kind)).c_str()));
  }
}

void run_case(const json& c) {
  SCOPED_TRACE(c.value("name", std::string("?")));
  auto payload = decode_sale_payload(c["sale"].dump());
  Result<Sale> sale = payload ? compute_sale(payload->cart) : Result<Sale>(payload.error());
  if (c.contains("error")) {
    ASSERT_FALSE(sale.ok());
    EXPECT_EQ(to_string(sale.code()), c["error"].get<std::string>()) << sale.error().context;
    return;
  }
  ASSERT_TRUE(sale.ok()) << sale.error().context;
  ASSERT_TRUE(check_invariants(*sale).ok());
  const json& e = c["expect"];
  const SaleTotals& t = sale->totals;
  EXPECT_EQ(t.subtotal, num(e, "subtotal"));
  EXPECT_EQ(t.line_discounts, num(e, "line_discounts"));
  EXPECT_EQ(t.cart_discounts, num(e, "cart_discounts"));
  EXPECT_EQ(t.tax, num(e, "tax"));
  EXPECT_EQ(t.total, num(e, "total"));
  EXPECT_EQ(payload->total, t.total) << "the till's claimed total";
  ASSERT_EQ(t.taxes.size(), e["taxes"].size());
  for (const auto& rate : t.taxes) {
    ASSERT_TRUE(e["taxes"].contains(rate.rate.code)) << rate.rate.code;
    EXPECT_EQ(rate.net, e["taxes"][rate.rate.code][0].get<std::int64_t>()) << rate.rate.code;
    EXPECT_EQ(rate.tax, e["taxes"][rate.rate.code][1].get<std::int64_t>()) << rate.rate.code;
  }
  ASSERT_EQ(sale->lines.size(), e["lines"].size());
  for (std::size_t i = 0; i < sale->lines.size(); ++i) {
    EXPECT_EQ(sale->lines[i].amount, e["lines"][i][0].get<std::int64_t>()) << "line " << i;
    EXPECT_EQ(sale->lines[i].tax, e["lines"][i][1].get<std::int64_t>()) << "line " << i;
    EXPECT_EQ(sale->lines[i].total, e["lines"][i][2].get<std::int64_t>()) << "line " << i;
  }
  TenderSettings settings;
  settings.cash_rounding_step = num(c, "cash_rounding_step");
  auto settlement = settle(t.total, payload->payments, settings);
  ASSERT_TRUE(settlement.ok()) << settlement.error().context;
  EXPECT_EQ(settlement->change, num(e, "change"));
  EXPECT_EQ(settlement->remaining, num(e, "remaining"));
  EXPECT_EQ(settlement->rounding, num(e, "rounding"));
  if (!c.contains("refunds")) return;
  RefundLedger ledger = RefundLedger::for_sale(*sale);
  for (const auto& step : c["refunds"]) {
    std::vector<RefundRequestLine> request;
    for (const auto& l : step["lines"])
      request.push_back({l[0].get<std::size_t>(), Quantity{l[1].get<std::int64_t>()}});
    auto refund = compute_refund(*sale, *settlement, ledger, request);
    if (step.contains("error")) {
      EXPECT_EQ(to_string(refund.code()), step["error"].get<std::string>());
      continue;
    }
    ASSERT_TRUE(refund.ok()) << refund.error().context;
    const json& re = step["expect"];
    EXPECT_EQ(refund->total, num(re, "total"));
    EXPECT_EQ(refund->tax, num(re, "tax"));
    EXPECT_EQ(refund->completes_sale, re["completes_sale"].get<bool>());
    check_tenders(re["tenders"], refund->tenders);
    ledger = record_refund(ledger, *refund);
  }
}

void run_file(const std::string& file) {
  const json cases = load(file);
  ASSERT_TRUE(cases.is_array()) << "cannot read fixture " << file;
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) run_case(c);
}

TEST(Fixtures, TaxInclusiveSalesComputeAsTabled) {
  run_file("tax_inclusive.json");
}
TEST(Fixtures, TaxExclusiveSalesComputeAsTabled) {
  run_file("tax_exclusive.json");
}
TEST(Fixtures, MultiRateSalesComputeAsTabled) {
  run_file("multi_rate.json");
}
TEST(Fixtures, DiscountedSalesComputeAsTabled) {
  run_file("discounts.json");
}
TEST(Fixtures, SplitTenderSalesSettleAsTabled) {
  run_file("split_tender.json");
}
TEST(Fixtures, PartialRefundsComputeAsTabled) {
  run_file("partial_refunds.json");
}

}  // namespace
}  // namespace salespider
