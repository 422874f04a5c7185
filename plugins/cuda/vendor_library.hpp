// Opens NVML or libcuda at run time; never linked, so the plugin loads on
// machines without the driver.
#pragma once
#include "gpuhost/sysroot.hpp"

#include <string>
#include <vector>

namespace gpuhost::cuda {

struct VendorLibrary {
    void *handle = nullptr;
    std::string path;   // what was opened, or what was tried
    std::string error;  // why nothing was opened
    void *symbol(const char *name) const;
};

// The file named by override_env (tests: a fake driver) when set; else, on
// the live machine only, each of names and then the same names under
// /usr/lib/wsl/lib (WSL2). Under a recorded sysroot the real libraries are
// never opened, so a replay cannot mix in this machine's driver. Libraries
// stay loaded: drivers do not survive being unloaded and reloaded well.
VendorLibrary open_vendor_library(const sdk::Sysroot &root, const char *override_env,
                                  const std::vector<std::string> &names);

// The version in the file name the dynamic linker resolved
// ("libnvidia-ml.so.580.178" -> "580.178"), or "".
std::string library_file_version(const VendorLibrary &lib);

}  // namespace gpuhost::cuda
