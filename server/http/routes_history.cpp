// Sales history and shift reports (docs/api.md "Sales history and shifts"):
//   GET /api/v1/sales, /api/v1/sales/{id}            permission view_own_sales
//   GET /api/v1/shifts, /api/v1/shifts/{id}/report   permission shift
//   GET /api/v1/sales/export                          permission export_data (and view_own_sales)
//   GET /api/v1/shifts/over-short                     permission view_all_sales
// A person without view_all_sales is scoped to their own (service/history.hpp).
// Only the JSON mapping is here: no SQL, no business rules.
#include <httplib.h>

#include "auth/crypto.hpp"
#include "http/routes.hpp"
#include "log/log.hpp"
#include "service/history.hpp"
#include "service/sales_export.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

using nlohmann::json;

json optional_text(const std::string& v) {
  return v.empty() ? json(nullptr) : json(v);
}

json optional_amount(const std::optional<std::int64_t>& v) {
  return v ? json(*v) : json(nullptr);
}

// A sum as a JSON number; beyond int64 (only hostile or corrupt rows add up
// to that) as a string of its exact decimal value, never wrapped
// (docs/security.md "Limits and errors").
json sum_json(const db::AmountSum& sum) {
  const auto v = sum.value();
  return v ? json(*v) : json(sum.decimal);
}

json tenders_json(const std::vector<db::TenderSum>& tenders) {
  json out = json::array();
  for (const auto& t : tenders) out.push_back({{"kind", t.tender}, {"amount", t.amount}});
  return out;
}

json tenders_json(const std::vector<db::TenderTotal>& tenders) {
  json out = json::array();
  for (const auto& t : tenders) out.push_back({{"kind", t.tender}, {"amount", sum_json(t.amount)}});
  return out;
}

json sale_json(const db::SaleSummary& s) {
  return {{"id", s.id},
          {"receipt_number", s.receipt_number},
          {"created_at", s.created_at},
          {"recorded_at", s.recorded_at},
          {"till", {{"id", s.till_id}, {"code", s.till_code}}},
          {"cashier", {{"id", s.user_id}, {"name", s.cashier_name}}},
          {"shift_id", optional_text(s.shift_id)},
          {"total", s.total},
          {"currency", s.currency},
          {"change", s.change},
          {"tenders", tenders_json(s.tenders)},
          {"refunded_total", sum_json(s.refunded_total)},
          {"status", service::sale_status(s)},
          {"flags_count", s.flag_count}};
}

json sale_detail_json(const db::SaleDetail& d) {
  json j = sale_json(d.summary);
  j["price_mode"] = d.price_mode;
  j["subtotal"] = d.subtotal;
  j["discount"] = d.discount;
  j["tax"] = d.tax;
  j["rounding"] = d.rounding;
  j["paid"] = d.paid;
  j["voided"] = d.summary.status == "voided";
  j["voided_at"] = optional_text(d.voided_at);
  j["approved_by"] = optional_text(d.approved_by);
  j["receipt_collision"] = d.receipt_collision;
  j["flags"] = d.flags;
  json lines = json::array();
  for (const auto& l : d.lines) {
    lines.push_back({{"line", l.line_no - 1},
                     {"line_no", l.line_no},
                     {"product_id", optional_text(l.product_id)},
                     {"name", l.name},
                     {"barcode", l.barcode},
                     {"unit", l.unit},
                     {"quantity_milli", l.quantity_milli},
                     {"unit_price", l.unit_price},
                     {"discount", l.discount},
                     {"tax", {{"code", l.tax_code}, {"kind", l.tax_kind}, {"rate_ppm", l.tax_rate_ppm}, {"amount", l.tax}}},
                     {"total", l.total},
                     {"refunded_milli", l.refunded_milli}});
  }
  j["lines"] = lines;
  json payments = json::array();
  for (const auto& p : d.payments) payments.push_back({{"kind", p.tender}, {"amount", p.amount}, {"reference", p.reference}});
  j["payments"] = payments;
  json refunds = json::array();
  for (const auto& r : d.refunds) {
    json rl = json::array();
    for (const auto& l : r.lines)
      rl.push_back({{"line", l.line_no - 1}, {"quantity_milli", l.quantity_milli}, {"amount", l.amount}, {"tax", l.tax}});
    refunds.push_back({{"id", r.id},
                       {"created_at", r.created_at},
                       {"till_id", r.till_id},
                       {"user", {{"id", r.user_id}, {"name", r.user_name}}},
                       {"approved_by", optional_text(r.approved_by)},
                       {"shift_id", optional_text(r.shift_id)},
                       {"reason", r.reason},
                       {"total", r.total},
                       {"tax", r.tax},
                       {"flags", r.flags},
                       {"lines", rl},
                       {"tenders", tenders_json(r.tenders)}});
  }
  j["refunds"] = refunds;
  json attention = json::array();
  for (const auto& f : d.flag_rows) {
    attention.push_back({{"op_id", f.op_id},
                         {"kind", f.kind},
                         {"detail", json::parse(f.detail, nullptr, false)},
                         {"created_at", f.created_at},
                         {"resolved", f.resolved}});
  }
  j["attention"] = attention;
  return j;
}

