// Report effects: the dashboard's and the reorder list's API calls; see
// reports.hpp.
#include "effects/reports.hpp"

#include "answers/reports_answers.hpp"
#include "answers/server_answers.hpp"
#include "platform/platform.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

using i18n::tr;

void ReportsEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenDashboard> || std::is_same_v<C, state::QueryDashboard>) {
          if (s.screen == state::Screen::Dashboard && s.dashboard.loading) load_dashboard(s);
        } else if constexpr (std::is_same_v<C, state::OpenReorder> || std::is_same_v<C, state::QueryReorder>) {
          if (s.screen == state::Screen::Reorder && s.reorder.loading) load_reorder(s);
        }
      },
      command);
}

void ReportsEffects::load_dashboard(const state::AppState& s) {
  const state::Dashboard& d = s.dashboard;
  const std::int64_t asked = d.asked;
  // Today in the store's time zone (the device's when the store has none).
  const std::string today = platform::format_local_time(ctx_.now_ms(), s.store.time_zone).substr(0, 10);
  state::DateRange range = state::period_range(d.period, today, d.custom_from, d.custom_to);
  if (!range.error.empty()) {
    ctx_.app.apply(state::DashboardLoaded{asked, "", "", std::nullopt, range.error});
    return;
  }
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::DashboardLoaded{asked, range.from, range.to, std::nullopt,
                                          tr("Needs the store server and an online sign-in.")});
    return;
  }
  std::string url = "/api/v1/reports/dashboard?from=" + range.from + "&to=" + range.to;
  ctx_.http.send(bearer_get(std::move(url), token), [this, asked, range](sync::HttpResponse r) {
    if (r.status != 200) {
      ctx_.app.apply(state::DashboardLoaded{asked, range.from, range.to, std::nullopt, refusal_text(r)});
      return;
    }
    std::optional<state::DashboardData> data = answers::parse_dashboard(r.body);
    if (!data) {
      ctx_.app.apply(state::DashboardLoaded{asked, range.from, range.to, std::nullopt,
                                            tr("The store server's answer was not understood.")});
      return;
    }
    ctx_.app.apply(state::DashboardLoaded{asked, range.from, range.to, std::move(data), ""});
  });
}

void ReportsEffects::load_reorder(const state::AppState& s) {
  const state::Reorder& r = s.reorder;
  const std::int64_t asked = r.asked;
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::ReorderLoaded{asked, std::nullopt, tr("Needs the store server and an online sign-in.")});
    return;
  }
  std::string url = "/api/v1/reports/reorder?lead_days=" + std::to_string(r.lead_days) +
                    "&safety_days=" + std::to_string(r.safety_days);
  ctx_.http.send(bearer_get(std::move(url), token), [this, asked](sync::HttpResponse response) {
    if (response.status != 200) {
      ctx_.app.apply(state::ReorderLoaded{asked, std::nullopt, refusal_text(response)});
      return;
    }
    std::optional<state::ReorderData> data = answers::parse_reorder(response.body);
    if (!data) {
      ctx_.app.apply(state::ReorderLoaded{asked, std::nullopt, tr("The store server's answer was not understood.")});
      return;
    }
    ctx_.app.apply(state::ReorderLoaded{asked, std::move(data), ""});
  });
}

}  // namespace salespider::effects
