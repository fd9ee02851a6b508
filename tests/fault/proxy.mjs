// The fault-injection proxy: a loopback-only TLS-terminating HTTP/1.1 proxy
// between the tills and the store server. It answers on 127.0.0.1 with the
// store's own certificate (so a browser trusting the store CA trusts it, as
// it trusts the server), reads each request whole (Content-Length or
// chunked), and for every request to /api/v1/sync/* (or every request, with
// { all: true }) asks the current plan for a fault:
//   pass            forward, answer
//   drop_request    close the till's connection before forwarding anything
//   drop_answer     forward, read the server's whole answer (it committed),
//                   then close the till's connection without a byte of it
//   reset_mid_body  forward half the request's bytes, then reset both sides
//   truncate_answer forward, send the till half the answer, then close
//   delay           wait (up to ~2 s), then pass
// Each decision is one JSON line (onDecision / the log file), so a failing
// run can be replayed from its seed.
// Deliberately not here: HTTP/2, pipelining beyond one request at a time,
// upgrades (the till uses none of them), and any change to what is forwarded.
import { connect, createServer } from 'node:tls';

export const FAULTS = ['pass', 'drop_request', 'drop_answer', 'reset_mid_body', 'truncate_answer', 'delay'];

// mulberry32: a tiny seeded PRNG, so a schedule number replays the same plan.
export function prng(seed) {
  let a = (Number(seed) >>> 0) || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A seeded plan for the next `requests` faultable requests: about half pass,
// the rest spread over the other kinds. `force` lists kinds that must come
// first, on the next pushes (the CI test uses it to cover every kind).
// After the plan: pass.
export function seededPlan(seed, { requests = 8, force = [] } = {}) {
  const random = prng(seed);
  const queue = [...force];
  let left = requests;
  return (req) => {
    // Forced faults go to pushes (where a lost answer matters most).
    if (queue.length && req.method === 'POST') return withDelay(queue.shift(), random);
    if (left <= 0) return { fault: 'pass' };
    left -= 1;
    const r = random();
    const fault = r < 0.5 ? 'pass' : FAULTS[1 + Math.floor((r - 0.5) * 2 * (FAULTS.length - 1))];
    return withDelay(fault, random);
  };
}

function withDelay(fault, random) {
  return fault === 'delay' ? { fault, ms: 200 + Math.floor(random() * 1800) } : { fault };
}

// --- a small buffered reader over a socket ---------------------------------

class Reader {
  constructor(socket) {
    this.buf = Buffer.alloc(0);
    this.ended = false;
    this.wake = null;
    socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.notify(); });
    socket.on('end', () => { this.ended = true; this.notify(); });
    socket.on('close', () => { this.ended = true; this.notify(); });
    socket.on('error', () => { this.ended = true; this.notify(); });
  }

  notify() { const w = this.wake; this.wake = null; w?.(); }

  async more() {
    if (this.ended) throw new Error('connection closed');
    await new Promise((r) => { this.wake = r; });
  }

  async until(delimiter) {
    for (;;) {
      const i = this.buf.indexOf(delimiter);
      if (i >= 0) return this.take(i + delimiter.length);
      await this.more();
    }
  }

  async exactly(n) {
    while (this.buf.length < n) await this.more();
    return this.take(n);
  }

  async rest() {
    while (!this.ended) await new Promise((r) => { this.wake = r; });
    return this.take(this.buf.length);
  }

  take(n) {
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

function parseHead(head) {
  const lines = head.toString('latin1').split('\r\n');
  const [start, ...rest] = lines;
  const headers = {};
  for (const line of rest) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { start, headers };
}

// The body's raw bytes as they came (chunk framing kept: we forward bytes).
async function readBody(reader, headers, { toEnd = false } = {}) {
  if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const parts = [];
    for (;;) {
      const sizeLine = await reader.until('\r\n');
      parts.push(sizeLine);
      const size = parseInt(sizeLine.toString('latin1'), 16);
      if (size === 0) {
        // Trailers (none in practice), then the empty line.
        for (;;) {
          const line = await reader.until('\r\n');
          parts.push(line);
          if (line.length === 2) return Buffer.concat(parts);
        }
      }
      parts.push(await reader.exactly(size + 2));
    }
  }
  if (headers['content-length'] !== undefined) return reader.exactly(Number(headers['content-length']));
  return toEnd ? reader.rest() : Buffer.alloc(0);
}

