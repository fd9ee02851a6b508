// The soak: one store, two tills (real Chromium processes on their own
// profiles) reaching the server only through the fault-injection proxy
// (proxy.mjs). Each schedule is a seeded fault plan for the next requests,
// a few sales per till, sometimes a kill (server, PostgreSQL, the browser
// during a sale or during the bootstrap of a new till), then the heal (no
// faults, every till synced to an empty outbox) and the invariant check
// (invariants.mjs). One line per schedule; the store and the tills are
// reused across schedules, so a schedule costs seconds.
//   node tests/fault/soak.mjs SCHEDULES=50 [SEED=7] [LOG=decisions.jsonl]
// (SALESPIDER_BIN and SALESPIDER_WWW as for the browser tests; `make soak`.)
// Exit 1 when any invariant broke. Replay a failing schedule with the same
// SEED: schedule S's plan and kill come from prng(SEED * 100003 + S).
// Deliberately not here: spoiled ops (every flag counts as wrong), refunds.
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startStore, enrol, openTill, sell, syncNow, waitSynced, waitFor, waitScreen, fill, signIn, skipSetup, openShift, OWNER,
} from '../browser/lib/till.mjs';
import { homeTrusting, tillState, click } from '../browser/lib/harness.mjs';
import { startChromium, tempProfile, removeProfile } from '../browser/lib/chromium-process.mjs';
import { startProxy, seededPlan, prng } from './proxy.mjs';
import { readJournal, checkInvariants, summarise } from './invariants.mjs';

