-- 0011: store settings a person edits without SQL (docs/back-office.md
-- "Store settings", docs/api.md "Settings"), and the "voucher" tender.
--
--   * settings gains the store's phone and logo (a data: URL, PNG or JPEG,
--     at most 64 KiB decoded: the service checks the bytes, the CHECK only
--     bounds the text), the names the store gives its tenders, the default
--     tax rate of a new product, how dates and times are printed, the store's
--     language, "sell only within a shift", and when the first-run setup
--     was completed (stores that already sold count as set up)
--   * every tender CHECK (enabled tenders, payments, refunds, refund
--     tenders) also allows 'voucher'
--   * the pull feed's settings row carries the new fields (sync_rows is
--     replaced whole, as 0004 left it plus these fields)
-- Never edit once released.

ALTER TABLE settings
  ADD COLUMN phone               text NOT NULL DEFAULT '' CHECK (length(phone) <= 40),
  ADD COLUMN logo                text CHECK (logo IS NULL OR (length(logo) <= 90000
                                            AND logo ~ '^data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+$')),
  ADD COLUMN tender_names        jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(tender_names) = 'object'),
  ADD COLUMN default_tax_rate_id uuid REFERENCES tax_rates(id),
  ADD COLUMN date_format         text NOT NULL DEFAULT ''
                                 CHECK (date_format IN ('', 'DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD', 'DD.MM.YYYY')),
  ADD COLUMN time_format         text NOT NULL DEFAULT '24h' CHECK (time_format IN ('24h', '12h')),
  ADD COLUMN language            text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2,3}$'),
  ADD COLUMN sell_only_in_shift  boolean NOT NULL DEFAULT false,
  ADD COLUMN setup_completed_at  timestamptz;

UPDATE settings s SET setup_completed_at = now()
 WHERE EXISTS (SELECT 1 FROM sales x WHERE x.store_id = s.store_id);

-- ---------------------------------------------------------------- voucher
ALTER TABLE settings DROP CONSTRAINT settings_enabled_tenders_check;
ALTER TABLE settings ADD CONSTRAINT settings_enabled_tenders_check
  CHECK (enabled_tenders <@ ARRAY['cash', 'card', 'bank_transfer', 'mobile_money', 'voucher', 'other']::text[]);

ALTER TABLE payments DROP CONSTRAINT payments_tender_check;
ALTER TABLE payments ADD CONSTRAINT payments_tender_check
  CHECK (tender IN ('cash', 'card', 'bank_transfer', 'mobile_money', 'voucher', 'other'));

ALTER TABLE refunds DROP CONSTRAINT refunds_tender_check;
ALTER TABLE refunds ADD CONSTRAINT refunds_tender_check
  CHECK (tender IN ('cash', 'card', 'bank_transfer', 'mobile_money', 'voucher', 'other'));

ALTER TABLE refund_tenders DROP CONSTRAINT refund_tenders_tender_check;
ALTER TABLE refund_tenders ADD CONSTRAINT refund_tenders_tender_check
  CHECK (tender IN ('cash', 'card', 'bank_transfer', 'mobile_money', 'voucher', 'other'));

-- ---------------------------------------------------------------- pull feed
-- As 0004 made it; the settings row carries every field of GET
-- /api/v1/settings except currency_locked and setup_completed.
CREATE OR REPLACE VIEW sync_rows AS
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
                            'enabled_tenders', to_jsonb(s.enabled_tenders), 'tax_id', s.tax_id,
                            'address', s.address)
         || jsonb_build_object('phone', s.phone, 'logo', s.logo, 'tender_names', s.tender_names,
                               'default_tax_rate_id', s.default_tax_rate_id, 'date_format', s.date_format,
                               'time_format', s.time_format, 'language', s.language,
                               'sell_only_in_shift', s.sell_only_in_shift,
                               'login_max_failures', s.login_max_failures,
                               'login_max_failures_per_address', s.login_max_failures_per_address,
                               'login_window_minutes', s.login_window_minutes,
                               'login_lockout_minutes', s.login_lockout_minutes,
                               'updated_at', s.updated_at)
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
