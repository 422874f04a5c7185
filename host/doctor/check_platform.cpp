// WSL, containers and Jetson boards: each changes where the GPU driver lives
// and what the usual fixes are.
#include "../recover/facts.hpp"
#include "doctor.hpp"

namespace gpuhost::doctor {

static bool any_gpu_node(const Context &ctx) {
    if (ctx.root.exists("/dev/kfd") || ctx.root.exists("/dev/dxg") || ctx.root.exists("/dev/nvidiactl")) return true;
    for (const auto &n : ctx.root.list("/dev/dri"))
        if (n.rfind("renderD", 0) == 0) return true;
    return false;
}

void check_platform(const Context &ctx, Report &report) {
    if (recover::is_wsl(ctx.root)) {
        auto version = ctx.root.read_line("/proc/version").value_or(ctx.root.read_line("/proc/sys/kernel/osrelease").value_or(""));
        auto &f = report.add("platform", Severity::info, "WSL2: the GPU driver is the Windows one, seen through /dev/dxg");
        f.details["kernel"] = version;
        if (!ctx.root.exists("/dev/dxg"))
            report.add("platform", Severity::error, "WSL without /dev/dxg: the GPU is not passed through to Linux",
                       "update Windows, WSL (wsl --update) and the Windows GPU driver; GPU paravirtualization needs WSL2",
                       "wsl_gpu_not_visible");
        else if (ctx.root.exists("/usr/lib/wsl/lib/libcuda.so") || ctx.root.exists("/usr/lib/wsl/lib/libcuda.so.1"))
            report.add("platform", Severity::info, "WSL CUDA library present in /usr/lib/wsl/lib");
    }
    auto hint = recover::container_hint(ctx.root);
    if (!hint.empty()) {
        auto &f = report.add("platform", Severity::info, "running inside a container (" + hint + ")");
        f.details["evidence"] = hint;
        if (!any_gpu_node(ctx))
            report.add("platform", Severity::warning, "no GPU device nodes inside this container",
                       "start it with the GPU passed in: docker run --gpus all (NVIDIA Container Toolkit), or "
                       "--device=/dev/kfd --device=/dev/dri --group-add video --group-add render (AMD)",
                       "container_no_gpu");
    }
    if (auto tegra = ctx.root.read_line("/etc/nv_tegra_release")) {
        std::string release;  // "# R35 (release), REVISION: 3.1, ..." -> "R35.3.1"
        auto r = tegra->find('R'), rev = tegra->find("REVISION: ");
        if (r != std::string::npos) release = tegra->substr(r, tegra->find(' ', r) - r);
        if (rev != std::string::npos) release += "." + tegra->substr(rev + 10, tegra->find(',', rev) - rev - 10);
        std::string model = ctx.root.read("/proc/device-tree/model").value_or("");
        if (auto nul = model.find('\0'); nul != std::string::npos) model.resize(nul);
        auto &f = report.add("platform", Severity::info,
                             "NVIDIA Jetson" + (model.empty() ? std::string() : " (" + model + ")") + ", L4T " + release +
                                 ": the GPU is integrated and driven by nvgpu, not the desktop nvidia module",
                             "use NVIDIA's JetPack builds of PyTorch for L4T " + release +
                                 "; the CUDA wheels on PyPI and download.pytorch.org are for x86_64 and server Arm");
        f.details["l4t"] = release;
        f.details["model"] = model;
    }
}

}  // namespace gpuhost::doctor
