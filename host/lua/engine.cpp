#include "engine.hpp"

#include <bitset>
#include <cctype>

#include "../core/log.hpp"

#include <lua.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <regex>
#include <string_view>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::lua {

namespace {

// Registry keys.
const char *kEngineKey = "gpuhost.engine";
const char *kErrorKey = "gpuhost.error";      // {file=, line=, message=, traceback=} of the last error
const char *kLoadedKey = "gpuhost.loaded";    // require() cache
const char *kChunksKey = "gpuhost.chunks";    // short_src -> full path of every file loaded
const int kHookEvery = 1000;                  // instructions between step-limit checks

Engine &engine_of(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, kEngineKey);
    auto *e = static_cast<Engine *>(lua_touserdata(L, -1));
    lua_pop(L, 1);
    return *e;
}

std::string full_path_of(lua_State *L, const std::string &short_src) {
    lua_getfield(L, LUA_REGISTRYINDEX, kChunksKey);
    lua_getfield(L, -1, short_src.c_str());
    std::string out = lua_isstring(L, -1) ? lua_tostring(L, -1) : short_src;
    lua_pop(L, 2);
    return out;
}

// Message handler: finds the file and line the error belongs to (full path,
// not Lua's 60-character short form), keeps a traceback, returns the message.
int message_handler(lua_State *L) {
    const char *raw = lua_tostring(L, 1);
    std::string msg = raw ? raw : (std::string("(error object is a ") + luaL_typename(L, 1) + " value)");
    std::string file;
    int line = 0;
    lua_Debug ar;
    std::string first_file;
    int first_line = 0;
    for (int level = 1; lua_getstack(L, level, &ar); ++level) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline <= 0 || ar.source[0] != '@') continue;
        if (first_file.empty()) {
            first_file = ar.source + 1;
            first_line = ar.currentline;
        }
        std::string prefix = std::string(ar.short_src) + ":" + std::to_string(ar.currentline) + ":";
        if (msg.rfind(prefix, 0) == 0) {
            file = ar.source + 1;
            line = ar.currentline;
            msg = msg.substr(prefix.size());
            break;
        }
    }
    if (file.empty()) {
        static const std::regex located(R"(^([^\n]*?):(\d+): ([\s\S]*)$)");
        std::smatch m;
        if (std::regex_match(msg, m, located)) {
            file = full_path_of(L, m[1].str());
            line = std::stoi(m[2].str());
            msg = m[3].str();
        } else {
            file = first_file;
            line = first_line;
        }
    }
    while (!msg.empty() && msg.front() == ' ') msg.erase(0, 1);
    luaL_traceback(L, L, nullptr, 1);
    std::string traceback = lua_tostring(L, -1);
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, file.c_str());
    lua_setfield(L, -2, "file");
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    lua_pushstring(L, msg.c_str());
    lua_setfield(L, -2, "message");
    lua_pushstring(L, traceback.c_str());
    lua_setfield(L, -2, "traceback");
    lua_setfield(L, LUA_REGISTRYINDEX, kErrorKey);
    lua_pushvalue(L, 1);
    return 1;
}

// Loads a text chunk from a file (never binary); records its short name.
int load_file_chunk(lua_State *L, const fs::path &file, std::string &error) {
    auto text = read_text(file);
    if (!text) {
        error = file.string() + ": cannot read (" + std::strerror(errno) + ")";
        return LUA_ERRFILE;
    }
    std::string chunkname = "@" + file.string();
    int status = luaL_loadbufferx(L, text->data(), text->size(), chunkname.c_str(), "t");
    if (status != LUA_OK) {
        std::string msg = lua_tostring(L, -1) ? lua_tostring(L, -1) : "load failed";
        lua_pop(L, 1);
        static const std::regex located(R"(^[^\n]*?:(\d+): ([\s\S]*)$)");
        std::smatch m;
        if (std::regex_match(msg, m, located)) msg = file.string() + ":" + m[1].str() + ": " + m[2].str();
        else msg = file.string() + ": " + msg;
        if (msg.find("attempt to load a binary chunk") != std::string::npos)
            msg += " (binary chunks are refused: ship Lua source)";
        error = msg;
        return status;
    }
    lua_Debug ar;
    lua_pushvalue(L, -1);
    lua_getinfo(L, ">S", &ar);
    lua_getfield(L, LUA_REGISTRYINDEX, kChunksKey);
    lua_pushstring(L, file.string().c_str());
    lua_setfield(L, -2, ar.short_src);
    lua_pop(L, 1);
    return LUA_OK;
}

