// Refunds (partial, by line and quantity) and voids.
//
// A refund of k out of Q units of a line returns the cumulative share
//   round(net x (already + k) / Q) - round(net x already / Q)
// (and the same for tax), so whatever sequence of partial refunds returns
// everything adds up exactly to the sale — per line, per tax rate and per
// tender; the last unit takes the remainder. Money goes back to the tenders
// in proportion to what each still holds (largest remainder), and the last
// refund also reverses the sale's cash rounding. Deliberately no stock or
// persistence: the ledger of what was refunded is passed in and out.
#pragma once

#include "salespider/shared/cart.hpp"
#include "salespider/shared/payment.hpp"
#include "salespider/shared/result.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace salespider {

struct RefundRequestLine {
  std::size_t line = 0;  // index into Sale::lines
  Quantity quantity;
};

struct RefundedLine {
  std::size_t line = 0;
  Quantity quantity;
  std::int64_t net = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
};

// What has been refunded so far of one sale (kept by the caller, per sale).
struct RefundLedger {
  std::vector<Quantity> quantity;  // per sale line
  std::vector<std::int64_t> net;   // per sale line
  std::vector<std::int64_t> tax;   // per sale line
  TenderTotals tenders{};          // per tender kind, without cash rounding
  bool rounding_returned = false;

  static RefundLedger for_sale(const Sale& sale);
};

struct Refund {
  std::vector<RefundedLine> lines;
  std::vector<TaxLine> taxes;  // per rate, as in the sale
  std::int64_t net = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;          // sum of line totals
  TenderTotals tenders{};          // money back per tender kind (cash includes cash_rounding)
  std::int64_t cash_rounding = 0;  // the sale's cash rounding, reversed by the last refund
  bool completes_sale = false;     // nothing refundable is left afterwards
};

// Computes a refund. Errors: nothing_to_refund (no lines), unknown_line,
// invalid_argument (a line twice, sale not fully paid, ledger of another
// sale), invalid_quantity / fractional_quantity, refund_exceeds_remaining.
Result<Refund> compute_refund(const Sale& sale, const Settlement& settlement, const RefundLedger& ledger,
                              std::span<const RefundRequestLine> request);

// The ledger after `refund` (computed from the same ledger) is recorded.
RefundLedger record_refund(RefundLedger ledger, const Refund& refund);

enum class SaleStatus { open, parked, completed, voided };

// Voids an open or parked sale on which no money was taken (Errc::cannot_void
// otherwise: a completed sale is refunded, never voided).
Result<SaleStatus> void_sale(SaleStatus current, std::int64_t amount_paid);

}  // namespace salespider
