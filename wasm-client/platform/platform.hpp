// What the till needs from the machine it runs on: a GL surface, input
// delivered to Dear ImGui, a frame loop and the display's pixel density.
//
// One interface, one implementation file per platform picked in CMake
// (platform_browser.cpp: Emscripten html5.h + WebGL2). This header is free of
// Emscripten so app code stays portable. Deliberately not here yet: fetch,
// IndexedDB, WebCrypto and the phone keyboard's hidden <input> (later issues
// add them as further functions of this interface).
#pragma once

#include <imgui.h>

#include <functional>
#include <optional>
#include <string>

namespace salespider::platform {

struct Callbacks {
  // (Re)build fonts into an emptied atlas for this device pixel ratio:
  // rasterise at size x dpr. Called before the first frame and whenever
  // devicePixelRatio changes (browser zoom, moving to another monitor).
  std::function<void(ImFontAtlas& atlas, float dpr)> build_fonts;
  // Submits the UI; runs between ImGui::NewFrame() and ImGui::Render().
  std::function<void()> frame;
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

}  // namespace salespider::platform
