// Boots the wasm till and exposes window.salespider, the automation bridge
// browser tests (and support staff in DevTools) use to read the till.
//
// Sets up the global Module that salespider.js (emcc output, non-MODULARIZE)
// picks up, then loads salespider.js. Deliberately not here: any UI (the
// till draws everything in the canvas), service worker registration (PWA
// issue), and anything that drives the till: tests click and tap the canvas
// like a cashier would.
//
// window.salespider:
//   state()     -> {ready, screen, version, tills_opened, error,
//                   storage: {opened, available, persisted, usage, quota, db,
//                             needs_attention, open_ms, error},
//                   read_only, pending_ops, last_receipt}
//                  ready is true once the first frame reached the canvas;
//                  before the runtime starts: {ready:false, screen:"loading", ...}
//                  storage/read_only/... are the local store's (storage.js,
//                  docs/till-storage.md); read_only: another tab owns the till.
//   widgets()   -> [{id, label, full_label, role, window, rect:{x,y,w,h},
//                    enabled, visible, clipped, checked?, open?}]
//                  the interactive items of the last rendered frame, from
//                  Dear ImGui's own item hooks. rect is in CSS pixels relative
//                  to the canvas' top-left corner: add
//                  canvas.getBoundingClientRect() for page coordinates.
//                  role: button | checkbox | input | openable | scrollbar |
//                  titlebar | item. id is the ImGuiID in hex ("0x1A2B3C4D"),
//                  stable across reloads for the same screen and label.
//   whenReady() -> Promise resolving with state() once ready, rejecting with
//                  the reason if the till cannot start.
//   exportPendingOps({download}) -> Promise of {format, version, ops:[...]}:
//                  every op the server has not acknowledged, read straight
//                  from IndexedDB, downloaded as JSON unless download:false.
//   storageStats() -> what this page read from / wrote to IndexedDB (bytes).
//   debug       -> TEST-ONLY, present only with ?automation=1 (storage.js):
//                  recordTestOp(), seedProducts(n), flush(), exportFromWasm().
'use strict';

(function () {
  const canvas = document.getElementById('canvas');
  const status = document.getElementById('status');
  let runtimeReady = false;
  const readyWaiters = [];

  function showError(message) {
    status.textContent = message;
    status.className = 'error';
    status.hidden = false;
    while (readyWaiters.length) readyWaiters.shift().reject(new Error(message));
  }

  // Copies a JSON string out of wasm memory before the next call reuses it.
  function callJson(exportName) {
    return JSON.parse(Module.UTF8ToString(Module[exportName]()));
  }

  function state() {
    if (!runtimeReady) {
      return {
        ready: false, screen: 'loading', version: null, tills_opened: 0, error: null,
        storage: null, read_only: false, pending_ops: 0, last_receipt: null,
      };
    }
    return callJson('_salespider_state_json');
  }

  function widgets() {
    return runtimeReady ? callJson('_salespider_widgets_json') : [];
  }

  function whenReady() {
    const s = state();
    if (s.ready) return Promise.resolve(s);
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
      status.hidden = true;
      while (readyWaiters.length) readyWaiters.shift().resolve(s);
      return;
    }
    requestAnimationFrame(watchStartup);
  }

  // Long-press and right-click menus have nothing to offer on a till.
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());

  window.Module = {
    canvas: canvas,
    // salespider.wasm and salespider.data sit next to this page.
    locateFile: (path) => path,
    print: (text) => console.log(text),
    printErr: (text) => console.error(text),
    onRuntimeInitialized: () => {
      runtimeReady = true;
      requestAnimationFrame(watchStartup);
    },
    onAbort: (what) => showError('The till stopped (' + what + '). Reload the page.'),
  };

  // storage.js (loaded first) reads IndexedDB before main() runs.
  window.SaleSpiderStorage.attach(window.Module);
  window.salespider = Object.freeze({ state, widgets, whenReady, ...window.SaleSpiderStorage.bridge() });

  const script = document.createElement('script');
  script.src = 'salespider.js';
  script.onerror = () => showError('Could not load the till (salespider.js). Check the connection and reload.');
  document.body.appendChild(script);
})();
