// The bootstrap part of bench/till_bench.mjs (docs/benchmarks.md, "Till:
// bootstrap"): run with TILL_BENCH_ONLY=bootstrap. For each catalog size in
// TILL_BENCH_PRODUCTS (a list: the curve), seeds a store, enrols TILL_BENCH_RUNS
// new tills (click -> sellable, frame gaps: in till_bench.mjs run()), and after
// each bootstrap takes here, in the same browser:
//   - the till's memory (wasm heap = the Module's memory buffer, JS heap from
//     CDP Runtime.getHeapUsage);
//   - the wasm SQLite bulk-insert limit of the same rows: debug.bulkInsertLimit(n)
//     inserts n products + barcodes + stock levels from memory into a scratch
//     in-memory database with the till's own schema and statements, one
//     transaction, then builds the same search indexes, timed inside the wasm.
// Writes build/bench/results/till_bootstrap.json. Never fails on speed.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function bootstrapExtras(page, ctx) {
  const out = {};
  const cdp = await ctx.newCDPSession(page);
  const heap = await cdp.send('Runtime.getHeapUsage').catch(() => null);
  out.memory = await page.evaluate(() => ({
    wasm_heap_bytes: window.Module && Module.HEAPU8 ? Module.HEAPU8.buffer.byteLength : null,
    js_heap_used_bytes: performance.memory ? performance.memory.usedJSHeapSize : null,
  }));
  if (heap) out.memory.cdp_js_heap_used_bytes = heap.usedSize;
  const mb = (x) => (x == null ? null : Math.round(x / 2 ** 20));
  out.memory.total_mb = mb((out.memory.wasm_heap_bytes || 0) + (heap ? heap.usedSize : out.memory.js_heap_used_bytes || 0));
  const products = await page.evaluate(() => window.salespider.state().sync.bootstrap_total);
  const hasLimit = await page.evaluate(() => typeof window.salespider.debug?.bulkInsertLimit === 'function');
  if (hasLimit) {
    const n = await page.evaluate(() => window.__benchProducts || 0);
    out.bulk_insert_limit = await page.evaluate((k) => window.salespider.debug.bulkInsertLimit(k), n || Math.round(products / 2));
  } else {
    out.bulk_insert_limit = { ok: false, error: 'debug.bulkInsertLimit is missing in this build' };
  }
  await cdp.detach().catch(() => {});
  return out;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };
const spread = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length } : null);

export async function bootstrapMain({ run, seededStore, setProducts, cleanups, RUNS, OUT, log, round, sizes }) {
  const curve = [];
  for (const n of sizes) {
    setProducts(n);
    const store = await seededStore();
    cleanups.push(() => store.close());
    const runs = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        runs.push(await run(store, i));
      }
    } finally {
      await store.close();
    }
    const ok = runs.filter((r) => !r.error);
    const pick = (f) => ok.map(f).filter((x) => x != null);
    const point = {
      products: n, seed: store.seed, runs_ok: ok.length, runs_failed: runs.length - ok.length,
      rows: pick((r) => r.bootstrap.rows),
      click_to_sellable_ms: spread(pick((r) => r.bootstrap.from_click_ms)),
      worst_frame_gap_ms: spread(pick((r) => r.bootstrap.raf_click_to_done.max_ms)),
      p99_frame_gap_ms: spread(pick((r) => r.bootstrap.raf_click_to_done.p99_ms)),
      worst_gap_done_to_snapshot_ms: spread(pick((r) => r.bootstrap.raf_done_to_snapshot?.max_ms)),
      snapshot_after_ms: spread(pick((r) => r.bootstrap.snapshot_after_done_ms)),
      bulk_insert_limit_ms: spread(pick((r) => r.bulk_insert_limit?.total_ms)),
      ratio_to_limit: spread(pick((r) => (r.bulk_insert_limit?.total_ms ? round(r.bootstrap.from_click_ms / r.bulk_insert_limit.total_ms, 2) : null))),
      memory_total_mb: spread(pick((r) => r.memory?.total_mb)),
      wasm_heap_mb: spread(pick((r) => (r.memory?.wasm_heap_bytes ? Math.round(r.memory.wasm_heap_bytes / 2 ** 20) : null))),
      runs,
    };
    curve.push(point);
    const f = (s) => (s ? `${s.median} (${s.min}-${s.max})` : 'n/a');
    log(`${n} products: click -> sellable ${f(point.click_to_sellable_ms)} ms; worst gap ${f(point.worst_frame_gap_ms)} ms, `
      + `p99 ${f(point.p99_frame_gap_ms)} ms; bulk-insert limit ${f(point.bulk_insert_limit_ms)} ms (ratio ${f(point.ratio_to_limit)}); `
      + `memory ${f(point.memory_total_mb)} MB (wasm ${f(point.wasm_heap_mb)})`);
    writeFileSync(path.join(OUT, 'till_bootstrap.json'), JSON.stringify({
      finished: new Date().toISOString(),
      machine: { cpus: os.cpus().length, load_avg_end: os.loadavg().map((x) => round(x, 2)) }, curve,
    }, null, 2));
  }
}
