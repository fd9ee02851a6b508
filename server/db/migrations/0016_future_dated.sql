-- 0016: the flag `future_dated` (docs/sync-protocol.md, docs/reliability.md
-- "Clocks"). A till's wrong clock is no longer flagged per op (`clock_skew`
-- stays allowed for the ops flagged so before): the server judges op times
-- corrected by the skew it measured for the till. An op whose corrected time
-- is still more than five minutes after its arrival was dated ahead of the
-- till's own clock, and is flagged `future_dated`, the mirror of `backdated`.
-- Never edit once released; another migration changing this list must keep
-- every kind here.
ALTER TABLE op_flags DROP CONSTRAINT op_flags_kind_check;
ALTER TABLE op_flags ADD CONSTRAINT op_flags_kind_check
  CHECK (kind IN ('price_override', 'discount_over_limit', 'oversold', 'total_mismatch', 'underpaid', 'clock_skew',
                  'receipt_collision', 'receipt_foreign_code', 'unknown_product', 'grant_problem', 'user_mismatch',
                  'unknown_shift', 'approval_invalid', 'needs_approval', 'tender_mismatch', 'tender_disabled',
                  'backdated', 'counted_before_arrival', 'future_dated'));
