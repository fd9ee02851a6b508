// See shifts_archive.hpp.
#include "effects/shifts_archive.hpp"

#include "answers/people_answers.hpp"
#include "answers/shifts_answers.hpp"
#include "effects/printing.hpp"
#include "platform/page.hpp"
#include "platform/platform.hpp"
#include "state/sales_dates.hpp"

#include <salespider/shared/i18n.hpp>

#include <type_traits>
#include <utility>

namespace salespider::effects {

using i18n::tr;

namespace {

constexpr int kPage = 50;

// from/to as the API takes them: the filter's, or this month so far.
state::ShiftsFilter with_period(const state::ShiftsFilter& f, const state::AppState& s, std::int64_t now_ms) {
  state::ShiftsFilter out = f;
  if (out.from.empty() && out.to.empty()) {
    const std::string today = platform::format_local_time(now_ms, s.store.time_zone).substr(0, 10);
    out.from = today.substr(0, 8) + "01";
    out.to = today;
  }
  return out;
}

std::string period_query(const state::ShiftsFilter& f) {
  std::string q = "from=" + sync::url_encode(f.from) + "&to=" + sync::url_encode(f.to);
  if (!f.till.empty()) q += "&till=" + sync::url_encode(f.till);
  return q;
}

}  // namespace

void ShiftsArchiveEffects::handle(const state::Command& command, const state::AppState& s) {
  std::visit(
      [this, &s](const auto& c) {
        using C = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<C, state::OpenShiftsArchive> || std::is_same_v<C, state::QueryShiftsArchive>) {
          if (s.screen != state::Screen::ShiftsArchive || !s.shifts_archive.loading) return;
          const state::ShiftsFilter full = with_period(s.shifts_archive.filter, s, ctx_.now_ms());
          if (!(full == s.shifts_archive.filter)) {
            // The period was left to "this month": say which dates, then load them.
            ctx_.app.apply(state::QueryShiftsArchive{full});
            return;
          }
          load(s, false);
          load_over_short(s);
        } else if constexpr (std::is_same_v<C, state::MoreShiftsArchive>) {
          if (s.shifts_archive.loading) load(s, true);
        } else if constexpr (std::is_same_v<C, state::SelectArchivedShift>) {
          if (s.shifts_archive.report_loading) load_report(s, c.shift_id);
        } else if constexpr (std::is_same_v<C, state::PrintArchivedShift>) {
          print(s);
        }
      },
      command);
}

void ShiftsArchiveEffects::load(const state::AppState& s, bool more) {
  const state::ShiftsFilter filter = s.shifts_archive.filter;
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    state::ShiftsArchiveLoaded out;
    out.filter = filter;
    out.append = more;
    out.error = offline_text();
    ctx_.app.apply(std::move(out));
    return;
  }
  std::string url = "/api/v1/shifts?status=closed&limit=" + std::to_string(kPage) + "&" + period_query(filter);
  if (more && !s.shifts_archive.next.empty()) url += "&cursor=" + sync::url_encode(s.shifts_archive.next);
  const bool want_tills = !more && s.shifts_archive.tills.empty();
  ctx_.http.send(bearer_get(std::move(url), token), [this, filter, more](sync::HttpResponse r) {
    state::ShiftsArchiveLoaded out;
    out.filter = filter;
    out.append = more;
    if (r.status != 200) {
      out.error = refusal_text(r);
    } else if (std::optional<answers::ShiftsPage> page = answers::parse_shifts_page(r.body)) {
      const state::AppState& now = ctx_.app.state();
      for (state::ArchivedShift& it : page->items) {
        it.opened_text = local_time(now, it.opened_ms, now.store.time_zone);
        it.closed_text = it.closed_ms ? local_time(now, it.closed_ms, now.store.time_zone) : std::string();
      }
      out.items = std::move(page->items);
      out.next = page->next_cursor;
    } else {
      out.error = tr("The store server's answer was not understood.");
    }
    ctx_.app.apply(std::move(out));
  });
  if (!want_tills) return;
  ctx_.http.send(bearer_get("/api/v1/tills", token), [this](sync::HttpResponse r) {
    if (r.status != 200) return;  // the filter then offers every till only
    std::optional<std::vector<state::StoreTill>> tills = answers::parse_store_tills(r.body, "");
    if (!tills || tills->empty()) return;
    state::ShiftsArchiveLoaded out;
    out.tills_only = true;
    for (const state::StoreTill& t : *tills) out.tills.emplace_back(t.id, t.code);
    ctx_.app.apply(std::move(out));
  });
}

void ShiftsArchiveEffects::load_over_short(const state::AppState& s) {
  const state::ShiftsFilter filter = s.shifts_archive.filter;
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::OverShortLoaded{filter, std::nullopt, offline_text()});
    return;
  }
  ctx_.http.send(bearer_get("/api/v1/shifts/over-short?" + period_query(filter), token),
                 [this, filter](sync::HttpResponse r) {
                   if (r.status != 200) {
                     ctx_.app.apply(state::OverShortLoaded{filter, std::nullopt, refusal_text(r)});
                     return;
                   }
                   std::optional<state::OverShort> o = answers::parse_over_short(r.body);
                   ctx_.app.apply(state::OverShortLoaded{
                       filter, std::move(o), o ? "" : tr("The store server's answer was not understood.")});
                 });
}

void ShiftsArchiveEffects::load_report(const state::AppState& s, const std::string& shift_id) {
  (void)s;
  const std::string token = ctx_.session_token();
  if (token.empty()) {
    ctx_.app.apply(state::ArchivedShiftLoaded{shift_id, std::nullopt, offline_text()});
    return;
  }
  ctx_.http.send(bearer_get("/api/v1/shifts/" + sync::url_encode(shift_id) + "/report", token),
                 [this, shift_id](sync::HttpResponse r) {
                   if (r.status != 200) {
                     ctx_.app.apply(state::ArchivedShiftLoaded{shift_id, std::nullopt, refusal_text(r)});
                     return;
                   }
                   std::optional<answers::ShiftReportAnswer> a = answers::parse_shift_report(r.body);
                   if (!a) {
                     ctx_.app.apply(state::ArchivedShiftLoaded{shift_id, std::nullopt,
                                                               tr("The store server's answer was not understood.")});
                     return;
                   }
                   const state::AppState& now = ctx_.app.state();
                   state::ArchivedShiftReport out;
                   out.shift_id = shift_id;
                   out.report = std::move(a->report);
                   out.time_text = local_time(now, a->shift.closed_ms ? a->shift.closed_ms : a->shift.opened_ms,
                                              now.store.time_zone);
                   out.till_code = a->shift.till_code;
                   out.cashier = a->shift.cashier;
                   ctx_.app.apply(state::ArchivedShiftLoaded{shift_id, std::move(out), ""});
                 });
}

void ShiftsArchiveEffects::print(const state::AppState& s) {
  if (!s.shifts_archive.report) return;
  const state::ArchivedShiftReport& a = *s.shifts_archive.report;
  const state::ShiftReportView view{a.shift_id, a.report, a.time_text};
  platform::page::print_html(shift_report_html(s, view, a.till_code));
}

}  // namespace salespider::effects
