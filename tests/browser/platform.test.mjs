// The browser platform layer (wasm-client/platform/platform_browser.cpp) as a
// cashier's device exercises it: a tap clicks once, a long press is a context
// click and no click, a drag scrolls and clicks nothing, the phone keyboard's
// hidden input follows ImGui's text field and types each character once
// (Android-style keyCode 229 + input events and a physical keyboard alike),
// paste, the WebGL 1 fallback (?webgl=1), resize/rotate, and the device's
// locale and time zone through Intl.
// What the platform did is read from window.salespider.platform()
// (salespider_platform_json): {webgl, ime:{focused, x, y, h, inputmode,
// value_length}, ime_wanted, taps, drags, long_presses, clipboard_len, touch,
// locale, time_zone, utc_offset_minutes, input_queued, cursor, active_field,
// time_example};
// the frame log the benchmarks read from window.salespider.frames().
// Touch gestures go through CDP Input.dispatchTouchEvent, which Chromium
// delivers as trusted touch events exactly as a finger would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import {
  startServer, launchBrowser, waitReady, tillState, widgets, findWidget, centre, click,
  withScreenshotOnFailure, inputRead,
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

const PHONE = { viewport: { width: 800, height: 1280 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true };

async function platform(page) {
  return page.evaluate(() => window.salespider.platform());
}

async function frames(page, n = 3) {
  await page.evaluate((count) => new Promise((resolve) => {
    let left = count;
    const step = () => { if (--left <= 0) resolve(); else requestAnimationFrame(step); };
    requestAnimationFrame(step);
  }), n);
}

// A finger: CDP touch events are trusted and reach the canvas like real ones.
async function finger(page) {
  const cdp = await page.context().newCDPSession(page);
  const send = (type, points) => cdp.send('Input.dispatchTouchEvent', {
    type, touchPoints: points.map(([x, y]) => ({ x, y, id: 1, radiusX: 2, radiusY: 2, force: 1 })),
  });
  return {
    cdp,
    down: (x, y) => send('touchStart', [[x, y]]),
    move: (x, y) => send('touchMove', [[x, y]]),
    up: () => send('touchEnd', []),
  };
}

// A whole gesture dispatched in one go from the page: deterministic even on
// a loaded machine, where CDP round trips between touchStart and the first
// touchMove can take longer than the 500 ms long press. points are page CSS
// pixels: the first starts the touch, the last is where it lifts.
async function gesture(page, points) {
  await page.evaluate((pts) => {
    const canvas = document.getElementById('canvas');
    const touch = ([x, y]) => new Touch({ identifier: 7, target: canvas, clientX: x, clientY: y, pageX: x, pageY: y });
    const fire = (type, t, active) => canvas.dispatchEvent(new TouchEvent(type, {
      touches: active ? [t] : [], targetTouches: active ? [t] : [], changedTouches: [t], bubbles: true, cancelable: true,
    }));
    fire('touchstart', touch(pts[0]), true);
    for (const p of pts.slice(1)) fire('touchmove', touch(p), true);
    fire('touchend', touch(pts[pts.length - 1]), false);
  }, points);
}

async function openPage(options, query = '') {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + query);
  await waitReady(page);
  return { context, page, errors };
}

// --- a minimal PNG reader, to see that pixels were drawn --------------------

function decodePng(buffer) {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.equal(data[8], 8, '8-bit PNG');
      channels = { 2: 3, 6: 4 }[data[9]];
      assert.ok(channels, `PNG colour type ${data[9]}`);
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      let out = v;
      if (filter === 1) out = v + a;
      else if (filter === 2) out = v + b;
      else if (filter === 3) out = v + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      pixels[y * stride + x] = out & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

function distinctColours(png) {
  const seen = new Set();
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    seen.add((png.pixels[i] << 16) | (png.pixels[i + 1] << 8) | png.pixels[i + 2]);
  }
  return seen.size;
}

// --- touch ---------------------------------------------------------------------

