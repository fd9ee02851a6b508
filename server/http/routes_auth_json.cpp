// See routes_auth_json.hpp.
#include "http/routes_auth_json.hpp"

namespace salespider::http {
namespace {
nlohmann::json opt(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
}  // namespace

bool read_string(Context& ctx, const nlohmann::json& body, const char* name, std::string& out) {
  if (!body.contains(name) || !body[name].is_string()) {
    ctx.send_failure(
        service::fail(service::Problem::bad_request, "{field} is required (a string)", name, {{"field", name}}));
    return false;
  }
  out = body[name].get<std::string>();
  return true;
}

bool read_optional(Context& ctx, const nlohmann::json& body, const char* name,
                   std::optional<std::string>& out) {
  if (!body.contains(name) || body[name].is_null()) return true;
  if (!body[name].is_string()) {
    ctx.send_failure(
        service::fail(service::Problem::bad_request, "{field} must be a string", name, {{"field", name}}));
    return false;
  }
  out = body[name].get<std::string>();
  return true;
}

bool read_nullable(Context& ctx, const nlohmann::json& body, const char* name,
                   std::optional<std::optional<std::string>>& out) {
  if (!body.contains(name)) return true;
  if (body[name].is_null()) {
    out = std::optional<std::string>();
    return true;
  }
  if (!body[name].is_string()) {
    ctx.send_failure(
        service::fail(service::Problem::bad_request, "{field} must be a string or null", name, {{"field", name}}));
    return false;
  }
  out = std::optional<std::string>(body[name].get<std::string>());
  return true;
}

bool read_role(Context& ctx, const nlohmann::json& body, const char* name, auth::Role& out) {
  std::string text;
  if (!read_string(ctx, body, name, text)) return false;
  const auto role = auth::role_from_string(text);
  if (!role) {
    ctx.send_failure(
        service::fail(service::Problem::invalid, "role must be super_admin, manager or cashier", name));
    return false;
  }
  out = *role;
  return true;
}

nlohmann::json user_json(const service::UserView& u) {
  return {{"id", u.id},
          {"email", opt(u.email)},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", std::string(auth::to_string(u.role))},
          {"status", u.status},
          {"has_pin", u.has_pin},
          {"locked_until", opt(u.locked_until)},
          {"created_at", u.created_at},
          {"updated_at", u.updated_at}};
}

nlohmann::json principal_json(const auth::UserPrincipal& p) {
  nlohmann::json perms = nlohmann::json::array();
  for (auto x : auth::permissions_of(p.role)) perms.push_back(std::string(auth::to_string(x)));
  return {{"id", p.user_id},
          {"username", p.username},
          {"display_name", p.display_name},
          {"role", std::string(auth::to_string(p.role))},
          {"permissions", perms},
          {"limits", {{"max_discount_percent", auth::limits_of(p.role).max_discount_percent}}},
          {"till_id", opt(p.till_id)}};
}

nlohmann::json session_json(const service::SessionInfo& s) {
  return {{"id", s.id},
          {"user_id", s.user_id},
          {"username", s.username},
          {"till_id", opt(s.till_id)},
          {"created_at", s.created_at},
          {"last_seen_at", s.last_seen_at},
          {"expires_at", s.expires_at},
          {"revoked_at", opt(s.revoked_at)},
          {"client_ip", opt(s.client_ip)},
          {"user_agent", s.user_agent},
          {"active", s.active}};
}

nlohmann::json till_json(const service::TillInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"code", t.code},
          {"status", t.status},
          {"enrolled_at", t.enrolled_at},
          {"enrolled_by", opt(t.enrolled_by)},
          {"retired_at", opt(t.retired_at)},
          {"last_seen_at", opt(t.last_seen_at)},
          {"highest_receipt_seq", t.highest_receipt_seq}};
}

void answer(Context& ctx, const service::Completion& c) {
  if (!c) {
    ctx.send_failure(c.error());
    return;
  }
  ctx.send_json(200, {{"ok", true}});
}

}  // namespace salespider::http
