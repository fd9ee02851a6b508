// The browser implementation of platform.hpp: Emscripten's html5.h callbacks
// feed Dear ImGui's input queue, a WebGL2 (or WebGL1) context on the canvas
// renders through imgui_impl_opengl3, and requestAnimationFrame drives the
// frames. A few DOM listeners html5.h does not offer (the hidden <input>,
// paste, visualViewport) live in EM_JS below and hand their events to C++
// through a queue drained once per frame: no exported callbacks, no eval.
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

#include "platform/imgui_impl_webgl1.hpp"

#include <imgui.h>
#include <imgui_impl_opengl3.h>
// GetInputTextState(): the active field's flags pick the phone keyboard's
// layout (inputmode). Read-only use of ImGui internals, here only.
#include <imgui_internal.h>

#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// --- the DOM side ----------------------------------------------------------
// State shared by the listeners lives in Module.salespiderPlatform. Strings
// are only ever passed in buffers the C++ side owns (stringToUTF8), so no JS
// allocates wasm memory. Double quotes only: these bodies are C macro
// arguments, where 'abc' would be a multi-character constant.

// Installs the listeners html5.h does not offer. Events for C++ are queued
// as strings: "T<text>" typed text, "P<text>" pasted text, "K<key>" a key
// press from the soft keyboard (Backspace, Delete, Enter).
EM_JS(void, sp_js_install, (const char* canvas_selector, const char* ime_selector), {
  var P = {
    canvas: document.querySelector(UTF8ToString(canvas_selector)),
    ime: document.querySelector(UTF8ToString(ime_selector)),
    queue: [],
    composing: false,
    composed: "",
    viewportChanged: false,
    pendingCopy: null
  };
  Module["salespiderPlatform"] = P;
  var push = function(type, text) { P.queue.push(type + text); };
  var changed = function() { P.viewportChanged = true; };
  // The page itself never scrolls: the canvas is the layout viewport.
  var unscroll = function() { if (window.scrollX || window.scrollY) window.scrollTo(0, 0); };
  window.addEventListener("orientationchange", changed);
  if (window.screen && screen.orientation && screen.orientation.addEventListener)
    screen.orientation.addEventListener("change", changed);
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", function() { changed(); unscroll(); });
    window.visualViewport.addEventListener("scroll", unscroll);
  }
  window.addEventListener("scroll", unscroll);

  document.addEventListener("paste", function(e) {
    var text = e.clipboardData ? e.clipboardData.getData("text/plain") : "";
    e.preventDefault();
    if (text) push("P", text);
  });
  // The copy itself comes from ImGui a frame later (sp_clipboard_write);
  // the browser copying the hidden input's empty selection would be noise.
  var onCopy = function(e) {
    if (P.pendingCopy !== null && e.clipboardData) {
      e.clipboardData.setData("text/plain", P.pendingCopy);
      e.preventDefault();
    } else if (e.target === P.ime) {
      e.preventDefault();
    }
  };
  document.addEventListener("copy", onCopy);
  document.addEventListener("cut", onCopy);

  var ime = P.ime;
  if (!ime) return;
  // Types the difference between what the composition showed so far and
  // what it shows now: Backspaces for the changed tail, then the new tail.
  var syncComposition = function(text) {
    var was = Array.from(P.composed), now = Array.from(text), i = 0;
    while (i < was.length && i < now.length && was[i] === now[i]) i++;
    for (var k = i; k < was.length; k++) push("K", "Backspace");
    if (i < now.length) push("T", now.slice(i).join(""));
    P.composed = text;
  };
  var endComposition = function(text) {
    if (P.composing) syncComposition(text);
    P.composing = false;
    P.composed = "";
    ime.value = "";
  };
  ime.addEventListener("compositionstart", function() {
    P.composing = true;
    P.composed = "";
  });
  ime.addEventListener("compositionend", function(e) {
    endComposition(typeof e.data === "string" ? e.data : ime.value);
  });
  ime.addEventListener("beforeinput", function(e) {
    var type = e.inputType || "";
    // Composition updates cannot be cancelled; "input" reads them.
    if (type === "insertCompositionText" || e.isComposing || P.composing) return;
    if (type === "insertText" || type === "insertReplacementText") {
      var text = typeof e.data === "string" ? e.data : (e.dataTransfer ? e.dataTransfer.getData("text/plain") : "");
      if (text) push("T", text);
    } else if (type === "insertLineBreak" || type === "insertParagraph") {
      push("K", "Enter");
    } else if (type.indexOf("deleteContentBackward") === 0 || type.indexOf("deleteWordBackward") === 0) {
      push("K", "Backspace");
    } else if (type.indexOf("deleteContentForward") === 0 || type.indexOf("deleteWordForward") === 0) {
      push("K", "Delete");
    }
    // The value stays empty: nothing typed accumulates in the DOM.
    e.preventDefault();
  });
  ime.addEventListener("input", function() {
    if (P.composing) { syncComposition(ime.value); return; }
    // Browsers without a cancellable beforeinput: take what landed, once.
    if (ime.value) { push("T", ime.value); ime.value = ""; }
  });
  ime.addEventListener("blur", function() { endComposition(ime.value); });
});

// Length in UTF-8 bytes (+1 for the NUL) of the next queued event, 0 if none.
EM_JS(int, sp_js_next_event_size, (void), {
  var P = Module["salespiderPlatform"];
  if (!P || P.queue.length === 0) return 0;
  return lengthBytesUTF8(P.queue[0]) + 1;
});

EM_JS(void, sp_js_pop_event, (char* buffer, int capacity), {
  var P = Module["salespiderPlatform"];
  stringToUTF8(P.queue.shift() || "", buffer, capacity);
});

EM_JS(int, sp_js_take_viewport_changed, (void), {
  var P = Module["salespiderPlatform"];
  if (!P || !P.viewportChanged) return 0;
  P.viewportChanged = false;
  return 1;
});

