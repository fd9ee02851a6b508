// The back office's Settings screen (docs/back-office.md "Store settings"):
// the store's settings in sections (Store, Money, Tenders, Receipts, Time
// and language, Rules), one Save that sends what changed, a refused field's
// reason beside it, a stale save's two versions side by side. Offline: one
// line at the top and the till's copy, read-only. Like every screen it reads
// the AppState and emits Commands; text being typed is UI-local until Save.
// Deliberately not here: the rules of a field (the server's), I/O.
#include "ui/settings.hpp"

#include "state/tender_label.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <salespider/shared/currency.hpp>
#include <salespider/shared/i18n.hpp>

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace salespider::ui {

namespace {

using i18n::tr;
using i18n::trf;

struct SettingsForm {
  int generation = -1;  // the screen generation the fields were filled from
  char store_name[256] = "";
  char address[1024] = "";
  char phone[64] = "";
  char tax_id[80] = "";
  char currency[8] = "";
  char cash_rounding[40] = "";
  char names[kTenderKindCount][96] = {};
  char header[2048] = "";
  char footer[2048] = "";
  char time_zone[80] = "";
  char grant_hours[16] = "";
  char max_failures[16] = "";
  char max_per_address[16] = "";
  char window_minutes[16] = "";
  char lockout_minutes[16] = "";
  state::StoreSettings picks;  // what combos, checkboxes and choices hold
};
SettingsForm g_form;

void copy_text(char* buffer, std::size_t size, const std::string& text) {
  std::snprintf(buffer, size, "%s", text.c_str());
}
void copy_number(char* buffer, std::size_t size, std::int64_t n) {
  std::snprintf(buffer, size, "%lld", static_cast<long long>(n));
}
std::int64_t number_of(const char* text, std::int64_t fallback) {
  char* end = nullptr;
  const long long n = std::strtoll(text, &end, 10);
  return end == text || *end != 0 ? fallback : static_cast<std::int64_t>(n);
}

void fill_form(const state::AppState& s) {
  const state::StoreSettings& d = s.settings.draft;
  SettingsForm f;
  f.generation = s.settings.generation;
  copy_text(f.store_name, sizeof f.store_name, d.store_name);
  copy_text(f.address, sizeof f.address, d.address);
  copy_text(f.phone, sizeof f.phone, d.phone);
  copy_text(f.tax_id, sizeof f.tax_id, d.tax_id);
  copy_text(f.currency, sizeof f.currency, d.currency);
  copy_text(f.cash_rounding, sizeof f.cash_rounding, plain_money(s, d.cash_rounding_minor));
  for (std::size_t k = 0; k < kTenderKindCount; ++k) copy_text(f.names[k], sizeof f.names[k], d.tender_names[k]);
  copy_text(f.header, sizeof f.header, d.receipt_header);
  copy_text(f.footer, sizeof f.footer, d.receipt_footer);
  copy_text(f.time_zone, sizeof f.time_zone, d.time_zone);
  copy_number(f.grant_hours, sizeof f.grant_hours, d.offline_grant_hours);
  copy_number(f.max_failures, sizeof f.max_failures, d.login_max_failures);
  copy_number(f.max_per_address, sizeof f.max_per_address, d.login_max_failures_per_address);
  copy_number(f.window_minutes, sizeof f.window_minutes, d.login_window_minutes);
  copy_number(f.lockout_minutes, sizeof f.lockout_minutes, d.login_lockout_minutes);
  f.picks = d;
  g_form = f;
}

// What Save sends: the typed text over the choices, the logo from the state.
state::StoreSettings draft_from_form(const state::AppState& s) {
  state::StoreSettings d = g_form.picks;
  d.row_version = s.settings.draft.row_version;
  d.logo = s.settings.draft.logo;
  d.store_name = g_form.store_name;
  d.address = g_form.address;
  d.phone = g_form.phone;
  d.tax_id = g_form.tax_id;
  std::string code = g_form.currency;
  std::transform(code.begin(), code.end(), code.begin(), [](char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  d.currency = code;
  if (std::optional<std::int64_t> step = typed_amount(s, g_form.cash_rounding))
    d.cash_rounding_minor = *step;
  else
    d.cash_rounding_minor = -1;  // the server names the field
  for (std::size_t k = 0; k < kTenderKindCount; ++k) d.tender_names[k] = g_form.names[k];
  d.receipt_header = g_form.header;
  d.receipt_footer = g_form.footer;
  d.time_zone = g_form.time_zone;
  d.offline_grant_hours = number_of(g_form.grant_hours, -1);
  d.login_max_failures = number_of(g_form.max_failures, -1);
  d.login_max_failures_per_address = number_of(g_form.max_per_address, -1);
  d.login_window_minutes = number_of(g_form.window_minutes, -1);
  d.login_lockout_minutes = number_of(g_form.lockout_minutes, -1);
  return d;
}

// The server's reason, under the field it names.
void field_error(const state::SettingsScreen& st, const char* field) {
  if (st.error_field == field && !st.error.empty()) ImGui::TextColored(kError, "%s", st.error.c_str());
}

void text_field(const state::SettingsScreen& st, const char* label, const char* id, const char* key, char* buffer,
                std::size_t size) {
  field(label, id, buffer, size);
  field_error(st, key);
}

void lines_field(const state::SettingsScreen& st, const char* label, const char* id, const char* key, char* buffer,
                 std::size_t size) {
  ImGui::TextUnformatted(label);
  ImGui::InputTextMultiline(id, buffer, size, ImVec2(field_width(), ImGui::GetTextLineHeight() * 4.0f));
  field_error(st, key);
}

void store_section(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::SettingsScreen& st = s.settings;
  ImGui::SeparatorText(tr("Store"));
  text_field(st, tr("Store name"), "##settings-store-name", "store_name", g_form.store_name, sizeof g_form.store_name);
  lines_field(st, tr("Address"), "##settings-address", "address", g_form.address, sizeof g_form.address);
  text_field(st, tr("Phone"), "##settings-phone", "phone", g_form.phone, sizeof g_form.phone);
  text_field(st, tr("Tax ID"), "##settings-tax-id", "tax_id", g_form.tax_id, sizeof g_form.tax_id);
  ImGui::TextUnformatted(tr("Logo (printed on receipts)"));
  const std::string& logo = st.draft.logo;
  if (logo.empty()) {
    ImGui::TextColored(kMuted, "%s", tr("No logo."));
  } else {
    const bool png = logo.rfind("data:image/png", 0) == 0;
    const std::size_t bytes = (logo.size() - logo.find(',') - 1) / 4 * 3;
    ImGui::TextColored(kMuted, "%s",
                       trf("{type} image, {size} KiB", {{"type", png ? "PNG" : "JPEG"},
                                                         {"size", std::to_string((bytes + 1023) / 1024)}})
                           .c_str());
  }
  const bool can = !st.offline && !s.busy;
  if (button((std::string(tr("Choose a file")) + "###settings-logo-pick").c_str(), 200.0f, can))
    emitted.emplace_back(state::PickLogo{});
  ImGui::SameLine();
  if (button((std::string(tr("Remove logo")) + "###settings-logo-remove").c_str(), 200.0f, can && !logo.empty()))
    emitted.emplace_back(state::RemoveLogo{});
  field_error(st, "logo");
}

void money_section(const state::AppState& s) {
  const state::SettingsScreen& st = s.settings;
  state::StoreSettings& p = g_form.picks;
  ImGui::SeparatorText(tr("Money"));
  ImGui::TextUnformatted(tr("Currency"));
  ImGui::BeginDisabled(st.draft.currency_locked);
  ImGui::SetNextItemWidth(120.0f);
  ImGui::InputText("##settings-currency", g_form.currency, sizeof g_form.currency,
                   ImGuiInputTextFlags_CharsUppercase);
  ImGui::SameLine();
  Result<Currency> typed = find_currency(g_form.currency);
  ImGui::SetNextItemWidth(std::max(120.0f, field_width() - 140.0f));
  if (ImGui::BeginCombo("##settings-currency-list",
                        typed ? std::string(typed.value().info().name).c_str() : tr("Choose a currency"))) {
    for (const CurrencyInfo& c : known_currencies()) {
      const std::string item = std::string(c.code) + " — " + std::string(c.name);
      if (ImGui::Selectable(item.c_str(), typed && typed.value().code() == c.code))
        copy_text(g_form.currency, sizeof g_form.currency, std::string(c.code));
    }
    ImGui::EndCombo();
  }
  ImGui::EndDisabled();
  if (st.draft.currency_locked)
    ImGui::TextColored(kMuted, "%s", tr("Locked: the store has sales."));
  else if (!typed)
    ImGui::TextColored(kError, "%s", tr("Not a currency code this till knows."));
  field_error(st, "currency");

  ImGui::TextUnformatted(tr("Prices"));
  if (ImGui::RadioButton(tr("Include tax"), p.price_mode == "tax_inclusive")) p.price_mode = "tax_inclusive";
  ImGui::SameLine();
  if (ImGui::RadioButton(tr("Exclude tax (added at the till)"), p.price_mode == "tax_exclusive"))
    p.price_mode = "tax_exclusive";
  field_error(st, "price_mode");

  ImGui::TextUnformatted(tr("Default tax rate of a new product"));
  std::string current = tr("None");
  for (const state::TaxChoice& t : st.tax_rates)
    if (t.id == p.default_tax_rate_id) current = t.code + " " + t.name;
  if (!p.default_tax_rate_id.empty() && current == tr("None")) current = p.default_tax_rate_id;
  ImGui::SetNextItemWidth(field_width());
  if (ImGui::BeginCombo("##settings-default-tax", current.c_str())) {
    if (ImGui::Selectable(tr("None"), p.default_tax_rate_id.empty())) p.default_tax_rate_id.clear();
    for (const state::TaxChoice& t : st.tax_rates)
      if (ImGui::Selectable((t.code + " " + t.name + "##tax-" + t.id).c_str(), t.id == p.default_tax_rate_id))
        p.default_tax_rate_id = t.id;
    ImGui::EndCombo();
  }
  field_error(st, "default_tax_rate_id");
  field(tr("Cash rounding (smallest coin in use; 0: none)"), "##settings-cash-rounding", g_form.cash_rounding,
        sizeof g_form.cash_rounding, ImGuiInputTextFlags_CharsDecimal);
  field_error(st, "cash_rounding_minor");
}

void tenders_section(const state::SettingsScreen& st) {
  ImGui::SeparatorText(tr("Tenders"));
  ImGui::TextColored(kMuted, "%s", tr("Tick the tenders the till offers; a name replaces the usual one."));
  for (TenderKind k : kAllTenderKinds) {
    const auto i = static_cast<std::size_t>(k);
    const std::string kind(to_string(k));
    bool on = g_form.picks.tenders[i];
    if (ImGui::Checkbox((std::string(state::tender_label(k)) + "###settings-tender-" + kind).c_str(), &on))
      g_form.picks.tenders[i] = on;
    ImGui::SameLine(260.0f);
    ImGui::SetNextItemWidth(std::max(160.0f, field_width() - 260.0f));
    ImGui::InputTextWithHint(("##settings-tender-name-" + kind).c_str(), state::tender_label(k), g_form.names[i],
                             sizeof g_form.names[i]);
  }
  field_error(st, "enabled_tenders");
  field_error(st, "tender_names");
}

void receipts_section(const state::SettingsScreen& st) {
  ImGui::SeparatorText(tr("Receipts"));
  lines_field(st, tr("Header (above the lines)"), "##settings-header", "receipt_header", g_form.header,
              sizeof g_form.header);
  lines_field(st, tr("Footer (below the payment)"), "##settings-footer", "receipt_footer", g_form.footer,
              sizeof g_form.footer);
}

void time_section(const state::SettingsScreen& st) {
  state::StoreSettings& p = g_form.picks;
  ImGui::SeparatorText(tr("Time and language"));
  text_field(st, tr("Time zone (like Europe/Paris or Africa/Lagos)"), "##settings-time-zone", "time_zone",
             g_form.time_zone, sizeof g_form.time_zone);
  ImGui::TextUnformatted(tr("Date format"));
  ImGui::SetNextItemWidth(field_width());
  const char* shown = p.date_format.empty() ? tr("The language's usual format") : p.date_format.c_str();
  if (ImGui::BeginCombo("##settings-date-format", shown)) {
    for (std::string_view f : state::kDateFormats) {
      const std::string label = f.empty() ? std::string(tr("The language's usual format")) : std::string(f);
      if (ImGui::Selectable((label + "##date-" + std::string(f)).c_str(), p.date_format == f))
        p.date_format = std::string(f);
    }
    ImGui::EndCombo();
  }
  field_error(st, "date_format");
  ImGui::TextUnformatted(tr("Time format"));
  if (ImGui::RadioButton(tr("24-hour (14:30)"), p.time_format == "24h")) p.time_format = "24h";
  ImGui::SameLine();
  if (ImGui::RadioButton(tr("12-hour (2:30 PM)"), p.time_format == "12h")) p.time_format = "12h";
  ImGui::TextUnformatted(tr("Store language (a person may choose their own)"));
  ImGui::SetNextItemWidth(field_width());
  if (ImGui::BeginCombo("##settings-language", i18n::language_name(p.language).c_str())) {
    for (const std::string& lang : i18n::languages())
      if (ImGui::Selectable((i18n::language_name(lang) + "##lang-" + lang).c_str(), p.language == lang))
        p.language = lang;
    ImGui::EndCombo();
  }
  field_error(st, "language");
}

void rules_section(const state::SettingsScreen& st) {
  ImGui::SeparatorText(tr("Rules"));
  bool only = g_form.picks.sell_only_in_shift;
  if (ImGui::Checkbox((std::string(tr("Every till sells only within an open shift")) + "###settings-shift-only").c_str(),
                      &only))
    g_form.picks.sell_only_in_shift = only;
  text_field(st, tr("Offline sign-in lasts (hours, 1 to 720)"), "##settings-grant-hours", "offline_grant_hours",
             g_form.grant_hours, sizeof g_form.grant_hours);
  text_field(st, tr("Wrong passwords before an account locks (1 to 100)"), "##settings-max-failures",
             "login_max_failures", g_form.max_failures, sizeof g_form.max_failures);
  text_field(st, tr("Wrong passwords from one address before it is blocked (1 to 10000)"),
             "##settings-max-per-address", "login_max_failures_per_address", g_form.max_per_address,
             sizeof g_form.max_per_address);
  text_field(st, tr("Counted over (minutes, 1 to 1440)"), "##settings-window", "login_window_minutes",
             g_form.window_minutes, sizeof g_form.window_minutes);
  text_field(st, tr("Locked for (minutes, 1 to 10080)"), "##settings-lockout", "login_lockout_minutes",
             g_form.lockout_minutes, sizeof g_form.lockout_minutes);
}

// Yours / Now on the server, for the fields that differ.
void conflict_panel(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::StoreSettings mine = draft_from_form(s);
  const state::StoreSettings& theirs = *s.settings.conflict;
  ImGui::TextColored(kError, "%s", tr("Someone changed the settings while you were editing them."));
  struct Row {
    const char* label;
    std::string mine, theirs;
  };
  auto yes_no = [](bool b) { return std::string(b ? tr("yes") : tr("no")); };
  const Row rows[] = {
      {tr("Store name"), mine.store_name, theirs.store_name},
      {tr("Address"), mine.address, theirs.address},
      {tr("Phone"), mine.phone, theirs.phone},
      {tr("Tax ID"), mine.tax_id, theirs.tax_id},
      {tr("Currency"), mine.currency, theirs.currency},
      {tr("Prices"), mine.price_mode, theirs.price_mode},
      {tr("Cash rounding"), std::to_string(mine.cash_rounding_minor), std::to_string(theirs.cash_rounding_minor)},
      {tr("Header (above the lines)"), mine.receipt_header, theirs.receipt_header},
      {tr("Footer (below the payment)"), mine.receipt_footer, theirs.receipt_footer},
      {tr("Time zone"), mine.time_zone, theirs.time_zone},
      {tr("Date format"), mine.date_format, theirs.date_format},
      {tr("Time format"), mine.time_format, theirs.time_format},
      {tr("Store language"), mine.language, theirs.language},
      {tr("Sell only within a shift"), yes_no(mine.sell_only_in_shift), yes_no(theirs.sell_only_in_shift)},
      {tr("Logo"), mine.logo.empty() ? tr("none") : tr("set"), theirs.logo.empty() ? tr("none") : tr("set")},
  };
  if (ImGui::BeginTable("##settings-conflict", 3, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(tr("Field"));
    ImGui::TableSetupColumn(tr("Yours"));
    ImGui::TableSetupColumn(tr("Now on the server"));
    ImGui::TableHeadersRow();
    for (const Row& r : rows) {
      if (r.mine == r.theirs) continue;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.label);
      ImGui::TableNextColumn();
      ImGui::TextColored(kError, "%s", r.mine.c_str());
      ImGui::TableNextColumn();
      ImGui::TextColored(kError, "%s", r.theirs.c_str());
    }
    ImGui::EndTable();
  }
  if (button((std::string(tr("Keep mine")) + "###settings-keep-mine").c_str(), 200.0f, !s.busy))
    emitted.emplace_back(state::SettingsKeepMine{mine});
  ImGui::SameLine();
  if (button((std::string(tr("Use theirs")) + "###settings-use-theirs").c_str(), 200.0f, !s.busy))
    emitted.emplace_back(state::SettingsUseTheirs{});
  ImGui::Separator();
}

}  // namespace

void settings(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Settings##screen", true)) {
    const state::SettingsScreen& st = s.settings;
    title(tr("Settings"));
    ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 24.0f, ImGui::GetWindowWidth() - 200.0f));
    if (button((std::string(tr("Back")) + "###back").c_str(), 160.0f, !s.busy) ||
        (!s.busy && ImGui::IsKeyPressed(ImGuiKey_Escape, false)))
      emitted.emplace_back(state::Back{});
    if (st.offline)
      ImGui::TextColored(kOffline, "%s",
                         tr("Needs the store server — you are offline. These are the settings this till has."));
    message_line(s, emitted);
    if (st.generation != g_form.generation) fill_form(s);
    if (st.loading) ImGui::TextColored(kMuted, "%s", tr("Loading…"));
    if (!st.error.empty() && st.error_field.empty()) ImGui::TextColored(kError, "%s", st.error.c_str());
    if (st.conflict) conflict_panel(s, emitted);
    const bool can = !s.busy && !st.loading && !st.offline && st.server && !st.conflict;
    if (primary_button((std::string(tr("Save")) + "###settings-save").c_str(), ImVec2(200.0f, kButtonPx), can))
      emitted.emplace_back(state::SaveSettings{draft_from_form(s)});
    if (!st.error.empty() && !st.error_field.empty() && st.error_field != "row_version") {
      ImGui::SameLine();
      ImGui::AlignTextToFramePadding();
      ImGui::TextColored(kError, "%s", tr("Not saved: see the field marked below."));
    }
    ImGui::Separator();
    ImGui::BeginDisabled(st.offline || st.loading);
    // Two columns on a desktop or a tablet in landscape, one on a phone.
    const bool wide = ImGui::GetContentRegionAvail().x >= 900.0f;
    if (wide) {
      ImGui::BeginTable("##settings-columns", 2, ImGuiTableFlags_SizingStretchSame);
      ImGui::TableNextColumn();
    }
    store_section(s, emitted);
    money_section(s);
    tenders_section(st);
    if (wide) ImGui::TableNextColumn();
    time_section(st);
    receipts_section(st);
    rules_section(st);
    if (wide) ImGui::EndTable();
    ImGui::EndDisabled();
  }
  ImGui::End();
}

}  // namespace salespider::ui
