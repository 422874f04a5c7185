// What the wheel-variant providers would report for a device, computed from
// gpuhost's records instead of by running them. Each function mirrors one
// provider's get_supported_configs() at a pinned commit:
//   nvidia  wheelnext/nvidia-variant-provider @ ffea5d3bf372d7a3b4504b4ee295282417af767c
//           (nvidia_variant_provider/plugin.py): cuda_version_lower_bound,
//           cuda_version_upper_bound (driver's CUDA version, 11.0..15.20), sm_arch.
//   amd     wheelnext/amd-variant-provider @ 4d985a994601a4dea6303338728fb019053577ad
//           (amd_variant_provider/plugin.py, detect_rocm.py): gfx_arch, rocm_version (major.minor).
//   intel   wheelnext/intel-variant-provider @ 281ecc07ae77be0a96e51f5f014002382da338a1
//           (intel_variant_provider/devices.py, plugin.py): device_ip (GT GMDID and its base).
//   x86_64  wheelnext/provider-variant-x86-64 @ 033f2c585aaa47a6864e9e52816e6cd3146983ca
//           (provider_variant_x86_64/plugin.py): level v4..v1.
// Property form `namespace :: feature :: value` as PEP 817 (Draft, 10-Dec-2025)
// and PEP 825 (Draft, 17-Feb-2026) name them.
#pragma once
#include "fleet_view.hpp"

#include <string>
#include <utility>
#include <vector>

namespace gpuhost::fleet {

// One feature and its values, most preferred first.
struct VariantFeature {
    std::string name;
    std::vector<std::string> values;
};
using VariantFeatures = std::vector<VariantFeature>;

// cuda_version = the driver's CUDA version ("12.7"); sm = compute capability ("9.0").
// Empty when the version is outside the provider's range or unparseable.
VariantFeatures nvidia_features(const std::string &cuda_version, const std::string &sm);

// gfx targets as the provider reports them: sorted, unique, and only when every
// one is in the provider's list of known targets; ROCm "6.4.1" -> "6.4".
VariantFeatures amd_features(const std::vector<std::string> &gfx_targets, const std::string &rocm_version);

// PCI device id ("0xe20b") -> the GT GMDID Level Zero reports ("20.1.0") for the
// discrete families gpuhost classifies; "" when not known.
std::string intel_device_ip(const std::string &pci_device_id);
// The IP and the base platform's IP it runs code for, as the provider lists them.
VariantFeatures intel_features(const std::vector<std::string> &device_ips);

// /proc/cpuinfo flags -> the x86-64 psABI level (0 when even v1 is missing).
int x86_64_level(const std::set<std::string> &cpu_flags);
VariantFeatures x86_64_features(int level);

}  // namespace gpuhost::fleet
