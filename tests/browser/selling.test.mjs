// Selling the way cashiers do it, in Debian's Chromium against the real store
// server: a sale by scanner only, by touch only on a phone, split tender,
// discounts within and beyond the cashier's limit (a manager's PIN on the
// spot), park / reload / resume, and the printable receipt. Touch targets
// are measured from the rects the till reports (ux.md: 44 / 56 / 64 px).
// Screenshots of the till, the payment screen and a receipt are kept as
// artifacts (SALESPIDER_ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  ARTIFACTS, launchBrowser, tillState, widgets, findWidget, centre, click, withScreenshotOnFailure, waitReady, inputRead, widgetById,
} from './lib/harness.mjs';
import {
  startStore, sql, enrol, addStaff, fill, waitFor, waitScreen, signOut, signIn, waitSynced,
} from './lib/till.mjs';

// Frames the till drew at once (platform::frame_now(), frames() column 8)
// and sent to WebGL (column 7) since `since` (performance.now() of the page,
// column 1: the frame's start): earlier ones, such as the shift's open, do
// not count.
function framesAtOnceSince(page, since) {
  return page.evaluate((t) => window.salespider.frames().filter((f) => f[1] >= t && f[8] === 1 && f[7] === 1).length, since);
}

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true };

async function setUp(t, options = DESKTOP, { timeZone, tenders } = {}) {
  const store = await startStore();
  if (timeZone) sql(store.dataPath, `UPDATE settings SET time_zone = '${timeZone}'`);
  if (tenders) sql(store.dataPath, `UPDATE settings SET enabled_tenders = ARRAY[${tenders.map((k) => `'${k}'`).join(',')}]`);
  const context = await browser.newContext(options);
  const page = await context.newPage();
  t.after(async () => {
    await context.close().catch(() => {});
    await store.remove();
  });
  return { store, context, page };
}

function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return page.screenshot({ path: path.join(ARTIFACTS, `selling-${name}.png`) });
}

// The barcode and price of a demo product, from PostgreSQL.
function product(dataPath, sku) {
  const [[code, price, name]] = sql(dataPath, `SELECT b.barcode, p.price_minor, p.name FROM products p
    JOIN barcodes b ON b.product_id = p.id WHERE p.sku = '${sku}' ORDER BY b.barcode LIMIT 1`);
  return { code, price: Number(price), name };
}

async function tap(page, label, role = 'button') {
  const w = await findWidget(page, label, role);
  if (!w.enabled) throw new Error(`widget "${label}" is disabled`);
  const c = centre(w);
  await page.touchscreen.tap(c.x, c.y);
}

async function lines(page) {
  return (await tillState(page)).cart.lines;
}

// A keyboard-wedge scanner: characters a few ms apart, then Enter.
async function scanBurst(page, code) {
  const before = (await lines(page)).reduce((n, l) => n + l.quantity_milli, 0);
  await page.keyboard.type(code, { delay: 8 });
  await page.keyboard.press('Enter');
  await waitFor(page, (n) => window.salespider.state().cart.lines.reduce((m, l) => m + l.quantity_milli, 0) > n,
    before, 15000);
}

test('a sale by scanner only: a burst + Enter adds the product with no field focused, F4 pays it', async (t) => {
  const { store, page } = await setUp(t, { ...DESKTOP, hasTouch: true });
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    const a = product(store.dataPath, 'D10001');
    const b = product(store.dataPath, 'D10002');
    // A tap makes this a touch till: no field takes the focus by itself.
    const all = await findWidget(page, 'All');
    await page.touchscreen.tap(centre(all).x, centre(all).y);
    await inputRead(page); // not a fixed pause: on a loaded machine the tap is read later
    assert.equal(await page.evaluate(() => window.salespider.state().text_input), false, 'no field has the focus');
    await scanBurst(page, a.code);
    await scanBurst(page, b.code);
    await scanBurst(page, a.code);
    let s = await tillState(page);
    assert.deepEqual(s.cart.lines.map((l) => [l.name, l.quantity_milli]), [[a.name, 2000], [b.name, 1000]]);

    // Unknown barcode: said clearly, nothing added.
    await page.keyboard.type('99999999999', { delay: 8 });
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().message?.kind === 'error');
    s = await tillState(page);
    assert.match(s.message.text, /Unknown barcode 99999999999/);
    assert.equal(s.cart.lines.length, 2);

    const beforeF4 = await page.evaluate(() => performance.now());
    await page.keyboard.press('F4');
    await waitFor(page, () => window.salespider.state().completed !== null);
    s = await tillState(page);
    assert.equal(s.completed.total, 2 * a.price + b.price);
    // F4 (a function key) and the sale becoming durable each drew a frame at
    // once, not at the next animation frame (frames() column 8: run at once).
    assert.ok(await framesAtOnceSince(page, beforeF4) >= 2, 'F4 and "Sale complete" were drawn at once');
    await waitSynced(page);
    const [[total]] = sql(store.dataPath, `SELECT total_minor FROM sales WHERE till_id = '${till.id}'`);
    assert.equal(Number(total), 2 * a.price + b.price);
  });
});

