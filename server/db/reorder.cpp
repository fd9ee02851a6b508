// See reorder.hpp. The window's bounds are store-local midnights turned into
// instants by PostgreSQL (so a DST day is 23 or 25 hours, as it should be),
// and each sale or refund is put on its store-local day the same way.
// libpqxx 6 has no parameterised cursor, so the few values are quoted by
// the connection (tx.quote) into the DECLARE; all come from the server, not
// from the request text (days is an int, the store id the principal's).
#include "db/reorder.hpp"

#include <pqxx/pqxx>

#include "db/errors.hpp"
#include "db/pool.hpp"

namespace salespider::db {
namespace {

constexpr int kFetchRows = 5000;

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
         "   SELECT l.product_id, (s.occurred_at AT TIME ZONE b.tz)::date AS day, sum(l.quantity_milli) AS q"
         "   FROM b, sales s JOIN sale_lines l ON l.sale_id = s.id"
         "   WHERE s.store_id = " + store + " AND s.status = 'completed' AND l.product_id IS NOT NULL"
         "     AND s.occurred_at >= b.lo AND s.occurred_at < b.hi"
         "   GROUP BY 1, 2"
         "   UNION ALL"
         "   SELECT l.product_id, (r.occurred_at AT TIME ZONE b.tz)::date, -sum(rl.quantity_milli)"
         "   FROM b, refunds r JOIN refund_lines rl ON rl.refund_id = r.id JOIN sale_lines l ON l.id = rl.sale_line_id"
         "   WHERE r.store_id = " + store + " AND l.product_id IS NOT NULL"
         "     AND r.occurred_at >= b.lo AND r.occurred_at < b.hi"
         "   GROUP BY 1, 2),"
         " per_day AS (SELECT product_id, day, sum(q)::bigint AS q FROM moved GROUP BY 1, 2)"
         " SELECT p.id::text, p.name, coalesce(p.sku, ''), p.unit = 'weighed', coalesce(lv.on_hand_milli, 0),"
         "   d.day - b.first_day, d.q"
         " FROM b, products p LEFT JOIN stock_levels lv ON lv.product_id = p.id"
         "   LEFT JOIN per_day d ON d.product_id = p.id"
         " WHERE p.store_id = " + store + " AND p.is_active AND p.deleted_at IS NULL AND p.track_stock"
         "   AND (d.product_id IS NOT NULL OR coalesce(lv.on_hand_milli, 0) <> 0)"
         " ORDER BY p.id, d.day";
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
    tx.exec(demand_query(tx, store_id, now_ms, days));
    ProductDemand current;
    auto flush = [&] {
      if (!current.id.empty()) {
        handed_over = true;
        each(w, std::move(current));
      }
      current = ProductDemand{};
    };
    for (;;) {
      const auto rows = tx.exec("FETCH FORWARD " + std::to_string(kFetchRows) + " FROM reorder_demand");
      for (const auto& r : rows) {
        const auto id = r[0].as<std::string>();
        if (id != current.id) {
          flush();
          current.id = id;
          current.name = r[1].as<std::string>();
          current.sku = r[2].as<std::string>();
          current.weighed = r[3].as<bool>();
          current.on_hand_milli = r[4].as<std::int64_t>();
          current.sold_milli.assign(static_cast<std::size_t>(days), 0);
        }
        if (r[5].is_null()) continue;  // stock on hand, no sale in the window
        const auto day = r[5].as<int>();
        if (day >= 0 && day < days) current.sold_milli[static_cast<std::size_t>(day)] = r[6].as<std::int64_t>();
      }
      if (rows.size() < static_cast<std::size_t>(kFetchRows)) break;
    }
    flush();
    tx.exec("CLOSE reorder_demand");
    return w;
  });
}

}  // namespace salespider::db
