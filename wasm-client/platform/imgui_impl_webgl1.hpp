// The WebGL 1 build of Dear ImGui's OpenGL3 renderer
// (imgui_impl_webgl1_browser.cpp): the same functions as imgui_impl_opengl3.h
// under other names. Used only by gl_browser.cpp.
#pragma once

#include <imgui.h>

bool ImGui_ImplWebGL1_Init(const char* glsl_version);
void ImGui_ImplWebGL1_Shutdown();
void ImGui_ImplWebGL1_NewFrame();
void ImGui_ImplWebGL1_RenderDrawData(ImDrawData* draw_data);
bool ImGui_ImplWebGL1_CreateFontsTexture();
void ImGui_ImplWebGL1_DestroyFontsTexture();
bool ImGui_ImplWebGL1_CreateDeviceObjects();
void ImGui_ImplWebGL1_DestroyDeviceObjects();
