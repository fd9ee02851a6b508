// Dear ImGui's OpenGL3 renderer a second time, built for GLES 2 / WebGL 1,
// for tablets whose browser offers no WebGL 2.
//
// imgui_impl_opengl3.cpp picks GLES2 or GLES3 at compile time (the
// IMGUI_IMPL_OPENGL_ES2 / _ES3 defines), not at run time: its ES3 build on a
// WebGL 1 context calls glBindSampler (absent in WebGL 1) and reads
// GL_MAJOR_VERSION. So this file compiles the unmodified upstream source once
// more with IMGUI_IMPL_OPENGL_ES2 (which on Emscripten uses the
// OES_vertex_array_object extension, enabled by default on WebGL 1 contexts)
// and every external name renamed to ImGui_ImplWebGL1_*. gl_browser.cpp
// picks one of the two renderers at run time. Only one of them is ever
// initialised, so they never share io.BackendRendererUserData.
// Deliberately not: a patched copy of the backend, or a GL shim that fakes
// WebGL 2 calls on a WebGL 1 context.
#include "platform/imgui_impl_webgl1.hpp"

// The ES3 define is public on salespider_imgui (CMakeLists.txt); this
// translation unit alone is the ES2 build.
#undef IMGUI_IMPL_OPENGL_ES3
#define IMGUI_IMPL_OPENGL_ES2

#define ImGui_ImplOpenGL3_Init ImGui_ImplWebGL1_Init
#define ImGui_ImplOpenGL3_Shutdown ImGui_ImplWebGL1_Shutdown
#define ImGui_ImplOpenGL3_NewFrame ImGui_ImplWebGL1_NewFrame
#define ImGui_ImplOpenGL3_RenderDrawData ImGui_ImplWebGL1_RenderDrawData
#define ImGui_ImplOpenGL3_CreateFontsTexture ImGui_ImplWebGL1_CreateFontsTexture
#define ImGui_ImplOpenGL3_DestroyFontsTexture ImGui_ImplWebGL1_DestroyFontsTexture
#define ImGui_ImplOpenGL3_CreateDeviceObjects ImGui_ImplWebGL1_CreateDeviceObjects
#define ImGui_ImplOpenGL3_DestroyDeviceObjects ImGui_ImplWebGL1_DestroyDeviceObjects
// Types with inline members have external linkage: renamed too, so the two
// builds never merge different layouts (one definition rule).
#define ImGui_ImplOpenGL3_Data ImGui_ImplWebGL1_Data
#define ImGui_ImplOpenGL3_VtxAttribState ImGui_ImplWebGL1_VtxAttribState
#define ImGui_ImplOpenGL3_GetBackendData ImGui_ImplWebGL1_GetBackendData

// From the SYSTEM include directory of salespider_imgui, so the third-party
// source does not trip our warnings.
#include <imgui_impl_opengl3.cpp>
