// The `gpuhost` module's built-in functions: what a script may learn about the
// machine and the plan, and logging. Actions that change the machine (install,
// verify, kernel) are added by the commands that own them via add_function().
#include "../core/log.hpp"
#include "engine.hpp"
#include "regex.hpp"
#include "words.hpp"

#include <lua.hpp>
#include <sys/utsname.h>

namespace json = boost::json;

namespace gpuhost::lua {

static log::Level level_named(const std::string &name) {
    if (name == "debug") return log::Level::debug;
    if (name == "info") return log::Level::info;
    if (name == "warn" || name == "warning") return log::Level::warn;
    if (name == "error") return log::Level::error;
    throw Call::ArgumentError("unknown log level \"" + name + "\" (debug, info, warn, error)");
}

void Engine::open_module() {
    lua_newtable(L_);
    lua_pushliteral(L_, "1");
    lua_setfield(L_, -2, "api_version");
    open_regex(L_, -1);  // regex_check, regex_find, regex_scan (RE2)
    open_words(L_, -1);  // words: a log's distinct words, for the matcher's last resort
    lua_pushvalue(L_, -1);
    lua_setglobal(L_, "gpuhost");
    lua_getfield(L_, LUA_REGISTRYINDEX, "gpuhost.loaded");
    lua_insert(L_, -2);
    lua_setfield(L_, -2, "gpuhost");  // require("gpuhost") returns the same table
    lua_pop(L_, 1);

    // gpuhost.log(level, message) / gpuhost.info(message) / gpuhost.warn(message)
    add_function("log", [](Call &c) { log::write(level_named(c.string(1)), "lua: " + c.string(2)); });
    add_function("info", [](Call &c) { log::info("lua: " + c.string(1)); });
    add_function("warn", [](Call &c) { log::warn("lua: " + c.string(1)); });

    // gpuhost.inventory() / device() / plan(): copies of what C++ set, or nil.
    for (const char *key : {"inventory", "device", "plan", "selection", "profile"}) {
        std::string k = key;
        add_function(k, [k](Call &c) {
            const auto &ctx = c.engine().context();
            auto it = ctx.find(k);
            if (it == ctx.end()) c.push_nil();
            else c.push(it->value());
        });
    }
    add_function("platform", [](Call &c) {
        utsname u{};
        uname(&u);
        c.push(json::value(json::object{{"os", "linux"}, {"arch", u.machine}, {"kernel", u.release}}));
    });
    add_function("script_path", [](Call &c) {
        json::array a;
        for (const auto &r : c.engine().script_path().roots()) a.emplace_back(r.string());
        c.push(json::value(std::move(a)));
    });
    // Every action so far: {name=, args={...}, outcome=}.
    add_function("actions", [](Call &c) {
        json::array a;
        for (const auto &act : c.engine().actions())
            a.push_back(json::object{{"name", act.name}, {"args", act.args}, {"outcome", act.outcome}});
        c.push(json::value(std::move(a)));
    });
}

}  // namespace gpuhost::lua
