// The till's screens: welcome, enrol, sign in (password or PIN), the till
// (barcode entry, cart, totals, Pay), cash payment and the device screen,
// each under the status bar that never disappears (ux.md).
//
// Each screen is one full-viewport ImGui window with its own name, so item
// ids (and thus widgets() ids) differ per screen and stay stable across
// reloads. Text fields keep their label in the id after "##" (the label is
// drawn above the field), so tests find them by full_label.
// The selling screens (till, pay, parked sales, approval) are in selling.cpp.
#include "ui/screens.hpp"

#include "ui/audit.hpp"
#include "ui/reports.hpp"
#include "ui/back_office.hpp"
#include "ui/back_office_stock.hpp"
#include "ui/day.hpp"
#include "ui/guard_notes.hpp"
#include "ui/language.hpp"
#include "ui/printer.hpp"
#include "ui/selling.hpp"
#include "ui/settings.hpp"
#include "ui/staff.hpp"
#include "ui/setup.hpp"
#include "ui/server_alerts.hpp"
#include "ui/shifts_archive.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"
#include "state/clock_off.hpp"

#include <imgui.h>
#include <salespider/shared/i18n.hpp>
#include <salespider/shared/money_format.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::trc;
using i18n::trf;

namespace {

constexpr ImGuiWindowFlags kScreenFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoBringToFrontOnFocus;
constexpr float kStatusBarPx = 44.0f;  // one row; a phone in portrait wraps to more

// Text the person is typing. UI-local on purpose: it is not app state until
// submitted, and secrets are wiped right after submission.
struct Forms {
  char enrol_login[128] = "";
  char enrol_password[256] = "";
  char enrol_name[64] = "";  // "Till" in the person's language, filled on first draw
  char login[128] = "";
  char password[256] = "";
  char pin_login[128] = "";
  char pin[16] = "";
};
Forms g_forms;

void offline_notice(const state::AppState& s, const char* what) {
  if (s.sync.online) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kOffline);
  ImGui::TextWrapped("%s", trf("{what} needs the store server — you are offline.", {{"what", what}}).c_str());
  ImGui::PopStyleColor();
}

std::string ago(std::int64_t now_ms, std::int64_t then_ms) {
  if (then_ms <= 0) return tr("never");
  const std::int64_t s = std::max<std::int64_t>(0, (now_ms - then_ms) / 1000);
  if (s < 60) return trf("{n} s ago", {{"n", std::to_string(s)}});
  if (s < 3600) return trf("{n} min ago", {{"n", std::to_string(s / 60)}});
  if (s < 86400) return trf("{n} h ago", {{"n", std::to_string(s / 3600)}});
  return trf("{n} d ago", {{"n", std::to_string(s / 86400)}});
}

// The status bar's items flow like words: one goes on the current row if it
// fits, else starts the next (a phone in portrait gets two or three rows).
class Flow {
 public:
  void next(const std::string& text) {
    const float w = ImGui::CalcTextSize(text.c_str()).x;
    if (!first_ && ImGui::GetItemRectMax().x + kGap + w <= ImGui::GetWindowPos().x + ImGui::GetWindowWidth() -
                                                                ImGui::GetStyle().WindowPadding.x)
      ImGui::SameLine(0.0f, kGap);
    first_ = false;
  }

 private:
  static constexpr float kGap = 24.0f;
  bool first_ = true;
};

void flow_text(Flow& flow, const ImVec4* colour, const std::string& text) {
  flow.next(text);
  if (colour)
    ImGui::TextColored(*colour, "%s", text.c_str());
  else
    ImGui::TextUnformatted(text.c_str());
}

