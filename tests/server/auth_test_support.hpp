// A store with the auth services over a throw-away database, for the auth,
// sessions, tills, grants, audit and RBAC tests: migrated schema, fast
// Argon2 parameters (the production ones cost 64 MiB per hash), helpers to
// add people and tills, and raw SQL as the superuser for tampering. The
// services run as the application role (db/roles.hpp), as in `serve`.
#pragma once

#include <filesystem>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "common_pg.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "service/services.hpp"

namespace salespider::test {

inline auth::PasswordParams fast_argon2() {
  auth::PasswordParams p;
  p.time_cost = 1;
  p.memory_kib = 256;
  return p;
}

inline const char* kGoodPassword = "correct-horse-battery";

class AuthWorld {
 public:
  explicit AuthWorld(std::filesystem::path data_path = {}) {
    // Migrated as the owner; the services then act as the server's
    // application role, with only the grants `serve` gives it.
    {
      db::Database owner(db_.conninfo(), 1);
      db::migrate(owner.pool());
    }
    database_ = std::make_unique<db::Database>(testpg::app_conninfo_for(db_.name()), 6);
    service::ServicesOptions o;
    o.data_path = std::move(data_path);
    o.password = fast_argon2();
    services_ = std::make_unique<service::Services>(database_->pool(), o);
    store_ = services_->store_id();
  }

  service::Services& services() { return *services_; }
  db::Pool& pool() { return database_->pool(); }
  const std::string& store() const { return store_; }
  const std::string& conninfo() const { return db_.conninfo(); }
  const std::string& database_name() const { return db_.name(); }

  service::UserView add_user(auth::Role role, const std::string& username,
                             const std::string& password = kGoodPassword,
                             std::optional<std::string> pin = std::nullopt) {
    service::NewUser u;
    u.username = username;
    u.email = username + "@shop.test";
    u.display_name = "Test " + username;
    u.role = role;
    u.password = password;
    u.pin = std::move(pin);
    auto r = services_->users().create(store_, u, std::nullopt, cli_actor());
    if (!r) throw std::runtime_error("add_user: " + r.error().message);
    return r.value();
  }

  service::EnrolledTill add_till(const std::string& name = "Front till") {
    auto t = services_->tills().enrol(store_, name, "", cli_actor());
    if (!t) throw std::runtime_error("add_till: " + t.error().message);
    return t.value();
  }

  service::Outcome<service::LoginResult> login(const std::string& login, const std::string& password,
                                               std::optional<auth::TillPrincipal> till = std::nullopt,
                                               const std::string& ip = "10.0.0.5") {
    service::LoginRequest r;
    r.login = login;
    r.password = password;
    r.till = std::move(till);
    r.client_ip = ip;
    r.user_agent = "test";
    r.request_id = "test";
    return services_->auth().login(r);
  }

  // As the superuser, outside any service.
  void sql(const std::string& statement) {
    pqxx::connection c(db_.conninfo());
    pqxx::nontransaction tx(c);
    tx.exec(statement);
  }
  std::string sql_value(const std::string& query) {
    pqxx::connection c(db_.conninfo());
    pqxx::nontransaction tx(c);
    const auto r = tx.exec(query);
    if (r.empty() || r[0][0].is_null()) return {};
    return r[0][0].as<std::string>();
  }
  // Runs `statement` with the audit triggers off, as an attacker with the
  // database superuser's password would.
  void tamper(const std::string& statement) {
    pqxx::connection c(db_.conninfo());
    pqxx::work tx(c);
    tx.exec("SET LOCAL session_replication_role = replica");
    tx.exec(statement);
    tx.commit();
  }

  static auth::Actor cli_actor() {
    auth::Actor a;
    a.via = "cli";
    return a;
  }

 private:
  testpg::TempDatabase db_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<service::Services> services_;
  std::string store_;
};

}  // namespace salespider::test
