// Product search index maintenance and the glyph table (product_search.hpp).
#include "store/product_search.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

namespace salespider::store {

namespace {

// The live definition of the search index (schema version 3 documents it;
// this is what rebuild_product_search creates). Contentless: the names are
// in products already, so FTS5 keeps only its index. detail=none: no phrase
// or column queries needed, and it is the smallest index. prefix 1-6: every
// word prefix a cashier types up to six characters is one term lookup read
// lazily; longer ones read the few words starting with them.
constexpr const char* kCreateSearchTable =
    "CREATE VIRTUAL TABLE product_search USING fts5(name, category, content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6', detail=none)";
// The name order: ord (= product_search's rowid) -> products.rowid, and
// back through products_by_name. A table of its own rather than a column
// of products, so a rebuild appends to new pages instead of rewriting (and
// journalling) every product row.
constexpr const char* kCreateOrderTable =
    "CREATE TABLE product_name_order(ord INTEGER PRIMARY KEY, product INTEGER NOT NULL)";
constexpr const char* kCreateOrderIndex =
    "CREATE UNIQUE INDEX products_by_name ON product_name_order(product)";

// U+E000 in UTF-8.
constexpr std::string_view kCategoryMark = "\xEE\x80\x80";

// Resets a statement when leaving scope, so none stays active (an active
// statement would keep a later DROP TABLE from running).
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& st) : st_(st) {}
  ~ResetOnExit() { (void)st_.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& st_;
};

Status run_once(Statement& st) {
  ResetOnExit reset(st);
  return st.run();
}

}  // namespace

// --- TextFolder -------------------------------------------------------------------

struct TextFolder::Impl {
  fts5_tokenizer api{};
  Fts5Tokenizer* tokenizer = nullptr;
  ~Impl() {
    if (tokenizer != nullptr) api.xDelete(tokenizer);
  }
};

TextFolder::TextFolder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TextFolder::TextFolder(TextFolder&&) noexcept = default;
TextFolder& TextFolder::operator=(TextFolder&&) noexcept = default;
TextFolder::~TextFolder() = default;

Result<TextFolder> TextFolder::create(Database& db) {
  // The documented way to reach FTS5's C API from a connection.
  fts5_api* api = nullptr;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.handle(), "SELECT fts5(?1)", -1, &raw, nullptr) != SQLITE_OK)
    return sqlite_error(db.handle(), "fts5 api");
  sqlite3_bind_pointer(raw, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(raw);
  sqlite3_finalize(raw);
  if (api == nullptr) return store_error(StoreErrc::sqlite, "this SQLite has no FTS5");
  auto impl = std::make_unique<Impl>();
  void* user_data = nullptr;
  if (api->xFindTokenizer(api, "unicode61", &user_data, &impl->api) != SQLITE_OK)
    return store_error(StoreErrc::sqlite, "FTS5 has no unicode61 tokenizer");
  const char* args[] = {"remove_diacritics", "2"};
  if (impl->api.xCreate(user_data, args, 2, &impl->tokenizer) != SQLITE_OK)
    return store_error(StoreErrc::sqlite, "creating the unicode61 tokenizer failed");
  return TextFolder(std::move(impl));
}

std::vector<std::string> TextFolder::tokens(std::string_view text) const {
  std::vector<std::string> out;
  if (text.empty()) return out;
  auto add = [](void* ctx, int, const char* token, int n, int, int) -> int {
    static_cast<std::vector<std::string>*>(ctx)->emplace_back(token, static_cast<std::size_t>(n));
    return SQLITE_OK;
  };
  impl_->api.xTokenize(impl_->tokenizer, &out, FTS5_TOKENIZE_DOCUMENT, text.data(),
                       static_cast<int>(text.size()), add);
  return out;
}

