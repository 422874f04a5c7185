// gpuhost.regex_*: linear-time regular expressions (RE2) for scripts that
// search logs. Lua's own patterns backtrack, so one string.find on a large
// log can run for minutes inside a single C call; RE2 runs in time linear in
// the text whatever the pattern. Compiled expressions are cached per pattern
// (and per pattern list for regex_scan), so a rule set compiles once.
//
//   gpuhost.regex_check(pattern)            -> nil, or the reason it is not valid RE2
//   gpuhost.regex_find(subject, pattern)    -> start, end (1-based, inclusive) or nil
//   gpuhost.regex_scan(text, patterns)      -> hits, lines
//       hits[i] = the first line (1-based) where patterns[i] matches, for the
//       patterns that match; lines[n] = the text of each line named in hits
//       (cut to kLineShown bytes). Matching is line by line and ignores case.
#include "regex.hpp"

#include <algorithm>
#include <lua.hpp>
#include <memory>
#include <mutex>
#include <re2/re2.h>
#include <re2/set.h>
#include <string>
#include <unordered_map>
#include <vector>

namespace gpuhost::lua {

namespace {

constexpr std::size_t kCacheLimit = 4096;  // compiled patterns kept; cleared when full
constexpr int64_t kSetMemory = int64_t(64) << 20;

RE2::Options options() {
    RE2::Options o;
    o.set_case_sensitive(false);
    o.set_log_errors(false);
    o.set_max_mem(kSetMemory);
    return o;
}

std::mutex cache_mutex;
std::unordered_map<std::string, std::shared_ptr<const RE2>> single_cache;

struct CompiledSet {
    std::unique_ptr<RE2::Set> set;                     // null when a pattern is invalid
    std::vector<std::shared_ptr<const RE2>> each;      // the same patterns one by one
    std::string error;
};
std::unordered_map<std::string, std::shared_ptr<const CompiledSet>> set_cache;

std::shared_ptr<const RE2> compiled(const std::string &pattern) {
    std::lock_guard lock(cache_mutex);
    auto it = single_cache.find(pattern);
    if (it != single_cache.end()) return it->second;
    if (single_cache.size() >= kCacheLimit) single_cache.clear();
    auto re = std::make_shared<const RE2>(pattern, options());
    single_cache.emplace(pattern, re);
    return re;
}

std::shared_ptr<const CompiledSet> compiled_set(const std::vector<std::string> &patterns) {
    std::string key;
    for (const auto &p : patterns) key.append(p).push_back('\0');
    {
        std::lock_guard lock(cache_mutex);
        if (auto it = set_cache.find(key); it != set_cache.end()) return it->second;
    }
    auto out = std::make_shared<CompiledSet>();
    auto set = std::make_unique<RE2::Set>(options(), RE2::UNANCHORED);
    for (std::size_t i = 0; i < patterns.size() && out->error.empty(); ++i) {
        auto re = compiled(patterns[i]);
        if (!re->ok()) {
            out->error = "pattern " + std::to_string(i + 1) + " \"" + patterns[i] + "\": " + re->error();
            break;
        }
        out->each.push_back(re);
        std::string why;
        if (set->Add(patterns[i], &why) < 0) out->error = "pattern " + std::to_string(i + 1) + ": " + why;
    }
    if (out->error.empty() && set->Compile()) out->set = std::move(set);
    std::lock_guard lock(cache_mutex);
    if (set_cache.size() >= kCacheLimit / 16) set_cache.clear();
    set_cache.emplace(std::move(key), out);
    return out;
}

std::string_view arg_string(lua_State *L, int index) {
    std::size_t len = 0;
    const char *s = luaL_checklstring(L, index, &len);
    return {s, len};
}

int regex_check(lua_State *L) {
    std::string pattern(arg_string(L, 1));
    auto re = compiled(pattern);
    if (re->ok()) lua_pushnil(L);
    else lua_pushstring(L, re->error().c_str());
    return 1;
}

// Lua raises errors with longjmp, which skips C++ destructors: the functions
// below finish with every C++ object gone before they raise one.
int raise(lua_State *L, const std::string &message) {
    lua_pushlstring(L, message.data(), message.size());
    return -1;
}

int regex_find(lua_State *L) {
    auto subject = arg_string(L, 1);
    arg_string(L, 2);
    int results = 0;
    {
        std::string pattern(arg_string(L, 2));
        auto re = compiled(pattern);
        re2::StringPiece text(subject.data(), subject.size()), match;
        if (!re->ok()) results = raise(L, "regex_find: \"" + pattern + "\" is not a valid regular expression: " + re->error());
        else if (!re->Match(text, 0, text.size(), RE2::UNANCHORED, &match, 1)) {
            lua_pushnil(L);
            results = 1;
        } else {
            lua_pushinteger(L, lua_Integer(match.data() - text.data()) + 1);
            lua_pushinteger(L, lua_Integer(match.data() - text.data() + match.size()));
            results = 2;
        }
    }
    return results < 0 ? lua_error(L) : results;
}

struct Scan {
    std::string error;
    std::vector<std::size_t> first_line;                 // per pattern; 0: no match
    std::vector<std::pair<std::size_t, std::string_view>> shown;  // line number -> its text
};

Scan scan_lines(std::string_view text, const std::vector<std::string> &patterns) {
    Scan out;
    out.first_line.assign(patterns.size(), 0);
    if (patterns.empty()) return out;
    auto set = compiled_set(patterns);
    if (!set->error.empty()) {
        out.error = set->error;
        return out;
    }
    std::size_t left = patterns.size();
    std::vector<int> found;
    std::size_t line_no = 0;
    for (std::size_t at = 0; at <= text.size() && left > 0;) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        re2::StringPiece line(text.data() + at, end - at);
        ++line_no;
        at = end + 1;
        found.clear();
        RE2::Set::ErrorInfo info{};
        bool any = set->set && set->set->Match(line, &found, &info);
        if (!any && info.kind != RE2::Set::kNoError) {
            // The set's automaton ran out of memory on this line: match one by one.
            found.clear();
            for (std::size_t i = 0; i < set->each.size(); ++i)
                if (RE2::PartialMatch(line, *set->each[i])) found.push_back(int(i));
            any = !found.empty();
        }
        if (!any) continue;
        bool shown_here = false;
        for (int i : found) {
            if (out.first_line[i] != 0) continue;
            out.first_line[i] = line_no;
            --left;
            if (!shown_here) {
                std::string_view t(line.data(), std::min(line.size(), kLineShown));
                if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
                out.shown.emplace_back(line_no, t);
            }
            shown_here = true;
        }
    }
    return out;
}

int regex_scan(lua_State *L) {
    auto text = arg_string(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Integer count = luaL_len(L, 2);
    for (lua_Integer i = 1; i <= count; ++i) {
        if (lua_geti(L, 2, i) != LUA_TSTRING) return luaL_error(L, "regex_scan: patterns[%d] is not a string", int(i));
        lua_pop(L, 1);
    }
    bool failed = false;
    {
        std::vector<std::string> patterns;
        for (lua_Integer i = 1; i <= count; ++i) {
            lua_geti(L, 2, i);
            std::size_t len = 0;
            const char *p = lua_tolstring(L, -1, &len);
            patterns.emplace_back(p, len);
            lua_pop(L, 1);
        }
        Scan result = scan_lines(text, patterns);
        if (!result.error.empty()) {
            std::string message = "regex_scan: " + result.error;
            lua_pushlstring(L, message.data(), message.size());
            failed = true;
        } else {
            lua_createtable(L, 0, 8);
            for (std::size_t i = 0; i < result.first_line.size(); ++i) {
                if (result.first_line[i] == 0) continue;
                lua_pushinteger(L, lua_Integer(result.first_line[i]));
                lua_seti(L, -2, lua_Integer(i + 1));
            }
            lua_createtable(L, 0, int(result.shown.size()));
            for (const auto &[n, line] : result.shown) {
                lua_pushlstring(L, line.data(), line.size());
                lua_seti(L, -2, lua_Integer(n));
            }
        }
    }
    return failed ? lua_error(L) : 2;
}

}  // namespace

void open_regex(lua_State *L, int module) {
    module = lua_absindex(L, module);
    static const luaL_Reg functions[] = {
        {"regex_check", &regex_check}, {"regex_find", &regex_find}, {"regex_scan", &regex_scan}};
    for (const auto &f : functions) {
        lua_pushcfunction(L, f.func);
        lua_setfield(L, module, f.name);
    }
}

}  // namespace gpuhost::lua
