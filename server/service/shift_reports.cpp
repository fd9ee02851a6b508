// See shift_reports.hpp.
#include "service/shift_reports.hpp"

namespace salespider::service {

Result<ShiftReport> shift_report_of(const db::ShiftReportInputs& in) {
  ShiftInputs s;
  auto currency = find_currency(in.shift.currency);
  if (!currency) return std::move(currency).error();
  s.shift.currency = *currency;
  s.shift.opening_float = in.shift.opening_float;
  s.shift.counted_cash = in.shift.counted_cash;
  s.shift.cash_rounding_step = in.cash_rounding;
  for (const auto& text : in.sale_payloads) {
    auto sale = decode_sale_payload(text);
    if (!sale) return std::move(sale).error();
    s.sales.push_back(std::move(*sale));
  }
  for (const auto& r : in.refunds) {
    ShiftRefund refund;
    refund.tax = r.tax;
    for (const auto& t : r.tenders) {
      auto kind = parse_tender_kind(t.tender);
      if (!kind) return std::move(kind).error();
      refund.tenders[static_cast<std::size_t>(*kind)] += t.amount;
    }
    s.refunds.push_back(refund);
  }
  s.void_count = in.void_count;
  for (const auto& m : in.cash_movements) {
    auto kind = parse_cash_movement_kind(m.kind);
    if (!kind) return std::move(kind).error();
    auto money = find_currency(m.currency);
    if (!money) return std::move(money).error();
    s.cash_movements.push_back(CashMovementPayload{in.shift.id, *kind, m.amount, *money, m.reason});
  }
  return compute_shift_report(s);
}

}  // namespace salespider::service
