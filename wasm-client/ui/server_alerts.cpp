// The server alerts: a calm banner on the hub ("The store server needs
// attention: …" and a button to the list) and the list screen (each alert's
// message, since when, and the operator's detail; when the list was
// fetched; "Check again"). Offline the last list shows with its time.
// Ids for the automation bridge: "###server-alerts" (the hub's button),
// "###server-alerts-refresh", rows "…##alert-<code>".
// Deliberately not here: HTTP (effects/server_alerts.cpp), the rules
// (state/server_alerts.cpp).
#include "ui/server_alerts.hpp"

#include "state/server_session.hpp"
#include "ui/theme.hpp"
#include "ui/widgets.hpp"

#include <imgui.h>

#include <salespider/shared/i18n.hpp>

#include <algorithm>
#include <string>

namespace salespider::ui {

using i18n::tr;
using i18n::trf;

namespace {

// Amber, not red: a server alert is a job for today, not an emergency on the till.
const ImVec4 kNotice{0.60f, 0.33f, 0.02f, 1.0f};

std::string checked_line(const state::ServerAlerts& a) {
  if (!a.known) return tr("Not checked yet.");
  return trf("Checked {time}.", {{"time", a.fetched_text}});
}

}  // namespace

void server_alerts_banner(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (!state::alerts_visible(s) || s.server_alerts.alerts.empty()) return;
  const state::ServerAlerts& a = s.server_alerts;
  const std::string line =
      a.alerts.size() == 1
          ? trf("The store server needs attention: {message}", {{"message", a.alerts.front().message}})
          : trf("The store server needs attention: {message} (and {n} more)",
                {{"message", a.alerts.front().message}, {"n", std::to_string(a.alerts.size() - 1)}});
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextColored(kNotice, "%s", line.c_str());
  ImGui::PopTextWrapPos();
  const std::string label = std::string(tr("Server alerts")) + "###server-alerts";
  if (button(label.c_str(), 220.0f, !s.busy)) emitted.emplace_back(state::OpenServerAlerts{});
  ImGui::Separator();
}

void server_alerts(const state::AppState& s, std::vector<state::Command>& emitted) {
  if (begin_screen("ServerAlerts##screen", true)) {
    const state::ServerAlerts& a = s.server_alerts;
    title(tr("Server alerts"));
    ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 24.0f, ImGui::GetWindowWidth() - 200.0f));
    const std::string back = std::string(tr("Back")) + "###back";
    if (button(back.c_str(), 160.0f, !s.busy) || (!s.busy && ImGui::IsKeyPressed(ImGuiKey_Escape, false)))
      emitted.emplace_back(state::Back{});
    if (!state::server_session(s)) ImGui::TextColored(kOffline, "%s", tr("Offline: this is the last list the store server gave."));
    ImGui::TextColored(kMuted, "%s", checked_line(a).c_str());
    if (!a.error.empty()) ImGui::TextColored(kError, "%s", a.error.c_str());
    const std::string refresh = std::string(tr("Check again")) + "###server-alerts-refresh";
    if (button(refresh.c_str(), 220.0f, !s.busy && !a.loading && state::server_session(s)))
      emitted.emplace_back(state::RefreshServerAlerts{});
    ImGui::Separator();
    if (a.known && a.alerts.empty()) ImGui::TextUnformatted(tr("No alerts: backups, disk and certificate are fine."));
    for (const state::ServerAlert& alert : a.alerts) {
      ImGui::PushID(alert.code.c_str());
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(kNotice, "%s", alert.message.c_str());
      ImGui::TextColored(kMuted, "%s",
                         trf("{code} · since {time}", {{"code", alert.code},
                                                      {"time", alert.since_text.empty() ? alert.since
                                                                                        : alert.since_text}})
                             .c_str());
      if (!alert.detail.empty()) ImGui::TextUnformatted(alert.detail.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopID();
      ImGui::Spacing();
    }
    ImGui::TextColored(kMuted, "%s", tr("The server's operator fixes these on the server: salespider status."));
  }
  ImGui::End();
}

}  // namespace salespider::ui
