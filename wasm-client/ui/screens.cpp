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
#include "ui/back_office.hpp"
#include "ui/back_office_stock.hpp"
#include "ui/day.hpp"
#include "ui/selling.hpp"
#include "ui/settings.hpp"
#include "ui/staff.hpp"
#include "ui/setup.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>
#include <salespider/shared/money_format.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace salespider::ui {

namespace {

constexpr ImGuiWindowFlags kScreenFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                          ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoBringToFrontOnFocus;
constexpr float kStatusBarPx = 44.0f;  // one row; a phone in portrait wraps to more
// The server flags ops whose till clock is off by more than this (docs/sync-protocol.md).
constexpr std::int64_t kSkewWarnMs = 5 * 60 * 1000;

// Text the person is typing. UI-local on purpose: it is not app state until
// submitted, and secrets are wiped right after submission.
struct Forms {
  char enrol_login[128] = "";
  char enrol_password[256] = "";
  char enrol_name[64] = "Till";
  char login[128] = "";
  char password[256] = "";
  char pin_login[128] = "";
  char pin[16] = "";
};
Forms g_forms;

void offline_notice(const state::AppState& s, const char* what) {
  if (s.sync.online) return;
  ImGui::PushStyleColor(ImGuiCol_Text, kOffline);
  ImGui::TextWrapped("%s needs the store server — you are offline.", what);
  ImGui::PopStyleColor();
}

std::string ago(std::int64_t now_ms, std::int64_t then_ms) {
  if (then_ms <= 0) return "never";
  const std::int64_t s = std::max<std::int64_t>(0, (now_ms - then_ms) / 1000);
  if (s < 60) return std::to_string(s) + " s ago";
  if (s < 3600) return std::to_string(s / 60) + " min ago";
  if (s < 86400) return std::to_string(s / 3600) + " h ago";
  return std::to_string(s / 86400) + " d ago";
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
    const std::string till = s.till.enrolled ? "Till " + s.till.code : std::string("not enrolled");
    flow_text(flow, nullptr, store + " · " + till);
    if (s.user)
      flow_text(flow, nullptr, s.user->display_name + (s.user->offline ? " (offline sign-in)" : ""));
    else
      flow_text(flow, &kMuted, "nobody signed in");
    if (!s.till.enrolled)
      flow_text(flow, &kMuted, s.sync.online ? "Server reachable" : "Offline");
    else
      flow_text(flow, s.sync.online ? &kOnline : &kOffline, s.sync.online ? "● Online" : "○ Offline");
    flow_text(flow, nullptr, std::to_string(s.storage.pending_ops) + " pending");
    if (s.sync.bootstrapping && s.sync.bootstrap_total > 0)
      flow_text(flow, nullptr, "loading catalog " + std::to_string(s.sync.bootstrap_done) + " / " +
                                   std::to_string(s.sync.bootstrap_total));
    else
      flow_text(flow, &kMuted, "synced " + ago(s.sync.now_ms, s.sync.last_sync_ms));
    if (s.storage.needs_attention > 0)
      flow_text(flow, &kError, std::to_string(s.storage.needs_attention) + " needs attention");
    if (s.sync.clock_skew_ms && (*s.sync.clock_skew_ms > kSkewWarnMs || *s.sync.clock_skew_ms < -kSkewWarnMs))
      flow_text(flow, &kError, "device clock off by " + std::to_string(*s.sync.clock_skew_ms / 60000) + " min");
    if (s.sync.protocol_too_old)
      flow_text(flow, &kError, "app too old for the server: update");
    else if (s.sync.credential_refused)
      flow_text(flow, &kError, "till refused by the server: re-enrol");
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
    centered_text("Point of sale that keeps selling offline");
    read_only_notice(state);
    ImGui::Dummy(ImVec2(0.0f, style.ItemSpacing.y));

    const float button_w = std::min(360.0f, ImGui::GetContentRegionAvail().x);
    ImGui::SetCursorPosX((ImGui::GetWindowWidth() - button_w) * 0.5f);
    if (primary_button("Open till", ImVec2(button_w, kPrimaryButtonPx)) ||
        ImGui::IsKeyPressed(ImGuiKey_Enter, false))
      emitted.emplace_back(state::OpenTill{});
  }
  ImGui::End();
}


void enrol(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Enrol##screen", true)) {
    title("Enrol this till");
    ImGui::TextWrapped(
        "This browser is not a till yet. A manager or owner enrols it once, with the store server reachable; "
        "after that it sells with or without the server.");
    offline_notice(s, "Enrolment");
    read_only_notice(s);
    bool submit = field("Manager e-mail or username", "##manager-login", g_forms.enrol_login,
                        sizeof g_forms.enrol_login);
    submit |= field("Password", "##manager-password", g_forms.enrol_password, sizeof g_forms.enrol_password,
                    ImGuiInputTextFlags_Password);
    submit |= field("Till name", "##till-name", g_forms.enrol_name, sizeof g_forms.enrol_name);
    const bool ready = !s.busy && g_forms.enrol_login[0] != 0 && g_forms.enrol_password[0] != 0;
    if (primary_button(s.busy ? "Enrolling…###enrol" : "Enrol this till###enrol", ImVec2(field_width(), kPrimaryButtonPx),
                       ready) ||
        (submit && ready)) {
      emitted.emplace_back(state::SubmitEnrol{g_forms.enrol_login, g_forms.enrol_password, g_forms.enrol_name, ""});
      wipe(g_forms.enrol_password, sizeof g_forms.enrol_password);
      // The manager is signed in on this till right after enrolment.
      std::snprintf(g_forms.login, sizeof g_forms.login, "%s", g_forms.enrol_login);
    }
    enrol_with_code(s, emitted);
    message_line(s, emitted);
    if (button("Back", 160.0f, !s.busy) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
  }
  ImGui::End();
}

