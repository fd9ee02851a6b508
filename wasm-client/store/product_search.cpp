// Product search index maintenance and the glyph table (product_search.hpp).
#include "store/product_search.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <utility>

namespace salespider::store {

namespace {

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

namespace {

// The live definition of the search index (schema version 3 documents it;
// this is what SearchIndexBuild creates, under another name
// until it is whole). Contentless: the names are
// in products already, so FTS5 keeps only its index. detail=none: no phrase
// or column queries needed, and it is the smallest index. prefix 1-6: every
// word prefix a cashier types up to six characters is one term lookup read
// lazily; longer ones read the few words starting with them.
constexpr const char* kCreateBuildTable =
    "CREATE VIRTUAL TABLE product_search_build USING fts5(name, category, content='', contentless_delete=1, "
    "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6', detail=none)";

// Grows or shrinks a slice's row count so one statement takes between an
// eighth and half of the budget.
std::int64_t next_rows(std::int64_t rows, double took_ms, double budget_ms, std::int64_t max_rows) {
  if (took_ms < budget_ms / 8) return std::min<std::int64_t>(rows * 2, max_rows);
  if (took_ms > budget_ms / 2) return std::max<std::int64_t>(rows / 2, std::min<std::int64_t>(64, max_rows));
  return rows;
}

}  // namespace

struct SearchIndexBuild::State {
  enum class Phase { start, scan, place, fts, merge, finish, done };
  struct Entry {
    std::string key;
    std::int64_t rowid;
    bool operator<(const Entry& o) const { return key != o.key ? key < o.key : rowid < o.rowid; }
  };
  State(std::function<double()> clock, std::int64_t max) : now(std::move(clock)), max_rows(max) {
    rows = std::min(rows, max_rows);
  }

  std::function<double()> now;
  std::int64_t max_rows;
  Phase phase = Phase::start;
  std::optional<TextFolder> folder;
  std::set<char32_t> glyphs;
  std::map<std::string, std::string> category_tokens;
  // scan: sorted runs of entries, one per slice; place: merged from the
  // heads of the runs (heads[i] = next unread entry of runs[i]) through a
  // heap of the runs not yet exhausted.
  std::vector<std::vector<Entry>> runs;
  std::vector<std::size_t> heads, heap;
  std::int64_t last_rowid = std::numeric_limits<std::int64_t>::min();
  std::int64_t placed = 0, total = 0, indexed = 0;
  std::int64_t rows = 512;  // rows per statement, adapted to the budget
  std::int64_t pages = 16;  // pages per merge step, adapted likewise
  std::optional<Statement> scan, put, fts;

  // Orders the heap of runs by their next entry, smallest on top.
  struct Later {
    const State* s;
    bool operator()(std::size_t a, std::size_t b) const { return s->runs[b][s->heads[b]] < s->runs[a][s->heads[a]]; }
  };
  Later later() const { return Later{this}; }

  Status start(Database& db) {
    if (Status s = db.exec("DROP TABLE IF EXISTS product_search; DROP TABLE IF EXISTS product_search_build; "
                           "DROP TABLE IF EXISTS product_name_order");
        !s)
      return s;
    if (Status s = db.exec("CREATE INDEX IF NOT EXISTS products_by_sku ON products(lower(sku)); "
                           "CREATE INDEX IF NOT EXISTS barcodes_by_product ON barcodes(product_id)");
        !s)
      return s;
    if (Status s = db.exec(kCreateBuildTable); !s) return s;
    // No merging while the rows go in (each slice's statement writes a
    // segment; automerge would merge inside those statements, unbounded);
    // the merge phase does it in bounded steps, then the default (4) is back.
    if (Status s = db.exec("INSERT INTO product_search_build(product_search_build, rank) VALUES('automerge', 0); "
                           "INSERT INTO product_search_build(product_search_build, rank) VALUES('crisismerge', 64)");
        !s)
      return s;
    if (Status s = db.exec(kCreateOrderTable); !s) return s;
    // The index first: rows then arrive in name order, and the index on
    // product takes them one by one (no single CREATE INDEX over them all).
    if (Status s = db.exec(kCreateOrderIndex); !s) return s;
    Result<TextFolder> f = TextFolder::create(db);
    if (!f) return f.error();
    folder.emplace(std::move(f).value());
    Result<Statement> sc = db.prepare(
        "SELECT rowid, name, coalesce(category_id, ''), is_active FROM products WHERE deleted = 0 AND rowid > ?1 "
        "ORDER BY rowid LIMIT ?2");
    if (!sc) return sc.error();
    scan.emplace(std::move(sc).value());
    phase = Phase::scan;
    return {};
  }

