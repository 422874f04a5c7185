// Compute capability facts: where a signal does not report it, the
// architecture or the Jetson SoC does; and what each capability can compute.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gpuhost::cuda {

using ComputeCapability = std::pair<int, int>;

// CUDA 12 builds (and PyTorch's cu12x wheels) start at Maxwell, 5.0.
inline constexpr ComputeCapability kOldestSupported{5, 0};

// "tegra234" -> 8.7 (Orin), tegra194 -> 7.2, tegra186 -> 6.2, tegra210 -> 5.3.
std::optional<ComputeCapability> tegra_compute_capability(const std::string &soc);
// nvidia-smi -q "Product Architecture" ("Hopper") plus the product name to
// tell Ampere's A100 (8.0) from the rest (8.6). nullopt when ambiguous.
std::optional<ComputeCapability> architecture_compute_capability(const std::string &architecture,
                                                                 const std::string &product);
// fp16 from 5.3, bf16 from 8.0, fp64 everywhere.
std::vector<std::string> cuda_features(ComputeCapability cc);

}  // namespace gpuhost::cuda
