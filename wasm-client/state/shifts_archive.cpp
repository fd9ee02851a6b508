// The shifts archive in the reducer: who opens it, the list's pages (a stale
// answer for another filter is dropped), the selected shift's report and the
// over/short table. See shifts_archive.hpp.
#include "state/shifts_archive.hpp"

#include "state/app_state.hpp"
#include "state/reducers.hpp"

#include <type_traits>
#include <utility>

namespace salespider::state {

namespace {

void start_query(ShiftsArchive& a, const ShiftsFilter& f) {
  a.filter = f;
  a.items.clear();
  a.next.clear();
  a.loading = true;
  a.error.clear();
  a.over_short.reset();
  a.over_short_loading = true;
  a.over_short_error.clear();
}

template <class C>
void apply(AppState& s, const C& c) {
  ShiftsArchive& a = s.shifts_archive;
  if constexpr (std::is_same_v<C, OpenShiftsArchive>) {
    if (s.busy || !shifts_archive_allowed(s)) return;
    s.screen = Screen::ShiftsArchive;
    a.selected.clear();
    a.report.reset();
    a.report_error.clear();
    start_query(a, c.filter);
  } else if constexpr (std::is_same_v<C, QueryShiftsArchive>) {
    if (s.screen != Screen::ShiftsArchive) return;
    start_query(a, c.filter);
  } else if constexpr (std::is_same_v<C, MoreShiftsArchive>) {
    if (!a.next.empty() && !a.loading) a.loading = true;
  } else if constexpr (std::is_same_v<C, ShiftsArchiveLoaded>) {
    if (!c.tills.empty()) a.tills = c.tills;
    if (c.tills_only) return;
    if (!(c.filter == a.filter)) return;  // an answer for a filter no longer shown
    a.loading = false;
    a.error = c.error;
    if (!c.error.empty()) return;
    if (c.append)
      a.items.insert(a.items.end(), c.items.begin(), c.items.end());
    else
      a.items = c.items;
    a.next = c.next;
  } else if constexpr (std::is_same_v<C, SelectArchivedShift>) {
    if (s.screen != Screen::ShiftsArchive || c.shift_id.empty()) return;
    a.selected = c.shift_id;
    a.report.reset();
    a.report_error.clear();
    a.report_loading = true;
  } else if constexpr (std::is_same_v<C, ArchivedShiftLoaded>) {
    if (c.shift_id != a.selected) return;
    a.report_loading = false;
    a.report = c.report;
    a.report_error = c.error;
  } else if constexpr (std::is_same_v<C, PrintArchivedShift>) {
    // The effects print a.report; nothing changes here.
  } else if constexpr (std::is_same_v<C, OverShortLoaded>) {
    if (!(c.filter == a.filter)) return;
    a.over_short_loading = false;
    a.over_short = c.over_short;
    a.over_short_error = c.error;
  }
}

}  // namespace

bool shifts_archive_allowed(const AppState& s) {
  return may(s, "view_all_sales");
}

bool shifts_archive_back(AppState& s) {
  if (s.screen != Screen::ShiftsArchive) return false;
  s.screen = Screen::BackOffice;
  return true;
}

bool reduce_shifts_archive(AppState& state, const Command& command) {
  return reduce_listed<ShiftsArchiveCommands>(state, command, [](AppState& s, const auto& c) { apply(s, c); });
}

}  // namespace salespider::state