EM_JS(int, sp_js_ime_focused, (void), {
  var P = Module["salespiderPlatform"];
  return P && P.ime && document.activeElement === P.ime ? 1 : 0;
});

// focus: 1 focus (refocus, after a tap: blur first if the keyboard is down,
// so a keyboard the cashier dismissed comes back), 0 blur, -1 leave as it
// is. x/y/h in canvas CSS pixels.
EM_JS(void, sp_js_ime_update, (int focus, int refocus, double x, double y, double h, const char* input_mode,
                               const char* enter_hint), {
  var P = Module["salespiderPlatform"];
  if (!P || !P.ime) return;
  var ime = P.ime;
  var r = P.canvas ? P.canvas.getBoundingClientRect() : { left: 0, top: 0 };
  ime.style.left = (r.left + x) + "px";
  ime.style.top = (r.top + y) + "px";
  ime.style.height = Math.max(16, h) + "px";
  var mode = UTF8ToString(input_mode), hint = UTF8ToString(enter_hint);
  if (ime.getAttribute("inputmode") !== mode) ime.setAttribute("inputmode", mode);
  if (ime.getAttribute("enterkeyhint") !== hint) ime.setAttribute("enterkeyhint", hint);
  var focused = document.activeElement === ime;
  if (focus === 1) {
    // A keyboard that is up shrinks the visual viewport; bounce the focus
    // only when it is down (dismissed with Back while the field stayed
    // active), or moving between fields would flicker the keyboard.
    var vv = window.visualViewport;
    var keyboardUp = vv && vv.height < window.innerHeight * 0.85;
    if (focused && refocus && !keyboardUp) {
      ime.blur();
      focused = false;
    }
    if (!focused) ime.focus({ preventScroll: true });
  } else if (focus === 0 && focused) {
    ime.blur();
  }
});

EM_JS(int, sp_js_ime_status, (char* buffer, int capacity), {
  var P = Module["salespiderPlatform"];
  var ime = P && P.ime;
  var s = JSON.stringify(ime ? {
    present: true,
    focused: document.activeElement === ime,
    x: parseFloat(ime.style.left) || 0,
    y: parseFloat(ime.style.top) || 0,
    h: parseFloat(ime.style.height) || 0,
    inputmode: ime.getAttribute("inputmode") || "",
    enterkeyhint: ime.getAttribute("enterkeyhint") || "",
    value_length: ime.value.length
  } : { present: false, focused: false });
  return stringToUTF8(s, buffer, capacity);
});

EM_JS(void, sp_js_set_cursor, (const char* css), {
  var P = Module["salespiderPlatform"];
  if (P && P.canvas) P.canvas.style.cursor = UTF8ToString(css);
});

EM_JS(void, sp_js_clipboard_write, (const char* utf8), {
  var text = UTF8ToString(utf8);
  var P = Module["salespiderPlatform"];
  var legacy = function() {
    if (!P) return;
    P.pendingCopy = text;
    try { document.execCommand("copy"); } catch (e) {}
    P.pendingCopy = null;
  };
  try {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).catch(legacy);
      return;
    }
  } catch (e) {}
  legacy();
});

EM_JS(int, sp_js_force_webgl1, (void), {
  try { return new URLSearchParams(location.search).get("webgl") === "1" ? 1 : 0; } catch (e) { return 0; }
});

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

namespace salespider::platform {

namespace {

constexpr double kTapSlopPx = 8.0;
constexpr double kLongPressMs = 500.0;

// The two builds of Dear ImGui's OpenGL3 renderer; start() picks one.
struct Renderer {
  const char* glsl_version;
  bool (*init)(const char*);
  void (*new_frame)();
  void (*render)(ImDrawData*);
  bool (*create_fonts_texture)();
  void (*destroy_fonts_texture)();
  bool (*create_device_objects)();
};

const Renderer kWebGL2Renderer{"#version 300 es",
                               ImGui_ImplOpenGL3_Init,
                               ImGui_ImplOpenGL3_NewFrame,
                               ImGui_ImplOpenGL3_RenderDrawData,
                               ImGui_ImplOpenGL3_CreateFontsTexture,
                               ImGui_ImplOpenGL3_DestroyFontsTexture,
                               ImGui_ImplOpenGL3_CreateDeviceObjects};
const Renderer kWebGL1Renderer{"#version 100",
                               ImGui_ImplWebGL1_Init,
                               ImGui_ImplWebGL1_NewFrame,
                               ImGui_ImplWebGL1_RenderDrawData,
                               ImGui_ImplWebGL1_CreateFontsTexture,
                               ImGui_ImplWebGL1_DestroyFontsTexture,
                               ImGui_ImplWebGL1_CreateDeviceObjects};

enum class TouchMode { None, Pending, Dragging, LongPressed };

// One animation frame as the benchmarks see it, in performance.now() ms.
struct FrameTiming {
  double vsync_ms = 0.0;   // the rAF timestamp: when the browser began the frame
  double start_ms = 0.0;   // our callback starts (input of the frame drained after this)
  double imgui_ms = 0.0;   // ImGui::NewFrame()
  double render_ms = 0.0;  // ImGui::Render() done: the UI is built, GL work follows
  double end_ms = 0.0;     // the draw data handed to WebGL (after RenderDrawData)
  bool changed = false;    // the first UI pass emitted commands (read input, or a tick's result)
  int passes = 1;          // UI passes built (see build_again); the last one is drawn
  bool drawn = true;       // false: the same picture as the frame before, not sent to WebGL
};
constexpr std::size_t kFrameRing = 1024;
// At most this many UI passes per animation frame: the first, and the ones
// that draw the state its commands (and theirs) made.
constexpr int kMaxPasses = 3;

struct Browser {
  std::string canvas;
  Callbacks callbacks;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  const Renderer* renderer = &kWebGL2Renderer;
  bool webgl2 = true;
  // CSS size, framebuffer size and pixel ratio the canvas was last set up for.
  double css_w = 0.0;
  double css_h = 0.0;
  int fb_w = 0;
  int fb_h = 0;
  float dpr = 0.0f;
  // Pixel ratio the font atlas was rasterised for.
  float font_dpr = 0.0f;
  bool resize_pending = true;
  // Set once the renderer's GL objects exist; before that a font rebuild
  // must not upload a texture (CreateDeviceObjects() will).
  bool device_ready = false;
  double last_time_ms = 0.0;
  // Font size of the last frame in CSS px: one wheel unit scrolls 5 lines
  // vertically and 2 horizontally in ImGui, so finger pixels convert by it.
  float font_px = 16.0f;

