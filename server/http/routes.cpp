// The route registry, the auth middleware and the health endpoint. See routes.hpp.
#include "http/routes.hpp"
#include "http/json_compression.hpp"

#include <httplib.h>

#include <cassert>
#include <regex>
#include <set>

#include "log/log.hpp"
#include "service/health.hpp"
#include "service/unavailable.hpp"

namespace salespider::http {
namespace {

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

struct Pattern {
  std::string regex;
  std::vector<std::string> names;
};

// "/api/v1/users/{id}" -> "/api/v1/users/([^/]+)" and ["id"].
Pattern compile(const std::string& path) {
  Pattern p;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '{') {
      const auto end = path.find('}', i);
      assert(end != std::string::npos && "unclosed { in a route path");
      p.names.push_back(path.substr(i + 1, end - i - 1));
      p.regex += "([^/]+)";
      i = end + 1;
      continue;
    }
    if (std::string_view(".^$|()[]*+?\\").find(path[i]) != std::string_view::npos) p.regex += '\\';
    p.regex += path[i];
    ++i;
  }
  return p;
}

ErrorCode code_for(service::Problem p) {
  switch (p) {
    case service::Problem::invalid:
      return ErrorCode::invalid;
    case service::Problem::bad_request:
      return ErrorCode::bad_request;
    case service::Problem::not_found:
      return ErrorCode::not_found;
    case service::Problem::conflict:
      return ErrorCode::conflict;
    case service::Problem::forbidden:
      return ErrorCode::forbidden;
    case service::Problem::unauthenticated:
      return ErrorCode::unauthenticated;
    case service::Problem::rate_limited:
      return ErrorCode::rate_limited;
    case service::Problem::printer_disabled:
      return ErrorCode::printer_disabled;
    case service::Problem::printer_unreachable:
      return ErrorCode::printer_unreachable;
    case service::Problem::printer_timeout:
      return ErrorCode::printer_timeout;
  }
  return ErrorCode::internal;
}

void deny(Context& ctx, ErrorCode code, const char* message, const std::vector<i18n::Arg>& args = {}) {
  if (code == ErrorCode::unauthenticated) ctx.res.set_header("WWW-Authenticate", "Bearer");
  ctx.send_error(code, message, args);
}


// Every query value and {name} segment of every route, checked before any
// handler reads one; also each query name at most once (which of two
// `limit=` counts would otherwise be cpp-httplib's pick). False when
// answered 400.
bool parameters_are_sane(Context& ctx) {
  for (auto it = ctx.req.params.begin(); it != ctx.req.params.end(); ++it) {
    const bool named = is_clean_text(it->first);
    if (!named || !is_clean_text(it->second)) {
      ctx.send_failure(service::fail(service::Problem::bad_request,
                                     "query parameter {name}: not valid UTF-8 text",
                                     named ? it->first : std::string(),
                                     {{"name", named ? it->first : std::string("name")}}));
      return false;
    }
    if (ctx.req.params.count(it->first) > 1) {
      ctx.send_failure(service::fail(service::Problem::bad_request, "query parameter {name}: given more than once",
                                     it->first, {{"name", it->first}}));
      return false;
    }
  }
  for (const auto& [name, value] : ctx.params) {
    if (!is_clean_text(value)) {
      ctx.send_failure(
          service::fail(service::Problem::bad_request, "{field}: not valid UTF-8 text", name, {{"field", name}}));
      return false;
    }
  }
  return true;
}

