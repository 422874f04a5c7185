#include "level_zero.hpp"

#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <level_zero/ze_api.h>

namespace gpuhost::intel {

std::string ze_result_text(std::uint32_t result) {
    const char *name = nullptr;
    switch (result) {
    case ZE_RESULT_SUCCESS: name = "ZE_RESULT_SUCCESS"; break;
    case ZE_RESULT_ERROR_UNINITIALIZED: name = "ZE_RESULT_ERROR_UNINITIALIZED"; break;
    case ZE_RESULT_ERROR_DEVICE_LOST: name = "ZE_RESULT_ERROR_DEVICE_LOST"; break;
    case ZE_RESULT_ERROR_INSUFFICIENT_PERMISSIONS: name = "ZE_RESULT_ERROR_INSUFFICIENT_PERMISSIONS"; break;
    case ZE_RESULT_ERROR_NOT_AVAILABLE: name = "ZE_RESULT_ERROR_NOT_AVAILABLE"; break;
    case ZE_RESULT_ERROR_UNSUPPORTED_VERSION: name = "ZE_RESULT_ERROR_UNSUPPORTED_VERSION"; break;
    case ZE_RESULT_ERROR_UNKNOWN: name = "ZE_RESULT_ERROR_UNKNOWN"; break;
    default: break;
    }
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08x", result);
    return name ? std::string(name) + " (" + hex + ")" : std::string("result ") + hex;
}

namespace {

struct ZeApi {
    decltype(&zeInit) init = nullptr;
    decltype(&zeDriverGet) driver_get = nullptr;
    decltype(&zeDriverGetApiVersion) driver_api_version = nullptr;
    decltype(&zeDriverGetProperties) driver_properties = nullptr;
    decltype(&zeDeviceGet) device_get = nullptr;
    decltype(&zeDeviceGetProperties) device_properties = nullptr;
    decltype(&zeDeviceGetMemoryProperties) memory_properties = nullptr;
};

template <class F>
bool bind(void *lib, const char *symbol, F &slot) {
    slot = reinterpret_cast<F>(dlsym(lib, symbol));
    return slot != nullptr;
}

std::string uuid_hex(const ze_device_uuid_t &uuid) {
    static const char *digits = "0123456789abcdef";
    std::string s;
    for (auto byte : uuid.id) {
        s += digits[byte >> 4];
        s += digits[byte & 0xf];
    }
    return s;
}

std::string driver_version_text(std::uint32_t v) {
    // Intel's compute runtime packs major.minor.build as 8.8.16 bits (sycl-ls prints it so).
    return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xff) + "." + std::to_string(v & 0xffff);
}

}  // namespace

ZeProbe probe_level_zero(const std::string &library) { return probe_level_zero(sdk::open_library_file(library)); }

ZeProbe probe_level_zero(const sdk::VendorLibrary &opened) {
    ZeProbe probe;
    const std::string &library = opened.path;
    probe.library = library;
    // Kept open for the life of the process: drivers do not survive unloading well.
    void *lib = opened.handle;
    if (!lib) {
        // An override's error already names the variable and the file.
        probe.error = "cannot load " + (opened.variable.empty() ? library + ": " : std::string()) + opened.error;
        return probe;
    }
    ZeApi api;
    const char *missing = nullptr;
    if (!bind(lib, "zeInit", api.init)) missing = "zeInit";
    else if (!bind(lib, "zeDriverGet", api.driver_get)) missing = "zeDriverGet";
    else if (!bind(lib, "zeDeviceGet", api.device_get)) missing = "zeDeviceGet";
    else if (!bind(lib, "zeDeviceGetProperties", api.device_properties)) missing = "zeDeviceGetProperties";
    if (missing) {
        probe.error = library + " does not export " + missing + ": not a Level Zero loader";
        return probe;
    }
    bind(lib, "zeDriverGetApiVersion", api.driver_api_version);
    bind(lib, "zeDriverGetProperties", api.driver_properties);
    bind(lib, "zeDeviceGetMemoryProperties", api.memory_properties);
    probe.loaded = true;

    if (auto r = api.init(ZE_INIT_FLAG_GPU_ONLY); r != ZE_RESULT_SUCCESS) {
        probe.error = "zeInit failed with " + ze_result_text(r);
        return probe;
    }
    uint32_t driver_count = 0;
    if (auto r = api.driver_get(&driver_count, nullptr); r != ZE_RESULT_SUCCESS) {
        probe.error = "zeDriverGet failed with " + ze_result_text(r);
        return probe;
    }
    std::vector<ze_driver_handle_t> drivers(driver_count);
    if (driver_count && api.driver_get(&driver_count, drivers.data()) != ZE_RESULT_SUCCESS) driver_count = 0;
    drivers.resize(driver_count);
    for (auto driver : drivers) {
        std::string api_version, driver_version;
        ze_api_version_t v{};
        if (api.driver_api_version && api.driver_api_version(driver, &v) == ZE_RESULT_SUCCESS)
            api_version = std::to_string(ZE_MAJOR_VERSION(v)) + "." + std::to_string(ZE_MINOR_VERSION(v));
        ze_driver_properties_t dp{};
        dp.stype = ZE_STRUCTURE_TYPE_DRIVER_PROPERTIES;
        if (api.driver_properties && api.driver_properties(driver, &dp) == ZE_RESULT_SUCCESS)
            driver_version = driver_version_text(dp.driverVersion);
        uint32_t count = 0;
        if (api.device_get(driver, &count, nullptr) != ZE_RESULT_SUCCESS || count == 0) continue;
        std::vector<ze_device_handle_t> devices(count);
        if (api.device_get(driver, &count, devices.data()) != ZE_RESULT_SUCCESS) continue;
        devices.resize(count);
        for (auto handle : devices) {
            ze_device_properties_t props{};
            props.stype = ZE_STRUCTURE_TYPE_DEVICE_PROPERTIES;
            if (api.device_properties(handle, &props) != ZE_RESULT_SUCCESS || props.type != ZE_DEVICE_TYPE_GPU) continue;
            ZeDevice d;
            d.name = std::string(props.name, strnlen(props.name, sizeof props.name));
            d.vendor_id = props.vendorId;
            d.device_id = props.deviceId;
            d.integrated = (props.flags & ZE_DEVICE_PROPERTY_FLAG_INTEGRATED) != 0;
            d.uuid = uuid_hex(props.uuid);
            d.api_version = api_version;
            d.driver_version = driver_version;
            uint32_t mem_count = 0;
            if (api.memory_properties && api.memory_properties(handle, &mem_count, nullptr) == ZE_RESULT_SUCCESS && mem_count) {
                std::vector<ze_device_memory_properties_t> mems(mem_count);
                for (auto &m : mems) m.stype = ZE_STRUCTURE_TYPE_DEVICE_MEMORY_PROPERTIES;
                if (api.memory_properties(handle, &mem_count, mems.data()) == ZE_RESULT_SUCCESS) {
                    std::uint64_t total = 0;
                    for (uint32_t i = 0; i < mem_count && i < mems.size(); ++i) total += mems[i].totalSize;
                    d.memory_bytes = total;
                }
            }
            probe.devices.push_back(std::move(d));
        }
    }
    if (probe.devices.empty()) probe.error = "Level Zero initialised but lists no GPU";
    return probe;
}

}  // namespace gpuhost::intel
