// The browser platform's drawing: the WebGL 2 (or WebGL 1) context on the
// canvas, the two builds of Dear ImGui's OpenGL renderer behind one table,
// the canvas backing store and font atlas kept at devicePixelRatio, and the
// draw data sent to WebGL only when the picture changed.
// Deliberately not here: the GL state Dear ImGui's renderer reads back
// (gl_state_browser.cpp answers it), the renderer itself (imgui_impl_opengl3,
// imgui_impl_webgl1_browser.cpp), when a frame is built or drawn
// (frame_browser.cpp), WebGL context loss.
#include "platform/browser.hpp"

#include "platform/imgui_impl_webgl1.hpp"

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <utility>
#include <vector>

EM_JS(int, sp_js_take_viewport_changed, (void), {
  var P = Module["salespiderPlatform"];
  if (!P || !P.viewportChanged) return 0;
  P.viewportChanged = false;
  return 1;
});

EM_JS(int, sp_js_force_webgl1, (void), {
  try { return new URLSearchParams(location.search).get("webgl") === "1" ? 1 : 0; } catch (e) { return 0; }
});

namespace salespider::platform::browser {

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

namespace {

EMSCRIPTEN_WEBGL_CONTEXT_HANDLE create_context(const char* canvas, int major_version) {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = major_version;
  attrs.minorVersion = 0;
  // ImGui draws opaque 2D triangles: no alpha, depth, stencil or MSAA
  // buffers to pay for on cheap tablets. www/app.js's WebGL check made this
  // context already (TILL_GL, the same attributes): getContext returns it.
  attrs.alpha = EM_FALSE;
  attrs.depth = EM_FALSE;
  attrs.stencil = EM_FALSE;
  attrs.antialias = EM_FALSE;
  return emscripten_webgl_create_context(canvas, &attrs);
}

void rebuild_fonts(Browser& b) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  b.callbacks.build_fonts(*io.Fonts, b.dpr);
  mark("salespider-fonts-built");
  io.FontGlobalScale = 1.0f / b.dpr;
  if (b.device_ready) {
    b.renderer->destroy_fonts_texture();
    b.renderer->create_fonts_texture();
  }
  b.font_dpr = b.dpr;
  b.must_draw = true;  // the same texture, other pixels
}

template <class T>
void append_bytes(std::vector<char>& out, const T* data, std::size_t count) {
  const auto* bytes = reinterpret_cast<const char*>(data);
  out.insert(out.end(), bytes, bytes + count * sizeof(T));
}

}  // namespace

std::optional<StartError> create_gl(Browser& b) {
  // WebGL 2 first; WebGL 1 for older tablets, or when ?webgl=1 asks for it
  // (to test the fallback on a browser that has both).
  if (sp_js_force_webgl1() == 0) b.gl = create_context(b.canvas.c_str(), 2);
  if (b.gl <= 0) {
    b.gl = create_context(b.canvas.c_str(), 1);
    b.webgl2 = false;
    b.renderer = &kWebGL1Renderer;
  }
  if (b.gl <= 0) return StartError{"WebGL is not available in this browser"};
  emscripten_webgl_make_context_current(b.gl);
  // The GLES2 renderer draws through vertex array objects.
  if (!b.webgl2 && !emscripten_webgl_enable_extension(b.gl, "OES_vertex_array_object"))
    return StartError{"this browser's WebGL 1 lacks OES_vertex_array_object"};
  // One line for support staff reading the console of a slow tablet.
  std::printf("salespider: drawing with WebGL %d%s\n", b.webgl2 ? 2 : 1,
              b.webgl2 ? "" : (sp_js_force_webgl1() != 0 ? " (forced by ?webgl=1)" : " (no WebGL 2 here)"));
  return std::nullopt;
}

std::optional<StartError> init_renderer(Browser& b) {
  if (!b.renderer->init(b.renderer->glsl_version))
    return StartError{b.webgl2 ? "could not initialise the WebGL2 renderer" : "could not initialise the WebGL1 renderer"};

  update_display(b);
  if (!b.renderer->create_device_objects())
    return StartError{b.webgl2 ? "could not create the WebGL2 shaders" : "could not create the WebGL1 shaders"};
  b.device_ready = true;
  return std::nullopt;
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

void draw(Browser& b) {
  glViewport(0, 0, b.fb_w, b.fb_h);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  b.renderer->render(ImGui::GetDrawData());
}

}  // namespace salespider::platform::browser
