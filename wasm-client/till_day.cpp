// TillController, the rest of the day: shifts (open, cash in/out, close and
// the X/Z reports computed with shared/'s compute_shift_report from the ops
// this till recorded), sales history (local store or the server's API), a
// sale's detail and reprint, refunds, and the managers' attention list.
// The rules live in state/day_state.cpp and shared/; this records and loads.
#include "answers/server_answers.hpp"
#include "platform/page.hpp"
#include "platform/platform.hpp"
#include "platform/storage.hpp"
#include "receipt/receipt.hpp"
#include "store/day_records.hpp"
#include "till_controller.hpp"

#include <salespider/shared/money_format.hpp>
#include <salespider/shared/payloads.hpp>
#include <salespider/shared/shift_report.hpp>

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <utility>

namespace salespider {

namespace {

constexpr int kHistoryPage = 50;

std::optional<Approval> approval_of(const std::optional<state::Approver>& a) {
  if (!a) return std::nullopt;
  return Approval{a->user_id, a->grant};
}

std::string url_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace

std::string TillController::session_token() const {
  return session_ ? session_->token : std::string();
}

std::string TillController::display_name_of(const std::string& user_id) {
  for (const auth::LocalAccount& a : load_accounts())
    if (a.user.id == user_id) return a.user.display_name;
  return std::string();
}

store::Status TillController::record(const std::string& kind, std::string payload, const state::AppState& s,
                                     RecordedFn done) {
  store::Store* st = store();
  if (!st || !identity_ || !s.user || !session_)
    return store::StoreError{store::StoreErrc::invalid_op, "nobody is signed in on an enrolled till"};
  store::OpInput op;
  op.op_id = ids_.next().to_string();
  op.till_id = identity_->till_id;
  op.kind = kind;
  op.created_at = now_ms();
  op.user_id = s.user->id;
  op.grant = session_->grant;
  op.payload = std::move(payload);
  store::Result<store::RecordTicket> ticket =
      st->record_op(std::move(op), [this, done](const store::Status& status, const store::JournalRecord&) {
        done(status);
        if (status && sync_) sync_->poke();
        storage_.publish();
      });
  storage_.publish();
  if (!ticket) return ticket.error();
  return {};
}

void TillController::handle_day(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::SubmitOpenShift>) {
          if (s.busy) open_shift(c, s);
        } else if constexpr (std::is_same_v<C, state::SubmitCashMovement>) {
          if (s.busy) cash_movement(c, s);
        } else if constexpr (std::is_same_v<C, state::SubmitCloseShift>) {
          if (s.busy) close_shift(c, s);
        } else if constexpr (std::is_same_v<C, state::RequestShiftReport>) {
          const std::string id = s.shift ? s.shift->shift_id : (s.report ? s.report->shift_id : std::string());
          if (!id.empty()) {
            std::string error;
            std::optional<state::ShiftReportView> r = local_report(id, error);
            app_.apply(state::ShiftReportReady{std::move(r), error});
          } else {
            app_.apply(state::ShiftReportReady{std::nullopt, "No shift is open on this till."});
          }
        } else if constexpr (std::is_same_v<C, state::PrintShiftReport>) {
          if (s.report) print_report(s);
        } else if constexpr (std::is_same_v<C, state::SetShiftRequired>) {
          if (store() && !store()->read_only()) (void)store()->set_setting("shift_required", s.shift_required ? "1" : "0");
        } else if constexpr (std::is_same_v<C, state::OpenHistory>) {
          if (s.screen == state::Screen::History) load_history(s, false);
        } else if constexpr (std::is_same_v<C, state::MoreHistory>) {
          if (s.history.loading) load_history(s, true);
        } else if constexpr (std::is_same_v<C, state::OpenSale>) {
          load_sale(c.sale_id, c.server, s);
        } else if constexpr (std::is_same_v<C, state::ReprintSale>) {
          if (!s.sale_detail) return;
          const state::SaleDetail& d = *s.sale_detail;
          receipt::ReceiptInput r = store_receipt(s);
          r.receipt_number = d.receipt_number;
          r.time_text = d.time_text;
          r.cashier = d.cashier;
          r.till_code = d.till_code;
          r.sale = d.sale;
          r.cart_discounts = d.payload.cart.discounts;
          r.payments = d.payload.payments;
          r.settlement = d.settlement;
          r.copy = true;
          platform::page::print_html(receipt::receipt_html(r));
        } else if constexpr (std::is_same_v<C, state::SubmitRefund>) {
          if (s.busy && s.refund) record_refund(s);
        } else if constexpr (std::is_same_v<C, state::ApprovalFinished>) {
          if (s.busy && s.refund && s.refund->approver && !s.voiding) record_refund(s);
        } else if constexpr (std::is_same_v<C, state::RefundRecorded>) {
          if (c.error.empty()) load_history(s, false);
        } else if constexpr (std::is_same_v<C, state::OpenAttention>) {
          if (s.screen == state::Screen::Attention) load_attention();
        }
      },
      command);
}

