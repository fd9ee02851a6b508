// The till's screens: welcome, enrol, sign in (password or PIN), the till
// (barcode entry, cart, totals, Pay), cash payment and the device screen,
// each under the status bar that never disappears (ux.md).
//
// Each screen is one full-viewport ImGui window with its own name, so item
// ids (and thus widgets() ids) differ per screen and stay stable across
// reloads. Text fields keep their label in the id after "##" (the label is
// drawn above the field), so tests find them by full_label.
// Keyboard (ux.md): Enter confirms, Esc goes back, F6 pays, F4 pays cash
// exact, +/- change the last line's quantity, Del removes it.
// Deliberately not here: product tiles and search, discounts, split tender,
// parked sales, receipt printing (the selling issue).
#include "ui/screens.hpp"

#include "ui/theme.hpp"

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
// The status bar's height in the last frame: screens start below it.
float g_status_bar_h = kStatusBarPx;
constexpr float kFieldWidthPx = 420.0f;

const ImVec4 kOnline(0.10f, 0.45f, 0.30f, 1.0f);
const ImVec4 kOffline(0.55f, 0.35f, 0.0f, 1.0f);
const ImVec4 kError(0.70f, 0.10f, 0.10f, 1.0f);
const ImVec4 kMuted(0.40f, 0.42f, 0.45f, 1.0f);
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
  char code[96] = "";
  char tendered[32] = "";
  bool tendered_filled = false;
};
Forms g_forms;

void wipe(char* buffer, std::size_t size) {
  std::memset(buffer, 0, size);
}

std::string money(const state::AppState& s, std::int64_t minor) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::to_string(minor);
  return format_money(Money{minor, c.value()}, MoneyFormat{});
}

bool begin_screen(const char* name, bool with_status_bar) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float top = with_status_bar ? g_status_bar_h : 0.0f;
  ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x, viewport->WorkPos.y + top));
  ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x, viewport->WorkSize.y - top));
  return ImGui::Begin(name, nullptr, kScreenFlags);
}

void centered_text(const char* text) {
  const float width = ImGui::CalcTextSize(text).x;
  ImGui::SetCursorPosX(std::max(ImGui::GetStyle().WindowPadding.x, (ImGui::GetWindowWidth() - width) * 0.5f));
  ImGui::TextUnformatted(text);
}

bool primary_button(const char* label, ImVec2 size, bool enabled = true) {
  ImGui::BeginDisabled(!enabled);
  ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.10f, 0.45f, 0.30f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(0.12f, 0.52f, 0.35f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, ImVec4(0.08f, 0.38f, 0.25f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 1.0f, 1.0f, 1.0f));
  const bool pressed = ImGui::Button(label, size);
  ImGui::PopStyleColor(4);
  ImGui::EndDisabled();
  return pressed && enabled;
}

bool button(const char* label, float width = 0.0f, bool enabled = true) {
  ImGui::BeginDisabled(!enabled);
  const bool pressed = ImGui::Button(label, ImVec2(width, kButtonPx));
  ImGui::EndDisabled();
  return pressed && enabled;
}

float field_width() {
  return std::min(kFieldWidthPx, ImGui::GetContentRegionAvail().x);
}

// A label above a text field; returns true when Enter was pressed in it.
bool field(const char* label, const char* id, char* buffer, std::size_t size, ImGuiInputTextFlags flags = 0) {
  ImGui::TextUnformatted(label);
  ImGui::SetNextItemWidth(field_width());
  return ImGui::InputText(id, buffer, size, flags | ImGuiInputTextFlags_EnterReturnsTrue);
}

void message_line(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!s.message) return;
  const bool error = s.message->kind == state::MessageKind::error;
  ImGui::PushStyleColor(ImGuiCol_Text, error ? kError : kOnline);
  ImGui::TextWrapped("%s", s.message->text.c_str());
  ImGui::PopStyleColor();
  if (ImGui::Button("Dismiss##message", ImVec2(0.0f, kMinTouchPx))) emitted.emplace_back(state::DismissMessage{});
}

// Another tab owns the till: say so plainly, in words (ux.md: never colour only).
void read_only_notice(const state::AppState& state) {
  if (!state.storage.read_only) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.60f, 0.30f, 0.0f, 1.0f));
  ImGui::TextWrapped("%s",
                     state.storage.available
                         ? "Read-only: the till is open in another tab. Close that tab, then reload this one to sell here."
                         : "Read-only: this browser gives the till no storage, so nothing can be recorded.");
  ImGui::PopStyleColor();
}

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
  g_status_bar_h = std::max(kStatusBarPx, ImGui::GetWindowHeight());
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

void title(const char* text) {
  ImGui::PushFont(title_font());
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
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
      emitted.emplace_back(state::SubmitEnrol{g_forms.enrol_login, g_forms.enrol_password, g_forms.enrol_name});
      wipe(g_forms.enrol_password, sizeof g_forms.enrol_password);
      // The manager is signed in on this till right after enrolment.
      std::snprintf(g_forms.login, sizeof g_forms.login, "%s", g_forms.enrol_login);
    }
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

