// The browser implementation of platform.hpp: Emscripten's html5.h callbacks
// feed Dear ImGui's input queue (input_browser.cpp), a WebGL2 (or WebGL1)
// context on the canvas renders through imgui_impl_opengl3 (gl_browser.cpp),
// and requestAnimationFrame drives the frames (frame_browser.cpp); they
// share browser.hpp. A few DOM listeners html5.h does not offer (the hidden
// <input>, paste, visualViewport) live in EM_JS in input_browser.cpp and
// hand their events to C++ through a queue drained once per frame: no
// exported callbacks, no eval. This file starts them in order and answers
// what the device says about itself (locale, zone, local time) and the
// browser tests' window.salespider.platform().
// This directory is the only place that includes Emscripten headers.
//
// Implemented:
//  [X] WebGL2 context on the canvas; WebGL1 fallback (+ OES_vertex_array_object)
//      rendered by the GLES2 build of the same backend
//      (imgui_impl_webgl1_browser.cpp). ?webgl=1 forces the fallback.
//  [X] HiDPI: io.DisplaySize in CSS pixels, backing store = CSS size x
//      devicePixelRatio, io.DisplayFramebufferScale to match, fonts
//      rebuilt at size x dpr with io.FontGlobalScale = 1/dpr on dpr change.
//  [X] Font atlas rebuilt (and its texture re-uploaded, WebGL2 and WebGL1)
//      before the next frame whenever the app emptied it between frames:
//      how the app says its glyph set grew (App::set_catalog_glyphs).
//  [X] Mouse: position, buttons (release outside the canvas included), wheel,
//      leaving the canvas.
//  [X] Mouse cursor shapes (CSS cursor on the canvas from GetMouseCursor()).
//  [X] Touch: the first finger is a touch-screen mouse that decides what it
//      was only once it is clear: lifted before 500 ms without moving 8 CSS px
//      = one left click (exactly one: touch events are preventDefault'ed, so
//      the browser synthesises no mouse events); moved 8 px or more = drag,
//      fed as mouse-wheel scrolling of the window under the finger where it
//      went down, no click; held 500 ms still = long press, one right click
//      (context), no left click. The pointer leaves after lift so nothing
//      stays hovered. Extra fingers are ignored.
//  [X] Keyboard: keydown/keyup -> ImGuiKey + modifiers, keypress -> text.
//      Keys the page should not act on (Tab, arrows, F1-F4, F6-F11 ...) are
//      preventDefault'ed; printable keys are not, or keypress never fires;
//      Ctrl/Meta combinations stay with the browser (copy, reload, zoom).
//  [X] Phone soft keyboard: a visually hidden <input id="ime"> sits over
//      ImGui's active text field (io.SetPlatformImeDataFn), is focused while
//      io.WantTextInput (and again after a tap, which brings a dismissed
//      keyboard back) and blurred otherwise. While it has focus all text
//      comes from its beforeinput/input/composition events (keypress text is
//      ignored then, so a physical keyboard types each character once;
//      Android's keyCode 229 key events are ignored). Compositions are
//      typed live: each update sends Backspaces + the changed tail. Its value
//      is emptied after every event (while composing it holds the word being
//      composed). inputmode follows the field's flags (decimal for
//      ImGuiInputTextFlags_CharsDecimal/Scientific).
//  [X] Clipboard: copy -> a local copy + navigator.clipboard.writeText, or
//      execCommand("copy") where the async API is missing (plain http on the
//      LAN); paste -> the DOM paste event's text is typed into the active
//      field and becomes the local copy (Ctrl/Meta+V and Shift+Insert are
//      not passed to ImGui, so a paste happens once).
//  [X] Window focus/blur -> io.AddFocusEvent (no stuck keys after Alt+Tab).
//  [X] Canvas resize: window resize, orientationchange, visualViewport resize;
//      the page is scrolled back whenever the browser scrolls it (focusing
//      the hidden input uses preventScroll).
//  [X] Device locale, time zone and UTC offset through Intl; local
//      date/time formatting in a given IANA zone.
//  [ ] Pre-edit (composition) display inside the ImGui field: the composed
//      word is typed as plain text and corrected as the IME changes it.
//  [ ] Touch drags that are not scrolling (sliders, text selection by finger,
//      scrollbar grabs move the other way): the till uses taps and lists.
//  [ ] Pinch zoom, two-finger gestures.
//  [ ] Clipboard read on demand (navigator.clipboard.readText needs a
//      permission prompt): ImGui::GetClipboardText() returns the last text
//      copied or pasted in this page.
//  [ ] WebGL context loss / restore.
//  [ ] Pausing the frame loop while nothing changes (battery on tablets).

