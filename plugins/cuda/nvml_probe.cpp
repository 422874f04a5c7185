#include "nvml_probe.hpp"

#include "nvml_abi.h"
#include "vendor_library.hpp"

namespace gpuhost::cuda {

namespace {

struct Nvml {
    nvmlInit_v2_fn init = nullptr;
    nvmlErrorString_fn error_string = nullptr;
    nvmlSystemGetDriverVersion_fn driver_version = nullptr;
    nvmlSystemGetCudaDriverVersion_v2_fn cuda_version = nullptr;
    nvmlDeviceGetCount_v2_fn count = nullptr;
    nvmlDeviceGetHandleByIndex_v2_fn handle = nullptr;
    nvmlDeviceGetName_fn name = nullptr;
    nvmlDeviceGetUUID_fn uuid = nullptr;
    nvmlDeviceGetPciInfo_v3_fn pci = nullptr;
    nvmlDeviceGetMemoryInfo_fn memory = nullptr;
    nvmlDeviceGetCudaComputeCapability_fn cc = nullptr;
};

template <class Fn>
bool bind(const VendorLibrary &lib, Fn &fn, const char *symbol, std::string &missing) {
    fn = reinterpret_cast<Fn>(lib.symbol(symbol));
    if (!fn && missing.empty()) missing = symbol;
    return fn != nullptr;
}

std::string describe(const Nvml &api, nvmlReturn_t rc) {
    const char *text = api.error_string ? api.error_string(rc) : nullptr;
    return (text ? std::string(text) : "NVML error") + " (NVML error " + std::to_string(rc) + ")";
}

Failure classify(nvmlReturn_t rc) {
    switch (rc) {
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH: return Failure::mismatch;
    case NVML_ERROR_DRIVER_NOT_LOADED: return Failure::no_driver;
    case NVML_ERROR_NO_PERMISSION: return Failure::no_permission;
    default: return Failure::other;
    }
}

GpuFacts read_device(const Nvml &api, unsigned index, nvmlDevice_t dev) {
    GpuFacts g;
    g.index = int(index);
    char text[NVML_DEVICE_NAME_V2_BUFFER_SIZE] = {};
    if (api.name(dev, text, sizeof text) == NVML_SUCCESS) g.name = text;
    char uuid[NVML_DEVICE_UUID_V2_BUFFER_SIZE] = {};
    if (api.uuid(dev, uuid, sizeof uuid) == NVML_SUCCESS) g.uuid = uuid;
    nvmlPciInfo_t pci{};
    if (api.pci(dev, &pci) == NVML_SUCCESS) {
        g.pci_bus_id = normalise_bus_id(pci.busId);
        char id[16];
        std::snprintf(id, sizeof id, "0x%04x", pci.pciDeviceId >> 16);
        g.pci_device_id = id;
    }
    nvmlMemory_t mem{};
    if (api.memory(dev, &mem) == NVML_SUCCESS) {
        g.memory_total = mem.total;
        g.memory_free = mem.free;
    }
    int major = -1, minor = -1;
    if (api.cc(dev, &major, &minor) == NVML_SUCCESS) {
        g.cc_major = major;
        g.cc_minor = minor;
    }
    return g;
}

}  // namespace

SignalReport probe_nvml(const sdk::Sysroot &root) {
    SignalReport r;
    r.signal = "nvml";
    auto lib = open_vendor_library(root, "GPUHOST_NVML_LIBRARY", {"libnvidia-ml.so.1"});
    if (!lib.handle) {
        r.error = "NVML not loaded: " + lib.error;
        return r;
    }
    r.library_version = library_file_version(lib);
    Nvml api;
    std::string missing;
    bind(lib, api.error_string, "nvmlErrorString", missing);
    missing.clear();  // optional
    bind(lib, api.init, "nvmlInit_v2", missing);
    bind(lib, api.driver_version, "nvmlSystemGetDriverVersion", missing);
    bind(lib, api.cuda_version, "nvmlSystemGetCudaDriverVersion_v2", missing);
    bind(lib, api.count, "nvmlDeviceGetCount_v2", missing);
    bind(lib, api.handle, "nvmlDeviceGetHandleByIndex_v2", missing);
    bind(lib, api.name, "nvmlDeviceGetName", missing);
    bind(lib, api.uuid, "nvmlDeviceGetUUID", missing);
    bind(lib, api.pci, "nvmlDeviceGetPciInfo_v3", missing);
    bind(lib, api.memory, "nvmlDeviceGetMemoryInfo", missing);
    bind(lib, api.cc, "nvmlDeviceGetCudaComputeCapability", missing);
    if (!missing.empty()) {
        r.failure = Failure::other;
        r.error = lib.path + " lacks " + missing + ": the NVIDIA driver is too old for gpuhost";
        return r;
    }
    if (auto rc = api.init(); rc != NVML_SUCCESS) {
        r.failure = classify(rc);
        r.error = "nvmlInit: " + describe(api, rc);
        return r;
    }
    char version[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = {};
    if (api.driver_version(version, sizeof version) == NVML_SUCCESS) r.driver_version = version;
    int cuda = 0;
    if (api.cuda_version(&cuda) == NVML_SUCCESS) r.cuda_version = cuda;
    unsigned count = 0;
    if (auto rc = api.count(&count); rc != NVML_SUCCESS) {
        r.failure = classify(rc);
        r.error = "nvmlDeviceGetCount: " + describe(api, rc);
        return r;
    }
    r.failure = count ? Failure::none : Failure::no_devices;
    if (!count) r.error = "NVML found no GPUs";
    for (unsigned i = 0; i < count; ++i) {
        nvmlDevice_t dev = nullptr;
        if (auto rc = api.handle(i, &dev); rc != NVML_SUCCESS) {
            // One GPU off the bus or denied: keep it, with the reason, and go on.
            GpuFacts g;
            g.index = int(i);
            g.name = "NVIDIA GPU " + std::to_string(i);
            g.problem = "NVML cannot open this GPU: " + describe(api, rc);
            r.gpus.push_back(g);
            continue;
        }
        r.gpus.push_back(read_device(api, i, dev));
    }
    return r;  // no nvmlShutdown: the library stays loaded for the process
}

}  // namespace gpuhost::cuda
