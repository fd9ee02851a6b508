// The back office's Settings screen in the till's state (docs/back-office.md
// "Store settings"): the store's settings as the owner edits them, the
// commands that load and save them, and the pure helpers every screen uses
// to apply them (a tender's name, a time in the store's date and time
// format). app_state.hpp holds a SettingsScreen in AppState and lists the
// commands in its Command variant; reduce_settings() (settings.cpp) applies
// them.
//
// Online: the screen reads GET /api/v1/settings and saves with PATCH
// (effects/settings.cpp). Offline it shows what the till has (StoreInfo,
// from the pull feed), read-only. Deliberately not here: I/O, parsing the
// server's JSON (answers/settings_answers.cpp), the rules of each field
// (the server's; the screen shows its 422 next to the field).
#pragma once

#include <salespider/shared/payment.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::state {

struct StoreInfo;

// The settings object of GET /api/v1/settings, as the screen edits it.
struct StoreSettings {
  std::string store_name, currency, address, phone, tax_id;
  std::string logo;  // data: URL; "" = none
  std::string price_mode = "tax_inclusive";
  std::string default_tax_rate_id;  // "" = none
  std::array<bool, kTenderKindCount> tenders{};
  std::array<std::string, kTenderKindCount> tender_names{};  // "" = the default name
  std::int64_t cash_rounding_minor = 0;
  std::string receipt_header, receipt_footer;
  std::string time_zone = "UTC", date_format, time_format = "24h", language = "en";
  bool sell_only_in_shift = false;
  std::int64_t offline_grant_hours = 168, login_max_failures = 5, login_max_failures_per_address = 20,
               login_window_minutes = 15, login_lockout_minutes = 60;
  bool currency_locked = false, setup_completed = false;
  std::int64_t row_version = 0;

  bool operator==(const StoreSettings&) const = default;
};

struct TaxChoice {
  std::string id, code, name;
};

struct SettingsScreen {
  std::optional<StoreSettings> server;  // as last read or saved
  StoreSettings draft;                  // what the form shows (refilled when generation bumps)
  int generation = 0;
  bool loading = false;
  bool offline = false;  // the server is out of reach: the till's copy, read-only
  std::string error;        // why the last load or save failed
  std::string error_field;  // the field a 422 named
  std::optional<StoreSettings> conflict;  // a stale save: the settings as they are now
  bool saved = false;                     // the last save went through
  std::vector<TaxChoice> tax_rates;
};

// What the till has (the pull feed's copy), as the screen shows it offline.
StoreSettings settings_of(const StoreInfo& store);

// A tender's name as the store calls it: its edited name, else the
// catalogue's (translated).
std::string tender_name(const StoreInfo& store, TenderKind kind);

// "YYYY-MM-DD HH:MM" (platform::format_local_time, already in the store's
// time zone) in the store's date format ("" = the language's,
// i18n::date_pattern) and time format ("24h" or "12h"). Text of another
// shape is returned as it is.
std::string format_store_time(const std::string& iso_local, const std::string& date_format,
                              const std::string& time_format);

// The formats the screen offers (contract of docs/api.md "Settings").
inline constexpr std::array<std::string_view, 5> kDateFormats{"", "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD",
                                                              "DD.MM.YYYY"};

// ---- commands (listed in app_state.hpp's Command)

struct OpenSettings {};
struct SettingsLoaded {
  std::optional<StoreSettings> settings;
  std::vector<TaxChoice> tax_rates;
  std::string error;
  bool offline = false;
};
struct SaveSettings {
  StoreSettings draft;
};
struct SettingsSaved {
  std::optional<StoreSettings> saved;
  std::string error;
  std::string field;                     // the field a 422 or 409 named
  std::optional<StoreSettings> current;  // a stale save: the settings as they are now
};
struct SettingsKeepMine {
  StoreSettings draft;  // saved again over the server's current row_version
};
struct SettingsUseTheirs {};
struct PickLogo {};
struct LogoChosen {
  std::string data_url;  // "" with error
  std::string error;
};
struct RemoveLogo {};

}  // namespace salespider::state
