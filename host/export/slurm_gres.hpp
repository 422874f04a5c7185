// Slurm GRES: gres.conf lines for this node and its slurm.conf fragment.
// Type names follow Slurm's own autodetection (src/plugins/gpu/common/gpu_common.c,
// gpu_common_underscorify_tolower: the device name lower-cased, spaces as
// underscores), so explicit lines agree with what AutoDetect=nvml|rsmi|oneapi
// would find. Device files: /dev/nvidia<minor> for NVIDIA, the DRM render node
// /dev/dri/renderD<minor> for AMD and Intel, as those plugins use.
#pragma once
#include "fleet_view.hpp"

#include <string>
#include <vector>

namespace gpuhost::sdk {
class Sysroot;
}

namespace gpuhost::fleet {

struct SlurmExport {
    std::string gres_conf;      // the node's gres.conf
    std::string node_fragment;  // "GresTypes=gpu\nNodeName=... Gres=gpu:type:n\n" for slurm.conf
    std::string autodetect;     // "nvml", "rsmi", "oneapi" or "" when slurmd cannot detect these devices itself
    std::string autodetect_reason;
    int gpus = 0;               // devices listed
};

// "NVIDIA H100 80GB HBM3" -> "nvidia_h100_80gb_hbm3"; other characters outside
// [a-z0-9_.-] (parentheses, brackets, ',', ':') become '_' as well, since
// slurm.conf's Gres= parser would not match them.
std::string slurm_gres_type(const std::string &device_name);

// Usable accelerators with a device file become lines; the others are named in
// comments with the reason. AutoDetect is offered when slurmd's GPU plugin for the
// (single) vendor is installed under the sysroot (`machine`; null: not known).
SlurmExport slurm_export(const FleetView &view, const std::string &node_name, const sdk::Sysroot *machine);

}  // namespace gpuhost::fleet