void login(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Login##screen", true)) {
    title("Sign in");
    if (!s.sync.online)
      ImGui::TextColored(kOffline, "%s",
                         "Offline: people who signed in on this till before can sign in; the server checks it later.");
    read_only_notice(s);
    bool submit = field("E-mail or username", "##login", g_forms.login, sizeof g_forms.login);
    submit |= field("Password", "##password", g_forms.password, sizeof g_forms.password,
                    ImGuiInputTextFlags_Password);
    const bool ready = !s.busy && g_forms.login[0] != 0 && g_forms.password[0] != 0;
    if (primary_button(s.busy ? "Signing in…###signin" : "Sign in###signin", ImVec2(field_width(), kPrimaryButtonPx),
                       ready) ||
        (submit && ready)) {
      emitted.emplace_back(state::SubmitLogin{g_forms.login, g_forms.password});
      wipe(g_forms.password, sizeof g_forms.password);
    }
    message_line(s, emitted);

    ImGui::Separator();
    ImGui::TextUnformatted("Quick switch with a PIN");
    bool pin_submit = field("Username", "##pin-login", g_forms.pin_login, sizeof g_forms.pin_login);
    pin_submit |= field("PIN", "##pin", g_forms.pin, sizeof g_forms.pin,
                        ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal);
    const bool pin_ready = !s.busy && g_forms.pin_login[0] != 0 && g_forms.pin[0] != 0;
    if (button("Sign in with PIN", field_width(), pin_ready) || (pin_submit && pin_ready)) {
      emitted.emplace_back(state::SubmitPin{g_forms.pin_login, g_forms.pin});
      wipe(g_forms.pin, sizeof g_forms.pin);
    }
    if (!s.known_users.empty()) {
      ImGui::TextColored(kMuted, "Signed in here before:");
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
    if (button("Device", 160.0f, !s.busy)) emitted.emplace_back(state::OpenDevice{});
    ImGui::SameLine();
    if (button("Back", 160.0f, !s.busy) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
  }
  ImGui::End();
}

std::string megabytes(double bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", bytes / (1024.0 * 1024.0));
  return text;
}

void device(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Device##screen", true)) {
    title("This device");
    const state::StorageStatus& st = s.storage;
    if (s.till.enrolled) ImGui::Text("Till %s (%s)", s.till.code.c_str(), s.till.name.c_str());
    ImGui::Text("Local data: %s%s", st.db.c_str(), st.read_only ? " · read-only tab" : "");
    ImGui::Text("Persistent storage: %s",
                !st.persisted ? "not answered yet" : (*st.persisted ? "granted" : "not granted (the browser may evict it)"));
    if (st.usage >= 0.0 && st.quota > 0.0)
      ImGui::Text("Storage used: %s of %s", megabytes(st.usage).c_str(), megabytes(st.quota).c_str());
    ImGui::Text("%d pending · %d needs attention", st.pending_ops, st.needs_attention);
    // Always one line, so a round that ends while a finger is on its way to
    // a button below cannot move the button away from it.
    if (!s.sync.last_error.empty())
      ImGui::TextColored(kMuted, "Last sync problem: %s", s.sync.last_error.c_str());
    else
      ImGui::TextColored(kMuted, "Last sync: %s", ago(s.sync.now_ms, s.sync.last_sync_ms).c_str());
    if (!st.error.empty()) ImGui::TextColored(kError, "Storage problem: %s", st.error.c_str());
    if (button("Sync now", 200.0f, s.till.enrolled)) emitted.emplace_back(state::SyncNow{});
    ImGui::SameLine();
    if (button("Export pending ops", 260.0f)) emitted.emplace_back(state::ExportPendingOps{});
    ImGui::TextUnformatted("Receipt paper:");
    ImGui::SameLine();
    if (ImGui::RadioButton("80 mm##paper-80", !s.receipt_58mm)) emitted.emplace_back(state::SetReceiptPaper{false});
    ImGui::SameLine();
    if (ImGui::RadioButton("58 mm##paper-58", s.receipt_58mm)) emitted.emplace_back(state::SetReceiptPaper{true});
    if (s.user && state::is_manager_role(s.user->role)) {
      bool required = s.shift_required;
      if (ImGui::Checkbox("Sell only within an open shift##shift-required", &required))
        emitted.emplace_back(state::SetShiftRequired{required});
    }
    if (state::may_open_back_office(s)) {
      if (button("Back office", 200.0f, !s.busy)) emitted.emplace_back(state::OpenBackOffice{});
      ImGui::SameLine();
    }
    if (button("Sign out", 200.0f, s.user.has_value() && !s.busy)) emitted.emplace_back(state::SignOut{});
    ImGui::SameLine();
    if (button("Reset local data", 260.0f, !s.busy && !st.read_only)) emitted.emplace_back(state::ResetLocalData{});
    message_line(s, emitted);
    if (button("Back", 160.0f, !s.busy) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
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
  }
  // A manager's approval is asked on top of whatever screen asked for it.
  if (state.approval) approval(state, emitted);
}

}  // namespace salespider::ui
