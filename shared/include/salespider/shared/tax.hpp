// Tax rates and the one tax computation: tax on the total of one rate, from a
// tax-inclusive or tax-exclusive amount, rounded once (docs/domain.md).
//
// A rate is a snapshot carried by each line (code, kind, rate) so a sale can
// be recomputed years later without the settings of the day. Deliberately no
// compound taxes, no tax-on-tax and no jurisdiction logic.
#pragma once

#include "salespider/shared/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace salespider {

// Rates are parts per million of the tax-exclusive price: 7.5% = 75'000.
inline constexpr std::int64_t kTaxRateScale = 1'000'000;
inline constexpr std::int64_t kMaxTaxRatePpm = kTaxRateScale;  // 100%
inline constexpr std::size_t kMaxTaxCodeBytes = 32;

enum class TaxKind {
  standard,
  reduced,
  zero,    // taxable at 0% (reported as zero-rated supplies)
  exempt,  // outside the tax (reported separately from zero-rated)
};

// Whether shelf prices include tax (typical for shops) or tax is added on top.
enum class PriceMode { tax_inclusive, tax_exclusive };

struct TaxRate {
  std::string code;  // the store's short name: "VAT", "VAT-R", "EXEMPT"
  TaxKind kind = TaxKind::standard;
  std::int64_t rate_ppm = 0;

  friend bool operator==(const TaxRate& a, const TaxRate& b) {
    return a.code == b.code && a.kind == b.kind && a.rate_ppm == b.rate_ppm;
  }
  friend bool operator!=(const TaxRate& a, const TaxRate& b) { return !(a == b); }
};

// Code 1-32 printable ASCII bytes; 0 <= rate <= 100%; zero and exempt rates
// must be 0, standard and reduced rates must not be. Errc::invalid_tax_rate.
Status validate(const TaxRate& rate);

// The tax contained in (tax_inclusive) or added to (tax_exclusive) `amount`,
// the total of all lines at one rate, rounded half away from zero:
//   inclusive: amount x rate / (1 + rate)      exclusive: amount x rate
std::int64_t tax_on(std::int64_t amount, std::int64_t rate_ppm, PriceMode mode);

std::string_view to_string(TaxKind kind) noexcept;
Result<TaxKind> parse_tax_kind(std::string_view text);
std::string_view to_string(PriceMode mode) noexcept;
Result<PriceMode> parse_price_mode(std::string_view text);

}  // namespace salespider
