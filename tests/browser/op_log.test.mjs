// The op log on OPFS (www/journal_worker.js, www/storage.js): a sale is
// durable once the log is flushed, IndexedDB's journal store gets it
// relaxed, and the log is emptied once a strict IndexedDB transaction
// covered it. On one enrolled till against the real server:
//  - sales go through the log (their journal transaction says so), arrive
//    once, and the log is emptied afterwards;
//  - a sale whose IndexedDB journal write is lost (the TEST-ONLY
//    debug.skipJournalStore hook: what a crash before IndexedDB reached the
//    disk leaves) while the server is down comes back from the log when the
//    till starts again: pending, then pushed once when the server returns;
//  - with ?oplog=0 the journal is written strictly to IndexedDB, as before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, readJournal, tillState, waitReady, withScreenshotOnFailure } from './lib/harness.mjs';
import { waitOfflineReady } from './lib/pwa.mjs';
import { startStore, enrol, sell, salesOf, syncNow, waitFor, waitSynced } from './lib/till.mjs';

let store;
let browser;

before(async () => {
  store = await startStore();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await store?.remove();
});

// The op ids IndexedDB's journal store holds, read beside the till.
async function journalIds(page) {
  return (await readJournal(page)).map((r) => r.op_id);
}

test('a sale is durable in the op log; one IndexedDB lost comes back from it and arrives once', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    await waitOfflineReady(page);
    const stats = await page.evaluate(() => window.salespider.storageStats());
    assert.equal(stats.op_log, 'opfs', 'Chromium has OPFS: the log is on');

    const first = await sell(page);
    const timings = await page.evaluate(() => window.salespider.debug.txTimings());
    const sale = timings.filter((x) => x.strict && x.puts > 0).at(-1);
    assert.equal(sale.log, true, 'the sale was made durable by the log');
    await waitSynced(page);
    assert.equal(salesOf(store.dataPath, till.id).length, 1);
    assert.equal(await page.evaluate(() => window.salespider.debug.compactOpLog()), true);
    let log = await page.evaluate(() => window.salespider.debug.opLog());
    assert.ok(log.truncations >= 1, JSON.stringify(log));
    assert.equal(log.keep, false);

    // The server goes away; the next sale reaches the log but not IndexedDB.
    await store.stop();
    const idsBefore = await journalIds(page);
    await page.evaluate(() => window.salespider.debug.skipJournalStore(1));
    const lost = await sell(page);
    assert.notEqual(lost.receipt_number, first.receipt_number);
    assert.equal((await tillState(page)).pending_ops, 1);
    assert.deepEqual((await journalIds(page)).sort(), idsBefore.sort(), 'not in the journal store');
    log = await page.evaluate(() => window.salespider.debug.opLog());
    assert.equal(log.keep, true, 'the log is the only copy: it is kept');

    // The till starts again (from the service worker's cache: no server).
    await page.reload();
    await waitReady(page);
    const again = await page.evaluate(() => window.salespider.storageStats());
    assert.equal(again.log_recovered, 1, JSON.stringify(again));
    assert.equal((await tillState(page)).pending_ops, 1, 'the sale is pending again');
    assert.equal((await journalIds(page)).length, idsBefore.length + 1, 'written back to the journal store');

    // The server is back: the sale arrives, once.
    await store.start();
    await waitFor(page, () => window.salespider.state().screen !== 'loading', null, 30000);
    await syncNow(page).catch(() => {});  // a screen without "Device" syncs by its own round
    await waitSynced(page, 90000);
    const sales = salesOf(store.dataPath, till.id);
    assert.equal(sales.length, 2, JSON.stringify(sales));
    assert.equal(new Set(sales.map((x) => x.opId)).size, 2);
    assert.ok(sales.some((x) => x.receipt === lost.receipt_number), JSON.stringify(sales));
  });
  await context.close();
});

test('with the op log off the journal is written strictly to IndexedDB', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(store.server.url + '?automation=1&oplog=0');
    await waitReady(page);
    assert.equal((await page.evaluate(() => window.salespider.storageStats())).op_log, 'off');
  });
  await context.close();
});
