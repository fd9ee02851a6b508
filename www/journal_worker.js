// The till's op log on the Origin Private File System: a dedicated worker
// that holds the one synchronous access handle of `journal.log` and makes a
// recorded op durable with write + flush() (an fsync; docs/till-storage.md
// "The op log"). storage.js sends it every op the C++ store records
// strictly; IndexedDB's journal gets the same record without waiting for
// the disk, and the log is emptied once a strict IndexedDB transaction
// covered everything in it.
//
// Frames: u32 length (little endian) | u32 CRC-32 of the payload | payload
// (UTF-8 JSON: {"op": <journal record>}). Reading
// stops at the first frame that is short or fails its CRC: a write torn by
// a crash or power loss loses only that frame, which was never reported
// durable.
//
// Messages in (each answered with the same `id`):
//   {id, kind: 'open'}                 -> {ok, frames: [payload text...]} or {ok: false, error}
//   {id, kind: 'append', frames: [..]} -> {ok, flushedAt} after write + flush of them all
//                                         (flushedAt: epoch ms, performance.timeOrigin-based)
//   {id, kind: 'truncate', size}       -> {ok}: keeps the first `size` bytes (0 empties it)
//   {id, kind: 'close'}                -> {ok}: releases the handle
// Deliberately not here: deciding what to log or when to empty it
// (storage.js), and any fallback (without OPFS, storage.js writes the
// journal with strict durability as before).
'use strict';

const FILE_NAME = 'journal.log';
const encoder = new TextEncoder();
const decoder = new TextDecoder();
let handle = null;
let size = 0;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i += 1) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// The whole file's valid frames; `size` becomes the end of the last one, so
// the next append overwrites a torn tail.
function readFrames() {
  const bytes = new Uint8Array(handle.getSize());
  handle.read(bytes, { at: 0 });
  const view = new DataView(bytes.buffer);
  const frames = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at, true);
    const crc = view.getUint32(at + 4, true);
    if (at + 8 + length > bytes.length) break;
    const payload = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(payload) !== crc) break;
    frames.push(decoder.decode(payload));
    at += 8 + length;
  }
  size = at;
  return frames;
}

// A reload's new page may ask before the old page's worker let go of the
// handle: a few tries over about a second.
async function openHandle() {
  const root = await navigator.storage.getDirectory();
  const file = await root.getFileHandle(FILE_NAME, { create: true });
  let lastError = null;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    try {
      return await file.createSyncAccessHandle();
    } catch (e) {
      lastError = e;
      await new Promise((resolve) => setTimeout(resolve, 25 * (attempt + 1)));
    }
  }
  throw lastError;
}

function append(frames) {
  const parts = frames.map((text) => encoder.encode(text));
  const total = parts.reduce((n, p) => n + 8 + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of parts) {
    view.setUint32(at, p.length, true);
    view.setUint32(at + 4, crc32(p), true);
    out.set(p, at + 8);
    at += 8 + p.length;
  }
  try {
    const written = handle.write(out, { at: size });
    if (written !== out.length) throw new Error('short write to the op log');
    handle.flush();
  } catch (e) {
    // Not durable, so not reported: nothing of it may come back at the
    // next load either.
    try { handle.truncate(size); handle.flush(); } catch { /* the frame check drops a torn tail */ }
    throw e;
  }
  size += out.length;
}

self.onmessage = async (event) => {
  const m = event.data || {};
  const answer = (fields) => self.postMessage({ id: m.id, ...fields });
  try {
    switch (m.kind) {
      case 'open':
        if (!handle) handle = await openHandle();
        answer({ ok: true, frames: readFrames() });
        break;
      case 'append':
        if (!handle) throw new Error('the op log is not open');
        append(m.frames);
        // When the op became durable, on the page's clock (the answer may
        // wait behind a frame on the page's main thread).
        answer({ ok: true, flushedAt: performance.timeOrigin + performance.now() });
        break;
      case 'truncate':
        if (!handle) throw new Error('the op log is not open');
        handle.truncate(m.size);
        handle.flush();
        size = m.size;
        answer({ ok: true });
        break;
      case 'close':
        if (handle) handle.close();
        handle = null;
        answer({ ok: true });
        break;
      default:
        answer({ ok: false, error: 'unknown request ' + m.kind });
    }
  } catch (e) {
    answer({ ok: false, error: String(e && e.name ? e.name + ': ' + e.message : e), name: e && e.name });
  }
};
