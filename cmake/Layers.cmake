# salespider_include_root(<target> <root> <folder>...)
# The one way a layer publishes its headers: <root> is a directory in the
# build tree holding a symlink <folder> -> <source dir>/<folder> per folder,
# and it becomes <target>'s include path (PUBLIC for a library, PRIVATE for
# an executable). So `#include "<folder>/x.hpp"` resolves only in targets
# that link <target>, and the source tree itself is never an include path.
function(salespider_include_root target root)
  file(MAKE_DIRECTORY "${root}")
  foreach(folder IN LISTS ARGN)
    file(CREATE_LINK "${CMAKE_CURRENT_SOURCE_DIR}/${folder}" "${root}/${folder}" SYMBOLIC)
  endforeach()
  get_target_property(_type ${target} TYPE)
  if(_type STREQUAL "EXECUTABLE")
    target_include_directories(${target} PRIVATE "${root}")
  else()
    target_include_directories(${target} PUBLIC "${root}")
  endif()
endfunction()

# salespider_check_layers(NAME <name> TREE <dir> BEFORE <target>)
# Runs cmake/check_layers.cmake over <dir> with <dir>/layers.cmake whenever
# a source file of the tree, its table or the checker changes, before
# <target> (the tree's lowest library) compiles: an include that crosses a
# layer is a build error, named with its file and line, not a review
# comment. The same check is a unit test (<name>_layers) in the tree's tests.
include_guard(GLOBAL)

set(SALESPIDER_LAYER_CHECKER "${CMAKE_CURRENT_LIST_DIR}/check_layers.cmake")

function(salespider_check_layers)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;TREE;BEFORE" "")
  file(GLOB_RECURSE _sources CONFIGURE_DEPENDS "${ARG_TREE}/*.cpp" "${ARG_TREE}/*.hpp")
  set(_stamp "${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_layers.stamp")
  add_custom_command(
    OUTPUT "${_stamp}"
    COMMAND ${CMAKE_COMMAND} -DROOT=${ARG_TREE} -DTABLE=${ARG_TREE}/layers.cmake -P "${SALESPIDER_LAYER_CHECKER}"
    COMMAND ${CMAKE_COMMAND} -E touch "${_stamp}"
    DEPENDS ${_sources} "${ARG_TREE}/layers.cmake" "${SALESPIDER_LAYER_CHECKER}"
    COMMENT "Checking the include lines of ${ARG_NAME} against its layers"
    VERBATIM)
  add_custom_target(salespider_${ARG_NAME}_layers DEPENDS "${_stamp}")
  add_dependencies(${ARG_BEFORE} salespider_${ARG_NAME}_layers)
endfunction()

# salespider_add_layers_test(NAME <name> TREE <dir>): the same check as a
# unit test, so `ctest -L unit` reports it too.
function(salespider_add_layers_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;TREE" "")
  add_test(NAME ${ARG_NAME}_layers
    COMMAND ${CMAKE_COMMAND} -DROOT=${ARG_TREE} -DTABLE=${ARG_TREE}/layers.cmake -P "${SALESPIDER_LAYER_CHECKER}")
  set_tests_properties(${ARG_NAME}_layers PROPERTIES LABELS unit)
endfunction()