// Store · till · cashier · Online/Offline · pending · last sync · attention · skew.
void status_bar(const state::AppState& s) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->WorkPos);
  ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, 0.0f));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.90f, 0.91f, 0.90f, 1.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12.0f, 10.0f));
  if (ImGui::Begin("Status##bar", nullptr,
                   kScreenFlags | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_AlwaysAutoResize)) {
    Flow flow;
    const std::string store = s.store.known ? s.store.name : std::string("SaleSpider");
    const std::string till = s.till.enrolled ? trf("Till {code}", {{"code", s.till.code}}) : std::string(tr("not enrolled"));
    flow_text(flow, nullptr, store + " · " + till);
    if (s.user)
      flow_text(flow, nullptr, s.user->offline ? trf("{name} (offline sign-in)", {{"name", s.user->display_name}})
                                               : s.user->display_name);
    else
      flow_text(flow, &kMuted, tr("nobody signed in"));
    if (!s.till.enrolled)
      flow_text(flow, &kMuted, s.sync.online ? tr("Server reachable") : tr("Offline"));
    else
      flow_text(flow, s.sync.online ? &kOnline : &kOffline, s.sync.online ? tr("● Online") : tr("○ Offline"));
    flow_text(flow, nullptr, trf("{n} pending", {{"n", std::to_string(s.storage.pending_ops)}}));
    if (s.sync.bootstrapping && s.sync.bootstrap_total > 0)
      flow_text(flow, nullptr, trf("loading catalog {done} / {total}", {{"done", std::to_string(s.sync.bootstrap_done)},
                                                                        {"total", std::to_string(s.sync.bootstrap_total)}}));
    else
      flow_text(flow, &kMuted, trf("synced {ago}", {{"ago", ago(s.sync.now_ms, s.sync.last_sync_ms)}}));
    if (s.storage.needs_attention > 0)
      flow_text(flow, &kError, trf("{n} needs attention", {{"n", std::to_string(s.storage.needs_attention)}}));
    if (const auto off = state::clock_off(s.sync.clock_skew_ms)) flow_text(flow, &kError, state::clock_off_text(*off));
    if (const std::string marker = state::alerts_marker(s); !marker.empty()) flow_text(flow, &kError, marker);
    if (s.sync.protocol_too_old)
      flow_text(flow, &kError, tr("app too old for the server: update"));
    else if (s.sync.credential_refused)
      flow_text(flow, &kError,
                trf("till retired: {n} ops not on the server (Device: re-enrol or export)",
                    {{"n", std::to_string(s.storage.pending_ops)}}));
    for (const std::string& note : guard_status_notes(s)) flow_text(flow, &kError, note);
  }
  set_status_bar_height(std::max(kStatusBarPx, ImGui::GetWindowHeight()));
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

void welcome(const state::AppState& state, std::vector<state::Command>& emitted) {
  if (begin_screen("Welcome##screen", false)) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float title_h = title_font()->FontSize * ImGui::GetIO().FontGlobalScale;
    const float content_h = title_h + style.ItemSpacing.y + ImGui::GetTextLineHeight() +
                            2.0f * style.ItemSpacing.y + kPrimaryButtonPx;
    ImGui::SetCursorPosY(std::max(style.WindowPadding.y, (ImGui::GetWindowHeight() - content_h) * 0.5f));

    ImGui::PushFont(title_font());
    centered_text("SaleSpider");
    ImGui::PopFont();
    centered_text(tr("Point of sale that keeps selling offline"));
    read_only_notice(state);
    ImGui::Dummy(ImVec2(0.0f, style.ItemSpacing.y));

    const float button_w = std::min(360.0f, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - button_w) * 0.5f);
    if (primary_button(lbl(tr("Open till"), "###open-till").c_str(), ImVec2(button_w, kPrimaryButtonPx)) ||
        ImGui::IsKeyPressed(ImGuiKey_Enter, false))
      emitted.emplace_back(state::OpenTill{});
  }
  ImGui::End();
}


