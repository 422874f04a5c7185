// `rocminfo` text: the HSA agents (Name gfxNNNN, Marketing Name, Uuid, Compute
// Unit, BDFID) and, when it failed, the error it printed.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::rocm {

struct RocminfoAgent {
    std::string name;            // "gfx1100" for GPUs, the CPU model for CPUs
    std::string marketing_name;  // "Radeon RX 7900 XTX"
    std::string uuid;            // "GPU-..." ("GPU-XX" means none)
    std::string device_type;     // "GPU" | "CPU" | "DSP"
    std::optional<std::uint64_t> compute_units, bdfid;
    bool apu = false;            // "Memory Properties: APU" (ROCm 6.x)
    // A paste cut before "Device Type" still names a GPU agent by its gfx target.
    bool is_gpu() const {
        return device_type == "GPU" || (device_type.empty() && name.size() > 3 && name.compare(0, 3, "gfx") == 0);
    }
};

struct Rocminfo {
    std::string runtime_version;  // HSA "Runtime Version"
    std::vector<RocminfoAgent> agents;
    std::string error;            // first error line, empty when none
};

// Never throws: text without an agent list gets an error saying so.
Rocminfo parse_rocminfo(const std::string &text);

}  // namespace gpuhost::rocm
