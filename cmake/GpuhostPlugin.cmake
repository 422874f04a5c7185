# gpuhost_add_plugin(NAME <name> VENDOR <vendor> SOURCES ... [PLATFORMS linux macos] [OUTPUT_DIR dir])
# Builds lib<name>.so (no "lib" prefix games: the manifest names the file) and
# writes its manifest, <name>.gpuhost-plugin.json, beside it.
function(gpuhost_add_plugin)
  cmake_parse_arguments(P "" "NAME;VENDOR;OUTPUT_DIR;KIND;VERSION" "SOURCES;PLATFORMS" ${ARGN})
  if(NOT P_PLATFORMS)
    set(P_PLATFORMS linux)
  endif()
  if(NOT P_OUTPUT_DIR)
    if(GPUHOST_PLUGIN_OUTPUT_DIR)
      set(P_OUTPUT_DIR ${GPUHOST_PLUGIN_OUTPUT_DIR})
    else()
      set(P_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/plugins)
    endif()
  endif()
  if(NOT P_VERSION)
    set(P_VERSION ${PROJECT_VERSION})
  endif()
  if(NOT P_KIND)
    set(P_KIND vendor)
  endif()
  set(target gpuhost-plugin-${P_NAME})
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME gpuhost-${P_NAME}
    LIBRARY_OUTPUT_DIRECTORY ${P_OUTPUT_DIR})
  target_link_libraries(${target} PRIVATE gpuhost::sdk)
  if(NOT APPLE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
  set(platform_list "")
  foreach(p ${P_PLATFORMS})
    list(APPEND platform_list "\"${p}\"")
  endforeach()
  list(JOIN platform_list ", " platform_json)
  set(library_file ${CMAKE_SHARED_MODULE_PREFIX}gpuhost-${P_NAME}${CMAKE_SHARED_MODULE_SUFFIX})
  file(WRITE ${P_OUTPUT_DIR}/${P_NAME}.gpuhost-plugin.json
"{
  \"manifest\": 1,
  \"name\": \"${P_NAME}\",
  \"vendor\": \"${P_VENDOR}\",
  \"kind\": \"${P_KIND}\",
  \"version\": \"${P_VERSION}\",
  \"library\": \"${library_file}\",
  \"abi\": { \"min\": 1, \"max\": 1 },
  \"platforms\": [${platform_json}]
}
")
  # Installed beside the host's search path: PREFIX/lib/gpuhost/plugins.
  install(TARGETS ${target} LIBRARY DESTINATION lib/gpuhost/plugins)
  install(FILES ${P_OUTPUT_DIR}/${P_NAME}.gpuhost-plugin.json DESTINATION lib/gpuhost/plugins)
endfunction()