std::string TextFolder::key(std::string_view text) const {
  std::string out;
  for (const std::string& t : tokens(text)) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

// --- glyphs and tokens ----------------------------------------------------------

void collect_glyphs(std::string_view text, std::set<char32_t>& out) {
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    char32_t cp = 0, least = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, least = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, least = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, least = 0x10000;
    }
    bool ok = len != 0 && i + len <= n;
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      ok = (d & 0xC0) == 0x80;
      cp = (cp << 6) | (d & 0x3F);
    }
    ok = ok && cp >= least && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (!ok) {
      ++i;  // skip the bad byte, resynchronise on the next one
      continue;
    }
    // C1 control characters have no glyph in any font.
    if (cp > 0x9F) out.insert(cp);
    i += len;
  }
}

std::string category_token(std::string_view category_id) {
  std::string out;
  for (char c : category_id) {
    if (c >= 'A' && c <= 'Z')
      out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out += c;
  }
  if (out.empty()) return out;
  return std::string(kCategoryMark) + out;
}

Result<bool> product_search_built(Database& db) {
  Result<std::optional<std::int64_t>> n =
      db.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'product_search'");
  if (!n) return n.error();
  return n.value().value_or(0) > 0;
}

// --- the bulk rebuild -----------------------------------------------------------

namespace {

// Every text the glyph table covers besides product names.
constexpr const char* kOtherGlyphTexts =
    "SELECT name FROM categories WHERE deleted = 0 "
    "UNION ALL SELECT tax_id FROM store_settings WHERE deleted = 0 "
    "UNION ALL SELECT address FROM store_settings WHERE deleted = 0 "
    "UNION ALL SELECT j.value FROM store_settings, json_each(store_settings.data) j "
    "WHERE store_settings.deleted = 0 AND json_valid(store_settings.data) AND j.type = 'text' "
    "AND j.key IN ('store_name', 'receipt_header', 'receipt_footer')";

Status collect_texts(Database& db, const char* sql, std::set<char32_t>& glyphs) {
  Result<Statement> st = db.prepare(sql);
  if (!st) return st.error();
  for (;;) {
    Result<bool> row = st.value().step();
    if (!row) return row.error();
    if (!row.value()) return {};
    collect_glyphs(st.value().text(0), glyphs);
  }
}

Status replace_glyphs(Database& db, const std::set<char32_t>& glyphs) {
  if (Status s = db.exec("DELETE FROM catalog_glyphs"); !s) return s;
  Result<Statement> put = db.prepare("INSERT INTO catalog_glyphs(cp) VALUES(?1)");
  if (!put) return put.error();
  for (char32_t cp : glyphs) {
    put.value().bind(1, static_cast<std::int64_t>(cp));
    if (Status s = run_once(put.value()); !s) return s;
  }
  return {};
}

}  // namespace

