// Peers (docs/benchmarks.md, "Peers: PouchDB → pouchdb-server"): the same
// 10,000 sales our push carries (3 lines + 1 card payment each, the JSON of
// shared/'s push batch: one document per op, its payload the sale) replicated
// as documents from a local PouchDB (leveldb adapter, on disk under /tmp) to
// pouchdb-server (a separate node process with its own leveldb under /tmp),
// 5 runs, sales/s. Alternating with each run, our own push at 1 till through
// build/bench/bench/bench_push_sync (one round of the bulk-load limit and
// push at 1 till on the same number of sales), so the ratio comes from the
// same minutes of the same machine.
//
// The sale generator mirrors bench/push_sync_bench.cpp's Store::sale (1000
// products priced 100–5099 minor units, VAT 7.5% included, quantity 1 each,
// one card payment of the total); it does not go through shared/'s codec.
// PouchDB's leveldb does not fsync its writes; our push commits to a durable
// PostgreSQL (fsync on). Packages: bench/package.json + package-lock.json,
// installed by bench/pouchdb_setup.sh. Env: POUCHDB_BENCH_RUNS (5),
// POUCHDB_BENCH_SALES (10000), POUCHDB_BENCH_PUSH=0 skips our push.
// Writes build/bench/results/pouchdb.json. Never fails on speed.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../tests/fault/proxy.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skip = (why) => { console.log(`pouchdb bench: SKIPPED: ${why}`); process.exit(0); };

const RUNS = Number(process.env.POUCHDB_BENCH_RUNS || 5);
const SALES = Number(process.env.POUCHDB_BENCH_SALES || 10000);
const PUSH_BIN = path.join(repo, 'build/bench/bench/bench_push_sync');
const OUT = path.join(repo, 'build/bench/results');

let modules;
try {
  modules = execFileSync('bash', [path.join(repo, 'bench/pouchdb_setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
} catch (err) {
  skip(`bench/pouchdb_setup.sh failed (npm ci): ${err.message.split('\n')[0]}`);
}
const require = createRequire(path.join(modules, 'package.json'));
const PouchDB = require('pouchdb');
const SERVER_BIN = require.resolve('pouchdb-server/bin/pouchdb-server');
const VERSIONS = {
  pouchdb: require('pouchdb/package.json').version,
  'pouchdb-server': require('pouchdb-server/package.json').version,
  node: process.versions.node,
};

// --- the sales ---------------------------------------------------------------

// The fault suite's deterministic generator (mulberry32): the same sales every run.
const rng = prng;
const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
// A UUIDv7-shaped id (time-ordered, as the till's op ids are).
function uuid7(r, ms) {
  const t = ms.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(r, 3)}-${(8 + Math.floor(r() * 4)).toString(16)}${hex(r, 3)}-${hex(r, 12)}`;
}

// The ops one till records: { op_id, till_id, kind, created_at, user_id,
// grant, payload } exactly as shared/src/codec.cpp op_json writes them.
function makeSales(count, seed) {
  const r = rng(seed);
  const products = Array.from({ length: 1000 }, () => ({ id: uuid7(r, 1_600_000_000_000), price: 100 + Math.floor(r() * 5000) }));
  const tillId = uuid7(r, 1_600_000_000_000);
  const userId = uuid7(r, 1_600_000_000_000);
  const start = Date.now();
  const ops = [];
  for (let i = 0; i < count; ++i) {
    const lines = [];
    for (let l = 0; l < 3; ++l) {
      const p = products[Math.floor(r() * products.length)];
      lines.push({ product_id: p.id, name: 'Product', barcode: '', unit_price: p.price, quantity: 1000, unit: 'each',
        tax: { code: 'VAT', kind: 'standard', rate_ppm: 75000 }, discounts: [] });
    }
    const total = lines.reduce((s, l) => s + l.unit_price, 0);  // tax included, quantity 1
    const createdAt = start + i;
    const opId = uuid7(r, createdAt);
    ops.push({
      _id: opId,
      op_id: opId, till_id: tillId, kind: 'sale', created_at: createdAt, user_id: userId, grant: '',
      payload: {
        receipt_number: `B0-${String(i + 1).padStart(6, '0')}`, currency: 'EUR', price_mode: 'tax_inclusive',
        lines, discounts: [], payments: [{ kind: 'card', amount: total, reference: '' }], total,
      },
    });
  }
  return ops;
}

// --- pouchdb-server ----------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function startServer(dir) {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_BIN, '--host', '127.0.0.1', '--port', String(port), '--dir', dir,
    '--config', path.join(dir, 'config.json'), '--no-stdout-logs'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const errors = [];
  child.stderr.on('data', (d) => errors.push(d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; ++i) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited: ${errors.join('')}`);
    try {
      const res = await fetch(`${url}/`);
      if (res.ok) return { url, child, stop: () => stopChild(child) };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`pouchdb-server did not answer on ${url}: ${errors.join('')}`);
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); });
}

// --- one PouchDB run ---------------------------------------------------------

