// Refund arithmetic by cumulative shares. Deliberately recomputes from the
// sale and the ledger every time (no stored per-unit prices), so the server
// and the till agree on every refund of every sale.
#include "salespider/shared/refund.hpp"

#include "salespider/shared/rounding.hpp"

#include <string>

namespace salespider {
namespace {

std::int64_t share(std::int64_t amount, std::int64_t part, std::int64_t whole) {
  return div_round_half_away(static_cast<Wide>(amount) * part, whole);
}

}  // namespace

RefundLedger RefundLedger::for_sale(const Sale& sale) {
  RefundLedger l;
  l.quantity.assign(sale.lines.size(), Quantity{0});
  l.net.assign(sale.lines.size(), 0);
  l.tax.assign(sale.lines.size(), 0);
  return l;
}

Result<Refund> compute_refund(const Sale& sale, const Settlement& settlement, const RefundLedger& ledger,
                              std::span<const RefundRequestLine> request) {
  if (request.empty()) return make_error(Errc::nothing_to_refund, "no lines to refund");
  if (!settlement.complete || settlement.total != sale.totals.total)
    return make_error(Errc::invalid_argument, "the sale is not fully paid");
  const std::size_t n = sale.lines.size();
  if (ledger.quantity.size() != n || ledger.net.size() != n || ledger.tax.size() != n)
    return make_error(Errc::invalid_argument, "refund ledger belongs to another sale");
  if (request.size() > n) return make_error(Errc::invalid_argument, "more refund lines than sale lines");
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t q = ledger.quantity[i].thousandths;
    if (q < 0 || q > sale.lines[i].item.quantity.thousandths || ledger.net[i] < 0 || ledger.tax[i] < 0)
      return make_error(Errc::invalid_argument, "refund ledger does not fit this sale");
  }
  TenderTotals base = settlement.tendered;
  base[static_cast<std::size_t>(TenderKind::cash)] -= settlement.rounding;
  std::int64_t base_sum = 0;
  for (std::size_t k = 0; k < base.size(); ++k) {
    if (base[k] < 0 || ledger.tenders[k] < 0 || ledger.tenders[k] > base[k])
      return make_error(Errc::invalid_argument, "refund ledger or settlement does not fit this sale");
    base_sum += base[k];
  }
  if (base_sum != sale.totals.total)
    return make_error(Errc::invalid_argument, "settlement does not fit this sale");

  Refund r;
  std::vector<bool> seen(n, false);
  for (const auto& req : request) {
    if (req.line >= n) return make_error(Errc::unknown_line, "no line " + std::to_string(req.line + 1));
    if (seen[req.line])
      return make_error(Errc::invalid_argument, "line " + std::to_string(req.line + 1) + " twice");
    seen[req.line] = true;
    const SaleLine& sl = sale.lines[req.line];
    if (auto s = validate_quantity(req.quantity, sl.item.unit); !s) return std::move(s).error();
    const std::int64_t sold = sl.item.quantity.thousandths;
    const std::int64_t before = ledger.quantity[req.line].thousandths;
    if (req.quantity.thousandths > sold - before) {
      return make_error(Errc::refund_exceeds_remaining, "line " + std::to_string(req.line + 1) + ": only " +
                                                            format_quantity(Quantity{sold - before}) +
                                                            " left to refund");
    }
    const std::int64_t after = before + req.quantity.thousandths;
    RefundedLine rl;
    rl.line = req.line;
    rl.quantity = req.quantity;
    rl.net = share(sl.net, after, sold) - share(sl.net, before, sold);
    rl.tax = share(sl.tax, after, sold) - share(sl.tax, before, sold);
    rl.total = rl.net + rl.tax;
    r.net += rl.net;
    r.tax += rl.tax;
    r.total += rl.total;
    // Per-rate figures, in the sale's rate order.
    TaxLine* t = nullptr;
    for (auto& x : r.taxes)
      if (x.rate == sl.item.tax) t = &x;
    if (t == nullptr) {
      r.taxes.push_back(TaxLine{sl.item.tax, 0, 0, 0});
      t = &r.taxes.back();
    }
    t->net += rl.net;
    t->tax += rl.tax;
    t->gross += rl.total;
    r.lines.push_back(rl);
  }

  // Does this refund return everything that is left?
  r.completes_sale = true;
  for (std::size_t i = 0; i < n && r.completes_sale; ++i) {
    std::int64_t now = ledger.quantity[i].thousandths;
    for (const auto& rl : r.lines)
      if (rl.line == i) now += rl.quantity.thousandths;
    r.completes_sale = now == sale.lines[i].item.quantity.thousandths;
  }

  // Back to the tenders, in proportion to what each still holds.
  std::vector<std::int64_t> left(base.size());
  for (std::size_t k = 0; k < base.size(); ++k) left[k] = base[k] - ledger.tenders[k];
  const auto parts = allocate_largest_remainder(r.total, left);
  for (std::size_t k = 0; k < base.size(); ++k) r.tenders[k] = parts[k];
  if (r.completes_sale && !ledger.rounding_returned) {
    r.cash_rounding = settlement.rounding;
    r.tenders[static_cast<std::size_t>(TenderKind::cash)] += r.cash_rounding;
  }
  return r;
}

RefundLedger record_refund(RefundLedger ledger, const Refund& refund) {
  for (const auto& rl : refund.lines) {
    ledger.quantity[rl.line].thousandths += rl.quantity.thousandths;
    ledger.net[rl.line] += rl.net;
    ledger.tax[rl.line] += rl.tax;
  }
  for (std::size_t k = 0; k < ledger.tenders.size(); ++k) ledger.tenders[k] += refund.tenders[k];
  ledger.tenders[static_cast<std::size_t>(TenderKind::cash)] -= refund.cash_rounding;
  if (refund.completes_sale) ledger.rounding_returned = true;
  return ledger;
}

Result<SaleStatus> void_sale(SaleStatus current, std::int64_t amount_paid) {
  if (current == SaleStatus::completed)
    return make_error(Errc::cannot_void, "a completed sale cannot be voided; refund it");
  if (current == SaleStatus::voided) return make_error(Errc::cannot_void, "the sale is already voided");
  if (amount_paid != 0) return make_error(Errc::cannot_void, "money was taken; remove the payments first");
  return SaleStatus::voided;
}

}  // namespace salespider
