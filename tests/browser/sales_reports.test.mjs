// Sales and shifts reports on the till (issue 24), in Debian's Chromium
// against the real store server: cash and card sales, one card sale refunded;
// the History filtered by tender on this till's own records and on the whole
// store's (totals equal to PostgreSQL's), its CSV export holding exactly the
// filtered rows and adding up to the screen's total; a shift closed short by
// a known amount found in the Shifts archive with that over/short, its Z
// report as the server computed it, and in over/short by cashier. The
// History stays usable on a phone (filters fold away, no button off screen).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, click, inputRead, withScreenshotOnFailure, clickId } from './lib/harness.mjs';
import {
  startStore, sql, enrol, sell, fill, waitFor, waitScreen, waitSynced, openBackOffice, clickToScreen,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

function product(dataPath, sku) {
  const [[code, price]] = sql(dataPath, `SELECT b.barcode, p.price_minor FROM products p
    JOIN barcodes b ON b.product_id = p.id WHERE p.sku = '${sku}' AND p.unit = 'each' ORDER BY b.barcode LIMIT 1`);
  return { code, price: Number(price) };
}

async function sellByCard(page, code) {
  const before = (await tillState(page)).last_receipt_number;
  await inputRead(page);
  await page.waitForTimeout(200);  // the banner's frame after a sale: then the scan field takes keys
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
  const total = (await tillState(page)).cart.total;
  await page.keyboard.press('F6');
  await waitScreen(page, 'pay');
  await fill(page, '##tendered', (total / 100).toFixed(2));
  await clickId(page, '###tender-card');
  await waitFor(page, (b) => window.salespider.state().completed?.receipt_number !== undefined
    && window.salespider.state().last_receipt_number !== b, before);
  await waitScreen(page, 'till');
  return (await tillState(page)).completed;
}

// The History's list answered for the filter `want` (partial match).
async function historyFor(page, want) {
  await waitFor(page, (w) => {
    const s = window.salespider.state();
    const f = s.history_filters.filter;
    return s.screen === 'history' && !s.history.loading && Object.entries(w).every(([k, v]) => f[k] === v);
  }, want);
  return tillState(page);
}

// RFC 4180 records of a CSV text (quoted cells may hold commas, quotes, newlines).
function csvRecords(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n') {
      row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const minor = (decimal) => Math.round(Number(decimal) * 100);

test('history by tender (this till and whole store) = SQL, CSV = the filtered rows, shifts archive shows the over/short',
  async (t) => {
    const store = await startStore();
    sql(store.dataPath, "UPDATE settings SET enabled_tenders = ARRAY['cash','card']");
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    t.after(async () => {
      await context.close().catch(() => {});
      await store.remove();
    });
    await withScreenshotOnFailure(t, page, async () => {
      const { till } = await enrol(page, store.server.url);
      const shiftId = (await tillState(page)).shift.id;
      const a = product(store.dataPath, 'D10002');
      const b = product(store.dataPath, 'D10003');
      const cash1 = await sell(page, [a.code]);
      const cash2 = await sell(page, [b.code]);
      const card1 = await sellByCard(page, b.code);
      const card2 = await sellByCard(page, a.code);

      // Refund the first card sale in full (the owner needs no approval).
      await click(page, 'Sales');
      await historyFor(page, { server: false, tender: '' });
      const row = (await tillState(page)).history.items.find((i) => i.receipt_number === card1.receipt_number);
      await clickId(page, `##sale-${row.sale_id}`);
      await waitFor(page, () => window.salespider.state().sale_detail !== null);
      await clickId(page, '###start-refund');
      await waitScreen(page, 'refund');
      await clickId(page, '+##refund-more');
      await waitFor(page, (p) => window.salespider.state().refund?.total === p, card1.total);
      await fill(page, '##refund-reason', 'returned');
      await clickId(page, '###refund');
      await waitFor(page, () => window.salespider.state().screen === 'history' && window.salespider.state().refund === null);
      await clickToScreen(page, 'Back', 'till');
      await waitSynced(page);

      // This till: tender = card, from the local records.
      await click(page, 'Sales');
      await historyFor(page, { server: false });
      await clickId(page, '##tender-card');
      let s = await historyFor(page, { server: false, tender: 'card' });
      assert.deepEqual(s.history.items.map((i) => i.receipt_number).sort(),
        [card1.receipt_number, card2.receipt_number].sort(), 'this till: only the card sales');
      assert.equal(s.history_filters.count, 2);
      assert.equal(s.history_filters.total, card1.total + card2.total);
      assert.equal(s.history_filters.refunded, card1.total);
      assert.ok(![cash1, cash2].some((c) => s.history.items.some((i) => i.receipt_number === c.receipt_number)));

      // The whole store, same tender: the server's totals = SQL's over the
      // demo's hundreds of sales too; then this till only, every row on one page.
      await clickId(page, '##src-server');
      s = await historyFor(page, { server: true, tender: 'card' });
      assert.equal(s.history.error, null);
      const cardSql = (where) => sql(store.dataPath, `SELECT count(*), coalesce(sum(s.total_minor), 0),
        coalesce(sum((SELECT sum(r.total_minor) FROM refunds r WHERE r.sale_id = s.id)), 0)
        FROM sales s WHERE EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id AND p.tender = 'card') ${where}`)[0]
        .map(Number);
      assert.deepEqual([s.history_filters.count, s.history_filters.total, s.history_filters.refunded], cardSql(''),
        'whole store, card: count, total, refunded = SQL');
      await waitFor(page, (id) => window.salespider.state().history_filters.tills.some((x) => x.id === id), till.id);
      await clickId(page, `##till-${till.id}`);
      s = await historyFor(page, { server: true, tender: 'card', till: till.id });
      const [count, total, refunded] = cardSql(`AND s.till_id = '${till.id}'`);
      const cardReceipts = sql(store.dataPath, `SELECT s.receipt_number FROM sales s WHERE s.till_id = '${till.id}'
        AND EXISTS (SELECT 1 FROM payments p WHERE p.sale_id = s.id AND p.tender = 'card') ORDER BY 1`).map(([r]) => r);
      assert.equal(s.history_filters.count, count);
      assert.equal(s.history_filters.total, total);
      assert.equal(s.history_filters.refunded, refunded);
      assert.equal(refunded, card1.total);
      assert.deepEqual(s.history.items.map((i) => i.receipt_number).sort(), cardReceipts);
      assert.ok(cardReceipts.includes(card1.receipt_number) && cardReceipts.includes(card2.receipt_number));
      assert.ok(s.history_filters.cashiers.length >= 1, JSON.stringify(s.history_filters));

      // Export: exactly the filtered rows; the total column adds up to the screen's total.
      const [download] = await Promise.all([page.waitForEvent('download'), clickId(page, '###history-export')]);
      const chunks = [];
      for await (const c of await download.createReadStream()) chunks.push(c);
      const [header, ...rows] = csvRecords(Buffer.concat(chunks).toString('utf8'));
      const col = (name) => header.indexOf(name);
      assert.ok(col('receipt_number') >= 0 && col('total') >= 0 && col('refunded') >= 0, header.join(','));
      assert.equal(rows.length, s.history_filters.count);
      assert.deepEqual(rows.map((r) => r[col('receipt_number')]).sort(), cardReceipts);
      assert.equal(rows.reduce((n, r) => n + minor(r[col('total')]), 0), s.history_filters.total);
      assert.equal(rows.reduce((n, r) => n + minor(r[col('refunded')]), 0), s.history_filters.refunded);
      assert.match(download.suggestedFilename(), /^sales-.*\.csv$/);
      await waitFor(page, () => window.salespider.state().history_filters.exported !== '');
      assert.equal((await tillState(page)).history_filters.export_error, '');

      // A phone: the filters fold behind one button, nothing is pushed off screen.
      await page.setViewportSize({ width: 360, height: 640 });
      await waitFor(page, () => window.salespider.state().screen === 'history');
      await page.waitForTimeout(300);
      const phone = await widgets(page);
      assert.ok(phone.some((w) => w.full_label.endsWith('###history-filters-toggle')), 'a Filters toggle on a phone');
      const off = phone.filter((w) => w.role === 'button' && w.rect.w > 0 && w.rect.x + w.rect.w > 361);
      assert.deepEqual(off.map((w) => w.full_label), [], 'no button off screen at 360 px');
      await page.setViewportSize({ width: 1280, height: 800 });
      await clickToScreen(page, 'Back', 'till');

      // Close the shift 1.23 short of what the till expects.
      await clickToScreen(page, 'Shift', 'shift');
      await clickId(page, '###x-report');
      await waitFor(page, () => window.salespider.state().report !== null);
      const expected = JSON.parse((await tillState(page)).report.json).expected_cash;
      await fill(page, '##counted-cash', ((expected - 123) / 100).toFixed(2));
      await click(page, 'Close shift');
      await waitFor(page, () => window.salespider.state().report?.closed === true);
      await clickToScreen(page, 'Back', 'till');
      await waitSynced(page);

      // The Shifts archive: the shift with its over/short, its Z report, over/short by cashier.
      // (The demo store has other tills' shifts this month: this till's only.)
      await openBackOffice(page, 'Shifts', 'shifts_archive');
      await waitFor(page, () => /^\d{4}-\d{2}-01$/.test(window.salespider.state().shifts_archive.filter.from));
      await waitFor(page, (id) => window.salespider.state().shifts_archive.tills.some((x) => x.id === id), till.id);
      await clickId(page, `##shifts-till-${till.id}`);
      await waitFor(page, (id) => {
        const a = window.salespider.state().shifts_archive;
        return a.filter.till === id && !a.loading && a.items.length > 0;
      }, till.id);
      const archive = (await tillState(page)).shifts_archive;
      assert.deepEqual(archive.items.map((i) => i.id), [shiftId], 'this till\'s one closed shift');
      const item = archive.items.find((i) => i.id === shiftId);
      assert.equal(item.over_short, -123);
      assert.equal(item.expected, expected);
      assert.equal(item.counted, expected - 123);
      await clickId(page, `##shift-${shiftId}`);
      await waitFor(page, () => window.salespider.state().shifts_archive.report !== null
        || window.salespider.state().shifts_archive.report_error !== '');
      const shown = (await tillState(page)).shifts_archive;
      assert.equal(shown.report_error, '');
      const z = JSON.parse(shown.report.json);
      assert.equal(z.kind, 'Z');
      assert.equal(z.over_short, -123);
      assert.equal(z.sales.count, 4);
      assert.equal(z.refunds.count, 1);
      // (Reprint sits at the end of the report pane, scrolled out of view on a desktop: not clicked here.)
      await waitFor(page, () => window.salespider.state().shifts_archive.over_short !== null);
      const os = (await tillState(page)).shifts_archive.over_short;
      assert.equal(os.net, -123);
      assert.equal(os.short, -123);
      assert.equal(os.cashiers.length, 1);
      assert.equal(os.cashiers[0].net, -123);
    });
  });