// --- shifts -----------------------------------------------------------------------

void TillController::publish_shift() {
  store::Store* st = store();
  if (!st) return;
  if (auto req = st->setting("shift_required"); req && req.value())
    app_.apply(state::SetShiftRequired{*req.value() != "0"});
  auto open = store::open_shift(st->db());
  std::optional<state::ShiftInfo> info;
  if (open && open.value()) {
    if (Result<ShiftOpenPayload> p = decode_shift_open_payload(open.value()->payload)) {
      info = state::ShiftInfo{p.value().shift_id, open.value()->created_at, p.value().opening_float,
                              display_name_of(open.value()->user_id),
                              platform::format_local_time(open.value()->created_at, app_.state().store.time_zone)};
    }
  }
  app_.apply(state::ShiftChanged{std::move(info)});
}

void TillController::open_shift(const state::SubmitOpenShift& c, const state::AppState& s) {
  ShiftOpenPayload p;
  p.shift_id = ids_.next().to_string();
  if (Result<Currency> cur = find_currency(s.store.currency)) p.currency = cur.value();
  p.opening_float = c.opening_float;
  Result<std::string> json = encode_shift_open_payload(p);
  if (!json) {
    app_.apply(state::ShiftOpFinished{"The shift could not be written down: " + json.error().context, s.shift, ""});
    return;
  }
  const std::int64_t now = now_ms();
  state::ShiftInfo info{p.shift_id, now, p.opening_float, s.user->display_name,
                        platform::format_local_time(now, s.store.time_zone)};
  store::Status st = record("shift_open", std::move(json).value(), s, [this, info](const store::Status& status) {
    app_.apply(status ? state::ShiftOpFinished{"", info, "Shift open."}
                      : state::ShiftOpFinished{"The shift could not be stored: " + status.error().context, std::nullopt, ""});
  });
  if (!st) app_.apply(state::ShiftOpFinished{"The shift could not be recorded: " + st.error().context, std::nullopt, ""});
}

void TillController::cash_movement(const state::SubmitCashMovement& c, const state::AppState& s) {
  CashMovementPayload p;
  p.shift_id = s.shift->shift_id;
  p.kind = c.kind;
  p.amount = c.amount;
  if (Result<Currency> cur = find_currency(s.store.currency)) p.currency = cur.value();
  p.reason = c.reason;
  Result<std::string> json = encode_cash_movement_payload(p);
  const std::optional<state::ShiftInfo> shift = s.shift;
  if (!json) {
    app_.apply(state::ShiftOpFinished{"The cash movement could not be written down: " + json.error().context, shift, ""});
    return;
  }
  const std::string done = std::string(adds_cash(c.kind) ? "Cash in" : "Cash out") + " recorded.";
  store::Status st = record("cash_movement", std::move(json).value(), s, [this, shift, done](const store::Status& status) {
    app_.apply(status ? state::ShiftOpFinished{"", shift, done}
                      : state::ShiftOpFinished{"The cash movement could not be stored: " + status.error().context, shift, ""});
  });
  if (!st) app_.apply(state::ShiftOpFinished{"The cash movement could not be recorded: " + st.error().context, shift, ""});
}

