-- 0009: the stock ledger for the back office (docs/api.md "Stock").
--
--   * stock_movements gains what a count and a receipt carry:
--       count_id        the lines of one stock count share it (the till's id, as sent)
--       counted_milli   what was on the shelf; set on counts the server
--                       computed against its ledger ("ledger counts")
--       expected_milli  the ledger's on hand at the count's time; the
--                       movement is counted_milli - expected_milli
--       till_delta_milli the difference the till itself expected (its own view)
--       unit_cost_minor a receipt's unit cost, store currency (products.cost_minor
--                       is never changed by a receipt)
--       compensates_op_id  on a count movement the server added because the
--                       op it names arrived after a ledger count that was
--                       made later than it: the shelf already showed it, so
--                       the movement is undone (see docs/sync-protocol.md)
--   * an index for "the ledger at a time": (product_id, occurred_at)
--   * stock_ledger_at(product, time): on hand in the ledger at that time
--   * op_flags: 'counted_before_arrival', the op that was compensated

ALTER TABLE stock_movements
  ADD COLUMN count_id          text CHECK (count_id IS NULL OR length(count_id) BETWEEN 1 AND 64),
  ADD COLUMN counted_milli     bigint CHECK (counted_milli IS NULL OR counted_milli BETWEEN 0 AND 1000000000000),
  ADD COLUMN expected_milli    bigint,
  ADD COLUMN till_delta_milli  bigint,
  ADD COLUMN unit_cost_minor   bigint CHECK (unit_cost_minor IS NULL OR unit_cost_minor BETWEEN 0 AND 900000000000000),
  ADD COLUMN compensates_op_id uuid,
  ADD CHECK (kind = 'count' OR (count_id IS NULL AND counted_milli IS NULL AND expected_milli IS NULL
                                AND till_delta_milli IS NULL AND compensates_op_id IS NULL)),
  ADD CHECK (counted_milli IS NULL OR (expected_milli IS NOT NULL AND quantity_milli = counted_milli - expected_milli)),
  ADD CHECK (unit_cost_minor IS NULL OR kind = 'receive');

CREATE INDEX stock_movements_ledger_idx ON stock_movements (product_id, occurred_at);
-- The store-wide movement list, newest first.
CREATE INDEX stock_movements_store_idx ON stock_movements (store_id, occurred_at DESC, id DESC);

-- On hand in the ledger at p_at: every movement that occurred then or before,
-- whenever it was recorded. Call it with the product's stock_levels row
-- locked (apply_stock_deltas), so no concurrent writer interleaves.
CREATE FUNCTION stock_ledger_at(p_product uuid, p_at timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(quantity_milli), 0)::bigint
    FROM stock_movements WHERE product_id = p_product AND occurred_at <= p_at
$$;

ALTER TABLE op_flags DROP CONSTRAINT op_flags_kind_check;
ALTER TABLE op_flags ADD CONSTRAINT op_flags_kind_check
  CHECK (kind IN ('price_override', 'discount_over_limit', 'oversold', 'total_mismatch', 'underpaid', 'clock_skew',
                  'receipt_collision', 'receipt_foreign_code', 'unknown_product', 'grant_problem', 'user_mismatch',
                  'unknown_shift', 'approval_invalid', 'needs_approval', 'tender_mismatch', 'tender_disabled',
                  'backdated', 'counted_before_arrival'));
