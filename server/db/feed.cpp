// See feed.hpp.
#include "db/feed.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>

#include "db/pool.hpp"

namespace salespider::db {

namespace {

constexpr Entity kBootstrapOrder[] = {Entity::settings,    Entity::tax_rate, Entity::category, Entity::product,
                                      Entity::stock_level, Entity::user,     Entity::till,     Entity::revoked_grant};

}  // namespace

std::span<const Entity> bootstrap_entities() {
  return kBootstrapOrder;
}

namespace {

// The entity a feed row names, when bootstrap sends that kind to tills.
std::optional<Entity> bootstrap_entity(const std::string& text) {
  auto e = parse_entity(text);
  if (!e) return std::nullopt;
  const auto all = bootstrap_entities();
  if (std::find(all.begin(), all.end(), *e) == all.end()) return std::nullopt;
  return *e;
}

std::string name_of(Entity e) {
  return std::string(to_string(e));
}

// The page and the cutoff in one statement: `txid < xmin` of the statement's
// own snapshot. The rows' current state is read afterwards in the same
// snapshot, one statement per entity (below).
constexpr const char* kFeedSql =
    "SELECT f.txid::text, f.seq, f.entity, f.entity_id::text, f.row_version"
    "  FROM change_feed f"
    " WHERE (f.txid, f.seq) > ($3::text::xid8, $4::bigint)"
    "   AND f.txid < pg_snapshot_xmin(pg_current_snapshot())"
    "   AND f.store_id = $1 AND (f.audience_till_id IS NULL OR f.audience_till_id = $2)"
    " ORDER BY f.txid, f.seq LIMIT $5";

// Rows still to come after a position, counted up to a cap (progress only).
constexpr const char* kFeedRemainingSql =
    "SELECT count(*) FROM (SELECT 1 FROM change_feed f"
    "   WHERE (f.txid, f.seq) > ($3::text::xid8, $4::bigint)"
    "     AND f.txid < pg_snapshot_xmin(pg_current_snapshot())"
    "     AND f.store_id = $1 AND (f.audience_till_id IS NULL OR f.audience_till_id = $2)"
    "   LIMIT 1000000) x";

// Per-entity statements on the sync_rows view. The planner never pushes an
// ORDER BY ... LIMIT through the view's UNION ALL (each branch is a subquery
// scan that builds its JSON before the sort), and with `entity = $1` or a
// join on the feed's entity column it kept every branch: at 100,000 products
// a bootstrap page took 2.5-5 s and a feed page ~8 s, because each built the
// JSON of every product (docs/benchmarks.md). So the rows of a page are
// chosen first, by id, from the entity's own table, and only those are read
// from the view (`s.id = ANY(...)` is pushed into the branch as an index
// lookup). The entity names are part of the statements' text, never a
// parameter: they come from bootstrap_entities(), a fixed list.
std::string entity_filter(Entity entity) {
  return " FROM sync_rows s WHERE s.entity = '" + name_of(entity) +
         "' AND s.store_id = $1 AND (s.audience_till_id IS NULL OR s.audience_till_id = $2)";
}

// The ids of each entity's rows, from its own table: exactly the WHERE of
// its branch of sync_rows (migrations/0003_sync.sql; $1 store, $2 till), so
// keyset paging over these ids pages over the view. A test compares a full
// bootstrap with the view (soak_sync_test.cpp).
struct EntityKeys {
  Entity entity;
  const char* id;     // the column the view calls id
  const char* where;  // FROM ... WHERE ..., with the alias k
};
constexpr EntityKeys kEntityKeys[] = {
    {Entity::settings, "k.store_id", "FROM settings k WHERE k.store_id = $1"},
    {Entity::tax_rate, "k.id", "FROM tax_rates k WHERE k.store_id = $1"},
    {Entity::category, "k.id", "FROM categories k WHERE k.store_id = $1 AND k.deleted_at IS NULL"},
    {Entity::product, "k.id", "FROM products k WHERE k.store_id = $1 AND k.deleted_at IS NULL"},
    {Entity::stock_level, "k.product_id", "FROM stock_levels k WHERE k.store_id = $1"},
    {Entity::user, "k.id", "FROM users k WHERE k.store_id = $1 AND k.status = 'active'"},
    {Entity::till, "k.id", "FROM tills k WHERE k.store_id = $1 AND k.status = 'active' AND k.id = $2"},
    {Entity::revoked_grant, "k.id",
     "FROM offline_grants k WHERE k.store_id = $1 AND k.till_id = $2 AND k.revoked_at IS NOT NULL"
     " AND k.expires_at > now()"},
};

const EntityKeys& keys_of(Entity entity) {
  for (const EntityKeys& k : kEntityKeys)
    if (entity == k.entity) return k;
  throw std::logic_error("feed: no key source for entity " + name_of(entity));
}

std::string bootstrap_statement(Entity entity) {
  return "feed_bootstrap_" + name_of(entity);
}
std::string bootstrap_count_statement(Entity entity) {
  return "feed_bootstrap_count_" + name_of(entity);
}
std::string rows_statement(Entity entity) {
  return "feed_rows_" + name_of(entity);
}

constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";

using ReadOnlySnapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

void prepare(pqxx::connection_base& c) {
  c.prepare("feed_page", kFeedSql);
  c.prepare("feed_remaining", kFeedRemainingSql);
  for (const Entity e : bootstrap_entities()) {
    const EntityKeys& k = keys_of(e);
    const std::string id = k.id;
    c.prepare(bootstrap_statement(e), "SELECT s.id::text, s.row_version, s.data::text" + entity_filter(e) +
                                          " AND s.id = ANY(ARRAY(SELECT " + id + " " + k.where + " AND " + id +
                                          " > $3::uuid ORDER BY " + id + " LIMIT $4)) ORDER BY s.id");
    // Every count takes (store, till, after): $2 is typed even for the
    // entities that do not depend on the till (the till id is never null).
    c.prepare(bootstrap_count_statement(e),
              std::string("SELECT count(*) ") + k.where + " AND " + id + " > $3::uuid AND $2::uuid IS NOT NULL");
    c.prepare(rows_statement(e),
              "SELECT s.id::text, s.row_version, s.data::text" + entity_filter(e) + " AND s.id = ANY($3::uuid[])");
  }
}

}  // namespace

FeedPage read_feed(Pool& pool, const std::string& store_id, const std::string& till_id, FeedPosition after,
                   int limit) {
  return pool.with_connection([&](pqxx::connection& c) {
    prepare(c);
    // One snapshot for the page and the count.
    ReadOnlySnapshot tx(c);
    FeedPage page;
    page.last = after;
    const auto r = tx.exec_prepared("feed_page", store_id, till_id, std::to_string(after.txid), after.seq, limit);
    // The ids each entity's current rows are looked up by, as uuid[] text.
    std::map<std::string, std::string> ids;
    page.rows.reserve(r.size());
    for (const auto& row : r) {
      SyncRow s;
      s.entity = row[2].as<std::string>();
      s.id = row[3].as<std::string>();
      // A row gone from sync_rows (deleted, soft-deleted, user disabled) is
      // a tombstone carrying the feed row's version.
      s.row_version = row[4].as<std::int64_t>();
      s.deleted = true;
      s.seq = row[1].as<std::int64_t>();
      std::string& list = ids[s.entity];
      list += list.empty() ? "{" : ",";
      list += s.id;
      page.rows.push_back(std::move(s));
      page.last = FeedPosition{row[0].as<std::uint64_t>(), row[1].as<std::int64_t>()};
    }
    std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::string>> current;
    for (auto& [entity, list] : ids) {
      const auto kind = bootstrap_entity(entity);
      if (!kind) continue;  // an entity no till is sent: stays a tombstone
      list += "}";
      for (const auto& row : tx.exec_prepared(rows_statement(*kind), store_id, till_id, list))
        current[{entity, row[0].as<std::string>()}] = {row[1].as<std::int64_t>(), row[2].as<std::string>()};
    }
    for (SyncRow& s : page.rows) {
      auto it = current.find({s.entity, s.id});
      if (it == current.end()) continue;
      s.row_version = it->second.first;
      s.data = it->second.second;
      s.deleted = false;
    }
    page.remaining = tx.exec_prepared1("feed_remaining", store_id, till_id, std::to_string(page.last.txid),
                                       page.last.seq)[0]
                         .as<std::int64_t>();
    tx.commit();
    return page;
  });
}


BootstrapPage read_bootstrap(Pool& pool, const std::string& store_id, const std::string& till_id,
                             std::uint64_t cutoff_txid, std::size_t entity_index, const std::string& after_id,
                             std::optional<std::int64_t> remaining_before, int limit) {
  return pool.with_connection([&](pqxx::connection& c) {
    prepare(c);
    ReadOnlySnapshot tx(c);
    BootstrapPage page;
    page.cutoff_txid = cutoff_txid;
    if (page.cutoff_txid == 0) {
      // Everything committed before this xmin is in the snapshot; anything
      // later has a txid >= xmin and comes through the feed afterwards.
      page.cutoff_txid =
          tx.exec1("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")[0].as<std::uint64_t>();
    }
    const auto entities = bootstrap_entities();
    std::size_t e = entity_index;
    std::string after = after_id.empty() ? kNilUuid : after_id;
    while (e < entities.size() && static_cast<int>(page.rows.size()) < limit) {
      const int room = limit - static_cast<int>(page.rows.size());
      const auto r = tx.exec_prepared(bootstrap_statement(entities[e]), store_id, till_id, after, room);
      for (const auto& row : r) {
        page.rows.push_back(SyncRow{name_of(entities[e]), row[0].as<std::string>(), row[1].as<std::int64_t>(), false,
                                    row[2].as<std::string>(), 0});
        after = page.rows.back().id;
      }
      if (static_cast<int>(r.size()) < room) {
        ++e;
        after = kNilUuid;
      }
    }
    page.entity_index = e;
    page.after_id = after == kNilUuid ? std::string() : after;
    page.done = e >= entities.size();
    if (!page.done && remaining_before) {
      page.remaining = std::max<std::int64_t>(0, *remaining_before - static_cast<std::int64_t>(page.rows.size()));
    } else if (!page.done) {
      page.remaining =
          tx.exec_prepared1(bootstrap_count_statement(entities[e]), store_id, till_id, after)[0].as<std::int64_t>();
      for (std::size_t k = e + 1; k < entities.size(); ++k)
        page.remaining += tx.exec_prepared1(bootstrap_count_statement(entities[k]), store_id, till_id, kNilUuid)[0]
                              .as<std::int64_t>();
    }
    tx.commit();
    return page;
  });
}

}  // namespace salespider::db
