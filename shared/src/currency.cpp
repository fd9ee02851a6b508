// The ISO 4217 table: code, numeric code, minor-unit exponent and symbol.
//
// Adding a currency means adding one row here (and a test). Exponents follow
// ISO 4217, not street practice (JPY 0, KWD 3). Deliberately no withdrawn or
// fund codes.
#include "salespider/shared/currency.hpp"

#include <array>
#include <cassert>

namespace salespider {
namespace {

constexpr std::array<CurrencyInfo, 16> kCurrencies{{
    {"NGN", 566, 2, "\u20A6", "Nigerian naira"},
    {"USD", 840, 2, "$", "US dollar"},
    {"EUR", 978, 2, "\u20AC", "Euro"},
    {"GBP", 826, 2, "\u00A3", "Pound sterling"},
    {"KES", 404, 2, "KSh", "Kenyan shilling"},
    {"GHS", 936, 2, "GH\u20B5", "Ghanaian cedi"},
    {"ZAR", 710, 2, "R", "South African rand"},
    {"INR", 356, 2, "\u20B9", "Indian rupee"},
    {"JPY", 392, 0, "\u00A5", "Japanese yen"},
    {"XOF", 952, 0, "CFA", "West African CFA franc"},
    {"XAF", 950, 0, "FCFA", "Central African CFA franc"},
    {"UGX", 800, 0, "USh", "Ugandan shilling"},
    {"TZS", 834, 2, "TSh", "Tanzanian shilling"},
    {"RWF", 646, 0, "FRw", "Rwandan franc"},
    {"EGP", 818, 2, "E\u00A3", "Egyptian pound"},
    {"KWD", 414, 3, "KD", "Kuwaiti dinar"},
}};

}  // namespace

const CurrencyInfo& Currency::info() const noexcept {
  assert(valid() && "the empty Currency has no info");
  return kCurrencies[static_cast<std::size_t>(index_)];
}
std::string_view Currency::code() const noexcept {
  return valid() ? info().code : std::string_view{};
}
int Currency::exponent() const noexcept {
  return valid() ? info().exponent : 0;
}
std::string_view Currency::symbol() const noexcept {
  return valid() ? info().symbol : std::string_view{};
}

std::int64_t Currency::minor_per_major() const noexcept {
  std::int64_t f = 1;
  for (int i = 0; i < exponent(); ++i) f *= 10;
  return f;
}

Result<Currency> find_currency(std::string_view code) {
  for (std::size_t i = 0; i < kCurrencies.size(); ++i) {
    if (kCurrencies[i].code == code) return Currency(static_cast<int>(i));
  }
  return make_error(Errc::unknown_currency, "unknown currency '" + std::string(code.substr(0, 16)) + "'");
}

std::span<const CurrencyInfo> known_currencies() noexcept {
  return kCurrencies;
}

}  // namespace salespider
