// The rocm plugin: AMD GPUs through the amdgpu KFD topology, sysfs, rocminfo
// and the SMI tools, each recorded with why it is or isn't usable.
#include "amd_gpus.hpp"
#include "gfx_targets.hpp"
#include "gpuhost/kernel_support.hpp"
#include "rocblas_sgemm.hpp"
#include "gpuhost/plugin.hpp"

#include <cstdlib>

namespace gpuhost::rocm {

namespace json = boost::json;

static std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

static bool is_usable(const json::object &device) {
    auto it = device.find("usable");
    return it != device.end() && it->value().is_bool() && it->value().as_bool();
}

// The override that makes an unshipped target run, when the driver stack is
// ready: from the detect record's details, or (for a record that lacks them,
// such as a hand-made inventory) from the target itself.
static std::string override_for(const json::object &device) {
    const json::object *details = device.contains("details") && device.at("details").is_object()
                                      ? &device.at("details").as_object() : nullptr;
    if (details) {
        auto ready = details->find("driver_stack_ready");
        if (ready != details->end() && ready->value().is_bool() && !ready->value().as_bool()) return {};
        if (auto env = details->find("suggested_env"); env != details->end() && env->value().is_object())
            return text(env->value().as_object(), "HSA_OVERRIDE_GFX_VERSION");
    }
    return suggested_override(text(device, "architecture"));
}

class RocmPlugin : public sdk::Plugin {
public:
    // A target that needs HSA_OVERRIDE_GFX_VERSION is not usable as it stands,
    // but the plan sets the override in the environment: score it as usable,
    // a little lower, and say why.
    json::object score(sdk::Host &host, const json::object &device, const json::object &workload) override {
        json::object contribution = install(host, device);
        std::string value = is_usable(device) ? std::string() : override_for(device);
        if (value.empty()) return sdk::score_device(device, workload, contribution);
        json::object as_overridden = device;
        as_overridden["usable"] = true;
        as_overridden.erase("reason");
        json::object result = sdk::score_device(as_overridden, workload, contribution);
        auto &reasons = result["reasons"].as_array();
        reasons.emplace(reasons.begin(), "usable with HSA_OVERRIDE_GFX_VERSION=" + value + ", which the plan sets: -5");
        result["score"] = std::max<std::int64_t>(1, result["score"].as_int64() - 5);
        return result;
    }

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
        bool usable = is_usable(device);
        if (usable) {
            accelerators.push_back(json::object{{"tag", tag}, {"reason", arch + " is a target ROCm builds ship"}});
        } else if (std::string value = override_for(device); !value.empty()) {
            env["HSA_OVERRIDE_GFX_VERSION"] = value;
            accelerators.push_back(json::object{
                {"tag", tag}, {"reason", arch + " runs ROCm builds with HSA_OVERRIDE_GFX_VERSION=" + value}});
        }
        accelerators.push_back(json::object{{"tag", "cpu"}, {"reason", "CPU builds run everywhere"}});
        return {{"accelerators", std::move(accelerators)}, {"env", std::move(env)},
                {"facts", json::object{{"gfx_target", arch}}}};
    }

    // sgemm through rocBLAS when it and HIP are there; everything else is
    // "unsupported", so the host runs it on the Vulkan or OpenCL view of the GPU.
    bool has_kernel() const override { return true; }
    gpuhost_status kernel(sdk::Host &host, const json::object &device, gpuhost_kernel_args &args,
                          std::string &message) override {
        if (args.kernel != GPUHOST_KERNEL_SGEMM) {
            message = std::string("the rocm plugin runs only sgemm (through rocBLAS); ") + sdk::kernel_name(args.kernel) +
                      " runs on the device's Vulkan or OpenCL view";
            return GPUHOST_ERR_UNSUPPORTED;
        }
        if (std::string why = sdk::validate_kernel_args(args); !why.empty()) {
            message = why;
            return GPUHOST_ERR_ARGUMENT;
        }
        std::string bus_id;
        if (auto p = device.find("pci"); p != device.end() && p->value().is_object())
            bus_id = text(p->value().as_object(), "bus_id");
        return rocblas_sgemm(host.root(), bus_id, args, message);
    }
};

}  // namespace gpuhost::rocm

GPUHOST_PLUGIN(gpuhost::rocm::RocmPlugin, "rocm", "0.1.0", "amd")
