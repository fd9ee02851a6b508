// The till as an installed PWA, over HTTPS with the store's CA trusted
// through NSS (harness homeTrusting): the loader's progress and its
// messages for browsers that cannot run the till, the manifest and its
// icons, the service worker's precache, a start with the server stopped
// from a profile that loaded the till before, the cold start from the
// service worker's cache (docs/benchmarks.md), and an upgrade from a
// previous release that keeps the ops it recorded pending. With the server
// stopped, an installed till signs a cashier in offline and sells; the sales
// arrive once when the server is back on the same origin; a sale recorded by
// the previous release is pushed by the current one after the upgrade.
// Every server in this file shares one DATA_PATH, hence one CA, so one NSS
// database trusts them all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS, startServer, launchBrowser, homeTrusting, waitReady, tillState, widgets, click, withScreenshotOnFailure,
} from './lib/harness.mjs';
import { tempProfile } from './lib/chromium-process.mjs';
import { launchProfile, switchToWaitingVersion, pngHeader, previousShell, replaceServedFiles, median, waitOfflineReady } from './lib/pwa.mjs';
import {
  OWNER, api, ownerToken, sql, salesOf, openTill, enrol, signOut, signIn, attemptSignIn, sell, syncNow, waitFor,
  waitScreen, waitSynced,
} from './lib/till.mjs';

const dist = process.env.SALESPIDER_WWW;
let dataPath;
let server;
let home;
let browser;
let shell;

// The owner admin / OWNER.password and the demo products (D10000…) for the
// tests that enrol a till and sell. `httpsPort` restarts a server on the
// origin a till already lives on (its service worker and IndexedDB).
async function serve(www, { httpsPort = 0 } = {}) {
  const saved = process.env.SALESPIDER_WWW;
  process.env.SALESPIDER_WWW = www;
  try {
    return await startServer(['--data-path', dataPath], {
      https: true, httpsPort, env: { SUPER_ADMIN_PASSWORD: OWNER.password, SALESPIDER_DEMO: '1' },
    });
  } finally {
    process.env.SALESPIDER_WWW = saved;
  }
}

before(async () => {
  shell = JSON.parse(readFileSync(path.join(dist, 'shell.json'), 'utf8'));
  dataPath = mkdtempSync(path.join(os.tmpdir(), 'salespider-data-'));
  chmodSync(dataPath, 0o755);
  server = await serve(dist);
  home = homeTrusting(server.caFile);
  browser = await launchBrowser({ home });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  if (dataPath) rmSync(dataPath, { recursive: true, force: true });
});

// Fetches `url` inside the page (so the page's trust and service worker
// apply); resolves {status, type, bytes[]} or {error}.
function fetchInPage(page, url, { bytes = 0 } = {}) {
  return page.evaluate(async ([u, n]) => {
    try {
      const r = await fetch(u);
      const body = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('Content-Type'), length: body.length, bytes: Array.from(body.subarray(0, n)) };
    } catch (e) {
      return { error: String(e) };
    }
  }, [url, bytes]);
}


test('the loader shows download progress, then hides behind the till', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Every value the progress bar takes, from the first moment.
  await page.addInitScript(() => {
    window.__progress = [];
    document.addEventListener('DOMContentLoaded', () => {
      const bar = document.getElementById('progress');
      new MutationObserver(() => window.__progress.push(bar.getAttribute('value'))).observe(bar, { attributes: true });
    });
  });
  // ~0.9 MB (compressed) at 600 kB/s: the download takes a second or two.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: 600 * 1024, uploadThroughput: 600 * 1024,
  });
  await withScreenshotOnFailure(t, page, async () => {
    // Not until "load": throttled like this, with a second browser test on
    // the other core, it once took over 30 s (CI, 2026-12-07). The loader is
    // in the HTML, and waitReady below waits for the whole start.
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    assert.equal(await page.locator('#loader').isVisible(), true);
    await waitReady(page, 90000);
    const values = (await page.evaluate(() => window.__progress)).map((v) => (v === null ? null : Number(v)));
    const numbers = values.filter((v) => v !== null);
    t.diagnostic(`progress: ${numbers.length} updates, ${numbers.filter((v) => v > 5 && v < 95).length} between 5% and 95%`);
    assert.ok(numbers.some((v) => v > 5 && v < 95), 'the bar moved through the download');
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b), 'it never went back');
    assert.equal(values.at(-1), null, 'it ends indeterminate ("Starting the till…")');
    assert.equal(await page.locator('#loader').isVisible(), false);
  });
  await context.close();
});

