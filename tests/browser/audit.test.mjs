// The managers' oversight screens, in Debian's Chromium against the real
// server: the audit log viewer (a change filtered by action, its detail with
// old and new values, the chain's verdict, the CSV export) and the
// needs-attention list's actions (an op the server rejected, resolved with
// a note from the till, leaves the open list).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, click, withScreenshotOnFailure, clickId } from './lib/harness.mjs';
import {
  startStore, enrol, fill, waitFor, waitScreen, waitSynced, sell, openBackOffice, api, ownerToken, sql,
} from './lib/till.mjs';

const PUSH = '**/api/v1/sync/push';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function setUp(t) {
  const store = await startStore();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  return { store, page };
}

test('the audit log shows a change filtered by action, its old and new values, an intact chain and a CSV export',
  async (t) => {
    const { store, page } = await setUp(t);
    await withScreenshotOnFailure(t, page, async () => {
      await enrol(page, store.server.url, 'Front', { shift: false });

      // A change made elsewhere (the server's API, as another back office would).
      const token = await ownerToken(store.server);
      const settings = await fetch(new URL('/api/v1/settings', store.server.httpUrl),
        { headers: { Authorization: `Bearer ${token}` } });
      let action;
      let field;
      let oldValue;
      let newValue;
      if (settings.ok) {
        const now = await settings.json();
        action = 'settings.update';
        field = 'store_name';
        oldValue = now.store_name;
        newValue = `${now.store_name} (audited)`;
        await api(store.server, 'PATCH', '/api/v1/settings', { row_version: now.row_version, store_name: newValue },
          token);
      } else {
        const [[id]] = sql(store.dataPath, "SELECT id FROM products WHERE sku = 'D10003'");
        const now = await api(store.server, 'GET', `/api/v1/products/${id}`, null, token);
        action = 'product.update';
        field = 'name';
        oldValue = now.name;
        newValue = `${now.name} (audited)`;
        await api(store.server, 'PATCH', `/api/v1/products/${id}`, { row_version: now.row_version, name: newValue },
          token);
      }

      await openBackOffice(page, 'Audit log', 'audit');
      await waitFor(page, () => !window.salespider.state().audit.loading);
      await fill(page, '##audit-action', action);
      await click(page, 'Apply filters');
      await waitFor(page, (a) => {
        const au = window.salespider.state().audit;
        return !au.loading && au.filter.action === a && au.rows.length > 0;
      }, action);
      const { audit } = await tillState(page);
      assert.equal(audit.error, '');
      assert.ok(audit.rows.every((r) => r.action === action), JSON.stringify(audit.rows.map((r) => r.action)));

      // The row's detail: old and new values, request id.
      const row = audit.rows[0];
      await clickId(page, `##audit-${row.id}`);
      await waitFor(page, (id) => window.salespider.state().audit.selected === id, row.id);
      const change = row.changes.find((c) => c.field === field);
      assert.deepEqual(change, { field, old: oldValue, new: newValue }, JSON.stringify(row.changes));
      assert.ok(row.request_id.length > 0, 'the row names its request');

      // The chain's verdict, in words.
      await click(page, 'Verify chain');
      await waitFor(page, () => window.salespider.state().audit.verdict !== null
        || window.salespider.state().audit.verify_error !== '');
      const { verdict, verify_error: verifyError } = (await tillState(page)).audit;
      assert.equal(verifyError, '');
      assert.equal(verdict.ok, true);
      assert.match(verdict.text, /^Intact: \d+ rows checked/);

      // The export: the same filter, every matching row, as a download.
      const [download] = await Promise.all([page.waitForEvent('download'), click(page, 'Export CSV')]);
      const chunks = [];
      for await (const c of await download.createReadStream()) chunks.push(c);
      const csv = Buffer.concat(chunks).toString('utf8').split(/\r?\n/).filter((l) => l !== '');
      assert.ok(csv.length >= 2, csv.join('\n'));
      assert.ok(csv.slice(1).every((l) => l.includes(action)), csv.join('\n'));
      assert.match(download.suggestedFilename(), /^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
      await waitFor(page, () => window.salespider.state().audit.exported !== '');
    });
  });

test('an op the server rejected is resolved with a note from the needs-attention screen and leaves the open list',
  async (t) => {
    const { store, page } = await setUp(t);
    await withScreenshotOnFailure(t, page, async () => {
      await enrol(page, store.server.url);
      // A sale whose payload the server cannot read: rejected, kept for a manager.
      let spoiled = null;
      await page.route(PUSH, async (route) => {
        const body = route.request().postDataJSON();
        const op = body.ops.find((o) => o.kind === 'sale');
        if (spoiled || !op) return route.continue();
        spoiled = op.op_id;
        if (typeof op.payload === 'string') op.payload = JSON.stringify({ ...JSON.parse(op.payload), colour: 'red' });
        else op.payload.colour = 'red';
        return route.continue({ postData: JSON.stringify(body) });
      });
      await sell(page, ['D10006']);
      await waitSynced(page);
      assert.ok(spoiled, 'the sale was pushed');

      await openBackOffice(page, 'Needs attention', 'attention');
      await waitFor(page, (id) => window.salespider.state().attention_ops.some((o) => o.op_id === id), spoiled);
      assert.equal((await tillState(page)).attention_desk.may_act, true);
      await clickId(page, `##op-${spoiled}`);
      await waitFor(page, () => window.salespider.widgets().some((w) => w.full_label === '##attention-note'));
      await fill(page, '##attention-note', 'Sold again on receipt 2');
      await click(page, 'Resolve');
      await waitFor(page, (id) => {
        const s = window.salespider.state();
        return s.attention_desk.acting_on === '' && s.attention_desk.answer !== ''
          && !s.attention_ops.some((o) => o.op_id === id);
      }, spoiled);
      const { attention_desk: desk } = await tillState(page);
      assert.equal(desk.answer_error, false, desk.answer);

      const token = await ownerToken(store.server);
      const { ops } = await api(store.server, 'GET', '/api/v1/ops?state=open', null, token);
      assert.ok(!ops.some((o) => o.op_id === spoiled), 'the op left the open list');
      const op = await api(store.server, 'GET', `/api/v1/ops/${spoiled}`, null, token);
      assert.equal(op.resolution, 'resolved');
      assert.equal(op.resolution_note, 'Sold again on receipt 2');
    });
  });

test('offline, the needs-attention list is read only and says so', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front', { shift: false });
    await openBackOffice(page, 'Needs attention', 'attention');
    await store.stop();
    await waitFor(page, () => window.salespider.state().online === false);
    const s = await tillState(page);
    assert.equal(s.attention_desk.may_act, false);
    const labels = (await widgets(page)).map((w) => w.label);
    assert.ok(!labels.includes('Resolve'), labels.join(', '));
    await waitScreen(page, 'attention');
  });
});
