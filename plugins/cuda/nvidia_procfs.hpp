// Signal 3: what the kernel says, through the sysroot: the nvidia module's
// version and GPUs under /proc/driver/nvidia, NVIDIA display devices on the
// PCI bus (seen even with no driver), nouveau, WSL2 and Jetson (L4T) markers.
#pragma once
#include "gpu_facts.hpp"
#include "gpuhost/sysroot.hpp"

#include <string>
#include <vector>

namespace gpuhost::cuda {

struct PciGpu {
    std::string bus_id, device_id, driver;  // driver: "nvidia", "nouveau", "vfio-pci", "" (none bound)
};

struct JetsonFacts {
    std::string model;        // "NVIDIA Orin Nano Developer Kit"
    std::string l4t_release;  // "R35.3.1"
    std::string soc;          // "tegra234"
    int cc_major = -1, cc_minor = -1;
};

struct NvidiaProcfs {
    std::string kernel_module_version;  // "580.173.02"
    bool open_kernel_module = false;
    std::vector<GpuFacts> driver_gpus;  // /proc/driver/nvidia/gpus/*/information
    std::vector<PciGpu> pci_gpus;       // vendor 0x10de, class 0x03xxxx
    bool nouveau_loaded = false;
    bool control_node_denied = false;   // /dev/nvidiactl exists but this user cannot open it
    bool wsl = false;
    std::optional<JetsonFacts> jetson;
    bool driver_loaded() const { return !kernel_module_version.empty(); }
};

NvidiaProcfs read_nvidia_procfs(const sdk::Sysroot &root);

// Plain parsers, exposed for tests.
// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.173.02  ..." -> "580.173.02"
std::string parse_nvrm_version(const std::string &text, bool *open_module = nullptr);
// /proc/driver/nvidia/gpus/<bus>/information -> name, uuid, bus id
GpuFacts parse_gpu_information(const std::string &text);
// "# R35 (release), REVISION: 3.1, ..." -> "R35.3.1"
std::string parse_tegra_release(const std::string &text);

}  // namespace gpuhost::cuda