// Resolves a path a script gave to dofile/loadfile: relative names are looked
// up on the script path; absolute ones must lie inside a script folder.
bool resolve_script(lua_State *L, const char *name, fs::path &out, std::string &error) {
    const ScriptPath &path = engine_of(L).script_path();
    fs::path p(name);
    if (p.is_absolute()) {
        if (path.contains(p)) {
            out = p;
            return true;
        }
        error = std::string(name) + " is outside the script folders (" + path.describe() + ")";
        return false;
    }
    if (auto found = path.find(name)) {
        out = *found;
        return true;
    }
    error = std::string("no script ") + name + " in the script folders (" + path.describe() + ")";
    return false;
}

int safe_loadfile(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    const char *mode = luaL_optstring(L, 2, "t");
    if (std::strcmp(mode, "t") != 0) return luaL_error(L, "loadfile: only text chunks are allowed (mode \"t\")");
    bool has_env = !lua_isnone(L, 3);
    fs::path file;
    char error[1024];
    {
        std::string why;
        if (!resolve_script(L, name, file, why)) {
            std::snprintf(error, sizeof error, "loadfile: %s", why.c_str());
            lua_pushnil(L);
            lua_pushstring(L, error);
            return 2;
        }
        if (load_file_chunk(L, file, why) != LUA_OK) {
            std::snprintf(error, sizeof error, "%s", why.c_str());
            lua_pushnil(L);
            lua_pushstring(L, error);
            return 2;
        }
    }
    if (has_env) {
        lua_pushvalue(L, 3);
        if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
    }
    return 1;
}

int safe_dofile(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    char error[1024];
    bool failed = false, broken_file = false;
    {
        fs::path file;
        std::string why;
        if (!resolve_script(L, name, file, why)) {
            std::snprintf(error, sizeof error, "dofile: %s", why.c_str());
            failed = true;
        } else if (load_file_chunk(L, file, why) != LUA_OK) {
            std::snprintf(error, sizeof error, "%s", why.c_str());
            failed = broken_file = true;
        }
    }
    // A broken file is named by its own position, not the caller's.
    if (broken_file) {
        lua_pushstring(L, error);
        return lua_error(L);
    }
    if (failed) return luaL_error(L, "%s", error);
    lua_call(L, 0, LUA_MULTRET);
    return lua_gettop(L) - 1;
}

