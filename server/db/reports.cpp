// See reports.hpp. The refresh recomputes whole days (delete + insert ...
// select grouped) rather than adding deltas: a day's rows are then always a
// pure function of the base tables, whatever order sales, refunds and voids
// arrived in, and a bug is fixed by dropping the rows.
#include "db/reports.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db::reports {
namespace {

// pg_advisory_xact_lock(kLockClass, hashtext(store)): one refresh per store.
constexpr int kLockClass = 0x5e9017;

// The local day of a timestamptz column, in the zone $2.
std::string day_of(const std::string& column) { return "(" + column + " AT TIME ZONE $2)::date"; }

// The store-local days with a sale, refund or void that the snapshot $4 did
// not see, among rows recorded since $3 ($1 store, $2 zone).
const std::string kDirtyDays =
    "SELECT d::text FROM ("
    "  SELECT " + day_of("s.occurred_at") + " AS d FROM sales s"
    "   WHERE s.store_id = $1::uuid AND s.recorded_at >= $3::timestamptz"
    "     AND NOT pg_visible_in_snapshot(report_xid8(s.xmin), $4::pg_snapshot)"
    "  UNION SELECT " + day_of("r.occurred_at") + " FROM refunds r"
    "   WHERE r.store_id = $1::uuid AND r.recorded_at >= $3::timestamptz"
    "     AND NOT pg_visible_in_snapshot(report_xid8(r.xmin), $4::pg_snapshot)"
    "  UNION SELECT " + day_of("a.occurred_at") + " FROM applied_ops a"
    "   WHERE a.store_id = $1::uuid AND a.kind = 'void' AND a.status = 'applied'"
    "     AND a.received_at >= $3::timestamptz"
    "     AND NOT pg_visible_in_snapshot(report_xid8(a.xmin), $4::pg_snapshot)"
    ") t ORDER BY 1";

// Every local day with anything to count ($1 store, $2 zone).
const std::string kAllDays =
    "SELECT d::text FROM ("
    "  SELECT " + day_of("s.occurred_at") + " AS d FROM sales s WHERE s.store_id = $1::uuid"
    "  UNION SELECT " + day_of("r.occurred_at") + " FROM refunds r WHERE r.store_id = $1::uuid"
    "  UNION SELECT " + day_of("a.occurred_at") + " FROM applied_ops a"
    "   WHERE a.store_id = $1::uuid AND a.kind = 'void' AND a.status = 'applied'"
    ") t ORDER BY 1";

// A refresh of more days than this analyzes the summary tables.
constexpr std::size_t kAnalyzeAfterDays = 60;

const char* const kTables[] = {"report_days",         "report_day_hours", "report_day_tenders",
                               "report_day_cashiers", "report_day_tills", "report_day_products"};

// Rows of a timestamptz column falling on one of the days $2 (date[]) in the
// zone $3: a range per day, so the (store_id, occurred_at) indexes serve it.
std::string on_days(const std::string& alias, const std::string& column) {
  return " FROM unnest($2::date[]) dd(day) JOIN " + alias + " ON " + column + " >= (dd.day::timestamp AT TIME ZONE $3)" +
         " AND " + column + " < ((dd.day + 1)::timestamp AT TIME ZONE $3)";
}

std::string array_literal(const std::vector<std::string>& days) {
  std::string out = "{";
  for (std::size_t i = 0; i < days.size(); ++i) out += (i ? "," : "") + days[i];
  return out + "}";
}

// Recomputes `days` ($2) of store $1 in zone $3 from the base tables.
void recompute(pqxx::work& tx, const std::string& store, const std::string& zone, const std::vector<std::string>& days) {
  const auto arr = array_literal(days);
  for (const char* t : kTables)
    tx.exec_params0(std::string("DELETE FROM ") + t + " WHERE store_id = $1::uuid AND day = ANY($2::date[])", store,
                    arr);
  tx.exec_params0("CREATE TEMP TABLE rs ON COMMIT DROP AS"
                  " SELECT s.id, s.user_id, s.till_id, s.total_minor, s.tax_minor, s.discount_minor, s.change_minor,"
                  "        s.occurred_at AT TIME ZONE $3 AS lt" +
                      on_days("sales s", "s.occurred_at") +
                      " WHERE s.store_id = $1::uuid AND s.status = 'completed'",
                  store, arr, zone);
  tx.exec0("CREATE TEMP TABLE rl ON COMMIT DROP AS"
           " SELECT rs.lt::date AS day, l.product_id, l.quantity_milli, l.total_minor, l.tax_minor"
           "   FROM rs JOIN sale_lines l ON l.sale_id = rs.id");
  tx.exec_params0(
      "INSERT INTO report_days (store_id, day, revenue_minor, tax_minor, discount_minor, refunds_minor, refund_count,"
      "                         sale_count, void_count, items_milli)"
      " SELECT $1::uuid, dd.day, coalesce(s.revenue, 0), coalesce(s.tax, 0), coalesce(s.discounts, 0),"
      "        coalesce(r.amount, 0), coalesce(r.n, 0), coalesce(s.n, 0), coalesce(v.n, 0), coalesce(i.milli, 0)"
      "   FROM unnest($2::date[]) dd(day)"
      "   LEFT JOIN (SELECT lt::date AS day, sum(total_minor) AS revenue, sum(tax_minor) AS tax,"
      "                     sum(discount_minor) AS discounts, count(*) AS n FROM rs GROUP BY 1) s USING (day)"
      "   LEFT JOIN (SELECT day, sum(quantity_milli) AS milli FROM rl GROUP BY 1) i USING (day)"
      "   LEFT JOIN (SELECT dd.day, sum(r.total_minor) AS amount, count(*) AS n" +
          on_days("refunds r", "r.occurred_at") +
          " WHERE r.store_id = $1::uuid GROUP BY 1) r USING (day)"
          "   LEFT JOIN (SELECT dd.day, count(*) AS n" +
          on_days("applied_ops a", "a.occurred_at") +
          " WHERE a.store_id = $1::uuid AND a.kind = 'void' AND a.status = 'applied' GROUP BY 1) v USING (day)",
      store, arr, zone);
  tx.exec_params0("INSERT INTO report_day_hours (store_id, day, hour, revenue_minor, sale_count)"
                  " SELECT $1::uuid, lt::date, extract(hour FROM lt)::smallint, sum(total_minor), count(*)"
                  "   FROM rs GROUP BY 2, 3",
                  store);
  // What each tender took: cash net of the change handed back.
  tx.exec_params0("INSERT INTO report_day_tenders (store_id, day, tender, amount_minor)"
                  " SELECT $1::uuid, day, tender, sum(amount) FROM ("
                  "   SELECT rs.lt::date AS day, p.tender, p.amount_minor AS amount"
                  "     FROM rs JOIN payments p ON p.sale_id = rs.id"
                  "   UNION ALL SELECT rs.lt::date, 'cash', -rs.change_minor FROM rs WHERE rs.change_minor <> 0"
                  " ) t GROUP BY 2, 3",
                  store);
  tx.exec_params0("INSERT INTO report_day_cashiers (store_id, day, user_id, revenue_minor, sale_count)"
                  " SELECT $1::uuid, lt::date, user_id, sum(total_minor), count(*) FROM rs GROUP BY 2, 3",
                  store);
  tx.exec_params0("INSERT INTO report_day_tills (store_id, day, till_id, revenue_minor, sale_count)"
                  " SELECT $1::uuid, lt::date, till_id, sum(total_minor), count(*) FROM rs GROUP BY 2, 3",
                  store);
  tx.exec_params0("INSERT INTO report_day_products (store_id, day, product_id, quantity_milli, revenue_minor, net_minor)"
                  " SELECT $1::uuid, day, product_id, sum(quantity_milli), sum(total_minor),"
                  "        sum(total_minor - tax_minor) FROM rl GROUP BY 2, 3",
                  store);
  tx.exec0("DROP TABLE rs, rl");
}

std::vector<std::string> texts(const pqxx::result& r) {
  std::vector<std::string> out;
  out.reserve(r.size());
  for (const auto& row : r) out.push_back(row[0].as<std::string>());
  return out;
}

template <class Tx>
std::string zone_of(Tx& tx, const std::string& store) {
  return tx.exec_params1("SELECT time_zone FROM settings WHERE store_id = $1::uuid", store)[0].template as<std::string>();
}

std::int64_t i64(const pqxx::field& f) { return f.is_null() ? 0 : f.as<std::int64_t>(); }
std::optional<std::int64_t> opt64(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<std::int64_t>(f.as<std::int64_t>());
}

// The range's time bounds in the zone: [$2 00:00, $3 + 1 day 00:00).
const std::string kRangeBounds = " >= ($2::date::timestamp AT TIME ZONE $4) AND {c} < (($3::date + 1)::timestamp AT TIME ZONE $4)";
std::string in_range(const std::string& column) {
  auto s = kRangeBounds;
  s.replace(s.find("{c}"), 3, column);
  return column + s;
}


// The whole dashboard in ONE statement (one round trip, one snapshot) for
// store $1, period [$2, $3] and the previous period [$4, $2 - 1]: each
// summary table's rows of both periods are read ONCE (the products' rows,
// the big ones with days x products, into one aggregate per product that
// the figures, categories, top and slow products all slice). Rows come back
// as (kind, ord, id, label, v1..v7), sorted by kind then ord.
const std::string kDashboard = R"SQL(
WITH d AS MATERIALIZED (
  SELECT day, revenue_minor, tax_minor, discount_minor, refunds_minor, sale_count, items_milli, void_count
    FROM report_days WHERE store_id = $1::uuid AND day BETWEEN $4::date AND $3::date),
x AS MATERIALIZED (
  SELECT product_id,
         sum(quantity_milli) FILTER (WHERE day >= $2::date) AS q,
         sum(revenue_minor) FILTER (WHERE day >= $2::date) AS rev,
         sum(net_minor) FILTER (WHERE day >= $2::date) AS net,
         sum(quantity_milli) FILTER (WHERE day < $2::date) AS pq,
         sum(revenue_minor) FILTER (WHERE day < $2::date) AS prev,
         sum(net_minor) FILTER (WHERE day < $2::date) AS pnet
    FROM report_day_products WHERE store_id = $1::uuid AND day BETWEEN $4::date AND $3::date
   GROUP BY product_id),
xp AS MATERIALIZED (
  SELECT x.*, p.name, p.cost_minor, p.category_id FROM x LEFT JOIN products p ON p.id = x.product_id)
SELECT 'a_days' AS kind, 0 AS ord, NULL::text AS id, NULL::text AS label,
       sum(revenue_minor) FILTER (WHERE day >= $2::date)::numeric AS v1,
       sum(tax_minor) FILTER (WHERE day >= $2::date)::numeric AS v2,
       sum(discount_minor) FILTER (WHERE day >= $2::date)::numeric AS v3,
       sum(refunds_minor) FILTER (WHERE day >= $2::date)::numeric AS v4,
       sum(sale_count) FILTER (WHERE day >= $2::date)::numeric AS v5,
       sum(items_milli) FILTER (WHERE day >= $2::date)::numeric AS v6,
       sum(void_count) FILTER (WHERE day >= $2::date)::numeric AS v7
  FROM d
UNION ALL
SELECT 'a_days', 1, NULL, NULL,
       sum(revenue_minor) FILTER (WHERE day < $2::date), sum(tax_minor) FILTER (WHERE day < $2::date),
       sum(discount_minor) FILTER (WHERE day < $2::date), sum(refunds_minor) FILTER (WHERE day < $2::date),
       sum(sale_count) FILTER (WHERE day < $2::date), sum(items_milli) FILTER (WHERE day < $2::date),
       sum(void_count) FILTER (WHERE day < $2::date)
  FROM d
UNION ALL
SELECT 'b_products', 0, NULL, NULL,
       round(sum(q::numeric * cost_minor) / 1000), sum(net) FILTER (WHERE cost_minor IS NOT NULL),
       coalesce(sum(rev) FILTER (WHERE cost_minor IS NOT NULL), 0), coalesce(sum(rev), 0), NULL, NULL, NULL
  FROM xp
UNION ALL
SELECT 'b_products', 1, NULL, NULL,
       round(sum(pq::numeric * cost_minor) / 1000), sum(pnet) FILTER (WHERE cost_minor IS NOT NULL),
       coalesce(sum(prev) FILTER (WHERE cost_minor IS NOT NULL), 0), coalesce(sum(prev), 0), NULL, NULL, NULL
  FROM xp
UNION ALL
SELECT 'c_day', (g.day::date - $2::date), NULL, g.day::date::text,
       coalesce(d.revenue_minor, 0), coalesce(d.sale_count, 0), coalesce(d.refunds_minor, 0), NULL, NULL, NULL, NULL
  FROM generate_series($2::date, $3::date, interval '1 day') g(day) LEFT JOIN d ON d.day = g.day::date
UNION ALL
SELECT 'd_hour', g.h, NULL, NULL, coalesce(sum(x.revenue_minor), 0), coalesce(sum(x.sale_count), 0),
       NULL, NULL, NULL, NULL, NULL
  FROM generate_series(0, 23) g(h) LEFT JOIN report_day_hours x
    ON x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date AND x.hour = g.h
 GROUP BY g.h
UNION ALL
SELECT 'e_tender', row_number() OVER (ORDER BY sum(amount_minor) DESC, tender)::int, NULL, tender,
       sum(amount_minor), NULL, NULL, NULL, NULL, NULL, NULL
  FROM report_day_tenders WHERE store_id = $1::uuid AND day BETWEEN $2::date AND $3::date GROUP BY tender
UNION ALL
SELECT 'f_cashier', row_number() OVER (ORDER BY sum(x.revenue_minor) DESC, u.display_name, x.user_id::text)::int,
       x.user_id::text, u.display_name, sum(x.revenue_minor), sum(x.sale_count), NULL, NULL, NULL, NULL, NULL
  FROM report_day_cashiers x JOIN users u ON u.id = x.user_id
 WHERE x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date
 GROUP BY x.user_id, u.display_name
UNION ALL
SELECT 'g_till', row_number() OVER (ORDER BY sum(x.revenue_minor) DESC, t.code, x.till_id::text)::int,
       x.till_id::text, t.code, sum(x.revenue_minor), sum(x.sale_count), NULL, NULL, NULL, NULL, NULL
  FROM report_day_tills x JOIN tills t ON t.id = x.till_id
 WHERE x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date
 GROUP BY x.till_id, t.code
UNION ALL
SELECT 'h_category', row_number() OVER (ORDER BY sum(xp.rev) DESC, coalesce(c.name, ''), c.id::text)::int,
       c.id::text, coalesce(c.name, ''), sum(xp.rev), NULL, NULL, NULL, NULL, NULL, NULL
  FROM xp LEFT JOIN categories c ON c.id = xp.category_id
 WHERE xp.rev IS NOT NULL
 GROUP BY c.id, c.name
UNION ALL
(SELECT 'i_top', row_number() OVER (ORDER BY rev DESC, q DESC, name, product_id::text)::int,
        product_id::text, name, q, rev, NULL, NULL, NULL, NULL, NULL
   FROM xp WHERE product_id IS NOT NULL AND rev IS NOT NULL
  ORDER BY 2 LIMIT 10)
UNION ALL
(SELECT 'j_slow', row_number() OVER (ORDER BY coalesce(xp.q, 0), coalesce(xp.rev, 0), lower(p.name), p.id::text)::int,
        p.id::text, p.name, coalesce(xp.q, 0), coalesce(xp.rev, 0), l.on_hand_milli, NULL, NULL, NULL, NULL
   FROM products p JOIN stock_levels l ON l.product_id = p.id LEFT JOIN xp ON xp.product_id = p.id
  WHERE p.store_id = $1::uuid AND p.is_active AND p.deleted_at IS NULL AND l.on_hand_milli > 0
  ORDER BY 2 LIMIT 10)
ORDER BY 1, 2
)SQL";
}  // namespace

