// Day effects: shifts (open, cash in/out, close and the X/Z reports
// computed with shared/'s compute_shift_report from the ops this till
// recorded), sales history (local store or the server's API), a sale's
// detail and reprint, and the managers' attention list. See day.hpp.
#include "effects/day.hpp"

#include <salespider/shared/i18n.hpp>

#include "answers/people_answers.hpp"
#include "answers/server_answers.hpp"
#include "platform/files.hpp"
#include "state/sales_dates.hpp"
#include "effects/printing.hpp"
#include "platform/page.hpp"
#include "platform/platform.hpp"
#include "store/day_records.hpp"

#include <salespider/shared/payloads.hpp>
#include <salespider/shared/shift_report.hpp>

#include <utility>

namespace salespider::effects {

namespace {

constexpr int kHistoryPage = 50;

// The server's filters of the History ("q=..&tender=.."), without limit or
// cursor: the list and its CSV export send exactly these.
std::string server_filters(const state::HistoryFilter& f) {
  std::string q;
  auto add = [&q](const char* name, const std::string& value) {
    if (value.empty()) return;
    if (!q.empty()) q += '&';
    q += std::string(name) + "=" + sync::url_encode(value);
  };
  add("q", f.text);
  if (f.refunded_only) add("refunded", "true");
  add("tender", f.tender);
  add("from", f.from);
  add("to", f.to);
  add("cashier", f.cashier);
  add("till", f.till);
  return q;
}

// Rows of a CSV text (records, not lines: a quoted cell may hold a newline),
// header excluded.
std::int64_t csv_rows(const std::string& text) {
  std::int64_t records = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    else if (text[i] == '\n' && !quoted) ++records;
  }
  if (!text.empty() && text.back() != '\n') ++records;
  return records > 0 ? records - 1 : 0;
}

}  // namespace

void Day::set_shift_required(const state::AppState& s) {
  if (ctx_.writable()) (void)ctx_.store()->set_setting("shift_required", s.shift_required ? "1" : "0");
}

// --- shifts -----------------------------------------------------------------------

namespace {

OpRecorder::Options with_id(const std::string& op_id) {
  OpRecorder::Options o;
  o.op_id = op_id;
  return o;
}

}  // namespace

void Day::publish_shift() {
  store::Store* st = ctx_.store();
  if (!st) return;
  if (auto req = st->setting("shift_required"); req && req.value())
    ctx_.app.apply(state::SetShiftRequired{*req.value() != "0"});
  auto open = store::open_shift(st->db());
  std::optional<state::ShiftInfo> info;
  if (open && open.value()) {
    if (Result<ShiftOpenPayload> p = decode_shift_open_payload(open.value()->payload)) {
      info = state::ShiftInfo{
          p.value().shift_id, open.value()->created_at, p.value().opening_float,
          display_name_of(ctx_.store(), open.value()->user_id),
          local_time(ctx_.app.state(), open.value()->created_at, ctx_.app.state().store.time_zone)};
    }
  }
  ctx_.app.apply(state::ShiftChanged{std::move(info)});
}

void Day::open_shift(const state::SubmitOpenShift& c, const state::AppState& s, const std::string& op_id) {
  ShiftOpenPayload p;
  p.shift_id = ctx_.ids.next().to_string();
  if (Result<Currency> cur = find_currency(s.store.currency)) p.currency = cur.value();
  p.opening_float = c.opening_float;
  Result<std::string> json = encode_shift_open_payload(p);
  if (!json) {
    ctx_.app.apply(
        state::ShiftOpFinished{i18n::trf("The shift could not be written down: {problem}", {{"problem", json.error().context}}), s.shift, ""});
    return;
  }
  const std::int64_t now = ctx_.now_ms();
  state::ShiftInfo info{p.shift_id, now, p.opening_float, s.user->display_name,
                        local_time(ctx_.app.state(), now, s.store.time_zone)};
  store::Status st = recorder_.record(
      OpKind::shift_open, std::move(json).value(), s, [this, info](const store::Status& status) {
        ctx_.app.apply(
            status ? state::ShiftOpFinished{"", info, i18n::tr("Shift open.")}
                   : state::ShiftOpFinished{i18n::trf("The shift could not be stored: {problem}", {{"problem", status.error().context}}),
                                            std::nullopt, ""});
      },
      with_id(op_id));
  if (!st)
    ctx_.app.apply(
        state::ShiftOpFinished{i18n::trf("The shift could not be recorded: {problem}", {{"problem", st.error().context}}), std::nullopt, ""});
}

