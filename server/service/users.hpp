// Staff accounts: create, list, edit, change role, disable/enable, reset and
// change passwords, set PINs, unlock after too many failed logins, and the
// first owner at a fresh start.
//
// Who may act on whom: the permission table (auth/permissions.hpp) decides
// whether a role may manage staff at all; here, additionally, a role may
// only act on users ranked below it and give roles below it (an owner may do
// anything), and the last active owner can be neither disabled nor demoted.
// `acting_as` nullopt means the admin CLI on the server itself, which may do
// anything. Disabling a user revokes their sessions and offline grants in
// the same transaction. Every change is audited with before/after values;
// password and PIN hashes are never returned, logged or audited.
#pragma once

#include <filesystem>
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

struct UserView {
  std::string id;
  std::string store_id;
  std::optional<std::string> email;
  std::string username;
  std::string display_name;
  auth::Role role = auth::Role::cashier;
  std::string status;  // "active" | "disabled"
  bool has_pin = false;
  std::optional<std::string> locked_until;  // ISO 8601 when locked now
  std::string created_at;
  std::string updated_at;
};

struct NewUser {
  std::optional<std::string> email;
  std::string username;
  std::string display_name;
  auth::Role role = auth::Role::cashier;
  std::string password;
  std::optional<std::string> pin;
};

struct UserPatch {
  std::optional<std::optional<std::string>> email;  // set to a value, or to none
  std::optional<std::string> username;
  std::optional<std::string> display_name;
};

struct FirstOwner {
  bool created = false;
  std::string email;
  std::string username;
  std::string generated_password;  // "" unless one was generated (shown once)
};

using ActingAs = std::optional<auth::Role>;

// DATA_PATH/first-login.txt: the generated first owner password (0600),
// kept only until an owner signs in or an owner's password changes.
inline constexpr const char* kFirstLoginFileName = "first-login.txt";
// Removes it (if there); never throws.
void forget_first_login_file(const std::filesystem::path& file);

class UserService {
 public:
  // `first_login_file`: where ensure_first_owner writes a generated
  // password ("" = nowhere, e.g. tests without a data path).
  UserService(db::Pool& pool, auth::PasswordParams params, std::filesystem::path first_login_file = {});

  Outcome<UserView> create(const std::string& store_id, const NewUser& user, ActingAs acting_as,
                           const auth::Actor& actor);
  std::vector<UserView> list(const std::string& store_id);
  Outcome<UserView> get(const std::string& store_id, const std::string& user_id);
  // By id, e-mail or username (CLI arguments).
  Outcome<UserView> find(const std::string& store_id, const std::string& id_email_or_username);
  Outcome<UserView> update(const std::string& store_id, const std::string& user_id, const UserPatch& patch,
                           ActingAs acting_as, const auth::Actor& actor);
  Completion set_role(const std::string& store_id, const std::string& user_id, auth::Role role,
                      ActingAs acting_as, const auth::Actor& actor);
  Completion set_enabled(const std::string& store_id, const std::string& user_id, bool enabled,
                         ActingAs acting_as, const auth::Actor& actor);
  // Also removes the PIN: whoever had the account's password may have set it.
  Completion reset_password(const std::string& store_id, const std::string& user_id,
                            const std::string& password, ActingAs acting_as, const auth::Actor& actor);
  // The current password is checked under the login throttle of the
  // caller's address (db/users.hpp claim_login_attempt): wrong ones count
  // towards the same block as wrong logins, so a stolen session cannot
  // guess it faster than a login could.
  Completion change_own_password(const auth::UserPrincipal& me, const std::string& current,
                                 const std::string& replacement, const auth::Actor& actor);
  // One's own PIN (set, or removed with `pin` nullopt) needs the current
  // password, checked like change_own_password.
  Completion set_own_pin(const auth::UserPrincipal& me, const std::string& current_password,
                         const std::optional<std::string>& pin, const auth::Actor& actor);
  // Someone else's PIN (a manager for a cashier, or the CLI); `pin` nullopt
  // removes it. One's own goes through set_own_pin.
  Completion set_pin(const std::string& store_id, const std::string& user_id,
                     const std::optional<std::string>& pin, ActingAs acting_as, const auth::Actor& actor);
  Completion unlock(const std::string& store_id, const std::string& user_id, ActingAs acting_as,
                    const auth::Actor& actor);

  // At `serve` start: when the store has no user at all, creates the owner
  // with `email` and `password`, or a generated password when it is "".
  FirstOwner ensure_first_owner(const std::string& email, const std::string& password);

  const auth::PasswordParams& password_params() const { return params_; }

 private:
  Completion check_current_password(const auth::UserPrincipal& me, const std::string& password,
                                    const auth::Actor& actor, std::optional<std::string>* email);
  Completion check_authority(const std::string& store_id, const std::string& user_id, ActingAs acting_as,
                             std::optional<auth::Role> new_role, UserView* target);

  db::Pool& pool_;
  auth::PasswordParams params_;
  std::filesystem::path first_login_file_;
};

// The single store this server runs (one store per server for now).
std::string default_store_id(db::Pool& pool);

}  // namespace salespider::service
