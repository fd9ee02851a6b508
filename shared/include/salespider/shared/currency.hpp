// Currency: an ISO 4217 currency the library knows, with its minor-unit
// exponent and display symbol, looked up in one table (currency.cpp).
//
// A Currency can only be obtained from that table, so holding one means the
// code is known and the exponent is right. Deliberately no exchange rates and
// no locale data beyond the symbol: how amounts look is MoneyFormat's job.
#pragma once

#include "salespider/shared/result.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace salespider {

struct CurrencyInfo {
  std::string_view code;    // "NGN"
  std::uint16_t numeric;    // 566
  std::uint8_t exponent;    // digits after the decimal point: 2 for NGN, 0 for JPY
  std::string_view symbol;  // UTF-8: "₦"
  std::string_view name;    // "Nigerian naira"
};

class Currency {
 public:
  // The empty currency: not usable for money, only as a default member.
  constexpr Currency() = default;

  std::string_view code() const noexcept;
  int exponent() const noexcept;
  std::string_view symbol() const noexcept;
  const CurrencyInfo& info() const noexcept;
  bool valid() const noexcept { return index_ >= 0; }
  // 10^exponent: minor units in one major unit (100 for NGN, 1 for JPY).
  std::int64_t minor_per_major() const noexcept;

  friend bool operator==(Currency a, Currency b) noexcept { return a.index_ == b.index_; }
  friend bool operator!=(Currency a, Currency b) noexcept { return a.index_ != b.index_; }

 private:
  friend Result<Currency> find_currency(std::string_view code);
  explicit constexpr Currency(int index) : index_(index) {}
  int index_ = -1;
};

// Looks a code up ("NGN"); exact, upper case. Errc::unknown_currency otherwise.
Result<Currency> find_currency(std::string_view code);

// Every currency the library knows, in table order.
std::span<const CurrencyInfo> known_currencies() noexcept;

}  // namespace salespider
