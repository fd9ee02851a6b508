# Builds the till's app shell: turns a staging directory of plain-named files
# (www/ + the link outputs + the rendered icons) into the directory the server
# serves, with content-hashed names and the precache list the service worker
# reads. Run in script mode, by the build (wasm-client/CMakeLists.txt) and by
# the upgrade test (tests/browser/pwa.test.mjs, to make a second version):
#
#   cmake -D SHELL_SRC=<staging dir> -D SHELL_DIST=<dist dir>
#         [-D SHELL_RELEASE=0.1.0] [-D GZIP=/usr/bin/gzip] [-D BROTLI=/usr/bin/brotli]
#         -P cmake/till_shell.cmake
#
# What lands in SHELL_DIST:
#   name.<16 hex>.ext   app.js, storage.js, journal_worker.js, bridge.js, a11y.js, scanner.js,
#                       zxing_reader.js/.wasm (the camera's decoder), style.css,
#                       salespider.js/.wasm/.data
#                       under their content hash (the server caches them
#                       immutable; a release never changes one in place)
#   index.html          www/index.html pointing at those names; the boot
#                       script's data-* attributes carry the version, the
#                       Emscripten files' names and sizes (for the progress bar)
#   sw.js, manifest.webmanifest, favicon.svg, icon-*.png   under their own names
#   shell.<version>.json  the precache list of this version (immutable), which
#                       sw.js?v=<version> installs
#   shell.json          the same list under a fixed name: what the page fetches
#                       to learn that a newer version exists (no-cache)
#   *.br, *.gz          precompressed siblings of everything compressible
# The version is the first 16 hex digits of a sha256 over every shell file's
# name and sha256: a rebuild that changes nothing keeps the version (tills do
# not update for nothing), any changed byte makes a new one. Files of earlier
# builds are removed: the directory holds exactly one version.
#
# Deliberately not here: rendering icons (the build does that before) and the
# decision when a till switches versions (www/app.js + www/sw.js).
cmake_minimum_required(VERSION 3.25)

foreach(_var SHELL_SRC SHELL_DIST)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "till_shell.cmake: -D ${_var}=... is required")
  endif()
endforeach()
if(NOT DEFINED SHELL_RELEASE)
  set(SHELL_RELEASE "dev")
endif()
if(NOT GZIP)
  find_program(GZIP gzip REQUIRED)
endif()
if(NOT BROTLI)
  find_program(BROTLI brotli REQUIRED)
endif()

# Renamed to name.<hash>.ext; referenced from index.html (the first three) or
# from the boot script's data-* attributes (the Emscripten outputs).
set(_hashed app.js storage.js journal_worker.js bridge.js a11y.js scanner.js zxing_reader.js zxing_reader.wasm style.css
  salespider.js salespider.wasm salespider.data)
# Precached under their own names (their URLs are public: the manifest, the
# icons the OS stores, the service worker script).
set(_stable manifest.webmanifest favicon.svg icon-192.png icon-512.png icon-maskable-512.png
  customer.html customer.js customer.css)
# Served but never precached: the browser fetches sw.js itself, bypassing
# every service worker.
set(_uncached sw.js)

function(_type_of name out)
  string(REGEX MATCH "[^.]+$" _ext "${name}")
  if(_ext STREQUAL "html")
    set(_t "text/html; charset=utf-8")
  elseif(_ext STREQUAL "js")
    set(_t "text/javascript; charset=utf-8")
  elseif(_ext STREQUAL "css")
    set(_t "text/css; charset=utf-8")
  elseif(_ext STREQUAL "wasm")
    set(_t "application/wasm")
  elseif(_ext STREQUAL "data")
    set(_t "application/octet-stream")
  elseif(_ext STREQUAL "json")
    set(_t "application/json")
  elseif(_ext STREQUAL "webmanifest")
    set(_t "application/manifest+json")
  elseif(_ext STREQUAL "svg")
    set(_t "image/svg+xml")
  elseif(_ext STREQUAL "png")
    set(_t "image/png")
  else()
    message(FATAL_ERROR "till_shell.cmake: no Content-Type for ${name}")
  endif()
  set(${out} "${_t}" PARENT_SCOPE)