  // The finger acting as the mouse: DOM Touch.identifier, -1 when none.
  long touch_id = -1;
  TouchMode touch_mode = TouchMode::None;
  float touch_start_x = 0.0f;
  float touch_start_y = 0.0f;
  float touch_fed_x = 0.0f;  // where the last scroll step was fed from
  float touch_fed_y = 0.0f;
  double touch_start_ms = 0.0;
  int taps = 0;
  int drags = 0;
  int long_presses = 0;

  // The hidden <input> for the phone keyboard.
  bool ime_wanted = false;
  bool ime_refocus = false;  // a tap happened: bring a dismissed keyboard back
  ImGuiPlatformImeData ime_data{};
  bool ime_data_dirty = false;
  std::string ime_mode = "text";

  std::string clipboard;
  ImGuiMouseCursor cursor = ImGuiMouseCursor_COUNT;

  // The last kFrameRing animation frames, for the benchmarks
  // (window.salespider.frames()); written once per frame, never read by the till.
  std::array<FrameTiming, kFrameRing> frames{};
  std::uint64_t frame_count = 0;

  // The draw data last sent to WebGL, flattened (same_as_last_drawn()), and
  // this frame's; a canvas not drawn to keeps showing its last frame.
  std::vector<char> drawn;
  std::vector<char> scratch;
  bool must_draw = true;
};

// The one browser platform of this page; callbacks receive it as userData.
std::unique_ptr<Browser> g_browser;

int imgui_button(unsigned short dom_button) {
  // DOM: 0 left, 1 middle, 2 right. ImGui: 0 left, 1 right, 2 middle.
  switch (dom_button) {
    case 0:
      return 0;
    case 1:
      return 2;
    case 2:
      return 1;
    default:
      return dom_button < ImGuiMouseButton_COUNT ? dom_button : -1;
  }
}

ImGuiKey key_from_code(std::string_view code) {
  struct Entry {
    std::string_view code;
    ImGuiKey key;
  };
  // Keys whose physical position matters (left/right modifiers, keypad) or
  // whose DOM `key` depends on layout and shift state (punctuation).
  static constexpr Entry kTable[] = {
      {"ShiftLeft", ImGuiKey_LeftShift},
      {"ShiftRight", ImGuiKey_RightShift},
      {"ControlLeft", ImGuiKey_LeftCtrl},
      {"ControlRight", ImGuiKey_RightCtrl},
      {"AltLeft", ImGuiKey_LeftAlt},
      {"AltRight", ImGuiKey_RightAlt},
      {"MetaLeft", ImGuiKey_LeftSuper},
      {"MetaRight", ImGuiKey_RightSuper},
      {"Numpad0", ImGuiKey_Keypad0},
      {"Numpad1", ImGuiKey_Keypad1},
      {"Numpad2", ImGuiKey_Keypad2},
      {"Numpad3", ImGuiKey_Keypad3},
      {"Numpad4", ImGuiKey_Keypad4},
      {"Numpad5", ImGuiKey_Keypad5},
      {"Numpad6", ImGuiKey_Keypad6},
      {"Numpad7", ImGuiKey_Keypad7},
      {"Numpad8", ImGuiKey_Keypad8},
      {"Numpad9", ImGuiKey_Keypad9},
      {"NumpadDecimal", ImGuiKey_KeypadDecimal},
      {"NumpadDivide", ImGuiKey_KeypadDivide},
      {"NumpadMultiply", ImGuiKey_KeypadMultiply},
      {"NumpadSubtract", ImGuiKey_KeypadSubtract},
      {"NumpadAdd", ImGuiKey_KeypadAdd},
      {"NumpadEnter", ImGuiKey_KeypadEnter},
      {"NumpadEqual", ImGuiKey_KeypadEqual},
      {"Minus", ImGuiKey_Minus},
      {"Equal", ImGuiKey_Equal},
      {"BracketLeft", ImGuiKey_LeftBracket},
      {"BracketRight", ImGuiKey_RightBracket},
      {"Backslash", ImGuiKey_Backslash},
      {"Semicolon", ImGuiKey_Semicolon},
      {"Quote", ImGuiKey_Apostrophe},
      {"Comma", ImGuiKey_Comma},
      {"Period", ImGuiKey_Period},
      {"Slash", ImGuiKey_Slash},
      {"Backquote", ImGuiKey_GraveAccent},
  };
  for (const Entry& e : kTable) {
    if (e.code == code) return e.key;
  }
  return ImGuiKey_None;
}

ImGuiKey key_from_name(std::string_view key) {
  struct Entry {
    std::string_view name;
    ImGuiKey key;
  };
  static constexpr Entry kTable[] = {
      {"Enter", ImGuiKey_Enter},
      {"Escape", ImGuiKey_Escape},
      {"Tab", ImGuiKey_Tab},
      {"Backspace", ImGuiKey_Backspace},
      {"Delete", ImGuiKey_Delete},
      {"Insert", ImGuiKey_Insert},
      {" ", ImGuiKey_Space},
      {"Home", ImGuiKey_Home},
      {"End", ImGuiKey_End},
      {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown},
      {"ArrowLeft", ImGuiKey_LeftArrow},
      {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow},
      {"ArrowDown", ImGuiKey_DownArrow},
      {"CapsLock", ImGuiKey_CapsLock},
      {"NumLock", ImGuiKey_NumLock},
      {"ScrollLock", ImGuiKey_ScrollLock},
      {"PrintScreen", ImGuiKey_PrintScreen},
      {"Pause", ImGuiKey_Pause},
      {"ContextMenu", ImGuiKey_Menu},
      {"F1", ImGuiKey_F1},
      {"F2", ImGuiKey_F2},
      {"F3", ImGuiKey_F3},
      {"F4", ImGuiKey_F4},
      {"F5", ImGuiKey_F5},
      {"F6", ImGuiKey_F6},
      {"F7", ImGuiKey_F7},
      {"F8", ImGuiKey_F8},
      {"F9", ImGuiKey_F9},
      {"F10", ImGuiKey_F10},
      {"F11", ImGuiKey_F11},
      {"F12", ImGuiKey_F12},
  };
  for (const Entry& e : kTable) {
    if (e.name == key) return e.key;
  }
  return ImGuiKey_None;
}

ImGuiKey imgui_key(const EmscriptenKeyboardEvent& e) {
  if (const ImGuiKey k = key_from_code(e.code); k != ImGuiKey_None) return k;
  // Letters and digits by what the layout types, so Ctrl+A means "A" on
  // AZERTY too (ImGui expects translated keys for shortcuts).
  const std::string_view key = e.key;
  if (key.size() == 1) {
    const char ch = key[0];
    if (ch >= 'a' && ch <= 'z') return static_cast<ImGuiKey>(ImGuiKey_A + (ch - 'a'));
    if (ch >= 'A' && ch <= 'Z') return static_cast<ImGuiKey>(ImGuiKey_A + (ch - 'A'));
    if (ch >= '0' && ch <= '9') return static_cast<ImGuiKey>(ImGuiKey_0 + (ch - '0'));
  }
  return key_from_name(key);
}

// A DOM `key` that is one character (possibly multi-byte UTF-8) types text.
bool is_printable_key(std::string_view key) {
  if (key.empty()) return false;
  std::size_t code_points = 0;
  for (const char ch : key) {
    if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++code_points;
  }
  return code_points == 1;
}

// A key queued as its text alone: its press is not queued, nor the Shift
// state it carries (its release is, so no key stays down). Dear ImGui reads
// at most one change of each key per frame and, while a field is active, a
// key press and the text after it in different frames ("trickling"): with
// the presses queued each character took one frame, two while a field is
// active, so a 13-digit scan took 13 to 26 frames (up to almost a second at
// 30 fps) to reach the till, a fast typist saw the field fall behind, and a
// search's results came a frame late. Text only:
// - a letter or digit without Ctrl, Alt or Cmd, always: the till reads no
//   such key (with a modifier it does, Ctrl+A);
// - while a field is active, Space, and Shift on its own (the next key
//   carries the Shift state with it, so Shift+arrow still selects).
// + - = keep their presses: the till reads them on an empty search box.
bool text_only(const EmscriptenKeyboardEvent& e, ImGuiKey key, bool down, bool printable, const ImGuiIO& io) {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const bool letter_or_digit = (key >= ImGuiKey_A && key <= ImGuiKey_Z) || (key >= ImGuiKey_0 && key <= ImGuiKey_9) ||
                               (key >= ImGuiKey_Keypad0 && key <= ImGuiKey_Keypad9);
  if (printable && letter_or_digit) return true;
  if (!io.WantTextInput) return false;
  // Shift's release always sets the Shift state: it may have been pressed
  // before the field was active.
  return key == ImGuiKey_Space || (down && (key == ImGuiKey_LeftShift || key == ImGuiKey_RightShift));
}

void add_modifiers(ImGuiIO& io, const EmscriptenKeyboardEvent& e) {
  io.AddKeyEvent(ImGuiMod_Ctrl, e.ctrlKey);
  io.AddKeyEvent(ImGuiMod_Shift, e.shiftKey);
  io.AddKeyEvent(ImGuiMod_Alt, e.altKey);
  io.AddKeyEvent(ImGuiMod_Super, e.metaKey);
}

// Typed text, one code point at a time. Control characters arrive as keys
// (Enter, Tab, Backspace), not text; a paste keeps its newlines and tabs for
// the field to filter (a single-line field drops them).
void add_text(ImGuiIO& io, unsigned int code_point, bool pasted = false) {
  if (code_point >= 0x20 && code_point != 0x7F)
    io.AddInputCharacter(code_point);
  else if (pasted && (code_point == '\n' || code_point == '\t'))
    io.AddInputCharacter(code_point);
}

void add_text_utf8(ImGuiIO& io, std::string_view text, bool pasted) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) break;
    p += n;
    add_text(io, c, pasted);
  }
}

