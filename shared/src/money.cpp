// Checked money arithmetic. Deliberately returns Results instead of offering
// operators, so a mismatch or overflow can never go unnoticed.
#include "salespider/shared/money.hpp"

#include <string>

namespace salespider {
namespace {

Status same_currency(const Money& a, const Money& b) {
  if (a.currency != b.currency) {
    return make_error(Errc::currency_mismatch, "cannot combine " + std::string(a.currency.code()) + " and " +
                                                   std::string(b.currency.code()));
  }
  return {};
}

}  // namespace

Result<Money> make_money(std::int64_t minor, Currency currency) {
  if (!currency.valid()) return make_error(Errc::unknown_currency, "amount has no currency");
  if (minor > kMaxMoneyMinor || minor < -kMaxMoneyMinor) {
    return make_error(Errc::overflow, "amount " + std::to_string(minor) + " is beyond the largest allowed");
  }
  return Money{minor, currency};
}

Result<Money> add(const Money& a, const Money& b) {
  if (auto s = same_currency(a, b); !s) return std::move(s).error();
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a.minor, b.minor, &sum)) return make_error(Errc::overflow, "sum overflows");
  return make_money(sum, a.currency);
}

Result<Money> subtract(const Money& a, const Money& b) {
  if (auto s = same_currency(a, b); !s) return std::move(s).error();
  std::int64_t diff = 0;
  if (__builtin_sub_overflow(a.minor, b.minor, &diff))
    return make_error(Errc::overflow, "difference overflows");
  return make_money(diff, a.currency);
}

Result<int> compare(const Money& a, const Money& b) {
  if (auto s = same_currency(a, b); !s) return std::move(s).error();
  return a.minor < b.minor ? -1 : (a.minor > b.minor ? 1 : 0);
}

}  // namespace salespider
