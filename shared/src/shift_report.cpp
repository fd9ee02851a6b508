// The shift report's sums. Every sale is recomputed with compute_sale and
// settled with settle() exactly as the server checks it (all tenders allowed:
// whether a tender was enabled is a flag on the sale, not the report's
// business), so the report never trusts a till's claimed totals.
#include "salespider/shared/shift_report.hpp"

#include "json_util.hpp"
#include "salespider/shared/cart.hpp"
#include "salespider/shared/money.hpp"

#include <map>
#include <tuple>

namespace salespider {

using detail::json;

namespace {

// Checked addition: remembers whether any sum left int64.
class Adder {
 public:
  void add(std::int64_t& total, std::int64_t amount) {
    if (__builtin_add_overflow(total, amount, &total)) overflowed_ = true;
  }
  void sub(std::int64_t& total, std::int64_t amount) {
    if (__builtin_sub_overflow(total, amount, &total)) overflowed_ = true;
  }
  bool overflowed() const { return overflowed_; }

 private:
  bool overflowed_ = false;
};

std::vector<TenderAmount> nonzero(const TenderTotals& totals) {
  std::vector<TenderAmount> out;
  for (auto k : kAllTenderKinds)
    if (const auto amount = totals[static_cast<std::size_t>(k)]; amount != 0) out.push_back({k, amount});
  return out;
}

Error for_sale(std::size_t index, Error e) {
  e.context = "sales[" + std::to_string(index) + "]: " + e.context;
  return e;
}

json tenders_json(const std::vector<TenderAmount>& tenders) {
  json arr = json::array();
  for (const auto& t : tenders) arr.push_back(json{{"kind", std::string(to_string(t.kind))}, {"amount", t.amount}});
  return arr;
}

json optional_amount(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

ShiftRefund shift_refund(const RefundPayload& payload, const Refund& refund) {
  return ShiftRefund{refund.tax, refund_tenders(payload, refund)};
}

Result<ShiftReport> compute_shift_report(const ShiftInputs& in) {
  const ShiftFacts& shift = in.shift;
  if (!shift.currency.valid()) return make_error(Errc::unknown_currency, "shift: no currency");
  if (shift.opening_float < 0 || shift.opening_float > kMaxMoneyMinor)
    return make_error(Errc::out_of_range, "shift: opening float out of range");
  if (shift.counted_cash && (*shift.counted_cash < 0 || *shift.counted_cash > kMaxMoneyMinor))
    return make_error(Errc::out_of_range, "shift: counted cash out of range");
  if (in.void_count < 0) return make_error(Errc::out_of_range, "shift: negative void count");

  ShiftReport r;
  Adder sum;
  r.currency = shift.currency;
  r.closed = shift.counted_cash.has_value();
  r.opening_float = shift.opening_float;

  TenderSettings settings;  // every tender allowed; the store's cash rounding
  settings.cash_rounding_step = shift.cash_rounding_step;
  TenderTotals taken{};
  using TaxKey = std::tuple<std::string, std::int64_t, TaxKind>;
  std::map<TaxKey, ShiftTaxLine> taxes;
  for (std::size_t i = 0; i < in.sales.size(); ++i) {
    const SalePayload& p = in.sales[i];
    if (p.cart.currency != shift.currency)
      return make_error(Errc::currency_mismatch, "sales[" + std::to_string(i) + "]: not in the shift's currency");
    auto sale = compute_sale(p.cart);
    if (!sale) return for_sale(i, std::move(sale).error());
    auto settled = settle(sale->totals.total, p.payments, settings);
    if (!settled) return for_sale(i, std::move(settled).error());
    const SaleTotals& t = sale->totals;
    ++r.sale_count;
    sum.add(r.gross_sales, t.subtotal);
    sum.add(r.line_discounts, t.line_discounts);
    sum.add(r.cart_discounts, t.cart_discounts);
    sum.add(r.net_sales, t.net);
    sum.add(r.tax, t.tax);
    sum.add(r.total_sales, t.total);
    sum.add(r.cash_rounding, settled->rounding);
    sum.add(r.change_given, settled->change);
    for (std::size_t k = 0; k < taken.size(); ++k) sum.add(taken[k], settled->tendered[k]);
    for (const TaxLine& tl : t.taxes) {
      auto& line = taxes[TaxKey{tl.rate.code, tl.rate.rate_ppm, tl.rate.kind}];
      line.code = tl.rate.code;
      line.kind = tl.rate.kind;
      line.rate_ppm = tl.rate.rate_ppm;
      sum.add(line.net, tl.net);
      sum.add(line.tax, tl.tax);
    }
  }
  sum.add(r.discounts, r.line_discounts);
  sum.add(r.discounts, r.cart_discounts);
  for (auto& [key, line] : taxes) r.taxes.push_back(std::move(line));
  r.tenders = nonzero(taken);

  TenderTotals back{};
  for (std::size_t i = 0; i < in.refunds.size(); ++i) {
    const ShiftRefund& f = in.refunds[i];
    if (f.tax < 0) return make_error(Errc::out_of_range, "refunds[" + std::to_string(i) + "]: negative tax");
    ++r.refund_count;
    sum.add(r.refund_tax, f.tax);
    for (std::size_t k = 0; k < back.size(); ++k) {
      if (f.tenders[k] < 0)
        return make_error(Errc::out_of_range, "refunds[" + std::to_string(i) + "]: negative tender amount");
      sum.add(back[k], f.tenders[k]);
      sum.add(r.refund_total, f.tenders[k]);
    }
  }
  r.refund_tenders = nonzero(back);
  r.void_count = in.void_count;

  for (auto k : kAllCashMovementKinds) r.cash_movements.push_back(CashMovementTotal{k, 0, 0});
  for (std::size_t i = 0; i < in.cash_movements.size(); ++i) {
    const CashMovementPayload& m = in.cash_movements[i];
    if (m.currency != shift.currency)
      return make_error(Errc::currency_mismatch,
                        "cash_movements[" + std::to_string(i) + "]: not in the shift's currency");
    if (m.amount <= 0 || m.amount > kMaxMoneyMinor)
      return make_error(Errc::out_of_range, "cash_movements[" + std::to_string(i) + "]: amount out of range");
    auto& total = r.cash_movements[static_cast<std::size_t>(m.kind)];
    ++total.count;
    sum.add(total.amount, m.amount);
    sum.add(adds_cash(m.kind) ? r.cash_in : r.cash_out, m.amount);
  }

  r.expected_cash = r.opening_float;
  sum.add(r.expected_cash, taken[static_cast<std::size_t>(TenderKind::cash)]);
  sum.sub(r.expected_cash, back[static_cast<std::size_t>(TenderKind::cash)]);
  sum.add(r.expected_cash, r.cash_in);
  sum.sub(r.expected_cash, r.cash_out);
  r.counted_cash = shift.counted_cash;
  if (r.counted_cash) {
    std::int64_t diff = *r.counted_cash;
    sum.sub(diff, r.expected_cash);
    r.over_short = diff;
  }
  if (sum.overflowed()) return make_error(Errc::overflow, "shift report: a sum is too large");
  return r;
}

Result<std::string> encode_shift_report_json(const ShiftReport& r) {
  if (!r.currency.valid()) return make_error(Errc::unknown_currency, "currency: missing");
  json taxes = json::array();
  for (const auto& t : r.taxes)
    taxes.push_back(json{{"code", t.code},
                         {"kind", std::string(to_string(t.kind))},
                         {"rate_ppm", t.rate_ppm},
                         {"net", t.net},
                         {"tax", t.tax}});
  json by_kind = json::array();
  for (const auto& m : r.cash_movements)
    by_kind.push_back(json{{"kind", std::string(to_string(m.kind))}, {"count", m.count}, {"amount", m.amount}});
  return detail::dump(json{
      {"kind", r.closed ? "Z" : "X"},
      {"currency", std::string(r.currency.code())},
      {"opening_float", r.opening_float},
      {"sales", json{{"count", r.sale_count},
                     {"gross", r.gross_sales},
                     {"line_discounts", r.line_discounts},
                     {"cart_discounts", r.cart_discounts},
                     {"discounts", r.discounts},
                     {"net", r.net_sales},
                     {"tax", r.tax},
                     {"total", r.total_sales},
                     {"cash_rounding", r.cash_rounding},
                     {"change_given", r.change_given}}},
      {"taxes", std::move(taxes)},
      {"tenders", tenders_json(r.tenders)},
      {"refunds", json{{"count", r.refund_count},
                       {"total", r.refund_total},
                       {"tax", r.refund_tax},
                       {"tenders", tenders_json(r.refund_tenders)}}},
      {"voids", json{{"count", r.void_count}}},
      {"cash_movements", json{{"in", r.cash_in}, {"out", r.cash_out}, {"by_kind", std::move(by_kind)}}},
      {"expected_cash", r.expected_cash},
      {"counted_cash", optional_amount(r.counted_cash)},
      {"over_short", optional_amount(r.over_short)},
  });
}

}  // namespace salespider