void press_key(ImGuiIO& io, ImGuiKey key) {
  io.AddKeyEvent(key, true);
  io.AddKeyEvent(key, false);
}

bool ime_focused() { return sp_js_ime_focused() != 0; }

// What the DOM listeners queued since the last frame.
void drain_dom_events(Browser& b) {
  ImGuiIO& io = ImGui::GetIO();
  std::string event;
  while (const int size = sp_js_next_event_size()) {
    event.resize(static_cast<std::size_t>(size));
    sp_js_pop_event(event.data(), size);
    event.resize(std::strlen(event.c_str()));
    if (event.empty()) continue;
    const std::string_view payload = std::string_view(event).substr(1);
    switch (event[0]) {
      case 'T':
        add_text_utf8(io, payload, false);
        break;
      case 'P': {
        std::string text;
        text.reserve(payload.size());
        for (const char ch : payload)
          if (ch != '\r') text.push_back(ch);
        b.clipboard = text;
        add_text_utf8(io, text, true);
        break;
      }
      case 'K':
        if (payload == "Backspace")
          press_key(io, ImGuiKey_Backspace);
        else if (payload == "Delete")
          press_key(io, ImGuiKey_Delete);
        else if (payload == "Enter")
          press_key(io, ImGuiKey_Enter);
        break;
      default:
        break;
    }
  }
}