endfunction()

# Copies src to SHELL_DIST/name unless an identical copy is there (so its
# mtime, and with it the server's ETag, stays), and writes .br/.gz siblings
# when missing or outdated. -n keeps gzip's output byte-identical.
set(_published "")
function(_publish src name)
  set(_dest "${SHELL_DIST}/${name}")
  file(SHA256 "${src}" _want)
  set(_fresh TRUE)
  if(EXISTS "${_dest}")
    file(SHA256 "${_dest}" _have)
    if(_have STREQUAL _want)
      set(_fresh FALSE)
    endif()
  endif()
  if(_fresh)
    file(COPY_FILE "${src}" "${_dest}")
  endif()
  set(_out "${name}")
  if(name MATCHES "\\.(js|wasm|data|css|html|svg|json|webmanifest)$")
    foreach(_z br gz)
      if(_fresh OR NOT EXISTS "${_dest}.${_z}")
        if(_z STREQUAL "br")
          execute_process(COMMAND "${BROTLI}" -q 11 -k -f "${_dest}" COMMAND_ERROR_IS_FATAL ANY)
        else()
          execute_process(COMMAND "${GZIP}" -9 -n -k -f "${_dest}" COMMAND_ERROR_IS_FATAL ANY)
        endif()
      endif()
      list(APPEND _out "${name}.${_z}")
    endforeach()
  endif()
  set(_published ${_published} ${_out} PARENT_SCOPE)
endfunction()

file(MAKE_DIRECTORY "${SHELL_DIST}")

# --- hashed files ---------------------------------------------------------------
set(_entries "")        # "name|sha256|bytes" of every precached file
set(_hashed_names "")
foreach(_f IN LISTS _hashed)
  set(_src "${SHELL_SRC}/${_f}")
  if(NOT EXISTS "${_src}")
    message(FATAL_ERROR "till_shell.cmake: ${_src} is missing")
  endif()
  file(SHA256 "${_src}" _sha)
  string(SUBSTRING "${_sha}" 0 16 _short)
  string(REGEX REPLACE "^(.*)\\.([^.]+)$" "\\1.${_short}.\\2" _name "${_f}")
  file(SIZE "${_src}" _bytes)
  _publish("${_src}" "${_name}")
  list(APPEND _entries "${_name}|${_sha}|${_bytes}")
  list(APPEND _hashed_names "${_name}")
  string(MAKE_C_IDENTIFIER "${_f}" _key)
  set(_name_${_key} "${_name}")
  set(_bytes_${_key} "${_bytes}")
endforeach()

# --- files under their own names -------------------------------------------------
foreach(_f IN LISTS _stable)
  set(_src "${SHELL_SRC}/${_f}")
  if(NOT EXISTS "${_src}")
    message(FATAL_ERROR "till_shell.cmake: ${_src} is missing")
  endif()
  file(SHA256 "${_src}" _sha)
  file(SIZE "${_src}" _bytes)
  _publish("${_src}" "${_f}")
  list(APPEND _entries "${_f}|${_sha}|${_bytes}")
endforeach()
foreach(_f IN LISTS _uncached)
  _publish("${SHELL_SRC}/${_f}" "${_f}")
endforeach()

# --- the version: everything above plus index.html's template --------------------
file(SHA256 "${SHELL_SRC}/index.html" _template_sha)
list(SORT _entries)
string(JOIN "\n" _summary ${_entries} "index.html.in|${_template_sha}|0")
string(SHA256 _version_sha "${_summary}")
string(SUBSTRING "${_version_sha}" 0 16 _version)

# --- index.html ----------------------------------------------------------------------
file(READ "${SHELL_SRC}/index.html" _html)
function(_replace_once pattern replacement)
  string(REGEX MATCHALL "${pattern}" _hits "${_html}")
  list(LENGTH _hits _n)
  if(NOT _n EQUAL 1)
    message(FATAL_ERROR "till_shell.cmake: index.html must contain ${pattern} exactly once (found ${_n})")
  endif()
  string(REGEX REPLACE "${pattern}" "${replacement}" _html "${_html}")
  set(_html "${_html}" PARENT_SCOPE)
