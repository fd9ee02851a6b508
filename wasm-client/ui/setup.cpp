// The first-run setup wizard (ux.md: one question per screen, big buttons):
// a progress line, the step's fields, Back / Next, and "Skip setup" on every
// step. Next saves only what changed on the step (nothing changed: just the
// next step). The products step opens the back office's own screens; the
// last step renames this till and says how to add more.
//
// Ids for the automation bridge: fields "##setup-store-name" …, currencies
// "…##currency-XOF", tenders "…##tender-cash". Text being typed stays
// UI-local, refilled when the settings change (setup.generation).
// Deliberately not here: HTTP (effects/setup.cpp), the rules (state/setup.cpp).
#include "ui/setup.hpp"

#include "state/tender_label.hpp"

#include "ui/staff.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <salespider/shared/currency.hpp>
#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>

namespace salespider::ui {

using i18n::N_;
using i18n::tr;
using i18n::trf;

namespace {

struct SetupForm {
  int generation = -1;
  char store_name[128] = "";
  char address[256] = "";
  char phone[64] = "";
  std::string currency;
  char currency_search[40] = "";
  bool tax_exclusive = false;
  char time_zone[64] = "";
  std::string date_format;
  char tax_code[40] = "";
  char tax_name[128] = "";
  char tax_rate[16] = "";
  std::vector<std::string> tenders;
  char till_name[64] = "";
  bool till_filled = false;
};
SetupForm g_setup;

void copy_text(char* buffer, std::size_t size, const std::string& text) {
  std::snprintf(buffer, size, "%s", text.c_str());
}

void refill(const state::AppState& s) {
  const state::SetupWizard& w = s.setup;
  if (g_setup.generation == w.generation) return;
  g_setup.generation = w.generation;
  const state::SetupSettings& st = w.settings;
  copy_text(g_setup.store_name, sizeof g_setup.store_name, st.store_name);
  copy_text(g_setup.address, sizeof g_setup.address, st.address);
  copy_text(g_setup.phone, sizeof g_setup.phone, st.phone);
  g_setup.currency = st.currency;
  g_setup.tax_exclusive = st.price_mode == "tax_exclusive";
  copy_text(g_setup.time_zone, sizeof g_setup.time_zone, st.time_zone);
  g_setup.date_format = st.date_format;
  g_setup.tenders = st.enabled_tenders;
  if (!g_setup.till_filled) {
    copy_text(g_setup.till_name, sizeof g_setup.till_name, s.till.name);
    g_setup.till_filled = true;
  }
}

std::string with_id(const char* label, const char* id) {
  return std::string(label) + "###" + id;
}

state::SetupStep step_at(int i) {
  return static_cast<state::SetupStep>(std::clamp(i, 0, state::kSetupSteps - 1));
}

// Only what differs from the settings as read; nullopt when nothing does.
std::optional<state::SetupPatch> step_patch(const state::SetupWizard& w) {
  const state::SetupSettings& st = w.settings;
  state::SetupPatch p;
  bool any = false;
  auto text = [&any](std::optional<std::string>& out, const std::string& now, const std::string& was) {
    if (now == was) return;
    out = now;
    any = true;
  };
  switch (w.step) {
    case state::SetupStep::store:
      text(p.store_name, g_setup.store_name, st.store_name);
      text(p.address, g_setup.address, st.address);
      text(p.phone, g_setup.phone, st.phone);
      break;
    case state::SetupStep::money:
      text(p.currency, g_setup.currency, st.currency);
      text(p.price_mode, g_setup.tax_exclusive ? "tax_exclusive" : "tax_inclusive", st.price_mode);
      break;
    case state::SetupStep::time:
      text(p.time_zone, g_setup.time_zone, st.time_zone);
      text(p.date_format, g_setup.date_format, st.date_format);
      break;
    case state::SetupStep::tenders:
      if (g_setup.tenders != st.enabled_tenders) {
        p.enabled_tenders = g_setup.tenders;
        any = true;
      }
      break;
    default:
      break;
  }
  if (!any) return std::nullopt;
  return p;
}

void error_line(const state::SetupWizard& w) {
  if (!w.error.empty()) ImGui::TextColored(kError, "%s", w.error.c_str());
  if (!w.done.empty()) ImGui::TextColored(kOnline, "%s", w.done.c_str());
}

void store_step() {
  ImGui::TextWrapped("%s", tr("The store's name, address and phone appear on every receipt."));
  field(tr("Store name"), "##setup-store-name", g_setup.store_name, sizeof g_setup.store_name);
  field(tr("Address"), "##setup-address", g_setup.address, sizeof g_setup.address);
  field(tr("Phone"), "##setup-phone", g_setup.phone, sizeof g_setup.phone);
}

void money_step() {
  ImGui::TextWrapped("%s", tr("The currency cannot be changed once the store has sold something."));
  // A search field over the known currencies, each a tap target (a long
  // drop-down list is hard to use on a phone).
  field(tr("Search currencies"), "##setup-currency-search", g_setup.currency_search, sizeof g_setup.currency_search);
  std::string wanted = g_setup.currency_search;
  for (char& ch : wanted) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  ImGui::TextUnformatted(trf("Currency: {code}", {{"code", g_setup.currency}}).c_str());
  ImGui::BeginChild("##setup-currencies", ImVec2(field_width(), 4.0f * kMinTouchPx));
  for (const CurrencyInfo& c : known_currencies()) {
    const std::string code(c.code);
    std::string text = code + " · " + std::string(c.name);
    std::string lower = text;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (!wanted.empty() && lower.find(wanted) == std::string::npos) continue;
    const std::string label = text + " (" + std::string(c.symbol) + ")##currency-" + code;
    if (ImGui::Selectable(label.c_str(), code == g_setup.currency, 0, ImVec2(0.0f, kMinTouchPx)))
      g_setup.currency = code;
  }
  ImGui::EndChild();
  ImGui::Dummy(ImVec2(0.0f, 8.0f));
  ImGui::TextUnformatted(tr("Prices"));
  const std::string incl = with_id(tr("Prices include tax"), "price-inclusive");
  const std::string excl = with_id(tr("Tax is added to prices"), "price-exclusive");
  if (ImGui::RadioButton(incl.c_str(), !g_setup.tax_exclusive)) g_setup.tax_exclusive = false;
  if (ImGui::RadioButton(excl.c_str(), g_setup.tax_exclusive)) g_setup.tax_exclusive = true;
}

void time_step() {
  ImGui::TextWrapped("%s", tr("Receipts, reports and the day's end follow the store's time zone."));
  field(tr("Time zone (e.g. Africa/Lagos)"), "##setup-time-zone", g_setup.time_zone, sizeof g_setup.time_zone);
  ImGui::TextUnformatted(tr("Date format"));
  ImGui::SetNextItemWidth(field_width());
  const std::string shown = g_setup.date_format.empty() ? std::string(tr("The language's default")) : g_setup.date_format;
  if (ImGui::BeginCombo("##setup-date-format", shown.c_str())) {
    for (std::string_view f : state::kDateFormats) {
      const std::string label = (!f.empty() ? std::string(f) : std::string(tr("The language's default"))) +
                                "##date-" + (!f.empty() ? std::string(f) : std::string("default"));
      if (ImGui::Selectable(label.c_str(), g_setup.date_format == f, 0, ImVec2(0.0f, kMinTouchPx)))
        g_setup.date_format = std::string(f);
    }
    ImGui::EndCombo();
  }
}

void tax_step(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::SetupWizard& w = s.setup;
  if (!w.settings.default_tax_rate_id.empty())
    ImGui::TextColored(kOnline, "%s", tr("The store has a default tax rate."));
  ImGui::TextWrapped("%s", tr("The tax rate most products carry (more can be added in the back office), or none."));
  field(tr("Code (e.g. VAT)"), "##setup-tax-code", g_setup.tax_code, sizeof g_setup.tax_code);
  field(tr("Name"), "##setup-tax-name", g_setup.tax_name, sizeof g_setup.tax_name);
  field(tr("Rate in percent (e.g. 7.5)"), "##setup-tax-rate", g_setup.tax_rate, sizeof g_setup.tax_rate);
  if (primary_button(with_id(tr("Add tax rate"), "setup-tax-add").c_str(), ImVec2(260.0f, kButtonPx), !w.saving))
    emitted.emplace_back(state::SetupTaxRate{g_setup.tax_code, g_setup.tax_name, g_setup.tax_rate,
                                             state::SetupStep::tenders});
}

void tenders_step() {
  ImGui::TextWrapped("%s", tr("Which payment methods this store takes."));
  for (const std::string& kind : state::setup_tender_kinds()) {
    bool on = std::find(g_setup.tenders.begin(), g_setup.tenders.end(), kind) != g_setup.tenders.end();
    const Result<TenderKind> tender = parse_tender_kind(kind);
    const std::string label =
        std::string(tender ? state::tender_label(tender.value()) : kind.c_str()) + "##tender-" + kind;
    if (ImGui::Checkbox(label.c_str(), &on)) {
      if (on) {
        // Kept in the catalogue's order, whatever the order of the taps.
        std::vector<std::string> next;
        for (const std::string& k : state::setup_tender_kinds())
          if (k == kind || std::find(g_setup.tenders.begin(), g_setup.tenders.end(), k) != g_setup.tenders.end())
            next.push_back(k);
        g_setup.tenders = std::move(next);
      } else {
        g_setup.tenders.erase(std::remove(g_setup.tenders.begin(), g_setup.tenders.end(), kind), g_setup.tenders.end());
      }
    }
  }
}

void products_step(const state::AppState& s, std::vector<state::Command>& emitted) {
  ImGui::TextWrapped("%s", tr("Add products one by one, import a spreadsheet, or do it later from the back office."));
  const bool can = !s.setup.saving;
  if (primary_button(with_id(tr("Open the product editor"), "setup-products").c_str(), ImVec2(320.0f, kButtonPx), can))
    emitted.emplace_back(state::SetupOpenProducts{false});
  if (primary_button(with_id(tr("Import a CSV file"), "setup-csv").c_str(), ImVec2(320.0f, kButtonPx), can))
    emitted.emplace_back(state::SetupOpenProducts{true});
  if (button(with_id(tr("Later"), "setup-later").c_str(), 200.0f, can))
    emitted.emplace_back(state::SetupGoTo{state::SetupStep::till});
}

void till_step(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::SetupWizard& w = s.setup;
  ImGui::TextWrapped("%s", trf("This till is {code}, called {name}.", {{"code", s.till.code}, {"name", s.till.name}}).c_str());
  field(tr("This till's name"), "##setup-till-name", g_setup.till_name, sizeof g_setup.till_name);
  if (button(with_id(tr("Rename this till"), "setup-till-rename").c_str(), 260.0f,
             !w.saving && g_setup.till_name[0] != '\0' && s.till.name != g_setup.till_name))
    emitted.emplace_back(state::RenameThisTill{g_setup.till_name});
  ImGui::Dummy(ImVec2(0.0f, 8.0f));
  ImGui::TextWrapped("%s", trf("To add another till, open {url} on that device, trust the store's certificate if "
                               "asked, then open the till and enrol it with a manager's login.",
                               {{"url", w.setup_url}})
                               .c_str());
}

}  // namespace

void setup_wizard(const state::AppState& s, std::vector<state::Command>& emitted) {
  const state::SetupWizard& w = s.setup;
  refill(s);
  if (begin_screen("Setup##screen", true)) {
    title(tr("Set up your store"));
    const int at = static_cast<int>(w.step);
    ImGui::TextColored(kMuted, "%s",
                       trf("Step {n} of {total}: {step}", {{"n", std::to_string(at + 1)},
                                                           {"total", std::to_string(state::kSetupSteps)},
                                                           {"step", tr(state::setup_step_title(w.step))}})
                           .c_str());
    ImGui::ProgressBar(static_cast<float>(at + 1) / static_cast<float>(state::kSetupSteps), ImVec2(field_width(), 8.0f), "");
    if (!s.sync.online) ImGui::TextColored(kOffline, "%s", tr("Needs the store server — you are offline."));
    error_line(w);
    ImGui::Separator();
    switch (w.step) {
      case state::SetupStep::store:
        store_step();
        break;
      case state::SetupStep::money:
        money_step();
        break;
      case state::SetupStep::time:
        time_step();
        break;
      case state::SetupStep::tax:
        tax_step(s, emitted);
        break;
      case state::SetupStep::tenders:
        tenders_step();
        break;
      case state::SetupStep::products:
        products_step(s, emitted);
        break;
      case state::SetupStep::till:
        till_step(s, emitted);
        break;
    }
    ImGui::Separator();
    const bool can = !w.saving;
    if (button(with_id(tr("Back"), "setup-back").c_str(), 160.0f, can && at > 0))
      emitted.emplace_back(state::SetupGoTo{step_at(at - 1)});
    ImGui::SameLine();
    const bool last = at == state::kSetupSteps - 1;
    if (last) {
      if (primary_button(with_id(tr("Finish"), "setup-finish").c_str(), ImVec2(200.0f, kButtonPx), can)) {
        state::SetupPatch p;
        p.complete = true;
        emitted.emplace_back(state::SaveSetup{p, w.step});
      }
    } else if (primary_button(with_id(tr("Next"), "setup-next").c_str(), ImVec2(200.0f, kButtonPx), can)) {
      if (std::optional<state::SetupPatch> p = step_patch(w))
        emitted.emplace_back(state::SaveSetup{*p, step_at(at + 1)});
      else
        emitted.emplace_back(state::SetupGoTo{step_at(at + 1)});
    }
    ImGui::SameLine();
    if (button(with_id(tr("Skip setup"), "setup-skip").c_str(), 200.0f, can)) {
      state::SetupPatch p;
      p.complete = true;
      emitted.emplace_back(state::SaveSetup{p, w.step});
    }
    if (w.saving) ImGui::TextColored(kMuted, "%s", tr("Saving…"));
  }
  ImGui::End();
}

void retired_till_notice(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!s.sync.credential_refused) return;
  ImGui::TextColored(kError, "%s",
                     trf("This till was retired; {n} sales/ops are not on the server yet. Ask a manager to re-enrol "
                         "this till, or export them.",
                         {{"n", std::to_string(s.storage.pending_ops)}})
                         .c_str());
  if (button(lbl(tr("Export"), "###retired-export").c_str(), 200.0f)) emitted.emplace_back(state::ExportPendingOps{});
  enrol_with_code(s, emitted);
  ImGui::Separator();
}

}  // namespace salespider::ui
