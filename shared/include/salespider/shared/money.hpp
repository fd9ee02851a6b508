// Money: an integer number of minor units (kobo, cents) of one known currency.
//
// Arithmetic is checked: mixing currencies and int64 overflow are typed errors,
// never silent. Deliberately no floating point anywhere, no implicit currency
// conversion, and no formatting here (money_format.hpp does text).
#pragma once

#include "salespider/shared/currency.hpp"
#include "salespider/shared/result.hpp"

#include <cstdint>

namespace salespider {

// The largest magnitude, in minor units, a price, line, tender or total may
// have: 10^15 (ten trillion naira in kobo). Far above any till's needs and far
// enough below INT64_MAX (9.2e18) that summing 1000 lines cannot overflow.
inline constexpr std::int64_t kMaxMoneyMinor = 1'000'000'000'000'000;

struct Money {
  std::int64_t minor = 0;
  Currency currency;

  static Money zero(Currency c) { return Money{0, c}; }
  bool is_zero() const noexcept { return minor == 0; }
  bool is_negative() const noexcept { return minor < 0; }

  friend bool operator==(const Money& a, const Money& b) noexcept {
    return a.minor == b.minor && a.currency == b.currency;
  }
  friend bool operator!=(const Money& a, const Money& b) noexcept { return !(a == b); }
};

// Builds an amount, refusing magnitudes above kMaxMoneyMinor (Errc::overflow)
// and the empty currency (Errc::unknown_currency).
Result<Money> make_money(std::int64_t minor, Currency currency);

// a + b and a - b: Errc::currency_mismatch when currencies differ,
// Errc::overflow when the result leaves ±kMaxMoneyMinor.
Result<Money> add(const Money& a, const Money& b);
Result<Money> subtract(const Money& a, const Money& b);

// Compares two amounts of the same currency (-1, 0, 1) or says they differ.
Result<int> compare(const Money& a, const Money& b);

}  // namespace salespider
