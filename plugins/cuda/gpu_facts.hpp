// What one signal (NVML, libcuda, nvidia-smi, procfs) learned. The record
// builder merges several of these into one sdk::DeviceRecord per GPU.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::cuda {

struct GpuFacts {
    std::optional<int> index;          // the signal's own ordinal
    std::string name;
    bool name_truncated = false;       // nvidia-smi's table cuts long names with "..."
    std::string uuid;                  // "GPU-..."
    std::string pci_bus_id;            // normalised "0000:01:00.0"
    std::string pci_device_id;         // "0x2684"
    std::string architecture_name;     // "Hopper" (nvidia-smi -q)
    std::optional<std::uint64_t> memory_total, memory_free;  // bytes
    int cc_major = -1, cc_minor = -1;  // compute capability, -1 unknown
    std::string problem;               // this GPU alone failed (lost, denied): why
};

// Why a signal failed: the record builder turns this into "usable: false" reasons.
enum class Failure { none, not_found, no_driver, mismatch, no_permission, no_devices, other };

struct SignalReport {
    std::string signal;            // "nvml" | "cuda-driver" | "nvidia-smi"
    Failure failure = Failure::not_found;
    std::string error;             // human text when failure != none
    std::string driver_version;    // "565.57.01"
    std::string library_version;   // user-space library version when known ("580.178")
    int cuda_version = 0;          // 12070 = CUDA 12.7 (cuDriverGetVersion encoding)
    std::vector<GpuFacts> gpus;
    std::vector<std::string> notes;  // fields skipped as unreadable, for the detect notes
    bool ok() const { return failure == Failure::none; }
};

// "12.7" from 12070; "" for 0.
std::string cuda_version_text(int encoded);
// text::normalize_pci_bus_id (the SDK's): "0000:01:00.0" from "00000000:01:00.0",
// "01:00.0", "0000:01:00.0"; lower case. "" if malformed.
std::string normalise_bus_id(const std::string &bus_id);

}  // namespace gpuhost::cuda
