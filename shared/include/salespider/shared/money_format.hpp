// Money as text: formatting for receipts and screens, parsing what a person
// typed (keypad, CSV import, price edit) back into exact minor units.
//
// The store setting MoneyFormat says how amounts look: decimal separator,
// digit grouping (none, thousands 1,234,567 or Indian 12,34,567), group
// separator, and whether the symbol (₦) or the code (NGN) is shown, before or
// after the number. Deliberately no locale database and no CLDR: the store
// picks these few settings, and the same settings give the same text on the
// server and in the till.
#pragma once

#include "salespider/shared/money.hpp"
#include "salespider/shared/result.hpp"

#include <string>
#include <string_view>

namespace salespider {

enum class Grouping {
  none,       // 1234567.00
  thousands,  // 1,234,567.00
  indian,     // 12,34,567.00 (lakh/crore: the last three digits, then pairs)
};

enum class CurrencyDisplay {
  symbol,  // ₦1,500.00
  code,    // NGN 1,500.00
  none,    // 1,500.00
};

struct MoneyFormat {
  std::string decimal_separator = ".";
  std::string group_separator = ",";
  Grouping grouping = Grouping::thousands;
  CurrencyDisplay display = CurrencyDisplay::symbol;
  bool currency_after = false;  // "1.500,00 €" instead of "€1.500,00"
  bool space_between = false;   // a space between symbol and number (codes always get one)
};

// Checks a store's setting: separators non-empty, at most 8 bytes, different,
// and containing no digit or minus sign. Errc::invalid_argument otherwise.
Status validate(const MoneyFormat& format);

// "₦1,500.00", "-₦12.50", "¥1,500", "₹12,34,567.89". Negative amounts put the
// minus sign first. `format` must be valid (asserted).
std::string format_money(const Money& amount, const MoneyFormat& format);

// Parses what a person typed, in `expected` currency, with `format`'s
// separators. Accepts an optional minus sign, an optional currency symbol or
// ISO code before or after the number (with or without spaces), group
// separators where `format.grouping` puts them, and at most the currency's
// number of decimals. Typed errors: malformed_amount, too_many_decimals,
// overflow (beyond kMaxMoneyMinor), unknown_currency (a code we do not know),
// currency_mismatch (another currency's code or symbol), invalid_argument
// (invalid format).
Result<Money> parse_money(std::string_view text, Currency expected, const MoneyFormat& format);

}  // namespace salespider
