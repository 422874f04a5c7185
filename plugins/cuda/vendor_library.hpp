// Opens NVML or libcuda at run time; never linked, so the plugin loads on
// machines without the driver.
#pragma once
#include "gpuhost/sysroot.hpp"
#include "gpuhost/vendor_library.hpp"

#include <string>
#include <vector>

namespace gpuhost::cuda {

using VendorLibrary = sdk::VendorLibrary;

// sdk::open_vendor_library with names also tried under /usr/lib/wsl/lib (WSL2).
VendorLibrary open_vendor_library(const sdk::Sysroot &root, const char *override_env,
                                  const std::vector<std::string> &names);

// The version in the file name the dynamic linker resolved
// ("libnvidia-ml.so.580.178" -> "580.178"), or "".
std::string library_file_version(const VendorLibrary &lib);

}  // namespace gpuhost::cuda
