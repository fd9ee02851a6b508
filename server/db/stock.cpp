// See stock.hpp. Parameterised statements only; each filter is off when its
// parameter is '' (one plan for every combination). Times: occurred_at is
// when the movement happened (a till's clock for till ops), recorded_at when
// the server stored it.
#include "db/stock.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db {
namespace {

std::string iso(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

std::optional<std::int64_t> opt_int(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

// Bounds as history.cpp resolves them: a zoned instant as is, a wall-clock
// time in the store's zone; a missing bound is infinite.
const std::string kRange =
    "b AS (SELECT CASE WHEN $4 THEN $3::timestamptz ELSE ($3::timestamp AT TIME ZONE s.time_zone) END AS lo,"
    "  (CASE WHEN $6 THEN $5::timestamptz ELSE ($5::timestamp AT TIME ZONE s.time_zone) END"
    "   + CASE WHEN $7 THEN interval '1 microsecond' ELSE interval '0' END) AS hi"
    "  FROM settings s WHERE s.store_id = $1::uuid)";

const std::string kMovements =
    "WITH " + kRange +
    " SELECT m.id::text, m.product_id::text, p.name, m.kind, m.quantity_milli, coalesce(m.reason, ''), "
    "m.note,"
    "  coalesce(u.display_name, ''), coalesce(t.code, ''), coalesce(m.op_id::text, ''), " +
    iso("m.occurred_at") + ", " + iso("m.recorded_at") +
    ", (extract(epoch FROM m.occurred_at) * 1000000)::bigint, coalesce(m.count_id, ''), m.counted_milli,"
    "  m.expected_milli, m.unit_cost_minor, coalesce(m.compensates_op_id::text, '')"
    " FROM b, stock_movements m JOIN products p ON p.id = m.product_id"
    " LEFT JOIN users u ON u.id = m.user_id LEFT JOIN tills t ON t.id = m.till_id"
    " WHERE m.store_id = $1::uuid AND ($2 = '' OR m.product_id = NULLIF($2, '')::uuid)"
    "   AND ($8 = '' OR m.kind = $8) AND m.occurred_at >= b.lo AND m.occurred_at < b.hi"
    "   AND ($9 = '' OR (m.occurred_at, m.id) < ('epoch'::timestamptz + NULLIF($9, '')::bigint"
    "        * interval '1 microsecond', NULLIF($10, '')::uuid))"
    " ORDER BY m.occurred_at DESC, m.id DESC LIMIT $11";

MovementRow movement_of(const pqxx::row& r) {
  MovementRow m;
  m.id = r[0].as<std::string>();
  m.product_id = r[1].as<std::string>();
  m.product_name = r[2].as<std::string>();
  m.kind = r[3].as<std::string>();
  m.quantity_milli = r[4].as<std::int64_t>();
  m.reason = r[5].as<std::string>();
  m.note = r[6].as<std::string>();
  m.user_name = r[7].as<std::string>();
  m.till_code = r[8].as<std::string>();
  m.op_id = r[9].as<std::string>();
  m.occurred_at = r[10].as<std::string>();
  m.recorded_at = r[11].as<std::string>();
  m.occurred_at_us = r[12].as<std::int64_t>();
  m.count_id = r[13].as<std::string>();
  m.counted_milli = opt_int(r[14]);
  m.expected_milli = opt_int(r[15]);
  m.unit_cost_minor = opt_int(r[16]);
  m.compensates_op_id = r[17].as<std::string>();
  return m;
}

}  // namespace

std::vector<MovementRow> find_movements(Pool& pool, const MovementQuery& q) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const TimeBound lo = q.range.from.value_or(TimeBound{"-infinity", true});
    const TimeBound hi = q.range.to.value_or(TimeBound{"infinity", true});
    const std::string after_us = q.after ? std::to_string(q.after->at_us) : std::string();
    const std::string after_id = q.after ? q.after->id : std::string();
    std::vector<MovementRow> out;
    for (const auto& r : tx.exec_params(kMovements, q.store_id, q.product_id, lo.text, lo.zoned, hi.text,
                                        hi.zoned, hi.inclusive, q.kind, after_us, after_id,
                                        q.limit > 0 ? std::optional<int>(q.limit) : std::nullopt))
      out.push_back(movement_of(r));
    return out;
  });
}

std::optional<std::int64_t> product_on_hand(Pool& pool, const std::string& store_id,
                                            const std::string& product_id) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<std::int64_t> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(
        "SELECT coalesce(l.on_hand_milli, 0) FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id"
        " WHERE p.store_id = $1::uuid AND p.id = $2::uuid",
        store_id, product_id);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::int64_t>();
  });
}

