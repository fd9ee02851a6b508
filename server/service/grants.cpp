// See grants.hpp.
#include "service/grants.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "db/grants.hpp"
#include "db/sessions.hpp"
#include "salespider/shared/ids.hpp"
#include "service/audit_entry.hpp"

namespace salespider::service {
namespace {

constexpr std::size_t kMaxGrantBytes = 8 * 1024;

std::string new_uuid_v4() {
  auto b = auth::random_bytes(16);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0F) | 0x40);
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3F) | 0x80);
  const auto hex = auth::to_hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

void flag(GrantCheck& c, const char* name) {
  if (!c.has(name)) c.flags.emplace_back(name);
}

}  // namespace

bool GrantCheck::has(const std::string& f) const {
  return std::find(flags.begin(), flags.end(), f) != flags.end();
}

bool GrantCheck::permits(auth::Permission p) const {
  return valid && std::find(permissions.begin(), permissions.end(), p) != permissions.end();
}

GrantCheck check_grant_token(const std::string& public_key_raw, const std::string& token,
                             const std::string& till_id, std::int64_t op_time_ms) {
  GrantCheck c;
  const auto dot = token.find('.');
  if (token.size() > kMaxGrantBytes || dot == std::string::npos ||
      token.find('.', dot + 1) != std::string::npos) {
    flag(c, grant_flag::malformed);
    return c;
  }
  const auto payload_text = auth::base64url_decode(std::string_view(token).substr(0, dot));
  const auto signature = auth::base64url_decode(std::string_view(token).substr(dot + 1));
  if (!payload_text || !signature) {
    flag(c, grant_flag::malformed);
    return c;
  }
  if (!auth::verify_ed25519(public_key_raw, std::string_view(token).substr(0, dot), *signature)) {
    flag(c, grant_flag::bad_signature);
    return c;
  }
  const auto payload = nlohmann::json::parse(*payload_text, nullptr, false);
  const auto str = [&](const char* k) {
    return payload.contains(k) && payload[k].is_string() ? payload[k].get<std::string>() : std::string();
  };
  const auto num = [&](const char* k) -> std::int64_t {
    return payload.contains(k) && payload[k].is_number_integer() ? payload[k].get<std::int64_t>() : 0;
  };
  if (!payload.is_object() || num("v") != 1 || str("gid").empty() || str("sub").empty() ||
      str("till").empty() || !payload.contains("perms") || !payload["perms"].is_array()) {
    // Signed by us but not a shape we issue: treat as malformed, trust nothing in it.
    flag(c, grant_flag::malformed);
    return c;
  }
  c.valid = true;
  c.grant_id = str("gid");
  c.store_id = str("store");
  c.till_id = str("till");
  c.user_id = str("sub");
  c.username = str("username");
  c.role = auth::role_from_string(str("role"));
  for (const auto& p : payload["perms"]) {
    if (!p.is_string()) continue;
    if (auto perm = auth::permission_from_string(p.get<std::string>())) c.permissions.push_back(*perm);
  }
  if (payload.contains("limits") && payload["limits"].is_object() &&
      payload["limits"].value("max_discount_percent", nlohmann::json()).is_number_integer()) {
    c.limits.max_discount_percent = payload["limits"]["max_discount_percent"].get<int>();
  }
  c.issued_at_ms = num("iat");
  c.expires_at_ms = num("exp");
  if (c.till_id != till_id) flag(c, grant_flag::wrong_till);
  if (op_time_ms >= c.expires_at_ms) flag(c, grant_flag::expired);
  // A little slack for a till clock slightly behind the server's.
  if (op_time_ms < c.issued_at_ms - 5 * 60 * 1000) flag(c, grant_flag::not_yet_valid);
  return c;
}

GrantService::GrantService(db::Pool& pool, std::shared_ptr<const auth::SigningKey> key)
    : pool_(pool), key_(std::move(key)), public_key_raw_(key_->public_key_raw()) {}

IssuedGrant GrantService::issue(const auth::UserPrincipal& user, const auth::TillPrincipal& till,
                                std::int64_t now_ms, int hours) {
  IssuedGrant g;
  g.grant_id = new_uuid_v4();
  g.expires_at_ms = now_ms + static_cast<std::int64_t>(hours) * 3600 * 1000;
  nlohmann::json perms = nlohmann::json::array();
  for (auto p : auth::permissions_of(user.role)) perms.push_back(std::string(auth::to_string(p)));
  const nlohmann::json payload = {
      {"v", 1},
      {"gid", g.grant_id},
      {"store", user.store_id},
      {"till", till.till_id},
      {"sub", user.user_id},
      {"username", user.username},
      {"name", user.display_name},
      {"role", std::string(auth::to_string(user.role))},
      {"perms", perms},
      {"limits", {{"max_discount_percent", auth::limits_of(user.role).max_discount_percent}}},
      {"iat", now_ms},
      {"exp", g.expires_at_ms},
  };
  const auto head =
      auth::base64url_encode(payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  g.token = head + "." + auth::base64url_encode(key_->sign(head));
  return g;
}

GrantCheck GrantService::verify_grant(const std::string& token, const std::string& till_id,
                                      std::int64_t op_time_ms, std::int64_t /*now_ms*/) {
  auto c = check_grant_token(public_key_raw_, token, till_id, op_time_ms);
  if (!c.valid || !parse_uuid(c.grant_id)) return c;
  const auto state = db::grant_state(pool_, c.grant_id);
  if (!state) {
    flag(c, grant_flag::unknown_grant);
    return c;
  }
  // Revoked grants are flagged for ops the till says it made at or after
  // the revocation; earlier ops were made while the grant was good.
  c.revoked_at_ms = state->revoked_at_ms;
  if (state->revoked_at_ms && op_time_ms >= *state->revoked_at_ms) flag(c, grant_flag::revoked);
  if (state->user_status != "active") flag(c, grant_flag::user_disabled);
  return c;
}

std::vector<std::string> GrantService::revoked_for_till(const std::string& till_id, std::int64_t now_ms) {
  return db::revoked_unexpired_grants(pool_, till_id, now_ms);
}

Completion GrantService::revoke(const std::string& store_id, const std::string& grant_id,
                                const auth::Actor& actor, std::optional<auth::Role> acting_as) {
  if (!parse_uuid(grant_id)) return fail(Problem::not_found, "no such grant");
  if (acting_as) {
    const auto owner = db::grant_owner(pool_, store_id, grant_id);
    if (!owner) return fail(Problem::not_found, "no such unrevoked grant");
    const auto role = auth::role_from_string(owner->role);
    if (owner->user_id != actor.user_id && !(role && auth::may_manage(*acting_as, *role))) {
      return fail(Problem::forbidden, "only the person or someone ranked above them may revoke their grants");
    }
  }
  db::AuditEntry audit;
  audit.store_id = store_id;
  audit.actor = audit_actor(actor);
  audit.action = "grant.revoke";
  if (!db::revoke_grant(pool_, store_id, grant_id, "by_hand", audit)) {
    return fail(Problem::not_found, "no such unrevoked grant");
  }
  return Done{};
}

}  // namespace salespider::service