test('one tap on Open till opens the till exactly once on a touch screen', async (t) => {
  const { context, page, errors } = await openPage(PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    const c = centre(await findWidget(page, 'Open till', 'button'));
    await page.touchscreen.tap(c.x, c.y);
    await page.waitForFunction(() => window.salespider.state().screen !== 'welcome', null, { timeout: 5000 });
    await frames(page, 10);
    assert.equal((await tillState(page)).tills_opened, 1);
    const p = await platform(page);
    assert.equal(p.taps, 1);
    assert.equal(p.drags, 0);
    assert.equal(p.long_presses, 0);
    assert.equal(p.touch, true);
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('a long press on Open till is a context press, not a click', async (t) => {
  const { context, page } = await openPage(PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    const c = centre(await findWidget(page, 'Open till', 'button'));
    const f = await finger(page);
    await f.down(c.x, c.y);
    await page.waitForTimeout(800);
    await f.up();
    await frames(page, 10);
    const s = await tillState(page);
    assert.equal(s.screen, 'welcome');
    assert.equal(s.tills_opened, 0);
    const p = await platform(page);
    assert.equal(p.long_presses, 1);
    assert.equal(p.taps, 0);
  });
  await context.close();
});

test('a drag that starts on Open till scrolls and does not click it', async (t) => {
  const { context, page } = await openPage(PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    const c = centre(await findWidget(page, 'Open till', 'button'));
    const path = [[c.x, c.y]];
    for (let dy = 10; dy <= 120; dy += 10) path.push([c.x, c.y - dy]);
    await gesture(page, path);
    await frames(page, 10);
    const s = await tillState(page);
    assert.equal(s.screen, 'welcome');
    assert.equal(s.tills_opened, 0);
    const p = await platform(page);
    assert.equal(p.drags, 1);
    assert.equal(p.taps, 0);
    // A small wobble of the finger is still a tap.
    await gesture(page, [[c.x, c.y], [c.x + 3, c.y + 3]]);
    await page.waitForFunction(() => window.salespider.state().screen !== 'welcome', null, { timeout: 5000 });
    await frames(page, 10);
    assert.equal((await tillState(page)).tills_opened, 1);
  });
  await context.close();
});

test('a drag scrolls the window under the finger', async (t) => {
  // A small phone: the enrol screen is taller than the viewport.
  const viewport = { width: 360, height: 400 };
  const { context, page } = await openPage({ ...PHONE, viewport });
  await withScreenshotOnFailure(t, page, async () => {
    const open = (await widgets(page)).find((w) => w.label === 'Open till');
    await page.touchscreen.tap(centre(open).x, centre(open).y);
    await page.waitForFunction(() => window.salespider.state().screen !== 'welcome', null, { timeout: 5000 });
    await frames(page, 5);
    const before = await widgets(page);
    const first = before.find((w) => w.role === 'input');
    // The enrol screen's last button is below the fold at this size (the
    // widget list leaves out items clipped away).
    const enrol = before.find((w) => w.label === 'Enrol this till');
    assert.ok(first, 'the enrol screen has a text field');
    assert.ok(!enrol || enrol.rect.y + enrol.rect.h > viewport.height, 'the enrol screen is taller than the viewport');
    // Above the first field, on text: nothing there to press.
    const x = viewport.width / 2;
    const y = first.rect.y - 40;
    const path = [[x, y]];
    for (let dy = 10; dy <= 150; dy += 10) path.push([x, y - dy]);
    await gesture(page, path);
    await page.waitForFunction((y0) => {
      const w = window.salespider.widgets().find((i) => i.role === 'input');
      return w && w.rect.y < y0 - 20;
    }, first.rect.y - (await page.evaluate(() => document.getElementById('canvas').getBoundingClientRect().top)),
    { timeout: 5000 });
    const p = await platform(page);
    assert.equal(p.drags, 1);
    assert.equal(p.taps, 1, 'only the tap on Open till');
    assert.equal(p.ime_wanted, false, 'the drag activated no field');
  });
  await context.close();
});

// --- WebGL -----------------------------------------------------------------------

test('the till runs on WebGL 2 by default and on WebGL 1 with ?webgl=1', async (t) => {
  const two = await openPage({ viewport: { width: 1024, height: 768 } });
  assert.equal((await platform(two.page)).webgl, 2);
  await two.context.close();

  const { context, page, errors } = await openPage({ viewport: { width: 1024, height: 768 }, deviceScaleFactor: 2 },
    '?webgl=1');
  await withScreenshotOnFailure(t, page, async () => {
    assert.equal((await platform(page)).webgl, 1);
    assert.equal(await page.evaluate(() => {
      const gl = document.getElementById('canvas').getContext('webgl');
      return gl instanceof WebGLRenderingContext && !(window.WebGL2RenderingContext && gl instanceof WebGL2RenderingContext);
    }), true);
    const open = await findWidget(page, 'Open till', 'button');
    const png = decodePng(await page.screenshot({
      clip: { x: open.rect.x, y: open.rect.y, width: open.rect.w, height: open.rect.h },
    }));
    assert.ok(distinctColours(png) >= 3, `the button is drawn (${distinctColours(png)} colours)`);
    await click(page, 'Open till');
    await page.waitForFunction(() => window.salespider.state().screen !== 'welcome', null, { timeout: 5000 });
    assert.equal((await tillState(page)).tills_opened, 1);
    assert.deepEqual(errors, []);
  });
  await context.close();
});

// --- resize / rotate -------------------------------------------------------------

test('the canvas follows a resize and a rotation at the device pixel ratio', async (t) => {
  const { context, page } = await openPage(PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    const size = () => page.evaluate(() => {
      const c = document.getElementById('canvas');
      const r = c.getBoundingClientRect();
      return { w: c.width, h: c.height, cssW: r.width, cssH: r.height, scrollY: window.scrollY };
    });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => window.dispatchEvent(new Event('orientationchange')));
    await page.waitForFunction(() => document.getElementById('canvas').width === 2560, null, { timeout: 5000 });
    const s = await size();
    assert.deepEqual(s, { w: 2560, h: 1600, cssW: 1280, cssH: 800, scrollY: 0 });
    // The till lays itself out for the new size: Open till is inside it.
    const open = await findWidget(page, 'Open till', 'button');
    assert.ok(open.rect.x + open.rect.w <= 1280 && open.rect.y + open.rect.h <= 800);
  });
  await context.close();
});

