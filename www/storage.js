// The till's IndexedDB side. Loaded before app.js (index.html, defer); it
// reads everything the local store needs BEFORE the wasm main() runs (a run
// dependency added in Module.preRun), then carries out the transactions the
// C++ store submits and answers each one through the exported
// _salespider_storage_complete(request_id, ok). No Asyncify: nothing waits.
//
// IndexedDB database "salespider-till", version 1:
//   journal  key op_id          one record per op (see docs/till-storage.md);
//                               written with durability 'strict' when the op
//                               is recorded; never touched by snapshots except
//                               to prune acked ops they cover
//   pages    key [db, page_no]  ArrayBuffer of one page of the SQLite file
//   meta     key db             {page_size, page_count, journal_hwm,
//                               schema_version, written_at}
//            key 'identity'     the enrolled till {till_id, code, credential, ...}
//            key 'lease'        {owner, expires_at}: which tab writes, when the
//                               browser has no (working) Web Locks (below)
//            key 'drafts'       the cart in progress and the parked sales (JSON text)
//                               (written once, strict; kept apart from the
//                               database image so a damaged image never
//                               strands the outbox without its credential)
// A snapshot writes its dirty pages + meta (+ prunes) in ONE transaction.
//
// The op log (journal_worker.js, OPFS file journal.log): where the browser
// has the Origin Private File System, an op the C++ store records strictly
// is durable once the worker wrote and flushed it to the log (an fsync,
// ~0.2 ms, where a strict IndexedDB commit after a pause took ~11 ms);
// then the same record goes to the journal store with relaxed durability.
// A strict IndexedDB transaction later covers what the log holds, and the
// log is emptied. At load, a logged op the journal store lacks (lost with
// a crash before IndexedDB reached the disk) is put back. Without OPFS, in
// lease mode, or when the log cannot be opened (another tab holds it), the
// journal is written with strict durability as before.
//
// Also here: the Web Lock that makes a second tab read-only (without Web
// Locks, or when they throw: a lease record in IndexedDB, renewed by its
// owner and checked inside every write), navigator.storage.persist() /
// estimate(), the export of all
// non-acked ops as a JSON download, and the test-only hooks that
// window.salespider.debug exposes when the page URL has ?automation=1.
// Deliberately not here: any decision about what to write (that is C++).
'use strict';