  // One run: the next `rows` products by rowid, folded and sorted.
  Status scan_slice(Database& db) {
    std::vector<Entry> run;
    std::int64_t seen = 0;
    {
      ResetOnExit reset(*scan);
      scan->bind(1, last_rowid).bind(2, rows);
      for (;;) {
        Result<bool> row = scan->step();
        if (!row) return row.error();
        if (!row.value()) break;
        ++seen;
        last_rowid = scan->int64(0);
        const std::string name = scan->text(1);
        collect_glyphs(name, glyphs);
        if (scan->int64(3) == 0) continue;
        const std::string cat = scan->text(2);
        if (!cat.empty() && category_tokens.count(cat) == 0) category_tokens.emplace(cat, category_token(cat));
        run.push_back(Entry{folder->key(name), last_rowid});
      }
    }
    std::sort(run.begin(), run.end());
    total += static_cast<std::int64_t>(run.size());
    if (!run.empty()) runs.push_back(std::move(run));
    if (seen == rows) return {};
    scan.reset();
    heads.assign(runs.size(), 0);
    for (std::size_t i = 0; i < runs.size(); ++i) heap.push_back(i);
    std::make_heap(heap.begin(), heap.end(), later());
    Result<Statement> p = db.prepare("INSERT INTO product_name_order(ord, product) VALUES(?1, ?2)");
    if (!p) return p.error();
    put.emplace(std::move(p).value());
    phase = Phase::place;
    return {};
  }

  // The next `rows` entries in name order, merged from the runs' heads.
  Status place_slice() {
    for (std::int64_t n = 0; n < rows && !heap.empty(); ++n) {
      std::pop_heap(heap.begin(), heap.end(), later());
      const std::size_t run = heap.back();
      put->bind(1, (placed + 1) * kSearchGap).bind(2, runs[run][heads[run]].rowid);
      if (Status s = run_once(*put); !s) return s;
      ++placed;
      if (++heads[run] < runs[run].size())
        std::push_heap(heap.begin(), heap.end(), later());
      else
        heap.pop_back();
    }
    if (heap.empty()) {
      runs = {};
      heads = {};
      put.reset();
      phase = Phase::fts;
    }
    return {};
  }

  Status fts_start(Database& db) {
    if (Status s = db.exec("DROP TABLE IF EXISTS temp.search_categories; "
                           "CREATE TEMP TABLE search_categories(id TEXT PRIMARY KEY, token TEXT NOT NULL)");
        !s)
      return s;
    Result<Statement> cat = db.prepare("INSERT INTO temp.search_categories(id, token) VALUES(?1, ?2)");
    if (!cat) return cat.error();
    for (const auto& [id, token] : category_tokens) {
      cat.value().bind(1, id).bind(2, token);
      if (Status s = run_once(cat.value()); !s) return s;
    }
    // In place (= FTS rowid) order within each statement: FTS5 writes its
    // pending doclists out at the end of every statement and whenever a
    // rowid goes backwards (row by row, measured 40x slower).
    Result<Statement> f = db.prepare(
        "INSERT INTO product_search_build(rowid, name, category) "
        "SELECT o.ord, p.name, coalesce(c.token, '') FROM product_name_order o "
        "CROSS JOIN products p ON p.rowid = o.product "
        "LEFT JOIN temp.search_categories c ON c.id = p.category_id WHERE o.ord > ?1 AND o.ord <= ?2 "
        "ORDER BY o.ord");
    if (!f) return f.error();
    fts.emplace(std::move(f).value());
    return {};
  }

