// Parsing the server's sign-in answers and keeping local accounts. JSON is
// read without exceptions (the wasm build has none): every field is type-
// checked before it is read, and anything unexpected is "not understood".
#include "auth/accounts.hpp"

#include "json/fields.hpp"

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cctype>
#include <utility>

namespace salespider::auth {

namespace {

using json = jsonio::Json;

// Sign-in answers and the till's own records are a few KB.
constexpr std::size_t kMaxRecordBytes = 4 * 1024 * 1024;

std::optional<json> parse_record(std::string_view text) {
  return jsonio::parse_object(text, kMaxRecordBytes);
}

std::optional<state::User> parse_user(const json& u) {
  state::User user;
  user.id = jsonio::text(u, "id");
  user.username = jsonio::text(u, "username");
  user.display_name = jsonio::text(u, "display_name");
  user.role = jsonio::text(u, "role");
  user.permissions = jsonio::strings(u, "permissions");
  if (const json* limits = jsonio::object(u, "limits")) user.max_discount_percent = jsonio::integer(*limits, "max_discount_percent");
  user.language = jsonio::text(u, "language");  // null: the store's default
  if (user.id.empty() || user.username.empty()) return std::nullopt;
  if (user.display_name.empty()) user.display_name = user.username;
  return user;
}

std::optional<std::string> base64url_decode(std::string_view in) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '-')
      v = 62;
    else if (c == '_')
      v = 63;
    else if (c == '=')
      break;
    else
      return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// The grant's payload (the part its signature covers), as JSON.
std::optional<json> signed_payload(std::string_view token) {
  std::optional<SignedParts> parts = split_grant(token);
  if (!parts) return std::nullopt;
  std::optional<std::string> payload = base64url_decode(parts->message);
  if (!payload) return std::nullopt;
  return parse_record(*payload);
}

// The fields of the grant's signed payload the till relies on.
std::optional<Grant> parse_grant(const json& g) {
  Grant grant;
  grant.token = jsonio::text(g, "token");
  grant.grant_id = jsonio::text(g, "grant_id");
  grant.expires_at_ms = jsonio::integer(g, "expires_at_ms");
  std::optional<json> p = signed_payload(grant.token);
  if (!p) return std::nullopt;
  grant.till_id = jsonio::text(*p, "till");
  grant.user_id = jsonio::text(*p, "sub");
  // The signed expiry wins over the envelope's copy.
  if (const std::int64_t exp = jsonio::integer(*p, "exp"); exp > 0) grant.expires_at_ms = exp;
  if (grant.grant_id.empty()) grant.grant_id = jsonio::text(*p, "gid");
  return grant;
}

}  // namespace

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<LoginAnswer> parse_login_answer(std::string_view body) {
  std::optional<json> j = parse_record(body);
  if (!j) return std::nullopt;
  LoginAnswer a;
  a.session_token = jsonio::text(*j, "token");
  const json* user = jsonio::object(*j, "user");
  if (a.session_token.empty() || user == nullptr) return std::nullopt;
  std::optional<state::User> u = parse_user(*user);
  if (!u) return std::nullopt;
  a.user = std::move(*u);
  if (const json* g = jsonio::object(*j, "offline_grant")) a.grant = parse_grant(*g);
  if (a.grant) a.user.grant_expires_ms = a.grant->expires_at_ms;
  return a;
}

std::optional<Identity> parse_enrol_answer(std::string_view body) {
  // The enrolment answer has the identity's fields under the same names.
  return decode_identity(body);
}

std::optional<std::string> parse_session_token(std::string_view body) {
  std::optional<json> j = parse_record(body);
  if (!j) return std::nullopt;
  std::string token = jsonio::text(*j, "token");
  if (token.empty()) return std::nullopt;
  return token;
}

std::string error_message(std::string_view body, int status) {
  if (std::optional<json> j = parse_record(body)) {
    if (const json* e = jsonio::object(*j, "error")) {
      std::string message = jsonio::text(*e, "message");
      if (!message.empty()) return message;
    }
  }
  if (status == 0) return i18n::tr("The store server cannot be reached.");
  return i18n::trf("The store server answered {status}.", {{"status", std::to_string(status)}});
}