void TillController::close_shift(const state::SubmitCloseShift& c, const state::AppState& s) {
  ShiftClosePayload p;
  p.shift_id = s.shift->shift_id;
  p.counted_cash = c.counted_cash;
  p.note = c.note;
  Result<std::string> json = encode_shift_close_payload(p);
  const std::optional<state::ShiftInfo> shift = s.shift;
  if (!json) {
    app_.apply(state::ShiftOpFinished{"The close could not be written down: " + json.error().context, shift, ""});
    return;
  }
  const std::string id = p.shift_id;
  store::Status st = record("shift_close", std::move(json).value(), s, [this, shift, id](const store::Status& status) {
    if (!status) {
      app_.apply(state::ShiftOpFinished{"The close could not be stored: " + status.error().context, shift, ""});
      return;
    }
    app_.apply(state::ShiftOpFinished{"", std::nullopt, "Shift closed."});
    std::string error;
    std::optional<state::ShiftReportView> z = local_report(id, error);
    app_.apply(state::ShiftReportReady{std::move(z), error});
  });
  if (!st) app_.apply(state::ShiftOpFinished{"The close could not be recorded: " + st.error().context, shift, ""});
}

std::optional<state::ShiftReportView> TillController::local_report(const std::string& shift_id, std::string& error) {
  store::Store* st = store();
  if (!st) {
    error = "The local store is not open.";
    return std::nullopt;
  }
  auto ops = store::shift_ops(st->db(), shift_id);
  auto sales = store::shift_sales(st->db(), shift_id);
  if (!ops || !sales) {
    error = "The shift's records could not be read: " + (ops ? sales.error().context : ops.error().context);
    return std::nullopt;
  }
  ShiftInputs in;
  in.shift.cash_rounding_step = app_.state().store.cash_rounding_minor;
  bool opened = false;
  std::int64_t opened_ms = 0, closed_ms = 0;
  for (const store::LocalOp& op : ops.value()) {
    if (op.kind == "shift_open") opened_ms = op.created_at;
    if (op.kind == "shift_close") closed_ms = op.created_at;
    if (op.kind == "shift_open") {
      if (Result<ShiftOpenPayload> p = decode_shift_open_payload(op.payload)) {
        in.shift.currency = p.value().currency;
        in.shift.opening_float = p.value().opening_float;
        opened = true;
      }
    } else if (op.kind == "shift_close") {
      if (Result<ShiftClosePayload> p = decode_shift_close_payload(op.payload)) in.shift.counted_cash = p.value().counted_cash;
    } else if (op.kind == "cash_movement") {
      if (Result<CashMovementPayload> p = decode_cash_movement_payload(op.payload)) in.cash_movements.push_back(p.value());
    } else if (op.kind == "refund") {
      Result<RefundPayload> p = decode_refund_payload(op.payload);
      if (!p) continue;
      std::string why;
      // The refund as it was computed when recorded: against the sale and
      // the refunds before it.
      std::optional<state::SaleDetail> d = local_detail(p.value().sale_op_id, why);
      if (!d) continue;
      RefundLedger ledger = RefundLedger::for_sale(d->sale);
      auto earlier = store::refunds_of(st->db(), p.value().sale_op_id);
      if (!earlier) continue;
      for (const store::LocalOp& e : earlier.value()) {
        if (e.op_id == op.op_id) break;
        if (Result<RefundPayload> ep = decode_refund_payload(e.payload))
          if (Result<Refund> er = compute_refund(d->sale, d->settlement, ledger, ep.value().lines)) ledger = salespider::record_refund(ledger, er.value());
      }
      if (Result<Refund> r = compute_refund(d->sale, d->settlement, ledger, p.value().lines))
        in.refunds.push_back(shift_refund(p.value(), r.value()));
    }
  }
  if (!opened) {
    error = "This till has no record of opening shift " + shift_id + ".";
    return std::nullopt;
  }
  for (const store::LocalSale& sale : sales.value())
    if (Result<SalePayload> p = decode_sale_payload(sale.payload)) in.sales.push_back(p.value());
  if (auto voids = store::voids_between(st->db(), opened_ms, closed_ms)) in.void_count = voids.value();
  Result<ShiftReport> report = compute_shift_report(in);
  if (!report) {
    error = "The report does not add up: " + report.error().context;
    return std::nullopt;
  }
  state::ShiftReportView v;
  v.shift_id = shift_id;
  v.report = report.value();
  v.time_text = platform::format_local_time(now_ms(), app_.state().store.time_zone);
  return v;
}

