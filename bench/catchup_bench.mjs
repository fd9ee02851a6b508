// Catch-up (issue [8/9], docs/benchmarks.md "Catch-up"): a till that sold
// offline for a week pushes it all once the server is back, and a large
// price change on the server reaches an online till, while the till keeps
// drawing frames.
//
// Once per invocation: a store (the server, embedded PostgreSQL 15, durable)
// with CATCHUP_PRODUCTS (10,000) products written set-based through psql as
// bench/till_bench.mjs does (feed triggers fire; prices in force since
// 2000); a till on an on-disk Chromium profile enrols with the owner's
// account and opens a shift with its page clock 7 days behind (the
// clocks.test.mjs Date shift); the server stops; the till sells
// CATCHUP_SALES (5,000) one-line cash sales through the UI (SKU typed +
// Enter, F4) while its clock advances 7 days over them (each F4 moves it
// 7 days / 5,000 ahead), so the sales are real journal ops dated over a
// week, ending at the real time. The stopped server's data and the closed
// browser's profile are then copied aside.
//
// Each of CATCHUP_RUNS (3) runs starts from those copies: the till is opened
// with the server down (offline; its owner still signed in), then the server
// starts on the same port and we time
//   1. catch-up: server listening -> the outbox empty (pending_ops 0), split
//      into the wait for the till's next attempt (its backoff, up to 60 s)
//      and first push request -> empty; the gaps between animation frames
//      meanwhile (p50/p99/max, and the same for an idle offline minute
//      before, as the baseline of this headless SwiftShader browser), the
//      till's own frame CPU (frames(): NewFrame -> RenderDrawData) and the
//      page's long tasks;
//   2. prices: one transaction through psql that raises 10,000 products'
//      prices (UPDATE products + their price_history rows) -> the till has
//      them: the wait for its next pull round (idle interval 15 s), the pull
//      itself (first to last page with changes), the worst frame gap from
//      the commit to the till done with them; checked by scanning the last
//      product changed and reading its price in the cart.
//
// The server never lived through the week, so it judges the sales against
// its own few minutes (docs/reliability.md "Clocks"): they arrive flagged
// (not_yet_valid / backdated); the counts are reported. A real week offline
// would flag none. Sales have one line each.
//
// Env: CATCHUP_RUNS (3), CATCHUP_SALES (5000), CATCHUP_PRODUCTS (10000),
// CATCHUP_DAYS (7), SALESPIDER_BIN, SALESPIDER_WWW; CATCHUP_PROFILE=1 takes a
// CPU profile of the page during the first run's catch-up (and another
// during its price change) and keeps the functions with the most self time
// in the results (the wasm has no names: its functions show as numbers; the
// JS around it by name).
// Writes build/bench/results/catchup.json. Never fails on speed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.SALESPIDER_BIN ||= path.join(repo, 'build/native/server/salespider');
process.env.SALESPIDER_WWW ||= path.join(repo, 'build/wasm/dist');
const skip = (why) => { console.log(`catch-up bench: SKIPPED: ${why}`); process.exit(0); };
if (!existsSync(path.join(process.env.SALESPIDER_WWW, 'index.html'))) skip('no built till (build the wasm preset)');
if (!existsSync(process.env.SALESPIDER_BIN)) skip('no server binary (build the native preset)');
if (!existsSync(path.join(repo, 'tests/browser/node_modules/playwright-core'))) skip('playwright-core is missing (make deps)');

const { CHROMIUM, waitReady, tillState, click } = await import('../tests/browser/lib/harness.mjs');
const { launchProfile } = await import('../tests/browser/lib/pwa.mjs');
const { startStore, sql, enrol, waitFor, waitScreen, signIn } = await import('../tests/browser/lib/till.mjs');
const { catalogSeedSql } = await import('./lib/catalog_seed.mjs');
if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (make deps)`);

const int = (name, dflt) => (process.env[name] ? Number(process.env[name]) : dflt);
const RUNS = int('CATCHUP_RUNS', 3);
const SALES = int('CATCHUP_SALES', 5000);
const PRODUCTS = int('CATCHUP_PRODUCTS', 10000);
const DAYS = int('CATCHUP_DAYS', 7);
const PRICE_CHANGES = Math.min(10000, PRODUCTS);
const OUT = path.join(repo, 'build/bench/results');
const DAY_MS = 24 * 3600 * 1000;
const log = (...a) => console.log(`[catch-up ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => (xs.length ? sorted(xs)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] : null);
const round = (x, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);
const median = (xs) => pct(xs, 50);
const spread = (xs) => (xs.length ? { median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), runs: xs.map((x) => round(x)) } : null);

