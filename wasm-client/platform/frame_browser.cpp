// The browser platform's frame loop: once per requestAnimationFrame the
// display is matched to the canvas, the input the DOM queued is drained,
// the UI is built (again, up to kMaxPasses times, when a pass emitted
// commands, reading no input in the extra passes), the hidden input and
// cursor follow, and the draw data goes to WebGL unless the picture is
// the one already shown. Each frame's timings go into a ring the
// benchmarks read (window.salespider.frames()).
// Deliberately not here: how input becomes Dear ImGui events
// (input_browser.cpp), GL calls (gl_browser.cpp), pausing the loop while
// nothing changes (it runs every vsync; an unchanged frame is only not
// drawn).
#include "platform/browser.hpp"

#include <imgui.h>
// build_again() holds Dear ImGui's queued input events back. Read and
// swapped, never changed otherwise, here only.
#include <imgui_internal.h>

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

namespace salespider::platform::browser {

namespace {

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

// One frame: from requestAnimationFrame, or at once (frame_now(): now set).
void build_frame(Browser& b, double time_ms, bool now) {
  const double start_ms = emscripten_get_now();
  b.in_frame = true;
  ImGuiIO& io = ImGui::GetIO();
  update_display(b);
  drain_dom_events(b);
  touch_check_long_press(b, io);
  const double delta_ms = b.last_time_ms > 0.0 ? time_ms - b.last_time_ms : 1000.0 / 60.0;
  io.DeltaTime = static_cast<float>(std::max(delta_ms, 0.1) / 1000.0);
  b.last_time_ms = time_ms;

  FrameTiming timing;
  timing.now = now;
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
  if (timing.drawn) draw(b);
  timing.end_ms = emscripten_get_now();
  b.frames[b.frame_count++ % kFrameRing] = timing;

  b.callbacks.presented();
  b.in_frame = false;
}

EM_BOOL on_animation_frame(double time_ms, void* user_data) {
  build_frame(*static_cast<Browser*>(user_data), time_ms, false);
  return EM_TRUE;
}

}  // namespace

void start_frame_loop(Browser& b) { emscripten_request_animation_frame_loop(on_animation_frame, &b); }

// The picture goes to WebGL now and the compositor shows it at its next
// vsync, as it would a frame built then; what is gained is the wait for the
// next requestAnimationFrame (up to a refresh, more on a busy page).
void frame_now(Browser& b) {
  if (b.in_frame) return;
  build_frame(b, emscripten_get_now(), true);
}

}  // namespace salespider::platform::browser

// The last animation frames, oldest first, for the benchmarks
// (window.salespider.frames(), docs/development.md): [vsync, callback start,
// NewFrame, ImGui::Render() done, after RenderDrawData (performance.now()
// ms), 1 if the first UI pass emitted commands, UI passes built, 1 if sent
// to WebGL (0: the same picture as the frame before), 1 if run at once
// (frame_now()) rather than by requestAnimationFrame]. Valid until the next
// call.
extern "C" EMSCRIPTEN_KEEPALIVE const char* salespider_frames_json() {
  using namespace salespider::platform::browser;
  static std::string json;
  json = "[";
  if (const Browser* b = g_browser.get()) {
    const std::uint64_t n = std::min<std::uint64_t>(b->frame_count, kFrameRing);
    char row[176];
    for (std::uint64_t i = b->frame_count - n; i < b->frame_count; ++i) {
      const FrameTiming& f = b->frames[i % kFrameRing];
      std::snprintf(row, sizeof row, "%s[%.3f,%.3f,%.3f,%.3f,%.3f,%d,%d,%d,%d]", json.size() > 1 ? "," : "", f.vsync_ms,
                    f.start_ms, f.imgui_ms, f.render_ms, f.end_ms, f.changed ? 1 : 0, f.passes, f.drawn ? 1 : 0,
                    f.now ? 1 : 0);
      json += row;
    }
  }
  json += "]";
  return json.c_str();
}