EM_BOOL on_key(int event_type, const EmscriptenKeyboardEvent* e, void* user_data) {
  // Text the hidden input received since the last key event goes first, so
  // ImGui sees keys and text in the order they were typed.
  drain_dom_events(*static_cast<Browser*>(user_data));
  // 229: an IME/soft keyboard is composing; the text comes from the hidden
  // input's events instead.
  if (e->keyCode == 229) return EM_FALSE;
  ImGuiIO& io = ImGui::GetIO();
  const bool down = event_type == EMSCRIPTEN_EVENT_KEYDOWN;
  const ImGuiKey key = imgui_key(*e);
  const bool printable = is_printable_key(e->key);
  // Paste shortcuts are left to the browser alone: its paste event types the
  // text (drain_dom_events), so ImGui must not paste a second time.
  const bool paste_shortcut = (key == ImGuiKey_V && (e->ctrlKey || e->metaKey)) ||
                              (key == ImGuiKey_Insert && e->shiftKey);
  const bool text_key = text_only(*e, key, down, printable, io);
  if (!text_key) add_modifiers(io, *e);
  if (key != ImGuiKey_None && !paste_shortcut && !(down && text_key)) io.AddKeyEvent(key, down);
  if (!down || e->ctrlKey || e->metaKey || printable) return EM_FALSE;
  // F5 reloads and F12 opens the developer tools; everything else that is
  // not text belongs to the till.
  return key != ImGuiKey_F5 && key != ImGuiKey_F12 && key != ImGuiKey_None;
}

EM_BOOL on_keypress(int, const EmscriptenKeyboardEvent* e, void*) {
  // With the hidden input focused the same character also arrives as its
  // beforeinput event; that one is taken, so each character types once.
  if (ime_focused()) return EM_FALSE;
  add_text(ImGui::GetIO(), static_cast<unsigned int>(e->charCode));
  return EM_FALSE;
}

EM_BOOL on_mouse_down(int, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMousePosEvent(static_cast<float>(e->targetX), static_cast<float>(e->targetY));
  if (const int button = imgui_button(e->button); button >= 0) io.AddMouseButtonEvent(button, true);
  // Keeps the browser from starting a text selection or drag on the canvas,
  // and the hidden input from losing focus.
  return EM_TRUE;
}

EM_BOOL on_mouse_move(int, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMousePosEvent(static_cast<float>(e->targetX), static_cast<float>(e->targetY));
  return EM_FALSE;
}

// Registered on the window so a button released outside the canvas is
// released in ImGui too. Coordinates there are window-relative, so only the
// button is reported; the last move inside the canvas gave the position.
EM_BOOL on_mouse_up(int, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  if (const int button = imgui_button(e->button); button >= 0) io.AddMouseButtonEvent(button, false);
  return EM_FALSE;
}

EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent* e, void*) {
  // While dragging, keep the last position so the drag continues sensibly.
  if (e->buttons == 0) ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  return EM_FALSE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
  // Ctrl+wheel (and trackpad pinch) is the browser's zoom; let it through.
  if (e->mouse.ctrlKey) return EM_FALSE;
  // One ImGui wheel unit is one notch: ~100 px in pixel mode (Chromium),
  // 3 lines in line mode (Firefox).
  double scale = 1.0;
  if (e->deltaMode == DOM_DELTA_PIXEL)
    scale = 1.0 / 100.0;
  else if (e->deltaMode == DOM_DELTA_LINE)
    scale = 1.0 / 3.0;
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMouseWheelEvent(static_cast<float>(-e->deltaX * scale), static_cast<float>(-e->deltaY * scale));
  return EM_TRUE;
}

// --- touch: tap, drag (scroll) or long press ----------------------------------

void touch_pointer_away(ImGuiIO& io) {
  io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
  io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
}

void touch_start(Browser& b, ImGuiIO& io, float x, float y) {
  b.touch_mode = TouchMode::Pending;
  b.touch_start_x = b.touch_fed_x = x;
  b.touch_start_y = b.touch_fed_y = y;
  b.touch_start_ms = emscripten_get_now();
  // Hover only: what the finger means is decided on lift, after 8 px of
  // movement or after 500 ms, so nothing is pressed yet.
  io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
  io.AddMousePosEvent(x, y);
}

void touch_move(Browser& b, ImGuiIO& io, float x, float y) {
  if (b.touch_mode == TouchMode::Pending &&
      std::hypot(x - b.touch_start_x, y - b.touch_start_y) >= kTapSlopPx) {
    b.touch_mode = TouchMode::Dragging;
    ++b.drags;
  }
  if (b.touch_mode != TouchMode::Dragging) return;
  // The content follows the finger: moving down scrolls up (positive wheel).
  // The pointer stays where the finger went down, so the window under it
  // keeps receiving the wheel.
  const float step_y = std::max(1.0f, 5.0f * b.font_px);
  const float step_x = std::max(1.0f, 2.0f * b.font_px);
  io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
  io.AddMouseWheelEvent((x - b.touch_fed_x) / step_x, (y - b.touch_fed_y) / step_y);
  b.touch_fed_x = x;
  b.touch_fed_y = y;
}

void touch_end(Browser& b, ImGuiIO& io) {
  if (b.touch_mode == TouchMode::Pending) {
    // A tap: one press and release where the finger went down (ImGui's
    // input queue spreads them over two frames, so this is one click).
    ++b.taps;
    b.ime_refocus = true;
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    io.AddMousePosEvent(b.touch_start_x, b.touch_start_y);
    io.AddMouseButtonEvent(ImGuiMouseButton_Left, true);
    io.AddMouseButtonEvent(ImGuiMouseButton_Left, false);
  }
  // A finger that lifted hovers nothing.
  touch_pointer_away(io);
  b.touch_mode = TouchMode::None;
}

