// See settings.hpp.
#include "service/settings.hpp"

#include <algorithm>
#include <set>

#include "auth/crypto.hpp"
#include "salespider/shared/currency.hpp"
#include "salespider/shared/i18n.hpp"
#include "salespider/shared/ids.hpp"
#include "salespider/shared/money.hpp"
#include "salespider/shared/payment.hpp"
#include "salespider/shared/text.hpp"
#include "service/audit_entry.hpp"

namespace salespider::service {
namespace {

using nlohmann::json;
using i18n::N_;

constexpr std::size_t kMaxLogoBytes = 64 * 1024;
constexpr std::size_t kMaxTenderName = 40;

const std::vector<std::string> kWritable{
    "store_name",          "currency",           "address",
    "phone",               "tax_id",             "logo",
    "price_mode",          "default_tax_rate_id", "enabled_tenders",
    "tender_names",        "cash_rounding_minor", "receipt_header",
    "receipt_footer",      "time_zone",          "date_format",
    "time_format",         "language",           "sell_only_in_shift",
    "offline_grant_hours", "login_max_failures", "login_max_failures_per_address",
    "login_window_minutes", "login_lockout_minutes", "setup_completed"};

Failure wrong_type(const std::string& field, const char* what) {
  return fail(Problem::bad_request, "{field}: must be {what}", field, {{"field", field}, {"what", what}});
}
Failure invalid(const std::string& field, const char* why) { return fail(Problem::invalid, why, field); }

// Counts code points, as a person counts characters.
std::size_t characters(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// One line of text of at most `max` characters.
Completion line(const std::string& field, const json& v, std::size_t max, bool may_be_empty = true) {
  if (!v.is_string()) return wrong_type(field, "a string");
  const auto s = v.get<std::string>();
  if (!is_clean_text(s)) return invalid(field, N_("one line of text, without control characters"));
  if (!may_be_empty && s.empty()) return invalid(field, N_("must not be empty"));
  if (characters(s) > max)
    return fail(Problem::invalid, N_("at most {max} characters"), field, {{"max", std::to_string(max)}});
  return Done{};
}

// Text that may span lines (an address, a receipt's header).
Completion lines(const std::string& field, const json& v, std::size_t max) {
  if (!v.is_string()) return wrong_type(field, "a string");
  const auto s = v.get<std::string>();
  const bool controls = std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n') || u == 0x7F;
  });
  if (!is_valid_utf8(s) || controls) return invalid(field, N_("text without control characters"));
  if (characters(s) > max)
    return fail(Problem::invalid, N_("at most {max} characters"), field, {{"max", std::to_string(max)}});
  return Done{};
}

Completion whole(const std::string& field, const json& v, std::int64_t low, std::int64_t high) {
  if (!v.is_number_integer()) return wrong_type(field, "a whole number");
  const auto n = v.get<std::int64_t>();
  if (n < low || n > high)
    return fail(Problem::invalid, N_("a whole number from {low} to {high}"), field,
                {{"low", std::to_string(low)}, {"high", std::to_string(high)}});
  return Done{};
}

Completion one_of(const std::string& field, const json& v, std::initializer_list<const char*> allowed) {
  if (!v.is_string()) return wrong_type(field, "a string");
  const auto s = v.get<std::string>();
  std::string list;
  for (const char* a : allowed) {
    if (s == a) return Done{};
    list += std::string(list.empty() ? "" : ", ") + (*a ? a : "\"\"");
  }
  return fail(Problem::invalid, N_("one of {list}"), field, {{"list", list}});
}

// A PNG or JPEG as a data: URL, the bytes telling the truth about the type.
Completion logo(const json& v) {
  if (v.is_null()) return Done{};
  if (!v.is_string()) return wrong_type("logo", "a data: URL or null");
  const auto s = v.get<std::string>();
  const std::string png = "data:image/png;base64,", jpeg = "data:image/jpeg;base64,";
  const bool is_png = s.rfind(png, 0) == 0, is_jpeg = s.rfind(jpeg, 0) == 0;
  if (!is_png && !is_jpeg) return invalid("logo", N_("a PNG or JPEG image (data:image/png;base64,...)"));
  std::string b64 = s.substr(is_png ? png.size() : jpeg.size());
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  for (char& c : b64) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
    else if (c == '-' || c == '_') c = '!';  // not standard base64: make the decoder refuse it
  }
  const auto bytes = auth::base64url_decode(b64);
  if (!bytes) return invalid("logo", N_("the image is not valid base64"));
  if (bytes->size() > kMaxLogoBytes)
    return fail(Problem::invalid, N_("the image is larger than {max} KiB"), "logo", {{"max", "64"}});
  const bool png_magic = bytes->rfind("\x89PNG\r\n\x1a\n", 0) == 0;
  const bool jpeg_magic = bytes->rfind("\xFF\xD8\xFF", 0) == 0;
  if ((is_png && !png_magic) || (is_jpeg && !jpeg_magic))
    return invalid("logo", N_("the file is not a PNG or JPEG image"));
  return Done{};
}

Completion tenders(const json& v) {
  if (!v.is_array()) return wrong_type("enabled_tenders", "an array of tender names");
  std::set<std::string> seen;
  for (const auto& t : v) {
    if (!t.is_string()) return wrong_type("enabled_tenders", "an array of tender names");
    if (!parse_tender_kind(t.get<std::string>()))
      return invalid("enabled_tenders", N_("tenders are cash, card, bank_transfer, mobile_money, voucher, other"));
    if (!seen.insert(t.get<std::string>()).second)
      return invalid("enabled_tenders", N_("a tender is listed twice"));
  }
  if (seen.empty()) return invalid("enabled_tenders", N_("enable at least one tender"));
  return Done{};
}

