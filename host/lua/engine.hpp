// A sandboxed Lua 5.4 state for gpuhost's policy scripts (profiles, tables,
// rules). Scripts see the safe parts of the standard library and one module,
// `gpuhost`, which is the only way they touch the machine. C++ adds functions
// to that module with add_function(); every function marked as an action is
// logged with its arguments and outcome.
#pragma once
#include "../core/files.hpp"
#include "script_path.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct lua_State;

namespace gpuhost::lua {

// A script failed: what() is "FILE:LINE: message". Derives from FileError so
// the CLI maps it to exit code kBadInput like any other broken input file.
struct ScriptError : FileError {
    ScriptError(std::string file, int line, std::string message, std::string traceback = {});
    std::string file;
    int line = 0;
    std::string message;
    std::string traceback;
};

struct Limits {
    std::size_t memory_bytes = std::size_t(256) << 20;  // the whole state, every allocation counted
    std::uint64_t steps = 400'000'000;                  // VM instructions per call from C++
};

// One thing a script asked gpuhost to do (install, set_env, log...).
struct Action {
    std::string name;
    boost::json::array args;
    std::string outcome;  // "ok" or the error text
};

class Engine;

// One call of a gpuhost.<name> function. Arguments are read here without Lua's
// longjmp errors: bad arguments throw ArgumentError, which the engine turns
// into a script error naming the caller's file and line.
class Call {
public:
    struct ArgumentError : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    Call(lua_State *L, Engine &engine, std::string function) : L_(L), engine_(engine), function_(std::move(function)) {}
    int count() const;
    bool is_nil(int index) const;
    std::string string(int index) const;
    std::optional<std::string> optional_string(int index) const;
    std::vector<std::string> strings(int index) const;  // a list of strings: {"pip", "install", "x"}
    double number(int index) const;
    boost::json::value json(int index) const;          // any plain data (tables, strings, numbers)
    void push(const boost::json::value &value);
    void push(const std::string &text);
    void push(bool value);
    void push_nil();
    int pushed() const { return pushed_; }
    Engine &engine() { return engine_; }
    lua_State *state() { return L_; }
    const std::string &function() const { return function_; }

private:
    lua_State *L_;
    Engine &engine_;
    std::string function_;
    int pushed_ = 0;
};

using ModuleFunction = std::function<void(Call &)>;

// A Lua value held by C++ (a registry reference). Use it while its Engine
// lives; one that outlives the engine is safe to destroy, not to use.
class Ref {
public:
    Ref() = default;
    Ref(Engine *engine, int ref);
    bool is_nil() const;
    bool is_table() const;
    bool is_function() const;
    std::string type_name() const;
    Ref field(const std::string &key) const;  // t[key], nil when not a table
    int line_defined() const;                 // a Lua function's first line; 0 otherwise
    boost::json::value to_json() const;      // functions are left out; empty tables become []
    // Calls the function with JSON arguments, returns its first result.
    // `what` names the call in error messages ("profile nlp: run").
    Ref call(const std::vector<boost::json::value> &args, const std::string &what = {}) const;
    // Calls with this value's own Refs as arguments.
    Ref call_refs(const std::vector<Ref> &args, const std::string &what = {}) const;

private:
    int lua_type_code() const;  // LUA_TNIL for an empty Ref
    friend class Engine;
    std::shared_ptr<int> ref_;  // released when the last copy goes
    Engine *engine_ = nullptr;
};

class Engine {
public:
    explicit Engine(ScriptPath path = ScriptPath::standard(), Limits limits = {});
    ~Engine();
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    const ScriptPath &script_path() const { return path_; }
    const Limits &limits() const { return limits_; }

    // Adds gpuhost.<name>; the hook for commands that own machine actions. E.g. `run`:
    //   engine.add_function("install", [&](lua::Call &c) { c.push(installer.pip(c.strings(1))); },
    //                       lua::Engine::Kind::action);
    // Arguments come as lists (c.strings), never shell strings. Actions are
    // recorded (actions()) and logged with their arguments and outcome.
    enum class Kind { query, action };
    void add_function(const std::string &name, ModuleFunction fn, Kind kind = Kind::query);
    // Data the module exposes: gpuhost.inventory(), gpuhost.device(), gpuhost.plan()
    // return context "inventory", "device", "plan" (nil when unset).
    void set_context(const std::string &key, boost::json::value value);
    const boost::json::object &context() const { return context_; }

    void record_action(const std::string &name, boost::json::array args, const std::string &outcome);
    const std::vector<Action> &actions() const { return actions_; }

    // Runs a file trusted by C++ (a profile the user named); returns its first result.
    Ref run_file(const std::filesystem::path &file);
    // Runs a file found on the script path ("lib/choose.lua"); ScriptError when missing.
    Ref run_script(const std::string &relative);
    // Runs text as a chunk named `chunkname` (for tests and small glue).
    Ref run_string(const std::string &code, const std::string &chunkname);
    // require() as scripts see it: "lib.choose" -> lib/choose.lua, cached.
    Ref require(const std::string &module);
    Ref global(const std::string &name);
    Ref value(const boost::json::value &data);  // a Lua copy of plain data

    // Rule lists contributed from outside the script path (a vendor folder's
    // rules files): RuleBook adds them after rules/*.lua, each under its origin.
    void add_rule_source(const std::string &origin, Ref rules) { rule_sources_.emplace_back(origin, std::move(rules)); }
    const std::vector<std::pair<std::string, Ref>> &rule_sources() const { return rule_sources_; }

    std::size_t memory_in_use() const;
    std::uint64_t steps_used() const;

    lua_State *state() { return L_; }
    struct Allocator;  // counts bytes and steps; opaque outside engine.cpp

private:
    friend class Ref;
    friend class Call;
    int call_protected(int nargs, const std::string &what);  // leaves 1 result; throws ScriptError
    Ref pop_ref();
    void open_sandbox();
    void open_module();
    static int trampoline(lua_State *L);

    ScriptPath path_;
    Limits limits_;
    std::unique_ptr<Allocator> allocator_;
    lua_State *L_ = nullptr;
    boost::json::object context_;
    std::vector<Action> actions_;
    std::vector<std::pair<std::string, Ref>> rule_sources_;
    std::vector<std::unique_ptr<std::pair<ModuleFunction, Kind>>> functions_;
    std::string current_chunk_;  // for errors that carry no position (memory)
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // Refs outliving the engine check it
};

// Lua value <-> JSON. Exposed for the module functions and tests.
void push_json(lua_State *L, const boost::json::value &value);
boost::json::value to_json(lua_State *L, int index);  // throws std::runtime_error on cycles/too deep

}  // namespace gpuhost::lua