test('a sale by touch only on a phone: tiles, the bottom sheet, Pay and a quick amount; targets big enough', async (t) => {
  const { store, page } = await setUp(t, PHONE);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    await waitFor(page, () => window.salespider.state().browse.products > 0);
    // Counted products (a weighed one opens the weight keypad first). A
    // tile the bottom sheet cuts is tapped where it shows, near its top.
    const tiles = (await widgets(page)).filter((w) => w.full_label.includes('##tile-') && !w.label.includes('/kg'));
    assert.ok(tiles.length >= 2, 'product tiles are on screen');
    const shown = (w) => ({ x: centre(w).x, y: w.rect.y + 24 });
    await page.touchscreen.tap(shown(tiles[0]).x, shown(tiles[0]).y);
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
    await page.touchscreen.tap(shown(tiles[1]).x, shown(tiles[1]).y);
    await waitFor(page, () => window.salespider.state().cart.lines.length === 2);

    // Pay is visible without opening the sheet.
    const payButton = await findWidget(page, 'Pay', 'button');
    assert.ok(payButton.rect.y + payButton.rect.h <= PHONE.viewport.height, 'Pay is on screen');
    await shot(page, 'phone-till');

    // Every target ux.md names, measured.
    const small = (await widgets(page)).filter((w) => w.role === 'button' && (w.rect.h < 44 || w.rect.w < 44));
    assert.deepEqual(small.map((w) => w.label), [], 'buttons at least 44 px');
    assert.ok(payButton.rect.h >= 56, `Pay is ${payButton.rect.h} px tall`);

    await tap(page, 'Pay');
    await waitScreen(page, 'pay');
    const keys = (await widgets(page)).filter((w) => w.full_label.includes('##key-'));
    assert.equal(keys.length, 12, 'the cash keypad');
    for (const k of keys) assert.ok(k.rect.w >= 64 && k.rect.h >= 64, `key ${k.label}: ${k.rect.w}x${k.rect.h}`);
    const complete = await widgetById(page, '###complete');
    assert.ok(complete.rect.h >= 56, 'Complete sale is a primary action');
    const tinyOnPay = (await widgets(page)).filter((w) => w.role === 'button' && (w.rect.h < 44 || w.rect.w < 44));
    assert.deepEqual(tinyOnPay.map((w) => w.label), []);
    await shot(page, 'phone-pay');

    const due = (await tillState(page)).cart.cash_due;
    const quick = await widgetById(page, '###quick-1');
    const beforeTap = await page.evaluate(() => performance.now());
    await page.touchscreen.tap(centre(quick).x, centre(quick).y);
    await waitFor(page, () => window.salespider.state().completed !== null);
    const c = (await tillState(page)).completed;
    assert.ok(c.tendered > due && c.change === c.tendered - due, JSON.stringify(c));
    // No key was pressed: the one frame drawn at once is "Sale complete",
    // drawn as soon as the journal transaction completed.
    assert.ok(await framesAtOnceSince(page, beforeTap) >= 1, '"Sale complete" was drawn at once');
  });
});

