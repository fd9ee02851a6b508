-- 0005: what a till's ops may do, judged at arrival (docs/security.md,
-- "What a till's ops may do").
--
--   * till_sync_status.acked_until: the arrival time of the till's last push
--     that left its outbox empty. Every op the till made before then has
--     arrived, so an op dated earlier that arrives later was back-dated, and
--     a grant revoked before then has no genuine op left to come.
--     (clock_skew_ms, since 0003, is the till's clock minus the server's as
--     measured at its last push or pull: op times are judged corrected by it.)
--   * op_flags: 'backdated', an op older than the till's last acknowledged push.

ALTER TABLE till_sync_status ADD COLUMN acked_until timestamptz;

ALTER TABLE op_flags DROP CONSTRAINT op_flags_kind_check;
ALTER TABLE op_flags ADD CONSTRAINT op_flags_kind_check
  CHECK (kind IN ('price_override', 'discount_over_limit', 'oversold', 'total_mismatch', 'underpaid', 'clock_skew',
                  'receipt_collision', 'receipt_foreign_code', 'unknown_product', 'grant_problem', 'user_mismatch',
                  'unknown_shift', 'approval_invalid', 'needs_approval', 'tender_mismatch', 'tender_disabled',
                  'backdated'));
