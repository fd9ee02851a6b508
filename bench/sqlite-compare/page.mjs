// Page side of bench/sqlite_compare_bench.mjs: one driver over SQLite's C API
// as a wasm module exports it, so every engine runs exactly the same JS (the
// same string copies, the same prepare/bind/step/reset calls) and only the
// compiled SQLite differs. The workload is the till's: its products schema
// with the FTS5 search index (wasm-client/store/migrations.cpp,
// product_search.cpp), 100,000 products inserted in one transaction through
// prepared statements, the index built as rebuild_product_search builds it,
// then the queries one keystroke of search-as-you-type issues
// (store/catalog.cpp: exact barcode, exact SKU, the FTS page and count, SKU
// and barcode prefix ranges) for typed prefixes of 1-6 characters.
// Not measured here: the till's C++ around SQLite (its Statement wrapper,
// the TextFolder), IndexedDB snapshots.

const SQLITE_ROW = 100;
const SQLITE_DONE = 101;
const SQLITE_TRANSIENT = -1;
const OPEN_RW_CREATE = 0x2 | 0x4;

// `fns`: name -> the raw C function; `heap()`: the current Uint8Array view
// of the module's memory (it changes when memory grows).
class Db {
  constructor(api, filename, vfs) {
    this.f = api.fns;
    this.heap = api.heap;
    this.enc = new TextEncoder();
    this.dec = new TextDecoder();
    this.scratchSize = 1 << 16;
    this.scratch = this.f.sqlite3_malloc(this.scratchSize);
    this.pp = this.f.sqlite3_malloc(8);
    const name = this.cstr(filename);
    const vfsName = vfs ? this.cstr(vfs, 4096) : 0;
    const rc = this.f.sqlite3_open_v2(name, this.pp, OPEN_RW_CREATE, vfs ? vfsName : 0);
    this.db = this.u32(this.pp);
    if (rc !== 0) throw new Error(`open ${filename}: ${rc}`);
  }

  u32(ptr) { const h = this.heap(); return (h[ptr] | (h[ptr + 1] << 8) | (h[ptr + 2] << 16) | (h[ptr + 3] << 24)) >>> 0; }

  // A NUL-terminated copy of `s` in the scratch buffer at `offset`.
  cstr(s, offset = 0) {
    const h = this.heap();
    const { written } = this.enc.encodeInto(s, h.subarray(this.scratch + offset, this.scratch + this.scratchSize - 1));
    h[this.scratch + offset + written] = 0;
    return this.scratch + offset;
  }

  error() {
    const p = this.f.sqlite3_errmsg(this.db);
    const h = this.heap();
    let e = p;
    while (h[e]) e++;
    return this.dec.decode(h.slice(p, e));
  }

  exec(sql) {
    const rc = this.f.sqlite3_exec(this.db, this.cstr(sql), 0, 0, 0);
    if (rc !== 0) throw new Error(`${sql.slice(0, 60)}: ${this.error()}`);
  }

  prepare(sql) {
    const rc = this.f.sqlite3_prepare_v2(this.db, this.cstr(sql), -1, this.pp, 0);
    if (rc !== 0) throw new Error(`${sql.slice(0, 60)}: ${this.error()}`);
    return new Stmt(this, this.u32(this.pp));
  }

  close() {
    this.f.sqlite3_close_v2(this.db);
    this.f.sqlite3_free(this.scratch);
    this.f.sqlite3_free(this.pp);
  }
}

class Stmt {
  constructor(db, st) { this.db = db; this.st = st; }
  bind(i, v) {
    const f = this.db.f;
    if (typeof v === 'number') {
      f.sqlite3_bind_int(this.st, i, v);
    } else {
      const h = this.db.heap();
      const { written } = this.db.enc.encodeInto(v, h.subarray(this.db.scratch, this.db.scratch + this.db.scratchSize));
      f.sqlite3_bind_text(this.st, i, this.db.scratch, written, SQLITE_TRANSIENT);
    }
    return this;
  }
  // Runs to the end; returns the number of rows, reading `textCols` text
  // columns and `intCols` int columns of each (what the till reads).
  run(textCols = 0, intCols = 0) {
    const f = this.db.f;
    let rows = 0;
    for (;;) {
      const rc = f.sqlite3_step(this.st);
      if (rc === SQLITE_DONE) break;
      if (rc !== SQLITE_ROW) { f.sqlite3_reset(this.st); throw new Error(`step: ${this.db.error()}`); }
      rows++;
      for (let c = 0; c < textCols; c++) {
        const p = f.sqlite3_column_text(this.st, c);
        const n = f.sqlite3_column_bytes(this.st, c);
        if (p) this.db.dec.decode(this.db.heap().subarray(p, p + n));
      }
      for (let c = 0; c < intCols; c++) f.sqlite3_column_int(this.st, textCols + c);
    }
    f.sqlite3_reset(this.st);
    return rows;
  }
  finalize() { this.db.f.sqlite3_finalize(this.st); }
}

