// At the counter, in Debian's Chromium against the real server (one store
// for the file's tests).
// The receipt printer without a dialog: a fake Web Serial port (navigator.serial replaced before the
// page loads, recording every byte written, able to fail or hang) and a fake
// network printer (a TCP listener the store server relays to).
// - Device → Receipt printer → serial → Choose printer → Print test page:
//   the port receives an ESC/POS job (ESC @, the code page, the QR code, the
//   cut, the drawer kick).
// - A cash sale prints its receipt by itself after "Sale complete"; a
//   printer that hangs does not hold up the next sale; one that fails says
//   so and "Print again" prints the same receipt; so does a reprint from
//   Sales, on the sale's own screen.
// - "No sale (open drawer)" is recorded on the server (drawer_opens and the
//   audit log) before the kick reaches the port.
// - A network printer receives the exact bytes through the store server.
// - The store's logo (a PNG in the settings) prints first, as GS v 0 raster
//   rows whose dots match the picture.
// Camera scanning: the till's Camera button with Chromium's fake camera
// showing a demo product's EAN-13 adds the product, once per read.
// The customer display: a second window of the same browser
// (customer.html), opened from Device, follows the cart, the total and the
// completed sale, with the server stopped too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ean13, writeY4m } from './lib/fake_camera.mjs';
import { launchBrowser, tillState, click, clickId, withScreenshotOnFailure } from './lib/harness.mjs';
import { startStore, enrol, sell, waitFor, api, ownerToken, sql, clickToScreen, openTill, OWNER } from './lib/till.mjs';

let browser;
let store;
before(async () => {
  browser = await launchBrowser();
  store = await startStore();
});
after(async () => {
  await browser?.close();
  await store?.remove();
});

// navigator.serial with one port (USB 0416:5011) that records each job (one
// open .. close) in window.fakeSerial.jobs; .fail makes writes throw, .hang
// makes them wait until .release() is called.
function fakeSerial() {
  const state = { jobs: [], fail: false, hang: false, opens: 0, baud: 0, waiting: [] };
  state.release = () => { state.hang = false; for (const r of state.waiting.splice(0)) r(); };
  window.fakeSerial = state;
  let granted = false;
  const port = {
    opened: false,
    getInfo: () => ({ usbVendorId: 0x0416, usbProductId: 0x5011 }),
    async open({ baudRate }) {
      if (port.opened) throw new DOMException('The port is already open.', 'InvalidStateError');
      port.opened = true;
      state.opens += 1;
      state.baud = baudRate;
      const job = [];
      state.jobs.push(job);
      port.writable = new WritableStream({
        async write(chunk) {
          if (state.hang) await new Promise((resolve) => state.waiting.push(resolve));
          if (state.fail) throw new DOMException('The device has been lost.', 'NetworkError');
          job.push(...chunk);
        },
      });
    },
    async close() { port.opened = false; },
  };
  Object.defineProperty(navigator, 'serial', {
    configurable: true,
    value: {
      requestPort: async () => { granted = true; return port; },
      getPorts: async () => (granted ? [port] : []),
    },
  });
}

const ESC = 0x1b;
const GS = 0x1d;

function indexOfBytes(haystack, needle) {
  for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    if (needle.every((b, k) => haystack[i + k] === b)) return i;
  }
  return -1;
}
const has = (bytes, needle) => indexOfBytes(bytes, needle) >= 0;
const ascii = (text) => Array.from(Buffer.from(text, 'latin1'));

async function jobs(page) {
  return page.evaluate(() => window.fakeSerial.jobs.map((j) => Array.from(j)));
}

async function waitJob(page, predicate, arg) {
  await waitFor(page, predicate, arg, 30000);
  return (await tillState(page)).printer;
}

// A page of its own browser context with the fake serial port in place.
async function serialPage(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(fakeSerial);
  t.after(async () => { await context.close().catch(() => {}); });
  return context.newPage();
}

// Device → Receipt printer → serial → Choose printer… (the fake port):
// resolves with the printer state once the port is chosen.
async function chooseSerialPrinter(page) {
  await clickToScreen(page, 'Device', 'device');
  await clickToScreen(page, 'Receipt printer', 'printer');
  await click(page, 'USB or Bluetooth printer (serial port)');
  await waitFor(page, () => window.salespider.state().printer.link === 'serial');
  await click(page, 'Choose printer…');
  return waitJob(page, () => window.salespider.state().printer.device !== '');
}