// load() with text chunks only; the original load is upvalue 1.
int safe_load(lua_State *L) {
    int n = lua_gettop(L);
    if (n >= 3 && !lua_isnil(L, 3)) {
        const char *mode = lua_tostring(L, 3);
        if (!mode || std::strcmp(mode, "t") != 0)
            return luaL_error(L, "load: only text chunks are allowed (mode \"t\"); binary chunks are refused");
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    if (n >= 2) lua_pushvalue(L, 2);
    else lua_pushnil(L);
    lua_pushliteral(L, "t");
    if (n >= 4) lua_pushvalue(L, 4);
    lua_call(L, n >= 4 ? 4 : 3, 2);
    return 2;
}

int safe_require(lua_State *L) {
    const char *name = luaL_checkstring(L, 1);
    lua_getfield(L, LUA_REGISTRYINDEX, kLoadedKey);
    lua_getfield(L, -1, name);
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    char relative[512];
    std::snprintf(relative, sizeof relative, "%s", name);
    for (char *c = relative; *c; ++c)
        if (*c == '.') *c = '/';
    std::size_t len = std::strlen(relative);
    if (len + 5 < sizeof relative) std::strcat(relative, ".lua");
    char error[1024];
    bool failed = false, broken_file = false;
    {
        auto found = engine_of(L).script_path().find(relative);
        std::string why;
        if (!found) {
            std::snprintf(error, sizeof error, "require: module '%s' not found: no %s in the script folders (%s)",
                          name, relative, engine_of(L).script_path().describe().c_str());
            failed = true;
        } else if (load_file_chunk(L, *found, why) != LUA_OK) {
            std::snprintf(error, sizeof error, "%s", why.c_str());
            failed = broken_file = true;
        }
    }
    if (broken_file) {
        lua_pushstring(L, error);
        return lua_error(L);
    }
    if (failed) return luaL_error(L, "%s", error);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
    return 1;
}

// print goes to stderr so stdout stays clean for --json.
int safe_print(lua_State *L) {
    int n = lua_gettop(L);
    std::string line;
    for (int i = 1; i <= n; ++i) {
        std::size_t len = 0;
        const char *s = luaL_tolstring(L, i, &len);
        if (i > 1) line += '\t';
        line.append(s, len);
        lua_pop(L, 1);
    }
    std::fprintf(stderr, "lua: %s\n", line.c_str());
    return 0;
}

// collectgarbage without "stop"/"incremental" knobs: scripts may look, not tune.
int safe_collectgarbage(lua_State *L) {
    const char *opt = luaL_optstring(L, 1, "collect");
    if (std::strcmp(opt, "count") == 0) {
        lua_pushnumber(L, lua_gc(L, LUA_GCCOUNT, 0) + lua_gc(L, LUA_GCCOUNTB, 0) / 1024.0);
        return 1;
    }
    if (std::strcmp(opt, "collect") == 0 || std::strcmp(opt, "step") == 0) {
        lua_gc(L, LUA_GCCOLLECT, 0);
        lua_pushinteger(L, 0);
        return 1;
    }
    return luaL_error(L, "collectgarbage(\"%s\") is not available to gpuhost scripts", opt);
}

void step_hook(lua_State *L, lua_Debug *ar);

}  // namespace

// ---- allocator with a limit -------------------------------------------------

struct Engine::Allocator {
    std::size_t limit = 0;
    std::size_t used = 0;
    std::uint64_t steps = 0;       // instructions counted this call
    std::uint64_t step_limit = 0;
    static void *alloc(void *ud, void *ptr, std::size_t osize, std::size_t nsize) {
        auto *a = static_cast<Allocator *>(ud);
        std::size_t old = ptr ? osize : 0;
        if (nsize == 0) {
            std::free(ptr);
            a->used -= old;
            return nullptr;
        }
        if (nsize > old && a->used - old + nsize > a->limit) return nullptr;  // Lua raises "not enough memory"
        void *p = std::realloc(ptr, nsize);
        if (p) a->used = a->used - old + nsize;
        return p;
    }
};

