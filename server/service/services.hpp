// Every use-case service of the server, built once per process (by `serve`,
// and by tests the same way) over one database. HTTP handlers reach the
// services through this object (http/routes.hpp register_*_routes).
// Features add their service as a member here.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "auth/crypto.hpp"
#include "service/audit.hpp"
#include "service/auth.hpp"
#include "service/catalog.hpp"
#include "service/grants.hpp"
#include "service/printers.hpp"
#include "service/stock.hpp"
#include "service/till_auth.hpp"
#include "service/users.hpp"
#include "service/languages.hpp"
#include "support/clock.hpp"

namespace salespider::db {
class Database;
class Pool;
}  // namespace salespider::db

namespace salespider::service {

struct ServicesOptions {
  std::filesystem::path
      data_path;  // keys/grant-signing.key, audit-anchor.jsonl; "" = in-memory key, no anchors
  auth::PasswordParams password;
  SessionPolicy sessions;
  // The one wall clock of the process: `serve` and the CLI create it, tests
  // may fix it. Services read "now" from it, never from std::chrono.
  support::Clock clock = support::Clock::system();
};

class Services {
 public:
  Services(db::Pool& pool, ServicesOptions options);
  ~Services();
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  db::Pool& pool() { return pool_; }
  const ServicesOptions& options() const { return options_; }
  const support::Clock& clock() const { return options_.clock; }
  // The store this server runs (read once from the database).
  const std::string& store_id();

  UserService& users() { return *users_; }
  AuthService& auth() { return *auth_; }
  TillService& tills() { return *tills_; }
  GrantService& grants() { return *grants_; }
  AuditService& audit() { return *audit_; }
  CatalogService& catalog() { return *catalog_; }
  StockService& stock() { return *stock_; }
  LanguageService& languages() { return *languages_; }
  PrinterService& printers() { return *printers_; }

 private:
  db::Pool& pool_;
  ServicesOptions options_;
  std::mutex store_mutex_;
  std::string store_id_;
  std::unique_ptr<UserService> users_;
  std::unique_ptr<GrantService> grants_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<TillService> tills_;
  std::unique_ptr<AuditService> audit_;
  std::unique_ptr<CatalogService> catalog_;
  std::unique_ptr<StockService> stock_;
  std::unique_ptr<LanguageService> languages_;
  std::unique_ptr<PrinterService> printers_;
};

}  // namespace salespider::service