test('receipts, the test page and the no-sale drawer go to a serial printer without a dialog', async (t) => {
  const page = await serialPage(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    let s = await tillState(page);
    assert.equal(s.printer.link, 'dialog', 'a new till prints through the dialog');
    assert.equal(s.printer.has_serial, true);

    // Device → Receipt printer → serial → choose the port.
    s = await chooseSerialPrinter(page);
    assert.equal(s.device, 'USB serial port 0416:5011');
    assert.equal(s.escpos, true);

    // The test page: one job on the port, a whole ESC/POS receipt.
    await click(page, 'Print test page');
    let p = await waitJob(page, () => window.salespider.state().printer.job?.state === 'printed');
    assert.equal(p.job.what, 'test page');
    let sent = await jobs(page);
    assert.equal(sent.length, 1);
    const test = sent[0];
    assert.deepEqual(test.slice(0, 2), [ESC, 0x40], 'ESC @ first');
    assert.ok(has(test, [ESC, 0x74, 19]), 'code page PC858 (ESC t 19)');
    assert.ok(has(test, [GS, 0x28, 0x6b]), 'a QR code (GS ( k)');
    assert.ok(has(test, [GS, 0x56]), 'a cut (GS V)');
    assert.ok(has(test, [ESC, 0x70, 0]), 'the drawer kick (ESC p): the test page is paid cash');
    assert.ok(has(test, ascii('TEST-000001')));
    assert.equal(await page.evaluate(() => window.fakeSerial.baud), 9600);

    // A cash sale prints its receipt by itself once it is complete.
    await clickToScreen(page, 'Back', 'device');
    await clickToScreen(page, 'Back', 'till');
    const first = await sell(page);
    p = await waitJob(page, (n) => window.salespider.state().printer.job?.what === `receipt ${n}`
      && window.salespider.state().printer.job.state === 'printed', first.receipt_number);
    sent = await jobs(page);
    assert.equal(sent.length, 2);
    assert.ok(has(sent[1], ascii(first.receipt_number)), 'the receipt number is on the paper');
    assert.ok(has(sent[1], [ESC, 0x70, 0]), 'a cash sale opens the drawer');
    assert.ok(!has(sent[1], ascii('COPY')), 'the first print is no copy');

    // A printer that takes nothing does not hold up the till: the next sale
    // completes while the receipt waits.
    await page.evaluate(() => { window.fakeSerial.hang = true; });
    const second = await sell(page);
    await waitJob(page, (n) => window.salespider.state().printer.job?.what === `receipt ${n}`
      && window.salespider.state().printer.job.state === 'sending', second.receipt_number);
    const third = await sell(page);
    s = await tillState(page);
    assert.equal(s.completed.receipt_number, third.receipt_number, 'the third sale completed with a receipt still printing');
    assert.equal(s.printer.queued, 1, 'its receipt waits behind the one printing');
    await page.evaluate(() => window.fakeSerial.release());
    await waitJob(page, (n) => window.salespider.state().printer.job?.what === `receipt ${n}`
      && window.salespider.state().printer.job.state === 'printed', third.receipt_number);
    sent = await jobs(page);
    assert.equal(sent.length, 4);
    assert.ok(has(sent[2], ascii(second.receipt_number)) && has(sent[3], ascii(third.receipt_number)),
      'the receipts printed in order, each whole');

    // A failed print says so and "Print again" prints the same receipt.
    await page.evaluate(() => { window.fakeSerial.fail = true; });
    const fourth = await sell(page);
    p = await waitJob(page, () => window.salespider.state().printer.job?.state === 'failed');
    assert.equal(p.job.what, `receipt ${fourth.receipt_number}`);
    assert.match(p.job.error, /lost/);
    assert.equal((await tillState(page)).completed.receipt_number, fourth.receipt_number, 'the sale stays complete');
    await page.evaluate(() => { window.fakeSerial.fail = false; });
    await click(page, 'Print again');
    await waitJob(page, () => window.salespider.state().printer.job?.state === 'printed');
    sent = await jobs(page);
    assert.ok(has(sent.at(-1), ascii(fourth.receipt_number)), 'the reprint is the failed receipt');

    // A reprint from Sales prints in the background too: when it fails, the
    // sale's screen says so and offers Print again.
    await page.evaluate(() => { window.fakeSerial.fail = true; });
    await clickToScreen(page, 'Sales', 'history');
    await waitFor(page, () => window.salespider.state().history.items.length > 0);
    const [item] = (await tillState(page)).history.items;
    await clickId(page, `##sale-${item.sale_id}`);
    await waitFor(page, () => window.salespider.state().sale_detail !== null);
    await clickId(page, '###reprint');
    await waitJob(page, (n) => window.salespider.state().printer.job?.what === `receipt ${n}`
      && window.salespider.state().printer.job.state === 'failed', item.receipt_number);
    await page.evaluate(() => { window.fakeSerial.fail = false; });
    await clickId(page, '###print-again');
    await waitJob(page, () => window.salespider.state().printer.job?.state === 'printed');
    assert.equal((await tillState(page)).screen, 'history', 'printed again from the sale\'s screen');
    sent = await jobs(page);
    assert.ok(has(sent.at(-1), ascii(item.receipt_number)) && has(sent.at(-1), ascii('COPY')), 'the copy of that sale');
    await clickToScreen(page, 'Back', 'till');

    // No sale: recorded on the server first, then only the kick goes out.
    await clickToScreen(page, 'Shift', 'shift');
    const before = sent.length;
    await click(page, 'No sale (open drawer)');
    await waitFor(page, () => window.salespider.state().message?.text === 'Drawer opened (no sale, recorded).');
    await waitJob(page, () => window.salespider.state().printer.job?.what === 'drawer'
      && window.salespider.state().printer.job.state === 'printed');
    sent = await jobs(page);
    assert.equal(sent.length, before + 1);
    assert.deepEqual(sent.at(-1), [ESC, 0x40, ESC, 0x70, 0, 50, 250], 'ESC @ and the kick (pin 2, 100 ms on, 500 ms off), nothing else');
    const [[opens]] = sql(store.dataPath, 'SELECT count(*) FROM drawer_opens');
    assert.equal(opens, '1');
    const [[audited]] = sql(store.dataPath, "SELECT count(*) FROM audit_log WHERE action = 'drawer.no_sale'");
    assert.equal(audited, '1');

    // The setup is this till's: it is there after a reload.
    await page.reload();
    await waitFor(page, () => window.salespider.state().ready && window.salespider.state().printer.link === 'serial');
    assert.equal((await tillState(page)).printer.device, 'USB serial port 0416:5011');
  });
});

