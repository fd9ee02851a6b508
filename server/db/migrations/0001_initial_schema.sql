-- 0001: the initial schema. Never edit this file once released: add a new
-- migration instead (the server refuses to start if an applied one changed).
--
-- Conventions (docs/data-model.md):
--   * uuid primary keys, gen_random_uuid() (built in since PostgreSQL 13);
--     ids made by a till (sales, refunds, ops) are UUIDv7 sent by the till
--   * store_id on every table (one store now; chains later)
--   * money: bigint minor units + currency char(3); quantities: bigint
--     thousandths (1 kg = 1000); rates: parts per million
--   * timestamptz everywhere; `recorded_at` is the server's clock,
--     `occurred_at` the device's (devices lie; both are kept)
--   * rows that are edited carry row_version (bumped on every update) so the
--     pull feed's consumers apply only newer versions
--   * the rules live here as CHECKs, FKs and uniques, not only in C++

-- ---------------------------------------------------------------- stores
CREATE TABLE stores (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  row_version bigint NOT NULL DEFAULT 1 CHECK (row_version > 0)
);

-- One row per store; time zone and locale decide report days and formats.
CREATE TABLE settings (
  store_id                uuid PRIMARY KEY REFERENCES stores(id),
  time_zone               text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
  locale                  text NOT NULL DEFAULT 'en-US'
                          CHECK (locale ~ '^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$'),
  price_mode              text NOT NULL DEFAULT 'tax_inclusive'
                          CHECK (price_mode IN ('tax_inclusive', 'tax_exclusive')),
  cash_rounding_minor     bigint NOT NULL DEFAULT 0 CHECK (cash_rounding_minor >= 0),
  receipt_header          text NOT NULL DEFAULT '' CHECK (length(receipt_header) <= 2000),
  receipt_footer          text NOT NULL DEFAULT '' CHECK (length(receipt_footer) <= 2000),
  offline_grant_hours     integer NOT NULL DEFAULT 72 CHECK (offline_grant_hours BETWEEN 1 AND 720),
  enabled_tenders         text[] NOT NULL DEFAULT ARRAY['cash']::text[]
                          CHECK (enabled_tenders <@ ARRAY['cash', 'card', 'bank_transfer', 'mobile_money', 'other']::text[]),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  row_version             bigint NOT NULL DEFAULT 1 CHECK (row_version > 0)
);

-- ---------------------------------------------------------------- people and devices
CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id       uuid NOT NULL REFERENCES stores(id),
  email          text CHECK (email IS NULL OR (length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$')),
  username       text NOT NULL CHECK (username ~ '^[A-Za-z0-9._-]{1,64}$'),
  display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  role           text NOT NULL CHECK (role IN ('super_admin', 'admin', 'manager', 'cashier')),
  password_hash  text,            -- PHC string (argon2id); NULL: cannot log in with a password
  pin_hash       text,            -- PHC string; NULL: no PIN switching
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  row_version    bigint NOT NULL DEFAULT 1 CHECK (row_version > 0),
  UNIQUE (store_id, id)
);
-- Case-insensitive uniqueness: Ada@x and ada@x are one account.
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_username_key ON users (store_id, lower(username));

-- A till is one enrolled browser. Its code is new at every enrolment, so a
-- reset browser never reuses receipt numbers (<code>-<sequence>).
CREATE TABLE tills (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id            uuid NOT NULL REFERENCES stores(id),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  code                text NOT NULL CHECK (code ~ '^[A-Z0-9]{2,8}$'),
  status              text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  credential_hash     bytea CHECK (credential_hash IS NULL OR length(credential_hash) = 32),
  highest_receipt_seq bigint NOT NULL DEFAULT 0 CHECK (highest_receipt_seq >= 0),
  enrolled_at         timestamptz NOT NULL DEFAULT now(),
  enrolled_by         uuid REFERENCES users(id),
  revoked_at          timestamptz,
  last_seen_at        timestamptz,
  row_version         bigint NOT NULL DEFAULT 1 CHECK (row_version > 0),
  UNIQUE (store_id, code),
  UNIQUE (store_id, id),
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);

CREATE TABLE sessions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id      uuid NOT NULL REFERENCES stores(id),
  user_id       uuid NOT NULL REFERENCES users(id),
  till_id       uuid REFERENCES tills(id),
  token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),  -- sha256 of the bearer token
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  client_ip     inet,
  user_agent    text CHECK (length(user_agent) <= 512),
  CHECK (expires_at > created_at)
);
CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL;