std::vector<std::string> low_stock(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    std::vector<std::string> out;
    for (const auto& r : tx.exec_params(
             "SELECT p.id::text FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id"
             " WHERE p.store_id = $1::uuid AND p.track_stock AND p.is_active AND p.deleted_at IS NULL"
             "   AND (coalesce(l.on_hand_milli, 0) <= 0"
             "        OR coalesce(l.on_hand_milli, 0) <= p.reorder_level_milli)"
             " ORDER BY coalesce(p.reorder_level_milli, 0) - coalesce(l.on_hand_milli, 0) DESC, lower(p.name), p.id"
             " LIMIT $2",
             store_id, kMaxLowStockRows))
      out.push_back(r[0].as<std::string>());
    return out;
  });
}

StockValue stock_value(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    // Each product's value is rounded to the minor unit (half away from
    // zero) before the sum, so the total is the sum of the lines a person sees.
    const auto r = tx.exec_params1(
        "SELECT (SELECT currency FROM stores WHERE id = $1::uuid),"
        " coalesce(sum(round(q * p.cost_minor / 1000)) FILTER (WHERE q > 0 AND p.cost_minor IS NOT NULL), "
        "0)::text,"
        " coalesce(sum(round(q * p.price_minor / 1000)) FILTER (WHERE q > 0), 0)::text,"
        " count(*), count(*) FILTER (WHERE q > 0 AND p.cost_minor IS NULL), count(*) FILTER (WHERE q < 0)"
        " FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id,"
        "  LATERAL (SELECT coalesce(l.on_hand_milli, 0)::numeric AS q) v"
        " WHERE p.store_id = $1::uuid AND p.track_stock AND p.deleted_at IS NULL",
        store_id);
    StockValue v;
    v.currency = r[0].as<std::string>();
    v.at_cost = AmountSum{r[1].as<std::string>()};
    v.at_price = AmountSum{r[2].as<std::string>()};
    v.products = r[3].as<std::int64_t>();
    v.products_without_cost = r[4].as<std::int64_t>();
    v.products_below_zero = r[5].as<std::int64_t>();
    return v;
  });
}

std::optional<std::string> find_product_id(Pool& pool, const std::string& store_id, const std::string& key) {
  return pool.with_connection([&](pqxx::connection& c) -> std::optional<std::string> {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params(
        "SELECT p.id::text FROM products p"
        " WHERE p.store_id = $1::uuid AND p.deleted_at IS NULL"
        "   AND (p.id::text = lower($2) OR lower(p.sku) = lower($2)"
        "        OR p.id = (SELECT b.product_id FROM barcodes b WHERE b.store_id = $1::uuid AND b.barcode = "
        "$2))"
        " ORDER BY (p.id::text = lower($2)) DESC, (lower(p.sku) = lower($2)) DESC LIMIT 1",
        store_id, key);
    if (r.empty()) return std::nullopt;
    return r[0][0].as<std::string>();
  });
}

RecordedMovement record_movement(Pool& pool, const NewMovement& m, AuditEntry audit) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // The level row first (apply_stock_deltas locks it), so the ledger read
    // below cannot interleave with a push moving the same product.
    tx.exec_params("SELECT 1 FROM apply_stock_deltas($1::uuid, ARRAY[$2::uuid], ARRAY[0::bigint])",
                   m.store_id, m.product_id);
    RecordedMovement out;
    out.quantity_milli = m.quantity_milli;
    std::optional<std::int64_t> counted;
    if (m.kind == "count") {
      out.expected_milli =
          tx.exec_params1("SELECT stock_ledger_at($1::uuid, now())", m.product_id)[0].as<std::int64_t>();
      counted = m.quantity_milli;
      out.quantity_milli = m.quantity_milli - *out.expected_milli;
    }
    const auto r = tx.exec_params1(
        "INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, reason, note, op_id, "
        "occurred_at,"
        "  counted_milli, expected_milli, unit_cost_minor)"
        " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, gen_random_uuid(), now(), $7, $8, $9)"
        " RETURNING id::text, op_id::text",
        m.store_id, m.product_id, m.kind, out.quantity_milli, m.reason, m.note, counted, out.expected_milli,
        m.unit_cost_minor);
    out.id = r[0].as<std::string>();
    out.op_id = r[1].as<std::string>();
    out.on_hand_milli =
        tx.exec_params1(
              "SELECT on_hand_milli FROM apply_stock_deltas($1::uuid, ARRAY[$2::uuid], ARRAY[$3::bigint])",
              m.store_id, m.product_id, out.quantity_milli)[0]
            .as<std::int64_t>();
    audit.entity = "product";
    audit.entity_id = m.product_id;
    audit.detail["movement_id"] = out.id;
    audit.detail["op_id"] = out.op_id;
    audit.detail["quantity_milli"] = out.quantity_milli;
    if (counted) {
      audit.detail["counted_milli"] = *counted;
      audit.detail["expected_milli"] = *out.expected_milli;
    }
    if (m.reason) audit.detail["reason"] = *m.reason;
    if (m.unit_cost_minor) audit.detail["unit_cost_minor"] = *m.unit_cost_minor;
    audit.detail["on_hand_milli"] = out.on_hand_milli;
    append_audit(tx, audit);
    tx.commit();
    return out;
  });
}

}  // namespace salespider::db