void TillController::print_report(const state::AppState& s) {
  const state::ShiftReportView& v = *s.report;
  Result<std::string> json = encode_shift_report_json(v.report);
  const ShiftReport& r = v.report;
  auto money = [&](std::int64_t m) {
    Result<Currency> c = find_currency(s.store.currency);
    return receipt::html_escape(c ? format_money(Money{m, c.value()}, MoneyFormat{}) : std::to_string(m));
  };
  std::string html =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Shift report</title><style>"
      "@page{size:80mm auto;margin:0}body{font:13px/1.35 monospace;width:72mm;margin:4mm}"
      "td:last-child{text-align:right}table{width:100%}h1{font-size:16px}</style></head><body>";
  html += "<h1 data-k=\"kind\">" + std::string(r.closed ? "Z report" : "X report") + "</h1>";
  html += "<p>" + receipt::html_escape(s.store.name) + " · till " + receipt::html_escape(s.till.code) + "<br>" + receipt::html_escape(v.time_text) +
          " " + receipt::html_escape(s.store.time_zone) + "</p><table>";
  auto row = [&](const std::string& k, const std::string& label, const std::string& value) {
    html += "<tr data-k=\"" + k + "\"><td>" + receipt::html_escape(label) + "</td><td>" + value + "</td></tr>";
  };
  row("float", "Opening float", money(r.opening_float));
  row("sales", "Sales (" + std::to_string(r.sale_count) + ")", money(r.total_sales));
  row("discounts", "Discounts", money(r.discounts));
  for (const ShiftTaxLine& t : r.taxes) row("tax", "Tax " + t.code, money(t.tax));
  for (const TenderAmount& t : r.tenders) row("tender", std::string(to_string(t.kind)), money(t.amount));
  row("refunds", "Refunds (" + std::to_string(r.refund_count) + ")", money(r.refund_total));
  row("cash-in", "Cash in", money(r.cash_in));
  row("cash-out", "Cash out", money(r.cash_out));
  row("expected", "Expected cash", money(r.expected_cash));
  if (r.counted_cash) row("counted", "Counted cash", money(*r.counted_cash));
  if (r.over_short) row("over-short", *r.over_short >= 0 ? "Over" : "Short", money(*r.over_short < 0 ? -*r.over_short : *r.over_short));
  html += "</table>";
  if (json) html += "<script type=\"application/json\" id=\"report\">" + receipt::html_escape(json.value()) + "</script>";
  html += "</body></html>";
  platform::page::print_html(html);
}

// --- history and refunds ----------------------------------------------------------

std::optional<state::SaleDetail> TillController::local_detail(const std::string& op_id, std::string& error) {
  store::Store* st = store();
  if (!st) {
    error = "The local store is not open.";
    return std::nullopt;
  }
  auto found = store::local_sale(st->db(), op_id);
  if (!found || !found.value()) {
    error = found ? "This sale is not on this till." : found.error().context;
    return std::nullopt;
  }
  const store::LocalSale& ls = *found.value();
  Result<SalePayload> p = decode_sale_payload(ls.payload);
  if (!p) {
    error = "This sale's record cannot be read: " + p.error().context;
    return std::nullopt;
  }
  state::SaleDetail d;
  d.sale_op_id = ls.op_id;
  d.receipt_number = ls.receipt_number;
  d.time_text = platform::format_local_time(ls.created_at, app_.state().store.time_zone);
  d.cashier = display_name_of(ls.user_id);
  d.till_code = identity_ ? identity_->code : std::string();
  d.local = true;
  d.payload = p.value();
  Result<Sale> sale = compute_sale(d.payload.cart);
  if (!sale) {
    error = "This sale does not add up: " + sale.error().context;
    return std::nullopt;
  }
  d.sale = sale.value();
  TenderSettings all;  // the tenders it was paid with, enabled or not today
  all.cash_rounding_step = app_.state().store.cash_rounding_minor;
  Result<Settlement> settled = settle(d.sale.totals.total, d.payload.payments, all);
  if (!settled) {
    error = "This sale's payments do not settle: " + settled.error().context;
    return std::nullopt;
  }
  d.settlement = settled.value();
  d.ledger = RefundLedger::for_sale(d.sale);
  if (auto refunds = store::refunds_of(st->db(), op_id)) {
    for (const store::LocalOp& r : refunds.value())
      if (Result<RefundPayload> rp = decode_refund_payload(r.payload))
        if (Result<Refund> computed = compute_refund(d.sale, d.settlement, d.ledger, rp.value().lines))
          d.ledger = salespider::record_refund(d.ledger, computed.value());
  }
  return d;
}