export const KILLS = ['kill_server', 'kill_postgres', 'kill_browser_sale', 'kill_browser_bootstrap'];
const CODES = Array.from({ length: 10 }, (_, i) => `D1000${i}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs one step of a schedule; a failure names the step.
async function step(name, fn) {
  try {
    return await fn();
  } catch (err) {
    err.message = `${name}: ${err.message}`;
    throw err;
  }
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitGone(pid, ms = 30000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (!alive(pid)) return true;
  return false;
}

// --- kill hooks ------------------------------------------------------------

// The server's pid from DATA_PATH/salespider.pid (service/status.cpp).
export function serverPid(dataPath) {
  return JSON.parse(readFileSync(path.join(dataPath, 'salespider.pid'), 'utf8')).pid;
}

// The embedded postmaster's pid: the first line of its postmaster.pid.
export function postmasterPid(dataPath) {
  const file = path.join(dataPath, 'postgres', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : 0;
}

// SIGKILL the server (no shutdown), then start it again at once on the same
// DATA_PATH and HTTP port, as systemd's Restart= or an operator would.
// Resolves with null, or with what went wrong when the restart failed (it
// is then tried again once the old postmaster is gone, so the soak goes on).
export async function killServer(store) {
  const pid = serverPid(store.dataPath);
  const postmaster = postmasterPid(store.dataPath);
  process.kill(pid, 'SIGKILL');
  await waitGone(pid);
  try {
    await store.start();
    return null;
  } catch (err) {
    const fatal = [...err.message.matchAll(/FATAL: +([^\n"\\]+)/g)].pop();
    const why = /postmaster\.pid\\?" already exists/.test(err.message)
      ? 'lock file postmaster.pid already exists (the old postmaster was still shutting down)'
      : fatal ? fatal[1] : err.message.split('\n')[0];
    await waitGone(postmaster, 60000);
    await store.start();
    return `restart right after SIGKILL failed: ${why}`;
  }
}

// SIGKILL the embedded postmaster; the server must notice and bring it back.
export async function killPostgres(store) {
  const pid = postmasterPid(store.dataPath);
  if (pid > 0) process.kill(pid, 'SIGKILL');
  await waitGone(pid);
}

// --- tills -----------------------------------------------------------------

// Chromium reads the store CA from HOME's NSS database (harness.mjs
// homeTrusting); startChromium passes our environment on.
async function launch(till, home) {
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    till.chrome = await startChromium(till.profile);
  } finally {
    process.env.HOME = saved;
  }
  till.page = await till.chrome.context.newPage();
  await till.page.setViewportSize({ width: 1024, height: 720 });
}

// After a restart: signed in, on the till screen, in a shift.
async function readyToSell(page) {
  await waitFor(page, () => {
    const s = window.salespider.state();
    return s.till.enrolled && s.sync.last_sync_ms > 0 && !s.sync.bootstrapping
      && ['welcome', 'till', 'login', 'setup'].includes(s.screen);
  }).catch(async (err) => {
    const s = await tillState(page);
    err.message += ` (screen ${s.screen}, enrolled ${s.till.enrolled}, sync ${JSON.stringify(s.sync)})`;
    throw err;
  });
  let s = await tillState(page);
  if (s.screen === 'welcome') {
    await click(page, 'Open till');
    await waitFor(page, () => window.salespider.state().screen !== 'welcome');
  }
  s = await tillState(page);
  if (s.screen === 'login') await signIn(page, OWNER);
  s = await tillState(page);
  if (s.screen === 'setup') await skipSetup(page);
  if ((await tillState(page)).shift === null) await openShift(page);
}

async function newTill(name, home, url) {
  const till = { name, profile: tempProfile(), rung: [], inflight: 0, journal: [], id: null };
  await launch(till, home);
  try {
    till.id = (await enrol(till.page, url, name)).till.id;
  } catch (err) {
    await till.chrome.kill().catch(() => {}); // not in the runner's list yet: ours to close
    removeProfile(till.profile);
    throw err;
  }
  return till;
}

async function reopen(till, home, url) {
  await launch(till, home);
  await openTill(till.page, url);
}

// A sale whose browser dies after F4 at a seeded moment: the sale may or may
// not be recorded; what was recorded before must survive the kill.
async function killDuringSale(till, random, home, url) {
  const page = till.page;
  const before = (await tillState(page)).last_receipt || 0;
  await page.keyboard.type(CODES[Math.floor(random() * CODES.length)]);
  await page.keyboard.press('Enter');
  await waitFor(page, () => window.salespider.state().cart.lines.length > 0, null, 15000);
  await page.keyboard.press('F4');
  await sleep(Math.floor(random() * 300));
  till.inflight += 1;
  await till.chrome.kill();
  await reopen(till, home, url);
  await readyToSell(till.page);
  const s = await tillState(till.page);
  const after = s.last_receipt || 0;
  if (after < before) return `last receipt ${after} < ${before} after the kill`;
  // The sale was recorded but its cart came back too: ringing it up again
  // (what a cashier would do) would record it twice.
  if (after > before && s.cart.lines.length > 0) {
    return `restored cart: the killed sale was recorded (receipt ${after}) and its cart restored with ${s.cart.lines.length} line(s)`;
  }
  return null;
}

// A new till killed while it enrols and bootstraps, then opened again on
// the same profile: it must finish (or redo) its enrolment and sell.
async function killDuringBootstrap(name, random, home, url) {
  const till = { name, profile: tempProfile(), rung: [], inflight: 0, journal: [], id: null };
  await launch(till, home);
  const page = till.page;
  await openTill(page, url);
  await click(page, 'Open till');
  await waitScreen(page, 'enrol');
  await fill(page, '##manager-login', OWNER.login);
  await fill(page, '##manager-password', OWNER.password);
  await fill(page, '##till-name', name);
  await click(page, 'Enrol this till');
  await sleep(Math.floor(random() * 1500));
  const phase = await tillState(page).then((s) => (s.sync.bootstrapping ? 'bootstrapping' : s.till.enrolled ? 'enrolled' : 'enrolling'));
  await till.chrome.kill();
  await reopen(till, home, url);
  const s = await tillState(till.page);
  if (!s.till.enrolled) await enrol(till.page, url, name); // killed before the till kept its identity
  else await readyToSell(till.page);
  till.id = (await tillState(till.page)).till.id;
  return { till, phase };
}

async function heal(tills) {
  for (const till of tills) {
    await step(`sync ${till.name}`, async () => {
      await syncNow(till.page);
      await waitSynced(till.page, 90000);
    });
  }
}

// --- the run ---------------------------------------------------------------

// options: { schedules, seed, plans: [{ force: [...faults], kill }] (the CI
// test's fixed coverage; beyond them, seeded), requests (seeded faults per
// schedule), salesPerTill (at most), log(line), decisionsFile }. Resolves with { total, failures,
// faults: { kind: count } }.
export async function runSoak({
  schedules = 10, seed = 1, plans = [], requests = 6, salesPerTill = 3, log = console.log, decisionsFile = null,
} = {}) {
  const bin = process.env.SALESPIDER_BIN;
  const store = await startStore({ env: { DOMAIN: 'localhost' } });
  const tls = path.join(store.dataPath, 'tls');
  const home = homeTrusting(path.join(tls, 'ca.crt'));
  const proxy = await startProxy({
    cert: readFileSync(path.join(tls, 'server.crt')),
    key: readFileSync(path.join(tls, 'server.key')),
    ca: readFileSync(path.join(tls, 'ca.crt')),
    upstream: () => ({ host: '127.0.0.1', port: store.server.httpsPort }),
    onDecision: (d) => { if (decisionsFile) appendFileSync(decisionsFile, JSON.stringify(d) + '\n'); },
  });
  const tills = [];
  const retired = [];
  const seen = new Set();
  const total = { schedules: 0, sales: 0, lost: 0, duplicated: 0, wrongly_flagged: 0, other: 0 };
  const failures = [];
  const faultTotals = {};
  let current = 0;
  try {
    tills.push(await newTill('Soak A', home, proxy.url), await newTill('Soak B', home, proxy.url));
    for (let s = 1; s <= schedules; s++) {
      const started = Date.now();
      current = s;
      const random = prng(seed * 100003 + s);
      const fixed = plans[s - 1];
      const kill = fixed ? fixed.kill : (random() < 0.25 ? KILLS[Math.floor(random() * KILLS.length)] : null);
      proxy.setPlan(seededPlan(seed * 100003 + s, { requests, force: fixed?.force || [] }), s);
      const firstDecision = proxy.decisions.length;
      const notes = [];
      let sales = 0;
      for (const [i, till] of tills.entries()) {
        const n = 1 + Math.floor(random() * salesPerTill);
        for (let k = 0; k < n; k++) {
          const codes = [CODES[Math.floor(random() * CODES.length)]];
          if (random() < 0.4) codes.push(CODES[Math.floor(random() * CODES.length)]);
          const done = await step(`sell on ${till.name}`, () => sell(till.page, codes));
          till.rung.push({ receipt_number: done.receipt_number, total: done.total });
          sales += 1;
          await sleep(Math.floor(random() * 400)); // let a push start under the plan
        }
        if (i === 0 && kill === 'kill_server') {
          const broke = await step('kill the server', () => killServer(store));
          if (broke) notes.push(broke);
        }
        if (i === 0 && kill === 'kill_postgres') await step('kill PostgreSQL', () => killPostgres(store));
        if (i === 0 && kill === 'kill_browser_sale') {
          const broke = await step('kill the browser during a sale', () => killDuringSale(till, random, home, proxy.url));
          if (broke) notes.push(broke);
        }
      }
      if (kill === 'kill_browser_bootstrap') {
        const old = tills.pop();
        await heal([old]);
        old.journal = await readJournal(old.page);
        await old.chrome.kill();
        removeProfile(old.profile);
        retired.push(old);
        const { till, phase } = await step('kill the browser during a bootstrap', () => killDuringBootstrap(`Soak ${s}`, random, home, proxy.url));
        notes.push(`bootstrap killed while ${phase}`);
        tills.push(till);
        const done = await sell(till.page, [CODES[0]]);
        till.rung.push({ receipt_number: done.receipt_number, total: done.total });
        sales += 1;
      }
      proxy.heal();
      await step('heal', () => heal(tills));
      for (const till of tills) till.journal = await readJournal(till.page);
      const { problems } = checkInvariants({ dataPath: store.dataPath, bin, tills: [...tills, ...retired] });
      const fresh = problems.filter((p) => !seen.has(p.key));
      fresh.forEach((p) => seen.add(p.key));
      for (const note of notes.filter((x) => x.startsWith('last receipt'))) fresh.push({ kind: 'lost', key: note, detail: note });
      for (const note of notes.filter((x) => x.startsWith('restored cart'))) fresh.push({ kind: 'duplicated', key: note, detail: note });
      for (const note of notes.filter((x) => x.startsWith('restart'))) fresh.push({ kind: 'restart', key: note, detail: note });
      const n = summarise(fresh);
      const faults = {};
      for (const d of proxy.decisions.slice(firstDecision)) if (d.fault !== 'pass') faults[d.fault] = (faults[d.fault] || 0) + 1;
      if (kill) faults[kill] = 1;
      for (const [k, v] of Object.entries(faults)) faultTotals[k] = (faultTotals[k] || 0) + v;
      const faultText = Object.entries(faults).map(([k, v]) => `${k}:${v}`).join(',') || 'none';
      log(`schedule=${s} sales=${sales} lost=${n.lost} duplicated=${n.duplicated} wrongly_flagged=${n.wrongly_flagged}`
        + `${n.other ? ` other=${n.other}` : ''} faults=${faultText} ms=${Date.now() - started}`);
      for (const p of fresh) log(`  seed=${seed} schedule=${s} ${p.kind}: ${p.detail}`);
      if (fresh.length) failures.push({ schedule: s, problems: fresh });
      total.schedules += 1;
      total.sales += sales;
      for (const k of ['lost', 'duplicated', 'wrongly_flagged', 'other']) total[k] += n[k];
    }
  } catch (err) {
    // A schedule that could not finish (a till that never synced, a server
    // that never came back) is a failure too: say where, then stop.
    log(`schedule=${current} seed=${seed} error: ${err.message.split('\n').slice(0, 3).join(' | ')}`);
    failures.push({ schedule: current, problems: [{ kind: 'error', detail: err.message }] });
    total.other += 1;
  } finally {
    await proxy.close().catch(() => {});
    for (const till of tills) {
      await till.chrome?.kill().catch(() => {});
      removeProfile(till.profile);
    }
    await store.remove();
    rmSync(home, { recursive: true, force: true });
  }
  log(`soak seed=${seed} schedules=${total.schedules} sales=${total.sales} lost=${total.lost} `
    + `duplicated=${total.duplicated} wrongly_flagged=${total.wrongly_flagged} other=${total.other}`);
  return { total, failures, faults: faultTotals };
}

// Run from the command line: KEY=VALUE arguments or the environment.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = Object.fromEntries(process.argv.slice(2).map((a) => a.split('=')));
  const get = (k, d) => args[k] ?? process.env[k] ?? d;
  const { failures } = await runSoak({
    schedules: Number(get('SCHEDULES', 10)),
    seed: Number(get('SEED', Date.now() % 100000)),
    decisionsFile: get('LOG', null),
  });
  process.exit(failures.length ? 1 : 0);
}