Status rebuild_product_search(Database& db) {
  if (Status s = db.exec("DROP TABLE IF EXISTS product_search; DROP TABLE IF EXISTS product_name_order"); !s)
    return s;
  if (Status s = db.exec(kCreateSearchTable); !s) return s;
  if (Status s = db.exec(kCreateOrderTable); !s) return s;
  Result<TextFolder> folder = TextFolder::create(db);
  if (!folder) return folder.error();

  struct Entry {
    std::string key;
    std::int64_t rowid;
  };
  std::vector<Entry> entries;
  std::map<std::string, std::string> category_tokens;
  std::set<char32_t> glyphs;
  {
    Result<Statement> st = db.prepare(
        "SELECT rowid, name, coalesce(category_id, ''), is_active FROM products WHERE deleted = 0");
    if (!st) return st.error();
    for (;;) {
      Result<bool> row = st.value().step();
      if (!row) return row.error();
      if (!row.value()) break;
      const std::string name = st.value().text(1);
      collect_glyphs(name, glyphs);
      if (st.value().int64(3) == 0) continue;
      const std::string cat = st.value().text(2);
      if (!cat.empty() && category_tokens.count(cat) == 0) category_tokens.emplace(cat, category_token(cat));
      entries.push_back(Entry{folder.value().key(name), st.value().int64(0)});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.key != b.key ? a.key < b.key : a.rowid < b.rowid;
  });
  {
    Result<Statement> put = db.prepare("INSERT INTO product_name_order(ord, product) VALUES(?1, ?2)");
    if (!put) return put.error();
    std::int64_t ord = 0;
    for (const Entry& e : entries) {
      put.value().bind(1, ord += kSearchGap).bind(2, e.rowid);
      if (Status s = run_once(put.value()); !s) return s;
    }
  }
  entries = {};
  if (Status s = db.exec(kCreateOrderIndex); !s) return s;

  // One statement, in place (= FTS rowid) order: FTS5 writes its pending
  // doclists out at the end of every statement of a transaction and
  // whenever a rowid goes backwards (row by row, measured 40x slower).
  if (Status s = db.exec("DROP TABLE IF EXISTS temp.search_categories; "
                         "CREATE TEMP TABLE search_categories(id TEXT PRIMARY KEY, token TEXT NOT NULL)");
      !s)
    return s;
  {
    Result<Statement> put = db.prepare("INSERT INTO temp.search_categories(id, token) VALUES(?1, ?2)");
    if (!put) return put.error();
    for (const auto& [id, token] : category_tokens) {
      put.value().bind(1, id).bind(2, token);
      if (Status s = run_once(put.value()); !s) return s;
    }
  }
  Status indexed = db.exec(
      "INSERT INTO product_search(rowid, name, category) "
      "SELECT o.ord, p.name, coalesce(c.token, '') FROM product_name_order o "
      "CROSS JOIN products p ON p.rowid = o.product "
      "LEFT JOIN temp.search_categories c ON c.id = p.category_id ORDER BY o.ord; "
      // Merged into one segment on a level of its own: later single-row
      // changes then merge among themselves, not into it (measured without
      // it: 50-380 ms stalls every ~20 changes; with it, none in 2,000).
      // With one big pending hash instead of the default 1 MB there would
      // be a single segment that 'optimize' leaves where it is: the stalls
      // came back.
      "INSERT INTO product_search(product_search) VALUES('optimize')");
  if (Status s = db.exec("DROP TABLE temp.search_categories"); !s && indexed) indexed = s;
  if (!indexed) return indexed;

  if (Status s = collect_texts(db, kOtherGlyphTexts, glyphs); !s) return s;
  return replace_glyphs(db, glyphs);
}

// --- incremental ------------------------------------------------------------------

namespace {

// A product as it sits in the index.
struct Placed {
  std::int64_t ord = 0;
  std::int64_t rowid = 0;
  std::string name;
  std::string category_id;
};

constexpr const char* kPlacedColumns =
    "SELECT o.ord, o.product, p.name, coalesce(p.category_id, '') FROM product_name_order o "
    "CROSS JOIN products p ON p.rowid = o.product ";

Result<std::vector<Placed>> read_placed(Statement& st) {
  ResetOnExit reset(st);
  std::vector<Placed> out;
  for (;;) {
    Result<bool> row = st.step();
    if (!row) return row.error();
    if (!row.value()) return out;
    out.push_back(Placed{st.int64(0), st.int64(1), st.text(2), st.text(3)});
  }
}

}  // namespace

struct ProductSearchWriter::State {
  explicit State(Database& d) : db(d) {}
  Database& db;
  std::optional<Statement> schema_version, glyph_put;
  std::int64_t cookie = -1;
  bool built = false;
  std::optional<TextFolder> folder;
  std::optional<Statement> fts_insert, fts_delete, set_ord, unset_ord, rowid_of, after_ord, before_ord;

  Status prepare() {
    if (folder) return {};
    Result<TextFolder> f = TextFolder::create(db);
    if (!f) return f.error();
    const std::pair<std::optional<Statement>*, std::string> all[] = {
        {&fts_insert, "INSERT INTO product_search(rowid, name, category) VALUES(?1, ?2, ?3)"},
        {&fts_delete, "DELETE FROM product_search WHERE rowid = ?1"},
        {&set_ord, "INSERT INTO product_name_order(ord, product) VALUES(?2, ?1)"},
        {&unset_ord, "DELETE FROM product_name_order WHERE ord = ?1"},
        {&rowid_of,
         "SELECT p.rowid, o.ord FROM products p LEFT JOIN product_name_order o ON o.product = p.rowid WHERE "
         "p.id = ?1"},
        {&after_ord, std::string(kPlacedColumns) + "WHERE o.ord >= ?1 ORDER BY o.ord LIMIT ?2"},
        {&before_ord, std::string(kPlacedColumns) + "WHERE o.ord <= ?1 ORDER BY o.ord DESC LIMIT ?2"},
    };
    for (const auto& [slot, sql] : all) {
      Result<Statement> st = db.prepare(sql);
      if (!st) return st.error();
      slot->emplace(std::move(st).value());
    }
    folder.emplace(std::move(f).value());
    return {};
  }