// Hides the WebGL versions listed from every canvas of the page.
function withoutWebGl(page, types) {
  return page.addInitScript((hidden) => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return hidden.includes(type) ? null : getContext.call(this, type, ...rest);
    };
  }, types);
}

test('a browser without WebGL gets a clear message instead of a broken till', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await withoutWebGl(page, ['webgl2', 'webgl', 'experimental-webgl']);
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    const reason = await page.evaluate(() => window.salespider.whenReady().then(() => 'started', (e) => e.message));
    assert.match(reason, /WebGL/);
    assert.match(await page.locator('#status').textContent(), /cannot draw the till: WebGL/);
    assert.equal(await page.locator('#status').isVisible(), true);
    assert.equal((await tillState(page)).ready, false);
  });
  await context.close();
});

test('a browser with WebGL 1 only (an older tablet) runs the till on the fallback renderer', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await withoutWebGl(page, ['webgl2']);
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    assert.equal((await page.evaluate(() => window.salespider.platform())).webgl, 1);
    assert.ok((await widgets(page)).some((w) => w.label === 'Open till' && w.role === 'button'), 'the till renders');
  });
  await context.close();
});

test('a browser that refuses IndexedDB (private window) is told so, and the till does not start', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => { throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError'); };
  });
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    const reason = await page.evaluate(() => window.salespider.whenReady().then(() => 'started', (e) => e.message));
    assert.match(reason, /keep sales on this device/);
    assert.match(await page.locator('#status').textContent(), /private or incognito window/);
    // main() never ran: no till state at all.
    await page.waitForTimeout(1000);
    const s = await tillState(page);
    assert.equal(s.ready, false);
    assert.equal(s.screen, 'loading');
  });
  await context.close();
});

