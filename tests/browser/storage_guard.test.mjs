// Nothing lost when storage or the feed surprise the till (issue 23), on one
// enrolled till against the real server:
//  - a full quota during a sale (the TEST-ONLY debug.setJournalFull hook
//    makes journal puts fail with QuotaExceededError) fails the sale visibly
//    before "Sale complete", keeps the cart and loses nothing recorded
//    before; once space is back the same sale completes, once;
//  - a feed row of an entity this till does not know (inserted into
//    change_feed by hand, as a newer server would send one) is kept, counted
//    in state().sync.deferred_changes, and does not stop the pull: the
//    product change after it still arrives.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, withScreenshotOnFailure } from './lib/harness.mjs';
import { startStore, enrol, sell, sql, salesOf, syncNow, waitFor, waitSynced } from './lib/till.mjs';

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

async function scan(page, code) {
  const before = (await tillState(page)).cart.lines.length;
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await waitFor(page, (n) => window.salespider.state().cart.lines.length > n, before, 15000);
}

test('a full quota fails the sale before "Sale complete" and loses nothing; a newer entity in the feed does not stop the pull', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    const s0 = await enrol(page, store.server.url);
    const tillId = s0.till.id;
    const first = await sell(page);
    await waitSynced(page);
    assert.equal(salesOf(store.dataPath, tillId).length, 1);

    // Storage full: the sale fails, plainly, and the cart stays.
    await page.evaluate(() => window.salespider.debug.setJournalFull(true));
    await scan(page, 'D10000');
    await page.keyboard.press('F4');
    await waitFor(page, () => window.salespider.state().message?.kind === 'error', null, 15000);
    let s = await tillState(page);
    assert.match(s.message.text, /storage is full/);
    assert.ok(s.completed === null || s.completed.receipt_number === first.receipt_number, 'no "Sale complete" for it');
    assert.equal(s.cart.lines.length, 1, 'the cart stays');
    assert.equal(s.pending_ops, 0);
    assert.equal(salesOf(store.dataPath, tillId).length, 1, 'the first sale is still there');

    // Space again: the same cart completes, once.
    await page.evaluate(() => window.salespider.debug.setJournalFull(false));
    await page.keyboard.press('F4');
    await waitFor(page, (prev) => window.salespider.state().completed?.receipt_number
      && window.salespider.state().completed.receipt_number !== prev, first.receipt_number, 15000);
    await waitSynced(page);
    const sales = salesOf(store.dataPath, tillId);
    assert.equal(sales.length, 2);
    assert.equal(new Set(sales.map((x) => x.opId)).size, 2);

    // A newer server's entity in the feed, then a price change behind it.
    sql(store.dataPath, `INSERT INTO change_feed (store_id, entity, entity_id, row_version)
      SELECT id, 'gift_card', gen_random_uuid(), 1 FROM stores LIMIT 1`);
    const product = `(SELECT id FROM products WHERE sku = 'D10000' UNION SELECT product_id FROM barcodes WHERE barcode = 'D10000' LIMIT 1)`;
    const [[was]] = sql(store.dataPath, `SELECT price_minor FROM products WHERE id = ${product}`);
    sql(store.dataPath, `UPDATE products SET price_minor = price_minor + 700 WHERE id = ${product}`);
    const [[price]] = sql(store.dataPath, `SELECT price_minor FROM products WHERE id = ${product}`);
    assert.equal(Number(price), Number(was) + 700);
    await syncNow(page);
    await waitFor(page, () => window.salespider.state().sync.deferred_changes === 1, null, 30000);
    await waitSynced(page);
    s = await tillState(page);
    assert.equal(s.sync.last_error, null);
    await scan(page, 'D10000');
    s = await tillState(page);
    assert.equal(s.cart.lines.at(-1).unit_price, Number(price), 'the change after the kept one arrived');
  });
  await context.close();
});