// The till's connection pragmas (store/store.cpp) and the products side of
// its schema, as migrations.cpp leaves it.
const PRAGMAS = 'PRAGMA page_size=4096; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=MEMORY; '
  + 'PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY;';
const SCHEMA = `
CREATE TABLE tax_rates (id TEXT PRIMARY KEY, name TEXT NOT NULL, row_version INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0, code TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL DEFAULT 'standard',
  rate_ppm INTEGER NOT NULL DEFAULT 0, is_active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE categories (id TEXT PRIMARY KEY, name TEXT NOT NULL, row_version INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0);
CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL, price_minor INTEGER NOT NULL, currency TEXT NOT NULL,
  tax_rate_id TEXT, category_id TEXT, row_version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
  sku TEXT, description TEXT NOT NULL DEFAULT '', unit TEXT NOT NULL DEFAULT 'each',
  track_stock INTEGER NOT NULL DEFAULT 1, reorder_level_milli INTEGER, is_active INTEGER NOT NULL DEFAULT 1,
  barcodes TEXT NOT NULL DEFAULT '[]');
CREATE INDEX products_by_sku ON products(lower(sku));
CREATE TABLE barcodes (code TEXT PRIMARY KEY, product_id TEXT NOT NULL);
CREATE INDEX barcodes_by_product ON barcodes(product_id);
CREATE TABLE stock_levels (product_id TEXT PRIMARY KEY, on_hand_milli INTEGER NOT NULL,
  row_version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0);
`;
// product_search.cpp's live definition and its name-order table.
const INDEX = `
CREATE VIRTUAL TABLE product_search USING fts5(name, category, content='', contentless_delete=1,
  tokenize='unicode61 remove_diacritics 2', prefix='1 2 3 4 5 6', detail=none);
CREATE TABLE product_name_order(ord INTEGER PRIMARY KEY, product INTEGER NOT NULL);
CREATE UNIQUE INDEX products_by_name ON product_name_order(product);
`;

const ADJ = ['Golden', 'Sunny', 'Premium', 'Valley', 'Royal', 'Fresh', 'Classic', 'Family'];
const NOUN = ['Rice 5kg', 'Tomato paste 70g', 'Sardines 125g', 'Bar soap', 'Milk powder 400g', 'Bread loaf',
  'Orange juice 1L', 'Biscuits 100g', 'Sugar 1kg', 'Groundnut oil 1L', 'Spaghetti 500g'];
const CATEGORIES = ['Groceries', 'Drinks', 'Household', 'Produce', 'Bakery', 'Dairy', 'Personal care', 'Snacks'];
const uuid = (kind, i) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

