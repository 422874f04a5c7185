// Which Intel GPU a PCI device id is, from the kernel's own lists.
#pragma once
#include <cstdint>
#include <string>

namespace gpuhost::intel {

struct IntelFamily {
    std::string family;        // "Arc A-series (DG2, Alchemist)", ...
    std::string architecture;  // "xe-hpg", "xe2-hpg", "xe-hpc", "xe-lpg", "xe2-lpg", "xe-lp", "gen9-gen12"
    bool discrete = false;
    bool xpu_capable = false;  // PyTorch XPU builds run on it
};

IntelFamily classify_intel_device(std::uint32_t device_id);

}  // namespace gpuhost::intel
