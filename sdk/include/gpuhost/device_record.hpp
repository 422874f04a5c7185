// One device as a plugin reports it (sdk/docs/SCHEMA.md, "device record").
#pragma once
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::sdk {

struct DeviceRecord {
    std::string vendor;   // nvidia | amd | intel | apple | cpu | other
    std::string backend;  // [a-z][a-z0-9_]{0,15}: cuda, rocm, xpu, mps, cpu, vulkan, opencl, or a plugin's own (npu)
    std::string name;
    std::string type;     // discrete | integrated | cpu | virtual | other
    std::string pci_vendor_id, pci_device_id, pci_bus_id;  // "0x10de", "0x2684", "0000:01:00.0"
    std::string uuid;
    std::optional<std::uint64_t> memory_total_bytes, memory_free_bytes, memory_shared_bytes;
    std::string driver_version;
    // The kernel-mode and user-mode driver versions kept apart, as the vendor's
    // tools label them (nvidia-smi "KMD Version" / "CUDA UMD Version", before the
    // 6xx drivers "Driver Version" / "CUDA Version"); empty when unknown.
    std::string kmd_version, umd_version;
    std::string runtime_name, runtime_version;  // "cuda" "12.4", "rocm" "6.1", "level_zero" "1.3", "metal" "3"
    std::string architecture;            // "8.9", "gfx1100", "xe-hpg", "apple-m2", "x86_64"
    std::string architecture_effective;  // after overrides (HSA_OVERRIDE_GFX_VERSION)
    std::vector<std::string> signals;    // where the facts came from: nvml, sysfs, nvidia-smi, vulkan ...
    std::vector<std::string> features;   // fp16, bf16, fp64, avx2, avx512f ...
    bool usable = true;
    std::string reason;                  // why not usable (required when usable is false)
    boost::json::object details;         // vendor-specific extras

    boost::json::object to_json() const;
    void mark_unusable(std::string why) {
        if (usable) reason = std::move(why);
        usable = false;
    }
};

// {"schema":1,"plugin":...,"status":"present"|"absent"|"unsupported_platform","devices":[...],"notes":[...]}
boost::json::object detect_result(const std::string &plugin, const std::string &status,
                                  const std::vector<DeviceRecord> &devices,
                                  const std::vector<std::string> &notes = {});

}  // namespace gpuhost::sdk
