// Properties over thousands of deterministic random cases: sale invariants,
// discount and tax bounds, exact refunds whatever the sequence, and codec
// round trips. Fixed seeds; sized to run in seconds under node too.
#include "salespider/shared/codec.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/money_format.hpp"
#include "salespider/shared/payloads.hpp"

#include "random_sales.hpp"

#include <gtest/gtest.h>

namespace salespider {
namespace {

using test::SplitMix64;

constexpr int kCarts = 4'000;
constexpr int kRefundSales = 1'500;
constexpr int kBatches = 300;

TEST(Properties, EveryRandomCartSatisfiesTheSaleInvariants) {
  SplitMix64 rng(0x5A1E5);
  for (int i = 0; i < kCarts; ++i) {
    const Cart cart = test::random_cart(rng);
    auto sale = compute_sale(cart);
    ASSERT_TRUE(sale.ok()) << i << ": " << sale.error().context;
    auto ok = check_invariants(*sale);
    ASSERT_TRUE(ok.ok()) << i << ": " << ok.error().context;
    // Discounts never exceed what they apply to; tax never exceeds the rate.
    ASSERT_LE(sale->totals.line_discounts + sale->totals.cart_discounts, sale->totals.subtotal);
    for (const auto& r : sale->totals.taxes) {
      ASSERT_LE(r.tax, r.net + 1) << "tax above 100%";
    }
  }
}

TEST(Properties, SalePayloadsRoundTrip) {
  SplitMix64 rng(0xC0DEC);
  for (int i = 0; i < kCarts / 4; ++i) {
    SalePayload p;
    p.receipt_number = "SP" + std::to_string(rng.between(1, 9)) + "-" + std::to_string(100'000 + i);
    p.cart = test::random_cart(rng);
    p.total = compute_sale(p.cart)->totals.total;
    p.payments = test::random_payments(rng, p.total, TenderSettings{});
    auto text = encode_sale_payload(p);
    ASSERT_TRUE(text.ok()) << text.error().context;
    auto back = decode_sale_payload(*text);
    ASSERT_TRUE(back.ok()) << back.error().context;
    ASSERT_EQ(*back, p);
    ASSERT_EQ(*encode_sale_payload(*back), *text);
  }
}

TEST(Properties, AnySequenceOfPartialRefundsAddsUpToTheSale) {
  SplitMix64 rng(0x4EF0D);
  for (int i = 0; i < kRefundSales; ++i) {
    TenderSettings settings;
    settings.cash_rounding_step = rng.chance(30) ? (rng.chance(50) ? 5 : 50) : 0;
    auto sale = compute_sale(test::random_cart(rng));
    ASSERT_TRUE(sale.ok());
    if (sale->lines.empty()) continue;
    const auto payments = test::random_payments(rng, sale->totals.total, settings);
    auto settlement = settle(sale->totals.total, payments, settings);
    ASSERT_TRUE(settlement.ok()) << settlement.error().context;
    ASSERT_TRUE(settlement->complete) << i;

    RefundLedger ledger = RefundLedger::for_sale(*sale);
    TenderTotals back{};
    std::int64_t total = 0;
    std::int64_t tax = 0;
    bool completed = false;
    for (int step = 0; step < 200 && !completed; ++step) {
      std::vector<RefundRequestLine> request;
      for (std::size_t l = 0; l < sale->lines.size(); ++l) {
        const auto& line = sale->lines[l];
        const std::int64_t left = line.item.quantity.thousandths - ledger.quantity[l].thousandths;
        if (left == 0 || rng.chance(50)) continue;
        const std::int64_t unit = line.item.unit == UnitKind::each ? 1'000 : 1;
        const std::int64_t q = rng.chance(30) ? left : unit * rng.between(1, left / unit);
        request.push_back({l, Quantity{q}});
      }
      if (request.empty()) continue;
      auto refund = compute_refund(*sale, *settlement, ledger, request);
      ASSERT_TRUE(refund.ok()) << refund.error().context;
      for (const auto& rl : refund->lines) ASSERT_TRUE(rl.net >= 0 && rl.tax >= 0);
      for (std::size_t k = 0; k < back.size(); ++k)  // only the cash rounding may be negative
        ASSERT_GE(refund->tenders[k] - (k == 0 ? refund->cash_rounding : 0), 0);
      total += refund->total;
      tax += refund->tax;
      for (std::size_t k = 0; k < back.size(); ++k) back[k] += refund->tenders[k];
      ledger = record_refund(ledger, *refund);
      completed = refund->completes_sale;
    }
    ASSERT_TRUE(completed);
    EXPECT_EQ(total, sale->totals.total);
    EXPECT_EQ(tax, sale->totals.tax);
    for (std::size_t l = 0; l < sale->lines.size(); ++l) {
      ASSERT_EQ(ledger.net[l], sale->lines[l].net);
      ASSERT_EQ(ledger.tax[l], sale->lines[l].tax);
    }
    for (std::size_t k = 0; k < back.size(); ++k)
      ASSERT_EQ(back[k], settlement->tendered[k]) << "tender " << k;
  }
}

std::string random_uuid(SplitMix64& rng, bool v7) {
  Uuid u = make_uuid_v7(rng.between(0, kMaxTimestampMs), static_cast<std::uint16_t>(rng.next() & 0xFFF),
                        rng.next());
  if (!v7) u.bytes[6] = static_cast<std::uint8_t>(0x40 | (u.bytes[6] & 0x0F));
  return u.to_string();
}

std::string random_text(SplitMix64& rng, std::size_t max) {
  static const char* kPieces[] = {"a",      "Z",      "0", " ",  "\"", "\\", "\n",
                                  "\u20A6", "\u00e9", "/", "\t", "{",  "]"};
  std::string s;
  const auto n = rng.between(0, static_cast<std::int64_t>(max));
  for (std::int64_t i = 0; i < n && s.size() + 4 <= max; ++i) s += kPieces[rng.between(0, 12)];
  return s;
}

TEST(Properties, PushBatchesRoundTrip) {
  SplitMix64 rng(0xBA7C4);
  for (int i = 0; i < kBatches; ++i) {
    PushBatch b;
    b.till_id = random_uuid(rng, false);
    const auto n = rng.between(0, 20);
    for (std::int64_t k = 0; k < n; ++k) {
      Op op;
      op.op_id = random_uuid(rng, true);
      op.till_id = b.till_id;
      op.kind = kAllOpKinds[static_cast<std::size_t>(rng.between(0, 6))];
      op.created_at = rng.between(0, kMaxTimestampMs);
      op.user_id = random_uuid(rng, false);
      op.grant = random_text(rng, 64);
      op.payload = *canonical_json_object(
          R"({"n":)" + std::to_string(rng.between(-1'000'000, 1'000'000)) + R"(,"s":"x","l":[1,{"a":null}]})",
          kMaxPayloadBytes);
      b.ops.push_back(op);
    }
    auto text = encode_push_batch(b);
    ASSERT_TRUE(text.ok()) << text.error().context;
    auto back = decode_push_batch(*text);
    ASSERT_TRUE(back.ok()) << back.error().context;
    ASSERT_TRUE(back->rejected.empty());
    ASSERT_EQ(*back, b);
  }
}

TEST(Properties, PullPagesAndResponsesRoundTrip) {
  SplitMix64 rng(0x9011);
  for (int i = 0; i < kBatches; ++i) {
    PullPage p;
    const auto n = rng.between(0, 20);
    for (std::int64_t k = 0; k < n; ++k) {
      const bool deleted = rng.chance(20);
      p.changes.push_back({"product", "id" + std::to_string(k), rng.between(0, INT64_MAX / 2), deleted,
                           deleted ? "" : R"({"name":"p)" + std::to_string(k) + R"("})"});
    }
    p.next_cursor = random_text(rng, kMaxCursorBytes);
    p.remaining = rng.between(0, 1'000'000);
    auto text = encode_pull_page(p);
    ASSERT_TRUE(text.ok()) << text.error().context;
    ASSERT_EQ(*decode_pull_page(*text), p);

    PushResponse r;
    for (std::int64_t k = 0; k < n; ++k) {
      const auto status = static_cast<OpStatus>(rng.between(0, 2));
      r.results.push_back({random_uuid(rng, true), status,
                           status == OpStatus::rejected ? "invalid_value" : "", random_text(rng, 100)});
    }
    auto rt = encode_push_response(r);
    ASSERT_TRUE(rt.ok()) << rt.error().context;
    ASSERT_EQ(*decode_push_response(*rt), r);
  }
}

TEST(Properties, FormattedMoneyParsesBack) {
  SplitMix64 rng(0x30E7);
  for (int i = 0; i < kCarts; ++i) {
    const auto& infos = known_currencies();
    const Currency c = *find_currency(
        infos[static_cast<std::size_t>(rng.between(0, static_cast<std::int64_t>(infos.size()) - 1))].code);
    MoneyFormat f;
    f.grouping = static_cast<Grouping>(rng.between(0, 2));
    f.display = static_cast<CurrencyDisplay>(rng.between(0, 2));
    f.currency_after = rng.chance(50);
    f.space_between = rng.chance(50);
    if (rng.chance(50)) {
      f.decimal_separator = ",";
      f.group_separator = rng.chance(50) ? "." : "\u202F";
    }
    const Money m{rng.between(-kMaxMoneyMinor, kMaxMoneyMinor) / (rng.chance(50) ? 1 : 1'000'000), c};
    const std::string text = format_money(m, f);
    auto back = parse_money(text, c, f);
    ASSERT_TRUE(back.ok()) << text << ": " << back.error().context;
    ASSERT_EQ(*back, m) << text;
  }
}

}  // namespace
}  // namespace salespider