// Resolves the principal the route needs; false when the request was denied.
bool admit(Context& ctx, const Route& route, const Authenticator& auth) {
  if (route.access.kind == AccessKind::open) return true;
  const auto token = ctx.bearer();
  const bool session_token = starts_with(token, auth::kSessionTokenPrefix);
  const bool till_token = starts_with(token, auth::kTillCredentialPrefix);
  if (route.access.kind == AccessKind::person) {
    if (token.empty()) {
      deny(ctx, ErrorCode::unauthenticated, N_("sign in first"));
      return false;
    }
    if (till_token) {
      deny(ctx, ErrorCode::forbidden, N_("this endpoint needs a person's session, not a till credential"));
      return false;
    }
    if (session_token && auth.person) ctx.user = auth.person(token, ctx.client_ip);
    if (!ctx.user) {
      deny(ctx, ErrorCode::unauthenticated, N_("the session has expired or was ended; sign in again"));
      return false;
    }
    if (route.access.permission && !auth::role_has(ctx.user->role, *route.access.permission)) {
      // The role is a name of the API (owner, manager, cashier); the action is a catalogue entry.
      deny(ctx, ErrorCode::forbidden, N_("the role {role} may not {action}"),
           {{"role", std::string(auth::to_string(ctx.user->role))},
            {"action", i18n::translate(ctx.language(), auth::describe(*route.access.permission).data())}});
      return false;
    }
    if (ctx.user->pin_session && !route.access.admits_pin_session()) {
      deny(ctx, ErrorCode::forbidden,
           N_("signed in with a PIN: only till actions; sign in with the password for this"));
      return false;
    }
    return true;
  }
  if (token.empty()) {
    deny(ctx, ErrorCode::unauthenticated, N_("this endpoint needs a till credential"));
    return false;
  }
  if (session_token) {
    deny(ctx, ErrorCode::forbidden, N_("this endpoint needs a till credential, not a person's session"));
    return false;
  }
  if (till_token && auth.till) ctx.till = auth.till(token);
  if (!ctx.till) {
    deny(ctx, ErrorCode::unauthenticated, N_("unknown or retired till credential; enrol this device again"));
    return false;
  }
  return true;
}

}  // namespace

bool Access::admits_pin_session() const {
  return pin_sessions || (permission && auth::allowed_in_pin_session(*permission));
}

std::string Access::describe() const {
  switch (kind) {
    case AccessKind::open:
      return "public";
    case AccessKind::person:
      return permission ? "permission `" + std::string(auth::to_string(*permission)) + "`" : "signed in";
    case AccessKind::till:
      return "till credential";
  }
  return "public";
}

