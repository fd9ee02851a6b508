// Discount arithmetic. Deliberately knows nothing of lines and carts:
// cart.cpp decides what a discount applies to and spreads cart discounts.
#include "salespider/shared/discount.hpp"

#include "salespider/shared/money.hpp"
#include "salespider/shared/rounding.hpp"

#include <algorithm>

namespace salespider {

Status validate(const Discount& d) {
  if (d.kind == DiscountKind::percent && (d.value < 0 || d.value > kBasisPoints)) {
    return make_error(Errc::invalid_discount, "a percentage discount must be between 0% and 100%");
  }
  if (d.kind == DiscountKind::fixed && (d.value < 0 || d.value > kMaxMoneyMinor)) {
    return make_error(Errc::invalid_discount, "a fixed discount must be between zero and the largest amount");
  }
  return {};
}

std::int64_t apply_discounts(std::int64_t base, std::span<const Discount> discounts) {
  std::int64_t left = base;
  for (const auto& d : discounts) {
    const std::int64_t off = d.kind == DiscountKind::percent
                                 ? div_round_half_away(static_cast<Wide>(left) * d.value, kBasisPoints)
                                 : d.value;
    left -= std::min(off, left);
  }
  return base - left;
}

bool within_limit(std::int64_t taken, std::int64_t base, std::int64_t max_bp) {
  if (taken <= 0) return true;
  return static_cast<Wide>(taken) * kBasisPoints <= static_cast<Wide>(base) * max_bp;
}

std::string_view to_string(DiscountKind kind) noexcept {
  return kind == DiscountKind::percent ? "percent" : "fixed";
}

Result<DiscountKind> parse_discount_kind(std::string_view text) {
  if (text == "percent") return DiscountKind::percent;
  if (text == "fixed") return DiscountKind::fixed;
  return make_error(Errc::invalid_discount, "discount kind must be percent or fixed");
}

}  // namespace salespider
