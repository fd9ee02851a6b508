// Two tabs of one till profile (issue 23): only one may write. With Web
// Locks the lock decides; in a browser without them (deleted here by an init
// script) or whose Web Locks throw, www/storage.js falls back to a lease
// record in IndexedDB. Checked: two tabs opened at the same moment, five
// times over, give exactly one writer; the other is read-only and its
// writes are refused; a writer whose lease another tab took turns read-only
// at once; closing the writer lets the other take over within the lease's
// expiry. No enrolment: ops are the TEST-ONLY debug.recordTestOp().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, waitReady, tillState, withScreenshotOnFailure } from './lib/harness.mjs';
import { waitFor } from './lib/till.mjs';

let server;
let browser;
let tillUrl;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  tillUrl = server.url + '?automation=1';
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// What each context's pages run before any script of the page.
const WITHOUT_LOCKS = () => { delete Navigator.prototype.locks; };
const THROWING_LOCKS = () => {
  LockManager.prototype.request = () => { throw new DOMException('locks are broken here', 'SecurityError'); };
};

// A fresh profile (context) with two tabs loaded at the same moment.
async function twoTabs(initScript) {
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  if (initScript) await context.addInitScript(initScript);
  const pages = [await context.newPage(), await context.newPage()];
  await Promise.all(pages.map((p) => p.goto(tillUrl)));
  await Promise.all(pages.map((p) => waitReady(p)));
  const states = await Promise.all(pages.map((p) => tillState(p)));
  const guards = await Promise.all(pages.map((p) => p.evaluate(() => window.salespider.debug.tillGuard())));
  return { context, pages, states, guards };
}

// Polls `predicate` in the page, across the reload of a take-over.
async function eventually(page, predicate, timeout = 30000) {
  const until = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(predicate).catch(() => false)) return;
    if (Date.now() > until) throw new Error(`not true within ${timeout} ms: ${predicate}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function recordTestOp(page) {
  return page.evaluate(() => window.salespider.debug.recordTestOp());
}

function writerOf({ pages, states }) {
  const writers = states.map((s, i) => (s.read_only ? -1 : i)).filter((i) => i >= 0);
  assert.equal(writers.length, 1, `exactly one writer, got read_only = ${states.map((s) => s.read_only)}`);
  return { writer: pages[writers[0]], reader: pages[1 - writers[0]] };
}

test('without working Web Locks two tabs opened at the same moment never both write', async (t) => {
  for (let round = 0; round < 5; ++round) {
    // Odd rounds: Web Locks present but throwing.
    const tabs = await twoTabs(round % 2 === 0 ? WITHOUT_LOCKS : THROWING_LOCKS);
    await withScreenshotOnFailure(t, tabs.pages[0], async () => {
      assert.deepEqual(tabs.guards.map((g) => g.guard), ['lease', 'lease']);
      const { writer, reader } = writerOf(tabs);
      assert.equal((await recordTestOp(writer)).completed, true);
      assert.notEqual((await recordTestOp(reader)).completed, true, 'the read-only tab recorded an op');

      if (round === 4) {
        // The writer goes away: the other tab takes the lease once it expired
        // (6 s) and starts again as the writer.
        await writer.close();
        await eventually(reader, () => window.salespider?.state().ready === true && !window.salespider.state().read_only);
        assert.equal((await recordTestOp(reader)).completed, true);
        // Two ops in its journal: the first writer's and its own.
        assert.equal((await tillState(reader)).pending_ops, 2);
      }
    });
    await tabs.context.close();
  }
});

test('a writer whose lease another tab took turns read-only and writes nothing more', async (t) => {
  const tabs = await twoTabs(WITHOUT_LOCKS);
  await withScreenshotOnFailure(t, tabs.pages[0], async () => {
    const { writer } = writerOf(tabs);
    // What a tab that was frozen past the expiry finds: someone else's lease.
    await writer.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('salespider-till');
      open.onsuccess = () => {
        const tx = open.result.transaction('meta', 'readwrite');
        tx.objectStore('meta').put({ owner: 'another-tab', expires_at: Date.now() + 600000 }, 'lease');
        tx.oncomplete = () => { open.result.close(); resolve(); };
        tx.onabort = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    }));
    await waitFor(writer, () => window.salespider.state().read_only === true, null, 10000);
    assert.equal((await writer.evaluate(() => window.salespider.debug.tillGuard())).lost, true);
    assert.notEqual((await recordTestOp(writer)).completed, true);
  });
  await tabs.context.close();
});

test('with Web Locks the lock still decides', async (t) => {
  const tabs = await twoTabs(null);
  await withScreenshotOnFailure(t, tabs.pages[0], async () => {
    assert.deepEqual(tabs.guards.map((g) => g.guard), ['web-locks', 'web-locks']);
    const { writer, reader } = writerOf(tabs);
    assert.equal((await recordTestOp(writer)).completed, true);
    assert.notEqual((await recordTestOp(reader)).completed, true);
  });
  await tabs.context.close();
});
