// The server alerts in the reducer: who sees them, the list kept across
// fetches (a failed fetch keeps the last list and says why), the screen.
// See server_alerts.hpp.
#include "state/server_alerts.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

template <class C>
void apply(AppState& s, const C& c) {
  ServerAlerts& a = s.server_alerts;
  if constexpr (std::is_same_v<C, OpenServerAlerts>) {
    if (s.busy || !alerts_visible(s)) return;
    s.screen = Screen::ServerAlerts;
    a.loading = true;
  } else if constexpr (std::is_same_v<C, RefreshServerAlerts>) {
    if (!alerts_visible(s)) return;
    a.loading = true;
  } else if constexpr (std::is_same_v<C, ServerAlertsLoaded>) {
    a.loading = false;
    if (!c.ok) {
      a.error = c.error;
      return;
    }
    a.known = true;
    a.error.clear();
    a.alerts = c.alerts;
    a.fetched_at_ms = c.fetched_at_ms;
    a.fetched_text = c.fetched_text;
  }
}

const char* short_text(const std::string& code) {
  if (code == "archive_failing") return i18n::tr("Server: backups failing — see Back office");
  if (code == "backups_not_configured") return i18n::tr("Server: no backups set up — see Back office");
  if (code == "backup_stale") return i18n::tr("Server: backup overdue — see Back office");
  if (code == "disk_low") return i18n::tr("Server: disk almost full — see Back office");
  if (code == "certificate_expiring") return i18n::tr("Server: certificate expiring — see Back office");
  return i18n::tr("Server: needs attention — see Back office");
}

}  // namespace

bool alerts_visible(const AppState& s) { return s.user && is_manager_role(s.user->role); }

std::string alerts_marker(const AppState& s) {
  if (!alerts_visible(s) || s.server_alerts.alerts.empty()) return {};
  return short_text(s.server_alerts.alerts.front().code);
}

bool server_alerts_back(AppState& s) {
  if (s.screen != Screen::ServerAlerts) return false;
  s.screen = Screen::BackOffice;
  return true;
}

bool reduce_server_alerts(AppState& state, const Command& command) {
  return reduce_listed<ServerAlertsCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