test('a network printer gets the exact bytes through the store server', async (t) => {
  const received = [];
  const printer = net.createServer((socket) => {
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => { received.push(Buffer.concat(chunks)); socket.end(); });
  });
  await new Promise((resolve) => printer.listen(0, '127.0.0.1', resolve));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    printer.close();
  });
  await withScreenshotOnFailure(t, page, async () => {
    const token = await ownerToken(store.server);
    const added = await api(store.server, 'POST', '/api/v1/printers',
      { name: 'Front counter', host: '127.0.0.1', port: printer.address().port, code_page: 'cp850' }, token);
    await enrol(page, store.server.url, 'Bar');
    await clickToScreen(page, 'Device', 'device');
    await clickToScreen(page, 'Receipt printer', 'printer');
    await click(page, 'Network printer (through the store server)');
    await waitFor(page, () => window.salespider.state().printer.network.length === 1);
    await click(page, 'Front counter · 80 mm');
    await waitFor(page, (id) => window.salespider.state().printer.network_id === id, added.id);
    await click(page, 'Print test page');
    const p = await waitJob(page, () => ['printed', 'failed'].includes(window.salespider.state().printer.job?.state));
    assert.equal(p.job.state, 'printed', p.job.error);
    for (let i = 0; i < 50 && received.length === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.equal(received.length, 1);
    const bytes = Array.from(received[0]);
    assert.deepEqual(bytes.slice(0, 2), [ESC, 0x40]);
    assert.ok(has(bytes, [0x00]), 'NUL bytes survive the relay (the body is bytes, not text)');
    assert.ok(bytes.some((b) => b > 0x7f), 'bytes over 0x7F survive too (the code page and rasters)');
    assert.ok(has(bytes, ascii('TEST-000001')));
  });
});