json shift_json(const db::ShiftRow& s) {
  std::optional<std::int64_t> over_short;
  if (s.counted_cash && s.expected_cash) over_short = *s.counted_cash - *s.expected_cash;
  return {{"id", s.id},
          {"till", {{"id", s.till_id}, {"code", s.till_code}}},
          {"user", {{"id", s.user_id}, {"name", s.user_name}}},
          {"status", s.status},
          {"currency", s.currency},
          {"opening_float", s.opening_float},
          {"expected_cash", optional_amount(s.expected_cash)},
          {"counted_cash", optional_amount(s.counted_cash)},
          {"over_short", optional_amount(over_short)},
          {"opened_at", s.opened_at},
          {"closed_at", optional_text(s.closed_at)},
          {"closed_by", optional_text(s.closed_by)},
          {"sales", {{"count", s.sale_count}, {"total", sum_json(s.sales_total)}}}};
}

// {"items", "next_cursor", "scope"} of a list answer.
template <class Page, class ItemJson>
json listing_json(const service::Listing<Page>& answer, ItemJson item_json) {
  json items = json::array();
  for (const auto& item : answer.page.items) items.push_back(item_json(item));
  return {{"items", items},
          {"next_cursor", optional_text(answer.next_cursor)},
          {"scope", answer.own_only ? "own" : "all"}};
}

namespace sx = service::sales_export;

// An export being streamed (GET /api/v1/sales/export).
struct SalesExportStream {
  service::SalesExportPlan plan;  // plan.query.after moves on page by page
  std::string store_id;
  auth::Actor actor;
  std::string lang;
  bool header_sent = false;
  bool recorded = false;
  std::int64_t rows = 0;
  sx::Page next;  // read, not yet sent
};

// One call of the chunked content provider: sends the page in hand, reads the
// next; after the last, audits the export with its row count and ends the
// stream with the final chunk. False (a read failed part way) cuts the
// connection without the final chunk: the client sees a broken transfer,
// never a short file that looks complete.
bool write_sales_page(db::Pool& pool, SalesExportStream& x, httplib::DataSink& sink) {
  try {
    std::string chunk = x.header_sent ? std::string() : sx::header(x.lang);
    x.header_sent = true;
    chunk += x.next.csv;
    x.rows += x.next.rows;
    if (!chunk.empty() && !sink.write(chunk.data(), chunk.size())) return false;
    if (x.next.last) {
      x.recorded = true;
      sx::record(pool, x.store_id, x.actor, x.plan.filters, x.rows, true);
      sink.done();
      return true;
    }
    x.next = sx::next_page(pool, x.plan.query);
    return true;
  } catch (const std::exception& e) {
    log::error("sales export failed part way", {{"request_id", x.actor.request_id}, {"what", e.what()}});
    return false;
  }
}

// A stream that ended before its last page (the client went away, a read
// failed) is audited too, with the rows that left, marked incomplete.
void record_cut_sales_export(db::Pool& pool, SalesExportStream& x) {
  if (x.recorded) return;
  x.recorded = true;
  try {
    sx::record(pool, x.store_id, x.actor, x.plan.filters, x.rows, false);
  } catch (const std::exception& e) {
    log::error("cannot audit a cut sales export", {{"request_id", x.actor.request_id}, {"what", e.what()}});
  }
}

json over_short_row_json(const db::OverShortRow& r) {
  return {{"shifts", r.shifts}, {"over", sum_json(r.over)}, {"short", sum_json(r.short_)}, {"net", sum_json(r.net)}};
}

json over_short_json(const service::OverShortAnswer& a) {
  json cashiers = json::array();
  for (const auto& p : a.report.people) {
    auto row = over_short_row_json(p);
    row["user"] = {{"id", p.user_id}, {"name", p.user_name}};
    row["expected"] = sum_json(p.expected);
    row["counted"] = sum_json(p.counted);
    cashiers.push_back(row);
  }
  auto total = over_short_row_json(a.report.total);
  total["expected"] = sum_json(a.report.total.expected);
  total["counted"] = sum_json(a.report.total.counted);
  return {{"from", optional_text(a.from)},
          {"to", optional_text(a.to)},
          {"currency", a.report.currency},
          {"cashiers", cashiers},
          {"total", total}};
}

service::SalesRequest sales_request(const Context& ctx) {
  return {ctx.query("from"), ctx.query("to"), ctx.query("cashier"), ctx.query("till"),  ctx.query("tender"),
          ctx.query("refunded"), ctx.query("q"), ctx.query("cursor"), ctx.query("limit")};
}

}  // namespace

