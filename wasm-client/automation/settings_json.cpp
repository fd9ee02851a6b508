// state().settings; see settings_json.hpp.
#include "automation/settings_json.hpp"

#include <salespider/shared/payment.hpp>

namespace salespider::automation {

namespace {

void tenders_json(JsonWriter& json, const std::array<bool, kTenderKindCount>& on,
                  const std::array<std::string, kTenderKindCount>& names) {
  json.key("enabled_tenders").begin_array();
  for (TenderKind k : kAllTenderKinds)
    if (on[static_cast<std::size_t>(k)]) json.value(std::string(to_string(k)));
  json.end_array();
  json.key("tender_names").begin_object();
  for (TenderKind k : kAllTenderKinds) json.key(to_string(k)).value(names[static_cast<std::size_t>(k)]);
  json.end_object();
}

void one(JsonWriter& json, const state::StoreSettings& s) {
  json.begin_object();
  json.key("store_name").value(s.store_name);
  json.key("currency").value(s.currency);
  json.key("currency_locked").value(s.currency_locked);
  json.key("address").value(s.address);
  json.key("phone").value(s.phone);
  json.key("tax_id").value(s.tax_id);
  json.key("has_logo").value(!s.logo.empty());
  json.key("price_mode").value(s.price_mode);
  json.key("default_tax_rate_id").value(s.default_tax_rate_id);
  tenders_json(json, s.tenders, s.tender_names);
  json.key("cash_rounding_minor").value(s.cash_rounding_minor);
  json.key("receipt_header").value(s.receipt_header);
  json.key("receipt_footer").value(s.receipt_footer);
  json.key("time_zone").value(s.time_zone);
  json.key("date_format").value(s.date_format);
  json.key("time_format").value(s.time_format);
  json.key("language").value(s.language);
  json.key("sell_only_in_shift").value(s.sell_only_in_shift);
  json.key("offline_grant_hours").value(s.offline_grant_hours);
  json.key("setup_completed").value(s.setup_completed);
  json.key("row_version").value(s.row_version);
  json.end_object();
}

}  // namespace

void settings_json(JsonWriter& json, const state::SettingsScreen& screen) {
  json.key("settings").begin_object();
  json.key("loading").value(screen.loading);
  json.key("offline").value(screen.offline);
  json.key("error").value(screen.error);
  json.key("error_field").value(screen.error_field);
  json.key("saved").value(screen.saved);
  json.key("server");
  if (screen.server)
    one(json, *screen.server);
  else
    json.null();
  json.key("draft");
  one(json, screen.draft);
  json.key("conflict");
  if (screen.conflict)
    one(json, *screen.conflict);
  else
    json.null();
  json.end_object();
}

void store_settings_fields(JsonWriter& json, const state::StoreInfo& store) {
  json.key("time_zone").value(store.time_zone);
  json.key("phone").value(store.phone);
  json.key("has_logo").value(!store.logo.empty());
  tenders_json(json, store.tenders, store.tender_names);
  json.key("date_format").value(store.date_format);
  json.key("time_format").value(store.time_format);
  json.key("language").value(store.language);
  json.key("sell_only_in_shift").value(store.sell_only_in_shift);
}

}  // namespace salespider::automation
