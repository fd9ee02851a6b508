// The back office's Staff and Tills screens, in Debian's Chromium against
// the real store server: a manager adds a cashier on the Staff screen who
// then signs in on a till online and, with the server stopped, offline; a
// manager is offered nothing on the owner's row, and a change the server
// refuses (the list went stale) shows the server's words; a till is enrolled
// with a code made on the Tills screen, then renamed and retired there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, tillState, widgets, click, withScreenshotOnFailure, clickId, widgetById } from './lib/harness.mjs';
import {
  startStore, sql, api, ownerToken, enrol, openTill, signOut, signIn, fill, waitFor, waitScreen, openBackOffice,
  MANAGER, clickToScreen,
} from './lib/till.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function newTill(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  t.after(() => context.close().catch(() => {}));
  return page;
}

// A manager (made by the owner over the API) signed in on the enrolled till.
async function managerSignedIn(store, page) {
  const token = await ownerToken(store.server);
  await api(store.server, 'POST', '/api/v1/users', {
    username: MANAGER.login, display_name: 'Mo Manager', role: 'manager', password: MANAGER.password,
  }, token);
  await signOut(page);
  await signIn(page, MANAGER);
  return token;
}

async function openStaff(page) {
  await openBackOffice(page, 'Staff', 'staff');
  await waitFor(page, () => !window.salespider.state().staff.loading && window.salespider.state().staff.people.length > 0);
}

async function openPerson(page, username) {
  const person = (await tillState(page)).staff.people.find((p) => p.username === username);
  assert.ok(person, `${username} is listed`);
  await clickId(page, `##staff-${person.id}`);
  await waitFor(page, (id) => window.salespider.state().staff.open_id === id, person.id);
  await waitFor(page, () => window.salespider.widgets().some((w) => w.full_label.endsWith('###staff-save')));
  return person;
}

// Scrolls the person panel (the right half) to its end: disable, unlock, sessions.
async function scrollPanel(page) {
  await page.mouse.move(960, 500);
  await page.mouse.wheel(0, 2000);
  await waitFor(page, () => window.salespider.widgets().some((w) => w.full_label.endsWith('###staff-disable')
    || w.full_label.endsWith('###staff-enable')));
}

const CLEO = { login: 'cleo', password: 'Tiger-lily-7391' };

test('a manager adds a cashier on the Staff screen, who signs in online and then offline', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const page = await newTill(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Back');
    await managerSignedIn(store, page);
    await openStaff(page);

    await click(page, 'Add a person');
    await waitFor(page, () => window.salespider.state().staff.adding);
    // A manager may give only the cashier role.
    await fill(page, '##staff-username', CLEO.login);
    await fill(page, '##staff-display-name', 'Cleo Cashier');
    await fill(page, '##staff-password', CLEO.password);
    await click(page, 'Add person');
    await waitFor(page, (login) => window.salespider.state().staff.people.some((p) => p.username === login)
      && !window.salespider.state().staff.writing, CLEO.login);
    const s = await tillState(page);
    assert.equal(s.staff.write_error, '');
    const cleo = s.staff.people.find((p) => p.username === CLEO.login);
    assert.equal(cleo.role, 'cashier');
    assert.equal(cleo.status, 'active');
    assert.equal(sql(store.dataPath, `SELECT role FROM users WHERE username = '${CLEO.login}'`)[0][0], 'cashier');

    // Online, then with the server stopped.
    await clickToScreen(page, 'Back', 'back_office');
    await clickToScreen(page, 'Back', 'till');
    await signOut(page);
    await signIn(page, CLEO);
    let me = (await tillState(page)).user;
    assert.equal(me.username, CLEO.login);
    assert.equal(me.offline, false);
    await signOut(page);
    await store.stop();
    await signIn(page, CLEO);
    me = (await tillState(page)).user;
    assert.equal(me.username, CLEO.login);
    assert.equal(me.offline, true, 'signed in against the till verifier');
  });
});

