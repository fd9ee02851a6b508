// Offline grants: what lets a till log a person in, switch users by PIN and
// take a manager's approval while the server is unreachable (invariant 9).
//
// At an online login on an enrolled till the server issues a grant, signed
// with the store's Ed25519 key (DATA_PATH/keys/grant-signing.key, 0600,
// created at first start; public key at GET /api/v1/grants/public-key):
//
//   grant = base64url(payload JSON) "." base64url(Ed25519 signature of the
//           first part's ASCII bytes)
//   payload = {"v":1, "gid", "store", "till", "sub" (user id), "username",
//              "name", "role", "perms":[...], "limits":{"max_discount_percent"},
//              "iat", "exp"}  (times in ms since the Unix epoch, server clock)
//
// The grant holds no password or PIN hash: the till derives its own PBKDF2
// verifier from what the person typed (WebCrypto) and keeps it next to the
// grant. Every op a till pushes carries the grant it was made under, and the
// sync engine calls GrantService::verify_grant for it: signature, till,
// expiry at the op's time, revocation, and whether the user was disabled
// meanwhile. The result says what does not fit; the sync engine decides
// what to do (it accepts money already taken and flags it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/permissions.hpp"
#include "auth/principal.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

// Wire names of GrantCheck::flags.
namespace grant_flag {
inline constexpr const char* malformed = "malformed";          // not two base64url parts of valid JSON
inline constexpr const char* bad_signature = "bad_signature";  // not signed by this store's key
inline constexpr const char* wrong_till = "wrong_till";        // issued to another till
inline constexpr const char* expired = "expired";              // the op's time is past the grant's expiry
inline constexpr const char* not_yet_valid = "not_yet_valid";  // the op's time is before issue (clock skew)
inline constexpr const char* revoked =
    "revoked";  // revoked on the server (user disabled, till retired, by hand)
inline constexpr const char* user_disabled = "user_disabled";  // the user is disabled now
inline constexpr const char* unknown_grant = "unknown_grant";  // signed, but no record of issuing it
inline constexpr const char* no_grant = "no_grant";  // the op carries none: it has nobody's authority (sync)
}  // namespace grant_flag

struct GrantCheck {
  bool valid = false;  // well-formed and signed by this store's key: the fields below are trustworthy
  std::string grant_id;
  std::string store_id;
  std::string till_id;
  std::string user_id;
  std::string username;
  std::optional<auth::Role> role;
  std::vector<auth::Permission> permissions;
  auth::Limits limits;
  std::int64_t issued_at_ms = 0;
  std::int64_t expires_at_ms = 0;
  // When the server revoked it (verify_grant), whatever the op's time: the
  // sync engine also judges revocation against the till's push history.
  std::optional<std::int64_t> revoked_at_ms;
  std::vector<std::string> flags;  // grant_flag names; empty = everything fits

  bool has(const std::string& flag) const;
  bool acceptable() const { return valid && flags.empty(); }
  // Whether the grant (as signed) carries the permission.
  bool permits(auth::Permission p) const;
};

struct IssuedGrant {
  std::string token;
  std::string grant_id;
  std::int64_t expires_at_ms = 0;
};

// The checks that need no database: format, signature, till, time window.
GrantCheck check_grant_token(const std::string& public_key_raw, const std::string& token,
                             const std::string& till_id, std::int64_t op_time_ms);

class GrantService {
 public:
  GrantService(db::Pool& pool, std::shared_ptr<const auth::SigningKey> key);

  // Signs and records a grant for `user` on `till`, valid `hours` from now_ms.
  IssuedGrant issue(const auth::UserPrincipal& user, const auth::TillPrincipal& till, std::int64_t now_ms,
                    int hours);

  // check_grant_token plus the database: revoked (at or before the op's
  // time), user disabled now, grant never issued. Throws db::Unavailable.
  GrantCheck verify_grant(const std::string& token, const std::string& till_id, std::int64_t op_time_ms,
                          std::int64_t now_ms);

  // Ids of this till's grants that were revoked and have not expired yet:
  // the till pulls them and refuses those grants offline.
  std::vector<std::string> revoked_for_till(const std::string& till_id, std::int64_t now_ms);

  // `acting_as`: the actor's role; the grant must then be the actor's own
  // or belong to someone ranked below (nullopt: the CLI, anyone's).
  Completion revoke(const std::string& store_id, const std::string& grant_id, const auth::Actor& actor,
                    std::optional<auth::Role> acting_as = std::nullopt);

  const std::string& public_key_raw() const { return public_key_raw_; }

 private:
  db::Pool& pool_;
  std::shared_ptr<const auth::SigningKey> key_;
  std::string public_key_raw_;
};

}  // namespace salespider::service
