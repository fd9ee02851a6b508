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
// characters to the glyph table (store/product_search.hpp). Unknown
// entities are skipped (a newer server may send more) and data of the wrong
// shape is skipped and counted, never applied half-way. Deliberately no transactions, no cursor and no
// scheduling here: sync_engine.cpp decides when and how much.
#pragma once

#include "salespider/shared/protocol.hpp"
#include "store/product_search.hpp"
#include "store/store.hpp"

#include <memory>
#include <optional>
#include <string>

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

class ChangeApplier {
 public:
  explicit ChangeApplier(store::Store& store);
  ~ChangeApplier();
  ChangeApplier(const ChangeApplier&) = delete;
  ChangeApplier& operator=(const ChangeApplier&) = delete;

  // An error only when SQLite failed (the caller rolls the transaction
  // back); `why` says what was wrong with an invalid change.
  store::Result<ApplyOutcome> apply(const Change& change, std::string& why);

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

  store::Store& store_;
  std::unique_ptr<Statements> stmts_;
  store::ProductSearchWriter search_;
};

}  // namespace salespider::sync
