// Quantities in thousandths. Deliberately no locale: the keypad always sends
// a dot, and receipts print quantities the same way everywhere.
#include "salespider/shared/quantity.hpp"

#include "salespider/shared/money.hpp"
#include "salespider/shared/rounding.hpp"

namespace salespider {

Status validate_quantity(Quantity q, UnitKind unit) {
  if (q.thousandths <= 0) return make_error(Errc::invalid_quantity, "quantity must be positive");
  if (q.thousandths > kMaxQuantityThousandths)
    return make_error(Errc::invalid_quantity, "quantity too large");
  if (unit == UnitKind::each && q.thousandths % kQuantityScale != 0) {
    return make_error(Errc::fractional_quantity, "this product is sold in whole units");
  }
  return {};
}

Result<std::int64_t> extend_price(std::int64_t unit_price_minor, Quantity q) {
  // Both factors are below 2^60, so the 128-bit product cannot overflow.
  const Wide product = static_cast<Wide>(unit_price_minor) * q.thousandths;
  const Wide limit = static_cast<Wide>(kMaxMoneyMinor) * kQuantityScale;
  if (product > limit || product < -limit) return make_error(Errc::overflow, "line amount too large");
  return div_round_half_away(product, kQuantityScale);
}

std::string format_quantity(Quantity q) {
  const std::int64_t mag = q.thousandths < 0 ? -q.thousandths : q.thousandths;
  // Not `"-" + std::to_string(...)`: GCC 12 at -O3 reports a false
  // -Wrestrict in that operator+ (GCC PR 105329), which -Werror makes fatal.
  std::string out = std::to_string(mag / kQuantityScale);
  if (q.thousandths < 0) out.insert(out.begin(), '-');
  std::int64_t frac = mag % kQuantityScale;
  if (frac == 0) return out;
  std::string digits = std::to_string(frac);
  digits.insert(0, 3 - digits.size(), '0');
  while (digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

Result<Quantity> parse_quantity(std::string_view text, UnitKind unit) {
  if (text.empty() || text.size() > 16) return make_error(Errc::invalid_quantity, "malformed quantity");
  std::int64_t whole = 0;
  std::int64_t frac = 0;
  std::size_t frac_digits = 0;
  bool in_frac = false;
  bool any_digit = false;
  for (char c : text) {
    if (c == '.' && !in_frac) {
      in_frac = true;
    } else if (c >= '0' && c <= '9') {
      any_digit = true;
      if (in_frac) {
        if (++frac_digits > 3) return make_error(Errc::invalid_quantity, "at most three decimals");
        frac = frac * 10 + (c - '0');
      } else {
        whole = whole * 10 + (c - '0');
        if (whole > kMaxQuantityThousandths / kQuantityScale) {
          return make_error(Errc::invalid_quantity, "quantity too large");
        }
      }
    } else {
      return make_error(Errc::invalid_quantity, "malformed quantity '" + std::string(text) + "'");
    }
  }
  if (!any_digit || (in_frac && frac_digits == 0))
    return make_error(Errc::invalid_quantity, "malformed quantity");
  for (std::size_t i = frac_digits; i < 3; ++i) frac *= 10;
  Quantity q{whole * kQuantityScale + frac};
  if (auto s = validate_quantity(q, unit); !s) return std::move(s).error();
  return q;
}

}  // namespace salespider
