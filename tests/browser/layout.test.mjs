// No label cut, on a phone (360×640, touch) and on a desktop (1280×800):
// the till is walked screen by screen the way a person would (taps and
// clicks), from the welcome screen through enrolment, selling and paying,
// the shift, sales, the device and printer screens, to every screen of the
// back office hub and the sign-in screen. On each, every button the till
// drew must hold its label: widgets() reports how wide the label is drawn
// (label_w) and whether it runs past the button's inside (label_cut, from
// Dear ImGui's own layout: its left padding to its right edge). On the
// phone no button shows a key ("Pay (F6)"), from its first screen on. A
// screen whose buttons are cut fails the test, with what was cut and by how much;
// a screenshot of each screen is kept as an artifact (SALESPIDER_ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  ARTIFACTS, launchBrowser, tillState, widgets, findWidget, centre, click, clickId, withScreenshotOnFailure, inputRead,
} from './lib/harness.mjs';
import {
  startStore, enrol, openTill, fill, waitFor, waitScreen, clickToScreen,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const VIEWPORTS = {
  phone: { viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};

// What is wrong on the screen now: a label cut ("screen: label (drawn w
// of room)"), or on a phone a key hint ("Pay (F6)": it has no keyboard).
async function problems(page, where, touch, viewport) {
  const all = await widgets(page);
  return [
    ...all.filter((w) => w.label_cut && !w.clipped)
      .map((w) => `${where}: "${w.label}" is ${Math.round(w.label_w)} px wide in a ${Math.round(w.rect.w)} px button`),
    // Past the right edge of the screen, where nothing scrolls sideways
    // (the category chips do, on purpose).
    ...all.filter((w) => w.label && w.rect.x + w.rect.w > viewport.width + 1 && !w.window.includes('##chips'))
      .map((w) => `${where}: "${w.label}" runs off the screen (${Math.round(w.rect.x)} + ${Math.round(w.rect.w)} px)`),
    ...(touch ? all.filter((w) => / \((F\d+|Esc|Enter|Del)\)$/.test(w.label)).map((w) => `${where}: key hint on a phone: "${w.label}"`) : []),
  ];
}

// The button `label` where it can be pressed: a screen taller than a
// small phone is scrolled to it first (the wheel over the screen), as a
// person swipes.
// (A widget wholly out of sight is not drawn, so not in widgets() either.)
async function reach(page, label, viewport, touch) {
  const find = async () => (await findWidget(page, label, 'button').catch(() => null));
  let w = await find();
  // Down the screen first, then back up (a list left scrolled to its end).
  for (let i = 0; i < 24 && (!w || w.clipped || w.rect.y + w.rect.h > viewport.height); i++) {
    await scroll(page, viewport, touch, i < 12 ? 1 : -1);
    w = await find();
  }
  return w ?? findWidget(page, label, 'button');
}

// The screen scrolled by about 160 px (down: 1, up: -1), as a person does
// it: the wheel on a desktop, a finger drawn across a phone (CDP touch
// events, as a phone sends them). Resolves once the scroll is drawn.
async function scroll(page, viewport, touch, direction = 1) {
  const x = viewport.width / 2;
  if (touch) {
    const cdp = await page.context().newCDPSession(page);
    const from = viewport.height * (direction > 0 ? 0.8 : 0.45);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: from }] });
    for (let d = 20; d <= 160; d += 20) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: from - direction * d }] });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  } else {
    await page.mouse.move(x, viewport.height / 2);
    await page.mouse.wheel(0, direction * 200);
  }
  await inputRead(page);
}

// The till's button `label` (Shift, Sales, Device), to `screen`: on a phone
// they are in the cart's sheet, opened first.
async function fromTill(page, label, screen, viewport, touch) {
  const closed = (await widgets(page)).some((w) => w.full_label.endsWith('###sheet-toggle') && !w.label.startsWith('Hide'));
  if (closed && !(await findWidget(page, label, 'button').catch(() => null))) {
    await clickId(page, '###sheet-toggle');
    await waitFor(page, () => window.salespider.widgets()
      .some((w) => w.full_label.endsWith('###sheet-toggle') && w.label.startsWith('Hide cart')));
    await inputRead(page);
  }
  await pressTo(page, label, screen, viewport, touch);
}

// Presses `label` (reached) and waits for `screen`.
async function pressTo(page, label, screen, viewport, touch) {
  const w = await reach(page, label, viewport, touch);
  await page.mouse.click(centre(w).x, centre(w).y);
  await waitScreen(page, screen);
}

// Back, Back … until the till shows `screen` (a screen may go back to the
// one that opened it, another to the till).
async function backTo(page, screen, viewport, touch) {
  for (let i = 0; i < 4 && (await tillState(page)).screen !== screen; i++) {
    const from = (await tillState(page)).screen;
    const back = await reach(page, 'Back', viewport, touch);
    await page.mouse.click(centre(back).x, centre(back).y);
    await waitFor(page, (f) => window.salespider.state().screen !== f, from);
  }
  assert.equal((await tillState(page)).screen, screen, `Back leads to ${screen}`);
}