test('split tender: card for part, cash for the rest, change from cash only', async (t) => {
  const { store, page } = await setUp(t, DESKTOP, { tenders: ['cash', 'card', 'mobile_money'] });
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    const a = product(store.dataPath, 'D10003');
    await page.keyboard.type(a.code);
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
    await page.keyboard.press('=');  // + one more
    await waitFor(page, () => window.salespider.state().cart.lines[0]?.quantity_milli === 2000);
    const total = 2 * a.price;
    await page.keyboard.press('F6');
    await waitScreen(page, 'pay');
    await shot(page, 'desktop-pay');

    const card = Math.floor(total / 3);
    await fill(page, '##tendered', (card / 100).toFixed(2));
    const cardButton = await widgetById(page, '###tender-card');
    assert.equal(cardButton.label, `Card $${(card / 100).toFixed(2)}`, 'the card pays the typed part');
    assert.ok(await widgetById(page, '###tender-mobile_money'), 'one button per enabled tender');
    assert.ok(!(await widgets(page)).some((w) => w.full_label.endsWith('###tender-bank_transfer')), 'not the disabled ones');
    await page.mouse.click(centre(cardButton).x, centre(cardButton).y);
    await waitFor(page, () => window.salespider.state().pay.payments.length === 1);
    let s = await tillState(page);
    assert.deepEqual(s.pay.payments, [{ kind: 'card', amount: card }]);
    assert.equal(s.pay.remaining, total - card);

    // A card cannot take more than what is left: only cash gives change.
    await fill(page, '##tendered', ((total) / 100).toFixed(2));
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().completed !== null);
    s = await tillState(page);
    assert.equal(s.completed.payments, 2);
    assert.equal(s.completed.change, total - (total - card), 'change = cash handed over - cash due');
    await waitSynced(page);
    const rows = sql(store.dataPath, `SELECT p.tender, p.amount_minor FROM payments p JOIN sales s ON s.id = p.sale_id
      WHERE s.till_id = '${till.id}' ORDER BY p.tender`);
    assert.deepEqual(rows.map(([k]) => k), ['card', 'cash']);
    assert.equal(Number(rows[0][1]), card);
    const [[change]] = sql(store.dataPath, `SELECT change_minor FROM sales WHERE till_id = '${till.id}'`);
    assert.equal(Number(change), s.completed.change, 'the server computed the same change');
  });
});

async function openLine(page, index) {
  const row = (await widgets(page)).filter((w) => w.full_label.endsWith('##line'))[index];
  await page.mouse.click(centre(row).x, centre(row).y);
  await waitFor(page, (i) => window.salespider.state().cart.selected === i, index);
}

async function keypadType(page, text) {
  await waitFor(page, () => window.salespider.widgets().some((w) => w.full_label.endsWith('##key-0')));
  for (const ch of text) {
    const w = await widgetById(page, `##key-${ch === '.' ? '.' : ch}`);
    await page.mouse.click(centre(w).x, centre(w).y);
  }
  // The keypad's value is drawn (and Apply enabled) in the next frame.
  await waitFor(page, () => window.salespider.widgets().some((w) => w.label.startsWith('Apply') && w.enabled));
}

test('discounts: within the limit at once, beyond it only with a manager\'s PIN; the server sees who approved', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    await addStaff(store, page);
    const a = product(store.dataPath, 'D10004');
    await page.keyboard.type(a.code);
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1);

    // 5% off the line: within the cashier's 10%.
    await openLine(page, 0);
    await click(page, '% off');
    await keypadType(page, '5');
    await click(page, 'Apply');
    await waitFor(page, () => window.salespider.state().cart.discount_total > 0);
    let s = await tillState(page);
    assert.equal(s.approval, null);
    assert.equal(s.cart.lines[0].discounts, 1);

    // 30% off the whole sale: beyond it, a manager approves on the spot.
    await click(page, 'Discount');
    await keypadType(page, '30');
    await click(page, 'Apply');
    await waitFor(page, () => window.salespider.state().approval !== null);
    s = await tillState(page);
    assert.match(s.approval.reason, /beyond your limit of 10%/);
    const before = s.cart.total;
    await fill(page, '##approver-login', 'manager1');
    await fill(page, '##approver-pin', '000000');
    await click(page, 'Approve');
    await waitFor(page, () => window.salespider.state().message?.kind === 'error' && !window.salespider.state().busy);
    assert.equal((await tillState(page)).cart.total, before, 'a wrong PIN changes nothing');
    await fill(page, '##approver-pin', '482916');
    await click(page, 'Approve');
    await waitFor(page, () => window.salespider.state().approval === null && window.salespider.state().cart.approved_by);
    s = await tillState(page);
    assert.equal(s.cart.approved_by, 'Mo Manager');
    assert.ok(s.cart.total < before);

    await page.keyboard.press('F4');
    await waitFor(page, () => window.salespider.state().completed !== null);
    await waitSynced(page);
    const [[discount]] = sql(store.dataPath, `SELECT discount_minor FROM sales WHERE till_id = '${till.id}'`);
    assert.ok(Number(discount) > 0);
    const flags = sql(store.dataPath, `SELECT f.kind FROM op_flags f JOIN sales s ON s.id = f.sale_id
      WHERE s.till_id = '${till.id}'`);
    assert.deepEqual(flags, [], 'the approved discount is within the approver\'s limit: nothing flagged');
  });
});

