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

// Sums of store $1 over days [$2, $3] from the summary tables.
template <class Tx>
Figures summed(Tx& tx, const std::string& store, const std::string& from, const std::string& to) {
  const auto d = tx.exec_params1(
      "SELECT sum(revenue_minor), sum(tax_minor), sum(discount_minor), sum(refunds_minor), sum(sale_count),"
      "       sum(items_milli), sum(void_count)"
      "  FROM report_days WHERE store_id = $1::uuid AND day BETWEEN $2::date AND $3::date",
      store, from, to);
  const auto p = tx.exec_params1(
      "SELECT round(sum(x.quantity_milli::numeric * p.cost_minor) / 1000),"
      "       sum(x.net_minor) FILTER (WHERE p.cost_minor IS NOT NULL),"
      "       coalesce(sum(x.revenue_minor) FILTER (WHERE p.cost_minor IS NOT NULL), 0),"
      "       coalesce(sum(x.revenue_minor), 0)"
      "  FROM report_day_products x LEFT JOIN products p ON p.id = x.product_id"
      " WHERE x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date",
      store, from, to);
  Figures f;
  f.revenue = i64(d[0]);
  f.tax = i64(d[1]);
  f.discounts = i64(d[2]);
  f.refunds = i64(d[3]);
  f.sales = i64(d[4]);
  f.items_milli = i64(d[5]);
  f.voids = i64(d[6]);
  f.cost = opt64(p[0]);
  f.known_net = opt64(p[1]);
  f.known_revenue = i64(p[2]);
  f.line_revenue = i64(p[3]);
  return f;
}

