// Our SQLite vs the official wasm build (@sqlite.org/sqlite-wasm), in the
// same headless Chromium page (issue [8/9], docs/benchmarks.md "Local SQLite
// vs the official build"). "ours" is the till's SQLite: the same 3.46.1
// amalgamation, defines and -O3 as wasm-client/CMakeLists.txt, built with the
// till's emcc by bench/sqlite-compare/build_ours.sh, with the till's page VFS
// (store/mem_vfs.cpp). "official" is the npm package of the same SQLite
// version (3.46.1-build5); "official_recent" a current one, for reference.
// All run the same JS driver over their raw C exports
// (bench/sqlite-compare/page.mjs): the till's schema with FTS5, 100,000
// products in one transaction through prepared statements, the search index
// built, then the statements of each keystroke for typed prefixes of 1-6
// characters. Engines alternate within each run; SQLITE_COMPARE_RUNS (5).
//
// The npm packages (bench/sqlite-compare/package.json, its lock) are installed
// into build/bench/sqlite-compare with `npm ci` the first time.
// Env: SQLITE_COMPARE_RUNS, SQLITE_COMPARE_PRODUCTS (100000),
// SQLITE_COMPARE_REPEAT (5: each keystroke's statements, times).
// Writes build/bench/results/sqlite_compare.json. Never fails on speed.
import { execFileSync } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skip = (why) => { console.log(`sqlite compare bench: SKIPPED: ${why}`); process.exit(0); };
if (!existsSync(path.join(repo, 'tests/browser/node_modules/playwright-core'))) skip('playwright-core is missing (make deps)');
const { CHROMIUM, launchBrowser } = await import('../tests/browser/lib/harness.mjs');
if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (make deps)`);

const RUNS = Number(process.env.SQLITE_COMPARE_RUNS || 5);
const PRODUCTS = Number(process.env.SQLITE_COMPARE_PRODUCTS || 100000);
const REPEAT = Number(process.env.SQLITE_COMPARE_REPEAT || 5);
const work = path.join(repo, 'build/bench/sqlite-compare');
const OUT = path.join(repo, 'build/bench/results');
const log = (...a) => console.log(`[sqlite compare ${new Date().toISOString().slice(11, 19)}]`, ...a);

// The pinned packages and our build, once.
mkdirSync(work, { recursive: true });
if (!existsSync(path.join(work, 'node_modules/@sqlite.org/sqlite-wasm'))) {
  for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(repo, 'bench/sqlite-compare', f), path.join(work, f));
  try {
    execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: work, stdio: 'inherit' });
  } catch { skip('npm ci of bench/sqlite-compare failed (no registry?)'); }
}
if (!existsSync(path.join(work, 'ours/sqlite-ours.wasm'))) {
  try {
    execFileSync(path.join(repo, 'bench/sqlite-compare/build_ours.sh'), [path.join(work, 'ours')], { stdio: 'inherit' });
  } catch { skip('building our SQLite with emcc failed (make deps)'); }
}

// A static server for the page, the engines and their wasm.
const ROUTES = {
  '/page.mjs': path.join(repo, 'bench/sqlite-compare/page.mjs'),
  '/ours/': path.join(work, 'ours/'),
  '/official/': path.join(work, 'node_modules/@sqlite.org/sqlite-wasm/sqlite-wasm/jswasm/'),
  '/recent/': path.join(work, 'node_modules/sqlite-wasm-recent/dist/'),
};
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x').pathname;
  if (url === '/') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><meta charset="utf-8"><title>sqlite compare</title><script type="module" src="/page.mjs"></script>');
    return;
  }
  const prefix = Object.keys(ROUTES).find((p) => url === p || (p.endsWith('/') && url.startsWith(p)));
  const file = prefix && (prefix.endsWith('/') ? path.join(ROUTES[prefix], url.slice(prefix.length)) : ROUTES[prefix]);
  if (!file || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const median = (xs) => pct(xs, 50);
const r2 = (x) => Math.round(x * 100) / 100;
const spread = (xs) => ({ median: r2(median(xs)), min: r2(Math.min(...xs)), max: r2(Math.max(...xs)) });

const browser = await launchBrowser();
const result = { date: new Date().toISOString(), products: PRODUCTS, repeat: REPEAT, machine: { cpus: os.cpus().length, loadavg_before: os.loadavg() } };
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(base);
  await page.waitForFunction(() => typeof window.benchSetup === 'function');
  result.compile_options = await page.evaluate(() => window.benchSetup());
  result.browser = await browser.version();
  const variants = ['official', 'ours', 'ours_mem_vfs', 'official_recent'];
  const runs = Object.fromEntries(variants.map((v) => [v, []]));
  for (let i = 0; i < RUNS; i++) {
    // A different engine first each run: none always gets the coldest start.
    const order = variants.map((_, k) => variants[(k + i) % variants.length]);
    for (const v of order) {
      const r = await page.evaluate(([variant, n, repeat]) => window.benchRun(variant, n, repeat), [v, PRODUCTS, REPEAT]);
      const ks = r.samples.map((s) => s.ms);
      const one = {
        insert_ms: r.insert_ms, index_ms: r.index_ms, load_ms: r.insert_ms + r.index_ms,
        keystroke_p50_ms: pct(ks, 50), keystroke_p99_ms: pct(ks, 99), keystrokes_total_ms: ks.reduce((a, b) => a + b, 0),
        by_length_p50_ms: Object.fromEntries([1, 2, 3, 4, 5, 6].map((len) => [len, r2(pct(r.samples.filter((s) => s.len === len).map((s) => s.ms), 50))])),
        rows: r.rows,
      };
      runs[v].push(one);
      log(`run ${i + 1} ${v}: insert ${Math.round(one.insert_ms)} ms, index ${Math.round(one.index_ms)} ms, keystroke p50 ${r2(one.keystroke_p50_ms)} / p99 ${r2(one.keystroke_p99_ms)} ms (${ks.length} keystrokes, ${r.rows} rows)`);
    }
  }
  result.runs = runs;
  result.summary = {};
  for (const v of variants) {
    const s = {};
    for (const key of ['insert_ms', 'index_ms', 'load_ms', 'keystroke_p50_ms', 'keystroke_p99_ms', 'keystrokes_total_ms']) {
      s[key] = spread(runs[v].map((r) => r[key]));
    }
    result.summary[v] = s;
  }
  // official / ours per run (same run, side by side): > 1 means ours is faster.
  result.ratios = {};
  for (const v of ['ours', 'ours_mem_vfs']) {
    result.ratios[`official_over_${v}`] = Object.fromEntries(['insert_ms', 'index_ms', 'load_ms', 'keystrokes_total_ms'].map((key) => [
      key, spread(runs[v].map((r, i) => runs.official[i][key] / r[key]))]));
  }
  result.machine.loadavg_after = os.loadavg();
  log(JSON.stringify({ summary: result.summary, ratios: result.ratios }, null, 1));
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'sqlite_compare.json'), JSON.stringify(result, null, 2));
  log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; results in ${path.join(OUT, 'sqlite_compare.json')}`);
} finally {
  await browser.close();
  server.close();
}
