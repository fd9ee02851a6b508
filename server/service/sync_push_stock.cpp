// The stock movement applier (sync_push_chunk.hpp): receipt of goods,
// adjustment, count, write-off, each needing adjust_stock (needs_approval
// otherwise: the goods moved, a manager reviews it). Sale and refund
// movements come only with their sales and refunds; the level itself is
// moved once per chunk. A count carrying `counted` is computed there too,
// against the ledger at the count's time (Chunk::settle_stock).
#include "service/sync_push_chunk.hpp"

#include "salespider/shared/payloads.hpp"

namespace salespider::service::sync {

using nlohmann::json;

OpResult apply_stock_movement(Chunk& c, const Op& op, const OpChecks& checks) {
  auto m = decode_stock_movement_payload(op.payload);
  if (!m) return c.reject_op(op, reject_with(op.op_id, m.error()));
  if (m->kind == StockMovementKind::sale || m->kind == StockMovementKind::refund) {
    return c.reject_op(op, rejected(op.op_id, "invalid_stock_movement",
                                  "sale and refund movements come with their sales and refunds"));
  }
  if (auto bad = c.check_user(op)) return c.reject_op(op, *bad);
  if (!is_uuid(m->product_id) || c.tx().products(c.till().store_id, {m->product_id}, checks.judged_at_ms).empty()) {
    return c.reject_op(op, rejected(op.op_id, "unknown_product", "product " + m->product_id + " is not in the catalog"));
  }
  if (m->delta_thousandths == 0 && m->kind != StockMovementKind::count) {
    return c.reject_op(op, rejected(op.op_id, "invalid_stock_movement", "a movement of nothing"));
  }
  auto flags = c.common_flags(op, checks);
  c.require(op, checks, auth::Permission::adjust_stock, flags);
  if (!c.claim_applied(op, flags, std::nullopt, std::nullopt)) return c.duplicate(op);
  db::StockMovementRow row;
  row.store_id = c.till().store_id;
  row.product_id = m->product_id;
  row.kind = std::string(to_string(m->kind));
  row.quantity_milli = m->delta_thousandths;
  if (m->reason) row.reason = std::string(to_string(*m->reason));
  row.note = m->note;
  row.user_id = op.user_id;
  row.till_id = c.till().till_id;
  row.op_id = op.op_id;
  // The op's time as the till stamped it, like every other movement's
  // occurred_at: the ledger is compared on one clock.
  row.occurred_at_ms = op.created_at;
  row.count_id = m->count_id;
  row.unit_cost_minor = m->unit_cost_minor;
  if (m->counted_thousandths) {
    // Computed against the ledger once the level row is locked (Chunk::finish).
    row.counted_milli = m->counted_thousandths;
    row.till_delta_milli = m->delta_thousandths;
    c.add_count(PendingCount{c.op_index(), std::move(row), *m->counted_thousandths});
    return c.applied(op, flags);
  }
  c.tx().insert_stock_movement(row);
  if (m->delta_thousandths != 0)
    c.add_moves({Move{c.op_index(), op.op_id, std::nullopt, m->product_id, m->delta_thousandths, false}});
  c.tx().audit(db::SyncAuditRow{c.till().store_id, op.user_id, c.till().till_id, "stock." + row.kind, "product", m->product_id,
                         json{{"quantity_milli", row.quantity_milli},
                              {"reason", row.reason ? json(*row.reason) : json(nullptr)},
                              {"unit_cost_minor", row.unit_cost_minor ? json(*row.unit_cost_minor) : json(nullptr)},
                              {"op_id", op.op_id}}
                             .dump()});
  return c.applied(op, flags);
}

}  // namespace salespider::service::sync