-- ---------------------------------------------------------------- catalog
CREATE TABLE tax_rates (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id    uuid NOT NULL REFERENCES stores(id),
  code        text NOT NULL CHECK (code ~ '^[\x21-\x7E]{1,32}$'),
  kind        text NOT NULL CHECK (kind IN ('standard', 'reduced', 'zero', 'exempt')),
  rate_ppm    bigint NOT NULL CHECK (rate_ppm BETWEEN 0 AND 1000000),
  name        text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
  is_active   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  row_version bigint NOT NULL DEFAULT 1 CHECK (row_version > 0),
  UNIQUE (store_id, code),
  -- the same rule as shared/tax.hpp validate()
  CHECK ((kind IN ('zero', 'exempt')) = (rate_ppm = 0))
);

CREATE TABLE categories (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id    uuid NOT NULL REFERENCES stores(id),
  parent_id   uuid REFERENCES categories(id),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  sort_order  integer NOT NULL DEFAULT 0,
  deleted_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  row_version bigint NOT NULL DEFAULT 1 CHECK (row_version > 0),
  CHECK (parent_id IS DISTINCT FROM id)
);
CREATE UNIQUE INDEX categories_name_key
  ON categories (store_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))
  WHERE deleted_at IS NULL;

CREATE TABLE products (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id           uuid NOT NULL REFERENCES stores(id),
  sku                text CHECK (sku IS NULL OR length(sku) BETWEEN 1 AND 64),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description        text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  category_id        uuid REFERENCES categories(id),
  tax_rate_id        uuid REFERENCES tax_rates(id),
  unit               text NOT NULL DEFAULT 'each' CHECK (unit IN ('each', 'weighed')),
  price_minor        bigint NOT NULL CHECK (price_minor BETWEEN 0 AND 900000000000000),
  currency           char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  cost_minor         bigint CHECK (cost_minor IS NULL OR cost_minor BETWEEN 0 AND 900000000000000),
  track_stock        boolean NOT NULL DEFAULT true,
  reorder_level_milli bigint CHECK (reorder_level_milli IS NULL OR reorder_level_milli >= 0),
  is_active          boolean NOT NULL DEFAULT true,
  deleted_at         timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  row_version        bigint NOT NULL DEFAULT 1 CHECK (row_version > 0),
  UNIQUE (store_id, id)
);
CREATE UNIQUE INDEX products_sku_key ON products (store_id, lower(sku)) WHERE sku IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX products_name_idx ON products (store_id, lower(name));
CREATE INDEX products_category_idx ON products (category_id);

-- Several barcodes per product; one barcode names one product in a store.
CREATE TABLE barcodes (
  store_id    uuid NOT NULL REFERENCES stores(id),
  barcode     text NOT NULL CHECK (barcode ~ '^[\x21-\x7E]{1,64}$'),
  product_id  uuid NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, barcode),
  FOREIGN KEY (store_id, product_id) REFERENCES products(store_id, id) ON DELETE CASCADE
);
CREATE INDEX barcodes_product_idx ON barcodes (product_id);

