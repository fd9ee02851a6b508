// The browser implementation of printer.hpp. Each request keeps its result
// by id in globalThis.SaleSpiderPrinter.results and calls
// salespider_printer_done(id); complete() copies it out, once.
//
// Web Serial: navigator.serial.requestPort() after a click; later the port
// is found again with getPorts() by its USB vendor and product ids (kept in
// localStorage "salespider.printer.serial"), since the browser remembers the
// permission but not which port we meant. A job opens the port, writes
// through one writer, closes the writer (which waits for the bytes to leave)
// and the port. WebUSB the same with requestDevice()/getDevices(): the first
// interface with a bulk OUT endpoint is claimed, the job is transferOut()
// in 16 KiB pieces, then released and closed. 15 s for a whole job.
#include "platform/printer.hpp"

#include <salespider/shared/i18n.hpp>

#include <emscripten/emscripten.h>

#include <map>
#include <utility>

// clang-format off
EM_JS(int, sp_js_printer_available, (int usb), {
  return (usb ? !!(navigator.usb && navigator.usb.requestDevice) : !!(navigator.serial && navigator.serial.requestPort)) ? 1 : 0;
});
EM_JS(void, sp_js_printer_request, (unsigned id, int usb, int choose, const unsigned char* data, int size, int baud), {
  const P = globalThis.SaleSpiderPrinter || (globalThis.SaleSpiderPrinter = { results: new Map() });
  const bytes = size > 0 ? HEAPU8.slice(data, data + size) : new Uint8Array();
  const key = usb ? "salespider.printer.usb" : "salespider.printer.serial";
  const hex = (n) => (n === undefined || n === null) ? "?" : n.toString(16).padStart(4, "0");
  const remember = (ids) => { try { localStorage.setItem(key, JSON.stringify(ids)); } catch (e) { /* private mode */ } };
  const wanted = () => { try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; } };
  let answered = false;
  let abort = null;  // stops a job that is stuck (a serial port whose printer takes nothing)
  const finish = (ok, text) => {
    if (answered) return;
    answered = true;
    P.results.set(id, { ok, text: String(text || "") });
    Module._salespider_printer_done(id);
  };
  const why = (e) => (e && e.message) ? e.message : String(e);
  (async () => {
    if (usb) {
      if (!navigator.usb) throw new Error("@no_api");
      let device;
      if (choose) {
        device = await navigator.usb.requestDevice({ filters: [] });
        remember({ vendor: device.vendorId, product: device.productId, serial: device.serialNumber || "" });
        return "USB " + hex(device.vendorId) + ":" + hex(device.productId) + (device.productName ? " " + device.productName : "");
      }
      const w = wanted();
      const devices = await navigator.usb.getDevices();
      device = devices.find((d) => w && d.vendorId === w.vendor && d.productId === w.product) || (w ? null : devices[0]);
      if (!device) throw new Error("@not_connected");
      await device.open();
      try {
        if (!device.configuration) await device.selectConfiguration(1);
        let found = null;
        for (const iface of device.configuration.interfaces) {
          for (const alt of iface.alternates) {
            const out = alt.endpoints.find((e) => e.direction === "out" && e.type === "bulk");
            if (out && !found) found = { number: iface.interfaceNumber, endpoint: out.endpointNumber };
          }
        }
        if (!found) throw new Error("@no_endpoint");
        await device.claimInterface(found.number);
        try {
          for (let at = 0; at < bytes.length; at += 16384) {
            const r = await device.transferOut(found.endpoint, bytes.subarray(at, at + 16384));
            if (r.status !== "ok") throw new Error("@transfer " + r.status);
          }
        } finally { await device.releaseInterface(found.number).catch(() => {}); }
      } finally { await device.close().catch(() => {}); }
      return "";
    }
    if (!navigator.serial) throw new Error("@no_api");
    let port;
    if (choose) {
      port = await navigator.serial.requestPort({});
      const info = port.getInfo ? port.getInfo() : {};
      remember({ vendor: info.usbVendorId, product: info.usbProductId });
      return info.usbVendorId !== undefined ? "@serial_usb " + hex(info.usbVendorId) + ":" + hex(info.usbProductId)
                                            : "@serial_port";
    }
    const w = wanted();
    const ports = await navigator.serial.getPorts();
    port = ports.find((p) => { const i = p.getInfo ? p.getInfo() : {}; return w && i.usbVendorId === w.vendor && i.usbProductId === w.product; })
        || (ports.length === 1 ? ports[0] : null);
    if (!port) throw new Error("@not_connected");
    await port.open({ baudRate: baud > 0 ? baud : 9600 });
    try {
      const writer = port.writable.getWriter();
      abort = () => writer.abort().catch(() => {});
      try { await writer.write(bytes); await writer.close(); } finally { writer.releaseLock(); }
    } finally { await port.close().catch(() => {}); }
    return "";
  })().then((text) => finish(true, text), (e) => {
    // A cancelled chooser is no error: the person changed their mind.
    if (choose && e && e.name === "NotFoundError") finish(false, "");
    else finish(false, why(e));
  });
  // The timeout covers the job, not the person choosing.
  if (!choose) setTimeout(() => {
    if (answered) return;
    finish(false, "@timeout");
    if (abort) abort();
  }, 15000);
});
EM_JS(void, sp_js_printer_decode, (unsigned id, const char* url, int length), {
  const P = globalThis.SaleSpiderPrinter || (globalThis.SaleSpiderPrinter = { results: new Map() });
  const done = (r) => { P.results.set(id, r); Module._salespider_printer_done(id); };
  const image = new Image();
  image.onload = () => {
    try {
      const canvas = document.createElement("canvas");
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const g = canvas.getContext("2d");
      g.drawImage(image, 0, 0);
      const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
      done({ ok: true, text: "", bytes: new Uint8Array(data.buffer), width: canvas.width, height: canvas.height });
    } catch (e) { done({ ok: false, text: String(e) }); }
  };
  image.onerror = () => done({ ok: false, text: "@bad_image" });
  image.src = UTF8ToString(url, length);
});
EM_JS(int, sp_js_printer_draw_line, (const char* text, int length, int width, unsigned char* out), {
  // One text line of font A at 203 dpi: 24 dots of glyph in a 30-dot line.
  const height = 30;
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, width, height);
  g.fillStyle = "#000";
  g.font = "24px 'Noto Sans', 'DejaVu Sans', sans-serif";
  g.textBaseline = "alphabetic";
  g.fillText(UTF8ToString(text, length), 0, 23);
  const data = g.getImageData(0, 0, width, height).data;
  for (let i = 0; i < width * height; i += 1) {
    const lum = (data[i * 4] * 299 + data[i * 4 + 1] * 587 + data[i * 4 + 2] * 114) / 1000;
    HEAPU8[out + i] = lum < 128 ? 1 : 0;
  }
  return height;
});
EM_JS(int, sp_js_printer_result_ok, (unsigned id), {
  const r = globalThis.SaleSpiderPrinter && globalThis.SaleSpiderPrinter.results.get(id);
  return r && r.ok ? 1 : 0;
});
EM_JS(int, sp_js_printer_result_text_length, (unsigned id), {
  const r = globalThis.SaleSpiderPrinter && globalThis.SaleSpiderPrinter.results.get(id);
  return r ? lengthBytesUTF8(r.text) : 0;
});
EM_JS(void, sp_js_printer_result_text_copy, (unsigned id, char* out, int size), {
  stringToUTF8(globalThis.SaleSpiderPrinter.results.get(id).text, out, size);
});
EM_JS(int, sp_js_printer_result_bytes, (unsigned id, int which), {
  const r = globalThis.SaleSpiderPrinter && globalThis.SaleSpiderPrinter.results.get(id);
  if (!r || !r.bytes) return 0;
  return which === 0 ? r.bytes.length : which === 1 ? r.width : r.height;
});
EM_JS(void, sp_js_printer_result_bytes_copy, (unsigned id, unsigned char* out), {
  HEAPU8.set(globalThis.SaleSpiderPrinter.results.get(id).bytes, out);
});
EM_JS(void, sp_js_printer_release, (unsigned id), {
  if (globalThis.SaleSpiderPrinter) globalThis.SaleSpiderPrinter.results.delete(id);
});
// clang-format on

