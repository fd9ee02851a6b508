// The server half of a till's bootstrap, without a browser (docs/benchmarks.md
// "Till: bootstrap"): the paged JSON pull (limit 1000, one page in flight, as
// the till did) against the plan + parts (bootstrap in parts, N parts in
// flight), each for a new till of the same store, alternating, timed from
// node with gzip. Reports, never fails.
// Usage: node bench/bootstrap_server_bench.mjs <data path seeded by till_bench.mjs (TILL_BENCH_DATA)> [rounds=2] [in flight=3]
// BOOTSTRAP_MODES=parts: the parts only (the paged pull takes a minute at 100k).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.SALESPIDER_BIN ||= repo + '/build/native/server/salespider';
process.env.SALESPIDER_WWW ||= repo + '/build/wasm/dist';
const { startServer } = await import(repo + '/tests/browser/lib/harness.mjs');
const { api, ownerToken, OWNER } = await import(repo + '/tests/browser/lib/till.mjs');
const [dataPath, rounds = 2, inflight = 3] = [process.argv[2], Number(process.argv[3] || 2), Number(process.argv[4] || 3)];
const server = await startServer(['--data-path', dataPath], { env: { SUPER_ADMIN_PASSWORD: OWNER.password } });
try {
  const token = await ownerToken(server);
  const get = async (url, cred) => {
    const t = performance.now();
    const r = await fetch(new URL(url, server.httpUrl), { headers: { Authorization: 'Bearer ' + cred, 'Accept-Encoding': 'gzip' } });
    const buf = Buffer.from(await r.arrayBuffer());
    if (r.status !== 200) throw new Error(url + ' ' + r.status + ' ' + buf);
    return { ms: performance.now() - t, bytes: Number(r.headers.get('content-length') || buf.length), text: buf.toString() };
  };
  const out = { old: [], parts: [] };
  for (let k = 0; k < rounds; k++) {
    for (const mode of (process.env.BOOTSTRAP_MODES || 'old,parts').split(',')) {
      const till = await api(server, 'POST', '/api/v1/tills', { name: `probe ${mode} ${k} ${Date.now()}` }, token);
      const t0 = performance.now();
      let rows = 0, bytes = 0, n = 0, worst = 0;
      if (mode === 'old') {
        let cursor = '';
        for (;;) {
          const r = await get(`/api/v1/sync/pull?protocol_version=1&limit=1000&cursor=${encodeURIComponent(cursor)}`, till.credential);
          const p = JSON.parse(r.text); n++; bytes += r.bytes; rows += p.changes.length; worst = Math.max(worst, r.ms);
          cursor = p.next_cursor;
          if (!p.changes.length && !p.remaining) break;
        }
      } else {
        const r = await get('/api/v1/sync/bootstrap?protocol_version=1', till.credential);
        const plan = JSON.parse(r.text); n++; bytes += r.bytes; rows += plan.page.changes.length;
        const queue = [...plan.parts];
        const worker = async () => {
          while (queue.length) {
            const [a, u] = queue.shift();
            const p = await get(`/api/v1/sync/bootstrap/part?protocol_version=1&after=${a}&upto=${u}`, till.credential);
            n++; bytes += p.bytes; worst = Math.max(worst, p.ms);
            rows += p.text.split('\n').length - 1;
          }
        };
        await Promise.all(Array.from({ length: inflight }, worker));
        const f = await get(`/api/v1/sync/pull?protocol_version=1&limit=1000&cursor=${plan.cursor}`, till.credential);
        n++; rows += JSON.parse(f.text).changes.length;
      }
      const ms = Math.round(performance.now() - t0);
      out[mode].push({ ms, rows, requests: n, bytes, worst_request_ms: Math.round(worst) });
      console.log(mode, JSON.stringify(out[mode].at(-1)));
    }
  }
} finally {
  await server.stop();
}
