// Formatting and parsing of amounts. Deliberately byte-oriented: separators
// and symbols are UTF-8 strings compared as bytes; no locale, no iostreams.
#include "salespider/shared/money_format.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

namespace salespider {
namespace {

constexpr std::size_t kMaxSeparatorBytes = 8;
constexpr std::size_t kMaxParseInputBytes = 64;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// ASCII space, no-break space (U+00A0) and narrow no-break space (U+202F):
// what people and locales put between a symbol and a number.
std::size_t space_len(std::string_view s) {
  if (starts_with(s, " ")) return 1;
  if (starts_with(s, "\xC2\xA0")) return 2;
  if (starts_with(s, "\xE2\x80\xAF")) return 3;
  return 0;
}
std::size_t trailing_space_len(std::string_view s) {
  if (ends_with(s, " ")) return 1;
  if (ends_with(s, "\xC2\xA0")) return 2;
  if (ends_with(s, "\xE2\x80\xAF")) return 3;
  return 0;
}
std::string_view trim(std::string_view s) {
  for (;;) {
    if (auto n = space_len(s)) {
      s.remove_prefix(n);
    } else if (auto m = trailing_space_len(s)) {
      s.remove_suffix(m);
    } else {
      return s;
    }
  }
}

std::string group_digits(const std::string& digits, const MoneyFormat& f) {
  if (f.grouping == Grouping::none || digits.size() <= 3) return digits;
  // Group sizes from the right: 3, then 3 (thousands) or 2 (indian).
  std::vector<std::string> groups;
  std::size_t end = digits.size();
  std::size_t size = 3;
  while (end > 0) {
    const std::size_t start = end > size ? end - size : 0;
    groups.push_back(digits.substr(start, end - start));
    end = start;
    size = f.grouping == Grouping::indian ? 2 : 3;
  }
  std::string out;
  for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
    if (!out.empty()) out += f.group_separator;
    out += *it;
  }
  return out;
}

// A currency marker found at one end of the text: which currency, or an error.
struct Marker {
  std::size_t length = 0;  // bytes consumed, 0 = none
  Result<Currency> currency = Currency{};
};

// The longest currency marker at the start (or end) of s: a known symbol or
// three capital letters read as an ISO code. On equal length the symbol wins
// ("CFA"); a longer code beats a shorter symbol ("INR" ends with ZAR's "R").
Marker find_marker(std::string_view s, bool at_end) {
  Marker best;
  for (const auto& info : known_currencies()) {
    const bool hit = at_end ? ends_with(s, info.symbol) : starts_with(s, info.symbol);
    if (hit && info.symbol.size() > best.length) {
      best.length = info.symbol.size();
      best.currency = find_currency(info.code);
    }
  }
  if (s.size() >= 3 && best.length < 3) {
    const std::string_view code = at_end ? s.substr(s.size() - 3) : s.substr(0, 3);
    if (std::all_of(code.begin(), code.end(), is_upper)) {
      best.length = 3;
      best.currency = find_currency(code);
    }
  }
  return best;
}

Error malformed(std::string_view text, const char* why) {
  return make_error(Errc::malformed_amount,
                    std::string(why) + " in '" + std::string(text.substr(0, 64)) + "'");
}

// Checks the group separator positions: first group 1-3 digits (1-2 for the
// Indian system when there are more groups), every other group exact size.
bool groups_ok(const std::vector<std::size_t>& sizes, Grouping g) {
  if (sizes.size() == 1) return true;
  if (g == Grouping::none) return false;
  const std::size_t n = sizes.size();
  if (sizes[n - 1] != 3) return false;
  const std::size_t inner = g == Grouping::indian ? 2 : 3;
  for (std::size_t i = 1; i + 1 < n; ++i)
    if (sizes[i] != inner) return false;
  return sizes[0] >= 1 && sizes[0] <= (n == 2 ? 3 : inner);
}

}  // namespace

Status validate(const MoneyFormat& f) {
  auto bad = [](const std::string& sep) {
    return sep.empty() || sep.size() > kMaxSeparatorBytes ||
           std::any_of(sep.begin(), sep.end(), [](char c) { return is_digit(c) || c == '-'; });
  };
  if (bad(f.decimal_separator))
    return make_error(Errc::invalid_argument, "decimal separator must be 1-8 bytes, no digits");
  if (bad(f.group_separator))
    return make_error(Errc::invalid_argument, "group separator must be 1-8 bytes, no digits");
  if (f.decimal_separator == f.group_separator)
    return make_error(Errc::invalid_argument, "decimal and group separators must differ");
  return {};
}

