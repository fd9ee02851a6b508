// Camera barcode scanning (www/scanner.js) in Debian's Chromium, fed by a
// fake camera that plays a .y4m video of barcodes drawn by
// lib/fake_camera.mjs. Needs neither the wasm till nor the server (it ignores
// SALESPIDER_BIN/WWW): a small static server of its own serves scanner.js,
// the zxing decoder files that wasm-client/scanner/fetch.sh installs (npm ci
// from the lock file, cached) and fixtures/scanner/, under the till's CSP.
// Camera permission is given or refused per browser context, the way a user
// answers the prompt.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, withScreenshotOnFailure } from './lib/harness.mjs';
import { code128, ean13, writeY4m } from './lib/fake_camera.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };
const EAN = '5901234123457';
const SKU = 'SKU-12345';
const REPEAT_MS = 1500;   // www/scanner.js: the same code again within this is the same scan

let dir;
let server;
let base;
const requested = [];   // every path the static server was asked for

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'salespider-scanner-'));
  execFileSync('bash', [path.join(ROOT, 'wasm-client/scanner/fetch.sh'), dir], { stdio: ['ignore', 'inherit', 'inherit'] });
  copyFileSync(path.join(ROOT, 'www/scanner.js'), path.join(dir, 'scanner.js'));
  for (const f of ['index.html', 'page.js']) copyFileSync(path.join(ROOT, 'tests/browser/fixtures/scanner', f), path.join(dir, f));
  // The same page with decoder files that are not there (a shell that forgot them).
  const page = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const variants = [
    ['no-js.html', 'scanner.js', 'data-decoder-js="absent.js"'],
    ['no-wasm.html', 'scanner.js', 'data-decoder-wasm="absent.wasm"'],
    // As the till's build serves them: content-hashed names, told through the tag.
    ['hashed.html', 'scanner.0123abcd.js', 'data-decoder-js="zxing_reader.4567cdef.js" data-decoder-wasm="zxing_reader.89ab0123.wasm"'],
  ];
  for (const [name, src, attrs] of variants) {
    writeFileSync(path.join(dir, name), page.replace('<script src="scanner.js" defer>', `<script src="${src}" defer ${attrs}>`));
  }
  copyFileSync(path.join(dir, 'scanner.js'), path.join(dir, 'scanner.0123abcd.js'));
  copyFileSync(path.join(dir, 'zxing_reader.js'), path.join(dir, 'zxing_reader.4567cdef.js'));
  copyFileSync(path.join(dir, 'zxing_reader.wasm'), path.join(dir, 'zxing_reader.89ab0123.wasm'));
  writeY4m(path.join(dir, 'ean13.y4m'), [ean13(EAN)]);
  // One second of each, in a loop: a different code follows at once.
  writeY4m(path.join(dir, 'ean13-code128.y4m'), [...Array(10).fill(ean13(EAN)), ...Array(10).fill(code128(SKU))]);

  server = createServer((req, res) => {
    const name = path.basename(new URL(req.url, 'http://x').pathname) || 'index.html';
    requested.push(name);
    const type = TYPES[path.extname(name)];
    let body;
    try {
      body = type && readFileSync(path.join(dir, name));
    } catch { /* 404 below */ }
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('Cache-Control', 'no-store');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': type }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Loopback http is a secure context: getUserMedia is available.
  base = `http://127.0.0.1:${server.address().port}/`;
});

