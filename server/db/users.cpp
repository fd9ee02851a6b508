// See users.hpp.
#include "db/users.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"
#include "db/users_common.hpp"

namespace salespider::db {
namespace {

constexpr const char* kUserColumns =
    "u.id::text, u.store_id::text, u.email, u.username, u.display_name, u.role, u.status, u.pin_hash IS NOT "
    "NULL, "
    "(SELECT " SALESPIDER_ISO("max(t.blocked_until)") " FROM login_throttle t WHERE t.account = u.id::text "
    "AND t.blocked_until > now()), " SALESPIDER_ISO("u.created_at") ", " SALESPIDER_ISO("u.updated_at");

UserRow user_of(const pqxx::row& r) {
  UserRow u;
  u.id = r[0].as<std::string>();
  u.store_id = r[1].as<std::string>();
  u.email = opt_text(r[2]);
  u.username = r[3].as<std::string>();
  u.display_name = r[4].as<std::string>();
  u.role = r[5].as<std::string>();
  u.status = r[6].as<std::string>();
  u.has_pin = r[7].as<bool>();
  u.locked_until = opt_text(r[8]);
  u.created_at = r[9].as<std::string>();
  u.updated_at = r[10].as<std::string>();
  return u;
}

nlohmann::json public_json(const UserRow& u) {
  return {{"email", u.email ? nlohmann::json(*u.email) : nlohmann::json()},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", u.role},
          {"status", u.status},
          {"has_pin", u.has_pin}};
}

WriteStatus unique_status(const pqxx::unique_violation& e) {
  const std::string what = e.what();
  if (what.find("users_email_key") != std::string::npos) return WriteStatus::email_taken;
  return WriteStatus::username_taken;
}

std::optional<UserRow> locked_user(pqxx::transaction_base& tx, const std::string& store_id,
                                   const std::string& id) {
  const auto r = tx.exec_params(std::string("SELECT ") + kUserColumns +
                                    " FROM users u WHERE u.store_id = $1 AND u.id = $2::uuid FOR UPDATE",
                                store_id, id);
  if (r.empty()) return std::nullopt;
  return user_of(r[0]);
}

}  // namespace

std::string store_id_of_first_store(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx.exec1("SELECT id::text FROM stores ORDER BY created_at, id LIMIT 1")[0].as<std::string>();
  });
}

std::int64_t count_users(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx.exec1("SELECT count(*) FROM users")[0].as<std::int64_t>();
  });
}

std::vector<UserRow> list_users(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<UserRow> out;
    for (const auto& r : tx.exec_params(std::string("SELECT ") + kUserColumns +
                                            " FROM users u WHERE u.store_id = $1 ORDER BY lower(u.username)",
                                        store_id)) {
      out.push_back(user_of(r));
    }
    return out;
  });
}

std::optional<UserRow> find_user(Pool& pool, const std::string& store_id, const std::string& key) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<UserRow> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(std::string("SELECT ") + kUserColumns +
                                      " FROM users u WHERE u.store_id = $1 AND (u.id::text = lower($2) OR "
                                      "lower(u.email) = lower($2) OR lower(u.username) = lower($2)) LIMIT 1",
                                  store_id, key);
    if (r.empty()) return std::nullopt;
    return user_of(r[0]);
  });
}

WriteStatus insert_user(Pool& pool, const NewUserRow& user, AuditEntry audit, std::string* id_out,
                        bool only_if_no_users) {
  return pool.with_connection([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      if (only_if_no_users) {
        // Two servers starting at once must not both create an owner.
        tx.exec0("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE");
        if (tx.exec1("SELECT count(*) FROM users")[0].as<std::int64_t>() > 0) return WriteStatus::not_found;
      }
      const auto id =
          tx.exec_params1(
                "INSERT INTO users (store_id, email, username, display_name, role, password_hash, "
                "pin_hash, password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now()) RETURNING "
                "id::text",
                user.store_id, nullable(user.email), user.username, user.display_name, user.role,
                user.password_hash, nullable(user.pin_hash))[0]
              .as<std::string>();
      const auto row = locked_user(tx, user.store_id, id);
      audit.entity = "user";
      audit.entity_id = id;
      audit.detail["after"] = public_json(*row);
      append_audit(tx, audit);
      tx.commit();
      if (id_out != nullptr) *id_out = id;
      return WriteStatus::ok;
    } catch (const pqxx::unique_violation& e) {
      return unique_status(e);
    }
  });
}

