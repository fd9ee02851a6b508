// The back office's screens (ux.md "Back office"): the hub, then products,
// categories and tax rates, all online, reading the server's rows through
// state/back_office.hpp. Laid out in columns on a desktop or a tablet in
// landscape, one column on a phone. Offline, each says so in one line and
// shows what the till has locally, read-only.
//
// Ids: each screen is its own window ("BackOffice##screen" ...), fields keep
// their label after "##" ("##product-name"), rows carry the row's id, so
// the automation bridge finds them across frames. Text being typed is
// UI-local until a button turns it into a command (like screens.cpp).
// Deliberately not here: the stock and CSV screens (back_office_stock.cpp).
#include "ui/back_office.hpp"

#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

namespace salespider::ui {

namespace {

void title_with_back(const char* text, const state::AppState& s, std::vector<state::Command>& emitted) {
  title(text);
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 24.0f, ImGui::GetWindowWidth() - 200.0f));
  if (button("Back", 160.0f, !s.busy) || (!s.busy && ImGui::IsKeyPressed(ImGuiKey_Escape, false)))
    emitted.emplace_back(state::Back{});
}

// Online only: one line when the server is out of reach or the person
// signed in offline (their session cannot call the server).
bool offline(const state::AppState& s) {
  return !s.sync.online || (s.user && s.user->offline);
}
void offline_line(const state::AppState& s) {
  if (!offline(s)) return;
  ImGui::TextColored(kOffline, "%s",
                     s.user && s.user->offline && s.sync.online
                         ? "Needs the store server — you signed in offline: sign in again online."
                         : "Needs the store server — you are offline.");
}

// Columns of equal buttons: 3 on a desktop, 2 on a tablet, 1 on a phone.
int columns() {
  const float w = ImGui::GetContentRegionAvail().x;
  return w >= 900.0f ? 3 : (w >= 520.0f ? 2 : 1);
}

}  // namespace

void back_office(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("BackOffice##screen", true)) {
    title_with_back("Back office", s, emitted);
    offline_line(s);
    message_line(s, emitted);
    struct Entry {
      const char* label;
      const char* hint;
      bool allowed;
      state::Command command;
    };
    const bool products = state::may(s, "manage_products");
    const bool prices = state::may(s, "manage_prices");
    const bool stock = state::may(s, "adjust_stock");
    const Entry entries[] = {
        {"Products", "Add, edit, price and archive products", products, state::OpenProducts{}},
        {"Categories", "The category tree the tiles and reports use", products, state::OpenCategories{}},
        {"Tax rates", "The store's tax rates and which products use them", prices, state::OpenTaxRates{}},
        {"Stock", "Receive, adjust and write off stock", stock, state::OpenStock{}},
        {"Stock count", "Count the shelves and post the differences", stock, state::OpenStockCount{}},
        {"Stock lists", "Low stock, movements and stock value", stock, state::OpenStockLists{}},
        {"CSV import/export", "Products in and out as a spreadsheet", products, state::OpenCsv{}},
    };
    const int n = columns();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - static_cast<float>(n - 1) * gap) / static_cast<float>(n);
    int col = 0;
    for (const Entry& e : entries) {
      if (col != 0) ImGui::SameLine();
      ImGui::BeginGroup();
      if (primary_button(e.label, ImVec2(w, kPrimaryButtonPx), e.allowed && !s.busy)) emitted.push_back(e.command);
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
      ImGui::TextColored(kMuted, "%s", e.allowed ? e.hint : "Not allowed for your role.");
      ImGui::PopTextWrapPos();
      ImGui::EndGroup();
      col = (col + 1) % n;
    }
  }
  ImGui::End();
}

void products(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Products##screen", true)) {
    title_with_back("Products", s, emitted);
    offline_line(s);
  }
  ImGui::End();
}

void product_editor(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("ProductEditor##screen", true)) {
    title_with_back("Product", s, emitted);
    offline_line(s);
  }
  ImGui::End();
}

void categories(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("Categories##screen", true)) {
    title_with_back("Categories", s, emitted);
    offline_line(s);
  }
  ImGui::End();
}

void tax_rates(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("TaxRates##screen", true)) {
    title_with_back("Tax rates", s, emitted);
    offline_line(s);
  }
  ImGui::End();
}

}  // namespace salespider::ui
