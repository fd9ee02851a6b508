// Cold start of an installed till from the service worker's cache (issue
// [8/9], docs/benchmarks.md "Till cold start from the service worker cache"):
// the time from a new browser process opening the till's address to the
// first screen a person can act on, with the server STOPPED, so every byte
// comes from Cache Storage and the local store from IndexedDB.
//
// Two Chromium profiles on disk (headless Debian Chromium, SwiftShader):
//   - "enrolled": a till enrolled to a demo store (its catalog, staff and
//     the owner's verifier in IndexedDB), signed out: it opens on the
//     sign-in screen (state().screen 'login') — what a cashier meets;
//   - "fresh": a browser that loaded the till once and nothing else: the
//     welcome screen ('welcome').
// Each profile loaded the till online once (the service worker installed and
// its precache complete); then the server stops and each run launches a new
// browser process on the profile. The profiles alternate, COLD_START_RUNS
// (7) each. Per run: node's page.goto -> first frame, and app.js's
// performance marks (ms from the navigation's start) as the breakdown.
//
// It does not measure a first visit (network) nor a warm reload; it never
// fails on speed. Env: COLD_START_RUNS, SALESPIDER_BIN, SALESPIDER_WWW;
// COLD_START_TRACE=1 adds one more start of the enrolled profile under a
// Chromium trace (build/bench/results/cold_start_trace.json, for
// chrome://tracing or Perfetto) and prints where its main thread spent the
// time. Writes build/bench/results/cold_start.json.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.SALESPIDER_BIN ||= path.join(repo, 'build/native/server/salespider');
process.env.SALESPIDER_WWW ||= path.join(repo, 'build/wasm/dist');
const skip = (why) => { console.log(`cold start bench: SKIPPED: ${why}`); process.exit(0); };
if (!existsSync(path.join(process.env.SALESPIDER_WWW, 'index.html'))) skip('no built till (build the wasm preset)');
if (!existsSync(process.env.SALESPIDER_BIN)) skip('no server binary (build the native preset)');
if (!existsSync(path.join(repo, 'tests/browser/node_modules/playwright-core'))) skip('playwright-core is missing (make deps)');

const { CHROMIUM, waitReady, tillState } = await import('../tests/browser/lib/harness.mjs');
const { tempProfile, startChromium } = await import('../tests/browser/lib/chromium-process.mjs');
const { launchProfile, median } = await import('../tests/browser/lib/pwa.mjs');
const { startStore, enrol, signOut, waitFor } = await import('../tests/browser/lib/till.mjs');
if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (make deps)`);

const RUNS = Number(process.env.COLD_START_RUNS || 7);
const OUT = path.join(repo, 'build/bench/results');
const log = (...a) => console.log(`[cold start ${new Date().toISOString().slice(11, 19)}]`, ...a);
const round = (x) => Math.round(x);

// Until the page's service worker controls it with its whole precache list
// stored (the list is written last), as pwa.test.mjs waits; polled from here
// (a waitForFunction predicate may not return a promise).
async function offlineReady(page) {
  for (let i = 0; i < 300; i++) {
    const ok = await page.evaluate(async () => {
      const c = navigator.serviceWorker.controller;
      if (!c || c.state !== 'activated') return false;
      const v = new URL(c.scriptURL).searchParams.get('v');
      return Boolean(await caches.match(new URL(`shell.${v}.json`, location.href).href));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no activated service worker with a complete cache');
}

// One launch on `profile`: a new browser process, the till's address, the
// first frame; the marks and the screen it shows.
async function coldStart(profile, url, home) {
  const launched = performance.now();
  const context = await launchProfile(profile, home);
  try {
    const page = context.pages()[0] || await context.newPage();
    const navigated = performance.now();
    await page.goto(url);
    await waitReady(page);
    const ready = performance.now();
    const marks = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      return {
        ...Object.fromEntries(performance.getEntriesByType('mark')
          .filter((m) => m.name.startsWith('salespider-')).map((m) => [m.name.slice(11), m.startTime])),
        html: nav.responseEnd,
        dom_content_loaded: nav.domContentLoadedEventEnd,
        indexeddb_read: window.salespider.storageStats().load_ms,
        // The service worker's own time to answer index.html (its start on a
        // new process included): fetchStart -> responseStart.
        sw_answer: nav.responseStart - nav.fetchStart,
        sw_start: nav.workerStart ? nav.fetchStart - nav.workerStart : null,
      };
    });
    const s = await tillState(page);
    return { ...marks, screen: s.screen, navigate_to_ready: ready - navigated, launch_to_ready: ready - launched };
  } finally {
    await context.close();
  }
}

const store = await startStore({ demo: true });
const url = store.server.httpUrl;
const home = tempHome();
const profiles = { enrolled: tempProfile(), fresh: tempProfile() };
const result = { date: new Date().toISOString(), machine: { cpus: os.cpus().length, loadavg_before: os.loadavg() }, runs: {} };
try {
  // Online once: each profile installs the service worker; "enrolled" also
  // enrols (demo catalog), then signs out.
  for (const [name, profile] of Object.entries(profiles)) {
    const context = await launchProfile(profile, home);
    const page = context.pages()[0] || await context.newPage();
    if (name === 'enrolled') {
      await enrol(page, url, 'Cold', { shift: false });
      await signOut(page);
    } else {
      await page.goto(url);
      await waitReady(page);
    }
    await offlineReady(page);
    log(`${name}: service worker ready`);
    await context.close();
  }
  await store.stop();
  log('server stopped');
  for (const name of Object.keys(profiles)) result.runs[name] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [name, profile] of Object.entries(profiles)) {
      const r = await coldStart(profile, url, home);
      result.runs[name].push(r);
      log(`${name} run ${i + 1}: ${round(r.navigate_to_ready)} ms to the first frame (${r.screen}); launch -> ready ${round(r.launch_to_ready)} ms`);
    }
  }
  result.machine.loadavg_after = os.loadavg();
  result.summary = {};
  for (const [name, runs] of Object.entries(result.runs)) {
    const summary = {};
    for (const key of Object.keys(runs[0])) {
      const values = runs.map((r) => r[key]).filter((v) => typeof v === 'number');
      if (values.length) summary[key] = { median: round(median(values)), min: round(Math.min(...values)), max: round(Math.max(...values)) };
    }
    summary.screen = [...new Set(runs.map((r) => r.screen))].join(',');
    result.summary[name] = summary;
    log(`${name}: ${JSON.stringify(summary)}`);
  }
  mkdirSync(OUT, { recursive: true });
  if (process.env.COLD_START_TRACE) result.trace = await tracedStart(profiles.enrolled, url);
  writeFileSync(path.join(OUT, 'cold_start.json'), JSON.stringify(result, null, 2));
  log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; results in ${path.join(OUT, 'cold_start.json')}`);
} finally {
  await store.remove();
  for (const p of Object.values(profiles)) rmSync(p, { recursive: true, force: true, maxRetries: 5 });
  rmSync(home, { recursive: true, force: true });
}

