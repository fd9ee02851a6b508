// Camera barcode scanning for phones and tablets: window.SaleSpiderScanner.
// open() asks for the back camera, covers the page with the camera picture,
// a hint line and a Close button, and reads codes continuously until
// close(): with the browser's BarcodeDetector where it reads all six formats
// the till needs (EAN-13, EAN-8, UPC-A, UPC-E, Code 128, QR), otherwise with
// zxing-wasm's reader (zxing-cpp compiled to wasm). That fallback is loaded
// only when first needed, from same-origin files that
// wasm-client/scanner/fetch.sh puts beside this one (zxing_reader.js/.wasm;
// the page may name them in data-decoder-js/data-decoder-wasm on this
// script's tag, as the build's content-hashed names), and it decodes in a
// worker that is this same file, so a phone's main thread keeps drawing.
// Each code read is reported once (onCode) with a short beep and vibration;
// the same code again within 1.5 s is the same scan, a different one counts
// at once.
//
// [x] native BarcodeDetector, zxing-wasm fallback (forceFallback to pick it)
// [x] beep (WebAudio, made in open(), i.e. inside the user's tap) + vibrate
// [x] runs under the till's CSP: styles through CSSOM only, no eval, no
//     other origin
// [ ] torch, zoom, picking one of several cameras
// [ ] what a code means (product lookup, quantities): the till does that
//
// The module has no words of its own: every label comes from the caller,
// translated. It never throws at the caller: failures end the scan and come
// back as onError('no_camera' | 'denied' | 'no_decoder' | 'failed').
'use strict';