WriteStatus update_user(Pool& pool, const std::string& store_id, const std::string& user_id,
                        const UserChange& ch, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    try {
      pqxx::work tx(c);
      const bool touches_owners = ch.role || ch.status;
      if (touches_owners) {
        // Serialise changes to owners so two requests cannot each leave the other as the last one.
        tx.exec_params("SELECT 1 FROM users WHERE store_id = $1 AND role = 'super_admin' FOR UPDATE",
                       store_id);
      }
      const auto before = locked_user(tx, store_id, user_id);
      if (!before) return WriteStatus::not_found;
      if (touches_owners && before->role == "super_admin" && before->status == "active" &&
          ((ch.role && *ch.role != "super_admin") || (ch.status && *ch.status != "active"))) {
        const auto others = tx.exec_params1(
                                  "SELECT count(*) FROM users WHERE store_id = $1 AND role = 'super_admin' "
                                  "AND status = 'active' AND id <> $2::uuid",
                                  store_id, user_id)[0]
                                .as<std::int64_t>();
        if (others == 0) return WriteStatus::last_owner;
      }
      const bool set_email = ch.email.has_value();
      const std::optional<std::string> email = set_email ? *ch.email : std::nullopt;
      const bool set_pin = ch.pin_hash.has_value();
      const std::optional<std::string> pin = set_pin ? *ch.pin_hash : std::nullopt;
      tx.exec_params0(
          "UPDATE users SET "
          " email = CASE WHEN $3 THEN $4 ELSE email END,"
          " username = coalesce($5, username),"
          " display_name = coalesce($6, display_name),"
          " role = coalesce($7, role),"
          " status = coalesce($8, status),"
          " password_hash = coalesce($9, password_hash),"
          " password_changed_at = CASE WHEN $9 IS NULL THEN password_changed_at ELSE now() END,"
          " pin_hash = CASE WHEN $10 THEN $11 ELSE pin_hash END,"
          " updated_at = now(), row_version = row_version + 1"
          " WHERE store_id = $1 AND id = $2::uuid",
          store_id, user_id, set_email, nullable(email), nullable(ch.username), nullable(ch.display_name),
          nullable(ch.role), nullable(ch.status), nullable(ch.password_hash), set_pin, nullable(pin));
      if (ch.unlock) {
        tx.exec_params("DELETE FROM login_throttle WHERE store_id = $1 AND account = $2", store_id, user_id);
      }
      if (!ch.revoke_reason.empty()) {
        tx.exec_params(
            "UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1::uuid "
            "AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)",
            user_id, ch.revoke_reason, nullable(ch.keep_session_id));
        tx.exec_params(
            "UPDATE offline_grants SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1::uuid "
            "AND revoked_at IS NULL",
            user_id, ch.revoke_reason);
      }
      const auto after = locked_user(tx, store_id, user_id);
      audit.entity = "user";
      audit.entity_id = user_id;
      audit.detail["before"] = public_json(*before);
      audit.detail["after"] = public_json(*after);
      if (ch.password_hash) audit.detail["password_changed"] = true;
      if (set_pin) audit.detail["pin_changed"] = true;
      if (ch.unlock) audit.detail["unlocked"] = true;
      if (!ch.revoke_reason.empty()) audit.detail["revoked_sessions_and_grants"] = ch.revoke_reason;
      append_audit(tx, audit);
      tx.commit();
      return WriteStatus::ok;
    } catch (const pqxx::unique_violation& e) {
      return unique_status(e);
    }
  });
}

namespace {

LoginPolicyRow policy_of(pqxx::transaction_base& tx, std::string* store_id) {
  const auto s = tx.exec1(
      "SELECT s.store_id::text, s.login_max_failures, s.login_max_failures_per_address, "
      "s.login_window_minutes, "
      "s.login_lockout_minutes, s.offline_grant_hours FROM settings s JOIN stores st ON st.id = s.store_id "
      "ORDER BY st.created_at, st.id LIMIT 1");
  *store_id = s[0].as<std::string>();
  return LoginPolicyRow{s[1].as<int>(), s[2].as<int>(), s[3].as<int>(), s[4].as<int>(), s[5].as<int>()};
}

}  // namespace

LoginFacts login_policy(Pool& pool) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    LoginFacts f;
    f.policy = policy_of(tx, &f.store_id);
    return f;
  });
}

LoginFacts login_facts(Pool& pool, const std::string& login, const std::string& client_ip) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    LoginFacts f;
    f.policy = policy_of(tx, &f.store_id);
    const auto r = tx.exec_params(std::string("SELECT ") + kUserColumns +
                                      ", u.password_hash, u.pin_hash"
                                      " FROM users u WHERE u.store_id = $1 AND (lower(u.email) = lower($2) OR "
                                      "lower(u.username) = lower($2)) LIMIT 1",
                                  f.store_id, login);
    if (!r.empty()) {
      f.user = user_of(r[0]);
      f.user->password_hash = opt_text(r[0][11]);
      f.user->pin_hash = opt_text(r[0][12]);
    }
    if (!client_ip.empty()) {
      f.address_failures = tx.exec_params1(
                                 "SELECT count(*) FROM login_attempts WHERE client_ip = $1::inet AND NOT "
                                 "succeeded AND attempted_at > now() - make_interval(mins => $2)",
                                 client_ip, f.policy.window_minutes)[0]
                               .as<std::int64_t>();
    }
    return f;
  });
}

