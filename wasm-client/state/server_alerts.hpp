// The store server's own alerts (GET /api/v1/server/alerts: backups failing,
// no backups, an old backup, a full disk, an expiring certificate), as a
// manager's or an owner's till keeps them: the last list the server gave,
// with when it was fetched, so an offline till still shows what it last knew
// and says since when. Cashiers never see it (alerts_visible()).
// Deliberately not here: fetching (effects/server_alerts.cpp), parsing
// (answers/server_alerts_answers.cpp), drawing (ui/server_alerts.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salespider::state {

struct AppState;

struct ServerAlert {
  std::string code;     // archive_failing | backups_not_configured | backup_stale | disk_low | certificate_expiring
  std::string since;    // ISO 8601 UTC, as the server says
  std::string message;  // in the person's language, from the server
  std::string detail;   // the operator's details (English)
  std::string since_text;  // `since` in the store's time zone and format (the effect fills it)
};

struct ServerAlerts {
  bool known = false;               // a list has been fetched at least once
  std::vector<ServerAlert> alerts;  // the last list
  std::int64_t fetched_at_ms = 0;   // when (wall clock)
  std::string fetched_text;         // when, in the store's format
  bool loading = false;
  std::string error;                // the last fetch failed: why (the list stays)
};

// A manager or owner is signed in: the only people who see the alerts.
bool alerts_visible(const AppState& s);

// The status bar's short line for the first alert ("Server: backups failing
// — see Back office"), translated; "" when there is none to show.
std::string alerts_marker(const AppState& s);

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenServerAlerts {};  // the list screen (and a fresh fetch when online)
struct RefreshServerAlerts {};  // a fetch (sign-in, every 5 minutes, "Check again")
struct ServerAlertsLoaded {
  bool ok = false;
  std::vector<ServerAlert> alerts;
  std::int64_t fetched_at_ms = 0;
  std::string fetched_text;
  std::string error;
};

}  // namespace salespider::state
