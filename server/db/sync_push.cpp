// See sync_push.hpp. Every statement is prepared on the connection the first
// time a PushTx uses it (libpqxx registers them lazily; preparing the same
// definition again is a no-op). Optional uuids travel as "" and become NULL
// through NULLIF, because libpqxx 6.4 has no std::optional parameters.
#include "db/sync_push.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "db/errors.hpp"
#include "db/history_sql.hpp"
#include "db/pool.hpp"
#include "db/sync_sql.hpp"

namespace salespider::db {
namespace {

using sqlx::array_literal;
using sqlx::ms_to_ts;

struct Statement {
  const char* name;
  std::string sql;
};

// The shift a sale or refund belongs to: the one the till named ($claimed,
// checked to be this till's), else the till's shift open at the op's time.
std::string shift_of(const std::string& claimed, const std::string& till, const std::string& at_ms) {
  return "coalesce(NULLIF(" + claimed + ", '')::uuid, (SELECT sh.id FROM shifts sh WHERE sh.till_id = " + till +
         " AND sh.opened_at <= " + ms_to_ts(at_ms) + " AND (sh.closed_at IS NULL OR sh.closed_at >= " +
         ms_to_ts(at_ms) + ") ORDER BY sh.opened_at DESC LIMIT 1))";
}

// A till's contact: its last push or pull and what it reported. Shared by
// record_till_contact (its own statement) and PushTx::till_contact (inside
// a push's last transaction).
std::string till_contact_sql() {
  return "INSERT INTO till_sync_status AS t (till_id, store_id, last_push_at, last_pull_at, outbox_depth,"
         "  oldest_op_age_ms, app_version, clock_skew_ms, reported_at, acked_until)"
         " VALUES ($1, $2, CASE WHEN $3 THEN now() END, CASE WHEN $3 THEN NULL ELSE now() END,"
         "  NULLIF($4, -1), NULLIF($5, -1), NULLIF($6, ''), CASE WHEN $8 THEN $7::bigint END, now(),"
         "  CASE WHEN $10 THEN to_timestamp($9::double precision / 1000) END)"
         " ON CONFLICT (till_id) DO UPDATE SET"
         "  last_push_at = coalesce(EXCLUDED.last_push_at, t.last_push_at),"
         "  last_pull_at = coalesce(EXCLUDED.last_pull_at, t.last_pull_at),"
         "  outbox_depth = coalesce(EXCLUDED.outbox_depth, t.outbox_depth),"
         "  oldest_op_age_ms = CASE WHEN EXCLUDED.outbox_depth IS NOT NULL THEN EXCLUDED.oldest_op_age_ms"
         "                          ELSE t.oldest_op_age_ms END,"
         "  app_version = coalesce(EXCLUDED.app_version, t.app_version),"
         "  clock_skew_ms = coalesce(EXCLUDED.clock_skew_ms, t.clock_skew_ms),"
         "  reported_at = now(),"
         "  acked_until = greatest(EXCLUDED.acked_until, t.acked_until)";
}

const std::vector<Statement>& statements() {
  static const std::vector<Statement> all = {
      {"sync_tender_facts",
       "SELECT cash_rounding_minor, array_to_string(enabled_tenders, ',') FROM settings WHERE store_id = $1"},
      {"sync_user", "SELECT id, role, status FROM users WHERE store_id = $1 AND id = $2::uuid"},
      {"sync_products",
       "SELECT p.id, p.unit, p.track_stock, p.deleted_at IS NOT NULL, "
       "       coalesce((SELECT h.price_minor FROM price_history h WHERE h.product_id = p.id AND h.effective_from <= " +
           ms_to_ts("$3") +
           "                 ORDER BY h.effective_from DESC LIMIT 1), p.price_minor), p.currency "
           "  FROM products p WHERE p.store_id = $1 AND p.id = ANY($2::uuid[])"},
      {"sync_receipt_holder",
       "SELECT op_id FROM sales WHERE NOT receipt_collision AND "
       "((till_id = $2 AND receipt_seq = $3) OR (store_id = $1 AND receipt_number = $4)) LIMIT 1"},
      // The chunk-wide forms (PushTx::products_at, receipt_holders).
      {"sync_products_at",
       "SELECT p.id, q.at, p.unit, p.track_stock, p.deleted_at IS NOT NULL, "
       "       coalesce((SELECT h.price_minor FROM price_history h WHERE h.product_id = p.id AND h.effective_from <= " +
           ms_to_ts("q.at") +
           "                 ORDER BY h.effective_from DESC LIMIT 1), p.price_minor), p.currency "
           "  FROM unnest($2::uuid[], $3::bigint[]) AS q(id, at)"
           "  JOIN products p ON p.id = q.id AND p.store_id = $1"},
      {"sync_receipt_holders",
       "SELECT (SELECT op_id FROM sales WHERE NOT receipt_collision AND "
       "        ((till_id = $2 AND receipt_seq = q.seq) OR (store_id = $1 AND receipt_number = q.number)) LIMIT 1)"
       "  FROM unnest($3::bigint[], $4::text[]) WITH ORDINALITY AS q(seq, number, i) ORDER BY q.i"},
      // A chunk's sales: the claims first; only the sales of claimed ops are
      // written (a duplicate writes nothing). Same rows as sync_claim +
      // sync_insert_sale per op.
      {"sync_claim_insert_sales",
       "WITH c AS ("
       "  INSERT INTO applied_ops (op_id, store_id, till_id, user_id, op_user_id, kind, status, payload, grant_token,"
       "    created_at_ms, occurred_at, result_message, flags)"
       "  SELECT x.op_id, x.store_id, x.till_id, NULLIF(x.user_id, '')::uuid, x.op_user_id, x.kind, x.status,"
       "    NULLIF(x.payload, '')::jsonb, NULLIF(x.grant_token, ''), x.at, " +
           ms_to_ts("x.at") +
           ", x.result_message, x.flags"
           "    FROM jsonb_to_recordset($1::jsonb) AS x(op_id uuid, store_id uuid, till_id uuid, user_id text,"
           "      op_user_id text, kind text, status text, payload text, grant_token text, at bigint,"
           "      result_message text, flags text[])"
           "  ON CONFLICT (op_id) DO NOTHING RETURNING op_id),"
           " x AS (SELECT x.* FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, store_id uuid, till_id uuid,"
           "      receipt_seq bigint, receipt_number text, receipt_collision boolean, user_id uuid, shift_id text,"
           "      price_mode text, currency text, subtotal_minor bigint, discount_minor bigint, tax_minor bigint,"
           "      total_minor bigint, rounding_minor bigint, paid_minor bigint, change_minor bigint, flags text[],"
           "      at bigint, approved_by text, lines jsonb, payments jsonb, detail jsonb)"
           "   WHERE x.id IN (SELECT op_id FROM c)),"
           " s AS ("
           "  INSERT INTO sales (id, store_id, till_id, receipt_seq, receipt_number, receipt_collision, user_id,"
           "    shift_id, price_mode, currency, subtotal_minor, discount_minor, tax_minor, total_minor,"
           "    rounding_minor, paid_minor, change_minor, flags, occurred_at, op_id, approved_by)"
           "  SELECT x.id, x.store_id, x.till_id, x.receipt_seq, x.receipt_number, x.receipt_collision, x.user_id, " +
           shift_of("x.shift_id", "x.till_id", "x.at") +
           ", x.price_mode, x.currency, x.subtotal_minor, x.discount_minor, x.tax_minor, x.total_minor,"
           "    x.rounding_minor, x.paid_minor, x.change_minor, x.flags, " +
           ms_to_ts("x.at") +
           ", x.id, NULLIF(x.approved_by, '')::uuid FROM x RETURNING id),"
           " xl AS (SELECT x.id AS sale_id, x.store_id, x.till_id, x.user_id, x.at, y.*"
           "    FROM x CROSS JOIN LATERAL jsonb_to_recordset(x.lines) AS y(line_no int, product_id uuid, name text,"
           "      barcode text, unit text, quantity_milli bigint, unit_price_minor bigint, discount_minor bigint,"
           "      tax_code text, tax_kind text, tax_rate_ppm bigint, tax_minor bigint, total_minor bigint,"
           "      move boolean)),"
           " l AS ("
           "  INSERT INTO sale_lines (store_id, sale_id, line_no, product_id, name, barcode, unit, quantity_milli,"
           "    unit_price_minor, discount_minor, tax_code, tax_kind, tax_rate_ppm, tax_minor, total_minor)"
           "  SELECT xl.store_id, xl.sale_id, xl.line_no, xl.product_id, xl.name, NULLIF(xl.barcode, ''), xl.unit,"
           "    xl.quantity_milli, xl.unit_price_minor, xl.discount_minor, xl.tax_code, xl.tax_kind, xl.tax_rate_ppm,"
           "    xl.tax_minor, xl.total_minor FROM xl"
           "  RETURNING id, sale_id, line_no),"
           " p AS ("
           "  INSERT INTO payments (store_id, sale_id, tender, amount_minor, currency, reference)"
           "  SELECT x.store_id, x.id, y.tender, y.amount_minor, x.currency, NULLIF(y.reference, '')"
           "    FROM x CROSS JOIN LATERAL jsonb_to_recordset(x.payments) AS y(tender text, amount_minor bigint,"
           "      reference text)),"
           " m AS ("
           "  INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, sale_line_id, user_id, till_id,"
           "    op_id, occurred_at)"
           "  SELECT xl.store_id, xl.product_id, 'sale', -xl.quantity_milli, l.id, xl.user_id, xl.till_id,"
           "    xl.sale_id, " +
           ms_to_ts("xl.at") +
           "    FROM l JOIN xl ON xl.sale_id = l.sale_id AND xl.line_no = l.line_no WHERE xl.move),"
           " a AS ("
           "  INSERT INTO audit_log (store_id, actor_user_id, actor_till_id, action, entity, entity_id, detail)"
           "  SELECT x.store_id, x.user_id, x.till_id, 'sale.recorded', 'sale', x.id, x.detail FROM x)"
           " SELECT op_id::text FROM c"},
      {"sync_chunk_facts",
       "SELECT (SELECT json_build_array(cash_rounding_minor, array_to_string(enabled_tenders, ','))::text"
       "          FROM settings WHERE store_id = $1),"
       "       (SELECT json_agg(json_build_array(id, role, status))::text FROM users"
       "         WHERE store_id = $1 AND id = ANY($3::uuid[])),"
       "       (SELECT json_agg(json_build_array(p.id, q.at, p.unit, p.track_stock, p.deleted_at IS NOT NULL,"
       "          coalesce((SELECT h.price_minor FROM price_history h WHERE h.product_id = p.id"
       "                      AND h.effective_from <= " +
           ms_to_ts("q.at") +
           "                    ORDER BY h.effective_from DESC LIMIT 1), p.price_minor), p.currency))::text"
           "          FROM unnest($4::uuid[], $5::bigint[]) AS q(id, at) JOIN products p ON p.id = q.id AND p.store_id = $1),"
           "       (SELECT json_agg((SELECT op_id FROM sales WHERE NOT receipt_collision AND"
           "          ((till_id = $2 AND receipt_seq = q.seq) OR (store_id = $1 AND receipt_number = q.number)) LIMIT 1)"
           "          ORDER BY q.i)::text"
           "          FROM unnest($6::bigint[], $7::text[]) WITH ORDINALITY AS q(seq, number, i))"},
      {"sync_sale_for_refund",
       "SELECT s.id, s.status, a.payload::text FROM sales s JOIN applied_ops a ON a.op_id = s.op_id "
       " WHERE s.store_id = $1 AND s.id = $2::uuid FOR UPDATE OF s"},
      {"sync_refund_payloads",
       "SELECT a.payload::text FROM refunds r JOIN applied_ops a ON a.op_id = r.op_id "
       " WHERE r.sale_id = $1 ORDER BY a.received_at, r.op_id"},
      {"sync_sale_lines",
       "SELECT l.id, l.product_id::text, coalesce(p.track_stock, false) FROM sale_lines l "
       "  LEFT JOIN products p ON p.id = l.product_id WHERE l.sale_id = $1 ORDER BY l.line_no"},
      {"sync_sale_exists", "SELECT 1 FROM sales WHERE store_id = $1 AND id = $2::uuid"},
      {"sync_shift_exists", "SELECT 1 FROM shifts WHERE id = $1::uuid"},
      {"sync_shift_till", "SELECT till_id::text FROM shifts WHERE id = $1::uuid"},
      {"sync_claim",
       "INSERT INTO applied_ops (op_id, store_id, till_id, user_id, op_user_id, kind, status, reject_code, "
       "  reject_message, payload, grant_token, created_at_ms, occurred_at, result_message, flags) "
       "VALUES ($1, $2, $3, NULLIF($4, '')::uuid, $5, $6, $7, NULLIF($8, ''), NULLIF($9, ''), "
       "  NULLIF($10, '')::jsonb, NULLIF($11, ''), $12, " +
           ms_to_ts("$12") +
           ", $13, $14::text[]) "
           "ON CONFLICT (op_id) DO NOTHING RETURNING 1"},
      {"sync_stored",
       "SELECT till_id, status, coalesce(reject_code, ''), coalesce(reject_message, ''), result_message "
       "  FROM applied_ops WHERE op_id = $1::uuid"},
      {"sync_envelope",
       "SELECT a.till_id, t.code, a.kind, coalesce(a.op_user_id, a.user_id::text, ''), coalesce(a.grant_token, ''),"
       "  coalesce(a.created_at_ms, (extract(epoch FROM a.occurred_at) * 1000)::bigint), coalesce(a.payload::text, '{}'),"
       "  a.status, a.resolved_at IS NOT NULL"
       "  FROM applied_ops a JOIN tills t ON t.id = a.till_id WHERE a.store_id = $1 AND a.op_id = $2::uuid"
       "  FOR UPDATE OF a"},
      {"sync_reclaim",
       "UPDATE applied_ops SET user_id = NULLIF($2, '')::uuid, status = $3, reject_code = NULLIF($4, ''),"
       "  reject_message = NULLIF($5, ''), result_message = $6, flags = $7::text[],"
       "  retried_at = CASE WHEN $3 = 'applied' THEN now() END,"
       "  retried_by = CASE WHEN $3 = 'applied' THEN NULLIF($8, '')::uuid END"
       " WHERE op_id = $1 AND status = 'rejected'"},
      {"sync_insert_sale",
       "WITH s AS ("
       "  INSERT INTO sales (id, store_id, till_id, receipt_seq, receipt_number, receipt_collision, user_id, shift_id,"
       "    price_mode, currency, subtotal_minor, discount_minor, tax_minor, total_minor, rounding_minor, paid_minor,"
       "    change_minor, flags, occurred_at, op_id, approved_by)"
       "  VALUES ($1, $2, $3, $4, $5, $6, $7, " +
           shift_of("$23", "$3", "$17") +
           ","
           "    $8, $9, $10, $11, $12, $13, $14, $15, $16, $18::text[], " +
           ms_to_ts("$17") +
           ", $1, NULLIF($24, '')::uuid)"
           "  RETURNING id),"
           " l AS ("
           "  INSERT INTO sale_lines (store_id, sale_id, line_no, product_id, name, barcode, unit, quantity_milli,"
           "    unit_price_minor, discount_minor, tax_code, tax_kind, tax_rate_ppm, tax_minor, total_minor)"
           "  SELECT $2, (SELECT id FROM s), x.line_no, x.product_id, x.name, NULLIF(x.barcode, ''), x.unit,"
           "    x.quantity_milli, x.unit_price_minor, x.discount_minor, x.tax_code, x.tax_kind, x.tax_rate_ppm,"
           "    x.tax_minor, x.total_minor"
           "    FROM jsonb_to_recordset($19::jsonb) AS x(line_no int, product_id uuid, name text, barcode text,"
           "      unit text, quantity_milli bigint, unit_price_minor bigint, discount_minor bigint, tax_code text,"
           "      tax_kind text, tax_rate_ppm bigint, tax_minor bigint, total_minor bigint, move boolean)"
           "  RETURNING id, line_no, product_id, quantity_milli),"
           " p AS ("
           "  INSERT INTO payments (store_id, sale_id, tender, amount_minor, currency, reference)"
           "  SELECT $2, (SELECT id FROM s), x.tender, x.amount_minor, $9, NULLIF(x.reference, '')"
           "    FROM jsonb_to_recordset($20::jsonb) AS x(tender text, amount_minor bigint, reference text)),"
           " m AS ("
           "  INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, sale_line_id, user_id, till_id,"
           "    op_id, occurred_at)"
           "  SELECT $2, l.product_id, 'sale', -l.quantity_milli, l.id, $7, $3, $1, " +
           ms_to_ts("$17") +
           "    FROM l WHERE l.line_no = ANY($21::int[]))"
           " INSERT INTO audit_log (store_id, actor_user_id, actor_till_id, action, entity, entity_id, detail)"
           " VALUES ($2, $7, $3, 'sale.recorded', 'sale', $1, $22::jsonb)"},
      {"sync_insert_refund",
       "WITH r AS ("
       "  INSERT INTO refunds (id, store_id, sale_id, till_id, user_id, reason, tender, currency, tax_minor,"
       "    total_minor, flags, occurred_at, op_id, shift_id, approved_by)"
       "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], " +
           ms_to_ts("$12") + ", $1, " + shift_of("$15", "$4", "$12") +
           ", NULLIF($16, '')::uuid) RETURNING id),"
           " t AS ("
           "  INSERT INTO refund_tenders (refund_id, store_id, tender, amount_minor)"
           "  SELECT (SELECT id FROM r), $2, x.tender, x.amount_minor"
           "    FROM jsonb_to_recordset($17::jsonb) AS x(tender text, amount_minor bigint)),"
           " l AS ("
           "  INSERT INTO refund_lines (store_id, refund_id, sale_line_id, quantity_milli, amount_minor, tax_minor,"
           "    restock)"
           "  SELECT $2, (SELECT id FROM r), x.sale_line_id, x.quantity_milli, x.amount_minor, x.tax_minor,"
           "    x.product_id IS NOT NULL"
           "    FROM jsonb_to_recordset($13::jsonb) AS x(sale_line_id uuid, product_id uuid, quantity_milli bigint,"
           "      amount_minor bigint, tax_minor bigint)"
           "  RETURNING id, sale_line_id, quantity_milli),"
           " m AS ("
           "  INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, refund_line_id, user_id,"
           "    till_id, op_id, occurred_at)"
           "  SELECT $2, x.product_id, 'refund', l.quantity_milli, l.id, $5, $4, $1, " +
           ms_to_ts("$12") +
           "    FROM l JOIN jsonb_to_recordset($13::jsonb) AS x(sale_line_id uuid, product_id uuid)"
           "      ON x.sale_line_id = l.sale_line_id WHERE x.product_id IS NOT NULL)"
           " INSERT INTO audit_log (store_id, actor_user_id, actor_till_id, action, entity, entity_id, detail)"
           " VALUES ($2, $5, $4, 'refund.recorded', 'refund', $1, $14::jsonb)"},
      {"sync_insert_movement",
       "INSERT INTO stock_movements (store_id, product_id, kind, quantity_milli, reason, note, user_id, till_id,"
       "  op_id, occurred_at, count_id, counted_milli, expected_milli, till_delta_milli, unit_cost_minor,"
       "  compensates_op_id)"
       " VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, NULLIF($7, '')::uuid, NULLIF($8, '')::uuid,"
       "  NULLIF($9, '')::uuid, " +
           ms_to_ts("$10") +
           ", NULLIF($11, ''), NULLIF($12, '')::bigint, NULLIF($13, '')::bigint, NULLIF($14, '')::bigint,"
           "  NULLIF($15, '')::bigint, NULLIF($16, '')::uuid)"},
      {"sync_ledger_at", "SELECT stock_ledger_at($1::uuid, " + ms_to_ts("$2") + ")"},
      // Per product, the latest ledger count not made by the given ops.
      // One short backward scan of stock_movements_ledger_count_idx per product.
      {"sync_last_ledger_counts",
       "SELECT p.id::text, c.at_ms, c.count_id FROM unnest($1::uuid[]) AS p(id)"
       " CROSS JOIN LATERAL (SELECT floor(extract(epoch FROM m.occurred_at) * 1000)::bigint AS at_ms,"
       "    coalesce(m.count_id, '') AS count_id"
       "    FROM stock_movements m"
       "   WHERE m.product_id = p.id AND m.counted_milli IS NOT NULL"
       "     AND (m.op_id IS NULL OR NOT m.op_id = ANY($2::uuid[]))"
       "   ORDER BY m.occurred_at DESC LIMIT 1) c"},
      {"sync_insert_shift",
       "INSERT INTO shifts (id, store_id, till_id, user_id, currency, opening_float_minor, opened_at)"
       " VALUES ($1, $2, $3, $4, $5, $6, " +
           ms_to_ts("$7") + ")"},
      {"sync_shift_state", "SELECT status, currency FROM shifts WHERE id = $1::uuid AND till_id = $2 FOR UPDATE"},
      // Expected cash comes from the shift's report (service/shift_reports.hpp).
      {"sync_close_shift",
       "UPDATE shifts SET status = 'closed', counted_cash_minor = $3, closed_at = greatest(opened_at, " +
           ms_to_ts("$4") +
           "),"
           "   closed_by = $2, expected_cash_minor = NULLIF($5, '')::bigint"
           " WHERE id = $1::uuid"},
      {"sync_insert_cash",
       "INSERT INTO cash_movements (store_id, shift_id, till_id, user_id, kind, amount_minor, currency, reason,"
       "  occurred_at, op_id)"
       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " +
           ms_to_ts("$9") + ", $10)"},
      {"sync_audit",
       "INSERT INTO audit_log (store_id, actor_user_id, actor_till_id, action, entity, entity_id, detail)"
       " VALUES ($1, NULLIF($2, '')::uuid, NULLIF($3, '')::uuid, $4, NULLIF($5, ''), NULLIF($6, '')::uuid,"
       "  $7::jsonb)"},
      // The levels first (rows locked in product order), then the till's
      // receipt sequence: t reads l, so it runs after l whatever order
      // PostgreSQL would give two independent data-modifying CTEs.
      {"sync_apply_stock",
       "WITH l AS (SELECT product_id, on_hand_milli FROM apply_stock_deltas($1, $2::uuid[], $3::bigint[])),"
       " t AS (UPDATE tills SET highest_receipt_seq = $5"
       "        WHERE $5 > 0 AND id = NULLIF($4, '')::uuid AND highest_receipt_seq < $5"
       "          AND (SELECT count(*) FROM l) >= 0)"
       " SELECT product_id, on_hand_milli FROM l"},
      {"sync_till_contact", till_contact_sql()},
      {"sync_raise_receipt_seq",
       "UPDATE tills SET highest_receipt_seq = $2 WHERE id = $1 AND highest_receipt_seq < $2"},
      {"sync_add_flags",
       "WITH f AS ("
       "  INSERT INTO op_flags (store_id, op_id, sale_id, kind, detail)"
       "  SELECT $1, x.op_id, x.sale_id, x.kind, x.detail"
       "    FROM jsonb_to_recordset($2::jsonb) AS x(op_id uuid, sale_id uuid, kind text, detail jsonb)"
       "  RETURNING op_id, sale_id, kind),"
       " o AS ("
       "  UPDATE applied_ops a SET flags = (SELECT array_agg(DISTINCT k ORDER BY k)"
       "                                      FROM unnest(a.flags || g.kinds) AS k),"
       "    result_message = m.message"
       "    FROM (SELECT op_id, array_agg(kind) AS kinds FROM f GROUP BY op_id) g"
       "    JOIN jsonb_to_recordset($3::jsonb) AS m(op_id uuid, message text) ON m.op_id = g.op_id"
       "   WHERE a.op_id = g.op_id)"
       " UPDATE sales s SET flags = (SELECT array_agg(DISTINCT k ORDER BY k) FROM unnest(s.flags || g.kinds) AS k)"
       "   FROM (SELECT sale_id, array_agg(kind) AS kinds FROM f WHERE sale_id IS NOT NULL GROUP BY sale_id) g"
       "  WHERE s.id = g.sale_id"},
  };
  return all;
}

void prepare_all(pqxx::connection_base& c) {
  for (const auto& s : statements()) c.prepare(s.name, s.sql);
}

std::string pg_bool(bool b) { return b ? "true" : "false"; }

}  // namespace

struct PushTx::Impl {
  explicit Impl(Pool& pool) : lease(pool.acquire()), tx((prepare_all(*lease), history_sql::prepare(*lease), *lease)) {}
  Pool::Lease lease;
  pqxx::work tx;
};

PushTx::PushTx(Pool& pool) : impl_(std::make_unique<Impl>(pool)) {}

PushTx::~PushTx() {
  if (!impl_) return;
  // A transaction that failed mid-statement leaves the connection usable
  // after the implicit rollback; a broken one is discarded by the pool.
  try {
    impl_->tx.abort();
  } catch (...) {
    impl_->lease.discard();
  }
}

TenderFacts PushTx::tender_facts(const std::string& store_id) {
  auto r = impl_->tx.exec_prepared("sync_tender_facts", store_id);
  TenderFacts f;
  if (r.empty()) return f;
  f.cash_rounding = r[0][0].as<std::int64_t>();
  const auto list = r[0][1].as<std::string>();
  for (std::size_t start = 0; start < list.size();) {
    auto comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    f.enabled.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return f;
}

std::optional<UserFact> PushTx::user(const std::string& store_id, const std::string& user_id) {
  auto r = impl_->tx.exec_prepared("sync_user", store_id, user_id);
  if (r.empty()) return std::nullopt;
  return UserFact{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>()};
}


namespace {
// A product fact from a row: its id in column 0, then, after `skip` other
// columns, unit, track_stock, deleted, price in force and currency.
ProductFact product_fact(const pqxx::row& row, int skip) {
  ProductFact f;
  f.id = row[0].as<std::string>();
  f.unit = row[1 + skip].as<std::string>();
  f.track_stock = row[2 + skip].as<bool>();
  f.deleted = row[3 + skip].as<bool>();
  f.price_in_force = row[4 + skip].as<std::int64_t>();
  f.currency = row[5 + skip].as<std::string>();
  return f;
}
}  // namespace

std::vector<ProductFact> PushTx::products(const std::string& store_id, const std::vector<std::string>& ids,
                                          std::int64_t at_ms) {
  std::vector<ProductFact> out;
  if (ids.empty()) return out;
  auto r = impl_->tx.exec_prepared("sync_products", store_id, array_literal(ids), at_ms);
  out.reserve(r.size());
  for (const auto& row : r) out.push_back(product_fact(row, 0));
  return out;
}

std::map<std::pair<std::string, std::int64_t>, ProductFact> PushTx::products_at(
    const std::string& store_id, const std::vector<std::pair<std::string, std::int64_t>>& wanted) {
  std::map<std::pair<std::string, std::int64_t>, ProductFact> out;
  if (wanted.empty()) return out;
  std::vector<std::string> ids;
  std::vector<std::int64_t> ats;
  for (const auto& [id, at] : wanted) {
    ids.push_back(id);
    ats.push_back(at);
  }
  for (const auto& row : impl_->tx.exec_prepared("sync_products_at", store_id, array_literal(ids), array_literal(ats))) {
    // Column 1 is the op time the price was asked for; the fact follows it.
    ProductFact f = product_fact(row, 1);
    out.emplace(std::make_pair(f.id, row[1].as<std::int64_t>()), std::move(f));
  }
  return out;
}

std::vector<std::optional<std::string>> PushTx::receipt_holders(
    const std::string& store_id, const std::string& till_id,
    const std::vector<std::pair<std::int64_t, std::string>>& receipts) {
  std::vector<std::optional<std::string>> out;
  if (receipts.empty()) return out;
  std::vector<std::int64_t> seqs;
  std::vector<std::string> numbers;
  for (const auto& [seq, number] : receipts) {
    seqs.push_back(seq);
    numbers.push_back(number);
  }
  for (const auto& row :
       impl_->tx.exec_prepared("sync_receipt_holders", store_id, till_id, array_literal(seqs), array_literal(numbers)))
    out.push_back(row[0].is_null() ? std::nullopt : std::optional<std::string>(row[0].as<std::string>()));
  return out;
}

PushTx::ChunkFacts PushTx::chunk_facts(const std::string& store_id, const std::string& till_id,
                                      const std::vector<std::string>& user_ids,
                                      const std::vector<std::pair<std::string, std::int64_t>>& products,
                                      const std::vector<std::pair<std::int64_t, std::string>>& receipts) {
  std::vector<std::string> ids, numbers;
  std::vector<std::int64_t> ats, seqs;
  for (const auto& [id, at] : products) {
    ids.push_back(id);
    ats.push_back(at);
  }
  for (const auto& [seq, number] : receipts) {
    seqs.push_back(seq);
    numbers.push_back(number);
  }
  const auto r = impl_->tx.exec_prepared1("sync_chunk_facts", store_id, till_id, array_literal(user_ids),
                                          array_literal(ids), array_literal(ats), array_literal(seqs),
                                          array_literal(numbers));
  auto json_of = [&](int col) {
    return r[col].is_null() ? nlohmann::json::array() : nlohmann::json::parse(r[col].as<std::string>());
  };
  ChunkFacts f;
  if (!r[0].is_null()) {
    const auto t = json_of(0);
    f.tenders.cash_rounding = t[0].get<std::int64_t>();
    const auto list = t[1].get<std::string>();
    for (std::size_t start = 0; start < list.size();) {
      auto comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      f.tenders.enabled.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  for (const auto& u : json_of(1))
    f.users.emplace(u[0].get<std::string>(), UserFact{u[0].get<std::string>(), u[1].get<std::string>(),
                                                      u[2].get<std::string>()});
  for (const auto& p : json_of(2)) {
    ProductFact pf;
    pf.id = p[0].get<std::string>();
    pf.unit = p[2].get<std::string>();
    pf.track_stock = p[3].get<bool>();
    pf.deleted = p[4].get<bool>();
    pf.price_in_force = p[5].get<std::int64_t>();
    pf.currency = p[6].get<std::string>();
    f.products.emplace(std::make_pair(pf.id, p[1].get<std::int64_t>()), std::move(pf));
  }
  for (const auto& h : json_of(3))
    f.holders.push_back(h.is_null() ? std::nullopt : std::optional<std::string>(h.get<std::string>()));
  return f;
}

std::optional<std::string> PushTx::receipt_holder(const std::string& store_id, const std::string& till_id,
                                                  std::int64_t seq, const std::string& receipt_number) {
  auto r = impl_->tx.exec_prepared("sync_receipt_holder", store_id, till_id, seq, receipt_number);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

std::optional<SaleForRefund> PushTx::sale_for_refund(const std::string& store_id, const std::string& sale_id) {
  auto s = impl_->tx.exec_prepared("sync_sale_for_refund", store_id, sale_id);
  if (s.empty()) return std::nullopt;
  SaleForRefund out;
  out.sale_id = s[0][0].as<std::string>();
  out.status = s[0][1].as<std::string>();
  out.sale_payload = s[0][2].is_null() ? std::string() : s[0][2].as<std::string>();
  for (const auto& row : impl_->tx.exec_prepared("sync_refund_payloads", out.sale_id)) {
    if (!row[0].is_null()) out.refund_payloads.push_back(row[0].as<std::string>());
  }
  for (const auto& row : impl_->tx.exec_prepared("sync_sale_lines", out.sale_id)) {
    out.line_ids.push_back(row[0].as<std::string>());
    out.line_products.push_back(row[1].is_null() ? std::nullopt : std::optional(row[1].as<std::string>()));
    out.line_moves_stock.push_back(row[2].as<bool>());
  }
  return out;
}

bool PushTx::sale_exists(const std::string& store_id, const std::string& sale_id) {
  return !impl_->tx.exec_prepared("sync_sale_exists", store_id, sale_id).empty();
}

bool PushTx::shift_exists(const std::string& shift_id) {
  return !impl_->tx.exec_prepared("sync_shift_exists", shift_id).empty();
}

std::optional<std::string> PushTx::shift_till(const std::string& shift_id) {
  auto r = impl_->tx.exec_prepared("sync_shift_till", shift_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

std::optional<std::string> PushTx::lock_shift(const std::string& shift_id, const std::string& till_id) {
  auto r = impl_->tx.exec_prepared("sync_shift_state", shift_id, till_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

ShiftReportInputs PushTx::shift_inputs(const std::string& shift_id) {
  auto shift = history_sql::shift_row(impl_->tx, "", shift_id);
  if (!shift) throw Unavailable("a locked shift vanished");
  return history_sql::shift_inputs(impl_->tx, *shift);
}

bool PushTx::claim(const OpRow& op) {
  auto r = impl_->tx.exec_prepared("sync_claim", op.op_id, op.store_id, op.till_id, op.user_id.value_or(""),
                                   op.op_user_id, op.kind, op.status, op.reject_code, op.reject_message,
                                   op.payload.value_or(""), op.grant, op.created_at_ms, op.result_message,
                                   array_literal(op.flags));
  return !r.empty();
}

std::optional<StoredResult> PushTx::stored(const std::string& op_id) {
  auto r = impl_->tx.exec_prepared("sync_stored", op_id);
  if (r.empty()) return std::nullopt;
  return StoredResult{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(),
                      r[0][3].as<std::string>(), r[0][4].as<std::string>()};
}

std::optional<PushTx::StoredEnvelope> PushTx::envelope(const std::string& store_id, const std::string& op_id) {
  auto r = impl_->tx.exec_prepared("sync_envelope", store_id, op_id);
  if (r.empty()) return std::nullopt;
  StoredEnvelope e;
  e.till_id = r[0][0].as<std::string>();
  e.till_code = r[0][1].as<std::string>();
  e.kind = r[0][2].as<std::string>();
  e.op_user_id = r[0][3].as<std::string>();
  e.grant = r[0][4].as<std::string>();
  e.created_at_ms = r[0][5].as<std::int64_t>();
  e.payload = r[0][6].as<std::string>();
  e.status = r[0][7].as<std::string>();
  e.resolved = r[0][8].as<bool>();
  return e;
}

void PushTx::reclaim(const OpRow& op, const std::optional<std::string>& by_user) {
  impl_->tx.exec_prepared0("sync_reclaim", op.op_id, op.user_id.value_or(""), op.status, op.reject_code,
                           op.reject_message, op.result_message, array_literal(op.flags), by_user.value_or(""));
}

namespace {
// A sale's lines and payments as insert_sale and claim_and_insert_sales send them.
nlohmann::json lines_json(const SaleRow& s) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : s.lines) {
    lines.push_back({{"line_no", l.line_no},
                     {"product_id", l.product_id ? nlohmann::json(*l.product_id) : nlohmann::json(nullptr)},
                     {"name", l.name},
                     {"barcode", l.barcode},
                     {"unit", l.unit},
                     {"quantity_milli", l.quantity_milli},
                     {"unit_price_minor", l.unit_price_minor},
                     {"discount_minor", l.discount_minor},
                     {"tax_code", l.tax_code},
                     {"tax_kind", l.tax_kind},
                     {"tax_rate_ppm", l.tax_rate_ppm},
                     {"tax_minor", l.tax_minor},
                     {"total_minor", l.total_minor},
                     {"move", l.move_stock}});
  }
  return lines;
}

nlohmann::json payments_json(const SaleRow& s) {
  nlohmann::json payments = nlohmann::json::array();
  for (const auto& p : s.payments)
    payments.push_back({{"tender", p.tender}, {"amount_minor", p.amount_minor}, {"reference", p.reference}});
  return payments;
}

nlohmann::json sale_detail(const SaleRow& s) {
  nlohmann::json detail = {{"receipt_number", s.receipt_number},
                           {"total_minor", s.total_minor},
                           {"currency", s.currency},
                           {"lines", s.lines.size()}};
  if (!s.approved_by.empty()) detail["approved_by"] = s.approved_by;
  return detail;
}
}  // namespace

void PushTx::insert_sale(const SaleRow& s) {
  std::vector<std::int64_t> moving;
  for (const auto& l : s.lines)
    if (l.move_stock) moving.push_back(l.line_no);
  impl_->tx.exec_prepared0("sync_insert_sale", s.id, s.store_id, s.till_id, s.receipt_seq, s.receipt_number,
                           pg_bool(s.receipt_collision), s.user_id, s.price_mode, s.currency, s.subtotal_minor,
                           s.discount_minor, s.tax_minor, s.total_minor, s.rounding_minor, s.paid_minor,
                           s.change_minor, s.occurred_at_ms, array_literal(s.flags), lines_json(s).dump(),
                           payments_json(s).dump(), array_literal(moving), sale_detail(s).dump(), s.shift_id,
                           s.approved_by);
}


std::vector<std::string> PushTx::claim_and_insert_sales(const std::vector<OpRow>& ops,
                                                        const std::vector<SaleRow>& sales) {
  std::vector<std::string> claimed;
  if (ops.empty()) return claimed;
  nlohmann::json claims = nlohmann::json::array();
  for (const auto& op : ops) {
    claims.push_back({{"op_id", op.op_id},
                      {"store_id", op.store_id},
                      {"till_id", op.till_id},
                      {"user_id", op.user_id.value_or("")},
                      {"op_user_id", op.op_user_id},
                      {"kind", op.kind},
                      {"status", op.status},
                      {"payload", op.payload.value_or("")},
                      {"grant_token", op.grant},
                      {"at", op.created_at_ms},
                      {"result_message", op.result_message},
                      {"flags", op.flags}});
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& s : sales) {
    rows.push_back({{"id", s.id},
                    {"store_id", s.store_id},
                    {"till_id", s.till_id},
                    {"receipt_seq", s.receipt_seq},
                    {"receipt_number", s.receipt_number},
                    {"receipt_collision", s.receipt_collision},
                    {"user_id", s.user_id},
                    {"shift_id", s.shift_id},
                    {"price_mode", s.price_mode},
                    {"currency", s.currency},
                    {"subtotal_minor", s.subtotal_minor},
                    {"discount_minor", s.discount_minor},
                    {"tax_minor", s.tax_minor},
                    {"total_minor", s.total_minor},
                    {"rounding_minor", s.rounding_minor},
                    {"paid_minor", s.paid_minor},
                    {"change_minor", s.change_minor},
                    {"flags", s.flags},
                    {"at", s.occurred_at_ms},
                    {"approved_by", s.approved_by},
                    {"lines", lines_json(s)},
                    {"payments", payments_json(s)},
                    {"detail", sale_detail(s)}});
  }
  for (const auto& row : impl_->tx.exec_prepared("sync_claim_insert_sales", claims.dump(), rows.dump()))
    claimed.push_back(row[0].as<std::string>());
  return claimed;
}

void PushTx::insert_refund(const RefundRow& r) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : r.lines) {
    lines.push_back({{"sale_line_id", l.sale_line_id},
                     {"product_id", l.product_id ? nlohmann::json(*l.product_id) : nlohmann::json(nullptr)},
                     {"quantity_milli", l.quantity_milli},
                     {"amount_minor", l.amount_minor},
                     {"tax_minor", l.tax_minor}});
  }
  nlohmann::json tenders = nlohmann::json::array();
  for (const auto& t : r.tenders) tenders.push_back({{"tender", t.tender}, {"amount_minor", t.amount_minor}});
  nlohmann::json detail = {{"sale_id", r.sale_id}, {"total_minor", r.total_minor}, {"currency", r.currency}};
  if (!r.approved_by.empty()) detail["approved_by"] = r.approved_by;
  impl_->tx.exec_prepared0("sync_insert_refund", r.id, r.store_id, r.sale_id, r.till_id, r.user_id, r.reason,
                           r.tender, r.currency, r.tax_minor, r.total_minor, array_literal(r.flags),
                           r.occurred_at_ms, lines.dump(), detail.dump(), r.shift_id, r.approved_by,
                           tenders.dump());
}

namespace {
std::string text_or_empty(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string();
}
}  // namespace

void PushTx::insert_stock_movement(const StockMovementRow& m) {
  impl_->tx.exec_prepared0("sync_insert_movement", m.store_id, m.product_id, m.kind, m.quantity_milli,
                           m.reason.value_or(""), m.note, m.user_id, m.till_id, m.op_id, m.occurred_at_ms,
                           m.count_id, text_or_empty(m.counted_milli), text_or_empty(m.expected_milli),
                           text_or_empty(m.till_delta_milli), text_or_empty(m.unit_cost_minor),
                           m.compensates_op_id);
}

std::int64_t PushTx::ledger_at(const std::string& product_id, std::int64_t at_ms) {
  return impl_->tx.exec_prepared1("sync_ledger_at", product_id, at_ms)[0].as<std::int64_t>();
}

std::map<std::string, LedgerCount> PushTx::last_ledger_counts(const std::vector<std::string>& product_ids,
                                                              const std::vector<std::string>& except_ops) {
  std::map<std::string, LedgerCount> out;
  if (product_ids.empty()) return out;
  for (const auto& row : impl_->tx.exec_prepared("sync_last_ledger_counts", array_literal(product_ids),
                                                 array_literal(except_ops)))
    out.emplace(row[0].as<std::string>(), LedgerCount{row[1].as<std::int64_t>(), row[2].as<std::string>()});
  return out;
}

void PushTx::insert_shift(const std::string& shift_id, const std::string& store_id, const std::string& till_id,
                          const std::string& user_id, const std::string& currency,
                          std::int64_t opening_float_minor, std::int64_t opened_at_ms) {
  impl_->tx.exec_prepared0("sync_insert_shift", shift_id, store_id, till_id, user_id, currency,
                           opening_float_minor, opened_at_ms);
}

void PushTx::close_shift(const std::string& shift_id, const std::string& user_id, std::int64_t counted_cash_minor,
                         std::int64_t closed_at_ms, std::optional<std::int64_t> expected_cash_minor) {
  impl_->tx.exec_prepared0("sync_close_shift", shift_id, user_id, counted_cash_minor, closed_at_ms,
                           expected_cash_minor ? std::to_string(*expected_cash_minor) : std::string());
}

void PushTx::insert_cash_movement(const std::string& store_id, const std::string& shift_id,
                                  const std::string& till_id, const std::string& user_id, const std::string& kind,
                                  std::int64_t amount_minor, const std::string& currency,
                                  const std::string& reason, const std::string& op_id,
                                  std::int64_t occurred_at_ms) {
  impl_->tx.exec_prepared0("sync_insert_cash", store_id, shift_id, till_id, user_id, kind, amount_minor, currency,
                           reason, occurred_at_ms, op_id);
}

void PushTx::audit(const SyncAuditRow& a) {
  impl_->tx.exec_prepared0("sync_audit", a.store_id, a.actor_user_id.value_or(""), a.actor_till_id.value_or(""),
                           a.action, a.entity, a.entity_id.value_or(""), a.detail);
}

std::vector<std::pair<std::string, std::int64_t>> PushTx::apply_stock(
    const std::string& store_id, const std::vector<std::pair<std::string, std::int64_t>>& deltas,
    const std::string& till_id, std::int64_t receipt_seq) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (deltas.empty() && receipt_seq <= 0) return out;
  std::vector<std::string> ids;
  std::vector<std::int64_t> values;
  for (const auto& [id, d] : deltas) {
    ids.push_back(id);
    values.push_back(d);
  }
  for (const auto& row : impl_->tx.exec_prepared("sync_apply_stock", store_id, array_literal(ids),
                                                 array_literal(values), till_id, receipt_seq))
    out.emplace_back(row[0].as<std::string>(), row[1].as<std::int64_t>());
  return out;
}

void PushTx::raise_receipt_seq(const std::string& till_id, std::int64_t seq) {
  impl_->tx.exec_prepared0("sync_raise_receipt_seq", till_id, seq);
}

void PushTx::add_flags(const std::string& store_id, const std::vector<FlagRow>& flags,
                       const std::vector<std::pair<std::string, std::string>>& messages) {
  if (flags.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& f : flags) {
    rows.push_back({{"op_id", f.op_id},
                    {"sale_id", f.sale_id ? nlohmann::json(*f.sale_id) : nlohmann::json(nullptr)},
                    {"kind", f.kind},
                    {"detail", nlohmann::json::parse(f.detail.empty() ? "{}" : f.detail)}});
  }
  nlohmann::json msgs = nlohmann::json::array();
  for (const auto& [op, message] : messages) msgs.push_back({{"op_id", op}, {"message", message}});
  impl_->tx.exec_prepared0("sync_add_flags", store_id, rows.dump(), msgs.dump());
}

void PushTx::commit() { impl_->tx.commit(); }

bool is_data_error(const std::exception& e) {
  // Integrity (23xxx), data (22xxx), deadlock/serialization (40xxx) and
  // plpgsql RAISE (P0001): about this op, not about the database being down.
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = s->sqlstate();
    if (dynamic_cast<const pqxx::integrity_constraint_violation*>(&e) != nullptr) return true;
    if (dynamic_cast<const pqxx::data_exception*>(&e) != nullptr) return true;
    if (is_retryable_conflict(e)) return true;
    return state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0 || state == "P0001";
  }
  return false;
}

bool is_retryable_conflict(const std::exception& e) {
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e) != nullptr) return true;
  if (dynamic_cast<const pqxx::serialization_failure*>(&e) != nullptr) return true;
  if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = s->sqlstate();
    return state == "40001" || state == "40P01";
  }
  return false;
}

