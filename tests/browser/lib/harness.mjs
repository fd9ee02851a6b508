// Test harness for browser tests: starts a real salespider server on a spare
// loopback port and Debian's Chromium through playwright-core, and talks to
// the till only through what a user sees (pixels it clicks at the rects the
// app reports) and the read-only automation bridge window.salespider.
// It never downloads a browser and never turns certificate checks off.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
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

// Starts `salespider serve --port 0` and resolves once it printed its port.
export async function startServer(extraArgs = []) {
  const bin = required('SALESPIDER_BIN');
  const www = required('SALESPIDER_WWW');
  if (!existsSync(path.join(www, 'index.html')) || !existsSync(path.join(www, 'salespider.wasm'))) {
    throw new Error(`${www} has no built till: build the wasm preset first (make build)`);
  }
  const child = spawn(bin, ['serve', '--host', '127.0.0.1', '--port', '0', '--www', www, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  child.stderr.on('data', (d) => log.push(d.toString()));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('')}`)), 20000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${log.join('')}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      log.push(line + '\n');
      try {
        const msg = JSON.parse(line);
        if (msg.msg === 'listening') { clearTimeout(timer); resolve(msg.port); }
      } catch { /* not a log line of ours */ }
    });
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`make deps\``);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
  });
}

export async function tillState(page) {
  return page.evaluate(() => window.salespider.state());
}

export async function waitReady(page, timeout = 30000) {
  await page.waitForFunction(() => window.salespider && window.salespider.state().ready === true,
    null, { timeout });
}

// The till's own report of its interactive items, in page CSS pixels.
export async function widgets(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById('canvas').getBoundingClientRect();
    return window.salespider.widgets().map((w) => ({
      ...w, rect: { x: w.rect.x + canvas.left, y: w.rect.y + canvas.top, w: w.rect.w, h: w.rect.h },
    }));
  });
}

export async function findWidget(page, label, role) {
  const all = await widgets(page);
  const found = all.find((w) => w.label === label && (!role || w.role === role));
  if (!found) {
    throw new Error(`no widget "${label}" on screen; visible: ${all.map((w) => `${w.role}:${w.label}`).join(', ')}`);
  }
  return found;
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