// The claim below, as SQL: the row's values are the old ones throughout
// (an UPDATE sees the row before it), so the conditions are spelled out.
// A window starts afresh when it has passed or a block has ended; the
// backoff (blocks) is forgotten after a day without failures.
#define SALESPIDER_FRESH "(t.window_started_at <= now() - make_interval(mins => $5) OR t.blocked_until IS NOT NULL)"
#define SALESPIDER_FAILURES "(CASE WHEN " SALESPIDER_FRESH " THEN 1 ELSE t.failures + 1 END)"
#define SALESPIDER_BLOCKS "(CASE WHEN t.last_failure_at <= now() - interval '1 day' THEN 0 ELSE t.blocks END)"
#define SALESPIDER_BLOCK_FOR(blocks) \
  "now() + make_interval(mins => least($6, (2 ^ least(" blocks ", 20))::int))"

Claim claim_login_attempt(Pool& pool, const ThrottleKey& key, const LoginPolicyRow& policy) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    Claim out;
    const auto r = tx.exec_params(
        "INSERT INTO login_throttle AS t (store_id, account, client_ip, failures, window_started_at, "
        "blocked_until, blocks, last_failure_at) "
        "VALUES ($1, $2, $3, 1, now(), CASE WHEN $4 <= 1 THEN " SALESPIDER_BLOCK_FOR("0") " END, "
        "CASE WHEN $4 <= 1 THEN 1 ELSE 0 END, now()) "
        "ON CONFLICT (store_id, account, client_ip) DO UPDATE SET "
        " failures = " SALESPIDER_FAILURES ","
        " window_started_at = CASE WHEN " SALESPIDER_FRESH " THEN now() ELSE t.window_started_at END,"
        " blocked_until = CASE WHEN " SALESPIDER_FAILURES " >= $4 THEN " SALESPIDER_BLOCK_FOR(SALESPIDER_BLOCKS)
        " END,"
        " blocks = " SALESPIDER_BLOCKS " + CASE WHEN " SALESPIDER_FAILURES " >= $4 THEN 1 ELSE 0 END,"
        " last_failure_at = now() "
        "WHERE t.blocked_until IS NULL OR t.blocked_until <= now() "
        "RETURNING t.blocked_until IS NOT NULL, "
        "coalesce(ceil(extract(epoch FROM t.blocked_until - now())), 0)::bigint",
        key.store_id, key.account.substr(0, 300), key.client_ip.substr(0, 64), policy.max_failures,
        policy.window_minutes, policy.lockout_minutes);
    if (!r.empty()) {
      out.allowed = true;
      out.blocks_now = r[0][0].as<bool>();
      out.retry_after_seconds = r[0][1].as<std::int64_t>();
    } else {
      out.retry_after_seconds =
          tx.exec_params1(
                "SELECT greatest(ceil(extract(epoch FROM blocked_until - now())), 1)::bigint FROM login_throttle "
                "WHERE store_id = $1 AND account = $2 AND client_ip = $3",
                key.store_id, key.account.substr(0, 300), key.client_ip.substr(0, 64))[0]
              .as<std::int64_t>();
    }
    tx.commit();
    return out;
  });
}

#undef SALESPIDER_BLOCK_FOR
#undef SALESPIDER_BLOCKS
#undef SALESPIDER_FAILURES
#undef SALESPIDER_FRESH

void forget_login_failures(Pool& pool, const ThrottleKey& key) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params0("DELETE FROM login_throttle WHERE store_id = $1 AND account = $2 AND client_ip = $3",
                    key.store_id, key.account.substr(0, 300), key.client_ip.substr(0, 64));
    // Rows nobody has failed on for a day and that block nothing: the backoff is forgotten anyway.
    tx.exec0(
        "DELETE FROM login_throttle WHERE last_failure_at < now() - interval '1 day' "
        "AND (blocked_until IS NULL OR blocked_until < now())");
    tx.commit();
  });
}

void record_failed_login(Pool& pool, const FailedLogin& a, AuditEntry audit) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params0(
        "INSERT INTO login_attempts (store_id, login, user_id, client_ip, method, succeeded, reason) "
        "VALUES ($1, $2, $3, $4::inet, $5, false, $6)",
        a.store_id, a.login.substr(0, 254), nullable(a.user_id), nullable_if_empty(a.client_ip), a.method,
        a.reason);
    audit.detail["login"] = a.login.substr(0, 254);
    audit.detail["method"] = a.method;
    audit.detail["reason"] = a.reason;
    if (a.user_id) {
      audit.entity = "user";
      audit.entity_id = a.user_id;
    }
    append_audit(tx, audit);
    if (a.blocked_now) {
      AuditEntry lock = audit;
      lock.action = "user.locked";
      lock.detail = {{"login", a.login.substr(0, 254)},
                     {"client_ip", a.client_ip},
                     {"blocked_seconds", a.blocked_seconds}};
      append_audit(tx, lock);
    }
    tx.commit();
  });
}

}  // namespace salespider::db
