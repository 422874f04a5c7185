// Linear-time regular expressions (RE2) for the scripts: gpuhost.regex_check,
// regex_find and regex_scan (see regex_module.cpp).
#pragma once

#include <cstddef>

struct lua_State;

namespace gpuhost::lua {

// Bytes of a log line handed back to scripts (regex_scan's lines, words' line_text).
constexpr std::size_t kLineShown = 300;

// Adds the regex_* functions to the table at `module` on L's stack.
void open_regex(lua_State *L, int module);

}  // namespace gpuhost::lua
