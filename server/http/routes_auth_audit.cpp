// Reading, verifying and exporting the audit log (permission view_audit_log).
// Exports are audited themselves and never cut: the CSV holds every row the
// filter matches.
#include <httplib.h>

#include <charconv>
#include <limits>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>

#include "http/routes_auth_json.hpp"
#include "log/log.hpp"
#include "salespider/shared/ids.hpp"
#include "service/services.hpp"
#include "service/time_bounds.hpp"

namespace salespider::http {
namespace {

constexpr std::int64_t kMaxAuditPage = 1000;

// Filters from the query string; false (answered 400) when one is malformed.
bool read_filter(Context& ctx, db::AuditFilter& f) {
  static const std::regex kAction("^[a-z][a-z0-9_.]{0,63}$");
  static const std::regex kEntity("^[a-z][a-z_]{0,63}$");
  auto take = [&](const char* name, const std::regex* pattern, bool uuid, bool time,
                  std::optional<std::string>& out) {
    const auto v = ctx.query(name);
    if (v.empty()) return true;
    // Times are checked as real dates here: PostgreSQL would refuse 2026-02-30 mid-query.
    if ((pattern != nullptr && !std::regex_match(v, *pattern)) || (uuid && !parse_uuid(v)) ||
        (time && !service::parse_iso_time(v))) {
      ctx.send_failure(service::fail(service::Problem::bad_request, "malformed {field}", name, {{"field", name}}));
      return false;
    }
    out = v;
    return true;
  };
  if (!(take("action", &kAction, false, false, f.action_prefix) &&
        take("user_id", nullptr, true, false, f.actor_user_id) &&
        take("till_id", nullptr, true, false, f.actor_till_id) &&
        take("entity", &kEntity, false, false, f.entity) &&
        take("entity_id", nullptr, true, false, f.entity_id) && take("from", nullptr, false, true, f.from) &&
        take("to", nullptr, false, true, f.to)))
    return false;
  if (f.from && f.to &&
      service::range_is_backwards(*service::parse_iso_time(*f.from), *service::parse_iso_time(*f.to))) {
    ctx.send_failure(service::fail(service::Problem::bad_request, "to: must not be before from", "to"));
    return false;
  }
  return true;
}

// A whole decimal number in [min, max] ("" = `fallback`); nullopt when not.
std::optional<std::int64_t> integer_param(const Context& ctx, const char* name, std::int64_t min,
                                          std::int64_t max, std::int64_t fallback) {
  const auto v = ctx.query(name);
  if (v.empty()) return fallback;
  std::int64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < min || n > max) return std::nullopt;
  return n;
}

// An export being streamed (GET /api/v1/audit/export).
struct ExportStream {
  db::AuditFilter filter;
  std::string store_id;
  auth::Actor actor;
  std::string what;
  std::string lang;  // of the header line
  bool header_sent = false;
  bool recorded = false;
  std::int64_t rows = 0;
  service::AuditService::ExportPage next;  // read, not yet sent
};

// One call of the chunked content provider: sends the page in hand, reads the
// next; after the last, audits the export (after the read, so it does not
// list itself) and ends the stream. False cuts the connection: the client
// sees no final chunk, so a failed export never looks complete.
bool write_export_page(service::AuditService& audit, ExportStream& x, httplib::DataSink& sink) {
  try {
    std::string chunk = x.header_sent ? std::string() : service::AuditService::export_header(x.lang);
    x.header_sent = true;
    chunk += x.next.csv;
    x.rows += x.next.rows;
    if (!sink.write(chunk.data(), chunk.size())) return false;
    if (x.next.last) {
      x.recorded = true;
      audit.record_export(x.store_id, x.actor, x.what, x.rows);
      sink.done();
      return true;
    }
    x.next = audit.export_page(x.store_id, x.filter, x.next.last_id);
    return true;
  } catch (const std::exception& e) {
    log::error("audit export failed part way", {{"request_id", x.actor.request_id}, {"what", e.what()}});
    return false;
  }
}

// When the stream ends without its last page (the client went away, a read
// failed): the rows that did leave are audited too, marked incomplete, so
// hanging up before the end never makes an export unrecorded.
void record_cut_export(service::AuditService& audit, ExportStream& x) {
  if (x.recorded) return;
  x.recorded = true;
  try {
    audit.record_export(x.store_id, x.actor, x.what, x.rows, false);
  } catch (const std::exception& e) {
    log::error("cannot audit a cut audit export", {{"request_id", x.actor.request_id}, {"what", e.what()}});
  }
}

}  // namespace

