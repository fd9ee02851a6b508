// What the till itself recorded, read back for the rest of the day: the open
// shift, the ops of a shift (for its X and Z reports), this till's sales for
// the history, and the refunds of one sale. All from the tables the store's
// apply_op fills from the journal (schema version 4: sales.shift_id and
// local_ops), so they are the same after a reload, replay included.
//
// Read only and index-backed (sales_by_created_at, sales_by_shift,
// local_ops_by_shift, local_ops_by_ref). Deliberately no server data: the
// store's history from other tills comes from the server's API.
#pragma once

#include "store/sqlite_db.hpp"
#include "store/store_result.hpp"

#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::store {

struct LocalOp {
  std::string op_id;
  std::string kind;  // shift_open | shift_close | cash_movement | refund | void
  std::int64_t created_at = 0;
  std::string user_id;
  std::string payload;
};

struct LocalSale {
  std::string op_id;
  std::string receipt_number;
  std::int64_t created_at = 0;
  std::int64_t total = 0;
  std::string user_id;
  std::string payload;
  std::int64_t refunded = 0;  // sum of this till's refunds of it
};

// The latest shift_open of this till that has no shift_close.
Result<std::optional<LocalOp>> open_shift(Database& db);
// Every op with this shift id (opens, cash movements, refunds, the close), oldest first.
Result<std::vector<LocalOp>> shift_ops(Database& db, std::string_view shift_id);
// Completed sales recorded within the shift, oldest first.
Result<std::vector<LocalSale>> shift_sales(Database& db, std::string_view shift_id);

struct LocalSalesQuery {
  std::string text;              // receipt-number prefix (case-insensitive); empty: all
  bool refunded_only = false;
  // Sales created in [from_ms, to_ms) by the till's clock; the caller turns
  // the store's dates into these (state/sales_dates.hpp). Defaults: no bound.
  std::int64_t from_ms = INT64_MIN;
  std::int64_t to_ms = INT64_MAX;
  std::string tender;            // cash | card | ...: a payment of that kind; empty: any
  std::string user_id;           // the cashier who sold it; empty: anyone
  std::int64_t before_ms = 0;    // page: sales created before this (0: from the newest)
  std::string before_op;         // ... and, at the same ms, with a smaller op id
  int limit = 50;                // 1-200
};
Result<std::vector<LocalSale>> local_sales(Database& db, const LocalSalesQuery& q);
// The whole filtered set (the page cursor and limit of `q` are ignored):
// how many sales, their totals and what this till refunded of them.
struct LocalSalesTotals {
  std::int64_t count = 0;
  std::int64_t total = 0;
  std::int64_t refunded = 0;
};
Result<LocalSalesTotals> local_sales_totals(Database& db, const LocalSalesQuery& q);
// Everyone who sold on this till (user ids, most recent seller first): the
// history's cashier filter offers them.
Result<std::vector<std::string>> local_sellers(Database& db);
Result<std::optional<LocalSale>> local_sale(Database& db, std::string_view op_id);
// Voids of parked sales recorded in [from_ms, to_ms) (to_ms 0: no end): a
// void names no shift, so a shift counts those made while it was open.
Result<std::int64_t> voids_between(Database& db, std::int64_t from_ms, std::int64_t to_ms);
// This till's refunds of a sale, oldest first.
Result<std::vector<LocalOp>> refunds_of(Database& db, std::string_view sale_op_id);

}  // namespace salespider::store
