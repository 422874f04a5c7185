// gpuhost.words for the scripts: a log's distinct words in one linear pass
// (see words_module.cpp).
#pragma once

struct lua_State;

namespace gpuhost::lua {

// Adds gpuhost.words to the table at `module` on L's stack.
void open_words(lua_State *L, int module);

}  // namespace gpuhost::lua
