// The sync machinery end to end: a real till in Debian's Chromium, the real
// store server and its embedded PostgreSQL. A sale the till shows as complete
// reaches PostgreSQL exactly once, whatever happens between: the server down,
// the browser killed, a push answer lost, an op the server rejects
// (architecture.md invariants 1-4, 7; docs/sync-protocol.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, withScreenshotOnFailure } from './lib/harness.mjs';
import { startChromium, tempProfile, removeProfile } from './lib/chromium-process.mjs';
import {
  startStore, sql, salesOf, api, ownerToken, openTill, enrol, signIn, signOut, sell, syncNow, waitSynced,
} from './lib/till.mjs';

const PUSH = '**/api/v1/sync/push';
let browser;

before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// A fresh store server and a fresh browser context for one test.
async function setUp(t) {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  return { store, context, page };
}

function assertOnce(sales, receipts) {
  const numbers = sales.map((s) => s.receipt);
  assert.deepEqual(numbers, receipts, 'PostgreSQL holds each receipt the till showed, once');
  assert.equal(new Set(sales.map((s) => s.opId)).size, sales.length, 'each op id once');
  assert.ok(sales.every((s) => s.status === 'applied'), JSON.stringify(sales));
}

test('enrol, sign in and sell online: the sale arrives in PostgreSQL once', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    const enrolled = await enrol(page, store.server.url);
    assert.match(enrolled.till.code, /^[A-Z0-9]{2,8}$/);
    await signOut(page);
    await signIn(page);

    const sale = await sell(page, ['D10000']);
    assert.equal(sale.offline, false);
    assert.match(sale.receipt_number, new RegExp(`^${enrolled.till.code}-\\d+$`));
    await waitSynced(page);
    assertOnce(salesOf(store.dataPath, enrolled.till.id), [sale.receipt_number]);
  });
});

test('20 sales while the server is down all arrive once after it comes back on the same port', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    const receipts = [(await sell(page, ['D10000'])).receipt_number];
    await waitSynced(page);

    await store.stop();
    const t0 = Date.now();
    for (let i = 1; i <= 20; i += 1) {
      const sale = await sell(page, [`D1000${i % 10}`]);
      receipts.push(sale.receipt_number);
      assert.equal((await tillState(page)).pending_ops, i, 'each sale waits in the outbox');
    }
    assert.equal(new Set(receipts).size, 21, 'the till never reused a receipt number');
    const down = await tillState(page);
    assert.equal(down.online, false, 'the till noticed the server is gone');
    assert.equal(down.completed.offline, true, 'and says the last sale was recorded offline');
    t.diagnostic(`20 offline sales in ${Date.now() - t0} ms`);

    const url = store.server.url;
    await store.start();
    assert.equal(store.server.url, url, 'the same origin, so the same IndexedDB');
    await syncNow(page);
    const s = await waitSynced(page);
    assert.equal(s.needs_attention, 0);
    const sales = salesOf(store.dataPath, till.id);
    assert.equal(sales.length, 21);
    assertOnce(sales, receipts);
    assert.deepEqual(sql(store.dataPath, `SELECT kind, status, count(*) FROM applied_ops
      WHERE till_id = '${till.id}' GROUP BY 1, 2 ORDER BY 1`), [['sale', 'applied', '21'], ['shift_open', 'applied', '1']]);
  });
});

test('a sale completed just before the browser is killed, offline, arrives once after a restart', async (t) => {
  const store = await startStore();
  const profile = tempProfile();
  let chrome = await startChromium(profile);
  t.after(async () => {
    await chrome.kill().catch(() => {});
    removeProfile(profile);
    await store.remove();
  });
  let page = await chrome.context.newPage();
  await page.setViewportSize({ width: 1024, height: 720 });
  let sale;
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    await store.stop();
    sale = await sell(page, ['D10003']);
    assert.equal((await tillState(page)).pending_ops, 1);
    // No flush, no unload: the browser and its helper processes die now.
    await chrome.kill();
  });

  await store.start();
  chrome = await startChromium(profile);
  page = await chrome.context.newPage();
  await page.setViewportSize({ width: 1024, height: 720 });
  await withScreenshotOnFailure(t, page, async () => {
    await openTill(page, store.server.url);
    const s = await tillState(page);
    assert.equal(s.till.enrolled, true);
    assert.equal(s.last_receipt, Number(sale.receipt_number.split('-')[1]), 'the sale survived the kill');
    // The till syncs with its own credential: nobody needs to sign in.
    await waitSynced(page);
    assertOnce(salesOf(store.dataPath, s.till.id), [sale.receipt_number]);
  });
});

test('a push whose answer is lost after the server committed is retried and not duplicated', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    const answers = [];
    await page.route(PUSH, async (route) => {
      const response = await route.fetch(); // the server has committed
      answers.push((await response.json()).results);
      if (answers.length === 1) await route.abort('connectionreset'); // ... and the till never hears it
      else await route.fulfill({ response });
    });
    const sale = await sell(page, ['D10005']);
    const s = await waitSynced(page);
    assert.equal(s.needs_attention, 0);
    assert.ok(answers.length >= 2, 'the till pushed again');
    const [first, second] = answers.map((results) => results.map((r) => [r.op_id, r.status]));
    assert.equal(first.length, 1);
    assert.deepEqual(first[0][1], 'applied');
    assert.deepEqual(second, [[first[0][0], 'duplicate']], 'the retry carried the same op id');
    assertOnce(salesOf(store.dataPath, till.id), [sale.receipt_number]);
  });
});

test('an op the server rejects is kept for a manager and does not block the next sale', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    let spoiled = null;
    await page.route(PUSH, async (route) => {
      const body = route.request().postDataJSON();
      const op = body.ops.find((o) => o.kind === 'sale');
      if (spoiled || !op) return route.continue();
      // Still a valid envelope, but a sale payload the server cannot read.
      spoiled = op.op_id;
      if (typeof op.payload === 'string') op.payload = JSON.stringify({ ...JSON.parse(op.payload), colour: 'red' });
      else op.payload.colour = 'red';
      return route.continue({ postData: JSON.stringify(body) });
    });
    const bad = await sell(page, ['D10006']);
    let s = await waitSynced(page);
    assert.ok(spoiled, 'the sale was pushed');
    assert.equal(s.needs_attention, 1, JSON.stringify(s));
    assert.equal(s.pending_ops, 0);

    const good = await sell(page, ['D10007']);
    s = await waitSynced(page);
    assert.equal(s.needs_attention, 1);
    assertOnce(salesOf(store.dataPath, till.id), [good.receipt_number]);
    assert.notEqual(bad.receipt_number, good.receipt_number);

    const token = await ownerToken(store.server);
    const { ops } = await api(store.server, 'GET', '/api/v1/ops?state=rejected', null, token);
    assert.deepEqual(ops.map((o) => [o.op_id, o.till_id, o.kind, o.status]), [[spoiled, till.id, 'sale', 'rejected']]);
    assert.match(ops[0].reject_message, /colour/, JSON.stringify(ops[0]));
  });
});
