// See reorder.hpp. The window's bounds are store-local midnights turned into
// instants by PostgreSQL (so a DST day is 23 or 25 hours, as it should be),
// and each sale or refund is put on its store-local day the same way.
// libpqxx 6 has no parameterised cursor, so the few values are quoted by
// the connection (tx.quote) into the DECLARE; all come from the server, not
// from the request text (days is an int, the store id the principal's).
#include "db/reorder.hpp"

#include <cstdlib>
#include <pqxx/pqxx>

#include "db/errors.hpp"
#include "db/pool.hpp"
#include "db/read_limits.hpp"

namespace salespider::db {
namespace {

constexpr int kFetchRows = 5000;
constexpr int kReorderReadTimeoutMs = 45000;

std::string demand_query(pqxx::transaction_base& tx, const std::string& store_id, std::int64_t now_ms, int days) {
  const std::string store = tx.quote(store_id) + "::uuid";
  return "DECLARE reorder_demand NO SCROLL CURSOR FOR"
         " WITH w AS (SELECT s.time_zone AS tz,"
         "     (to_timestamp(" + std::to_string(now_ms) + " / 1000.0) AT TIME ZONE s.time_zone)::date AS today"
         "   FROM settings s WHERE s.store_id = " + store + "),"
         " b AS (SELECT tz, today, today - " + std::to_string(days) + " AS first_day,"
         "     ((today - " + std::to_string(days) + ")::timestamp AT TIME ZONE tz) AS lo,"
         "     (today::timestamp AT TIME ZONE tz) AS hi FROM w),"
         " moved AS ("
         "   SELECT l.product_id, (s.occurred_at AT TIME ZONE b.tz)::date - b.first_day AS day,"
         "     sum(l.quantity_milli)::bigint AS q"
         "   FROM b, sales s JOIN sale_lines l ON l.sale_id = s.id"
         "   WHERE s.store_id = " + store + " AND s.status = 'completed' AND l.product_id IS NOT NULL"
         "     AND s.occurred_at >= b.lo AND s.occurred_at < b.hi"
         "   GROUP BY 1, 2"
         "   UNION ALL"
         "   SELECT l.product_id, (r.occurred_at AT TIME ZONE b.tz)::date - b.first_day, -sum(rl.quantity_milli)::bigint"
         "   FROM b, refunds r JOIN refund_lines rl ON rl.refund_id = r.id JOIN sale_lines l ON l.id = rl.sale_line_id"
         "   WHERE r.store_id = " + store + " AND l.product_id IS NOT NULL"
         "     AND r.occurred_at >= b.lo AND r.occurred_at < b.hi"
         "   GROUP BY 1, 2),"
         // One row per product with its days and quantities as two arrays:
         // sorting a few rows per product beats sorting one per product-day.
         " per_product AS (SELECT product_id, array_agg(day)::text AS days, array_agg(q)::text AS qs"
         "   FROM moved GROUP BY product_id)"
         " SELECT p.id::text, p.name, coalesce(p.sku, ''), p.unit = 'weighed', coalesce(lv.on_hand_milli, 0),"
         "   d.days, d.qs"
         " FROM products p LEFT JOIN stock_levels lv ON lv.product_id = p.id"
         "   LEFT JOIN per_product d ON d.product_id = p.id"
         " WHERE p.store_id = " + store + " AND p.is_active AND p.deleted_at IS NULL AND p.track_stock"
         "   AND (d.product_id IS NOT NULL OR coalesce(lv.on_hand_milli, 0) <> 0)"
         " ORDER BY p.id";
}

// "{3,-1,12}" (an int or bigint array as PostgreSQL writes it) -> numbers.
std::vector<std::int64_t> integers(const char* text) {
  std::vector<std::int64_t> out;
  const char* p = text;
  while (*p) {
    if (*p == '-' || (*p >= '0' && *p <= '9')) {
      char* end = nullptr;
      out.push_back(std::strtoll(p, &end, 10));
      p = end;
    } else {
      ++p;
    }
  }
  return out;
}

}  // namespace

DemandWindow read_demand(Pool& pool, const std::string& store_id, std::int64_t now_ms, int days,
                         const std::function<void(const DemandWindow&, ProductDemand&&)>& each) {
  bool handed_over = false;
  return pool.with_connection([&](pqxx::connection& c) {
    // The pool retries once on a broken connection: products already handed
    // over would be handed over twice, so then the read fails instead.
    if (handed_over) throw Unavailable("the database connection broke while reading the reorder history");
    pqxx::read_transaction tx(c);
    DemandWindow w;
    const auto head = tx.exec_params1(
        "SELECT (to_timestamp($2::bigint / 1000.0) AT TIME ZONE s.time_zone)::date::text, s.time_zone"
        " FROM settings s WHERE s.store_id = $1::uuid",
        store_id, now_ms);
    w.today = head[0].as<std::string>();
    w.time_zone = head[1].as<std::string>();

    // Every row of the cursor is read: plan for all of them, not for a fast
    // first 10 % (the default fraction picks nested loops here).
    tx.exec("SET LOCAL cursor_tuple_fraction = 1.0");
    // Grouping a year of a large catalog by product and day: in memory.
    tx.exec("SET LOCAL work_mem = '64MB'");
    // The first FETCH does all the grouping and sorting: a large catalog over
    // a year may take longer than the list reads' 15 s, still well inside
    // the server's 60 s.
    limit_statement_time(tx, kReorderReadTimeoutMs);
    tx.exec(demand_query(tx, store_id, now_ms, days));
    for (;;) {
      const auto rows = tx.exec("FETCH FORWARD " + std::to_string(kFetchRows) + " FROM reorder_demand");
      for (const auto& r : rows) {
        ProductDemand p;
        p.id = r[0].as<std::string>();
        p.name = r[1].as<std::string>();
        p.sku = r[2].as<std::string>();
        p.weighed = r[3].as<bool>();
        p.on_hand_milli = r[4].as<std::int64_t>();
        p.sold_milli.assign(static_cast<std::size_t>(days), 0);
        if (!r[5].is_null()) {
          const auto day = integers(r[5].c_str());
          const auto q = integers(r[6].c_str());
          // A day can come twice (its sales, its refunds): they add up.
          for (std::size_t i = 0; i < day.size() && i < q.size(); ++i)
            if (day[i] >= 0 && day[i] < days) p.sold_milli[static_cast<std::size_t>(day[i])] += q[i];
        }
        handed_over = true;
        each(w, std::move(p));
      }
      if (rows.size() < static_cast<std::size_t>(kFetchRows)) break;
    }
    tx.exec("CLOSE reorder_demand");
    return w;
  });
}

}  // namespace salespider::db
