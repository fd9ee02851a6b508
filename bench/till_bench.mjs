// Till benchmarks (docs/benchmarks.md, "Till: bootstrap, sale latency and
// bytes per sale" and "Till: product search over 100,000 products"): the
// wasm till in Debian's headless Chromium against a real `salespider serve`
// whose catalog was filled set-based through psql (seededStore below: every
// change-feed trigger fires), or by `salespider demo seed` with
// TILL_BENCH_SEED=demo.
//
// For each run, a new Chromium profile (on disk, so IndexedDB is the real
// LevelDB-backed one) enrols as a new till with the owner's account and
//   1. bootstraps the whole catalog: time from the click on "Enrol this
//      till" and from the start of the first pull request to the moment the
//      till reports the bootstrap over; every requestAnimationFrame callback
//      of the page is timestamped meanwhile (worst gap, p99 gap);
//   then, on the till screen: the idle frame, search as you type (each
//      character of a few queries typed one by one: keydown -> the frame that
//      drew its result, and that frame's CPU time, from the till's own frame
//      ring, window.salespider.frames()), and scrolling the tile grid over
//      the whole catalog (every frame's CPU time, NewFrame -> RenderDrawData);
//   2. opens a shift, gets a local sales history of TILL_BENCH_HISTORY rows
//      (TEST-ONLY debug.seedSales), a snapshot (debug.flush), then sells through the UI
//      like a cashier: SKU typed into ##code + Enter, F4 (cash, exact);
//      persist_ms (till-side: "Complete sale" -> the op durable in IndexedDB)
//      and F4 keydown -> the completed sale visible in state(), per sale;
//   3. counts what reached IndexedDB for those sales (storageStats(), after
//      the outbox is acknowledged and a final flush), i.e. journal records,
//      their ack rewrites and each sale's share of the snapshots.
//
// Env: TILL_BENCH_RUNS (3), TILL_BENCH_PRODUCTS (100000), TILL_BENCH_HISTORY
// (10000), TILL_BENCH_SALES (100 measured sales), TILL_BENCH_WARMUP (3 sales
// before the measurement, not counted), TILL_BENCH_DATA (a data path to reuse:
// seeded once if it has no products, kept afterwards), TILL_BENCH_PROFILE=1
// (a CPU profile of the bootstrap, below), SALESPIDER_BIN, SALESPIDER_WWW.
// Writes build/bench/results/till.json. Never fails on speed.
import { existsSync, mkdirSync, mkdtempSync, chmodSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.SALESPIDER_BIN ||= path.join(repo, 'build/native/server/salespider');
process.env.SALESPIDER_WWW ||= path.join(repo, 'build/wasm/dist');
const BIN = process.env.SALESPIDER_BIN;
const WWW = process.env.SALESPIDER_WWW;
const skip = (why) => { console.log(`till bench: SKIPPED: ${why}`); process.exit(0); };
if (!existsSync(path.join(WWW, 'index.html'))) skip(`${WWW} has no built till (build the wasm preset: make build)`);
if (!existsSync(BIN)) skip(`${BIN} is missing (build the native preset: make build)`);
if (!existsSync(path.join(repo, 'tests/browser/node_modules/playwright-core'))) skip('playwright-core is missing (make deps)');

const { startServer, CHROMIUM, waitReady, tillState, click } = await import('../tests/browser/lib/harness.mjs');
const { bootstrapExtras } = await import('./lib/bootstrap_part.mjs');
const { sql, fill, waitFor, waitScreen, openShift, skipSetup, OWNER } = await import('../tests/browser/lib/till.mjs');
const { chromium } = await import('../tests/browser/node_modules/playwright-core/index.mjs');
const { runProbes } = await import('./lib/probes.mjs');
const { catalogSeedSql } = await import('./lib/catalog_seed.mjs');
if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (make deps)`);

const int = (name, dflt) => (process.env[name] ? Number(process.env[name]) : dflt);
const RUNS = int('TILL_BENCH_RUNS', 3);
// A list (10000,100000,300000) is the bootstrap curve (TILL_BENCH_ONLY=bootstrap).
const PRODUCT_SIZES = (process.env.TILL_BENCH_PRODUCTS || '100000').split(',').map(Number);
let PRODUCTS = PRODUCT_SIZES[0];
const HISTORY = int('TILL_BENCH_HISTORY', 10000);
const SALES = int('TILL_BENCH_SALES', 100);
const WARMUP = int('TILL_BENCH_WARMUP', 3);
// The bare IndexedDB / OPFS probes (bench/lib/probes.mjs) before and after the sales.
const PROBE_N = int('TILL_BENCH_PROBE_N', 200);
// While working on the sale: skip search-as-you-type and the grid scroll.
const PROBE_DIAG = process.env.TILL_BENCH_PROBE_DIAG === '1';
const SKIP_SEARCH = process.env.TILL_BENCH_SKIP_SEARCH === '1';
// TILL_BENCH_OPLOG: 'on' (default: the till's own choice, the op log on
// OPFS), 'off' (?oplog=0: the journal written strictly to IndexedDB), or
// 'both': runs alternate on, off, on, ... (the two designs side by side).
const OPLOG = process.env.TILL_BENCH_OPLOG || 'on';
const BOOTSTRAP_TIMEOUT = 15 * 60000;
// TILL_BENCH_ONLY=bootstrap: only the bootstrap part (bench/lib/bootstrap_part.mjs).
const ONLY_BOOTSTRAP = process.env.TILL_BENCH_ONLY === 'bootstrap';
// TILL_BENCH_PROFILE=1: a CPU profile (CDP) of the page from the click to
// sellable; its self time by function goes into the report (where the
// bootstrap's time goes), the whole profile beside it.
const PROFILE = process.env.TILL_BENCH_PROFILE === '1';
const OUT = path.join(repo, 'build/bench/results');

const log = (...a) => console.log(`[till bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sorted = (xs) => [...xs].sort((a, b) => a - b);
function pct(xs, p) {
  if (!xs.length) return null;
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const median = (xs) => { const s = sorted(xs); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const spread = (xs) => (xs.length
  ? { median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), runs: xs.map((x) => round(x)) }
  : null);
const dist = (xs) => {
  const v = xs.filter((x) => typeof x === 'number');
  return v.length ? { n: v.length, p50: round(pct(v, 50)), p90: round(pct(v, 90)), p99: round(pct(v, 99)), max: round(Math.max(...v)) } : null;
};

// --- the store ----------------------------------------------------------------

// `salespider demo seed` writes product by product (one INSERT for the
// product and its price, one for its barcode, each firing the feed triggers)
// and then pushes an opening-stock op per product: ~60 products/s on the
// 2-core project machine under load, i.e. ~30 min for 100,000. The default
// here is the same rows written set-based in one transaction through psql:
// products (feed trigger), their price_history rows, one EAN-13-shaped
// barcode each (its trigger touches the product: row_version 2, a second
// feed row, as in the demo), and opening stock through the server's own
// apply_stock_deltas() (stock_levels + their feed rows; no stock_movements
// ledger rows — the till never sees those). SKUs as in the demo: D<10000+i>.
// TILL_BENCH_SEED=demo uses demo seed instead.
const SEED = process.env.TILL_BENCH_SEED || 'sql';

function count(dataPath, table) {
  return Number(sql(dataPath, `SELECT count(*) FROM ${table}`)[0][0]);
}

async function seededStore() {
  const given = process.env.TILL_BENCH_DATA && (PRODUCT_SIZES.length > 1 ? `${process.env.TILL_BENCH_DATA}-${PRODUCTS}` : process.env.TILL_BENCH_DATA);
  const dataPath = given || mkdtempSync(path.join(os.tmpdir(), 'salespider-tillbench-'));
  if (!existsSync(dataPath)) mkdirSync(dataPath, { recursive: true });
  chmodSync(dataPath, 0o755); // the embedded PostgreSQL runs as `postgres` when we are root
  const server = await startServer(['--data-path', dataPath], { env: { SUPER_ADMIN_PASSWORD: OWNER.password } });
  const seed = { products_requested: PRODUCTS };
  const have = count(dataPath, 'products');
  if (have === 0 && SEED === 'sql') {
    log(`seeding ${PRODUCTS} products with set-based SQL (psql on the embedded cluster's socket; feed triggers fire)`);
    const t0 = performance.now();
    sql(dataPath, catalogSeedSql(PRODUCTS));
    seed.method = 'sql';
    seed.seconds = round((performance.now() - t0) / 1000, 1);
    log(`seeded in ${seed.seconds} s`);
  } else if (have === 0) {
    seed.method = 'demo seed';
    log(`seeding ${PRODUCTS} products: salespider demo seed --products ${PRODUCTS} --sales 0 --days 1`);
    const t0 = performance.now();
    const out = await new Promise((resolve, reject) => {
      const child = spawn(BIN, ['demo', 'seed', '--data-path', dataPath, '--products', String(PRODUCTS),
        '--sales', '0', '--days', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (d) => { text += d; });
      child.stderr.on('data', (d) => { text += d; });
      child.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`demo seed exited ${code}: ${text}`))));
    });
    seed.seconds = round((performance.now() - t0) / 1000, 1);
    seed.output = out.trim().split('\n')[0];
    log(`seeded in ${seed.seconds} s: ${seed.output}`);
  } else {
    seed.reused = true;
    log(`reusing ${dataPath}: ${have} products already`);
  }
  seed.products = count(dataPath, 'products');
  seed.barcodes = count(dataPath, 'barcodes');
  seed.change_feed_rows = count(dataPath, 'change_feed');
  seed.change_feed_by_entity = Object.fromEntries(sql(dataPath,
    'SELECT entity, count(*) FROM change_feed GROUP BY entity ORDER BY entity').map(([e, n]) => [e, Number(n)]));
  return {
    server, dataPath, seed,
    async close() {
      await server.stop();
      if (!given) rmSync(dataPath, { recursive: true, force: true });
    },
  };
}

