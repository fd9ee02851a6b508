// See services.hpp.
#include "service/services.hpp"

#include "db/pool.hpp"
#include "log/log.hpp"
#include "support/secret_file.hpp"

namespace salespider::service {

Services::Services(db::Pool& pool, ServicesOptions options) : pool_(pool), options_(std::move(options)) {
  std::shared_ptr<const auth::SigningKey> key;
  if (options_.data_path.empty()) {
    key = std::make_shared<const auth::SigningKey>(auth::SigningKey::generate());
  } else {
    key = std::make_shared<const auth::SigningKey>(
        auth::SigningKey::load_or_create(options_.data_path / "keys" / "grant-signing.key"));
  }
  const auto first_login =
      options_.data_path.empty() ? std::filesystem::path() : options_.data_path / kFirstLoginFileName;
  users_ = std::make_unique<UserService>(pool_, options_.password, first_login);
  grants_ = std::make_unique<GrantService>(pool_, key);
  auth_ = std::make_unique<AuthService>(pool_, *grants_, options_.password, options_.sessions, options_.clock,
                                        first_login);
  tills_ = std::make_unique<TillService>(pool_);
  catalog_ = std::make_unique<CatalogService>(pool_);
  stock_ = std::make_unique<StockService>(pool_);
  languages_ = std::make_unique<LanguageService>(pool_);
  printers_ = std::make_unique<PrinterService>(pool_);
  if (options_.data_path.empty()) {
    audit_ = std::make_unique<AuditService>(pool_, std::filesystem::path());
  } else {
    // Its own key, not the grant key: anchors can be checked off the box
    // with the public half, which is all that leaves the server.
    auto anchor_key = std::make_shared<const auth::SigningKey>(
        auth::SigningKey::load_or_create(options_.data_path / kAnchorKeyFile));
    support::write_file_atomically(options_.data_path / kAnchorPublicKeyFile,
                                   auth::to_hex(anchor_key->public_key_raw()) + "\n",
                                   support::FileMode::public_readable);
    audit_ = std::make_unique<AuditService>(pool_, options_.data_path / kAnchorFile, std::move(anchor_key));
  }
}

Services::~Services() = default;

const std::string& Services::store_id() {
  // Read lazily: with DATABASE_URL the database may come up after the server.
  std::lock_guard lock(store_mutex_);
  if (store_id_.empty()) store_id_ = default_store_id(pool_);
  return store_id_;
}

}  // namespace salespider::service
