#include "nvidia_procfs.hpp"

#include "compute_capability.hpp"
#include "gpuhost/text.hpp"

#include <algorithm>
#include <regex>
#include <sstream>

namespace gpuhost::cuda {

namespace {

using text::lower;
using text::trim;

std::string uevent_value(const std::string &uevent, const std::string &key) {
    return text::uevent_value(uevent, key).value_or("");
}

std::vector<PciGpu> scan_pci(const sdk::Sysroot &root) {
    std::vector<PciGpu> gpus;
    for (const auto &slot : root.list("/sys/bus/pci/devices")) {
        std::string dir = "/sys/bus/pci/devices/" + slot;
        auto vendor = root.read_line(dir + "/vendor"), cls = root.read_line(dir + "/class");
        if (!vendor || lower(*vendor) != "0x10de" || !cls || cls->rfind("0x03", 0) != 0) continue;
        PciGpu g;
        g.bus_id = normalise_bus_id(slot);
        if (auto dev = root.read_line(dir + "/device")) g.device_id = lower(*dev);
        if (auto uevent = root.read(dir + "/uevent")) g.driver = uevent_value(*uevent, "DRIVER");
        gpus.push_back(g);
    }
    return gpus;
}

std::optional<JetsonFacts> read_jetson(const sdk::Sysroot &root) {
    auto release = root.read("/etc/nv_tegra_release");
    auto compatible = root.read("/proc/device-tree/compatible");
    if (!compatible) compatible = root.read("/sys/firmware/devicetree/base/compatible");
    bool tegra = compatible && compatible->find("nvidia,tegra") != std::string::npos;
    if (!release && !tegra) return std::nullopt;
    JetsonFacts j;
    if (release) j.l4t_release = parse_tegra_release(*release);
    auto model = root.read("/proc/device-tree/model");
    if (!model) model = root.read("/sys/firmware/devicetree/base/model");
    j.model = model ? trim(*model) : "NVIDIA Jetson";
    if (compatible) {
        // The exact SoC has three digits ("tegra234"); "tegra23x" names the family.
        static const std::regex soc(R"(nvidia,(tegra[0-9]{3})(?![0-9a-z]))");
        std::smatch m;
        if (text::fits_regex(*compatible) && std::regex_search(*compatible, m, soc)) j.soc = m[1];
        if (auto cc = tegra_compute_capability(j.soc)) std::tie(j.cc_major, j.cc_minor) = *cc;
    }
    return j;
}

}  // namespace

std::string parse_nvrm_version(const std::string &text, bool *open_module) {
    static const std::regex re(R"(NVRM version:.*Kernel Module(?: for \S+)?\s+([0-9]+\.[0-9]+(?:\.[0-9]+)?))");
    std::smatch m;
    if (!text::fits_regex(text) || !std::regex_search(text, m, re)) return {};
    if (open_module) *open_module = text.find("Open Kernel Module") != std::string::npos;
    return m[1];
}

GpuFacts parse_gpu_information(const std::string &text) {
    GpuFacts g;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string key = trim(line.substr(0, colon)), value = trim(line.substr(colon + 1));
        if (key == "Model") g.name = value;
        else if (key == "GPU UUID" && value.rfind("GPU-", 0) == 0) g.uuid = value;
        else if (key == "Bus Location") g.pci_bus_id = normalise_bus_id(value);
    }
    return g;
}

std::string parse_tegra_release(const std::string &text) {
    static const std::regex re(R"(#\s*R([0-9]+)\s*\(release\),\s*REVISION:\s*([0-9.]+))");
    std::smatch m;
    return text::fits_regex(text) && std::regex_search(text, m, re) ? "R" + m[1].str() + "." + m[2].str() : std::string();
}

NvidiaProcfs read_nvidia_procfs(const sdk::Sysroot &root) {
    NvidiaProcfs p;
    if (auto v = root.read("/proc/driver/nvidia/version"))
        p.kernel_module_version = parse_nvrm_version(*v, &p.open_kernel_module);
    if (p.kernel_module_version.empty())
        if (auto v = root.read_line("/sys/module/nvidia/version")) p.kernel_module_version = *v;
    for (const auto &bus : root.list("/proc/driver/nvidia/gpus"))
        if (auto info = root.read("/proc/driver/nvidia/gpus/" + bus + "/information")) {
            GpuFacts g = parse_gpu_information(*info);
            if (g.pci_bus_id.empty()) g.pci_bus_id = normalise_bus_id(bus);
            p.driver_gpus.push_back(g);
        }
    p.pci_gpus = scan_pci(root);
    p.nouveau_loaded = root.exists("/sys/module/nouveau");
    p.control_node_denied = root.exists("/dev/nvidiactl") && !root.accessible("/dev/nvidiactl");
    auto version = root.read("/proc/version");
    p.wsl = version && lower(*version).find("microsoft") != std::string::npos;
    p.jetson = read_jetson(root);
    return p;
}

}  // namespace gpuhost::cuda
