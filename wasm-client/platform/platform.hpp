// What the till needs from the machine it runs on: a GL surface, input
// delivered to Dear ImGui, a frame loop and the display's pixel density.
//
// One interface, one implementation file per platform picked in CMake
// (platform_browser.cpp: Emscripten html5.h + WebGL2, or WebGL1 on older
// tablets). This header is free of Emscripten so app code stays portable.
// Touch, clipboard and the phone keyboard are handled inside the platform:
// app code only sees Dear ImGui input. Deliberately not here: fetch,
// IndexedDB and WebCrypto (storage.hpp and later issues).
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace salespider::platform {

struct Callbacks {
  // (Re)build fonts into an emptied atlas for this device pixel ratio:
  // rasterise at size x dpr. Called before the first frame, whenever
  // devicePixelRatio changes (browser zoom, moving to another monitor) and
  // before the next frame when the app emptied the atlas (io.Fonts->Clear()
  // outside a frame) because it needs other glyphs.
  std::function<void(ImFontAtlas& atlas, float dpr)> build_fonts;
  // Submits the UI; runs between ImGui::NewFrame() and ImGui::Render().
  // Returns true when the UI emitted commands: the state it built is out of
  // date, so the platform builds the UI again (first_pass false, no input
  // read) before drawing, a few times at most per animation frame.
  std::function<bool(bool first_pass)> frame;
  // Runs after the frame's draw data was handed to the GPU.
  std::function<void()> presented;
};

struct StartError {
  std::string reason;
};

// Attaches to the canvas matched by canvas_selector (a CSS selector), creates
// the GL context, installs input callbacks on the current ImGui context and
// schedules the frame loop. Returns at once: the browser owns the loop and
// calls back once per display refresh. Call once, after ImGui::CreateContext().
std::optional<StartError> start(const char* canvas_selector, Callbacks callbacks);

// Builds and draws a frame at once instead of at the next display refresh
// (no-op inside a frame or before start()): for an answer the person is
// waiting on, e.g. the sale just became durable, or a function key (a
// command) was pressed. The next animation frame runs as usual.
void frame_now();

// A performance mark (performance.mark) named `name`, for the cold start's
// breakdown in bench/cold_start_bench.mjs and in DevTools. Cheap; no-op
// where there is no Performance API.
void mark(const char* name);

// What the device says about itself, for display (never for business rules:
// the store's settings decide currency, tax and the receipt's time zone).
struct DeviceInfo {
  // BCP 47 tag of the browser's language, e.g. "fr-FR" (navigator.language).
  std::string locale;
  // IANA zone the device is set to, e.g. "Africa/Lagos"; "" when unknown.
  std::string time_zone;
  // Local time minus UTC right now, in minutes (Lagos: +60).
  int utc_offset_minutes = 0;
  // True when the till renders through WebGL 2; false on the WebGL 1
  // fallback (older tablets, or ?webgl=1). Meaningful after start().
  bool webgl2 = true;
  // The device has a touch screen (it may have a mouse too).
  bool touch = false;
};
// Cheap enough to call once per frame; the UTC offset follows DST changes.
DeviceInfo device_info();

// wall_ms (milliseconds since the Unix epoch) as "YYYY-MM-DD HH:MM" wall-clock
// time in time_zone (IANA name, e.g. "Africa/Lagos"); "" or an unknown zone
// means the device's zone.
std::string format_local_time(std::int64_t wall_ms, const std::string& time_zone);

// Local time minus UTC at the instant utc_ms in time_zone (IANA; "" or an
// unknown zone: the device's), in minutes: the History's dates are whole
// days in the store's zone (state/sales_dates.hpp).
int utc_offset_minutes_at(std::int64_t utc_ms, const std::string& time_zone);

}  // namespace salespider::platform