test('park, reload, resume: parked and in-progress carts survive a reload', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    const a = product(store.dataPath, 'D10005');
    const b = product(store.dataPath, 'D10006');
    const c = product(store.dataPath, 'D10007');
    for (const p of [a, b]) {
      await page.keyboard.type(p.code);
      await page.keyboard.press('Enter');
    }
    await waitFor(page, () => window.salespider.state().cart.lines.length === 2);
    await page.keyboard.press('F8');
    await waitFor(page, () => window.salespider.state().parked.length === 1);
    assert.equal((await lines(page)).length, 0);
    await page.keyboard.type(c.code);
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
    // The drafts record is written just after the change: wait until IndexedDB holds it.
    await page.waitForFunction(() => new Promise((resolve) => {
      const open = indexedDB.open('salespider-till');
      open.onerror = () => resolve(false);
      open.onsuccess = () => {
        const r = open.result.transaction('meta', 'readonly').objectStore('meta').get('drafts');
        r.onsuccess = () => {
          open.result.close();
          const d = r.result ? JSON.parse(r.result) : null;
          resolve(d !== null && d.cart.lines.length === 1 && d.parked.length === 1);
        };
        r.onerror = () => { open.result.close(); resolve(false); };
      };
    }), null, { timeout: 10000, polling: 100 });

    await page.reload();
    await waitReady(page);
    await click(page, 'Open till');
    await signIn(page);
    let s = await tillState(page);
    assert.equal(s.drafts_restored, true);
    assert.deepEqual(s.cart.lines.map((l) => l.name), [c.name], 'the cart in progress is back');
    assert.equal(s.parked.length, 1);
    assert.equal(s.parked[0].lines, 2);

    await page.keyboard.press('F9');
    await waitScreen(page, 'parked');
    await click(page, 'Resume');
    await waitScreen(page, 'till');
    s = await tillState(page);
    assert.deepEqual(s.cart.lines.map((l) => l.name), [a.name, b.name]);
    assert.equal(s.parked.length, 1, 'the cart in progress was parked in its place');
    await shot(page, 'desktop-till');
  });
});

test('a parked sale is voided with a reason and a manager\'s approval, and the server records the void', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    const { till } = await enrol(page, store.server.url);
    await addStaff(store, page);
    const a = product(store.dataPath, 'D10008');
    await page.keyboard.type(a.code);
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
    await page.keyboard.press('F8');
    await waitFor(page, () => window.salespider.state().parked.length === 1);
    const saleId = (await tillState(page)).parked[0].sale_id;
    await page.keyboard.press('F9');
    await waitScreen(page, 'parked');
    await fill(page, '##void-reason', 'customer left');
    await click(page, 'Void');
    await waitFor(page, () => window.salespider.state().approval !== null);
    await fill(page, '##approver-login', 'manager1');
    await fill(page, '##approver-pin', '482916');
    await click(page, 'Approve');
    await waitFor(page, () => window.salespider.state().parked.length === 0);
    await waitSynced(page);
    const rows = sql(store.dataPath, `SELECT action FROM audit_log WHERE actor_till_id = '${till.id}'
      AND action = 'sale.voided' AND entity_id = '${saleId}'`);
    assert.deepEqual(rows, [['sale.voided']]);
    const [[status]] = sql(store.dataPath, `SELECT status FROM applied_ops WHERE till_id = '${till.id}' AND kind = 'void'`);
    assert.equal(status, 'applied');
  });
});

