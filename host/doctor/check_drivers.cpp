// Kernel drivers: which GPU modules are loaded and their versions, a GPU with
// no driver bound, nouveau holding an NVIDIA GPU. The NVIDIA kernel module and
// its user-space library come from the cuda vendor folder (plugins/cuda/doctor.lua).
#include "doctor.hpp"


namespace gpuhost::doctor {

void check_drivers(const Context &ctx, Report &report) {
    // The NVIDIA module and its library: plugins/cuda/doctor.lua (check_vendors).
    for (const char *module : {"amdgpu", "i915", "xe", "nouveau"}) {
        if (!ctx.module_loaded(module)) continue;
        auto version = ctx.root.read_line(std::string("/sys/module/") + module + "/version").value_or("");
        auto state = ctx.root.read_line(std::string("/sys/module/") + module + "/initstate").value_or("");
        std::string text = std::string(module) + " kernel module loaded";
        if (!version.empty()) text += ", version " + version;
        if (!state.empty() && state != "live") text += " (state " + state + ")";
        auto &f = report.add("driver", Severity::info, text);
        f.details["module"] = module;
        if (!version.empty()) f.details["version"] = version;
    }
    bool nouveau = ctx.module_loaded("nouveau");
    for (const auto &gpu : ctx.gpus) {
        if (gpu.vendor == "nvidia" && (gpu.driver == "nouveau" || (gpu.driver.empty() && nouveau))) {
            report.add("driver", Severity::error,
                       "NVIDIA GPU " + gpu.address + " is held by nouveau, the open-source driver; CUDA needs NVIDIA's driver",
                       "install NVIDIA's driver and blacklist nouveau (echo 'blacklist nouveau' | sudo tee "
                       "/etc/modprobe.d/blacklist-nouveau.conf && sudo update-initramfs -u), then reboot",
                       "nouveau_loaded");
        } else if (gpu.driver.empty() && gpu.vendor != "other") {
            bool nv = gpu.vendor == "nvidia";
            bool module = ctx.module_loaded(nv ? "nvidia" : gpu.vendor == "amd" ? "amdgpu" : "i915") ||
                          (gpu.vendor == "intel" && ctx.module_loaded("xe"));
            if (module) continue;  // loaded but the recording does not say it is bound
            report.add("driver", Severity::error,
                       gpu.vendor + " GPU " + gpu.address + " has no kernel driver bound",
                       nv ? "install NVIDIA's driver (e.g. sudo ubuntu-drivers install) and reboot; with Secure Boot on, "
                            "enroll the module signing key"
                          : gpu.vendor == "amd" ? "load amdgpu (sudo modprobe amdgpu); check dmesg for firmware errors"
                                                : "load i915 or xe (sudo modprobe xe); check dmesg for firmware errors",
                       nv ? "nvidia_driver_not_loaded" : "");
        }
    }
}

}  // namespace gpuhost::doctor
