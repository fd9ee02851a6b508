// The shift report: what a till's drawer and sales came to over one shift.
// An X report is taken while the shift is open, a Z report once it is closed
// with a count. The till prints its own from its local ops; the server
// computes one from the ops it applied; both call compute_shift_report with
// the same inputs and encode it with encode_shift_report_json, so the two
// reports of one shift are the same text.
//
// Expected cash (docs/domain.md, "Shift reports"):
//   opening float + cash taken by sales (net of change, cash rounding
//   included) − cash refunded + pay-ins + float top-ups − pay-outs − drops
// Over/short = counted − expected (negative: cash is missing).
//
// Deliberately no clock, no ids and no persistence: which ops belong to a
// shift is the caller's business; the report only adds them up. Sums do not
// depend on the order of the inputs, and every list in the report has a
// fixed order (tenders and cash movement kinds in enum order, tax rates by
// code, rate and kind), so the same ops in any order give the same report.
#pragma once

#include "salespider/shared/currency.hpp"
#include "salespider/shared/payloads.hpp"
#include "salespider/shared/payment.hpp"
#include "salespider/shared/result.hpp"
#include "salespider/shared/tax.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace salespider {

struct ShiftFacts {
  Currency currency;
  std::int64_t opening_float = 0;
  std::optional<std::int64_t> counted_cash;  // set once the shift is closed: a Z report
  std::int64_t cash_rounding_step = 0;       // the store's (TenderSettings::cash_rounding_step)
};

// One refund made during the shift (of a sale from any shift).
struct ShiftRefund {
  std::int64_t tax = 0;     // Refund::tax
  TenderTotals tenders{};  // money back per tender: refund_tenders(payload, refund)
};

// What compute_shift_report needs of one refund: shift_refund(payload, compute_refund(...)).
ShiftRefund shift_refund(const RefundPayload& payload, const Refund& refund);

struct ShiftInputs {
  ShiftFacts shift;
  std::vector<SalePayload> sales;  // completed sales of the shift, as the till recorded them
  std::vector<ShiftRefund> refunds;
  std::int64_t void_count = 0;  // sales voided before completion during the shift
  std::vector<CashMovementPayload> cash_movements;
};

struct TenderAmount {
  TenderKind kind = TenderKind::cash;
  std::int64_t amount = 0;

  friend bool operator==(const TenderAmount& a, const TenderAmount& b) {
    return a.kind == b.kind && a.amount == b.amount;
  }
};

struct ShiftTaxLine {
  std::string code;
  TaxKind kind = TaxKind::standard;
  std::int64_t rate_ppm = 0;
  std::int64_t net = 0;  // taxable amount, without tax
  std::int64_t tax = 0;

  friend bool operator==(const ShiftTaxLine& a, const ShiftTaxLine& b) {
    return a.code == b.code && a.kind == b.kind && a.rate_ppm == b.rate_ppm && a.net == b.net && a.tax == b.tax;
  }
};

struct CashMovementTotal {
  CashMovementKind kind = CashMovementKind::pay_in;
  std::int64_t count = 0;
  std::int64_t amount = 0;

  friend bool operator==(const CashMovementTotal& a, const CashMovementTotal& b) {
    return a.kind == b.kind && a.count == b.count && a.amount == b.amount;
  }
};

// All amounts in minor units of the shift's currency.
struct ShiftReport {
  Currency currency;
  bool closed = false;  // Z report (counted cash known); X report otherwise
  std::int64_t opening_float = 0;

  std::int64_t sale_count = 0;
  std::int64_t gross_sales = 0;  // sum of line gross before discounts, as priced (SaleTotals::subtotal)
  std::int64_t line_discounts = 0;
  std::int64_t cart_discounts = 0;
  std::int64_t discounts = 0;  // line + cart
  std::int64_t net_sales = 0;  // without tax
  std::int64_t tax = 0;
  std::int64_t total_sales = 0;    // net + tax: what the customers owed
  std::int64_t cash_rounding = 0;  // sum of the sales' cash rounding (either sign)
  std::int64_t change_given = 0;
  std::vector<ShiftTaxLine> taxes;     // per rate, by code, then rate, then kind
  std::vector<TenderAmount> tenders;   // taken per tender after change; kinds with money only, enum order

  std::int64_t refund_count = 0;
  std::int64_t refund_total = 0;  // money given back (all tenders)
  std::int64_t refund_tax = 0;
  std::vector<TenderAmount> refund_tenders;  // kinds with money only, enum order

  std::int64_t void_count = 0;

  std::vector<CashMovementTotal> cash_movements;  // all four kinds, enum order
  std::int64_t cash_in = 0;   // pay-ins + float top-ups
  std::int64_t cash_out = 0;  // pay-outs + drops

  std::int64_t expected_cash = 0;
  std::optional<std::int64_t> counted_cash;
  std::optional<std::int64_t> over_short;  // counted − expected
};

// Adds the shift up. Errors: unknown_currency (no shift currency),
// currency_mismatch (a sale or cash movement in another currency), a sale
// that compute_sale or settle refuses (its error, naming the sale by index),
// out_of_range (a negative float, count, void count or refund amount),
// overflow (sums beyond what int64 holds).
Result<ShiftReport> compute_shift_report(const ShiftInputs& inputs);

// The report as JSON (integers in minor units, keys sorted, no spaces):
//   {"kind":"X"|"Z","currency","opening_float",
//    "sales":{"count","gross","line_discounts","cart_discounts","discounts","net","tax","total",
//             "cash_rounding","change_given"},
//    "taxes":[{"code","kind","rate_ppm","net","tax"}], "tenders":[{"kind","amount"}],
//    "refunds":{"count","total","tax","tenders":[{"kind","amount"}]}, "voids":{"count"},
//    "cash_movements":{"in","out","by_kind":[{"kind","count","amount"}]},
//    "expected_cash","counted_cash":n|null,"over_short":n|null}
Result<std::string> encode_shift_report_json(const ShiftReport& report);

}  // namespace salespider
