// Helpers for driving the till like a cashier (clicks at the rects the app
// reports, keys, typed text) and for checking what reached the store
// server's PostgreSQL. Reading the till goes only through the read-only
// bridge window.salespider.state().
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, waitReady, tillState, widgets, findWidget, centre, click, inputRead } from './harness.mjs';

// The owner the server creates (SUPER_ADMIN_PASSWORD); the till's forms take
// the username too, which is quicker to type than admin@salespider.local.
export const OWNER = { login: 'admin', password: 'Owner-pass-1234' };
const SERVER_ENV = { SUPER_ADMIN_PASSWORD: OWNER.password, SALESPIDER_DEMO: '1' };
const LONG = 60000;

// --- the store server -------------------------------------------------------

// A demo store with a data path of our own, so the server can be stopped and
// started again on the same data and port: { server, restart(), stop(), remove() }.
// { demo: false }: a new store as `SALESPIDER_DEMO=0 make run` makes it, empty.
// { env: {...} }: more of the server's environment (e.g. a backup repository).
export async function startStore({ demo = true, env: extraEnv = {} } = {}) {
  // As root the embedded PostgreSQL runs as `postgres`, which must reach it.
  const dataPath = mkdtempSync(path.join(os.tmpdir(), 'salespider-till-'));
  chmodSync(dataPath, 0o755);
  const store = {
    dataPath,
    server: null,
    port: 0,
    async start() {
      const env = { ...SERVER_ENV, SALESPIDER_DEMO: demo ? '1' : '0', ...extraEnv };
      store.server = await startServer(['--data-path', dataPath], { env, port: store.port });
      store.port = Number(new URL(store.server.httpUrl).port);
      return store.server;
    },
    async stop() {
      await store.server?.stop();
    },
    // Stops the server (if running) and deletes its data.
    async remove() {
      await store.stop().catch(() => {});
      rmSync(dataPath, { recursive: true, force: true });
    },
  };
  try {
    await store.start();
  } catch (err) {
    rmSync(dataPath, { recursive: true, force: true });
    throw err;
  }
  return store;
}

// The embedded cluster's unix socket (server/db/embedded_postgres.cpp): in
// the cluster directory, DATA_PATH/postgres unless postgres.location moved it,
// or /tmp/salespider-<hash> for paths too long for a socket (not ours).
function socketDir(dataPath) {
  const moved = path.join(dataPath, 'postgres.location');
  const cluster = existsSync(moved) ? readFileSync(moved, 'utf8').trim() : path.join(dataPath, 'postgres');
  if (path.join(cluster, '.s.PGSQL.5432').length > 100) throw new Error(`socket path too long: ${cluster}`);
  return cluster;
}

