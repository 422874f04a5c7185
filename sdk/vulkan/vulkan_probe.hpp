// The vendor-neutral Vulkan probe: every physical device as a device record
// (backend "vulkan"), live through Vulkan-Hpp or, under a sysroot, from a
// recorded `vulkaninfo --summary`.
#pragma once
#include "gpuhost/device_record.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gpuhost::vulkan {

struct ProbeOutcome {
    std::vector<sdk::DeviceRecord> devices;
    std::vector<std::string> notes;
};

// Never throws; a missing loader or driver becomes a note.
ProbeOutcome probe_live();

// Parses `vulkaninfo --summary` (its "Devices:" section, one "GPUn:" block
// per device) or the full `vulkaninfo` report (the same keys in each GPU's
// VkPhysicalDeviceProperties). Blocks cut off before their deviceName are
// dropped; text with neither a "Devices:" section nor a "GPUn:" block throws
// std::runtime_error.
ProbeOutcome parse_vulkaninfo_summary(const std::string &text);

// driverVersion as its vendor packs it: NVIDIA 10.8.8.6 bits, Intel on
// Windows 18.14, everyone else VK_MAKE_API_VERSION's 10.10.12.
std::string decode_driver_version(std::uint32_t vendor_id, std::uint32_t version);
std::string api_version_text(std::uint32_t version);
// "PHYSICAL_DEVICE_TYPE_DISCRETE_GPU" (or "DISCRETE_GPU") -> "discrete" ...
std::string device_type_from_text(const std::string &type);
// Vendor of a Vulkan vendorID: PCI ids, or Khronos ids (0x10000+) such as
// 0x10005 for Mesa's software devices.
std::string vendor_of(std::uint32_t vendor_id);

}  // namespace gpuhost::vulkan
