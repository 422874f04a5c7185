// Lua values <-> JSON: the module hands inventories and plans to scripts as
// plain tables, and reads plain tables back.
#include "engine.hpp"

#include <lua.hpp>

#include <cmath>
#include <stdexcept>

namespace json = boost::json;

namespace gpuhost::lua {

void push_json(lua_State *L, const json::value &value) {
    luaL_checkstack(L, 4, "json too deep");
    switch (value.kind()) {
    case json::kind::null: lua_pushnil(L); break;
    case json::kind::bool_: lua_pushboolean(L, value.get_bool()); break;
    case json::kind::int64: lua_pushinteger(L, lua_Integer(value.get_int64())); break;
    case json::kind::uint64: lua_pushinteger(L, lua_Integer(value.get_uint64())); break;
    case json::kind::double_: lua_pushnumber(L, value.get_double()); break;
    case json::kind::string: lua_pushlstring(L, value.get_string().data(), value.get_string().size()); break;
    case json::kind::array: {
        const auto &a = value.get_array();
        lua_createtable(L, int(a.size()), 0);
        lua_Integer i = 1;
        for (const auto &v : a) {
            push_json(L, v);
            lua_rawseti(L, -2, i++);
        }
        break;
    }
    case json::kind::object: {
        const auto &o = value.get_object();
        lua_createtable(L, 0, int(o.size()));
        for (const auto &kv : o) {
            lua_pushlstring(L, kv.key().data(), kv.key().size());
            push_json(L, kv.value());
            lua_rawset(L, -3);
        }
        break;
    }
    }
}

static json::value convert(lua_State *L, int index, int depth) {
    if (depth > 64) throw std::runtime_error("value nested deeper than 64 levels (a cycle?)");
    index = lua_absindex(L, index);
    switch (lua_type(L, index)) {
    case LUA_TNIL: return nullptr;
    case LUA_TBOOLEAN: return bool(lua_toboolean(L, index));
    case LUA_TNUMBER:
        if (lua_isinteger(L, index)) return std::int64_t(lua_tointeger(L, index));
        return double(lua_tonumber(L, index));
    case LUA_TSTRING: {
        std::size_t n = 0;
        const char *s = lua_tolstring(L, index, &n);
        return json::string(s, n);
    }
    case LUA_TTABLE: break;
    default: return nullptr;  // functions, userdata: not data
    }
    luaL_checkstack(L, 4, "table too deep");
    // A sequence 1..n with nothing else is an array; anything else an object.
    lua_Integer n = lua_Integer(lua_rawlen(L, index));
    std::size_t keys = 0;
    bool only_sequence = true;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        ++keys;
        if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || lua_tointeger(L, -2) > n) only_sequence = false;
        lua_pop(L, 1);
    }
    if (only_sequence) {
        json::array a;
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, index, i);
            a.push_back(convert(L, -1, depth + 1));
            lua_pop(L, 1);
        }
        return a;
    }
    json::object o;
    lua_pushnil(L);
    while (lua_next(L, index)) {
        int vt = lua_type(L, -1);
        if (vt != LUA_TFUNCTION && vt != LUA_TUSERDATA && vt != LUA_TTHREAD && vt != LUA_TLIGHTUSERDATA) {
            std::string key;
            if (lua_type(L, -2) == LUA_TSTRING) {
                std::size_t len = 0;
                const char *k = lua_tolstring(L, -2, &len);
                key.assign(k, len);
            } else if (lua_isinteger(L, -2)) {
                key = std::to_string(lua_tointeger(L, -2));
            } else if (lua_type(L, -2) == LUA_TNUMBER) {
                key = std::to_string(lua_tonumber(L, -2));
            } else {
                lua_pop(L, 1);
                continue;
            }
            o[key] = convert(L, -1, depth + 1);
        }
        lua_pop(L, 1);
    }
    return o;
}

json::value to_json(lua_State *L, int index) { return convert(L, index, 0); }

}  // namespace gpuhost::lua
