-- 0003: the sync engine (docs/sync-protocol.md).
--
--   * applied_ops keeps each op's envelope and result, so a duplicate push is
--     answered with the original result and a rejected op can be retried
--   * op_flags: what the server's re-checks found (price override, discount
--     over the role's limit, oversell, arithmetic mismatch, clock skew,
--     receipt collision...), per op and per sale; never a refusal
--   * stock_levels: on hand per product, kept equal to the sum of
--     stock_movements by apply_stock_deltas (the ledger stays the truth); a
--     row_version bumped under the row lock lets tills apply only newer levels
--   * the pull feed: triggers write a change_feed row for every change of a
--     synced row (products with their barcodes and price, categories, tax
--     rates, settings, users, stock levels, a till's receipt sequence) and
--     bump row_version under the row lock; sync_rows is what a till is sent
--   * till_sync_status: each till's last push and pull and what it reports
--   * sales: a receipt-number collision is recorded and flagged, never refused

-- ---------------------------------------------------------------- ops
-- 0001 let only rejected ops be resolved; a manager also reviews flagged ones.
DO $$
DECLARE c text;
BEGIN
  SELECT conname INTO STRICT c FROM pg_constraint
   WHERE conrelid = 'applied_ops'::regclass AND contype = 'c'
     AND pg_get_constraintdef(oid) LIKE '%resolved_at IS NULL%OR%status = %rejected%';
  EXECUTE format('ALTER TABLE applied_ops DROP CONSTRAINT %I', c);
END;
$$;
ALTER TABLE applied_ops
  ADD COLUMN op_user_id     text CHECK (op_user_id IS NULL OR length(op_user_id) <= 64),  -- as sent; user_id is set when it names a user
  ADD COLUMN grant_token    text CHECK (grant_token IS NULL OR length(grant_token) <= 4096),
  ADD COLUMN created_at_ms  bigint,                 -- the till's clock, exactly as sent
  ADD COLUMN result_message text NOT NULL DEFAULT '' CHECK (length(result_message) <= 1024),
  ADD COLUMN flags          text[] NOT NULL DEFAULT '{}',
  ADD COLUMN resolution     text CHECK (resolution IS NULL OR resolution IN ('resolved', 'dismissed')),
  ADD COLUMN resolution_note text NOT NULL DEFAULT '' CHECK (length(resolution_note) <= 1000),
  ADD COLUMN retried_at     timestamptz,           -- a manager's retry applied this once-rejected op
  ADD COLUMN retried_by     uuid REFERENCES users(id),
  ADD CHECK ((resolution IS NULL) = (resolved_at IS NULL)),
  ADD CHECK (resolved_at IS NULL OR status = 'rejected' OR cardinality(flags) > 0);
-- Flagged ops a manager has not reviewed yet (rejected ones: applied_ops_attention_idx).
CREATE INDEX applied_ops_flagged_idx ON applied_ops (store_id, received_at)
  WHERE cardinality(flags) > 0 AND resolved_at IS NULL;
CREATE INDEX applied_ops_till_idx ON applied_ops (till_id, received_at);
-- An op the decoder could not read (unknown kind, broken envelope) is still
-- stored, as kind 'unknown', when it carried a usable op id.
ALTER TABLE applied_ops DROP CONSTRAINT applied_ops_kind_check;
ALTER TABLE applied_ops ADD CONSTRAINT applied_ops_kind_check
  CHECK (kind IN ('sale', 'refund', 'void', 'stock_movement', 'shift_open', 'shift_close', 'cash_movement', 'unknown'));

CREATE TABLE op_flags (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  store_id    uuid NOT NULL REFERENCES stores(id),
  op_id       uuid NOT NULL REFERENCES applied_ops(op_id),
  sale_id     uuid REFERENCES sales(id),
  kind        text NOT NULL CHECK (kind IN ('price_override', 'discount_over_limit', 'oversold', 'total_mismatch',
                                            'underpaid', 'clock_skew', 'receipt_collision', 'receipt_foreign_code',
                                            'unknown_product', 'grant_problem', 'user_mismatch')),
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX op_flags_op_idx ON op_flags (op_id);
CREATE INDEX op_flags_sale_idx ON op_flags (sale_id) WHERE sale_id IS NOT NULL;
CREATE INDEX op_flags_kind_idx ON op_flags (store_id, kind, created_at);

-- ---------------------------------------------------------------- receipts
-- A colliding receipt number (two sales, one number) is recorded with
-- receipt_collision = true and flagged: the money was taken, the goods left.
-- Every other sale keeps the uniqueness 0001 gave it.
ALTER TABLE sales ADD COLUMN receipt_collision boolean NOT NULL DEFAULT false;
ALTER TABLE sales DROP CONSTRAINT sales_till_id_receipt_seq_key;
ALTER TABLE sales DROP CONSTRAINT sales_store_id_receipt_number_key;
CREATE UNIQUE INDEX sales_till_receipt_seq_key ON sales (till_id, receipt_seq) WHERE NOT receipt_collision;
CREATE UNIQUE INDEX sales_store_receipt_number_key ON sales (store_id, receipt_number) WHERE NOT receipt_collision;
CREATE INDEX sales_occurred_idx ON sales (store_id, occurred_at);
CREATE INDEX stock_movements_op_idx ON stock_movements (op_id) WHERE op_id IS NOT NULL;
CREATE INDEX sale_lines_sale_idx ON sale_lines (sale_id);

-- ---------------------------------------------------------------- stock levels
CREATE TABLE stock_levels (
  product_id    uuid PRIMARY KEY REFERENCES products(id),
  store_id      uuid NOT NULL REFERENCES stores(id),
  on_hand_milli bigint NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  row_version   bigint NOT NULL DEFAULT 1 CHECK (row_version > 0)
);

-- Adds per-product deltas to stock_levels, locking the rows in product order
-- (so two transactions never deadlock on them), and returns the new levels.
-- Call it in the transaction that inserted the movements, once, near its end:
-- the row locks are then held only until that commit.
CREATE FUNCTION apply_stock_deltas(p_store uuid, p_products uuid[], p_deltas bigint[])
RETURNS TABLE (product_id uuid, on_hand_milli bigint)
LANGUAGE sql AS $$
  INSERT INTO stock_levels AS l (product_id, store_id, on_hand_milli)
  SELECT d.product_id, p_store, sum(d.delta)
    FROM unnest(p_products, p_deltas) AS d(product_id, delta)
   GROUP BY d.product_id
   ORDER BY d.product_id
  ON CONFLICT (product_id) DO UPDATE
    SET on_hand_milli = l.on_hand_milli + EXCLUDED.on_hand_milli,
        row_version = l.row_version + 1,
        updated_at = now()
  RETURNING l.product_id, l.on_hand_milli
$$;

-- ---------------------------------------------------------------- till health
CREATE TABLE till_sync_status (
  till_id          uuid PRIMARY KEY REFERENCES tills(id),
  store_id         uuid NOT NULL REFERENCES stores(id),
  last_push_at     timestamptz,
  last_pull_at     timestamptz,
  outbox_depth     integer CHECK (outbox_depth IS NULL OR outbox_depth >= 0),
  oldest_op_age_ms bigint CHECK (oldest_op_age_ms IS NULL OR oldest_op_age_ms >= 0),
  app_version      text CHECK (app_version IS NULL OR length(app_version) <= 64),
  clock_skew_ms    bigint,   -- till clock minus server clock at its last report
  reported_at      timestamptz
);

-- ---------------------------------------------------------------- the pull feed
-- Who may see a feed row: NULL = every till of the store, else one till.
ALTER TABLE change_feed ADD COLUMN audience_till_id uuid REFERENCES tills(id);

-- row_version is bumped by a BEFORE UPDATE trigger, i.e. under the row lock
-- the UPDATE holds, so two transactions updating one row produce two
-- different versions in commit order of the row, whatever their xid order.
CREATE FUNCTION sync_bump_row_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_version := OLD.row_version + 1;
  RETURN NEW;
END;
$$;

-- One feed row per changed row. TG_ARGV[0] = entity name. A deletion carries
-- the version after the last one, so it wins over every earlier upsert.
CREATE FUNCTION sync_feed_by_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO change_feed (store_id, entity, entity_id, row_version, deleted)
    VALUES (OLD.store_id, TG_ARGV[0], OLD.id, OLD.row_version + 1, true);
  ELSE
    INSERT INTO change_feed (store_id, entity, entity_id, row_version)
    VALUES (NEW.store_id, TG_ARGV[0], NEW.id, NEW.row_version);
  END IF;
  RETURN NULL;
END;
$$;

CREATE FUNCTION sync_feed_settings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_feed (store_id, entity, entity_id, row_version)
  VALUES (NEW.store_id, 'settings', NEW.store_id, NEW.row_version);
  RETURN NULL;
END;
$$;

CREATE FUNCTION sync_feed_stock_level() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_feed (store_id, entity, entity_id, row_version)
  VALUES (NEW.store_id, 'stock_level', NEW.product_id, NEW.row_version);
  RETURN NULL;
END;
$$;

-- A till's own row (its receipt sequence) goes to that till only.
CREATE FUNCTION sync_feed_till() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_feed (store_id, entity, entity_id, row_version, audience_till_id)
  VALUES (NEW.store_id, 'till', NEW.id, NEW.row_version, NEW.id);
  RETURN NULL;
END;
$$;

-- A product's barcodes travel inside the product: a barcode change is a
-- product change (its row_version bumps and the feed carries it).
CREATE FUNCTION sync_touch_product_of_barcode() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE products SET updated_at = now() WHERE id = OLD.product_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.product_id <> OLD.product_id) THEN
    UPDATE products SET updated_at = now() WHERE id = NEW.product_id;
  END IF;
  RETURN NULL;
END;
$$;

-- The store's name and currency travel inside its settings.
CREATE FUNCTION sync_touch_settings_of_store() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE settings SET updated_at = now() WHERE store_id = NEW.id;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tax_rates_row_version BEFORE UPDATE ON tax_rates FOR EACH ROW EXECUTE FUNCTION sync_bump_row_version();
CREATE TRIGGER tax_rates_feed AFTER INSERT OR UPDATE OR DELETE ON tax_rates
  FOR EACH ROW EXECUTE FUNCTION sync_feed_by_id('tax_rate');

CREATE TRIGGER categories_row_version BEFORE UPDATE ON categories FOR EACH ROW EXECUTE FUNCTION sync_bump_row_version();
CREATE TRIGGER categories_feed AFTER INSERT OR UPDATE OR DELETE ON categories
  FOR EACH ROW EXECUTE FUNCTION sync_feed_by_id('category');

CREATE TRIGGER products_row_version BEFORE UPDATE ON products FOR EACH ROW EXECUTE FUNCTION sync_bump_row_version();
CREATE TRIGGER products_feed AFTER INSERT OR UPDATE OR DELETE ON products
  FOR EACH ROW EXECUTE FUNCTION sync_feed_by_id('product');
CREATE TRIGGER barcodes_touch_product AFTER INSERT OR UPDATE OR DELETE ON barcodes
  FOR EACH ROW EXECUTE FUNCTION sync_touch_product_of_barcode();

CREATE TRIGGER settings_row_version BEFORE UPDATE ON settings FOR EACH ROW EXECUTE FUNCTION sync_bump_row_version();
CREATE TRIGGER settings_feed AFTER INSERT OR UPDATE ON settings FOR EACH ROW EXECUTE FUNCTION sync_feed_settings();
CREATE TRIGGER stores_touch_settings AFTER UPDATE OF name, currency ON stores
  FOR EACH ROW EXECUTE FUNCTION sync_touch_settings_of_store();

-- Users: only what a till shows changes the feed (not logins, not hashes).
CREATE TRIGGER users_row_version BEFORE UPDATE ON users FOR EACH ROW
  WHEN ((OLD.username, OLD.display_name, OLD.role, OLD.status)
        IS DISTINCT FROM (NEW.username, NEW.display_name, NEW.role, NEW.status))
  EXECUTE FUNCTION sync_bump_row_version();
CREATE TRIGGER users_feed_insert AFTER INSERT OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION sync_feed_by_id('user');
CREATE TRIGGER users_feed_update AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.row_version IS DISTINCT FROM NEW.row_version)
  EXECUTE FUNCTION sync_feed_by_id('user');

