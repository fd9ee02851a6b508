// The Back office's stock screens in a real browser against a real store
// server: a stock count made offline (with a reload in the middle) and a
// receipt made offline reach PostgreSQL exactly once when the server comes
// back; the CSV import's dry run shows its errors and writes nothing; an
// import and the export round-trip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, waitReady, findWidget, click, withScreenshotOnFailure } from './lib/harness.mjs';
import { startStore, sql, enrol, signIn, fill, waitFor, waitScreen, waitSynced, openBackOffice } from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Tracked products sold by the piece, with a barcode, from the demo catalog.
function trackedProducts(dataPath, n) {
  return sql(dataPath, `SELECT p.id, b.barcode, coalesce(l.on_hand_milli, 0) FROM products p
      JOIN barcodes b ON b.product_id = p.id LEFT JOIN stock_levels l ON l.product_id = p.id
      WHERE p.track_stock AND p.unit = 'each' AND p.is_active AND p.deleted_at IS NULL
      ORDER BY p.sku LIMIT ${n}`).map(([id, barcode, onHand]) => ({ id, barcode, onHand: Number(onHand) }));
}

// Scans `code` into the picker whose field is `id`.
async function scan(page, id, code) {
  await fill(page, id, code);
  await page.keyboard.press('Enter');
}

// Until IndexedDB's drafts record holds the count with `n` counted lines.
function waitCountKept(page, n) {
  return page.waitForFunction((want) => new Promise((resolve) => {
    const open = indexedDB.open('salespider-till');
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const r = open.result.transaction('meta', 'readonly').objectStore('meta').get('drafts');
      r.onsuccess = () => {
        open.result.close();
        const d = r.result ? JSON.parse(r.result) : null;
        resolve(!!d && !!d.stock_count && d.stock_count.lines.filter((l) => l.counted_milli !== null).length === want);
      };
      r.onerror = () => { open.result.close(); resolve(false); };
    };
  }), n, { timeout: 10000, polling: 100 });
}

test('a stock count offline with variances creates exactly the right movements once after the server returns', async (t) => {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front', { shift: false });
    const products = trackedProducts(store.dataPath, 3);
    assert.equal(products.length, 3);
    const counted = products.map((p, i) => Math.max(0, p.onHand / 1000 + [3, -2, 0][i]));
    await openBackOffice(page, 'Stock count', 'stock_count');

    // The server goes away; the whole count is made offline.
    await store.stop();
    await click(page, 'Start a count');
    await waitFor(page, () => window.salespider.state().stock.count?.count_id.length > 0);
    for (const [i, p] of products.entries()) {
      await scan(page, '##count-search', p.barcode);
      await waitFor(page, (n) => window.salespider.state().stock.count.lines.length === n, i + 1);
      await fill(page, `##counted-${i}`, String(counted[i]));
      await waitFor(page, ([line, want]) => window.salespider.state().stock.count.lines[line].counted_milli === want,
        [i, counted[i] * 1000]);
    }
    let s = await tillState(page);
    for (const [i, p] of products.entries()) {
      const line = s.stock.count.lines[i];
      assert.equal(line.product_id, p.id);
      assert.equal(line.expected_milli, p.onHand);
      assert.equal(line.variance_milli, counted[i] * 1000 - p.onHand);
    }
    assert.equal(s.stock.count.totals.variance_milli,
      products.reduce((sum, p, i) => sum + counted[i] * 1000 - p.onHand, 0));
    const countId = s.stock.count.count_id;

    // A reload while offline keeps the count in progress.
    await waitCountKept(page, 3);
    await page.reload();
    await waitReady(page);
    await click(page, 'Open till');
    await signIn(page);
    await openBackOffice(page, 'Stock count', 'stock_count');
    s = await tillState(page);
    assert.equal(s.stock.count.count_id, countId);
    assert.deepEqual(s.stock.count.lines.map((l) => l.counted_milli), counted.map((c) => c * 1000));

    await click(page, 'Apply count');
    await waitFor(page, () => window.salespider.state().stock.count === null);
    assert.equal((await tillState(page)).pending_ops, 3);
    assert.equal((await tillState(page)).online, false);

    // The server returns: the three lines arrive, each once.
    await store.start();
    await waitSynced(page, 120000);
    for (const [i, p] of products.entries()) {
      const rows = sql(store.dataPath, `SELECT quantity_milli FROM stock_movements
        WHERE product_id = '${p.id}' AND kind = 'count' AND op_id IS NOT NULL`);
      assert.equal(rows.length, 1, `one count movement for line ${i + 1}`);
      assert.equal(Number(rows[0][0]), counted[i] * 1000 - p.onHand);
      const [[onHand]] = sql(store.dataPath, `SELECT on_hand_milli FROM stock_levels WHERE product_id = '${p.id}'`);
      assert.equal(Number(onHand), counted[i] * 1000);
    }
  });
});

