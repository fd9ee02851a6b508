// The till's service worker: keeps one version of the app shell in Cache
// Storage so the till starts with no network at all. The same bytes serve
// every release: the version comes from the registration URL
// (sw.js?v=<version>, set by app.js), and the files from that version's
// precache list, shell.<version>.json, written by cmake/till_shell.cmake.
// A new version is a new registration URL, hence a new worker that installs
// in the background and then WAITS: only the page switches (app.js posts
// 'activate-update' when the till is at a safe moment), or the browser does
// when no till page is open.
//
//   [X] install: every file of the list fetched (or reused from the previous
//       version's cache when its name carries a content hash), sha256 and
//       size checked, stored with the list's Content-Type; any mismatch
//       fails the install and the old version stays
//   [X] activate: earlier versions' caches deleted, open pages claimed
//   [X] fetch: shell files cache-first; navigations to the till (/ and
//       /index.html, any query) answered with the cached index.html, and to
//       the customer display (customer.html) with its cached page; /api/*
//       never touched (network only, never cached); other .js/.wasm/.data
//       requests go to the network and an HTML answer becomes a network error
//   [ ] background sync, push, periodic update checks (app.js checks)
'use strict';

const VERSION = new URL(self.location.href).searchParams.get('v') || '';
const CACHE_PREFIX = 'salespider-shell-';
const CACHE = CACHE_PREFIX + VERSION;
const SCOPE = new URL(self.registration.scope);
const LIST_URL = new URL('shell.' + VERSION + '.json', SCOPE).href;
const INDEX_URL = new URL('index.html', SCOPE).href;

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fetchChecked(file, url) {
  let response = file.immutable ? await caches.match(url) : undefined;
  if (!response) {
    // A hashed name never changes content, so the HTTP cache (which holds
    // what the page itself just downloaded) is as good as the server.
    response = await fetch(url, { cache: file.immutable ? 'default' : 'no-cache', credentials: 'same-origin', redirect: 'error' });
    if (response.status !== 200) throw new Error(`${file.url}: HTTP ${response.status}`);
  }
  const body = await response.arrayBuffer();
  if (body.byteLength !== file.bytes || hex(await crypto.subtle.digest('SHA-256', body)) !== file.sha256) {
    throw new Error(`${file.url}: content does not match shell.${VERSION}.json`);
  }
  return new Response(body, { status: 200, headers: { 'Content-Type': file.type, 'X-Shell-Sha256': file.sha256 } });
}

async function precache() {
  if (!/^[0-9a-f]{16}$/.test(VERSION)) throw new Error('register sw.js?v=<16 hex digit shell version>');
  const listResponse = await fetch(LIST_URL, { cache: 'no-cache', credentials: 'same-origin' });
  if (listResponse.status !== 200) throw new Error(`shell.${VERSION}.json: HTTP ${listResponse.status}`);
  const list = await listResponse.json();
  if (list.format !== 'salespider-shell' || list.version !== VERSION || !Array.isArray(list.files)) {
    throw new Error(`shell.${VERSION}.json is not this version's list`);
  }
  const cache = await caches.open(CACHE);
  await Promise.all(list.files.map(async (file) => {
    const url = new URL(file.url, SCOPE).href;
    const cached = await cache.match(url);
    if (cached && cached.headers.get('X-Shell-Sha256') === file.sha256) return;
    await cache.put(url, await fetchChecked(file, url));
  }));
  // Written last: its presence means this version's cache is complete.
  await cache.put(LIST_URL, new Response(JSON.stringify(list), { headers: { 'Content-Type': 'application/json' } }));
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
    }
    // The first version takes over the page that registered it, so the
    // till works offline from its first visit on.
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'activate-update') self.skipWaiting();
  else if (type === 'version' && event.ports[0]) event.ports[0].postMessage({ version: VERSION });
});

async function fromShell(request, url) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(url);
  if (hit) return hit;
  return guarded(request);
}

// Network, but never HTML where a script or wasm module was asked for (a
// captive portal or a proxy's error page must not reach the JS engine).
async function guarded(request) {
  const response = await fetch(request);
  const type = response.headers.get('Content-Type') || '';
  if (/\.(m?js|wasm|data)$/.test(new URL(request.url).pathname) && type.startsWith('text/html')) {
    return Response.error();
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  const path = url.pathname.slice(SCOPE.pathname.length);
  if (path.startsWith('api/')) return;
  if (request.mode === 'navigate') {
    if (path === '' || path === 'index.html') event.respondWith(fromShell(request, INDEX_URL));
    // The customer display opens as its own page, offline too.
    else if (path === 'customer.html') event.respondWith(fromShell(request, new URL(path, SCOPE).href));
    return;
  }
  if (url.search === '' && path !== '' && !path.startsWith('shell.')) {
    event.respondWith(fromShell(request, url.href));
  }
});
