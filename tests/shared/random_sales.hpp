// Deterministic random carts, payments and refund requests for property tests
// and the fuzzer's cart checks. splitmix64 with a fixed seed: the same
// "random" cases on every compiler and platform. Deliberately biased towards
// small prices and quantities, where rounding edge cases live.
#pragma once

#include "salespider/shared/cart.hpp"
#include "salespider/shared/payment.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace salespider::test {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform-enough integer in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return between(0, 99) < percent; }

 private:
  std::uint64_t state_;
};

inline TaxRate random_rate(SplitMix64& rng) {
  switch (rng.between(0, 4)) {
    case 0:
      return TaxRate{"VAT", TaxKind::standard, 75'000};
    case 1:
      return TaxRate{"RED", TaxKind::reduced, 50'000};
    case 2:
      return TaxRate{"ZERO", TaxKind::zero, 0};
    case 3:
      return TaxRate{"EXEMPT", TaxKind::exempt, 0};
    default:
      return TaxRate{"ODD", TaxKind::standard, 88'750};
  }
}

inline Discount random_discount(SplitMix64& rng, std::int64_t max_fixed) {
  if (rng.chance(50)) return Discount{DiscountKind::percent, rng.between(0, 10'000)};
  return Discount{DiscountKind::fixed, rng.between(0, max_fixed)};
}

inline Cart random_cart(SplitMix64& rng) {
  static const char* kCodes[] = {"NGN", "USD", "JPY", "KWD", "INR"};
  Cart c;
  c.currency = *find_currency(kCodes[rng.between(0, 4)]);
  c.price_mode = rng.chance(50) ? PriceMode::tax_inclusive : PriceMode::tax_exclusive;
  const auto lines = rng.between(0, 12);
  for (std::int64_t i = 0; i < lines; ++i) {
    CartLine l;
    l.product_id = "p" + std::to_string(rng.between(1, 50));
    l.name = "Product " + l.product_id;
    l.unit_price = rng.chance(30) ? rng.between(0, 20) : rng.between(0, 5'000'000);
    l.unit = rng.chance(25) ? UnitKind::weighed : UnitKind::each;
    l.quantity =
        l.unit == UnitKind::weighed ? Quantity{rng.between(1, 25'000)} : Quantity::units(rng.between(1, 9));
    l.tax = random_rate(rng);
    const auto discounts = rng.chance(30) ? rng.between(1, 2) : 0;
    for (std::int64_t d = 0; d < discounts; ++d)
      l.discounts.push_back(random_discount(rng, 2 * l.unit_price + 5));
    c.lines.push_back(std::move(l));
  }
  if (rng.chance(30)) c.discounts.push_back(random_discount(rng, 50'000));
  if (rng.chance(10)) c.discounts.push_back(random_discount(rng, 500));
  return c;
}

// Payments that complete a sale of `total`: some non-cash parts, then cash
// (with change) or a last non-cash part for the rest.
inline std::vector<Payment> random_payments(SplitMix64& rng, std::int64_t total,
                                            const TenderSettings& settings) {
  std::vector<Payment> p;
  std::int64_t left = total;
  const auto parts = rng.between(0, 2);
  for (std::int64_t i = 0; i < parts && left > 1; ++i) {
    const auto amount = rng.between(1, left - 1);
    p.push_back({kAllTenderKinds[static_cast<std::size_t>(rng.between(1, 4))], amount, "ref"});
    left -= amount;
  }
  if (rng.chance(60)) {
    const std::int64_t due = cash_needed(left, {}, settings);
    p.push_back({TenderKind::cash, due + rng.between(0, 2'000) + (due == 0 ? 1 : 0), ""});
  } else if (left > 0) {
    p.push_back({TenderKind::card, left, "last"});
  }
  return p;
}

}  // namespace salespider::test