void cart_lines(const state::AppState& s, std::vector<state::Command>& emitted) {
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  const float totals_h = 3.0f * ImGui::GetTextLineHeightWithSpacing() + kPrimaryButtonPx + 48.0f;
  const float height = std::max(120.0f, ImGui::GetContentRegionAvail().y - totals_h);
  if (!ImGui::BeginTable("cart", 4, flags, ImVec2(0.0f, height))) return;
  ImGui::TableSetupColumn("Item", ImGuiTableColumnFlags_WidthStretch, 3.0f);
  ImGui::TableSetupColumn("Qty", ImGuiTableColumnFlags_WidthFixed, 190.0f);
  ImGui::TableSetupColumn("Total", ImGuiTableColumnFlags_WidthFixed, 150.0f);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 110.0f);
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableHeadersRow();
  for (std::size_t i = 0; i < s.cart.lines.size(); ++i) {
    const CartLine& line = s.cart.lines[i];
    const int index = static_cast<int>(i);
    ImGui::PushID(index);
    ImGui::TableNextRow(0, kMinTouchPx);
    if (index == s.cart.highlight)
      ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, ImGui::GetColorU32(ImVec4(0.85f, 0.95f, 0.88f, 1.0f)));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(line.name.c_str());
    ImGui::TextColored(kMuted, "%s each", money(s, line.unit_price).c_str());
    ImGui::TableNextColumn();
    if (ImGui::Button("-", ImVec2(kMinTouchPx, kMinTouchPx)))
      emitted.emplace_back(state::ChangeQuantity{index, -1});
    ImGui::SameLine();
    ImGui::Text("%lld", static_cast<long long>(line.quantity.thousandths / kQuantityScale));
    ImGui::SameLine();
    if (ImGui::Button("+", ImVec2(kMinTouchPx, kMinTouchPx))) emitted.emplace_back(state::ChangeQuantity{index, 1});
    ImGui::TableNextColumn();
    if (s.cart.sale && i < s.cart.sale->lines.size())
      ImGui::TextUnformatted(money(s, s.cart.sale->lines[i].total).c_str());
    ImGui::TableNextColumn();
    if (ImGui::Button("Remove", ImVec2(0.0f, kMinTouchPx))) emitted.emplace_back(state::RemoveLine{index});
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void completed_banner(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!s.completed) return;
  const state::Completed& c = *s.completed;
  ImGui::PushFont(title_font());
  ImGui::TextColored(kOnline, "Sale complete");
  ImGui::PopFont();
  ImGui::Text("Receipt %s · %s · total %s · change %s%s", c.receipt_number.c_str(), c.time_text.c_str(),
              money(s, c.total).c_str(), money(s, c.change).c_str(), c.offline ? " · recorded offline" : "");
  if (primary_button("New sale", ImVec2(field_width(), kPrimaryButtonPx)) ||
      ImGui::IsKeyPressed(ImGuiKey_Escape, false))
    emitted.emplace_back(state::NewSale{});
  ImGui::Separator();
}

