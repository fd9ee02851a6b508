// Hand-over of a retired till's ops (docs/reliability.md "Hand-over of a
// retired till"), end to end: a real till in Chromium and the real server.
// The till sells while it cannot reach the server, is retired meanwhile,
// says so and keeps its sales; a manager's enrolment code re-enrols it; the
// old sales arrive once under the OLD till id (and its receipt numbers), a
// new sale gets the new till's code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, click, findWidget, withScreenshotOnFailure } from './lib/harness.mjs';
import {
  startStore, sql, salesOf, api, ownerToken, enrol, sell, waitFor, waitScreen, fill, waitSynced, clickToScreen,
} from './lib/till.mjs';

const SYNC = '**/api/v1/sync/**';
let browser;

before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('a retired till keeps its sales, says so, and a manager re-enrols it to hand them over', async (t) => {
  const store = await startStore();
  // Tall enough for the Device screen with the retired-till notice: Back stays on screen.
  const context = await browser.newContext({ viewport: { width: 1024, height: 1300 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);

    // Sells while its pushes cannot reach the server.
    await page.route(SYNC, (route) => route.abort('internetdisconnected'));
    const old = [(await sell(page, ['D10000'])).receipt_number, (await sell(page, ['D10001'])).receipt_number];
    assert.ok((await tillState(page)).pending_ops >= 2);

    // Retired on the server meanwhile (the till last reported an empty outbox).
    const token = await ownerToken(store.server);
    await api(store.server, 'POST', `/api/v1/tills/${till.id}/retire`, { confirm: true }, token);
    await page.unroute(SYNC);
    // Sync now on the Device screen, staying there: the refusal's notice
    // moves the screen's buttons down as it appears.
    await clickToScreen(page, 'Device', 'device');
    await click(page, 'Sync now');
    await waitFor(page, () => window.salespider.state().sync.credential_refused);
    let s = await tillState(page);
    assert.ok(s.pending_ops >= 2, 'nothing deleted on a 401');
    assert.deepEqual(salesOf(store.dataPath, till.id), [], 'nothing arrived');

    // The Device screen says so, with Export and the enrolment-code form.
    await findWidget(page, 'Export', 'button');
    const exported = await page.evaluate(() => window.salespider.exportPendingOps({ download: false }));
    assert.equal(exported.format, 'salespider-pending-ops');
    assert.ok(exported.ops.filter((o) => o.till_id === till.id && o.kind === 'sale').length >= 2);

    // A manager's code re-enrols this browser: a new till, the old one kept as predecessor.
    const { code } = await api(store.server, 'POST', '/api/v1/tills/enrol-codes', { name: 'Front again' }, token);
    await fill(page, '##enrol-code', code);
    await click(page, 'Enrol with a code');
    await waitFor(page, (oldId) => {
      const st = window.salespider.state();
      return st.till.enrolled && st.till.id !== oldId;
    }, till.id);
    s = await waitSynced(page);
    const fresh = s.till;
    assert.notEqual(fresh.code, till.code);

    // The old sales arrived once, under the old till and its receipt numbers.
    const arrived = salesOf(store.dataPath, till.id);
    assert.deepEqual(arrived.map((x) => x.receipt), old);
    assert.ok(arrived.every((x) => x.status === 'applied'), JSON.stringify(arrived));
    assert.equal(new Set(arrived.map((x) => x.opId)).size, 2);
    const [[handovers]] = sql(store.dataPath,
      `SELECT count(*) FROM till_handovers WHERE from_till = '${till.id}' AND to_till = '${fresh.id}'`);
    assert.ok(Number(handovers) >= 1);

    // New sales get the new code.
    if ((await tillState(page)).screen !== 'till') {
      await clickToScreen(page, 'Back', 'till');
    }
    const next = await sell(page, ['D10002']);
    assert.match(next.receipt_number, new RegExp(`^${fresh.code}-\\d+$`));
    await waitSynced(page);
    assert.deepEqual(salesOf(store.dataPath, fresh.id).map((x) => x.receipt), [next.receipt_number]);
    assert.equal(salesOf(store.dataPath, till.id).length, 2, 'nothing doubled');
  });
});
