#include "gpuhost/vendor_library.hpp"

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <glob.h>

namespace gpuhost::sdk {

void *VendorLibrary::symbol(const char *name) const { return handle ? ::dlsym(handle, name) : nullptr; }

VendorLibrary open_library_file(const std::string &file) {
    VendorLibrary lib;
    lib.path = file;
    ::dlerror();
    lib.handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib.handle) {
        const char *why = ::dlerror();
        lib.error = why ? why : "dlopen failed";
    }
    return lib;
}

std::vector<std::string> glob_folders(const std::string &pattern) {
    std::vector<std::string> out;
    glob_t g{};
    if (::glob(pattern.c_str(), GLOB_ONLYDIR, nullptr, &g) == 0)
        for (size_t i = 0; i < g.gl_pathc; ++i) out.push_back(g.gl_pathv[i]);
    globfree(&g);
    std::sort(out.begin(), out.end());
    return out;
}

VendorLibrary open_vendor_library(const char *override_env, const std::vector<std::string> &names, bool live,
                                  const std::vector<std::string> &fallback_dirs) {
    if (const char *forced = std::getenv(override_env); forced && *forced) {
        VendorLibrary lib = open_library_file(forced);
        lib.variable = override_env;
        if (!lib.handle) lib.error = std::string(override_env) + "=" + forced + ": " + lib.error;
        return lib;
    }
    VendorLibrary lib;
    if (!live) {
        lib.refused = true;
        lib.error = "not opened under a recorded sysroot (set " + std::string(override_env) + " to test one)";
        return lib;
    }
    std::string first_error;
    std::vector<std::string> dirs = {""};
    dirs.insert(dirs.end(), fallback_dirs.begin(), fallback_dirs.end());
    for (const auto &dir : dirs)
        for (const auto &name : names) {
            std::error_code ec;
            if (!dir.empty() && !std::filesystem::exists(dir + name, ec)) continue;
            lib = open_library_file(dir + name);
            if (lib.handle) return lib;
            if (first_error.empty()) first_error = lib.error;
        }
    lib.error = first_error;
    return lib;
}

}  // namespace gpuhost::sdk