StoreClock store_clock(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    const auto r = tx.exec_params1(
        "SELECT s.time_zone, st.currency, (now() AT TIME ZONE s.time_zone)::date::text"
        "  FROM settings s JOIN stores st ON st.id = s.store_id WHERE s.store_id = $1::uuid",
        store_id);
    return StoreClock{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()};
  });
}

RefreshStats refresh(Pool& pool, const std::string& store_id) {
  return pool.with_connection([&](pqxx::connection& c) {
    // A look without the lock first: most requests find nothing to do.
    {
      pqxx::read_transaction tx(c);
      const auto zone = zone_of(tx, store_id);
      const auto st = tx.exec_params(
          "SELECT time_zone, seen::text, seen_at::text FROM report_state WHERE store_id = $1::uuid", store_id);
      if (!st.empty() && st[0][0].as<std::string>() == zone &&
          tx.exec_params(kDirtyDays + " LIMIT 1", store_id, zone, st[0][2].as<std::string>(), st[0][1].as<std::string>())
              .empty())
        return RefreshStats{};
    }
    pqxx::work tx(c);
    tx.exec_params("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", kLockClass, store_id);
    const auto zone = zone_of(tx, store_id);
    // What this refresh sees at least: the next one looks again at every row
    // this snapshot did not see (a late commit included), among the rows
    // recorded since the oldest transaction then open began (recorded_at is
    // its now()). Our own transaction is one of them, so never NULL.
    const auto now = tx.exec1(
        "SELECT pg_current_snapshot()::text, (min(xact_start) - make_interval(secs => " +
        std::to_string(kRescanMarginSeconds) +
        "))::text FROM pg_stat_activity WHERE datname = current_database() AND xact_start IS NOT NULL");
    const auto st = tx.exec_params(
        "SELECT time_zone, seen::text, seen_at::text FROM report_state WHERE store_id = $1::uuid", store_id);
    RefreshStats stats;
    std::vector<std::string> days;
    if (st.empty() || st[0][0].as<std::string>() != zone) {
      stats.rebuilt = true;
      for (const char* t : kTables) tx.exec_params0(std::string("DELETE FROM ") + t + " WHERE store_id = $1::uuid", store_id);
      days = texts(tx.exec_params(kAllDays, store_id, zone));
    } else {
      days = texts(tx.exec_params(kDirtyDays, store_id, zone, st[0][2].as<std::string>(), st[0][1].as<std::string>()));
    }
    if (!days.empty()) recompute(tx, store_id, zone, days);
    // Many new rows (a rebuild, a long absence): fresh statistics now, in this
    // transaction (ANALYZE counts its own inserts), rather than plans from
    // empty-table estimates until autovacuum's next turn.
    if (days.size() > kAnalyzeAfterDays)
      for (const char* t : kTables) tx.exec0(std::string("ANALYZE ") + t);
    tx.exec_params0(
        "INSERT INTO report_state (store_id, time_zone, seen, seen_at)"
        " VALUES ($1::uuid, $2, $3::pg_snapshot, $4::timestamptz)"
        " ON CONFLICT (store_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, seen = EXCLUDED.seen,"
        "   seen_at = EXCLUDED.seen_at",
        store_id, zone, now[0].as<std::string>(), now[1].as<std::string>());
    tx.commit();
    stats.days = days.size();
    return stats;
  });
}

