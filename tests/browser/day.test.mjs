// The rest of a cashier's day, in Debian's Chromium against the real store
// server: open a shift with a float, sell, pay cash out, refund part of the
// sale while the server is down (a cashier needs a manager's PIN; more than
// what remains is impossible), close with a counted difference — and the Z
// report the till computed equals the one the server computes from the same
// ops once they arrived.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, click, withScreenshotOnFailure, clickId } from './lib/harness.mjs';
import {
  startStore, sql, api, ownerToken, enrol, addStaff, openShift, fill, waitFor, waitScreen, waitSynced, MANAGER, clickToScreen,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('shift: float, sale, cash out, offline partial refund with approval, close short: Z on the till = Z on the server', async (t) => {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front', { shift: false });
    await addStaff(store, page);
    assert.equal((await tillState(page)).shift, null);

    // No shift, no payment.
    const [[code, price]] = sql(store.dataPath, `SELECT b.barcode, p.price_minor FROM products p
      JOIN barcodes b ON b.product_id = p.id WHERE p.sku = 'D10002' AND p.unit = 'each' LIMIT 1`);
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
    await page.keyboard.press('F4');
    await waitFor(page, () => /No shift is open/.test(window.salespider.state().message?.text ?? ''));
    assert.equal((await tillState(page)).completed, null);

    const shift = await openShift(page, '100.00');
    assert.equal(shift.opening_float, 10000);
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().cart.lines[0]?.quantity_milli === 2000);
    await page.keyboard.press('F4');
    await waitFor(page, () => window.salespider.state().completed !== null);
    const sale = (await tillState(page)).completed;
    assert.equal(sale.total, 2 * Number(price));

    // Cash out for a taxi.
    await clickToScreen(page, 'Shift', 'shift');
    await fill(page, '##cash-amount', '5.00');
    await fill(page, '##cash-reason', 'taxi');
    await click(page, 'Record cash movement');
    await waitFor(page, () => /Cash out recorded/.test(window.salespider.state().message?.text ?? ''));
    await clickToScreen(page, 'Back', 'till');
    await waitSynced(page);

    // The server goes away; the refund is made offline.
    await store.stop();
    await clickToScreen(page, 'Sales', 'history');
    await waitFor(page, () => window.salespider.state().history.items.length === 1);
    const [item] = (await tillState(page)).history.items;
    assert.equal(item.receipt_number, sale.receipt_number);
    await clickId(page, `##sale-${item.sale_id}`);
    await waitFor(page, () => window.salespider.state().sale_detail !== null);
    await clickId(page, '###start-refund');
    await waitScreen(page, 'refund');
    await clickId(page, '+##refund-more');
    await waitFor(page, (p) => window.salespider.state().refund?.total === p, Number(price));
    // Three of two: impossible.
    await clickId(page, '+##refund-more');
    await clickId(page, '+##refund-more');
    await waitFor(page, () => window.salespider.state().refund?.error !== null);
    assert.equal((await tillState(page)).refund.total, 0);
    assert.equal((await widgets(page)).find((w) => w.full_label.endsWith('###refund')).enabled, false,
      'a refund larger than what remains cannot be submitted');
    await clickId(page, '-##refund-less');
    await clickId(page, '-##refund-less');
    await waitFor(page, (p) => window.salespider.state().refund?.total === p, Number(price));
    await fill(page, '##refund-reason', 'damaged');
    await clickId(page, '###refund');
    // The cashier may not refund: a manager approves with a PIN, offline.
    await waitFor(page, () => window.salespider.state().approval !== null);
    assert.equal((await tillState(page)).pending_ops, 0, 'nothing recorded before the approval');
    await fill(page, '##approver-login', MANAGER.login);
    await fill(page, '##approver-pin', MANAGER.pin);
    await click(page, 'Approve');
    await waitFor(page, () => window.salespider.state().screen === 'history' && window.salespider.state().refund === null);
    assert.equal((await tillState(page)).pending_ops, 1, 'the refund waits in the outbox');

    // Close with a counted difference: expected 100 + sale - 5 - refund, counted 1.00 less.
    await clickToScreen(page, 'Back', 'till');
    await clickToScreen(page, 'Shift', 'shift');
    const expected = 10000 + 2 * Number(price) - 500 - Number(price);
    await fill(page, '##counted-cash', ((expected - 100) / 100).toFixed(2));
    await fill(page, '##close-note', 'one note short');
    await click(page, 'Close shift');
    await waitFor(page, () => window.salespider.state().report?.closed === true);
    const z = JSON.parse((await tillState(page)).report.json);
    assert.equal(z.kind, 'Z');
    assert.equal(z.expected_cash, expected);
    assert.equal(z.over_short, -100);
    assert.equal(z.refunds.count, 1);
    assert.equal(z.refunds.total, Number(price));
    assert.equal(z.sales.count, 1);

    // The server comes back; once the ops arrived it computes the same Z report.
    await store.start();
    await waitSynced(page, 120000);
    const token = await ownerToken(store.server);
    const server = await api(store.server, 'GET', `/api/v1/shifts/${shift.id}/report`, undefined, token);
    assert.deepEqual(server.report, z, 'the Z report on the till equals the server\'s');
    const flags = sql(store.dataPath, `SELECT f.kind FROM op_flags f JOIN applied_ops a ON a.op_id = f.op_id
      WHERE a.kind = 'refund'`);
    assert.deepEqual(flags, [], 'the approved refund is not flagged');
  });
});
