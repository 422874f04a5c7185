// The rocm plugin: AMD GPUs through the amdgpu KFD topology, sysfs, rocminfo
// and the SMI tools, each recorded with why it is or isn't usable.
#include "amd_gpus.hpp"
#include "gpuhost/plugin.hpp"

#include <cstdlib>

namespace gpuhost::rocm {

namespace json = boost::json;

static std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

class RocmPlugin : public sdk::Plugin {
public:
    json::object detect(sdk::Host &host) override {
        const char *override_value = std::getenv("HSA_OVERRIDE_GFX_VERSION");
        AmdScan scan = scan_amd_gpus(host, override_value ? override_value : "");
        return sdk::detect_result("rocm", scan.devices.empty() ? "absent" : "present", scan.devices, scan.notes);
    }

    // rocm<major.minor> when the device can run ROCm builds (with the override it
    // needs in env), always followed by cpu.
    json::object install(sdk::Host &, const json::object &device) override {
        json::array accelerators;
        json::object env;
        std::string arch = text(device, "architecture_effective");
        if (arch.empty()) arch = text(device, "architecture");
        std::string version;
        if (auto r = device.find("runtime"); r != device.end() && r->value().is_object())
            version = text(r->value().as_object(), "version");
        std::string tag = "rocm" + version.substr(0, version.find('.', version.find('.') + 1));
        if (version.empty()) tag = "rocm";
        bool usable = device.contains("usable") && device.at("usable").is_bool() && device.at("usable").as_bool();
        const json::object *details = device.contains("details") && device.at("details").is_object()
                                          ? &device.at("details").as_object() : nullptr;
        if (usable) {
            accelerators.push_back(json::object{{"tag", tag}, {"reason", arch + " is a target ROCm builds ship"}});
        } else if (details && details->contains("suggested_env") &&
                   details->at("driver_stack_ready").is_bool() && details->at("driver_stack_ready").as_bool()) {
            env = details->at("suggested_env").as_object();
            accelerators.push_back(json::object{
                {"tag", tag}, {"reason", arch + " runs ROCm builds with HSA_OVERRIDE_GFX_VERSION=" +
                                             std::string(env.at("HSA_OVERRIDE_GFX_VERSION").as_string())}});
        }
        accelerators.push_back(json::object{{"tag", "cpu"}, {"reason", "CPU builds run everywhere"}});
        return {{"accelerators", std::move(accelerators)}, {"env", std::move(env)},
                {"facts", json::object{{"gfx_target", arch}}}};
    }
};

}  // namespace gpuhost::rocm

GPUHOST_PLUGIN(gpuhost::rocm::RocmPlugin, "rocm", "0.1.0", "amd")