// --- the phone keyboard ------------------------------------------------------------

// Waits until the active field holds `length` characters, then a few frames
// more, so a character typed twice would show up in the caller's assert
// (ImGui's input queue hands over a burst of keys over several frames).
async function waitLength(page, length) {
  await page.waitForFunction((n) => {
    const f = window.salespider.platform().active_field;
    return f && f.length === n;
  }, length, { timeout: 5000 }).catch(() => {});
  await frames(page, 10);
}

// Opens a screen with an ImGui text field, taps it and waits for the hidden
// input to take focus; null when the till has no text field yet.
async function tapFirstField(page) {
  let field = (await widgets(page)).find((w) => w.role === 'input');
  if (!field) {
    const open = (await widgets(page)).find((w) => w.label === 'Open till');
    if (open) {
      const c = centre(open);
      await page.touchscreen.tap(c.x, c.y);
      await page.waitForFunction(() => window.salespider.state().screen !== 'welcome', null, { timeout: 5000 });
      await frames(page, 5);
    }
    field = (await widgets(page)).find((w) => w.role === 'input');
  }
  if (!field) return null;
  const c = centre(field);
  await page.touchscreen.tap(c.x, c.y);
  await page.waitForFunction(() => window.salespider.platform().ime.focused === true, null, { timeout: 5000 });
  return field;
}