DashboardRows dashboard(Pool& pool, const std::string& store_id, const std::string& from, const std::string& to,
                        const std::string& previous_from, const std::string& previous_to) {
  (void)previous_to;  // always the day before `from` (service/reports.cpp): `day < from` is the previous period
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
    DashboardRows out;
    auto& b = out.breakdowns;
    for (const auto& r : tx.exec_params(kDashboard, store_id, from, to, previous_from)) {
      const auto kind = r[0].as<std::string>();
      const int ord = r[1].as<int>();
      auto id = [&] { return r[2].as<std::string>(); };
      auto label = [&] { return r[3].as<std::string>(); };
      auto v = [&](int i) { return i64(r[3 + i]); };
      if (kind == "a_days") {
        auto& f = ord == 0 ? out.current : out.previous;
        f.revenue = v(1), f.tax = v(2), f.discounts = v(3), f.refunds = v(4), f.sales = v(5), f.items_milli = v(6),
        f.voids = v(7);
      } else if (kind == "b_products") {
        auto& f = ord == 0 ? out.current : out.previous;
        f.cost = opt64(r[4]);
        f.known_net = opt64(r[5]);
        f.known_revenue = v(3);
        f.line_revenue = v(4);
      } else if (kind == "c_day") {
        b.by_day.push_back({label(), v(1), v(2), v(3)});
      } else if (kind == "d_hour") {
        b.by_hour.push_back({ord, v(1), v(2)});
      } else if (kind == "e_tender") {
        b.by_tender.push_back({label(), v(1)});
      } else if (kind == "f_cashier") {
        b.by_cashier.push_back({id(), label(), v(1), v(2)});
      } else if (kind == "g_till") {
        b.by_till.push_back({id(), label(), v(1), v(2)});
      } else if (kind == "h_category") {
        b.by_category.push_back(
            {r[2].is_null() ? std::nullopt : std::optional<std::string>(id()), label(), v(1)});
      } else if (kind == "i_top") {
        b.top_products.push_back({id(), label(), v(1), v(2), 0});
      } else if (kind == "j_slow") {
        b.slow_products.push_back({id(), label(), v(1), v(2), v(3)});
      }
    }
    return out;
  });
}