-- Every price a product ever had, for receipts re-printed years later and for
-- checking an offline sale against the price in force when it was made.
CREATE TABLE price_history (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id      uuid NOT NULL REFERENCES stores(id),
  product_id    uuid NOT NULL REFERENCES products(id),
  price_minor   bigint NOT NULL CHECK (price_minor BETWEEN 0 AND 900000000000000),
  cost_minor    bigint CHECK (cost_minor IS NULL OR cost_minor >= 0),
  currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  effective_from timestamptz NOT NULL DEFAULT now(),
  changed_by    uuid REFERENCES users(id),
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX price_history_product_idx ON price_history (product_id, effective_from DESC);

-- ---------------------------------------------------------------- selling
-- A shift: one user's turn at one till, with its cash float and count.
CREATE TABLE shifts (
  id                  uuid PRIMARY KEY,
  store_id            uuid NOT NULL REFERENCES stores(id),
  till_id             uuid NOT NULL REFERENCES tills(id),
  user_id             uuid NOT NULL REFERENCES users(id),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  currency            char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  opening_float_minor bigint NOT NULL DEFAULT 0 CHECK (opening_float_minor >= 0),
  expected_cash_minor bigint CHECK (expected_cash_minor IS NULL OR expected_cash_minor >= 0),
  counted_cash_minor  bigint CHECK (counted_cash_minor IS NULL OR counted_cash_minor >= 0),
  opened_at           timestamptz NOT NULL,          -- device clock
  closed_at           timestamptz,                   -- device clock
  closed_by           uuid REFERENCES users(id),
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  row_version         bigint NOT NULL DEFAULT 1 CHECK (row_version > 0),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK (status = 'open' OR counted_cash_minor IS NOT NULL),
  CHECK (closed_at IS NULL OR closed_at >= opened_at)
);
-- At most one open shift per till.
CREATE UNIQUE INDEX shifts_one_open_per_till ON shifts (till_id) WHERE status = 'open';

CREATE TABLE sales (
  id                  uuid PRIMARY KEY,              -- UUIDv7 from the till
  store_id            uuid NOT NULL REFERENCES stores(id),
  till_id             uuid NOT NULL REFERENCES tills(id),
  receipt_seq         bigint NOT NULL CHECK (receipt_seq > 0),
  receipt_number      text NOT NULL CHECK (receipt_number ~ '^[A-Z0-9]{2,8}-[0-9]+$'),
  user_id             uuid NOT NULL REFERENCES users(id),
  shift_id            uuid REFERENCES shifts(id),
  status              text NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'voided')),
  price_mode          text NOT NULL CHECK (price_mode IN ('tax_inclusive', 'tax_exclusive')),
  currency            char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal_minor      bigint NOT NULL CHECK (subtotal_minor >= 0),
  discount_minor      bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  tax_minor           bigint NOT NULL CHECK (tax_minor >= 0),
  total_minor         bigint NOT NULL CHECK (total_minor >= 0),
  rounding_minor      bigint NOT NULL DEFAULT 0,     -- cash rounding, either sign
  paid_minor          bigint NOT NULL CHECK (paid_minor >= 0),
  change_minor        bigint NOT NULL DEFAULT 0 CHECK (change_minor >= 0),
  flags               text[] NOT NULL DEFAULT '{}',  -- e.g. total_mismatch, oversold, clock_skew
  occurred_at         timestamptz NOT NULL,          -- device clock
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  voided_at           timestamptz,
  voided_by           uuid REFERENCES users(id),
  op_id               uuid NOT NULL UNIQUE,
  UNIQUE (till_id, receipt_seq),
  UNIQUE (store_id, receipt_number),
  CHECK ((status = 'voided') = (voided_at IS NOT NULL))
);
CREATE INDEX sales_recorded_idx ON sales (store_id, recorded_at);
CREATE INDEX sales_shift_idx ON sales (shift_id);

CREATE TABLE sale_lines (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id            uuid NOT NULL REFERENCES stores(id),
  sale_id             uuid NOT NULL REFERENCES sales(id),
  line_no             integer NOT NULL CHECK (line_no BETWEEN 1 AND 1000),
  product_id          uuid REFERENCES products(id),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),   -- snapshot
  barcode             text CHECK (barcode IS NULL OR length(barcode) <= 64),
  unit                text NOT NULL CHECK (unit IN ('each', 'weighed')),
  quantity_milli      bigint NOT NULL CHECK (quantity_milli > 0),
  unit_price_minor    bigint NOT NULL CHECK (unit_price_minor >= 0),
  discount_minor      bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  tax_code            text NOT NULL CHECK (length(tax_code) BETWEEN 1 AND 32),  -- snapshot
  tax_kind            text NOT NULL CHECK (tax_kind IN ('standard', 'reduced', 'zero', 'exempt')),
  tax_rate_ppm        bigint NOT NULL CHECK (tax_rate_ppm BETWEEN 0 AND 1000000),
  tax_minor           bigint NOT NULL CHECK (tax_minor >= 0),
  total_minor         bigint NOT NULL CHECK (total_minor >= 0),
  UNIQUE (sale_id, line_no),
  CHECK (unit = 'weighed' OR quantity_milli % 1000 = 0)
);
CREATE INDEX sale_lines_product_idx ON sale_lines (product_id);