const std::string& Context::param(const std::string& name) const {
  static const std::string kEmpty;
  const auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

std::string Context::query(const std::string& name) const {
  return req.has_param(name.c_str()) ? req.get_param_value(name.c_str()) : std::string();
}

std::string Context::bearer() const {
  const auto header = req.get_header_value("Authorization");
  if (header.size() > 7 && (header.compare(0, 7, "Bearer ") == 0 || header.compare(0, 7, "bearer ") == 0)) {
    auto token = header.substr(7);
    while (!token.empty() && token.front() == ' ') token.erase(token.begin());
    while (!token.empty() && token.back() == ' ') token.pop_back();
    return token;
  }
  return {};
}

auth::Actor Context::actor() const {
  auth::Actor a;
  if (user) a.user_id = user->user_id;
  if (till) a.till_id = till->till_id;
  if (!till && user && user->till_id) a.till_id = user->till_id;
  a.request_id = request_id;
  a.client_ip = client_ip;
  a.via = "http";
  return a;
}

std::optional<nlohmann::json> Context::json_body(JsonLimits limits) {
  auto body = parse_json_body(req, limits);
  if (!body.ok()) {
    send_body_error(req, res, *body.error, request_id);
    return std::nullopt;
  }
  if (!body.value.is_object()) {
    send_error(ErrorCode::bad_request, N_("the body must be a JSON object"));
    return std::nullopt;
  }
  return std::move(body.value);
}

void Context::send_json(int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
  compress_json_answer(req, res);
}

std::string Context::language() const { return request_language(req); }

void Context::send_error(ErrorCode code, const std::string& message, const std::vector<i18n::Arg>& args) {
  http::send_error(res, code, translated(language(), message, args), request_id);
}

void Context::send_failure(const service::Failure& failure) {
  if (failure.field.empty() && !failure.detail.is_object()) {
    send_error(code_for(failure.problem), failure.message, failure.args);
    return;
  }
  // The generic body plus the field at fault (for forms) and the detail
  // (a stale write's current row).
  res.status = status_for(code_for(failure.problem));
  const auto message = translated(language(), failure.message, failure.args);
  auto body = nlohmann::json::parse(error_body(code_for(failure.problem), message, request_id));
  if (!failure.field.empty()) body["error"]["field"] = failure.field;
  if (failure.detail.is_object())
    for (const auto& [key, value] : failure.detail.items())
      if (!body["error"].contains(key)) body["error"][key] = value;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
  compress_json_answer(req, res);
}

void RouteRegistry::add(std::string method, std::string path, Access access, std::string summary,
                        Handler handler) {
  static const std::set<std::string> kMethods{"GET", "POST", "PUT", "PATCH", "DELETE"};
  assert(kMethods.count(method) == 1 && "unsupported method");
  assert(path.rfind("/api/", 0) == 0 && "API routes live under /api/");
  for ([[maybe_unused]] const auto& r : routes_)
    assert(!(r.method == method && r.path == path) && "route added twice");
  routes_.push_back(
      Route{std::move(method), std::move(path), access, std::move(summary), std::move(handler)});
}

void RouteRegistry::allow_large_body(const std::string& method, const std::string& path, std::size_t max_bytes) {
  for (auto& r : routes_) {
    if (r.method == method && r.path == path) {
      assert(path.find('{') == std::string::npos && "the gate matches large-body routes literally");
      r.max_body_bytes = max_bytes;
      return;
    }
  }
  assert(false && "allow_large_body for a route not added");
}

void mount(std::shared_ptr<const RouteRegistry> registry, Authenticator authenticator,
           httplib::Server& server) {
  auto auth = std::make_shared<const Authenticator>(std::move(authenticator));
  for (std::size_t i = 0; i < registry->routes().size(); ++i) {
    const auto& route = registry->routes()[i];
    const auto pattern = compile(route.path);
    httplib::Server::Handler handler = [registry, auth, i, names = pattern.names](const httplib::Request& req,
                                                                                  httplib::Response& res) {
      const Route& r = registry->routes()[i];
      Context ctx{req,          res,         res.get_header_value("X-Request-Id"), req.remote_addr, {},
                  std::nullopt, std::nullopt};
      for (std::size_t k = 0; k < names.size() && k + 1 < req.matches.size(); ++k) {
        ctx.params[names[k]] = req.matches[k + 1].str();
      }
      try {
        if (!admit(ctx, r, *auth) || !parameters_are_sane(ctx)) return;
        r.handler(ctx);
      } catch (...) {
        // Database outages: 503 + Retry-After (http/errors.cpp); anything else is a bug.
        if (!send_database_outage(ctx.req, ctx.res, std::current_exception(), ctx.request_id)) throw;
      }
    };
    if (route.method == "GET")
      server.Get(pattern.regex, handler);
    else if (route.method == "POST")
      server.Post(pattern.regex, handler);
    else if (route.method == "PUT")
      server.Put(pattern.regex, handler);
    else if (route.method == "PATCH")
      server.Patch(pattern.regex, handler);
    else if (route.method == "DELETE")
      server.Delete(pattern.regex, handler);
  }
}

void register_health_routes(RouteRegistry& registry) {
  registry.add("GET", "/api/v1/health", Access::open(), "Server and database health (503 when degraded)",
               [](Context& ctx) {
                 const auto health = service::current_health();
                 ctx.send_json(
                     health.ok() ? 200 : 503,
                     {{"status", health.ok() ? "ok" : "degraded"},
                      {"version", health.version},
                      {"database", {{"state", health.database.state}, {"detail", health.database.detail}}}});
               });
}

std::string routes_markdown(const RouteRegistry& registry) {
  std::string out = "| method | path | access | what |\n| --- | --- | --- | --- |\n";
  for (const auto& r : registry.routes()) {
    out += "| " + r.method + " | `" + r.path + "` | " + r.access.describe() + " | " + r.summary + " |\n";
  }
  return out;
}

}  // namespace salespider::http
