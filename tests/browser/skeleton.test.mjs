// The walking skeleton end to end: the real server serves the wasm till, the
// till renders with Dear ImGui in Chromium, reports its widgets from ImGui's
// own item hooks, and a real click at the reported rect changes the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, waitReady, tillState, widgets, findWidget, centre, click,
  withScreenshotOnFailure,
} from './lib/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the till loads from the server and a click on Open till opens enrolment on a new browser', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    assert.equal((await tillState(page)).screen, 'welcome');

    const open = await findWidget(page, 'Open till', 'button');
    assert.equal(open.enabled, true);
    assert.ok(open.rect.h >= 56, `primary action is ${open.rect.h}px tall`);

    await click(page, 'Open till');
    // A browser that is no till yet asks a manager to enrol it.
    await page.waitForFunction(() => window.salespider.state().screen === 'enrol', null, { timeout: 5000 });
    const labels = (await widgets(page)).map((w) => w.label);
    assert.ok(!labels.includes('Open till'), 'the welcome screen is gone from the widget list');
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('a click outside any widget changes nothing', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    const open = await findWidget(page, 'Open till', 'button');
    const c = centre(open);
    await page.mouse.click(c.x, open.rect.y + open.rect.h + 150);
    // Two frames later the screen must still be the welcome screen.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal((await tillState(page)).screen, 'welcome');
  });
  await context.close();
});

test('one tap on a touch screen opens the till', async (t) => {
  const context = await browser.newContext({
    viewport: { width: 800, height: 1280 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true,
  });
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    const c = centre(await findWidget(page, 'Open till', 'button'));
    await page.touchscreen.tap(c.x, c.y);
    await page.waitForFunction(() => window.salespider.state().screen === 'enrol', null, { timeout: 5000 });
    assert.equal((await tillState(page)).tills_opened, 1, 'one tap, one click');
  });
  await context.close();
});
