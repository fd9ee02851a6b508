// Reading, verifying and exporting the audit log (permission view_audit_log).
// Exports are audited themselves and never cut: the CSV holds every row the
// filter matches.
#include <httplib.h>

#include <regex>
#include <sstream>

#include "http/routes_auth_json.hpp"
#include "salespider/shared/ids.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

// Filters from the query string; false (answered 400) when one is malformed.
bool read_filter(Context& ctx, db::AuditFilter& f) {
  static const std::regex kAction("^[a-z][a-z0-9_.]{0,63}$");
  static const std::regex kEntity("^[a-z][a-z_]{0,63}$");
  static const std::regex kTime(
      R"(^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$)");
  auto take = [&](const char* name, const std::regex* pattern, bool uuid, std::optional<std::string>& out) {
    const auto v = ctx.query(name);
    if (v.empty()) return true;
    if ((pattern != nullptr && !std::regex_match(v, *pattern)) || (uuid && !parse_uuid(v))) {
      ctx.send_failure(service::fail(service::Problem::bad_request, std::string("malformed ") + name, name));
      return false;
    }
    out = v;
    return true;
  };
  return take("action", &kAction, false, f.action_prefix) &&
         take("user_id", nullptr, true, f.actor_user_id) && take("till_id", nullptr, true, f.actor_till_id) &&
         take("entity", &kEntity, false, f.entity) && take("entity_id", nullptr, true, f.entity_id) &&
         take("from", &kTime, false, f.from) && take("to", &kTime, false, f.to);
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
          std::int64_t before = 0;
          std::size_t limit = 100;
          try {
            if (!ctx.query("before").empty()) before = std::stoll(ctx.query("before"));
            if (!ctx.query("limit").empty()) limit = std::stoul(ctx.query("limit"));
          } catch (const std::exception&) {
            return ctx.send_error(ErrorCode::bad_request, "before and limit must be numbers");
          }
          limit = std::min<std::size_t>(std::max<std::size_t>(limit, 1), 1000);
          nlohmann::json rows = nlohmann::json::array();
          for (const auto& row : s.audit().find(ctx.user->store_id, f, before, limit)) {
            rows.push_back(service::audit_row_json(row));
          }
          ctx.send_json(200, {{"rows", rows}});
        });

  r.add("GET", "/api/v1/audit/export", audit, "Every matching audit row as CSV (same filters), audited",
        [&s](Context& ctx) {
          db::AuditFilter f;
          if (!read_filter(ctx, f)) return;
          std::ostringstream out;
          const auto rows = s.audit().export_csv(ctx.user->store_id, f, out);
          ctx.res.status = 200;
          ctx.res.set_header("Content-Disposition", "attachment; filename=\"audit-log.csv\"");
          ctx.res.set_content(out.str(), "text/csv; charset=utf-8");
          // The export itself is an action worth recording (after the read, so it does not list itself).
          s.audit().record_export(ctx.user->store_id, ctx.actor(), ctx.req.target, rows);
        });

  r.add(
      "GET", "/api/v1/audit/verify", audit,
      "Recompute the audit chain and compare it with the anchors outside the database", [&s](Context& ctx) {
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
