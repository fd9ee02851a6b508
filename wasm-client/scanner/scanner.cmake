# The camera scanner's fallback decoder as a build step. www/scanner.js loads
# zxing-wasm's reader on phones whose browser has no BarcodeDetector; this
# puts its two files where the till's shell is staged, from the npm package
# pinned in package-lock.json (fetch.sh: npm ci into ~/.cache/salespider,
# once per lock file). Nothing is downloaded at configure time and nothing
# from npm lands in the source tree.
#
#   include(scanner/scanner.cmake)
#   salespider_scanner_decoder(<dir> <files-var>)
#
# adds the command that writes <dir>/zxing_reader.js and
# <dir>/zxing_reader.wasm and sets <files-var> to those two paths, for the
# DEPENDS of the command that consumes them (the shell assembly in
# wasm-client/CMakeLists.txt). Call it from that same CMakeLists.txt: a
# custom command's outputs are only known to targets of its own directory.

function(salespider_scanner_decoder out_dir files_var)
  set(_here "${CMAKE_CURRENT_FUNCTION_LIST_DIR}")
  set(_files "${out_dir}/zxing_reader.js" "${out_dir}/zxing_reader.wasm")
  find_program(SALESPIDER_BASH bash REQUIRED)
  add_custom_command(
    OUTPUT ${_files}
    COMMAND "${SALESPIDER_BASH}" "${_here}/fetch.sh" "${out_dir}"
    # fetch.sh leaves an identical file untouched; the touch marks the step
    # done so it does not run again on every build.
    COMMAND "${CMAKE_COMMAND}" -E touch ${_files}
    DEPENDS "${_here}/fetch.sh" "${_here}/package.json" "${_here}/package-lock.json"
    COMMENT "Installing the scanner's zxing-wasm decoder into ${out_dir}"
    VERBATIM)
  set(${files_var} ${_files} PARENT_SCOPE)
endfunction()
