// Reading a recorded `vulkaninfo --summary`: after "Devices:", blocks headed
// "GPU0:", "GPU1:" ... of "key = value" lines. The full `vulkaninfo` report
// has the same keys under "Device Properties and Extensions:", in each GPU's
// VkPhysicalDeviceProperties block, with versions printed as raw numbers
// beside their decoded form ("4206828 (1.3.236)", "2223653056 (0x848a40c0)").
#include "gpuhost/text.hpp"
#include "gpuhost/vendor_ids.hpp"
#include "vulkan_probe.hpp"

#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace gpuhost::vulkan {

using text::trim;

std::string device_type_from_text(const std::string &type) {
    if (type.find("DISCRETE_GPU") != std::string::npos) return "discrete";
    if (type.find("INTEGRATED_GPU") != std::string::npos) return "integrated";
    if (type.find("VIRTUAL_GPU") != std::string::npos) return "virtual";
    if (type.find("CPU") != std::string::npos) return "cpu";
    return "other";
}

namespace {

// "1.3.260", "4194306 (1.0.2)", "1.3.245 (232343235)" -> the dotted version.
std::string dotted_version(const std::string &value) {
    static const std::regex re(R"([0-9]+\.[0-9]+\.[0-9]+)");
    std::smatch m;
    return text::fits_regex(value) && std::regex_search(value, m, re) ? m.str(0) : value;
}

// The full report's "2223653056 (0x848a40c0)": decoded as the live probe does;
// the summary's already decoded "535.183.1" stays.
std::string driver_text(const std::string &value, const std::string &vendor) {
    static const std::regex raw(R"(^([0-9]+) \(0x[0-9a-fA-F]+\)$)");
    std::smatch m;
    if (!text::fits_regex(value) || !std::regex_match(value, m, raw)) return value;
    unsigned long long v = std::strtoull(m.str(1).c_str(), nullptr, 10);
    if (v > 0xffffffffull) return value;
    return decode_driver_version(std::uint32_t(std::strtoul(vendor.c_str(), nullptr, 16)), std::uint32_t(v));
}

bool gpu_header(const std::string &line) {
    std::string t = trim(line);
    return t.size() > 4 && t.rfind("GPU", 0) == 0 && t.back() == ':' &&
           t.find_first_not_of("0123456789", 3) == t.size() - 1;
}

}  // namespace

ProbeOutcome parse_vulkaninfo_summary(const std::string &text) {
    auto section = text.find("\nDevices:");
    if (section == std::string::npos && text.rfind("Devices:", 0) == 0) section = 0;
    if (section == std::string::npos) {
        // The full report, or a paste of part of it: its per-GPU blocks.
        auto full = text.find("Device Properties and Extensions:");
        if (full != std::string::npos) section = full;
        else {
            std::istringstream probe(text);
            bool any = false;
            for (std::string l; !any && std::getline(probe, l);) any = gpu_header(l);
            if (!any) throw std::runtime_error("not vulkaninfo output: no \"Devices:\" section and no \"GPU0:\" block");
            section = 0;
        }
    } else if (text[section] == '\n') {
        ++section;
    }
    ProbeOutcome out;
    std::istringstream in(text.substr(section));
    std::string line;
    struct Block {
        int index;
        std::string name, type, api, driver, vendor, device, uuid, driver_name, driver_info;
    };
    std::vector<Block> blocks;
    while (std::getline(in, line)) {
        std::string t = trim(line);
        if (gpu_header(t)) {
            blocks.push_back({std::atoi(t.c_str() + 3), {}, {}, {}, {}, {}, {}, {}, {}, {}});
            continue;
        }
        auto eq = t.find('=');
        if (blocks.empty() || eq == std::string::npos) continue;
        std::string key = trim(t.substr(0, eq)), value = trim(t.substr(eq + 1));
        auto &b = blocks.back();
        // The full report repeats some keys in later structures: the first wins.
        auto set = [&](std::string &field) {
            if (field.empty()) field = value;
        };
        if (key == "deviceName") set(b.name);
        else if (key == "deviceType") set(b.type);
        else if (key == "apiVersion") set(b.api);
        else if (key == "driverVersion") set(b.driver);
        else if (key == "vendorID") set(b.vendor);
        else if (key == "deviceID") set(b.device);
        else if (key == "deviceUUID") set(b.uuid);
        else if (key == "driverName") set(b.driver_name);
        else if (key == "driverInfo") set(b.driver_info);
    }
    for (const auto &b : blocks) {
        if (b.name.empty()) {
            out.notes.push_back("vulkaninfo block GPU" + std::to_string(b.index) + " has no deviceName; skipped");
            continue;
        }
        sdk::DeviceRecord d;
        d.backend = "vulkan";
        d.name = b.name;
        std::uint32_t vendor_id = std::uint32_t(std::strtoul(b.vendor.c_str(), nullptr, 16));
        d.vendor = b.vendor.empty() ? "other" : vendor_of(vendor_id);
        if (!b.vendor.empty() && vendor_id < 0x10000) {
            d.pci_vendor_id = sdk::hex_id(vendor_id);
            if (!b.device.empty())
                d.pci_device_id = sdk::hex_id(std::uint32_t(std::strtoul(b.device.c_str(), nullptr, 16)));
        }
        d.type = device_type_from_text(b.type);
        d.uuid = b.uuid;
        d.driver_version = driver_text(b.driver, b.vendor);  // --summary has already decoded it per vendor
        d.runtime_name = "vulkan";
        d.runtime_version = dotted_version(b.api);
        d.signals = {"vulkan"};
        d.details = {{"device_index", b.index}, {"device_uuid", b.uuid}, {"source", "vulkaninfo"}};
        if (!b.vendor.empty()) d.details["vendor_id"] = b.vendor;
        if (!b.driver_name.empty()) d.details["driver_name"] = b.driver_name;
        if (!b.driver_info.empty()) d.details["driver_info"] = b.driver_info;
        out.devices.push_back(std::move(d));
    }
    return out;
}

}  // namespace gpuhost::vulkan