// --- the page-side recorder -----------------------------------------------------

// Installed before the page's own scripts: rAF timestamps, the pulls'
// resource timings, the pointerdown/keydown times, and a 20 ms poll of the
// till's state for "bootstrap over" and "sale completed".
function recorder() {
  const b = { frames: [], recording: false, clickAt: null, pulls: [], parts: [], doneAt: null, doneState: null,
    snapshotsAtDone: null, snapAt: null, f4At: null, completedAt: null, prevReceipt: null, watchSale: false };
  window.__bench = b;
  const loop = () => {
    if (b.recording) b.frames.push(performance.now());
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name.includes('/sync/pull')) {
        b.pulls.push({ start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize, decoded: e.decodedBodySize });
      } else if (e.name.includes('/sync/bootstrap')) {
        b.parts.push({ start: e.startTime, end: e.responseEnd, bytes: e.encodedBodySize, decoded: e.decodedBodySize });
      }
    }
  }).observe({ type: 'resource', buffered: true });
  addEventListener('pointerdown', (e) => { if (b.armClick) { b.clickAt = e.timeStamp; b.armClick = false; } }, true);
  addEventListener('keydown', (e) => {
    if (e.key === 'F4' && b.watchSale) { b.f4At = e.timeStamp; b.f4SeenAt = performance.now(); }
    // timeStamp: when the browser took the key; now: when the page got it.
    // A frame may start in between and not see it yet.
    if (b.watchKey) { b.keyAt = e.timeStamp; b.keySeenAt = performance.now(); b.watchKey = false; }
  }, true);
  setInterval(() => {
    const sp = window.salespider;
    if (!sp || !sp.state) return;
    if (b.watchBootstrap && b.doneAt === null) {
      const s = sp.state();
      // A new store's first till shows the setup guide (skipped below) instead.
      if ((s.screen === 'till' || s.screen === 'setup') && s.sync.bootstrap_total > 0 && !s.sync.bootstrapping
          && s.sync.bootstrap_done === s.sync.bootstrap_total) {
        b.doneAt = performance.now();
        b.doneState = { sync: s.sync, storage: s.storage, screen: s.screen };
        b.snapshotsAtDone = sp.storageStats().snapshots;
      }
    } else if (b.doneAt !== null && b.snapAt === null && sp.storageStats().snapshots > b.snapshotsAtDone) {
      b.snapAt = performance.now();
      b.statsAtSnap = sp.storageStats();
    }
    if (b.watchSale && b.completedAt === null) {
      const c = sp.state().completed;
      if (c && c.receipt_number !== b.prevReceipt) b.completedAt = performance.now();
    }
  }, 20);
}

// Self time per function of a CDP CPU profile, the top n, ms.
function profileTop(profile, n) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const key = node.callFrame.functionName || `(${node.callFrame.url.split('/').pop() || 'program'})`;
    self.set(key, (self.get(key) || 0) + (dt[i] || 0) / 1000);
  }
  const total = [...self.values()].reduce((a, x) => a + x, 0);
  return { total_ms: round(total), top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([f, ms]) => [f, round(ms)]) };
}