// The catalog of bench/till_bench.mjs (bench/lib/catalog_seed.mjs) with stock
// for every sale of the week, and offline grants long enough for the week.
function seedSql(n) {
  return `UPDATE settings SET offline_grant_hours = 720;\n${catalogSeedSql(n, { stockMilli: 1000000000 })}`;
}

// The 10,000 price changes: one UPDATE, and the price in force from now.
function priceChangeSql(n, bump) {
  return `BEGIN;
    CREATE TEMP TABLE changed AS SELECT id FROM products ORDER BY sku LIMIT ${n};
    UPDATE products p SET price_minor = p.price_minor + ${bump} FROM changed c WHERE p.id = c.id;
    INSERT INTO price_history (store_id, product_id, price_minor, cost_minor, currency, effective_from)
      SELECT p.store_id, p.id, p.price_minor, p.cost_minor, p.currency, now() FROM products p JOIN changed c ON c.id = p.id;
    COMMIT;`;
}

// Before the page's scripts: a Date the bench moves (clocks.test.mjs's
// shift, with an offset we change: every F4 advances it by window.__step),
// rAF timestamps while recording, long tasks, and the pulls and pushes.
function pageSetup(offset) {
  const RealDate = Date;
  window.__offset = offset;
  window.__step = 0;
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + window.__offset).toString();
    return args.length === 0 ? new RealDate(RealDate.now() + window.__offset) : new RealDate(...args);
  }
  ShiftedDate.now = () => RealDate.now() + window.__offset;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  ShiftedDate.prototype = RealDate.prototype;
  globalThis.Date = ShiftedDate;
  addEventListener('keydown', (e) => { if (e.key === 'F4') window.__offset += window.__step; }, true);
  const b = { frames: [], recording: false, longtasks: [], requests: [] };
  window.__bench = b;
  const loop = (t) => { if (b.recording) b.frames.push(t); requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) b.longtasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask', buffered: true });
  } catch { /* no long task API */ }
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) {
      if (/\/sync\/(pull|push)/.test(e.name)) {
        b.requests.push({ kind: e.name.includes('/push') ? 'push' : 'pull', start: e.startTime, end: e.responseEnd, bytes: e.decodedBodySize });
      }
    }
  }).observe({ type: 'resource', buffered: true });
}

function gapStats(frames) {
  const g = [];
  for (let i = 1; i < frames.length; i++) g.push(frames[i] - frames[i - 1]);
  return { frames: frames.length, p50_ms: round(pct(g, 50)), p99_ms: round(pct(g, 99)), max_ms: round(g.length ? Math.max(...g) : null),
    over_16_7ms: g.filter((x) => x > 16.7).length, over_50ms: g.filter((x) => x > 50).length };
}

// The till's own frame ring rows started in [from, to]: CPU per frame.
async function frameCpu(page, seen) {
  const rows = await page.evaluate(() => window.salespider.frames());
  for (const [, start, , , end] of rows) seen.set(start, end - start);
}
const cpuStats = (seen, from, to) => {
  const xs = [...seen].filter(([s]) => s >= from && s <= to).map(([, d]) => d);
  return { frames: xs.length, p50_ms: round(pct(xs, 50)), p99_ms: round(pct(xs, 99)), max_ms: round(xs.length ? Math.max(...xs) : null) };
};

// Self time per function (url:name:line) of a CPU profile, the 25 largest.
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const f = n.callFrame;
    const key = `${(f.url || '').split('/').pop()}:${f.functionName || '(anonymous)'}:${f.lineNumber}`;
    self.set(key, (self.get(key) || 0) + (profile.timeDeltas[i] || 0) / 1000);
  }
  return Object.fromEntries([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => [k, round(v)]));
}