namespace {
void step_hook(lua_State *L, lua_Debug *ar) {
    void *ud = nullptr;
    lua_getallocf(L, &ud);
    auto *a = static_cast<Engine::Allocator *>(ud);
    a->steps += kHookEvery;
    if (a->steps > a->step_limit) {
        // From now on every instruction fails, so a pcall that swallows this
        // error cannot keep the loop going: unwinding reaches the host.
        lua_sethook(L, &step_hook, LUA_MASKCOUNT, 1);
        lua_getinfo(L, "Sl", ar);
        luaL_error(L, "%s:%d: step limit exceeded: the script ran more than %d million instructions (an endless loop?)",
                   ar->short_src, ar->currentline, int(a->step_limit / 1'000'000));
    }
}

// string.find/match/gmatch/gsub run Lua's backtracking matcher inside one C
// call, where the step hook never fires: ("a"):rep(1e5):find(".-.-.-b") would
// run for hours. Each call is charged, before it runs, the most steps its
// matcher could take, and a call that could pass the step limit is refused
// (logs are searched with gpuhost.regex_find/regex_scan).
//
// The matcher multiplies only where repetitions compete for the same text: in
// ".-.-.-b" each .- can give back what the next takes, but in "%s*([%w.]+)"
// the space run and the word cannot trade a character, so backing off the
// first costs one failed step each. So the charge is n^(k+1) for a subject of
// n bytes (n^k when anchored with ^), where k is the longest chain of
// repetitions whose character sets overlap, a chain broken by a fixed item or
// a "+" repetition none of its sets can match; each "?" doubles it.
using ByteSet = std::bitset<256>;

ByteSet class_set(char letter) {
    ByteSet set;
    char lower = char(std::tolower(static_cast<unsigned char>(letter)));
    for (int c = 0; c < 256; ++c) {
        bool in = false;
        switch (lower) {
        case 'a': in = std::isalpha(c); break;
        case 'c': in = std::iscntrl(c); break;
        case 'd': in = std::isdigit(c); break;
        case 'g': in = std::isgraph(c); break;
        case 'l': in = std::islower(c); break;
        case 'p': in = std::ispunct(c); break;
        case 's': in = std::isspace(c); break;
        case 'u': in = std::isupper(c); break;
        case 'w': in = std::isalnum(c); break;
        case 'x': in = std::isxdigit(c); break;
        default: in = c == static_cast<unsigned char>(letter); return ByteSet().set(static_cast<unsigned char>(letter));
        }
        set[c] = in;
    }
    return std::isupper(static_cast<unsigned char>(letter)) ? ~set : set;
}

// The bytes one pattern item at pattern[i] matches; i moves past the item.
ByteSet item_set(std::string_view pattern, std::size_t &i) {
    char c = pattern[i];
    if (c == '.') return ++i, ByteSet().set();
    if (c == '%' && i + 1 < pattern.size()) {
        i += 2;
        return class_set(pattern[i - 1]);
    }
    if (c != '[') return ++i, ByteSet().set(static_cast<unsigned char>(c));
    ByteSet set;
    bool negated = i + 1 < pattern.size() && pattern[i + 1] == '^';
    std::size_t j = i + (negated ? 2 : 1);
    bool first = true;
    while (j < pattern.size() && (pattern[j] != ']' || first)) {
        first = false;
        if (pattern[j] == '%' && j + 1 < pattern.size()) {
            set |= class_set(pattern[j + 1]);
            j += 2;
        } else if (j + 2 < pattern.size() && pattern[j + 1] == '-' && pattern[j + 2] != ']') {
            for (int b = static_cast<unsigned char>(pattern[j]); b <= static_cast<unsigned char>(pattern[j + 2]); ++b)
                set.set(b);
            j += 3;
        } else {
            set.set(static_cast<unsigned char>(pattern[j++]));
        }
    }
    i = j + 1;
    return negated ? ~set : set;
}

std::uint64_t pattern_cost(std::string_view subject, std::string_view pattern, bool plain) {
    auto n = std::uint64_t(std::max<std::size_t>(subject.size(), 1));
    if (plain) return n;
    bool anchored = !pattern.empty() && pattern[0] == '^';
    int chain = 0, longest = 0, optionals = 0;
    ByteSet chained;
    for (std::size_t i = anchored ? 1 : 0; i < pattern.size();) {
        char c = pattern[i];
        if (c == '(' || c == ')' || (c == '$' && i + 1 == pattern.size())) {
            ++i;
            continue;
        }
        if (c == '%' && i + 1 < pattern.size() && pattern[i + 1] == 'f') {  // frontier: zero width, then a set
            i += 2;
            if (i < pattern.size()) item_set(pattern, i);
            continue;
        }
        if (c == '%' && i + 1 < pattern.size() && pattern[i + 1] == 'b') {  // %bxy: a balanced run, any text
            i += std::min<std::size_t>(4, pattern.size() - i);
            chain += 1;
            chained.set();
            longest = std::max(longest, chain);
            continue;
        }
        ByteSet set = item_set(pattern, i);
        char q = i < pattern.size() ? pattern[i] : '\0';
        bool overlaps = (set & chained).any();
        if (q == '*' || q == '-' || q == '+') {
            ++i;
            if (overlaps) {
                ++chain;  // can trade characters with the chain so far
                chained |= set;
            } else if (q == '+') {
                chain = 1;  // needs a byte the chain cannot give: the chain ends here
                chained = set;
            } else {
                chained |= set;  // may match nothing: the chain goes on through it
                chain = std::max(chain, 1);
            }
            longest = std::max(longest, chain);
        } else {
            if (q == '?') {
                ++i;
                ++optionals;
                continue;
            }
            if (!overlaps) {  // a fixed byte the chain cannot give pins where it ends
                chain = 0;
                chained.reset();
            }
        }
    }
    std::uint64_t cost = anchored ? 1 : n;
    auto times = [&cost](std::uint64_t f) {
        if (cost > UINT64_MAX / f) cost = UINT64_MAX;
        else cost *= f;
    };
    for (int k = 0; k < longest; ++k) times(n);
    for (int k = 0; k < optionals && k < 64; ++k) times(2);
    return std::max(cost, n);
}

int guarded_pattern_call(lua_State *L) {
    std::size_t slen = 0, plen = 0;
    const char *subject = luaL_checklstring(L, 1, &slen);
    const char *pattern = luaL_checklstring(L, 2, &plen);
    // find(s, p, init, plain): the fourth argument turns the pattern off.
    bool plain = lua_toboolean(L, lua_upvalueindex(2)) && lua_toboolean(L, 4);
    std::uint64_t cost = pattern_cost({subject, slen}, {pattern, plen}, plain);
    void *ud = nullptr;
    lua_getallocf(L, &ud);
    auto *a = static_cast<Engine::Allocator *>(ud);
    if (cost > a->step_limit || a->steps + cost > a->step_limit) {
        lua_Debug ar{};
        int line = lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) ? ar.currentline : 0;
        char shown[64];  // no C++ object may be alive when luaL_error jumps
        std::snprintf(shown, sizeof shown, "%.60s", pattern);
        return luaL_error(L, "%s:%d: step limit exceeded: string.%s with pattern \"%s\" on %d bytes could take more "
                             "than the %d million steps left (Lua patterns backtrack; search logs with "
                             "gpuhost.regex_find or gpuhost.regex_scan)",
                          line ? ar.short_src : "?", line, lua_tostring(L, lua_upvalueindex(3)), shown, int(slen),
                          int((a->step_limit - std::min(a->steps, a->step_limit)) / 1'000'000));
    }
    a->steps += cost;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}
}  // namespace

