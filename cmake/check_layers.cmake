# Checks every `#include "..."` line of one tree (server/ or wasm-client/)
# against that tree's layer table, so that a layering mistake fails the build
# (cmake/Layers.cmake runs this before the tree's first library compiles)
# and the `*_layers` unit test. The per-layer include roots stop most wrong
# includes at compile time already; this also catches what they let through:
# a root re-exported by a dependency (server/ http/ sees db/'s root because
# service/ headers name db/ row types) and relative includes ("../store/x").
#
# The table (-DTABLE=<tree>/layers.cmake) sets, for each top-level folder or
# root file F, layer_<F> (the layer it belongs to), and for each layer L,
# allowed_<L> (the layers L may include, itself among them), and optionally
# only_in_<header prefix> (the one layer that may include such a <...> header).
# Deliberately no knowledge of CMake targets: the table says what the links
# in <tree>/CMakeLists.txt mean, docs/development.md shows both.
#
# Run: cmake -DROOT=<repo>/server -DTABLE=<repo>/server/layers.cmake -P check_layers.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT OR NOT TABLE)
  message(FATAL_ERROR "usage: cmake -DROOT=<tree> -DTABLE=<tree>/layers.cmake -P check_layers.cmake")
endif()
include(${TABLE})

file(GLOB_RECURSE files RELATIVE ${ROOT} ${ROOT}/*.cpp ${ROOT}/*.hpp)
set(problems "")
foreach(f IN LISTS files)
  string(REGEX MATCH "^[^/]+" folder "${f}")
  set(from "${layer_${folder}}")
  if(from STREQUAL "")
    string(APPEND problems "\n  ${f}: ${folder} belongs to no layer (${TABLE})")
    continue()
  endif()
  file(STRINGS ${ROOT}/${f} lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    foreach(prefix IN LISTS only_in)
      if(line MATCHES "<${prefix}" AND NOT from STREQUAL "${only_in_${prefix}}")
        string(APPEND problems "\n  ${f}: ${line} (only ${only_in_${prefix}} includes <${prefix}...>)")
      endif()
    endforeach()
    if(NOT line MATCHES "\"([^\"]+)\"")
      continue()
    endif()
    set(target "${CMAKE_MATCH_1}")
    if(target MATCHES "\\.\\.")
      string(APPEND problems "\n  ${f}: ${line} (no relative includes)")
      continue()
    endif()
    string(REGEX MATCH "^[^/]+" to_folder "${target}")
    set(to "${layer_${to_folder}}")
    if(to STREQUAL "")
      string(APPEND problems "\n  ${f}: ${line} (no layer owns ${to_folder}/)")
    elseif(NOT to IN_LIST allowed_${from})
      string(APPEND problems "\n  ${f}: ${line} (${from} may not include ${to})")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "include lines crossing a layer:${problems}")
endif()
list(LENGTH files count)
message(STATUS "${count} files of ${ROOT} respect the layers")