test('the receipt: printable HTML with totals, tax lines and the store\'s time zone; a reprint says COPY', async (t) => {
  const { store, context, page } = await setUp(t, DESKTOP, { timeZone: 'Asia/Kolkata' });
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    const a = product(store.dataPath, 'D10009');
    await page.keyboard.type(a.code);
    await page.keyboard.press('Enter');
    await waitFor(page, () => window.salespider.state().cart.lines.length === 1);
    const cart = (await tillState(page)).cart;
    await page.keyboard.press('F4');
    await waitFor(page, () => window.salespider.state().completed !== null);
    const done = (await tillState(page)).completed;
    await page.keyboard.press('F7');
    await waitFor(page, () => typeof window.salespider.lastReceiptHtml === 'function'
      && (window.salespider.lastReceiptHtml() ?? '').length > 0);
    const html = await page.evaluate(() => window.salespider.lastReceiptHtml());
    assert.match(html, new RegExp(done.receipt_number));
    assert.match(html, /Asia\/Kolkata/);
    assert.ok(html.includes(done.time), `the receipt shows ${done.time}`);
    // The time is the store's: India is UTC+05:30, whatever the browser's zone.
    const kolkata = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit',
      hourCycle: 'h23' }).format(new Date());
    assert.ok(done.time.includes(kolkata.slice(0, 2)), `${done.time} vs ${kolkata}`);
    const money = (minor) => (minor / 100).toFixed(2);
    assert.ok(html.includes(money(cart.total)), 'the total');
    if (cart.tax > 0) assert.ok(html.includes(money(cart.tax)), 'the tax');
    assert.match(html, /VAT|ZERO|EXEMPT/);
    assert.doesNotMatch(html, /COPY/);

    await page.keyboard.press('F7');
    await waitFor(page, () => window.salespider.state().completed.prints === 2);
    const copy = await page.evaluate(() => window.salespider.lastReceiptHtml());
    assert.match(copy, /COPY/);

    const receiptPage = await context.newPage();
    await receiptPage.setViewportSize({ width: 320, height: 900 });
    await receiptPage.setContent(html);
    await receiptPage.screenshot({ path: path.join(ARTIFACTS, 'selling-receipt.png'), fullPage: true });
    await receiptPage.close();
  });
});

test('search as you type: a name prefix narrows the tiles, a category chip filters them', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    await waitFor(page, () => window.salespider.state().browse.categories > 0);
    const all = (await tillState(page)).browse.products;
    await page.keyboard.type('rice');
    await waitFor(page, () => window.salespider.state().browse.text === 'rice');
    const s = await tillState(page);
    assert.ok(s.browse.products > 0 && s.browse.products < all, JSON.stringify(s.browse));
    assert.match(s.browse.first, /rice/i);
    const chip = (await widgets(page)).find((w) => w.full_label.includes('##chip-') && w.label === 'Drinks');
    await page.mouse.click(centre(chip).x, centre(chip).y);
    await waitFor(page, () => window.salespider.state().browse.category_id !== '');
    await waitFor(page, () => window.salespider.state().browse.products === 0);
  });
});

test('each category has its colour: a stripe on its chip and on its products\' tiles', async (t) => {
  const { store, page } = await setUp(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url);
    await waitFor(page, () => window.salespider.state().browse.categories >= 3);
    const categoryOf = new Map(sql(store.dataPath, 'SELECT id, coalesce(category_id::text, \'\') FROM products'));
    const shown = await widgets(page);
    const png = await page.screenshot();
    // The colour 3 px inside the left edge, half way down (the stripe is 8 px).
    const colourAt = async (w) => page.evaluate(async ({ data, x, y }) => {
      // From bytes, not a data: URL (the till's CSP lets it fetch nothing such).
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const img = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const c = new OffscreenCanvas(img.width, img.height).getContext('2d');
      c.drawImage(img, 0, 0);
      return Array.from(c.getImageData(x, y, 1, 1).data.slice(0, 3)).join(',');
    }, { data: png.toString('base64'), x: Math.round(w.rect.x + 3), y: Math.round(w.rect.y + w.rect.h / 2) });
    const chips = new Map();
    for (const w of shown.filter((x) => x.full_label.includes('##chip-') && !x.full_label.endsWith('##chip-all'))) {
      chips.set(w.full_label.split('##chip-')[1], await colourAt(w));
    }
    assert.ok(chips.size >= 3, `chips: ${[...chips.keys()]}`);
    assert.equal(new Set(chips.values()).size, chips.size, `one colour per category: ${[...chips.values()]}`);
    const plain = await colourAt(shown.find((x) => x.full_label.endsWith('##chip-all')));
    assert.ok(![...chips.values()].includes(plain), '"All" has no stripe');
    let checked = 0;
    for (const w of shown.filter((x) => x.full_label.includes('##tile-') && !x.clipped)) {
      const category = categoryOf.get(w.full_label.split('##tile-')[1]);
      if (!chips.has(category)) continue;
      assert.equal(await colourAt(w), chips.get(category), `${w.label}: its category's colour`);
      checked += 1;
    }
    assert.ok(checked >= 3, `tiles checked: ${checked}`);
  });
});
