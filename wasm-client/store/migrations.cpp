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

// Version 2: the catalog as the pull feed delivers it (docs/sync-protocol.md
// "Pull"; field names as server/db/migrations/0003_sync.sql writes them).
//
// Row versions live on the rows themselves: every table the feed fills has
// row_version + deleted, and a tombstone keeps its row (deleted = 1, the
// tombstone's version) so an older upsert arriving later is recognised as
// older and not applied. Nothing here is ever a secret: `users` lists who
// works in the store, never a password or PIN hash.
//
// products.barcodes keeps the product's barcodes as the feed sent them (a
// JSON array), so replacing them needs only primary-key lookups in
// `barcodes`, with or without barcodes_by_product (which sync drops while a
// bootstrap bulk-loads, together with the two search indexes below).
constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE products ADD COLUMN sku TEXT;                          -- NULL: no SKU
ALTER TABLE products ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN unit TEXT NOT NULL DEFAULT 'each';  -- 'each' | 'weighed' (shared UnitKind)
ALTER TABLE products ADD COLUMN track_stock INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN reorder_level_milli INTEGER;       -- thousandths; NULL: none
ALTER TABLE products ADD COLUMN is_active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN barcodes TEXT NOT NULL DEFAULT '[]';
-- Search: prefix ranges on lower(...) (SQLite's lower() folds ASCII only; the
-- catalog reader folds the same way). Both are expression indexes so no
-- second copy of the name is stored.
CREATE INDEX products_by_sku ON products(lower(sku));
CREATE INDEX products_by_name ON products(lower(name));

ALTER TABLE tax_rates ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE tax_rates ADD COLUMN kind TEXT NOT NULL DEFAULT 'standard';  -- standard|reduced|zero|exempt
ALTER TABLE tax_rates ADD COLUMN rate_ppm INTEGER NOT NULL DEFAULT 0;     -- 75000 = 7.5 %; rate_bp = rate_ppm / 100
ALTER TABLE tax_rates ADD COLUMN is_active INTEGER NOT NULL DEFAULT 1;

ALTER TABLE categories ADD COLUMN parent_id TEXT;
ALTER TABLE categories ADD COLUMN sort_order INTEGER NOT NULL DEFAULT 0;

CREATE TABLE stock_levels (
    product_id TEXT PRIMARY KEY,
    on_hand_milli INTEGER NOT NULL,         -- thousandths, as the server's ledger says
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
-- Offline grants issued to this till and revoked since: refused offline.
CREATE TABLE revoked_grants (
    grant_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
-- The store's settings entity, one row (id = the store's id), kept whole.
CREATE TABLE store_settings (
    id TEXT PRIMARY KEY,
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL DEFAULT '{}'         -- the entity's data JSON as pulled
);
-- This till as the server knows it (only this till's row is sent).
CREATE TABLE tills (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    highest_receipt_seq INTEGER NOT NULL,   -- also raises settings.receipt_seq_floor
    row_version INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
)sql";

// Version 3: selling (search as you type, receipts). Product search moves
// from prefix ranges on lower(name) to the FTS5 table product_search
// (store/product_search.hpp) in name order (product_name_order). Both, and
// products_by_name (now product -> place in name order, so version 2's
// index on lower(name) goes), are derived data: they are not created here
// but built from the rows by rebuild_product_search, which
// Store::open runs when they are missing and no bootstrap is under way
// (sync drops and rebuilds them around a bootstrap). catalog_glyphs lists
// the non-ASCII characters the catalog prints, for the font atlas. The
// store settings gain the receipt's tax id and address, taken from the
// settings entity already stored when it has them.
constexpr const char* kSchemaV3 = R"sql(
DROP INDEX IF EXISTS products_by_name;
CREATE TABLE catalog_glyphs (
    cp INTEGER PRIMARY KEY                            -- a Unicode codepoint above U+007F
);
ALTER TABLE store_settings ADD COLUMN tax_id TEXT NOT NULL DEFAULT '';
ALTER TABLE store_settings ADD COLUMN address TEXT NOT NULL DEFAULT '';
UPDATE store_settings SET
    tax_id = CASE json_type(data, '$.tax_id') WHEN 'text' THEN json_extract(data, '$.tax_id') ELSE '' END,
    address = CASE json_type(data, '$.address') WHEN 'text' THEN json_extract(data, '$.address') ELSE '' END
WHERE json_valid(data);
)sql";

// Version 4: the rest of the day ([9/9]). Sales know their shift and who
// sold them; every other op this till records (shift open and close, cash
// movements, refunds, voids) is kept in local_ops for the X/Z reports, the
// history and refunds, filled by Store::apply_op from the journal (so a
// replay after a reload refills it).
constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE sales ADD COLUMN shift_id TEXT;
ALTER TABLE sales ADD COLUMN user_id TEXT NOT NULL DEFAULT '';
UPDATE sales SET shift_id = json_extract(payload, '$.shift_id') WHERE json_valid(payload);
CREATE INDEX sales_by_shift ON sales(shift_id, created_at) WHERE shift_id IS NOT NULL;
CREATE TABLE local_ops (
    op_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,             -- till clock, ms since the Unix epoch
    user_id TEXT NOT NULL DEFAULT '',
    shift_id TEXT,                           -- json $.shift_id
    ref TEXT,                                -- refund: the sale's op id; void: the sale id
    payload TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX local_ops_by_shift ON local_ops(shift_id, created_at) WHERE shift_id IS NOT NULL;
CREATE INDEX local_ops_by_ref ON local_ops(ref) WHERE ref IS NOT NULL;
CREATE INDEX local_ops_by_kind ON local_ops(kind, created_at);
)sql";

// Version 5: pulled changes the till could not apply yet (issue 23, "pull
// never skips for good"): an entity this build does not know (a newer
// server's) or data of the wrong shape. The raw change is kept with why and
// the cursor of the page that brought it; the pull cursor moves on, and
// sync/apply_changes.cpp tries these again after an upgrade or when the
// applier learns the entity. One row per entity and id: the newest version.
constexpr const char* kSchemaV5 = R"sql(
CREATE TABLE deferred_changes (
    entity TEXT NOT NULL,
    id TEXT NOT NULL,
    row_version INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    data TEXT NOT NULL,
    reason TEXT NOT NULL,                    -- unknown_entity | invalid
    why TEXT NOT NULL,                       -- what was wrong (invalid), '' otherwise
    cursor TEXT NOT NULL,                    -- the pull cursor the page was asked with
    kept_at INTEGER NOT NULL,                -- till clock, ms since the Unix epoch
    tries INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (entity, id)
) WITHOUT ROWID;
)sql";

constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
    {3, kSchemaV3},
    {4, kSchemaV4},
    {5, kSchemaV5},
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
