// The local schema, version by version. Money is integer minor units with an
// ISO 4217 code (architecture invariant 6); ids are the server's UUIDs as text.
#include "store/migrations.hpp"

#include <string>

namespace salespider::store {

namespace {

// Version 1: the initial local schema. Deliberately small: the real catalog
// and sale shapes come with the sync and selling issues as further versions.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE tax_rates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    rate_bp INTEGER NOT NULL,               -- basis points: 750 = 7.5 %
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE categories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE products (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    price_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    tax_rate_id TEXT,
    category_id TEXT,
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE barcodes (
    code TEXT PRIMARY KEY,
    product_id TEXT NOT NULL
);
CREATE INDEX barcodes_by_product ON barcodes(product_id);
CREATE TABLE settings (
    k TEXT PRIMARY KEY,
    v TEXT NOT NULL
);
-- One row per pull feed: where the till is in it.
CREATE TABLE sync_state (
    feed TEXT PRIMARY KEY,
    cursor TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
-- Local sales history: what this till sold, kept after the server acked it.
CREATE TABLE sales (
    op_id TEXT NOT NULL UNIQUE,
    receipt_no TEXT,
    receipt_seq INTEGER,
    created_at INTEGER NOT NULL,            -- till clock, ms since the Unix epoch
    total_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    payload TEXT NOT NULL                   -- the op's payload JSON as recorded
);
CREATE INDEX sales_by_created_at ON sales(created_at);
-- Every journal op whose effects are in this database: replay skips these.
CREATE TABLE ops_applied (
    op_id TEXT PRIMARY KEY,
    local_seq INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

int latest_schema_version() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

Result<MigrationOutcome> migrate(Database& db, std::span<const Migration> steps) {
  Result<std::optional<std::int64_t>> current = db.query_int("PRAGMA user_version");
  if (!current) return current.error();
  MigrationOutcome outcome;
  outcome.from = static_cast<int>(current.value().value_or(0));
  outcome.to = outcome.from;
  const int latest = steps.empty() ? 0 : steps.back().version;
  if (outcome.from > latest)
    return store_error(StoreErrc::schema_too_new, "database schema " + std::to_string(outcome.from) +
                                                      " is newer than this build's " +
                                                      std::to_string(latest));
  for (const Migration& step : steps) {
    if (step.version <= outcome.to) continue;
    // All of a step or none of it: a half-migrated database would be
    // neither version.
    if (Status s = db.exec("BEGIN IMMEDIATE"); !s) return s.error();
    Status applied = db.exec(step.sql);
    if (applied) {
      const std::string bump = "PRAGMA user_version = " + std::to_string(step.version);
      applied = db.exec(bump.c_str());
    }
    if (applied) applied = db.exec("COMMIT");
    if (!applied) {
      (void)db.exec("ROLLBACK");
      return store_error(StoreErrc::sqlite, "migration to schema " + std::to_string(step.version) +
                                                " failed: " + applied.error().context);
    }
    outcome.to = step.version;
  }
  return outcome;
}

}  // namespace salespider::store
