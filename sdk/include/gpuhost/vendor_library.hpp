// Opening a vendor's driver library at run time (NVML, libcuda, the Level Zero,
// OpenCL and Vulkan loaders): plugins never link them, so they load on machines
// without the driver. Libraries stay loaded: drivers do not survive being
// unloaded and reloaded well.
#pragma once
#include <string>
#include <vector>

namespace gpuhost::sdk {

struct VendorLibrary {
    void *handle = nullptr;
    std::string path;      // what was opened, or the last file tried
    std::string error;     // why nothing was opened: dlerror(), with "VAR=file: " before it for an override
    bool refused = false;  // under a recorded sysroot with no override: nothing was tried
    std::string variable;  // the override variable, when the file came from it
    void *symbol(const char *name) const;
};

// dlopen(file) with dlerror() as the error.
VendorLibrary open_library_file(const std::string &file);

// The file named by the variable override_env when it is set (tests: a fake
// driver). Else, on the live machine only, each of names, then each of names
// found in fallback_dirs ("/usr/lib/wsl/lib/"). Under a recorded sysroot
// (live false) the real library is refused, so a replay never mixes in this
// machine's driver.
VendorLibrary open_vendor_library(const char *override_env, const std::vector<std::string> &names, bool live,
                                  const std::vector<std::string> &fallback_dirs = {});

// The folders matching a glob pattern ("/opt/rocm-*/lib"), sorted: where
// vendor libraries may sit (Python environments, versioned install prefixes).
std::vector<std::string> glob_folders(const std::string &pattern);

}  // namespace gpuhost::sdk