// Sells one line of each code, paid cash exact (F4), inside the page: the
// keys a keyboard-wedge scanner sends (characters, Enter) and F4 are
// dispatched on window, where the till listens, without a round trip to
// node per key (playwright's keyboard.type managed ~2 sales/s on the loaded
// machine). Each sale waits for its line in the cart and then for "Sale
// complete", frame by frame, as sell() in tests/browser/lib/till.mjs does.
function sellInPage(codes) {
  const fire = (type, key, code, keyCode, charCode) => {
    const e = new KeyboardEvent(type, { key, code, bubbles: true, cancelable: true });
    Object.defineProperty(e, 'keyCode', { get: () => keyCode });
    Object.defineProperty(e, 'which', { get: () => keyCode || charCode });
    Object.defineProperty(e, 'charCode', { get: () => charCode });
    window.dispatchEvent(e);
  };
  const press = (key, code, keyCode, charCode) => {
    fire('keydown', key, code, keyCode, 0);
    if (charCode) fire('keypress', key, code, 0, charCode);
    fire('keyup', key, code, keyCode, 0);
  };
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const sp = window.salespider;
  return (async () => {
    for (const code of codes) {
      const prev = sp.state().last_receipt_number;
      const ime = window.Module.salespiderPlatform && window.Module.salespiderPlatform.ime;
      if (ime && document.activeElement === ime) {
        // The till's hidden text field has the focus (input_browser.cpp): the
        // text arrives as its beforeinput events, as a scanner's would.
        ime.dispatchEvent(new InputEvent('beforeinput', { inputType: 'insertText', data: code, cancelable: true }));
        ime.dispatchEvent(new InputEvent('beforeinput', { inputType: 'insertLineBreak', cancelable: true }));
      } else {
        for (const ch of code) {
          const digit = ch >= '0' && ch <= '9';
          press(ch, digit ? `Digit${ch}` : `Key${ch.toUpperCase()}`, ch.toUpperCase().charCodeAt(0), ch.charCodeAt(0));
        }
        press('Enter', 'Enter', 13, 13);
      }
      for (let i = 0; sp.state().cart.lines.length === 0; i++) {
        if (i > 600) throw new Error(`${code} never reached the cart: ${JSON.stringify(sp.state().message)}`);
        await frame();
      }
      press('F4', 'F4', 115, 0);
      for (let i = 0; ; i++) {
        const c = sp.state().completed;
        if (c !== null && c.receipt_number !== prev) break;
        if (i > 600) throw new Error(`the sale of ${code} never completed: ${JSON.stringify(sp.state().message)}`);
        await frame();
      }
    }
  })();
}

// A directory copied with its owners and modes: the embedded cluster belongs
// to `postgres` (we are root) and refuses a data directory it does not own.
function copy(from, to) {
  execFileSync('cp', ['-a', from, to]);
}

