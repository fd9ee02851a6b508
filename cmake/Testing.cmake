# GoogleTest for both builds: Debian's packaged GTest natively, and the same
# sources from /usr/src/googletest compiled by em++ for the wasm build.
include_guard(GLOBAL)

if(EMSCRIPTEN)
  set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest "${CMAKE_BINARY_DIR}/googletest" EXCLUDE_FROM_ALL)
  foreach(_t gtest gtest_main gmock gmock_main)
    if(TARGET ${_t})
      target_compile_options(${_t} PRIVATE -w)
    endif()
  endforeach()
  # Newer googletest sources define these aliases themselves.
  if(NOT TARGET GTest::gtest)
    add_library(GTest::gtest ALIAS gtest)
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
else()
  find_package(GTest REQUIRED)
endif()
include(GoogleTest)

# salespider_add_gtest(NAME LABEL sources... LIBS libs...)
# One test executable, its tests discovered and labelled for `ctest -L`.
function(salespider_add_gtest name label)
  cmake_parse_arguments(ARG "SERIAL" "" "SOURCES;LIBS;ENV" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main)
  salespider_warnings(${name})
  if(EMSCRIPTEN)
    # Tests read fixture files through node's file system.
    target_link_options(${name} PRIVATE -sNODERAWFS=1 -sALLOW_MEMORY_GROWTH=1 -sEXIT_RUNTIME=1)
  endif()
  # SERIAL: tests that time slow clients run alone (ctest runs the rest two
  # at a time, CMakePresets.json).
  set(_properties LABELS "${label}")
  if(ARG_SERIAL)
    list(APPEND _properties RUN_SERIAL TRUE)
  endif()
  if(ARG_ENV)
    list(APPEND _properties ENVIRONMENT "${ARG_ENV}")
  endif()
  gtest_discover_tests(${name} PROPERTIES ${_properties} DISCOVERY_TIMEOUT 60)
endfunction()
