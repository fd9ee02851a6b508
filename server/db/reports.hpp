// The dashboard in SQL (docs/api.md "Reports", docs/reports.md "Dashboard"):
// the per-day summary tables of migration 0017, refreshed on read, and the
// dashboard's figures and breakdowns answered from them.
//
// [x] refresh: the store-local days touched since the last refresh (sales and
//     refunds by recorded_at, voids by received_at, each row checked against
//     the snapshot the last refresh saw, re-scanning kRescanWindow before
//     it), recomputed whole under an advisory lock; a changed time zone drops
//     and rebuilds the store's rows
// [x] figures of a range of days (and of any other range: the previous
//     period), breakdowns by day, hour, tender, cashier, till, category,
//     top and slow products
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

// A transaction that began this long before the last refresh and committed
// after it is still seen (recorded_at is the transaction's start). Pushes
// are short and idle transactions are cut after 60 s
// (idle_in_transaction_session_timeout), so minutes are plenty.
inline constexpr int kRescanWindowMinutes = 10;

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

// Days are YYYY-MM-DD, both inclusive, already checked. One consistent
// snapshot for everything read.
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