// ---- ScriptError ------------------------------------------------------------

static std::string located(const std::string &file, int line, const std::string &message) {
    if (file.empty()) return "lua: " + message;
    return file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message;
}

ScriptError::ScriptError(std::string f, int l, std::string m, std::string t)
    : FileError(located(f, l, m)), file(std::move(f)), line(l), message(std::move(m)), traceback(std::move(t)) {}

// ---- Engine -----------------------------------------------------------------

Engine::Engine(ScriptPath path, Limits limits) : path_(std::move(path)), limits_(limits) {
    allocator_ = std::make_unique<Allocator>();
    allocator_->limit = limits_.memory_bytes;
    allocator_->step_limit = limits_.steps;
    L_ = lua_newstate(&Allocator::alloc, allocator_.get());
    if (!L_) throw std::runtime_error("cannot create a Lua state (out of memory)");
    lua_pushlightuserdata(L_, this);
    lua_setfield(L_, LUA_REGISTRYINDEX, kEngineKey);
    lua_newtable(L_);
    lua_setfield(L_, LUA_REGISTRYINDEX, kLoadedKey);
    lua_newtable(L_);
    lua_setfield(L_, LUA_REGISTRYINDEX, kChunksKey);
    open_sandbox();
    open_module();
    lua_sethook(L_, &step_hook, LUA_MASKCOUNT, kHookEvery);
}

Engine::~Engine() {
    if (L_) lua_close(L_);
}

std::size_t Engine::memory_in_use() const { return allocator_->used; }
std::uint64_t Engine::steps_used() const { return allocator_->steps; }