CREATE TABLE payments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id      uuid NOT NULL REFERENCES stores(id),
  sale_id       uuid NOT NULL REFERENCES sales(id),
  tender        text NOT NULL CHECK (tender IN ('cash', 'card', 'bank_transfer', 'mobile_money', 'other')),
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reference     text CHECK (reference IS NULL OR length(reference) <= 100),
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_sale_idx ON payments (sale_id);

CREATE TABLE refunds (
  id             uuid PRIMARY KEY,                   -- UUIDv7 from the till
  store_id       uuid NOT NULL REFERENCES stores(id),
  sale_id        uuid NOT NULL REFERENCES sales(id),
  till_id        uuid NOT NULL REFERENCES tills(id),
  user_id        uuid NOT NULL REFERENCES users(id),
  approved_by    uuid REFERENCES users(id),
  shift_id       uuid REFERENCES shifts(id),
  reason         text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  tender         text NOT NULL CHECK (tender IN ('cash', 'card', 'bank_transfer', 'mobile_money', 'other')),
  currency       char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  tax_minor      bigint NOT NULL CHECK (tax_minor >= 0),
  total_minor    bigint NOT NULL CHECK (total_minor > 0),
  flags          text[] NOT NULL DEFAULT '{}',
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now(),
  op_id          uuid NOT NULL UNIQUE
);
CREATE INDEX refunds_sale_idx ON refunds (sale_id);

CREATE TABLE refund_lines (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id        uuid NOT NULL REFERENCES stores(id),
  refund_id       uuid NOT NULL REFERENCES refunds(id),
  sale_line_id    uuid NOT NULL REFERENCES sale_lines(id),
  quantity_milli  bigint NOT NULL CHECK (quantity_milli > 0),
  amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
  tax_minor       bigint NOT NULL CHECK (tax_minor >= 0),
  restock         boolean NOT NULL DEFAULT true,
  UNIQUE (refund_id, sale_line_id)
);

-- ---------------------------------------------------------------- stock and cash ledgers
-- On hand = sum(quantity_milli) per product (invariant 5: stock is a ledger).
CREATE TABLE stock_movements (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id        uuid NOT NULL REFERENCES stores(id),
  product_id      uuid NOT NULL REFERENCES products(id),
  kind            text NOT NULL CHECK (kind IN ('sale', 'refund', 'receive', 'adjust', 'count', 'write_off')),
  quantity_milli  bigint NOT NULL CHECK (quantity_milli BETWEEN -1000000000000 AND 1000000000000),
  reason          text CHECK (reason IS NULL OR reason IN ('damaged', 'expired', 'stolen', 'lost', 'returned_to_supplier', 'other')),
  note            text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  sale_line_id    uuid REFERENCES sale_lines(id),
  refund_line_id  uuid REFERENCES refund_lines(id),
  user_id         uuid REFERENCES users(id),
  till_id         uuid REFERENCES tills(id),
  op_id           uuid,
  occurred_at     timestamptz NOT NULL DEFAULT now(),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  -- the sign rules of shared/stock.hpp
  CHECK (CASE kind
           WHEN 'sale' THEN quantity_milli < 0 AND sale_line_id IS NOT NULL
           WHEN 'refund' THEN quantity_milli > 0 AND refund_line_id IS NOT NULL
           WHEN 'receive' THEN quantity_milli > 0
           WHEN 'adjust' THEN quantity_milli <> 0
           WHEN 'count' THEN true
           WHEN 'write_off' THEN quantity_milli < 0
         END),
  CHECK ((kind = 'write_off') = (reason IS NOT NULL))
);
CREATE INDEX stock_movements_product_idx ON stock_movements (product_id, recorded_at);
CREATE UNIQUE INDEX stock_movements_op_key ON stock_movements (op_id) WHERE op_id IS NOT NULL AND kind IN ('receive', 'adjust', 'count', 'write_off');

