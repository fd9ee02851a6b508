// See user_language.hpp.
#include "db/user_language.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db {

namespace {
std::optional<std::string> nullable_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}
}  // namespace

UserLanguage user_language(Pool& pool, const std::string& store_id, const std::string& user_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params("SELECT language FROM users WHERE store_id = $1 AND id = $2::uuid", store_id, user_id);
    UserLanguage out;
    if (r.empty()) return out;
    out.found = true;
    out.language = nullable_text(r[0][0]);
    return out;
  });
}

std::string store_language(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params("SELECT language FROM settings WHERE store_id = $1", store_id);
    return r.empty() ? std::string("en") : r[0][0].as<std::string>();
  });
}

bool set_user_language(Pool& pool, const std::string& store_id, const std::string& user_id,
                       const std::optional<std::string>& language, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto before = tx.exec_params(
        "SELECT language FROM users WHERE store_id = $1 AND id = $2::uuid FOR UPDATE", store_id, user_id);
    if (before.empty()) return false;
    const std::optional<std::string> old = nullable_text(before[0][0]);
    tx.exec_params0("UPDATE users SET language = $3, updated_at = now(), row_version = row_version + 1 "
                    "WHERE store_id = $1 AND id = $2::uuid",
                    store_id, user_id, language);
    audit.entity = "user";
    audit.entity_id = user_id;
    audit.detail["before"] = {{"language", old ? nlohmann::json(*old) : nlohmann::json(nullptr)}};
    audit.detail["after"] = {{"language", language ? nlohmann::json(*language) : nlohmann::json(nullptr)}};
    append_audit(tx, audit);
    tx.commit();
    return true;
  });
}

}  // namespace salespider::db
