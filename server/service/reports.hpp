// The dashboard use case (docs/api.md "Reports", docs/reports.md
// "Dashboard"): reads ?from/?to as whole days in the store's time zone
// (absent = today), works out the previous period of equal length, brings
// the per-day summaries up to date (db/reports.hpp) and derives what is not
// a plain sum: net, average basket, gross margin, margin coverage, the
// low-stock count (the one GET /api/v1/stock/low counts).
//
// Deliberately not here: SQL (db/reports.*), JSON (http/routes_reports.cpp),
// permissions (the route's access).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/principal.hpp"
#include "db/reports.hpp"
#include "service/auth_outcome.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

inline constexpr int kMaxDashboardDays = 366;  // to - from, in days

struct DashboardFigures {
  std::int64_t revenue = 0;
  std::int64_t tax = 0;
  std::int64_t discounts = 0;
  std::int64_t refunds = 0;
  std::int64_t net = 0;  // revenue - refunds
  std::int64_t sales = 0;
  std::int64_t average_basket = 0;  // revenue / sales, half away from zero; 0 without sales
  std::int64_t items_sold_milli = 0;
  std::optional<std::int64_t> cost;          // nullopt: no line with a known cost
  std::optional<std::int64_t> gross_margin;  // (revenue - tax) of lines with a known cost - their cost
  std::int64_t margin_coverage_ppm = 0;      // share of line revenue whose cost is known
  std::int64_t voids = 0;
};

struct Dashboard {
  std::string from, to;  // YYYY-MM-DD
  std::string previous_from, previous_to;
  std::string time_zone, currency;
  DashboardFigures figures;
  DashboardFigures previous;
  std::int64_t low_stock = 0;
  db::reports::Breakdowns breakdowns;
};

// Pure: the derived figures of summed rows.
DashboardFigures derive_figures(const db::reports::Figures& f);

// "YYYY-MM-DD" +/- days; nullopt when not a real date.
std::optional<std::string> add_days(const std::string& date, int days);
// Days from a to b (b - a); both checked dates.
int days_between(const std::string& a, const std::string& b);

class ReportsService {
 public:
  explicit ReportsService(db::Pool& pool) : pool_(pool) {}
  // from / to: "" = today in the store's zone.
  Outcome<Dashboard> dashboard(const auth::UserPrincipal& who, const std::string& from, const std::string& to);

 private:
  db::Pool& pool_;
};

}  // namespace salespider::service