function gaps(frames, from, to) {
  const f = frames.filter((t) => t >= from && t <= to);
  const g = [];
  for (let i = 1; i < f.length; i++) g.push(f[i] - f[i - 1]);
  return {
    frames: f.length, max_ms: round(Math.max(0, ...g)), p99_ms: round(pct(g, 99)), p50_ms: round(pct(g, 50)),
    over_50ms: g.filter((x) => x > 50).length, over_100ms: g.filter((x) => x > 100).length,
    over_500ms: g.filter((x) => x > 500).length,
    worst5_ms: sorted(g).slice(-5).reverse().map((x) => round(x)),
  };
}

// --- search as you type and scrolling the tile grid --------------------------------

// window.salespider.frames() rows (docs/development.md, "One animation frame").
const frameRows = (rows) => rows.map(([vsync, start, imgui, render, end, changed, passes, drawn, now]) =>
  ({ vsync, start, imgui, render, end, changed: changed === 1, passes, drawn: drawn === 1, now: now === 1, cpu: end - imgui, ui: render - imgui, gl: end - render }));

// A stretch of frames: their CPU time (NewFrame -> RenderDrawData), the UI
// part of it (NewFrame -> Render), RenderDrawData, and the vsync intervals.
const frameStats = (rows) => ({
  frames: rows.length,
  cpu_ms: dist(rows.map((f) => f.cpu)), ui_ms: dist(rows.map((f) => f.ui)), render_draw_data_ms: dist(rows.map((f) => f.gl)),
  raf_gap_ms: dist(rows.slice(1).map((f, i) => f.vsync - rows[i].vsync)),
});

// Every number of an object rounded to 2 decimals (for the samples).
const round2 = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v, 2) : v]));

// Types each query one character at a time, like a cashier, waiting for the
// till to show the results of a character before typing the next. Per
// character: the keydown's timeStamp and when the page got it, then from the
// till's frame ring the first frame begun after that whose UI emitted a
// command (the Search). The SQLite query runs after that UI pass, and the
// platform builds the UI again from the results before drawing, so that
// frame draws them. Measured: keydown -> that frame's draw data handed to
// WebGL (includes waiting for the vsync), from the start of the first frame
// after the page got the key to the same point, that frame's CPU time
// (NewFrame -> RenderDrawData, query and passes included), and which frame
// after the key it was (1: the first, the next rendered frame).
const QUERIES = ['golden rice', 'tomato paste', 'D1234', 'milk 4', '2000000012', 'orange juice 1'];

// The till screen left alone for IDLE_MS: what a frame costs with nothing
// happening (the baseline for the two measurements below).
const IDLE_MS = 3000;

async function idleTill(page) {
  const t0 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(IDLE_MS);
  return frameStats(frameRows(await page.evaluate(() => window.salespider.frames())).filter((f) => f.start >= t0));
}

async function searchKeystrokes(page) {
  const samples = [];
  for (const q of QUERIES) {
    for (let i = 1; i <= q.length; i++) {
      const prefix = q.slice(0, i);
      await page.evaluate(() => Object.assign(window.__bench, { keyAt: null, keySeenAt: null, watchKey: true }));
      await page.keyboard.type(q[i - 1]);
      const r = await page.evaluate(async (expect) => {
        const deadline = performance.now() + 10000;
        // The text shown, and a frame after the keydown that emitted its Search
        // (a trailing space shows the same text as before).
        const seenAt = window.__bench.keySeenAt;
        const searched = () => seenAt !== null && window.salespider.frames().some((f) => f[1] > seenAt && f[5] === 1);
        const shown = () => { const t = window.salespider.state().browse.text; return (t === expect || t === expect.trim()) && searched(); };
        while (!shown()) {
          if (performance.now() > deadline) return { timeout: true, text: window.salespider.state().browse.text };
          await new Promise((res) => setTimeout(res, 25));
        }
        // Two more frames, so the one that drew the result is in the ring.
        await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        const s = window.salespider.state();
        return { keyAt: window.__bench.keyAt, seenAt: window.__bench.keySeenAt, frames: window.salespider.frames(),
          products: s.browse.products, more: s.browse.more };
      }, prefix);
      if (r.timeout) throw new Error(`search for ${JSON.stringify(prefix)} never showed (browse.text ${JSON.stringify(r.text)})`);
      const after = frameRows(r.frames).filter((f) => f.start > r.seenAt);
      const searched = after.findIndex((f) => f.changed);
      if (searched < 0) throw new Error(`no frame after the keydown for ${JSON.stringify(prefix)} searched`);
      const s = after[searched];
      samples.push({ prefix, products: r.products, more: r.more, key_to_drawn_ms: s.end - r.keyAt,
        key_to_frame_ms: after[0].start - r.keyAt, frame_start_to_drawn_ms: s.end - after[0].start,
        search_frame_cpu_ms: s.cpu, search_frame_ui_ms: s.ui, search_frame_passes: s.passes, frames_late: searched + 1 });
    }
    // Clear the box (select all, delete) before the next query, not measured.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await waitFor(page, () => window.salespider.state().browse.text === '', null, 10000);
  }
  return {
    keystrokes: samples.length,
    key_to_drawn_ms: dist(samples.map((x) => x.key_to_drawn_ms)),
    search_frame_cpu_ms: dist(samples.map((x) => x.search_frame_cpu_ms)),
    search_frame_ui_ms: dist(samples.map((x) => x.search_frame_ui_ms)),
    key_to_frame_ms: dist(samples.map((x) => x.key_to_frame_ms)),
    frame_start_to_drawn_ms: dist(samples.map((x) => x.frame_start_to_drawn_ms)),
    frames_late: dist(samples.map((x) => x.frames_late)),
    samples: samples.map(round2),
  };
}

// The whole catalog in the grid (empty search, all categories), the mouse
// over the tiles, one wheel notch (100 px) every 16 ms for SCROLL_MS: every
// frame meanwhile, its CPU time (NewFrame -> RenderDrawData) and
// the rAF gaps. Scrolling near the end of what is loaded fetches the next
// page of tiles (MoreProducts), so those frames include a SQLite query.
const SCROLL_MS = 8000;

async function scrollGrid(page) {
  const tile = await page.evaluate(() => window.salespider.widgets().find((w) => w.full_label.includes('##tile-')));
  if (!tile) throw new Error('no product tile on the till screen');
  const before = await tillState(page);
  await page.mouse.move(tile.rect.x + tile.rect.w / 2, tile.rect.y + tile.rect.h / 2);
  const t0 = await page.evaluate(() => performance.now());
  const wall = performance.now();
  let notches = 0;
  while (performance.now() - wall < SCROLL_MS) {
    await page.mouse.wheel(0, 100);
    notches++;
    await new Promise((res) => setTimeout(res, 16));
  }
  const t1 = await page.evaluate(() => performance.now());
  await page.waitForTimeout(100);
  const rows = frameRows(await page.evaluate(() => window.salespider.frames())).filter((f) => f.start >= t0 && f.start <= t1);
  const after = await tillState(page);
  return {
    seconds: round((t1 - t0) / 1000, 1), wheel_notches: notches,
    tiles_loaded_before: before.browse.products, tiles_loaded_after: after.browse.products,
    ...frameStats(rows),
    cpu_ms_frames_with_a_page_fetch: dist(rows.filter((f) => f.changed).map((f) => f.cpu)),
    frames_over_16_7ms_cpu: rows.filter((f) => f.cpu > 1000 / 60).length,
  };
}

