# gpuhost_embed_text(<out.cpp> <file> <symbol>): writes a C++ file defining
# `extern const char <symbol>[]` with the file's text, rebuilt when it changes.
function(gpuhost_embed_text out file symbol)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DSYMBOL=${symbol} -P ${GPUHOST_EMBED_SCRIPT}
    DEPENDS ${file} ${GPUHOST_EMBED_SCRIPT} VERBATIM)
endfunction()
set(GPUHOST_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_text_run.cmake)
