// The compact catalog bootstrap (docs/sync-protocol.md "Bootstrap in parts"):
// a new till asks for a plan, then downloads the products (with their
// barcodes and stock level) in parts, several at a time, as tab-separated
// text, and finally pulls the feed from the plan's cutoff.
//
// read_catalog_plan: in ONE repeatable-read snapshot, the cutoff (that
// snapshot's xmin: everything committed before it is in the snapshot, anything
// later has a txid >= it and comes through the feed from (cutoff, 0)), the
// small entities (settings, tax rates, categories, users, this till, revoked
// grants) as sync rows, and the product ids that split the catalog into parts
// of at most `part_rows`.
//
// read_catalog_part: the products with after < id <= upto, each joined to its
// barcodes and stock level, read in their own transaction: the CURRENT state,
// never older than the plan's snapshot, so applying it and then the feed from
// the cutoff misses nothing (rows changed meanwhile come twice; the till keeps
// the higher row_version). Deliberately not here: stock levels of deleted
// products (a till never sells them; the old paged bootstrap still sends them).
//
// No pqxx types in this header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/feed.hpp"

namespace salespider::db {

class Pool;

struct CatalogPlan {
  std::uint64_t cutoff_txid = 0;
  std::vector<SyncRow> small;       // every synced entity but products and stock levels
  std::vector<std::string> bounds;  // part k covers (bounds[k-1] or start, bounds[k]]; the last is the last id
  std::int64_t products = 0;
};

CatalogPlan read_catalog_plan(Pool& pool, const std::string& store_id, const std::string& till_id, int part_rows);

// One line per product, fields separated by tabs, in this order:
//   id, row_version, sku, name, description, category_id, tax_rate_id, unit,
//   price_minor, currency, track_stock (0/1), reorder_level_milli, is_active
//   (0/1), barcodes (a JSON array of strings), stock row_version,
//   on_hand_milli
// NULL is \N; backslash, tab, newline and carriage return are escaped as
// \\ \t \n \r (PostgreSQL's COPY text format). `after` empty = from the start.
std::string read_catalog_part(Pool& pool, const std::string& store_id, const std::string& after,
                              const std::string& upto);

// read_catalog_part's query run as it runs there, under EXPLAIN (ANALYZE,
// FORMAT JSON): the plan PostgreSQL chose and how often each node ran.
// For tests and diagnosis.
std::string explain_catalog_part(Pool& pool, const std::string& store_id, const std::string& after,
                                 const std::string& upto);

inline constexpr int kCatalogPartColumns = 16;

}  // namespace salespider::db
