// Test harness for browser tests: starts a real salespider server on a spare
// loopback port and Debian's Chromium through playwright-core, and talks to
// the till only through what a user sees (pixels it clicks at the rects the
// app reports) and the read-only automation bridge window.salespider.
// It never downloads a browser and never turns certificate checks off: in
// HTTPS mode the server's local CA is trusted the way a user would trust it,
// through an NSS database in a temporary HOME that Chromium reads.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  throw new Error('playwright-core is missing: run `make deps` (it installs tests/browser/node_modules)');
}

export const CHROMIUM = process.env.SALESPIDER_CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.SALESPIDER_ARTIFACTS || path.resolve('artifacts');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run browser tests through ctest (make test)`);
  return value;
}

// Starts `salespider serve` on spare loopback ports with a throw-away
// DATA_PATH (removed again by stop(); pass your own `--data-path` in
// extraArgs to keep one across restarts) and resolves once it printed its
// "listening" line. With { https: true } it first runs `salespider cert init`
// for that DATA_PATH and expects the server to report its HTTPS port; the
// result then carries `caFile` and an https `url` (https://localhost:PORT/).
// `env` adds environment variables (e.g. SUPER_ADMIN_PASSWORD, SALESPIDER_DEMO).
// `port` picks the HTTP port (default 0: a spare one), e.g. to restart a
// server where a till's origin (and so its IndexedDB) expects it.
// `httpsPort` does the same for the HTTPS port, which is the origin of an
// HTTPS till (https://localhost:PORT/): its service worker and IndexedDB.
export async function startServer(extraArgs = [], { https = false, env = {}, port = 0, httpsPort = 0 } = {}) {
  const bin = required('SALESPIDER_BIN');
  const www = required('SALESPIDER_WWW');
  if (!existsSync(path.join(www, 'index.html')) || !existsSync(path.join(www, 'shell.json'))) {
    throw new Error(`${www} has no built till: build the wasm preset first (make build)`);
  }
  const given = extraArgs.indexOf('--data-path');
  const ownDataPath = given < 0;
  const dataPath = ownDataPath ? mkdtempSync(path.join(os.tmpdir(), 'salespider-data-')) : extraArgs[given + 1];
  // mkdtemp makes it 0700; as root the embedded PostgreSQL runs as `postgres`
  // and must reach it, or its cluster would land outside the temp dir.
  if (ownDataPath) chmodSync(dataPath, 0o755);
  const caFile = path.join(dataPath, 'tls', 'ca.crt');
  if (https) {
    execFileSync(bin, ['cert', 'init', '--data-path', dataPath, '--domain', 'localhost'], { stdio: 'pipe' });
  }
  const args = ['serve', '--host', '127.0.0.1', '--port', String(port), '--www', www];
  if (ownDataPath) args.push('--data-path', dataPath);
  // Always a spare HTTPS port too unless one is asked for: the server serves
  // HTTPS by default on 8443, which a second server on this machine would find taken.
  args.push('--https-port', String(httpsPort));
  const child = spawn(bin, [...args, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The certificate names the server checks at start match `cert init` above.
    env: { ...process.env, ...(https ? { DOMAIN: 'localhost' } : {}), ...env },
  });
  const log = [];
  child.stderr.on('data', (d) => log.push(d.toString()));
  const cleanup = () => { if (ownDataPath) rmSync(dataPath, { recursive: true, force: true }); };
  let listening;
  try {
    listening = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('')}`)), 60000);
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${log.join('')}`)); });
      createInterface({ input: child.stdout }).on('line', (line) => {
        log.push(line + '\n');
        try {
          const msg = JSON.parse(line);
          if (msg.msg === 'listening') { clearTimeout(timer); resolve(msg); }
        } catch { /* not a log line of ours */ }
      });
    });
  } catch (err) {
    child.kill('SIGKILL');
    cleanup();
    throw err;
  }
  if (https && !listening.https_port) {
    child.kill('SIGTERM');
    cleanup();
    throw new Error(`the server did not report an HTTPS port in its "listening" line: ${JSON.stringify(listening)}`);
  }
  return {
    url: https ? `https://localhost:${listening.https_port}/` : `http://127.0.0.1:${listening.port}/`,
    httpUrl: `http://127.0.0.1:${listening.port}/`,
    httpsPort: listening.https_port,
    caFile,
    dataPath,
    log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      cleanup();
    },
  };
}

