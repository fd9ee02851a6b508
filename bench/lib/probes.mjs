// The limits a durable sale is measured against (docs/benchmarks.md, "Till:
// a durable sale"): run inside the till's own page and browser profile, so
// they hit the same on-disk IndexedDB / OPFS and the same disk as the till.
//   idb  : a bare IndexedDB readwrite transaction with durability "strict"
//          putting one 1 KB record into a probe database of its own, timed
//          from transaction() to its complete event, one after the other;
//   opfs : an OPFS sync access handle in a dedicated worker: write 1 KB at
//          the end of a file + flush(), timed inside the worker (the medium
//          alone) and from the page's postMessage to the worker's answer
//          (what a till journaling through a worker would wait for).
// Deliberately nothing of the till in here: no SQLite, no C++, no frame loop.
// The page's CSP forbids blob: workers; the bench's context bypasses CSP.

const sortedCopy = (xs) => [...xs].sort((a, b) => a - b);
function pct(xs, p) {
  if (!xs.length) return null;
  const s = sortedCopy(xs);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const r2 = (x) => (x == null ? null : Math.round(x * 100) / 100);
export const summarise = (xs) => (xs.length
  ? { n: xs.length, p50: r2(pct(xs, 50)), p90: r2(pct(xs, 90)), p99: r2(pct(xs, 99)), max: r2(Math.max(...xs)) }
  : null);

// In the page: N strict transactions, one 1 KB record each, `gapMs` apart
// (0: back to back). inTill: into the till's own database (its `meta`
// store, key 'bench-probe', deleted afterwards) instead of a probe database.
async function idbProbeInPage({ n, gapMs = 0, inTill = false }) {
  const name = inTill ? 'salespider-till' : 'salespider-probe';
  const storeName = inTill ? 'meta' : 'p';
  const db = await new Promise((resolve, reject) => {
    const r = inTill ? indexedDB.open(name) : indexedDB.open(name, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('p', { keyPath: 'id' });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const data = 'x'.repeat(1024);
  const out = [];
  const once = (i) => new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
    if (inTill) tx.objectStore(storeName).put({ id: i, data }, 'bench-probe');
    else tx.objectStore(storeName).put({ id: i, data });
    tx.oncomplete = () => resolve(performance.now() - t0);
    tx.onabort = () => reject(tx.error);
  });
  try {
    for (let i = 0; i < n; i++) {
      if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      out.push(await once(i));
    }
  } finally {
    if (inTill) {
      await new Promise((resolve) => {
        const tx = db.transaction(storeName, 'readwrite');
        tx.objectStore(storeName).delete('bench-probe');
        tx.oncomplete = resolve; tx.onabort = resolve;
      });
      db.close();
    } else {
      db.close();
      await new Promise((resolve) => {
        const r = indexedDB.deleteDatabase(name);
        r.onsuccess = resolve; r.onerror = resolve; r.onblocked = resolve;
      });
    }
  }
  return out;
}

// In the page: a worker with an OPFS sync access handle; each round appends
// 1 KB and flushes.
async function opfsProbeInPage(n) {
  if (!navigator.storage || !navigator.storage.getDirectory) return { error: 'no OPFS in this browser' };
  const source = `
    let handle = null, at = 0;
    const data = new Uint8Array(1024).fill(120);
    onmessage = async (e) => {
      try {
        if (e.data === 'open') {
          const dir = await navigator.storage.getDirectory();
          const file = await dir.getFileHandle('salespider-probe.bin', { create: true });
          handle = await file.createSyncAccessHandle();
          handle.truncate(0);
          postMessage({ ok: true });
        } else if (e.data === 'close') {
          handle.close();
          const dir = await navigator.storage.getDirectory();
          await dir.removeEntry('salespider-probe.bin');
          postMessage({ ok: true });
        } else {
          const t0 = performance.now();
          handle.write(data, { at });
          at += data.length;
          handle.flush();
          postMessage({ ok: true, ms: performance.now() - t0 });
        }
      } catch (err) { postMessage({ ok: false, error: String(err) }); }
    };`;
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url);
  const ask = (m) => new Promise((resolve, reject) => {
    worker.onmessage = (e) => (e.data.ok ? resolve(e.data) : reject(new Error(e.data.error)));
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(m);
  });
  const inWorker = [];
  const roundTrip = [];
  try {
    await ask('open');
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const a = await ask('write');
      roundTrip.push(performance.now() - t0);
      inWorker.push(a.ms);
    }
    await ask('close');
  } catch (err) {
    return { error: String(err) };
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
  return { inWorker, roundTrip };
}

// Runs both probes in `page` (the till's page, context with bypassCSP).
// diag: also 30 transactions 700 ms apart (a cashier's pace), into a probe
// database and into the till's own one.
export async function runProbes(page, n = 200, { diag = false } = {}) {
  const idb = await page.evaluate(idbProbeInPage, { n });
  const opfs = await page.evaluate(opfsProbeInPage, n);
  const extra = {};
  if (diag) {
    extra.idb_strict_1kb_paced_ms = summarise(await page.evaluate(idbProbeInPage, { n: 30, gapMs: 700 }));
    extra.idb_strict_1kb_paced_till_db_ms = summarise(await page.evaluate(idbProbeInPage, { n: 30, gapMs: 700, inTill: true }));
  }
  return {
    n, ...extra,
    idb_strict_1kb_ms: summarise(idb),
    opfs_write_flush_in_worker_ms: opfs.error ? { error: opfs.error } : summarise(opfs.inWorker),
    opfs_write_flush_round_trip_ms: opfs.error ? { error: opfs.error } : summarise(opfs.roundTrip),
  };
}
