// See settings.hpp.
#include "db/settings.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db::settings {
namespace {

using nlohmann::json;

const char* const kSelect =
    "SELECT st.name, st.currency, EXISTS (SELECT 1 FROM sales x WHERE x.store_id = s.store_id),"
    " s.address, s.phone, s.tax_id, s.logo, s.price_mode, s.default_tax_rate_id::text,"
    " to_jsonb(s.enabled_tenders)::text, s.tender_names::text, s.cash_rounding_minor, s.receipt_header,"
    " s.receipt_footer, s.time_zone, s.date_format, s.time_format, s.language, s.sell_only_in_shift,"
    " s.offline_grant_hours, s.login_max_failures, s.login_max_failures_per_address, s.login_window_minutes,"
    " s.login_lockout_minutes, s.setup_completed_at IS NOT NULL, s.row_version,"
    " to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
    " FROM settings s JOIN stores st ON st.id = s.store_id WHERE s.store_id = $1::uuid";

std::optional<std::string> opt_text(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

SettingsRow row_of(const pqxx::row& r) {
  SettingsRow s;
  pqxx::row::size_type i = 0;
  s.store_name = r[i++].as<std::string>();
  s.currency = r[i++].as<std::string>();
  s.currency_locked = r[i++].as<bool>();
  s.address = r[i++].as<std::string>();
  s.phone = r[i++].as<std::string>();
  s.tax_id = r[i++].as<std::string>();
  s.logo = opt_text(r[i++]);
  s.price_mode = r[i++].as<std::string>();
  s.default_tax_rate_id = opt_text(r[i++]);
  s.enabled_tenders = json::parse(r[i++].as<std::string>()).get<std::vector<std::string>>();
  s.tender_names = json::parse(r[i++].as<std::string>());
  s.cash_rounding_minor = r[i++].as<std::int64_t>();
  s.receipt_header = r[i++].as<std::string>();
  s.receipt_footer = r[i++].as<std::string>();
  s.time_zone = r[i++].as<std::string>();
  s.date_format = r[i++].as<std::string>();
  s.time_format = r[i++].as<std::string>();
  s.language = r[i++].as<std::string>();
  s.sell_only_in_shift = r[i++].as<bool>();
  s.offline_grant_hours = r[i++].as<int>();
  s.login_max_failures = r[i++].as<int>();
  s.login_max_failures_per_address = r[i++].as<int>();
  s.login_window_minutes = r[i++].as<int>();
  s.login_lockout_minutes = r[i++].as<int>();
  s.setup_completed = r[i++].as<bool>();
  s.row_version = r[i++].as<std::int64_t>();
  s.updated_at = r[i++].as<std::string>();
  return s;
}

std::optional<SettingsRow> read_in(pqxx::transaction_base& tx, const std::string& store_id, bool lock) {
  const auto r = tx.exec_params(std::string(kSelect) + (lock ? " FOR UPDATE OF s" : ""), store_id);
  if (r.empty()) return std::nullopt;
  return row_of(r[0]);
}

// Where each writable field of the settings table goes: its column and the
// SQL that turns the text parameter $N into the column's value. Column
// names come only from this table; values only from parameters.
struct Column {
  const char* field;
  const char* column;
  const char* value;  // "$" is replaced by the parameter's number
};
constexpr Column kColumns[] = {
    {"address", "address", "$"},
    {"phone", "phone", "$"},
    {"tax_id", "tax_id", "$"},
    {"logo", "logo", "NULLIF($, '')"},
    {"price_mode", "price_mode", "$"},
    {"default_tax_rate_id", "default_tax_rate_id", "NULLIF($, '')::uuid"},
    {"enabled_tenders", "enabled_tenders", "ARRAY(SELECT jsonb_array_elements_text($::jsonb))"},
    {"tender_names", "tender_names", "$::jsonb"},
    {"cash_rounding_minor", "cash_rounding_minor", "$::bigint"},
    {"receipt_header", "receipt_header", "$"},
    {"receipt_footer", "receipt_footer", "$"},
    {"time_zone", "time_zone", "$"},
    {"date_format", "date_format", "$"},
    {"time_format", "time_format", "$"},
    {"language", "language", "$"},
    {"sell_only_in_shift", "sell_only_in_shift", "$::boolean"},
    {"offline_grant_hours", "offline_grant_hours", "$::integer"},
    {"login_max_failures", "login_max_failures", "$::integer"},
    {"login_max_failures_per_address", "login_max_failures_per_address", "$::integer"},
    {"login_window_minutes", "login_window_minutes", "$::integer"},
    {"login_lockout_minutes", "login_lockout_minutes", "$::integer"},
    {"setup_completed", "setup_completed_at", "CASE WHEN $::boolean THEN coalesce(setup_completed_at, now()) END"},
};

// A parameter's text: strings as they are, null as "" (the NULLIFs above),
// everything else as JSON (numbers, booleans, arrays, objects).
std::string param_text(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::string with_number(const char* pattern, std::size_t n) {
  std::string out;
  for (const char* p = pattern; *p; ++p) {
    if (*p == '$')
      out += "$" + std::to_string(n);
    else
      out += *p;
  }
  return out;
}

// A logo in the audit log: what it is, not its bytes.
json audit_value(const std::string& field, const json& v) {
  if (field != "logo" || !v.is_string()) return v;
  const auto text = v.get<std::string>();
  const auto comma = text.find(',');
  return text.substr(5, text.find(';') - 5) + ", " + std::to_string(comma == std::string::npos ? 0 : text.size() - comma - 1) +
         " base64 characters";
}

void write_store(pqxx::work& tx, const std::string& store_id, const json& changes, int currency_shift) {
  if (changes.contains("store_name"))
    tx.exec_params("UPDATE stores SET name = $2, updated_at = now() WHERE id = $1::uuid", store_id,
                   changes["store_name"].get<std::string>());
  if (!changes.contains("currency")) return;
  const auto currency = changes["currency"].get<std::string>();
  tx.exec_params("UPDATE stores SET currency = $2, updated_at = now() WHERE id = $1::uuid", store_id, currency);
  // The amount a person sees stays: 1500 minor USD (15.00) -> 15 JPY.
  // numeric round() rounds half away from zero.
  tx.exec_params(
      "UPDATE products SET currency = $2,"
      " price_minor = round(price_minor * power(10::numeric, $3::integer))::bigint,"
      " cost_minor = round(cost_minor * power(10::numeric, $3::integer))::bigint, updated_at = now()"
      " WHERE store_id = $1::uuid",
      store_id, currency, currency_shift);
}

void write_settings(pqxx::work& tx, const std::string& store_id, const json& changes) {
  std::string sets;
  std::vector<std::string> params{store_id};
  for (const auto& c : kColumns) {
    if (!changes.contains(c.field)) continue;
    params.push_back(param_text(changes[c.field]));
    sets += std::string(sets.empty() ? "" : ", ") + c.column + " = " + with_number(c.value, params.size());
  }
  if (sets.empty()) return;
  tx.exec_params("UPDATE settings SET " + sets + ", updated_at = now() WHERE store_id = $1::uuid",
                 pqxx::prepare::make_dynamic_params(params));
}

}  // namespace

json settings_json(const SettingsRow& s) {
  return json{{"store_name", s.store_name},
              {"currency", s.currency},
              {"currency_locked", s.currency_locked},
              {"address", s.address},
              {"phone", s.phone},
              {"tax_id", s.tax_id},
              {"logo", s.logo ? json(*s.logo) : json()},
              {"price_mode", s.price_mode},
              {"default_tax_rate_id", s.default_tax_rate_id ? json(*s.default_tax_rate_id) : json()},
              {"enabled_tenders", s.enabled_tenders},
              {"tender_names", s.tender_names},
              {"cash_rounding_minor", s.cash_rounding_minor},
              {"receipt_header", s.receipt_header},
              {"receipt_footer", s.receipt_footer},
              {"time_zone", s.time_zone},
              {"date_format", s.date_format},
              {"time_format", s.time_format},
              {"language", s.language},
              {"sell_only_in_shift", s.sell_only_in_shift},
              {"offline_grant_hours", s.offline_grant_hours},
              {"login_max_failures", s.login_max_failures},
              {"login_max_failures_per_address", s.login_max_failures_per_address},
              {"login_window_minutes", s.login_window_minutes},
              {"login_lockout_minutes", s.login_lockout_minutes},
              {"setup_completed", s.setup_completed},
              {"row_version", s.row_version},
              {"updated_at", s.updated_at}};
}

std::optional<SettingsRow> read(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return read_in(tx, store_id, false);
  });
}

