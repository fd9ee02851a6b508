// See history.hpp.
#include "service/history.hpp"

#include <charconv>

#include "salespider/shared/ids.hpp"
#include "salespider/shared/payment.hpp"
#include "service/audit.hpp"
#include "service/shift_reports.hpp"
#include "service/time_bounds.hpp"

namespace salespider::service {
namespace {

bool is_uuid(const std::string& text) {
  auto u = parse_uuid(text);
  return u && u->to_string() == text;
}

// "{field}: why" with the field's name as an argument: `why` is a catalogue
// msgid (http/ translates it per request), `more` its other placeholders.
Failure bad(const std::string& field, const char* why, std::initializer_list<i18n::Arg> more = {}) {
  auto f = fail(Problem::bad_request, why, field, {{"field", field}});
  f.args.insert(f.args.end(), more.begin(), more.end());
  return f;
}

// from/to into a time range. nullopt = all good.
std::optional<Failure> read_range(const std::string& from, const std::string& to, db::TimeRange& out) {
  if (!from.empty()) {
    out.from = parse_time_bound(from, false);
    if (!out.from) return bad("from", "{field}: an ISO 8601 date (2024-05-01) or timestamp (2024-05-01T08:00:00Z)");
  }
  if (!to.empty()) {
    out.to = parse_time_bound(to, true);
    if (!out.to) return bad("to", "{field}: an ISO 8601 date (2024-05-31) or timestamp (2024-05-31T18:00:00Z)");
  }
  if (out.from && out.to && range_is_backwards(*parse_iso_time(from), *parse_iso_time(to)))
    return bad("to", "{field}: must not be before from");
  return std::nullopt;
}

// The parts every list takes: from/to, cursor, limit. nullopt = all good.
std::optional<Failure> read_paging(const std::string& from, const std::string& to, const std::string& cursor,
                                   const std::string& limit, db::ListQuery& out) {
  if (auto f = read_range(from, to, out.range)) return f;
  if (!cursor.empty()) {
    const auto dot = cursor.find('.');
    db::PageAfter a;
    const char* end = cursor.data() + (dot == std::string::npos ? cursor.size() : dot);
    auto [p, ec] = std::from_chars(cursor.data(), end, a.at_us);
    if (dot != std::string::npos) a.id = cursor.substr(dot + 1);
    if (ec != std::errc() || p != end || a.at_us < 0 || !is_uuid(a.id))
      return bad("cursor", "{field}: the next_cursor of a previous page");
    out.after = a;
  }
  if (!limit.empty()) {
    auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), out.limit);
    if (ec != std::errc() || p != limit.data() + limit.size() || out.limit < 1 || out.limit > kMaxPageSize)
      return bad("limit", "{field}: an integer from 1 to {max}", {{"max", std::to_string(kMaxPageSize)}});
  }
  return std::nullopt;
}

std::optional<Failure> read_id(const std::string& field, const std::string& value, std::string& out) {
  if (!value.empty() && !is_uuid(value)) return bad(field, "{field}: a lower-case UUID");
  out = value;
  return std::nullopt;
}

bool sees_all(const auth::UserPrincipal& who) {
  return auth::role_has(who.role, auth::Permission::view_all_sales);
}

// Puts a query in the caller's scope: a person who may not see everyone's
// gets their own rows of the last kOwnSalesDays days (own_only), and is
// refused someone else's. nullopt = all good.
std::optional<Failure> apply_scope(const auth::UserPrincipal& who, db::ListQuery& q, bool& own_only) {
  q.store_id = who.store_id;
  own_only = false;
  if (sees_all(who)) return std::nullopt;
  if (!q.user_id.empty() && q.user_id != who.user_id)
    return fail(Problem::forbidden, "the role {role} may see only its own sales and shifts", "",
                {{"role", std::string(auth::to_string(who.role))}});
  q.user_id = who.user_id;
  q.range.days_back = kOwnSalesDays;
  own_only = true;
  return std::nullopt;
}

// Runs a list query in the caller's scope.
template <class Page, class Query, class Fetch>
Outcome<Listing<Page>> scoped_list(const auth::UserPrincipal& who, Query q, Fetch fetch) {
  Listing<Page> answer;
  if (auto f = apply_scope(who, q, answer.own_only)) return *f;
  answer.page = fetch(q);
  if (answer.page.more && !answer.page.items.empty())
    answer.next_cursor = std::to_string(answer.page.items.back().at_us) + "." + answer.page.items.back().id;
  return answer;
}

// THE reading of GET /api/v1/sales' query (the list and its export).
std::optional<Failure> read_sales(const SalesRequest& r, db::SaleQuery& q) {
  if (auto f = read_paging(r.from, r.to, r.cursor, r.limit, q)) return f;
  if (auto f = read_id("cashier", r.cashier, q.user_id)) return f;
  if (auto f = read_id("till", r.till, q.till_id)) return f;
  if (!r.tender.empty()) {
    if (!parse_tender_kind(r.tender)) return bad("tender", "{field}: cash, card, bank_transfer, mobile_money, voucher or other");
    q.tender = r.tender;
  }
  if (r.refunded == "true" || r.refunded == "false")
    q.refunded = r.refunded == "true";
  else if (!r.refunded.empty())
    return bad("refunded", "{field}: true or false");
  if (r.q.size() > kMaxSearchBytes) return bad("q", "{field}: at most {max} bytes", {{"max", std::to_string(kMaxSearchBytes)}});
  q.text = r.q;
  return std::nullopt;
}