void Day::cash_movement(const state::SubmitCashMovement& c, const state::AppState& s, const std::string& op_id) {
  CashMovementPayload p;
  p.shift_id = s.shift->shift_id;
  p.kind = c.kind;
  p.amount = c.amount;
  if (Result<Currency> cur = find_currency(s.store.currency)) p.currency = cur.value();
  p.reason = c.reason;
  Result<std::string> json = encode_cash_movement_payload(p);
  const std::optional<state::ShiftInfo> shift = s.shift;
  if (!json) {
    ctx_.app.apply(state::ShiftOpFinished{
        i18n::trf("The cash movement could not be written down: {problem}", {{"problem", json.error().context}}), shift, ""});
    return;
  }
  const std::string done = adds_cash(c.kind) ? i18n::tr("Cash in recorded.") : i18n::tr("Cash out recorded.");
  store::Status st = recorder_.record(
      OpKind::cash_movement, std::move(json).value(), s, [this, shift, done](const store::Status& status) {
        ctx_.app.apply(
            status ? state::ShiftOpFinished{"", shift, done}
                   : state::ShiftOpFinished{
                         i18n::trf("The cash movement could not be stored: {problem}", {{"problem", status.error().context}}), shift, ""});
      },
      with_id(op_id));
  if (!st)
    ctx_.app.apply(
        state::ShiftOpFinished{i18n::trf("The cash movement could not be recorded: {problem}", {{"problem", st.error().context}}), shift, ""});
}

void Day::close_shift(const state::SubmitCloseShift& c, const state::AppState& s, const std::string& op_id) {
  ShiftClosePayload p;
  p.shift_id = s.shift->shift_id;
  p.counted_cash = c.counted_cash;
  p.note = c.note;
  Result<std::string> json = encode_shift_close_payload(p);
  const std::optional<state::ShiftInfo> shift = s.shift;
  if (!json) {
    ctx_.app.apply(
        state::ShiftOpFinished{i18n::trf("The close could not be written down: {problem}", {{"problem", json.error().context}}), shift, ""});
    return;
  }
  const std::string id = p.shift_id;
  store::Status st = recorder_.record(
      OpKind::shift_close, std::move(json).value(), s, [this, shift, id](const store::Status& status) {
        if (!status) {
          ctx_.app.apply(
              state::ShiftOpFinished{i18n::trf("The close could not be stored: {problem}", {{"problem", status.error().context}}), shift, ""});
          return;
        }
        ctx_.app.apply(state::ShiftOpFinished{"", std::nullopt, i18n::tr("Shift closed.")});
        std::string error;
        std::optional<state::ShiftReportView> z = local_report(id, error);
        ctx_.app.apply(state::ShiftReportReady{std::move(z), error});
      },
      with_id(op_id));
  if (!st)
    ctx_.app.apply(
        state::ShiftOpFinished{i18n::trf("The close could not be recorded: {problem}", {{"problem", st.error().context}}), shift, ""});
}

