// A new store as `SALESPIDER_DEMO=0 make run` leaves it (no product, no tax
// rate, no category) greets its owner with the first-run setup (the store's
// name and currency set there, the rest skipped), then is filled from the
// back office alone — a tax rate and a
// category on their screens, products from a CSV file and from the product
// editor — and sells them, in Debian's Chromium against the real server. No
// SQL is written to the store: PostgreSQL is only read, to check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, click, withScreenshotOnFailure, clickId } from './lib/harness.mjs';
import {
  startStore, sql, enrol, fill, waitFor, waitScreen, waitSynced, syncNow, sell, openBackOffice, openShift, api,
  ownerToken, clickToScreen,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const CSV = [
  'id,sku,name,barcodes,category,price,cost,tax_code,unit,track_stock,low_stock,active,description',
  ',FR-ZOBO,Zobo 50 cl,6001000000017,Drinks,350.00,200.00,VAT,each,yes,6,yes,Hibiscus',
  ',FR-MALT,Malt can,6001000000024 6001000000031,Drinks,500.00,,VAT,each,yes,,yes,',
].join('\n') + '\n';

// The first-run setup: the store's name, then its currency, then "Skip setup".
async function walkSetup(page) {
  await waitFor(page, () => window.salespider.state().setup.active);
  await fill(page, '##setup-store-name', 'Corner shop');
  await click(page, 'Next');
  await waitFor(page, () => {
    const w = window.salespider.state().setup;
    return !w.saving && w.step === 'money' && w.settings.store_name === 'Corner shop';
  });
  await waitFor(page, () => window.salespider.widgets().some((w) => w.full_label === '##setup-currency-search'));
  await fill(page, '##setup-currency-search', 'cedi');
  await clickId(page, '##currency-GHS');
  await click(page, 'Next');
  await waitFor(page, () => {
    const w = window.salespider.state().setup;
    return !w.saving && w.step === 'time' && w.settings.currency === 'GHS';
  });
  await click(page, 'Skip setup');
  await waitFor(page, () => window.salespider.state().screen === 'till' && !window.salespider.state().setup.active);
}

async function backTo(page, screen) {
  await clickToScreen(page, 'Back', screen);
}

test('a new store without the demo is set up by its owner, filled from the back office and sells', async (t) => {
  const store = await startStore({ demo: false });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    assert.deepEqual(sql(store.dataPath, 'SELECT (SELECT count(*) FROM products), (SELECT count(*) FROM tax_rates)'),
      [['0', '0']]);
    await enrol(page, store.server.url, 'Front', { setup: 'stay' }); // the owner, on the first-run setup
    assert.equal((await tillState(page)).screen, 'setup');
    await walkSetup(page);
    const settings = await api(store.server, 'GET', '/api/v1/settings', null, await ownerToken(store.server));
    assert.equal(settings.store_name, 'Corner shop');
    assert.equal(settings.currency, 'GHS');
    assert.equal(settings.setup_completed, true);
    await openShift(page);
    await waitSynced(page);

    // A tax rate and a category, on their screens.
    await openBackOffice(page, 'Tax rates', 'tax_rates');
    await fill(page, '##tax-code', 'VAT');
    await fill(page, '##tax-name', 'Value added tax');
    await fill(page, '##tax-rate', '7.5');
    await click(page, 'Add tax rate');
    await waitFor(page, () => window.salespider.state().back_office.tax_rates.some((r) => r.code === 'VAT'));
    assert.equal((await tillState(page)).back_office.tax_rates.find((r) => r.code === 'VAT').rate_ppm, 75000);
    await backTo(page, 'back_office');
    await openBackOffice(page, 'Categories', 'categories');
    await fill(page, '##category-name', 'Drinks');
    await click(page, 'Add category');
    await waitFor(page, () => window.salespider.state().back_office.categories.some((c) => c.name === 'Drinks'));
    await backTo(page, 'back_office');

    // Two products from a CSV file naming them.
    await openBackOffice(page, 'CSV import/export', 'csv');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), click(page, 'Choose CSV file…')]);
    await chooser.setFiles({ name: 'first.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await waitFor(page, () => window.salespider.state().stock.csv.file_name === 'first.csv');
    await click(page, 'Check file');
    await waitFor(page, () => window.salespider.state().stock.csv.check !== null);
    const { check } = (await tillState(page)).stock.csv;
    assert.equal(check.created, 2, JSON.stringify(check));
    assert.equal(check.errors, 0, JSON.stringify(check));
    await click(page, 'Import');
    await waitFor(page, () => window.salespider.state().stock.csv.result?.applied === true);
    await backTo(page, 'back_office');

    // A third one in the product editor.
    await openBackOffice(page, 'Products', 'products');
    await click(page, 'New product');
    await waitScreen(page, 'product_editor');
    await fill(page, '##product-name', 'Plantain chips');
    await fill(page, '##product-sku', 'FR-CHIPS');
    await fill(page, '##new-barcode', '6001000000048');
    await click(page, 'Add barcode');
    await waitFor(page, () => window.salespider.widgets().some((w) => w.label === 'Remove'));
    await fill(page, '##product-price', '200.00');
    await click(page, 'Create');
    await waitFor(page, () => window.salespider.state().back_office.editing?.product?.id);
    await backTo(page, 'products');
    await backTo(page, 'back_office');
    await backTo(page, 'till');

    // The till pulls what the back office wrote, and sells it.
    await syncNow(page);
    await waitSynced(page);
    const sold = await sell(page, ['6001000000017', '6001000000031', '6001000000048']);
    assert.equal(sold.total, 35000 + 50000 + 20000);
    await waitSynced(page);
    const lines = sql(store.dataPath, `SELECT l.name, l.tax_code, l.tax_rate_ppm, l.unit_price_minor
        FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.receipt_number = '${sold.receipt_number}'
        ORDER BY l.line_no`);
    assert.deepEqual(lines, [
      ['Zobo 50 cl', 'VAT', '75000', '35000'],
      ['Malt can', 'VAT', '75000', '50000'],
      ['Plantain chips', 'NONE', '0', '20000'],
    ]);
    assert.deepEqual(sql(store.dataPath, `SELECT c.name, count(*) FROM products p JOIN categories c
        ON c.id = p.category_id GROUP BY c.name`), [['Drinks', '2']]);
  });
});
