// The browser implementation of camera.hpp over www/scanner.js
// (window.SaleSpiderScanner). Each event (a code, the end) is kept by id in
// globalThis.SaleSpiderCamera.events and announced with
// salespider_camera_event(id); deliver() copies it out, once.
#include "platform/camera.hpp"

#include <emscripten/emscripten.h>

#include <string>
#include <utility>

// clang-format off
EM_JS(int, sp_js_camera_supported, (), {
  return (globalThis.SaleSpiderScanner && SaleSpiderScanner.supported()) ? 1 : 0;
});
EM_JS(void, sp_js_camera_open, (const char* close, int close_length, const char* hint, int hint_length), {
  const C = globalThis.SaleSpiderCamera || (globalThis.SaleSpiderCamera = { events: new Map(), next: 1 });
  const post = (kind, text) => {
    const id = C.next++;
    C.events.set(id, { kind, text: String(text || "") });
    Module._salespider_camera_event(id);
  };
  SaleSpiderScanner.open({
    labels: { close: UTF8ToString(close, close_length), hint: UTF8ToString(hint, hint_length) },
    onCode: (text) => post(0, text),
    onError: (code) => post(1, code),
    onClose: () => post(1, ""),
  });
});
EM_JS(void, sp_js_camera_close, (), { if (globalThis.SaleSpiderScanner) SaleSpiderScanner.close(); });
EM_JS(int, sp_js_camera_event_kind, (unsigned id), {
  const e = globalThis.SaleSpiderCamera && SaleSpiderCamera.events.get(id);
  return e ? e.kind : -1;
});
EM_JS(int, sp_js_camera_event_length, (unsigned id), {
  const e = globalThis.SaleSpiderCamera && SaleSpiderCamera.events.get(id);
  return e ? lengthBytesUTF8(e.text) : 0;
});
EM_JS(void, sp_js_camera_event_copy, (unsigned id, char* out, int size), {
  const e = SaleSpiderCamera.events.get(id);
  stringToUTF8(e.text, out, size);
  SaleSpiderCamera.events.delete(id);
});
// clang-format on

namespace salespider::platform::camera {

namespace {

std::function<void(std::string)> g_on_code;
std::function<void(std::string)> g_on_end;

}  // namespace

bool supported() { return sp_js_camera_supported() != 0; }

void open(const Labels& labels, std::function<void(std::string)> on_code, std::function<void(std::string)> on_end) {
  g_on_code = std::move(on_code);
  g_on_end = std::move(on_end);
  sp_js_camera_open(labels.close.data(), static_cast<int>(labels.close.size()), labels.hint.data(),
                    static_cast<int>(labels.hint.size()));
}

void close() {
  g_on_code = nullptr;
  g_on_end = nullptr;
  sp_js_camera_close();
}

void deliver(std::uint32_t id) {
  const int kind = sp_js_camera_event_kind(id);
  if (kind < 0) return;
  const int n = sp_js_camera_event_length(id);
  std::string text(static_cast<std::size_t>(n) + 1, '\0');
  sp_js_camera_event_copy(id, text.data(), n + 1);
  text.resize(static_cast<std::size_t>(n));
  if (kind == 0) {
    if (g_on_code) g_on_code(std::move(text));
    return;
  }
  std::function<void(std::string)> end = std::move(g_on_end);
  g_on_code = nullptr;
  g_on_end = nullptr;
  if (end) end(std::move(text));
}

}  // namespace salespider::platform::camera