// 100,000 products as bench/till_bench.mjs seeds them on the server, with a
// barcode and a stock level each. Returns ms per phase.
function load(db, n) {
  const t = {};
  let t0 = performance.now();
  db.exec('BEGIN');
  db.exec(`INSERT INTO tax_rates(id, name, code, kind, rate_ppm) VALUES('${uuid(1, 0)}', 'VAT 7.5%', 'VAT', 'standard', 75000),
    ('${uuid(1, 1)}', 'Zero-rated food', 'ZERO', 'zero', 0)`);
  const cat = db.prepare('INSERT INTO categories(id, name, row_version) VALUES(?1, ?2, 1)');
  CATEGORIES.forEach((c, k) => cat.bind(1, uuid(2, k)).bind(2, c).run());
  cat.finalize();
  const product = db.prepare('INSERT INTO products(id, name, price_minor, currency, tax_rate_id, category_id, row_version, '
    + 'sku, unit, track_stock, reorder_level_milli, is_active, barcodes) '
    + 'VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)');
  const barcode = db.prepare('INSERT INTO barcodes(code, product_id) VALUES(?1, ?2)');
  const stock = db.prepare('INSERT INTO stock_levels(product_id, on_hand_milli, row_version) VALUES(?1, ?2, 1)');
  for (let i = 0; i < n; i++) {
    const id = uuid(3, i);
    const code = '20' + String(i).padStart(11, '0');
    product.bind(1, id).bind(2, `${ADJ[i % 8]} ${NOUN[i % 11]} ${Math.floor(i / 88)}`).bind(3, 100 * (5 + (i % 200)))
      .bind(4, 'NGN').bind(5, uuid(1, i % 2)).bind(6, uuid(2, i % 8)).bind(7, 2).bind(8, `D${10000 + i}`)
      .bind(9, 'each').bind(10, 1).bind(11, 10000).bind(12, 1).bind(13, `["${code}"]`).run();
    barcode.bind(1, code).bind(2, id).run();
    stock.bind(1, id).bind(2, 60000).run();
  }
  product.finalize(); barcode.finalize(); stock.finalize();
  t.insert_ms = performance.now() - t0;
  // rebuild_product_search: the name order, then the FTS rows in that order
  // (rowid = place), then one merge of the index.
  t0 = performance.now();
  db.exec(INDEX);
  db.exec('INSERT INTO product_name_order(ord, product) '
    + 'SELECT row_number() OVER (ORDER BY lower(name), rowid), rowid FROM products WHERE deleted = 0');
  db.exec("CREATE TEMP TABLE search_categories(id TEXT PRIMARY KEY, token TEXT NOT NULL)");
  db.exec("INSERT INTO temp.search_categories SELECT id, char(57344) || lower(replace(id, '-', '')) FROM categories");
  db.exec('INSERT INTO product_search(rowid, name, category) '
    + "SELECT o.ord, p.name, coalesce(c.token, '') FROM product_name_order o CROSS JOIN products p ON p.rowid = o.product "
    + 'LEFT JOIN temp.search_categories c ON c.id = p.category_id ORDER BY o.ord');
  db.exec("INSERT INTO product_search(product_search) VALUES('optimize')");
  db.exec('DROP TABLE temp.search_categories');
  db.exec('COMMIT');
  t.index_ms = performance.now() - t0;
  return t;
}

// catalog.cpp's statements for one keystroke.
const SELECT = "SELECT p.id, coalesce(p.sku, ''), p.name, p.currency, coalesce(p.tax_rate_id, ''), p.unit, "
  + "coalesce(t.code, ''), coalesce(t.kind, ''), coalesce(p.category_id, ''), coalesce(json_extract(p.barcodes, '$[0]'), ''), "
  + 'p.price_minor, p.track_stock, s.on_hand_milli, coalesce(t.rate_ppm, 0), p.is_active, o.ord';
const JOINS = ' LEFT JOIN stock_levels s ON s.product_id = p.id AND s.deleted = 0'
  + ' LEFT JOIN tax_rates t ON t.id = p.tax_rate_id AND t.deleted = 0 ';
const PLACE = ' LEFT JOIN product_name_order o ON o.product = p.rowid';
const SELLABLE = ' p.deleted = 0 AND p.is_active = 1';
const QUERIES = {
  barcode: `${SELECT} FROM barcodes b CROSS JOIN products p ON p.id = b.product_id${PLACE}${JOINS}WHERE b.code = ?1 AND${SELLABLE}`,
  sku: `${SELECT} FROM products p${PLACE}${JOINS}WHERE lower(p.sku) = ?1 AND${SELLABLE} ORDER BY p.rowid LIMIT 4`,
  fts_page: `${SELECT} FROM product_search CROSS JOIN product_name_order o ON o.ord = product_search.rowid `
    + `CROSS JOIN products p ON p.rowid = o.product${JOINS}`
    + 'WHERE product_search MATCH ?1 AND product_search.rowid NOT IN (SELECT value FROM json_each(?2)) '
    + 'ORDER BY product_search.rowid LIMIT ?3 OFFSET 0',
  fts_count: 'SELECT count(*) FROM product_search WHERE product_search MATCH ?1 AND rowid NOT IN (SELECT value FROM json_each(?2))',
  sku_range: `${SELECT} FROM (SELECT rowid AS r FROM products WHERE lower(sku) >= ?1 AND lower(sku) < ?1 || char(1114111) `
    + `ORDER BY lower(sku) LIMIT 50) k CROSS JOIN products p ON p.rowid = k.r${PLACE}${JOINS}WHERE${SELLABLE}`,
  barcode_range: `${SELECT} FROM (SELECT product_id AS id FROM barcodes WHERE code >= ?1 AND code < ?1 || char(1114111) `
    + `ORDER BY code LIMIT 50) k CROSS JOIN products p ON p.id = k.id${PLACE}${JOINS}WHERE${SELLABLE}`,
};
// Words a cashier types, one character at a time (names, an SKU, a barcode).
const WORDS = ['golden', 'tomato', 'sardin', 'milk p', 'd12345', '200000'];

