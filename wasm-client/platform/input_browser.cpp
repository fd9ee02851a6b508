// Input for the browser platform: Emscripten's html5.h mouse, wheel, touch,
// keyboard and focus callbacks, and the DOM listeners html5.h does not offer
// (the hidden <input> the phone keyboard types into, paste, copy), all
// turned into Dear ImGui input events; the hidden input, the clipboard and
// the mouse cursor follow what Dear ImGui wants after each frame. What it
// implements is listed at the top of platform_browser.cpp.
// Deliberately not here: reading the input (frame_browser.cpp drains the
// DOM queue and Dear ImGui reads its events in NewFrame), the canvas size
// (gl_browser.cpp), anything the till does with a key.
#include "platform/browser.hpp"

#include <imgui.h>
// GetInputTextState(): the active field's flags pick the phone keyboard's
// layout (inputmode). Read-only use of ImGui internals, in platform/ only.
#include <imgui_internal.h>

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>

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

namespace salespider::platform::browser {

namespace {

constexpr double kTapSlopPx = 8.0;
constexpr double kLongPressMs = 500.0;

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
  const bool till_key = key != ImGuiKey_F5 && key != ImGuiKey_F12 && key != ImGuiKey_None;
  // The till's function keys are commands (F4: cash, exact): handled now,
  // not at the next display refresh (docs/benchmarks.md, "Till: a durable
  // sale"). Only these: text and the other keys keep one frame per refresh.
  if (till_key && key >= ImGuiKey_F1 && key <= ImGuiKey_F12) frame_now(*static_cast<Browser*>(user_data));
  return till_key;
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

// The phone keyboard's layout for the active field.
const char* ime_input_mode() {
  const ImGuiContext& g = *GImGui;
  const ImGuiInputTextState* state = ImGui::GetInputTextState(g.ActiveId);
  if (state == nullptr) return "text";
  if (state->Flags & (ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_CharsScientific)) return "decimal";
  return "text";
}

}  // namespace

// A phone or tablet: its primary pointer is a finger (a laptop with a touch
// screen has a mouse or touchpad as its primary pointer, and a keyboard).
EM_JS(int, sp_js_primary_pointer_coarse, (void), {
  try {
    return window.matchMedia && window.matchMedia("(pointer: coarse)").matches ? 1 : 0;
  } catch (e) {
    return 0;
  }
});

void install_input_callbacks(Browser& b) {
  // Until the first event says otherwise, a phone is touched: no key hints
  // ("Pay (F6)") on the first screen of a device without a keyboard.
  if (sp_js_primary_pointer_coarse()) ImGui::GetIO().AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
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

int ime_status(char* buffer, int capacity) { return sp_js_ime_status(buffer, capacity); }

}  // namespace salespider::platform::browser