// --- one run --------------------------------------------------------------------

const storageBytes = (s) => s.journal_bytes + s.page_bytes + s.meta_bytes;

async function waitSyncedIdle(page, timeout = 120000) {
  await waitFor(page, () => {
    const s = window.salespider.state();
    return s.pending_ops === 0 && !s.sync.busy;
  }, null, timeout);
}

async function oneSale(page, sku) {
  const s = await tillState(page);
  if (s.completed) {
    await page.keyboard.press('Escape'); // "New sale"
    await waitFor(page, () => window.salespider.state().completed === null, null, 15000);
  }
  await fill(page, '##code', sku);
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.salespider.state().cart.lines.length > 0, null, 15000);
  const prev = (await tillState(page)).last_receipt_number;
  await page.evaluate((p) => Object.assign(window.__bench, { prevReceipt: p, f4At: null, f4SeenAt: null, completedAt: null, watchSale: true }), prev);
  await page.keyboard.press('F4');
  await waitFor(page, (p) => { const c = window.salespider.state().completed; return c !== null && c.receipt_number !== p; }, prev, 15000);
  await waitFor(page, () => window.__bench.completedAt !== null, null, 5000);
  // Two frames later the frame that drew "Sale complete" is in the ring.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const r = await page.evaluate(() => {
    const b = window.__bench;
    b.watchSale = false;
    const sp = window.salespider;
    return { completed: sp.state().completed, f4At: b.f4At, f4SeenAt: b.f4SeenAt, completedAt: b.completedAt,
      tx: sp.debug.txTimings ? sp.debug.txTimings() : [], frames: sp.frames() };
  });
  return { persist_ms: r.completed.persist_ms, f4_to_completed_ms: r.completedAt - r.f4At, receipt: r.completed.receipt_number,
    ...saleTrace(r) };
}

// Where the time of one sale went, from the F4 keydown's timeStamp: the
// frame that read the key (the one during which the store began the journal
// transaction), the journal transaction's marks from www/storage.js
// (debug.txTimings(): begun by the store, committed, IndexedDB transaction
// made, its complete event, the C++ side done with it: op applied to SQLite,
// SaleRecorded), and the first frame drawn after that ("Sale complete" on
// screen: its draw data handed to WebGL; the compositor shows it at the next
// vsync, as every frame). Other transactions in flight meanwhile are counted.
// p50/p99 of each part of the trace over the sales.
function traceSummary(sales) {
  const keys = Object.keys(sales.find((x) => x.trace)?.trace ?? {});
  return Object.fromEntries(keys.map((k) => [k, dist(sales.map((x) => x.trace?.[k]))]));
}

function logProbe(index, when, p) {
  const f = (x) => (x && x.p50 != null ? `p50 ${x.p50} p99 ${x.p99} max ${x.max}` : JSON.stringify(x));
  log(`run ${index + 1}: probe ${when} the sales (N=${p.n}): IndexedDB strict 1 KB ${f(p.idb_strict_1kb_ms)} ms; `
    + `OPFS write+flush in a worker ${f(p.opfs_write_flush_in_worker_ms)} ms, round trip ${f(p.opfs_write_flush_round_trip_ms)} ms`
    + (p.idb_strict_1kb_paced_ms ? `; paced 700 ms: probe db ${f(p.idb_strict_1kb_paced_ms)}, till db ${f(p.idb_strict_1kb_paced_till_db_ms)}` : ''));
}

function saleTrace({ f4At, f4SeenAt, tx, frames }) {
  const rows = frameRows(frames);
  const put = [...tx].reverse().find((t) => t.puts === 1 && t.strict && !t.pages && t.begin >= f4At);
  if (!put || f4At == null) return { trace: null };
  const keyFrame = rows.find((f) => f.start <= put.begin && put.begin <= f.end + 0.001);
  // From the complete event on: a frame drawn at once (frame_now()) runs
  // inside the C++ side's handling of it, i.e. before `finished`.
  const shown = rows.find((f) => f.start >= put.complete && f.drawn);
  const others = tx.filter((t) => t !== put && t.begin < put.complete && (t.complete ?? Infinity) > put.begin);
  const d = (a, b) => (a == null || b == null ? null : round(b - a, 2));
  return {
    f4_to_drawn_ms: shown ? d(f4At, shown.end) : null,
    trace: {
      key_to_page_ms: d(f4At, f4SeenAt),
      key_to_frame_ms: keyFrame ? d(f4At, keyFrame.start) : null,
      frame_to_begin_ms: keyFrame ? d(keyFrame.start, put.begin) : null,
      begin_to_commit_ms: d(put.begin, put.commit),
      commit_to_made_ms: d(put.commit, put.made),
      idb_ms: d(put.made, put.complete),
      // Durable: the op log's flush (in the worker) where the log is on,
      // else the strict IndexedDB transaction's complete event.
      durable_ms: d(put.begin, put.flushed ?? put.complete),
      // The till hears of it (the complete event / the worker's answer on
      // the page's main thread).
      complete_ms: d(put.begin, put.complete),
      flushed_to_complete_ms: put.flushed != null ? d(put.flushed, put.complete) : null,
      apply_ms: d(put.complete, put.finished),
      complete_to_frame_ms: shown ? d(put.complete, shown.start) : null,
      frame_cpu_ms: shown ? d(shown.start, shown.end) : null,
      // 1: the key's frame / the "Sale complete" frame ran at once (platform::frame_now()), not from rAF.
      key_frame_now: keyFrame ? (keyFrame.now ? 1 : 0) : null,
      shown_frame_now: shown ? (shown.now ? 1 : 0) : null,
      frames_between: keyFrame && shown ? rows.filter((f) => f.start > keyFrame.start && f.start < shown.start).length : null,
      key_frame_after_begin_ms: keyFrame ? d(put.begin, keyFrame.end) : null,
      other_tx_in_flight: others.length,
      other_tx_pages: others.reduce((n, t) => n + t.pages, 0),
    },
  };
}

