// See shifts_answers.hpp.
#include "answers/shifts_answers.hpp"

#include "answers/server_answers.hpp"
#include "json/fields.hpp"

#include <salespider/shared/currency.hpp>
#include <salespider/shared/payloads.hpp>
#include <salespider/shared/payment.hpp>
#include <salespider/shared/tax.hpp>

#include <utility>

namespace salespider::answers {

namespace {

using jsonio::Json;

constexpr std::size_t kMaxAnswerBytes = 16 * 1024 * 1024;

std::optional<Json> parse_answer(std::string_view body) {
  return jsonio::parse_object(body, kMaxAnswerBytes);
}

// An amount the API may write as an integer or (beyond int64) as a decimal
// string; only integers that fit are read, anything else fails the answer.
bool amount(const Json& o, const char* key, std::int64_t& out) {
  return jsonio::read_integer(o, key, out);
}

std::optional<state::ArchivedShift> shift_of(const Json& it) {
  if (!it.is_object()) return std::nullopt;
  state::ArchivedShift s;
  s.id = jsonio::text(it, "id");
  s.till_id = jsonio::nested_text(it, "till", "id");
  s.till_code = jsonio::nested_text(it, "till", "code");
  s.cashier_id = jsonio::nested_text(it, "user", "id");
  s.cashier = jsonio::nested_text(it, "user", "name");
  s.opened_ms = parse_utc_ms(jsonio::text(it, "opened_at")).value_or(0);
  s.closed_ms = parse_utc_ms(jsonio::text(it, "closed_at")).value_or(0);
  s.opening_float = jsonio::integer(it, "opening_float");
  s.expected = jsonio::optional_integer(it, "expected_cash");
  s.counted = jsonio::optional_integer(it, "counted_cash");
  s.over_short = jsonio::optional_integer(it, "over_short");
  if (const Json* sales = jsonio::object(it, "sales")) {
    s.sales_count = jsonio::integer(*sales, "count");
    s.sales_total = jsonio::integer(*sales, "total");
  }
  if (s.id.empty()) return std::nullopt;
  return s;
}

bool tenders_of(const Json* arr, std::vector<TenderAmount>& out) {
  if (arr == nullptr) return false;
  for (const Json& t : *arr) {
    if (!t.is_object()) return false;
    Result<TenderKind> kind = parse_tender_kind(jsonio::text(t, "kind"));
    TenderAmount a;
    if (!kind || !amount(t, "amount", a.amount)) return false;
    a.kind = kind.value();
    out.push_back(a);
  }
  return true;
}

// The "report" object (shared/'s encode_shift_report_json) back into a ShiftReport.
std::optional<ShiftReport> report_of(const Json& r) {
  ShiftReport out;
  Result<Currency> currency = find_currency(jsonio::text(r, "currency"));
  const std::string kind = jsonio::text(r, "kind");
  const Json* sales = jsonio::object(r, "sales");
  const Json* refunds = jsonio::object(r, "refunds");
  const Json* voids = jsonio::object(r, "voids");
  const Json* moves = jsonio::object(r, "cash_movements");
  if (!currency || (kind != "X" && kind != "Z") || !sales || !refunds || !voids || !moves) return std::nullopt;
  out.currency = currency.value();
  out.closed = kind == "Z";
  bool ok = amount(r, "opening_float", out.opening_float) && amount(*sales, "count", out.sale_count) &&
            amount(*sales, "gross", out.gross_sales) && amount(*sales, "line_discounts", out.line_discounts) &&
            amount(*sales, "cart_discounts", out.cart_discounts) && amount(*sales, "discounts", out.discounts) &&
            amount(*sales, "net", out.net_sales) && amount(*sales, "tax", out.tax) &&
            amount(*sales, "total", out.total_sales) && amount(*sales, "cash_rounding", out.cash_rounding) &&
            amount(*sales, "change_given", out.change_given) && amount(*refunds, "count", out.refund_count) &&
            amount(*refunds, "total", out.refund_total) && amount(*refunds, "tax", out.refund_tax) &&
            amount(*voids, "count", out.void_count) && amount(*moves, "in", out.cash_in) &&
            amount(*moves, "out", out.cash_out) && amount(r, "expected_cash", out.expected_cash);
  ok = ok && tenders_of(jsonio::array(r, "tenders"), out.tenders) &&
       tenders_of(jsonio::array(*refunds, "tenders"), out.refund_tenders);
  if (!ok) return std::nullopt;
  if (const Json* taxes = jsonio::array(r, "taxes")) {
    for (const Json& t : *taxes) {
      ShiftTaxLine line;
      line.code = jsonio::text(t, "code");
      Result<TaxKind> tk = parse_tax_kind(jsonio::text(t, "kind"));
      if (!tk || !amount(t, "rate_ppm", line.rate_ppm) || !amount(t, "net", line.net) || !amount(t, "tax", line.tax))
        return std::nullopt;
      line.kind = tk.value();
      out.taxes.push_back(std::move(line));
    }
  }
  if (const Json* by_kind = jsonio::array(*moves, "by_kind")) {
    for (const Json& m : *by_kind) {
      Result<CashMovementKind> mk = parse_cash_movement_kind(jsonio::text(m, "kind"));
      CashMovementTotal t;
      if (!mk || !amount(m, "count", t.count) || !amount(m, "amount", t.amount)) return std::nullopt;
      t.kind = mk.value();
      out.cash_movements.push_back(t);
    }
  }
  out.counted_cash = jsonio::optional_integer(r, "counted_cash");
  out.over_short = jsonio::optional_integer(r, "over_short");
  return out;
}

}  // namespace

std::optional<ShiftsPage> parse_shifts_page(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const Json* items = jsonio::array(*doc, "items");
  if (!items) return std::nullopt;
  ShiftsPage page;
  for (const Json& it : *items) {
    std::optional<state::ArchivedShift> s = shift_of(it);
    if (!s) return std::nullopt;
    page.items.push_back(std::move(*s));
  }
  page.next_cursor = jsonio::text(*doc, "next_cursor");
  return page;
}

std::optional<ShiftReportAnswer> parse_shift_report(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const Json* shift = jsonio::object(*doc, "shift");
  const Json* report = jsonio::object(*doc, "report");
  if (!shift || !report) return std::nullopt;
  std::optional<state::ArchivedShift> s = shift_of(*shift);
  std::optional<ShiftReport> r = report_of(*report);
  if (!s || !r) return std::nullopt;
  return ShiftReportAnswer{std::move(*s), std::move(*r)};
}

std::optional<state::OverShort> parse_over_short(std::string_view body) {
  std::optional<Json> doc = parse_answer(body);
  if (!doc) return std::nullopt;
  const Json* cashiers = jsonio::array(*doc, "cashiers");
  const Json* total = jsonio::object(*doc, "total");
  if (!cashiers || !total) return std::nullopt;
  state::OverShort out;
  for (const Json& c : *cashiers) {
    if (!c.is_object()) return std::nullopt;
    state::OverShortRow row;
    row.user_id = jsonio::nested_text(c, "user", "id");
    row.name = jsonio::nested_text(c, "user", "name");
    if (!amount(c, "shifts", row.shifts) || !amount(c, "over", row.over) || !amount(c, "short", row.short_) ||
        !amount(c, "net", row.net))
      return std::nullopt;
    (void)amount(c, "expected", row.expected);
    (void)amount(c, "counted", row.counted);
    out.cashiers.push_back(std::move(row));
  }
  if (!amount(*total, "shifts", out.shifts) || !amount(*total, "over", out.over) ||
      !amount(*total, "short", out.short_) || !amount(*total, "net", out.net))
    return std::nullopt;
  return out;
}

}  // namespace salespider::answers
