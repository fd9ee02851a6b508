// The store's settings in PostgreSQL (docs/api.md "Settings"): reading the
// settings object (settings joined with stores, plus whether the store has
// sold, which locks its currency) and writing a change in one transaction:
// the row_version check under the row lock, the store's name and currency,
// the settings columns, a currency change's rescale of every product's price
// and cost, and the caller's audit entry with the old and new values.
//
// Deliberately no validation of values (service/settings.cpp does it; the
// CHECKs of migrations 0001, 0002, 0004 and 0011 are the last word) and no
// permission checks. The feed triggers carry every change to the tills.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"

namespace salespider::db {

class Pool;

namespace settings {

// The settings object of the API, as stored.
struct SettingsRow {
  std::string store_name;
  std::string currency;
  bool currency_locked = false;  // the store has sales
  std::string address;
  std::string phone;
  std::string tax_id;
  std::optional<std::string> logo;  // data: URL
  std::string price_mode;
  std::optional<std::string> default_tax_rate_id;
  std::vector<std::string> enabled_tenders;
  nlohmann::json tender_names = nlohmann::json::object();
  std::int64_t cash_rounding_minor = 0;
  std::string receipt_header;
  std::string receipt_footer;
  std::string time_zone;
  std::string date_format;
  std::string time_format;
  std::string language;
  bool sell_only_in_shift = false;
  int offline_grant_hours = 0;
  int login_max_failures = 0;
  int login_max_failures_per_address = 0;
  int login_window_minutes = 0;
  int login_lockout_minutes = 0;
  bool setup_completed = false;
  std::int64_t row_version = 0;
  std::string updated_at;
};

// The API's settings object (GET /api/v1/settings).
nlohmann::json settings_json(const SettingsRow& row);

std::optional<SettingsRow> read(Pool& pool, const std::string& store_id);

// Is `name` a time zone PostgreSQL knows (pg_timezone_names)?
bool is_time_zone(Pool& pool, const std::string& name);

// A change: API field name -> its new value, already validated by the
// service (names outside the settings object are ignored).
struct Write {
  enum class Status { ok, not_found, stale, currency_locked, unknown_tax_rate, price_out_of_range };
  Status status = Status::ok;
  std::optional<SettingsRow> row;  // after (ok) or as it is now (stale)
};

// `currency_shift`: the new currency's exponent minus the old one's, when
// "currency" changes (prices are multiplied by 10^shift, rounding half away
// from zero). The audit entry gets entity "settings" and detail
// {"changed": {field: {"old", "new"}}} (a logo as a short description).
Write update(Pool& pool, const std::string& store_id, std::int64_t expected_version,
             const nlohmann::json& changes, int currency_shift, AuditEntry audit);

// Marks the first-run setup done (the demo seed), without an audit row: the
// seed's own rows say what happened.
void mark_setup_completed(Pool& pool, const std::string& store_id);

}  // namespace settings
}  // namespace salespider::db