bool is_time_zone(Pool& pool, const std::string& name) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx.exec_params1("SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)", name)[0].as<bool>();
  });
}

void mark_setup_completed(Pool& pool, const std::string& store_id) {
  pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "UPDATE settings SET setup_completed_at = now() WHERE store_id = $1::uuid AND setup_completed_at IS NULL",
        store_id);
    tx.commit();
  });
}

Write update(Pool& pool, const std::string& store_id, std::int64_t expected_version, const json& changes,
             int currency_shift, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    Write out;
    try {
      pqxx::work tx(c);
      auto before = read_in(tx, store_id, true);
      if (!before) {
        out.status = Write::Status::not_found;
        return out;
      }
      if (before->row_version != expected_version) {
        out.status = Write::Status::stale;
        out.row = before;
        return out;
      }
      const auto old_json = settings_json(*before);
      // Only the fields whose value differs are written and audited.
      json changed = json::object();
      for (const auto& [field, value] : changes.items())
        if (old_json.contains(field) && old_json[field] != value) changed[field] = value;
      if (changed.empty()) {
        out.row = before;
        return out;
      }
      if (changed.contains("currency") && before->currency_locked) {
        out.status = Write::Status::currency_locked;
        out.row = before;
        return out;
      }
      if (changed.contains("default_tax_rate_id") && changed["default_tax_rate_id"].is_string() &&
          tx.exec_params("SELECT 1 FROM tax_rates WHERE id = $1::uuid AND store_id = $2::uuid",
                         changed["default_tax_rate_id"].get<std::string>(), store_id)
              .empty()) {
        out.status = Write::Status::unknown_tax_rate;
        return out;
      }
      write_store(tx, store_id, changed, currency_shift);
      write_settings(tx, store_id, changed);
      out.row = read_in(tx, store_id, false);
      json detail = json::object();
      for (const auto& [field, value] : changed.items())
        detail[field] = {{"old", audit_value(field, old_json[field])}, {"new", audit_value(field, value)}};
      audit.entity = "settings";
      audit.entity_id = store_id;
      audit.detail = json{{"changed", std::move(detail)}};
      append_audit(tx, audit);
      tx.commit();
    } catch (const pqxx::check_violation&) {
      // Only a currency's rescale can break a CHECK the service did not
      // check first: a price above the largest amount.
      out = Write{};
      out.status = Write::Status::price_out_of_range;
    }
    return out;
  });
}

}  // namespace salespider::db::settings
