// The shifts archive (back office, managers and the owner, online): the
// store's closed shifts of a period (GET /api/v1/shifts?status=closed&from&to
// &till, pages with More), one shift's Z report as the server computes it
// (GET /api/v1/shifts/{id}/report) with a reprint, and over/short per
// cashier over the same period (GET /api/v1/shifts/over-short, docs/api.md).
//
// State and commands only; the reducer is shifts_archive.cpp. Deliberately
// not here: the HTTP calls (effects/shifts_archive.cpp), parsing
// (answers/shifts_answers.cpp), drawing (ui/shifts_archive.cpp).
#pragma once

#include <salespider/shared/shift_report.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salespider::state {

struct AppState;

struct ShiftsFilter {
  std::string from, to;  // YYYY-MM-DD in the store's time zone; "" = this month (the screen fills it)
  std::string till;      // till id; "" = every till
  bool operator==(const ShiftsFilter&) const = default;
};

// One closed shift of the list.
struct ArchivedShift {
  std::string id;
  std::string till_id, till_code;
  std::string cashier_id, cashier;
  std::int64_t opened_ms = 0, closed_ms = 0;
  std::string opened_text, closed_text;  // in the store's time zone
  std::int64_t opening_float = 0;
  std::optional<std::int64_t> expected, counted, over_short;
  std::int64_t sales_count = 0;
  std::int64_t sales_total = 0;
};

// The Z (or X) report of the selected shift, as the server computed it.
struct ArchivedShiftReport {
  std::string shift_id;
  ShiftReport report;
  std::string time_text;  // when the shift closed, in the store's time zone
  std::string till_code;
  std::string cashier;
};

struct OverShortRow {
  std::string user_id, name;
  std::int64_t shifts = 0, over = 0, short_ = 0, net = 0, expected = 0, counted = 0;
};
struct OverShort {
  std::vector<OverShortRow> cashiers;
  std::int64_t shifts = 0, over = 0, short_ = 0, net = 0;  // the period's totals
};

struct ShiftsArchive {
  ShiftsFilter filter;
  std::vector<ArchivedShift> items;
  std::string next;  // cursor of the next page; "" none
  bool loading = false;
  std::string error;
  std::string selected;  // shift id whose report is asked for or shown
  bool report_loading = false;
  std::optional<ArchivedShiftReport> report;
  std::string report_error;
  std::optional<OverShort> over_short;
  bool over_short_loading = false;
  std::string over_short_error;
  // The tills the filter offers (GET /api/v1/tills; ids and codes).
  std::vector<std::pair<std::string, std::string>> tills;
};

// --- commands (in the Command variant of app_state.hpp) ---------------------
struct OpenShiftsArchive {
  ShiftsFilter filter;  // from/to "" = this month (the effects know the date)
};
struct QueryShiftsArchive {
  ShiftsFilter filter;
};
struct MoreShiftsArchive {};
struct ShiftsArchiveLoaded {
  ShiftsFilter filter;
  std::vector<ArchivedShift> items;
  std::string next;
  bool append = false;
  std::string error;
  std::vector<std::pair<std::string, std::string>> tills;  // empty: keep what is known
  bool tills_only = false;  // brings the tills for the filter, no rows
};
struct SelectArchivedShift {
  std::string shift_id;
};
struct ArchivedShiftLoaded {
  std::string shift_id;
  std::optional<ArchivedShiftReport> report;
  std::string error;
};
struct PrintArchivedShift {};
struct OverShortLoaded {
  ShiftsFilter filter;
  std::optional<OverShort> over_short;
  std::string error;
};

// Managers and the owner (view_all_sales) open it.
bool shifts_archive_allowed(const AppState& s);
// Back from the archive (to the hub); false on any other screen.
bool shifts_archive_back(AppState& s);

}  // namespace salespider::state