#include "platform/platform.hpp"

#include "platform/browser.hpp"

#include <imgui.h>
// GetInputTextState(): the browser tests read the active field. Read-only
// use of ImGui internals, in platform/ only.
#include <imgui_internal.h>

#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

// which: 0 locale, 1 time zone. The zone is asked of Intl at most once a
// second (a DateTimeFormat is not free), so device_info() can run per frame.
EM_JS(int, sp_js_device_string, (int which, char* buffer, int capacity), {
  var s = "";
  try {
    if (which === 0) {
      s = navigator.language || (navigator.languages && navigator.languages[0]) || "";
    } else {
      var c = Module["salespiderZoneCache"];
      var now = Date.now();
      if (!c || now - c.at > 1000) {
        c = { at: now, zone: Intl.DateTimeFormat().resolvedOptions().timeZone || "" };
        Module["salespiderZoneCache"] = c;
      }
      s = c.zone;
    }
  } catch (e) {}
  return stringToUTF8(s, buffer, capacity);
});

EM_JS(int, sp_js_utc_offset_minutes, (void), { return -new Date().getTimezoneOffset(); });

EM_JS(int, sp_js_touch_device, (void), {
  return (navigator.maxTouchPoints > 0 || "ontouchstart" in window) ? 1 : 0;
});

// "YYYY-MM-DD HH:MM" in zone (IANA; "" or unknown: the device's zone).
EM_JS(int, sp_js_format_local_time, (double wall_ms, const char* zone, char* buffer, int capacity), {
  var options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
                  hourCycle: "h23", hour12: false };
  var tz = UTF8ToString(zone);
  var format;
  try {
    format = new Intl.DateTimeFormat("en-US-u-nu-latn", tz ? Object.assign({ timeZone: tz }, options) : options);
  } catch (e) {
    format = new Intl.DateTimeFormat("en-US-u-nu-latn", options);
  }
  var p = {};
  format.formatToParts(new Date(wall_ms)).forEach(function(part) { p[part.type] = part.value; });
  var hour = p.hour === "24" ? "00" : p.hour;
  return stringToUTF8(p.year + "-" + p.month + "-" + p.day + " " + hour + ":" + p.minute, buffer, capacity);
});

EM_JS(int, sp_js_utc_offset_at, (double utc_ms, const char* zone), {
  var options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
                  second: "2-digit", hourCycle: "h23", hour12: false };
  var tz = UTF8ToString(zone);
  var format;
  try {
    format = new Intl.DateTimeFormat("en-US-u-nu-latn", tz ? Object.assign({ timeZone: tz }, options) : options);
  } catch (e) {
    format = new Intl.DateTimeFormat("en-US-u-nu-latn", options);
  }
  var p = {};
  format.formatToParts(new Date(utc_ms)).forEach(function(part) { p[part.type] = part.value; });
  var wall = Date.UTC(+p.year, +p.month - 1, +p.day, p.hour === "24" ? 0 : +p.hour, +p.minute, +p.second);
  return Math.round((wall - Math.floor(utc_ms / 1000) * 1000) / 60000);
});

EM_JS(void, js_performance_mark, (const char* name), {
  if (typeof performance !== 'undefined' && performance.mark) performance.mark(UTF8ToString(name));
});

namespace salespider::platform {

namespace browser {

std::unique_ptr<Browser> g_browser;

}  // namespace browser

using namespace browser;

namespace {

std::string device_string(int which) {
  char buffer[256];
  const int n = sp_js_device_string(which, buffer, static_cast<int>(sizeof buffer));
  return std::string(buffer, static_cast<std::size_t>(std::max(n, 0)));
}

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (u < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(u));
      out += escaped;
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

}  // namespace

std::optional<StartError> start(const char* canvas_selector, Callbacks callbacks) {
  IM_ASSERT(g_browser == nullptr && "platform::start() called twice");
  IM_ASSERT(ImGui::GetCurrentContext() != nullptr);
  auto b = std::make_unique<Browser>();
  b->canvas = canvas_selector;
  b->callbacks = std::move(callbacks);

  // WebGL 2, else WebGL 1 (gl_browser.cpp).
  if (std::optional<StartError> failed = create_gl(*b)) return failed;

  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "salespider_html5";
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
  io.SetClipboardTextFn = set_clipboard_text;
  io.GetClipboardTextFn = get_clipboard_text;
  io.ClipboardUserData = nullptr;
  io.SetPlatformImeDataFn = set_ime_data;
  if (std::optional<StartError> failed = init_renderer(*b)) return failed;

  install_input_callbacks(*b);
  start_frame_loop(*b);
  g_browser = std::move(b);
  return std::nullopt;
}

void frame_now() {
  if (g_browser) browser::frame_now(*g_browser);
}

void mark(const char* name) { js_performance_mark(name); }

DeviceInfo device_info() {
  DeviceInfo info;
  info.locale = device_string(0);
  info.time_zone = device_string(1);
  info.utc_offset_minutes = sp_js_utc_offset_minutes();
  info.webgl2 = g_browser ? g_browser->webgl2 : true;
  info.touch = sp_js_touch_device() != 0;
  return info;
}

int utc_offset_minutes_at(std::int64_t utc_ms, const std::string& time_zone) {
  return sp_js_utc_offset_at(static_cast<double>(utc_ms), time_zone.c_str());
}

std::string format_local_time(std::int64_t wall_ms, const std::string& time_zone) {
  char buffer[64];
  const int n = sp_js_format_local_time(static_cast<double>(wall_ms), time_zone.c_str(), buffer,
                                        static_cast<int>(sizeof buffer));
  return std::string(buffer, static_cast<std::size_t>(std::max(n, 0)));
}

}  // namespace salespider::platform

