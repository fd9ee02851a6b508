// Boots the wasm till and exposes window.salespider, the automation bridge
// browser tests (and support staff in DevTools) use to read the till.
//
// In order: checks what the browser offers (WebAssembly, WebGL 2, IndexedDB;
// a clear message instead of a broken till when one is missing), starts
// fetching and compiling the wasm at once while the loader shows progress,
// sets up the global Module that salespider.js (emcc output, non-MODULARIZE)
// picks up, loads it, and once the till drew its first frame registers the
// service worker (sw.js) and looks for a newer version of the app shell.
// The file names come from the boot script's data-* attributes, which the
// build fills with content-hashed names (cmake/till_shell.cmake).
// Deliberately not here: any till UI (the till draws everything in the
// canvas), and anything that drives the till: tests click and tap the
// canvas like a cashier would.
//
// window.salespider:
//   state()     -> {ready, screen, version, tills_opened, error,
//                   storage: {opened, available, persisted, usage, quota, db,
//                             needs_attention, open_ms, error},
//                   read_only, pending_ops, last_receipt,
//                   shell_version, update_available}
//                  ready is true once the first frame reached the canvas;
//                  before the runtime starts: {ready:false, screen:"loading", ...}
//                  storage/read_only/... are the local store's (storage.js,
//                  docs/till-storage.md); read_only: another tab owns the till.
//                  shell_version: the app shell this page runs (16 hex digits,
//                  "dev" unbuilt); update_available: a newer one is installed
//                  and waiting for update.apply().
//                  Also (wasm-client/automation/state_json.cpp): needs_attention,
//                  last_receipt_number, till {enrolled, id, code, name},
//                  store {known, name, currency, time_zone, phone, has_logo,
//                  enabled_tenders, tender_names, date_format, time_format,
//                  language, sell_only_in_shift}, user {id, username,
//                  display_name, role, offline} | null, known_users, online,
//                  sync {configured, browser_online, busy, bootstrapping,
//                  bootstrap_done, bootstrap_total, last_sync_ms, clock_skew_ms,
//                  retry_in_ms, last_error, protocol_too_old, credential_refused},
//                  busy, message {kind, text} | null, cart {lines: [{product_id,
//                  name, quantity_milli, unit_price, total}], total, cash_due,
//                  error}, completed {receipt_number, total, tendered, change,
//                  offline, persist_ms} | null, browse {text, category_id,
//                  products, more, error, ...}, back_office {products, total,
//                  offset, loading, error, offline, editing {id, error,
//                  error_field, product, draft, conflict {mine, theirs}} | null,
//                  categories, tax_rates, price_mode, writing}, settings
//                  {loading, offline, error, error_field, saved, server, draft,
//                  conflict} (each of the three the settings object of
//                  docs/api.md "Settings", logo as has_logo, or null),
//                  staff {people:
//                  [{id, username, display_name, email, role, status, has_pin,
//                  refusal}], open_id, adding, sessions, writing, write_error,
//                  write_field, ...}, tills {tills: [{id, name, code, status,
//                  health {last_sync_at, outbox_depth, app_version,
//                  clock_skew_ms, open_attention} | null}], writing,
//                  write_error, code {code, expires_at, till_url} | null},
//                  audit {filter, rows: [{id, action, entity, actor, changes:
//                  [{field, old, new}], request_id, hash, ...}], selected,
//                  older, newer, loading, error, verdict {ok, checked,
//                  anchors_checked, text} | null, verify_error, exporting,
//                  exported}, attention_ops [{op_id, kind, status, code}],
//                  attention_desk {acting_on, answer, answer_error, may_act},
//                  setup {checked, active, step, saving, error, error_field,
//                  done, setup_url, settings {store_name, currency, ...}}
//                  (automation/audit_json.hpp).
//   frames()    -> the last 1024 animation frames (docs/development.md,
//                  "One animation frame"), for the benchmarks.
//   widgets()   -> [{id, label, full_label, role, window, rect:{x,y,w,h},
//                    enabled, visible, clipped, checked?, open?}]
//                  the interactive items of the last rendered frame, from
//                  Dear ImGui's own item hooks. rect is in CSS pixels relative
//                  to the canvas' top-left corner: add
//                  canvas.getBoundingClientRect() for page coordinates.
//                  role: button | checkbox | input | openable | scrollbar |
//                  titlebar | item. id is the ImGuiID in hex ("0x1A2B3C4D"),
//                  stable across reloads for the same screen and label.
//   platform()  -> the platform layer's own report (platform_browser.cpp):
//                  {webgl: 1|2, ime: {...}, clipboard_len, taps, long_presses,
//                  drags, locale, time_zone, utc_offset_minutes, input_queued
//                  (input events Dear ImGui has not read yet), ...}; ?webgl=1
//                  in the URL forces the WebGL 1 renderer (older tablets).
//   whenReady() -> Promise resolving with state() once ready, rejecting with
//                  the reason if the till cannot start.
//   update      -> {available(), version(), check(), apply()}: the app shell's
//                  update. check() asks the server for the current version
//                  and, if it differs, installs it in the background
//                  (resolves with {latest, available}); apply() switches to
//                  the waiting version and reloads — call it only at a safe
//                  moment (no sale in progress); the "Update ready" button
//                  calls it when the cashier taps it.
//   exportPendingOps({download}) -> Promise of {format, version, ops:[...]}:
//                  every op the server has not acknowledged, read straight
//                  from IndexedDB, downloaded as JSON unless download:false.
//   storageStats() -> what this page read from / wrote to IndexedDB (bytes).
//   lastReceiptHtml() -> the last receipt document printed (bridge.js), or
//                  null; receiptsPrinted() -> how many print() calls returned.
//   debug       -> TEST-ONLY, present only with ?automation=1 (storage.js):
//                  recordTestOp(), seedProducts(n), seedSales(n), flush(), exportFromWasm().
// performance marks (docs/benchmarks.md): salespider-glue-loaded,
// salespider-webgl-checked, salespider-storage-read, salespider-wasm-compiled,
// salespider-runtime-initialized, salespider-ready.
'use strict';

