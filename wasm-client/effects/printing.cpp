// Receipts and the shift report from the app state; see printing.hpp.
#include "effects/printing.hpp"

#include "state/tender_label.hpp"

#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money_format.hpp>
#include <salespider/shared/payloads.hpp>
#include <salespider/shared/shift_report.hpp>

namespace salespider::effects {

namespace {

// The sale part both receipts share.
receipt::ReceiptInput sale_receipt(const state::AppState& s, const std::string& receipt_number,
                                   const std::string& time_text, const Sale& sale,
                                   const std::vector<Discount>& cart_discounts,
                                   const std::vector<Payment>& payments, const Settlement& settlement) {
  receipt::ReceiptInput r = store_receipt(s);
  r.receipt_number = receipt_number;
  r.time_text = time_text;
  r.sale = sale;
  r.cart_discounts = cart_discounts;
  r.payments = payments;
  r.settlement = settlement;
  return r;
}

}  // namespace

receipt::ReceiptInput store_receipt(const state::AppState& s) {
  receipt::ReceiptInput r;
  r.store_name = s.store.name;
  r.address = s.store.address;
  r.tax_id = s.store.tax_id;
  r.phone = s.store.phone;
  r.logo = s.store.logo;
  r.tender_names = s.store.tender_names;
  r.header = s.store.receipt_header;
  r.footer = s.store.receipt_footer;
  r.time_zone = s.store.time_zone;
  r.till_code = s.till.code;
  r.paper = s.receipt_58mm ? receipt::Paper::mm58 : receipt::Paper::mm80;
  // Amounts in the active language's number format, like the screens.
  r.money_format = i18n::money_format(s.language);
  return r;
}

receipt::ReceiptInput completed_receipt(const state::AppState& s) {
  const state::Completed& c = *s.completed;
  receipt::ReceiptInput r =
      sale_receipt(s, c.receipt_number, c.time_text, c.sale, c.cart_discounts, c.payments, c.settlement);
  r.offline = c.offline;
  r.copy = c.prints > 1;
  return r;
}

receipt::ReceiptInput reprint_receipt(const state::AppState& s) {
  const state::SaleDetail& d = *s.sale_detail;
  receipt::ReceiptInput r = sale_receipt(s, d.receipt_number, d.time_text, d.sale, d.payload.cart.discounts,
                                         d.payload.payments, d.settlement);
  r.cashier = d.cashier;
  r.till_code = d.till_code;
  r.copy = true;
  return r;
}

std::string shift_report_html(const state::AppState& s) {
  return shift_report_html(s, *s.report, s.till.code);
}

std::string shift_report_html(const state::AppState& s, const state::ShiftReportView& v, const std::string& till_code) {
  Result<std::string> json = encode_shift_report_json(v.report);
  const ShiftReport& r = v.report;
  auto money = [&](std::int64_t m) {
    Result<Currency> c = find_currency(s.store.currency);
    return receipt::html_escape(c ? format_money(Money{m, c.value()}, i18n::money_format(s.language)) : std::to_string(m));
  };
  std::string html =
      "<!doctype html><html lang=\"" + receipt::html_escape(s.language) + "\"><head><meta charset=\"utf-8\"><title>" +
      receipt::html_escape(i18n::tr("Shift report")) + "</title><style>"
      "@page{size:80mm auto;margin:0}body{font:13px/1.35 monospace;width:72mm;margin:4mm}"
      "td:last-child{text-align:right}table{width:100%}h1{font-size:16px}</style></head><body>";
  html += "<h1 data-k=\"kind\">" + receipt::html_escape(r.closed ? i18n::tr("Z report") : i18n::tr("X report")) + "</h1>";
  html += "<p>" + receipt::html_escape(s.store.name) + " · " +
          receipt::html_escape(i18n::trf("till {code}", {{"code", till_code}})) +
          "<br>" + receipt::html_escape(v.time_text) + " " + receipt::html_escape(s.store.time_zone) +
          "</p><table>";
  auto row = [&](const std::string& k, const std::string& label, const std::string& value) {
    html +=
        "<tr data-k=\"" + k + "\"><td>" + receipt::html_escape(label) + "</td><td>" + value + "</td></tr>";
  };
  row("float", i18n::tr("Opening float"), money(r.opening_float));
  row("sales", i18n::trf("Sales ({n})", {{"n", std::to_string(r.sale_count)}}), money(r.total_sales));
  row("discounts", i18n::tr("Discounts"), money(r.discounts));
  for (const ShiftTaxLine& t : r.taxes) row("tax", i18n::trf("Tax {code}", {{"code", t.code}}), money(t.tax));
  for (const TenderAmount& t : r.tenders) row("tender", state::tender_label(t.kind), money(t.amount));
  row("refunds", i18n::trf("Refunds ({n})", {{"n", std::to_string(r.refund_count)}}), money(r.refund_total));
  row("cash-in", i18n::tr("Cash in"), money(r.cash_in));
  row("cash-out", i18n::tr("Cash out"), money(r.cash_out));
  row("expected", i18n::tr("Expected cash"), money(r.expected_cash));
  if (r.counted_cash) row("counted", i18n::tr("Counted cash"), money(*r.counted_cash));
  if (r.over_short)
    row("over-short", *r.over_short >= 0 ? i18n::tr("Over") : i18n::tr("Short"),
        money(*r.over_short < 0 ? -*r.over_short : *r.over_short));
  html += "</table>";
  if (json)
    html +=
        "<script type=\"application/json\" id=\"report\">" + receipt::html_escape(json.value()) + "</script>";
  html += "</body></html>";
  return html;
}

}  // namespace salespider::effects
