// Display-class PCI devices under /sys/bus/pci/devices, read through the sysroot.
#pragma once
#include "gpuhost/sysroot.hpp"
#include "plugin_text.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost::plugin_text {

struct PciDevice {
    std::string bus_id;      // "0000:03:00.0"
    std::string vendor_id;   // "0x8086"
    std::string device_id;   // "0x56a0"
    std::string class_code;  // "0x030000"
    std::string driver;      // "i915", "xe", "amdgpu"; empty when unbound or unknown
};

inline std::string pci_driver(const sdk::Sysroot &root, const std::string &dir) {
    std::error_code ec;
    auto link = std::filesystem::read_symlink(root.path(dir + "/driver"), ec);
    if (!ec) return link.filename().string();
    if (auto uevent = root.read(dir + "/uevent"))
        if (auto d = uevent_value(*uevent, "DRIVER")) return *d;
    return {};
}

// Devices of PCI base class 0x03 (display), optionally of one vendor ("0x8086").
inline std::vector<PciDevice> display_devices(const sdk::Sysroot &root, const std::string &vendor = {}) {
    std::vector<PciDevice> out;
    for (const auto &bus : root.list("/sys/bus/pci/devices")) {
        std::string dir = "/sys/bus/pci/devices/" + bus;
        PciDevice d;
        d.bus_id = bus;
        d.vendor_id = lower(root.read_line(dir + "/vendor").value_or(""));
        d.device_id = lower(root.read_line(dir + "/device").value_or(""));
        d.class_code = lower(root.read_line(dir + "/class").value_or(""));
        if (d.class_code.size() < 4 || d.class_code.compare(0, 4, "0x03") != 0) continue;
        if (!vendor.empty() && d.vendor_id != vendor) continue;
        d.driver = pci_driver(root, dir);
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace gpuhost::plugin_text