after(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Chromium with the fake camera playing `video`. No --use-fake-ui-for-media-stream:
// each context's `permissions` answers the camera prompt.
function cameraBrowser(video) {
  return launchBrowser({
    args: ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${path.join(dir, video)}`],
  });
}

// A page of `context` with the scanner opened by a click on Scan.
async function scan(context, page = 'index.html') {
  const p = await context.newPage();
  await p.goto(base + page);
  await p.click('#scan');
  return p;
}

const report = (p) => p.evaluate(() => ({
  codes: window.codes, errors: window.errors, closes: window.closes, violations: window.violations,
  vibrations: window.vibrations, beeps: window.beeps, state: window.SaleSpiderScanner.state(),
  tracks: window.stream ? window.stream.getTracks().map((t) => t.readyState) : [],
  overlay: !!document.getElementById('salespider-scanner'),
})
);
const waitCodes = (p, n, timeout = 20000) => p.waitForFunction((k) => window.codes.length >= k, n, { timeout });
const waitErrors = (p) => p.waitForFunction(() => window.errors.length > 0, null, { timeout: 20000 });

describe('a camera showing an EAN-13', () => {
  let browser;
  before(async () => { browser = await cameraBrowser('ean13.y4m'); });
  after(async () => { await browser?.close(); });

  test('zxing-wasm reads it once per 1.5 s, with a beep and a vibration, and the Close button stops the camera', async (t) => {
    const context = await browser.newContext({ permissions: ['camera'] });
    const native = await (await context.newPage()).evaluate(() => 'BarcodeDetector' in window);
    // Where Chromium has a detector of its own, the fallback is asked for.
    const p = await scan(context, native ? 'index.html?fallback' : 'index.html');
    await withScreenshotOnFailure(t, p, async () => {
      await assert.doesNotReject(p.getByRole('button', { name: 'Schließen' }).waitFor({ state: 'visible' }));
      assert.ok(await p.getByText('Strichcode in die Kamera halten').isVisible(), 'the caller\'s hint is shown');
      await waitCodes(p, 1);
      const first = await report(p);
      assert.deepEqual(first.codes.map(({ text, format }) => ({ text, format })), [{ text: EAN, format: 'ean_13' }]);
      assert.equal(first.state.decoder, 'zxing');
      assert.equal(first.state.open, true);

      // The code stays in view (~7 reads a second): the next report is the
      // same code again, not before 1.5 s have passed (page clock).
      await waitCodes(p, 2);
      const r = await report(p);
      assert.equal(r.codes[1].text, EAN);
      const again = Math.round(r.codes[1].at - r.codes[0].at);
      t.diagnostic(`the same code again after ${again} ms`);
      // The page takes its time in onCode, a moment after the scanner's own
      // clock reading: a few ms of slack, far below one frame (140 ms).
      assert.ok(again >= REPEAT_MS - 5, `same code again after ${again} ms`);
      assert.deepEqual(r.vibrations.slice(0, 2), [40, 40]);
      assert.ok(r.beeps >= 2, `${r.beeps} beeps`);
      assert.equal(r.state.codes, r.codes.length);
      assert.deepEqual(r.violations, [], 'the scanner runs under the till\'s CSP');

      await p.getByRole('button', { name: 'Schließen' }).click();
      const closed = await report(p);
      assert.equal(closed.closes, 1);
      assert.equal(closed.overlay, false);
      assert.equal(closed.state.open, false);
      assert.deepEqual(closed.tracks, ['ended']);
      assert.deepEqual(closed.errors, []);
    });
    await context.close();
  });

  test('close() stops the camera and removes the overlay; the scanner opens again', async (t) => {
    const context = await browser.newContext({ permissions: ['camera'] });
    const p = await scan(context, 'index.html?fallback');
    await withScreenshotOnFailure(t, p, async () => {
      await waitCodes(p, 1);
      await p.evaluate(() => window.SaleSpiderScanner.close());
      const r = await report(p);
      assert.deepEqual(r.tracks, ['ended']);
      assert.equal(r.overlay, false);
      assert.equal(r.state.open, false);
      assert.equal(r.closes, 0, 'onClose is for the user closing it');

      await p.evaluate(() => { window.codes = []; });
      await p.click('#scan');
      await waitCodes(p, 1);
      assert.equal((await report(p)).codes[0].text, EAN);
      await p.evaluate(() => window.SaleSpiderScanner.close());
    });
    await context.close();
  });

  test('a refused camera is reported as denied, and nothing stays open', async (t) => {
    const context = await browser.newContext({ permissions: [] });
    const p = await scan(context);
    await withScreenshotOnFailure(t, p, async () => {
      await waitErrors(p);
      const r = await report(p);
      assert.deepEqual(r.errors, ['denied']);
      assert.equal(r.overlay, false);
      assert.equal(r.state.open, false);
      assert.deepEqual(r.codes, []);
    });
    await context.close();
  });

  test('decoder files the page cannot load are reported as no_decoder, and the camera is stopped', async (t) => {
    const context = await browser.newContext({ permissions: ['camera'] });
    for (const page of ['no-js.html?fallback', 'no-wasm.html?fallback']) {
      const p = await scan(context, page);
      await withScreenshotOnFailure(t, p, async () => {
        await waitErrors(p);
        const r = await report(p);
        assert.deepEqual(r.errors, ['no_decoder'], page);
        assert.equal(r.overlay, false, page);
        assert.ok(r.tracks.every((s) => s === 'ended'), `${page}: ${r.tracks}`);
      });
    }
    await context.close();
  });

  test('the page can name the scanner\'s files by content-hashed names, as the till\'s build does', async (t) => {
    const context = await browser.newContext({ permissions: ['camera'] });
    requested.length = 0;
    const p = await scan(context, 'hashed.html?fallback');
    await withScreenshotOnFailure(t, p, async () => {
      await waitCodes(p, 1);
      assert.equal((await report(p)).codes[0].text, EAN);
      await p.evaluate(() => window.SaleSpiderScanner.close());
      for (const plain of ['scanner.js', 'zxing_reader.js', 'zxing_reader.wasm']) {
        assert.ok(!requested.includes(plain), `${plain} was asked for: ${requested}`);
      }
      assert.ok(requested.includes('zxing_reader.89ab0123.wasm'));
    });
    await context.close();
  });

  test('a native BarcodeDetector is used when it reads all six formats, zxing-wasm when it does not', async (t) => {
    const context = await browser.newContext({ permissions: ['camera'] });
    // Desktop Chromium on Linux has no BarcodeDetector: a stand-in with the
    // API's shape (Shape Detection API) reads the frames it is given with
    // zxing on the page's main thread, like a platform detector would.
    await context.addInitScript(() => {
      if ('BarcodeDetector' in window) return;
      let zxing = null;
      const load = () => (zxing ??= new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = 'zxing_reader.js';
        s.onload = () => {
          window.ZXingWASM.prepareZXingModule({ overrides: { locateFile: () => new URL('zxing_reader.wasm', location.href).href } });
          resolve(window.ZXingWASM);
        };
        s.onerror = reject;
        document.head.append(s);
      }));
      window.BarcodeDetector = class {
        static async getSupportedFormats() {
          return window.nativeFormats || ['aztec', 'code_128', 'ean_13', 'ean_8', 'qr_code', 'upc_a', 'upc_e'];
        }
        constructor(options) { window.detectorFormats = options.formats; }
        async detect(video) {
          const c = document.createElement('canvas');
          c.width = video.videoWidth;
          c.height = video.videoHeight;
          const g = c.getContext('2d');
          g.drawImage(video, 0, 0);
          const found = await (await load()).readBarcodes(g.getImageData(0, 0, c.width, c.height), { formats: ['EAN13'] });
          return found.map((r) => ({ rawValue: r.text, format: 'ean_13', boundingBox: new DOMRectReadOnly(), cornerPoints: [] }));
        }
      };
    });
    let p = await scan(context);
    await withScreenshotOnFailure(t, p, async () => {
      await waitCodes(p, 1);
      const r = await report(p);
      assert.equal(r.state.decoder, 'native');
      assert.deepEqual(r.codes.map(({ text, format }) => ({ text, format })), [{ text: EAN, format: 'ean_13' }]);
      assert.deepEqual((await p.evaluate(() => window.detectorFormats)).sort(),
        ['code_128', 'ean_13', 'ean_8', 'qr_code', 'upc_a', 'upc_e']);
      await p.evaluate(() => window.SaleSpiderScanner.close());
    });

    p = await context.newPage();
    await p.goto(base);
    await p.evaluate(() => { window.nativeFormats = ['qr_code']; });
    await p.click('#scan');
    await withScreenshotOnFailure(t, p, async () => {
      await waitCodes(p, 1);
      const r = await report(p);
      assert.equal(r.state.decoder, 'zxing');
      assert.equal(r.codes[0].text, EAN);
      await p.evaluate(() => window.SaleSpiderScanner.close());
    });
    await context.close();
  });
});

describe('a camera showing an EAN-13, then a Code 128, a second each', () => {
  let browser;
  before(async () => { browser = await cameraBrowser('ean13-code128.y4m'); });
  after(async () => { await browser?.close(); });

  test('both are read, and a different code is reported at once', async (t) => {
    const context = await browser.newContext({ permissions: ['camera'] });
    const p = await scan(context, 'index.html?fallback');
    await withScreenshotOnFailure(t, p, async () => {
      await p.waitForFunction(() => new Set(window.codes.map((c) => c.text)).size === 2 && window.codes.length >= 3,
        null, { timeout: 20000 });
      const { codes, state } = await report(p);
      assert.equal(state.decoder, 'zxing');
      assert.deepEqual(new Set(codes.map(({ text, format }) => `${format} ${text}`)),
        new Set([`ean_13 ${EAN}`, `code_128 ${SKU}`]));
      const steps = codes.slice(1).map((c, i) => ({ change: c.text !== codes[i].text, ms: Math.round(c.at - codes[i].at) }));
      t.diagnostic(`reports, ms after the one before: ${JSON.stringify(steps)}`);
      assert.ok(steps.some((s) => s.change && s.ms < REPEAT_MS),
        `a different code waited for the repeat pause: ${JSON.stringify(steps)}`);
      await p.evaluate(() => window.SaleSpiderScanner.close());
    });
    await context.close();
  });
});

describe('a browser without a camera', () => {
  let browser;
  before(async () => { browser = await launchBrowser(); });
  after(async () => { await browser?.close(); });

  test('is reported as no_camera', async (t) => {
    const context = await browser.newContext({ permissions: ['camera'] });
    const p = await scan(context);
    await withScreenshotOnFailure(t, p, async () => {
      await waitErrors(p);
      const r = await report(p);
      assert.deepEqual(r.errors, ['no_camera']);
      assert.equal(r.overlay, false);
      assert.equal(r.state.open, false);
    });
    await context.close();
  });
});