test('a receipt recorded offline arrives as one receive movement', async (t) => {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front', { shift: false });
    const [p] = trackedProducts(store.dataPath, 1);
    const receipts = () => sql(store.dataPath, `SELECT quantity_milli, note FROM stock_movements
      WHERE product_id = '${p.id}' AND kind = 'receive' ORDER BY occurred_at, id`);
    const before = receipts();
    await openBackOffice(page, 'Stock', 'stock');
    await store.stop();
    await scan(page, '##stock-search', p.barcode);
    await waitFor(page, (id) => window.salespider.state().stock.product?.id === id, p.id);
    await fill(page, '##stock-qty', '12');
    await fill(page, '##stock-note', 'Crate from the supplier');
    await click(page, 'Record receipt');
    await waitFor(page, () => window.salespider.state().stock.done.startsWith('Received 12'));
    assert.equal((await tillState(page)).pending_ops, 1);
    await store.start();
    await waitSynced(page, 120000);
    const after = receipts();
    assert.equal(after.length, before.length + 1);
    assert.deepEqual(after.filter((r) => r[1] === 'Crate from the supplier'), [['12000', 'Crate from the supplier']]);
  });
});

// --- CSV -------------------------------------------------------------------------

async function chooseCsv(page, name, text) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'Choose CSV file…')]);
  await chooser.setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await waitFor(page, (n) => window.salespider.state().stock.csv.file_name === n, name);
}

const HEADER = 'id,sku,name,barcodes,category,price,cost,tax_code,unit,track_stock,low_stock,active,description';

test('CSV dry-run shows errors and writes nothing', async (t) => {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front', { shift: false });
    const before = sql(store.dataPath, 'SELECT count(*), max(updated_at) FROM products');
    await openBackOffice(page, 'CSV import/export', 'csv');
    await chooseCsv(page, 'bad.csv', [
      HEADER,
      ',CSV-OK-1,Good soap,,,150.00,,,each,yes,,yes,',
      ',CSV-BAD-1,Bad soap,,,twelve,,,each,yes,,yes,',
    ].join('\n') + '\n');
    await click(page, 'Check file');
    await waitFor(page, () => window.salespider.state().stock.csv.check !== null);
    const { csv } = (await tillState(page)).stock;
    assert.equal(csv.check.errors, 1);
    const [row] = csv.check.error_rows;
    assert.equal(row.line, 3);
    assert.equal(row.column, 'price');
    assert.ok(row.message.length > 0);
    assert.equal((await findWidget(page, 'Import')).enabled, false);
    assert.deepEqual(sql(store.dataPath, 'SELECT count(*), max(updated_at) FROM products'), before);
    assert.deepEqual(sql(store.dataPath, "SELECT count(*) FROM products WHERE sku LIKE 'CSV-%'"), [['0']]);
  });
});

test('import then export round-trips', async (t) => {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front', { shift: false });
    await openBackOffice(page, 'CSV import/export', 'csv');
    const rows = [
      ',CSV-RT-1,Round trip soap,2000000000011,,150.00,90.00,,each,yes,5,yes,Lavender',
      ',CSV-RT-2,Round trip rice,,,2500.50,,,weighed,yes,0.5,yes,',
    ];
    await chooseCsv(page, 'good.csv', [HEADER, ...rows].join('\n') + '\n');
    await click(page, 'Check file');
    await waitFor(page, () => window.salespider.state().stock.csv.check !== null);
    assert.equal((await tillState(page)).stock.csv.check.created, 2);
    await click(page, 'Import');
    await waitFor(page, () => window.salespider.state().stock.csv.result?.applied === true);
    assert.deepEqual(sql(store.dataPath, "SELECT count(*) FROM products WHERE sku LIKE 'CSV-RT-%'"), [['2']]);

    const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'Export products (CSV)')]);
    const chunks = [];
    for await (const c of await download.createReadStream()) chunks.push(c);
    const exported = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
    for (const sku of ['CSV-RT-1', 'CSV-RT-2']) {
      const line = exported.find((l) => l.split(',')[1] === sku);
      assert.ok(line, `${sku} is in the export`);
      const mine = rows.find((r) => r.split(',')[1] === sku).split(',');
      const theirs = line.split(',');
      // Every column but the id (given by the server) and the category comes back as imported.
      for (const col of [1, 2, 3, 5, 6, 8, 9, 10, 11]) assert.equal(theirs[col], mine[col], `${sku} column ${col}`);
    }
    // PostgreSQL holds what the file said.
    assert.deepEqual(sql(store.dataPath, `SELECT sku, price_minor, cost_minor, unit FROM products
      WHERE sku LIKE 'CSV-RT-%' ORDER BY sku`), [['CSV-RT-1', '15000', '9000', 'each'], ['CSV-RT-2', '250050', '', 'weighed']]);
  });
});