(function () {
  const FORMATS = ['ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_128', 'qr_code'];
  // zxing-wasm's names (its ReadResult.format) for the same six.
  const ZXING_FORMATS = { EAN13: 'ean_13', EAN8: 'ean_8', UPCA: 'upc_a', UPCE: 'upc_e', Code128: 'code_128', QRCode: 'qr_code' };

  if (typeof document === 'undefined') {
    decodeWorker();
    return;
  }

  const FRAME_MS = 140;        // ~7 reads a second: feels instant, leaves a phone's CPU to the camera
  const REPEAT_MS = 1500;      // the same code again within this is the same scan
  const MAX_SIDE = 1280;       // frames are scaled to this: enough for a 1D code at arm's length, bounded decode time
  const LOAD_TIMEOUT_MS = 20000;
  const MAX_FAILED_FRAMES = 10; // a native detector may refuse a frame now and then; ten in a row is broken
  const BEEP_SECONDS = 0.08;
  const VIBRATE_MS = 40;

  const script = document.currentScript;
  const selfUrl = script ? script.src : '';
  const decoderJs = new URL((script && script.dataset.decoderJs) || 'zxing_reader.js', selfUrl || location.href).href;
  const decoderWasm = new URL((script && script.dataset.decoderWasm) || 'zxing_reader.wasm', selfUrl || location.href).href;

  let session = null;   // the open scan, see open()
  let lastCodes = 0;    // what state() reports once a scan has ended
  let audio = null;     // made on the first open(), inside the tap that opened it (autoplay rules)
  let zxing = null;     // Promise of the loaded decoder worker, shared by every scan of this page

  function supported() {
    return !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) &&
      ('BarcodeDetector' in window || (typeof WebAssembly === 'object' && typeof Worker === 'function'));
  }

  function state() {
    return {
      open: !!session,
      decoder: session ? session.decoder : null,
      codes: session ? session.codes : lastCodes,
    };
  }

  // options: { onCode(text, format), onError(code), onClose(), labels: {close, hint}, forceFallback }
  // onClose is called when the user closes the overlay (button, Escape), not
  // after close() or an error. A second open() while one is open is ignored.
  function open(options) {
    if (session) return;
    const s = {
      opts: options || {}, stream: null, decoder: null, read: null, codes: 0, seen: new Map(),
      failures: 0, timer: 0, closed: false, overlay: null, video: null, canvas: null, before: document.activeElement,
    };
    session = s;
    lastCodes = 0;
    wakeAudio();
    showOverlay(s);
    start(s);
  }

  function close() {
    if (session) end(session);
  }

  async function start(s) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return fail(s, 'no_camera');
    // Load the decoder while the user answers the permission prompt.
    const decoder = pickDecoder(s.opts).catch(() => null);
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (err) {
      return fail(s, cameraError(err));
    }
    if (s.closed) return stopStream(stream);
    s.stream = stream;
    s.video.srcObject = stream;
    s.video.play().catch(() => { /* a muted inline video may play without a gesture; frames arrive either way */ });
    const d = await decoder;
    if (s.closed) return;
    if (!d) return fail(s, 'no_decoder');
    s.decoder = d.name;
    s.read = d.read;
    tick(s);
  }

  function cameraError(err) {
    const name = err && err.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no_camera';
    return 'failed';  // e.g. NotReadableError: another app holds the camera
  }

  async function pickDecoder(opts) {
    if (!opts.forceFallback && 'BarcodeDetector' in window) {
      try {
        const have = await window.BarcodeDetector.getSupportedFormats();
        if (FORMATS.every((f) => have.includes(f))) {
          const detector = new window.BarcodeDetector({ formats: FORMATS });
          return {
            name: 'native',
            read: async (s) => (await detector.detect(s.video)).map((b) => ({ text: b.rawValue, format: b.format })),
          };
        }
      } catch { /* a detector that cannot say what it reads is not used */ }
    }
    const worker = await loadZxing();
    return { name: 'zxing', read: (s) => worker.decode(grab(s)) };
  }

  // The fallback decoder: a worker running this file, which loads
  // zxing_reader.js and compiles zxing_reader.wasm once for the page.
  function loadZxing() {
    if (zxing) return zxing;
    const loading = new Promise((resolve, reject) => {
      let worker;
      try {
        worker = new Worker(selfUrl);
      } catch (err) {
        reject(err);
        return;
      }
      let reply = null;   // the answer to the one frame in flight
      let dead = false;
      const broken = (message) => {
        clearTimeout(timer);
        worker.terminate();
        dead = true;
        if (zxing === loading) zxing = null;   // a later open() loads it again (the files may come with an update)
        reject(new Error(message));   // ignored once resolved
        if (reply) reply({ type: 'failed', message });
      };
      const timer = setTimeout(() => broken('decoder load timed out'), LOAD_TIMEOUT_MS);
      worker.onerror = (e) => {
        e.preventDefault();
        broken('decoder worker failed');
      };
      worker.onmessage = (e) => {
        const m = e.data;
        if (reply) {
          reply(m);
        } else if (m.type === 'ready') {
          clearTimeout(timer);
          resolve({
            decode: (frame) => new Promise((res, rej) => {
              if (dead) {
                rej(new Error('decoder worker stopped'));
                return;
              }
              reply = (answer) => {
                reply = null;
                if (answer.type === 'codes') res(answer.codes); else rej(new Error(answer.message));
              };
              worker.postMessage({ type: 'frame', width: frame.width, height: frame.height, pixels: frame.data.buffer },
                [frame.data.buffer]);
            }),
          });
        } else {
          broken(m.message);
        }
      };
      worker.postMessage({ type: 'load', js: decoderJs, wasm: decoderWasm });
    });
    zxing = loading;
    return loading;
  }

  // The current video frame as RGBA pixels, scaled down to MAX_SIDE.
  function grab(s) {
    const v = s.video;
    const scale = Math.min(1, MAX_SIDE / Math.max(v.videoWidth, v.videoHeight));
    const w = Math.round(v.videoWidth * scale);
    const h = Math.round(v.videoHeight * scale);
    if (!s.canvas) s.canvas = document.createElement('canvas');
    if (s.canvas.width !== w || s.canvas.height !== h) {
      s.canvas.width = w;
      s.canvas.height = h;
    }
    const g = s.canvas.getContext('2d', { willReadFrequently: true });
    g.drawImage(v, 0, 0, w, h);
    return g.getImageData(0, 0, w, h);
  }

  async function tick(s) {
    const began = performance.now();
    if (s.video.readyState >= 2 && s.video.videoWidth > 0) {   // HAVE_CURRENT_DATA: a frame to read
      let found = [];
      try {
        found = await s.read(s);
        s.failures = 0;
      } catch {
        s.failures += 1;
      }
      if (s.closed) return;
      if (s.failures >= MAX_FAILED_FRAMES) return fail(s, 'failed');
      for (const c of found) report(s, c.text, c.format);
    }
    if (!s.closed) s.timer = setTimeout(() => tick(s), Math.max(0, FRAME_MS - (performance.now() - began)));
  }

  function report(s, text, format) {
    const now = performance.now();
    for (const [code, at] of s.seen) if (now - at >= REPEAT_MS) s.seen.delete(code);
    if (s.seen.has(text)) return;
    s.seen.set(text, now);
    s.codes += 1;
    lastCodes = s.codes;
    call(s.opts.onCode, text, format);
    beep();
    if (navigator.vibrate) navigator.vibrate(VIBRATE_MS);
  }

  function fail(s, code) {
    end(s);
    call(s.opts.onError, code);
  }

  function end(s) {
    if (s.closed) return;
    s.closed = true;
    clearTimeout(s.timer);
    if (s.stream) stopStream(s.stream);
    s.video.srcObject = null;
    s.overlay.remove();
    if (s.before && document.contains(s.before) && s.before.focus) s.before.focus();
    if (session === s) session = null;
  }

  function stopStream(stream) {
    for (const t of stream.getTracks()) t.stop();
  }

  // The caller's callbacks must not break the scan loop.
  function call(fn, ...args) {
    if (typeof fn !== 'function') return;
    try {
      fn(...args);
    } catch (err) {
      console.error('SaleSpiderScanner callback:', err);
    }
  }

  function wakeAudio() {
    try {
      const Context = window.AudioContext || window.webkitAudioContext;
      if (!audio && Context) audio = new Context();
      if (audio && audio.state === 'suspended') audio.resume().catch(() => {});
    } catch {
      audio = null;
    }
  }

  function beep() {
    if (!audio) return;
    try {
      const t = audio.currentTime;
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'square';   // cuts through a noisy shop better than a sine
      osc.frequency.value = 2000;
      // A few ms of attack and release: no click at the edges.
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.2, t + 0.005);
      gain.gain.setValueAtTime(0.2, t + BEEP_SECONDS - 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + BEEP_SECONDS);
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + BEEP_SECONDS);
    } catch { /* no sound is no reason to stop scanning */ }
  }

  function element(tag, style) {
    const e = document.createElement(tag);
    Object.assign(e.style, style);   // CSSOM: allowed under style-src 'self', unlike a style attribute
    return e;
  }

  function showOverlay(s) {
    const labels = s.opts.labels || {};
    const overlay = element('div', {
      position: 'fixed', inset: '0', zIndex: '2147483000', background: '#000', color: '#fff',
      display: 'flex', flexDirection: 'column', font: '1.125rem/1.4 system-ui, sans-serif',
    });
    overlay.id = 'salespider-scanner';
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    if (labels.hint) overlay.setAttribute('aria-label', labels.hint);
    const video = element('video', { flex: '1 1 auto', minHeight: '0', width: '100%', objectFit: 'cover' });
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute('playsinline', '');   // iOS Safari: inline, not its full-screen player
    const hint = element('p', { margin: '0', padding: '12px 16px', textAlign: 'center' });
    hint.textContent = labels.hint || '';
    const button = element('button', {
      minHeight: '56px', margin: '0 16px', marginBottom: 'max(16px, env(safe-area-inset-bottom))',
      font: 'inherit', fontWeight: '600', color: '#000', background: '#fff', border: '0', borderRadius: '8px',
    });
    button.type = 'button';
    button.textContent = labels.close || '\u00d7';
    button.addEventListener('click', () => closedByUser(s));
    overlay.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') closedByUser(s);
    });
    // The till may listen on document or window: input aimed at the overlay
    // is not for it. A tap also resumes the beep where the browser held it.
    for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'click', 'touchstart', 'touchend',
      'keydown', 'keyup', 'wheel']) {
      overlay.addEventListener(type, (e) => {
        if (type === 'pointerdown') wakeAudio();
        e.stopPropagation();
      });
    }
    overlay.append(video, hint, button);
    document.body.append(overlay);
    button.focus();
    s.overlay = overlay;
    s.video = video;
  }

  function closedByUser(s) {
    if (s.closed) return;
    end(s);
    call(s.opts.onClose);
  }

  window.SaleSpiderScanner = Object.freeze({ supported, open, close, state });

  // The worker side: this file again, started by loadZxing() above. It loads
  // zxing-wasm's reader (a classic script defining ZXingWASM) from the URLs
  // the page sends and answers one frame at a time.
  function decodeWorker() {
    self.onmessage = async (e) => {
      const m = e.data;
      if (m.type === 'load') {
        try {
          importScripts(m.js);
          await self.ZXingWASM.prepareZXingModule({
            overrides: { locateFile: (path, prefix) => (path.endsWith('.wasm') ? m.wasm : prefix + path) },
            fireImmediately: true,
          });
          self.postMessage({ type: 'ready' });
        } catch (err) {
          self.postMessage({ type: 'failed', message: String(err) });
        }
      } else if (m.type === 'frame') {
        try {
          const results = await self.ZXingWASM.readBarcodes(
            { data: new Uint8ClampedArray(m.pixels), width: m.width, height: m.height },
            { formats: Object.keys(ZXING_FORMATS), tryHarder: true, maxNumberOfSymbols: 1 });
          const codes = results.filter((r) => r.isValid && ZXING_FORMATS[r.format])
            .map((r) => ({ text: r.text, format: ZXING_FORMATS[r.format] }));
          self.postMessage({ type: 'codes', codes });
        } catch (err) {
          self.postMessage({ type: 'failed', message: String(err) });
        }
      }
    };
  }
})();
