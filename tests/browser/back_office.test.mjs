// The back office's catalog screens, in Debian's Chromium against the real
// store server: a manager creates a product with two barcodes through the
// screens and another till sells it by the second barcode after a sync; a
// cashier sees no back office and the server refuses the calls it would
// make; an edit that went stale while it was typed shows both versions, and
// "Keep mine" saves over the newer row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, click, withScreenshotOnFailure } from './lib/harness.mjs';
import {
  startStore, sql, api, ownerToken, enrol, addStaff, signOut, signIn, fill, waitFor, waitScreen, waitSynced,
  syncNow, openBackOffice, CASHIER, MANAGER, clickToScreen,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function newTill(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  t.after(() => context.close().catch(() => {}));
  return page;
}

// Till → Device → Back office → Products, the list loaded.
async function openProducts(page) {
  await openBackOffice(page, 'Products', 'products');
  await waitFor(page, () => !window.salespider.state().back_office.loading);
}

// Answers with the status instead of throwing (api() throws on refusals).
async function status(server, method, url, body, token) {
  const res = await fetch(new URL(url, server.httpUrl), {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.text();
  return res.status;
}

test('a manager creates a product with two barcodes and it sells on another till after sync', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const a = await newTill(t);
  const b = await newTill(t);
  await withScreenshotOnFailure(t, a, async () => {
    await enrol(a, store.server.url, 'Back');
    await addStaff(store, a);
    await signOut(a);
    await signIn(a, MANAGER);
    await enrol(b, store.server.url, 'Front');

    await openProducts(a);
    await click(a, 'New product');
    await waitScreen(a, 'product_editor');
    await fill(a, '##product-name', 'Zobo 50 cl');
    await fill(a, '##product-sku', 'ZOBO-50');
    for (const [n, code] of ['2900000000011', '2900000000028'].entries()) {
      await fill(a, '##new-barcode', code);
      await click(a, 'Add barcode');
      await waitFor(a, (k) => window.salespider.widgets().filter((w) => w.label === 'Remove').length === k, n + 1);
    }
    await fill(a, '##product-price', '350.00');
    await click(a, 'Create');
    await waitFor(a, () => window.salespider.state().back_office.editing?.product?.id);
    const made = (await tillState(a)).back_office.editing.product;
    assert.deepEqual(made.barcodes, ['2900000000011', '2900000000028']);
    assert.equal(made.price_minor, 35000);
    const [[name, price]] = sql(store.dataPath, `SELECT name, price_minor FROM products WHERE sku = 'ZOBO-50'`);
    assert.equal(name, 'Zobo 50 cl');
    assert.equal(price, '35000');

    // Till B: the change reaches it with the next pull; the second code sells it.
    await withScreenshotOnFailure(t, b, async () => {
      for (let attempt = 0; ; ++attempt) {
        await syncNow(b);
        await waitSynced(b);
        await b.keyboard.type('2900000000028');
        await b.keyboard.press('Enter');
        try {
          await waitFor(b, () => window.salespider.state().cart.lines.some((l) => l.name === 'Zobo 50 cl'), null, 5000);
          break;
        } catch (err) {
          if (attempt === 4) throw err;
        }
      }
      const line = (await tillState(b)).cart.lines.find((l) => l.name === 'Zobo 50 cl');
      assert.equal(line.unit_price, 35000);
    });
  });
});

test('a cashier sees no back office and the server refuses its calls', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const page = await newTill(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    await addStaff(store, page); // ends with the cashier signed in
    assert.equal((await tillState(page)).user.username, CASHIER.login);
    const labels = (await widgets(page)).map((w) => w.label);
    assert.ok(labels.includes('Device'), labels.join(', '));
    assert.ok(!labels.includes('Back office'), labels.join(', '));
    await clickToScreen(page, 'Device', 'device');
    assert.ok(!(await widgets(page)).some((w) => w.label === 'Back office'));

    const token = (await api(store.server, 'POST', '/api/v1/auth/login', CASHIER)).token;
    assert.equal(await status(store.server, 'GET', '/api/v1/products', null, token), 403);
    assert.equal(await status(store.server, 'POST', '/api/v1/products', { name: 'Nope', price_minor: 1 }, token), 403);
    assert.equal(await status(store.server, 'GET', '/api/v1/categories', null, token), 403);
    assert.equal(await status(store.server, 'GET', '/api/v1/tax-rates', null, token), 403);
  });
});

test('a stale edit shows both versions', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const page = await newTill(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url); // the owner is signed in
    const [[id, name]] = sql(store.dataPath, `SELECT id, name FROM products WHERE sku = 'D10002'`);
    await openProducts(page);
    await fill(page, '##product-search', 'D10002');
    await waitFor(page, (pid) => {
      const bo = window.salespider.state().back_office;
      return !bo.loading && bo.products.length === 1 && bo.products[0].id === pid;
    }, id);
    await click(page, name);
    await waitScreen(page, 'product_editor');
    await waitFor(page, () => window.salespider.state().back_office.editing?.product !== null
      && !window.salespider.state().back_office.editing.loading);
    await fill(page, '##product-price', '999.00');

    // Meanwhile someone renames it through the API.
    const token = await ownerToken(store.server);
    const now = await api(store.server, 'GET', `/api/v1/products/${id}`, null, token);
    await api(store.server, 'PATCH', `/api/v1/products/${id}`,
      { row_version: now.row_version, name: `${name} (renamed)` }, token);

    await click(page, 'Save');
    await waitFor(page, () => window.salespider.state().back_office.editing?.conflict);
    const { conflict } = (await tillState(page)).back_office.editing;
    assert.equal(conflict.theirs.name, `${name} (renamed)`);
    assert.equal(conflict.mine.name, name);
    assert.equal(conflict.mine.price, '999.00');
    const labels = (await widgets(page)).map((w) => w.label);
    assert.ok(labels.includes('Keep mine') && labels.includes('Use theirs'), labels.join(', '));

    // Keep mine: this person's version goes over the newer row.
    await click(page, 'Keep mine');
    await waitFor(page, () => {
      const e = window.salespider.state().back_office.editing;
      return e && !e.conflict && e.product.price_minor === 99900 && !window.salespider.state().busy;
    });
    const saved = await api(store.server, 'GET', `/api/v1/products/${id}`, null, token);
    assert.equal(saved.name, name);
    assert.equal(saved.price_minor, 99900);
    assert.ok(saved.row_version > now.row_version + 1);
    assert.ok(saved.price_history.some((h) => h.price_minor === 99900));
  });
});

test('offline, the products screen says so and shows what the till has, read-only', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const page = await newTill(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url); // the owner is signed in
    await store.stop();
    await openBackOffice(page, 'Products', 'products');
    await waitFor(page, () => window.salespider.state().back_office.offline === true);
    const s = await tillState(page);
    assert.ok(s.browse.products > 0, 'the local catalog is listed');
    const create = (await widgets(page)).find((w) => w.label === 'New product');
    assert.ok(create && !create.enabled, 'New product is disabled offline');
  });
});
