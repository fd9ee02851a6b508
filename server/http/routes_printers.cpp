// Network receipt printers and the "no sale" drawer open (docs/api.md
// "Printers", docs/printers.md):
//   GET    /api/v1/printers              whoever may sell (the till's printer picker)
//   POST   /api/v1/printers              manage_settings
//   PUT    /api/v1/printers/{id}         manage_settings (row_version; every field)
//   DELETE /api/v1/printers/{id}         manage_settings (?row_version=N)
//   POST   /api/v1/printers/{id}/print   whoever may sell: the body is the ESC/POS bytes
//   POST   /api/v1/drawer/no-sale        open_drawer: records the open, audited
//
// Bodies are read strictly (an unknown field or a wrong type is a 400 naming
// it); what the values may be is the service's business (422). The print
// body is opaque bytes (application/octet-stream, at most
// service::kMaxPrintBytes). Deliberately nothing of sockets here.
#include <charconv>
#include <httplib.h>
#include <set>

#include "http/routes.hpp"
#include "service/services.hpp"

namespace salespider::http {
namespace {

using nlohmann::json;

service::Failure bad(const std::string& field, const char* why) {
  return service::fail(service::Problem::bad_request, why, field, {{"field", field}});
}

// The fields of a printer body; false when the request was answered 400.
bool read_printer(Context& ctx, const json& body, bool with_version, service::PrinterInput& in,
                  std::int64_t& row_version) {
  std::set<std::string> known{"name", "host", "port", "paper_mm", "code_page", "enabled"};
  if (with_version) known.insert("row_version");
  for (const auto& [key, value] : body.items()) {
    if (known.count(key) == 0) {
      ctx.send_failure(bad(key, "{field}: unknown field"));
      return false;
    }
  }
  for (const char* name : {"name", "host"}) {
    if (!body.contains(name)) {
      ctx.send_failure(bad(name, "{field}: required (a string)"));
      return false;
    }
  }
  for (const char* name : {"name", "host", "code_page"}) {
    if (body.contains(name) && !body[name].is_string()) {
      ctx.send_failure(bad(name, "{field}: must be a string"));
      return false;
    }
  }
  for (const char* name : {"port", "paper_mm", "row_version"}) {
    if (body.contains(name) && !body[name].is_number_integer()) {
      ctx.send_failure(bad(name, "{field}: must be an integer"));
      return false;
    }
  }
  if (body.contains("enabled") && !body["enabled"].is_boolean()) {
    ctx.send_failure(bad("enabled", "{field}: must be true or false"));
    return false;
  }
  if (with_version && !body.contains("row_version")) {
    ctx.send_failure(bad("row_version", "{field}: required (an integer)"));
    return false;
  }
  in.name = body["name"].get<std::string>();
  in.host = body["host"].get<std::string>();
  // An integer out of int's range is out of the field's range too.
  auto small = [](const json& v) {
    const auto n = v.get<std::int64_t>();
    return n < -1'000'000 || n > 1'000'000 ? -1 : static_cast<int>(n);
  };
  if (body.contains("port")) in.port = small(body["port"]);
  if (body.contains("paper_mm")) in.paper_mm = small(body["paper_mm"]);
  if (body.contains("code_page")) in.code_page = body["code_page"].get<std::string>();
  if (body.contains("enabled")) in.enabled = body["enabled"].get<bool>();
  if (with_version) row_version = body["row_version"].get<std::int64_t>();
  return true;
}

template <class T, class ToJson>
void answer(Context& ctx, int status, const service::Outcome<T>& out, ToJson to_json) {
  if (!out) return ctx.send_failure(out.error());
  ctx.send_json(status, to_json(*out));
}

bool is_octet_stream(const std::string& content_type) {
  const auto semi = content_type.find(';');
  std::string type = content_type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type == "application/octet-stream";
}

}  // namespace

void register_printer_routes(RouteRegistry& r, service::Services& s) {
  const auto settings = Access::person(auth::Permission::manage_settings);
  const auto sell = Access::person(auth::Permission::sell);

  r.add("GET", "/api/v1/printers", sell, "The store's network receipt printers (the till's picker)",
        [&s](Context& ctx) {
          json list = json::array();
          for (const auto& p : s.printers().list(ctx.user->store_id)) list.push_back(service::printer_json(p));
          ctx.send_json(200, {{"printers", std::move(list)}});
        });

  r.add("POST", "/api/v1/printers", settings,
        "Add a network printer (name, host, port?, paper_mm?, code_page?, enabled?)", [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          service::PrinterInput in;
          std::int64_t unused = 0;
          if (!read_printer(ctx, *body, false, in, unused)) return;
          answer(ctx, 201, s.printers().create(ctx.user->store_id, in, ctx.actor()), service::printer_json);
        });

  r.add("PUT", "/api/v1/printers/{id}", settings,
        "Replace a printer's settings (row_version, name, host, port?, paper_mm?, code_page?, enabled?)",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          service::PrinterInput in;
          std::int64_t version = 0;
          if (!read_printer(ctx, *body, true, in, version)) return;
          answer(ctx, 200, s.printers().replace(ctx.user->store_id, ctx.param("id"), version, in, ctx.actor()),
                 service::printer_json);
        });

