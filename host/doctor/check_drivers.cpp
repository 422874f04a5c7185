// Kernel drivers: which GPU modules are loaded and their versions, a GPU with
// no driver bound, nouveau holding an NVIDIA GPU, and the NVIDIA kernel module
// disagreeing with the user-space library (NVML "Driver/library version mismatch").
#include "doctor.hpp"

#include <regex>

namespace gpuhost::doctor {

// "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.173.02  Tue Jun ..." -> "580.173.02"
static std::string nvrm_version(const std::string &text) {
    static const std::regex version(R"(Kernel Module(?: for [^ ]+)?\s+([0-9]+\.[0-9]+(?:\.[0-9]+)?))");
    std::smatch m;
    return std::regex_search(text, m, version) ? m[1].str() : std::string();
}

// The user-space NVML version: nvidia-smi names it on a mismatch, and the
// library file carries it (libnvidia-ml.so.580.178).
static std::string library_version(const Context &ctx, const std::string &smi_output) {
    static const std::regex printed(R"(NVML library version:\s*([0-9.]+))");
    std::smatch m;
    if (std::regex_search(smi_output, m, printed)) return m[1].str();
    for (const char *dir : {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"})
        for (const auto &name : ctx.root.list(dir))
            if (name.rfind("libnvidia-ml.so.", 0) == 0 && name.size() > 16 && name.find('.', 16) != std::string::npos)
                return name.substr(16);
    return {};
}

static void nvidia(const Context &ctx, Report &report) {
    auto proc = ctx.root.read("/proc/driver/nvidia/version");
    std::string kernel = proc ? nvrm_version(*proc) : std::string();
    if (kernel.empty()) kernel = ctx.root.read_line("/sys/module/nvidia/version").value_or("");
    bool loaded = proc || ctx.module_loaded("nvidia");
    if (!loaded) return;
    auto &f = report.add("driver", Severity::info, "nvidia kernel module loaded" + (kernel.empty() ? "" : ", version " + kernel));
    f.details["module"] = "nvidia";
    f.details["version"] = kernel;

    auto smi = ctx.tools.run({"nvidia-smi"});
    if (smi.exit_code == 127) return;  // no nvidia-smi: nothing to compare with but the library files
    std::string library = library_version(ctx, smi.output);
    bool said_mismatch = smi.output.find("Driver/library version mismatch") != std::string::npos;
    if (said_mismatch || (!library.empty() && !kernel.empty() && library != kernel)) {
        auto &m = report.add("driver", Severity::critical,
                             "NVIDIA kernel module " + (kernel.empty() ? std::string("?") : kernel) +
                                 " does not match the user-space library " + (library.empty() ? std::string("?") : library) +
                                 ": NVML, nvidia-smi and CUDA fail until they agree",
                             "reboot (the driver was upgraded but the old module is still loaded), or reload it: "
                             "sudo rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia && sudo modprobe nvidia",
                             "nvml_driver_library_mismatch");
        m.details["kernel_module"] = kernel;
        m.details["library"] = library;
    } else if (smi.exit_code != 0) {
        auto first = smi.output.substr(0, smi.output.find('\n'));
        report.add("driver", Severity::error, "nvidia-smi fails: " + first,
                   "read `nvidia-smi` and `sudo dmesg | grep -i nvrm`; gpuhost explain can match the message",
                   "nvidia_driver_not_loaded");
    }
}

void check_drivers(const Context &ctx, Report &report) {
    nvidia(ctx, report);
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
