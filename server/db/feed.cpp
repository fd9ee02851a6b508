// See feed.hpp.
#include "db/feed.hpp"

#include <pqxx/pqxx>

#include "db/pool.hpp"

namespace salespider::db {
namespace {

// The page and the cutoff in one statement: `txid < xmin` of the statement's
// own snapshot. Rows are then joined to their current state; a row gone from
// sync_rows (deleted, soft-deleted, user disabled) is a tombstone carrying the
// feed row's version.
constexpr const char* kFeedSql =
    "WITH page AS ("
    "  SELECT f.txid, f.seq, f.entity, f.entity_id, f.row_version"
    "    FROM change_feed f"
    "   WHERE (f.txid, f.seq) > ($3::text::xid8, $4::bigint)"
    "     AND f.txid < pg_snapshot_xmin(pg_current_snapshot())"
    "     AND f.store_id = $1 AND (f.audience_till_id IS NULL OR f.audience_till_id = $2)"
    "   ORDER BY f.txid, f.seq LIMIT $5)"
    " SELECT p.txid::text, p.seq, p.entity, p.entity_id::text,"
    "        coalesce(r.row_version, p.row_version), r.data IS NULL, coalesce(r.data::text, '')"
    "   FROM page p"
    "   LEFT JOIN LATERAL (SELECT s.row_version, s.data FROM sync_rows s"
    "                       WHERE s.entity = p.entity AND s.id = p.entity_id AND s.store_id = $1"
    "                         AND (s.audience_till_id IS NULL OR s.audience_till_id = $2)) r ON true"
    "  ORDER BY p.txid, p.seq";

// Rows still to come after a position, counted up to a cap (progress only).
constexpr const char* kFeedRemainingSql =
    "SELECT count(*) FROM (SELECT 1 FROM change_feed f"
    "   WHERE (f.txid, f.seq) > ($3::text::xid8, $4::bigint)"
    "     AND f.txid < pg_snapshot_xmin(pg_current_snapshot())"
    "     AND f.store_id = $1 AND (f.audience_till_id IS NULL OR f.audience_till_id = $2)"
    "   LIMIT 1000000) x";

constexpr const char* kBootstrapSql =
    "SELECT s.id::text, s.row_version, s.data::text FROM sync_rows s"
    " WHERE s.entity = $1 AND s.store_id = $2 AND (s.audience_till_id IS NULL OR s.audience_till_id = $3)"
    "   AND s.id > $4::uuid"
    " ORDER BY s.id LIMIT $5";

constexpr const char* kBootstrapCountSql =
    "SELECT count(*) FROM sync_rows s"
    " WHERE s.entity = $1 AND s.store_id = $2 AND (s.audience_till_id IS NULL OR s.audience_till_id = $3)"
    "   AND s.id > $4::uuid";

constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";

using ReadOnlySnapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

void prepare(pqxx::connection_base& c) {
  c.prepare("feed_page", kFeedSql);
  c.prepare("feed_remaining", kFeedRemainingSql);
  c.prepare("feed_bootstrap", kBootstrapSql);
  c.prepare("feed_bootstrap_count", kBootstrapCountSql);
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
    page.rows.reserve(r.size());
    for (const auto& row : r) {
      SyncRow s;
      s.entity = row[2].as<std::string>();
      s.id = row[3].as<std::string>();
      s.row_version = row[4].as<std::int64_t>();
      s.deleted = row[5].as<bool>();
      s.data = row[6].as<std::string>();
      s.seq = row[1].as<std::int64_t>();
      page.rows.push_back(std::move(s));
      page.last = FeedPosition{row[0].as<std::uint64_t>(), row[1].as<std::int64_t>()};
    }
    page.remaining = tx.exec_prepared1("feed_remaining", store_id, till_id, std::to_string(page.last.txid),
                                       page.last.seq)[0]
                         .as<std::int64_t>();
    tx.commit();
    return page;
  });
}

const std::vector<std::string>& bootstrap_entities() {
  static const std::vector<std::string> order = {"settings", "tax_rate", "category", "product",
                                                 "stock_level", "user", "till",
                                                 "revoked_grant"};
  return order;
}

BootstrapPage read_bootstrap(Pool& pool, const std::string& store_id, const std::string& till_id,
                             std::uint64_t cutoff_txid, std::size_t entity_index, const std::string& after_id,
                             int limit) {
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
    const auto& entities = bootstrap_entities();
    std::size_t e = entity_index;
    std::string after = after_id.empty() ? kNilUuid : after_id;
    while (e < entities.size() && static_cast<int>(page.rows.size()) < limit) {
      const int room = limit - static_cast<int>(page.rows.size());
      const auto r = tx.exec_prepared("feed_bootstrap", entities[e], store_id, till_id, after, room);
      for (const auto& row : r) {
        page.rows.push_back(SyncRow{entities[e], row[0].as<std::string>(), row[1].as<std::int64_t>(), false,
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
    if (!page.done) {
      page.remaining = tx.exec_prepared1("feed_bootstrap_count", entities[e], store_id, till_id, after)[0]
                           .as<std::int64_t>();
      for (std::size_t k = e + 1; k < entities.size(); ++k)
        page.remaining += tx.exec_prepared1("feed_bootstrap_count", entities[k], store_id, till_id, kNilUuid)[0]
                              .as<std::int64_t>();
    }
    tx.commit();
    return page;
  });
}

}  // namespace salespider::db