test('the manifest makes the till installable, with 192, 512 and maskable PNG icons', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    const href = await page.evaluate(() => document.querySelector('link[rel=manifest]').href);
    const response = await fetchInPage(page, href, { bytes: 4096 });
    assert.equal(response.status, 200);
    assert.equal(response.type, 'application/manifest+json');
    const manifest = JSON.parse(Buffer.from(response.bytes).toString('utf8'));
    assert.equal(manifest.name, 'SaleSpider till');
    assert.equal(manifest.short_name, 'SaleSpider');
    assert.equal(manifest.display, 'standalone');
    assert.equal(new URL(manifest.start_url, href).href, server.url);
    assert.equal(new URL(manifest.scope, href).href, server.url);
    assert.match(manifest.theme_color, /^#[0-9a-f]{6}$/i);
    assert.match(manifest.background_color, /^#[0-9a-f]{6}$/i);

    const want = [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']];
    for (const [sizes, purpose] of want) {
      const icon = manifest.icons.find((i) => i.sizes === sizes && (i.purpose || 'any') === purpose);
      assert.ok(icon, `an icon ${sizes} ${purpose}`);
      const png = await fetchInPage(page, new URL(icon.src, href).href, { bytes: 32 });
      assert.equal(png.status, 200, icon.src);
      assert.equal(png.type, 'image/png');
      const header = pngHeader(png.bytes);
      assert.ok(header, `${icon.src} is a PNG`);
      assert.equal(`${header.width}x${header.height}`, sizes, icon.src);
      // Full bleed: a maskable icon has no transparent corners for a mask to show.
      if (purpose === 'maskable') assert.equal(header.colourType, 2, 'maskable icon is opaque RGB');
    }

    // Chromium's own verdict (what decides whether "Install app" is offered).
    const cdp = await context.newCDPSession(page);
    const parsed = await cdp.send('Page.getAppManifest');
    assert.deepEqual(parsed.errors, []);
    await waitOfflineReady(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    const blocking = installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
    t.diagnostic(`installability errors: ${JSON.stringify(installabilityErrors)}`);
    assert.deepEqual(blocking, []);
  });
  await context.close();
});

test('the service worker controls the page after a reload and its cache holds the whole shell', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    await waitOfflineReady(page);
    const fromWorker = [];
    page.on('response', (r) => fromWorker.push([new URL(r.url()).pathname, r.fromServiceWorker(), r.headers()['content-type']]));
    await page.reload();
    await waitReady(page);
    const controller = await page.evaluate(() => navigator.serviceWorker.controller.scriptURL);
    assert.equal(new URL(controller).searchParams.get('v'), shell.version);
    assert.equal((await tillState(page)).shell_version, shell.version);

    const cached = await page.evaluate(async (version) => {
      const cache = await caches.open(`salespider-shell-${version}`);
      const entries = [];
      for (const request of await cache.keys()) {
        const r = await cache.match(request);
        entries.push({ path: new URL(request.url).pathname, type: r.headers.get('Content-Type'), sha256: r.headers.get('X-Shell-Sha256') });
      }
      return entries;
    }, shell.version);
    for (const file of shell.files) {
      const entry = cached.find((e) => e.path === `/${file.url}`);
      assert.ok(entry, `${file.url} is precached`);
      assert.equal(entry.type, file.type, file.url);
      assert.equal(entry.sha256, file.sha256, file.url);
    }
    assert.ok(cached.some((e) => e.path === `/shell.${shell.version}.json`), 'the list itself, written last');
    assert.ok(!cached.some((e) => e.path.startsWith('/api/')), 'no API answer is cached');

    // The reload came from the cache, with the right types.
    const wasm = shell.files.find((f) => f.url.endsWith('.wasm')).url;
    const seen = (p) => fromWorker.find(([path]) => path === p);
    assert.deepEqual(seen('/'), ['/', true, 'text/html; charset=utf-8']);
    assert.deepEqual(seen(`/${wasm}`), [`/${wasm}`, true, 'application/wasm']);
  });
  await context.close();
});

test('the setup page walks a device through installing the app', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`${server.httpUrl}setup`);
  assert.equal(response.status(), 200);
  assert.ok(await page.getByRole('heading', { name: 'Install the till app' }).isVisible());
  const text = await page.locator('body').textContent();
  assert.match(text, /Install app/);
  assert.match(text, /Add to Home Screen/);
  await context.close();
});