test('the hidden input follows the active text field and Android-style input types once', async (t) => {
  const { context, page, errors } = await openPage(PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    assert.equal((await platform(page)).ime.focused, false, 'no keyboard on a screen without a field');
    const field = await tapFirstField(page);
    assert.ok(field, 'the enrol screen has a text field to type into');
    let p = await platform(page);
    assert.equal(p.ime_wanted, true);
    assert.ok(p.ime.x >= field.rect.x - 1 && p.ime.x <= field.rect.x + field.rect.w, `ime x ${p.ime.x} in ${JSON.stringify(field.rect)}`);
    assert.ok(p.ime.y >= field.rect.y - 1 && p.ime.y <= field.rect.y + field.rect.h, `ime y ${p.ime.y} in ${JSON.stringify(field.rect)}`);
    assert.ok(p.active_field, 'an ImGui field is active');
    const before = p.active_field.length;

    // Android: keydown 229 (no key), then the text as the input's events.
    const cdp = await context.newCDPSession(page);
    for (const ch of 'ab') {
      await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', windowsVirtualKeyCode: 229, key: 'Unidentified', code: '' });
      await cdp.send('Input.insertText', { text: ch });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', windowsVirtualKeyCode: 229, key: 'Unidentified', code: '' });
    }
    // A composition (Gboard types words this way): "c", "cd", then committed.
    await cdp.send('Input.imeSetComposition', { text: 'c', selectionStart: 1, selectionEnd: 1 });
    await frames(page, 3);
    await cdp.send('Input.imeSetComposition', { text: 'cd', selectionStart: 2, selectionEnd: 2 });
    await frames(page, 3);
    await cdp.send('Input.insertText', { text: 'cd' });
    await waitLength(page, before + 4);
    p = await platform(page);
    assert.equal(p.active_field.length - before, 4, `typed 4 characters once each: ${JSON.stringify(p.active_field)}`);
    if (!p.active_field.password) assert.ok(p.active_field.text.endsWith('abcd'), p.active_field.text);
    assert.equal(p.ime.value_length, 0, 'nothing accumulates in the hidden input');

    // Soft-keyboard backspace arrives as deleteContentBackward.
    await page.evaluate(() => {
      document.getElementById('ime').dispatchEvent(new InputEvent('beforeinput', { inputType: 'deleteContentBackward', cancelable: true, bubbles: true }));
    });
    await waitLength(page, before + 3);
    p = await platform(page);
    assert.equal(p.active_field.length - before, 3);
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('a physical keyboard types each character once while the hidden input has focus', async (t) => {
  const { context, page } = await openPage(PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    const field = await tapFirstField(page);
    assert.ok(field, 'the enrol screen has a text field to type into');
    const before = (await platform(page)).active_field.length;
    await page.keyboard.type('xyz', { delay: 20 });
    await waitLength(page, before + 3);
    let p = await platform(page);
    assert.equal(p.active_field.length - before, 3, JSON.stringify(p.active_field));
    await page.keyboard.press('Backspace');
    await waitLength(page, before + 2);
    p = await platform(page);
    assert.equal(p.active_field.length - before, 2);
    assert.equal(p.ime.value_length, 0);
    // Copy goes to the local clipboard (and navigator.clipboard where allowed).
    if (!p.active_field.password) {
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Control+C');
      await page.waitForFunction((n) => window.salespider.platform().clipboard_len === n,
        p.active_field.length, { timeout: 5000 });
    }
  });
  await context.close();
});

test('a paste types its text into the field once and becomes the clipboard', async (t) => {
  const { context, page } = await openPage(PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    const field = await tapFirstField(page);
    const before = field ? (await platform(page)).active_field.length : 0;
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.setData('text/plain', 'pasted');
      (document.activeElement || document.body).dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    if (field) await waitLength(page, before + 6);
    await frames(page, 10);
    const p = await platform(page);
    assert.equal(p.clipboard_len, 6);
    if (field) assert.equal(p.active_field.length - before, 6, JSON.stringify(p.active_field));
  });
  await context.close();
});

test('the mouse cursor follows what ImGui shows under it', async (t) => {
  const { context, page } = await openPage({ viewport: { width: 1024, height: 768 } });
  await withScreenshotOnFailure(t, page, async () => {
    await click(page, 'Open till');
    await page.waitForFunction(() => window.salespider.state().screen !== 'welcome', null, { timeout: 5000 });
    await frames(page, 5);
    const field = (await widgets(page)).find((w) => w.role === 'input');
    assert.ok(field, 'the enrol screen has a text field to type into');
    await page.mouse.move(centre(field).x, centre(field).y);
    await page.waitForFunction(() => document.getElementById('canvas').style.cursor === 'text', null, { timeout: 5000 });
    await page.mouse.move(2, 766);
    await page.waitForFunction(() => document.getElementById('canvas').style.cursor === 'default', null, { timeout: 5000 });
  });
  await context.close();
});

// --- the frame log the benchmarks read --------------------------------------------

test('the frame log lists frames in order with their stages, and marks the one whose UI emitted a command', async (t) => {
  const { context, page } = await openPage({ viewport: { width: 1024, height: 768 } });
  await withScreenshotOnFailure(t, page, async () => {
    await frames(page, 10);
    const before = await page.evaluate(() => performance.now());
    await click(page, 'Open till');
    await page.waitForFunction(() => window.salespider.state().screen !== 'welcome', null, { timeout: 5000 });
    await frames(page, 3);
    const rows = await page.evaluate(() => window.salespider.frames());
    assert.ok(rows.length >= 10 && rows.length <= 1024, `${rows.length} frames`);
    for (let i = 0; i < rows.length; i++) {
      const [vsync, start, imgui, render, end, changed, passes, drawn] = rows[i];
      assert.ok(drawn === 0 || drawn === 1);
      assert.ok(vsync <= start && start <= imgui && imgui <= render && render <= end, `frame ${i} stages in order`);
      assert.ok(changed === 0 || changed === 1);
      // A frame whose UI emitted commands builds the new state before drawing it.
      assert.ok(changed === 1 ? passes >= 2 && passes <= 3 : passes === 1, `frame ${i}: ${passes} passes`);
      if (i > 0) assert.ok(start > rows[i - 1][4], `frame ${i} starts after frame ${i - 1} ended`);
    }
    // The click's OpenTill command, and nothing emitted while idle before it.
    assert.equal(rows.filter((r) => r[1] > before && r[5] === 1).length >= 1, true, 'the click emitted a command');
    assert.deepEqual(rows.filter((r) => r[1] < before - 50 && r[5] === 1), [], 'an idle welcome screen emits nothing');
    // An unchanged picture is not sent to WebGL again; the click's is.
    const idle = rows.filter((r) => r[1] < before - 50);
    assert.ok(idle.length >= 8 && idle.slice(-5).every((r) => r[7] === 0), `idle frames drawn: ${idle.map((r) => r[7]).join('')}`);
    assert.ok(rows.some((r) => r[1] > before && r[5] === 1 && r[7] === 1), 'the frame that read the click drew');
  });
  await context.close();
});

// On the enrol screen, the login field clicked and active (the hidden input
// focused, the click read); returns the screen's widgets.
async function typingIntoLogin(page) {
  await click(page, 'Open till');
  await page.waitForFunction(() => window.salespider.state().screen === 'enrol', null, { timeout: 5000 });
  const all = await widgets(page);
  const login = all.find((w) => w.full_label === '##manager-login');
  await page.mouse.click(centre(login).x, centre(login).y);
  await page.waitForFunction(() => window.salespider.platform().ime.focused, null, { timeout: 5000 });
  await inputRead(page);
  return all;
}

test('a tap right after the hidden input loses the focus is not lost', async (t) => {
  const { context, page } = await openPage({ viewport: { width: 1024, height: 768 } });
  await withScreenshotOnFailure(t, page, async () => {
    const password = (await typingIntoLogin(page)).find((w) => w.full_label === '##manager-password');
    // In one task, so Dear ImGui reads both in the same frame: the hidden
    // input's blur (as when a screen without a field replaces one with
    // it), then a click on the password field.
    await page.evaluate(({ x, y }) => {
      document.activeElement.blur();
      const canvas = document.getElementById('canvas');
      const at = { clientX: x, clientY: y, button: 0, buttons: 1, bubbles: true, cancelable: true };
      canvas.dispatchEvent(new MouseEvent('mousedown', at));
      window.dispatchEvent(new MouseEvent('mouseup', { ...at, buttons: 0 }));
    }, centre(password));
    await inputRead(page);
    assert.equal((await platform(page)).active_field?.password, true, 'the click made the password field active');
  });
  await context.close();
});

test('text typed in a burst (capitals, spaces, digits) is all read by the next frame, not one key per frame', async (t) => {
  const { context, page } = await openPage({ viewport: { width: 1024, height: 768 } });
  await withScreenshotOnFailure(t, page, async () => {
    await typingIntoLogin(page);
    // As fast as the page takes it, like a scanner. Dear ImGui reads one
    // change of a key per frame, so queued key presses (and Shift) would
    // hold the field back by a frame or two per character; characters alone
    // are all read by the next frame.
    await page.keyboard.type('Tomato Paste 2000000012345');
    await frames(page, 2);
    const p = await platform(page);
    assert.equal(p.input_queued, 0, 'nothing left unread');
    assert.equal(p.active_field.text, 'Tomato Paste 2000000012345');
    // Shift still selects with an arrow key, and is not left down after.
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.type('x');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('y');
    await inputRead(page);
    assert.equal((await platform(page)).active_field.text, 'Tomato Paste 200000001234yx', 'Shift+Left selected the last digit');
  });
  await context.close();
});

// --- locale and time zone ------------------------------------------------------------

test('the device locale and time zone come from Intl', async (t) => {
  const { context, page } = await openPage({ viewport: { width: 1024, height: 768 }, locale: 'fr-FR', timezoneId: 'Africa/Lagos' });
  await withScreenshotOnFailure(t, page, async () => {
    const p = await platform(page);
    assert.equal(p.locale, 'fr-FR');
    assert.equal(p.time_zone, 'Africa/Lagos');
    assert.equal(p.utc_offset_minutes, 60);
    // 2026-12-02 13:05 UTC.
    assert.deepEqual(p.time_example, {
      device: '2026-12-02 14:05', kolkata: '2026-12-02 18:35', unknown_zone: '2026-12-02 14:05',
    });
  });
  await context.close();
});
