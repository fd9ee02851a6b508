// The WebGL state Dear ImGui's renderer reads back every frame, answered
// from what this module last set instead of from the browser.
//
// ImGui_ImplOpenGL3_RenderDrawData saves the GL state it changes and puts it
// back afterwards. Chromium keeps most of that state on the page's side, but
// answers getParameter(SCISSOR_BOX) and the six blend factors/equations by a
// synchronous round trip to its GPU process, which first finishes everything
// queued before it. Measured on the till screen at rest (headless Chromium,
// SwiftShader): 25 of a frame's 26 ms went there (docs/benchmarks.md). The
// till is the only code drawing into its context, so the state is known
// here: the setters below record it on the way to WebGL and glGetIntegerv
// answers those names from the record, asking the browser once for each
// until something set it. (The till does not restore a lost WebGL context;
// code that does must forget this record, as a new context starts from the
// defaults.)
//
// Emscripten implements GL in a JS library that fills only the entry points
// the program leaves undefined, and exports each also as emscripten_gl*: so
// the definitions below win and still reach the browser through those.
#include <GLES3/gl3.h>

#include <array>

extern "C" {
void emscripten_glGetIntegerv(GLenum pname, GLint* data);
void emscripten_glScissor(GLint x, GLint y, GLsizei width, GLsizei height);
void emscripten_glBlendFunc(GLenum sfactor, GLenum dfactor);
void emscripten_glBlendFuncSeparate(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha);
void emscripten_glBlendEquation(GLenum mode);
void emscripten_glBlendEquationSeparate(GLenum mode_rgb, GLenum mode_alpha);
}

namespace {

// What was last set, per name; unknown until then (the browser is asked).
template <std::size_t N>
struct Known {
  std::array<GLint, N> value{};
  bool known = false;

  void set(std::array<GLint, N> v) {
    value = v;
    known = true;
  }
  void get(GLenum pname, GLint* data) {
    if (!known) {
      emscripten_glGetIntegerv(pname, value.data());
      known = true;
    }
    for (std::size_t i = 0; i < N; ++i) data[i] = value[i];
  }
};

Known<4> g_scissor_box;
Known<1> g_blend_src_rgb, g_blend_dst_rgb, g_blend_src_alpha, g_blend_dst_alpha;
Known<1> g_blend_equation_rgb, g_blend_equation_alpha;

GLint as_int(GLenum e) {
  return static_cast<GLint>(e);
}

void record_blend_func(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha) {
  g_blend_src_rgb.set({as_int(src_rgb)});
  g_blend_dst_rgb.set({as_int(dst_rgb)});
  g_blend_src_alpha.set({as_int(src_alpha)});
  g_blend_dst_alpha.set({as_int(dst_alpha)});
}

void record_blend_equation(GLenum mode_rgb, GLenum mode_alpha) {
  g_blend_equation_rgb.set({as_int(mode_rgb)});
  g_blend_equation_alpha.set({as_int(mode_alpha)});
}

}  // namespace

extern "C" {

void glScissor(GLint x, GLint y, GLsizei width, GLsizei height) {
  g_scissor_box.set({x, y, width, height});
  emscripten_glScissor(x, y, width, height);
}

void glBlendFunc(GLenum sfactor, GLenum dfactor) {
  record_blend_func(sfactor, dfactor, sfactor, dfactor);
  emscripten_glBlendFunc(sfactor, dfactor);
}

void glBlendFuncSeparate(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha) {
  record_blend_func(src_rgb, dst_rgb, src_alpha, dst_alpha);
  emscripten_glBlendFuncSeparate(src_rgb, dst_rgb, src_alpha, dst_alpha);
}

void glBlendEquation(GLenum mode) {
  record_blend_equation(mode, mode);
  emscripten_glBlendEquation(mode);
}

void glBlendEquationSeparate(GLenum mode_rgb, GLenum mode_alpha) {
  record_blend_equation(mode_rgb, mode_alpha);
  emscripten_glBlendEquationSeparate(mode_rgb, mode_alpha);
}

void glGetIntegerv(GLenum pname, GLint* data) {
  switch (pname) {
    case GL_SCISSOR_BOX: return g_scissor_box.get(pname, data);
    case GL_BLEND_SRC_RGB: return g_blend_src_rgb.get(pname, data);
    case GL_BLEND_DST_RGB: return g_blend_dst_rgb.get(pname, data);
    case GL_BLEND_SRC_ALPHA: return g_blend_src_alpha.get(pname, data);
    case GL_BLEND_DST_ALPHA: return g_blend_dst_alpha.get(pname, data);
    case GL_BLEND_EQUATION_RGB: return g_blend_equation_rgb.get(pname, data);
    case GL_BLEND_EQUATION_ALPHA: return g_blend_equation_alpha.get(pname, data);
    default: return emscripten_glGetIntegerv(pname, data);
  }
}

}  // extern "C"