// "sales-2024-03-01-2024-03-31.csv": the dates of the bounds asked for
// (already checked ISO 8601, so digits and dashes), "start"/"end" when open.
std::string export_filename(const std::string& from, const std::string& to) {
  const auto day = [](const std::string& bound, const char* open) {
    return bound.empty() ? std::string(open) : bound.substr(0, 10);
  };
  return "sales-" + day(from, "start") + "-" + day(to, "end") + ".csv";
}

}  // namespace

std::string sale_status(const db::SaleSummary& s) {
  if (s.status == "voided") return s.status;
  const auto refunded = s.refunded_total.value();
  const bool beyond = !refunded && !s.refunded_total.negative();
  if (beyond || (refunded && *refunded > 0 && *refunded >= s.total)) return "refunded";
  if (refunded && *refunded > 0) return "partially_refunded";
  return "completed";
}

Outcome<SalesAnswer> HistoryService::sales(const auth::UserPrincipal& who, const SalesRequest& r) {
  db::SaleQuery q;
  if (auto f = read_sales(r, q)) return *f;
  return scoped_list<db::SalePage>(who, q, [this](const db::SaleQuery& x) { return db::list_sales(pool_, x); });
}

Outcome<db::SaleDetail> HistoryService::sale(const auth::UserPrincipal& who, const std::string& sale_id) {
  if (!is_uuid(sale_id)) return fail(Problem::not_found, "no such sale");
  const bool all = sees_all(who);
  auto d = db::get_sale(pool_, who.store_id, sale_id, all ? std::string() : who.user_id, all ? 0 : kOwnSalesDays);
  if (!d) return fail(Problem::not_found, "no such sale");
  return *d;
}

Outcome<ShiftsAnswer> HistoryService::shifts(const auth::UserPrincipal& who, const ShiftsRequest& r) {
  db::ShiftQuery q;
  if (auto f = read_paging(r.from, r.to, r.cursor, r.limit, q)) return *f;
  if (auto f = read_id("till", r.till, q.till_id)) return *f;
  if (!r.status.empty() && r.status != "open" && r.status != "closed") return bad("status", "{field}: open or closed");
  q.status = r.status;
  return scoped_list<db::ShiftPage>(who, q, [this](const db::ShiftQuery& x) { return db::list_shifts(pool_, x); });
}

Outcome<ShiftReportAnswer> HistoryService::shift_report(const auth::UserPrincipal& who,
                                                        const std::string& shift_id) {
  if (!is_uuid(shift_id)) return fail(Problem::not_found, "no such shift");
  auto inputs = db::shift_report_inputs(pool_, who.store_id, shift_id);
  if (!inputs || (!sees_all(who) && inputs->shift.user_id != who.user_id))
    return fail(Problem::not_found, "no such shift");
  auto report = shift_report_of(*inputs);
  if (!report)
    return fail(Problem::conflict, "the shift's ops do not add up to a report: {detail}", "",
                {{"detail", report.error().context}});
  auto json = encode_shift_report_json(*report);
  if (!json)
    return fail(Problem::conflict, "the shift report cannot be written: {detail}", "", {{"detail", json.error().context}});
  // A Z report shows the chain head as at the close; an X report, the current one.
  std::optional<db::ChainHead> head;
  if (inputs->shift.status == "closed") head = db::shift_close_audit_head(pool_, shift_id);
  ShiftReportAnswer answer{inputs->shift, std::move(*report), std::move(*json), head ? *head : audit_.head()};
  return answer;
}

Outcome<SalesExportPlan> HistoryService::sales_export(const auth::UserPrincipal& who, const SalesRequest& r) {
  SalesRequest filters = r;
  filters.cursor.clear();  // ignored, not refused: the list's query string can be reused as it is
  filters.limit.clear();
  SalesExportPlan plan;
  if (auto f = read_sales(filters, plan.query)) return *f;
  if (auto f = apply_scope(who, plan.query, plan.own_only)) return *f;
  plan.filename = export_filename(r.from, r.to);
  plan.filters = {{"from", r.from}, {"to", r.to}, {"cashier", r.cashier}, {"till", r.till},
                  {"tender", r.tender}, {"refunded", r.refunded}, {"q", r.q},
                  {"scope", plan.own_only ? "own" : "all"}};
  return plan;
}

Outcome<OverShortAnswer> HistoryService::over_short(const auth::UserPrincipal& who, const OverShortRequest& r) {
  db::OverShortQuery q;
  q.store_id = who.store_id;
  if (auto f = read_range(r.from, r.to, q.range)) return *f;
  if (auto f = read_id("till", r.till, q.till_id)) return *f;
  return OverShortAnswer{r.from, r.to, db::over_short(pool_, q)};
}

}  // namespace salespider::service
