// Merges what every signal learned into one device record per GPU, in order
// of trust (NVML, libcuda, nvidia-smi, procfs, PCI), and decides for each
// whether it is usable and, if not, exactly why.
#pragma once
#include "gpu_facts.hpp"
#include "gpuhost/device_record.hpp"
#include "nvidia_procfs.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gpuhost::cuda {

struct Signals {
    NvidiaProcfs procfs;
    SignalReport nvml, cuda_driver, smi;  // a signal that was not tried stays Failure::not_found
    std::optional<std::string> cuda_visible_devices;
    bool jetson_cuda_library = false;     // libcuda present in the L4T folder
};

struct Detection {
    std::string status;  // "present" | "absent"
    std::vector<sdk::DeviceRecord> devices;
    std::vector<std::string> notes;
};

Detection build_records(const Signals &signals);

}  // namespace gpuhost::cuda