test("a manager is offered nothing on the owner's row, and a refusal by the server shows in its words", async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const page = await newTill(t);
  await withScreenshotOnFailure(t, page, async () => {
    await enrol(page, store.server.url, 'Back');
    const owner = await managerSignedIn(store, page);
    const made = await api(store.server, 'POST', '/api/v1/users', {
      username: CLEO.login, display_name: 'Cleo Cashier', role: 'cashier', password: CLEO.password,
    }, owner);
    await openStaff(page);

    const admin = await openPerson(page, 'admin');
    assert.equal(admin.role, 'super_admin');
    assert.match(admin.refusal, /owner/);
    // What shows without scrolling the panel: the fields and the first buttons.
    for (const id of ['##staff-display-name', '###staff-save', '###staff-set-role']) {
      assert.equal((await widgetById(page, id)).enabled, false, `${id} is not offered on the owner's row`);
    }

    // Cleo is a cashier on this screen; the owner makes her a manager meanwhile.
    await openPerson(page, CLEO.login);
    await scrollPanel(page);
    assert.equal((await widgetById(page, '###staff-disable')).enabled, true);
    await api(store.server, 'POST', `/api/v1/users/${made.id}/role`, { role: 'manager' }, owner);
    await clickId(page, '###staff-disable');
    await clickId(page, '###staff-confirm');
    await waitFor(page, () => window.salespider.state().staff.write_error !== '');
    assert.match((await tillState(page)).staff.write_error, /may not/);
    assert.equal(sql(store.dataPath, `SELECT status FROM users WHERE id = '${made.id}'`)[0][0], 'active');
  });
});

test('a till enrolled with a code from the Tills screen, then renamed and retired there', async (t) => {
  const store = await startStore();
  t.after(() => store.remove());
  const a = await newTill(t);
  const b = await newTill(t);
  await withScreenshotOnFailure(t, a, async () => {
    await enrol(a, store.server.url, 'Back');
    await openBackOffice(a, 'Tills', 'tills');
    await waitFor(a, () => !window.salespider.state().tills.loading);
    assert.ok((await tillState(a)).tills.tills.some((x) => x.name === 'Back' && x.health !== null));
    await fill(a, '##enrol-code-name', 'Side');
    await click(a, 'Enrol code');
    await waitFor(a, () => window.salespider.state().tills.code !== null);
    const { code, till_url: url } = (await tillState(a)).tills.code;
    assert.match(code, /^[A-HJKMNP-Z2-9]{8}$/);
    assert.ok(url.startsWith('http'));

    // The new browser: a wrong code first, then the right one.
    await openTill(b, store.server.url);
    await click(b, 'Open till');
    await waitScreen(b, 'enrol');
    await fill(b, '##enrol-code', 'ABCDEFGH');
    await click(b, 'Enrol with a code');
    await waitFor(b, () => window.salespider.state().message?.kind === 'error');
    assert.match((await tillState(b)).message.text, /enrolment code/);
    await fill(b, '##enrol-code', code.toLowerCase());
    await click(b, 'Enrol with a code');
    await waitFor(b, () => window.salespider.state().till.enrolled && window.salespider.state().screen === 'login');
    const side = (await tillState(b)).till;
    assert.equal(side.name, 'Side');

    // Back on the first till: the list read again shows it; rename, retire.
    await click(a, 'Back');
    await waitScreen(a, 'back_office');
    await openBackOffice(a, 'Tills', 'tills');
    await waitFor(a, (id) => window.salespider.state().tills.tills.some((x) => x.id === id), side.id);
    await clickId(a, `##till-${side.id}`);
    // The row's panel shows in the frame after ImGui took the click.
    await waitFor(a, () => window.salespider.widgets().some((w) => w.full_label === '##till-rename'));
    await fill(a, '##till-rename', 'Side counter');
    await clickId(a, '###till-rename-save');
    await waitFor(a, (id) => window.salespider.state().tills.tills.find((x) => x.id === id)?.name === 'Side counter',
      side.id);
    // "Till renamed." and its Dismiss push the panel down: dismiss, scroll to the end.
    await click(a, 'Dismiss');
    await a.mouse.move(640, 600);
    await a.mouse.wheel(0, 2000);
    await clickId(a, '###till-retire');
    await a.mouse.wheel(0, 2000);
    await clickId(a, '###till-retire-confirm');
    await waitFor(a, (id) => window.salespider.state().tills.tills.find((x) => x.id === id)?.status === 'retired',
      side.id);
    assert.equal(sql(store.dataPath, `SELECT status || ' ' || (credential_hash IS NULL) FROM tills WHERE id = '${side.id}'`)[0][0],
      'revoked true');
  });
});
