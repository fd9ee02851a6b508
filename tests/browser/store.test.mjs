// The till's local store in a real Chromium against the real server: an op
// the till completed survives a reload and a killed browser, receipt numbers
// are never reused, a damaged database image costs nothing from the journal,
// a second tab is read-only, and the bytes written per sale stay small with a
// 20k-product catalog. Ops are recorded through the TEST-ONLY hook
// window.salespider.debug.recordTestOp() (present only with ?automation=1)
// because there is no selling screen yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, waitReady, tillState, withScreenshotOnFailure, readJournal } from './lib/harness.mjs';
import { startChromium, tempProfile, removeProfile } from './lib/chromium-process.mjs';

let server;
let browser;
let tillUrl;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  tillUrl = server.url + '?automation=1';
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function recordTestOp(page) {
  return page.evaluate(() => window.salespider.debug.recordTestOp());
}


async function freshPage(t) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

test('a recorded op is still pending after a reload and the receipt sequence moves on', async (t) => {
  const { context, page, errors } = await freshPage(t);
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(tillUrl);
    await waitReady(page);
    let s = await tillState(page);
    assert.equal(s.read_only, false);
    assert.equal(s.storage.db, 'created');
    assert.equal(s.pending_ops, 0);
    assert.equal(s.last_receipt, null);

    const first = await recordTestOp(page);
    assert.equal(first.completed, true, JSON.stringify(first));
    assert.equal(first.receipt_seq, 1);
    assert.match(first.op_id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUIDv7');
    s = await tillState(page);
    assert.equal(s.pending_ops, 1);
    assert.equal(s.last_receipt, 1);

    await page.reload();
    await waitReady(page);
    s = await tillState(page);
    assert.equal(s.pending_ops, 1, 'the op survived the reload');
    assert.equal(s.last_receipt, 1);
    const exported = await page.evaluate(() => window.salespider.exportPendingOps({ download: false }));
    assert.deepEqual(exported.ops.map((o) => [o.op_id, o.state, o.receipt_seq]), [[first.op_id, 'pending', 1]]);
    assert.equal(exported.ops[0].payload.receipt_no, 'TEST-000001');

    const second = await recordTestOp(page);
    assert.equal(second.completed, true);
    assert.equal(second.receipt_seq, 2, 'a reload never reuses a receipt number');
    assert.equal((await tillState(page)).pending_ops, 2);
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('without ?automation=1 there are no test hooks', async (t) => {
  const { context, page } = await freshPage(t);
  await page.goto(server.url);
  await waitReady(page);
  assert.equal(await page.evaluate(() => 'debug' in window.salespider), false);
  assert.equal(await page.evaluate(() => typeof window.salespider.exportPendingOps), 'function');
  await context.close();
});

test('an op completed just before the whole browser is killed is there after a restart', async (t) => {
  const profile = tempProfile();
  try {
    let chrome = await startChromium(profile);
    let page = await chrome.context.newPage();
    await page.goto(tillUrl);
    await waitReady(page);
    const done = await recordTestOp(page);
    assert.equal(done.completed, true);
    // No flush, no unload: the browser and its helper processes die now.
    await chrome.kill();

    chrome = await startChromium(profile);
    page = await chrome.context.newPage();
    await page.goto(tillUrl);
    await waitReady(page);
    const s = await tillState(page);
    assert.equal(s.pending_ops, 1, JSON.stringify(s));
    assert.equal(s.last_receipt, done.receipt_seq);
    const journal = await readJournal(page);
    assert.deepEqual(journal.map((r) => r.op_id), [done.op_id]);
    const next = await recordTestOp(page);
    assert.equal(next.receipt_seq, done.receipt_seq + 1);
    await chrome.kill();
  } finally {
    removeProfile(profile);
  }
});

test('a damaged pages store gives a fresh database and leaves the journal intact', async (t) => {
  const { context, page, errors } = await freshPage(t);
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(tillUrl);
    await waitReady(page);
    const ops = [await recordTestOp(page), await recordTestOp(page)];
    const flushed = await page.evaluate(() => window.salespider.debug.flush());
    assert.equal(flushed.completed, true);
    assert.ok(flushed.request_id > 0, 'there were pages to write');
    const journalBefore = await readJournal(page);

    // Scribble over every stored page of the SQLite image.
    const damaged = await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('salespider-till');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction('pages', 'readwrite');
        const store = tx.objectStore('pages');
        let n = 0;
        store.openCursor().onsuccess = (e) => {
          const cursor = e.target.result;
          if (!cursor) return;
          const junk = new Uint8Array(cursor.value.byteLength);
          crypto.getRandomValues(junk.subarray(0, Math.min(junk.length, 65536)));
          cursor.update(junk.buffer);
          n += 1;
          cursor.continue();
        };
        tx.oncomplete = () => { db.close(); resolve(n); };
        tx.onerror = () => reject(tx.error);
      };
    }));
    assert.ok(damaged > 0);

    await page.reload();
    await waitReady(page);
    const s = await tillState(page);
    assert.equal(s.storage.db, 'recovered');
    assert.equal(s.pending_ops, 2, 'both ops are still pending');
    assert.equal(s.last_receipt, 2);
    assert.deepEqual(await readJournal(page), journalBefore, 'the journal was not touched');
    const exported = await page.evaluate(() => window.salespider.exportPendingOps({ download: false }));
    assert.deepEqual(exported.ops.map((o) => o.op_id), ops.map((o) => o.op_id));
    assert.equal((await recordTestOp(page)).receipt_seq, 3);

    // The recovered database is written whole, and the next start uses it.
    const rewrite = await page.evaluate(() => window.salespider.debug.flush());
    assert.equal(rewrite.completed, true);
    await page.reload();
    await waitReady(page);
    assert.equal((await tillState(page)).storage.db, 'restored');
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('pages are flushed in the background: a while after a sale, and when the page hides', async (t) => {
  const { context, page } = await freshPage(t);
  // The delay is a minute in production (store.hpp FlushPolicy); 2 s here.
  await page.goto(tillUrl + '&flush_delay_ms=2000');
  await waitReady(page);
  // The new database's first snapshot, then a quiet till: nothing to write.
  await page.evaluate(() => window.salespider.debug.flush());
  const snapshots = async () => (await page.evaluate(() => window.salespider.storageStats())).snapshots;
  const start = await snapshots();

  await recordTestOp(page);
  assert.equal(await snapshots(), start, 'a sale alone writes no pages');
  await page.waitForFunction((n) => window.salespider.storageStats().snapshots > n, start, { timeout: 10000 });
  const afterDelay = await snapshots();

  await recordTestOp(page);
  await page.evaluate(() => window.dispatchEvent(new Event('pagehide')));
  await page.waitForFunction((n) => window.salespider.storageStats().snapshots > n, afterDelay, { timeout: 2000 });
  await context.close();
});

test('the export reaches the cashier as a JSON download from the C++ entry point', async (t) => {
  const { context, page } = await freshPage(t);
  await page.goto(tillUrl);
  await waitReady(page);
  const op = await recordTestOp(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => window.salespider.debug.exportFromWasm()),
  ]);
  assert.match(download.suggestedFilename(), /^salespider-pending-ops-.*\.json$/);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(file.format, 'salespider-pending-ops');
  assert.deepEqual(file.ops.map((o) => o.op_id), [op.op_id]);
  await context.close();
});

