// What the browser platform's files share (platform/ only: app code
// includes platform.hpp). platform_browser.cpp implements platform.hpp with
// them: start() creates the GL context (gl_browser.cpp), installs the input
// callbacks (input_browser.cpp) and starts the frame loop
// (frame_browser.cpp); all of them work on the one Browser below.
// Deliberately not here: anything app code could call; every name is
// internal to this directory's browser build.
#pragma once

#include "platform/platform.hpp"

#include <imgui.h>

#include <emscripten/html5.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace salespider::platform::browser {

// The two builds of Dear ImGui's OpenGL3 renderer; create_gl() picks one.
struct Renderer {
  const char* glsl_version;
  bool (*init)(const char*);
  void (*new_frame)();
  void (*render)(ImDrawData*);
  bool (*create_fonts_texture)();
  void (*destroy_fonts_texture)();
  bool (*create_device_objects)();
};

// WebGL 2 (imgui_impl_opengl3) and WebGL 1 (imgui_impl_webgl1_browser.cpp).
extern const Renderer kWebGL2Renderer;
extern const Renderer kWebGL1Renderer;

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
  bool now = false;        // run at once (frame_now()), not from requestAnimationFrame
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
  // A frame is being built: frame_now() does not start another inside it.
  bool in_frame = false;
};

// The one browser platform of this page; callbacks receive it as userData.
extern std::unique_ptr<Browser> g_browser;

// --- frame_browser.cpp ---------------------------------------------------------

// Builds and draws a frame at once, outside requestAnimationFrame (unless
// one is being built): see platform::frame_now().
void frame_now(Browser& b);

// --- input_browser.cpp ---------------------------------------------------------

// Registers the html5.h callbacks and the DOM listeners html5.h lacks.
void install_input_callbacks(Browser& b);
// What the DOM listeners queued since the last frame.
void drain_dom_events(Browser& b);
// Called every frame: a finger held still long enough is a right click.
void touch_check_long_press(Browser& b, ImGuiIO& io);
// After the frame: the hidden input follows ImGui's wish for text input.
void update_ime(Browser& b);
void update_cursor(Browser& b);
const char* css_cursor(ImGuiMouseCursor cursor);
// Dear ImGui's clipboard and IME hooks (io.*Fn).
const char* get_clipboard_text(void*);
void set_clipboard_text(void*, const char* text);
void set_ime_data(ImGuiViewport*, ImGuiPlatformImeData* data);
// The hidden input as JSON for salespider_platform_json(); returns the
// bytes written.
int ime_status(char* buffer, int capacity);

// --- gl_browser.cpp ------------------------------------------------------------

// The WebGL context on b.canvas (WebGL 2, else WebGL 1), made current, and
// the renderer that draws into it.
std::optional<StartError> create_gl(Browser& b);
// The renderer's GL objects, the display and the first font atlas.
std::optional<StartError> init_renderer(Browser& b);
// Matches the canvas backing store to its CSS size x devicePixelRatio.
void update_display(Browser& b);
// True when this frame's draw data is the picture already on the canvas.
bool same_as_last_drawn(Browser& b, const ImDrawData& data);
// This frame's draw data onto the cleared canvas.
void draw(Browser& b);

// --- frame_browser.cpp ---------------------------------------------------------

// requestAnimationFrame calls the frame loop from now on.
void start_frame_loop(Browser& b);

}  // namespace salespider::platform::browser
