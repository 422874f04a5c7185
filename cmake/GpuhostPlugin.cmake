# gpuhost_add_plugin(NAME <name> VENDOR <vendor> SOURCES ... [PLATFORMS linux macos] [OUTPUT_DIR dir]
#                    [BACKENDS b ...] [PRIORITY n] [LUA_VENDOR file] [LUA_RULES file ...] [LUA_DOCTOR file])
# Builds lib<name>.so (no "lib" prefix games: the manifest names the file) and
# writes its manifest, <name>.gpuhost-plugin.json, beside it. The vendor folder's
# Lua (sdk/docs/VENDORS.md) is copied to <output>/<name>/ and named in the manifest.
function(gpuhost_add_plugin)
  cmake_parse_arguments(P "" "NAME;VENDOR;OUTPUT_DIR;KIND;VERSION;PRIORITY;LUA_VENDOR;LUA_DOCTOR"
    "SOURCES;PLATFORMS;BACKENDS;LUA_RULES" ${ARGN})
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
  set(extra_json "")
  if(P_BACKENDS)
    set(backend_list "")
    foreach(b ${P_BACKENDS})
      list(APPEND backend_list "\"${b}\"")
    endforeach()
    list(JOIN backend_list ", " backend_json)
    string(APPEND extra_json ",\n  \"backends\": [${backend_json}]")
  endif()
  if(DEFINED P_PRIORITY)
    string(APPEND extra_json ",\n  \"priority\": ${P_PRIORITY}")
  endif()
  # The vendor's Lua: copied beside the manifest (re-copied when a file changes).
  set(script_fields "")
  set(script_files "")
  foreach(role VENDOR DOCTOR)
    if(P_LUA_${role})
      get_filename_component(base ${P_LUA_${role}} NAME)
      get_filename_component(src ${P_LUA_${role}} ABSOLUTE)
      configure_file(${src} ${P_OUTPUT_DIR}/${P_NAME}/${base} COPYONLY)
      list(APPEND script_files ${P_OUTPUT_DIR}/${P_NAME}/${base})
      string(TOLOWER ${role} key)
      list(APPEND script_fields "\"${key}\": \"${P_NAME}/${base}\"")
    endif()
  endforeach()
  if(P_LUA_RULES)
    set(rule_list "")
    foreach(f ${P_LUA_RULES})
      get_filename_component(base ${f} NAME)
      get_filename_component(src ${f} ABSOLUTE)
      configure_file(${src} ${P_OUTPUT_DIR}/${P_NAME}/${base} COPYONLY)
      list(APPEND script_files ${P_OUTPUT_DIR}/${P_NAME}/${base})
      list(APPEND rule_list "\"${P_NAME}/${base}\"")
    endforeach()
    list(JOIN rule_list ", " rules_json)
    list(APPEND script_fields "\"rules\": [${rules_json}]")
  endif()
  if(script_fields)
    list(JOIN script_fields ", " scripts_json)
    string(APPEND extra_json ",\n  \"scripts\": { ${scripts_json} }")
  endif()
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
  \"platforms\": [${platform_json}]${extra_json}
}
")
  # Installed beside the host's search path: PREFIX/lib/gpuhost/plugins.
  install(TARGETS ${target} LIBRARY DESTINATION lib/gpuhost/plugins)
  install(FILES ${P_OUTPUT_DIR}/${P_NAME}.gpuhost-plugin.json DESTINATION lib/gpuhost/plugins)
  if(script_files)
    install(FILES ${script_files} DESTINATION lib/gpuhost/plugins/${P_NAME})
  endif()
endfunction()
