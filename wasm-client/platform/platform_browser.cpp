// The browser implementation of platform.hpp: Emscripten's html5.h callbacks
// feed Dear ImGui's input queue, a WebGL2 context on the canvas renders
// through imgui_impl_opengl3, and requestAnimationFrame drives the frames.
// This directory is the only place that includes Emscripten headers.
//
// Implemented:
//  [X] WebGL2 context on the canvas (no WebGL1 fallback: a later issue).
//  [X] HiDPI: io.DisplaySize in CSS pixels, backing store = CSS size x
//      devicePixelRatio, io.DisplayFramebufferScale to match, fonts
//      rebuilt at size x dpr with io.FontGlobalScale = 1/dpr on dpr change.
//  [X] Mouse: position, buttons (release outside the canvas included), wheel,
//      leaving the canvas.
//  [X] Touch: the first finger acts as a touch-screen mouse; one tap is one
//      click (touch events are preventDefault'ed so the browser synthesises
//      no mouse events, and the pointer leaves after lift so nothing stays
//      hovered). Extra fingers are ignored.
//  [X] Keyboard: keydown/keyup -> ImGuiKey + modifiers, keypress -> text.
//      Keys the page should not act on (Tab, arrows, F1-F4, F6-F11 ...) are
//      preventDefault'ed; printable keys are not, or keypress never fires;
//      Ctrl/Meta combinations stay with the browser (copy, reload, zoom).
//  [X] Window focus/blur -> io.AddFocusEvent (no stuck keys after Alt+Tab).
//  [X] Canvas resize via the window resize event.
//  [ ] Phone soft keyboard: a hidden <input> that receives the text
//      (Android sends keyCode 229 while composing). Its text should go
//      through add_text() below; key events with keyCode 229 are already
//      ignored here so they do not double up.
//  [ ] Mouse cursor shapes (CSS cursor on the canvas).
//  [ ] Clipboard.
//  [ ] WebGL context loss / restore.
//  [ ] Pausing the frame loop while nothing changes (battery on tablets).
#include "platform/platform.hpp"

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace salespider::platform {

namespace {

struct Browser {
  std::string canvas;
  Callbacks callbacks;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
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
  // DOM Touch.identifier of the finger acting as the mouse, -1 when none.
  long touch_id = -1;
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

void add_modifiers(ImGuiIO& io, const EmscriptenKeyboardEvent& e) {
  io.AddKeyEvent(ImGuiMod_Ctrl, e.ctrlKey);
  io.AddKeyEvent(ImGuiMod_Shift, e.shiftKey);
  io.AddKeyEvent(ImGuiMod_Alt, e.altKey);
  io.AddKeyEvent(ImGuiMod_Super, e.metaKey);
}

// The single entry for typed text, so the phone keyboard's hidden input can
// join later without a second text path.
void add_text(ImGuiIO& io, unsigned int code_point) {
  // Control characters arrive as keys (Enter, Tab, Backspace), not text.
  if (code_point >= 0x20 && code_point != 0x7F) io.AddInputCharacter(code_point);
}

EM_BOOL on_key(int event_type, const EmscriptenKeyboardEvent* e, void*) {
  // 229: an IME/soft keyboard is composing; the text comes another way.
  if (e->keyCode == 229) return EM_FALSE;
  ImGuiIO& io = ImGui::GetIO();
  const bool down = event_type == EMSCRIPTEN_EVENT_KEYDOWN;
  add_modifiers(io, *e);
  const ImGuiKey key = imgui_key(*e);
  if (key != ImGuiKey_None) io.AddKeyEvent(key, down);
  if (!down || e->ctrlKey || e->metaKey || is_printable_key(e->key)) return EM_FALSE;
  // F5 reloads and F12 opens the developer tools; everything else that is
  // not text belongs to the till.
  return key != ImGuiKey_F5 && key != ImGuiKey_F12 && key != ImGuiKey_None;
}

EM_BOOL on_keypress(int, const EmscriptenKeyboardEvent* e, void*) {
  add_text(ImGui::GetIO(), static_cast<unsigned int>(e->charCode));
  return EM_FALSE;
}

EM_BOOL on_mouse_down(int, const EmscriptenMouseEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
  io.AddMousePosEvent(static_cast<float>(e->targetX), static_cast<float>(e->targetY));
  if (const int button = imgui_button(e->button); button >= 0) io.AddMouseButtonEvent(button, true);
  // Keeps the browser from starting a text selection or drag on the canvas.
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
        io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
        io.AddMousePosEvent(x, y);
        io.AddMouseButtonEvent(ImGuiMouseButton_Left, true);
        break;
      case EMSCRIPTEN_EVENT_TOUCHMOVE:
        if (t.identifier != b.touch_id) break;
        io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
        io.AddMousePosEvent(x, y);
        break;
      case EMSCRIPTEN_EVENT_TOUCHEND:
        if (t.identifier != b.touch_id) break;
        b.touch_id = -1;
        io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
        io.AddMousePosEvent(x, y);
        io.AddMouseButtonEvent(ImGuiMouseButton_Left, false);
        // A finger that lifted hovers nothing.
        io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
        break;
      case EMSCRIPTEN_EVENT_TOUCHCANCEL:
        if (t.identifier != b.touch_id) break;
        b.touch_id = -1;
        io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
        // Move away before releasing so a cancelled touch clicks nothing.
        io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
        io.AddMouseButtonEvent(ImGuiMouseButton_Left, false);
        break;
      default:
        break;
    }
  }
  // preventDefault: no emulated mousedown/mouseup/click after the touch,
  // which would make one tap two clicks.
  return EM_TRUE;
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void* user_data) {
  static_cast<Browser*>(user_data)->resize_pending = true;
  return EM_FALSE;
}

EM_BOOL on_focus(int event_type, const EmscriptenFocusEvent*, void*) {
  ImGui::GetIO().AddFocusEvent(event_type == EMSCRIPTEN_EVENT_FOCUS);
  return EM_FALSE;
}

void rebuild_fonts(Browser& b) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  b.callbacks.build_fonts(*io.Fonts, b.dpr);
  io.FontGlobalScale = 1.0f / b.dpr;
  if (b.device_ready) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  b.font_dpr = b.dpr;
}