(function () {
  const UPDATE_CHECK_MS = 30 * 60 * 1000;
  const LOW_QUOTA_BYTES = 100 * 1024 * 1024;
  const boot = document.getElementById('boot').dataset;
  const shell = {
    version: boot.version || 'dev',
    js: boot.js || 'salespider.js',
    wasm: boot.wasm || 'salespider.wasm',
    data: boot.data || 'salespider.data',
    wasmBytes: Number(boot.wasmBytes) || 0,
    dataBytes: Number(boot.dataBytes) || 0,
  };
  const canvas = document.getElementById('canvas');
  const loader = document.getElementById('loader');
  const status = document.getElementById('status');
  const progress = document.getElementById('progress');
  const notice = document.getElementById('notice');
  const updateButton = document.getElementById('update');
  let runtimeReady = false;
  let failed = null;
  const readyWaiters = [];

  // --- the loader -----------------------------------------------------------

  function showError(message) {
    if (failed) return;
    failed = message;
    loader.hidden = false;
    loader.classList.add('error');
    status.textContent = message;
    while (readyWaiters.length) readyWaiters.shift().reject(new Error(message));
  }

  function showNotice(message) {
    notice.textContent = message;
    notice.hidden = false;
  }
  notice.addEventListener('click', () => { notice.hidden = true; });

  // Bytes of the wasm and of the data package (the font) received so far;
  // the sizes come from the build, so a compressed transfer still counts
  // against the right total.
  const received = { wasm: 0, data: 0, wasmTotal: shell.wasmBytes, dataTotal: shell.dataBytes, wasmDone: false, dataDone: false };
  function showProgress() {
    if (failed) return;
    if (received.wasmDone && received.dataDone) {
      status.textContent = 'Starting the till…';
      progress.removeAttribute('value');
      return;
    }
    const total = received.wasmTotal + received.dataTotal;
    if (total > 0) progress.value = Math.min(99, (100 * (received.wasm + received.data)) / total);
  }

  async function countBytes(body, onBytes) {
    const reader = body.getReader();
    let n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      n += value.byteLength;
      onBytes(n);
    }
  }

  // --- what this browser offers ----------------------------------------------

  const PRIVATE_HINT = 'If this is a private or incognito window, open SaleSpider in a normal window.';

  // Fails fast, before anything is downloaded.
  function checkBasics() {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return 'This browser cannot run the till: it has no WebAssembly. Update the browser (Chrome, Edge, Firefox or Safari from 2021 on).';
    }
    // WebGL 2, or WebGL 1 on older tablets (the till falls back to it).
    if (typeof WebGL2RenderingContext === 'undefined' && typeof WebGLRenderingContext === 'undefined') {
      return 'This browser cannot draw the till: it has no WebGL. Update the browser.';
    }
    if (!window.indexedDB) {
      return 'This browser does not let the till keep sales on this device (no IndexedDB). ' + PRIVATE_HINT;
    }
    return null;
  }

  // The first WebGL context of a page starts the GPU process, which takes
  // a while; doing it here, while the wasm downloads and compiles, also
  // makes the till's own context quick.
  // WebGL 1 is enough: the till falls back to it where WebGL 2 is missing
  // (and uses it when the page is opened with ?webgl=1, for testing).
  // The probe IS the till's context: made on #canvas with the attributes
  // main() asks for (platform/gl_browser.cpp create_context), so main()'s
  // getContext there returns it instead of making a second one (a context
  // costs ~80 ms of a cold start, and losing one as much of the GPU
  // process's time).
  const TILL_GL = { alpha: false, depth: false, stencil: false, antialias: false };
  function checkWebGl2() {
    const canvas = document.getElementById('canvas');
    const webgl1 = new URLSearchParams(location.search).get('webgl') === '1';
    const probe = (!webgl1 && canvas.getContext('webgl2', TILL_GL)) || canvas.getContext('webgl', TILL_GL);
    if (!probe) {
      return 'This device cannot draw the till: WebGL is turned off or not supported by its graphics driver. '
        + 'Turn on hardware acceleration in the browser settings, or try another browser.';
    }
    return null;
  }

  async function checkStorage() {
    const s = await window.SaleSpiderStorage.whenLoaded();
    if (!s.indexeddb) {
      return 'This browser does not let the till keep sales on this device (storage is blocked). '
        + PRIVATE_HINT + ' Otherwise allow this site to store data in the browser settings.';
    }
    return null;
  }

  // Not fatal: the till runs, but the cashier should know.
  async function storageNotices() {
    if (!('serviceWorker' in navigator)) {
      showNotice('This browser cannot keep the till for offline use, so it will not start without the network. ' + PRIVATE_HINT);
      return;
    }
    try {
      const { quota } = await navigator.storage.estimate();
      if (typeof quota === 'number' && quota < LOW_QUOTA_BYTES) {
        showNotice('This browser gives the till very little storage (' + Math.round(quota / 1048576) + ' MB). ' + PRIVATE_HINT);
      }
    } catch { /* no estimate: nothing to say */ }
  }

  // --- the wasm: fetched and compiled at once, instantiated by the glue -------

  async function compileWasm() {
    const response = await fetch(shell.wasm, { credentials: 'same-origin' });
    if (!response.ok) throw new Error('HTTP ' + response.status + ' for ' + shell.wasm);
    if (!received.wasmTotal) received.wasmTotal = Number(response.headers.get('Content-Length')) || 0;
    if (response.body) {
      countBytes(response.clone().body, (n) => { received.wasm = n; showProgress(); }).catch(() => {});
    }
    let module;
    if (typeof WebAssembly.compileStreaming === 'function'
        && (response.headers.get('Content-Type') || '').startsWith('application/wasm')) {
      module = await WebAssembly.compileStreaming(response);
    } else {
      module = await WebAssembly.compile(await response.arrayBuffer());
    }
    received.wasm = received.wasmTotal;
    received.wasmDone = true;
    showProgress();
    performance.mark('salespider-wasm-compiled');
    return module;
  }

  // --- the runtime ------------------------------------------------------------

  // Copies a JSON string out of wasm memory before the next call reuses it.
  function callJson(exportName) {
    return JSON.parse(Module.UTF8ToString(Module[exportName]()));
  }

  let registration = null;

  function updateAvailable() {
    return Boolean(registration && registration.waiting && versionOf(registration.waiting) !== shell.version);
  }

  function state() {
    const s = runtimeReady ? callJson('_salespider_state_json') : {
      ready: false, screen: 'loading', version: null, tills_opened: 0, error: failed,
      storage: null, read_only: false, pending_ops: 0, last_receipt: null,
    };
    s.shell_version = shell.version;
    s.update_available = updateAvailable();
    return s;
  }

  function widgets() {
    return runtimeReady ? callJson('_salespider_widgets_json') : [];
  }

  function whenReady() {
    const s = state();
    if (s.ready) return Promise.resolve(s);
    if (failed) return Promise.reject(new Error(failed));
    if (s.error) return Promise.reject(new Error(s.error));
    return new Promise((resolve, reject) => readyWaiters.push({ resolve, reject }));
  }

  // Polls once per display frame until the till reports its first frame or a
  // startup error; the till has no JS callbacks of its own to tell us.
  function watchStartup() {
    const s = state();
    if (s.error) {
      showError('This device cannot run the till: ' + s.error + '.');
      return;
    }
    if (s.ready) {
      performance.mark('salespider-ready');
      loader.hidden = true;
      while (readyWaiters.length) readyWaiters.shift().resolve(s);
      startServiceWorker();
      return;
    }
    requestAnimationFrame(watchStartup);
  }

  // --- service worker and updates ----------------------------------------------

  function versionOf(worker) {
    return new URL(worker.scriptURL).searchParams.get('v');
  }

  function showUpdateReady() {
    if (updateAvailable()) updateButton.hidden = false;
  }

  function watchRegistration(reg) {
    registration = reg;
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      if (!worker) return;
      worker.addEventListener('statechange', () => { if (worker.state === 'installed') showUpdateReady(); });
    });
    showUpdateReady();
  }

  function register(version) {
    return navigator.serviceWorker.register('sw.js?v=' + version, { scope: './', updateViaCache: 'none' });
  }

  // Resolves once the worker for `version` finished installing (or failed).
  function installed(reg) {
    const worker = reg.installing;
    if (!worker) return Promise.resolve();
    return new Promise((resolve) => {
      worker.addEventListener('statechange', () => {
        if (worker.state === 'installed' || worker.state === 'activated' || worker.state === 'redundant') resolve();
      });
    });
  }

  // The server's current shell (never from a cache: sw.js leaves shell.*
  // to the network). A different version than the newest worker's is
  // installed in the background; it then waits for apply().
  async function checkForUpdate() {
    if (!registration) return { latest: null, available: false };
    const response = await fetch('shell.json', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) throw new Error('HTTP ' + response.status + ' for shell.json');
    const latest = await response.json();
    if (!/^[0-9a-f]{16}$/.test(latest.version || '')) throw new Error('shell.json has no version');
    const newest = registration.installing || registration.waiting || registration.active;
    if (!newest || versionOf(newest) !== latest.version) {
      await installed(await register(latest.version));
    } else if (newest === registration.installing) {
      // The check at start is installing this very version: wait for it,
      // or the answer would say "nothing available" a moment too early.
      await installed(registration);
    }
    showUpdateReady();
    return { latest: latest.version, available: updateAvailable() };
  }

  function quietCheck() {
    if (navigator.onLine !== false) checkForUpdate().catch(() => { /* offline or mid-deploy: next time */ });
  }

  async function startServiceWorker() {
    // An unbuilt page has no precache list to install.
    if (!('serviceWorker' in navigator) || !/^[0-9a-f]{16}$/.test(shell.version)) return;
    try {
      let reg = await navigator.serviceWorker.getRegistration('./');
      // Never re-register a page's own (maybe older) version over a newer
      // worker that waits: only a missing registration gets this page's.
      if (!reg || !(reg.installing || reg.waiting || reg.active)) reg = await register(shell.version);
      watchRegistration(reg);
      quietCheck();
      setInterval(quietCheck, UPDATE_CHECK_MS);
      window.addEventListener('online', quietCheck);
    } catch (e) {
      console.warn('service worker not registered:', e);
    }
  }

  // Switches to the waiting version: the journal is already durable, the
  // page-hide flush writes the database pages, and the reload starts the new
  // version, which opens this version's IndexedDB data (docs/till-storage.md).
  function applyUpdate() {
    const waiting = registration && registration.waiting;
    if (!waiting) return Promise.reject(new Error('no update is waiting'));
    if (runtimeReady) Module._salespider_storage_page_hidden();
    return new Promise((resolve) => {
      navigator.serviceWorker.addEventListener('controllerchange', () => {
        resolve();
        location.reload();
      }, { once: true });
      waiting.postMessage({ type: 'activate-update' });
    });
  }

  updateButton.addEventListener('click', () => {
    updateButton.disabled = true;
    applyUpdate().catch(() => { updateButton.hidden = true; });
  });

  const update = Object.freeze({
    available: updateAvailable,
    version: () => shell.version,
    check: checkForUpdate,
    apply: applyUpdate,
  });

  // --- start ----------------------------------------------------------------------

  // Long-press and right-click menus have nothing to offer on a till.
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());

  const basic = checkBasics();
  const wasmModule = basic ? null : compileWasm();
  if (wasmModule) wasmModule.catch((e) => showError('Could not load the till (' + e.message + '). Check the connection and reload.'));

  // Everything that must hold before main() runs (a run dependency).
  let releaseStart;
  const capabilities = new Promise((resolve) => { releaseStart = resolve; });

  window.Module = {
    canvas: canvas,
    locateFile: (path) => (path === 'salespider.wasm' ? shell.wasm : path === 'salespider.data' ? shell.data : path),
    instantiateWasm: (imports, receiveInstance) => {
      wasmModule
        .then((module) => WebAssembly.instantiate(module, imports).then((instance) => receiveInstance(instance, module)))
        .catch((e) => showError('Could not start the till (' + e + '). Reload the page.'));
      return {};
    },
    // The data package's loader reports "Downloading data... (loaded/total)";
    // the glue says "Running..." once every download and check is done.
    setStatus: (text) => {
      const m = /\((\d+)\/(\d+)\)/.exec(text || '');
      if (m) {
        const [loaded, total] = [Number(m[1]), Math.max(1, Number(m[2]))];
        if (!received.dataTotal) received.dataTotal = total;
        received.data = Math.min(1, loaded / total) * received.dataTotal;
        received.dataDone = loaded >= total;
        showProgress();
      } else if (/^Running/.test(text || '')) {
        received.dataDone = true;
        showProgress();
      }
    },
    preRun: [() => {
      Module.addRunDependency('salespider-capabilities');
      capabilities.then((ok) => { if (ok) Module.removeRunDependency('salespider-capabilities'); });
    }],
    print: (text) => console.log(text),
    printErr: (text) => console.error(text),
    onRuntimeInitialized: () => {
      performance.mark('salespider-runtime-initialized');
      runtimeReady = true;
      requestAnimationFrame(watchStartup);
    },
    onAbort: (what) => showError('The till stopped (' + what + '). Reload the page.'),
  };

  // storage.js (loaded first) reads IndexedDB before main() runs.
  window.SaleSpiderStorage.attach(window.Module);
  // bridge.js carries the till's fetch and WebCrypto calls.
  window.SaleSpiderBridge.attach(window.Module);
  window.salespider = Object.freeze({ state, widgets, whenReady, update, platform: () => (runtimeReady ? callJson('_salespider_platform_json') : null), frames: () => (runtimeReady ? callJson('_salespider_frames_json') : []), ...window.SaleSpiderStorage.bridge(), ...window.SaleSpiderBridge.bridge() });

  if (basic) {
    showError(basic);
  } else {
    const script = document.createElement('script');
    script.src = shell.js;
    script.onerror = () => showError('Could not load the till (' + shell.js + '). Check the connection and reload.');
    script.onload = () => performance.mark('salespider-glue-loaded');
    document.body.appendChild(script);
    // Synchronous and slow on a cold start (the GPU process starts), so
    // after the wasm and the glue are on their way, never before.
    const problem = checkWebGl2();
    performance.mark('salespider-webgl-checked');
    if (problem) {
      showError(problem);
      releaseStart(false);
    } else {
      checkStorage().then((p) => {
        performance.mark('salespider-storage-read');
        if (p) { showError(p); releaseStart(false); } else { releaseStart(true); }
      });
    }
    storageNotices();
  }
})();
