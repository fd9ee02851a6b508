// The till's languages, in Debian's Chromium against the real store server:
// the owner picks Deutsch on the Device screen and the till speaks German
// (its buttons, a printed receipt), the choice is kept on the server and
// comes back with the next sign-in; before anyone signs in the Login
// screen's picker sets the device's language, and the server's own error
// message (a wrong password) arrives in it, because every request says
// Accept-Language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, withScreenshotOnFailure, clickId } from './lib/harness.mjs';
import {
  startStore, sql, enrol, sell, signOut, signIn, attemptSignIn, fill, waitFor, waitScreen, OWNER,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function labels(page) {
  return (await widgets(page)).map((w) => w.label);
}

test('German on the Device screen changes the till and its receipts, and comes back with the next sign-in', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front');
    assert.equal((await tillState(page)).language, 'en');
    assert.ok((await labels(page)).includes('Device'));

    await clickId(page, 'Device');
    await waitScreen(page, 'device');
    await clickId(page, '##lang-de');
    await waitFor(page, () => window.salespider.state().language === 'de');
    const device = await labels(page);
    assert.ok(device.includes('Zurück'), `Back is "Zurück" in German: ${device.join(', ')}`);
    assert.ok(device.includes('Abmelden'), 'Sign out is "Abmelden"');
    assert.ok(!device.includes('Back'));
    // Kept on the server for this person.
    const ownLanguage = () => sql(store.dataPath,
      `SELECT coalesce(language, '-') FROM users WHERE username = '${OWNER.login}'`)[0]?.[0];
    for (let i = 0; i < 100 && ownLanguage() !== 'de'; ++i) await new Promise((r) => setTimeout(r, 100));
    assert.equal(ownLanguage(), 'de');

    // A receipt in German.
    await clickId(page, 'Zurück');
    await waitScreen(page, 'till');
    await sell(page, ['D10000']).catch(async () => {
      // sell() waits for the English "New sale": the German banner says "Neuer Verkauf".
      await waitFor(page, () => window.salespider.state().completed !== null);
    });
    assert.ok((await labels(page)).some((l) => l.startsWith('Neuer Verkauf')), 'the sale banner is German');
    const printed = await page.evaluate(() => window.salespider.receiptsPrinted());
    await page.keyboard.press('F7');
    await page.waitForFunction((n) => window.salespider.receiptsPrinted() > n, printed, { timeout: 10000 });
    const html = await page.evaluate(() => window.salespider.lastReceiptHtml());
    assert.match(html, /<html lang="de">/);
    assert.match(html, /data-k="subtotal"><span>Zwischensumme</, 'the receipt\'s headings are German');
    assert.match(html, /data-k="total"><span>SUMME</);

    // The next sign-in brings the person's language back from the server.
    await clickId(page, '###switch');
    await waitScreen(page, 'login');
    await signIn(page, OWNER);
    assert.equal((await tillState(page)).language, 'de');
  });
});

test('the Login screen picks the device language, and the server answers a wrong password in it', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close().catch(() => {}));
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Front');
    await signOut(page);
    assert.equal((await tillState(page)).language, 'en');
    const english = await attemptSignIn(page, { login: OWNER.login, password: 'not-the-password' });
    assert.equal(english.message.kind, 'error');
    const englishText = english.message.text;

    await clickId(page, '##lang-de');
    await waitFor(page, () => window.salespider.state().language === 'de');
    const s = await tillState(page);
    assert.equal(s.device_language, 'de');
    assert.ok((await labels(page)).includes('Anmelden'), 'Sign in is "Anmelden"');

    // Dismiss ("Ausblenden" in German) the English answer, then try again.
    await clickId(page, '##message');
    await waitFor(page, () => window.salespider.state().message === null);
    await fill(page, '##login', OWNER.login);
    await fill(page, '##password', 'not-the-password');
    await clickId(page, '###signin');
    await waitFor(page, () => window.salespider.state().message?.kind === 'error');
    const german = (await tillState(page)).message.text;
    assert.notEqual(german, englishText, `the server's message is translated: "${german}"`);

    // The device keeps its language across a reload, once its database
    // pages are written (a flush runs every few seconds; force one here).
    const flushed = await page.evaluate(() => window.salespider.debug.flush());
    assert.equal(flushed.completed, true);
    await page.reload();
    await waitFor(page, () => window.salespider.state().ready && window.salespider.state().device_language === 'de');
  });
});
