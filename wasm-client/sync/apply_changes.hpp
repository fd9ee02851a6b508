// Applying pulled changes to the till's catalog tables (schema version 3):
// one change at a time, inside a transaction the caller holds, through
// statements prepared once.
//
// The rules (docs/sync-protocol.md "Pull"): a change is applied only if its
// row_version is higher than the stored one for that entity and id; a
// tombstone keeps its row (deleted = 1) so an older upsert arriving later is
// still recognised as older; a product's barcodes and price travel inside
// it; `till` raises the receipt floor; outside a bootstrap each product
// moves in the search index, and names and settings texts add their
// characters to the glyph table (store/product_search.hpp). A change of an
// entity this build does not know (a newer server may send more) or with
// data of the wrong shape is never applied half-way: the caller keeps it
// (keep(), table deferred_changes) and it is tried again by
// retry_deferred() after an upgrade or once the applier learns the entity,
// so the pull never skips a change for good. Deliberately no transactions,
// no cursor and no scheduling here: sync_engine.cpp decides when and how
// much.
#pragma once

#include "salespider/shared/protocol.hpp"
#include "store/product_search.hpp"
#include "store/store.hpp"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace salespider::jsonio {
class Fields;
}

namespace salespider::sync {

enum class ApplyOutcome {
  applied,         // stored (an upsert or a tombstone)
  stale,           // we hold this version or a newer one: nothing changed
  unknown_entity,  // not an entity this build knows: skipped
  invalid,         // the data does not have the entity's shape: skipped
};

struct ProductFields;  // apply_changes.cpp

class ChangeApplier {
 public:
  explicit ChangeApplier(store::Store& store);
  ~ChangeApplier();
  ChangeApplier(const ChangeApplier&) = delete;
  ChangeApplier& operator=(const ChangeApplier&) = delete;

  // An error only when SQLite failed (the caller rolls the transaction
  // back); `why` says what was wrong with an invalid change.
  store::Result<ApplyOutcome> apply(const Change& change, std::string& why);

  // An entity outside this build's table, applied by `apply`: how a test
  // plays "the next build knows gift_card" (and where a later entity could
  // plug in). Changes kept for it are applied by the next retry_deferred().
  using ExtraApplier = std::function<store::Result<ApplyOutcome>(const Change&, store::Database&, std::string& why)>;
  void learn(std::string entity, ExtraApplier apply);
  bool learned_since_retry() const { return learned_since_retry_; }

  // Keeps a change apply() answered unknown_entity or invalid for, with the
  // cursor its page was asked with; a newer version of the same entity and
  // id replaces an older one. Inside the caller's transaction.
  store::Status keep(const Change& change, ApplyOutcome outcome, const std::string& why, const std::string& cursor,
                     std::int64_t now_ms);
  // Applies the kept changes again, oldest version first; those applied or
  // stale (a newer version arrived meanwhile) leave the table. Inside the
  // caller's transaction. Returns how many are still kept.
  store::Result<std::int64_t> retry_deferred();
  // How many changes are kept (read from the table once, then tracked).
  store::Result<std::int64_t> deferred_count();
  // After a rolled-back transaction: the next deferred_count() reads the table.
  void recount() { deferred_.reset(); }

  // One line of a catalog part (GET /api/v1/sync/bootstrap/part,
  // docs/sync-protocol.md "Bootstrap in parts"): a product with its barcodes
  // and stock level, applied like a product change and a stock_level change
  // (each only if newer). `id` is the line's product id ("" when unreadable).
  store::Result<ApplyOutcome> apply_catalog_line(std::string_view line, std::string& id, std::string& why);

 private:
  struct Statements;
  store::Result<Statements*> statements();
  // One per Entity (apply() holds the table): an upsert, or for a product
  // also its tombstone. `why` says what was wrong with an invalid change.
  store::Result<ApplyOutcome> apply_settings(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);
  store::Result<ApplyOutcome> apply_tax_rate(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);
  store::Result<ApplyOutcome> apply_category(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);
  store::Result<ApplyOutcome> apply_product(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);
  store::Result<ApplyOutcome> apply_stock_level(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);
  store::Result<ApplyOutcome> apply_user(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);
  store::Result<ApplyOutcome> apply_till(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);
  store::Result<ApplyOutcome> apply_revoked_grant(const Change& c, Statements& s, jsonio::Fields& f, std::string& why);

  store::Status forget_superseded(const Change& applied);

  struct StoredProduct {
    std::optional<std::int64_t> version;
    std::string barcodes = "[]";
    store::ProductSearchWriter::Entry before;
  };
  store::Result<ApplyOutcome> read_product(const std::string& id, Statements& s, StoredProduct& out);
  store::Result<ApplyOutcome> put_product(const std::string& id, std::int64_t version, const ProductFields& p,
                                          Statements& s, const StoredProduct& stored, bool indexed);

  store::Store& store_;
  std::unique_ptr<Statements> stmts_;
  std::map<std::string, ExtraApplier, std::less<>> extra_;
  bool learned_since_retry_ = false;
  std::optional<std::int64_t> deferred_;  // rows in deferred_changes; nullopt: not read yet
  store::ProductSearchWriter search_;
};

}  // namespace salespider::sync