  Status fts_slice() {
    const std::int64_t upto = std::min(total, indexed + rows);
    fts->bind(1, indexed * kSearchGap).bind(2, upto * kSearchGap);
    if (Status s = run_once(*fts); !s) return s;
    indexed = upto;
    if (indexed == total) {
      fts.reset();
      phase = Phase::merge;
    }
    return {};
  }

  // A bounded piece of merging every segment into one (FTS5's 'merge'
  // with a negative page count); none left to do when it changed nothing.
  Status merge_slice(Database& db) {
    const sqlite3_int64 before = sqlite3_total_changes64(db.handle());
    const std::string sql =
        "INSERT INTO product_search_build(product_search_build, rank) VALUES('merge', -" + std::to_string(pages) + ")";
    if (Status s = db.exec(sql.c_str()); !s) return s;
    if (sqlite3_total_changes64(db.handle()) - before < 2) phase = Phase::finish;
    return {};
  }

  Status finish(Database& db) {
    // Merged into one segment on a level of its own: later single-row
    // changes then merge among themselves, not into it (measured without
    // it: 50-380 ms stalls every ~20 changes; with it, none in 2,000).
    // After the merges above 'optimize' finds one segment and does nothing.
    if (Status s = db.exec("INSERT INTO product_search_build(product_search_build) VALUES('optimize'); "
                           "INSERT INTO product_search_build(product_search_build, rank) VALUES('automerge', 4); "
                           "INSERT INTO product_search_build(product_search_build, rank) VALUES('crisismerge', 16); "
                           "DROP TABLE temp.search_categories");
        !s)
      return s;
    if (Status s = collect_texts(db, kOtherGlyphTexts, glyphs); !s) return s;
    if (Status s = replace_glyphs(db, glyphs); !s) return s;
    if (Status s = db.exec("ALTER TABLE product_search_build RENAME TO product_search"); !s) return s;
    phase = Phase::done;
    return {};
  }

  // One statement of the current phase, its size adapted to the budget.
  Status unit(Database& db, double budget_ms) {
    const double t0 = now();
    Status s;
    switch (phase) {
      case Phase::start:
        return start(db);
      case Phase::scan:
        s = scan_slice(db);
        break;
      case Phase::place:
        s = place_slice();
        break;
      case Phase::fts:
        s = fts ? fts_slice() : fts_start(db);
        break;
      case Phase::merge: {
        s = merge_slice(db);
        const double took = now() - t0;
        if (took < budget_ms / 8) pages = std::min<std::int64_t>(pages * 2, 1 << 16);
        if (took > budget_ms / 2) pages = std::max<std::int64_t>(pages / 2, 4);
        return s;
      }
      case Phase::finish:
        return finish(db);
      case Phase::done:
        return {};
    }
    rows = next_rows(rows, now() - t0, budget_ms, max_rows);
    return s;
  }
};

SearchIndexBuild::SearchIndexBuild(std::function<double()> now_ms, std::int64_t max_rows)
    : st_(std::make_unique<State>(std::move(now_ms), std::max<std::int64_t>(1, max_rows))) {}
SearchIndexBuild::~SearchIndexBuild() = default;

Result<bool> SearchIndexBuild::step(Database& db, double budget_ms) {
  State& s = *st_;
  const double started = s.now();
  do {
    if (Status w = s.unit(db, budget_ms); !w) return w.error();
  } while (s.phase != State::Phase::done && s.now() - started < budget_ms);
  return s.phase == State::Phase::done;
}

std::int64_t SearchIndexBuild::placed() const { return st_->placed; }
std::int64_t SearchIndexBuild::total() const { return st_->phase >= State::Phase::place ? st_->total : 0; }

Status rebuild_product_search(Database& db) {
  SearchIndexBuild build([] { return 0.0; });
  for (;;) {
    Result<bool> done = build.step(db, std::numeric_limits<double>::infinity());
    if (!done) return done.error();
    if (done.value()) return {};
  }
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