Completion tender_names(const json& v) {
  if (!v.is_object()) return wrong_type("tender_names", "an object of tender: name");
  for (const auto& [kind, name] : v.items()) {
    if (!parse_tender_kind(kind))
      return invalid("tender_names", N_("tenders are cash, card, bank_transfer, mobile_money, voucher, other"));
    if (auto ok = line("tender_names", name, kMaxTenderName); !ok) return ok;
  }
  return Done{};
}

Completion check_field(db::Pool& pool, const std::string& f, const json& v) {
  if (f == "store_name") return line(f, v, 200, false);
  if (f == "currency") {
    if (!v.is_string()) return wrong_type(f, "a currency code");
    if (!find_currency(v.get<std::string>())) return invalid(f, N_("not a currency code this till knows (ISO 4217)"));
    return Done{};
  }
  if (f == "address") return lines(f, v, 500);
  if (f == "phone") return line(f, v, 40);
  if (f == "tax_id") return line(f, v, 64);
  if (f == "logo") return logo(v);
  if (f == "price_mode") return one_of(f, v, {"tax_inclusive", "tax_exclusive"});
  if (f == "default_tax_rate_id") {
    if (v.is_null()) return Done{};
    if (!v.is_string()) return wrong_type(f, "a tax rate id or null");
    if (!parse_uuid(v.get<std::string>())) return invalid(f, N_("not a tax rate of this store"));
    return Done{};
  }
  if (f == "enabled_tenders") return tenders(v);
  if (f == "tender_names") return tender_names(v);
  if (f == "cash_rounding_minor") return whole(f, v, 0, kMaxMoneyMinor);
  if (f == "receipt_header" || f == "receipt_footer") return lines(f, v, 2000);
  if (f == "time_zone") {
    if (!v.is_string()) return wrong_type(f, "a time zone name");
    const auto z = v.get<std::string>();
    if (z.empty() || z.size() > 64 || !is_clean_text(z) || !db::settings::is_time_zone(pool, z))
      return invalid(f, N_("not a time zone name (like Europe/Paris or Africa/Lagos)"));
    return Done{};
  }
  if (f == "date_format") return one_of(f, v, {"", "DD/MM/YYYY", "MM/DD/YYYY", "YYYY-MM-DD", "DD.MM.YYYY"});
  if (f == "time_format") return one_of(f, v, {"24h", "12h"});
  if (f == "language") {
    if (!v.is_string()) return wrong_type(f, "a language code");
    if (!i18n::has_language(v.get<std::string>())) return invalid(f, N_("not a language of the catalogue"));
    return Done{};
  }
  if (f == "sell_only_in_shift" || f == "setup_completed") {
    if (!v.is_boolean()) return wrong_type(f, "true or false");
    return Done{};
  }
  if (f == "offline_grant_hours") return whole(f, v, 1, 720);
  if (f == "login_max_failures") return whole(f, v, 1, 100);
  if (f == "login_max_failures_per_address") return whole(f, v, 1, 10000);
  if (f == "login_window_minutes") return whole(f, v, 1, 1440);
  if (f == "login_lockout_minutes") return whole(f, v, 1, 10080);
  return fail(Problem::bad_request, "{field}: unknown field", f, {{"field", f}});
}

}  // namespace

const std::vector<std::string>& writable_settings_fields() { return kWritable; }

Outcome<SettingsRow> read_settings(db::Pool& pool, const std::string& store_id) {
  auto row = db::settings::read(pool, store_id);
  if (!row) return fail(Problem::not_found, "no such store");
  return *row;
}

Outcome<SettingsRow> update_settings(db::Pool& pool, const std::string& store_id, const json& body,
                                     const auth::Actor& actor) {
  if (!body.is_object()) return fail(Problem::bad_request, "the body must be a JSON object");
  if (!body.contains("row_version")) return fail(Problem::bad_request, "row_version: required", "row_version");
  if (!body["row_version"].is_number_integer()) return wrong_type("row_version", "a whole number");
  json changes = json::object();
  for (const auto& [field, value] : body.items()) {
    if (field == "row_version") continue;
    if (auto ok = check_field(pool, field, value); !ok) return ok.error();
    changes[field] = value;
  }
  auto before = db::settings::read(pool, store_id);
  if (!before) return fail(Problem::not_found, "no such store");
  int shift = 0;
  if (changes.contains("currency")) {
    const auto from = find_currency(before->currency), to = find_currency(changes["currency"].get<std::string>());
    if (from && to) shift = to->exponent() - from->exponent();
  }
  using Status = db::settings::Write::Status;
  auto w = db::settings::update(pool, store_id, body["row_version"].get<std::int64_t>(), changes, shift,
                                audit_entry(store_id, actor, "settings.update"));
  switch (w.status) {
    case Status::ok:
      return *w.row;
    case Status::not_found:
      return fail(Problem::not_found, "no such store");
    case Status::stale:
      return stale(settings_json(*w.row));
    case Status::currency_locked:
      return fail(Problem::conflict, N_("the store has sales: its currency can no longer change"), "currency");
    case Status::unknown_tax_rate:
      return invalid("default_tax_rate_id", N_("not a tax rate of this store"));
    case Status::price_out_of_range:
      return invalid("currency", N_("a product's price would be above the largest amount in this currency"));
  }
  return fail(Problem::invalid, "unreachable");
}

}  // namespace salespider::service
