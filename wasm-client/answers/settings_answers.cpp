// The settings object and its PATCH body. See settings_answers.hpp.
#include "answers/settings_answers.hpp"

#include "json/fields.hpp"

namespace salespider::answers {

namespace {

using Json = jsonio::Json;

// A logo is at most 64 KiB of image: about 88 KB of base64.
constexpr std::size_t kMaxAnswerBytes = 1024 * 1024;

std::optional<state::StoreSettings> settings_of(const Json& o) {
  state::StoreSettings s;
  s.store_name = jsonio::text(o, "store_name");
  s.currency = jsonio::text(o, "currency");
  if (s.currency.empty() || !jsonio::read_integer(o, "row_version", s.row_version)) return std::nullopt;
  s.address = jsonio::text(o, "address");
  s.phone = jsonio::text(o, "phone");
  s.tax_id = jsonio::text(o, "tax_id");
  s.logo = jsonio::text(o, "logo");
  s.price_mode = jsonio::text(o, "price_mode");
  s.default_tax_rate_id = jsonio::text(o, "default_tax_rate_id");
  for (const std::string& t : jsonio::strings(o, "enabled_tenders"))
    if (Result<TenderKind> k = parse_tender_kind(t)) s.tenders[static_cast<std::size_t>(k.value())] = true;
  if (const Json* names = jsonio::object(o, "tender_names"))
    for (TenderKind k : kAllTenderKinds)
      s.tender_names[static_cast<std::size_t>(k)] = jsonio::text(*names, std::string(to_string(k)).c_str());
  s.cash_rounding_minor = jsonio::integer(o, "cash_rounding_minor");
  s.receipt_header = jsonio::text(o, "receipt_header");
  s.receipt_footer = jsonio::text(o, "receipt_footer");
  s.time_zone = jsonio::text(o, "time_zone");
  s.date_format = jsonio::text(o, "date_format");
  s.time_format = jsonio::text(o, "time_format");
  s.language = jsonio::text(o, "language");
  s.sell_only_in_shift = jsonio::flag(o, "sell_only_in_shift");
  s.offline_grant_hours = jsonio::integer(o, "offline_grant_hours");
  s.login_max_failures = jsonio::integer(o, "login_max_failures");
  s.login_max_failures_per_address = jsonio::integer(o, "login_max_failures_per_address");
  s.login_window_minutes = jsonio::integer(o, "login_window_minutes");
  s.login_lockout_minutes = jsonio::integer(o, "login_lockout_minutes");
  s.currency_locked = jsonio::flag(o, "currency_locked");
  s.setup_completed = jsonio::flag(o, "setup_completed");
  return s;
}

}  // namespace

std::optional<state::StoreSettings> parse_settings(std::string_view body) {
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return std::nullopt;
  return settings_of(*doc);
}

SettingsRefusal parse_settings_refusal(std::string_view body) {
  SettingsRefusal out;
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return out;
  const Json* error = jsonio::object(*doc, "error");
  if (!error) return out;
  out.field = jsonio::text(*error, "field");
  if (const Json* current = jsonio::object(*error, "current")) out.current = settings_of(*current);
  return out;
}

std::vector<state::TaxChoice> parse_tax_choices(std::string_view body) {
  std::vector<state::TaxChoice> out;
  std::optional<Json> doc = jsonio::parse_object(body, kMaxAnswerBytes);
  if (!doc) return out;
  const Json* items = jsonio::array(*doc, "tax_rates");
  if (!items) return out;
  for (const Json& it : *items) {
    if (!it.is_object() || !jsonio::flag(it, "is_active")) continue;
    out.push_back({jsonio::text(it, "id"), jsonio::text(it, "code"), jsonio::text(it, "name")});
  }
  return out;
}

std::string settings_patch_body(const state::StoreSettings& read, const state::StoreSettings& draft) {
  Json body = Json::object();
  body["row_version"] = read.row_version;
  auto text = [&](const char* key, const std::string& was, const std::string& now) {
    if (was != now) body[key] = now;
  };
  auto number = [&](const char* key, std::int64_t was, std::int64_t now) {
    if (was != now) body[key] = now;
  };
  text("store_name", read.store_name, draft.store_name);
  text("currency", read.currency, draft.currency);
  text("address", read.address, draft.address);
  text("phone", read.phone, draft.phone);
  text("tax_id", read.tax_id, draft.tax_id);
  if (read.logo != draft.logo) body["logo"] = draft.logo.empty() ? Json() : Json(draft.logo);
  text("price_mode", read.price_mode, draft.price_mode);
  if (read.default_tax_rate_id != draft.default_tax_rate_id)
    body["default_tax_rate_id"] = draft.default_tax_rate_id.empty() ? Json() : Json(draft.default_tax_rate_id);
  if (read.tenders != draft.tenders) {
    Json list = Json::array();
    for (TenderKind k : kAllTenderKinds)
      if (draft.tenders[static_cast<std::size_t>(k)]) list.push_back(std::string(to_string(k)));
    body["enabled_tenders"] = list;
  }
  if (read.tender_names != draft.tender_names) {
    Json names = Json::object();
    for (TenderKind k : kAllTenderKinds)
      names[std::string(to_string(k))] = draft.tender_names[static_cast<std::size_t>(k)];
    body["tender_names"] = names;
  }
  number("cash_rounding_minor", read.cash_rounding_minor, draft.cash_rounding_minor);
  text("receipt_header", read.receipt_header, draft.receipt_header);
  text("receipt_footer", read.receipt_footer, draft.receipt_footer);
  text("time_zone", read.time_zone, draft.time_zone);
  text("date_format", read.date_format, draft.date_format);
  text("time_format", read.time_format, draft.time_format);
  text("language", read.language, draft.language);
  if (read.sell_only_in_shift != draft.sell_only_in_shift) body["sell_only_in_shift"] = draft.sell_only_in_shift;
  number("offline_grant_hours", read.offline_grant_hours, draft.offline_grant_hours);
  number("login_max_failures", read.login_max_failures, draft.login_max_failures);
  number("login_max_failures_per_address", read.login_max_failures_per_address,
         draft.login_max_failures_per_address);
  number("login_window_minutes", read.login_window_minutes, draft.login_window_minutes);
  number("login_lockout_minutes", read.login_lockout_minutes, draft.login_lockout_minutes);
  return body.dump();
}

}  // namespace salespider::answers
