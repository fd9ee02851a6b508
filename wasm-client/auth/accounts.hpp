// The till's side of signing in (architecture invariant 9): what the server's
// answers mean, what the till keeps about people who signed in here, and the
// checks an offline sign-in makes. Value in, value out: no I/O, no clock, no
// WebCrypto (the controller derives verifiers through platform/crypto.hpp and
// stores records through the local store's settings).
//
// A LocalAccount holds no password, PIN or server hash: only a PBKDF2-SHA-256
// verifier the till derived itself with its own random salt, and the offline
// grant the server signed for this till. Deliberately not here: the HTTP
// calls and their order (effects/session.cpp).
#pragma once

#include "state/app_state.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::auth {

// PBKDF2-HMAC-SHA-256 iterations for the verifiers derived from now on:
// OWASP's Password Storage Cheat Sheet (2023) asks for 600,000. What it
// costs on a slow phone is in docs/benchmarks.md ("Offline sign-in").
inline constexpr int kVerifierIterations = 600000;
// What a verifier kept without its count was derived with (releases before
// the count was kept); the next online sign-in re-derives it.
inline constexpr int kLegacyVerifierIterations = 100000;
// Offline sign-in attempts before a pause (a PIN has few values).
inline constexpr int kOfflineFailuresBeforePause = 5;
inline constexpr std::int64_t kOfflinePauseMs = 5 * 60 * 1000;

struct Grant {
  std::string token;  // <base64url payload>.<base64url Ed25519 signature>
  std::string grant_id;
  std::string till_id;
  std::string user_id;
  std::int64_t expires_at_ms = 0;
};

struct LocalAccount {
  state::User user;
  std::vector<std::string> logins;  // lower-case names this person signed in with here
  Grant grant;
  std::string password_salt;  // hex; empty: no password verifier yet
  std::string password_verifier;
  int password_iterations = kLegacyVerifierIterations;  // what password_verifier was derived with
  std::string pin_salt;
  std::string pin_verifier;
  int pin_iterations = kLegacyVerifierIterations;
  std::int64_t last_online_ms = 0;
};

// What /api/v1/auth/login and /pin-login answer.
struct LoginAnswer {
  std::string session_token;
  state::User user;
  std::optional<Grant> grant;
};

// What POST /api/v1/tills answers, and what the till keeps as its identity.
struct Identity {
  std::string till_id;
  std::string store_id;
  std::string code;
  std::string name;
  std::string credential;
  std::string grant_public_key;  // base64url, 32 bytes of Ed25519
  std::int64_t enrolled_at_ms = 0;
  // The till this browser was before a manager re-enrolled it (its unsynced
  // ops are handed over under its id); "" none. Additive in the stored record.
  std::string predecessor_till_id = {};
  std::string predecessor_code = {};
};

std::optional<LoginAnswer> parse_login_answer(std::string_view body);
std::optional<Identity> parse_enrol_answer(std::string_view body);
std::optional<std::string> parse_session_token(std::string_view body);
// The server's error message ({"error":{"message"}}), or a fallback.
std::string error_message(std::string_view body, int status);

std::string encode_identity(const Identity& identity);
std::optional<Identity> decode_identity(std::string_view json);
state::TillInfo till_info(const Identity& identity);

std::string encode_account(const LocalAccount& account);
std::optional<LocalAccount> decode_account(std::string_view json);
// The settings key an account is kept under.
std::string account_key(std::string_view user_id);
inline constexpr std::string_view kAccountKeyPrefix = "account:";

// The account someone signing in as `login` means (case-insensitive), if any.
const LocalAccount* find_account(const std::vector<LocalAccount>& accounts, std::string_view login);

// Folds a fresh online answer into what the till keeps (verifiers stay
// unless replaced by the caller).
LocalAccount merge_online(std::optional<LocalAccount> previous, const LoginAnswer& answer, std::string_view login,
                          std::int64_t now_ms);

// The part of the grant token its signature covers, and the signature.
struct SignedParts {
  std::string message;
  std::string signature_b64url;
};
std::optional<SignedParts> split_grant(std::string_view token);

enum class OfflineRefusal {
  none,
  no_grant,       // never signed in online here (or only before grants existed)
  expired,        // the grant ran out: sign in online once
  wrong_till,     // the grant names another till
  revoked,        // a manager revoked it (pulled from the server)
};
// The checks that need no crypto; the verifier and signature come on top.
OfflineRefusal check_offline_grant(const LocalAccount& account, std::string_view till_id, std::int64_t now_ms,
                                   bool revoked);
std::string describe(OfflineRefusal refusal, const LocalAccount& account);

// An offline sign-in trusts only what the store signed: once the grant's
// signature is checked, the person's role, permissions and discount limit
// (and the grant's till, person and expiry) are taken from the signed
// payload, never from the copy this browser's storage keeps, which anyone
// holding the tablet can edit. Refused (with the reason) if the payload does
// not name this person and till or has expired.
struct Trusted {
  std::optional<LocalAccount> account;
  OfflineRefusal refusal = OfflineRefusal::none;
};
Trusted with_signed_role(LocalAccount account, std::string_view till_id, std::int64_t now_ms);

// Equal hex strings, in time independent of where they differ.
bool same_verifier(std::string_view a, std::string_view b);

std::string lower(std::string_view text);

}  // namespace salespider::auth