std::string encode_identity(const Identity& identity) {
  json j = {{"v", 1},
            {"till_id", identity.till_id},
            {"store_id", identity.store_id},
            {"code", identity.code},
            {"name", identity.name},
            {"credential", identity.credential},
            {"grant_public_key", identity.grant_public_key},
            {"enrolled_at_ms", identity.enrolled_at_ms}};
  if (!identity.predecessor_till_id.empty())
    j["predecessor"] = {{"till_id", identity.predecessor_till_id}, {"code", identity.predecessor_code}};
  return j.dump();
}

std::optional<Identity> decode_identity(std::string_view text) {
  std::optional<json> j = parse_record(text);
  if (!j) return std::nullopt;
  Identity id;
  id.till_id = jsonio::text(*j, "till_id");
  id.store_id = jsonio::text(*j, "store_id");
  id.code = jsonio::text(*j, "code");
  id.name = jsonio::text(*j, "name");
  id.credential = jsonio::text(*j, "credential");
  id.grant_public_key = jsonio::text(*j, "grant_public_key");
  id.enrolled_at_ms = jsonio::integer(*j, "enrolled_at_ms");
  if (const json* p = jsonio::object(*j, "predecessor")) {
    id.predecessor_till_id = jsonio::text(*p, "till_id");
    id.predecessor_code = jsonio::text(*p, "code");
  }
  if (id.till_id.empty() || id.code.empty() || id.credential.empty()) return std::nullopt;
  return id;
}

state::TillInfo till_info(const Identity& identity) {
  state::TillInfo t;
  t.enrolled = true;
  t.till_id = identity.till_id;
  t.code = identity.code;
  t.name = identity.name;
  t.store_id = identity.store_id;
  return t;
}

std::string account_key(std::string_view user_id) {
  return std::string(kAccountKeyPrefix) + std::string(user_id);
}

std::string encode_account(const LocalAccount& a) {
  json j = {{"v", 1},
            {"id", a.user.id},
            {"username", a.user.username},
            {"display_name", a.user.display_name},
            {"role", a.user.role},
            {"permissions", a.user.permissions},
            {"max_discount_percent", a.user.max_discount_percent},
            {"language", a.user.language},
            {"logins", a.logins},
            {"grant",
             {{"token", a.grant.token},
              {"grant_id", a.grant.grant_id},
              {"till_id", a.grant.till_id},
              {"user_id", a.grant.user_id},
              {"expires_at_ms", a.grant.expires_at_ms}}},
            {"password_salt", a.password_salt},
            {"password_verifier", a.password_verifier},
            {"password_iterations", a.password_iterations},
            {"pin_salt", a.pin_salt},
            {"pin_verifier", a.pin_verifier},
            {"pin_iterations", a.pin_iterations},
            {"last_online_ms", a.last_online_ms}};
  return j.dump();
}

std::optional<LocalAccount> decode_account(std::string_view text) {
  std::optional<json> j = parse_record(text);
  if (!j) return std::nullopt;
  LocalAccount a;
  a.user.id = jsonio::text(*j, "id");
  a.user.username = jsonio::text(*j, "username");
  a.user.display_name = jsonio::text(*j, "display_name");
  a.user.role = jsonio::text(*j, "role");
  a.user.permissions = jsonio::strings(*j, "permissions");
  a.user.max_discount_percent = jsonio::integer(*j, "max_discount_percent");
  a.user.language = jsonio::text(*j, "language");
  a.logins = jsonio::strings(*j, "logins");
  if (const json* g = jsonio::object(*j, "grant")) {
    a.grant.token = jsonio::text(*g, "token");
    a.grant.grant_id = jsonio::text(*g, "grant_id");
    a.grant.till_id = jsonio::text(*g, "till_id");
    a.grant.user_id = jsonio::text(*g, "user_id");
    a.grant.expires_at_ms = jsonio::integer(*g, "expires_at_ms");
  }
  a.user.grant_expires_ms = a.grant.expires_at_ms;
  a.password_salt = jsonio::text(*j, "password_salt");
  a.password_verifier = jsonio::text(*j, "password_verifier");
  a.pin_salt = jsonio::text(*j, "pin_salt");
  a.pin_verifier = jsonio::text(*j, "pin_verifier");
  // Records from before the count was kept hold verifiers of the old count.
  const auto iterations = [&](const char* key) {
    const std::int64_t n = jsonio::integer(*j, key);
    return n > 0 && n <= kVerifierIterations * 10 ? static_cast<int>(n) : kLegacyVerifierIterations;
  };
  a.password_iterations = iterations("password_iterations");
  a.pin_iterations = iterations("pin_iterations");
  a.last_online_ms = jsonio::integer(*j, "last_online_ms");
  if (a.user.id.empty() || a.user.username.empty()) return std::nullopt;
  return a;
}