void TillController::load_history(const state::AppState& s, bool more) {
  const state::HistoryFilter filter = s.history.filter;
  if (!filter.server) {
    store::Store* st = store();
    if (!st) return;
    if (!more) {
      history_before_ms_ = 0;
      history_before_op_.clear();
    }
    store::LocalSalesQuery q;
    q.text = filter.text;
    q.refunded_only = filter.refunded_only;
    q.before_ms = history_before_ms_;
    q.before_op = history_before_op_;
    q.limit = kHistoryPage + 1;
    auto rows = store::local_sales(st->db(), q);
    state::HistoryLoaded out;
    out.filter = filter;
    out.append = more;
    if (!rows) {
      out.error = "This till's sales could not be read: " + rows.error().context;
      app_.apply(std::move(out));
      return;
    }
    std::size_t n = 0;
    for (const store::LocalSale& ls : rows.value()) {
      if (n++ == static_cast<std::size_t>(kHistoryPage)) {
        out.next = "more";
        break;
      }
      state::HistoryItem it;
      it.sale_id = ls.op_id;
      it.receipt_number = ls.receipt_number;
      it.time_text = platform::format_local_time(ls.created_at, s.store.time_zone);
      it.cashier = display_name_of(ls.user_id);
      it.till_code = identity_ ? identity_->code : std::string();
      it.total = ls.total;
      it.refunded = ls.refunded;
      out.sum += ls.total;
      history_before_ms_ = ls.created_at;
      history_before_op_ = ls.op_id;
      out.items.push_back(std::move(it));
    }
    out.count = (more ? static_cast<std::int64_t>(s.history.items.size()) : 0) + static_cast<std::int64_t>(out.items.size());
    out.sum += more ? s.history.sum : 0;
    app_.apply(std::move(out));
    return;
  }
  const std::string token = session_token();
  if (token.empty()) {
    app_.apply(state::HistoryLoaded{filter, {}, "", 0, 0, more,
                                    "The whole store's sales need the store server and an online sign-in; "
                                    "\"This till\" shows what this till sold."});
    return;
  }
  std::string url = "/api/v1/sales?limit=" + std::to_string(kHistoryPage);
  if (!filter.text.empty()) url += "&q=" + url_encode(filter.text);
  if (filter.refunded_only) url += "&refunded=true";
  if (!filter.tender.empty()) url += "&tender=" + url_encode(filter.tender);
  if (!filter.from.empty()) url += "&from=" + url_encode(filter.from);
  if (!filter.to.empty()) url += "&to=" + url_encode(filter.to);
  if (more && !s.history.next.empty()) url += "&cursor=" + url_encode(s.history.next);
  sync::HttpRequest r;
  r.method = "GET";
  r.url = url;
  r.headers.emplace_back("Authorization", "Bearer " + token);
  const std::string tz = s.store.time_zone;
  http_.send(r, [this, filter, more, tz](sync::HttpResponse response) {
    state::HistoryLoaded out;
    out.filter = filter;
    out.append = more;
    if (response.status == 0) {
      out.error = "Needs the store server — it cannot be reached. \"This till\" shows what this till sold.";
    } else if (response.status != 200) {
      out.error = auth::error_message(response.body, response.status);
    } else if (std::optional<answers::SalesPage> page = answers::parse_sales_page(response.body)) {
      for (answers::SalesPage::Item& it : page->items) {
        it.item.time_text = platform::format_local_time(it.created_ms, tz);
        out.items.push_back(std::move(it.item));
      }
      out.next = page->next_cursor;
      out.count = page->count;
      out.sum = page->sum;
    } else {
      out.error = "The store server's answer was not understood.";
    }
    app_.apply(std::move(out));
  });
}

