// The till as an installed PWA, over HTTPS with the store's CA trusted
// through NSS (harness homeTrusting): the loader's progress and its
// messages for browsers that cannot run the till, the manifest and its
// icons, the service worker's precache, a start with the server stopped
// from a profile that loaded the till before, the cold start from the
// service worker's cache (docs/benchmarks.md), and an upgrade from a
// previous release that keeps the ops it recorded pending.
// Every server in this file shares one DATA_PATH, hence one CA, so one NSS
// database trusts them all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ARTIFACTS, startServer, launchBrowser, homeTrusting, waitReady, tillState, widgets, withScreenshotOnFailure,
} from './lib/harness.mjs';
import { tempProfile } from './lib/chromium-process.mjs';
import { launchProfile, pngHeader, previousShell, replaceServedFiles, median } from './lib/pwa.mjs';

const dist = process.env.SALESPIDER_WWW;
let dataPath;
let server;
let home;
let browser;
let shell;

async function serve(www) {
  const saved = process.env.SALESPIDER_WWW;
  process.env.SALESPIDER_WWW = www;
  try {
    return await startServer(['--data-path', dataPath], { https: true });
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

// Resolves once a service worker controls the page and its version's cache
// holds the whole precache list (the list is written last). Polled from
// here: waitForFunction takes a returned promise for a truthy answer.
async function waitOfflineReady(page, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const ready = await page.evaluate(async () => {
      const c = navigator.serviceWorker.controller;
      if (!c || c.state !== 'activated') return false;
      const v = new URL(c.scriptURL).searchParams.get('v');
      return Boolean(await caches.match(new URL(`shell.${v}.json`, location.href).href));
    });
    if (ready) return;
    if (Date.now() > deadline) throw new Error('no activated service worker with a complete cache controls the page');
    await new Promise((r) => setTimeout(r, 200));
  }
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
    await page.goto(server.url);
    assert.equal(await page.locator('#loader').isVisible(), true);
    await waitReady(page, 60000);
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

test('a browser without WebGL 2 gets a clear message instead of a broken till', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : getContext.call(this, type, ...rest);
    };
  });
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    const reason = await page.evaluate(() => window.salespider.whenReady().then(() => 'started', (e) => e.message));
    assert.match(reason, /WebGL 2/);
    assert.match(await page.locator('#status').textContent(), /cannot draw the till: WebGL 2/);
    assert.equal(await page.locator('#status').isVisible(), true);
    assert.equal((await tillState(page)).ready, false);
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
    // docs/benchmarks.md: target 1.5 s here; the bound leaves room for a loaded CI machine.
    assert.ok(summary.ready < 4000, `navigation to first frame ${summary.ready} ms`);
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
      await page.reload();
      await waitReady(page);
      s = await tillState(page);
      assert.equal(s.shell_version, previous.version);
      assert.equal(s.update_available, true);

      // The till says when: now.
      const navigated = page.waitForEvent('framenavigated');
      await page.evaluate(() => window.salespider.update.apply());
      await navigated;
      await page.waitForLoadState('load');
      await waitReady(page);
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