// A refund op of a shift as it was computed when recorded: against the
// sale and the refunds before it.
std::optional<ShiftRefund> Day::recorded_refund(const store::LocalOp& op) {
  store::Store* st = ctx_.store();
  Result<RefundPayload> p = decode_refund_payload(op.payload);
  if (!st || !p) return std::nullopt;
  std::string why;
  std::optional<state::SaleDetail> d = local_detail(p.value().sale_op_id, why);
  if (!d) return std::nullopt;
  RefundLedger ledger = RefundLedger::for_sale(d->sale);
  auto earlier = store::refunds_of(st->db(), p.value().sale_op_id);
  if (!earlier) return std::nullopt;
  for (const store::LocalOp& e : earlier.value()) {
    if (e.op_id == op.op_id) break;
    if (Result<RefundPayload> ep = decode_refund_payload(e.payload))
      if (Result<Refund> er = compute_refund(d->sale, d->settlement, ledger, ep.value().lines))
        ledger = salespider::record_refund(ledger, er.value());
  }
  Result<Refund> r = compute_refund(d->sale, d->settlement, ledger, p.value().lines);
  if (!r) return std::nullopt;
  return shift_refund(p.value(), r.value());
}

std::optional<state::ShiftReportView> Day::local_report(const std::string& shift_id, std::string& error) {
  store::Store* st = ctx_.store();
  if (!st) {
    error = i18n::tr("The local store is not open.");
    return std::nullopt;
  }
  auto ops = store::shift_ops(st->db(), shift_id);
  auto sales = store::shift_sales(st->db(), shift_id);
  if (!ops || !sales) {
    error = i18n::trf("The shift's records could not be read: {problem}", {{"problem", (ops ? sales.error().context : ops.error().context)}});
    return std::nullopt;
  }
  ShiftInputs in;
  in.shift.cash_rounding_step = ctx_.app.state().store.cash_rounding_minor;
  bool opened = false;
  std::int64_t opened_ms = 0, closed_ms = 0;
  for (const store::LocalOp& op : ops.value()) {
    Result<OpKind> kind = parse_op_kind(op.kind);
    if (!kind) continue;
    switch (kind.value()) {
      case OpKind::shift_open:
        opened_ms = op.created_at;
        if (Result<ShiftOpenPayload> p = decode_shift_open_payload(op.payload)) {
          in.shift.currency = p.value().currency;
          in.shift.opening_float = p.value().opening_float;
          opened = true;
        }
        break;
      case OpKind::shift_close:
        closed_ms = op.created_at;
        if (Result<ShiftClosePayload> p = decode_shift_close_payload(op.payload))
          in.shift.counted_cash = p.value().counted_cash;
        break;
      case OpKind::cash_movement:
        if (Result<CashMovementPayload> p = decode_cash_movement_payload(op.payload))
          in.cash_movements.push_back(p.value());
        break;
      case OpKind::refund:
        if (std::optional<ShiftRefund> r = recorded_refund(op)) in.refunds.push_back(std::move(*r));
        break;
      case OpKind::sale:
      case OpKind::void_sale:
      case OpKind::stock_movement:
        break;
    }
  }
  if (!opened) {
    error = i18n::trf("This till has no record of opening shift {shift}.", {{"shift", shift_id}});
    return std::nullopt;
  }
  for (const store::LocalSale& sale : sales.value())
    if (Result<SalePayload> p = decode_sale_payload(sale.payload)) in.sales.push_back(p.value());
  if (auto voids = store::voids_between(st->db(), opened_ms, closed_ms)) in.void_count = voids.value();
  Result<ShiftReport> report = compute_shift_report(in);
  if (!report) {
    error = i18n::trf("The report does not add up: {problem}", {{"problem", report.error().context}});
    return std::nullopt;
  }
  state::ShiftReportView v;
  v.shift_id = shift_id;
  v.report = report.value();
  v.time_text = local_time(ctx_.app.state(), ctx_.now_ms(), ctx_.app.state().store.time_zone);
  return v;
}

// --- printing -------------------------------------------------------------------

void Day::print_report(const state::AppState& s) {
  platform::page::print_html(shift_report_html(s));
}

void Day::request_report(const state::AppState& s) {
  const std::string id = s.shift ? s.shift->shift_id : (s.report ? s.report->shift_id : std::string());
  if (id.empty()) {
    ctx_.app.apply(state::ShiftReportReady{std::nullopt, i18n::tr("No shift is open on this till.")});
    return;
  }
  std::string error;
  std::optional<state::ShiftReportView> r = local_report(id, error);
  ctx_.app.apply(state::ShiftReportReady{std::move(r), error});
}

