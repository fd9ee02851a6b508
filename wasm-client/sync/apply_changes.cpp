// Pulled change -> catalog row (apply_changes.hpp). Each entity has an
// upsert and a tombstone statement whose ON CONFLICT ... WHERE clause does
// the row-version comparison inside SQLite, so "is it newer?" costs no
// extra query; products read their stored version first because replacing
// their barcodes needs the old list.
#include "sync/apply_changes.hpp"

#include "salespider/shared/tax.hpp"

#include "json/fields.hpp"

#include <array>
#include <cassert>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string_view>
#include <system_error>
#include <utility>

namespace salespider::sync {

namespace {

using json = jsonio::Json;
using jsonio::Fields;
using store::Result;
using store::Statement;
using store::Status;

Statement& bind_opt(Statement& st, int index, const std::optional<std::string>& v) {
  return v ? st.bind(index, *v) : st.bind_null(index);
}
Statement& bind_opt(Statement& st, int index, const std::optional<std::int64_t>& v) {
  return v ? st.bind(index, *v) : st.bind_null(index);
}
std::int64_t flag(bool b) {
  return b ? 1 : 0;
}

// Drops the codes this product held (its stored list) and still holds: a
// barcode that moved to another product meanwhile stays with that one.
Status drop_barcodes(Statement& drop, const std::string& product_id, const std::string& old_codes) {
  if (old_codes == "[]") return {};
  drop.bind(1, product_id).bind(2, old_codes);
  Status d = drop.run();
  (void)drop.reset();
  return d;
}

}  // namespace

// A product's fields, read either way below (or from a catalog line).
struct ProductFields {
  std::optional<std::string> sku, category_id, tax_rate_id;
  std::string name, description, unit = "each", currency;
  std::int64_t price_minor = 0;
  std::optional<std::int64_t> reorder_level_milli;
  bool track_stock = true, is_active = true;
  std::vector<std::string> barcodes;
  std::string barcodes_json = "[]";
};

namespace {

// The fast path for the one entity a bootstrap brings 100 000 of: the data
// is canonical JSON from the codec (no whitespace), and a product is a flat
// object of strings, integers, booleans, nulls and one array of strings.
// This scanner reads exactly that, without building a tree; anything else
// (an escape in a string, a nested object, a fraction, a type that does not
// fit) returns false and the product is read by nlohmann below, which also
// says what is wrong. Unknown keys are skipped, as there.
class FlatScanner {
 public:
  explicit FlatScanner(std::string_view text) : t_(text) {}

  // The whole text is one array of strings (a catalog line's barcodes).
  bool only_text_array(std::vector<std::string>& out, std::string& raw) {
    return text_array(out, raw) && pos_ == t_.size();
  }

  bool product(ProductFields& p) {
    if (!eat('{')) return false;
    bool name = false, price = false, currency = false;
    if (eat('}')) return false;
    for (;;) {
      std::string_view key;
      if (!string(key) || !eat(':')) return false;
      bool ok = true;
      if (key == "sku") ok = text_or_null(p.sku);
      else if (key == "name") ok = name = text(p.name);
      else if (key == "description") ok = text(p.description);
      else if (key == "category_id") ok = text_or_null(p.category_id);
      else if (key == "tax_rate_id") ok = text_or_null(p.tax_rate_id);
      else if (key == "unit") ok = text(p.unit);
      else if (key == "price_minor") ok = price = integer(p.price_minor) && p.price_minor >= 0;
      else if (key == "currency") ok = currency = text(p.currency);
      else if (key == "track_stock") ok = boolean(p.track_stock);
      else if (key == "reorder_level_milli") ok = integer_or_null(p.reorder_level_milli);
      else if (key == "is_active") ok = boolean(p.is_active);
      else if (key == "barcodes") ok = text_array(p.barcodes, p.barcodes_json);
      else ok = skip_scalar();
      if (!ok) return false;
      if (eat(',')) continue;
      if (eat('}')) break;
      return false;
    }
    return pos_ == t_.size() && name && price && currency;
  }

