// Every Intel GPU as a device record: PCI display devices of vendor 0x8086 with
// their kernel driver and render node, joined with what Level Zero reports.
#pragma once
#include "gpuhost/plugin.hpp"
#include "level_zero.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gpuhost::intel {

struct IntelScan {
    std::vector<sdk::DeviceRecord> devices;
    std::vector<std::string> notes;
};

// ze: the Level Zero probe, or nullopt when it was not run (replay).
IntelScan scan_intel_gpus(const sdk::Host &host, const std::optional<ZeProbe> &ze);

}  // namespace gpuhost::intel