// Matches the canvas backing store to its CSS size x devicePixelRatio.
void update_display(Browser& b) {
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
    }
  }
  if (b.font_dpr != b.dpr) rebuild_fonts(b);

  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(b.css_w), static_cast<float>(b.css_h));
  // Per axis, from the rounded backing size, so ImGui's pixels land exactly
  // on device pixels even for fractional ratios like 2.625.
  if (b.css_w > 0.0 && b.css_h > 0.0)
    io.DisplayFramebufferScale =
        ImVec2(static_cast<float>(b.fb_w / b.css_w), static_cast<float>(b.fb_h / b.css_h));
}

EM_BOOL on_animation_frame(double time_ms, void* user_data) {
  Browser& b = *static_cast<Browser*>(user_data);
  ImGuiIO& io = ImGui::GetIO();
  update_display(b);
  const double delta_ms = b.last_time_ms > 0.0 ? time_ms - b.last_time_ms : 1000.0 / 60.0;
  io.DeltaTime = static_cast<float>(std::max(delta_ms, 0.1) / 1000.0);
  b.last_time_ms = time_ms;

  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  b.callbacks.frame();
  ImGui::Render();

  glViewport(0, 0, b.fb_w, b.fb_h);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

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
}

}  // namespace

std::optional<StartError> start(const char* canvas_selector, Callbacks callbacks) {
  IM_ASSERT(g_browser == nullptr && "platform::start() called twice");
  IM_ASSERT(ImGui::GetCurrentContext() != nullptr);
  auto b = std::make_unique<Browser>();
  b->canvas = canvas_selector;
  b->callbacks = std::move(callbacks);

  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  // ImGui draws opaque 2D triangles: no alpha, depth, stencil or MSAA
  // buffers to pay for on cheap tablets.
  attrs.alpha = EM_FALSE;
  attrs.depth = EM_FALSE;
  attrs.stencil = EM_FALSE;
  attrs.antialias = EM_FALSE;
  b->gl = emscripten_webgl_create_context(b->canvas.c_str(), &attrs);
  if (b->gl <= 0) return StartError{"WebGL2 is not available in this browser"};
  emscripten_webgl_make_context_current(b->gl);

  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "salespider_html5";
  if (!ImGui_ImplOpenGL3_Init("#version 300 es"))
    return StartError{"could not initialise the WebGL2 renderer"};

  update_display(*b);
  if (!ImGui_ImplOpenGL3_CreateDeviceObjects()) return StartError{"could not create the WebGL2 shaders"};
  b->device_ready = true;

  install_input_callbacks(*b);
  emscripten_request_animation_frame_loop(on_animation_frame, b.get());
  g_browser = std::move(b);
  return std::nullopt;
}

}  // namespace salespider::platform