CREATE TABLE cash_movements (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  store_id      uuid NOT NULL REFERENCES stores(id),
  shift_id      uuid NOT NULL REFERENCES shifts(id),
  till_id       uuid NOT NULL REFERENCES tills(id),
  user_id       uuid NOT NULL REFERENCES users(id),
  kind          text NOT NULL CHECK (kind IN ('pay_in', 'pay_out', 'drop', 'float_top_up')),
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason        text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
  occurred_at   timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now(),
  op_id         uuid UNIQUE
);
CREATE INDEX cash_movements_shift_idx ON cash_movements (shift_id);

-- ---------------------------------------------------------------- sync
-- Every op a till pushed, applied or rejected, in the same transaction as its
-- effects: the primary key is what makes "exactly once" hold (invariant 3).
CREATE TABLE applied_ops (
  op_id          uuid PRIMARY KEY,
  store_id       uuid NOT NULL REFERENCES stores(id),
  till_id        uuid NOT NULL REFERENCES tills(id),
  user_id        uuid REFERENCES users(id),
  kind           text NOT NULL CHECK (kind IN ('sale', 'refund', 'void', 'stock_movement', 'shift_open', 'shift_close', 'cash_movement')),
  status         text NOT NULL CHECK (status IN ('applied', 'rejected')),
  reject_code    text CHECK (reject_code IS NULL OR length(reject_code) BETWEEN 1 AND 64),
  reject_message text CHECK (reject_message IS NULL OR length(reject_message) <= 1024),
  payload        jsonb,                 -- kept for rejected ops, for the manager
  occurred_at    timestamptz NOT NULL,  -- the till's clock
  received_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at    timestamptz,
  resolved_by    uuid REFERENCES users(id),
  CHECK ((status = 'rejected') = (reject_code IS NOT NULL)),
  CHECK (status = 'applied' OR payload IS NOT NULL),
  CHECK (resolved_at IS NULL OR status = 'rejected')
);
CREATE INDEX applied_ops_attention_idx ON applied_ops (store_id, received_at) WHERE status = 'rejected' AND resolved_at IS NULL;

-- The pull feed (docs/sync-protocol.md, design A): readers take rows with
-- (txid, seq) > cursor AND txid < pg_snapshot_xmin(pg_current_snapshot()),
-- so a row committed late by a long transaction is never skipped.
CREATE TABLE change_feed (
  txid         xid8 NOT NULL DEFAULT pg_current_xact_id(),
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store_id     uuid NOT NULL REFERENCES stores(id),
  entity       text NOT NULL CHECK (entity ~ '^[a-z][a-z_]{0,63}$'),
  entity_id    uuid NOT NULL,
  row_version  bigint NOT NULL CHECK (row_version > 0),
  deleted      boolean NOT NULL DEFAULT false,
  changed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX change_feed_cursor_idx ON change_feed (txid, seq);
CREATE INDEX change_feed_entity_idx ON change_feed (entity, entity_id);

-- ---------------------------------------------------------------- audit
-- Append-only; prev_hash/hash chain the rows (sealing arrives with the audit
-- issue). The trigger below makes UPDATE and DELETE fail for everyone.
CREATE TABLE audit_log (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store_id       uuid NOT NULL REFERENCES stores(id),
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  actor_user_id  uuid REFERENCES users(id),
  actor_till_id  uuid REFERENCES tills(id),
  action         text NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.]{0,63}$'),
  entity         text CHECK (entity IS NULL OR entity ~ '^[a-z][a-z_]{0,63}$'),
  entity_id      uuid,
  request_id     text CHECK (request_id IS NULL OR length(request_id) <= 64),
  client_ip      inet,
  detail         jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
  prev_hash      bytea CHECK (prev_hash IS NULL OR length(prev_hash) = 32),
  hash           bytea CHECK (hash IS NULL OR length(hash) = 32)
);
CREATE INDEX audit_log_occurred_idx ON audit_log (store_id, occurred_at);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- ---------------------------------------------------------------- the store
-- One store now. Its id is random, so stores never collide in a chain.
INSERT INTO stores (name, currency) VALUES ('My store', 'USD');
INSERT INTO settings (store_id) SELECT id FROM stores;
