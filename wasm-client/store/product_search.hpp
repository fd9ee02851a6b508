// The product search index and the catalog's glyph table: what sync writes
// so that store/catalog.cpp can search 100,000 products per keystroke and
// the UI can bake every character the catalog prints into its font atlas.
//
// Search index (schema version 3, docs/till-storage.md "Product search"):
//  - product_search: a contentless FTS5 table (unicode61, remove_diacritics
//    2, prefix indexes for 1-6 characters, detail=none) holding, per active
//    not deleted product, the folded words of its name and one token for its
//    category. Its rowid is the product's place in name order (folded name,
//    then products.rowid), spaced kSearchGap apart so a new name usually
//    fits between its neighbours. Every query therefore reads the FTS
//    doclists in rowid order = name order and stops after one page: no sort
//    of the matches, no scan, whatever the number of matches.
//  - product_name_order(ord, product): that place -> products.rowid, in
//    name order (browsing walks it); products_by_name: product -> its place
//    (replaces version 2's index of that name on lower(name)).
//  - catalog_glyphs: distinct codepoints above U+007F in product names,
//    category names and the store settings' texts.
//
// A bootstrap drops product_search and product_name_order (sync's
// drop_search_indexes) and rebuilds them once at the end, in slices
// (SearchIndexBuild): ranking 100k names in C++ and inserting in rank
// order costs a fraction of maintaining them row by row. Outside a bootstrap
// ProductSearchWriter keeps them in step with each product sync applies.
//
// Deliberately not here: SKU and barcode search (B-tree indexes on
// products.sku and barcodes.code serve them, see catalog.cpp), ranking by
// relevance, typo tolerance, and removing glyphs nothing uses any more (the
// next rebuild does).
#pragma once

#include "store/sqlite_db.hpp"
#include "store/store_result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace salespider::store {

// Distance between neighbours' places after a rebuild: 10 names fit
// between two before some need to move (ProductSearchWriter respaces a few
// rows around the spot then). Small on purpose: FTS5 stores rowid deltas as
// varints, so the gap costs bytes in every doclist.
inline constexpr std::int64_t kSearchGap = 1024;

// Splits and folds text exactly as product_search does (FTS5's own
// unicode61 tokenizer, remove_diacritics 2): "Crème Brûlée 33cl" -> crème
// is "creme", then "brulee", "33cl". Query words and sort keys come from
// here, so what is typed, what is indexed and the name order always agree.
class TextFolder {
 public:
  static Result<TextFolder> create(Database& db);
  TextFolder(TextFolder&&) noexcept;
  TextFolder& operator=(TextFolder&&) noexcept;
  ~TextFolder();

  std::vector<std::string> tokens(std::string_view text) const;
  // The tokens joined by single spaces: a product name's sort key.
  std::string key(std::string_view text) const;

 private:
  struct Impl;
  explicit TextFolder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Adds every codepoint above U+007F in `text` to `out`. Bytes that are not
// valid UTF-8 (stray continuation bytes, overlong forms, surrogates, values
// above U+10FFFF, truncated sequences) are skipped one at a time.
void collect_glyphs(std::string_view text, std::set<char32_t>& out);

// The product_search token standing for a category: U+E000 (private use,
// which unicode61 keeps inside tokens and nobody types) + the id's ASCII
// letters and digits, lowered. Empty for no category.
std::string category_token(std::string_view category_id);

// True once product_search exists: false while a bootstrap bulk-loads (and
// in a database that was never indexed).
Result<bool> product_search_built(Database& db);

// Builds product_search, product_name_order, products_by_name and
// catalog_glyphs from scratch out of the rows stored now. Call inside a
// transaction; replaces whatever index was there. (SearchIndexBuild's
// steps with no time limit.)
Status rebuild_product_search(Database& db);

// The same build in slices, so that a bootstrap of 100,000 products never
// holds a frame for seconds: each step() works for about budget_ms (at
// least one unit of work) inside the caller's transaction, then stops
// where it can go on. Names are folded and sorted in runs of one slice
// each and merged while product_name_order is written; FTS5 gets the rows
// in name-order ranges with automerge off, then merges its segments by a
// bounded number of pages per step. The index is built as
// product_search_build and renamed by the last step, so
// product_search_built() is false until it is whole and an interrupted
// build leaves nothing anyone reads (the next build drops it).
// Between steps nothing else may write products, categories or the
// search tables (sync runs it at the end of a bootstrap round).
class SearchIndexBuild {
 public:
  // max_rows caps the rows one statement takes however fast they go (tests
  // make slices small with it; the budget adapts the size below it).
  explicit SearchIndexBuild(std::function<double()> now_ms, std::int64_t max_rows = 1 << 16);
  ~SearchIndexBuild();
  SearchIndexBuild(const SearchIndexBuild&) = delete;
  SearchIndexBuild& operator=(const SearchIndexBuild&) = delete;

  // True once the index is complete (then step() must not be called again).
  Result<bool> step(Database& db, double budget_ms);
  // For a progress line: products placed in name order, and of how many
  // (0 until the scan has finished).
  std::int64_t placed() const;
  std::int64_t total() const;

 private:
  struct State;
  std::unique_ptr<State> st_;
};

// Keeps the index and the glyph table in step with the rows sync applies,
// one at a time, inside the caller's transaction. Statements are prepared
// once; whether the index is built is re-checked only when the schema changed.
class ProductSearchWriter {
 public:
  explicit ProductSearchWriter(Database& db);
  ~ProductSearchWriter();
  ProductSearchWriter(const ProductSearchWriter&) = delete;
  ProductSearchWriter& operator=(const ProductSearchWriter&) = delete;

  Result<bool> built();

  struct Entry {
    std::string name;
    std::string category_id;
  };
  // A product changed (upsert or tombstone already stored). `before`: its
  // entry before the change (ignored when it was not indexed); `after`: its
  // entry now, nullopt when it is no longer searchable (deleted or
  // inactive). Only call when built().
  Status product_changed(std::string_view id, const Entry& before, const std::optional<Entry>& after);
  // Adds the glyphs of `text` to catalog_glyphs (cheap for ASCII text).
  Status note_glyphs(std::string_view text);

 private:
  struct State;
  std::unique_ptr<State> st_;
};

}  // namespace salespider::store