test('the customer display follows the cart in a second window, with the server down too', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    if (!store.server) await store.start();
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Window');
    // Device → Customer display opens the window (the click's activation allows it).
    await clickToScreen(page, 'Device', 'device');
    const opened = context.waitForEvent('page');
    await click(page, 'Customer display');
    const display = await opened;
    await display.waitForLoadState();
    assert.match(display.url(), /\/customer\.html$/);
    const shown = () => display.evaluate(() => ({
      state: document.getElementById('display').dataset.state,
      welcome: document.getElementById('welcome').textContent,
      lines: Array.from(document.querySelectorAll('#lines tr'), (r) => Array.from(r.cells, (c) => c.textContent)),
      total: document.getElementById('total').textContent,
      totalShown: !document.getElementById('row-total').hidden,
    }));
    await display.waitForFunction(() => document.getElementById('display').dataset.state === 'idle');
    assert.equal((await shown()).welcome, 'Welcome');
    await clickToScreen(page, 'Back', 'till');

    // A scan reaches the display: the line, its total, the cart's total.
    await page.keyboard.type('D10000');
    await page.keyboard.press('Enter');
    await display.waitForFunction(() => document.querySelectorAll('#lines tr').length === 1);
    let d = await shown();
    let s = await tillState(page);
    assert.equal(d.state, 'cart');
    assert.equal(d.lines[0][0], s.cart.lines[0].name);
    assert.equal(d.lines[0][1], '1');
    assert.ok(d.totalShown && /\d/.test(d.total), `a total is shown (${d.total})`);

    // The server stops: the display has no need of it.
    await store.stop();
    store.server = null;
    await page.keyboard.type('D10000');
    await page.keyboard.press('Enter');
    await display.waitForFunction(() => document.querySelector('#lines tr td.qty')?.textContent === '2');
    d = await shown();
    s = await tillState(page);
    assert.equal(d.lines.length, 1, 'the same product again: one line, quantity 2');
    await page.keyboard.press('F4');
    await waitFor(page, () => window.salespider.state().completed !== null, null, 15000);
    await display.waitForFunction(() => document.getElementById('display').dataset.state === 'complete');
    d = await shown();
    assert.equal(d.welcome, 'Thank you!');
    assert.equal(d.lines.length, 1);

    // A display opened later (or reloaded) gets what the till shows now.
    await display.reload();
    await display.waitForFunction(() => document.getElementById('display').dataset.state === 'complete');
  });
});

test('a screen reader finds the till\'s widgets by role, name and state, and operates them from the keyboard', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  t.after(async () => { await context.close().catch(() => {}); });
  await withScreenshotOnFailure(t, page, async () => {
    await openTill(page, store.server.url);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Accessibility.enable');
    // Chromium's accessibility tree, as a screen reader gets it.
    const tree = async () => (await cdp.send('Accessibility.getFullAXTree')).nodes
      .filter((n) => !n.ignored)
      .map((n) => ({
        role: n.role?.value,
        name: n.name?.value,
        props: Object.fromEntries((n.properties || []).map((p) => [p.name, p.value?.value])),
      }));
    const mirrored = (name) => page.waitForFunction((n) => Array.from(document.querySelectorAll('#a11y [aria-label]'))
      .some((e) => e.getAttribute('aria-label') === n), name, { timeout: 15000 });

    await mirrored('Open till');
    let nodes = await tree();
    assert.ok(nodes.some((n) => n.role === 'button' && n.name === 'Open till'), 'the welcome screen\'s button is a named button');

    // Keyboard only: Tab reaches the mirrored button, Enter presses it.
    await page.focus('#a11y [aria-label="Open till"]');
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().screen === 'enrol');
    await mirrored('Enrol this till');
    nodes = await tree();
    const textboxes = nodes.filter((n) => n.role === 'textbox').map((n) => n.name);
    for (const name of ['Manager e-mail or username', 'Password', 'Till name']) {
      assert.ok(textboxes.includes(name), `a text field named "${name}" (${textboxes.join(' | ')})`);
    }
    const enrolButton = nodes.find((n) => n.role === 'button' && n.name === 'Enrol this till');
    assert.equal(enrolButton.props.disabled, true, 'a button that cannot be used yet says so');

    // Focus order follows the screen: the fields, then the button.
    const order = await page.evaluate(() => Array.from(document.querySelectorAll('#a11y > *'), (e) => e.getAttribute('aria-label')));
    assert.ok(order.indexOf('Enrol this till') > order.indexOf('Till name'), `focus order: ${order.join(' | ')}`);

    // Focusing a mirrored text field activates the till's field, so typing
    // fills it: with all three filled the button becomes usable, and Enter
    // on it enrols the till — no mouse, no canvas.
    for (const [name, text] of [['Manager e-mail or username', OWNER.login], ['Password', OWNER.password], ['Till name', 'Counter 2']]) {
      await page.focus(`#a11y [aria-label="${name}"]`);
      await page.waitForTimeout(150);
      await page.keyboard.type(text);
    }
    await page.waitForFunction(() => document.querySelector('#a11y [aria-label="Enrol this till"]')?.getAttribute('aria-disabled') === 'false',
      null, { timeout: 10000 });
    await page.focus('#a11y [aria-label="Enrol this till"]');
    assert.equal(await page.evaluate(() => document.getElementById('a11y-focus').hidden), false, 'the focus ring shows where the focus is');
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().till.enrolled && window.salespider.state().user !== null);
    // The mirror follows the screen: the enrol form's widgets are gone.
    await page.waitForFunction(() => !document.querySelector('#a11y [aria-label="Enrol this till"]'), null, { timeout: 10000 });
  });
});