const LocalAccount* find_account(const std::vector<LocalAccount>& accounts, std::string_view login) {
  const std::string wanted = lower(login);
  for (const LocalAccount& a : accounts) {
    if (lower(a.user.username) == wanted) return &a;
    for (const std::string& l : a.logins)
      if (l == wanted) return &a;
  }
  return nullptr;
}

LocalAccount merge_online(std::optional<LocalAccount> previous, const LoginAnswer& answer, std::string_view login,
                          std::int64_t now_ms) {
  LocalAccount a = previous ? std::move(*previous) : LocalAccount{};
  a.user = answer.user;
  a.user.offline = false;
  if (answer.grant) a.grant = *answer.grant;
  a.user.grant_expires_ms = a.grant.expires_at_ms;
  const std::string l = lower(login);
  if (std::find(a.logins.begin(), a.logins.end(), l) == a.logins.end()) a.logins.push_back(l);
  a.last_online_ms = now_ms;
  return a;
}

std::optional<SignedParts> split_grant(std::string_view token) {
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= token.size()) return std::nullopt;
  return SignedParts{std::string(token.substr(0, dot)), std::string(token.substr(dot + 1))};
}

OfflineRefusal check_offline_grant(const LocalAccount& account, std::string_view till_id, std::int64_t now_ms,
                                   bool revoked) {
  if (account.grant.token.empty()) return OfflineRefusal::no_grant;
  if (!account.grant.till_id.empty() && account.grant.till_id != till_id) return OfflineRefusal::wrong_till;
  if (revoked) return OfflineRefusal::revoked;
  if (account.grant.expires_at_ms <= now_ms) return OfflineRefusal::expired;
  return OfflineRefusal::none;
}

std::string describe(OfflineRefusal refusal, const LocalAccount& account) {
  const std::string& name = account.user.display_name;
  switch (refusal) {
    case OfflineRefusal::none:
      return "";
    case OfflineRefusal::no_grant:
      return i18n::trf("{name} has no offline permission on this till: sign in once with the store server reachable.",
                       {{"name", name}});
    case OfflineRefusal::expired:
      return i18n::trf("{name}'s offline permission has expired: sign in once with the store server reachable.",
                       {{"name", name}});
    case OfflineRefusal::wrong_till:
      return i18n::trf("{name}'s offline permission belongs to another till.", {{"name", name}});
    case OfflineRefusal::revoked:
      return i18n::trf("{name}'s offline permission was withdrawn by a manager.", {{"name", name}});
  }
  return "";
}

Trusted with_signed_role(LocalAccount account, std::string_view till_id, std::int64_t now_ms) {
  std::optional<json> p = signed_payload(account.grant.token);
  if (!p) return {std::nullopt, OfflineRefusal::no_grant};
  const std::string user_id = jsonio::text(*p, "sub");
  const std::string role = jsonio::text(*p, "role");
  if (user_id != account.user.id || role.empty()) return {std::nullopt, OfflineRefusal::no_grant};
  if (jsonio::text(*p, "till") != till_id) return {std::nullopt, OfflineRefusal::wrong_till};
  const std::int64_t exp = jsonio::integer(*p, "exp");
  if (exp <= now_ms) return {std::nullopt, OfflineRefusal::expired};
  account.grant.till_id = std::string(till_id);
  account.grant.user_id = user_id;
  account.grant.expires_at_ms = exp;
  account.user.grant_expires_ms = exp;
  account.user.role = role;
  account.user.permissions = jsonio::strings(*p, "perms");
  account.user.max_discount_percent = 0;
  if (const json* limits = jsonio::object(*p, "limits"))
    account.user.max_discount_percent = jsonio::integer(*limits, "max_discount_percent");
  return {std::move(account), OfflineRefusal::none};
}

bool same_verifier(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
  return diff == 0;
}

}  // namespace salespider::auth