  // Up to `n` placed rows from `ord` on (inclusive) upwards, or downwards.
  Result<std::vector<Placed>> rows_from(std::int64_t ord, std::int64_t n, bool upwards) {
    Statement& st = upwards ? *after_ord : *before_ord;
    st.bind(1, ord).bind(2, n);
    return read_placed(st);
  }

  Status index(std::int64_t rowid, std::int64_t ord, std::string_view name, std::string_view category_id) {
    set_ord->bind(1, rowid).bind(2, ord);
    if (Status r = run_once(*set_ord); !r) return r;
    fts_insert->bind(1, ord).bind(2, name).bind(3, category_token(category_id));
    return run_once(*fts_insert);
  }

  Status unindex(std::int64_t ord) {
    fts_delete->bind(1, ord);
    if (Status r = run_once(*fts_delete); !r) return r;
    unset_ord->bind(1, ord);
    return run_once(*unset_ord);
  }

  // The ord for (key, rowid), which is not indexed itself: between
  // its neighbours in name order, found by bisecting ord values.
  Result<std::int64_t> place(const std::string& key, std::int64_t rowid) {
    auto below = [&](const Placed& p) {
      const std::string k = folder->key(p.name);
      return k != key ? k < key : p.rowid < rowid;
    };
    Result<std::vector<Placed>> first = rows_from(std::numeric_limits<std::int64_t>::min(), 1, true);
    if (!first) return first.error();
    if (first.value().empty()) return kSearchGap;
    if (!below(first.value()[0])) return first.value()[0].ord - kSearchGap;
    Result<std::vector<Placed>> last = rows_from(std::numeric_limits<std::int64_t>::max(), 1, false);
    if (!last) return last.error();
    if (below(last.value()[0])) return last.value()[0].ord + kSearchGap;

    // lo < target < hi are indexed rows, and no indexed row lies in [top, hi.ord).
    Placed lo = std::move(first.value()[0]);
    Placed hi = std::move(last.value()[0]);
    std::int64_t top = hi.ord;
    while (top - lo.ord > 1) {
      const std::int64_t mid = lo.ord + (top - lo.ord) / 2;
      Result<std::vector<Placed>> r = rows_from(mid, 1, true);
      if (!r) return r.error();
      if (r.value().empty() || r.value()[0].ord >= top) {
        top = mid;
      } else if (below(r.value()[0])) {
        lo = std::move(r.value()[0]);
      } else {
        hi = std::move(r.value()[0]);
        top = mid;
      }
    }
    if (hi.ord - lo.ord >= 2) return lo.ord + (hi.ord - lo.ord) / 2;
    return respace(lo.ord, hi.ord);
  }

