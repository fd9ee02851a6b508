// Settlement of payments. Deliberately order-independent: the same payments in
// any order settle the same way, so the server can recheck a till's sale.
#include "salespider/shared/payment.hpp"

#include "salespider/shared/money.hpp"
#include "salespider/shared/rounding.hpp"

#include <algorithm>

namespace salespider {
namespace {

std::int64_t round_cash(std::int64_t amount, std::int64_t step) {
  return step > 1 ? round_to_step(amount, step) : amount;
}

}  // namespace

Result<Settlement> settle(std::int64_t total, std::span<const Payment> payments,
                          const TenderSettings& settings) {
  if (total < 0 || total > kMaxMoneyMinor) return make_error(Errc::out_of_range, "sale total out of range");
  if (payments.size() > kMaxPayments) return make_error(Errc::out_of_range, "at most 16 payments per sale");
  if (settings.cash_rounding_step < 0 || settings.cash_rounding_step > kMaxMoneyMinor)
    return make_error(Errc::out_of_range, "cash rounding step out of range");
  Settlement s;
  s.total = total;
  bool has_cash = false;
  for (const auto& p : payments) {
    if (!settings.is_enabled(p.kind)) {
      return make_error(Errc::tender_disabled,
                        std::string(to_string(p.kind)) + " is not enabled in this store");
    }
    if (p.amount <= 0) return make_error(Errc::negative_amount, "a payment must be positive");
    if (p.amount > kMaxMoneyMinor) return make_error(Errc::out_of_range, "payment too large");
    if (p.reference.size() > kMaxPaymentReferenceBytes)
      return make_error(Errc::invalid_argument, "payment reference too long");
    if (p.kind == TenderKind::cash) {
      has_cash = true;
      s.cash_tendered += p.amount;
    } else {
      s.non_cash += p.amount;
    }
    s.tendered[static_cast<std::size_t>(p.kind)] += p.amount;
  }
  if (s.non_cash > total) {
    return make_error(Errc::overpaid_non_cash, "card and other non-cash payments exceed the total");
  }
  s.cash_portion = total - s.non_cash;
  if (has_cash) {
    s.cash_due = round_cash(s.cash_portion, settings.cash_rounding_step);
    s.rounding = s.cash_due - s.cash_portion;
    s.change = std::max<std::int64_t>(0, s.cash_tendered - s.cash_due);
    s.remaining = std::max<std::int64_t>(0, s.cash_due - s.cash_tendered);
    s.tendered[static_cast<std::size_t>(TenderKind::cash)] -= s.change;
  } else {
    s.cash_due = 0;
    s.remaining = s.cash_portion;
  }
  s.complete = s.remaining == 0;
  return s;
}

std::int64_t cash_needed(std::int64_t total, std::span<const Payment> payments,
                         const TenderSettings& settings) {
  std::int64_t left = total;
  for (const auto& p : payments) left -= p.amount;
  return std::max<std::int64_t>(0, round_cash(std::max<std::int64_t>(0, left), settings.cash_rounding_step));
}

std::string_view to_string(TenderKind kind) noexcept {
  switch (kind) {
    case TenderKind::cash:
      return "cash";
    case TenderKind::card:
      return "card";
    case TenderKind::bank_transfer:
      return "bank_transfer";
    case TenderKind::mobile_money:
      return "mobile_money";
    case TenderKind::voucher:
      return "voucher";
    case TenderKind::other:
      return "other";
  }
  return "other";
}

Result<TenderKind> parse_tender_kind(std::string_view text) {
  for (auto k : kAllTenderKinds)
    if (to_string(k) == text) return k;
  return make_error(Errc::invalid_value, "unknown tender");
}

}  // namespace salespider