// Replicates `local` (already holding the sales) to a new database on the
// server; only the replication is timed. Checks every sale arrived.
async function pouchRun(local, serverUrl, name) {
  const remote = new PouchDB(`${serverUrl}/${name}`);
  await remote.info();  // created before the clock starts
  const t0 = performance.now();
  const result = await local.replicate.to(remote);  // PouchDB's defaults: batch_size 100, batches_limit 10
  const seconds = (performance.now() - t0) / 1000;
  const info = await remote.info();
  await remote.close();
  if (result.docs_written !== SALES || info.doc_count !== SALES) {
    throw new Error(`pouchdb-server holds ${info.doc_count} of ${SALES} sales (${result.docs_written} written)`);
  }
  return { seconds: round(seconds, 3), sales_per_s: Math.round(SALES / seconds) };
}

// --- our push, the same minutes ----------------------------------------------

// One bench_push_sync process (its own durable cluster): one round of the
// bulk-load limit and push at 1 till, on the same number of sales as
// PouchDB's. Null with a reason when the binary is missing.
function pushRun(index) {
  const out = path.join(os.tmpdir(), `pouchdb-bench-push-${process.pid}-${index}.json`);
  const env = { ...process.env, SALESPIDER_PUSH_TILLS: '1', SALESPIDER_PUSH_ROUNDS: '1', SALESPIDER_PUSH_SALES: String(SALES) };
  const r = spawnSync(PUSH_BIN, [`--benchmark_out=${out}`], { encoding: 'utf8', env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 600000 });
  if (r.status !== 0 || !existsSync(out)) return { error: `bench_push_sync exited ${r.status}: ${(r.stderr || '').slice(-400)}` };
  const report = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  const figures = {};
  for (const c of report.cases) {
    const key = c.tills === 0 ? 'limit' : 'push_1_till';
    figures[key] = { name: c.name, sales_per_s: Math.round(c.sales_per_s[0]) };
  }
  return figures;
}

// --- the run -----------------------------------------------------------------

function round(x, digits = 1) { const f = 10 ** digits; return Math.round(x * f) / f; }
function summary(values) {
  const v = values.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { median: round(median, 2), min: v[0], max: v[v.length - 1], n: v.length };
}

const withPush = process.env.POUCHDB_BENCH_PUSH !== '0' && existsSync(PUSH_BIN);
if (!withPush) console.log(`pouchdb bench: our push not run (${existsSync(PUSH_BIN) ? 'POUCHDB_BENCH_PUSH=0' : `${PUSH_BIN} not built: cmake --build --preset bench`})`);

const dir = mkdtempSync('/tmp/pouchdb-bench-');
const server = await startServer(path.join(dir, 'server'));
const runs = [];
try {
  // The local database holds the till's sales before any run, like a till's
  // outbox; every run replicates them to a new server database.
  const local = new PouchDB(path.join(dir, 'local'));
  const ops = makeSales(SALES, 25);
  for (let i = 0; i < ops.length; i += 1000) await local.bulkDocs(ops.slice(i, i + 1000));
  const bytes = ops.reduce((s, o) => s + JSON.stringify(o).length, 0);
  console.log(`pouchdb bench: ${SALES} sales, ${Math.round(bytes / SALES)} bytes of JSON each; pouchdb ${VERSIONS.pouchdb}, pouchdb-server ${VERSIONS['pouchdb-server']}`);
  for (let i = 0; i < RUNS; ++i) {
    const run = { run: i + 1, load_avg_start: os.loadavg().map((x) => round(x, 2)) };
    run.pouchdb = await pouchRun(local, server.url, `sales-${i + 1}`);
    if (withPush) run.ours = pushRun(i);
    run.load_avg_end = os.loadavg().map((x) => round(x, 2));
    runs.push(run);
    const ours = run.ours?.push_1_till ? `; our push at 1 till ${run.ours.push_1_till.sales_per_s}, limit ${run.ours.limit?.sales_per_s}` :
      run.ours?.error ? `; our push: ${run.ours.error}` : '';
    console.log(`run ${i + 1}: PouchDB → pouchdb-server ${run.pouchdb.sales_per_s} sales/s (${run.pouchdb.seconds} s)${ours}; load ${run.load_avg_end[0]}`);
  }
  await local.close();
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const report = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, mem_gib: round(os.totalmem() / 2 ** 30) },
  versions: VERSIONS,
  sales: SALES,
  push_cases: withPush ? 'SALESPIDER_PUSH_TILLS=1, one round' : null,
  summary: {
    pouchdb_sales_per_s: summary(runs.map((r) => r.pouchdb.sales_per_s)),
    push_1_till_sales_per_s: summary(runs.map((r) => r.ours?.push_1_till?.sales_per_s)),
    limit_sales_per_s: summary(runs.map((r) => r.ours?.limit?.sales_per_s)),
    // Per run (push and PouchDB back to back), then the median of those.
    push_over_pouchdb: summary(runs.filter((r) => r.ours?.push_1_till).map((r) => round(r.ours.push_1_till.sales_per_s / r.pouchdb.sales_per_s, 2))),
  },
  runs,
};
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, 'pouchdb.json'), JSON.stringify(report, null, 2));
console.log(JSON.stringify(report.summary));
console.log(`results in ${path.join(OUT, 'pouchdb.json')}`);