  // No room between two neighbours: give the rows around them new, evenly
  // spread places (widening the window until there is room), so the next
  // names there fit again. Their FTS rows move with them. Returns the place
  // left free between the two.
  Result<std::int64_t> respace(std::int64_t lo_ord, std::int64_t hi_ord) {
    for (std::int64_t want = 16;; want *= 4) {
      Result<std::vector<Placed>> before = rows_from(lo_ord, want + 1, false);
      if (!before) return before.error();
      Result<std::vector<Placed>> after = rows_from(hi_ord, want + 1, true);
      if (!after) return after.error();
      std::vector<Placed>& b = before.value();  // lo first, going down
      std::vector<Placed>& a = after.value();   // hi first, going up
      // Exclusive bounds, held by the first rows outside the window; none
      // when the window reaches that end of the index.
      std::optional<std::int64_t> left, right;
      if (static_cast<std::int64_t>(b.size()) > want) {
        left = b.back().ord;
        b.pop_back();
      }
      if (static_cast<std::int64_t>(a.size()) > want) {
        right = a.back().ord;
        a.pop_back();
      }
      const auto slots = static_cast<std::int64_t>(b.size() + a.size() + 1);
      std::int64_t step = kSearchGap;
      if (left && right) {
        step = (*right - *left) / (slots + 1);
        if (step < 32) continue;  // too crowded here: widen
      } else if (right) {
        left = *right - (slots + 1) * kSearchGap;
      } else if (!left) {
        left = b.back().ord - kSearchGap;
      }
      std::reverse(b.begin(), b.end());
      for (const Placed& p : b)
        if (Status r = unindex(p.ord); !r) return r.error();
      for (const Placed& p : a)
        if (Status r = unindex(p.ord); !r) return r.error();
      std::int64_t ord = *left;
      for (const Placed& p : b)
        if (Status r = index(p.rowid, ord += step, p.name, p.category_id); !r) return r.error();
      const std::int64_t free = ord += step;
      for (const Placed& p : a)
        if (Status r = index(p.rowid, ord += step, p.name, p.category_id); !r) return r.error();
      return free;
    }
  }
};

ProductSearchWriter::ProductSearchWriter(Database& db) : st_(std::make_unique<State>(db)) {}
ProductSearchWriter::~ProductSearchWriter() = default;

Result<bool> ProductSearchWriter::built() {
  State& s = *st_;
  if (!s.schema_version) {
    Result<Statement> v = s.db.prepare("PRAGMA schema_version");
    if (!v) return v.error();
    s.schema_version.emplace(std::move(v).value());
  }
  std::int64_t cookie = 0;
  {
    ResetOnExit reset(*s.schema_version);
    Result<bool> row = s.schema_version->step();
    if (!row) return row.error();
    cookie = row.value() ? s.schema_version->int64(0) : 0;
  }
  if (cookie == s.cookie) return s.built;
  Result<bool> built = product_search_built(s.db);
  if (!built) return built.error();
  s.cookie = cookie;
  s.built = built.value();
  return s.built;
}

Status ProductSearchWriter::note_glyphs(std::string_view text) {
  std::set<char32_t> glyphs;
  collect_glyphs(text, glyphs);
  if (glyphs.empty()) return {};
  State& s = *st_;
  if (!s.glyph_put) {
    Result<Statement> put = s.db.prepare("INSERT OR IGNORE INTO catalog_glyphs(cp) VALUES(?1)");
    if (!put) return put.error();
    s.glyph_put.emplace(std::move(put).value());
  }
  for (char32_t cp : glyphs) {
    s.glyph_put->bind(1, static_cast<std::int64_t>(cp));
    if (Status r = run_once(*s.glyph_put); !r) return r;
  }
  return {};
}

Status ProductSearchWriter::product_changed(std::string_view id, const Entry& before,
                                            const std::optional<Entry>& after) {
  State& s = *st_;
  if (Status p = s.prepare(); !p) return p;
  std::int64_t rowid = 0;
  std::optional<std::int64_t> before_ord;
  {
    ResetOnExit reset(*s.rowid_of);
    s.rowid_of->bind(1, id);
    Result<bool> row = s.rowid_of->step();
    if (!row) return row.error();
    if (!row.value()) return store_error(StoreErrc::sqlite, "product " + std::string(id) + " is not stored");
    rowid = s.rowid_of->int64(0);
    if (!s.rowid_of->is_null(1)) before_ord = s.rowid_of->int64(1);
  }
  const std::string key = after ? s.folder->key(after->name) : std::string();
  if (before_ord && after && s.folder->key(before.name) == key) {
    // Same place in name order: only the category can have changed.
    if (before.category_id == after->category_id) return {};
    if (Status r = s.unindex(*before_ord); !r) return r;
    return s.index(rowid, *before_ord, after->name, after->category_id);
  }
  if (before_ord)
    if (Status r = s.unindex(*before_ord); !r) return r;
  if (!after) return {};
  Result<std::int64_t> ord = s.place(key, rowid);
  if (!ord) return ord.error();
  return s.index(rowid, ord.value(), after->name, after->category_id);
}

}  // namespace salespider::store
