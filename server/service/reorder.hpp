// The reorder view (GET /api/v1/reports/reorder, docs/reports.md "Reorder"):
// per product, demand forecast from its daily sales (forecast.hpp), days of
// cover at the current stock, a suggested order for a lead time plus safety
// days, a class (reorder, slow, dead, ok) and a one-line English reason
// built from the numbers. The till writes its own line from the structured
// fields, in its language.
//
// Choices (stated in docs/reports.md):
//   * a product's history starts at its first sale in the window (a product
//     added three weeks ago has three weeks, not 56 days of zeros before);
//   * safety stock = safety_days x the forecast daily demand (the owner's
//     "days of safety" knob; not the residual standard deviation, which a
//     few weeks of a slow mover estimate badly);
//   * quantities of 'each' products are ordered in whole units (rounded up).
// Deliberately no SQL (db/reorder.hpp) and no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/reorder.hpp"
#include "service/auth_outcome.hpp"
#include "service/forecast.hpp"
#include "support/clock.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service {

inline constexpr int kDefaultLeadDays = 7;
inline constexpr int kDefaultSafetyDays = 3;
inline constexpr int kDefaultHistoryDays = 56;

// The query string's values as sent ("" = absent: the default).
struct ReorderRequest {
  std::string lead_days, safety_days, history_days;
};

struct ReorderParams {
  int lead_days = kDefaultLeadDays;
  int safety_days = kDefaultSafetyDays;
  int history_days = kDefaultHistoryDays;
};

struct ReorderItem {
  std::string product_id, name, sku;
  bool weighed = false;
  std::int64_t on_hand_milli = 0;
  std::int64_t forecast_daily_milli = 0;  // mean over the lead time
  std::int64_t forecast_lead_milli = 0;   // sum over the lead time
  std::int64_t safety_milli = 0;          // safety_days x forecast_daily
  std::int64_t suggested_order_milli = 0;
  std::optional<double> days_of_cover;  // on hand / forecast_daily, one decimal; none when the forecast is 0
  std::string klass;                    // reorder | slow | dead | ok
  forecast::Method method = forecast::Method::none;
  int days_sold = 0;               // days of the window with a sale
  std::int64_t sold_milli = 0;     // net quantity sold over the window
  std::optional<int> busier_weekday;  // 0 = Monday .. 6 = Sunday, when one weekday clearly sells more
  std::string reason;              // one line, English
};

struct ReorderAnswer {
  std::string as_of;  // today in the store's time zone (the window ends yesterday)
  std::string time_zone;
  ReorderParams params;
  std::vector<ReorderItem> items;  // reorder (fewest days of cover first), slow, dead, ok
};

// Reads lead_days (1..90), safety_days (0..90), history_days (14..365);
// a bad one is bad_request naming its field.
Outcome<ReorderParams> read_reorder_params(const ReorderRequest& request);

// One product's line, from its window (oldest day first) and the weekday of
// today, the first forecast day (0 = Monday). Pure: tests call it directly.
ReorderItem assess(const db::ProductDemand& product, const ReorderParams& params, int today_weekday);

// "reorder" first by fewest days of cover, then slow, dead, ok; by name within.
void sort_items(std::vector<ReorderItem>& items);

// 0 = Monday .. 6 = Sunday of a YYYY-MM-DD date.
int weekday_of(const std::string& date);

class ReorderService {
 public:
  ReorderService(db::Pool& pool, support::Clock clock) : pool_(pool), clock_(std::move(clock)) {}
  Outcome<ReorderAnswer> reorder(const std::string& store_id, const ReorderRequest& request);

 private:
  db::Pool& pool_;
  support::Clock clock_;
};

}  // namespace salespider::service
