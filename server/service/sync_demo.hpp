// A realistic demo store for an empty database (`salespider demo seed`, and
// `make run` on a fresh machine): tax rates, categories, products with
// barcodes, staff of every role, two tills, and months of trading — shifts,
// sales with daily and weekly rhythms, discounts, split tenders, refunds,
// restocking — all recorded through the push service, exactly as tills'
// ops are. Deterministic: the same options give the same store (ids included).
// Deliberately no passwords: demo staff cannot log in until one is set.
#pragma once

#include <cstdint>
#include <string>

#include "service/auth_outcome.hpp"
#include "support/clock.hpp"

namespace salespider::db {
class Pool;
}

namespace salespider::service::sync {

struct DemoOptions {
  int products = 120;
  int sales = 3000;
  int days = 90;
  std::uint64_t seed = 1;
  std::int64_t now_ms = 0;  // the demo's "today"; 0 = `clock`'s
  // The server's clock (support/clock.hpp): "today" unless now_ms is set, and
  // the arrival time of every pushed batch.
  support::Clock clock = support::Clock::system();
};

struct DemoReport {
  int products = 0;
  int staff = 0;
  int tills = 0;
  int shifts = 0;
  int sales = 0;
  int refunds = 0;
  int stock_movements = 0;
  int rejected = 0;  // ops the server refused (should be 0)
  int flagged = 0;   // ops the server flagged (a few oversells are realistic)
};

// Problem::conflict when the store already has products, sales or tills.
Outcome<DemoReport> seed_demo(db::Pool& pool, const DemoOptions& options);

}  // namespace salespider::service::sync
