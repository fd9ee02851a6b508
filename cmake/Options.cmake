# Every SaleSpider build option, in one place. Presets set them; the defaults
# follow the platform so a plain `cmake -B build` does something sensible.
include_guard(GLOBAL)

if(EMSCRIPTEN)
  set(_salespider_native OFF)
else()
  set(_salespider_native ON)
endif()

option(SALESPIDER_BUILD_SERVER "Build the server library and the salespider binary (native only)" ${_salespider_native})
option(SALESPIDER_BUILD_CLIENT "Build the wasm till (Emscripten only)" ${EMSCRIPTEN})
option(SALESPIDER_BUILD_TESTS "Build the GoogleTest suites and register them with CTest" ON)
option(SALESPIDER_BUILD_BENCH "Build the benchmarks in bench/" OFF)
option(SALESPIDER_FUZZ "Build libFuzzer targets with ASan+UBSan (clang only)" OFF)
option(SALESPIDER_ASSERTS "Keep assert() on in optimised builds (CI and tests)" ON)
option(SALESPIDER_WERROR "Treat compiler warnings as errors" ON)
set(SALESPIDER_DEPS_DIR "${PROJECT_SOURCE_DIR}/build/deps" CACHE PATH
    "Where deploy/deps.sh put the Dear ImGui and SQLite sources")
set(SALESPIDER_WASM_DIST "${PROJECT_SOURCE_DIR}/build/wasm/dist" CACHE PATH
    "The assembled till (www/ + the wasm build) that the server serves and the browser tests load")
set(SALESPIDER_FUZZ_SECONDS 30 CACHE STRING "How long the fuzz smoke test runs each fuzzer")

if(SALESPIDER_BUILD_SERVER AND EMSCRIPTEN)
  message(FATAL_ERROR "SALESPIDER_BUILD_SERVER needs a native compiler")
endif()
if(SALESPIDER_BUILD_CLIENT AND NOT EMSCRIPTEN)
  message(FATAL_ERROR "SALESPIDER_BUILD_CLIENT needs the Emscripten toolchain (use the wasm preset)")
endif()
