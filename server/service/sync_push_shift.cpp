// The shift appliers (sync_push_chunk.hpp): shift open, shift close (the
// expected cash from shared/'s shift report, over what this transaction sees
// of the shift) and cash movements within a shift of this till. Each needs
// its permission (shift, cash_in_out), flagged needs_approval otherwise.
#include "service/sync_push_chunk.hpp"

#include "log/log.hpp"
#include "salespider/shared/payloads.hpp"
#include "service/shift_reports.hpp"

namespace salespider::service::sync {

using nlohmann::json;

OpResult apply_shift_open(Chunk& c, const Op& op, const OpChecks& checks) {
  auto p = decode_shift_open_payload(op.payload);
  if (!p) return c.reject_op(op, reject_with(op.op_id, p.error()));
  if (auto bad = c.check_user(op)) return c.reject_op(op, *bad);
  if (c.tx().shift_exists(p->shift_id)) return c.reject_op(op, rejected(op.op_id, "conflict", "shift already opened"));
  auto flags = c.common_flags(op, checks);
  c.require(op, checks, auth::Permission::shift, flags);
  if (!c.claim_applied(op, flags, std::nullopt, std::nullopt)) return c.duplicate(op);
  const std::string currency(p->currency.code());
  c.tx().insert_shift(p->shift_id, c.till().store_id, c.till().till_id, op.user_id, currency, p->opening_float,
                   op.created_at);
  c.tx().audit(db::SyncAuditRow{c.till().store_id, op.user_id, c.till().till_id, "shift.opened", "shift", p->shift_id,
                             json{{"opening_float_minor", p->opening_float}, {"op_id", op.op_id}}.dump()});
  return c.applied(op, flags);
}

// The expected cash is the shift report's (shared/), computed from what
// this transaction sees of the shift, with the count just made.
OpResult apply_shift_close(Chunk& c, const Op& op, const OpChecks& checks) {
  auto p = decode_shift_close_payload(op.payload);
  if (!p) return c.reject_op(op, reject_with(op.op_id, p.error()));
  if (auto bad = c.check_user(op)) return c.reject_op(op, *bad);
  auto flags = c.common_flags(op, checks);
  c.require(op, checks, auth::Permission::shift, flags);
  if (!c.claim_applied(op, flags, std::nullopt, std::nullopt)) return c.duplicate(op);
  const auto state = c.tx().lock_shift(p->shift_id, c.till().till_id);
  if (!state) throw_rejection("unknown_shift", "no shift " + p->shift_id + " on this till");
  if (*state != "open") throw_rejection("conflict", "shift " + p->shift_id + " is already closed");
  auto inputs = c.tx().shift_inputs(p->shift_id);
  inputs.shift.counted_cash = p->counted_cash;
  const auto report = shift_report_of(inputs);
  std::optional<std::int64_t> expected;
  if (report) {
    expected = report->expected_cash;
  } else {
    log::warn("no shift report at close: the expected cash is left empty",
              {{"shift_id", p->shift_id}, {"what", report.error().context}});
  }
  c.tx().close_shift(p->shift_id, op.user_id, p->counted_cash, op.created_at, expected);
  json detail{{"counted_cash_minor", p->counted_cash}, {"note", p->note}, {"op_id", op.op_id}};
  detail["expected_cash_minor"] = expected ? json(*expected) : json(nullptr);
  detail["difference_minor"] = expected ? json(p->counted_cash - *expected) : json(nullptr);
  c.tx().audit(db::SyncAuditRow{c.till().store_id, op.user_id, c.till().till_id, "shift.closed", "shift", p->shift_id,
                             detail.dump()});
  return c.applied(op, flags);
}

OpResult apply_cash_movement(Chunk& c, const Op& op, const OpChecks& checks) {
  auto p = decode_cash_movement_payload(op.payload);
  if (!p) return c.reject_op(op, reject_with(op.op_id, p.error()));
  if (auto bad = c.check_user(op)) return c.reject_op(op, *bad);
  if (!c.tx().shift_exists(p->shift_id))
    return c.reject_op(op, rejected(op.op_id, "unknown_shift", "no shift " + p->shift_id + " (yet)"));
  // Cash moves in and out of this till's drawer: never into another till's shift.
  if (!c.is_this_tills_shift(p->shift_id))
    return c.reject_op(op, rejected(op.op_id, "unknown_shift", "shift " + p->shift_id + " is not this till's"));
  auto flags = c.common_flags(op, checks);
  c.require(op, checks, auth::Permission::cash_in_out, flags);
  if (!c.claim_applied(op, flags, std::nullopt, std::nullopt)) return c.duplicate(op);
  const std::string kind(to_string(p->kind));
  c.tx().insert_cash_movement(c.till().store_id, p->shift_id, c.till().till_id, op.user_id, kind, p->amount,
                           std::string(p->currency.code()), p->reason, op.op_id, op.created_at);
  c.tx().audit(db::SyncAuditRow{c.till().store_id, op.user_id, c.till().till_id, "cash." + kind, "shift", p->shift_id,
                             json{{"amount_minor", p->amount}, {"op_id", op.op_id}}.dump()});
  return c.applied(op, flags);
}

}  // namespace salespider::service::sync
