// The store settings screen, in Debian's Chromium against the real store
// server: on a new store (no sale yet, so its currency may still change) the
// owner sets the currency and the time zone through Settings, and the next
// sale's receipt is in that currency and that zone's local time; a manager
// is not shown Settings at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, click, withScreenshotOnFailure } from './lib/harness.mjs';
import {
  startStore, sql, api, ownerToken, enrol, addStaff, signOut, signIn, fill, waitFor, waitScreen, waitSynced,
  sell, openShift, openBackOffice, openHub, MANAGER,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function newTill(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(() => context.close().catch(() => {}));
  return page;
}

// "HH:MM" in `zone` now.
function clockIn(zone) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date());
}

async function backTo(page, screen) {
  for (let i = 0; i < 4; ++i) {
    const was = (await tillState(page)).screen;
    if (was === screen) break;
    await click(page, 'Back');
    await waitFor(page, (w) => window.salespider.state().screen !== w, was);
  }
  await waitScreen(page, screen);
}

test('the owner sets currency and time zone on a new store and the next receipt shows them', async (t) => {
  const store = await startStore({ demo: false });
  t.after(() => store.remove());
  const page = await newTill(t);
  await withScreenshotOnFailure(t, page, async () => {
    const token = await ownerToken(store.server);
    const before = await api(store.server, 'GET', '/api/v1/settings', null, token);
    assert.equal(before.currency_locked, false, 'a new store has no sale');
    await api(store.server, 'POST', '/api/v1/products',
      { name: 'Green tea', price_minor: 1500, barcodes: ['2900000000097'] }, token);
    await enrol(page, store.server.url, 'Front', { shift: false }); // the owner; the shift after the change

    await openBackOffice(page, 'Settings', 'settings');
    await waitFor(page, () => {
      const s = window.salespider.state().settings;
      return !s.loading && s.server !== null;
    });
    assert.equal((await tillState(page)).settings.offline, false);
    await fill(page, '##settings-currency', 'JPY');
    await fill(page, '##settings-time-zone', 'Asia/Tokyo');
    await click(page, 'Save');
    await waitFor(page, () => window.salespider.state().settings.saved);
    const saved = (await tillState(page)).settings.server;
    assert.equal(saved.currency, 'JPY');
    assert.equal(saved.time_zone, 'Asia/Tokyo');
    assert.deepEqual(sql(store.dataPath, 'SELECT currency FROM stores'), [['JPY']]);
    // The price a person sees stays: 15.00 in a two-decimal currency is 15 yen.
    const exponent = { JPY: 0, KWD: 3, BHD: 3 }[before.currency] ?? 2;
    assert.deepEqual(sql(store.dataPath, "SELECT price_minor, currency FROM products WHERE name = 'Green tea'"),
      [[String(Math.round(1500 / 10 ** exponent)), 'JPY']]);

    // The till applies them once the pull feed brings them (Save asks for a round).
    await waitFor(page, () => {
      const s = window.salespider.state().store;
      return s.currency === 'JPY' && s.time_zone === 'Asia/Tokyo';
    });
    await backTo(page, 'till');
    await openShift(page);
    const from = clockIn('Asia/Tokyo');
    const done = await sell(page, ['2900000000097']);
    const to = clockIn('Asia/Tokyo');
    assert.ok(done.time.endsWith(from) || done.time.endsWith(to),
      `the receipt's time ${done.time} is Tokyo's (${from}..${to})`);
    await waitSynced(page);
    assert.deepEqual(sql(store.dataPath, 'SELECT currency FROM sales'), [['JPY']]);

    await click(page, 'Print receipt');
    await page.waitForFunction(() => window.salespider.receiptsPrinted() >= 1, null, { timeout: 10000 });
    const html = await page.evaluate(() => window.salespider.lastReceiptHtml());
    assert.match(html, /data-k="time-zone">Asia\/Tokyo</);
    assert.match(html, /data-k="total"[^]*?(¥|JPY)/, 'the total is in yen');

    // Now the store has sold: the screen says the currency is locked.
    await openBackOffice(page, 'Settings', 'settings');
    await waitFor(page, () => window.salespider.state().settings.server?.currency_locked === true);
  });
});

test('a manager is not shown the store settings', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const page = await newTill(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front');
    await openHub(page);
    assert.ok((await widgets(page)).some((w) => w.label === 'Settings'), 'the owner sees Settings');
    await backTo(page, 'till');
    await addStaff(store, page);
    await signOut(page);
    await signIn(page, MANAGER);
    await openHub(page);
    assert.ok(!(await widgets(page)).some((w) => w.label === 'Settings'), 'no Settings button for a manager');
  });
});
