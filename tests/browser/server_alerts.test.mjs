// The store server's alerts on managers' tills, in Debian's Chromium against
// the real server: with a backup repository the server cannot write
// (PGBACKREST_REPO1_PATH is a file), WAL archiving fails; the owner's and a
// manager's till show the status bar marker, the hub's banner and the list
// (code, message, since); a cashier's till on the same device shows none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, tillState, widgets, click, withScreenshotOnFailure } from './lib/harness.mjs';
import {
  startStore, enrol, waitFor, waitScreen, openHub, api, ownerToken, sql, signOut, signIn, addStaff, CASHIER, MANAGER, clickToScreen,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('a manager sees a failing archive on the status bar, the hub and the list; a cashier does not', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'salespider-alerts-'));
  const repo = path.join(dir, 'repo');
  writeFileSync(repo, 'a file where the backup repository directory should be\n');
  const store = await startStore({ env: { PGBACKREST_REPO1_TYPE: 'posix', PGBACKREST_REPO1_PATH: repo } });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
    rmSync(dir, { recursive: true, force: true });
  });
  await withScreenshotOnFailure(t, page, async () => {
    // The archiver tries the segment at once and fails; the server sees it
    // within its cache time (15 s).
    sql(store.dataPath, 'SELECT pg_switch_wal()');
    const token = await ownerToken(store.server);
    const deadline = Date.now() + 60000;
    let alerts = [];
    const failing = () => alerts.some((a) => a.code === 'archive_failing');
    while (Date.now() < deadline && !failing()) {
      ({ alerts } = await api(store.server, 'GET', '/api/v1/server/alerts', null, token));
      if (!failing()) await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(alerts[0]?.code, 'archive_failing');

    // The owner enrols the till and is signed in: the alerts are fetched at sign-in.
    await enrol(page, store.server.url, 'Front', { shift: false });
    await waitFor(page, () => window.salespider.state().server_alerts.alerts.length > 0);
    let s = await tillState(page);
    assert.equal(s.server_alerts.visible, true);
    assert.equal(s.server_alerts.marker, 'Server: backups failing — see Back office');

    // A manager (password sign-in, online) sees the banner and the list.
    await addStaff(store, page);  // ends signed in as the cashier
    s = await tillState(page);
    assert.equal(s.user.username, CASHIER.login);
    assert.equal(s.server_alerts.visible, false, 'a cashier never sees the alerts');
    assert.equal(s.server_alerts.marker, '');
    assert.ok(!(await widgets(page)).some((w) => w.full_label.endsWith('###server-alerts')));

    await signOut(page);
    await signIn(page, MANAGER);
    await waitFor(page, () => {
      const a = window.salespider.state().server_alerts;
      return a.visible && a.alerts.length > 0 && a.marker !== '';
    });
    await openHub(page);
    await waitFor(page, () => window.salespider.widgets().some((w) => w.full_label.endsWith('###server-alerts')));
    const banner = (await widgets(page)).find((w) => w.full_label.endsWith('###server-alerts'));
    assert.equal(banner.label, 'Server alerts');
    await clickToScreen(page, 'Server alerts', 'server_alerts');
    await waitFor(page, () => !window.salespider.state().server_alerts.loading);
    s = await tillState(page);
    const alert = s.server_alerts.alerts.find((a) => a.code === 'archive_failing');
    assert.ok(alert, JSON.stringify(s.server_alerts.alerts));
    assert.match(alert.message, /Backups are failing/);
    assert.ok(alert.since_text.length > 0, 'since, in the store\'s format');
    assert.ok(s.server_alerts.fetched_text.length > 0);
    assert.ok((await widgets(page)).some((w) => w.full_label.endsWith('###server-alerts-refresh')));
    await clickToScreen(page, 'Back', 'back_office');
  });
});
