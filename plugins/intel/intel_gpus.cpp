#include "intel_gpus.hpp"

#include "intel_tools.hpp"

#include "intel_pci_ids.hpp"
#include "pci_devices.hpp"

#include <filesystem>

namespace gpuhost::intel {

using namespace plugin_text;
namespace json = boost::json;

namespace {

const char *kLoaderPaths[] = {"/usr/lib/x86_64-linux-gnu/libze_loader.so.1", "/usr/lib64/libze_loader.so.1",
                              "/usr/lib/libze_loader.so.1", "/usr/local/lib/libze_loader.so.1"};

const std::string kRuntimeHint =
    "install Intel's GPU compute runtime (Debian/Ubuntu: libze1 and libze-intel-gpu1; older releases: "
    "level-zero and intel-level-zero-gpu)";

// The render node of a PCI device: its drm/ folder, a render node whose
// uevent names the slot, or the card's index + 128 (DRM numbers them so).
std::string render_node(const sdk::Sysroot &root, const std::string &bus, std::string &how) {
    for (const auto &e : root.list("/sys/bus/pci/devices/" + bus + "/drm"))
        if (starts_with(e, "renderD")) {
            how = "sysfs drm folder";
            return "/dev/dri/" + e;
        }
    for (const auto &e : root.list("/sys/class/drm")) {
        auto uevent = root.read("/sys/class/drm/" + e + "/device/uevent");
        if (!uevent || lower(uevent_value(*uevent, "PCI_SLOT_NAME").value_or("")) != bus) continue;
        if (starts_with(e, "renderD")) {
            how = "sysfs render node";
            return "/dev/dri/" + e;
        }
        if (starts_with(e, "card") && e.find('-') == std::string::npos)
            if (auto index = to_u64(e.substr(4))) {
                how = "inferred from " + e + " (render minor = 128 + card index)";
                return "/dev/dri/renderD" + std::to_string(128 + *index);
            }
    }
    return {};
}

sdk::DeviceRecord from_level_zero(const ZeDevice &z) {
    sdk::DeviceRecord d;
    d.vendor = "intel";
    d.backend = "xpu";
    d.name = z.name;
    d.type = z.integrated ? "integrated" : "discrete";
    d.pci_vendor_id = hex16(z.vendor_id);
    d.pci_device_id = hex16(z.device_id);
    d.uuid = z.uuid;
    d.driver_version = z.driver_version;
    d.runtime_name = "level_zero";
    d.runtime_version = z.api_version;
    d.signals = {"level-zero"};
    if (z.memory_bytes) {
        d.memory_total_bytes = z.memory_bytes;
        if (z.integrated) d.memory_shared_bytes = z.memory_bytes;
    }
    return d;
}

void apply_family(sdk::DeviceRecord &d, const IntelFamily &f) {
    d.architecture = f.architecture;
    d.details["family"] = f.family;
    d.details["xpu_capable"] = f.xpu_capable;
    d.details["best_accelerator"] = f.xpu_capable ? "xpu" : "cpu";
    d.features = {"fp16"};
    if (f.xpu_capable) d.features.push_back("bf16");
    if (!f.xpu_capable)
        d.mark_unusable(f.family + " is not supported by PyTorch XPU builds (they run on Arc, Data Center GPU "
                                   "Flex/Max and Core Ultra graphics); use the CPU, or Vulkan/OpenCL");
}

void judge_level_zero(sdk::DeviceRecord &d, const std::optional<ZeProbe> &ze, bool matched, bool loader_recorded) {
    if (matched) return;
    if (!ze) {
        if (!loader_recorded) d.mark_unusable("Level Zero loader (libze_loader.so.1) not installed: " + kRuntimeHint);
        return;
    }
    if (!ze->loaded) d.mark_unusable("Level Zero loader not usable (" + ze->error + "): " + kRuntimeHint);
    else if (!ze->error.empty()) d.mark_unusable("Level Zero " + ze->error + ": " + kRuntimeHint + ", and check /dev/dri access");
    else d.mark_unusable("Level Zero lists no device " + d.pci_device_id + ": its compute runtime does not drive this GPU; " + kRuntimeHint);
}

}  // namespace

namespace {

// Names from xpu-smi (with bus ids) or sycl-ls, asked once and only for a GPU
// that Level Zero did not name.
struct ToolNames {
    bool asked = false;
    std::string tool;
    std::vector<ToolGpu> gpus;
    size_t next = 0;  // sycl-ls has no bus ids: its GPUs are taken in order

