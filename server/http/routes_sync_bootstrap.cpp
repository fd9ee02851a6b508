// The compact catalog bootstrap (docs/sync-protocol.md "Bootstrap in parts",
// docs/api.md), till credential:
//   GET /api/v1/sync/bootstrap?protocol_version=1[&part_rows=]   the plan (JSON)
//   GET /api/v1/sync/bootstrap/part?protocol_version=1&after=&upto=
//                                                               products, TSV
// Both gzip at level 1. Deliberately no SQL and no business rules here.
#include <httplib.h>

#include <charconv>

#include "http/json_compression.hpp"
#include "http/routes.hpp"
#include "salespider/shared/codec.hpp"
#include "service/services.hpp"
#include "service/sync_bootstrap.hpp"

namespace salespider::http {
namespace {

// The same answer as the pull's for a protocol version this server does not speak.
bool version_refused(Context& ctx) {
  const auto text = ctx.query("protocol_version");
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!text.empty() && ec == std::errc() && p == text.data() + text.size() && is_accepted_protocol_version(v))
    return false;
  std::string accepted;
  for (auto a : kAcceptedProtocolVersions) accepted += (accepted.empty() ? "" : ", ") + std::to_string(a);
  if (text.empty())
    ctx.send_error(ErrorCode::bad_request,
                   N_("unsupported_protocol_version: protocol_version is missing; this server speaks {versions}"),
                   {{"versions", accepted}});
  else
    ctx.send_error(ErrorCode::bad_request,
                   N_("unsupported_protocol_version: protocol_version '{version}' is not supported; "
                      "this server speaks {versions}"),
                   {{"version", text.substr(0, 20)}, {"versions", accepted}});
  return true;
}

void send_failure_text(Context& ctx, const Error& e) {
  ctx.send_error(ErrorCode::bad_request, N_("{code}: {detail}"),
                 {{"code", std::string(to_string(e.code))}, {"detail", e.context}});
}

}  // namespace

void register_sync_bootstrap_routes(RouteRegistry& r, service::Services& s) {
  auto boot = std::make_shared<service::sync::BootstrapService>(s.pool());

  r.add("GET", "/api/v1/sync/bootstrap", Access::till(),
        "A new till's catalog plan: the small entities, the feed cursor to continue from, the product parts "
        "(?part_rows= 100-20000, default 5000; ?protocol_version=)",
        [boot](Context& ctx) {
          if (version_refused(ctx)) return;
          int part_rows = service::sync::kDefaultPartRows;
          const auto rows_text = ctx.query("part_rows");
          if (!rows_text.empty()) {
            auto [p, ec] = std::from_chars(rows_text.data(), rows_text.data() + rows_text.size(), part_rows);
            if (ec != std::errc() || p != rows_text.data() + rows_text.size()) part_rows = 0;
          }
          auto plan = boot->plan(*ctx.till, part_rows);
          if (!plan) return send_failure_text(ctx, plan.error());
          auto small = encode_pull_page(plan->small);
          if (!small) return ctx.send_error(ErrorCode::internal, N_("internal error"));
          nlohmann::json parts = nlohmann::json::array();
          for (const auto& [after, upto] : plan->parts) parts.push_back({after, upto});
          const nlohmann::json body = {{"protocol_version", kProtocolVersion},
                                       {"cursor", plan->cursor},
                                       {"products", plan->products},
                                       {"parts", parts},
                                       {"page", nlohmann::json::parse(*small)}};
          ctx.res.status = 200;
          ctx.res.set_content(body.dump(), "application/json");
          compress_json_answer(ctx.req, ctx.res);
        });

  r.add("GET", "/api/v1/sync/bootstrap/part", Access::till(),
        "Products (after, upto] of a bootstrap plan with barcodes and stock level, tab-separated "
        "(?after=, ?upto=, ?protocol_version=)",
        [boot](Context& ctx) {
          if (version_refused(ctx)) return;
          auto text = boot->part(*ctx.till, ctx.query("after"), ctx.query("upto"));
          if (!text) return send_failure_text(ctx, text.error());
          ctx.res.status = 200;
          ctx.res.set_content(std::move(*text), "text/tab-separated-values; charset=utf-8");
          compress_answer(ctx.req, ctx.res);
        });
}

}  // namespace salespider::http