namespace {
void exec_till_contact(pqxx::transaction_base& tx, const std::string& store_id, const std::string& till_id,
                       bool push, const TillReport& report) {
  tx.exec_prepared0("sync_till_contact", till_id, store_id, pg_bool(push), report.outbox_depth.value_or(-1),
                    report.oldest_op_age_ms.value_or(-1), report.app_version, report.clock_skew_ms.value_or(0),
                    pg_bool(report.clock_skew_ms.has_value()), static_cast<double>(report.acked_until_ms.value_or(0)),
                    pg_bool(report.acked_until_ms.has_value()));
}
}  // namespace

void PushTx::till_contact(const std::string& store_id, const std::string& till_id, const TillReport& report) {
  exec_till_contact(impl_->tx, store_id, till_id, true, report);
}

void record_till_contact(Pool& pool, const std::string& store_id, const std::string& till_id, bool push,
                         const TillReport& report) {
  pool.with_connection([&](pqxx::connection& c) {
    c.prepare("sync_till_contact", till_contact_sql());
    // One statement, committed on its own: no BEGIN/COMMIT round trips.
    pqxx::nontransaction tx(c);
    exec_till_contact(tx, store_id, till_id, push, report);
  });
}

bool till_contact_fresh(Pool& pool, const std::string& till_id, const TillReport& report, int within_s) {
  return pool.with_connection([&](pqxx::connection& c) {
    c.prepare("sync_till_contact_fresh",
              "SELECT 1 FROM till_sync_status WHERE till_id = $1::uuid"
              " AND last_pull_at > now() - make_interval(secs => $2)"
              " AND ($3 = -1 OR outbox_depth = $3)"
              " AND ($4 = '' OR app_version = $4)"
              " AND ($5 = false OR abs(coalesce(clock_skew_ms, 0) - $6::bigint) < 1000)");
    pqxx::nontransaction tx(c);  // one read: no BEGIN/COMMIT, no commit record
    return !tx.exec_prepared("sync_till_contact_fresh", till_id, within_s, report.outbox_depth.value_or(-1),
                             report.app_version, pg_bool(report.clock_skew_ms.has_value()),
                             report.clock_skew_ms.value_or(0))
                .empty();
  });
}