async function run(store, index) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'salespider-tillbench-profile-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1024, height: 700 },
    // The OPFS probe's worker is a blob: script, which the till's CSP forbids.
    bypassCSP: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--no-first-run'],
  });
  cleanups.push(() => ctx.close());
  const result = { run: index + 1, load_avg_start: os.loadavg().map((x) => round(x, 2)) };
  const page = ctx.pages()[0] || await ctx.newPage();
  const pulls = [];
  page.on('request', (r) => { if (r.url().includes('/sync/pull')) pulls.push({ at: performance.now() }); });
  try {
    await page.addInitScript(recorder);
    const oplogOff = OPLOG === 'off' || (OPLOG === 'both' && index % 2 === 1);
    await page.goto(store.server.url + '?automation=1' + (oplogOff ? '&oplog=0' : ''));
    await waitReady(page, 60000);
    result.chromium = ctx.browser()?.version() ?? null;
    result.op_log = (await page.evaluate(() => window.salespider.storageStats())).op_log;
    await click(page, 'Open till');
    await waitScreen(page, 'enrol');
    await fill(page, '##manager-login', OWNER.login);
    await fill(page, '##manager-password', OWNER.password);
    if ((await page.evaluate(() => window.salespider.widgets().some((w) => w.full_label === '##till-name')))) {
      await fill(page, '##till-name', `Bench till ${index + 1} ${Date.now()}`);
    }

    // The enrol screen idle for 3 s: what a frame costs here without sync.
    await page.evaluate(() => Object.assign(window.__bench, { frames: [], recording: true }));
    await page.waitForTimeout(3000);
    result.raf_idle = await page.evaluate(() => window.__bench.frames).then((f) => gaps(f, 0, Infinity));

    // 1. bootstrap
    await page.evaluate(() => Object.assign(window.__bench, { frames: [], recording: true, armClick: true, watchBootstrap: true }));
    const cdp = PROFILE ? await ctx.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const clickNode = performance.now();
    await click(page, 'Enrol this till');
    log(`run ${index + 1}: enrolling, bootstrap of the catalog...`);
    const progress = setInterval(async () => {
      const s = await page.evaluate(() => window.salespider.state().sync).catch(() => null);
      if (s) log(`  bootstrap ${s.bootstrap_done}/${s.bootstrap_total} bootstrapping=${s.bootstrapping} ${s.last_error || ''}`);
    }, 10000);
    try {
      await waitFor(page, () => window.__bench.doneAt !== null, null, BOOTSTRAP_TIMEOUT);
    } finally {
      clearInterval(progress);
    }
    const doneNode = performance.now();
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(OUT, { recursive: true });
      writeFileSync(path.join(OUT, `till_bootstrap_${PRODUCTS}_run${index + 1}.cpuprofile`), JSON.stringify(profile));
      result.bootstrap_profile_top = profileTop(profile, 40);
      await cdp.detach();
    }
    await waitFor(page, () => window.__bench.snapAt !== null, null, 120000).catch(() => {});
    const b = await page.evaluate(() => {
      const x = window.__bench;
      x.recording = false;
      return { frames: x.frames, clickAt: x.clickAt, pulls: x.pulls, parts: x.parts, doneAt: x.doneAt, doneState: x.doneState,
        snapAt: x.snapAt, statsAtSnap: x.statsAtSnap,
        // The snapshot's IndexedDB transaction (the one with the most pages).
        snapTx: (window.salespider.debug.txTimings ? window.salespider.debug.txTimings() : [])
          .reduce((best, t) => (!best || t.pages > best.pages ? t : best), null) };
    });
    const firstPull = b.pulls.length ? Math.min(...b.pulls.map((p) => p.start)) : null;
    result.bootstrap = {
      rows: b.doneState.sync.bootstrap_total,
      from_click_ms: round(b.doneAt - b.clickAt),
      from_first_pull_ms: firstPull === null ? null : round(b.doneAt - firstPull),
      click_to_first_pull_ms: firstPull === null ? null : round(firstPull - b.clickAt),
      node_click_to_done_ms: round(doneNode - clickNode),
      node_first_pull_request_to_done_ms: pulls.length ? round(doneNode - pulls[0].at) : null,
      // The plan and the parts (GET /sync/bootstrap[/part]): start and end
      // of each from the click, ms.
      part_requests: b.parts.map((p) => [round(p.start - b.clickAt, 0), round(p.end - b.clickAt, 0), p.bytes]),
      pull_requests: b.pulls.length,
      pull_bytes_encoded: b.pulls.reduce((n, p) => n + (p.bytes || 0), 0),
      pull_bytes_decoded: b.pulls.reduce((n, p) => n + (p.decoded || 0), 0),
      pull_network_ms_sum: round(b.pulls.reduce((n, p) => n + (p.end - p.start), 0)),
      pull_ms_each: b.pulls.map((p) => round(p.end - p.start, 0)),
      last_pull_end_to_done_ms: b.pulls.length ? round(b.doneAt - Math.max(...b.pulls.map((p) => p.end))) : null,
      snapshot_after_done_ms: b.snapAt === null ? null : round(b.snapAt - b.doneAt),
      snapshot_pages: b.statsAtSnap ? b.statsAtSnap.page_puts : null,
      snapshot_bytes: b.statsAtSnap ? b.statsAtSnap.page_bytes : null,
      // Of that snapshot, ms: begun by the store -> handed over to
      // storage.js -> every put requested -> complete.
      snapshot_tx: b.snapTx && b.snapTx.pages ? {
        pages: b.snapTx.pages,
        handover_ms: round(b.snapTx.commit - b.snapTx.begin),
        requests_ms: round(b.snapTx.made - b.snapTx.commit),
        complete_ms: round(b.snapTx.complete - b.snapTx.made),
      } : null,
      raf_click_to_done: gaps(b.frames, b.clickAt, b.doneAt),
      raf_done_to_snapshot: b.snapAt === null ? null : gaps(b.frames, b.doneAt, b.snapAt),
      state_at_done: b.doneState,
    };
    log(`run ${index + 1}: bootstrap ${result.bootstrap.rows} rows in ${result.bootstrap.from_click_ms} ms from the click, `
      + `${result.bootstrap.from_first_pull_ms} ms from the first pull; worst rAF gap ${result.bootstrap.raf_click_to_done.max_ms} ms, `
      + `p99 ${result.bootstrap.raf_click_to_done.p99_ms} ms`);
    if (ONLY_BOOTSTRAP) {
      await page.evaluate((n) => { window.__benchProducts = n; }, store.seed.products);
      Object.assign(result, await bootstrapExtras(page, ctx));
      return result;
    }

    // Search as you type and scrolling over the whole catalog.
    // A store without the demo shows its owner the first-run setup: skipped.
    await waitFor(page, () => ['till', 'setup'].includes(window.salespider.state().screen) && window.salespider.state().setup.checked);
    if ((await tillState(page)).screen === 'setup') await skipSetup(page);
    await waitFor(page, () => window.salespider.state().screen === 'till' && window.salespider.state().user !== null);
    await page.waitForTimeout(500);
    result.idle_till = await idleTill(page);
    log(`run ${index + 1}: idle till screen: frame CPU p50 ${result.idle_till.cpu_ms.p50} p99 ${result.idle_till.cpu_ms.p99} ms, `
      + `(UI ${result.idle_till.ui_ms.p50}, RenderDrawData ${result.idle_till.render_draw_data_ms.p50}), rAF gap p50 ${result.idle_till.raf_gap_ms.p50} ms`);
    if (!SKIP_SEARCH) {
    result.search = await searchKeystrokes(page);
    const ks = result.search;
    log(`run ${index + 1}: search, ${ks.keystrokes} keystrokes: keydown -> drawn p50 ${ks.key_to_drawn_ms.p50} p99 ${ks.key_to_drawn_ms.p99} ms; `
      + `search frame CPU p50 ${ks.search_frame_cpu_ms.p50} p99 ${ks.search_frame_cpu_ms.p99} ms (UI + query ${ks.search_frame_ui_ms.p50} / ${ks.search_frame_ui_ms.p99}); `
      + `first frame after the keydown -> drawn p50 `
      + `${ks.frame_start_to_drawn_ms.p50} p99 ${ks.frame_start_to_drawn_ms.p99} ms; drawn ${ks.frames_late.p50}-${ks.frames_late.max} frames after the keydown`);
    result.scroll = await scrollGrid(page);
    const sc = result.scroll;
    log(`run ${index + 1}: scrolling ${sc.frames} frames, tiles ${sc.tiles_loaded_before} -> ${sc.tiles_loaded_after}: `
      + `CPU p50 ${sc.cpu_ms.p50} p99 ${sc.cpu_ms.p99} max ${sc.cpu_ms.max} ms; rAF gap p99 ${sc.raf_gap_ms.p99} ms`);
    }

    // 2. + 3. history, then sales (in a shift: the till takes no payment without one)
    await openShift(page, '0');
    let t = performance.now();
    const canSeedSales = await page.evaluate(() => typeof window.salespider.debug.seedSales === 'function');
    if (canSeedSales) {
      result.seed_sales = await page.evaluate((n) => window.salespider.debug.seedSales(n), HISTORY);
      result.seed_sales_ms = round(performance.now() - t);
    } else {
      result.seed_sales = { ok: false, error: 'debug.seedSales is missing in this build of the till: NO local sales history' };
      log(`run ${index + 1}: WARNING ${result.seed_sales.error}`);
    }
    t = performance.now();
    result.flush_after_history = await page.evaluate(() => window.salespider.debug.flush());
    result.flush_after_history_ms = round(performance.now() - t);
    const skus = (k) => `D${10000 + ((k * 7919 + 13) % store.seed.products)}`;
    for (let i = 0; i < WARMUP; i++) await oneSale(page, skus(1000 + i));
    await waitSyncedIdle(page);
    await page.evaluate(() => window.salespider.debug.flush());
    const before = await page.evaluate(() => window.salespider.storageStats());
    const pagesBefore = await page.evaluate(() => ({ count: window.salespider.state().storage.usage }));
    result.probe_before = await runProbes(page, PROBE_N, { diag: PROBE_DIAG });
    logProbe(index, 'before', result.probe_before);
    await page.evaluate(() => Object.assign(window.__bench, { frames: [], recording: true }));
    const salesStart = await page.evaluate(() => performance.now());
    const sales = [];
    for (let i = 0; i < SALES; i++) sales.push(await oneSale(page, skus(i)));
    const salesEnd = await page.evaluate(() => performance.now());
    result.probe_after = await runProbes(page, PROBE_N, { diag: PROBE_DIAG });
    logProbe(index, 'after', result.probe_after);
    await waitSyncedIdle(page);
    const finalFlush = await page.evaluate(() => window.salespider.debug.flush());
    const after = await page.evaluate(() => window.salespider.storageStats());
    const framesSales = await page.evaluate(() => { window.__bench.recording = false; return window.__bench.frames; });
    const persist = sales.map((s) => s.persist_ms);
    const f4 = sales.map((s) => s.f4_to_completed_ms);
    const d = (k) => after[k] - before[k];
    result.sales = {
      count: SALES, warmup: WARMUP, history_rows: canSeedSales ? HISTORY : 0,
      // null: this build of the till does not report persist_ms yet.
      persist_ms: dist(persist),
      f4_to_completed_ms: dist(f4),
      // "Sale complete" drawn (draw data handed to WebGL), from the frame ring.
      f4_to_drawn_ms: dist(sales.map((x) => x.f4_to_drawn_ms)),
      // Complete sale -> the journal transaction's complete event, from www/storage.js's marks.
      durable_ms: dist(sales.map((x) => x.trace?.durable_ms)),
      trace: traceSummary(sales),
      seconds_for_all: round((salesEnd - salesStart) / 1000, 1),
      raf: gaps(framesSales, salesStart, salesEnd),
      samples: sales,
    };
    result.bytes = {
      per_sale_total: round((d('journal_bytes') + d('page_bytes') + d('meta_bytes')) / SALES),
      per_sale_journal: round(d('journal_bytes') / SALES),
      per_sale_pages: round(d('page_bytes') / SALES),
      per_sale_meta: round(d('meta_bytes') / SALES, 2),
      journal_puts: d('journal_puts'), journal_puts_per_sale: round(d('journal_puts') / SALES, 2), journal_deletes: d('journal_deletes'),
      snapshots: d('snapshots'), page_puts: d('page_puts'),
      pages_per_snapshot: d('snapshots') ? round(d('page_puts') / d('snapshots')) : null,
      final_flush: finalFlush,
      before, after, storage_usage_before: pagesBefore.count,
    };
    result.state_end = await page.evaluate(() => { const s = window.salespider.state(); return { sync: s.sync, storage: s.storage, pending_ops: s.pending_ops }; });
    const pm = result.sales.persist_ms;
    const probeP99 = [result.probe_before.idb_strict_1kb_ms?.p99, result.probe_after.idb_strict_1kb_ms?.p99].filter((x) => x != null);
    result.sales.probe_idb_p99_ms = probeP99.length ? Math.max(...probeP99) : null;
    result.sales.durable_p99_over_probe_p99 = result.sales.durable_ms && result.sales.probe_idb_p99_ms
      ? round(result.sales.durable_ms.p99 / result.sales.probe_idb_p99_ms, 2) : null;
    const dm = result.sales.durable_ms;
    const fd = result.sales.f4_to_drawn_ms;
    if (dm && fd) {
      log(`run ${index + 1} (op log ${result.op_log}): durable (begin -> complete event) p50 ${dm.p50} p99 ${dm.p99} ms = ${result.sales.durable_p99_over_probe_p99}x the probe's p99 `
        + `${result.sales.probe_idb_p99_ms} ms; F4 -> "Sale complete" drawn p50 ${fd.p50} p99 ${fd.p99} max ${fd.max} ms`);
      log(`run ${index + 1}: trace p50/p99: ${Object.entries(result.sales.trace).map(([k, v]) => `${k} ${v.p50}/${v.p99}`).join(', ')}`);
    }
    log(`run ${index + 1}: persist ${pm ? `p50 ${pm.p50} p99 ${pm.p99} max ${pm.max} ms` : 'not reported by this build'}; `
      + `F4->completed p50 ${result.sales.f4_to_completed_ms.p50} p99 ${result.sales.f4_to_completed_ms.p99} ms; ${result.bytes.per_sale_total} B/sale `
      + `(journal ${result.bytes.per_sale_journal}), ${result.bytes.snapshots} snapshots x ${result.bytes.pages_per_snapshot} pages`);
  } catch (err) {
    result.error = String(err && err.stack || err);
    result.state_at_error = await page.evaluate(() => window.salespider && window.salespider.state()).catch(() => null);
    log(`run ${index + 1} FAILED: ${err.message}\n${JSON.stringify(result.state_at_error?.sync ?? null)}`);
  } finally {
    result.load_avg_end = os.loadavg().map((x) => round(x, 2));
    await ctx.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
  return result;
}

