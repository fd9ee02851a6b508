// The reorder view's input (GET /api/v1/reports/reorder): per product, the
// quantity sold on each store-local day of a window ending yesterday, with
// its on hand, name, SKU and unit. One query grouped by product and day,
// read through a cursor a few thousand rows at a time and handed over one
// product at a time, so 100,000 products never sit in memory as rows.
//
// Quantity sold on a day = the lines of completed (not voided) sales that
// occurred that day minus the quantities refunded on refunds that occurred
// that day (a refund lowers the demand of the day it happened, not of the
// sale's day: the history stays as it was when it was first read). A day
// can therefore be negative; the service clamps it.
//
// Which products: active, not archived, stock-tracked ones that sold (or
// were refunded) in the window or have stock on hand other than zero.
// Deliberately no forecasting (service/reorder.hpp) and no pqxx in this header.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace salespider::db {

class Pool;

struct ProductDemand {
  std::string id;
  std::string name;
  std::string sku;  // "" = none
  bool weighed = false;
  std::int64_t on_hand_milli = 0;
  // One value per day of the window, oldest first, zeros included.
  std::vector<std::int64_t> sold_milli;
};

struct DemandWindow {
  std::string today;      // YYYY-MM-DD in the store's time zone (as of)
  std::string time_zone;  // settings.time_zone
};

// Reads the window of `days` days ending the day before "now" (`now_ms`, in
// the store's time zone) and calls `each` once per product, in id order,
// with the window (known before the first product).
DemandWindow read_demand(Pool& pool, const std::string& store_id, std::int64_t now_ms, int days,
                         const std::function<void(const DemandWindow&, ProductDemand&&)>& each);

}  // namespace salespider::db
