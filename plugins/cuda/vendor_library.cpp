#include "vendor_library.hpp"

#include <dlfcn.h>
#include <filesystem>
#include <link.h>
#include <regex>

namespace gpuhost::cuda {

VendorLibrary open_vendor_library(const sdk::Sysroot &root, const char *override_env,
                                  const std::vector<std::string> &names) {
    return sdk::open_vendor_library(override_env, names, root.is_live(), {"/usr/lib/wsl/lib/"});
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
