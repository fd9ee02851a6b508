-- 0017: the dashboard's summary tables (docs/reports.md "Dashboard",
-- docs/api.md "Reports"). Figures are MATERIALISED PER STORE-LOCAL DAY and
-- refreshed on read (db/reports.cpp), NOT maintained in the push
-- transaction: the push path stays as it was (issue [8/9] pushes ingest to
-- the bulk-load limit, and per-day rows updated by every till in every push
-- would be hot rows, a row lock per sale). On each dashboard request the
-- server finds the local days touched since its last refresh (sales and
-- refunds by recorded_at, voids by received_at, each row checked against the
-- snapshot the last refresh saw, so a late commit is never skipped) and
-- recomputes those days whole from the base tables in one transaction.
-- Categories and costs are NOT stored: they come from products at query time
-- (a product moved to another category or given a cost counts there at once).
-- Rows are in the time zone report_state.time_zone; a change of the store's
-- zone drops the store's rows and rebuilds them. Derived data only: dropping
-- every row of these tables is always safe (the next request rebuilds).

CREATE TABLE report_state (
  store_id    uuid PRIMARY KEY REFERENCES stores(id),
  time_zone   text NOT NULL,          -- the zone the rows were built in
  seen        pg_snapshot NOT NULL,   -- what the last refresh could see
  seen_at     timestamptz NOT NULL    -- when (now() of that refresh)
);

CREATE TABLE report_days (
  store_id             uuid NOT NULL REFERENCES stores(id),
  day                  date NOT NULL,
  revenue_minor        bigint NOT NULL,  -- sum sales.total_minor (completed sales)
  tax_minor            bigint NOT NULL,
  discount_minor       bigint NOT NULL,  -- sum sales.discount_minor (line + cart discounts)
  refunds_minor        bigint NOT NULL,  -- sum refunds.total_minor by the refund's day
  refund_count         integer NOT NULL,
  sale_count           integer NOT NULL,
  void_count           integer NOT NULL, -- applied void ops by their day
  items_milli          bigint NOT NULL,
  PRIMARY KEY (store_id, day)
);

CREATE TABLE report_day_hours (
  store_id       uuid NOT NULL REFERENCES stores(id),
  day            date NOT NULL,
  hour           smallint NOT NULL CHECK (hour BETWEEN 0 AND 23),
  revenue_minor  bigint NOT NULL,
  sale_count     integer NOT NULL,
  PRIMARY KEY (store_id, day, hour)
);

CREATE TABLE report_day_tenders (
  store_id       uuid NOT NULL REFERENCES stores(id),
  day            date NOT NULL,
  tender         text NOT NULL,
  amount_minor   bigint NOT NULL,  -- payments, cash net of the change given
  PRIMARY KEY (store_id, day, tender)
);

CREATE TABLE report_day_cashiers (
  store_id       uuid NOT NULL REFERENCES stores(id),
  day            date NOT NULL,
  user_id        uuid NOT NULL REFERENCES users(id),
  revenue_minor  bigint NOT NULL,
  sale_count     integer NOT NULL,
  PRIMARY KEY (store_id, day, user_id)
);

CREATE TABLE report_day_tills (
  store_id       uuid NOT NULL REFERENCES stores(id),
  day            date NOT NULL,
  till_id        uuid NOT NULL REFERENCES tills(id),
  revenue_minor  bigint NOT NULL,
  sale_count     integer NOT NULL,
  PRIMARY KEY (store_id, day, till_id)
);

-- product_id NULL: lines sold without a catalogue product.
CREATE TABLE report_day_products (
  store_id        uuid NOT NULL REFERENCES stores(id),
  day             date NOT NULL,
  product_id      uuid REFERENCES products(id),
  quantity_milli  bigint NOT NULL,
  revenue_minor   bigint NOT NULL,  -- sum sale_lines.total_minor (tax included)
  net_minor       bigint NOT NULL   -- the same without tax
);
CREATE INDEX report_day_products_day_idx ON report_day_products (store_id, day);

-- Finding what changed since the last refresh without a full scan: sales
-- already have (store_id, recorded_at); refunds and applied voids get theirs
-- (a refund or a void is rare: these cost the push path next to nothing).
CREATE INDEX refunds_recorded_idx ON refunds (store_id, recorded_at);
CREATE INDEX applied_ops_void_received_idx ON applied_ops (store_id, received_at)
  WHERE kind = 'void' AND status = 'applied';

-- A committed row's xmin (32 bits) as the full xid8 that pg_visible_in_snapshot
-- takes: the rows looked at are recent (minutes), so the current epoch, or
-- the one before when the counter wrapped since, is theirs.
CREATE FUNCTION report_xid8(x xid) RETURNS xid8 LANGUAGE sql STABLE AS $$
  SELECT (n - ((n % 4294967296) - x::text::bigint + 4294967296) % 4294967296)::text::xid8
    FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS n) c
$$;
