// A fake camera for Chromium's --use-file-for-fake-video-capture: barcodes
// drawn by this file (EAN-13 and Code 128 set B, bars computed from the
// standards, not by a library under test) into a YUV4MPEG2 (.y4m) video that
// Chromium plays in a loop as the only camera. Deliberately not here: any
// other symbology, or a picture that looks like a real photo (blur, skew).
import { writeFileSync } from 'node:fs';

// EAN-13: left half in L or G codes (the first digit picks which, through
// the parity table), right half in R codes (L inverted), guard bars between.
const L = ['0001101', '0011001', '0010011', '0111101', '0100011', '0110001', '0101111', '0111011', '0110111', '0001011'];
const G = ['0100111', '0110011', '0011011', '0100001', '0011101', '0111001', '0000101', '0010001', '0001001', '0010111'];
const PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];
const invert = (bits) => bits.replace(/[01]/g, (b) => (b === '0' ? '1' : '0'));

export function ean13CheckDigit(first12) {
  const sum = [...first12].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return (10 - (sum % 10)) % 10;
}

// The 95 modules ('1' bar, '0' space) of a 13-digit code, check digit included.
export function ean13(code) {
  if (!/^\d{13}$/.test(code) || ean13CheckDigit(code.slice(0, 12)) !== Number(code[12])) {
    throw new Error(`not a valid EAN-13: ${code}`);
  }
  const d = [...code].map(Number);
  let bits = '101';
  for (let i = 1; i <= 6; i++) bits += (PARITY[d[0]][i - 1] === 'L' ? L : G)[d[i]];
  bits += '01010';
  for (let i = 7; i <= 12; i++) bits += invert(L[d[i]]);
  return bits + '101';
}

// Code 128: widths of bar, space, bar, space, bar, space for values 0..105
// (103-105: start A, B, C); the stop pattern has a seventh element.
const C128 = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 ' +
  '122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 ' +
  '322112 322211 212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 ' +
  '112133 112331 132131 113123 113321 133121 313121 211331 231131 213113 213311 213131 311123 311321 ' +
  '331121 312113 312311 332111 314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 ' +
  '112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 ' +
  '124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 114311 411113 ' +
  '411311 113141 114131 311141 411131 211412 211214 211232').split(' ');
const C128_STOP = '2331112';
const START_B = 104;

function widthsToBits(widths) {
  return [...widths].map((w, i) => (i % 2 === 0 ? '1' : '0').repeat(Number(w))).join('');
}

// The modules of `text` in code set B (printable ASCII), checksum included.
export function code128(text) {
  const values = [...text].map((ch) => {
    const v = ch.charCodeAt(0) - 32;
    if (v < 0 || v > 95) throw new Error(`not in Code 128 set B: ${JSON.stringify(ch)}`);
    return v;
  });
  const check = values.reduce((acc, v, i) => acc + v * (i + 1), START_B) % 103;
  return [START_B, ...values, check].map((v) => widthsToBits(C128[v])).join('') + widthsToBits(C128_STOP);
}

// One luma plane: white, with `bits` drawn black and centred, `modulePx`
// pixels a module, over the middle 40% of the height (the quiet zone is the
// white around it).
function lumaPlane(bits, width, height, modulePx) {
  const y = Buffer.alloc(width * height, 255);
  const left = Math.floor((width - bits.length * modulePx) / 2);
  if (left < 10 * modulePx) throw new Error('barcode too wide for the frame and its quiet zone');
  for (let row = Math.floor(height * 0.3); row < Math.floor(height * 0.7); row++) {
    for (let m = 0; m < bits.length; m++) {
      if (bits[m] === '1') y.fill(0, row * width + left + m * modulePx, row * width + left + (m + 1) * modulePx);
    }
  }
  return y;
}

// Writes a .y4m whose frames show frames[i] (a module string each), 4:2:0
// with neutral chroma (a grey picture).
export function writeY4m(file, frames, { width = 640, height = 480, fps = 10, modulePx = 3 } = {}) {
  const chroma = Buffer.alloc(width * height / 2, 128);
  const planes = new Map();
  const parts = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (const bits of frames) {
    if (!planes.has(bits)) planes.set(bits, lumaPlane(bits, width, height, modulePx));
    parts.push(Buffer.from('FRAME\n'), planes.get(bits), chroma);
  }
  writeFileSync(file, Buffer.concat(parts));
}