namespace salespider::platform::printer {

namespace {

struct Pending {
  std::function<void(Outcome)> outcome;
  std::function<void(Image)> image;
};

std::map<std::uint32_t, Pending> g_pending;
std::uint32_t g_next_id = 1;

std::string result_text(std::uint32_t id) {
  const int n = sp_js_printer_result_text_length(id);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  sp_js_printer_result_text_copy(id, out.data(), n + 1);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// The JS side names what went wrong with "@code [detail]"; anything else is
// the browser's own message (already in the browser's language).
std::string words_for(const std::string& text) {
  if (text.empty() || text[0] != '@') return text;
  const std::string code = text.substr(1, text.find(' ') == std::string::npos ? std::string::npos : text.find(' ') - 1);
  const std::string detail = text.find(' ') == std::string::npos ? std::string() : text.substr(text.find(' ') + 1);
  if (code == "serial_usb") return i18n::trf("USB serial port {ids}", {{"ids", detail}});
  if (code == "serial_port") return i18n::tr("Serial port");
  if (code == "no_api") return i18n::tr("this browser cannot reach printers this way (use Chrome or Edge)");
  if (code == "not_connected") return i18n::tr("the printer is not connected, or not chosen on this till yet");
  if (code == "no_endpoint") return i18n::tr("this USB device is not a printer");
  if (code == "transfer") return i18n::trf("the USB transfer failed ({status})", {{"status", detail}});
  if (code == "timeout") return i18n::tr("the printer took nothing for 15 s (paper out, cover open or switched off?)");
  if (code == "bad_image") return i18n::tr("the logo could not be read as an image");
  return text;
}

void request(Link link, bool choosing, const std::vector<std::uint8_t>& bytes, int baud,
             std::function<void(Outcome)> done) {
  const std::uint32_t id = g_next_id++;
  g_pending[id].outcome = std::move(done);
  sp_js_printer_request(id, link == Link::usb ? 1 : 0, choosing ? 1 : 0, bytes.data(), static_cast<int>(bytes.size()),
                        baud);
}

}  // namespace

bool available(Link link) { return sp_js_printer_available(link == Link::usb ? 1 : 0) != 0; }

void choose(Link link, std::function<void(Outcome)> done) { request(link, true, {}, 0, std::move(done)); }

void send(Link link, std::vector<std::uint8_t> bytes, int baud, std::function<void(Outcome)> done) {
  request(link, false, bytes, baud, std::move(done));
}

void decode_image(std::string_view data_url, std::function<void(Image)> done) {
  const std::uint32_t id = g_next_id++;
  g_pending[id].image = std::move(done);
  sp_js_printer_decode(id, data_url.data(), static_cast<int>(data_url.size()));
}

std::vector<std::uint8_t> draw_line(std::string_view text, int width_dots, int& height) {
  constexpr int kLineDots = 30;  // sp_js_printer_draw_line's height
  if (width_dots <= 0) {
    height = 0;
    return {};
  }
  std::vector<std::uint8_t> dots(static_cast<std::size_t>(width_dots) * kLineDots);
  height = sp_js_printer_draw_line(text.data(), static_cast<int>(text.size()), width_dots, dots.data());
  return dots;
}

void complete(std::uint32_t id) {
  auto it = g_pending.find(id);
  if (it == g_pending.end()) {
    sp_js_printer_release(id);
    return;
  }
  Pending p = std::move(it->second);
  g_pending.erase(it);
  const bool ok = sp_js_printer_result_ok(id) != 0;
  std::string text = words_for(result_text(id));
  if (p.image) {
    Image image;
    if (ok) {
      image.width = sp_js_printer_result_bytes(id, 1);
      image.height = sp_js_printer_result_bytes(id, 2);
      image.rgba.resize(static_cast<std::size_t>(sp_js_printer_result_bytes(id, 0)));
      if (!image.rgba.empty()) sp_js_printer_result_bytes_copy(id, image.rgba.data());
    } else {
      image.error = std::move(text);
    }
    sp_js_printer_release(id);
    p.image(std::move(image));
    return;
  }
  sp_js_printer_release(id);
  if (p.outcome) p.outcome(Outcome{ok, std::move(text)});
}

}  // namespace salespider::platform::printer