test('the camera adds the product whose barcode it reads, like a scanner', async (t) => {
  const [[barcode, name]] = sql(store.dataPath, `SELECT b.barcode, p.name FROM products p
    JOIN barcodes b ON b.product_id = p.id WHERE p.sku = 'D10000' ORDER BY b.barcode LIMIT 1`);
  assert.match(barcode, /^\d{13}$/);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'salespider-camera-'));
  writeY4m(path.join(dir, 'product.y4m'), [ean13(barcode)]);
  const cameraBrowser = await launchBrowser({
    args: ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${path.join(dir, 'product.y4m')}`],
  });
  const context = await cameraBrowser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['camera'] });
  const page = await context.newPage();
  t.after(async () => {
    await cameraBrowser.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Camera');
    assert.equal((await tillState(page)).printer.camera.supported, true);
    await click(page, 'Camera');
    await waitFor(page, () => window.salespider.state().printer.camera.open);
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1, null, 30000);
    const s = await tillState(page);
    assert.equal(s.cart.lines[0].name, name);
    // Held in view, the code counts again only after the pause (1.5 s), not every frame.
    const q = s.cart.lines[0].quantity_milli;
    await page.waitForTimeout(700);
    assert.ok((await tillState(page)).cart.lines[0].quantity_milli <= q + 1000, 'not one line per video frame');
    // Done closes the camera; the till is as it was.
    await page.click('#salespider-scanner button');
    await waitFor(page, () => !window.salespider.state().printer.camera.open);
    assert.equal(await page.evaluate(() => window.SaleSpiderScanner.state().open), false);
  });
});

// Last in the file: the store keeps the logo for good.
test('the store\'s logo prints at the top of the paper as a raster image', async (t) => {
  const page = await serialPage(t);
  await withScreenshotOnFailure(t, page, async () => {
    // A 96×48 logo, the left half black and the right half white, as the
    // owner uploads it (a PNG data URL in the store settings).
    const logo = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 96;
      c.height = 48;
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 96, 48);
      g.fillStyle = '#000';
      g.fillRect(0, 0, 48, 48);
      return c.toDataURL('image/png');
    });
    const token = await ownerToken(store.server);
    const settings = await api(store.server, 'GET', '/api/v1/settings', null, token);
    await api(store.server, 'PATCH', '/api/v1/settings', { row_version: settings.row_version, logo }, token);

    await enrol(page, store.server.url, 'Logo');
    await chooseSerialPrinter(page);
    await click(page, 'Print test page');
    const p = await waitJob(page, () => ['printed', 'failed'].includes(window.salespider.state().printer.job?.state));
    assert.equal(p.job.state, 'printed', p.job.error);
    const [job] = await jobs(page);
    // GS v 0 m, 12 bytes (96 dots) a row, 48 rows, before any text.
    const at = indexOfBytes(job, [GS, 0x76, 0x30, 0]);
    assert.ok(at > 0, 'a raster image (GS v 0) in the job');
    assert.deepEqual(job.slice(at + 4, at + 8), [12, 0, 48, 0], '96 × 48 dots');
    assert.ok(at < indexOfBytes(job, ascii('TEST-000001')), 'the logo comes before the receipt');
    const rows = job.slice(at + 8, at + 8 + 12 * 48);
    for (let y = 0; y < 48; y += 1) {
      assert.deepEqual(rows.slice(y * 12, y * 12 + 12), [...Array(6).fill(0xff), ...Array(6).fill(0)],
        `row ${y}: black on the left, white on the right`);
    }
  });
});
