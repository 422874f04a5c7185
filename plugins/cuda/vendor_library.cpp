#include "vendor_library.hpp"

#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <link.h>
#include <regex>

namespace gpuhost::cuda {

void *VendorLibrary::symbol(const char *name) const { return handle ? dlsym(handle, name) : nullptr; }

static bool try_open(VendorLibrary &lib, const std::string &path) {
    dlerror();
    lib.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    lib.path = path;
    if (lib.handle) return true;
    const char *why = dlerror();
    lib.error = why ? why : "dlopen failed";
    return false;
}

VendorLibrary open_vendor_library(const sdk::Sysroot &root, const char *override_env,
                                  const std::vector<std::string> &names) {
    VendorLibrary lib;
    if (const char *forced = std::getenv(override_env); forced && *forced) {
        if (!try_open(lib, forced)) lib.error = std::string(override_env) + "=" + forced + ": " + lib.error;
        return lib;
    }
    if (!root.is_live()) {
        lib.error = "not opened under a recorded sysroot (set " + std::string(override_env) + " to test one)";
        return lib;
    }
    std::string first_error;
    for (const auto &prefix : {std::string(), std::string("/usr/lib/wsl/lib/")}) {
        for (const auto &name : names) {
            if (!prefix.empty() && !std::filesystem::exists(prefix + name)) continue;
            if (try_open(lib, prefix + name)) return lib;
            if (first_error.empty()) first_error = lib.error;
        }
    }
    lib.error = first_error;
    return lib;
}

std::string library_file_version(const VendorLibrary &lib) {
    if (!lib.handle) return {};
    link_map *map = nullptr;
    if (dlinfo(lib.handle, RTLD_DI_LINKMAP, &map) != 0 || !map || !map->l_name) return {};
    std::error_code ec;
    auto real = std::filesystem::canonical(map->l_name, ec);
    std::string file = ec ? std::string(map->l_name) : real.filename().string();
    static const std::regex re(R"(\.so\.([0-9]+\.[0-9]+(?:\.[0-9]+)?)$)");
    std::smatch m;
    return std::regex_search(file, m, re) ? m[1].str() : std::string();
}

}  // namespace gpuhost::cuda
