// The sync engine's endpoints (docs/sync-protocol.md, docs/api.md):
//   POST /api/v1/sync/push, GET /api/v1/sync/pull      till credential
//   GET  /api/v1/sync/health                            enrol_tills
//   GET  /api/v1/ops, /api/v1/ops/{id}, POST .../resolve|dismiss|retry
//                                                       resolve_attention
// The sync services are built here, once per registry, over the services'
// pool and grant service. Deliberately no SQL and no business rules here.
#include <httplib.h>

#include <charconv>

#include "http/routes.hpp"
#include "http/json_compression.hpp"
#include "salespider/shared/codec.hpp"
#include "service/services.hpp"
#include "service/sync_attention.hpp"
#include "service/sync_grants.hpp"
#include "service/sync_pull.hpp"
#include "service/sync_push.hpp"
#include "service/till_handover.hpp"

namespace salespider::http {
namespace {

std::optional<std::int64_t> header_int(const httplib::Request& req, const char* name, std::int64_t lo,
                                       std::int64_t hi) {
  const auto text = req.get_header_value(name);
  if (text.empty() || text.size() > 20) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < lo || v > hi) return std::nullopt;
  return v;
}

// What the till says about itself on every push and pull (all optional).
db::TillReport till_report(const httplib::Request& req, std::int64_t now, std::optional<std::int64_t>& till_clock) {
  db::TillReport r;
  if (auto d = header_int(req, "X-Till-Outbox-Depth", 0, 10'000'000)) r.outbox_depth = static_cast<int>(*d);
  if (auto age = header_int(req, "X-Till-Oldest-Op-Age-Ms", 0, kMaxTimestampMs)) r.oldest_op_age_ms = *age;
  auto version = req.get_header_value("X-Till-App-Version");
  if (version.size() <= 64) r.app_version = version;
  till_clock = till_clock_header(req);
  if (till_clock) r.clock_skew_ms = *till_clock - now;
  return r;
}

void send_text(Context& ctx, const std::string& json) {
  ctx.res.status = 200;
  ctx.res.set_content(json, "application/json");
  compress_json_answer(ctx.req, ctx.res);
}

// Shared/ codec errors: the wire code goes first in the message, so a till can
// act on it ("unsupported_protocol_version: ... this server speaks 1").
void send_codec_error(Context& ctx, const Error& e) {
  // The detail is shared/'s English text.
  ctx.send_error(ErrorCode::bad_request, N_("{code}: {detail}"),
                 {{"code", std::string(to_string(e.code))}, {"detail", e.context}});
}

nlohmann::json op_json(const db::OpInfo& o, bool detail) {
  nlohmann::json j = {{"op_id", o.op_id},
                      {"till_id", o.till_id},
                      {"till_code", o.till_code},
                      {"kind", o.kind},
                      {"status", o.status},
                      {"reject_code", o.reject_code},
                      {"reject_message", o.reject_message},
                      {"flags", o.flags},
                      {"user_id", o.user_id},
                      {"occurred_at", o.occurred_at},
                      {"received_at", o.received_at},
                      {"resolution", o.resolution},
                      {"resolution_note", o.resolution_note},
                      {"resolved_at", o.resolved_at},
                      {"resolved_by", o.resolved_by},
                      {"retried_at", o.retried_at}};
  if (detail) {
    j["payload"] = o.payload.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(o.payload, nullptr, false);
    j["result_message"] = o.result_message;
    nlohmann::json flags = nlohmann::json::array();
    for (const auto& f : o.flag_rows)
      flags.push_back({{"kind", f.kind},
                       {"detail", nlohmann::json::parse(f.detail, nullptr, false)},
                       {"sale_id", f.sale_id ? nlohmann::json(*f.sale_id) : nlohmann::json(nullptr)},
                       {"created_at", f.created_at}});
    j["flag_details"] = flags;
  }
  return j;
}

struct SyncServices {
  SyncServices(service::Services& s)
      : push(s.pool(), service::sync::grant_check(s.grants())),
        pull(s.pool()),
        attention(s.pool(), push),
        clock(s.clock()) {}
  service::sync::PushService push;
  service::sync::PullService pull;
  service::sync::AttentionService attention;
  const support::Clock& clock;  // the services' one clock (arrival times)
};

}  // namespace

std::optional<std::int64_t> till_clock_header(const httplib::Request& req) {
  return header_int(req, "X-Till-Time", 0, kMaxTimestampMs);
}

