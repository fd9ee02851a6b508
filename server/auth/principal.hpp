// Who is calling: a person signed in with a session token ("sps_..."), or an
// enrolled till presenting its credential ("spt_..."). The HTTP layer resolves
// one of these per request (http/routes.hpp); services take them as plain
// values. Deliberately no behaviour here.
#pragma once

#include <optional>
#include <string>

#include "auth/permissions.hpp"

namespace salespider::auth {

// A person with a live session.
struct UserPrincipal {
  std::string user_id;
  std::string store_id;
  std::string session_id;
  std::string username;
  std::string display_name;
  Role role = Role::cashier;
  std::optional<std::string> till_id;  // the till the session was opened on, if any
  // Signed in with a PIN (a quick switch on a till): may do till actions
  // only (auth::allowed_in_pin_session), never manage accounts.
  bool pin_session = false;
};

// An enrolled, not retired till (push, pull, PIN login, grant revocations).
struct TillPrincipal {
  std::string till_id;
  std::string store_id;
  std::string till_code;  // receipt prefix, new at every enrolment
  std::string name;
};

// Who did something, for the audit log: the person and/or till, and where
// the request came from.
struct Actor {
  std::optional<std::string> user_id;
  std::optional<std::string> till_id;
  std::string request_id;  // "" outside HTTP (CLI, background jobs)
  std::string client_ip;   // "" outside HTTP
  std::string via;         // "http", "cli", "sync", "startup"
};

// Token prefixes: a token's kind is visible without a database lookup, and a
// leaked token is recognisable in logs and secret scanners.
inline constexpr const char* kSessionTokenPrefix = "sps_";
inline constexpr const char* kTillCredentialPrefix = "spt_";

}  // namespace salespider::auth
