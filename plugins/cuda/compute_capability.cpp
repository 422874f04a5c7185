// Figures from NVIDIA's "CUDA GPUs - Compute Capability" table
// (https://developer.nvidia.com/cuda-gpus) and the CUDA C++ Programming Guide's
// arithmetic-instructions table (half precision from 5.3; bfloat16 from 8.0).
#include "compute_capability.hpp"

#include <map>

namespace gpuhost::cuda {

std::optional<ComputeCapability> tegra_compute_capability(const std::string &soc) {
    static const std::map<std::string, ComputeCapability> socs = {
        {"tegra210", {5, 3}},  // Jetson Nano, TX1
        {"tegra186", {6, 2}},  // Jetson TX2
        {"tegra194", {7, 2}},  // Jetson AGX Xavier, Xavier NX
        {"tegra234", {8, 7}},  // Jetson AGX Orin, Orin NX, Orin Nano
    };
    auto it = socs.find(soc);
    return it == socs.end() ? std::nullopt : std::optional(it->second);
}

std::optional<ComputeCapability> architecture_compute_capability(const std::string &arch,
                                                                 const std::string &product) {
    auto has = [&](const char *s) { return product.find(s) != std::string::npos; };
    if (arch == "Hopper") return ComputeCapability{9, 0};
    if (arch == "Ada Lovelace") return ComputeCapability{8, 9};
    if (arch == "Ampere") return has("A100") || has("A30") || has("A800") ? ComputeCapability{8, 0} : ComputeCapability{8, 6};
    if (arch == "Turing") return ComputeCapability{7, 5};
    if (arch == "Volta") return ComputeCapability{7, 0};
    if (arch == "Pascal") return has("P100") ? ComputeCapability{6, 0} : ComputeCapability{6, 1};
    if (arch == "Kepler") return std::nullopt;  // 3.0 to 3.7: too old either way, see record builder
    return std::nullopt;                        // Maxwell (5.0/5.2), Blackwell (10.0/12.0): ambiguous
}

std::vector<std::string> cuda_features(ComputeCapability cc) {
    std::vector<std::string> f;
    if (cc >= ComputeCapability{8, 0}) f.push_back("bf16");
    if (cc >= ComputeCapability{5, 3}) f.push_back("fp16");
    f.push_back("fp64");
    return f;
}

}  // namespace gpuhost::cuda