// Called every frame: a finger held still long enough is a right click.
void touch_check_long_press(Browser& b, ImGuiIO& io) {
  if (b.touch_mode != TouchMode::Pending || emscripten_get_now() - b.touch_start_ms < kLongPressMs) return;
  b.touch_mode = TouchMode::LongPressed;
  ++b.long_presses;
  io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
  io.AddMousePosEvent(b.touch_start_x, b.touch_start_y);
  io.AddMouseButtonEvent(ImGuiMouseButton_Right, true);
  io.AddMouseButtonEvent(ImGuiMouseButton_Right, false);
}

EM_BOOL on_touch(int event_type, const EmscriptenTouchEvent* e, void* user_data) {
  Browser& b = *static_cast<Browser*>(user_data);
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < e->numTouches; ++i) {
    const EmscriptenTouchPoint& t = e->touches[i];
    if (!t.isChanged) continue;
    const float x = static_cast<float>(t.targetX);
    const float y = static_cast<float>(t.targetY);
    switch (event_type) {
      case EMSCRIPTEN_EVENT_TOUCHSTART:
        if (b.touch_id != -1) break;
        b.touch_id = t.identifier;
        touch_start(b, io, x, y);
        break;
      case EMSCRIPTEN_EVENT_TOUCHMOVE:
        if (t.identifier != b.touch_id) break;
        touch_move(b, io, x, y);
        break;
      case EMSCRIPTEN_EVENT_TOUCHEND:
        if (t.identifier != b.touch_id) break;
        b.touch_id = -1;
        touch_end(b, io);
        break;
      case EMSCRIPTEN_EVENT_TOUCHCANCEL:
        if (t.identifier != b.touch_id) break;
        b.touch_id = -1;
        // Nothing was pressed yet, so a cancelled touch clicks nothing.
        b.touch_mode = TouchMode::None;
        touch_pointer_away(io);
        break;
      default:
        break;
    }
  }
  // preventDefault: no emulated mousedown/mouseup/click after the touch
  // (one tap would be two clicks), no browser scrolling, and the hidden
  // input keeps its focus (the phone keyboard stays up between fields).
  return EM_TRUE;
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void* user_data) {
  static_cast<Browser*>(user_data)->resize_pending = true;
  return EM_FALSE;
}

// The page gaining or losing the focus (another tab, another app). The
// listener sits on the window in the capture phase, so it also hears every
// element's focus and blur, such as the hidden input's when a text field
// stops being active: those are not the page's. Passed on, a blur made Dear
// ImGui drop all input, the press of a tap that came in the same frame
// included, and the tap was lost.
EM_BOOL on_focus(int event_type, const EmscriptenFocusEvent* e, void*) {
  if (std::string_view(e->nodeName) != "#window") return EM_FALSE;
  ImGui::GetIO().AddFocusEvent(event_type == EMSCRIPTEN_EVENT_FOCUS);
  return EM_FALSE;
}

// --- clipboard, IME, cursor ----------------------------------------------------

const char* get_clipboard_text(void*) { return g_browser ? g_browser->clipboard.c_str() : ""; }

void set_clipboard_text(void*, const char* text) {
  if (!g_browser || text == nullptr) return;
  g_browser->clipboard = text;
  sp_js_clipboard_write(text);
}

void set_ime_data(ImGuiViewport*, ImGuiPlatformImeData* data) {
  if (!g_browser || data == nullptr) return;
  g_browser->ime_data = *data;
  g_browser->ime_data_dirty = true;
}

// The phone keyboard's layout for the active field.
const char* ime_input_mode() {
  const ImGuiContext& g = *GImGui;
  const ImGuiInputTextState* state = ImGui::GetInputTextState(g.ActiveId);
  if (state == nullptr) return "text";
  if (state->Flags & (ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_CharsScientific)) return "decimal";
  return "text";
}

// After the frame: the hidden input follows ImGui's wish for text input.
void update_ime(Browser& b) {
  const ImGuiIO& io = ImGui::GetIO();
  const bool want = io.WantTextInput;
  const std::string mode = want ? ime_input_mode() : b.ime_mode;
  const bool refocus = want && b.ime_refocus;
  b.ime_refocus = false;
  if (want == b.ime_wanted && !refocus && !b.ime_data_dirty && mode == b.ime_mode) return;
  const int focus = want != b.ime_wanted || refocus ? (want ? 1 : 0) : -1;
  b.ime_wanted = want;
  b.ime_data_dirty = false;
  b.ime_mode = mode;
  const ImGuiPlatformImeData& d = b.ime_data;
  const bool multiline = [] {
    const ImGuiInputTextState* state = ImGui::GetInputTextState(GImGui->ActiveId);
    return state != nullptr && (state->Flags & ImGuiInputTextFlags_Multiline) != 0;
  }();
  sp_js_ime_update(focus, refocus ? 1 : 0, static_cast<double>(d.InputPos.x), static_cast<double>(d.InputPos.y),
                   static_cast<double>(d.InputLineHeight), mode.c_str(), multiline ? "enter" : "done");
}

const char* css_cursor(ImGuiMouseCursor cursor) {
  switch (cursor) {
    case ImGuiMouseCursor_None:
      return "none";
    case ImGuiMouseCursor_TextInput:
      return "text";
    case ImGuiMouseCursor_ResizeAll:
      return "move";
    case ImGuiMouseCursor_ResizeNS:
      return "ns-resize";
    case ImGuiMouseCursor_ResizeEW:
      return "ew-resize";
    case ImGuiMouseCursor_ResizeNESW:
      return "nesw-resize";
    case ImGuiMouseCursor_ResizeNWSE:
      return "nwse-resize";
    case ImGuiMouseCursor_Hand:
      return "pointer";
    case ImGuiMouseCursor_NotAllowed:
      return "not-allowed";
    default:
      return "default";
  }
}

void update_cursor(Browser& b) {
  const ImGuiIO& io = ImGui::GetIO();
  const ImGuiMouseCursor cursor = io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor();
  if (cursor == b.cursor) return;
  b.cursor = cursor;
  sp_js_set_cursor(css_cursor(cursor));
}

