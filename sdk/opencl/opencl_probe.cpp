#include "opencl_probe.hpp"

#include "gpuhost/vendor_ids.hpp"
#include "opencl_cl.hpp"
#include "opencl_loader.hpp"

namespace gpuhost::opencl {

namespace {

bool has_extension(const std::string &extensions, const char *name) {
    return (" " + extensions + " ").find(std::string(" ") + name + " ") != std::string::npos;
}

// PCI location from whichever extension the driver offers: the Khronos one,
// NVIDIA's attribute query, or AMD's topology.
std::string bus_id_of(const cl::Device &device, const std::string &extensions) {
    cl_device_id id = device();
    if (has_extension(extensions, "cl_khr_pci_bus_info")) {
        cl_device_pci_bus_info_khr info{};
        if (clGetDeviceInfo(id, CL_DEVICE_PCI_BUS_INFO_KHR, sizeof info, &info, nullptr) == CL_SUCCESS)
            return sdk::pci_bus_id(info.pci_domain, info.pci_bus, info.pci_device, info.pci_function);
    }
    if (has_extension(extensions, "cl_nv_device_attribute_query")) {
        cl_uint bus = 0, slot = 0, domain = 0;
        if (clGetDeviceInfo(id, CL_DEVICE_PCI_BUS_ID_NV, sizeof bus, &bus, nullptr) == CL_SUCCESS &&
            clGetDeviceInfo(id, CL_DEVICE_PCI_SLOT_ID_NV, sizeof slot, &slot, nullptr) == CL_SUCCESS) {
            clGetDeviceInfo(id, CL_DEVICE_PCI_DOMAIN_ID_NV, sizeof domain, &domain, nullptr);  // newer drivers only
            // The slot id packs device (bits 3..7) and function (bits 0..2).
            return sdk::pci_bus_id(domain, bus, slot >> 3, slot & 7);
        }
    }
    if (has_extension(extensions, "cl_amd_device_attribute_query")) {
        cl_device_topology_amd topo{};
        if (clGetDeviceInfo(id, CL_DEVICE_TOPOLOGY_AMD, sizeof topo, &topo, nullptr) == CL_SUCCESS &&
            topo.raw.type == CL_DEVICE_TOPOLOGY_TYPE_PCIE_AMD)
            return sdk::pci_bus_id(0, std::uint8_t(topo.pcie.bus), topo.pcie.device, topo.pcie.function);
    }
    return {};
}

std::string type_name(cl_device_type type) {
    if (type & CL_DEVICE_TYPE_GPU) return "GPU";
    if (type & CL_DEVICE_TYPE_CPU) return "CPU";
    return "other";
}

sdk::DeviceRecord to_record(const cl::Platform &platform, const cl::Device &device, int platform_index,
                            int device_index) {
    sdk::DeviceRecord d;
    d.backend = "opencl";
    d.name = device.getInfo<CL_DEVICE_NAME>();
    std::string vendor = device.getInfo<CL_DEVICE_VENDOR>();
    cl_uint vendor_id = device.getInfo<CL_DEVICE_VENDOR_ID>();
    d.vendor = sdk::vendor_from_text(vendor);
    if (d.vendor.empty()) d.vendor = sdk::vendor_from_pci_id(vendor_id);
    d.pci_vendor_id = sdk::hex_id(vendor_id);
    std::string extensions = device.getInfo<CL_DEVICE_EXTENSIONS>();
    bool unified = device.getInfo<CL_DEVICE_HOST_UNIFIED_MEMORY>();  // deprecated in 2.0, still answered
    d.type = device_type(type_name(device.getInfo<CL_DEVICE_TYPE>()), unified);
    d.memory_total_bytes = device.getInfo<CL_DEVICE_GLOBAL_MEM_SIZE>();
    d.driver_version = device.getInfo<CL_DRIVER_VERSION>();
    d.runtime_name = "opencl";
    d.runtime_version = opencl_version(device.getInfo<CL_DEVICE_VERSION>());
    d.pci_bus_id = bus_id_of(device, extensions);
    if (has_extension(extensions, "cl_khr_device_uuid")) {
        unsigned char uuid[CL_UUID_SIZE_KHR] = {};
        if (clGetDeviceInfo(device(), CL_DEVICE_UUID_KHR, sizeof uuid, uuid, nullptr) == CL_SUCCESS)
            d.uuid = sdk::uuid_text(uuid);
    }
    if (has_extension(extensions, "cl_khr_fp64")) d.features.push_back("fp64");
    if (has_extension(extensions, "cl_khr_fp16")) d.features.push_back("fp16");
    d.signals = {"opencl"};
    d.details = {{"platform", platform.getInfo<CL_PLATFORM_NAME>()},
                 {"platform_index", platform_index},
                 {"device_index", device_index},
                 {"vendor", vendor},
                 {"opencl_c_version", device.getInfo<CL_DEVICE_OPENCL_C_VERSION>()},
                 {"compute_units", device.getInfo<CL_DEVICE_MAX_COMPUTE_UNITS>()},
                 {"max_clock_mhz", device.getInfo<CL_DEVICE_MAX_CLOCK_FREQUENCY>()},
                 {"source", "opencl"}};
    if (!device.getInfo<CL_DEVICE_AVAILABLE>()) d.mark_unusable("the OpenCL driver reports the device unavailable");
    return d;
}

}  // namespace

ProbeOutcome probe_live() {
    ProbeOutcome out;
    if (!loader_problem().empty()) {
        out.notes.push_back(loader_problem());
        return out;
    }
    std::vector<cl::Platform> platforms;
    try {
        cl::Platform::get(&platforms);
    } catch (const cl::Error &e) {
        // -1001 (CL_PLATFORM_NOT_FOUND_KHR): the ICD loader found no driver.
        out.notes.push_back(std::string("no OpenCL platform (") + e.what() + " " + std::to_string(e.err()) + ")");
        return out;
    }
    out.driver_found = !platforms.empty();
    for (size_t p = 0; p < platforms.size(); ++p) {
        std::vector<cl::Device> devices;
        try {
            platforms[p].getDevices(CL_DEVICE_TYPE_ALL, &devices);
        } catch (const cl::Error &e) {
            out.notes.push_back("platform " + std::to_string(p) + ": no devices (" + e.what() + " " +
                                std::to_string(e.err()) + ")");
            continue;
        }
        for (size_t i = 0; i < devices.size(); ++i) {
            try {
                out.devices.push_back(to_record(platforms[p], devices[i], int(p), int(i)));
            } catch (const cl::Error &e) {
                out.notes.push_back("platform " + std::to_string(p) + " device " + std::to_string(i) + ": " +
                                    e.what() + " " + std::to_string(e.err()));
            }
        }
    }
    return out;
}

}  // namespace gpuhost::opencl