CREATE TRIGGER stock_levels_feed AFTER INSERT OR UPDATE ON stock_levels
  FOR EACH ROW EXECUTE FUNCTION sync_feed_stock_level();

-- Tills: only the receipt sequence and code reach the till (not last_seen_at).
CREATE TRIGGER tills_row_version BEFORE UPDATE ON tills FOR EACH ROW
  WHEN ((OLD.highest_receipt_seq, OLD.code, OLD.status) IS DISTINCT FROM (NEW.highest_receipt_seq, NEW.code, NEW.status))
  EXECUTE FUNCTION sync_bump_row_version();
CREATE TRIGGER tills_feed_insert AFTER INSERT ON tills FOR EACH ROW EXECUTE FUNCTION sync_feed_till();
CREATE TRIGGER tills_feed_update AFTER UPDATE ON tills FOR EACH ROW
  WHEN (OLD.row_version IS DISTINCT FROM NEW.row_version)
  EXECUTE FUNCTION sync_feed_till();

-- A revoked offline grant goes to the till it was issued to, so that till
-- refuses it offline from its next pull (0002: offline_grants).
CREATE FUNCTION sync_feed_revoked_grant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change_feed (store_id, entity, entity_id, row_version, audience_till_id)
  VALUES (NEW.store_id, 'revoked_grant', NEW.id, 1, NEW.till_id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER offline_grants_revoked_feed AFTER UPDATE OF revoked_at ON offline_grants FOR EACH ROW
  WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
  EXECUTE FUNCTION sync_feed_revoked_grant();

-- What a till is sent for each entity: the row as it is now (latest version
-- only). A row missing here (deleted, soft-deleted, user disabled) is sent
-- as a tombstone. Keys and values are the wire format: docs/sync-protocol.md.
CREATE VIEW sync_rows AS
  SELECT 'tax_rate'::text AS entity, t.store_id, NULL::uuid AS audience_till_id, t.id, t.row_version,
         jsonb_build_object('code', t.code, 'kind', t.kind, 'rate_ppm', t.rate_ppm, 'name', t.name,
                            'is_active', t.is_active) AS data
    FROM tax_rates t
  UNION ALL
  SELECT 'category', c.store_id, NULL, c.id, c.row_version,
         jsonb_build_object('name', c.name, 'parent_id', c.parent_id, 'sort_order', c.sort_order)
    FROM categories c WHERE c.deleted_at IS NULL
  UNION ALL
  SELECT 'product', p.store_id, NULL, p.id, p.row_version,
         jsonb_build_object('sku', p.sku, 'name', p.name, 'description', p.description,
                            'category_id', p.category_id, 'tax_rate_id', p.tax_rate_id, 'unit', p.unit,
                            'price_minor', p.price_minor, 'currency', p.currency, 'track_stock', p.track_stock,
                            'reorder_level_milli', p.reorder_level_milli, 'is_active', p.is_active,
                            'barcodes', coalesce((SELECT jsonb_agg(b.barcode ORDER BY b.barcode)
                                                    FROM barcodes b WHERE b.product_id = p.id), '[]'::jsonb))
    FROM products p WHERE p.deleted_at IS NULL
  UNION ALL
  SELECT 'settings', s.store_id, NULL, s.store_id, s.row_version,
         jsonb_build_object('store_name', st.name, 'currency', st.currency, 'time_zone', s.time_zone,
                            'locale', s.locale, 'price_mode', s.price_mode,
                            'cash_rounding_minor', s.cash_rounding_minor, 'receipt_header', s.receipt_header,
                            'receipt_footer', s.receipt_footer, 'offline_grant_hours', s.offline_grant_hours,
                            'enabled_tenders', to_jsonb(s.enabled_tenders))
    FROM settings s JOIN stores st ON st.id = s.store_id
  UNION ALL
  SELECT 'user', u.store_id, NULL, u.id, u.row_version,
         jsonb_build_object('username', u.username, 'display_name', u.display_name, 'role', u.role)
    FROM users u WHERE u.status = 'active'
  UNION ALL
  SELECT 'stock_level', l.store_id, NULL, l.product_id, l.row_version,
         jsonb_build_object('on_hand_milli', l.on_hand_milli)
    FROM stock_levels l
  UNION ALL
  SELECT 'till', t.store_id, t.id, t.id, t.row_version,
         jsonb_build_object('code', t.code, 'highest_receipt_seq', t.highest_receipt_seq)
    FROM tills t WHERE t.status = 'active'
  UNION ALL
  SELECT 'revoked_grant', g.store_id, g.till_id, g.id, 1::bigint,
         jsonb_build_object('user_id', g.user_id,
                            'expires_at_ms', (extract(epoch FROM g.expires_at) * 1000)::bigint,
                            'revoked_at_ms', (extract(epoch FROM g.revoked_at) * 1000)::bigint)
    FROM offline_grants g WHERE g.revoked_at IS NOT NULL AND g.expires_at > now();
