# cmake -DOUT=<file> [-DSTDOUT=1] -P run_producing.cmake -- <tool> <args...>
# (STDOUT=1: the tool prints OUT's content on stdout.)
# Runs a code generator (glslangValidator, nvcc) so that every generator of
# build files behaves alike: OUT's folder is made first (Ninja does that, Make
# does not), and the step fails, with the tool's own message, when the tool
# fails or leaves no OUT behind (glslangValidator exits 0 when it cannot write).
set(command "")
set(seen_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(seen_separator)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif("${CMAKE_ARGV${i}}" STREQUAL "--")
    set(seen_separator TRUE)
  endif()
endforeach()
if(NOT OUT OR NOT command)
  message(FATAL_ERROR "run_producing.cmake: usage: cmake -DOUT=<file> -P run_producing.cmake -- <tool> <args...>")
endif()
get_filename_component(out_dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${out_dir}")
file(REMOVE "${OUT}")  # a stale OUT must not pass for a fresh one
if(STDOUT)
  execute_process(COMMAND ${command} RESULT_VARIABLE rc OUTPUT_FILE "${OUT}" ERROR_VARIABLE err)
  set(out "")
else()
  execute_process(COMMAND ${command} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
endif()
list(GET command 0 tool)
get_filename_component(tool_name "${tool}" NAME)
if(NOT rc EQUAL 0 OR NOT EXISTS "${OUT}" OR "${out}${err}" MATCHES "ERROR: ")
  file(REMOVE "${OUT}")
  message(FATAL_ERROR "${tool_name} failed (exit ${rc}) making ${OUT}:\n${out}${err}")
endif()
