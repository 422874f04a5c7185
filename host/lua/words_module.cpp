// gpuhost.words(text): the distinct words of a log, for the matcher's last
// resort (scripts/lib/word_guess.lua). Splitting a 2 MiB log with Lua's
// gmatch would be charged against the step limit like any backtracking
// pattern; this is one linear pass in C++.
//
//   gpuhost.words(text) -> words, line_of, line_text
//       words[i]     the distinct words in order of first appearance
//       line_of[w]   the line (1-based) where word w first appears
//       line_text[n] the text of each such line (cut to kLineShown bytes)
//
// A word is a run of ASCII letters, digits and '_', lower-cased, that starts
// with a letter, is 3 to 40 bytes long and is not a hex number (only 0-9a-f
// with at least one digit: an address or a hash). Other bytes separate words.
#include "words.hpp"

#include "regex.hpp"  // kLineShown

#include <cctype>
#include <lua.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace gpuhost::lua {

namespace {

constexpr std::size_t kMinWord = 3, kMaxWord = 40;

bool word_byte(unsigned char c) { return std::isalnum(c) || c == '_'; }

bool kept(const std::string &w) {
    if (w.size() < kMinWord || w.size() > kMaxWord || !std::isalpha(static_cast<unsigned char>(w[0]))) return false;
    bool hex = true, digit = false;
    for (unsigned char c : w) {
        if (std::isdigit(c)) digit = true;
        else if (c < 'a' || c > 'f') hex = false;
    }
    return !(hex && digit);
}

struct Split {
    std::vector<std::string> words;
    std::vector<std::size_t> line_of;                              // per word
    std::vector<std::pair<std::size_t, std::string_view>> shown;  // line number -> its text
};

Split split(std::string_view text) {
    Split out;
    std::unordered_map<std::string, std::size_t> seen;
    std::size_t line = 1, line_start = 0, last_shown = 0;
    std::string word;
    auto finish = [&] {
        if (word.empty()) return;
        if (kept(word) && seen.emplace(word, out.words.size()).second) {
            out.words.push_back(word);
            out.line_of.push_back(line);
            if (last_shown != line) {
                auto end = text.find('\n', line_start);
                auto shown = text.substr(line_start, (end == std::string_view::npos ? text.size() : end) - line_start);
                out.shown.emplace_back(line, shown.substr(0, kLineShown));
                last_shown = line;
            }
        }
        word.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (word_byte(c)) {
            // One byte past kMaxWord is enough for kept() to drop it; a 50 MB run stays small.
            if (word.size() <= kMaxWord) word.push_back(char(std::tolower(c)));
            continue;
        }
        finish();
        if (c == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    finish();
    return out;
}

int words(lua_State *L) {
    std::size_t len = 0;
    const char *text = luaL_checklstring(L, 1, &len);
    // Lua errors jump over C++ destructors: nothing below raises one
    // (lua_createtable and pushes only fail on memory, which ends the call anyway).
    Split s = split({text, len});
    lua_createtable(L, int(s.words.size()), 0);
    for (std::size_t i = 0; i < s.words.size(); ++i) {
        lua_pushlstring(L, s.words[i].data(), s.words[i].size());
        lua_seti(L, -2, lua_Integer(i + 1));
    }
    lua_createtable(L, 0, int(s.words.size()));
    for (std::size_t i = 0; i < s.words.size(); ++i) {
        lua_pushinteger(L, lua_Integer(s.line_of[i]));
        lua_setfield(L, -2, s.words[i].c_str());
    }
    lua_createtable(L, 0, int(s.shown.size()));
    for (const auto &[n, line] : s.shown) {
        lua_pushlstring(L, line.data(), line.size());
        lua_seti(L, -2, lua_Integer(n));
    }
    return 3;
}

}  // namespace

void open_words(lua_State *L, int module) {
    module = lua_absindex(L, module);
    lua_pushcfunction(L, &words);
    lua_setfield(L, module, "words");
}

}  // namespace gpuhost::lua