    const ToolGpu *find(const sdk::Host &host, const std::string &bus) {
        if (!asked) {
            asked = true;
            if (auto r = host.run({"xpu-smi", "discovery"}); r.ran()) {
                gpus = parse_xpu_smi_discovery(r.output);
                tool = "xpu-smi";
            }
            if (gpus.empty())
                if (auto r = host.run({"sycl-ls"}); r.ran()) {
                    gpus = parse_sycl_ls(r.output);
                    tool = "sycl-ls";
                }
        }
        for (const auto &g : gpus)
            if (!g.bus_id.empty() && g.bus_id == bus) return &g;
        for (; next < gpus.size(); ++next)
            if (gpus[next].bus_id.empty()) return &gpus[next++];
        return nullptr;
    }
};

}  // namespace

IntelScan scan_intel_gpus(const sdk::Host &host, const std::optional<ZeProbe> &ze) {
    IntelScan scan;
    ToolNames tool_names;
    const auto &root = host.root();
    bool loader_recorded = false;
    for (const char *p : kLoaderPaths) loader_recorded = loader_recorded || root.exists(p);
    if (ze && !ze->error.empty()) scan.notes.push_back("Level Zero (" + ze->library + "): " + ze->error);
    if (!ze) scan.notes.push_back("Level Zero not run: replaying a recording");

    std::vector<bool> used(ze ? ze->devices.size() : 0, false);
    for (const auto &pci : display_devices(root, "0x8086")) {
        auto device_id = to_u64(pci.device_id).value_or(0);
        IntelFamily family = classify_intel_device(static_cast<std::uint32_t>(device_id));
        sdk::DeviceRecord d;
        bool matched = false;
        if (ze)
            for (size_t i = 0; i < ze->devices.size(); ++i)
                if (!used[i] && ze->devices[i].device_id == device_id) {
                    used[i] = matched = true;
                    d = from_level_zero(ze->devices[i]);
                    d.signals.push_back("sysfs");
                    break;
                }
        if (!matched) {
            d.vendor = "intel";
            d.backend = "xpu";
            d.name = "Intel " + family.family + " [8086:" + pci.device_id.substr(2) + "]";
            d.type = family.discrete ? "discrete" : "integrated";
            d.signals = {"sysfs"};
            // Level Zero not there to ask (a replay, no loader): the tools may name it.
            if (!ze || !ze->loaded)
                if (const auto *t = tool_names.find(host, pci.bus_id)) {
                    d.name = t->name;
                    d.signals.push_back(tool_names.tool);
                    if (!t->driver_version.empty()) d.details["compute_runtime_version"] = t->driver_version;
                }
        }
        d.pci_vendor_id = pci.vendor_id;
        d.pci_device_id = pci.device_id;
        d.pci_bus_id = pci.bus_id;
        apply_family(d, family);

        d.details["kernel_driver"] = pci.driver.empty() ? std::string("none recorded") : pci.driver;
        if (pci.driver.empty() && root.is_live()) {
            d.mark_unusable("no kernel driver is bound to " + pci.bus_id + ": load i915 or xe (modprobe xe)");
        } else if (!pci.driver.empty() && pci.driver != "i915" && pci.driver != "xe") {
            d.mark_unusable(pci.bus_id + " is bound to " + pci.driver + ", not i915 or xe (passed through to a VM?)");
        }
        std::string how;
        std::string node = render_node(root, pci.bus_id, how);
        if (!node.empty()) {
            d.details["render_node"] = node;
            d.details["render_node_from"] = how;
            if (!root.exists(node)) d.mark_unusable(node + " does not exist: pass --device=/dev/dri to the container");
            else if (!root.accessible(node))
                d.mark_unusable(node + " not accessible: add the user to the render group (sudo usermod -aG render $USER)");
        }
        judge_level_zero(d, ze, matched, loader_recorded);
        scan.devices.push_back(std::move(d));
    }
    // Level Zero devices without a PCI record (sysfs hidden, or a test library).
    if (ze)
        for (size_t i = 0; i < ze->devices.size(); ++i) {
            if (used[i]) continue;
            sdk::DeviceRecord d = from_level_zero(ze->devices[i]);
            if (ze->devices[i].vendor_id == 0x8086) {
                IntelFamily family = classify_intel_device(ze->devices[i].device_id);
                apply_family(d, family);
            }
            scan.notes.push_back("Level Zero device \"" + d.name + "\" has no PCI record under /sys/bus/pci");
            scan.devices.push_back(std::move(d));
        }
    if (scan.devices.empty()) scan.notes.push_back("no Intel GPU: no PCI display device of vendor 0x8086, no Level Zero device");
    return scan;
}

}  // namespace gpuhost::intel