void register_audit_routes(RouteRegistry& r, service::Services& s) {
  const auto audit = Access::person(auth::Permission::view_audit_log);

  r.add("GET", "/api/v1/audit", audit,
        "Audit rows, newest first (?action= or prefix ending in '.', user_id, till_id, entity, entity_id, "
        "from, to, "
        "before, limit)",
        [&s](Context& ctx) {
          db::AuditFilter f;
          if (!read_filter(ctx, f)) return;
          const auto before = integer_param(ctx, "before", 0, std::numeric_limits<std::int64_t>::max(), 0);
          if (!before)
            return ctx.send_failure(service::fail(service::Problem::bad_request,
                                                  "before: a row id (a whole number, 0 or more)", "before"));
          const auto limit = integer_param(ctx, "limit", 1, kMaxAuditPage, 100);
          if (!limit)
            return ctx.send_failure(
                service::fail(service::Problem::bad_request, "limit: a whole number from 1 to {max}", "limit",
                              {{"max", std::to_string(kMaxAuditPage)}}));
          nlohmann::json rows = nlohmann::json::array();
          for (const auto& row :
               s.audit().find(ctx.user->store_id, f, *before, static_cast<std::size_t>(*limit))) {
            rows.push_back(service::audit_row_json(row));
          }
          ctx.send_json(200, {{"rows", rows}});
        });

  r.add("GET", "/api/v1/audit/export", audit, "Every matching audit row as CSV (same filters), audited",
        [&s](Context& ctx) {
          db::AuditFilter f;
          if (!read_filter(ctx, f)) return;
          // The first page is read here, so a database failure is still a 503; the rest is
          // streamed a page (one short query) at a time: memory and connection use stay
          // bounded however many rows match.
          auto state = std::make_shared<ExportStream>();
          state->filter = f;
          state->store_id = ctx.user->store_id;
          state->actor = ctx.actor();
          state->what = ctx.req.target;
          state->lang = ctx.language();
          state->next = s.audit().export_page(state->store_id, f, 0);
          ctx.res.status = 200;
          ctx.res.set_header("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
          ctx.res.set_chunked_content_provider(
              "text/csv; charset=utf-8",
              [&s, state](std::size_t, httplib::DataSink& sink) { return write_export_page(s.audit(), *state, sink); },
              [&s, state](bool) { record_cut_export(s.audit(), *state); });
        });

  // One verification at a time: it reads the whole chain (a page per query), so
  // a manager repeating it cannot occupy every worker and connection.
  auto verifying = std::make_shared<std::mutex>();
  r.add(
      "GET", "/api/v1/audit/verify", audit,
      "Recompute the audit chain and compare it with the anchors outside the database",
      [&s, verifying](Context& ctx) {
        std::unique_lock<std::mutex> one(*verifying, std::try_to_lock);
        if (!one.owns_lock()) {
          ctx.res.set_header("Retry-After", "5");
          return ctx.send_error(ErrorCode::rate_limited,
                                N_("an audit verification is already running; try again shortly"));
        }
        const auto report = s.audit().verify();
        ctx.send_json(
            200,
            {{"ok", report.ok},
             {"checked", report.checked},
             {"unsealed", report.unsealed},
             {"head", {{"position", report.head.position}, {"hash", auth::to_hex(report.head.hash)}}},
             {"anchors_checked", report.anchors_checked},
             {"first_bad_position",
              report.first_bad_position ? nlohmann::json(*report.first_bad_position) : nlohmann::json()},
             {"first_bad_id", report.first_bad_id ? nlohmann::json(*report.first_bad_id) : nlohmann::json()},
             {"problem", report.problem}});
      });
}

}  // namespace salespider::http