void TillController::load_sale(const std::string& sale_id, bool server, const state::AppState& s) {
  if (!server) {
    std::string error;
    std::optional<state::SaleDetail> d = local_detail(sale_id, error);
    app_.apply(state::SaleLoaded{std::move(d), error});
    return;
  }
  const std::string token = session_token();
  if (token.empty()) {
    app_.apply(state::SaleLoaded{std::nullopt, "A sale of another till needs the store server and an online sign-in."});
    return;
  }
  sync::HttpRequest r;
  r.method = "GET";
  r.url = "/api/v1/sales/" + url_encode(sale_id);
  r.headers.emplace_back("Authorization", "Bearer " + token);
  const std::string tz = s.store.time_zone;
  const TenderSettings tenders = state::tender_settings(s.store);
  http_.send(r, [this, tz, tenders](sync::HttpResponse response) {
    if (response.status != 200) {
      app_.apply(state::SaleLoaded{std::nullopt, response.status == 0 ? "Needs the store server — it cannot be reached."
                                                                     : auth::error_message(response.body, response.status)});
      return;
    }
    std::optional<answers::ServerSale> sale = answers::parse_sale_detail(response.body, tenders);
    if (!sale) {
      app_.apply(state::SaleLoaded{std::nullopt, "The store server's answer was not understood."});
      return;
    }
    sale->detail.time_text = platform::format_local_time(sale->created_ms, tz);
    app_.apply(state::SaleLoaded{std::move(sale->detail), ""});
  });
}

void TillController::record_refund(const state::AppState& s) {
  const state::RefundDraft& d = *s.refund;
  RefundPayload p;
  p.sale_op_id = s.sale_detail->sale_op_id;
  for (std::size_t i = 0; i < d.quantities.size(); ++i)
    if (d.quantities[i].thousandths > 0) p.lines.push_back(RefundRequestLine{i, d.quantities[i]});
  p.reason = d.reason;
  p.total = d.computed ? d.computed->total : 0;
  if (s.shift) p.shift_id = s.shift->shift_id;
  p.approval = approval_of(d.approver);
  p.tenders = d.tenders;
  Result<std::string> json = encode_refund_payload(p);
  if (!json) {
    app_.apply(state::RefundRecorded{"The refund could not be written down: " + json.error().context});
    return;
  }
  const std::string sale_id = p.sale_op_id;
  const bool local = s.sale_detail->local;
  store::Status st = record("refund", std::move(json).value(), s, [this, sale_id, local](const store::Status& status) {
    app_.apply(state::RefundRecorded{status ? std::string()
                                            : "The refund could not be stored (" + status.error().context +
                                                  "): nothing was refunded, do not hand over money for it."});
    if (status) app_.apply(state::OpenSale{sale_id, !local});
  });
  if (!st) app_.apply(state::RefundRecorded{"The refund could not be recorded: " + st.error().context});
}

void TillController::load_attention() {
  const std::string token = session_token();
  if (token.empty()) {
    app_.apply(state::AttentionLoaded{{}, "Needs the store server and an online sign-in."});
    return;
  }
  sync::HttpRequest r;
  r.method = "GET";
  r.url = "/api/v1/ops?state=open&limit=100";
  r.headers.emplace_back("Authorization", "Bearer " + token);
  const std::string tz = app_.state().store.time_zone;
  http_.send(r, [this, tz](sync::HttpResponse response) {
    if (response.status != 200) {
      app_.apply(state::AttentionLoaded{{}, response.status == 0 ? "Needs the store server — it cannot be reached."
                                                                 : auth::error_message(response.body, response.status)});
      return;
    }
    std::optional<answers::AttentionPage> page = answers::parse_attention(response.body);
    if (!page) {
      app_.apply(state::AttentionLoaded{{}, "The store server's answer was not understood."});
      return;
    }
    std::vector<state::AttentionItem> items;
    for (answers::AttentionPage::Item& it : page->items) {
      it.item.time_text = platform::format_local_time(it.received_ms, tz);
      items.push_back(std::move(it.item));
    }
    app_.apply(state::AttentionLoaded{std::move(items), ""});
  });
}

}  // namespace salespider
