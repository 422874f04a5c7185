// A third-party vendor plugin for Huawei Ascend NPUs, built out of tree against
// the installed gpuhost SDK. It reads what the Ascend driver exposes: the PCI
// devices of vendor 0x19e5 in sysfs, the /dev/davinciN nodes, the driver and
// CANN version files, and `npu-smi info` (through the host's tool runner, so a
// recorded machine replays under --sysroot). What to install for an NPU lives
// beside this library, in vendor.lua (sdk/docs/VENDORS.md).
#include "npu_smi.hpp"

#include <gpuhost/plugin.hpp>
#include <gpuhost/text.hpp>

#include <algorithm>
#include <map>

namespace sdk = gpuhost::sdk;
namespace text = gpuhost::text;
using sdk::json::object;

namespace {

constexpr const char *kPlugin = "ascend";
constexpr const char *kBackend = "npu";
constexpr const char *kHuaweiPci = "0x19e5";

// The PCI functions of Huawei processing accelerators (class 0x12xxxx), by bus id.
std::map<std::string, std::pair<std::string, std::string>> pci_accelerators(const sdk::Sysroot &root) {
    std::map<std::string, std::pair<std::string, std::string>> out;  // bus id -> (device id, class)
    for (const auto &slot : root.list("/sys/bus/pci/devices")) {
        std::string dir = "/sys/bus/pci/devices/" + slot;
        auto vendor = root.read_line(dir + "/vendor");
        auto cls = root.read_line(dir + "/class");
        if (!vendor || text::lower(*vendor) != kHuaweiPci || !cls || !text::starts_with(*cls, "0x12")) continue;
        out[text::normalize_pci_bus_id(slot)] = {text::lower(root.read_line(dir + "/device").value_or("")), *cls};
    }
    return out;
}

// "Version=24.1.0" / "version=8.0.0" in a key=value file.
std::string key_value(const std::optional<std::string> &text, const std::string &key) {
    if (!text) return {};
    for (const auto &line : text::lines(*text)) {
        auto eq = line.find('=');
        if (eq != std::string::npos && text::lower(text::trim(line.substr(0, eq))) == key) return text::trim(line.substr(eq + 1));
    }
    return {};
}

std::string cann_version(const sdk::Sysroot &root) {
    for (const char *arch : {"aarch64", "x86_64"}) {
        auto v = key_value(root.read(std::string("/usr/local/Ascend/ascend-toolkit/latest/") + arch +
                                     "-linux/ascend_toolkit_install.info"),
                           "version");
        if (!v.empty()) return v;
    }
    return {};
}

}  // namespace

class AscendPlugin : public sdk::Plugin {
public:
    object detect(sdk::Host &host) override {
        const auto &root = host.root();
        auto pci = pci_accelerators(root);
        auto smi = host.run({std::string(kBackend) + "-smi", "info"});
        ascend::SmiTable table;
        if (smi.ok()) table = ascend::parse_npu_smi_info(smi.output);
        std::string driver = table.version;
        if (driver.empty()) driver = key_value(root.read("/usr/local/Ascend/driver/version.info"), "version");
        std::string cann = cann_version(root);
        bool manager = root.exists("/dev/davinci_manager");

        std::vector<sdk::DeviceRecord> devices;
        std::vector<std::string> notes;
        auto record = [&](const std::string &bus) {
            sdk::DeviceRecord d;
            d.vendor = "huawei";
            d.backend = kBackend;
            d.type = "discrete";
            d.pci_vendor_id = kHuaweiPci;
            d.pci_bus_id = bus;
            if (auto it = pci.find(bus); it != pci.end()) {
                d.pci_device_id = it->second.first;
                d.signals.push_back("sysfs");
            }
            d.driver_version = driver;
            if (!cann.empty()) {
                d.runtime_name = "cann";
                d.runtime_version = cann;
            }
            d.features = {"fp16", "bf16"};
            return d;
        };
        std::vector<std::string> seen;
        for (const auto &chip : table.chips) {
            std::string bus = text::normalize_pci_bus_id(chip.bus_id);
            auto d = record(bus);
            d.name = "Ascend " + chip.name;
            d.architecture = text::lower(chip.name);
            d.signals.push_back(std::string(kBackend) + "-smi");
            if (chip.hbm_total_mb) d.memory_total_bytes = *chip.hbm_total_mb << 20;
            if (chip.hbm_total_mb && chip.hbm_used_mb) d.memory_free_bytes = (*chip.hbm_total_mb - *chip.hbm_used_mb) << 20;
            std::string node = "/dev/davinci" + std::to_string(chip.npu_id);
            d.details = {{"npu_id", chip.npu_id}, {"chip", chip.chip}, {"health", chip.health}, {"device_node", node},
                         {"cann_version", cann}};
            if (chip.health != "OK") d.mark_unusable("npu-smi reports health " + chip.health);
            if (!root.exists(node)) d.mark_unusable(node + " is missing: the Ascend driver did not create it");
            else if (!root.accessible(node)) d.mark_unusable(node + " is not accessible: add the user to the HwHiAiUser group");
            if (!manager) d.mark_unusable("/dev/davinci_manager is missing: the Ascend driver is not loaded");
            devices.push_back(std::move(d));
            seen.push_back(bus);
        }
        // Devices on the bus that npu-smi did not list (no tool, or a broken driver).
        for (const auto &[bus, info] : pci) {
            if (std::find(seen.begin(), seen.end(), bus) != seen.end()) continue;
            auto d = record(bus);
            d.name = "Huawei accelerator " + info.first;
            d.mark_unusable(smi.ran() ? "npu-smi info does not list this device (driver not loaded?)"
                                      : "npu-smi not found: the Ascend driver package is not installed");
            devices.push_back(std::move(d));
        }
        if (devices.empty()) {
            notes.push_back("no Ascend NPU: no PCI device of vendor 0x19e5 with class 0x12, and npu-smi lists none");
            return sdk::detect_result(kPlugin, "absent", {}, notes);
        }
        if (cann.empty()) notes.push_back("no CANN toolkit found under /usr/local/Ascend/ascend-toolkit/latest");
        return sdk::detect_result(kPlugin, "present", devices, notes);
    }

    // What to install is the vendor's Lua (vendor.lua); the tag names the build.
    object install(sdk::Host &, const object &) override {
        return {{"accelerators", sdk::json::array{object{{"tag", kBackend}}}}};
    }
};

GPUHOST_PLUGIN(AscendPlugin, "ascend", "1.0.0", "huawei")