// --- main -------------------------------------------------------------------------

const cleanups = [];
mkdirSync(OUT, { recursive: true });
const started = new Date().toISOString();
if (ONLY_BOOTSTRAP) {
  const { bootstrapMain } = await import('./lib/bootstrap_part.mjs');
  await bootstrapMain({ run, seededStore, setProducts: (n) => { PRODUCTS = n; }, cleanups, RUNS, OUT, log, round,
    sizes: PRODUCT_SIZES });
  process.exit(0);
}
const store = await seededStore();
// Stopped early (Ctrl-C, timeout): stop the browser and the server we started.
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    log(`${sig}: stopping`);
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await store.close().catch(() => {});
    process.exit(130);
  });
}
const runs = [];
const file = path.join(OUT, 'till.json');
let summary = null;
try {
  for (let i = 0; i < RUNS; i++) {
    runs.push(await run(store, i));
    writeReport(); // after each run: a long benchmark stopped early keeps what it measured
  }
} finally {
  await store.close();
}
if (!runs.length) writeReport();

function writeReport() {
const ok = runs.filter((r) => !r.error);
const pick = (f) => ok.map(f).filter((x) => x != null);
summary = ok.length ? {
  runs_ok: ok.length, runs_failed: runs.length - ok.length,
  bootstrap_rows: pick((r) => r.bootstrap.rows),
  bootstrap_from_click_ms: spread(pick((r) => r.bootstrap.from_click_ms)),
  bootstrap_from_first_pull_ms: spread(pick((r) => r.bootstrap.from_first_pull_ms)),
  bootstrap_raf_max_gap_ms: spread(pick((r) => r.bootstrap.raf_click_to_done.max_ms)),
  bootstrap_raf_p99_gap_ms: spread(pick((r) => r.bootstrap.raf_click_to_done.p99_ms)),
  snapshot_after_bootstrap_ms: spread(pick((r) => r.bootstrap.snapshot_after_done_ms)),
  persist_p99_ms: spread(pick((r) => r.sales.persist_ms?.p99)),
  persist_p50_ms: spread(pick((r) => r.sales.persist_ms?.p50)),
  persist_all_samples_ms: dist(ok.flatMap((r) => r.sales.samples.map((s) => s.persist_ms))),
  f4_to_completed_p99_ms: spread(pick((r) => r.sales.f4_to_completed_ms?.p99)),
  f4_to_completed_p50_ms: spread(pick((r) => r.sales.f4_to_completed_ms?.p50)),
  durable_p99_ms: spread(pick((r) => r.sales.durable_ms?.p99)),
  durable_p50_ms: spread(pick((r) => r.sales.durable_ms?.p50)),
  probe_idb_p99_ms: spread(pick((r) => r.sales.probe_idb_p99_ms)),
  probe_idb_p50_ms: spread(pick((r) => r.probe_before?.idb_strict_1kb_ms?.p50)),
  probe_opfs_worker_p99_ms: spread(pick((r) => r.probe_before?.opfs_write_flush_in_worker_ms?.p99)),
  probe_opfs_round_trip_p99_ms: spread(pick((r) => r.probe_before?.opfs_write_flush_round_trip_ms?.p99)),
  durable_p99_over_probe_p99: spread(pick((r) => r.sales.durable_p99_over_probe_p99)),
  // Per design when TILL_BENCH_OPLOG=both alternated them.
  by_op_log: Object.fromEntries(['opfs', 'off'].map((mode) => {
    const m = ok.filter((r) => r.op_log === mode && r.sales);
    const at = (f) => m.map(f).filter((x) => x != null);
    return [mode, m.length ? {
      runs: m.length,
      durable_p50_ms: spread(at((r) => r.sales.durable_ms?.p50)),
      durable_p99_ms: spread(at((r) => r.sales.durable_ms?.p99)),
      durable_p99_over_probe_p99: spread(at((r) => r.sales.durable_p99_over_probe_p99)),
      f4_to_drawn_p50_ms: spread(at((r) => r.sales.f4_to_drawn_ms?.p50)),
      f4_to_drawn_p99_ms: spread(at((r) => r.sales.f4_to_drawn_ms?.p99)),
    } : null];
  })),
  f4_to_drawn_p99_ms: spread(pick((r) => r.sales.f4_to_drawn_ms?.p99)),
  f4_to_drawn_p50_ms: spread(pick((r) => r.sales.f4_to_drawn_ms?.p50)),
  f4_to_completed_all_samples_ms: dist(ok.flatMap((r) => r.sales.samples.map((s) => s.f4_to_completed_ms))),
  idle_raf_p50_gap_ms: spread(pick((r) => r.raf_idle?.p50_ms)),
  idle_raf_max_gap_ms: spread(pick((r) => r.raf_idle?.max_ms)),
  snapshots_per_sale: spread(pick((r) => r.bytes.snapshots / r.sales.count)),
  bytes_per_sale: spread(pick((r) => r.bytes.per_sale_total)),
  journal_bytes_per_sale: spread(pick((r) => r.bytes.per_sale_journal)),
  pages_per_snapshot: spread(pick((r) => r.bytes.pages_per_snapshot)),
  search_key_to_drawn_p50_ms: spread(pick((r) => r.search?.key_to_drawn_ms.p50)),
  search_key_to_drawn_p99_ms: spread(pick((r) => r.search?.key_to_drawn_ms.p99)),
  search_frame_to_drawn_p50_ms: spread(pick((r) => r.search?.frame_start_to_drawn_ms.p50)),
  search_frame_to_drawn_p99_ms: spread(pick((r) => r.search?.frame_start_to_drawn_ms.p99)),
  search_frames_late_max: spread(pick((r) => r.search?.frames_late.max)),
  search_query_frame_cpu_p50_ms: spread(pick((r) => r.search?.search_frame_cpu_ms.p50)),
  search_query_frame_cpu_p99_ms: spread(pick((r) => r.search?.search_frame_cpu_ms.p99)),
  search_query_frame_ui_p99_ms: spread(pick((r) => r.search?.search_frame_ui_ms.p99)),
  scroll_cpu_p50_ms: spread(pick((r) => r.scroll?.cpu_ms.p50)),
  scroll_cpu_p99_ms: spread(pick((r) => r.scroll?.cpu_ms.p99)),
  scroll_cpu_max_ms: spread(pick((r) => r.scroll?.cpu_ms.max)),
  scroll_ui_p99_ms: spread(pick((r) => r.scroll?.ui_ms.p99)),
  scroll_raf_gap_p99_ms: spread(pick((r) => r.scroll?.raf_gap_ms.p99)),
} : null;
const report = {
  started, finished: new Date().toISOString(),
  machine: { cpus: os.cpus().length, mem_gib: round(os.totalmem() / 2 ** 30), load_avg_end: os.loadavg().map((x) => round(x, 2)),
    note: 'headless Debian Chromium, SwiftShader (software GL); other work running on the machine' },
  config: { RUNS, PRODUCTS, HISTORY, SALES, WARMUP },
  seed: store.seed, summary, runs,
};
writeFileSync(file, JSON.stringify(report, null, 2));
}