// --- display and frames ----------------------------------------------------------

void rebuild_fonts(Browser& b) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  b.callbacks.build_fonts(*io.Fonts, b.dpr);
  io.FontGlobalScale = 1.0f / b.dpr;
  if (b.device_ready) {
    b.renderer->destroy_fonts_texture();
    b.renderer->create_fonts_texture();
  }
  b.font_dpr = b.dpr;
  b.must_draw = true;  // the same texture, other pixels
}

// Matches the canvas backing store to its CSS size x devicePixelRatio.
void update_display(Browser& b) {
  if (sp_js_take_viewport_changed() != 0) b.resize_pending = true;
  const float dpr = static_cast<float>(emscripten_get_device_pixel_ratio());
  if (b.resize_pending || dpr != b.dpr) {
    b.resize_pending = false;
    b.dpr = dpr > 0.0f ? dpr : 1.0f;
    emscripten_get_element_css_size(b.canvas.c_str(), &b.css_w, &b.css_h);
    const int fb_w = std::max(1, static_cast<int>(std::lround(b.css_w * b.dpr)));
    const int fb_h = std::max(1, static_cast<int>(std::lround(b.css_h * b.dpr)));
    if (fb_w != b.fb_w || fb_h != b.fb_h) {
      b.fb_w = fb_w;
      b.fb_h = fb_h;
      emscripten_set_canvas_element_size(b.canvas.c_str(), fb_w, fb_h);
      b.must_draw = true;  // resizing cleared the canvas
    }
  }
  // An empty atlas: the app cleared it after the last frame because it
  // needs more glyphs (never during a frame: ImGui locks the atlas then).
  if (b.font_dpr != b.dpr || ImGui::GetIO().Fonts->Fonts.empty()) rebuild_fonts(b);

  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(b.css_w), static_cast<float>(b.css_h));
  // Per axis, from the rounded backing size, so ImGui's pixels land exactly
  // on device pixels even for fractional ratios like 2.625.
  if (b.css_w > 0.0 && b.css_h > 0.0)
    io.DisplayFramebufferScale =
        ImVec2(static_cast<float>(b.fb_w / b.css_w), static_cast<float>(b.fb_h / b.css_h));
}

template <class T>
void append_bytes(std::vector<char>& out, const T* data, std::size_t count) {
  const auto* bytes = reinterpret_cast<const char*>(data);
  out.insert(out.end(), bytes, bytes + count * sizeof(T));
}

// True when this frame's draw data is the picture already on the canvas
// (the till at rest): then nothing is sent to WebGL, which spares the GPU
// and the battery, and with a software rasteriser a CPU core the till's
// own work competes for. Compares all RenderDrawData uses: vertices,
// indices, commands, sizes.
bool same_as_last_drawn(Browser& b, const ImDrawData& data) {
  std::vector<char>& out = b.scratch;
  out.clear();
  const float sizes[] = {data.DisplayPos.x, data.DisplayPos.y, data.DisplaySize.x, data.DisplaySize.y,
                         data.FramebufferScale.x, data.FramebufferScale.y};
  append_bytes(out, sizes, std::size(sizes));
  for (const ImDrawList* list : data.CmdLists) {
    append_bytes(out, list->VtxBuffer.Data, static_cast<std::size_t>(list->VtxBuffer.Size));
    append_bytes(out, list->IdxBuffer.Data, static_cast<std::size_t>(list->IdxBuffer.Size));
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      // A callback may draw anything: never skipped.
      if (cmd.UserCallback != nullptr) return false;
      const unsigned fields[] = {cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount};
      append_bytes(out, &cmd.ClipRect, 1);
      append_bytes(out, &cmd.TextureId, 1);
      append_bytes(out, fields, std::size(fields));
    }
  }
  const bool same = !b.must_draw && out == b.drawn;
  if (!same) std::swap(b.drawn, out);
  b.must_draw = false;
  return same;
}

// Ends the UI pass just built (not drawn) and begins another one that reads
// no input: queued events stay queued for the next animation frame, so no
// tap, key or character is seen twice or out of order, and almost no time
// passes (nothing blinks, repeats or times out in between).
void build_again(ImGuiIO& io) {
  ImGui::EndFrame();
  ImGuiContext& g = *ImGui::GetCurrentContext();
  ImVector<ImGuiInputEvent> queued;
  queued.swap(g.InputEventsQueue);
  io.DeltaTime = 1e-6f;
  ImGui::NewFrame();
  g.InputEventsQueue.swap(queued);
}

EM_BOOL on_animation_frame(double time_ms, void* user_data) {
  const double start_ms = emscripten_get_now();
  Browser& b = *static_cast<Browser*>(user_data);
  ImGuiIO& io = ImGui::GetIO();
  update_display(b);
  drain_dom_events(b);
  touch_check_long_press(b, io);
  const double delta_ms = b.last_time_ms > 0.0 ? time_ms - b.last_time_ms : 1000.0 / 60.0;
  io.DeltaTime = static_cast<float>(std::max(delta_ms, 0.1) / 1000.0);
  b.last_time_ms = time_ms;

  FrameTiming timing;
  timing.vsync_ms = time_ms;
  timing.start_ms = start_ms;
  timing.imgui_ms = emscripten_get_now();
  b.renderer->new_frame();
  ImGui::NewFrame();
  b.font_px = ImGui::GetFontSize();
  // The UI's commands are applied after it was built (a search runs its
  // SQLite query then), so what they changed is built once more before
  // anything is drawn: the answer to a keystroke or a tap is on screen in
  // the frame that read it, not a vsync later.
  timing.changed = b.callbacks.frame(true);
  for (bool again = timing.changed; again && timing.passes < kMaxPasses; ++timing.passes) {
    build_again(io);
    again = b.callbacks.frame(false);
  }
  ImGui::Render();
  timing.render_ms = emscripten_get_now();
  update_ime(b);
  update_cursor(b);

  timing.drawn = !same_as_last_drawn(b, *ImGui::GetDrawData());
  if (timing.drawn) {
    glViewport(0, 0, b.fb_w, b.fb_h);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    b.renderer->render(ImGui::GetDrawData());
  }
  timing.end_ms = emscripten_get_now();
  b.frames[b.frame_count++ % kFrameRing] = timing;

  b.callbacks.presented();
  return EM_TRUE;
}

