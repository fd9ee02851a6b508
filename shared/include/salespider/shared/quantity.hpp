// Quantity: how much of a product is on a line, as an integer number of
// thousandths (1.250 kg = 1250), for weighed goods and counted goods alike.
//
// Products sold by the piece must have whole quantities (a multiple of 1000);
// weighed products may use all three decimals. Deliberately no units of
// measure or conversions (kg vs g is the product's business, not the cart's)
// and no floating point.
#pragma once

#include "salespider/shared/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace salespider {

inline constexpr std::int64_t kQuantityScale = 1000;  // thousandths per unit
// One million units (or kilograms) on one line: more than any shop sells at once.
inline constexpr std::int64_t kMaxQuantityThousandths = 1'000'000 * kQuantityScale;

enum class UnitKind {
  each,     // counted: whole units only
  weighed,  // by weight or length: up to three decimals
};

struct Quantity {
  std::int64_t thousandths = 0;

  static constexpr Quantity units(std::int64_t n) { return Quantity{n * kQuantityScale}; }
  friend bool operator==(Quantity a, Quantity b) noexcept { return a.thousandths == b.thousandths; }
  friend bool operator!=(Quantity a, Quantity b) noexcept { return a.thousandths != b.thousandths; }
};

// A line quantity must be positive, at most kMaxQuantityThousandths, and whole
// for UnitKind::each (Errc::invalid_quantity / Errc::fractional_quantity).
Status validate_quantity(Quantity q, UnitKind unit);

// unit price x quantity, rounded once, half away from zero, to the minor unit.
// Inputs must be within kMaxMoneyMinor and kMaxQuantityThousandths;
// Errc::overflow when the line would exceed kMaxMoneyMinor.
Result<std::int64_t> extend_price(std::int64_t unit_price_minor, Quantity q);

// "2" for whole quantities, "1.25" (trailing zeros dropped) otherwise.
std::string format_quantity(Quantity q);

// Parses "2", "1.25", "0.005" (dot as decimal point, what the keypad sends).
Result<Quantity> parse_quantity(std::string_view text, UnitKind unit);

}  // namespace salespider
