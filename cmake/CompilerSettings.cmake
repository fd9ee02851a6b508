# Language level and warnings shared by every target.
#
# shared/ must compile with GCC 12 + libstdc++, em++ 3.1.6 + libc++ 14 and
# clang 14: C++20 is requested, but only C++17 plus concepts and std::span is
# used (docs/development.md says why).
include_guard(GLOBAL)

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

if(SALESPIDER_ASSERTS)
  foreach(_cfg RELEASE RELWITHDEBINFO MINSIZEREL)
    string(REPLACE "-DNDEBUG" "" CMAKE_CXX_FLAGS_${_cfg} "${CMAKE_CXX_FLAGS_${_cfg}}")
    string(REPLACE "-DNDEBUG" "" CMAKE_C_FLAGS_${_cfg} "${CMAKE_C_FLAGS_${_cfg}}")
  endforeach()
endif()

# Native builds link with lld when it is there (deploy/deps.sh installs it):
# ld.bfd spends ~14 s per test program reading debug info, lld ~2 s.
if(NOT EMSCRIPTEN)
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-fuse-ld=lld" SALESPIDER_HAVE_LLD)
  if(SALESPIDER_HAVE_LLD)
    add_link_options(-fuse-ld=lld)
  endif()
endif()

# The wasm build is exception-free: em++ 3.1.6 aborts on any throw, so
# nlohmann-json is told never to throw and a stray throw fails the wasm tests.
if(EMSCRIPTEN)
  add_compile_definitions(JSON_NOEXCEPTION=1)
endif()

if(SALESPIDER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SALESPIDER_FUZZ needs clang (use the fuzz preset)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  add_compile_definitions(JSON_NOEXCEPTION=1)
endif()

function(salespider_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
  if(SALESPIDER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