// --- history and refunds ----------------------------------------------------------

std::optional<state::SaleDetail> Day::local_detail(const std::string& op_id, std::string& error) {
  store::Store* st = ctx_.store();
  if (!st) {
    error = i18n::tr("The local store is not open.");
    return std::nullopt;
  }
  auto found = store::local_sale(st->db(), op_id);
  if (!found || !found.value()) {
    error = found ? i18n::tr("This sale is not on this till.") : found.error().context;
    return std::nullopt;
  }
  const store::LocalSale& ls = *found.value();
  Result<SalePayload> p = decode_sale_payload(ls.payload);
  if (!p) {
    error = i18n::trf("This sale's record cannot be read: {problem}", {{"problem", p.error().context}});
    return std::nullopt;
  }
  state::SaleDetail d;
  d.sale_op_id = ls.op_id;
  d.receipt_number = ls.receipt_number;
  d.time_text = local_time(ctx_.app.state(), ls.created_at, ctx_.app.state().store.time_zone);
  d.cashier = display_name_of(ctx_.store(), ls.user_id);
  d.till_code = ctx_.identity ? ctx_.identity->code : std::string();
  d.local = true;
  d.payload = p.value();
  Result<Sale> sale = compute_sale(d.payload.cart);
  if (!sale) {
    error = i18n::trf("This sale does not add up: {problem}", {{"problem", sale.error().context}});
    return std::nullopt;
  }
  d.sale = sale.value();
  TenderSettings all;  // the tenders it was paid with, enabled or not today
  all.cash_rounding_step = ctx_.app.state().store.cash_rounding_minor;
  Result<Settlement> settled = settle(d.sale.totals.total, d.payload.payments, all);
  if (!settled) {
    error = i18n::trf("This sale's payments do not settle: {problem}", {{"problem", settled.error().context}});
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

void Day::load_history(const state::AppState& s, bool more) {
  const state::HistoryFilter filter = s.history.filter;
  if (!filter.server) {
    store::Store* st = ctx_.store();
    if (!st) return;
    if (!more) {
      history_before_ms_ = 0;
      history_before_op_.clear();
    }
    store::LocalSalesQuery q;
    q.text = filter.text;
    q.refunded_only = filter.refunded_only;
    q.tender = filter.tender;
    q.user_id = filter.cashier;
    const std::string tz = s.store.time_zone;
    std::optional<state::InstantRange> range = state::local_date_range(
        filter.from, filter.to, [&tz](std::int64_t utc_ms) { return platform::utc_offset_minutes_at(utc_ms, tz); });
    if (!range) {
      state::HistoryLoaded bad;
      bad.filter = filter;
      bad.append = more;
      bad.error = i18n::tr("The dates cannot be used: write them as YYYY-MM-DD, the first not after the last.");
      ctx_.app.apply(std::move(bad));
      return;
    }
    q.from_ms = range->from_ms;
    q.to_ms = range->to_ms;
    q.before_ms = history_before_ms_;
    q.before_op = history_before_op_;
    q.limit = kHistoryPage + 1;
    auto rows = store::local_sales(st->db(), q);
    state::HistoryLoaded out;
    out.filter = filter;
    out.append = more;
    if (!rows) {
      out.error = i18n::trf("This till's sales could not be read: {problem}", {{"problem", rows.error().context}});
      ctx_.app.apply(std::move(out));
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
      it.time_text = local_time(ctx_.app.state(), ls.created_at, s.store.time_zone);
      it.cashier = display_name_of(ctx_.store(), ls.user_id);
      it.till_code = ctx_.identity ? ctx_.identity->code : std::string();
      it.total = ls.total;
      it.refunded = ls.refunded;
      history_before_ms_ = ls.created_at;
      history_before_op_ = ls.op_id;
      out.items.push_back(std::move(it));
    }
    // The totals are the whole filtered set's, as the server's are.
    if (auto totals = store::local_sales_totals(st->db(), q)) {
      out.count = totals.value().count;
      out.sum = totals.value().total;
      out.refunded = totals.value().refunded;
    } else {
      out.error = i18n::trf("This till's sales could not be read: {problem}", {{"problem", totals.error().context}});
    }
    if (auto sellers = store::local_sellers(st->db()))
      for (const std::string& id : sellers.value())
        out.cashiers.push_back(state::HistoryChoice{id, display_name_of(ctx_.store(), id)});
    ctx_.app.apply(std::move(out));
    return;
  }
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    state::HistoryLoaded out;
    out.filter = filter;
    out.append = more;
    out.error = i18n::tr("The whole store's sales need the store server and an online sign-in; "
                         "“This till” shows what this till sold.");
    ctx_.app.apply(std::move(out));
    return;
  }
  std::string url = "/api/v1/sales?limit=" + std::to_string(kHistoryPage);
  if (const std::string q = server_filters(filter); !q.empty()) url += "&" + q;
  if (!more && s.history.tills.empty() && state::may(s, "view_all_sales")) load_history_choices(token);
  if (more && !s.history.next.empty()) url += "&cursor=" + sync::url_encode(s.history.next);
  sync::HttpRequest r = bearer_get(std::move(url), token);
  const std::string tz = s.store.time_zone;
  ctx_.http.send(r, [this, filter, more, tz](sync::HttpResponse response) {
    state::HistoryLoaded out;
    out.filter = filter;
    out.append = more;
    if (response.status == 0) {
      out.error = i18n::tr("Needs the store server — it cannot be reached. “This till” shows what this till sold.");
    } else if (response.status != 200) {
      out.error = auth::error_message(response.body, response.status);
    } else if (std::optional<answers::SalesPage> page = answers::parse_sales_page(response.body)) {
      for (answers::SalesPage::Item& it : page->items) {
        it.item.time_text = local_time(ctx_.app.state(), it.created_ms, tz);
        out.cashiers.push_back(state::HistoryChoice{it.item.cashier_id, it.item.cashier});
        out.tills.push_back(state::HistoryChoice{it.item.till_id, it.item.till_code});
        out.items.push_back(std::move(it.item));
      }
      out.next = page->next_cursor;
      out.count = page->count;
      out.sum = page->sum;
      out.refunded = page->refunded;
    } else {
      out.error = i18n::tr("The store server's answer was not understood.");
    }
    ctx_.app.apply(std::move(out));
  });
}

void Day::load_history_choices(const std::string& token) {
  ctx_.http.send(bearer_get("/api/v1/users", token), [this](sync::HttpResponse r) {
    if (r.status != 200) return;  // the names seen in the pages still fill the filter
    std::optional<std::vector<state::StaffMember>> people = answers::parse_staff(r.body);
    if (!people) return;
    state::HistoryChoicesLoaded out;
    for (const state::StaffMember& m : *people)
      out.cashiers.push_back(state::HistoryChoice{m.id, m.display_name.empty() ? m.username : m.display_name});
    ctx_.app.apply(std::move(out));
  });
  ctx_.http.send(bearer_get("/api/v1/tills", token), [this](sync::HttpResponse r) {
    if (r.status != 200) return;
    std::optional<std::vector<state::StoreTill>> tills = answers::parse_store_tills(r.body, "");
    if (!tills) return;
    state::HistoryChoicesLoaded out;
    for (const state::StoreTill& t : *tills) out.tills.push_back(state::HistoryChoice{t.id, t.code});
    ctx_.app.apply(std::move(out));
  });
}

void Day::export_sales(const state::AppState& s) {
  if (exporting_) return;  // one download at a time
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::SalesExported{i18n::tr("Needs the store server and an online sign-in."), ""});
    return;
  }
  const state::HistoryFilter filter = s.history.filter;
  const std::string day = platform::format_local_time(ctx_.now_ms(), s.store.time_zone).substr(0, 10);
  const std::string name = "sales-" + (filter.from.empty() && filter.to.empty()
                                           ? day
                                           : (filter.from.empty() ? std::string("start") : filter.from) + "-to-" +
                                                 (filter.to.empty() ? day : filter.to)) +
                           ".csv";
  std::string url = "/api/v1/sales/export";
  if (const std::string q = server_filters(filter); !q.empty()) url += "?" + q;
  exporting_ = true;
  ctx_.http.send(bearer_get(std::move(url), token), [this, name](sync::HttpResponse r) {
    exporting_ = false;
    // A stream cut half way fails the whole fetch (status 0): nothing is
    // saved, so a short file is never mistaken for the whole set.
    if (r.status == 0) {
      ctx_.app.apply(state::SalesExported{
          i18n::tr("The export failed: the connection to the store server broke off. Nothing was saved; try again."),
          ""});
      return;
    }
    if (r.status != 200) {
      ctx_.app.apply(state::SalesExported{
          i18n::trf("The export failed: {why}", {{"why", refusal_text(r)}}), ""});
      return;
    }
    const std::int64_t rows = csv_rows(r.body);
    platform::files::download_text(name, "text/csv", r.body);
    ctx_.app.apply(state::SalesExported{
        "", i18n::format(i18n::trn("Downloaded {file} ({n} sale).", "Downloaded {file} ({n} sales).", rows),
                         {{"file", name}, {"n", std::to_string(rows)}})});
  });
}

