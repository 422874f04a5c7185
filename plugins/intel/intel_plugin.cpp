// The intel plugin: Intel GPUs through PCI sysfs, the i915/xe driver, render
// nodes and Level Zero (dlopen'd), each with why it is or isn't usable.
#include "gpuhost/plugin.hpp"
#include "gpuhost/vendor_library.hpp"
#include "intel_gpus.hpp"

namespace gpuhost::intel {

namespace json = boost::json;

class IntelPlugin : public sdk::Plugin {
public:
    json::object detect(sdk::Host &host) override {
        auto library = sdk::open_vendor_library("GPUHOST_LEVEL_ZERO_LIBRARY", {"libze_loader.so.1"},
                                                host.root().is_live());
        std::optional<ZeProbe> ze;
        if (!library.refused) ze = probe_level_zero(library);
        IntelScan scan = scan_intel_gpus(host, ze);
        return sdk::detect_result("intel", scan.devices.empty() ? "absent" : "present", scan.devices, scan.notes);
    }

    json::object install(sdk::Host &, const json::object &device) override {
        json::array accelerators;
        bool usable = device.contains("usable") && device.at("usable").is_bool() && device.at("usable").as_bool();
        if (usable)
            accelerators.push_back(json::object{{"tag", "xpu"}, {"reason", "Level Zero drives this GPU; PyTorch XPU builds run on it"}});
        accelerators.push_back(json::object{{"tag", "cpu"}, {"reason", "CPU builds run everywhere"}});
        return {{"accelerators", std::move(accelerators)}, {"env", json::object{}}};
    }
};

}  // namespace gpuhost::intel

GPUHOST_PLUGIN(gpuhost::intel::IntelPlugin, "intel", "0.1.0", "intel")
