#include "cuda_driver_probe.hpp"

#include "vendor_library.hpp"

#include <cstdlib>

namespace gpuhost::cuda {

const std::optional<std::string> &hidden_devices_setting() {
    static const std::optional<std::string> value = [] {
        const char *s = std::getenv("CUDA_VISIBLE_DEVICES");
        return s ? std::optional<std::string>(s) : std::nullopt;
    }();
    return value;
}

CUresult init_seeing_all_devices(decltype(&cuInit) init) {
    // Not thread-safe (setenv), like cuInit's own reading of the environment;
    // detection runs this once, before any other thread of its own touches CUDA.
    std::optional<std::string> saved;
    if (const char *s = std::getenv("CUDA_VISIBLE_DEVICES")) saved = s;
    unsetenv("CUDA_VISIBLE_DEVICES");
    CUresult rc = init(0);
    if (saved) setenv("CUDA_VISIBLE_DEVICES", saved->c_str(), 1);
    return rc;
}

const VendorLibrary &cuda_library(const sdk::Sysroot &root) {
    static const VendorLibrary lib =
        open_vendor_library(root, "GPUHOST_CUDA_LIBRARY", {"libcuda.so.1", "libcuda.so"});
    return lib;
}

namespace {

template <class Fn>
void bind(const VendorLibrary &lib, Fn *&fn, const char *symbol, std::string &missing) {
    fn = reinterpret_cast<Fn *>(lib.symbol(symbol));
    if (!fn && missing.empty()) missing = symbol;
}

std::string describe(CUresult rc, decltype(&cuGetErrorString) error_string) {
    const char *text = nullptr;
    if (error_string) error_string(rc, &text);
    return (text ? std::string(text) : "CUDA error") + " (CUresult " + std::to_string(int(rc)) + ")";
}

}  // namespace

SignalReport probe_cuda_driver(const sdk::Sysroot &root) {
    SignalReport r;
    r.signal = "cuda-driver";
    const auto &lib = cuda_library(root);
    if (!lib.handle) {
        r.error = "libcuda not loaded: " + lib.error;
        return r;
    }
    std::string missing;
    decltype(&cuGetErrorString) error_string = nullptr;
    bind(lib, error_string, "cuGetErrorString", missing);
    missing.clear();  // optional
    decltype(&cuInit) init;
    decltype(&cuDriverGetVersion) version;
    decltype(&cuDeviceGetCount) count;
    decltype(&cuDeviceGet) get;
    decltype(&cuDeviceGetName) name;
    decltype(&cuDeviceTotalMem_v2) total_mem;
    decltype(&cuDeviceGetAttribute) attribute;
    decltype(&cuDeviceGetUuid_v2) uuid;
    bind(lib, init, "cuInit", missing);
    bind(lib, version, "cuDriverGetVersion", missing);
    bind(lib, count, "cuDeviceGetCount", missing);
    bind(lib, get, "cuDeviceGet", missing);
    bind(lib, name, "cuDeviceGetName", missing);
    bind(lib, total_mem, "cuDeviceTotalMem_v2", missing);
    bind(lib, attribute, "cuDeviceGetAttribute", missing);
    bind(lib, uuid, "cuDeviceGetUuid_v2", missing);
    if (!missing.empty()) {
        r.failure = Failure::other;
        r.error = lib.path + " lacks " + missing + ": the NVIDIA driver is too old for gpuhost";
        return r;
    }
    int v = 0;
    if (version(&v) == CUDA_SUCCESS) r.cuda_version = v;  // valid before cuInit
    if (auto rc = init_seeing_all_devices(init); rc != CUDA_SUCCESS) {
        r.failure = rc == CUDA_ERROR_NO_DEVICE          ? Failure::no_devices
                    : rc == CUDA_ERROR_SYSTEM_DRIVER_MISMATCH ? Failure::mismatch
                                                        : Failure::other;
        r.error = "cuInit: " + describe(rc, error_string);
        return r;
    }
    int n = 0;
    if (auto rc = count(&n); rc != CUDA_SUCCESS) {
        r.failure = Failure::other;
        r.error = "cuDeviceGetCount: " + describe(rc, error_string);
        return r;
    }
    r.failure = n ? Failure::none : Failure::no_devices;
    if (!n) r.error = "libcuda found no GPUs";
    for (int i = 0; i < n; ++i) {
        GpuFacts g;
        g.index = i;
        CUdevice dev = 0;
        if (auto rc = get(&dev, i); rc != CUDA_SUCCESS) {
            g.name = "NVIDIA GPU " + std::to_string(i);
            g.problem = "cuDeviceGet: " + describe(rc, error_string);
            r.gpus.push_back(g);
            continue;
        }
        char text[256] = {};
        if (name(text, sizeof text, dev) == CUDA_SUCCESS) g.name = text;
        size_t bytes = 0;
        if (total_mem(&bytes, dev) == CUDA_SUCCESS) g.memory_total = bytes;
        auto attr = [&](CUdevice_attribute a) {
            int value = -1;
            return attribute(&value, a, dev) == CUDA_SUCCESS ? value : -1;
        };
        g.cc_major = attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        g.cc_minor = attr(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int domain = attr(CU_DEVICE_ATTRIBUTE_PCI_DOMAIN_ID), bus = attr(CU_DEVICE_ATTRIBUTE_PCI_BUS_ID),
            slot = attr(CU_DEVICE_ATTRIBUTE_PCI_DEVICE_ID);
        if (domain >= 0 && bus >= 0 && slot >= 0) {
            char id[32];
            std::snprintf(id, sizeof id, "%04x:%02x:%02x.0", domain, bus, slot);
            g.pci_bus_id = id;
        }
        CUuuid u{};
        if (uuid(&u, dev) == CUDA_SUCCESS) {
            // nvidia-smi's form: GPU-8-4-4-4-12 hex digits.
            std::string s = "GPU-";
            static const char *digits = "0123456789abcdef";
            for (int b = 0; b < 16; ++b) {
                if (b == 4 || b == 6 || b == 8 || b == 10) s += '-';
                s += digits[(unsigned char)u.bytes[b] >> 4];
                s += digits[(unsigned char)u.bytes[b] & 15];
            }
            g.uuid = s;
        }
        r.gpus.push_back(g);
    }
    return r;
}

}  // namespace gpuhost::cuda