void register_history_routes(RouteRegistry& r, service::Services& s) {
  auto history = std::make_shared<service::HistoryService>(s.pool(), s.audit());

  r.add("GET", "/api/v1/sales", Access::person(auth::Permission::view_own_sales),
        "Sales, newest first: ?from, to, cashier, till, tender, refunded, q, cursor, limit (1-200); own sales of "
        "the last 7 days without view_all_sales",
        [history](Context& ctx) {
          auto answer = history->sales(*ctx.user, sales_request(ctx));
          if (!answer) return ctx.send_failure(answer.error());
          auto body = listing_json(*answer, sale_json);
          body["totals"] = {{"count", answer->page.count},
                            {"total", sum_json(answer->page.total)},
                            {"refunded", sum_json(answer->page.refunded)}};
          ctx.send_json(200, body);
        });

  // Before /sales/{id}: the first route whose pattern matches answers.
  r.add("GET", "/api/v1/sales/export", Access::person(auth::Permission::export_data),
        "Every sale of GET /api/v1/sales' filters as CSV (cursor and limit ignored), streamed, audited as "
        "sales.export; own sales of the last 7 days without view_all_sales",
        [history, &s](Context& ctx) {
          if (!auth::role_has(ctx.user->role, auth::Permission::view_own_sales))
            return ctx.send_failure(service::fail(
                service::Problem::forbidden, "the role {role} may not {action}", "",
                {{"role", std::string(auth::to_string(ctx.user->role))},
                 {"action", i18n::translate(ctx.language(), auth::describe(auth::Permission::view_own_sales).data())}}));
          auto plan = history->sales_export(*ctx.user, sales_request(ctx));
          if (!plan) return ctx.send_failure(plan.error());
          // The first page is read here, so a database failure is still a 503;
          // the rest is streamed a page (one short query) at a time: memory
          // stays flat however many sales match.
          auto state = std::make_shared<SalesExportStream>();
          state->plan = std::move(*plan);
          state->store_id = ctx.user->store_id;
          state->actor = ctx.actor();
          state->lang = ctx.language();
          state->next = sx::next_page(s.pool(), state->plan.query);
          ctx.res.status = 200;
          ctx.res.set_header("Content-Disposition", "attachment; filename=\"" + state->plan.filename + "\"");
          ctx.res.set_chunked_content_provider(
              "text/csv; charset=utf-8",
              [&s, state](std::size_t, httplib::DataSink& sink) { return write_sales_page(s.pool(), *state, sink); },
              [&s, state](bool) { record_cut_sales_export(s.pool(), *state); });
        });

  r.add("GET", "/api/v1/sales/{id}", Access::person(auth::Permission::view_own_sales),
        "One sale: lines, payments, change, refunds with lines and tenders, flags needing attention",
        [history](Context& ctx) {
          auto sale = history->sale(*ctx.user, ctx.param("id"));
          if (!sale) return ctx.send_failure(sale.error());
          ctx.send_json(200, sale_detail_json(*sale));
        });

  r.add("GET", "/api/v1/shifts", Access::person(auth::Permission::shift),
        "Shifts, newest first: ?till, status (open|closed), from, to, cursor, limit (1-200); own shifts of the "
        "last 7 days without view_all_sales",
        [history](Context& ctx) {
          service::ShiftsRequest q{ctx.query("from"),   ctx.query("to"),     ctx.query("till"),
                                   ctx.query("status"), ctx.query("cursor"), ctx.query("limit")};
          auto answer = history->shifts(*ctx.user, q);
          if (!answer) return ctx.send_failure(answer.error());
          ctx.send_json(200, listing_json(*answer, shift_json));
        });

  r.add("GET", "/api/v1/shifts/{id}/report", Access::person(auth::Permission::shift),
        "The shift's X report (open) or Z report (closed), computed from the ops the server applied, with the "
        "audit chain head",
        [history](Context& ctx) {
          auto answer = history->shift_report(*ctx.user, ctx.param("id"));
          if (!answer) return ctx.send_failure(answer.error());
          ctx.send_json(200, {{"shift", shift_json(answer->shift)},
                              {"report", json::parse(answer->report_json)},
                              {"audit_head",
                               {{"position", answer->audit_head.position},
                                {"hash", auth::to_hex(answer->audit_head.hash)}}}});
        });

  r.add("GET", "/api/v1/shifts/over-short", Access::person(auth::Permission::view_all_sales),
        "Over/short of the shifts closed in ?from, to (dates in the store's time zone, as /shifts), till: per "
        "person and in total",
        [history](Context& ctx) {
          auto answer = history->over_short(*ctx.user, {ctx.query("from"), ctx.query("to"), ctx.query("till")});
          if (!answer) return ctx.send_failure(answer.error());
          ctx.send_json(200, over_short_json(*answer));
        });
}

}  // namespace salespider::http
