// See server_alerts.hpp.
#include "effects/server_alerts.hpp"

#include "answers/server_alerts_answers.hpp"
#include "answers/server_answers.hpp"
#include "platform/platform.hpp"
#include "platform/storage.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

namespace {

constexpr double kEveryMs = 5 * 60 * 1000.0;

std::string store_time(const state::AppState& s, std::int64_t wall_ms) {
  return local_time(s, wall_ms, s.store.time_zone);
}

}  // namespace

void ServerAlertsEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenServerAlerts> || std::is_same_v<C, state::RefreshServerAlerts>) {
          if (s.server_alerts.loading) fetch();
        }
      },
      command);
}

void ServerAlertsEffects::tick(const state::AppState& s) {
  const std::string token = ctx_.session_token();
  if (token.empty() || !state::alerts_visible(s) || !s.sync.online || fetching_) return;
  const double now = platform::storage::monotonic_ms();
  if (token == fetched_for_ && now - last_fetch_ms_ < kEveryMs) return;
  ctx_.app.apply(state::RefreshServerAlerts{});
}

void ServerAlertsEffects::fetch() {
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::ServerAlertsLoaded{false, {}, 0, "", offline_text()});
    return;
  }
  fetching_ = true;
  fetched_for_ = token;
  last_fetch_ms_ = platform::storage::monotonic_ms();
  ctx_.http.send(bearer_get("/api/v1/server/alerts", token), [this](sync::HttpResponse r) {
    fetching_ = false;
    state::ServerAlertsLoaded out;
    if (r.status != 200) {
      out.error = refusal_text(r);
      ctx_.app.apply(std::move(out));
      return;
    }
    std::optional<std::vector<state::ServerAlert>> alerts = answers::parse_server_alerts(r.body);
    if (!alerts) {
      out.error = i18n::tr("The store server's answer was not understood.");
      ctx_.app.apply(std::move(out));
      return;
    }
    const state::AppState& now = ctx_.app.state();
    for (state::ServerAlert& a : *alerts) {
      if (std::optional<std::int64_t> at = answers::parse_utc_ms(a.since)) a.since_text = store_time(now, *at);
    }
    out.ok = true;
    out.alerts = std::move(*alerts);
    out.fetched_at_ms = ctx_.now_ms();
    out.fetched_text = store_time(now, out.fetched_at_ms);
    ctx_.app.apply(std::move(out));
  });
}

}  // namespace salespider::effects
