// The "vulkan" probe plugin: run once per detection and shared by every vendor;
// its devices merge with the vendor plugins' by PCI bus id or UUID, and its
// kernel slot runs on any device it found (llvmpipe, or a GPU whose vendor has
// no plugin, or one whose plugin has no kernels).
#include "gpuhost/plugin.hpp"
#include "vulkan_kernels.hpp"
#include "vulkan_probe.hpp"

#include <algorithm>

namespace gpuhost::vulkan {

class VulkanPlugin : public sdk::Plugin {
public:
    sdk::json::object detect(sdk::Host &host) override {
        ProbeOutcome outcome;
        if (host.root().is_live()) {
            outcome = probe_live();
        } else {
            // A recorded machine: never touch the live drivers.
            auto run = host.run({"vulkaninfo", "--summary"});
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

    sdk::json::object install(sdk::Host &, const sdk::json::object &) override {
        // Vulkan alone selects no ML framework build; the vendor plugins do.
        return {{"accelerators", sdk::json::array{sdk::json::object{
                                     {"tag", "cpu"}, {"reason", "no framework build targets Vulkan"}}}},
                {"env", sdk::json::object{}}};
    }

    // A device only a probe knows runs no ML framework build: rank it below
    // the vendor plugins' devices, and a CPU seen this way below the cpu plugin.
    sdk::json::object score(sdk::Host &host, const sdk::json::object &device,
                            const sdk::json::object &workload) override {
        auto result = sdk::score_device(device, workload, install(host, device));
        auto &reasons = result["reasons"].as_array();
        auto type = device.find("type");
        bool cpu = type != device.end() && type->value() == "cpu";
        std::int64_t score = result["score"].to_number<std::int64_t>();
        if (score > 0) score = cpu ? 1 : std::max<std::int64_t>(1, score - 15);
        reasons.emplace_back(cpu ? "a CPU seen through Vulkan: the cpu device serves ML work better"
                                 : "seen only through the Vulkan probe: -15");
        result["score"] = score;
        return result;
    }

    bool has_kernel() const override { return true; }
    gpuhost_status kernel(sdk::Host &, const sdk::json::object &device, gpuhost_kernel_args &args,
                          std::string &message) override {
        return run_vulkan_kernel(device, args, message);
    }
};

}  // namespace gpuhost::vulkan

GPUHOST_PLUGIN(gpuhost::vulkan::VulkanPlugin, "vulkan", "0.1.0", "other")