 private:
  bool eat(char c) {
    if (pos_ < t_.size() && t_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) {
    if (t_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool string(std::string_view& out) {
    if (!eat('"')) return false;
    const std::size_t start = pos_;
    for (; pos_ < t_.size(); ++pos_) {
      if (t_[pos_] == '\\') return false;
      if (t_[pos_] == '"') {
        out = t_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
    }
    return false;
  }
  bool text(std::string& out) {
    std::string_view v;
    if (!string(v)) return false;
    out.assign(v);
    return true;
  }
  bool text_or_null(std::optional<std::string>& out) {
    if (literal("null")) return true;
    std::string_view v;
    if (!string(v)) return false;
    out = std::string(v);
    return true;
  }
  bool integer(std::int64_t& out) {
    const std::size_t start = pos_;
    if (pos_ < t_.size() && t_[pos_] == '-') ++pos_;
    while (pos_ < t_.size() && t_[pos_] >= '0' && t_[pos_] <= '9') ++pos_;
    if (pos_ < t_.size() && (t_[pos_] == '.' || t_[pos_] == 'e' || t_[pos_] == 'E')) return false;
    const char* first = t_.data() + start;
    const char* last = t_.data() + pos_;
    auto [end, ec] = std::from_chars(first, last, out);
    return ec == std::errc() && end == last && last != first;
  }
  bool integer_or_null(std::optional<std::int64_t>& out) {
    if (literal("null")) return true;
    std::int64_t v = 0;
    if (!integer(v)) return false;
    out = v;
    return true;
  }
  bool boolean(bool& out) {
    if (literal("true")) {
      out = true;
      return true;
    }
    if (literal("false")) {
      out = false;
      return true;
    }
    return false;
  }
  bool text_array(std::vector<std::string>& out, std::string& raw) {
    const std::size_t start = pos_;
    if (!eat('[')) return false;
    if (!eat(']')) {
      for (;;) {
        std::string_view v;
        if (!string(v)) return false;
        out.emplace_back(v);
        if (eat(',')) continue;
        if (eat(']')) break;
        return false;
      }
    }
    raw.assign(t_.substr(start, pos_ - start));
    return true;
  }
  bool skip_scalar() {
    std::string_view v;
    std::int64_t n = 0;
    return literal("null") || literal("true") || literal("false") || string(v) || integer(n);
  }

  std::string_view t_;
  std::size_t pos_ = 0;
};

bool read_product_json(const std::string& text, ProductFields& p, std::string& why) {
  const json data = json::parse(text, nullptr, false);
  if (data.is_discarded() || !data.is_object()) {
    why = "data is not a JSON object";
    return false;
  }
  Fields f(data, why);
  f.text_or_null("sku", p.sku);
  f.text("name", p.name, true);
  f.text("description", p.description, false);
  f.text_or_null("category_id", p.category_id);
  f.text_or_null("tax_rate_id", p.tax_rate_id);
  f.text("unit", p.unit, false);
  f.integer("price_minor", p.price_minor, true);
  f.text("currency", p.currency, true);
  f.boolean("track_stock", p.track_stock, false);
  f.integer_or_null("reorder_level_milli", p.reorder_level_milli);
  f.boolean("is_active", p.is_active, false);
  f.text_array("barcodes", p.barcodes, false);
  if (f.ok() && p.price_minor < 0) f.fail("price_minor", "negative");
  if (!f.ok()) return false;
  p.barcodes_json = json(p.barcodes).dump();
  return true;
}

}  // namespace

struct ChangeApplier::Statements {
  std::optional<Statement> product_get, product_upsert, product_tomb, barcodes_drop, barcode_put;
  std::optional<Statement> tax_upsert, tax_tomb, category_upsert, category_tomb;
  std::optional<Statement> stock_upsert, stock_tomb, user_upsert, user_tomb;
  std::optional<Statement> grant_upsert, grant_tomb, settings_upsert, settings_tomb;
  std::optional<Statement> till_upsert, till_tomb;
};

namespace {

// Upsert: every column from the change, deleted = 0. Tombstone: the row
// stays with deleted = 1 and its version; its other columns are whatever
// they were (or placeholders for a row we never saw).
constexpr const char* kTaxUpsert =
    "INSERT INTO tax_rates(id, name, rate_bp, code, kind, rate_ppm, is_active, row_version, deleted) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
    "rate_bp = excluded.rate_bp, code = excluded.code, kind = excluded.kind, rate_ppm = excluded.rate_ppm, "
    "is_active = excluded.is_active, row_version = excluded.row_version, deleted = 0 "
    "WHERE excluded.row_version > tax_rates.row_version";
constexpr const char* kTaxTomb =
    "INSERT INTO tax_rates(id, name, rate_bp, row_version, deleted) VALUES(?1, '', 0, ?2, 1) "
    "ON CONFLICT(id) DO UPDATE SET row_version = excluded.row_version, deleted = 1 "
    "WHERE excluded.row_version > tax_rates.row_version";
constexpr const char* kCategoryUpsert =
    "INSERT INTO categories(id, name, parent_id, sort_order, row_version, deleted) VALUES(?1, ?2, ?3, ?4, ?5, 0) "
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name, parent_id = excluded.parent_id, "
    "sort_order = excluded.sort_order, row_version = excluded.row_version, deleted = 0 "
    "WHERE excluded.row_version > categories.row_version";
constexpr const char* kCategoryTomb =
    "INSERT INTO categories(id, name, row_version, deleted) VALUES(?1, '', ?2, 1) "
    "ON CONFLICT(id) DO UPDATE SET row_version = excluded.row_version, deleted = 1 "
    "WHERE excluded.row_version > categories.row_version";
constexpr const char* kStockUpsert =
    "INSERT INTO stock_levels(product_id, on_hand_milli, row_version, deleted) VALUES(?1, ?2, ?3, 0) "
    "ON CONFLICT(product_id) DO UPDATE SET on_hand_milli = excluded.on_hand_milli, "
    "row_version = excluded.row_version, deleted = 0 WHERE excluded.row_version > stock_levels.row_version";
constexpr const char* kStockTomb =
    "INSERT INTO stock_levels(product_id, on_hand_milli, row_version, deleted) VALUES(?1, 0, ?2, 1) "
    "ON CONFLICT(product_id) DO UPDATE SET row_version = excluded.row_version, deleted = 1 "
    "WHERE excluded.row_version > stock_levels.row_version";
constexpr const char* kUserUpsert =
    "INSERT INTO users(id, username, display_name, role, row_version, deleted) VALUES(?1, ?2, ?3, ?4, ?5, 0) "
    "ON CONFLICT(id) DO UPDATE SET username = excluded.username, display_name = excluded.display_name, "
    "role = excluded.role, row_version = excluded.row_version, deleted = 0 "
    "WHERE excluded.row_version > users.row_version";
constexpr const char* kUserTomb =
    "INSERT INTO users(id, username, display_name, role, row_version, deleted) VALUES(?1, '', '', '', ?2, 1) "
    "ON CONFLICT(id) DO UPDATE SET row_version = excluded.row_version, deleted = 1 "
    "WHERE excluded.row_version > users.row_version";
constexpr const char* kGrantUpsert =
    "INSERT INTO revoked_grants(grant_id, user_id, expires_at_ms, revoked_at_ms, row_version, deleted) "
    "VALUES(?1, ?2, ?3, ?4, ?5, 0) ON CONFLICT(grant_id) DO UPDATE SET user_id = excluded.user_id, "
    "expires_at_ms = excluded.expires_at_ms, revoked_at_ms = excluded.revoked_at_ms, "
    "row_version = excluded.row_version, deleted = 0 WHERE excluded.row_version > revoked_grants.row_version";
constexpr const char* kGrantTomb =
    "INSERT INTO revoked_grants(grant_id, user_id, expires_at_ms, revoked_at_ms, row_version, deleted) "
    "VALUES(?1, '', 0, 0, ?2, 1) ON CONFLICT(grant_id) DO UPDATE SET row_version = excluded.row_version, "
    "deleted = 1 WHERE excluded.row_version > revoked_grants.row_version";
constexpr const char* kSettingsUpsert =
    "INSERT INTO store_settings(id, data, tax_id, address, row_version, deleted) VALUES(?1, ?2, ?4, ?5, ?3, "
    "0) "
    "ON CONFLICT(id) DO UPDATE SET data = excluded.data, tax_id = excluded.tax_id, address = "
    "excluded.address, "
    "row_version = excluded.row_version, deleted = 0 "
    "WHERE excluded.row_version > store_settings.row_version";
constexpr const char* kSettingsTomb =
    "INSERT INTO store_settings(id, row_version, deleted) VALUES(?1, ?2, 1) "
    "ON CONFLICT(id) DO UPDATE SET row_version = excluded.row_version, deleted = 1 "
    "WHERE excluded.row_version > store_settings.row_version";
constexpr const char* kTillUpsert =
    "INSERT INTO tills(id, code, highest_receipt_seq, row_version, deleted) VALUES(?1, ?2, ?3, ?4, 0) "
    "ON CONFLICT(id) DO UPDATE SET code = excluded.code, highest_receipt_seq = excluded.highest_receipt_seq, "
    "row_version = excluded.row_version, deleted = 0 WHERE excluded.row_version > tills.row_version";
constexpr const char* kTillTomb =
    "INSERT INTO tills(id, code, highest_receipt_seq, row_version, deleted) VALUES(?1, '', 0, ?2, 1) "
    "ON CONFLICT(id) DO UPDATE SET row_version = excluded.row_version, deleted = 1 "
    "WHERE excluded.row_version > tills.row_version";

constexpr const char* kProductGet =
    "SELECT row_version, barcodes, name, coalesce(category_id, '') FROM products WHERE id = ?1";
constexpr const char* kProductUpsert =
    "INSERT INTO products(id, sku, name, description, category_id, tax_rate_id, unit, price_minor, currency, "
    "track_stock, reorder_level_milli, is_active, barcodes, row_version, deleted) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 0) "
    "ON CONFLICT(id) DO UPDATE SET sku = excluded.sku, name = excluded.name, description = excluded.description, "
    "category_id = excluded.category_id, tax_rate_id = excluded.tax_rate_id, unit = excluded.unit, "
    "price_minor = excluded.price_minor, currency = excluded.currency, track_stock = excluded.track_stock, "
    "reorder_level_milli = excluded.reorder_level_milli, is_active = excluded.is_active, "
    "barcodes = excluded.barcodes, row_version = excluded.row_version, deleted = 0";
constexpr const char* kProductTomb =
    "INSERT INTO products(id, name, price_minor, currency, barcodes, row_version, deleted) "
    "VALUES(?1, '', 0, '', '[]', ?2, 1) "
    "ON CONFLICT(id) DO UPDATE SET barcodes = '[]', row_version = excluded.row_version, deleted = 1";
// Only codes this product held and still holds: a barcode that moved to
// another product meanwhile stays with that one. Primary-key lookups only.
constexpr const char* kBarcodesDrop =
    "DELETE FROM barcodes WHERE code IN (SELECT value FROM json_each(?2)) AND product_id = ?1";
constexpr const char* kBarcodePut =
    "INSERT INTO barcodes(code, product_id) VALUES(?1, ?2) "
    "ON CONFLICT(code) DO UPDATE SET product_id = excluded.product_id";

}  // namespace

ChangeApplier::ChangeApplier(store::Store& store) : store_(store), search_(store.db()) {}
ChangeApplier::~ChangeApplier() = default;

Result<ChangeApplier::Statements*> ChangeApplier::statements() {
  if (stmts_) return stmts_.get();
  auto s = std::make_unique<Statements>();
  const std::pair<std::optional<Statement>*, const char*> all[] = {
      {&s->product_get, kProductGet},       {&s->product_upsert, kProductUpsert},
      {&s->product_tomb, kProductTomb},     {&s->barcodes_drop, kBarcodesDrop},
      {&s->barcode_put, kBarcodePut},       {&s->tax_upsert, kTaxUpsert},
      {&s->tax_tomb, kTaxTomb},             {&s->category_upsert, kCategoryUpsert},
      {&s->category_tomb, kCategoryTomb},   {&s->stock_upsert, kStockUpsert},
      {&s->stock_tomb, kStockTomb},         {&s->user_upsert, kUserUpsert},
      {&s->user_tomb, kUserTomb},           {&s->grant_upsert, kGrantUpsert},
      {&s->grant_tomb, kGrantTomb},         {&s->settings_upsert, kSettingsUpsert},
      {&s->settings_tomb, kSettingsTomb},   {&s->till_upsert, kTillUpsert},
      {&s->till_tomb, kTillTomb},
  };
  for (const auto& [slot, sql] : all) {
    Result<Statement> st = store_.db().prepare(sql);
    if (!st) return st.error();
    slot->emplace(std::move(st).value());
  }
  stmts_ = std::move(s);
  return stmts_.get();
}

namespace {

// Runs a prepared upsert/tombstone and leaves it ready for the next change:
// applied when SQLite changed a row (the WHERE on the version let it).
Result<ApplyOutcome> run(store::Database& db, Statement& st) {
  Status s = st.run();
  (void)st.reset();
  if (!s) return s.error();
  return db.changes() > 0 ? ApplyOutcome::applied : ApplyOutcome::stale;
}

}  // namespace

Result<ApplyOutcome> ChangeApplier::apply(const Change& c, std::string& why) {
  Result<Statements*> got = statements();
  if (!got) return got.error();
  // One function per entity, in kAllEntities order; an entity this build
  // does not know (a newer server's) is skipped.
  // A tombstone is one statement, except for a product (its barcodes and
  // search entry go with it): apply_product handles both.
  using Applier = Result<ApplyOutcome> (ChangeApplier::*)(const Change&, Statements&, Fields&, std::string&);
  using Tomb = std::optional<Statement> Statements::*;
  struct Entry {
    Entity entity;
    Applier apply;
    Tomb tomb;
  };
  static constexpr std::array<Entry, kAllEntities.size()> kAppliers{{
      {Entity::settings, &ChangeApplier::apply_settings, &Statements::settings_tomb},
      {Entity::tax_rate, &ChangeApplier::apply_tax_rate, &Statements::tax_tomb},
      {Entity::category, &ChangeApplier::apply_category, &Statements::category_tomb},
      {Entity::product, &ChangeApplier::apply_product, nullptr},
      {Entity::stock_level, &ChangeApplier::apply_stock_level, &Statements::stock_tomb},
      {Entity::user, &ChangeApplier::apply_user, &Statements::user_tomb},
      {Entity::till, &ChangeApplier::apply_till, &Statements::till_tomb},
      {Entity::revoked_grant, &ChangeApplier::apply_revoked_grant, &Statements::grant_tomb},
  }};
  const salespider::Result<Entity> entity = parse_entity(c.entity);
  if (!entity) {
    auto extra = extra_.find(c.entity);
    if (extra == extra_.end()) return ApplyOutcome::unknown_entity;
    Result<ApplyOutcome> done = extra->second(c, store_.db(), why);
    if (done && done.value() == ApplyOutcome::applied)
      if (Status f = forget_superseded(c); !f) return f.error();
    return done;
  }
  const Entry& entry = kAppliers[static_cast<std::size_t>(entity.value())];
  assert(entry.entity == entity.value());
  if (c.id.empty()) {
    why = "empty id";
    return ApplyOutcome::invalid;
  }

  json data;
  // Products are read by their own fast path (FlatScanner).
  if (!c.deleted && entity.value() != Entity::product) {
    data = json::parse(c.data, nullptr, false);
    if (data.is_discarded() || !data.is_object()) {
      why = "data is not a JSON object";
      return ApplyOutcome::invalid;
    }
  }
  Statements& s = *got.value();
  Result<ApplyOutcome> done = ApplyOutcome::stale;
  if (c.deleted && entry.tomb != nullptr) {
    done = run(store_.db(), (s.*entry.tomb)->bind(1, c.id).bind(2, c.row_version));
  } else {
    Fields f(data, why);
    done = (this->*entry.apply)(c, s, f, why);
  }
  if (done && done.value() == ApplyOutcome::applied)
    if (Status f = forget_superseded(c); !f) return f.error();
  return done;
}

// --- changes kept for later (deferred_changes, schema 5) ------------------------

void ChangeApplier::learn(std::string entity, ExtraApplier apply) {
  extra_[std::move(entity)] = std::move(apply);
  learned_since_retry_ = true;
}

Result<std::int64_t> ChangeApplier::deferred_count() {
  if (!deferred_) {
    Result<std::optional<std::int64_t>> n = store_.db().query_int("SELECT count(*) FROM deferred_changes");
    if (!n) return n.error();
    deferred_ = n.value().value_or(0);
  }
  return *deferred_;
}

// A kept older version of a change just applied would only be stale: it
// goes now, so the count managers see is what is really still missing. Free
// while nothing is kept (the bootstrap's 100 000 products pay nothing).
Status ChangeApplier::forget_superseded(const Change& applied) {
  Result<std::int64_t> n = deferred_count();
  if (!n) return n.error();
  if (n.value() == 0) return {};
  Result<Statement> del =
      store_.db().prepare("DELETE FROM deferred_changes WHERE entity = ?1 AND id = ?2 AND row_version <= ?3");
  if (!del) return del.error();
  if (Status s = del.value().bind(1, applied.entity).bind(2, applied.id).bind(3, applied.row_version).run(); !s)
    return s;
  *deferred_ -= store_.db().changes();
  return {};
}

Status ChangeApplier::keep(const Change& c, ApplyOutcome outcome, const std::string& why, const std::string& cursor,
                           std::int64_t now_ms) {
  Result<Statement> put = store_.db().prepare(
      "INSERT INTO deferred_changes(entity, id, row_version, deleted, data, reason, why, cursor, kept_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(entity, id) DO UPDATE SET "
      "row_version = excluded.row_version, deleted = excluded.deleted, data = excluded.data, "
      "reason = excluded.reason, why = excluded.why, cursor = excluded.cursor, kept_at = excluded.kept_at, "
      "tries = 1 WHERE excluded.row_version >= deferred_changes.row_version");
  if (!put) return put.error();
  put.value()
      .bind(1, c.entity)
      .bind(2, c.id)
      .bind(3, c.row_version)
      .bind(4, flag(c.deleted))
      .bind(5, c.data)
      .bind(6, outcome == ApplyOutcome::invalid ? "invalid" : "unknown_entity")
      .bind(7, why)
      .bind(8, cursor)
      .bind(9, now_ms);
  if (Status s = put.value().run(); !s) return s;
  // The row may have replaced an older version of itself: count again.
  deferred_.reset();
  return {};
}

Result<std::int64_t> ChangeApplier::retry_deferred() {
  learned_since_retry_ = false;
  std::vector<Change> kept;
  {
    Result<Statement> all = store_.db().prepare(
        "SELECT entity, id, row_version, deleted, data FROM deferred_changes ORDER BY row_version, entity, id");
    if (!all) return all.error();
    for (;;) {
      Result<bool> row = all.value().step();
      if (!row) return row.error();
      if (!row.value()) break;
      Statement& st = all.value();
      kept.push_back(Change{st.text(0), st.text(1), st.int64(2), st.int64(3) != 0, st.text(4)});
    }
  }
  for (const Change& c : kept) {
    std::string why;
    Result<ApplyOutcome> r = apply(c, why);
    if (!r) return r.error();
    const char* sql = "DELETE FROM deferred_changes WHERE entity = ?1 AND id = ?2 AND row_version = ?3";
    if (r.value() == ApplyOutcome::unknown_entity || r.value() == ApplyOutcome::invalid)
      sql = "UPDATE deferred_changes SET tries = tries + 1, why = ?4 WHERE entity = ?1 AND id = ?2 AND row_version = ?3";
    Result<Statement> st = store_.db().prepare(sql);
    if (!st) return st.error();
    st.value().bind(1, c.entity).bind(2, c.id).bind(3, c.row_version);
    if (r.value() == ApplyOutcome::unknown_entity || r.value() == ApplyOutcome::invalid) st.value().bind(4, why);
    if (Status s = st.value().run(); !s) return s.error();
  }
  deferred_.reset();
  return deferred_count();
}

Result<ApplyOutcome> ChangeApplier::read_product(const std::string& id, Statements& s, StoredProduct& out) {
  Statement& get = *s.product_get;
  get.bind(1, id);
  Result<bool> row = get.step();
  if (!row) {
    (void)get.reset();
    return row.error();
  }
  if (row.value()) {
    out.version = get.int64(0);
    out.barcodes = get.text(1);
    out.before.name = get.text(2);
    out.before.category_id = get.text(3);
  }
  (void)get.reset();
  return ApplyOutcome::applied;
}

Result<ApplyOutcome> ChangeApplier::apply_product(const Change& c, Statements& s, Fields& /*f*/, std::string& why) {
  StoredProduct stored;
  if (Result<ApplyOutcome> r = read_product(c.id, s, stored); !r) return r;
  if (stored.version && *stored.version >= c.row_version) return ApplyOutcome::stale;
  // Mid-bootstrap the index is dropped and rebuilt at the end instead.
  Result<bool> indexed = search_.built();
  if (!indexed) return indexed.error();

  if (c.deleted) {
    if (Status d = drop_barcodes(*s.barcodes_drop, c.id, stored.barcodes); !d) return d.error();
    s.product_tomb->bind(1, c.id).bind(2, c.row_version);
    Result<ApplyOutcome> done = run(store_.db(), *s.product_tomb);
    if (!done || !indexed.value()) return done;
    if (Status i = search_.product_changed(c.id, stored.before, std::nullopt); !i) return i.error();
    return done;
  }
  ProductFields p;
  if (!FlatScanner(c.data).product(p)) {
    p = ProductFields{};
    if (!read_product_json(c.data, p, why)) return ApplyOutcome::invalid;
  }
  return put_product(c.id, c.row_version, p, s, stored, indexed.value());
}

Result<ApplyOutcome> ChangeApplier::put_product(const std::string& id, std::int64_t version, const ProductFields& p,
                                                Statements& s, const StoredProduct& stored, bool indexed) {
  if (Status d = drop_barcodes(*s.barcodes_drop, id, stored.barcodes); !d) return d.error();
  Statement& up = *s.product_upsert;
  up.bind(1, id);
  bind_opt(up, 2, p.sku).bind(3, p.name).bind(4, p.description);
  bind_opt(up, 5, p.category_id);
  bind_opt(up, 6, p.tax_rate_id)
      .bind(7, p.unit)
      .bind(8, p.price_minor)
      .bind(9, p.currency)
      .bind(10, flag(p.track_stock));
  bind_opt(up, 11, p.reorder_level_milli)
      .bind(12, flag(p.is_active))
      .bind(13, p.barcodes_json)
      .bind(14, version);
  Result<ApplyOutcome> done = run(store_.db(), up);
  if (!done) return done;
  for (const std::string& code : p.barcodes) {
    Statement& put = *s.barcode_put;
    put.bind(1, code).bind(2, id);
    Status stored_code = put.run();
    (void)put.reset();
    if (!stored_code) return stored_code.error();
  }
  if (!indexed) return done;
  std::optional<store::ProductSearchWriter::Entry> after;
  if (p.is_active) after = store::ProductSearchWriter::Entry{p.name, p.category_id.value_or("")};
  if (Status i = search_.product_changed(id, stored.before, after); !i) return i.error();
  if (Status g = search_.note_glyphs(p.name); !g) return g.error();
  return done;
}

// --- catalog lines (the bootstrap in parts) -------------------------------------

namespace {

// Splits one line into its tab-separated fields, undoing COPY's escapes
// (\\ \t \n \r); a field that is exactly \N is NULL. False when a field
// count or an escape is wrong.
bool split_line(std::string_view line, std::array<std::optional<std::string>, 16>& out) {
  std::size_t k = 0;
  std::string cur;
  bool null = false;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == '\t') {
      if (k >= out.size()) return false;
      if (null) out[k].reset();
      else out[k] = std::move(cur);
      ++k;
      cur.clear();
      null = false;
      continue;
    }
    if (line[i] != '\\') {
      cur += line[i];
      continue;
    }
    if (++i == line.size()) return false;
    switch (line[i]) {
      case '\\': cur += '\\'; break;
      case 't': cur += '\t'; break;
      case 'n': cur += '\n'; break;
      case 'r': cur += '\r'; break;
      case 'N':
        if (!cur.empty() || (i + 1 < line.size() && line[i + 1] != '\t')) return false;
        null = true;
        break;
      default: return false;
    }
  }
  return k == out.size();
}

bool to_int(const std::optional<std::string>& text, std::int64_t& out) {
  if (!text || text->empty()) return false;
  const char* end = text->data() + text->size();
  auto [p, ec] = std::from_chars(text->data(), end, out);
  return ec == std::errc() && p == end;
}

}  // namespace

Result<ApplyOutcome> ChangeApplier::apply_catalog_line(std::string_view line, std::string& id, std::string& why) {
  Result<Statements*> got = statements();
  if (!got) return got.error();
  Statements& s = *got.value();
  std::array<std::optional<std::string>, 16> f;
  id.clear();
  if (!split_line(line, f) || !f[0] || f[0]->empty()) {
    why = "not a catalog line";
    return ApplyOutcome::invalid;
  }
  id = *f[0];
  std::int64_t version = 0, track = 0, active = 0, reorder = 0;
  ProductFields p;
  p.sku = f[2];
  p.category_id = f[5];
  p.tax_rate_id = f[6];
  p.name = f[3].value_or("");
  p.description = f[4].value_or("");
  p.unit = f[7].value_or("each");
  p.currency = f[9].value_or("");
  if (!to_int(f[1], version) || !to_int(f[8], p.price_minor) || p.price_minor < 0 || !to_int(f[10], track) ||
      !to_int(f[12], active) || !f[3] || !f[9] || (f[11] && !to_int(f[11], reorder)) || !f[13]) {
    why = "a catalog line's field has the wrong shape";
    return ApplyOutcome::invalid;
  }
  if (f[11]) p.reorder_level_milli = reorder;
  p.track_stock = track != 0;
  p.is_active = active != 0;
  if (!FlatScanner(*f[13]).only_text_array(p.barcodes, p.barcodes_json)) {
    // An escape inside a code (\" or \\): the JSON parser reads it.
    p.barcodes.clear();
    const json codes = json::parse(*f[13], nullptr, false);
    bool ok = codes.is_array();
    for (const json& c : ok ? codes : json::array()) {
      if (!c.is_string()) ok = false;
      else p.barcodes.push_back(c.get<std::string>());
    }
    if (!ok) {
      why = "a catalog line's barcodes are not a JSON array of strings";
      return ApplyOutcome::invalid;
    }
    p.barcodes_json = json(p.barcodes).dump();
  }
  Result<ApplyOutcome> done = ApplyOutcome::stale;
  StoredProduct stored;
  if (Result<ApplyOutcome> r = read_product(id, s, stored); !r) return r;
  if (!stored.version || *stored.version < version) {
    Result<bool> indexed = search_.built();
    if (!indexed) return indexed.error();
    done = put_product(id, version, p, s, stored, indexed.value());
    if (!done) return done;
  }
  std::int64_t stock_version = 0, on_hand = 0;
  if (f[14] && f[15]) {
    if (!to_int(f[14], stock_version) || !to_int(f[15], on_hand)) {
      why = "a catalog line's stock level has the wrong shape";
      return ApplyOutcome::invalid;
    }
    Result<ApplyOutcome> st = run(store_.db(), s.stock_upsert->bind(1, id).bind(2, on_hand).bind(3, stock_version));
    if (!st) return st;
  }
  return done;
}

Result<ApplyOutcome> ChangeApplier::apply_tax_rate(const Change& c, Statements& s, Fields& f, std::string& /*why*/) {
  std::string code, kind, name;
  std::int64_t rate_ppm = 0;
  bool is_active = true;
  f.text("code", code, true);
  f.text("kind", kind, true);
  f.integer("rate_ppm", rate_ppm, true);
  f.text("name", name, false);
  f.boolean("is_active", is_active, false);
  if (f.ok() && !parse_tax_kind(kind)) f.fail("kind", "not standard, reduced, zero or exempt");
  if (f.ok() && (rate_ppm < 0 || rate_ppm > kMaxTaxRatePpm)) f.fail("rate_ppm", "out of range");
  if (!f.ok()) return ApplyOutcome::invalid;
  // rate_bp (schema 1) stays filled: basis points are ppm / 100.
  return run(store_.db(), s.tax_upsert->bind(1, c.id)
                     .bind(2, name)
                     .bind(3, rate_ppm / 100)
                     .bind(4, code)
                     .bind(5, kind)
                     .bind(6, rate_ppm)
                     .bind(7, flag(is_active))
                     .bind(8, c.row_version));
}

Result<ApplyOutcome> ChangeApplier::apply_category(const Change& c, Statements& s, Fields& f, std::string& /*why*/) {
  std::string name;
  std::optional<std::string> parent;
  std::int64_t sort_order = 0;
  f.text("name", name, true);
  f.text_or_null("parent_id", parent);
  f.integer("sort_order", sort_order, false);
  if (!f.ok()) return ApplyOutcome::invalid;
  Statement& up = s.category_upsert->bind(1, c.id).bind(2, name);
  bind_opt(up, 3, parent).bind(4, sort_order).bind(5, c.row_version);
  Result<ApplyOutcome> done = run(store_.db(), up);
  if (done && done.value() == ApplyOutcome::applied)
    if (Status g = search_.note_glyphs(name); !g) return g.error();
  return done;
}

Result<ApplyOutcome> ChangeApplier::apply_stock_level(const Change& c, Statements& s, Fields& f, std::string& /*why*/) {
  std::int64_t on_hand = 0;
  f.integer("on_hand_milli", on_hand, true);
  if (!f.ok()) return ApplyOutcome::invalid;
  return run(store_.db(), s.stock_upsert->bind(1, c.id).bind(2, on_hand).bind(3, c.row_version));
}

Result<ApplyOutcome> ChangeApplier::apply_user(const Change& c, Statements& s, Fields& f, std::string& /*why*/) {
  std::string username, display_name, role;
  f.text("username", username, true);
  f.text("display_name", display_name, false);
  f.text("role", role, true);
  if (!f.ok()) return ApplyOutcome::invalid;
  return run(store_.db(), s.user_upsert->bind(1, c.id)
                     .bind(2, username)
                     .bind(3, display_name)
                     .bind(4, role)
                     .bind(5, c.row_version));
}

Result<ApplyOutcome> ChangeApplier::apply_revoked_grant(const Change& c, Statements& s, Fields& f, std::string& /*why*/) {
  std::string user_id;
  std::int64_t expires = 0, revoked = 0;
  f.text("user_id", user_id, true);
  f.integer("expires_at_ms", expires, true);
  f.integer("revoked_at_ms", revoked, true);
  if (!f.ok()) return ApplyOutcome::invalid;
  return run(store_.db(), s.grant_upsert->bind(1, c.id)
                     .bind(2, user_id)
                     .bind(3, expires)
                     .bind(4, revoked)
                     .bind(5, c.row_version));
}

Result<ApplyOutcome> ChangeApplier::apply_settings(const Change& c, Statements& s, Fields& f, std::string& /*why*/) {
  // Kept whole (store/catalog.cpp reads it); the fields the till relies
  // on are checked here so the reader can trust them.
  std::string text, store_name, receipt_header, receipt_footer, tax_id, address;
  std::int64_t number = 0;
  std::vector<std::string> tenders;
  for (const char* key : {"currency", "time_zone", "locale", "price_mode"}) f.text(key, text, false);
  f.text("store_name", store_name, false);
  f.text("receipt_header", receipt_header, false);
  f.text("receipt_footer", receipt_footer, false);
  // Newer servers send these; absent or null is ''.
  std::optional<std::string> maybe_tax_id, maybe_address;
  f.text_or_null("tax_id", maybe_tax_id);
  f.text_or_null("address", maybe_address);
  tax_id = maybe_tax_id.value_or("");
  address = maybe_address.value_or("");
  f.integer("cash_rounding_minor", number, false);
  f.integer("offline_grant_hours", number, false);
  f.text_array("enabled_tenders", tenders, false);
  if (!f.ok()) return ApplyOutcome::invalid;
  Result<ApplyOutcome> done = run(store_.db(), s.settings_upsert->bind(1, c.id)
                                          .bind(2, c.data)
                                          .bind(3, c.row_version)
                                          .bind(4, tax_id)
                                          .bind(5, address));
  if (!done || done.value() != ApplyOutcome::applied) return done;
  for (const std::string* t : {&store_name, &receipt_header, &receipt_footer, &tax_id, &address})
    if (Status g = search_.note_glyphs(*t); !g) return g.error();
  return done;
}

// Only this till's row comes down.
Result<ApplyOutcome> ChangeApplier::apply_till(const Change& c, Statements& s, Fields& f, std::string& /*why*/) {
  std::string code;
  std::int64_t highest = 0;
  f.text("code", code, true);
  f.integer("highest_receipt_seq", highest, true);
  if (f.ok() && highest < 0) f.fail("highest_receipt_seq", "negative");
  if (!f.ok()) return ApplyOutcome::invalid;
  Result<ApplyOutcome> done =
      run(store_.db(), s.till_upsert->bind(1, c.id).bind(2, code).bind(3, highest).bind(4, c.row_version));
  if (!done || done.value() != ApplyOutcome::applied) return done;
  if (Status r = store_.raise_receipt_floor(highest); !r) return r.error();
  return done;
}

}  // namespace salespider::sync
