#include "vulkan_probe.hpp"

#include "gpuhost/vendor_ids.hpp"
#include "vk.hpp"

#include <algorithm>

namespace gpuhost::vulkan {

namespace {

std::string type_of(vk::PhysicalDeviceType t) {
    switch (t) {
    case vk::PhysicalDeviceType::eDiscreteGpu: return "discrete";
    case vk::PhysicalDeviceType::eIntegratedGpu: return "integrated";
    case vk::PhysicalDeviceType::eVirtualGpu: return "virtual";
    case vk::PhysicalDeviceType::eCpu: return "cpu";
    default: return "other";
    }
}

bool has_extension(const std::vector<vk::ExtensionProperties> &list, const char *name) {
    return std::any_of(list.begin(), list.end(),
                       [&](const vk::ExtensionProperties &e) { return std::string(e.extensionName.data()) == name; });
}

sdk::DeviceRecord to_record(vk::PhysicalDevice device, int index) {
    auto extensions = device.enumerateDeviceExtensionProperties();
    auto props = device.getProperties();
    // Optional property structs, chained only when the device offers them.
    vk::PhysicalDeviceIDProperties id_props;
    vk::PhysicalDeviceDriverProperties driver_props;
    vk::PhysicalDevicePCIBusInfoPropertiesEXT pci_props;
    vk::PhysicalDeviceProperties2 props2;
    void **next = &props2.pNext;
    *next = &id_props, next = &id_props.pNext;
    bool has_driver = props.apiVersion >= VK_API_VERSION_1_2 || has_extension(extensions, "VK_KHR_driver_properties");
    bool has_pci = has_extension(extensions, VK_EXT_PCI_BUS_INFO_EXTENSION_NAME);
    if (has_driver) *next = &driver_props, next = &driver_props.pNext;
    if (has_pci) *next = &pci_props, next = &pci_props.pNext;
    device.getProperties2(&props2);

    sdk::DeviceRecord d;
    d.backend = "vulkan";
    d.name = props.deviceName.data();
    d.vendor = vendor_of(props.vendorID);
    d.type = type_of(props.deviceType);
    if (props.vendorID < 0x10000) {
        d.pci_vendor_id = sdk::hex_id(props.vendorID);
        d.pci_device_id = sdk::hex_id(props.deviceID);
    }
    if (has_pci)
        d.pci_bus_id = sdk::pci_bus_id(pci_props.pciDomain, pci_props.pciBus, pci_props.pciDevice, pci_props.pciFunction);
    d.uuid = sdk::uuid_text(id_props.deviceUUID.data());
    auto memory = device.getMemoryProperties();
    std::uint64_t local = 0;
    for (std::uint32_t h = 0; h < memory.memoryHeapCount; ++h)
        if (memory.memoryHeaps[h].flags & vk::MemoryHeapFlagBits::eDeviceLocal) local += memory.memoryHeaps[h].size;
    if (local) d.memory_total_bytes = local;
    d.driver_version = decode_driver_version(props.vendorID, props.driverVersion);
    d.runtime_name = "vulkan";
    d.runtime_version = api_version_text(props.apiVersion);
    d.signals = {"vulkan"};
    if (device.getFeatures().shaderFloat64) d.features.push_back("fp64");
    d.details = {{"device_index", index},
                 {"vendor_id", sdk::hex_id(props.vendorID)},
                 {"device_id", sdk::hex_id(props.deviceID)},
                 {"device_uuid", d.uuid},  // finds the device again after a merge took another uuid
                 {"timestamp_period_ns", props.limits.timestampPeriod},
                 {"source", "vulkan"}};
    if (has_driver) {
        d.details["driver_name"] = std::string(driver_props.driverName.data());
        d.details["driver_info"] = std::string(driver_props.driverInfo.data());
    }
    bool compute = false;
    for (const auto &family : device.getQueueFamilyProperties())
        compute = compute || bool(family.queueFlags & vk::QueueFlagBits::eCompute);
    if (!compute) d.mark_unusable("the Vulkan device has no compute queue");
    return d;
}

}  // namespace

std::string decode_driver_version(std::uint32_t vendor_id, std::uint32_t v) {
    auto join = [](std::initializer_list<std::uint32_t> parts) {
        std::string s;
        for (auto p : parts) s += (s.empty() ? "" : ".") + std::to_string(p);
        return s;
    };
    if (vendor_id == 0x10de) return join({(v >> 22) & 0x3ff, (v >> 14) & 0xff, (v >> 6) & 0xff, v & 0x3f});
#if defined(_WIN32)
    if (vendor_id == 0x8086) return join({v >> 14, v & 0x3fff});
#endif
    return join({v >> 22, (v >> 12) & 0x3ff, v & 0xfff});
}

std::string api_version_text(std::uint32_t v) {
    return std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) + "." +
           std::to_string(VK_API_VERSION_PATCH(v));
}

std::string vendor_of(std::uint32_t vendor_id) { return sdk::vendor_from_pci_id(vendor_id); }

ProbeOutcome probe_live() {
    ProbeOutcome out;
    try {
        auto devices = instance().enumeratePhysicalDevices();
        for (size_t i = 0; i < devices.size(); ++i) {
            try {
                out.devices.push_back(to_record(devices[i], int(i)));
            } catch (const std::exception &e) {
                out.notes.push_back("Vulkan device " + std::to_string(i) + ": " + e.what());
            }
        }
        if (devices.empty()) out.notes.push_back("the Vulkan loader found no physical device");
    } catch (const std::exception &e) {
        out.notes.push_back(e.what());
    }
    return out;
}

}  // namespace gpuhost::vulkan
