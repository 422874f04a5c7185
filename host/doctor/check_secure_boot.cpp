// Secure Boot: with it on, the kernel loads only signed modules, so an
// out-of-tree GPU driver (NVIDIA's, DKMS builds) silently fails to load.
#include "doctor.hpp"

#include "../recover/facts.hpp"

#include <optional>

namespace gpuhost::doctor {

// mokutil --sb-state through the runner (replayed under a recording), else
// the EFI variable: 4 attribute bytes, then 1 when enforcing.
static std::optional<bool> secure_boot(const Context &ctx, std::string &source) {
    auto mok = ctx.tools.run({"mokutil", "--sb-state"});
    if (mok.exit_code != 127) {
        source = "mokutil --sb-state";
        if (mok.output.find("SecureBoot enabled") != std::string::npos) return true;
        if (mok.output.find("SecureBoot disabled") != std::string::npos) return false;
    }
    return recover::secure_boot_from_efi(ctx.root, &source);
}

void check_secure_boot(const Context &ctx, Report &report) {
    std::string source;
    auto on = secure_boot(ctx, source);
    if (!on) {
        if (ctx.live())
            report.add("secure_boot", Severity::info, "Secure Boot state unknown (no mokutil output, no EFI variable)");
        return;
    }
    bool nvidia_unloaded = false;
    for (const auto &gpu : ctx.gpus)
        nvidia_unloaded = nvidia_unloaded || (gpu.vendor == "nvidia" && gpu.driver.empty() && !ctx.module_loaded("nvidia"));
    if (*on && nvidia_unloaded) {
        auto &f = report.add("secure_boot", Severity::critical,
                             "Secure Boot is on and the NVIDIA module is not loaded: the kernel refuses unsigned modules",
                             "enroll the DKMS signing key (sudo mokutil --import /var/lib/dkms/mok.pub, reboot, choose "
                             "'Enroll MOK'), then sudo modprobe nvidia; or turn Secure Boot off in the firmware setup",
                             "secure_boot_blocks_module");
        f.details["source"] = source;
    } else {
        auto &f = report.add("secure_boot", Severity::info,
                             std::string("Secure Boot ") + (*on ? "on: out-of-tree GPU modules must be signed" : "off"));
        f.details["source"] = source;
    }
}

}  // namespace gpuhost::doctor
