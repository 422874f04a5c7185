// Every AMD GPU on the machine as a device record: the KFD topology first, the
// DRM/PCI sysfs files for memory and ids, rocminfo for names, and rocm-smi /
// amd-smi when the topology is hidden (containers).
#pragma once
#include "gpuhost/plugin.hpp"

#include <string>
#include <vector>

namespace gpuhost::rocm {

struct AmdScan {
    std::vector<sdk::DeviceRecord> devices;
    std::vector<std::string> notes;
};

// override_value: HSA_OVERRIDE_GFX_VERSION as the process sees it (empty: unset).
AmdScan scan_amd_gpus(const sdk::Host &host, const std::string &override_value);

}  // namespace gpuhost::rocm
