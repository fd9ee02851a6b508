// The till's network and crypto side: fetch for the sync engine and the
// sign-in screens, WebCrypto for the offline verifier (PBKDF2-SHA-256) and
// the grant signature (Ed25519), and the browser's online/offline events.
// Loaded before app.js (index.html, defer). The C++ side (platform/
// net_browser.cpp, crypto_browser.cpp) starts each request with an id and
// is answered through exported functions (_salespider_net_complete,
// _salespider_crypto_complete, _salespider_browser_online); results are
// copied into wasm memory by the C++ side, then released. No Asyncify.
// Also the pump that gives sync work time between frames, and the page's
// side effects (platform/page_browser.cpp): printing a receipt from a hidden
// iframe and the ARIA live regions screen readers read. Deliberately not
// here: any decision (what to send, when to retry, what an answer means,
// what a receipt says) — that is C++.
'use strict';

(function () {
  const REQUEST_TIMEOUT_MS = 20000;
  const encoder = new TextEncoder();
  let Module = null;
  const answers = new Map();  // request id -> {status, body: Uint8Array, date, error}
  const results = new Map();  // crypto id -> Uint8Array (UTF-8 text)

  function answer(id, a) {
    answers.set(id, a);
    if (Module) Module._salespider_net_complete(id, a.status);
  }

  function request(id, method, url, headersJson, body) {
    // Same origin only: the till talks to the server that served it.
    const target = new URL(url, location.href);
    if (target.origin !== location.origin) {
      setTimeout(() => answer(id, { status: 0, body: new Uint8Array(), date: -1, error: 'not same-origin' }), 0);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    let headers = {};
    try { headers = JSON.parse(headersJson); } catch { /* none */ }
    fetch(target, {
      method, headers, body: method === 'GET' ? undefined : body,
      cache: 'no-store', credentials: 'same-origin', redirect: 'error', signal: controller.signal,
    }).then(async (r) => {
      const bytes = new Uint8Array(await r.arrayBuffer());
      const date = Date.parse(r.headers.get('Date') || '');
      answer(id, { status: r.status, body: bytes, date: Number.isFinite(date) ? date : -1, error: '' });
    }).catch((e) => {
      answer(id, { status: 0, body: new Uint8Array(), date: -1, error: String(e && e.name === 'AbortError' ? 'timed out' : e) });
    }).finally(() => clearTimeout(timer));
  }

  function b64urlBytes(text) {
    const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  }

  function hexBytes(hex) {
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i += 1) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  }

  function toHex(buffer) {
    return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function cryptoDone(id, ok, text) {
    results.set(id, encoder.encode(text));
    if (Module) Module._salespider_crypto_complete(id, ok ? 1 : 0);
  }

  async function pbkdf2(id, secret, saltHex, iterations) {
    try {
      const key = await crypto.subtle.importKey('raw', encoder.encode(secret), 'PBKDF2', false, ['deriveBits']);
      const bits = await crypto.subtle.deriveBits(
        { name: 'PBKDF2', hash: 'SHA-256', salt: hexBytes(saltHex), iterations }, key, 256);
      cryptoDone(id, true, toHex(bits));
    } catch (e) {
      cryptoDone(id, false, String(e));
    }
  }

  // "valid" / "invalid"; fails with "unsupported" where WebCrypto has no Ed25519.
  async function verifyEd25519(id, publicKey, message, signature) {
    let key;
    try {
      key = await crypto.subtle.importKey('raw', b64urlBytes(publicKey), { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      cryptoDone(id, false, 'unsupported: ' + e);
      return;
    }
    try {
      const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, b64urlBytes(signature), encoder.encode(message));
      cryptoDone(id, true, ok ? 'valid' : 'invalid');
    } catch (e) {
      cryptoDone(id, true, 'invalid');
    }
  }

  // Sync work between frames (a catalog bootstrap): slices of WORK_SLICE_MS
  // back to back through a MessageChannel — each a separate task, so input
  // gets its turn between them — while the till says more is waiting, but
  // no more than WORK_BETWEEN_FRAMES_MS of them after a frame: the next
  // slice then waits for the next frame (or FRAME_WAIT_MS, for a page whose
  // frames are throttled; none for a hidden one). Chromium does not slot a
  // frame between such tasks on its own: measured, 120–210 ms of slices
  // ran back to back with no frame (docs/benchmarks.md, "Till: bootstrap").
  // Without work waiting, a look every WORK_IDLE_MS.
  const WORK_SLICE_MS = 8;
  const WORK_BETWEEN_FRAMES_MS = 20;
  const FRAME_WAIT_MS = 100;
  const WORK_IDLE_MS = 100;
  function startWorkPump() {
    const channel = new MessageChannel();
    // `waiting`: the timer of a slice waiting for a frame; whichever of the
    // frame and the timer comes first continues, the other finds nothing.
    let lastFrame = 0, frameAsked = false, waiting = 0;
    const wake = () => {
      if (!waiting) return;
      clearTimeout(waiting);
      waiting = 0;
      lastFrame = performance.now();
      channel.port2.postMessage(0);  // from a frame: runs once it is drawn
    };
    const onFrame = () => {
      frameAsked = false;
      lastFrame = performance.now();
      wake();
    };
    const askFrame = () => {
      if (!frameAsked) { frameAsked = true; requestAnimationFrame(onFrame); }
    };
    const pump = () => {
      if (performance.now() - lastFrame >= WORK_BETWEEN_FRAMES_MS && document.visibilityState !== 'hidden') {
        waiting = setTimeout(wake, FRAME_WAIT_MS);
        askFrame();
        return;
      }
      if (Module._salespider_background_work(WORK_SLICE_MS)) {
        askFrame();
        channel.port2.postMessage(0);
      } else {
        setTimeout(() => { lastFrame = performance.now(); pump(); }, WORK_IDLE_MS);
      }
    };
    channel.port1.onmessage = pump;
    setTimeout(pump, WORK_IDLE_MS);
  }

  // --- the page around the canvas: receipts and announcements ------------------

  // Receipts print from iframe#receipt-frame (created on first use): a srcdoc
  // document, same origin but sandboxed without scripts (allow-modals lets
  // print() open the dialog). A srcdoc frame inherits this page's CSP, whose
  // style-src 'self' blocks the receipt's inline <style>; so the style is
  // taken out of the document (no CSP violation on every print) and applied
  // as a constructed stylesheet, which CSP does not govern. Its @page size
  // then gets the receipt's measured height: Chromium rejects
  // "size: 80mm auto", and a roll has no page length of its own.
  const RECEIPT_STYLE = /<style>([\s\S]*?)<\/style>/;
  const PX_PER_MM = 96 / 25.4;
  let receiptFrame = null;
  let lastReceiptHtml = null;
  let receiptsPrinted = 0;

  function frameForReceipts() {
    if (receiptFrame) return receiptFrame;
    receiptFrame = document.createElement('iframe');
    receiptFrame.id = 'receipt-frame';
    receiptFrame.className = 'print-frame';
    receiptFrame.title = 'Receipt';
    receiptFrame.tabIndex = -1;
    receiptFrame.setAttribute('aria-hidden', 'true');
    receiptFrame.setAttribute('sandbox', 'allow-same-origin allow-modals');
    document.body.appendChild(receiptFrame);
    return receiptFrame;
  }

  function styleReceipt(frame, css) {
    const doc = frame.contentDocument;
    const win = frame.contentWindow;
    if (typeof win.CSSStyleSheet !== 'function' || !('adoptedStyleSheets' in doc)) {
      console.warn('receipt printed unstyled: this browser has no constructable stylesheets');
      return;
    }
    const sheet = new win.CSSStyleSheet();
    sheet.replaceSync(css);
    doc.adoptedStyleSheets = [sheet];
    const widthMm = Number(doc.body && doc.body.dataset.paperMm) || 80;
    const heightMm = Math.ceil(doc.documentElement.getBoundingClientRect().height / PX_PER_MM) + 2;
    sheet.insertRule(`@page { size: ${widthMm}mm ${heightMm}mm; margin: 0 }`, sheet.cssRules.length);
  }

  function printHtml(html) {
    lastReceiptHtml = html;
    const frame = frameForReceipts();
    const style = RECEIPT_STYLE.exec(html);
    frame.onload = () => {
      frame.onload = null;
      try {
        styleReceipt(frame, style ? style[1] : '');
      } catch (e) {
        console.warn('receipt style not applied:', e);
      }
      // A task of its own: print() blocks until the dialog closes.
      setTimeout(() => {
        try {
          frame.contentWindow.print();
          receiptsPrinted += 1;
        } catch (e) {
          console.warn('receipt not printed:', e);
        }
        // Back to the till, so the scanner's next code reaches it.
        window.focus();
      }, 0);
    };
    frame.srcdoc = style ? html.replace(style[0], '') : html;
  }

  // Live regions (#live polite, #live-error assertive, index.html): emptied,
  // then set a moment later, because a region whose text stays the same is
  // not read again ("Total ₦1,500.00" twice in a row is two totals).
  const ANNOUNCE_DELAY_MS = 100;
  const liveTimers = new Map();
  function announce(text, assertive) {
    const region = document.getElementById(assertive ? 'live-error' : 'live');
    if (!region) return;
    clearTimeout(liveTimers.get(region));
    region.textContent = '';
    liveTimers.set(region, setTimeout(() => { region.textContent = text; }, ANNOUNCE_DELAY_MS));
  }

  // --- the customer display (www/customer.html) ---------------------------------
  // One BroadcastChannel between the till and every display window of this
  // browser: the till's newest message goes out as it changes, and again to a
  // display that says hello (one opened later, or reloaded). No server: a
  // second window on the same device works offline.
  const DISPLAY_CHANNEL = 'salespider-customer-display';
  let displayChannel = null;
  let displayLast = null;
  function displayBus() {
    if (!displayChannel && typeof BroadcastChannel === 'function') {
      displayChannel = new BroadcastChannel(DISPLAY_CHANNEL);
      displayChannel.onmessage = (e) => {
        if (e.data && e.data.kind === 'hello' && displayLast) displayChannel.postMessage({ kind: 'show', display: displayLast });
      };
    }
    return displayChannel;
  }
  function customerDisplay(text) {
    try { displayLast = JSON.parse(text); } catch { return; }
    const bus = displayBus();
    if (bus) bus.postMessage({ kind: 'show', display: displayLast });
  }
  // A window for the customer, on another screen when the browser says
  // there is one (Window Management API, already permitted); runs within
  // the click's user activation, so the popup is allowed.
  function openCustomerDisplay() {
    displayBus();
    const win = window.open('customer.html', 'salespider-customer', 'popup,width=1024,height=640');
    if (!win || typeof window.getScreenDetails !== 'function' || !navigator.permissions) return;
    navigator.permissions.query({ name: 'window-management' }).then((p) => {
      if (p.state !== 'granted') return null;
      return window.getScreenDetails();
    }).then((details) => {
      const other = details && details.screens.find((s) => s !== details.currentScreen);
      if (other) {
        win.moveTo(other.availLeft, other.availTop);
        win.resizeTo(other.availWidth, other.availHeight);
      }
    }).catch(() => { /* no permission API for it: stays where it opened */ });
  }

  const api = {
    request,
    status(id) { const a = answers.get(id); return a ? a.status : 0; },
    bodyLength(id) { const a = answers.get(id); return a ? a.body.length : 0; },
    bodyCopy(id, heap, ptr) { heap.set(answers.get(id).body, ptr); },
    errorText(id) { const a = answers.get(id); return a ? a.error : ''; },
    date(id) { const a = answers.get(id); return a ? a.date : -1; },
    release(id) { answers.delete(id); },
    pbkdf2,
    verifyEd25519,
    resultLength(id) { const r = results.get(id); return r ? r.length : 0; },
    resultCopy(id, heap, ptr) { heap.set(results.get(id), ptr); results.delete(id); },
    online: () => (navigator.onLine === false ? 0 : 1),
    page: Object.freeze({ printHtml, announce, customerDisplay, openCustomerDisplay }),
    // For window.salespider (app.js): the last receipt document handed to
    // printHtml (with its <style>), null before the first, and how many
    // print() calls returned.
    bridge: () => ({
      lastReceiptHtml: () => lastReceiptHtml,
      receiptsPrinted: () => receiptsPrinted,
    }),
    attach(M) {
      Module = M;
      M.postRun = [].concat(M.postRun || [], () => {
        window.addEventListener('online', () => Module._salespider_browser_online(1));
        window.addEventListener('offline', () => Module._salespider_browser_online(0));
        startWorkPump();
      });
    },
  };
  window.SaleSpiderBridge = Object.freeze(api);
})();
