// The Settings screen's reducer and the helpers that apply the store
// settings on every screen; see settings.hpp.
#include "state/settings.hpp"

#include "state/reducers.hpp"
#include "state/tender_label.hpp"

#include <salespider/shared/i18n.hpp>

#include <cstdio>
#include <type_traits>
#include <utility>

namespace salespider::state {

StoreSettings settings_of(const StoreInfo& store) {
  StoreSettings s;
  s.store_name = store.name;
  s.currency = store.currency;
  s.address = store.address;
  s.phone = store.phone;
  s.tax_id = store.tax_id;
  s.logo = store.logo;
  s.price_mode = std::string(to_string(store.price_mode));
  s.default_tax_rate_id = store.default_tax_rate_id;
  s.tenders = store.tenders;
  s.tender_names = store.tender_names;
  s.cash_rounding_minor = store.cash_rounding_minor;
  s.receipt_header = store.receipt_header;
  s.receipt_footer = store.receipt_footer;
  s.time_zone = store.time_zone;
  s.date_format = store.date_format;
  s.time_format = store.time_format;
  s.language = store.language;
  s.sell_only_in_shift = store.sell_only_in_shift;
  s.offline_grant_hours = store.offline_grant_hours;
  s.login_max_failures = store.login_max_failures;
  s.login_max_failures_per_address = store.login_max_failures_per_address;
  s.login_window_minutes = store.login_window_minutes;
  s.login_lockout_minutes = store.login_lockout_minutes;
  return s;
}

std::string tender_name(const StoreInfo& store, TenderKind kind) {
  const std::string& own = store.tender_names[static_cast<std::size_t>(kind)];
  return own.empty() ? std::string(tender_label(kind)) : own;
}

std::string format_store_time(const std::string& iso_local, const std::string& date_format,
                              const std::string& time_format) {
  // "YYYY-MM-DD HH:MM" exactly, or nothing to do.
  if (iso_local.size() != 16 || iso_local[4] != '-' || iso_local[7] != '-' || iso_local[10] != ' ' ||
      iso_local[13] != ':')
    return iso_local;
  const std::string y = iso_local.substr(0, 4), m = iso_local.substr(5, 2), d = iso_local.substr(8, 2);
  const std::string pattern = date_format.empty() ? i18n::date_pattern(i18n::active_language()) : date_format;
  std::string date;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.compare(i, 4, "YYYY") == 0) {
      date += y;
      i += 4;
    } else if (pattern.compare(i, 2, "MM") == 0) {
      date += m;
      i += 2;
    } else if (pattern.compare(i, 2, "DD") == 0) {
      date += d;
      i += 2;
    } else {
      date += pattern[i++];
    }
  }
  std::string time = iso_local.substr(11, 5);
  if (time_format == "12h") {
    const int hour = (time[0] - '0') * 10 + (time[1] - '0');
    const int h12 = hour % 12 == 0 ? 12 : hour % 12;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%d:%s %s", h12, iso_local.substr(14, 2).c_str(), hour < 12 ? "AM" : "PM");
    time = buffer;
  }
  return date + " " + time;
}

namespace {

bool may_settings(const AppState& s) { return may(s, "manage_settings"); }

template <class C>
void apply(AppState& s, const C& c) {
  [[maybe_unused]] SettingsScreen& st = s.settings;
  (void)c;
  if constexpr (std::is_same_v<C, OpenSettings>) {
    if (s.busy || !s.user) return;
    if (!may_settings(s)) {
      say(s, MessageKind::error, i18n::tr("Only the owner changes the store settings."));
      return;
    }
    s.screen = Screen::Settings;
    // The generation only grows, so the form is refilled on every opening.
    const int generation = st.generation;
    st = SettingsScreen{};
    st.generation = generation + 1;
    st.loading = true;
    st.draft = settings_of(s.store);
  } else if constexpr (std::is_same_v<C, SettingsLoaded>) {
    if (s.screen != Screen::Settings) return;
    st.loading = false;
    st.offline = c.offline;
    st.error = c.error;
    st.tax_rates = c.tax_rates;
    if (c.settings) {
      st.server = c.settings;
      st.draft = *c.settings;
      ++st.generation;
    }
  } else if constexpr (std::is_same_v<C, SaveSettings> || std::is_same_v<C, SettingsKeepMine>) {
    if (s.busy || st.offline || !st.server) return;
    st.draft = c.draft;
    // Keep mine: the same edits over the row as it is now.
    if constexpr (std::is_same_v<C, SettingsKeepMine>) {
      if (!st.conflict) return;
      st.draft.row_version = st.conflict->row_version;
      st.server = st.conflict;
    }
    st.conflict.reset();
    st.error.clear();
    st.error_field.clear();
    st.saved = false;
    s.busy = true;
  } else if constexpr (std::is_same_v<C, SettingsSaved>) {
    s.busy = false;
    if (c.saved) {
      st.server = c.saved;
      st.draft = *c.saved;
      ++st.generation;
      st.saved = true;
      say(s, MessageKind::info, i18n::tr("Settings saved."));
      return;
    }
    st.error = c.error;
    st.error_field = c.field;
    if (c.current) st.conflict = c.current;
  } else if constexpr (std::is_same_v<C, SettingsUseTheirs>) {
    if (!st.conflict) return;
    st.server = st.conflict;
    st.draft = *st.conflict;
    st.conflict.reset();
    st.error.clear();
    st.error_field.clear();
    ++st.generation;
  } else if constexpr (std::is_same_v<C, PickLogo>) {
    // The effect opens the file chooser; nothing changes until it answers.
  } else if constexpr (std::is_same_v<C, LogoChosen>) {
    if (s.screen != Screen::Settings) return;
    if (!c.error.empty()) {
      st.error = c.error;
      st.error_field = "logo";
      return;
    }
    st.draft.logo = c.data_url;
    if (st.error_field == "logo") {
      st.error.clear();
      st.error_field.clear();
    }
  } else if constexpr (std::is_same_v<C, RemoveLogo>) {
    st.draft.logo.clear();
  } else {
    static_assert(sizeof(C) == 0, "reduce_settings() does not handle this command");
  }
}

}  // namespace

bool reduce_settings(AppState& s, const Command& command) {
  return reduce_listed<SettingsCommands>(s, command, [](AppState& st, const auto& c) { apply(st, c); });
}

}  // namespace salespider::state