// HTTP on 127.0.0.1 is a secure context: no CA to trust, an empty HOME.
function tempHome() {
  const dir = path.join(os.tmpdir(), `salespider-cs-home-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// One more cold start under a Chromium trace (a browser of our own on the
// profile, so the Tracing domain is reachable); returns the renderer main
// thread's busy time by top-level event name between the navigation and
// the first frame, and the GPU process main thread's.
async function tracedStart(profile, url) {
  const chrome = await startChromium(profile);
  try {
    const cdp = await chrome.browser.newBrowserCDPSession();
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,v8.execute,blink,blink.user_timing,loading,gpu,toplevel',
      transferMode: 'ReportEvents',
    });
    const page = chrome.context.pages()[0] || await chrome.context.newPage();
    await page.goto(url);
    await waitReady(page);
    await cdp.send('Tracing.end');
    await complete;
    writeFileSync(path.join(OUT, 'cold_start_trace.json'), JSON.stringify({ traceEvents: events }));
    const threads = new Map();
    for (const e of events) {
      if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
    }
    const nav = events.find((e) => e.name === 'navigationStart' || e.name === 'NavigationTiming')?.ts;
    const ready = events.find((e) => e.name === 'salespider-ready')?.ts;
    const byThread = {};
    for (const e of events) {
      const thread = threads.get(`${e.pid}:${e.tid}`);
      if (e.ph !== 'X' || !['CrRendererMain', 'CrGpuMain'].includes(thread)) continue;
      if (nav && e.ts < nav) continue;
      if (ready && e.ts > ready) continue;
      const t = (byThread[thread] ||= {});
      t[e.name] = (t[e.name] || 0) + e.dur / 1000;
    }
    const top = Object.fromEntries(Object.entries(byThread).map(([thread, names]) => [thread,
      Object.fromEntries(Object.entries(names).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([n, ms]) => [n, round(ms)]))]));
    log(`trace: navigation -> ready ${nav && ready ? round((ready - nav) / 1000) : '?'} ms; busy by event: ${JSON.stringify(top)}`);
    return { navigation_to_ready_ms: nav && ready ? round((ready - nav) / 1000) : null, busy_ms_by_event: top };
  } finally {
    await chrome.kill();
  }
}
