// Debian's Chromium as a process of our own, on a profile directory we pick,
// driven over CDP. Unlike playwright's launchPersistentContext this gives us
// the process, so a test can SIGKILL the whole browser (no shutdown, no
// flush) the way a crash, a killed app or a pulled plug would, then start it
// again on the same profile.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './harness.mjs';

export function tempProfile() {
  return mkdtempSync(path.join(tmpdir(), 'salespider-profile-'));
}

export function removeProfile(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export async function startChromium(userDataDir) {
  const child = spawn(CHROMIUM, [
    '--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--enable-unsafe-swiftshader', '--use-angle=swiftshader', '--no-first-run',
    '--no-default-browser-check', '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const log = [];
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${log.join('')}`)), 30000);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`chromium exited with ${code}:\n${log.join('')}`)); });
    child.stderr.on('data', (d) => {
      log.push(d.toString());
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(log.join(''));
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  const browser = await chromium.connectOverCDP(endpoint);
  return {
    browser,
    context: browser.contexts()[0],
    // The whole browser (its process group: browser, renderers, storage and
    // GPU processes) dies at once: no unload handlers, no orderly shutdown.
    async kill() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGKILL');
      await exited;
      await browser.close().catch(() => {});
    },
  };
}