async function readRequest(reader) {
  const head = await reader.until('\r\n\r\n');
  const { start, headers } = parseHead(head);
  const [method, url] = start.split(' ');
  const body = await readBody(reader, headers);
  return { method, url, headers, raw: Buffer.concat([head, body]) };
}

async function readResponse(reader, method) {
  const head = await reader.until('\r\n\r\n');
  const { start, headers } = parseHead(head);
  const status = Number(start.split(' ')[1]);
  const bodyless = method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);
  const body = bodyless ? Buffer.alloc(0) : await readBody(reader, headers, { toEnd: true });
  return { status, headers, raw: Buffer.concat([head, body]) };
}

// A TCP reset where the socket allows it (the peer sees ECONNRESET), a plain
// close otherwise.
function reset(socket) {
  try {
    if (typeof socket.resetAndDestroy === 'function' && socket._handle) return socket.resetAndDestroy();
  } catch { /* a TLS socket without a TCP handle: fall through */ }
  socket.destroy();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts the proxy. cert/key: PEM of the store's server certificate; ca: the
// store CA (the proxy checks the server's certificate with it, as a till
// would); upstream(): { host, port } of the server's HTTPS port now (it moves
// when the server restarts). Resolves with
// { port, url, setPlan(plan, label), heal(), decisions, close() }.
export async function startProxy({ cert, key, ca, upstream, all = false, onDecision = () => {} }) {
  let plan = () => ({ fault: 'pass' });
  let label = null;
  let counter = 0;
  const decisions = [];
  const sockets = new Set();

  function decide(req) {
    const faultable = all || req.url.startsWith('/api/v1/sync/');
    const d = faultable ? plan(req) : { fault: 'pass' };
    const record = { schedule: label, n: ++counter, method: req.method, url: req.url.split('?')[0], ...d };
    if (faultable) {
      decisions.push(record);
      onDecision(record);
    }
    return record;
  }

  function openUpstream() {
    const { host, port } = upstream();
    return new Promise((resolve, reject) => {
      const up = connect({ host, port, ca, servername: 'localhost' }, () => resolve(up));
      up.once('error', reject);
    });
  }

  async function serve(client) {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const reader = new Reader(client);
    try {
      for (;;) {
        const req = await readRequest(reader);
        const d = decide(req);
        if (d.fault === 'drop_request') return reset(client);
        if (d.fault === 'delay') await sleep(d.ms);
        let up;
        try {
          up = await openUpstream();
        } catch {
          return client.destroy(); // the server is down: the till sees a network error
        }
        sockets.add(up);
        up.on('close', () => sockets.delete(up));
        up.on('error', () => {});
        if (d.fault === 'reset_mid_body') {
          up.write(req.raw.subarray(0, Math.max(1, Math.floor(req.raw.length / 2))));
          await sleep(50);
          reset(up);
          return reset(client);
        }
        const upReader = new Reader(up);
        up.write(req.raw);
        let res;
        try {
          res = await readResponse(upReader, req.method);
        } catch {
          up.destroy();
          return client.destroy();
        }
        up.destroy();
        d.status = res.status;
        if (d.fault === 'drop_answer') return reset(client);
        if (d.fault === 'truncate_answer') {
          client.write(res.raw.subarray(0, Math.floor(res.raw.length / 2)));
          await sleep(20);
          return client.destroy();
        }
        client.write(res.raw);
        if (/close/i.test(res.headers.connection || '') || /close/i.test(req.headers.connection || '')) {
          return client.end();
        }
      }
    } catch {
      client.destroy(); // the till closed its connection (or sent garbage)
    }
  }

  const server = createServer({ cert, key, ALPNProtocols: ['http/1.1'] }, serve);
  server.on('tlsClientError', () => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `https://localhost:${port}/`,
    decisions,
    setPlan(next, name) { plan = next; label = name; },
    heal() { plan = () => ({ fault: 'pass' }); },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
