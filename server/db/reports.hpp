// The dashboard in SQL (docs/api.md "Reports", docs/reports.md "Dashboard"):
// the per-day summary tables of migration 0017, refreshed on read, and the
// dashboard's figures and breakdowns answered from them.
//
// [x] refresh: the store-local days touched since the last refresh (sales and
//     refunds by recorded_at, voids by received_at, since the oldest
//     transaction open at the last refresh began, each row checked against
//     the snapshot that refresh saw), recomputed whole under an advisory lock; a changed time zone drops
//     and rebuilds the store's rows
// [x] figures of a range of days and of the period before it, breakdowns by
//     day, hour, tender, cashier, till, category, top and slow products, in
//     ONE statement that reads each summary table's rows of both periods once
//     (the per-product rows, the biggest, aggregated once per product)
// [x] the same figures straight from the base tables (benchmark baseline)
// Deliberately not here: period parsing, averages, the previous period's
// dates (service/reports.hpp); permissions; the push path (never touched).
//
// No pqxx types in this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace salespider::db {

class Pool;

namespace reports {

// The next refresh re-reads the rows recorded since the oldest transaction
// open at the last one began (pg_stat_activity.xact_start: recorded_at and
// received_at are a transaction's now()), minus this margin for a transaction
// that began but was not listed yet. The pushes run as the server's own
// database role, whose sessions pg_stat_activity always shows it.
inline constexpr int kRescanMarginSeconds = 5;

// The store's zone, currency and today's date there (YYYY-MM-DD).
struct StoreClock {
  std::string time_zone;
  std::string currency;
  std::string today;
};
StoreClock store_clock(Pool& pool, const std::string& store_id);

struct RefreshStats {
  bool rebuilt = false;     // no rows yet, or the zone changed: every day
  std::size_t days = 0;     // days recomputed
};
// Brings the summary tables up to date with every committed sale, refund and
// void. Cheap when nothing changed (one indexed read, no write).
RefreshStats refresh(Pool& pool, const std::string& store_id);

// Sums over a range of days. cost / known_net: nullopt when no line sold in
// the range has a product with a known cost.
struct Figures {
  std::int64_t revenue = 0;
  std::int64_t tax = 0;
  std::int64_t discounts = 0;
  std::int64_t refunds = 0;
  std::int64_t sales = 0;
  std::int64_t items_milli = 0;
  std::int64_t voids = 0;
  std::optional<std::int64_t> cost;       // round(sum(quantity_milli x cost_minor) / 1000)
  std::optional<std::int64_t> known_net;  // line revenue without tax, lines with a known cost
  std::int64_t known_revenue = 0;         // line revenue (tax included), lines with a known cost
  std::int64_t line_revenue = 0;          // line revenue (tax included), every line
};

struct DayRow {
  std::string date;
  std::int64_t revenue = 0;
  std::int64_t sales = 0;
  std::int64_t refunds = 0;
};
struct HourRow {
  int hour = 0;
  std::int64_t revenue = 0;
  std::int64_t sales = 0;
};
struct TenderRow {
  std::string kind;
  std::int64_t amount = 0;
};
struct PartyRow {  // a cashier (label = name) or a till (label = code)
  std::string id;
  std::string label;
  std::int64_t revenue = 0;
  std::int64_t sales = 0;
};
struct CategoryRow {
  std::optional<std::string> id;  // nullopt: no category (or no product)
  std::string name;
  std::int64_t revenue = 0;
};
struct ProductRow {
  std::string id;
  std::string name;
  std::int64_t quantity_milli = 0;
  std::int64_t revenue = 0;
  std::int64_t on_hand_milli = 0;  // slow products only
};

struct Breakdowns {
  std::vector<DayRow> by_day;  // every day of the range
  std::vector<HourRow> by_hour;  // 24 rows
  std::vector<TenderRow> by_tender;
  std::vector<PartyRow> by_cashier;
  std::vector<PartyRow> by_till;
  std::vector<CategoryRow> by_category;
  std::vector<ProductRow> top_products;   // 10 by revenue
  std::vector<ProductRow> slow_products;  // 10 active products in stock, least sold
};

// Days are YYYY-MM-DD, both inclusive, already checked; previous_to must be
// the day before `from` (the statement reads [previous_from, to] once). One
// consistent snapshot for everything read.
struct DashboardRows {
  Figures current;
  Figures previous;
  Breakdowns breakdowns;
};
DashboardRows dashboard(Pool& pool, const std::string& store_id, const std::string& from, const std::string& to,
                        const std::string& previous_from, const std::string& previous_to);

// The figures of [from, to] computed from sales, sale_lines, refunds and
// applied_ops directly in the store's current zone: what the summaries
// spare (bench/dashboard_bench.cpp compares both).
Figures figures_from_base_tables(Pool& pool, const std::string& store_id, const std::string& from,
                                 const std::string& to);

}  // namespace reports
}  // namespace salespider::db