// What the platform layer did, for the browser tests (window.salespider.
// platform()): which WebGL, the hidden input, counts of touch gestures, the
// device's locale and zone. Valid until the next call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* salespider_platform_json() {
  using namespace salespider::platform;
  using namespace salespider::platform::browser;
  static std::string json;
  const DeviceInfo info = device_info();
  const Browser* b = g_browser.get();
  char ime[512];
  const int ime_len = ime_status(ime, static_cast<int>(sizeof ime));
  json = "{\"webgl\":";
  json += info.webgl2 ? "2" : "1";
  json += ",\"ime\":";
  json.append(ime, static_cast<std::size_t>(std::max(ime_len, 0)));
  json += ",\"ime_wanted\":";
  json += b != nullptr && b->ime_wanted ? "true" : "false";
  json += ",\"clipboard_len\":" + std::to_string(b != nullptr ? b->clipboard.size() : 0);
  json += ",\"taps\":" + std::to_string(b != nullptr ? b->taps : 0);
  json += ",\"drags\":" + std::to_string(b != nullptr ? b->drags : 0);
  json += ",\"long_presses\":" + std::to_string(b != nullptr ? b->long_presses : 0);
  json += ",\"touch\":";
  json += info.touch ? "true" : "false";
  json += ",\"locale\":";
  append_json_string(json, info.locale);
  json += ",\"time_zone\":";
  append_json_string(json, info.time_zone);
  json += ",\"utc_offset_minutes\":" + std::to_string(info.utc_offset_minutes);
  // Input events Dear ImGui has not read yet (it reads some per frame):
  // tests wait for 0 before they read what typing or a click did.
  json += ",\"input_queued\":" + std::to_string(ImGui::GetCurrentContext() != nullptr ? GImGui->InputEventsQueue.Size : 0);
  json += ",\"cursor\":";
  append_json_string(json, b != nullptr ? css_cursor(b->cursor) : "default");
  // The active ImGui text field, so tests see what typing produced: its
  // length always, its text only when it is not a password field.
  json += ",\"active_field\":";
  const ImGuiInputTextState* field =
      ImGui::GetCurrentContext() != nullptr ? ImGui::GetInputTextState(GImGui->ActiveId) : nullptr;
  if (field == nullptr || field->TextW.Size == 0) {
    json += "null";
  } else {
    const bool password = (field->Flags & ImGuiInputTextFlags_Password) != 0;
    json += "{\"length\":" + std::to_string(field->CurLenW);
    json += ",\"password\":";
    json += password ? "true" : "false";
    if (!password) {
      std::string text(static_cast<std::size_t>(field->CurLenW) * 4 + 1, '\0');
      const int n = ImTextStrToUtf8(text.data(), static_cast<int>(text.size()), field->TextW.Data,
                                    field->TextW.Data + field->CurLenW);
      text.resize(static_cast<std::size_t>(std::max(n, 0)));
      json += ",\"text\":";
      append_json_string(json, text);
    }
    json += "}";
  }
  // format_local_time() for 2026-12-02 13:05 UTC, in the device's zone and
  // in Asia/Kolkata (+05:30).
  constexpr std::int64_t kExampleMs = 1796216700000;
  json += ",\"time_example\":{\"device\":";
  append_json_string(json, format_local_time(kExampleMs, ""));
  json += ",\"kolkata\":";
  append_json_string(json, format_local_time(kExampleMs, "Asia/Kolkata"));
  json += ",\"unknown_zone\":";
  append_json_string(json, format_local_time(kExampleMs, "Not/AZone"));
  json += "}";
  json += "}";
  return json.c_str();
}