// Per keystroke (prefix of 1-6 characters): every statement above, as one
// keystroke runs them; ms per keystroke, each keystroke REPEAT times.
function search(db, repeat) {
  const st = Object.fromEntries(Object.entries(QUERIES).map(([k, q]) => [k, db.prepare(q)]));
  const samples = [];
  let rows = 0;
  for (let r = 0; r < repeat; r++) {
    for (const word of WORDS) {
      for (let len = 1; len <= word.length; len++) {
        const text = word.slice(0, len).trim();
        if (!text) continue;
        const t0 = performance.now();
        rows += st.barcode.bind(1, text).run(10, 6);
        rows += st.sku.bind(1, text.toLowerCase()).run(10, 6);
        const match = text.toLowerCase().split(/\s+/).map((w) => `"${w}"*`).join(' ');
        rows += st.fts_page.bind(1, match).bind(2, '[]').bind(3, 50).run(10, 6);
        rows += st.fts_count.bind(1, match).bind(2, '[]').run(0, 1);
        rows += st.sku_range.bind(1, text.toLowerCase()).run(10, 6);
        rows += st.barcode_range.bind(1, text).run(10, 6);
        samples.push({ len, ms: performance.now() - t0 });
      }
    }
  }
  Object.values(st).forEach((s) => s.finalize());
  return { samples, rows };
}

function compileOptions(db) {
  const st = db.prepare('PRAGMA compile_options');
  const out = [];
  const f = db.f;
  while (f.sqlite3_step(st.st) === SQLITE_ROW) {
    const p = f.sqlite3_column_text(st.st, 0);
    out.push(db.dec.decode(db.heap().slice(p, p + f.sqlite3_column_bytes(st.st, 0))));
  }
  st.finalize();
  return out;
}

// The engines, loaded once: raw C functions and the heap of each module.
const NAMES = ['sqlite3_open_v2', 'sqlite3_close_v2', 'sqlite3_exec', 'sqlite3_prepare_v2', 'sqlite3_step',
  'sqlite3_reset', 'sqlite3_finalize', 'sqlite3_bind_int', 'sqlite3_bind_text', 'sqlite3_column_int',
  'sqlite3_column_text', 'sqlite3_column_bytes', 'sqlite3_errmsg', 'sqlite3_malloc', 'sqlite3_free'];

async function official(url) {
  const init = (await import(url)).default;
  const sqlite3 = await init({ print: () => {}, printErr: () => {} });
  const x = sqlite3.wasm.exports;
  const fns = Object.fromEntries(NAMES.map((n) => [n, x[n]]));
  return { fns, heap: () => sqlite3.wasm.heap8u(), version: sqlite3.version.libVersion };
}

async function ours(url) {
  const init = (await import(url)).default;
  const m = await init({ print: () => {}, printErr: () => {} });
  const fns = Object.fromEntries(NAMES.map((n) => [n, m[`_${n}`]]));
  const vfsPtr = m._bench_mem_vfs_name();
  let end = vfsPtr;
  while (m.HEAPU8[end]) end++;
  const vfs = new TextDecoder().decode(m.HEAPU8.slice(vfsPtr, end));
  return { fns, heap: () => m.HEAPU8, vfs, module: m };
}

window.benchSetup = async () => {
  const engines = {
    official: await official('/official/sqlite3.mjs'),
    ours: await ours('/ours/sqlite-ours.mjs'),
    official_recent: await official('/recent/index.mjs'),
  };
  window.engines = engines;
  const info = {};
  for (const [name, e] of Object.entries(engines)) {
    const db = new Db(e, ':memory:');
    info[name] = compileOptions(db);
    db.close();
  }
  return info;
};

// One run of one engine: a new database (':memory:', or the till's page VFS
// for "ours_mem_vfs"), the load, the search.
window.benchRun = (variant, n, repeat) => {
  const engine = window.engines[variant === 'ours_mem_vfs' ? 'ours' : variant];
  const db = variant === 'ours_mem_vfs' ? new Db(engine, 'bench.db', engine.vfs) : new Db(engine, ':memory:');
  try {
    db.exec(PRAGMAS);
    db.exec(SCHEMA);
    const times = load(db, n);
    const { samples, rows } = search(db, repeat);
    return { ...times, samples, rows };
  } finally {
    db.close();
    if (variant === 'ours_mem_vfs') {
      const m = engine.module;
      const name = new TextEncoder().encode('bench.db\0');
      const p = m._sqlite3_malloc(name.length);
      m.HEAPU8.set(name, p);
      m._bench_mem_vfs_remove(p);
      m._sqlite3_free(p);
    }
  }
};
