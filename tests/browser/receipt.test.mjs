// The page's print and announce plumbing (platform/page.hpp -> www/bridge.js)
// under the server's real CSP: a receipt rendered by the wasm till
// (receipt_html of the test print) lands in the sandboxed iframe#receipt-frame
// with its styles applied although the inherited CSP blocks inline <style>,
// print() is called, and the live regions speak — the same text twice too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, waitReady, withScreenshotOnFailure } from './lib/harness.mjs';

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

// What the frame shows once the receipt was printed `count` times.
async function printed(page, count) {
  await page.waitForFunction((n) => window.salespider.receiptsPrinted() >= n, count, { timeout: 5000 });
  return page.evaluate(() => {
    const frame = document.getElementById('receipt-frame');
    const doc = frame.contentDocument;
    const sheets = doc.adoptedStyleSheets;
    const rules = sheets.length ? Array.from(sheets[0].cssRules, (r) => r.cssText) : [];
    return {
      sandbox: frame.getAttribute('sandbox'),
      srcdoc: frame.srcdoc,
      html: window.salespider.lastReceiptHtml(),
      total: doc.querySelector('[data-k="total"]')?.textContent,
      zone: doc.querySelector('[data-k="time-zone"]')?.textContent,
      bodyWidth: parseFloat(frame.contentWindow.getComputedStyle(doc.body).width),
      totalWeight: frame.contentWindow.getComputedStyle(doc.querySelector('[data-k="total"]')).fontWeight,
      pageRule: rules.filter((r) => r.startsWith('@page')).pop(),
      frameWidth: frame.getBoundingClientRect().width,
    };
  });
}

test('a receipt prints from a sandboxed frame with its styles under the strict CSP', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (/Content Security Policy|Refused|Ignored call/.test(m.text())) problems.push(m.text()); });
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    assert.equal(await page.evaluate(() => window.salespider.lastReceiptHtml()), null);

    await page.evaluate(() => Module._salespider_print_test_receipt(0));
    const wide = await printed(page, 1);
    assert.equal(wide.sandbox, 'allow-same-origin allow-modals', 'no scripts in the receipt frame');
    assert.match(wide.html, /<style>@page\{size:80mm /, 'lastReceiptHtml() is the whole document');
    assert.ok(!wide.srcdoc.includes('<style>'), 'the inline style is taken out, not left for the CSP to block');
    assert.match(wide.srcdoc, /data-k="total"/);
    assert.equal(wide.total, 'TOTAL₦3,600.00');
    assert.equal(wide.zone, 'Africa/Lagos');
    assert.ok(Math.abs(wide.bodyWidth - (80 * 96) / 25.4) < 1, `body is 80 mm wide (${wide.bodyWidth}px)`);
    assert.equal(wide.totalWeight, '700', 'the receipt\'s own style applies');
    const [, w, h] = /size: (\d+)mm (\d+)mm/.exec(wide.pageRule) || [];
    assert.equal(w, '80', wide.pageRule);
    assert.ok(Number(h) > 60 && Number(h) < 297, `the page is as long as the receipt (${wide.pageRule})`);
    assert.equal(wide.frameWidth, 0, 'the frame takes no room on the till');

    await page.evaluate(() => Module._salespider_print_test_receipt(1));
    const narrow = await printed(page, 2);
    assert.ok(Math.abs(narrow.bodyWidth - (58 * 96) / 25.4) < 1, `body is 58 mm wide (${narrow.bodyWidth}px)`);
    assert.match(narrow.pageRule, /size: 58mm \d+mm/);
    assert.equal(await page.locator('iframe').count(), 1, 'one frame, reused');

    assert.deepEqual(problems, []);
  });
  await context.close();
});

test('the live regions announce, and the same text twice is announced twice', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await withScreenshotOnFailure(t, page, async () => {
    await page.goto(server.url);
    await waitReady(page);
    const regions = await page.evaluate(() => ['live', 'live-error'].map((id) => {
      const el = document.getElementById(id);
      return { live: el.getAttribute('aria-live'), role: el.getAttribute('role'), w: el.getBoundingClientRect().width };
    }));
    assert.deepEqual(regions, [{ live: 'polite', role: 'status', w: 1 }, { live: 'assertive', role: 'alert', w: 1 }]);

    // From C++: the test print announces itself through platform::page::announce.
    await page.evaluate(() => Module._salespider_print_test_receipt(0));
    await page.waitForFunction(() => document.getElementById('live').textContent === 'Test receipt sent to the printer',
      null, { timeout: 2000 });

    const said = await page.evaluate(async () => {
      const region = document.getElementById('live');
      const seen = [];
      new MutationObserver(() => { if (region.textContent) seen.push(region.textContent); })
        .observe(region, { childList: true, characterData: true, subtree: true });
      const pause = (ms) => new Promise((r) => setTimeout(r, ms));
      window.SaleSpiderBridge.page.announce('Total ₦3,600.00', false);
      await pause(300);
      window.SaleSpiderBridge.page.announce('Total ₦3,600.00', false);
      await pause(300);
      window.SaleSpiderBridge.page.announce('Unknown barcode 123', true);
      await pause(300);
      return { seen, error: document.getElementById('live-error').textContent };
    });
    assert.deepEqual(said.seen, ['Total ₦3,600.00', 'Total ₦3,600.00']);
    assert.equal(said.error, 'Unknown barcode 123');
  });
  await context.close();
});