  r.add("DELETE", "/api/v1/printers/{id}", settings, "Remove a printer (?row_version=N)", [&s](Context& ctx) {
    for (const auto& [name, value] : ctx.req.params)
      if (name != "row_version")
        return ctx.send_failure(bad(name, "{field}: unknown query parameter (known: row_version)"));
    const auto text = ctx.query("row_version");
    std::int64_t version = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
      return ctx.send_failure(bad("row_version", "{field}: required (?row_version=N, an integer)"));
    const auto done = s.printers().remove(ctx.user->store_id, ctx.param("id"), version, ctx.actor());
    if (!done) return ctx.send_failure(done.error());
    ctx.send_json(200, {{"ok", true}});
  });

  r.add("POST", "/api/v1/printers/{id}/print", sell,
        "Send raw ESC/POS bytes (application/octet-stream, up to 1 MiB) to a configured printer",
        [&s](Context& ctx) {
          // The target is the printer the id names, nothing else: a request
          // that tries to say more (?host=) is refused, not half-read.
          for (const auto& [name, value] : ctx.req.params)
            return ctx.send_failure(bad(name, "{field}: unknown query parameter (a print takes none)"));
          if (!is_octet_stream(ctx.req.get_header_value("Content-Type")))
            return ctx.send_error(ErrorCode::unsupported_media,
                                  N_("the body must be the printer's bytes (Content-Type: application/octet-stream)"));
          // The server's body limit is 1 MiB too, but it is configurable.
          if (ctx.req.body.size() > service::kMaxPrintBytes)
            return ctx.send_error(ErrorCode::payload_too_large, N_("a print job is at most {bytes} bytes"),
                                  {{"bytes", std::to_string(service::kMaxPrintBytes)}});
          if (ctx.req.body.empty()) return ctx.send_error(ErrorCode::bad_request, N_("nothing to print: the body is empty"));
          const auto done = s.printers().print(ctx.user->store_id, ctx.param("id"), ctx.req.body, ctx.request_id);
          if (!done) return ctx.send_failure(done.error());
          ctx.send_json(200, {{"bytes", done->bytes}});
        });

  r.add("POST", "/api/v1/drawer/no-sale", Access::person(auth::Permission::open_drawer),
        "Record a \"no sale\" cash drawer open (id made by the till, reason?), audited; a retry is recorded once",
        [&s](Context& ctx) {
          auto body = ctx.json_body();
          if (!body) return;
          for (const auto& [key, value] : body->items())
            if (key != "id" && key != "reason") return ctx.send_failure(bad(key, "{field}: unknown field"));
          if (!body->contains("id") || !(*body)["id"].is_string())
            return ctx.send_failure(bad("id", "{field}: required (a string)"));
          if (body->contains("reason") && !(*body)["reason"].is_string())
            return ctx.send_failure(bad("reason", "{field}: must be a string"));
          service::DrawerOpenRequest request{(*body)["id"].get<std::string>(), body->value("reason", "")};
          const auto done = s.printers().record_drawer_open(ctx.user->store_id, request, ctx.actor());
          if (!done) return ctx.send_failure(done.error());
          const auto& open = done->open;
          ctx.send_json(done->recorded_now ? 201 : 200,
                        {{"id", open.id},
                         {"till_id", open.till_id ? json(*open.till_id) : json(nullptr)},
                         {"user_id", open.user_id},
                         {"reason", open.reason},
                         {"opened_at", done->opened_at},
                         {"duplicate", !done->recorded_now}});
        });
}

}  // namespace salespider::http