// A temporary HOME whose NSS database (the store Chromium uses on Linux)
// trusts `caFile` as a CA for websites: certutil from libnss3-tools, exactly
// what docs/install.md tells a Linux user to do. Remove it with rmSync.
export function homeTrusting(caFile) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'salespider-home-'));
  const db = path.join(home, '.pki', 'nssdb');
  mkdirSync(db, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${db}`, '-N', '--empty-password'], { stdio: 'pipe' });
  execFileSync('certutil', ['-d', `sql:${db}`, '-A', '-t', 'C,,', '-n', 'salespider-ca', '-i', caFile], { stdio: 'pipe' });
  return home;
}

// { home } runs Chromium with HOME=home (see homeTrusting); `args` adds
// command-line flags (e.g. a fake camera: scanner.test.mjs).
export async function launchBrowser({ home, args = [] } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`make deps\``);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: home ? { ...process.env, HOME: home } : process.env,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', ...args],
  });
}

export async function tillState(page) {
  return page.evaluate(() => window.salespider.state());
}

export async function waitReady(page, timeout = 30000) {
  await page.waitForFunction(() => window.salespider && window.salespider.state().ready === true,
    null, { timeout });
}

// Resolves once Dear ImGui has read every input event the page delivered
// (it reads a few per frame: a click's press and release, a key's press and
// its character, land in different frames) and a frame built on them ran:
// what a click or typing did is then in state() and widgets().
export async function inputRead(page, timeout = 10000) {
  await page.waitForFunction(() => window.salespider.platform().input_queued === 0, null, { timeout, polling: 'raf' });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

// The till's own report of its interactive items, in page CSS pixels.
// Read after the next frame: the state may have changed since the last one
// (a server's answer arrives between frames), and a frame draws what the
// state was when it began.
export async function widgets(page) {
  return page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)).then(() => {
    const canvas = document.getElementById('canvas').getBoundingClientRect();
    return window.salespider.widgets().map((w) => ({
      ...w, rect: { x: w.rect.x + canvas.left, y: w.rect.y + canvas.top, w: w.rect.w, h: w.rect.h },
    }));
  }));
}

export async function findWidget(page, label, role) {
  const all = await widgets(page);
  // A desktop till shows the key on a button ("Pay (F6)"): the label without it matches too.
  const found = all.find((w) => (w.label === label || w.label.replace(/ \((F\d+|Esc|Enter|Del)\)$/, '') === label)
    && (!role || w.role === role));
  if (!found) {
    throw new Error(`no widget "${label}" on screen; visible: ${all.map((w) => `${w.role}:${w.label}`).join(', ')}`);
  }
  return found;
}

// The widget whose id label ends with `suffix` ('###pay', '##sale-<id>'),
// once a frame drew it (up to 10 s: a panel shows in the frame after the
// click that opened it).
export async function widgetById(page, suffix) {
  await page.waitForFunction((end) => window.salespider.widgets().some((x) => x.full_label.endsWith(end)), suffix,
    { timeout: 10000, polling: 100 }).catch(() => {});
  const all = await widgets(page);
  const w = all.find((x) => x.full_label.endsWith(suffix));
  if (!w) {
    throw new Error(`no widget ${suffix} on ${(await tillState(page)).screen}; visible: ${all.map((x) => x.full_label).join(', ')}`);
  }
  return w;
}

// Clicks the widget widgetById finds, where the app says it is.
export async function clickId(page, suffix) {
  const w = await widgetById(page, suffix);
  if (!w.enabled) throw new Error(`widget ${suffix} is disabled`);
  await page.mouse.click(centre(w).x, centre(w).y);
}

export function centre(widget) {
  return { x: widget.rect.x + widget.rect.w / 2, y: widget.rect.y + widget.rect.h / 2 };
}

// Clicks a widget with the mouse where the app says it is.
export async function click(page, label, role = 'button') {
  const w = await findWidget(page, label, role);
  if (!w.enabled) throw new Error(`widget "${label}" is disabled`);
  const c = centre(w);
  await page.mouse.click(c.x, c.y);
}

// Runs fn with a page; on failure saves a screenshot named after the test.
export async function withScreenshotOnFailure(t, page, fn) {
  try {
    await fn();
  } catch (err) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${t.name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file }).catch(() => {});
    err.message += `\n(screenshot: ${file})`;
    throw err;
  }
}

// The `journal` object store as IndexedDB holds it, read without the till.
export function readJournal(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('salespider-till');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const r = open.result.transaction('journal', 'readonly').objectStore('journal').getAll();
      r.onsuccess = () => { open.result.close(); resolve(r.result); };
      r.onerror = () => reject(r.error);
    };
  }));
}