console.log('\n=== till bench summary');
if (store.seed.seconds != null) console.log(`seed: ${store.seed.products} products in ${store.seed.seconds} s (${store.seed.method})`);
if (summary) {
  const f = (s) => (s ? `${s.median} (${s.min}-${s.max})` : 'n/a');
  console.log(`bootstrap ${summary.bootstrap_rows.join('/')} rows: from click ${f(summary.bootstrap_from_click_ms)} ms, from first pull ${f(summary.bootstrap_from_first_pull_ms)} ms`);
  console.log(`  rAF gap during bootstrap: worst ${f(summary.bootstrap_raf_max_gap_ms)} ms, p99 ${f(summary.bootstrap_raf_p99_gap_ms)} ms; snapshot after it ${f(summary.snapshot_after_bootstrap_ms)} ms`);
  console.log(`  idle frame (enrol screen, before the click): rAF gap p50 ${f(summary.idle_raf_p50_gap_ms)} ms, worst ${f(summary.idle_raf_max_gap_ms)} ms`);
  console.log(`sale persist (Complete sale -> durable, till-side): p99 ${f(summary.persist_p99_ms)} ms, p50 ${f(summary.persist_p50_ms)} ms`
    + (summary.persist_all_samples_ms ? `; all ${summary.persist_all_samples_ms.n} sales p99 ${summary.persist_all_samples_ms.p99} ms` : ' (not reported by this build)'));
  console.log(`durable (the journal transaction begun -> its complete event): p99 ${f(summary.durable_p99_ms)} ms, p50 ${f(summary.durable_p50_ms)} ms; `
    + `bare IndexedDB strict 1 KB probe p99 ${f(summary.probe_idb_p99_ms)} ms (p50 ${f(summary.probe_idb_p50_ms)}); ratio ${f(summary.durable_p99_over_probe_p99)}`);
  console.log(`  OPFS write+flush probe p99: in the worker ${f(summary.probe_opfs_worker_p99_ms)} ms, round trip ${f(summary.probe_opfs_round_trip_p99_ms)} ms`);
  console.log(`F4 keydown -> "Sale complete" drawn: p99 ${f(summary.f4_to_drawn_p99_ms)} ms, p50 ${f(summary.f4_to_drawn_p50_ms)} ms`);
  console.log(`F4 keydown -> completed in state(): p99 ${f(summary.f4_to_completed_p99_ms)} ms, p50 ${f(summary.f4_to_completed_p50_ms)} ms`);
  console.log(`search per keystroke (${store.seed.products} products): keydown -> result drawn p50 ${f(summary.search_key_to_drawn_p50_ms)} ms, `
    + `p99 ${f(summary.search_key_to_drawn_p99_ms)} ms; the searching frame's CPU p50 ${f(summary.search_query_frame_cpu_p50_ms)} ms, `
    + `p99 ${f(summary.search_query_frame_cpu_p99_ms)} ms `
    + `(UI + query alone ${f(summary.search_query_frame_ui_p99_ms)} ms)`);
  console.log(`  from the start of the first frame after the keydown to the result drawn: p50 ${f(summary.search_frame_to_drawn_p50_ms)} ms, `
    + `p99 ${f(summary.search_frame_to_drawn_p99_ms)} ms; drawn at most ${f(summary.search_frames_late_max)} frame(s) after the keydown`);
  console.log(`scrolling the tile grid: frame CPU (NewFrame -> RenderDrawData) p50 ${f(summary.scroll_cpu_p50_ms)} ms, p99 ${f(summary.scroll_cpu_p99_ms)} ms, `
    + `max ${f(summary.scroll_cpu_max_ms)} ms (UI alone p99 ${f(summary.scroll_ui_p99_ms)} ms); rAF gap p99 ${f(summary.scroll_raf_gap_p99_ms)} ms`);
  console.log(`bytes per sale: ${f(summary.bytes_per_sale)} (journal ${f(summary.journal_bytes_per_sale)}), `
    + `pages per snapshot ${f(summary.pages_per_snapshot)}, snapshots per sale ${f(summary.snapshots_per_sale)}`);
}
for (const r of runs.filter((x) => x.error)) console.log(`run ${r.run} failed: ${r.error.split('\n')[0]}`);
console.log(`(median (min-max) of ${runs.filter((r) => !r.error).length} run(s); ${os.cpus().length} cores shared with other work, software GL) -> ${file}`);
