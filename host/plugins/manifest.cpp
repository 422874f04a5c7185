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

}  // namespace

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
    return m;
}

}  // namespace gpuhost
