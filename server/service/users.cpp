// See users.hpp.
#include "service/users.hpp"

#include <algorithm>
#include <cctype>

#include "auth/password_policy.hpp"
#include "db/users.hpp"
#include "salespider/shared/ids.hpp"
#include "log/log.hpp"
#include "service/audit_entry.hpp"
#include "support/secret_file.hpp"

namespace salespider::service {
namespace {

bool valid_username(const std::string& u) {
  return !u.empty() && u.size() <= 64 && std::all_of(u.begin(), u.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

bool valid_email(const std::string& e) {
  const auto at = e.find('@');
  return e.size() <= 254 && at != std::string::npos && at > 0 && at + 1 < e.size() &&
         e.find('@', at + 1) == std::string::npos && std::none_of(e.begin(), e.end(), [](char c) {
           return std::isspace(static_cast<unsigned char>(c)) != 0;
         });
}

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

UserView view_of(const db::UserRow& r) {
  UserView v;
  v.id = r.id;
  v.store_id = r.store_id;
  v.email = r.email;
  v.username = r.username;
  v.display_name = r.display_name;
  v.role = auth::role_from_string(r.role).value_or(auth::Role::cashier);
  v.status = r.status;
  v.has_pin = r.has_pin;
  v.locked_until = r.locked_until;
  v.created_at = r.created_at;
  v.updated_at = r.updated_at;
  return v;
}

Failure write_failure(db::WriteStatus s) {
  switch (s) {
    case db::WriteStatus::not_found:
      return fail(Problem::not_found, "no such user");
    case db::WriteStatus::email_taken:
      return fail(Problem::conflict, "that e-mail address is already used", "email");
    case db::WriteStatus::username_taken:
      return fail(Problem::conflict, "that username is already used", "username");
    case db::WriteStatus::last_owner:
      return fail(Problem::conflict, "the store must keep at least one active super_admin (owner)");
    case db::WriteStatus::ok:
      break;
  }
  return fail(Problem::invalid, "unexpected");
}

// password_problem's sentence with its {min} and {max} filled.
Failure password_failure(const std::string& msgid, const char* field) {
  auto f = fail(Problem::invalid, msgid, field);
  f.args = auth::password_limit_args();
  return f;
}

std::optional<Failure> check_pin(const std::optional<std::string>& pin) {
  if (!pin) return std::nullopt;
  if (auto p = auth::pin_problem(*pin)) return fail(Problem::invalid, *p, "pin");
  return std::nullopt;
}

}  // namespace

std::string default_store_id(db::Pool& pool) {
  return db::store_id_of_first_store(pool);
}

void forget_first_login_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (file.empty() || !std::filesystem::remove(file, ec)) return;
  log::info("removed the first owner's password file", {{"path", file.string()}});
}

UserService::UserService(db::Pool& pool, auth::PasswordParams params, std::filesystem::path first_login_file)
    : pool_(pool), params_(params), first_login_file_(std::move(first_login_file)) {}

Outcome<UserView> UserService::create(const std::string& store_id, const NewUser& user, ActingAs acting_as,
                                      const auth::Actor& actor) {
  if (!valid_username(user.username)) {
    return fail(Problem::invalid, "a username is 1 to 64 letters, digits, '.', '_' or '-'", "username");
  }
  if (user.email && !valid_email(*user.email))
    return fail(Problem::invalid, "not an e-mail address", "email");
  if (code_points(user.display_name) < 1 || code_points(user.display_name) > 200) {
    return fail(Problem::invalid, "the name must be 1 to 200 characters", "display_name");
  }
  if (acting_as && !auth::may_manage(*acting_as, user.role)) {
    return fail(Problem::forbidden, "a {role} may not create a {new_role}", "",
                {{"role", std::string(auth::to_string(*acting_as))}, {"new_role", std::string(auth::to_string(user.role))}});
  }
  if (auto p = auth::password_problem(user.password, user.username, user.email.value_or(""))) {
    return password_failure(*p, "password");
  }
  if (auto f = check_pin(user.pin)) return *f;
  db::NewUserRow row{
      store_id,
      user.email,
      user.username,
      user.display_name,
      std::string(auth::to_string(user.role)),
      auth::hash_password(user.password, params_),
      user.pin ? std::optional<std::string>(auth::hash_password(*user.pin, params_)) : std::nullopt};
  std::string id;
  const auto s = db::insert_user(pool_, row, audit_entry(store_id, actor, "user.create"), &id);
  if (s != db::WriteStatus::ok) return write_failure(s);
  return get(store_id, id);
}

std::vector<UserView> UserService::list(const std::string& store_id) {
  std::vector<UserView> out;
  for (const auto& r : db::list_users(pool_, store_id)) out.push_back(view_of(r));
  return out;
}

Outcome<UserView> UserService::get(const std::string& store_id, const std::string& user_id) {
  if (!parse_uuid(user_id)) return fail(Problem::not_found, "no such user");
  auto r = db::find_user(pool_, store_id, user_id);
  if (!r) return fail(Problem::not_found, "no such user");
  return view_of(*r);
}

Outcome<UserView> UserService::find(const std::string& store_id, const std::string& key) {
  auto r = db::find_user(pool_, store_id, key);
  if (!r) return fail(Problem::not_found, "no user with that id, e-mail or username");
  return view_of(*r);
}

Completion UserService::check_authority(const std::string& store_id, const std::string& user_id,
                                        ActingAs acting_as, std::optional<auth::Role> new_role,
                                        UserView* target) {
  auto t = get(store_id, user_id);
  if (!t) return t.error();
  if (target != nullptr) *target = t.value();
  if (!acting_as) return Done{};
  if (!auth::may_manage(*acting_as, t->role)) {
    return fail(Problem::forbidden, "a {role} may not change a {target_role}'s account", "",
                {{"role", std::string(auth::to_string(*acting_as))}, {"target_role", std::string(auth::to_string(t->role))}});
  }
  if (new_role && !auth::may_manage(*acting_as, *new_role)) {
    return fail(Problem::forbidden, "a {role} may not give the role {new_role}", "",
                {{"role", std::string(auth::to_string(*acting_as))}, {"new_role", std::string(auth::to_string(*new_role))}});
  }
  return Done{};
}

Outcome<UserView> UserService::update(const std::string& store_id, const std::string& user_id,
                                      const UserPatch& patch, ActingAs acting_as, const auth::Actor& actor) {
  if (auto c = check_authority(store_id, user_id, acting_as, std::nullopt, nullptr); !c) return c.error();
  if (patch.username && !valid_username(*patch.username)) {
    return fail(Problem::invalid, "a username is 1 to 64 letters, digits, '.', '_' or '-'", "username");
  }
  if (patch.email && *patch.email && !valid_email(**patch.email)) {
    return fail(Problem::invalid, "not an e-mail address", "email");
  }
  if (patch.display_name &&
      (code_points(*patch.display_name) < 1 || code_points(*patch.display_name) > 200)) {
    return fail(Problem::invalid, "the name must be 1 to 200 characters", "display_name");
  }
  db::UserChange ch;
  ch.email = patch.email;
  ch.username = patch.username;
  ch.display_name = patch.display_name;
  const auto s = db::update_user(pool_, store_id, user_id, ch, audit_entry(store_id, actor, "user.update"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  return get(store_id, user_id);
}

Completion UserService::set_role(const std::string& store_id, const std::string& user_id, auth::Role role,
                                 ActingAs acting_as, const auth::Actor& actor) {
  if (auto c = check_authority(store_id, user_id, acting_as, role, nullptr); !c) return c.error();
  db::UserChange ch;
  ch.role = std::string(auth::to_string(role));
  // Grants carry the old role's permissions: end them with the role.
  ch.revoke_reason = "role_changed";
  const auto s = db::update_user(pool_, store_id, user_id, ch, audit_entry(store_id, actor, "user.set_role"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  return Done{};
}

Completion UserService::set_enabled(const std::string& store_id, const std::string& user_id, bool enabled,
                                    ActingAs acting_as, const auth::Actor& actor) {
  if (acting_as && actor.user_id && *actor.user_id == user_id && !enabled) {
    return fail(Problem::conflict, "you cannot disable your own account");
  }
  if (auto c = check_authority(store_id, user_id, acting_as, std::nullopt, nullptr); !c) return c.error();
  db::UserChange ch;
  ch.status = enabled ? "active" : "disabled";
  if (!enabled) ch.revoke_reason = "user_disabled";
  const auto s = db::update_user(pool_, store_id, user_id, ch,
                                 audit_entry(store_id, actor, enabled ? "user.enable" : "user.disable"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  return Done{};
}

Completion UserService::reset_password(const std::string& store_id, const std::string& user_id,
                                       const std::string& password, ActingAs acting_as,
                                       const auth::Actor& actor) {
  UserView target;
  if (auto c = check_authority(store_id, user_id, acting_as, std::nullopt, &target); !c) return c.error();
  if (auto p = auth::password_problem(password, target.username, target.email.value_or(""))) {
    return password_failure(*p, "password");
  }
  db::UserChange ch;
  ch.password_hash = auth::hash_password(password, params_);
  // A PIN set by whoever had the account would outlive the reset otherwise.
  ch.pin_hash.emplace(std::nullopt);
  ch.unlock = true;
  ch.revoke_reason = "password_reset";
  const auto s =
      db::update_user(pool_, store_id, user_id, ch, audit_entry(store_id, actor, "user.reset_password"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  if (target.role == auth::Role::super_admin) forget_first_login_file(first_login_file_);
  return Done{};
}

Completion UserService::check_current_password(const auth::UserPrincipal& me, const std::string& password,
                                               const auth::Actor& actor, std::optional<std::string>* email) {
  auto facts = db::login_facts(pool_, me.username, "");
  if (!facts.user || facts.user->id != me.user_id) {
    return fail(Problem::invalid, "the current password is wrong", "current_password");
  }
  *email = facts.user->email;
  const db::ThrottleKey key{me.store_id, me.user_id, actor.client_ip};
  const auto claim = db::claim_login_attempt(pool_, key, facts.policy);
  auto refuse = [&](const std::string& reason) {
    db::FailedLogin f{me.store_id, me.username,       me.user_id, actor.client_ip, "password", reason,
                      claim.blocks_now, claim.retry_after_seconds};
    db::record_failed_login(pool_, f, audit_entry(me.store_id, actor, "auth.login_failed"));
  };
  auto blocked = [&] {
    const auto minutes = std::max<std::int64_t>(1, (claim.retry_after_seconds + 59) / 60);
    return fail(Problem::rate_limited, "too many wrong passwords: try again in {minutes} minutes or ask a manager", "",
                {{"minutes", std::to_string(minutes)}});
  };
  if (!claim.allowed) {
    refuse("blocked");
    return blocked();
  }
  const auto& hash = facts.user->password_hash;
  if (password.size() > 1024 || !hash || !auth::verify_password(password, *hash, params_)) {
    refuse("bad_current_password");
    if (claim.blocks_now) return blocked();
    return fail(Problem::invalid, "the current password is wrong", "current_password");
  }
  db::forget_login_failures(pool_, key);
  return Done{};
}

Completion UserService::change_own_password(const auth::UserPrincipal& me, const std::string& current,
                                            const std::string& replacement, const auth::Actor& actor) {
  std::optional<std::string> email;
  if (auto c = check_current_password(me, current, actor, &email); !c) return c.error();
  if (auto p = auth::password_problem(replacement, me.username, email.value_or(""))) {
    return password_failure(*p, "new_password");
  }
  db::UserChange ch;
  ch.password_hash = auth::hash_password(replacement, params_);
  // Every other session of this person ends: whoever knew the old password is out.
  ch.revoke_reason = "password_changed";
  ch.keep_session_id = me.session_id;
  const auto s = db::update_user(pool_, me.store_id, me.user_id, ch,
                                 audit_entry(me.store_id, actor, "user.change_password"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  if (me.role == auth::Role::super_admin) forget_first_login_file(first_login_file_);
  return Done{};
}

Completion UserService::set_own_pin(const auth::UserPrincipal& me, const std::string& current_password,
                                    const std::optional<std::string>& pin, const auth::Actor& actor) {
  if (auto f = check_pin(pin)) return *f;
  std::optional<std::string> email;
  if (auto c = check_current_password(me, current_password, actor, &email); !c) return c.error();
  db::UserChange ch;
  ch.pin_hash = pin ? std::optional<std::string>(auth::hash_password(*pin, params_)) : std::nullopt;
  const auto s =
      db::update_user(pool_, me.store_id, me.user_id, ch, audit_entry(me.store_id, actor, "user.set_pin"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  return Done{};
}

Completion UserService::set_pin(const std::string& store_id, const std::string& user_id,
                                const std::optional<std::string>& pin, ActingAs acting_as,
                                const auth::Actor& actor) {
  if (acting_as && actor.user_id && *actor.user_id == user_id) {
    return fail(Problem::forbidden, "set your own PIN with your current password (PUT /api/v1/me/pin)");
  }
  if (auto c = check_authority(store_id, user_id, acting_as, std::nullopt, nullptr); !c) return c.error();
  if (auto f = check_pin(pin)) return *f;
  db::UserChange ch;
  ch.pin_hash = pin ? std::optional<std::string>(auth::hash_password(*pin, params_)) : std::nullopt;
  const auto s = db::update_user(pool_, store_id, user_id, ch, audit_entry(store_id, actor, "user.set_pin"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  return Done{};
}

Completion UserService::unlock(const std::string& store_id, const std::string& user_id, ActingAs acting_as,
                               const auth::Actor& actor) {
  if (auto c = check_authority(store_id, user_id, acting_as, std::nullopt, nullptr); !c) return c.error();
  db::UserChange ch;
  ch.unlock = true;
  const auto s = db::update_user(pool_, store_id, user_id, ch, audit_entry(store_id, actor, "user.unlock"));
  if (s != db::WriteStatus::ok) return write_failure(s);
  return Done{};
}

FirstOwner UserService::ensure_first_owner(const std::string& email, const std::string& password) {
  FirstOwner out;
  out.email = email;
  if (db::count_users(pool_) > 0) return out;
  std::string username = email.substr(0, email.find('@'));
  username.erase(std::remove_if(username.begin(), username.end(),
                                [](char c) {
                                  return !(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' ||
                                           c == '_' || c == '-');
                                }),
                 username.end());
  if (username.empty()) username = "owner";
  out.username = username.substr(0, 64);
  std::string chosen = password;
  if (chosen.empty()) {
    chosen = auth::generate_password();
    out.generated_password = chosen;
  }
  const auto store_id = default_store_id(pool_);
  db::NewUserRow row{store_id,    email,         out.username,
                     "Owner",     "super_admin", auth::hash_password(chosen, params_),
                     std::nullopt};
  auth::Actor actor;
  actor.via = "startup";
  db::AuditEntry audit = audit_entry(store_id, actor, "user.create");
  audit.detail["first_owner"] = true;
  const auto s = db::insert_user(pool_, row, audit, nullptr, true);
  out.created = s == db::WriteStatus::ok;
  if (!out.created) out.generated_password.clear();
  if (!out.generated_password.empty() && !first_login_file_.empty()) {
    try {
      support::write_file_atomically(first_login_file_,
                                     "login: " + email + "\npassword: " + out.generated_password +
                                         "\nThis file is removed when the owner first signs in or changes the "
                                         "password.\n",
                                     support::FileMode::secret);
    } catch (const std::exception& e) {
      // The owner exists now: the banner (on a terminal) is the only copy
      // left, or `salespider user reset-password` sets a new one.
      log::error("cannot write the first owner's password file", {{"path", first_login_file_.string()}, {"what", e.what()}});
    }
  }
  return out;
}

}  // namespace salespider::service