std::string format_money(const Money& amount, const MoneyFormat& f) {
  assert(validate(f).ok());
  assert(amount.currency.valid());
  const int exp = amount.currency.exponent();
  // Work on the magnitude as unsigned so INT64_MIN cannot overflow.
  const std::uint64_t mag = amount.minor < 0 ? 0 - static_cast<std::uint64_t>(amount.minor)
                                             : static_cast<std::uint64_t>(amount.minor);
  const auto per_major = static_cast<std::uint64_t>(amount.currency.minor_per_major());
  std::string number = group_digits(std::to_string(mag / per_major), f);
  if (exp > 0) {
    std::string frac = std::to_string(mag % per_major);
    frac.insert(0, static_cast<std::size_t>(exp) - frac.size(), '0');
    number += f.decimal_separator + frac;
  }
  std::string marker;
  bool space = f.space_between;
  if (f.display == CurrencyDisplay::symbol) marker = std::string(amount.currency.symbol());
  if (f.display == CurrencyDisplay::code) {
    marker = std::string(amount.currency.code());
    space = true;
  }
  std::string out = amount.minor < 0 ? "-" : "";
  if (marker.empty()) return out + number;
  if (f.currency_after) return out + number + (space ? " " : "") + marker;
  return out + marker + (space ? " " : "") + number;
}

Result<Money> parse_money(std::string_view text, Currency expected, const MoneyFormat& f) {
  if (auto s = validate(f); !s) return std::move(s).error();
  if (!expected.valid()) return make_error(Errc::unknown_currency, "no expected currency");
  if (text.size() > kMaxParseInputBytes) return malformed(text, "too long");
  const std::string_view original = text;
  std::string_view s = trim(text);
  bool negative = false;
  if (starts_with(s, "-")) {
    negative = true;
    s = trim(s.substr(1));
  }
  // A currency marker may lead or trail, never both.
  std::optional<Currency> seen;
  for (bool at_end : {false, true}) {
    Marker m = find_marker(s, at_end);
    if (m.length == 0) continue;
    if (!m.currency) return std::move(m.currency).error();
    if (seen) return malformed(original, "two currency markers");
    seen = *m.currency;
    s = at_end ? trim(s.substr(0, s.size() - m.length)) : trim(s.substr(m.length));
    if (!at_end && !negative && starts_with(s, "-")) {
      negative = true;
      s = trim(s.substr(1));
    }
  }
  if (seen && *seen != expected) {
    return make_error(Errc::currency_mismatch, "amount is in " + std::string(seen->code()) + ", expected " +
                                                   std::string(expected.code()));
  }
  // Integer part with group separators, then optional decimals.
  std::string_view int_part = s;
  std::string_view frac_part;
  bool has_decimal = false;
  if (auto pos = s.find(f.decimal_separator); pos != std::string_view::npos) {
    has_decimal = true;
    int_part = s.substr(0, pos);
    frac_part = s.substr(pos + f.decimal_separator.size());
  }
  std::vector<std::size_t> group_sizes{0};
  std::string digits;
  while (!int_part.empty()) {
    if (is_digit(int_part.front())) {
      digits += int_part.front();
      ++group_sizes.back();
      int_part.remove_prefix(1);
    } else if (starts_with(int_part, f.group_separator) && group_sizes.back() > 0) {
      group_sizes.push_back(0);
      int_part.remove_prefix(f.group_separator.size());
    } else {
      return malformed(original, "unexpected character");
    }
  }
  if (digits.empty()) return malformed(original, "no digits");
  if (!groups_ok(group_sizes, f.grouping)) return malformed(original, "misplaced group separator");
  if (has_decimal && frac_part.empty()) return malformed(original, "nothing after the decimal separator");
  if (!std::all_of(frac_part.begin(), frac_part.end(), is_digit))
    return malformed(original, "unexpected character");
  const int exp = expected.exponent();
  if (frac_part.size() > static_cast<std::size_t>(exp)) {
    return make_error(Errc::too_many_decimals, std::string(expected.code()) + " has " + std::to_string(exp) +
                                                   " decimals: '" + std::string(original.substr(0, 64)) +
                                                   "'");
  }
  std::int64_t minor = 0;
  std::string all = digits + std::string(frac_part);
  all.append(static_cast<std::size_t>(exp) - frac_part.size(), '0');
  for (char c : all) {
    minor = minor * 10 + (c - '0');
    if (minor > kMaxMoneyMinor) {
      return make_error(Errc::overflow, "amount '" + std::string(original.substr(0, 64)) + "' is too large");
    }
  }
  return Money{negative ? -minor : minor, expected};
}

}  // namespace salespider
