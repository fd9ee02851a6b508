// See sync_pull.hpp.
#include "service/sync_pull.hpp"

#include <charconv>
#include <map>
#include <vector>

#include "db/feed.hpp"
#include "db/restore_epoch.hpp"
#include "salespider/shared/ids.hpp"

namespace salespider::service::sync {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto p = text.find(sep, start);
    parts.push_back(text.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) return parts;
    start = p + 1;
  }
}

template <class T>
bool parse_number(const std::string& text, T& out) {
  if (text.empty() || text.size() > 20) return false;
  const auto* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && p == end;
}

struct Cursor {
  bool bootstrap = true;
  db::FeedPosition feed;
  std::uint64_t cutoff = 0;
  std::size_t entity = 0;
  std::string after_id;
  // b2 cursors carry the rows still to send (progress only); b1 ones, from
  // servers before it, make the next page count them again.
  std::optional<std::int64_t> remaining;
};

Result<Cursor> parse_cursor(const std::string& text) {
  Cursor c;
  if (text.empty()) return c;
  const auto bad = make_error(Errc::invalid_value, "cursor: not one this server made; start again with an empty cursor");
  if (text.size() > kMaxCursorBytes) return bad;
  const auto parts = split(text, '.');
  if (parts[0] == "f1" && parts.size() == 3) {
    c.bootstrap = false;
    if (!parse_number(parts[1], c.feed.txid) || !parse_number(parts[2], c.feed.seq) || c.feed.seq < 0) return bad;
    return c;
  }
  const bool b2 = parts[0] == "b2" && parts.size() == 5;
  if ((parts[0] == "b1" && parts.size() == 4) || b2) {
    std::size_t entity = 0;
    if (!parse_number(parts[1], c.cutoff) || c.cutoff == 0 || !parse_number(parts[2], entity) ||
        entity > db::bootstrap_entities().size())
      return bad;
    c.entity = entity;
    if (!parts[3].empty()) {
      auto id = parse_uuid(parts[3]);
      if (!id || id->to_string() != parts[3]) return bad;
      c.after_id = parts[3];
    }
    if (b2) {
      std::int64_t remaining = 0;
      if (!parse_number(parts[4], remaining) || remaining < 0) return bad;
      c.remaining = remaining;
    }
    return c;
  }
  return bad;
}

std::string feed_cursor(const db::FeedPosition& p) {
  return "f1." + std::to_string(p.txid) + "." + std::to_string(p.seq);
}

// A row that changed twice within one page is sent once, at its newest version.
std::vector<Change> to_changes(std::vector<db::SyncRow> rows) {
  std::vector<Change> out;
  out.reserve(rows.size());
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  for (auto& r : rows) {
    auto key = std::make_pair(r.entity, r.id);
    auto it = seen.find(key);
    if (it != seen.end()) {
      Change& c = out[it->second];
      if (r.row_version >= c.row_version) {
        c.row_version = r.row_version;
        c.deleted = r.deleted;
        c.data = r.deleted ? std::string() : std::move(r.data);
      }
      continue;
    }
    seen.emplace(std::move(key), out.size());
    out.push_back(Change{std::move(r.entity), std::move(r.id), r.row_version, r.deleted,
                         r.deleted ? std::string() : std::move(r.data)});
  }
  return out;
}

}  // namespace

Result<PullPage> PullService::pull(const auth::TillPrincipal& till, const std::string& cursor_text, int limit,
                                   const db::TillReport& report) {
  if (limit < 1 || limit > static_cast<int>(kMaxChangesPerPage))
    return make_error(Errc::out_of_range, "limit: 1 to " + std::to_string(kMaxChangesPerPage));
  auto parsed = parse_cursor(cursor_text);
  if (!parsed) return std::move(parsed).error();
  const Cursor& cursor = *parsed;
  PullPage page;
  if (cursor.bootstrap) {
    auto b = db::read_bootstrap(pool_, till.store_id, till.till_id, cursor.cutoff, cursor.entity, cursor.after_id,
                                cursor.remaining, limit);
    page.changes = to_changes(std::move(b.rows));
    if (b.done) {
      page.next_cursor = feed_cursor(db::FeedPosition{b.cutoff_txid, 0});
      // What the feed holds from the cutoff on (some of it repeats the snapshot).
      auto rest = db::read_feed(pool_, till.store_id, till.till_id, db::FeedPosition{b.cutoff_txid, 0}, 1);
      page.remaining = rest.remaining + static_cast<std::int64_t>(rest.rows.size());
    } else {
      page.next_cursor = "b2." + std::to_string(b.cutoff_txid) + "." + std::to_string(b.entity_index) + "." +
                         b.after_id + "." + std::to_string(b.remaining);
      page.remaining = b.remaining;
    }
  } else {
    auto f = db::read_feed(pool_, till.store_id, till.till_id, cursor.feed, limit);
    page.changes = to_changes(std::move(f.rows));
    page.next_cursor = feed_cursor(f.last);
    page.remaining = f.remaining;
  }
  // Read after the page: a restore happens with the server stopped, so the
  // epoch cannot change between the two reads of one running server.
  page.epoch = db::current_restore_epoch(pool_);
  if (!db::till_contact_fresh(pool_, till.till_id, report, kContactEverySeconds))
    db::record_till_contact(pool_, till.store_id, till.till_id, false, report);
  return page;
}

}  // namespace salespider::service::sync