// The range's time bounds in the zone: [$2 00:00, $3 + 1 day 00:00).
const std::string kRangeBounds = " >= ($2::date::timestamp AT TIME ZONE $4) AND {c} < (($3::date + 1)::timestamp AT TIME ZONE $4)";
std::string in_range(const std::string& column) {
  auto s = kRangeBounds;
  s.replace(s.find("{c}"), 3, column);
  return column + s;
}

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
          "SELECT time_zone, seen::text, (seen_at - make_interval(mins => $2))::text FROM report_state"
          " WHERE store_id = $1::uuid",
          store_id, kRescanWindowMinutes);
      if (!st.empty() && st[0][0].as<std::string>() == zone &&
          tx.exec_params(kDirtyDays + " LIMIT 1", store_id, zone, st[0][2].as<std::string>(), st[0][1].as<std::string>())
              .empty())
        return RefreshStats{};
    }
    pqxx::work tx(c);
    tx.exec_params("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", kLockClass, store_id);
    const auto zone = zone_of(tx, store_id);
    // What this refresh sees at least: the next one looks again at every row
    // this snapshot did not see (a late commit included).
    const auto now = tx.exec1("SELECT pg_current_snapshot()::text, now()::text");
    const auto st = tx.exec_params(
        "SELECT time_zone, seen::text, (seen_at - make_interval(mins => $2))::text FROM report_state"
        " WHERE store_id = $1::uuid",
        store_id, kRescanWindowMinutes);
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
  return pool.with_connection([&](pqxx::connection& c) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);
    DashboardRows out;
    out.current = summed(tx, store_id, from, to);
    out.previous = summed(tx, store_id, previous_from, previous_to);
    auto& b = out.breakdowns;
    for (const auto& r : tx.exec_params(
             "SELECT g.day::date::text, coalesce(d.revenue_minor, 0), coalesce(d.sale_count, 0),"
             "       coalesce(d.refunds_minor, 0)"
             "  FROM generate_series($2::date, $3::date, interval '1 day') g(day)"
             "  LEFT JOIN report_days d ON d.store_id = $1::uuid AND d.day = g.day::date ORDER BY 1",
             store_id, from, to))
      b.by_day.push_back({r[0].as<std::string>(), i64(r[1]), i64(r[2]), i64(r[3])});
    for (const auto& r : tx.exec_params(
             "SELECT g.h, coalesce(sum(x.revenue_minor), 0), coalesce(sum(x.sale_count), 0)"
             "  FROM generate_series(0, 23) g(h) LEFT JOIN report_day_hours x"
             "    ON x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date AND x.hour = g.h"
             " GROUP BY g.h ORDER BY g.h",
             store_id, from, to))
      b.by_hour.push_back({r[0].as<int>(), i64(r[1]), i64(r[2])});
    for (const auto& r : tx.exec_params(
             "SELECT tender, sum(amount_minor) FROM report_day_tenders"
             " WHERE store_id = $1::uuid AND day BETWEEN $2::date AND $3::date GROUP BY 1 ORDER BY 2 DESC, 1",
             store_id, from, to))
      b.by_tender.push_back({r[0].as<std::string>(), i64(r[1])});
    for (const auto& r : tx.exec_params(
             "SELECT x.user_id::text, u.display_name, sum(x.revenue_minor), sum(x.sale_count)"
             "  FROM report_day_cashiers x JOIN users u ON u.id = x.user_id"
             " WHERE x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date"
             " GROUP BY 1, 2 ORDER BY 3 DESC, 2, 1",
             store_id, from, to))
      b.by_cashier.push_back({r[0].as<std::string>(), r[1].as<std::string>(), i64(r[2]), i64(r[3])});
    for (const auto& r : tx.exec_params(
             "SELECT x.till_id::text, t.code, sum(x.revenue_minor), sum(x.sale_count)"
             "  FROM report_day_tills x JOIN tills t ON t.id = x.till_id"
             " WHERE x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date"
             " GROUP BY 1, 2 ORDER BY 3 DESC, 2, 1",
             store_id, from, to))
      b.by_till.push_back({r[0].as<std::string>(), r[1].as<std::string>(), i64(r[2]), i64(r[3])});
    for (const auto& r : tx.exec_params(
             "SELECT c.id::text, coalesce(c.name, ''), sum(x.revenue_minor)"
             "  FROM report_day_products x LEFT JOIN products p ON p.id = x.product_id"
             "  LEFT JOIN categories c ON c.id = p.category_id"
             " WHERE x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date"
             " GROUP BY 1, 2 ORDER BY 3 DESC, 2, 1",
             store_id, from, to))
      b.by_category.push_back(
          {r[0].is_null() ? std::nullopt : std::optional<std::string>(r[0].as<std::string>()), r[1].as<std::string>(),
           i64(r[2])});
    for (const auto& r : tx.exec_params(
             "SELECT x.product_id::text, p.name, sum(x.quantity_milli), sum(x.revenue_minor)"
             "  FROM report_day_products x JOIN products p ON p.id = x.product_id"
             " WHERE x.store_id = $1::uuid AND x.day BETWEEN $2::date AND $3::date"
             " GROUP BY 1, 2 ORDER BY 4 DESC, 3 DESC, 2, 1 LIMIT 10",
             store_id, from, to))
      b.top_products.push_back({r[0].as<std::string>(), r[1].as<std::string>(), i64(r[2]), i64(r[3]), 0});
    for (const auto& r : tx.exec_params(
             "SELECT p.id::text, p.name, coalesce(x.q, 0), coalesce(x.rev, 0), l.on_hand_milli"
             "  FROM products p JOIN stock_levels l ON l.product_id = p.id"
             "  LEFT JOIN (SELECT product_id, sum(quantity_milli) AS q, sum(revenue_minor) AS rev"
             "               FROM report_day_products WHERE store_id = $1::uuid AND day BETWEEN $2::date AND $3::date"
             "              GROUP BY 1) x ON x.product_id = p.id"
             " WHERE p.store_id = $1::uuid AND p.is_active AND p.deleted_at IS NULL AND l.on_hand_milli > 0"
             " ORDER BY 3, 4, lower(p.name), 1 LIMIT 10",
             store_id, from, to))
      b.slow_products.push_back({r[0].as<std::string>(), r[1].as<std::string>(), i64(r[2]), i64(r[3]), i64(r[4])});
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
