// A till whose clock is 10 minutes slow (docs/reliability.md "Clocks"): the
// page's Date is shifted before the till loads, so every time the till reads
// (op stamps, X-Till-Time) is 10 minutes behind the server. It enrols, signs
// in online (its grant is issued at the server's time) and sells: the sale
// arrives with no flag at all, the server keeps the skew on the till's
// health, and the till measured the same offset from the server's Date
// header (its status bar then says "Clock 10 min slow").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, withScreenshotOnFailure } from './lib/harness.mjs';
import { startStore, sql, salesOf, enrol, signIn, signOut, sell, waitSynced } from './lib/till.mjs';

const SLOW_MS = -10 * 60 * 1000;
let browser;

before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Date.now(), new Date() and Date() run `offset` off; parsing dates and
// new Date(x) stay exact; instanceof Date still holds.
function shiftDate(offset) {
  const RealDate = Date;
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + offset).toString();
    return args.length === 0 ? new RealDate(RealDate.now() + offset) : new RealDate(...args);
  }
  ShiftedDate.now = () => RealDate.now() + offset;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  ShiftedDate.prototype = RealDate.prototype;
  globalThis.Date = ShiftedDate;
}

test('a till 10 minutes slow sells without a flag and knows its clock is off', async (t) => {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1024, height: 720 } });
  await context.addInitScript(shiftDate, SLOW_MS);
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    await signOut(page);
    await signIn(page);
    const sale = await sell(page, ['D10000']);
    await waitSynced(page);

    const sales = salesOf(store.dataPath, till.id);
    assert.deepEqual(sales.map((s) => s.receipt), [sale.receipt_number], 'the sale arrived once');
    assert.equal(sales[0].status, 'applied');
    const flags = sql(store.dataPath, `SELECT f.kind FROM op_flags f JOIN applied_ops a ON a.op_id = f.op_id
      WHERE a.till_id = '${till.id}'`);
    assert.deepEqual(flags, [], 'no op of this till is flagged: a wrong clock is not a problem with an op');

    const [[skew]] = sql(store.dataPath, `SELECT clock_skew_ms FROM till_sync_status WHERE till_id = '${till.id}'`);
    assert.ok(Math.abs(Number(skew) - SLOW_MS) < 30000, `the server measured ${skew} ms`);
    const s = await tillState(page);
    assert.ok(s.sync.clock_skew_ms !== null && Math.abs(s.sync.clock_skew_ms - SLOW_MS) < 30000,
      `the till measured ${s.sync.clock_skew_ms} ms from the Date header (status bar: "Clock 10 min slow")`);
  });
});