test('a second tab on the same origin is read-only', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  const first = await context.newPage();
  await first.goto(tillUrl);
  await waitReady(first);
  const second = await context.newPage();
  await second.goto(tillUrl);
  await waitReady(second);
  assert.equal((await tillState(first)).read_only, false);
  assert.equal((await tillState(second)).read_only, true);
  const refused = await recordTestOp(second);
  assert.equal(refused.ok, false);
  assert.match(refused.error, /read_only/);
  assert.equal((await recordTestOp(first)).completed, true);
  await context.close();
});

test('bytes written per sale stay small with a 20k-product database image', async (t) => {
  const { context, page } = await freshPage(t);
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(tillUrl);
    await waitReady(page);
    const seeded = await page.evaluate(() => window.salespider.debug.seedProducts(20000));
    assert.equal(seeded.ok, true, JSON.stringify(seeded));
    assert.equal((await page.evaluate(() => window.salespider.debug.flush())).completed, true);
    const image = await page.evaluate(() => window.salespider.storageStats());

    const sales = 20;
    for (let i = 0; i < sales; i += 1) assert.equal((await recordTestOp(page)).completed, true);
    const afterSales = await page.evaluate(() => window.salespider.storageStats());
    assert.equal((await page.evaluate(() => window.salespider.debug.flush())).completed, true);
    const afterFlush = await page.evaluate(() => window.salespider.storageStats());

    const journalPerSale = (afterSales.journal_bytes - image.journal_bytes) / sales;
    // Pages written since the image: by the final flush, and by a background
    // snapshot if the sales took longer than the flush delay.
    const snapshotBytes = afterFlush.page_bytes - image.page_bytes + afterFlush.meta_bytes - image.meta_bytes;
    const perSale = journalPerSale + snapshotBytes / sales;
    t.diagnostic(`image: ${image.page_puts} pages, ${image.page_bytes} bytes`);
    t.diagnostic(`per sale at completion: ${journalPerSale.toFixed(0)} bytes (journal record only)`);
    t.diagnostic(`snapshots for ${sales} sales: ${afterFlush.page_puts - image.page_puts} pages, ${snapshotBytes} bytes`);
    t.diagnostic(`per sale including its share of the snapshot: ${perSale.toFixed(0)} bytes`);
    assert.ok(journalPerSale < 3072, `journal record ${journalPerSale} bytes`);
    assert.ok(image.page_bytes > 1_000_000, 'the catalog image is big');
    assert.ok(snapshotBytes < 0.05 * image.page_bytes, `snapshot ${snapshotBytes} bytes vs image ${image.page_bytes}`);

    // Startup with the 20k-product image: read, check, open.
    const t0 = Date.now();
    await page.reload();
    await waitReady(page);
    const reloadMs = Date.now() - t0;
    const s = await tillState(page);
    const stats = await page.evaluate(() => window.salespider.storageStats());
    t.diagnostic(`reload to first frame: ${reloadMs} ms; IndexedDB read: ${stats.load_ms.toFixed(0)} ms `
      + `(${stats.load_pages} pages, ${stats.load_page_bytes} bytes); store open (quick_check, replay): ${s.storage.open_ms.toFixed(0)} ms`);
    assert.equal(s.storage.db, 'restored');
    assert.equal(s.pending_ops, sales);
    assert.equal(s.last_receipt, sales);
  });
  await context.close();
});