void Engine::open_sandbox() {
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},         {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string},  {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},   {LUA_COLIBNAME, luaopen_coroutine},
                                    {LUA_OSLIBNAME, luaopen_os}};
    for (const auto &lib : libs) {
        luaL_requiref(L_, lib.name, lib.func, 1);
        lua_pop(L_, 1);
    }
    // Base: file access and code loading only through the guarded versions.
    lua_getglobal(L_, "load");
    lua_pushcclosure(L_, &safe_load, 1);
    lua_setglobal(L_, "load");
    lua_register(L_, "loadfile", &safe_loadfile);
    lua_register(L_, "dofile", &safe_dofile);
    lua_register(L_, "require", &safe_require);
    lua_register(L_, "print", &safe_print);
    lua_register(L_, "collectgarbage", &safe_collectgarbage);
    // string.dump would hand out bytecode, and bytecode can break the VM.
    lua_getglobal(L_, "string");
    lua_pushnil(L_);
    lua_setfield(L_, -2, "dump");
    // Pattern matching is charged against the step limit (guarded_pattern_call).
    for (const char *name : {"find", "match", "gmatch", "gsub"}) {
        lua_getfield(L_, -1, name);
        lua_pushboolean(L_, std::strcmp(name, "find") == 0);
        lua_pushstring(L_, name);
        lua_pushcclosure(L_, &guarded_pattern_call, 3);
        lua_setfield(L_, -2, name);
    }
    lua_pop(L_, 1);
    // os: clocks and dates only; no execute, remove, rename, exit, getenv, tmpname, setlocale.
    lua_getglobal(L_, "os");
    lua_createtable(L_, 0, 4);
    for (const char *keep : {"time", "clock", "date", "difftime"}) {
        lua_getfield(L_, -2, keep);
        lua_setfield(L_, -2, keep);
    }
    lua_setglobal(L_, "os");
    lua_pop(L_, 1);
}

int Engine::trampoline(lua_State *L) {
    char error[2048];
    {
        auto *entry = static_cast<std::pair<ModuleFunction, Kind> *>(lua_touserdata(L, lua_upvalueindex(1)));
        auto *engine = static_cast<Engine *>(lua_touserdata(L, lua_upvalueindex(2)));
        std::string name = lua_tostring(L, lua_upvalueindex(3));
        Call call(L, *engine, name);
        json::array args;
        int top = lua_gettop(L);
        try {
            if (entry->second == Kind::action)
                for (int i = 1; i <= top; ++i) args.push_back(to_json(L, i));
            entry->first(call);
            if (entry->second == Kind::action) engine->record_action(name, std::move(args), "ok");
            return call.pushed();
        } catch (const std::exception &e) {
            lua_settop(L, top);
            if (entry->second == Kind::action) engine->record_action(name, std::move(args), e.what());
            std::snprintf(error, sizeof error, "gpuhost.%s: %s", name.c_str(), e.what());
        }
    }
    return luaL_error(L, "%s", error);  // after every C++ object above is gone
}

void Engine::add_function(const std::string &name, ModuleFunction fn, Kind kind) {
    functions_.push_back(std::make_unique<std::pair<ModuleFunction, Kind>>(std::move(fn), kind));
    lua_getfield(L_, LUA_REGISTRYINDEX, kLoadedKey);
    lua_getfield(L_, -1, "gpuhost");
    lua_pushlightuserdata(L_, functions_.back().get());
    lua_pushlightuserdata(L_, this);
    lua_pushstring(L_, name.c_str());
    lua_pushcclosure(L_, &Engine::trampoline, 3);
    lua_setfield(L_, -2, name.c_str());
    lua_pop(L_, 2);
}

void Engine::set_context(const std::string &key, json::value value) { context_[key] = std::move(value); }

void Engine::record_action(const std::string &name, json::array args, const std::string &outcome) {
    log::info("lua action gpuhost." + name + json::serialize(args) + ": " + outcome);
    actions_.push_back({name, std::move(args), outcome});
}

