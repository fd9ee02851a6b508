# The message catalogue's tooling (cmake -P), one extraction for both uses:
#   -DMODE=update  `make messages`: xgettext -> POT, then msgmerge --update of
#                  every shared/messages/*.po (parts are the helpers' and the
#                  lead's to fold in; they are checked, not rewritten).
#   -DMODE=check   the messages_catalogue test: xgettext -> POT, then CHECKER
#                  (tests/shared/messages_check.cpp) compares every language's
#                  files with it.
#   -DSOURCE_DIR=<repo> -DPOT=<output .pot> [-DCHECKER=<messages_check>]
#
# Keywords: i18n.hpp's (tr, trc, trf, trn, N_, NC_) everywhere; in the
# server's client-facing layers (http/, service/, auth/) also service::fail's
# message, fail:2, and the "{field}: why" helpers' bad:2 (the till's JSON reader has a fail() of its own, so the
# keyword is not applied to wasm-client/).
cmake_minimum_required(VERSION 3.25)
find_program(XGETTEXT xgettext)
find_program(MSGMERGE msgmerge)
if(NOT XGETTEXT OR NOT MSGMERGE)
  message(FATAL_ERROR "xgettext/msgmerge not found: apt-get install gettext (deploy/deps.sh)")
endif()

set(keywords -k -ktr -ktrc:1c,2 -ktrf:1 -ktrn:1,2 -kN_ -kNC_:1c,2)
set(common --language=C++ --from-code=UTF-8 --add-comments=TRANSLATORS: --add-location=file
           --sort-output --package-name=SaleSpider --msgid-bugs-address=-)

function(list_sources out)
  set(files "")
  foreach(dir IN LISTS ARGN)
    file(GLOB_RECURSE found RELATIVE "${SOURCE_DIR}" "${SOURCE_DIR}/${dir}/*.cpp" "${SOURCE_DIR}/${dir}/*.hpp")
    list(APPEND files ${found})
  endforeach()
  list(SORT files)
  set(${out} ${files} PARENT_SCOPE)
endfunction()

function(extract)
  cmake_parse_arguments(ARG "" "" "DIRS;KEYWORDS;OPTIONS" ${ARGN})
  list_sources(files ${ARG_DIRS})
  string(REPLACE ";" "\n" listing "${files}")
  file(WRITE "${POT}.files" "${listing}\n")
  execute_process(COMMAND "${XGETTEXT}" ${common} ${ARG_KEYWORDS} ${ARG_OPTIONS} -o "${POT}" -f "${POT}.files"
                  WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "xgettext failed:\n${err}")
  endif()
endfunction()

get_filename_component(pot_dir "${POT}" DIRECTORY)
file(MAKE_DIRECTORY "${pot_dir}")
file(REMOVE "${POT}")
extract(DIRS shared wasm-client KEYWORDS ${keywords} OPTIONS --force-po)
extract(DIRS server/http server/service server/auth KEYWORDS ${keywords} -kfail:2 -kbad:2 OPTIONS --join-existing)

if(MODE STREQUAL "update")
  file(GLOB catalogues "${SOURCE_DIR}/shared/messages/*.po")
  foreach(po IN LISTS catalogues)
    execute_process(COMMAND "${MSGMERGE}" --update --no-fuzzy-matching --backup=none --sort-output --quiet
                            "${po}" "${POT}"
                    RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "msgmerge ${po} failed:\n${err}")
    endif()
    message(STATUS "merged ${po}")
  endforeach()
  message(STATUS "template: ${POT}")
elseif(MODE STREQUAL "check")
  execute_process(COMMAND "${CHECKER}" "${POT}" "${SOURCE_DIR}/shared/messages" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "the message catalogue is incomplete (see above)")
  endif()
else()
  message(FATAL_ERROR "MODE must be update or check")
endif()
