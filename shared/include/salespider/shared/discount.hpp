// Discounts on a line or on the whole cart, and the limit a role may give.
//
// A discount is a percentage (basis points) or a fixed amount (minor units).
// Several discounts apply one after another to what is left, and none can
// take a line or the cart below zero: a fixed discount larger than what is
// left is cut to what is left. Deliberately no promotions engine (buy-2-get-1,
// coupons, schedules): those would produce these discounts, not replace them.
#pragma once

#include "salespider/shared/result.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace salespider {

inline constexpr std::int64_t kBasisPoints = 10'000;  // 100% = 10'000 bp
inline constexpr std::size_t kMaxDiscountsPerLine = 4;
inline constexpr std::size_t kMaxCartDiscounts = 4;

enum class DiscountKind { percent, fixed };

struct Discount {
  DiscountKind kind = DiscountKind::percent;
  std::int64_t value = 0;  // percent: basis points (1'250 = 12.5%); fixed: minor units

  friend bool operator==(const Discount& a, const Discount& b) {
    return a.kind == b.kind && a.value == b.value;
  }
  friend bool operator!=(const Discount& a, const Discount& b) { return !(a == b); }
};

// What a role may give, as data the store configures per role. The limit is
// the share of the price the discounts take together, whatever their kind:
// a cashier limited to 10% may give 10% or a fixed ₦500 off a ₦5,000 line.
struct DiscountLimit {
  std::int64_t max_line_bp = 0;
  std::int64_t max_cart_bp = 0;
};

// percent 0..100% (value 0..10'000), fixed 0..kMaxMoneyMinor.
Status validate(const Discount& d);

// Applies `discounts` in order to `base` (>= 0), each to what is left,
// percentages rounded half away from zero. Returns the total taken, which is
// never more than `base`.
std::int64_t apply_discounts(std::int64_t base, std::span<const Discount> discounts);

// Is `taken` out of `base` within `max_bp`? (taken / base <= max_bp / 10'000)
bool within_limit(std::int64_t taken, std::int64_t base, std::int64_t max_bp);

std::string_view to_string(DiscountKind kind) noexcept;
Result<DiscountKind> parse_discount_kind(std::string_view text);

}  // namespace salespider