test('with the server stopped, a profile that loaded the till before starts it offline', async (t) => {
  const profile = tempProfile();
  const url = server.url;
  let context;
  const open = async () => {
    context = await launchProfile(profile, home);
    return context.pages()[0] || context.newPage();
  };
  try {
    let page = await open();
    await page.goto(url);
    await waitReady(page);
    await waitOfflineReady(page);
    // In a normal (not incognito) profile Chromium has nothing against installing.
    const cdp = await context.newCDPSession(page);
    assert.deepEqual((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, []);
    await context.close();

    await server.stop();
    server = null;

    page = await open();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await withScreenshotOnFailure(t, page, async () => {
      await page.goto(url);
      await waitReady(page);
      const s = await tillState(page);
      assert.equal(s.screen, 'welcome');
      assert.equal(s.shell_version, shell.version);
      assert.ok((await widgets(page)).some((w) => w.label === 'Open till' && w.role === 'button'), 'the till renders');

      const wasm = shell.files.find((f) => f.url.endsWith('.wasm'));
      const fromCache = await fetchInPage(page, url + wasm.url);
      assert.equal(fromCache.status, 200);
      assert.equal(fromCache.type, 'application/wasm');
      assert.equal(fromCache.length, wasm.bytes);
      // Never from the cache: the API, and files outside the shell (no HTML fallback).
      assert.match((await fetchInPage(page, url + 'api/v1/health')).error || 'answered', /TypeError/);
      assert.match((await fetchInPage(page, url + 'not-in-the-shell.js')).error || 'answered', /TypeError/);
      await assert.rejects(page.goto(url + 'setup'), /ERR_/);
      assert.deepEqual(errors, []);
    });
    await context.close();

    // Cold starts: a new browser process each time, nothing on the network.
    const runs = [];
    for (let i = 0; i < 5; i += 1) {
      const launched = Date.now();
      page = await open();
      const navigated = Date.now();
      await page.goto(url);
      await waitReady(page);
      const wall = Date.now();
      // Every salespider-* mark (app.js), from the navigation's start.
      const marks = await page.evaluate(() => ({
        ...Object.fromEntries(performance.getEntriesByType('mark')
          .filter((m) => m.name.startsWith('salespider-')).map((m) => [m.name.slice(11), m.startTime])),
        html: performance.getEntriesByType('navigation')[0].responseEnd,
        indexeddb_read: window.salespider.storageStats().load_ms,
      }));
      runs.push({ ...marks, navigateToReady: wall - navigated, launchToReady: wall - launched });
      await context.close();
    }
    const summary = {};
    for (const key of Object.keys(runs[0])) summary[key] = Math.round(median(runs.map((r) => r[key])));
    t.diagnostic(`cold start from the service worker cache, median of 5 (ms): ${JSON.stringify(summary)}`);
    t.diagnostic(`runs: ${JSON.stringify(runs.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Math.round(v)]))))}`);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(path.join(ARTIFACTS, 'pwa-cold-start.json'), JSON.stringify({ summary, runs }, null, 2));
    // The time is reported (docs/benchmarks.md, target 1.5 s), not asserted:
    // speed targets are the benchmarks' business, and a loaded CI machine
    // must not fail a correct till. Asserted: every run reached its first frame.
    assert.equal(runs.length, 5);
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
});

const PUSH = '**/api/v1/sync/push';

// PostgreSQL's record of this till's sales: [receipt_number, user_id], in receipt order.
function salesWithUser(tillId) {
  return sql(dataPath, `SELECT receipt_number, user_id FROM sales WHERE till_id = '${tillId}' ORDER BY receipt_seq`);
}

test('an installed till with the server stopped: a cashier signs in offline and sells; the sales arrive once when the server is back', async (t) => {
  if (!server) server = await serve(dist);
  const profile = tempProfile();
  const cashier = { login: 'offline-cashier', password: 'Cashier-pass-5678' };
  let context;
  let page;
  const open = async () => {
    context = await launchProfile(profile, home);
    page = context.pages()[0] || await context.newPage();
    return page;
  };
  try {
    // Online: enrol, a cashier of the store signs in here once.
    await open();
    let till;
    let cashierId;
    await withScreenshotOnFailure(t, page, async () => {
      ({ till } = await enrol(page, server.url, 'Offline counter'));
      await waitOfflineReady(page);
      const created = await api(server, 'POST', '/api/v1/users', {
        username: cashier.login, display_name: 'Offline Cashier', role: 'cashier', password: cashier.password,
      }, await ownerToken(server));
      cashierId = (created.user || created).id;
      assert.match(cashierId, /^[0-9a-f-]{36}$/, JSON.stringify(created));
      await signOut(page);
      await signIn(page, cashier);
      const s = await tillState(page);
      assert.equal(s.user.id, cashierId);
      assert.equal(s.user.offline, false, 'the first sign-in is checked by the server');
      await waitSynced(page);
    });
    await context.close();

    // The server goes away; the till starts from the service worker's cache.
    const { httpsPort } = server;
    const origin = server.url;
    await server.stop();
    server = null;

    await open();
    const receipts = [];
    await withScreenshotOnFailure(t, page, async () => {
      await openTill(page, origin);
      assert.equal((await tillState(page)).shell_version, shell.version);
      await click(page, 'Open till');
      await waitScreen(page, 'login');
      let s = await attemptSignIn(page, cashier);
      assert.ok(s.user, `the cashier is signed in offline: ${JSON.stringify(s.message)}`);
      assert.equal(s.online, false);
      assert.deepEqual([s.user.id, s.user.username, s.user.offline], [cashierId, cashier.login, true], JSON.stringify(s.user));

      for (const code of ['D10001', 'D10002']) {
        const sale = await sell(page, [code]);
        assert.equal(sale.offline, true, 'recorded offline');
        receipts.push(sale.receipt_number);
      }
      s = await tillState(page);
      assert.equal(s.pending_ops, 2);
      assert.equal(new Set(receipts).size, 2);

      // A wrong password is refused offline too.
      await click(page, 'Switch cashier');
      await waitScreen(page, 'login');
      s = await attemptSignIn(page, { login: cashier.login, password: 'not-the-password-1' });
      assert.equal(s.user, null, JSON.stringify(s.message));
      assert.match(s.message.text, /wrong password/i);
      assert.equal(s.screen, 'login');
      assert.equal(s.pending_ops, 2, 'switching cashier keeps the outbox');
      await signIn(page, cashier);

      // The server is back on the same origin: the sales arrive, once each.
      server = await serve(dist, { httpsPort });
      assert.equal(server.url, origin, 'the same origin, so the same service worker and IndexedDB');
      await syncNow(page);
      s = await waitSynced(page);
      assert.equal(s.needs_attention, 0);
      assert.deepEqual(salesWithUser(till.id), receipts.map((r) => [r, cashierId]),
        'both sales, once each, under the cashier');
      const sales = salesOf(dataPath, till.id);
      assert.equal(new Set(sales.map((x) => x.opId)).size, 2);
      assert.ok(sales.every((x) => x.status === 'applied'), JSON.stringify(sales));
    });
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('an upgrade keeps the ops the previous release recorded pending, and switches only when asked', async (t) => {
  const previous = previousShell(dist, 'previous');
  const served = mkdtempSync(path.join(os.tmpdir(), 'salespider-www-'));
  replaceServedFiles(served, previous.dir);
  if (server) await server.stop();
  server = await serve(served);
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
  const page = await context.newPage();
  try {
    await withScreenshotOnFailure(t, page, async () => {
      assert.notEqual(previous.version, shell.version);
      await page.goto(server.url + '?automation=1');
      await waitReady(page);
      await waitOfflineReady(page);
      assert.equal((await tillState(page)).shell_version, previous.version);
      const op = await page.evaluate(() => window.salespider.debug.recordTestOp());
      assert.equal(op.completed, true);
      const wasm = shell.files.find((f) => f.url.endsWith('.wasm')).url;
      const wasmFetches = () => server.log.filter((l) => l.includes(`"path":"/${wasm}"`)).length;
      const wasmBefore = wasmFetches();
      assert.ok(wasmBefore >= 1, 'the server log shows the first download of the wasm');

      // The store deploys the new release; the till finds it and installs it
      // in the background, but keeps running the previous one.
      replaceServedFiles(served, dist);
      const checked = await page.evaluate(() => window.salespider.update.check());
      assert.deepEqual(checked, { latest: shell.version, available: true });
      let s = await tillState(page);
      assert.equal(s.update_available, true);
      assert.equal(s.shell_version, previous.version);
      assert.equal(s.pending_ops, 1);
      assert.equal(await page.locator('#update').isVisible(), true, '"Update ready" is offered');
      assert.equal(wasmFetches(), wasmBefore, 'the unchanged wasm was reused from the previous cache, not downloaded');

      // A reload is no safe-moment signal: the previous release keeps running.
      // (The page finds its service worker registration after the wasm is
      // ready, so "update ready" may come a moment after `ready`.)
      await page.reload();
      await waitReady(page);
      await page.waitForFunction(() => window.salespider.state().update_available === true, null, { timeout: 10000 });
      s = await tillState(page);
      assert.equal(s.shell_version, previous.version);
      assert.equal(s.update_available, true);

      // The till says when: now.
      await switchToWaitingVersion(page);
      s = await tillState(page);
      assert.equal(s.shell_version, shell.version);
      assert.equal(s.update_available, false);
      assert.equal(s.pending_ops, 1, 'the op recorded by the previous release is still pending');
      assert.equal(s.last_receipt, op.receipt_seq);
      const exported = await page.evaluate(() => window.salespider.exportPendingOps({ download: false }));
      assert.deepEqual(exported.ops.map((o) => [o.op_id, o.state]), [[op.op_id, 'pending']]);
      const next = await page.evaluate(() => window.salespider.debug.recordTestOp());
      assert.equal(next.receipt_seq, op.receipt_seq + 1);
      assert.deepEqual(await page.evaluate(() => caches.keys()), [`salespider-shell-${shell.version}`],
        'the previous release\'s cache is gone');
      assert.equal(await page.locator('#update').isVisible(), false);
    });
  } finally {
    await context.close();
    rmSync(served, { recursive: true, force: true });
    rmSync(previous.dir, { recursive: true, force: true });
  }
});


test('ops recorded by the previous build are pushed after upgrading to the current build', async (t) => {
  const previous = previousShell(dist, 'previous-with-a-sale');
  const served = mkdtempSync(path.join(os.tmpdir(), 'salespider-www-'));
  const profile = tempProfile();
  let context;
  let page;
  // Pushes fail until the current build runs: the sale must cross the upgrade pending.
  let blocked = 0;
  const open = async () => {
    context = await launchProfile(profile, home);
    await context.route(PUSH, (route) => { blocked += 1; return route.abort(); });
    page = context.pages()[0] || await context.newPage();
    return page;
  };
  try {
    replaceServedFiles(served, previous.dir);
    if (server) await server.stop();
    server = await serve(served);
    await open();
    let till;
    let sale;
    await withScreenshotOnFailure(t, page, async () => {
      assert.notEqual(previous.version, shell.version);
      ({ till } = await enrol(page, server.url, 'Upgraded counter', { shift: 'not required' }));
      await waitOfflineReady(page);
      assert.equal((await tillState(page)).shell_version, previous.version);
      sale = await sell(page, ['D10004']);
      await waitFor(page, () => window.salespider.state().pending_ops === 1);
      assert.ok(blocked >= 1, 'the previous build tried to push it');
      assert.deepEqual(salesOf(dataPath, till.id), []);
    });
    await context.close();

    // The store deploys the current release; the till starts on the previous one.
    replaceServedFiles(served, dist);
    blocked = 0;
    await open();
    await withScreenshotOnFailure(t, page, async () => {
      await openTill(page, server.url);
      let s = await tillState(page);
      assert.equal(s.shell_version, previous.version);
      assert.equal(s.pending_ops, 1);
      // The start's own check may be installing it already: wait for "Update ready".
      assert.equal((await page.evaluate(() => window.salespider.update.check())).latest, shell.version);
      await waitFor(page, () => window.salespider.state().update_available === true);
      assert.equal(await page.locator('#update').isVisible(), true, '"Update ready" is offered');

      await switchToWaitingVersion(page);
      s = await tillState(page);
      assert.equal(s.shell_version, shell.version);
      assert.equal(s.pending_ops, 1, 'the sale crossed the upgrade pending');
      assert.equal(s.last_receipt, Number(sale.receipt_number.split('-')[1]));
      assert.deepEqual(salesOf(dataPath, till.id), [], 'and was not pushed before the switch');

      // The current build pushes what the previous one recorded.
      await context.unroute(PUSH);
      await click(page, 'Open till');
      await waitScreen(page, 'login');
      await signIn(page);
      await syncNow(page);
      s = await waitSynced(page);
      assert.equal(s.needs_attention, 0);
      const sales = salesOf(dataPath, till.id);
      assert.deepEqual(sales.map((x) => [x.receipt, x.status]), [[sale.receipt_number, 'applied']],
        'PostgreSQL holds the sale once');
    });
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    rmSync(served, { recursive: true, force: true });
    rmSync(previous.dir, { recursive: true, force: true });
  }
});
