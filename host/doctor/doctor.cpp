#include "doctor.hpp"

namespace gpuhost::doctor {

static std::vector<PciGpu> scan_pci(const sdk::Sysroot &root) {
    std::vector<PciGpu> gpus;
    for (const auto &addr : root.list("/sys/bus/pci/devices")) {
        auto dir = "/sys/bus/pci/devices/" + addr;
        auto cls = root.read_line(dir + "/class").value_or("");
        // 0x03xxxx display controllers, 0x12xxxx processing accelerators (data-centre cards).
        if (cls.rfind("0x03", 0) != 0 && cls.rfind("0x12", 0) != 0) continue;
        auto vendor = root.read_line(dir + "/vendor").value_or("");
        std::string name = vendor == "0x10de" ? "nvidia" : vendor == "0x1002" ? "amd" : vendor == "0x8086" ? "intel" : "other";
        std::string driver;
        auto uevent = root.read(dir + "/uevent").value_or("");
        if (auto at = uevent.find("DRIVER="); at != std::string::npos)
            driver = uevent.substr(at + 7, uevent.find('\n', at) - at - 7);
        gpus.push_back({addr, name, driver});
    }
    return gpus;
}

Context::Context(const Options &opts)
    : options(opts), root(opts.sysroot), tools(opts.sysroot, opts.tool_timeout), gpus(scan_pci(root)) {}

bool Context::has_gpu(const std::string &vendor) const {
    for (const auto &g : gpus)
        if (g.vendor == vendor) return true;
    return false;
}

bool Context::module_loaded(const std::string &name) const { return root.exists("/sys/module/" + name); }

Report run(const Options &options) {
    Context ctx(options);
    Report report;
    report.sysroot = options.sysroot;
    check_platform(ctx, report);
    check_drivers(ctx, report);
    check_secure_boot(ctx, report);
    check_device_nodes(ctx, report);
    check_vendors(ctx, report);
    check_python(ctx, report);
    check_environments(ctx, report);
    check_disk(ctx, report);
    check_network(ctx, report);
    return report;
}

}  // namespace gpuhost::doctor