int Engine::call_protected(int nargs, const std::string &what) {
    allocator_->steps = 0;
    lua_sethook(L_, &step_hook, LUA_MASKCOUNT, kHookEvery);
    int base = lua_gettop(L_) - nargs;  // the function's slot
    lua_pushcfunction(L_, &message_handler);
    lua_insert(L_, base);
    lua_pushnil(L_);
    lua_setfield(L_, LUA_REGISTRYINDEX, kErrorKey);
    int status = lua_pcall(L_, nargs, 1, base);
    lua_remove(L_, base);
    if (status == LUA_OK) return status;
    std::string raw = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "error";
    lua_pop(L_, 1);
    std::string file = current_chunk_, message = raw, traceback;
    int line = 0;
    if (status == LUA_ERRMEM) {
        message = "memory limit exceeded: the script used more than " +
                  std::to_string(limits_.memory_bytes >> 20) + " MiB";
        lua_gc(L_, LUA_GCCOLLECT, 0);
    } else {
        lua_getfield(L_, LUA_REGISTRYINDEX, kErrorKey);
        if (lua_istable(L_, -1)) {
            lua_getfield(L_, -1, "file");
            if (lua_isstring(L_, -1) && *lua_tostring(L_, -1)) file = lua_tostring(L_, -1);
            lua_getfield(L_, -2, "line");
            line = int(lua_tointeger(L_, -1));
            lua_getfield(L_, -3, "message");
            message = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : raw;
            lua_getfield(L_, -4, "traceback");
            traceback = lua_tostring(L_, -1) ? lua_tostring(L_, -1) : "";
            lua_pop(L_, 4);
        }
        lua_pop(L_, 1);
    }
    if (message.find("stack overflow") != std::string::npos)
        message += " (recursion too deep)";
    if (!what.empty()) message = what + ": " + message;
    if (!traceback.empty()) log::debug("lua traceback for " + file + ":" + std::to_string(line) + ":\n" + traceback);
    throw ScriptError(file, line, message, traceback);
}

Ref Engine::pop_ref() {
    int ref = luaL_ref(L_, LUA_REGISTRYINDEX);
    return Ref(this, ref);
}

Ref Engine::run_file(const fs::path &file) {
    std::string error;
    if (load_file_chunk(L_, file, error) != LUA_OK) {
        static const std::regex located_re(R"(^([\s\S]*?):(\d+): ([\s\S]*)$)");
        std::smatch m;
        if (std::regex_match(error, m, located_re)) throw ScriptError(m[1].str(), std::stoi(m[2].str()), m[3].str());
        throw ScriptError(file.string(), 0, error.substr(std::min(error.size(), file.string().size() + 2)));
    }
    current_chunk_ = file.string();
    call_protected(0, "");
    return pop_ref();
}

Ref Engine::run_script(const std::string &relative) {
    auto found = path_.find(relative);
    if (!found) throw ScriptError(relative, 0, "not found in the script folders (" + path_.describe() + ")");
    return run_file(*found);
}

Ref Engine::run_string(const std::string &code, const std::string &chunkname) {
    if (luaL_loadbufferx(L_, code.data(), code.size(), ("=" + chunkname).c_str(), "t") != LUA_OK) {
        std::string msg = lua_tostring(L_, -1);
        lua_pop(L_, 1);
        throw ScriptError(chunkname, 0, msg);
    }
    current_chunk_ = chunkname;
    call_protected(0, "");
    return pop_ref();
}

Ref Engine::require(const std::string &module) {
    lua_pushcfunction(L_, &safe_require);
    lua_pushstring(L_, module.c_str());
    call_protected(1, "require " + module);
    return pop_ref();
}

Ref Engine::value(const json::value &data) {
    push_json(L_, data);
    return pop_ref();
}

Ref Engine::global(const std::string &name) {
    lua_getglobal(L_, name.c_str());
    return pop_ref();
}

// ---- Ref --------------------------------------------------------------------

int Ref::line_defined() const {
    if (!is_function()) return 0;
    lua_State *L = engine_->L_;
    lua_rawgeti(L, LUA_REGISTRYINDEX, *ref_);
    lua_Debug ar;
    lua_getinfo(L, ">S", &ar);
    return ar.linedefined > 0 ? ar.linedefined : 0;
}

Ref::Ref(Engine *engine, int ref) : engine_(engine) {
    lua_State *L = engine->L_;
    std::weak_ptr<bool> alive = engine->alive_;
    ref_ = std::shared_ptr<int>(new int(ref), [L, alive](int *r) {
        if (!alive.expired()) luaL_unref(L, LUA_REGISTRYINDEX, *r);  // a closed state needs no unref
        delete r;
    });
}

static void push_ref(lua_State *L, const std::shared_ptr<int> &ref) {
    if (ref) lua_rawgeti(L, LUA_REGISTRYINDEX, *ref);
    else lua_pushnil(L);
}

