// Payments: tenders the store enables, split tender, cash tendered and change
// due, and optional cash rounding to the smallest coin or note in use.
//
// Rules (docs/domain.md): non-cash tenders may never exceed what is due (no
// change on a card); cash pays what is left, rounded to the store's smallest
// denomination when set, and only cash gives change. Deliberately no card
// terminal or mobile-money integration: a payment is a recorded fact.
#pragma once

#include "salespider/shared/result.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace salespider {

inline constexpr std::size_t kMaxPayments = 16;
inline constexpr std::size_t kMaxPaymentReferenceBytes = 128;

// The order is the order tenders are shown in; values travel as names (to_string),
// never as numbers, so appending before `other` is safe for stored operations.
enum class TenderKind { cash, card, bank_transfer, mobile_money, voucher, other };
inline constexpr std::size_t kTenderKindCount = 6;
inline constexpr std::array<TenderKind, kTenderKindCount> kAllTenderKinds{
    TenderKind::cash,         TenderKind::card,    TenderKind::bank_transfer,
    TenderKind::mobile_money, TenderKind::voucher, TenderKind::other};

struct TenderSettings {
  std::array<bool, kTenderKindCount> enabled{true, true, true, true, true, true};  // indexed by TenderKind
  // Smallest cash denomination in minor units (e.g. 500 = ₦5); 0 or 1: none.
  std::int64_t cash_rounding_step = 0;

  bool is_enabled(TenderKind k) const { return enabled[static_cast<std::size_t>(k)]; }
};

struct Payment {
  TenderKind kind = TenderKind::cash;
  std::int64_t amount = 0;  // minor units; for cash: what the customer handed over
  std::string reference;    // card slip, transfer or mobile-money reference

  friend bool operator==(const Payment& a, const Payment& b) {
    return a.kind == b.kind && a.amount == b.amount && a.reference == b.reference;
  }
};

// What each tender kind contributed to the sale after change (index = kind).
using TenderTotals = std::array<std::int64_t, kTenderKindCount>;

struct Settlement {
  std::int64_t total = 0;         // the sale total
  std::int64_t non_cash = 0;      // card + transfer + mobile money + voucher + other
  std::int64_t cash_portion = 0;  // total - non_cash
  std::int64_t cash_due = 0;      // cash_portion rounded to the step (when cash is used)
  std::int64_t rounding = 0;      // cash_due - cash_portion (+: customer pays more)
  std::int64_t cash_tendered = 0;
  std::int64_t change = 0;     // cash to hand back
  std::int64_t remaining = 0;  // still to pay (0 when complete)
  bool complete = false;
  TenderTotals tendered{};  // per kind, cash net of change
};

// Settles `payments` against `total` (>= 0). Errors: tender_disabled,
// negative_amount (a payment <= 0), overpaid_non_cash, out_of_range (more
// than kMaxPayments, amount above kMaxMoneyMinor), invalid_argument
// (reference too long). An incomplete settlement is not an error: the till
// shows `remaining`.
Result<Settlement> settle(std::int64_t total, std::span<const Payment> payments,
                          const TenderSettings& settings);

// Cash the customer must still hand over when the rest is paid in cash (rounded).
std::int64_t cash_needed(std::int64_t total, std::span<const Payment> payments,
                         const TenderSettings& settings);

std::string_view to_string(TenderKind kind) noexcept;
Result<TenderKind> parse_tender_kind(std::string_view text);

}  // namespace salespider