// --- once: the store, the till, a week of offline sales ---------------------
const work = mkdtempSync(path.join(os.tmpdir(), 'salespider-catchup-'));
const home = path.join(work, 'home');
mkdirSync(home);
const profile = path.join(work, 'profile');
const result = { date: new Date().toISOString(), sales: SALES, products: PRODUCTS, days: DAYS, machine: { cpus: os.cpus().length, loadavg_before: os.loadavg() }, runs: [] };
let store;
let context;
try {
  store = await startStore({ demo: false });
  const url = store.server.httpUrl;
  log(`seeding ${PRODUCTS} products`);
  sql(store.dataPath, seedSql(PRODUCTS));
  context = await launchProfile(profile, home);
  await context.addInitScript(pageSetup, -DAYS * DAY_MS);
  let page = context.pages()[0] || await context.newPage();
  const enrolled = await enrol(page, url, 'Catch-up');
  const tillId = enrolled.till.id;
  log(`enrolled till ${tillId}; stopping the server`);
  await store.stop();
  await page.evaluate((step) => { window.__step = step; }, (DAYS * DAY_MS) / SALES);
  const t0 = performance.now();
  for (let i = 0; i < SALES; i += 50) {
    const codes = [];
    for (let k = i; k < Math.min(SALES, i + 50); k++) codes.push(`D${10000 + ((k * 7919) % PRODUCTS)}`);
    await page.evaluate(sellInPage, codes);
    if ((i + 50) % 500 === 0) {
      const s = await tillState(page);
      log(`${i + 50} sales offline (${round((i + 50) / ((performance.now() - t0) / 1000))}/s), pending ${s.pending_ops}, till clock ${new Date(await page.evaluate(() => Date.now())).toISOString()}`);
    }
  }
  result.seeding = { sales_per_s: round(SALES / ((performance.now() - t0) / 1000)), pending_ops: (await tillState(page)).pending_ops };
  await context.close();
  context = null;
  copy(profile, `${profile}.base`);
  copy(store.dataPath, path.join(work, 'data.base'));
  log(`the week is recorded: ${result.seeding.pending_ops} ops pending; copies made`);

  for (let run = 0; run < RUNS; run++) {
    if (run > 0) {
      rmSync(profile, { recursive: true, force: true });
      copy(`${profile}.base`, profile);
      rmSync(store.dataPath, { recursive: true, force: true });
      copy(path.join(work, 'data.base'), store.dataPath);
    }
    const r = {};
    context = await launchProfile(profile, home);
    await context.addInitScript(pageSetup, 0);
    page = context.pages()[0] || await context.newPage();
    await page.goto(`${url}?automation=1`);
    await waitReady(page);
    await click(page, 'Open till');
    await waitFor(page, () => window.salespider.state().screen !== 'welcome');
    if ((await tillState(page)).screen === 'login') await signIn(page); // offline, with the kept verifier
    await waitScreen(page, 'till');
    r.pending_before = (await tillState(page)).pending_ops;
    // Baseline: 10 s of the idle till, offline.
    const seen = new Map();
    const idleFrom = await page.evaluate(() => { window.__bench.frames = []; window.__bench.recording = true; return performance.now(); });
    await page.waitForTimeout(10000);
    await frameCpu(page, seen);
    const idle = await page.evaluate(() => { window.__bench.recording = false; return { frames: window.__bench.frames, now: performance.now() }; });
    r.idle_frame_gaps = gapStats(idle.frames);
    r.idle_frame_cpu = cpuStats(seen, idleFrom, idle.now);

    // 1. The server returns.
    const profiler = process.env.CATCHUP_PROFILE && run === 0 ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.setSamplingInterval', { interval: 500 });
      await profiler.send('Profiler.start');
    }
    await page.evaluate(() => { window.__bench.frames = []; window.__bench.recording = true; window.__bench.requests = []; });
    await store.start();
    const upAt = await page.evaluate(() => performance.now());
    const poll = setInterval(() => frameCpu(page, seen).catch(() => {}), 1000);
    await page.waitForFunction(() => window.salespider.state().pending_ops === 0, null, { polling: 'raf', timeout: 300000 });
    clearInterval(poll);
    if (profiler) r.profile_top_self_ms = selfTimes((await profiler.send('Profiler.stop')).profile);
    await frameCpu(page, seen);
    const c = await page.evaluate(() => ({ now: performance.now(), b: window.__bench }));
    const pushes = c.b.requests.filter((q) => q.kind === 'push');
    r.catchup = {
      server_up_to_empty_ms: round(c.now - upAt),
      server_up_to_first_push_ms: pushes.length ? round(pushes[0].start - upAt) : null,
      first_push_to_empty_ms: pushes.length ? round(c.now - pushes[0].start) : null,
      pushes: pushes.length,
      push_request_ms_sum: round(pushes.reduce((s, q) => s + (q.end - q.start), 0)),
      frame_gaps: gapStats(c.b.frames.filter((t) => t >= (pushes[0]?.start ?? upAt))),
      frame_cpu: cpuStats(seen, pushes[0]?.start ?? upAt, c.now),
      long_tasks: c.b.longtasks.filter(([s]) => s >= upAt).map(([s, d]) => round(d)),
    };
    r.server = {
      sales: Number(sql(store.dataPath, `SELECT count(*) FROM sales WHERE till_id = '${tillId}'`)[0][0]),
      applied: Object.fromEntries(sql(store.dataPath, `SELECT status, count(*) FROM applied_ops WHERE till_id = '${tillId}' GROUP BY status`).map(([k, n]) => [k, Number(n)])),
      flags: Object.fromEntries(sql(store.dataPath, `SELECT f.kind, count(*) FROM op_flags f JOIN applied_ops a ON a.op_id = f.op_id WHERE a.till_id = '${tillId}' GROUP BY f.kind`).map(([k, n]) => [k, Number(n)])),
    };
    log(`run ${run + 1} catch-up: ${JSON.stringify(r.catchup)} server ${JSON.stringify(r.server)}`);
    await page.waitForFunction(() => !window.salespider.state().sync.busy, null, { timeout: 60000 });

    // 2. 10,000 prices change on the server.
    const bump = 100 * (run + 1);
    await page.evaluate(() => { window.__bench.frames = []; window.__bench.recording = true; window.__bench.requests = []; window.__bench.longtasks = []; });
    if (profiler) await profiler.send('Profiler.start');
    const changedAt = await page.evaluate(() => performance.now());
    sql(store.dataPath, priceChangeSql(PRICE_CHANGES, bump));
    const committedAt = await page.evaluate(() => performance.now());
    // Done: a pull after the commit brought changes, and a later pull none,
    // and the round is over.
    await page.waitForFunction((at) => {
      const q = window.__bench.requests.filter((x) => x.kind === 'pull' && x.start >= at);
      const big = q.filter((x) => x.bytes > 4096);
      return big.length > 0 && q.some((x) => x.start > big[big.length - 1].end) && !window.salespider.state().sync.busy;
    }, changedAt, { polling: 'raf', timeout: 300000 });
    const p = await page.evaluate(() => ({ now: performance.now(), b: window.__bench }));
    if (profiler) r.prices_profile_top_self_ms = selfTimes((await profiler.send('Profiler.stop')).profile);
    const pulls = p.b.requests.filter((x) => x.kind === 'pull' && x.start >= changedAt);
    const big = pulls.filter((x) => x.bytes > 4096);
    r.prices = {
      commit_ms: round(committedAt - changedAt),
      commit_to_first_pull_ms: round(big[0].start - committedAt),
      pull_first_to_last_page_ms: round(big[big.length - 1].end - big[0].start),
      commit_to_applied_ms: round(p.now - committedAt),
      pages_with_changes: big.length,
      bytes: big.reduce((s, x) => s + x.bytes, 0),
      frame_gaps: gapStats(p.b.frames),
      frame_gaps_during_pull: gapStats(p.b.frames.filter((t) => t >= big[0].start - 50)),
      long_tasks: p.b.longtasks.map(([, d]) => round(d)),
    };
    // Checked: the last product changed sells at its new price.
    const [[lastSku, newPrice]] = sql(store.dataPath, `SELECT sku, price_minor FROM products ORDER BY sku LIMIT 1 OFFSET ${PRICE_CHANGES - 1}`);
    await page.keyboard.type(lastSku);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.salespider.state().cart.lines.length > 0, null, { polling: 'raf', timeout: 15000 });
    r.prices.checked = { sku: lastSku, server_price: Number(newPrice), till_price: (await tillState(page)).cart.lines[0].unit_price };
    log(`run ${run + 1} prices: ${JSON.stringify(r.prices)}`);
    result.runs.push(r);
    await context.close();
    context = null;
    await store.stop();
  }
  const pick = (f) => result.runs.map(f).filter((x) => typeof x === 'number');
  result.summary = {
    catchup_server_up_to_empty_ms: spread(pick((r) => r.catchup.server_up_to_empty_ms)),
    catchup_first_push_to_empty_ms: spread(pick((r) => r.catchup.first_push_to_empty_ms)),
    catchup_frame_gap_p99_ms: spread(pick((r) => r.catchup.frame_gaps.p99_ms)),
    catchup_frame_gap_max_ms: spread(pick((r) => r.catchup.frame_gaps.max_ms)),
    catchup_frame_cpu_p99_ms: spread(pick((r) => r.catchup.frame_cpu.p99_ms)),
    idle_frame_gap_p99_ms: spread(pick((r) => r.idle_frame_gaps.p99_ms)),
    prices_commit_to_applied_ms: spread(pick((r) => r.prices.commit_to_applied_ms)),
    prices_pull_ms: spread(pick((r) => r.prices.pull_first_to_last_page_ms)),
    prices_frame_gap_max_ms: spread(pick((r) => r.prices.frame_gaps.max_ms)),
  };
  result.machine.loadavg_after = os.loadavg();
  log(JSON.stringify(result.summary));
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'catchup.json'), JSON.stringify(result, null, 2));
  log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; results in ${path.join(OUT, 'catchup.json')}`);
} finally {
  await context?.close().catch(() => {});
  await store?.remove();
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
}