void enrol(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Enrol##screen", true)) {
    title(tr("Enrol this till"));
    ImGui::TextWrapped("%s",
        tr("This browser is not a till yet. A manager or owner enrols it once, with the store server reachable; "
           "after that it sells with or without the server."));
    offline_notice(s, tr("Enrolment"));
    if (g_forms.enrol_name[0] == 0) std::snprintf(g_forms.enrol_name, sizeof g_forms.enrol_name, "%s", tr("Till"));
    read_only_notice(s);
    bool submit = field(tr("Manager e-mail or username"), "##manager-login", g_forms.enrol_login,
                        sizeof g_forms.enrol_login);
    submit |= field(tr("Password"), "##manager-password", g_forms.enrol_password, sizeof g_forms.enrol_password,
                    ImGuiInputTextFlags_Password);
    submit |= field(tr("Till name"), "##till-name", g_forms.enrol_name, sizeof g_forms.enrol_name);
    const bool ready = !s.busy && g_forms.enrol_login[0] != 0 && g_forms.enrol_password[0] != 0;
    if (primary_button(lbl(s.busy ? tr("Enrolling…") : tr("Enrol this till"), "###enrol").c_str(), ImVec2(field_width(), kPrimaryButtonPx),
                       ready) ||
        (submit && ready)) {
      emitted.emplace_back(state::SubmitEnrol{g_forms.enrol_login, g_forms.enrol_password, g_forms.enrol_name, ""});
      wipe(g_forms.enrol_password, sizeof g_forms.enrol_password);
      // The manager is signed in on this till right after enrolment.
      std::snprintf(g_forms.login, sizeof g_forms.login, "%s", g_forms.enrol_login);
    }
    enrol_with_code(s, emitted);
    message_line(s, emitted);
    if (button(tr("Back"), 160.0f, !s.busy) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
  }
  ImGui::End();
}

void login(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Login##screen", true)) {
    title(tr("Sign in"));
    // The device's language, before anyone signs in: at the top, where a
    // person who cannot read the rest finds it.
    language_picker(s, emitted);
    if (!s.sync.online)
      ImGui::TextColored(kOffline, "%s",
                         tr("Offline: people who signed in on this till before can sign in; the server checks it later."));
    read_only_notice(s);
    bool submit = field(tr("E-mail or username"), "##login", g_forms.login, sizeof g_forms.login);
    submit |= field(tr("Password"), "##password", g_forms.password, sizeof g_forms.password,
                    ImGuiInputTextFlags_Password);
    const bool ready = !s.busy && g_forms.login[0] != 0 && g_forms.password[0] != 0;
    if (primary_button(lbl(s.busy ? tr("Signing in…") : tr("Sign in"), "###signin").c_str(), ImVec2(field_width(), kPrimaryButtonPx),
                       ready) ||
        (submit && ready)) {
      emitted.emplace_back(state::SubmitLogin{g_forms.login, g_forms.password});
      wipe(g_forms.password, sizeof g_forms.password);
    }
    message_line(s, emitted);

    ImGui::Separator();
    ImGui::TextUnformatted(tr("Quick switch with a PIN"));
    bool pin_submit = field(tr("Username"), "##pin-login", g_forms.pin_login, sizeof g_forms.pin_login);
    pin_submit |= field(tr("PIN"), "##pin", g_forms.pin, sizeof g_forms.pin,
                        ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal);
    const bool pin_ready = !s.busy && g_forms.pin_login[0] != 0 && g_forms.pin[0] != 0;
    if (button(tr("Sign in with PIN"), field_width(), pin_ready) || (pin_submit && pin_ready)) {
      emitted.emplace_back(state::SubmitPin{g_forms.pin_login, g_forms.pin});
      wipe(g_forms.pin, sizeof g_forms.pin);
    }
    if (!s.known_users.empty()) {
      ImGui::TextColored(kMuted, "%s", tr("Signed in here before:"));
      for (const state::KnownUser& u : s.known_users) {
        ImGui::SameLine();
        const std::string label = u.display_name + "##known-" + u.id;
        if (ImGui::Button(label.c_str(), ImVec2(0.0f, kMinTouchPx))) {
          std::snprintf(g_forms.login, sizeof g_forms.login, "%s", u.username.c_str());
          std::snprintf(g_forms.pin_login, sizeof g_forms.pin_login, "%s", u.username.c_str());
        }
      }
    }
    ImGui::Separator();
    if (button(tr("Device"), 160.0f, !s.busy)) emitted.emplace_back(state::OpenDevice{});
    ImGui::SameLine();
    if (button(tr("Back"), 160.0f, !s.busy) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
  }
  ImGui::End();
}

