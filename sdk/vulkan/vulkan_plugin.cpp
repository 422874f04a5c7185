// The "vulkan" probe plugin: run once per detection and shared by every vendor;
// its devices merge with the vendor plugins' by PCI bus id or UUID, and its
// kernel slot runs on any device it found (llvmpipe, or a GPU whose vendor has
// no plugin, or one whose plugin has no kernels).
#include "gpuhost/probe_plugin.hpp"
#include "vulkan_kernels.hpp"
#include "vulkan_probe.hpp"

#include <algorithm>

namespace gpuhost::vulkan {

class VulkanPlugin : public sdk::ProbePlugin {
public:
    VulkanPlugin() : ProbePlugin("Vulkan") {}

    sdk::json::object detect(sdk::Host &host) override {
        ProbeOutcome outcome;
        if (host.root().is_live()) {
            outcome = probe_live();
        } else {
            // A recorded machine: never touch the live drivers. The summary
            // first; the full report (same keys, per GPU) when that is missing.
            auto run = host.run({"vulkaninfo", "--summary"});
            if (!run.ran()) run = host.run({"vulkaninfo"});
            if (!run.ran()) return sdk::detect_result("vulkan", "absent", {}, {"no recorded vulkaninfo --summary"});
            try {
                outcome = parse_vulkaninfo_summary(run.output);
            } catch (const std::exception &e) {
                return sdk::detect_result("vulkan", "absent", {},
                                          {std::string("recorded vulkaninfo unreadable: ") + e.what()});
            }
        }
        if (outcome.devices.empty()) return sdk::detect_result("vulkan", "absent", {}, outcome.notes);
        return sdk::detect_result("vulkan", "present", outcome.devices, outcome.notes);
    }

    gpuhost_status kernel(sdk::Host &, const sdk::json::object &device, gpuhost_kernel_args &args,
                          std::string &message) override {
        return run_vulkan_kernel(device, args, message);
    }
};

}  // namespace gpuhost::vulkan

GPUHOST_PLUGIN(gpuhost::vulkan::VulkanPlugin, "vulkan", "0.1.0", "other")