for (const [name, options] of Object.entries(VIEWPORTS)) {
  test(`no label is cut on any screen at ${options.viewport.width}×${options.viewport.height} (${name})`, async (t) => {
    const store = await startStore();
    const context = await browser.newContext(options);
    const page = await context.newPage();
    // A phone is tapped, never clicked: every click of the shared helpers
    // (click, fill, enrol) is a tap there, as a person's finger.
    if (options.hasTouch) page.mouse.click = (x, y) => page.touchscreen.tap(x, y);
    t.after(async () => {
      await context.close().catch(() => {});
      await store.remove();
    });
    const cut = [];
    const visited = [];
    async function check(where) {
      const screen = (await tillState(page)).screen;
      visited.push(screen);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `layout-${name}-${where}.png`) });
      cut.push(...await problems(page, where, options.hasTouch, options.viewport));
    }
    await withScreenshotOnFailure(t, page, async () => {
      await openTill(page, store.server.url);
      await check('welcome');
      await click(page, 'Open till');
      await waitScreen(page, 'enrol');
      await check('enrol');

      await enrol(page, store.server.url);
      await check('till');
      // A line in the cart: its row, the edit panel and Pay come alive.
      const counted = async () => (await widgets(page))
        .find((w) => w.full_label.includes('##tile-') && !w.label.includes('/kg'));
      let tile = await counted();
      if (!tile) {
        // Only weighed products at the top of a small phone: searched for.
        await fill(page, '##code', 'Batteries');
        await waitFor(page, () => window.salespider.state().browse.text === 'Batteries');
        tile = await counted();
      }
      assert.ok(tile, 'product tiles are on screen');
      await page.mouse.click(centre(tile).x, tile.rect.y + 24);
      await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
      await check('till-with-a-line');
      await clickToScreen(page, 'Pay', 'pay');
      await check('pay');
      // The sale paid: the "Sale complete" banner takes the top of the
      // cart, and on a desktop or a landscape tablet (1024×700) Pay and
      // every cart action stay in view without scrolling (a cashier's next
      // move is one of them).
      await pressTo(page, 'Exact', 'till', options.viewport, options.hasTouch);
      await waitFor(page, () => window.salespider.state().completed !== null);
      await check('sale-complete');
      if (!options.hasTouch) {
        for (const size of [options.viewport, { width: 1024, height: 700 }]) {
          await page.setViewportSize(size);
          await waitFor(page, (w) => window.innerWidth === w, size.width);
          await inputRead(page);
          await inputRead(page); // the frame after the resize, laid out anew
          const all = await widgets(page);
          const out = [];
          // The owner sees "Attention <n>" among them.
          for (const label of ['Pay', 'Park', 'Parked', 'Discount', 'Shift', 'Sales', 'Attention', 'Switch cashier', 'Device']) {
            const w = all.find((x) => x.role === 'button'
              && x.label.replace(/ \((F\d+|Esc)\)$/, '').replace(/ \d+$/, '') === label);
            if (!w || w.clipped || w.rect.y + w.rect.h > size.height) out.push(label);
          }
          assert.deepEqual(out, [], `cart actions out of view under "Sale complete" at ${size.width}×${size.height}`);
        }
        await page.setViewportSize(options.viewport);
        await waitFor(page, (w) => window.innerWidth === w, options.viewport.width);
        await inputRead(page);
      }
      await pressTo(page, 'New sale', 'till', options.viewport, options.hasTouch);
      await waitFor(page, () => window.salespider.state().completed === null);

      for (const [label, screen] of [['Shift', 'shift'], ['Sales', 'history']]) {
        await fromTill(page, label, screen, options.viewport, options.hasTouch);
        await check(screen);
        await backTo(page, 'till', options.viewport, options.hasTouch);
      }
      await fromTill(page, 'Device', 'device', options.viewport, options.hasTouch);
      await check('device');
      await pressTo(page, 'Receipt printer', 'printer', options.viewport, options.hasTouch);
      await check('printer');
      await backTo(page, 'device', options.viewport, options.hasTouch);

      // Every screen the hub opens, found by its buttons (a new one is walked too).
      await pressTo(page, 'Back office', 'back_office', options.viewport, options.hasTouch);
      await check('back_office');
      // All of them: a phone shows a few at a time, the rest are swiped to.
      const hub = [];
      for (let still = 0; still < 2;) {
        const more = (await widgets(page)).filter((w) => w.role === 'button' && w.enabled && w.label !== 'Back'
          && !hub.includes(w.label)).map((w) => w.label);
        hub.push(...more);
        still = more.length ? 0 : still + 1;
        await scroll(page, options.viewport, options.hasTouch);
      }
      assert.ok(hub.length >= 10, `the hub's buttons: ${hub.join(', ')}`);
      for (const label of hub) {
        const w = await reach(page, label, options.viewport, options.hasTouch);
        const c = centre(w);
        await page.mouse.click(c.x, c.y);
        await waitFor(page, () => window.salespider.state().screen !== 'back_office');
        await check(`hub-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
        await backTo(page, 'back_office', options.viewport, options.hasTouch);
      }
      await backTo(page, 'till', options.viewport, options.hasTouch);
      await fromTill(page, 'Device', 'device', options.viewport, options.hasTouch);
      await pressTo(page, 'Sign out', 'login', options.viewport, options.hasTouch);
      await check('login');

      assert.ok(visited.length >= 20, `screens walked: ${visited.join(', ')}`);
      assert.deepEqual(cut, [], `labels cut at ${name} size`);
    });
  });
}