std::string megabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", bytes / (1024.0 * 1024.0));
  return trf("{n} MB", {{"n", text}});
}

void device(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Device##screen", true)) {
    title(tr("This device"));
    retired_till_notice(s, emitted);
    const state::StorageStatus& st = s.storage;
    if (s.till.enrolled)
      ImGui::TextUnformatted(trf("Till {code} ({name})", {{"code", s.till.code}, {"name", s.till.name}}).c_str());
    ImGui::TextUnformatted(
        (st.read_only ? trf("Local data: {db} · read-only tab", {{"db", st.db}}) : trf("Local data: {db}", {{"db", st.db}}))
            .c_str());
    ImGui::TextUnformatted(trf("Persistent storage: {answer}",
                               {{"answer", !st.persisted ? tr("not answered yet")
                                                         : (*st.persisted ? tr("granted")
                                                                          : tr("not granted (the browser may evict it)"))}})
                               .c_str());
    if (st.usage >= 0.0 && st.quota > 0.0)
      ImGui::TextUnformatted(
          trf("Storage used: {used} of {quota}", {{"used", megabytes(st.usage)}, {"quota", megabytes(st.quota)}}).c_str());
    ImGui::TextUnformatted(trf("{pending} pending · {attention} needs attention",
                               {{"pending", std::to_string(st.pending_ops)}, {"attention", std::to_string(st.needs_attention)}})
                               .c_str());
    // Always one line, so a round that ends while a finger is on its way to
    // a button below cannot move the button away from it.
    if (!s.sync.last_error.empty())
      ImGui::TextColored(kMuted, "%s", trf("Last sync problem: {problem}", {{"problem", s.sync.last_error}}).c_str());
    else
      ImGui::TextColored(kMuted, "%s", trf("Last sync: {ago}", {{"ago", ago(s.sync.now_ms, s.sync.last_sync_ms)}}).c_str());
    if (!st.error.empty())
      ImGui::TextColored(kError, "%s", trf("Storage problem: {problem}", {{"problem", st.error}}).c_str());
    // Buttons side by side where the screen has room, one under the other on a phone.
    const auto wide = [](const char* label, float at_least) { return std::max(at_least, button_width(label)); };
    if (button(tr("Sync now"), wide(tr("Sync now"), 200.0f), s.till.enrolled)) emitted.emplace_back(state::SyncNow{});
    beside_if_fits(wide(tr("Export pending ops"), 260.0f));
    if (button(tr("Export pending ops"), wide(tr("Export pending ops"), 260.0f))) emitted.emplace_back(state::ExportPendingOps{});
    paper_choice(s, emitted);
    const std::string printer = lbl(tr("Receipt printer"), "###printer");
    const std::string display = lbl(tr("Customer display"), "###customer-display");
    beside_if_fits(wide(printer.c_str(), 240.0f));
    if (button(printer.c_str(), wide(printer.c_str(), 240.0f), !s.busy)) emitted.emplace_back(state::OpenPrinter{});
    beside_if_fits(wide(display.c_str(), 240.0f));
    if (button(display.c_str(), wide(display.c_str(), 240.0f))) emitted.emplace_back(state::OpenCustomerDisplay{});
    language_picker(s, emitted);
    if (s.user && state::is_manager_role(s.user->role)) {
      bool required = s.shift_required;
      if (ImGui::Checkbox(lbl(tr("Sell only within an open shift"), "##shift-required").c_str(), &required))
        emitted.emplace_back(state::SetShiftRequired{required});
    }
    bool first = true;
    if (state::may_open_back_office(s)) {
      if (button(tr("Back office"), wide(tr("Back office"), 200.0f), !s.busy)) emitted.emplace_back(state::OpenBackOffice{});
      first = false;
    }
    if (!first) beside_if_fits(wide(tr("Sign out"), 200.0f));
    if (button(tr("Sign out"), wide(tr("Sign out"), 200.0f), s.user.has_value() && !s.busy)) emitted.emplace_back(state::SignOut{});
    beside_if_fits(wide(tr("Reset local data"), 260.0f));
    if (button(tr("Reset local data"), wide(tr("Reset local data"), 260.0f), !s.busy && !st.read_only))
      emitted.emplace_back(state::ResetLocalData{});
    message_line(s, emitted);
    if (button(tr("Back"), 160.0f, !s.busy) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
    // Below every button: a note that a sync round brings (changes kept for
    // a later version) must not move "Back" from under a finger on its way.
    guard_device_notes(s);
  }
  ImGui::End();
}

}  // namespace

