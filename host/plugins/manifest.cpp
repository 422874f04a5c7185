#include "manifest.hpp"

#include "../core/files.hpp"

#include <algorithm>
#include <regex>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace gpuhost {

const char *current_platform() {
#if defined(__APPLE__)
    return "macos";
#elif defined(_WIN32)
    return "windows";
#else
    return "linux";
#endif
}

namespace {

struct Reader {
    const fs::path &file;
    const json::object &o;

    [[noreturn]] void fail(const std::string &why) const { throw FileError(file.string() + ": " + why); }

    std::string text(const char *key, bool required = true) const {
        auto it = o.find(key);
        if (it == o.end()) {
            if (required) fail(std::string("missing \"") + key + "\"");
            return {};
        }
        if (!it->value().is_string()) fail(std::string("\"") + key + "\" must be a string");
        return std::string(it->value().as_string());
    }
    std::uint32_t number(const json::object &in, const char *key, const char *where) const {
        auto it = in.find(key);
        if (it == in.end() || !it->value().is_int64() || it->value().as_int64() < 0)
            fail(std::string("\"") + where + "." + key + "\" must be a non-negative integer");
        // Never truncated: 4294967297 must not read as ABI 1.
        if (it->value().as_int64() > 0xffff)
            fail(std::string("\"") + where + "." + key + "\" is " + std::to_string(it->value().as_int64()) +
                 ", beyond any ABI version (at most 65535)");
        return std::uint32_t(it->value().as_int64());
    }
};

// A file the manifest names: a relative path inside the manifest's folder.
fs::path script_path(const Reader &r, const json::value &v, const std::string &where) {
    if (!v.is_string()) r.fail("\"" + where + "\" must be a string (a Lua file beside the manifest)");
    fs::path p(std::string(v.as_string()));
    if (p.empty() || p.is_absolute() || p.extension() != ".lua") r.fail("\"" + where + "\" must name a .lua file in the manifest's folder");
    for (const auto &part : p)
        if (part == "..") r.fail("\"" + where + "\" must not climb out of the manifest's folder");
    return r.file.parent_path() / p;
}

}  // namespace

bool is_backend_name(const std::string &name) {
    static const std::regex re("[a-z][a-z0-9_]{0,15}");
    return std::regex_match(name, re);
}

Manifest read_manifest(const fs::path &file) {
    json::value root = read_json_file(file);
    if (!root.is_object()) throw FileError(file.string() + ": a manifest is a JSON object");
    Reader r{file, root.as_object()};
    Manifest m;
    m.file = file;

    auto format = r.o.find("manifest");
    if (format == r.o.end() || !format->value().is_int64())
        r.fail("missing \"manifest\": 1 (the manifest format version)");
    if (format->value().as_int64() != 1)
        r.fail("manifest format " + std::to_string(format->value().as_int64()) + " is not supported (this gpuhost reads 1)");

    m.name = r.text("name");
    static const std::regex name_re("[a-z0-9][a-z0-9_-]{0,63}");
    if (!std::regex_match(m.name, name_re)) r.fail("name \"" + m.name + "\" must match [a-z0-9][a-z0-9_-]*");
    m.vendor = r.text("vendor");
    m.kind = r.text("kind", false);
    if (m.kind.empty()) m.kind = "vendor";
    if (m.kind != "vendor" && m.kind != "probe") r.fail("kind \"" + m.kind + "\" must be \"vendor\" or \"probe\"");
    m.version = r.text("version", false);

    std::string library = r.text("library");
    if (library.empty() || library.find('/') != std::string::npos || library == "." || library == "..")
        r.fail("library \"" + library + "\" must be a file name in the manifest's folder");
    m.library = file.parent_path() / library;

    auto abi = r.o.find("abi");
    if (abi == r.o.end() || !abi->value().is_object()) r.fail("missing \"abi\": {\"min\": N, \"max\": N}");
    m.abi_min = r.number(abi->value().as_object(), "min", "abi");
    m.abi_max = r.number(abi->value().as_object(), "max", "abi");
    if (m.abi_min > m.abi_max) r.fail("abi.min is greater than abi.max");

    auto platforms = r.o.find("platforms");
    if (platforms != r.o.end()) {
        if (!platforms->value().is_array()) r.fail("\"platforms\" must be an array of strings");
        for (const auto &p : platforms->value().as_array()) {
            if (!p.is_string()) r.fail("\"platforms\" must be an array of strings");
            m.platforms.emplace_back(p.as_string());
        }
    }

    if (auto b = r.o.find("backends"); b != r.o.end()) {
        if (!b->value().is_array()) r.fail("\"backends\" must be an array of backend names");
        for (const auto &v : b->value().as_array()) {
            if (!v.is_string() || !is_backend_name(std::string(v.as_string())))
                r.fail("\"backends\": " + json::serialize(v) + " is not a backend name ([a-z][a-z0-9_]{0,15})");
            m.backends.emplace_back(v.as_string());
        }
    }
    if (auto p = r.o.find("priority"); p != r.o.end()) {
        if (!p->value().is_int64() || p->value().as_int64() < 0 || p->value().as_int64() > 1000)
            r.fail("\"priority\" must be an integer from 0 to 1000");
        m.priority = int(p->value().as_int64());
    }
    if (auto s = r.o.find("scripts"); s != r.o.end()) {
        if (!s->value().is_object()) r.fail("\"scripts\" must be an object: {\"vendor\": FILE, \"rules\": [FILE], \"doctor\": FILE}");
        for (const auto &[key, v] : s->value().as_object()) {
            if (key == "vendor") m.scripts.vendor = script_path(r, v, "scripts.vendor");
            else if (key == "doctor") m.scripts.doctor = script_path(r, v, "scripts.doctor");
            else if (key == "rules") {
                if (!v.is_array()) r.fail("\"scripts.rules\" must be an array of Lua files");
                for (const auto &f : v.as_array()) m.scripts.rules.push_back(script_path(r, f, "scripts.rules"));
            } else
                r.fail("\"scripts\": unknown key \"" + std::string(key) + "\" (vendor, rules, doctor)");
        }
        if (!m.scripts.empty() && m.backends.empty()) r.fail("\"scripts\" needs \"backends\": the backends the scripts plan for");
    }
    return m;
}

}  // namespace gpuhost
