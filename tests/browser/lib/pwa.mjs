// Helpers for the PWA tests: a Chromium profile that outlives the browser
// (service worker, Cache Storage and IndexedDB kept across launches), PNG
// header reading, and a second version of the app shell made by the same
// script the build uses (cmake/till_shell.cmake), so an upgrade can be
// tested without building the wasm twice.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, waitReady } from './harness.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// Chromium on a profile directory of our own, trusting the CA in `home`'s
// NSS database (harness homeTrusting). Close it and launch again on the same
// directory to get the next start of the same installed till.
export function launchProfile(profileDir, home) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, HOME: home },
    viewport: { width: 1024, height: 700 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--no-first-run'],
  });
}

// {width, height, colourType} from a PNG's signature and IHDR chunk, or
// null if `bytes` is not a PNG.
export function pngHeader(bytes) {
  const b = Buffer.from(bytes);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (b.length < 26 || !b.subarray(0, 8).equals(signature) || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colourType: b[25] };
}

// The plain-named inputs the build assembled the shell from
// (build/<preset>/till-shell, beside dist/).
export function shellSources(dist) {
  const dir = process.env.SALESPIDER_SHELL_SRC || path.join(dist, '..', 'till-shell');
  if (!existsSync(path.join(dir, 'app.js'))) throw new Error(`${dir} has no app shell sources: build the wasm preset`);
  return dir;
}

// Writes into a new temporary directory the shell of a release that differs
// from `dist`'s in one file (app.js gains a comment line), with its own
// version, hashed names and precache list. Returns {dir, version}.
export function previousShell(dist, label) {
  const src = mkdtempSync(path.join(os.tmpdir(), 'salespider-shell-src-'));
  const out = mkdtempSync(path.join(os.tmpdir(), 'salespider-shell-'));
  cpSync(shellSources(dist), src, { recursive: true });
  appendFileSync(path.join(src, 'app.js'), `// release ${label}\n`);
  execFileSync(process.env.CMAKE_COMMAND || 'cmake', [
    '-D', `SHELL_SRC=${src}`, '-D', `SHELL_DIST=${out}`, '-D', `SHELL_RELEASE=${label}`,
    '-P', path.join(repo, 'cmake', 'till_shell.cmake'),
  ], { stdio: 'pipe' });
  rmSync(src, { recursive: true, force: true });
  return { dir: out, version: JSON.parse(readFileSync(path.join(out, 'shell.json'), 'utf8')).version };
}

// What a deployment does: the served directory's files replaced by another
// release's.
export function replaceServedFiles(served, release) {
  for (const name of readdirSync(served)) rmSync(path.join(served, name), { recursive: true, force: true });
  cpSync(release, served, { recursive: true });
}

// The till's update.apply() (what the "Update ready" button does), then the
// reload into the waiting version, until it drew its first frame.
export async function switchToWaitingVersion(page) {
  const navigated = page.waitForEvent('framenavigated');
  await page.evaluate(() => window.salespider.update.apply());
  await navigated;
  await page.waitForLoadState('load');
  await waitReady(page);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Resolves once a service worker controls the page and its version's cache
// holds the whole precache list (the list is written last). Polled from
// here: waitForFunction takes a returned promise for a truthy answer.
export async function waitOfflineReady(page, timeout = 30000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const ready = await page.evaluate(async () => {
      const c = navigator.serviceWorker.controller;
      if (!c || c.state !== 'activated') return false;
      const v = new URL(c.scriptURL).searchParams.get('v');
      return Boolean(await caches.match(new URL(`shell.${v}.json`, location.href).href));
    });
    if (ready) return;
    if (Date.now() > deadline) throw new Error('no activated service worker with a complete cache controls the page');
    await new Promise((r) => setTimeout(r, 200));
  }
}