TillArrival till_arrival(Pool& pool, const std::string& till_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    c.prepare("sync_till_arrival",
              "SELECT clock_skew_ms, (extract(epoch FROM acked_until) * 1000)::bigint"
              " FROM till_sync_status WHERE till_id = $1::uuid");
    pqxx::nontransaction tx(c);  // one read: no BEGIN/COMMIT round trips
    TillArrival a;
    const auto r = tx.exec_prepared("sync_till_arrival", till_id);
    if (r.empty()) return a;
    if (!r[0][0].is_null()) a.clock_skew_ms = r[0][0].as<std::int64_t>();
    if (!r[0][1].is_null()) a.acked_until_ms = r[0][1].as<std::int64_t>();
    return a;
  });
}

void record_till_clock(Pool& pool, const std::string& store_id, const std::string& till_id, std::int64_t skew_ms) {
  pool.with_connection([&](pqxx::connection& c) {
    c.prepare("sync_till_clock",
              "INSERT INTO till_sync_status AS t (till_id, store_id, clock_skew_ms, reported_at)"
              " VALUES ($1, $2, $3, now())"
              " ON CONFLICT (till_id) DO UPDATE SET clock_skew_ms = EXCLUDED.clock_skew_ms, reported_at = now()");
    pqxx::work tx(c);
    tx.exec_prepared0("sync_till_clock", till_id, store_id, skew_ms);
    tx.commit();
  });
}

}  // namespace salespider::db
