// Linear-time regular expressions (RE2) for the scripts: gpuhost.regex_check,
// regex_find and regex_scan (see regex_module.cpp).
#pragma once

struct lua_State;

namespace gpuhost::lua {

// Adds the regex_* functions to the table at `module` on L's stack.
void open_regex(lua_State *L, int module);

}  // namespace gpuhost::lua
