# The server's include directions (server/CMakeLists.txt, docs/development.md
# "Layers"), checked over every `#include "..."` line under server/:
#   app -> anything; http, tls -> service, auth, base, shared;
#   service, auth -> db, base, shared; db -> base, shared; base -> shared.
# base is config/, log/, support/. <pqxx/...> only in db/.
# The per-layer include roots already stop most wrong includes at compile
# time; this also catches what a re-exported dependency would let through
# (http/ sees db/'s root because service/ headers name db/ row types).
# Run: cmake -DSERVER_DIR=<repo>/server -P layers_test.cmake
cmake_minimum_required(VERSION 3.25)
set(layer_config base)
set(layer_log base)
set(layer_support base)
set(layer_db db)
set(layer_service service)
set(layer_auth service)
set(layer_http http)
set(layer_tls http)
set(layer_app app)
set(layer_salespider shared)  # <salespider/shared/...>, the generated version.hpp

set(allowed_base "base;shared")
set(allowed_db "db;base;shared")
set(allowed_service "service;db;base;shared")
set(allowed_http "http;service;base;shared")
set(allowed_app "app;http;service;db;base;shared")

file(GLOB_RECURSE files RELATIVE ${SERVER_DIR} ${SERVER_DIR}/*.cpp ${SERVER_DIR}/*.hpp)
set(problems "")
foreach(f IN LISTS files)
  string(REGEX MATCH "^[^/]+" folder "${f}")
  set(from "${layer_${folder}}")
  if(from STREQUAL "")
    string(APPEND problems "\n  ${f}: folder ${folder}/ belongs to no layer")
    continue()
  endif()
  file(STRINGS ${SERVER_DIR}/${f} lines REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS lines)
    if(line MATCHES "<pqxx/" AND NOT from STREQUAL "db")
      string(APPEND problems "\n  ${f}: ${line} (only db/ includes libpqxx)")
    endif()
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
message(STATUS "${count} server files respect the layers")