endfunction()
_replace_once("href=\"style\\.css\"" "href=\"${_name_style_css}\"")
_replace_once("src=\"storage\\.js\"" "src=\"${_name_storage_js}\"")
_replace_once("data-journal-worker=\"journal_worker\\.js\"" "data-journal-worker=\"${_name_journal_worker_js}\"")
_replace_once("src=\"bridge\\.js\"" "src=\"${_name_bridge_js}\"")
_replace_once("src=\"a11y\\.js\"" "src=\"${_name_a11y_js}\"")
_replace_once("src=\"scanner\\.js\"" "src=\"${_name_scanner_js}\"")
_replace_once("data-decoder-js=\"zxing_reader\\.js\"" "data-decoder-js=\"${_name_zxing_reader_js}\"")
_replace_once("data-decoder-wasm=\"zxing_reader\\.wasm\"" "data-decoder-wasm=\"${_name_zxing_reader_wasm}\"")
_replace_once("src=\"app\\.js\"" "src=\"${_name_app_js}\"")
_replace_once("data-version=\"[^\"]*\"" "data-version=\"${_version}\"")
_replace_once("data-release=\"[^\"]*\"" "data-release=\"${SHELL_RELEASE}\"")
_replace_once("data-js=\"[^\"]*\"" "data-js=\"${_name_salespider_js}\"")
_replace_once("data-wasm=\"[^\"]*\"" "data-wasm=\"${_name_salespider_wasm}\"")
_replace_once("data-data=\"[^\"]*\"" "data-data=\"${_name_salespider_data}\"")
_replace_once("data-wasm-bytes=\"[^\"]*\"" "data-wasm-bytes=\"${_bytes_salespider_wasm}\"")
_replace_once("data-data-bytes=\"[^\"]*\"" "data-data-bytes=\"${_bytes_salespider_data}\"")
set(_work "${SHELL_DIST}/.till-shell-work")
file(MAKE_DIRECTORY "${_work}")
file(WRITE "${_work}/index.html" "${_html}")
file(SHA256 "${_work}/index.html" _sha)
file(SIZE "${_work}/index.html" _bytes)
_publish("${_work}/index.html" "index.html")
list(APPEND _entries "index.html|${_sha}|${_bytes}")
list(SORT _entries)

# --- the precache list -------------------------------------------------------------------
# Appended as a string: a Content-Type's ";" would split a CMake list.
set(_files_json "")
set(_sep "")
foreach(_e IN LISTS _entries)
  string(REPLACE "|" ";" _parts "${_e}")
  list(GET _parts 0 _name)
  list(GET _parts 1 _sha)
  list(GET _parts 2 _bytes)
  _type_of("${_name}" _type)
  set(_immutable false)
  if(_name IN_LIST _hashed_names)
    set(_immutable true)
  endif()
  string(APPEND _files_json "${_sep}    {\"url\": \"${_name}\", \"sha256\": \"${_sha}\", \"bytes\": ${_bytes}, \"type\": \"${_type}\", \"immutable\": ${_immutable}}")
  set(_sep ",\n")
endforeach()
set(_list "{\n  \"format\": \"salespider-shell\",\n  \"version\": \"${_version}\",\n  \"release\": \"${SHELL_RELEASE}\",\n  \"index\": \"index.html\",\n  \"files\": [\n${_files_json}\n  ]\n}\n")
file(WRITE "${_work}/shell.json" "${_list}")
_publish("${_work}/shell.json" "shell.${_version}.json")
_publish("${_work}/shell.json" "shell.json")
file(REMOVE_RECURSE "${_work}")

# --- one version only: remove what earlier builds left ------------------------------------
file(GLOB _present RELATIVE "${SHELL_DIST}" "${SHELL_DIST}/*")
foreach(_f IN LISTS _present)
  if(NOT _f IN_LIST _published AND NOT IS_DIRECTORY "${SHELL_DIST}/${_f}")
    file(REMOVE "${SHELL_DIST}/${_f}")
  endif()
endforeach()
message(STATUS "till shell ${_version} (release ${SHELL_RELEASE}) in ${SHELL_DIST}")
