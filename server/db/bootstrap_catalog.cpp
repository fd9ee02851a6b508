// See bootstrap_catalog.hpp.
#include "db/bootstrap_catalog.hpp"

#include <pqxx/pqxx>

#include <string_view>

#include "db/pool.hpp"

namespace salespider::db {
namespace {

using ReadOnlySnapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// The small entities straight from sync_rows: the entity names are literals,
// so the planner drops the product and stock-level branches of the view.
constexpr const char* kSmallSql =
    "SELECT s.entity, s.id::text, s.row_version, s.data::text FROM sync_rows s"
    " WHERE s.entity IN ('settings', 'tax_rate', 'category', 'user', 'till', 'revoked_grant')"
    "   AND s.store_id = $1 AND (s.audience_till_id IS NULL OR s.audience_till_id = $2)"
    " ORDER BY CASE s.entity WHEN 'settings' THEN 0 WHEN 'tax_rate' THEN 1 WHEN 'category' THEN 2"
    "   WHEN 'user' THEN 3 WHEN 'till' THEN 4 ELSE 5 END, s.id";

// Every part_rows-th product id (the parts' upper bounds) and the last one.
constexpr const char* kBoundsSql =
    "SELECT id::text, n FROM (SELECT id, row_number() OVER (ORDER BY id) AS rn, count(*) OVER () AS n"
    "   FROM products WHERE store_id = $1 AND deleted_at IS NULL) x"
    " WHERE rn % $2 = 0 OR rn = n ORDER BY id";

// The product branch of sync_rows (migration 0011) as columns. The barcodes
// of the whole id range are aggregated in one pass (a subquery per product
// cost ~60 us each) into compact JSON (no spaces: the till reads it without
// a JSON parser), in the same order as the view's jsonb_agg.
constexpr const char* kPartSql =
    "SELECT p.id::text, p.row_version, p.sku, p.name, p.description, p.category_id::text, p.tax_rate_id::text,"
    "       p.unit::text, p.price_minor, p.currency, p.track_stock::int, p.reorder_level_milli, p.is_active::int,"
    "       coalesce(bc.codes, '[]'), l.row_version, l.on_hand_milli"
    "  FROM products p LEFT JOIN stock_levels l ON l.product_id = p.id AND l.store_id = p.store_id"
    "  LEFT JOIN (SELECT b.product_id,"
    "                    '[' || string_agg(to_json(b.barcode)::text, ',' ORDER BY b.barcode) || ']' AS codes"
    "               FROM barcodes b WHERE b.store_id = $1 AND b.product_id > $2::uuid AND b.product_id <= $3::uuid"
    "              GROUP BY b.product_id) bc ON bc.product_id = p.id"
    " WHERE p.store_id = $1 AND p.deleted_at IS NULL AND p.id > $2::uuid AND p.id <= $3::uuid"
    " ORDER BY p.id";

constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";

// A catalog loaded moments ago (an import, a seed) has no statistics until
// autovacuum's next pass. The planner then guessed one row per side and put
// the barcodes' aggregate inside a nested loop, computing it again for every
// product: a 5,000-product part of a freshly seeded 10,000 took 34.5 s and
// every till enrolled then timed out (measured 2026-12-07). Hash and merge
// joins only: with statistics the planner chose them anyway.
void plan_part_query(pqxx::transaction_base& tx) {
  tx.exec0("SET LOCAL enable_nestloop = off");
}

void put_field(std::string& out, const pqxx::field& f) {
  if (f.is_null()) {
    out += "\\N";
    return;
  }
  const std::string_view v(f.c_str(), f.size());
  for (const char ch : v) {
    switch (ch) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += ch;
    }
  }
}

}  // namespace

CatalogPlan read_catalog_plan(Pool& pool, const std::string& store_id, const std::string& till_id, int part_rows) {
  return pool.with_connection([&](pqxx::connection& c) {
    {
      // The plan is asked for once per enrolment, so it brings the
      // statistics up to date when most of products changed since the last
      // ANALYZE (see plan_part_query), where the server's role owns the
      // tables; the embedded default's app role does not (PostgreSQL 15
      // lets only the owner analyze), and asking only logs a warning.
      pqxx::nontransaction check(c);
      const auto stale = check.exec(
          "SELECT 1 FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
          " WHERE s.relname = 'products' AND pg_has_role(c.relowner, 'USAGE')"
          "   AND s.n_mod_since_analyze > greatest(1000, s.n_live_tup / 5)");
      if (!stale.empty()) check.exec0("ANALYZE products, barcodes, stock_levels");
    }
    ReadOnlySnapshot tx(c);
    CatalogPlan plan;
    plan.cutoff_txid = tx.exec1("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")[0].as<std::uint64_t>();
    for (const auto& row : tx.exec_params(kSmallSql, store_id, till_id))
      plan.small.push_back(SyncRow{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                                   false, row[3].as<std::string>(), 0});
    for (const auto& row : tx.exec_params(kBoundsSql, store_id, part_rows)) {
      plan.bounds.push_back(row[0].as<std::string>());
      plan.products = row[1].as<std::int64_t>();
    }
    tx.commit();
    return plan;
  });
}

std::string read_catalog_part(Pool& pool, const std::string& store_id, const std::string& after,
                              const std::string& upto) {
  return pool.with_connection([&](pqxx::connection& c) {
    ReadOnlySnapshot tx(c);
    plan_part_query(tx);
    std::string out;
    const auto r = tx.exec_params(kPartSql, store_id, after.empty() ? kNilUuid : after, upto);
    out.reserve(r.size() * 200);
    for (const auto& row : r) {
      for (int i = 0; i < kCatalogPartColumns; ++i) {
        if (i) out += '\t';
        put_field(out, row[i]);
      }
      out += '\n';
    }
    tx.commit();
    return out;
  });
}

std::string explain_catalog_part(Pool& pool, const std::string& store_id, const std::string& after,
                                 const std::string& upto) {
  return pool.with_connection([&](pqxx::connection& c) {
    ReadOnlySnapshot tx(c);
    plan_part_query(tx);
    const auto r = tx.exec_params1(std::string("EXPLAIN (ANALYZE, FORMAT JSON) ") + kPartSql, store_id,
                                   after.empty() ? kNilUuid : after, upto);
    tx.commit();
    return r[0].as<std::string>();
  });
}

}  // namespace salespider::db