int Ref::lua_type_code() const {
    if (!engine_) return LUA_TNIL;
    push_ref(engine_->L_, ref_);
    int type = lua_type(engine_->L_, -1);
    lua_pop(engine_->L_, 1);
    return type;
}

bool Ref::is_nil() const { return lua_type_code() == LUA_TNIL; }
bool Ref::is_table() const { return lua_type_code() == LUA_TTABLE; }
bool Ref::is_function() const { return lua_type_code() == LUA_TFUNCTION; }
std::string Ref::type_name() const { return lua_typename(nullptr, lua_type_code()); }  // L is unused by lua_typename

Ref Ref::field(const std::string &key) const {
    if (!engine_) return {};
    lua_State *L = engine_->L_;
    push_ref(L, ref_);
    if (lua_istable(L, -1)) lua_getfield(L, -1, key.c_str());  // may run __index: profiles are plain tables
    else lua_pushnil(L);
    lua_remove(L, -2);
    return engine_->pop_ref();
}

json::value Ref::to_json() const {
    if (!engine_) return nullptr;
    lua_State *L = engine_->L_;
    push_ref(L, ref_);
    try {
        auto v = gpuhost::lua::to_json(L, -1);
        lua_pop(L, 1);
        return v;
    } catch (...) {
        lua_pop(L, 1);
        throw;
    }
}

Ref Ref::call(const std::vector<json::value> &args, const std::string &what) const {
    if (!engine_) throw std::runtime_error("call of an empty Lua value");
    lua_State *L = engine_->L_;
    push_ref(L, ref_);
    for (const auto &a : args) push_json(L, a);
    engine_->call_protected(int(args.size()), what);
    return engine_->pop_ref();
}

Ref Ref::call_refs(const std::vector<Ref> &args, const std::string &what) const {
    if (!engine_) throw std::runtime_error("call of an empty Lua value");
    lua_State *L = engine_->L_;
    push_ref(L, ref_);
    for (const auto &a : args) push_ref(L, a.ref_);
    engine_->call_protected(int(args.size()), what);
    return engine_->pop_ref();
}

// ---- Call -------------------------------------------------------------------

int Call::count() const { return lua_gettop(L_); }
bool Call::is_nil(int i) const { return lua_isnoneornil(L_, i); }

std::string Call::string(int i) const {
    if (lua_type(L_, i) != LUA_TSTRING && lua_type(L_, i) != LUA_TNUMBER)
        throw ArgumentError("argument " + std::to_string(i) + " must be a string, got " + luaL_typename(L_, i));
    std::size_t n = 0;
    const char *s = lua_tolstring(L_, i, &n);
    return std::string(s, n);
}

std::optional<std::string> Call::optional_string(int i) const {
    if (lua_isnoneornil(L_, i)) return std::nullopt;
    return string(i);
}

double Call::number(int i) const {
    if (!lua_isnumber(L_, i))
        throw ArgumentError("argument " + std::to_string(i) + " must be a number, got " + luaL_typename(L_, i));
    return lua_tonumber(L_, i);
}

std::vector<std::string> Call::strings(int i) const {
    if (!lua_istable(L_, i))
        throw ArgumentError("argument " + std::to_string(i) + " must be a list of strings (an argument list, not a shell "
                            "string), got " + luaL_typename(L_, i));
    auto value = to_json(L_, i);
    std::vector<std::string> out;
    if (value.is_object() && value.as_object().empty()) return out;
    if (!value.is_array()) throw ArgumentError("argument " + std::to_string(i) + " must be a list, not a map");
    for (const auto &v : value.as_array()) {
        if (!v.is_string()) throw ArgumentError("argument " + std::to_string(i) + " must hold only strings");
        out.emplace_back(v.as_string());
    }
    return out;
}

json::value Call::json(int i) const { return to_json(L_, i); }

void Call::push(const json::value &value) {
    push_json(L_, value);
    ++pushed_;
}
void Call::push(const std::string &text) {
    lua_pushlstring(L_, text.data(), text.size());
    ++pushed_;
}
void Call::push(bool value) {
    lua_pushboolean(L_, value);
    ++pushed_;
}
void Call::push_nil() {
    lua_pushnil(L_);
    ++pushed_;
}

}  // namespace gpuhost::lua
