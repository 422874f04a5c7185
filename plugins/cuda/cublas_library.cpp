#include "cublas_library.hpp"

#include <dlfcn.h>
#include <link.h>

namespace gpuhost::cuda {

std::vector<std::string> cublas_candidates(const std::function<const char *(const char *)> &env,
                                           const std::function<std::vector<std::string>(const std::string &)> &glob,
                                           const std::string &driver_dir) {
    if (const char *forced = env("GPUHOST_CUBLAS_LIBRARY"); forced && *forced) return {forced};
    const std::vector<std::string> names = {"libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"};
    std::vector<std::string> out;
    auto in_dir = [&](const std::string &dir) {
        if (dir.empty()) return;
        for (const auto &n : names) out.push_back(dir + "/" + n);
    };
    auto site_packages = [&](const std::string &prefix_pattern) {
        for (const auto &lib : {"nvidia/cublas/lib", "nvidia/cu13/lib"})
            for (const auto &dir : glob(prefix_pattern + "/" + lib)) in_dir(dir);
    };
    for (const char *var : {"VIRTUAL_ENV", "CONDA_PREFIX"})
        if (const char *prefix = env(var); prefix && *prefix)
            site_packages(std::string(prefix) + "/lib/python3*/site-packages");
    out.insert(out.end(), names.begin(), names.end());
    in_dir(driver_dir);
    for (const char *var : {"CUDA_HOME", "CUDA_PATH"})
        if (const char *home = env(var); home && *home) {
            in_dir(std::string(home) + "/lib64");
            in_dir(std::string(home) + "/lib");
        }
    in_dir("/usr/local/cuda/lib64");
    in_dir("/usr/local/cuda/targets/x86_64-linux/lib");
    in_dir("/usr/local/cuda/targets/sbsa-linux/lib");
    site_packages("/usr/local/lib/python3*/dist-packages");
    site_packages("/usr/lib/python3/dist-packages");
    site_packages("/usr/local/lib/python3*/site-packages");
    if (const char *home = env("HOME"); home && *home) site_packages(std::string(home) + "/.local/lib/python3*/site-packages");
    return out;
}

std::string library_dir(const VendorLibrary &lib) {
    if (!lib.handle) return "";
    struct link_map *map = nullptr;
    if (dlinfo(lib.handle, RTLD_DI_LINKMAP, &map) != 0 || !map || !map->l_name) return "";
    std::string path = map->l_name;
    auto slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash);
}

}  // namespace gpuhost::cuda