void till(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Till##screen", true)) {
    read_only_notice(s);
    if (s.sync.bootstrapping && s.sync.bootstrap_total > 0) {
      // Selling works meanwhile: what is loaded already can be scanned.
      const float done = static_cast<float>(s.sync.bootstrap_done) / static_cast<float>(s.sync.bootstrap_total);
      const std::string label = "Loading the catalog: " + std::to_string(s.sync.bootstrap_done) + " of " +
                                std::to_string(s.sync.bootstrap_total);
      ImGui::ProgressBar(std::min(1.0f, done), ImVec2(-1.0f, kMinTouchPx), label.c_str());
    }
    completed_banner(s, emitted);
    // A keyboard-wedge scanner types digits then Enter into whatever has
    // focus: keep it on the code field whenever nothing else is active.
    if (!ImGui::IsAnyItemActive() && !s.busy) ImGui::SetKeyboardFocusHere();
    if (field("Barcode or SKU (scan or type, then Enter)", "##code", g_forms.code, sizeof g_forms.code) &&
        g_forms.code[0] != 0) {
      emitted.emplace_back(state::ScanCode{g_forms.code});
      wipe(g_forms.code, sizeof g_forms.code);
    }
    ImGui::SameLine();
    if (button("Add", 120.0f, g_forms.code[0] != 0)) {
      emitted.emplace_back(state::ScanCode{g_forms.code});
      wipe(g_forms.code, sizeof g_forms.code);
    }
    message_line(s, emitted);
    cart_lines(s, emitted);

    if (s.cart.sale) {
      const SaleTotals& t = s.cart.sale->totals;
      ImGui::Text("Subtotal %s · tax %s", money(s, t.subtotal).c_str(), money(s, t.tax).c_str());
      ImGui::PushFont(title_font());
      ImGui::Text("TOTAL %s", money(s, t.total).c_str());
      ImGui::PopFont();
    } else if (!s.cart.error.empty()) {
      ImGui::TextColored(kError, "%s", s.cart.error.c_str());
    } else {
      ImGui::TextColored(kMuted, "%s", "Scan or type a barcode to start a sale.");
    }
    const bool can_pay = s.cart.sale.has_value() && !s.busy && !s.storage.read_only;
    if (primary_button("Pay cash (F6)", ImVec2(field_width(), kPrimaryButtonPx), can_pay) ||
        (can_pay && ImGui::IsKeyPressed(ImGuiKey_F6, false))) {
      g_forms.tendered_filled = false;
      emitted.emplace_back(state::StartPayment{});
    }
    if (can_pay && ImGui::IsKeyPressed(ImGuiKey_F4, false))
      emitted.emplace_back(state::CompleteSale{state::cash_due(s)});
    if (!s.cart.lines.empty() && !ImGui::IsAnyItemActive()) {
      const int last = static_cast<int>(s.cart.lines.size()) - 1;
      if (ImGui::IsKeyPressed(ImGuiKey_KeypadAdd, false)) emitted.emplace_back(state::ChangeQuantity{last, 1});
      if (ImGui::IsKeyPressed(ImGuiKey_KeypadSubtract, false))
        emitted.emplace_back(state::ChangeQuantity{last, -1});
      if (ImGui::IsKeyPressed(ImGuiKey_Delete, false)) emitted.emplace_back(state::RemoveLine{last});
    }
    ImGui::SameLine();
    if (button("Switch cashier", 200.0f, !s.busy)) emitted.emplace_back(state::SwitchCashier{});
    ImGui::SameLine();
    if (button("Device", 140.0f, !s.busy)) emitted.emplace_back(state::OpenDevice{});
  }
  ImGui::End();
}

// Parses what the cashier typed as an amount in the store's currency.
std::optional<std::int64_t> typed_amount(const state::AppState& s, const char* text) {
  Result<Currency> c = find_currency(s.store.currency);
  if (!c) return std::nullopt;
  Result<Money> m = parse_money(text, c.value(), MoneyFormat{});
  if (!m) return std::nullopt;
  return m.value().minor;
}

void pay(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Pay##screen", true)) {
    const std::int64_t due = state::cash_due(s);
    title("Cash payment");
    ImGui::PushFont(title_font());
    ImGui::Text("Due %s", money(s, due).c_str());
    ImGui::PopFont();
    if (!g_forms.tendered_filled) {
      // Prefilled with the exact amount, in the format parse_money reads.
      Result<Currency> c = find_currency(s.store.currency);
      MoneyFormat plain;
      plain.display = CurrencyDisplay::none;
      plain.grouping = Grouping::none;
      const std::string text = c ? format_money(Money{due, c.value()}, plain) : std::to_string(due);
      std::snprintf(g_forms.tendered, sizeof g_forms.tendered, "%s", text.c_str());
      g_forms.tendered_filled = true;
      ImGui::SetKeyboardFocusHere();
    }
    const bool enter = field("Cash handed over", "##tendered", g_forms.tendered, sizeof g_forms.tendered,
                             ImGuiInputTextFlags_CharsDecimal);
    const std::optional<std::int64_t> tendered = typed_amount(s, g_forms.tendered);
    if (tendered && *tendered >= due)
      ImGui::Text("Change %s", money(s, *tendered - due).c_str());
    else
      ImGui::TextColored(kMuted, "%s", tendered ? "Not enough cash yet." : "Type the amount handed over.");
    const bool ready = tendered && *tendered >= due && !s.busy;
    if (primary_button(s.busy ? "Recording…###complete" : "Complete sale###complete",
                       ImVec2(field_width(), kPrimaryButtonPx), ready) ||
        (enter && ready))
      emitted.emplace_back(state::CompleteSale{*tendered});
    if (button("Exact (F4)", 200.0f, !s.busy) || (!s.busy && ImGui::IsKeyPressed(ImGuiKey_F4, false)))
      emitted.emplace_back(state::CompleteSale{due});
    ImGui::SameLine();
    if (button("Back", 160.0f, !s.busy) || ImGui::IsKeyPressed(ImGuiKey_Escape, false))
      emitted.emplace_back(state::Back{});
    message_line(s, emitted);
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
    if (!s.sync.last_error.empty()) ImGui::TextColored(kMuted, "Last sync problem: %s", s.sync.last_error.c_str());
    if (!st.error.empty()) ImGui::TextColored(kError, "Storage problem: %s", st.error.c_str());
    if (button("Sync now", 200.0f, s.till.enrolled)) emitted.emplace_back(state::SyncNow{});
    ImGui::SameLine();
    if (button("Export pending ops", 260.0f)) emitted.emplace_back(state::ExportPendingOps{});
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
    case state::Screen::Device:
      device(state, emitted);
      break;
  }
}

}  // namespace salespider::ui