// Runs one query in the store's PostgreSQL with psql over the unix socket
// and returns its rows as arrays of strings.
export function sql(dataPath, query) {
  const out = execFileSync('psql', ['-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1',
    '-h', socketDir(dataPath), '-p', '5432', '-U', 'postgres', '-d', 'salespider', '-c', query],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

// This till's sales as PostgreSQL holds them, in receipt order.
export function salesOf(dataPath, tillId) {
  if (!/^[0-9a-f-]{36}$/.test(tillId)) throw new Error(`not a till id: ${tillId}`);
  return sql(dataPath, `SELECT s.receipt_number, s.op_id, a.status FROM sales s
    LEFT JOIN applied_ops a ON a.op_id = s.op_id WHERE s.till_id = '${tillId}' ORDER BY s.receipt_seq`)
    .map(([receipt, opId, status]) => ({ receipt, opId, status }));
}

// A manager's session on the server's HTTP API.
export async function api(server, method, url, body, token) {
  const res = await fetch(new URL(url, server.httpUrl), {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

export async function ownerToken(server) {
  return (await api(server, 'POST', '/api/v1/auth/login', OWNER)).token;
}

// --- the till ---------------------------------------------------------------

export function waitFor(page, predicate, arg, timeout = LONG) {
  return page.waitForFunction(predicate, arg, { timeout, polling: 100 });
}

export function waitScreen(page, screen, timeout = LONG) {
  return waitFor(page, (name) => window.salespider.state().screen === name, screen, timeout);
}

// Clicks into the text field whose id is `id` ('##code'), selects what it
// holds (a field may be prefilled) and types text over it.
// A screen that has just opened may still move (a list arriving above the
// field): when the typing went nowhere (no field active, or not all of it
// there), the field is clicked and typed into once more, where it is now.
export async function fill(page, id, text) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const field = (await widgets(page)).find((w) => w.role === 'input' && w.full_label === id);
    if (!field) throw new Error(`no field ${id} on screen ${(await tillState(page)).screen}`);
    const c = centre(field);
    await page.mouse.click(c.x, c.y);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(text);
    // What depends on the text (a button enabled by it) is drawn once the till
    // has read all of it: wait for that before anyone reads the widgets again.
    await inputRead(page);
    const typed = await page.evaluate(() => window.salespider.platform().active_field?.length ?? 0);
    if (typed === [...text].length) return;
  }
}

// Loads the till and waits for its first frame.
export async function openTill(page, url) {
  await page.goto(url + '?automation=1');
  await waitReady(page);
}

// Opens a shift with `float` (major units, as typed) from the till screen
// and comes back to it; resolves once the open is in the journal.
export async function openShift(page, float = '0') {
  // Right after enrolment the till screen may still be settling (the catalog's
  // last page, the categories): a click on a rect from the frame before can
  // land beside the button, so it is tried again until the screen changes.
  await clickToScreen(page, 'Open shift', 'shift');
  await fill(page, '##opening-float', float);
  await click(page, 'Open shift');
  await waitFor(page, () => window.salespider.state().shift !== null && !window.salespider.state().busy);
  // The open's push and its answer redraw the screen's notes (on a phone
  // they move "Back"): the same retry.
  await clickToScreen(page, 'Back', 'till');
  return (await tillState(page)).shift;
}

// Clicks the button `label` until the till shows `screen`: a screen whose
// layout is still moving (a note appears above the button) can move the
// button between reading its rect and the click. Three tries.
export async function clickToScreen(page, label, screen) {
  for (let attempt = 0; ; ++attempt) {
    await click(page, label);
    try {
      await waitScreen(page, screen, 5000);
      return;
    } catch (err) {
      if (attempt === 2) throw err;
      if ((await tillState(page)).screen === screen) return;
    }
  }
}

// Enrols this browser as a till with the owner's account; the owner is then
// signed in. Waits until the catalog arrived (the bootstrap is over). The
// till sells only within a shift: one is opened (and pushed) unless
// `shift: false` (none) or `shift: 'not required'` (the till is set to sell
// without one, e.g. while its pushes are blocked).
// On a store without the demo the owner meets the first-run setup first:
// `setup: 'skip'` (the default) skips it, `setup: 'stay'` leaves the till
// on it (first_run.test.mjs walks it; no shift is opened then).
export async function enrol(page, url, tillName = 'Front', { shift = true, setup = 'skip' } = {}) {
  await openTill(page, url);
  await click(page, 'Open till');
  await waitScreen(page, 'enrol');
  // A tap on the first field as the screen appears can miss it (the till
  // then leaves the button off): type the three once more if so.
  for (let attempt = 0; attempt < 2; attempt++) {
    await fill(page, '##manager-login', OWNER.login);
    await fill(page, '##manager-password', OWNER.password);
    await fill(page, '##till-name', tillName);
    if ((await findWidget(page, 'Enrol this till'))?.enabled) break;
  }
  await click(page, 'Enrol this till');
  await waitFor(page, () => {
    const s = window.salespider.state();
    return (s.screen === 'till' || s.screen === 'setup') && s.till.enrolled && s.user && s.sync.bootstrap_done > 0
      && !s.sync.bootstrapping && s.sync.last_sync_ms > 0 && s.setup.checked;
  });
  await waitVerifierKept(page, 'password');
  if ((await tillState(page)).screen === 'setup') {
    if (setup === 'stay') return tillState(page);
    await skipSetup(page);
  }
  if (shift === true) {
    await openShift(page);
    await waitSynced(page);
  } else if (shift === 'not required') {
    // A manager's setting on the Device screen: this till sells without a shift.
    await clickToScreen(page, 'Device', 'device');
    await click(page, 'Sell only within an open shift', 'checkbox');
    await waitFor(page, () => window.salespider.state().shift_required === false);
    await clickToScreen(page, 'Back', 'till');
  }
  return tillState(page);
}

// Till → Device → Back office: the hub.
export async function openHub(page) {
  if ((await tillState(page)).screen === 'till') {
    await clickToScreen(page, 'Device', 'device');
  }
  await clickToScreen(page, 'Back office', 'back_office');
}

// Till (or any back office screen) → Back office → the hub button `button`,
// until the screen named `screen` shows.
export async function openBackOffice(page, button, screen) {
  if ((await tillState(page)).screen !== 'back_office') await openHub(page);
  await click(page, button);
  await waitScreen(page, screen);
}

export async function signOut(page) {
  await clickToScreen(page, 'Device', 'device');
  await click(page, 'Sign out');
  await waitScreen(page, 'login');
}

export async function signIn(page, { login, password } = OWNER) {
  await waitScreen(page, 'login');
  await fill(page, '##login', login);
  await fill(page, '##password', password);
  await click(page, 'Sign in');
  await waitFor(page, () => ['till', 'setup'].includes(window.salespider.state().screen)
    && window.salespider.state().user);
  await waitVerifierKept(page, 'password');
  if ((await tillState(page)).screen === 'setup') await skipSetup(page);
}

// The first-run setup (shown to the owner of a store without the demo):
// "Skip setup", until the till screen is back.
export async function skipSetup(page) {
  await waitScreen(page, 'setup');
  await click(page, 'Skip setup');
  await waitFor(page, () => window.salespider.state().screen === 'till' && !window.salespider.state().setup.active);
}

// Until the till keeps the signed-in person's password or PIN verifier (it
// derives it just after an online sign-in), so an offline sign-in or a PIN
// approval can follow even if the browser is closed at once.
export async function waitVerifierKept(page, kind) {
  await waitFor(page, (k) => {
    const s = window.salespider.state();
    return s.user !== null && s.known_users.some((u) => u.id === s.user.id && u[k]);
  }, kind);
}

// One attempt at the sign-in screen that may be refused (offline, a wrong
// password): resolves with the state once someone is signed in or the till
// shows an error.
export async function attemptSignIn(page, { login, password }) {
  await waitScreen(page, 'login');
  if ((await tillState(page)).message) { // an earlier answer must not pass for this one's
    await click(page, 'Dismiss');
    await waitFor(page, () => window.salespider.state().message === null);
  }
  await fill(page, '##login', login);
  await fill(page, '##password', password);
  await click(page, 'Sign in');
  await waitFor(page, () => {
    const s = window.salespider.state();
    return (s.screen === 'till' && s.user) || s.message?.kind === 'error';
  });
  return tillState(page);
}

// One sale paid cash, exact: each code scanned, then F4. The code field has
// the focus whenever nothing else is active, so the codes are typed the way
// a keyboard-wedge scanner does (digits, then Enter); after a completed sale
// the next scan starts the next one. Resolves with state().completed once
// the till shows "Sale complete".
export async function sell(page, codes = ['D10000']) {
  let s = await tillState(page);
  if (s.screen !== 'till') throw new Error(`sell: on screen ${s.screen}`);
  for (const code of codes) {
    const before = (await tillState(page)).cart.lines.reduce((n, l) => n + l.quantity_milli, 0);
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await waitFor(page, (n) => window.salespider.state().cart.lines.reduce((m, l) => m + l.quantity_milli, 0) > n,
      before, 15000);
  }
  const previous = (await tillState(page)).last_receipt_number;
  await page.keyboard.press('F4');
  await waitFor(page, (prev) => {
    const c = window.salespider.state().completed;
    return c !== null && c.receipt_number !== prev;
  }, previous, 15000);
  await findWidget(page, 'New sale', 'button'); // the "Sale complete" banner is on screen
  s = await tillState(page);
  if (s.last_receipt_number !== s.completed.receipt_number) {
    throw new Error(`completed ${s.completed.receipt_number} but last_receipt_number ${s.last_receipt_number}`);
  }
  return s.completed;
}

// Device → Sync now → Back: a round now instead of after the backoff.
export async function syncNow(page) {
  const from = (await tillState(page)).screen;
  await clickToScreen(page, 'Device', 'device');
  await click(page, 'Sync now');
  await inputRead(page); // "Back" is found where the frame after the click drew it
  await clickToScreen(page, 'Back', from);
}

// Until the outbox is empty and no round is running.
export async function waitSynced(page, timeout = LONG) {
  await waitFor(page, () => {
    const s = window.salespider.state();
    return s.pending_ops === 0 && !s.sync.busy && s.online;
  }, null, timeout);
  return tillState(page);
}

// A cashier (10% discount limit, no refunds) and a manager with a PIN who
// signed in with it on this till (so the till can check it offline); ends
// with the cashier signed in.
export const CASHIER = { login: 'cashier1', password: 'Cashier-pass-1234' };
export const MANAGER = { login: 'manager1', password: 'Manager-pass-1234', pin: '482916' };
export async function addStaff(store, page) {
  const token = await ownerToken(store.server);
  await api(store.server, 'POST', '/api/v1/users', {
    username: CASHIER.login, display_name: 'Cara Cashier', role: 'cashier', password: CASHIER.password,
  }, token);
  await api(store.server, 'POST', '/api/v1/users', {
    username: MANAGER.login, display_name: 'Mo Manager', role: 'manager', password: MANAGER.password, pin: MANAGER.pin,
  }, token);
  await signOut(page);
  await fill(page, '##pin-login', MANAGER.login);
  await fill(page, '##pin', MANAGER.pin);
  await click(page, 'Sign in with PIN');
  await waitFor(page, (name) => window.salespider.state().user?.username === name, MANAGER.login);
  await waitVerifierKept(page, 'pin');
  await signOut(page);
  await signIn(page, CASHIER);
}