void Day::load_sale(const std::string& sale_id, bool server, const state::AppState& s) {
  if (!server) {
    std::string error;
    std::optional<state::SaleDetail> d = local_detail(sale_id, error);
    ctx_.app.apply(state::SaleLoaded{std::move(d), error});
    return;
  }
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::SaleLoaded{std::nullopt,
                                     i18n::tr("A sale of another till needs the store server and an online sign-in.")});
    return;
  }
  sync::HttpRequest r = bearer_get("/api/v1/sales/" + sync::url_encode(sale_id), token);
  const std::string tz = s.store.time_zone;
  const TenderSettings tenders = state::tender_settings(s.store);
  ctx_.http.send(r, [this, tz, tenders](sync::HttpResponse response) {
    if (response.status != 200) {
      ctx_.app.apply(state::SaleLoaded{
          std::nullopt, response.status == 0 ? i18n::tr("Needs the store server — it cannot be reached.")
                                             : auth::error_message(response.body, response.status)});
      return;
    }
    std::optional<answers::ServerSale> sale = answers::parse_sale_detail(response.body, tenders);
    if (!sale) {
      ctx_.app.apply(state::SaleLoaded{std::nullopt, i18n::tr("The store server's answer was not understood.")});
      return;
    }
    sale->detail.time_text = local_time(ctx_.app.state(), sale->created_ms, tz);
    ctx_.app.apply(state::SaleLoaded{std::move(sale->detail), ""});
  });
}

void Day::load_attention() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::AttentionLoaded{{}, i18n::tr("Needs the store server and an online sign-in.")});
    return;
  }
  sync::HttpRequest r = bearer_get("/api/v1/ops?state=open&limit=100", token);
  const std::string tz = ctx_.app.state().store.time_zone;
  ctx_.http.send(r, [this, tz](sync::HttpResponse response) {
    if (response.status != 200) {
      ctx_.app.apply(state::AttentionLoaded{{},
                                            response.status == 0
                                                ? i18n::tr("Needs the store server — it cannot be reached.")
                                                : auth::error_message(response.body, response.status)});
      return;
    }
    std::optional<answers::AttentionPage> page = answers::parse_attention(response.body);
    if (!page) {
      ctx_.app.apply(state::AttentionLoaded{{}, i18n::tr("The store server's answer was not understood.")});
      return;
    }
    std::vector<state::AttentionItem> items;
    for (answers::AttentionPage::Item& it : page->items) {
      it.item.time_text = local_time(ctx_.app.state(), it.received_ms, tz);
      items.push_back(std::move(it.item));
    }
    ctx_.app.apply(state::AttentionLoaded{std::move(items), ""});
  });
}

}  // namespace salespider::effects
