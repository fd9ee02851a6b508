// Offline sign-in cost (docs/benchmarks.md, "Offline sign-in: PBKDF2 in the
// browser"): what it costs Debian's headless Chromium to derive the till's
// verifier (WebCrypto PBKDF2-HMAC-SHA-256, 32 bytes, wasm-client/auth/
// accounts.hpp kVerifierIterations) at the old, an intermediate and the
// current iteration count, side by side in one run (interleaved), as
//   - wall time in the page (what a person waits for on this machine), and
//   - CPU time of all the browser's processes during it (/proc), which a
//     loaded machine does not inflate. A "low-end mobile" estimate is that
//     CPU time times 6, the slowdown of Chrome DevTools' preset of that name;
//     the preset itself (Emulation.setCPUThrottlingRate) cannot be used: it
//     slows only the page's main thread, and WebCrypto derives on another.
// Env: PBKDF2_BENCH_RUNS (7 derivations per count). Writes
// build/bench/results/pbkdf2.json. Never fails on speed.
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skip = (why) => { console.log(`pbkdf2 bench: SKIPPED: ${why}`); process.exit(0); };
if (!existsSync(path.join(repo, 'tests/browser/node_modules/playwright-core'))) skip('playwright-core is missing (make deps)');
const { CHROMIUM } = await import('../tests/browser/lib/harness.mjs');
const { chromium } = await import('../tests/browser/node_modules/playwright-core/index.mjs');
if (!existsSync(CHROMIUM)) skip(`${CHROMIUM} is missing (make deps)`);

const RUNS = Number(process.env.PBKDF2_BENCH_RUNS || 7);
const COUNTS = [100000, 310000, 600000];
const LOW_END_MOBILE = 6;
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

// A page on a loopback origin: WebCrypto needs a secure context.
const server = http.createServer((req, res) => { res.setHeader('Content-Type', 'text/html'); res.end('<!doctype html><title>pbkdf2</title>'); });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
// The marker finds the browser's own process again (playwright's Browser does not expose it).
const marker = `--pbkdf2-bench=${process.pid}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', marker] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);

// Every process of this browser (the launcher's child and its descendants).
function browserPids() {
  const all = [];
  const walk = (pid) => {
    all.push(pid);
    let children = '';
    try { children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }); } catch { /* none */ }
    for (const c of children.split('\n').filter(Boolean)) walk(Number(c));
  };
  const roots = execFileSync('pgrep', ['-f', '--', marker], { encoding: 'utf8' }).split('\n').filter(Boolean);
  // The oldest match is the browser; its descendants are found from it.
  walk(Number(roots[0]));
  return all;
}

// CPU time (user + system, ms) used so far by these processes.
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch { /* gone */ }
  }
  return ticks * (1000 / TICKS_PER_SECOND);
}

// One derivation: its wall time in the page and the browser's CPU time, in ms.
async function derive(iterations, pids) {
  const key = await page.evaluateHandle(() => crypto.subtle.importKey('raw', new TextEncoder().encode('Manager-pass-1234'),
    'PBKDF2', false, ['deriveBits']));
  const cpu0 = cpuMs(pids);
  const wall = await page.evaluate(async ([k, n]) => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const t0 = performance.now();
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: n }, k, 256);
    return performance.now() - t0;
  }, [key, iterations]);
  const cpu = cpuMs(pids) - cpu0;
  await key.dispose();
  return { wall, cpu };
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: Math.round(s[Math.floor(s.length / 2)]), min: Math.round(s[0]), max: Math.round(s[s.length - 1]) };
};

const pids = browserPids();
const samples = Object.fromEntries(COUNTS.map((n) => [n, { wall: [], cpu: [] }]));
for (let r = 0; r < RUNS; ++r) {
  for (const n of COUNTS) {
    const { wall, cpu } = await derive(n, pids);
    samples[n].wall.push(wall);
    samples[n].cpu.push(cpu);
  }
}
const results = { runs: RUNS, low_end_mobile_factor: LOW_END_MOBILE, counts: {} };
for (const n of COUNTS) {
  const cpu = stats(samples[n].cpu);
  results.counts[n] = { wall_ms: stats(samples[n].wall), cpu_ms: cpu, low_end_mobile_ms: cpu.median * LOW_END_MOBILE };
  console.log(`${n} iterations: wall median ${results.counts[n].wall_ms.median} ms (${results.counts[n].wall_ms.min}-${results.counts[n].wall_ms.max}),`
    + ` CPU median ${cpu.median} ms (${cpu.min}-${cpu.max}), low-end mobile ~${cpu.median * LOW_END_MOBILE} ms`);
}
await browser.close();
server.close();
const out = path.join(repo, 'build/bench/results');
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'pbkdf2.json'), JSON.stringify(results, null, 2));