void register_sync_routes(RouteRegistry& r, service::Services& s) {
  auto sync = std::make_shared<SyncServices>(s);

  r.add("POST", "/api/v1/sync/push", Access::till(),
        "Push a batch of ops (protocol_version, till_id, ops): a result per op (applied, duplicate, rejected)",
        [sync](Context& ctx) {
          if (!is_json_content_type(ctx.req.get_header_value("Content-Type")))
            return ctx.send_error(ErrorCode::unsupported_media, N_("Content-Type must be application/json"));
          auto batch = decode_push_batch(ctx.req.body);
          if (!batch) return send_codec_error(ctx, batch.error());
          if (batch->till_id != ctx.till->till_id)
            return ctx.send_error(ErrorCode::forbidden, N_("till_id: this credential belongs to another till"));
          service::sync::PushContext pc;
          pc.now_ms = sync->clock.now_ms();
          pc.report = till_report(ctx.req, pc.now_ms, pc.till_clock_ms);
          auto response = sync->push.push(*ctx.till, *batch, pc, ctx.req.body);
          auto text = encode_push_response(response);
          if (!text) return ctx.send_error(ErrorCode::internal, N_("internal error"));
          send_text(ctx, *text);
        });

  // Hand-over (service/till_handover.hpp): a retired till's ops, unchanged,
  // pushed by the till its browser became after a manager re-enrolled it.
  r.add("POST", "/api/v1/sync/handover", Access::till(),
        "Push a retired till's ops (a push batch whose till_id is that till) with this till's credential; "
        "only for a till a manager enrolled after that one was retired",
        [sync, &s](Context& ctx) {
          if (!is_json_content_type(ctx.req.get_header_value("Content-Type")))
            return ctx.send_error(ErrorCode::unsupported_media, N_("Content-Type must be application/json"));
          auto batch = decode_push_batch(ctx.req.body);
          if (!batch) return send_codec_error(ctx, batch.error());
          service::sync::PushContext pc;
          pc.now_ms = sync->clock.now_ms();
          pc.report = till_report(ctx.req, pc.now_ms, pc.till_clock_ms);
          auto response = service::sync::push_handover(s.pool(), sync->push, *ctx.till, *batch, pc, ctx.req.body);
          if (!response) return ctx.send_failure(response.error());
          auto text = encode_push_response(*response);
          if (!text) return ctx.send_error(ErrorCode::internal, N_("internal error"));
          send_text(ctx, *text);
        });

  r.add("GET", "/api/v1/sync/pull", Access::till(),
        "Changed rows after ?cursor= (empty: bootstrap), ?limit= (1-1000, default 500), ?protocol_version=",
        [sync](Context& ctx) {
          const auto version_text = ctx.query("protocol_version");
          std::int64_t version = 0;
          auto [p, ec] = std::from_chars(version_text.data(), version_text.data() + version_text.size(), version);
          if (version_text.empty() || ec != std::errc() || p != version_text.data() + version_text.size() ||
              !is_accepted_protocol_version(version)) {
            std::string accepted;
            for (auto v : kAcceptedProtocolVersions) accepted += (accepted.empty() ? "" : ", ") + std::to_string(v);
            // The wire code stays first and untranslated: a till acts on it.
            if (version_text.empty())
              return ctx.send_error(ErrorCode::bad_request,
                                    N_("unsupported_protocol_version: protocol_version is missing; this server speaks "
                                       "{versions}"),
                                    {{"versions", accepted}});
            return ctx.send_error(ErrorCode::bad_request,
                                  N_("unsupported_protocol_version: protocol_version '{version}' is not supported; "
                                     "this server speaks {versions}"),
                                  {{"version", version_text.substr(0, 20)}, {"versions", accepted}});
          }
          int limit = service::sync::kDefaultPullLimit;
          const auto limit_text = ctx.query("limit");
          if (!limit_text.empty()) {
            auto [lp, lec] = std::from_chars(limit_text.data(), limit_text.data() + limit_text.size(), limit);
            if (lec != std::errc() || lp != limit_text.data() + limit_text.size())
              return ctx.send_error(ErrorCode::bad_request, N_("limit: an integer from 1 to 1000"));
          }
          std::optional<std::int64_t> till_clock;
          const auto report = till_report(ctx.req, sync->clock.now_ms(), till_clock);
          auto page = sync->pull.pull(*ctx.till, ctx.query("cursor"), limit, report);
          if (!page) return send_codec_error(ctx, page.error());
          auto text = encode_pull_page(*page);
          if (!text) return ctx.send_error(ErrorCode::internal, N_("internal error"));
          send_text(ctx, *text);
        });

  r.add("GET", "/api/v1/sync/health", Access::person(auth::Permission::enrol_tills),
        "Till health: last push and pull, outbox depth, oldest op, app version, clock skew, ops needing attention",
        [sync](Context& ctx) {
          nlohmann::json tills = nlohmann::json::array();
          for (const auto& h : sync->attention.till_health(ctx.user->store_id)) {
            tills.push_back({{"till_id", h.till_id},
                             {"name", h.name},
                             {"code", h.code},
                             {"status", h.status},
                             {"last_push_at", h.last_push_at},
                             {"last_pull_at", h.last_pull_at},
                             {"seconds_since_sync", h.seconds_since_sync},
                             {"outbox_depth", h.outbox_depth ? nlohmann::json(*h.outbox_depth) : nlohmann::json()},
                             {"oldest_op_age_ms",
                              h.oldest_op_age_ms ? nlohmann::json(*h.oldest_op_age_ms) : nlohmann::json()},
                             {"app_version", h.app_version},
                             {"clock_skew_ms", h.clock_skew_ms ? nlohmann::json(*h.clock_skew_ms) : nlohmann::json()},
                             {"highest_receipt_seq", h.highest_receipt_seq},
                             {"open_attention", h.open_attention}});
          }
          ctx.send_json(200, {{"tills", tills}});
        });

  const auto attention = Access::person(auth::Permission::resolve_attention);

  r.add("GET", "/api/v1/ops", attention,
        "Ops needing attention: ?state=open|rejected|flagged|resolved|all, ?till=, ?kind=, ?limit= (1-1000)",
        [sync](Context& ctx) {
          db::OpQuery q;
          if (auto v = ctx.query("state"); !v.empty()) q.state = v;
          q.till_id = ctx.query("till");
          q.kind = ctx.query("kind");
          if (auto v = ctx.query("limit"); !v.empty()) {
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), q.limit);
            if (ec != std::errc() || p != v.data() + v.size())
              return ctx.send_error(ErrorCode::bad_request, N_("limit: an integer from 1 to 1000"));
          }
          auto ops = sync->attention.list(ctx.user->store_id, q);
          if (!ops) return ctx.send_failure(ops.error());
          nlohmann::json list = nlohmann::json::array();
          for (const auto& o : *ops) list.push_back(op_json(o, false));
          ctx.send_json(200, {{"ops", list}});
        });

  r.add("GET", "/api/v1/ops/{id}", attention, "One op: envelope, payload, result, flags with details, resolution",
        [sync](Context& ctx) {
          auto op = sync->attention.show(ctx.user->store_id, ctx.param("id"));
          if (!op) return ctx.send_failure(op.error());
          ctx.send_json(200, op_json(*op, true));
        });

  for (const char* action : {"resolve", "dismiss"}) {
    const std::string resolution = std::string(action) == "resolve" ? "resolved" : "dismissed";
    r.add("POST", std::string("/api/v1/ops/{id}/") + action, attention,
          resolution == "resolved" ? "Mark an op handled (note?); audited" : "Dismiss an op: nothing to do (note?); audited",
          [sync, resolution](Context& ctx) {
            std::string note;
            if (!ctx.req.body.empty()) {
              auto body = ctx.json_body();
              if (!body) return;
              if (auto it = body->find("note"); it != body->end()) {
                if (!it->is_string()) return ctx.send_error(ErrorCode::bad_request, N_("note: expected a string"));
                note = it->get<std::string>();
              }
            }
            auto op = sync->attention.close(ctx.user->store_id, ctx.param("id"), resolution, note, ctx.actor());
            if (!op) return ctx.send_failure(op.error());
            ctx.send_json(200, op_json(*op, false));
          });
  }

  r.add("POST", "/api/v1/ops/{id}/retry", attention,
        "Record a rejected op again through the push path; answers its new result; audited", [sync](Context& ctx) {
          auto result = sync->attention.retry(ctx.user->store_id, ctx.param("id"), ctx.actor(), sync->clock.now_ms());
          if (!result) return ctx.send_failure(result.error());
          ctx.send_json(200, {{"op_id", result->op_id},
                              {"status", std::string(to_string(result->status))},
                              {"code", result->code},
                              {"message", result->message}});
        });
}

}  // namespace salespider::http
