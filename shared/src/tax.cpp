// The tax rule. Deliberately tiny: every tax figure in the system comes from
// tax_on(), so changing the rule means changing one function (and the docs).
#include "salespider/shared/tax.hpp"

#include "salespider/shared/rounding.hpp"

#include <algorithm>

namespace salespider {

Status validate(const TaxRate& r) {
  if (r.code.empty() || r.code.size() > kMaxTaxCodeBytes ||
      !std::all_of(r.code.begin(), r.code.end(), [](char c) { return c > ' ' && c < 127; })) {
    return make_error(Errc::invalid_tax_rate, "tax code must be 1-32 printable ASCII characters");
  }
  if (r.rate_ppm < 0 || r.rate_ppm > kMaxTaxRatePpm) {
    return make_error(Errc::invalid_tax_rate, "tax rate '" + r.code + "' must be between 0% and 100%");
  }
  const bool zero_kind = r.kind == TaxKind::zero || r.kind == TaxKind::exempt;
  if (zero_kind != (r.rate_ppm == 0)) {
    return make_error(
        Errc::invalid_tax_rate,
        "tax rate '" + r.code + "': zero and exempt rates are 0%, standard and reduced are not");
  }
  return {};
}

std::int64_t tax_on(std::int64_t amount, std::int64_t rate_ppm, PriceMode mode) {
  if (rate_ppm == 0) return 0;
  if (mode == PriceMode::tax_exclusive) {
    return div_round_half_away(static_cast<Wide>(amount) * rate_ppm, kTaxRateScale);
  }
  return div_round_half_away(static_cast<Wide>(amount) * rate_ppm, kTaxRateScale + rate_ppm);
}

std::string_view to_string(TaxKind kind) noexcept {
  switch (kind) {
    case TaxKind::standard:
      return "standard";
    case TaxKind::reduced:
      return "reduced";
    case TaxKind::zero:
      return "zero";
    case TaxKind::exempt:
      return "exempt";
  }
  return "standard";
}

Result<TaxKind> parse_tax_kind(std::string_view text) {
  for (auto k : {TaxKind::standard, TaxKind::reduced, TaxKind::zero, TaxKind::exempt})
    if (to_string(k) == text) return k;
  return make_error(Errc::invalid_tax_rate, "unknown tax kind");
}

std::string_view to_string(PriceMode mode) noexcept {
  return mode == PriceMode::tax_inclusive ? "tax_inclusive" : "tax_exclusive";
}

Result<PriceMode> parse_price_mode(std::string_view text) {
  if (text == "tax_inclusive") return PriceMode::tax_inclusive;
  if (text == "tax_exclusive") return PriceMode::tax_exclusive;
  return make_error(Errc::invalid_value, "price mode must be tax_inclusive or tax_exclusive");
}

}  // namespace salespider
