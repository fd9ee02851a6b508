// The stock ledger read and written outside the push (GET /api/v1/stock/...,
// /products/{id}/movements, `salespider stock`): movements with their names,
// low stock, the stock's value, and a movement written by the CLI.
//
// [x] movements per product or store-wide (product, kind, time range), newest
//     first by occurred_at, keyset pages; every matching row for the export
// [x] low stock: tracked, active, not archived products that are low or out
// [x] the stock's value at cost and at price (exact sums, as text)
// [x] a movement from the CLI: one transaction, the level row locked first,
//     a count computed against the ledger "now", audited
// [ ] a count from the CLI is not compensated against a till's count dated
//     in the future (the push does that: service/sync_push_chunk.cpp)
//
// No pqxx types in this header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/audit.hpp"
#include "db/history.hpp"

namespace salespider::db {

class Pool;

struct MovementQuery {
  std::string store_id;
  std::string product_id;  // "" = every product
  std::string kind;        // "" = every kind
  TimeRange range;
  std::optional<PageAfter> after;
  int limit = 50;  // 0 = no limit (the export reads pages itself)
};

struct MovementRow {
  std::string id;
  std::string product_id;
  std::string product_name;
  std::string kind;
  std::int64_t quantity_milli = 0;
  std::string reason;  // "" = none
  std::string note;
  std::string user_name;  // "" = none (a sale's seller is its user; a compensation has none)
  std::string till_code;  // "" = not from a till
  std::string op_id;      // "" = none
  std::string occurred_at;
  std::string recorded_at;
  std::int64_t occurred_at_us = 0;
  std::string count_id;
  std::optional<std::int64_t> counted_milli;
  std::optional<std::int64_t> expected_milli;
  std::optional<std::int64_t> unit_cost_minor;
  std::string compensates_op_id;
};

std::vector<MovementRow> find_movements(Pool& pool, const MovementQuery& q);
// On hand of a product of the store (0 without a level row); nullopt: no such product.
std::optional<std::int64_t> product_on_hand(Pool& pool, const std::string& store_id,
                                            const std::string& product_id);

inline constexpr int kMaxLowStockRows = 1000;
// Tracked, active, not archived products at or below their low level or at
// or below zero, the most short first (short = low level - on hand): their
// ids (catalog::find_products reads the rows).
std::vector<std::string> low_stock(Pool& pool, const std::string& store_id);

struct StockValue {
  std::string currency;
  AmountSum at_cost;                       // on hand x cost, over products with stock and a cost
  AmountSum at_price;                      // on hand x price, over products with stock
  std::int64_t products = 0;               // tracked, not archived
  std::int64_t products_without_cost = 0;  // of those, with stock on hand and no cost
  std::int64_t products_below_zero = 0;    // of those, on hand < 0 (valued at nothing)
};
StockValue stock_value(Pool& pool, const std::string& store_id);

// A product by id, SKU (case-insensitive) or barcode, not archived.
std::optional<std::string> find_product_id(Pool& pool, const std::string& store_id, const std::string& key);

struct NewMovement {
  std::string store_id;
  std::string product_id;
  std::string kind;                 // receive | adjust | count | write_off
  std::int64_t quantity_milli = 0;  // a count: what was counted
  std::optional<std::string> reason;
  std::string note;
  std::optional<std::int64_t> unit_cost_minor;
};
struct RecordedMovement {
  std::string id;
  std::string op_id;
  std::int64_t quantity_milli = 0;  // a count: counted - expected
  std::optional<std::int64_t> expected_milli;
  std::int64_t on_hand_milli = 0;
};
// One transaction: the level row locked, the movement (a fresh op id,
// occurred now), the level moved, the audit row. Throws on a database
// refusal (the caller validated).
RecordedMovement record_movement(Pool& pool, const NewMovement& m, AuditEntry audit);

}  // namespace salespider::db