void install_input_callbacks(Browser& b) {
  const char* canvas = b.canvas.c_str();
  void* ud = &b;
  emscripten_set_mousedown_callback(canvas, ud, EM_TRUE, on_mouse_down);
  emscripten_set_mousemove_callback(canvas, ud, EM_TRUE, on_mouse_move);
  emscripten_set_mouseleave_callback(canvas, ud, EM_TRUE, on_mouse_leave);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, ud, EM_TRUE, on_mouse_up);
  emscripten_set_wheel_callback(canvas, ud, EM_TRUE, on_wheel);
  emscripten_set_touchstart_callback(canvas, ud, EM_TRUE, on_touch);
  emscripten_set_touchmove_callback(canvas, ud, EM_TRUE, on_touch);
  emscripten_set_touchend_callback(canvas, ud, EM_TRUE, on_touch);
  emscripten_set_touchcancel_callback(canvas, ud, EM_TRUE, on_touch);
  emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, ud, EM_TRUE, on_key);
  emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, ud, EM_TRUE, on_key);
  emscripten_set_keypress_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, ud, EM_TRUE, on_keypress);
  emscripten_set_focus_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, ud, EM_TRUE, on_focus);
  emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, ud, EM_TRUE, on_focus);
  emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, ud, EM_FALSE, on_resize);
  sp_js_install(canvas, "#ime");
}

EMSCRIPTEN_WEBGL_CONTEXT_HANDLE create_context(const char* canvas, int major_version) {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = major_version;
  attrs.minorVersion = 0;
  // ImGui draws opaque 2D triangles: no alpha, depth, stencil or MSAA
  // buffers to pay for on cheap tablets.
  attrs.alpha = EM_FALSE;
  attrs.depth = EM_FALSE;
  attrs.stencil = EM_FALSE;
  attrs.antialias = EM_FALSE;
  return emscripten_webgl_create_context(canvas, &attrs);
}

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

  // WebGL 2 first; WebGL 1 for older tablets, or when ?webgl=1 asks for it
  // (to test the fallback on a browser that has both).
  if (sp_js_force_webgl1() == 0) b->gl = create_context(b->canvas.c_str(), 2);
  if (b->gl <= 0) {
    b->gl = create_context(b->canvas.c_str(), 1);
    b->webgl2 = false;
    b->renderer = &kWebGL1Renderer;
  }
  if (b->gl <= 0) return StartError{"WebGL is not available in this browser"};
  emscripten_webgl_make_context_current(b->gl);
  // The GLES2 renderer draws through vertex array objects.
  if (!b->webgl2 && !emscripten_webgl_enable_extension(b->gl, "OES_vertex_array_object"))
    return StartError{"this browser's WebGL 1 lacks OES_vertex_array_object"};
  // One line for support staff reading the console of a slow tablet.
  std::printf("salespider: drawing with WebGL %d%s\n", b->webgl2 ? 2 : 1,
              b->webgl2 ? "" : (sp_js_force_webgl1() != 0 ? " (forced by ?webgl=1)" : " (no WebGL 2 here)"));

  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "salespider_html5";
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
  io.SetClipboardTextFn = set_clipboard_text;
  io.GetClipboardTextFn = get_clipboard_text;
  io.ClipboardUserData = nullptr;
  io.SetPlatformImeDataFn = set_ime_data;
  if (!b->renderer->init(b->renderer->glsl_version))
    return StartError{b->webgl2 ? "could not initialise the WebGL2 renderer" : "could not initialise the WebGL1 renderer"};

  update_display(*b);
  if (!b->renderer->create_device_objects())
    return StartError{b->webgl2 ? "could not create the WebGL2 shaders" : "could not create the WebGL1 shaders"};
  b->device_ready = true;

  install_input_callbacks(*b);
  emscripten_request_animation_frame_loop(on_animation_frame, b.get());
  g_browser = std::move(b);
  return std::nullopt;
}

DeviceInfo device_info() {
  DeviceInfo info;
  info.locale = device_string(0);
  info.time_zone = device_string(1);
  info.utc_offset_minutes = sp_js_utc_offset_minutes();
  info.webgl2 = g_browser ? g_browser->webgl2 : true;
  info.touch = sp_js_touch_device() != 0;
  return info;
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
  static std::string json;
  const DeviceInfo info = device_info();
  const Browser* b = g_browser.get();
  char ime[512];
  const int ime_len = sp_js_ime_status(ime, static_cast<int>(sizeof ime));
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

// The last animation frames, oldest first, for the benchmarks
// (window.salespider.frames(), docs/development.md): [vsync, callback start,
// NewFrame, ImGui::Render() done, after RenderDrawData (performance.now()
// ms), 1 if the first UI pass emitted commands, UI passes built, 1 if sent
// to WebGL (0: the same picture as the frame before)]. Valid until the next
// call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* salespider_frames_json() {
  using namespace salespider::platform;
  static std::string json;
  json = "[";
  if (const Browser* b = g_browser.get()) {
    const std::uint64_t n = std::min<std::uint64_t>(b->frame_count, kFrameRing);
    char row[160];
    for (std::uint64_t i = b->frame_count - n; i < b->frame_count; ++i) {
      const FrameTiming& f = b->frames[i % kFrameRing];
      std::snprintf(row, sizeof row, "%s[%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%d]", json.size() > 1 ? "," : "", f.vsync_ms,
                    f.start_ms, f.imgui_ms, f.render_ms, f.end_ms, f.changed ? 1 : 0, f.passes, f.drawn ? 1 : 0);
      json += row;
    }
  }
  json += "]";
  return json.c_str();
}