(function () {
  const IDB_NAME = 'salespider-till';
  const IDB_VERSION = 1;
  const LOCK_NAME = 'salespider-till';
  const TICK_MS = 1000;
  const params = new URLSearchParams(location.search);
  const automation = params.get('automation') === '1';
  // TEST-ONLY: a shorter background-snapshot delay (store.hpp FlushPolicy).
  const flushDelayOverride = automation && /^[0-9]{1,7}$/.test(params.get('flush_delay_ms') || '')
    ? Number(params.get('flush_delay_ms')) : -1;
  // TEST-ONLY: migrating the saved database fails at this load (store.hpp
  // OpenInput::fail_migration), to prove the till falls back and sells on.
  const failMigration = automation && params.get('fail_migration') === '1';
  const encoder = new TextEncoder();

  // Counters for tests and support: what this page wrote and read.
  const stats = {
    transactions: 0, aborted: 0,
    journal_puts: 0, journal_bytes: 0, journal_deletes: 0,
    snapshots: 0, page_puts: 0, page_bytes: 0, meta_bytes: 0,
    load_ms: 0, load_pages: 0, load_page_bytes: 0, load_journal_records: 0,
    op_log: 'off', log_appends: 0, log_truncations: 0, log_recovered: 0,
  };

  // What load() read, until the wasm side took it (releaseLoaded()).
  const loaded = {
    available: false, readOnly: false, loadMs: 0,
    meta: null, pages: [], journalBytes: null, errorBytes: null, identityBytes: null, draftsBytes: null,
  };

  let Module = null;
  let idb = null;
  let runtimeStarted = false;
  let journalFull = false;       // TEST-ONLY: debug.setJournalFull(true) fails journal puts with QuotaExceededError
  const pendingTx = new Map();   // request id -> what the C++ side asked for
  const txErrors = new Map();    // request id -> UTF-8 bytes of the error
  const txWaiters = new Map();   // request id -> callback(ok, error) (debug hooks)
  // The last transactions' timings (performance.now() ms), for the bench's
  // trace of a durable sale (debug.txTimings()): begun by the C++ store,
  // committed (handed over whole), IndexedDB transaction made, its complete
  // event, and the C++ side done with the answer.
  const TX_TIMINGS = 256;
  const txTimings = [];

  // The op log (journal_worker.js). `inflight`: appends posted and not yet
  // handed to IndexedDB; `unsynced`: their relaxed IndexedDB transactions
  // not yet complete; `appends` counts every append posted; `keep`: an
  // IndexedDB write of a logged record failed, so the log is the only copy
  // and is never emptied in this session (the next load puts it back).
  // TEST-ONLY: ?automation=1&oplog=0 turns it off (the bench compares both).
  const LOG_COMPACT_MS = 1500;
  const opLog = {
    worker: null, ready: false, nextId: 1, waiting: new Map(),
    inflight: 0, unsynced: 0, appends: 0, keep: false, timer: 0,
    idbOnly: 0,  // TEST-ONLY (debug.skipJournalStore): the next n logged records skip IndexedDB
  };
  const opLogWanted = !(automation && params.get('oplog') === '0');
  const workerUrl = (document.currentScript && document.currentScript.dataset.journalWorker) || 'journal_worker.js';

  function request(r) {
    return new Promise((resolve, reject) => {
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  }

  function openIdb() {
    if (!window.indexedDB) return Promise.reject(new Error('this browser has no IndexedDB'));
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(IDB_NAME, IDB_VERSION);
      r.onupgradeneeded = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains('journal')) db.createObjectStore('journal', { keyPath: 'op_id' });
        if (!db.objectStoreNames.contains('pages')) db.createObjectStore('pages');
        if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
      };
      r.onsuccess = () => {
        const db = r.result;
        // A newer build wants to upgrade: let it; our later writes then fail
        // visibly (the store reports them) instead of blocking the upgrade.
        db.onversionchange = () => db.close();
        resolve(db);
      };
      r.onerror = () => reject(r.error);
      r.onblocked = () => reject(new Error('IndexedDB upgrade blocked by another tab'));
    });
  }

  // Resolves true when this tab owns the till. The Web Lock is held for the
  // page's lifetime and released by the browser when the tab goes away.
  // Without Web Locks (old Safari, some embedded browsers), or when they
  // throw or refuse, the lease below guards instead.
  function acquireTillLock(dbReady) {
    const useLease = () => { lease.mode = true; return dbReady.then((db) => (db ? leaseAcquire(db) : false)); };
    if (!(navigator.locks && typeof navigator.locks.request === 'function')) return useLease();
    return new Promise((resolve) => {
      try {
        navigator.locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => {
          if (!lock) { resolve(false); return undefined; }
          resolve(true);
          return new Promise(() => {});
        }).catch(() => resolve(useLease()));
      } catch {
        resolve(useLease());
      }
    });
  }

  // --- the lease (single writer without Web Locks) ----------------------------
  // meta['lease'] = {owner: this tab's random id, expires_at}. Taking it is
  // ONE readwrite transaction that reads the record and writes ours only if
  // it is absent, expired or already ours: IndexedDB runs readwrite
  // transactions on the same store one after the other, so two tabs opened
  // in the same second cannot both win. The owner renews it every 2 s; every
  // journal/snapshot write reads it in its own transaction and aborts if
  // another tab holds it, so a tab that was frozen past the expiry writes
  // nothing after another took over. A reload hands the lease to the next
  // page through sessionStorage (pagehide), so F5 keeps the till.
  const LEASE_MS = 6000;
  const LEASE_RENEW_MS = 2000;
  const HANDOFF_KEY = 'salespider-lease-handoff';
  const lease = { mode: false, id: '', owned: false, lost: false, timer: 0 };
  lease.id = (() => {
    try {
      const handed = sessionStorage.getItem(HANDOFF_KEY);
      sessionStorage.removeItem(HANDOFF_KEY);
      if (handed) return handed;
    } catch { /* no sessionStorage: a fresh id */ }
    return Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(16)).join('-');
  })();

  function leaseFree(record, now) {
    return !record || typeof record !== 'object' || record.owner === lease.id || !(record.expires_at > now);
  }

  // Resolves {won: this tab holds the lease now, taken: another tab holds
  // it}; both false when the transaction failed (e.g. a full quota): that is
  // not a loss of the lease — the next write checks it again anyway.
  function leaseTransaction(db) {
    return new Promise((resolve) => {
      let won = false;
      let taken = false;
      try {
        const tx = db.transaction('meta', 'readwrite', { durability: 'strict' });
        const meta = tx.objectStore('meta');
        const got = meta.get('lease');
        got.onsuccess = () => {
          const now = Date.now();
          if (!leaseFree(got.result, now)) { taken = true; return; }
          won = true;
          meta.put({ owner: lease.id, expires_at: now + LEASE_MS }, 'lease');
        };
        tx.oncomplete = () => resolve({ won, taken });
        tx.onabort = () => resolve({ won: false, taken: false });
      } catch {
        resolve({ won: false, taken: false });
      }
    });
  }

  async function leaseAcquire(db) {
    lease.owned = (await leaseTransaction(db)).won;
    if (lease.owned) {
      window.addEventListener('pagehide', () => {
        if (lease.lost) return;
        try { sessionStorage.setItem(HANDOFF_KEY, lease.id); } catch { /* the next page waits out the lease */ }
      });
    }
    // The owner renews; a read-only tab watches for the lease to fall free.
    lease.timer = setInterval(() => (lease.owned ? leaseRenew(db) : leaseWatch(db)), LEASE_RENEW_MS);
    return lease.owned;
  }

  async function leaseRenew(db) {
    if (lease.lost) return;
    if ((await leaseTransaction(db)).taken) leaseLost();
  }

  // Another tab took the till: from now on this one writes nothing.
  function leaseLost() {
    if (lease.lost) return;
    lease.lost = true;
    lease.owned = false;
    loaded.readOnly = true;
    console.warn('salespider: another tab owns the till now; this tab is read-only');
    if (runtimeStarted && Module._salespider_storage_lost_till) Module._salespider_storage_lost_till();
  }

  // A read-only tab whose writer went away (closed, crashed) takes the lease
  // and starts again as the writer: the image it loaded read-only is stale.
  async function leaseWatch(db) {
    if (lease.lost) return;  // lost mid-session: stays read-only until reloaded by hand
    if ((await leaseTransaction(db)).won) {
      clearInterval(lease.timer);
      try { sessionStorage.setItem(HANDOFF_KEY, lease.id); } catch { /* idem */ }
      location.reload();
    }
  }

  // Asks for persistent storage (eviction protection) and reads the estimate.
  async function storageInfo(askPersist) {
    const info = { persisted: -1, usage: -1, quota: -1 };
    const s = navigator.storage;
    if (!s) return info;
    try {
      if (s.persisted) info.persisted = (await s.persisted()) ? 1 : 0;
      if (askPersist && info.persisted !== 1 && s.persist) info.persisted = (await s.persist()) ? 1 : 0;
    } catch { /* not offered here: stays unknown */ }
    try {
      if (s.estimate) {
        const e = await s.estimate();
        info.usage = typeof e.usage === 'number' ? e.usage : -1;
        info.quota = typeof e.quota === 'number' ? e.quota : -1;
      }
    } catch { /* idem */ }
    return info;
  }

  async function readAll(db) {
    const tx = db.transaction(['meta', 'pages', 'journal'], 'readonly');
    const meta = await request(tx.objectStore('meta').get('till'));
    const identity = await request(tx.objectStore('meta').get('identity'));
    const drafts = await request(tx.objectStore('meta').get('drafts'));
    const range = IDBKeyRange.bound(['till', 0], ['till', Infinity]);
    const [keys, values, journal] = await Promise.all([
      request(tx.objectStore('pages').getAllKeys(range)),
      request(tx.objectStore('pages').getAll(range)),
      request(tx.objectStore('journal').getAll()),
    ]);
    const pages = [];
    keys.forEach((key, i) => { pages[key[1]] = values[i]; });
    return { meta, pages, journal, identity, drafts };
  }

  function validMeta(m) {
    return m && [m.page_size, m.page_count, m.journal_hwm, m.schema_version].every(Number.isSafeInteger) ? m : null;
  }

  // --- the op log --------------------------------------------------------------

  function logCall(kind, fields = {}) {
    return new Promise((resolve) => {
      const id = opLog.nextId++;
      opLog.waiting.set(id, resolve);
      opLog.worker.postMessage({ id, kind, ...fields });
    });
  }

  function logStopped(why) {
    if (opLog.ready || opLog.worker) console.warn('salespider: the op log is off:', why);
    opLog.ready = false;
    stats.op_log = 'off';
    for (const resolve of opLog.waiting.values()) resolve({ ok: false, error: why });
    opLog.waiting.clear();
  }

  // Resolves the log's frames (parsed), or null when there is no log here.
  async function openLog() {
    if (!opLogWanted || typeof Worker !== 'function' || !navigator.storage || !navigator.storage.getDirectory) return null;
    try {
      opLog.worker = new Worker(workerUrl);
      opLog.worker.onmessage = (e) => {
        const resolve = opLog.waiting.get(e.data.id);
        if (resolve) { opLog.waiting.delete(e.data.id); resolve(e.data); }
      };
      opLog.worker.onerror = (e) => logStopped('the worker failed: ' + (e.message || 'error'));
      const r = await logCall('open');
      if (!r.ok) { logStopped(r.error); return null; }
      opLog.ready = true;
      stats.op_log = 'opfs';
      const frames = [];
      for (const text of r.frames) {
        try { frames.push(JSON.parse(text)); } catch { /* a frame of another build: skipped */ }
      }
      return frames;
    } catch (e) {
      logStopped(String(e));
      return null;
    }
  }

  // The logged ops the journal store lacks: written
  // back (strict) before the till sees the journal. One acknowledged and
  // pruned before the log was emptied comes back pending too: its next
  // push is answered "duplicate" and it is acknowledged again (the server
  // applies each op once), which costs a request and loses nothing.
  function recoverFromLog(frames, journal) {
    const have = new Set(journal.map((r) => r.op_id));
    const found = new Map();
    for (const f of frames) if (f && f.op && typeof f.op.op_id === 'string') found.set(f.op.op_id, f.op);
    return [...found.values()].filter((r) => !have.has(r.op_id));
  }

  // One strict transaction (the recovered records, or a mark): once it is
  // complete everything the log holds is on disk in IndexedDB too.
  function syncedToIdb(db, records) {
    return new Promise((resolve) => {
      try {
        const tx = db.transaction(['journal', 'meta'], 'readwrite', { durability: 'strict' });
        for (const r of records) tx.objectStore('journal').put(r);
        tx.objectStore('meta').put(Date.now(), 'op_log_synced');
        tx.oncomplete = () => resolve(true);
        tx.onabort = () => resolve(false);
      } catch {
        resolve(false);
      }
    });
  }

  // Empties the log when nothing in it depends on it any more: no append
  // on its way to IndexedDB, and a strict IndexedDB transaction begun after
  // the last one's relaxed write completed.
  function scheduleCompaction() {
    if (!opLog.timer) opLog.timer = setTimeout(compactLog, LOG_COMPACT_MS);
  }

  async function compactLog() {
    opLog.timer = 0;
    if (!opLog.ready || opLog.keep || !idb) return;
    if (opLog.inflight || opLog.unsynced) { scheduleCompaction(); return; }
    const mark = opLog.appends;
    if (!(await syncedToIdb(idb, []))) { scheduleCompaction(); return; }
    if (opLog.appends !== mark || opLog.inflight || opLog.unsynced || opLog.keep || !opLog.ready) {
      scheduleCompaction();
      return;
    }
    const r = await logCall('truncate', { size: 0 });
    if (r.ok) stats.log_truncations += 1;
  }

  // Sets performance marks salespider-storage-idb-open, -owner, -log-open
  // and -idb-read (bench/cold_start_bench.mjs prints them).
  async function load() {
    const t0 = performance.now();
    const dbReady = openIdb().catch((e) => { loaded.errorBytes = encoder.encode('IndexedDB unavailable: ' + e); return null; });
    dbReady.then(() => performance.mark('salespider-storage-idb-open'));
    const [owner, db] = await Promise.all([acquireTillLock(dbReady), dbReady]);
    performance.mark('salespider-storage-owner');
    loaded.readOnly = !owner;
    // Only the tab that owns the till holds the log (one handle per file).
    const frames = owner && !lease.mode && db ? await openLog() : null;
    performance.mark('salespider-storage-log-open');
    if (db) {
      idb = db;
      try {
        const { meta, pages, journal, identity, drafts } = await readAll(db);
        performance.mark('salespider-storage-idb-read');
        if (typeof identity === 'string') loaded.identityBytes = encoder.encode(identity);
        if (typeof drafts === 'string') loaded.draftsBytes = encoder.encode(drafts);
        loaded.meta = validMeta(meta);
        loaded.pages = pages;
        if (frames && frames.length) {
          const recovered = recoverFromLog(frames, journal);
          if (await syncedToIdb(db, recovered)) {
            journal.push(...recovered);
            stats.log_recovered = recovered.length;
            if ((await logCall('truncate', { size: 0 })).ok) stats.log_truncations += 1;
          } else if (recovered.length) {
            // Not written back: the till still gets them (they stay in the log).
            journal.push(...recovered);
            stats.log_recovered = recovered.length;
            opLog.keep = true;
          }
        }
        loaded.journalBytes = encoder.encode(JSON.stringify(journal));
        loaded.available = true;
        stats.load_pages = loaded.meta ? loaded.meta.page_count : 0;
        stats.load_page_bytes = pages.reduce((n, p) => n + (p ? p.byteLength : 0), 0);
        stats.load_journal_records = journal.length;
      } catch (e) {
        loaded.errorBytes = encoder.encode('reading IndexedDB failed: ' + e);
      }
    }
    loaded.loadMs = performance.now() - t0;
    stats.load_ms = loaded.loadMs;
  }

  // Started at once, so IndexedDB is read while the wasm downloads.
  const loadDone = load();
  const firstInfo = storageInfo(true);

  function reportInfo(info) {
    if (runtimeStarted) Module._salespider_storage_info(info.persisted, info.usage, info.quota);
  }

  // --- transactions the C++ store submits ------------------------------------

  function finish(id, ok, error) {
    if (!ok) txErrors.set(id, encoder.encode(String(error || 'transaction aborted')));
    Module._salespider_storage_complete(id, ok ? 1 : 0);
    const waiter = txWaiters.get(id);
    if (waiter) { txWaiters.delete(id); waiter(ok, ok ? null : String(error)); }
  }

  function noteTiming(id, t) {
    txTimings.push({ id, strict: !!t.strict, log: !!t.at.logged, puts: t.puts.length, deletes: t.deletes.length,
      pages: t.snapshot ? t.pages.length : 0, ...t.at });
    if (txTimings.length > TX_TIMINGS) txTimings.shift();
  }

  function commit(id) {
    const t = pendingTx.get(id);
    pendingTx.delete(id);
    t.at.commit = performance.now();
    const stores = [];
    if (t.puts.length || t.deletes.length) stores.push('journal');
    if (t.snapshot) stores.push('pages', 'meta');
    if (!stores.length) { setTimeout(() => finish(id, true), 0); return; }
    if (lease.lost || (lease.mode && !lease.owned)) {
      setTimeout(() => finish(id, false, 'another tab owns the till: this tab is read-only'), 0);
      return;
    }
    if (journalFull && t.puts.length) {
      // TEST-ONLY (debug.setJournalFull): what a full quota looks like.
      setTimeout(() => finish(id, false, new DOMException('The quota has been exceeded.', 'QuotaExceededError')), 0);
      return;
    }
    if (opLog.ready && t.strict && t.puts.length && !t.snapshot) {
      commitThroughLog(id, t, stores);
      return;
    }
    commitToIdb(id, t, stores, t.strict);
  }

  // Durable once flushed to the op log; IndexedDB then gets the same
  // transaction, relaxed, created before the till hears of it, so the
  // till's later transactions (the op's ack) land after it. A failed append
  // (no space, the handle gone) falls back to a strict IndexedDB commit.
  function commitThroughLog(id, t, stores) {
    opLog.inflight += 1;
    opLog.appends += 1;
    t.at.made = performance.now();
    logCall('append', { frames: t.puts.map((r) => JSON.stringify({ op: r })) }).then((r) => {
      opLog.inflight -= 1;
      if (!r.ok) {
        console.warn('salespider: op log append failed, writing the journal strictly:', r.error);
        commitToIdb(id, t, stores, true);
        return;
      }
      t.at.logged = performance.now();
      // Durable at the flush: the worker's clock, in this page's terms.
      if (typeof r.flushedAt === 'number') t.at.flushed = r.flushedAt - performance.timeOrigin;
      if (opLog.idbOnly > 0) {
        opLog.idbOnly -= 1;  // TEST-ONLY: as if IndexedDB lost it in a crash
        opLog.keep = true;
      } else {
        opLog.unsynced += 1;
        try {
          const tx = idb.transaction(stores, 'readwrite', { durability: 'relaxed' });
          writeInto(tx, t, () => commitNow(tx));
          tx.oncomplete = () => { opLog.unsynced -= 1; scheduleCompaction(); };
          tx.onabort = () => {
            opLog.unsynced -= 1;
            opLog.keep = true;
            console.error('salespider: the journal store refused a logged op (kept in the op log):', tx.error);
          };
        } catch (e) {
          opLog.unsynced -= 1;
          opLog.keep = true;
          console.error('salespider: the journal store refused a logged op (kept in the op log):', e);
        }
      }
      t.at.complete = performance.now();
      stats.transactions += 1;
      stats.log_appends += 1;
      stats.journal_puts += t.puts.length;
      stats.journal_bytes += t.putBytes;
      stats.journal_deletes += t.deletes.length;
      finish(id, true);
      t.at.finished = performance.now();
      noteTiming(id, t);
    });
  }

  function commitToIdb(id, t, stores, strict) {
    if (lease.mode && !stores.includes('meta')) stores.push('meta');
    let tx;
    const made = () => { t.at.made = performance.now(); commitNow(tx); };
    try {
      if (!idb) throw new Error('IndexedDB is not open');
      // Browsers without the durability option ignore the dictionary.
      tx = idb.transaction(stores, 'readwrite', { durability: strict ? 'strict' : 'relaxed' });
      if (lease.mode) {
        // The lease is read in this very transaction: if another tab holds
        // it, nothing below is written (the transaction aborts).
        const meta = tx.objectStore('meta');
        const got = meta.get('lease');
        got.onsuccess = () => {
          const now = Date.now();
          if (!leaseFree(got.result, now)) { leaseLost(); tx.abort(); return; }
          meta.put({ owner: lease.id, expires_at: now + LEASE_MS }, 'lease');
          writeInto(tx, t, made);
        };
      } else {
        writeInto(tx, t, made);
      }
    } catch (e) {
      if (tx) try { tx.abort(); } catch { /* already finished */ }
      setTimeout(() => finish(id, false, e), 0);
      return;
    }
    tx.oncomplete = () => {
      t.at.complete = performance.now();
      stats.transactions += 1;
      stats.journal_puts += t.puts.length;
      stats.journal_bytes += t.putBytes;
      stats.journal_deletes += t.deletes.length;
      if (t.snapshot) {
        stats.snapshots += 1;
        stats.page_puts += t.pages.length;
        stats.page_bytes += t.pages.reduce((n, p) => n + p.length, 0);
        stats.meta_bytes += encoder.encode(JSON.stringify(t.snapshot.meta)).length;
        storageInfo(false).then(reportInfo);
      }
      finish(id, true);
      t.at.finished = performance.now();
      noteTiming(id, t);
    };
    tx.onabort = () => {
      stats.aborted += 1;
      finish(id, false, lease.lost ? 'another tab owns the till: this tab is read-only' : (tx.error || 'transaction aborted'));
    };
  }

  // Everything of the transaction is asked for: commit now. Without this
  // Chromium commits only once the renderer got every request's success
  // event, a task on the page's main thread that waits behind the frame
  // being built (and the next one): measured, that round trip was most of
  // a sale's wait (docs/benchmarks.md, "Till: a durable sale").
  function commitNow(tx) {
    if (typeof tx.commit === 'function') tx.commit();
  }

  // The journal puts/deletes and the snapshot of one submitted transaction;
  // `then()` once every request is made. The pages are put PAGE_PUTS_MS at
  // a time, the next run from the success of the run's last put, which
  // keeps the transaction alive: each put costs the page's main thread
  // ~65 µs here, so the 15,000 pages written after a bootstrap froze it
  // for 950 ms in one go (docs/benchmarks.md, "Till: bootstrap").
  const PAGE_PUTS_MS = 8;
  function writeInto(tx, t, then) {
    if (t.puts.length || t.deletes.length) {
      const journal = tx.objectStore('journal');
      for (const record of t.puts) journal.put(record);
      for (const opId of t.deletes) journal.delete(opId);
    }
    if (!t.snapshot) { then(); return; }
    const s = t.snapshot;
    const pages = tx.objectStore('pages');
    if (s.replaceAll) pages.delete(IDBKeyRange.bound([s.db, 0], [s.db, Infinity]));
    else if (s.dropFrom > 0) pages.delete(IDBKeyRange.bound([s.db, s.dropFrom], [s.db, Infinity]));
    let next = 0;
    const run = () => {
      const until = performance.now() + PAGE_PUTS_MS;
      let last = null;
      const heap = t.heap();
      while (next < t.pages.length) {
        const p = t.pages[next++];
        last = pages.put(heap.slice(p.at, p.at + p.length).buffer, [s.db, p.index]);
        if (performance.now() >= until) break;
      }
      if (next < t.pages.length) { last.onsuccess = run; return; }
      tx.objectStore('meta').put(s.meta, s.db);
      then();
    };
    run();
  }


  // --- what the wasm side calls (platform/storage_browser.cpp) ----------------

  const api = {
    automation,
    flushDelayOverride,
    failMigration,
    loaded,
    loadedMeta(field) {
      const m = loaded.meta;
      if (!m) return -1;
      return [m.page_size, m.page_count, m.journal_hwm, m.schema_version][field];
    },
    loadedPageLength(i) { const p = loaded.pages[i]; return p instanceof ArrayBuffer ? p.byteLength : -1; },
    loadedPageCopy(i, heap, ptr) { heap.set(new Uint8Array(loaded.pages[i]), ptr); },
    loadedJournalLength() { return loaded.journalBytes ? loaded.journalBytes.length : 0; },
    loadedJournalCopy(heap, ptr) { heap.set(loaded.journalBytes, ptr); },
    loadedErrorLength() { return loaded.errorBytes ? loaded.errorBytes.length : 0; },
    loadedErrorCopy(heap, ptr) { heap.set(loaded.errorBytes, ptr); },
    releaseLoaded() { loaded.pages = []; loaded.journalBytes = null; loaded.identityBytes = null; loaded.draftsBytes = null; },
    loadedDraftsLength() { return loaded.draftsBytes ? loaded.draftsBytes.length : 0; },
    loadedDraftsCopy(heap, ptr) { heap.set(loaded.draftsBytes, ptr); },

    // The cart in progress and the parked sales, rewritten whole after every
    // change. Transactions on one store complete in the order they were made,
    // so the last write wins; a failure is logged (the drafts are not ops:
    // the journal is what makes a completed sale durable).
    saveDrafts(json) {
      try {
        if (!idb || loaded.readOnly || lease.lost) return;
        const tx = idb.transaction('meta', 'readwrite');
        tx.objectStore('meta').put(json, 'drafts');
        tx.onabort = () => console.error('saving the cart failed:', tx.error);
      } catch (e) {
        console.error('saving the cart failed:', e);
      }
    },
    loadedIdentityLength() { return loaded.identityBytes ? loaded.identityBytes.length : 0; },
    loadedIdentityCopy(heap, ptr) { heap.set(loaded.identityBytes, ptr); },

    // The enrolled till's identity, in its own strict transaction; answers
    // through _salespider_identity_saved(ok).
    saveIdentity(json) {
      const done = (ok) => setTimeout(() => Module._salespider_identity_saved(ok ? 1 : 0), 0);
      try {
        if (!idb) throw new Error('IndexedDB is not open');
        const tx = idb.transaction('meta', 'readwrite', { durability: 'strict' });
        tx.objectStore('meta').put(json, 'identity');
        tx.oncomplete = () => done(true);
        tx.onabort = () => done(false);
      } catch (e) {
        console.error('saving the till identity failed:', e);
        done(false);
      }
    },

    // "Reset local data": refused (through _salespider_reset_refused) while
    // the journal holds anything the server has not acknowledged — checked
    // here too, on what IndexedDB holds, not only on the wasm side's view.
    async resetAll() {
      try {
        const db = idb || await openIdb();
        const records = await request(db.transaction('journal', 'readonly').objectStore('journal').getAll());
        if (records.some((r) => r.state === 'pending') || opLog.keep || opLog.inflight || opLog.unsynced) {
          Module._salespider_reset_refused();
          return;
        }
        if (opLog.ready) await logCall('truncate', { size: 0 });
        db.close();
        idb = null;
        await new Promise((resolve, reject) => {
          const r = indexedDB.deleteDatabase(IDB_NAME);
          r.onsuccess = resolve;
          r.onerror = () => reject(r.error);
          r.onblocked = resolve;
        });
        location.reload();
      } catch (e) {
        console.error('reset failed:', e);
        Module._salespider_reset_refused();
      }
    },

    txBegin(id, strict) {
      pendingTx.set(id, { strict, puts: [], putBytes: 0, deletes: [], snapshot: null, pages: [], at: { begin: performance.now() } });
    },
    txPutJournal(id, opId, json) {
      const t = pendingTx.get(id);
      t.puts.push(JSON.parse(json));
      t.putBytes += encoder.encode(json).length;
    },
    txDeleteJournal(id, opId) { pendingTx.get(id).deletes.push(opId); },
    txSnapshot(id, db, pageSize, pageCount, hwm, schema, replaceAll, dropFrom) {
      pendingTx.get(id).snapshot = {
        db, replaceAll, dropFrom,
        meta: { page_size: pageSize, page_count: pageCount, journal_hwm: hwm, schema_version: schema, written_at: Date.now() },
      };
    },
    // `pages`: triples (page index, address in wasm memory, length); the
    // store keeps those bytes unchanged until this transaction is answered
    // (MemFile::pin), so each page is copied only when it is put. `heap()`:
    // wasm memory now (growing it replaces the array). Copying all 15,000
    // pages after a bootstrap here at once took 78-95 ms in one task.
    txPutPages(id, pages, heap) {
      const t = pendingTx.get(id);
      t.heap = heap;
      for (let i = 0; i + 2 < pages.length; i += 3) t.pages.push({ index: pages[i], at: pages[i + 1], length: pages[i + 2] });
    },
    txCommit: commit,
    errorLength(id) { const e = txErrors.get(id); return e ? e.length : 0; },
    errorCopy(id, heap, ptr) { heap.set(txErrors.get(id), ptr); txErrors.delete(id); },

    // Every op not acknowledged by the server (pending and rejected), read
    // straight from IndexedDB: works even if the database image is damaged
    // or the wasm till did not start. Returns the file's content.
    async exportPendingOps({ download = true } = {}) {
      const db = idb || await openIdb();
      const records = await request(db.transaction('journal', 'readonly').objectStore('journal').getAll());
      if (opLog.ready) {
        // Logged ops whose IndexedDB write failed or is still on its way.
        const r = await logCall('open');
        if (r.ok) {
          const frames = r.frames.map((text) => { try { return JSON.parse(text); } catch { return null; } });
          records.push(...recoverFromLog(frames, records));
        }
      }
      const ops = records.filter((r) => r.state !== 'acked').sort((a, b) => a.local_seq - b.local_seq);
      const file = {
        format: 'salespider-pending-ops', version: 1, exported_at: new Date().toISOString(),
        origin: location.origin, count: ops.length, ops,
      };
      if (download) {
        const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = 'salespider-pending-ops-' + file.exported_at.replace(/[:.]/g, '-') + '.json';
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      }
      return file;
    },

    // For app.js's start-up checks: resolves once load() finished.
    whenLoaded: () => loadDone.then(() => ({ indexeddb: idb !== null, available: loaded.available, read_only: loaded.readOnly })),

    // Called by app.js once Module exists: holds main() back until load()
    // finished, then starts the flush timer and the page-hide flush.
    attach(M) {
      Module = M;
      M.preRun = [].concat(M.preRun || [], () => {
        M.addRunDependency('salespider-storage');
        loadDone.then(() => M.removeRunDependency('salespider-storage'));
      });
      M.postRun = [].concat(M.postRun || [], () => {
        runtimeStarted = true;
        firstInfo.then(reportInfo);
        setInterval(() => Module._salespider_storage_tick(), TICK_MS);
        const hidden = () => Module._salespider_storage_page_hidden();
        document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') hidden(); });
        window.addEventListener('pagehide', hidden);
      });
    },

    // What app.js adds to window.salespider.
    bridge() {
      const bridge = {
        exportPendingOps: (options) => api.exportPendingOps(options),
        storageStats: () => ({ ...stats }),
      };
      if (automation) bridge.debug = Object.freeze(debugHooks());
      return bridge;
    },
  };

  // TEST-ONLY (?automation=1): there is no selling screen yet, so tests
  // record dummy sales through these. Each C++ entry refuses without the flag.
  function debugHooks() {
    function callAndWait(exportName, ...args) {
      const answer = JSON.parse(Module.UTF8ToString(Module[exportName](...args)));
      if (!answer.ok || !answer.request_id) return Promise.resolve({ ...answer, completed: answer.ok });
      return new Promise((resolve) => {
        txWaiters.set(answer.request_id, (ok, error) => resolve({ ...answer, completed: ok, error: error || answer.error }));
      });
    }
    return {
      // Resolves once the op's journal transaction completed: what the till
      // would show as "Sale complete".
      recordTestOp: () => callAndWait('_salespider_debug_record_test_op'),
      seedProducts: (count) => JSON.parse(Module.UTF8ToString(Module._salespider_debug_seed_products(count))),
      // The wasm SQLite bulk-insert limit of `count` products (a scratch database), for the benchmarks.
      bulkInsertLimit: (count) => JSON.parse(Module.UTF8ToString(Module._salespider_debug_bulk_insert_limit(count))),
      // A long local sales history (rows only, no ops), for the benchmarks.
      seedSales: (count) => JSON.parse(Module.UTF8ToString(Module._salespider_debug_seed_sales(count))),
      // Resolves once the snapshot transaction completed (request_id 0: nothing to write).
      flush: () => callAndWait('_salespider_debug_flush'),
      // The C++ entry point of the export (TillStorage::export_pending_ops).
      exportFromWasm: () => Module._salespider_export_pending_ops(),
      // While on, every transaction that puts a journal record fails with
      // QuotaExceededError before touching IndexedDB (a full quota).
      setJournalFull: (on) => { journalFull = !!on; return journalFull; },
      // The last transactions' timings (see txTimings above), oldest first.
      txTimings: () => txTimings.slice(),
      // The op log's state; skipJournalStore(n): the next n logged records
      // are not written to IndexedDB's journal store (what a crash before
      // IndexedDB reached the disk leaves), so a reload must recover them.
      opLog: () => ({ ready: opLog.ready, inflight: opLog.inflight, unsynced: opLog.unsynced, keep: opLog.keep,
        appends: opLog.appends, truncations: stats.log_truncations, recovered: stats.log_recovered }),
      skipJournalStore: (n) => { opLog.idbOnly = Math.max(0, n | 0); return opLog.idbOnly; },
      // Resolves once the log was emptied (or could not be: false).
      compactOpLog: async () => { await compactLog(); return opLog.ready && !opLog.keep; },
      // Which guard keeps a second tab read-only: 'web-locks' or 'lease'.
      tillGuard: () => ({ guard: lease.mode ? 'lease' : 'web-locks', owned: lease.mode ? lease.owned : !loaded.readOnly, lost: lease.lost }),
    };
  }

  window.SaleSpiderStorage = Object.freeze(api);
})();
