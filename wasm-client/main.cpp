// Entry point of the till and the C functions www/app.js calls for
// window.salespider. Thin on purpose: App holds the logic, platform/ the
// browser. Exports are listed in -sEXPORTED_FUNCTIONS (CMakeLists.txt), so no
// Emscripten header is needed here.
#include "app.hpp"
#include "platform/platform.hpp"

#include <cstdio>
#include <memory>
#include <utility>

#ifndef SALESPIDER_VERSION
#error "SALESPIDER_VERSION must be defined by the build"
#endif

namespace {

// Lives for the page's lifetime: the browser keeps calling back into it after
// main() returns.
std::unique_ptr<salespider::App> g_app;

} // namespace

int main()
{
    g_app = std::make_unique<salespider::App>(SALESPIDER_VERSION);
    salespider::App& app = *g_app;
    salespider::platform::Callbacks callbacks;
    callbacks.build_fonts = [&app](ImFontAtlas& atlas, float dpr) { app.build_fonts(atlas, dpr); };
    callbacks.frame = [&app] { app.frame(); };
    callbacks.presented = [&app] { app.presented(); };
    if (auto error = salespider::platform::start("#canvas", std::move(callbacks))) {
        std::fprintf(stderr, "salespider: cannot start: %s\n", error->reason.c_str());
        app.apply(salespider::state::StartupFailed{error->reason});
        // Still 0: a non-zero exit would mark the runtime as exited, and
        // state() must keep answering so the page can show the reason.
        return 0;
    }
    return 0;
}

// JSON strings owned by the app, valid until the next call of the same
// function; app.js copies them with UTF8ToString at once.
extern "C" const char* salespider_state_json()
{
    return g_app ? g_app->state_json() : "{\"ready\":false,\"screen\":\"loading\"}";
}

extern "C" const char* salespider_widgets_json()
{
    return g_app ? g_app->widgets_json() : "[]";
}