Figures figures_from_base_tables(Pool& pool, const std::string& store_id, const std::string& from,
                                 const std::string& to) {
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
    const auto zone = zone_of(tx, store_id);
    const auto s = tx.exec_params1(
        "SELECT sum(total_minor), sum(tax_minor), sum(discount_minor), count(*) FROM sales"
        " WHERE store_id = $1::uuid AND status = 'completed' AND " + in_range("occurred_at"),
        store_id, from, to, zone);
    const auto l = tx.exec_params1(
        "SELECT sum(l.quantity_milli), round(sum(l.quantity_milli::numeric * p.cost_minor) / 1000),"
        "       sum(l.total_minor - l.tax_minor) FILTER (WHERE p.cost_minor IS NOT NULL),"
        "       coalesce(sum(l.total_minor) FILTER (WHERE p.cost_minor IS NOT NULL), 0), coalesce(sum(l.total_minor), 0)"
        "  FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.id = l.product_id"
        " WHERE s.store_id = $1::uuid AND s.status = 'completed' AND " + in_range("s.occurred_at"),
        store_id, from, to, zone);
    const auto r = tx.exec_params1(
        "SELECT sum(total_minor) FROM refunds WHERE store_id = $1::uuid AND " + in_range("occurred_at"), store_id, from,
        to, zone);
    const auto v = tx.exec_params1("SELECT count(*) FROM applied_ops WHERE store_id = $1::uuid AND kind = 'void'"
                                   " AND status = 'applied' AND " + in_range("occurred_at"),
                                   store_id, from, to, zone);
    Figures f;
    f.revenue = i64(s[0]);
    f.tax = i64(s[1]);
    f.discounts = i64(s[2]);
    f.sales = i64(s[3]);
    f.items_milli = i64(l[0]);
    f.cost = opt64(l[1]);
    f.known_net = opt64(l[2]);
    f.known_revenue = i64(l[3]);
    f.line_revenue = i64(l[4]);
    f.refunds = i64(r[0]);
    f.voids = i64(v[0]);
    return f;
  });
}

}  // namespace salespider::db::reports
