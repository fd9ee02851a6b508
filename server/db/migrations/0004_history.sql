-- 0004: shifts, sales history, refunds and voids with approval (docs/data-model.md).
--
--   * settings: the store's tax id and address, printed on receipts; the
--     settings row of the pull feed carries them (sync_rows, below)
--   * sales.approved_by: the manager whose approval let a discount beyond the
--     cashier's limit through (refunds.approved_by exists since 0001)
--   * refund_tenders: how a refund's money went back, by tender (a refund may
--     go back to several); refunds.tender stays the largest of them
--   * op_flags: what the new checks flag (an unknown shift, an approval that
--     does not fit, a refund or void that needed one, refund tenders that do
--     not add up or are not enabled)
--   * shifts: the expected cash comes from the shift report
--     (shared/shift_report.hpp) and may be negative (more paid out than in)
--   * indexes for the sales history and the shift lists

ALTER TABLE settings
  ADD COLUMN tax_id  text NOT NULL DEFAULT '' CHECK (length(tax_id) <= 64),
  ADD COLUMN address text NOT NULL DEFAULT '' CHECK (length(address) <= 500);

ALTER TABLE sales ADD COLUMN approved_by uuid REFERENCES users(id);

CREATE TABLE refund_tenders (
  refund_id     uuid NOT NULL REFERENCES refunds(id),
  store_id      uuid NOT NULL REFERENCES stores(id),
  tender        text NOT NULL CHECK (tender IN ('cash', 'card', 'bank_transfer', 'mobile_money', 'other')),
  amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
  PRIMARY KEY (refund_id, tender)
);
-- Refunds recorded before: all of it went back to their one tender.
INSERT INTO refund_tenders (refund_id, store_id, tender, amount_minor)
  SELECT id, store_id, tender, total_minor FROM refunds;

ALTER TABLE op_flags DROP CONSTRAINT op_flags_kind_check;
ALTER TABLE op_flags ADD CONSTRAINT op_flags_kind_check
  CHECK (kind IN ('price_override', 'discount_over_limit', 'oversold', 'total_mismatch', 'underpaid', 'clock_skew',
                  'receipt_collision', 'receipt_foreign_code', 'unknown_product', 'grant_problem', 'user_mismatch',
                  'unknown_shift', 'approval_invalid', 'needs_approval', 'tender_mismatch', 'tender_disabled'));

ALTER TABLE shifts DROP CONSTRAINT shifts_expected_cash_minor_check;

-- Sales history: by store and time (sales_occurred_idx, 0003), by cashier,
-- by till, by receipt-number prefix; shift reports: refunds and voids of a shift.
CREATE INDEX sales_user_idx ON sales (user_id, occurred_at);
CREATE INDEX sales_till_idx ON sales (till_id, occurred_at);
CREATE INDEX sales_receipt_prefix_idx ON sales (store_id, receipt_number text_pattern_ops);
CREATE INDEX refunds_shift_idx ON refunds (shift_id);
CREATE INDEX refund_lines_sale_line_idx ON refund_lines (sale_line_id);
CREATE INDEX shifts_store_idx ON shifts (store_id, opened_at);
CREATE INDEX shifts_till_idx ON shifts (till_id, opened_at);
CREATE INDEX applied_ops_voids_idx ON applied_ops (till_id, occurred_at) WHERE kind = 'void' AND status = 'applied';

-- The settings row now carries tax_id and address; the rest is as 0003 made it.
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
