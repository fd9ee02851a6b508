// The till over HTTPS, as a device that trusts the store's CA sees it: the
// real server with certificates from `salespider cert init`, Chromium trusting
// the CA only through an NSS database in a temporary HOME (certificate checks
// stay on), the wasm till starting under our Content-Security-Policy with no
// violation, and a browser that does not trust the CA refusing the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  startServer, launchBrowser, homeTrusting, waitReady, tillState, withScreenshotOnFailure,
} from './lib/harness.mjs';

let server;
let browser;
let home;

before(async () => {
  server = await startServer([], { https: true });
  home = homeTrusting(server.caFile);
  browser = await launchBrowser({ home });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

// Records CSP violations from the first moment of every document.
async function watchCsp(page) {
  const violations = [];
  await page.exposeFunction('__reportCsp', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCsp(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test('the till loads over HTTPS from the local CA and runs its wasm under our CSP', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const violations = await watchCsp(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const wasm = [];
  page.on('response', (r) => { if (r.url().endsWith('.wasm')) wasm.push(r); });
  await withScreenshotOnFailure(t, page, async () => {
    const response = await page.goto(server.url);
    assert.equal(response.status(), 200);
    const security = await response.securityDetails();
    assert.ok(security, 'the page came over TLS');
    assert.match(security.issuer, /SaleSpider local CA/);
    const headers = response.headers();
    assert.match(headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    assert.match(headers['content-security-policy'], /frame-ancestors 'none'/);
    assert.equal(headers['x-content-type-options'], 'nosniff');
    assert.equal(headers['strict-transport-security'], undefined, 'no HSTS for localhost');

    await waitReady(page);
    assert.equal((await tillState(page)).ready, true);
    assert.equal(wasm.length, 1, 'the till fetched its wasm once');
    assert.equal(wasm[0].headers()['content-type'], 'application/wasm');
    assert.equal(await page.evaluate(() => window.isSecureContext), true);
    assert.deepEqual(violations, []);
    assert.deepEqual(errors, []);
  });
  await context.close();
});

test('the certificate is valid for 127.0.0.1 too', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`https://127.0.0.1:${server.httpsPort}/api/v1/health`);
  assert.equal(response.status(), 200);
  assert.equal((await response.json()).status, 'ok');
  await context.close();
});

test('the CA and the setup page are there over plain HTTP', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations = await watchCsp(page);
  const response = await page.goto(`${server.httpUrl}setup`);
  assert.equal(response.status(), 200);
  assert.ok(await page.locator('svg.qr').isVisible(), 'the QR code renders');
  assert.ok(await page.getByText(`https://localhost:${server.httpsPort}/`).first().isVisible());
  const ca = await context.request.get(`${server.httpUrl}ca.crt`);
  assert.equal(ca.headers()['content-type'], 'application/x-x509-ca-cert');
  assert.match(await ca.text(), /^-----BEGIN CERTIFICATE-----/);
  assert.deepEqual(violations, []);
  await context.close();
});

test('a browser that does not trust the CA refuses the page (checks are on)', async () => {
  const emptyHome = mkdtempSync(path.join(os.tmpdir(), 'salespider-home-'));
  const untrusting = await launchBrowser({ home: emptyHome });
  try {
    const page = await untrusting.newPage();
    await assert.rejects(page.goto(server.url), /ERR_CERT_AUTHORITY_INVALID/);
  } finally {
    await untrusting.close();
    rmSync(emptyHome, { recursive: true, force: true });
  }
});