void draw(const state::AppState& state, std::vector<state::Command>& emitted) {
  if (state.screen != state::Screen::Welcome) status_bar(state);
  switch (state.screen) {
    case state::Screen::Welcome:
      welcome(state, emitted);
      break;
    case state::Screen::Enrol:
      enrol(state, emitted);
      break;
    case state::Screen::Login:
      login(state, emitted);
      break;
    case state::Screen::Till:
      till(state, emitted);
      break;
    case state::Screen::Pay:
      pay(state, emitted);
      break;
    case state::Screen::Parked:
      parked(state, emitted);
      break;
    case state::Screen::Shift:
      shift(state, emitted);
      break;
    case state::Screen::History:
      history(state, emitted);
      break;
    case state::Screen::Refund:
      refund(state, emitted);
      break;
    case state::Screen::Attention:
      attention(state, emitted);
      break;
    case state::Screen::Device:
      device(state, emitted);
      break;
    case state::Screen::Stock:
      stock(state, emitted);
      break;
    case state::Screen::StockCount:
      stock_count(state, emitted);
      break;
    case state::Screen::StockLists:
      stock_lists(state, emitted);
      break;
    case state::Screen::Csv:
      csv(state, emitted);
      break;
    case state::Screen::Settings:
      settings(state, emitted);
      break;
    case state::Screen::BackOffice:
      back_office(state, emitted);
      break;
    case state::Screen::Staff:
      staff(state, emitted);
      break;
    case state::Screen::Tills:
      tills(state, emitted);
      break;
    case state::Screen::Products:
      products(state, emitted);
      break;
    case state::Screen::ProductEditor:
      product_editor(state, emitted);
      break;
    case state::Screen::Categories:
      categories(state, emitted);
      break;
    case state::Screen::TaxRates:
      tax_rates(state, emitted);
      break;
    case state::Screen::Audit:
      audit_log(state, emitted);
      break;
    case state::Screen::Setup:
      setup_wizard(state, emitted);
      break;
    case state::Screen::ServerAlerts:
      server_alerts(state, emitted);
      break;
    case state::Screen::ShiftsArchive:
      shifts_archive(state, emitted);
      break;
    case state::Screen::Dashboard:
      dashboard(state, emitted);
      break;
    case state::Screen::Reorder:
      reorder(state, emitted);
      break;
    case state::Screen::Printer:
      printer_screen(state, emitted);
      break;
  }
  toast(state, emitted);
  // A manager's approval is asked on top of whatever screen asked for it.
  if (state.approval) approval(state, emitted);
}

}  // namespace salespider::ui
