// Reading a recorded `vulkaninfo --summary`: after "Devices:", blocks headed
// "GPU0:", "GPU1:" ... of "key = value" lines.
#include "gpuhost/text.hpp"
#include "gpuhost/vendor_ids.hpp"
#include "vulkan_probe.hpp"

#include <cstdlib>
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

ProbeOutcome parse_vulkaninfo_summary(const std::string &text) {
    auto section = text.find("\nDevices:");
    if (section == std::string::npos && text.rfind("Devices:", 0) != 0)
        throw std::runtime_error("not vulkaninfo --summary output: no \"Devices:\" section");
    ProbeOutcome out;
    std::istringstream in(text.substr(section == std::string::npos ? 0 : section + 1));
    std::string line;
    struct Block {
        int index;
        std::string name, type, api, driver, vendor, device, uuid, driver_name, driver_info;
    };
    std::vector<Block> blocks;
    while (std::getline(in, line)) {
        std::string t = trim(line);
        if (t.size() > 4 && t.rfind("GPU", 0) == 0 && t.back() == ':') {
            blocks.push_back({std::atoi(t.c_str() + 3), {}, {}, {}, {}, {}, {}, {}, {}, {}});
            continue;
        }
        auto eq = t.find('=');
        if (blocks.empty() || eq == std::string::npos) continue;
        std::string key = trim(t.substr(0, eq)), value = trim(t.substr(eq + 1));
        auto &b = blocks.back();
        if (key == "deviceName") b.name = value;
        else if (key == "deviceType") b.type = value;
        else if (key == "apiVersion") b.api = value;
        else if (key == "driverVersion") b.driver = value;
        else if (key == "vendorID") b.vendor = value;
        else if (key == "deviceID") b.device = value;
        else if (key == "deviceUUID") b.uuid = value;
        else if (key == "driverName") b.driver_name = value;
        else if (key == "driverInfo") b.driver_info = value;
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
        d.driver_version = b.driver;  // vulkaninfo has already decoded it per vendor
        d.runtime_name = "vulkan";
        d.runtime_version = b.api;
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
