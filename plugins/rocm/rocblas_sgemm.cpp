#include "rocblas_sgemm.hpp"

#include "gpuhost/kernel_support.hpp"
#include "gpuhost/text.hpp"
#include "gpuhost/vendor_library.hpp"

#include <algorithm>
#include <cstdlib>

namespace gpuhost::rocm {

namespace {

// The HIP and rocBLAS C entry points used here (hip_runtime_api.h, rocblas-functions.h),
// declared so nothing of ROCm is needed to build. Statuses: 0 is success.
using HipEvent = void *;
struct Hip {
    int (*device_count)(int *) = nullptr;
    int (*set_device)(int) = nullptr;
    int (*pci_bus_id)(char *, int, int) = nullptr;
    int (*malloc)(void **, size_t) = nullptr;
    int (*free)(void *) = nullptr;
    int (*memcpy)(void *, const void *, size_t, int) = nullptr;
    int (*synchronize)() = nullptr;
    int (*event_create)(HipEvent *) = nullptr;
    int (*event_record)(HipEvent, void *) = nullptr;
    int (*event_synchronize)(HipEvent) = nullptr;
    int (*event_elapsed)(float *, HipEvent, HipEvent) = nullptr;
    int (*event_destroy)(HipEvent) = nullptr;
    const char *(*error_string)(int) = nullptr;
};
constexpr int kHipMemcpyHostToDevice = 1, kHipMemcpyDeviceToHost = 2;
using RocblasHandle = void *;
struct Rocblas {
    int (*create)(RocblasHandle *) = nullptr;
    int (*destroy)(RocblasHandle) = nullptr;
    int (*sgemm)(RocblasHandle, int, int, int, int, int, const float *, const float *, int, const float *, int,
                 const float *, float *, int) = nullptr;
};
constexpr int kRocblasOperationNone = 111;

template <class Fn>
bool bind(const sdk::VendorLibrary &lib, Fn &slot, const char *name) {
    slot = reinterpret_cast<Fn>(lib.symbol(name));
    return slot != nullptr;
}

// Opened once per process, as drivers like. `why_not` says what is missing.
struct Libraries {
    Hip hip;
    Rocblas blas;
    std::string why_not, rocblas_path;
};

const Libraries &libraries(const sdk::Sysroot &root) {
    static const Libraries libs = [&] {
        Libraries l;
        const char *forced_hip = std::getenv("GPUHOST_HIP_LIBRARY");
        const char *forced_blas = std::getenv("GPUHOST_ROCBLAS_LIBRARY");
        // A test's HIP (GPUHOST_HIP_LIBRARY) is paired only with a test's rocBLAS.
        if (forced_hip && *forced_hip && !(forced_blas && *forced_blas)) {
            l.why_not = "rocBLAS not opened: HIP came from GPUHOST_HIP_LIBRARY (set GPUHOST_ROCBLAS_LIBRARY to pair one)";
            return l;
        }
        auto dirs = rocm_library_dirs([](const char *v) { return std::getenv(v); }, sdk::glob_folders);
        auto hip_lib = sdk::open_vendor_library(
            "GPUHOST_HIP_LIBRARY", {"libamdhip64.so.7", "libamdhip64.so.6", "libamdhip64.so.5", "libamdhip64.so"},
            root.is_live(), dirs);
        if (hip_lib.refused) {
            l.why_not = "HIP " + hip_lib.error;  // a recorded sysroot: never this machine's runtime
            return l;
        }
        if (!hip_lib.handle) {
            l.why_not = "the HIP runtime (libamdhip64) did not open: " + hip_lib.error;
            return l;
        }
        Hip &h = l.hip;
        bool ok = bind(hip_lib, h.device_count, "hipGetDeviceCount") && bind(hip_lib, h.set_device, "hipSetDevice") &&
                  bind(hip_lib, h.pci_bus_id, "hipDeviceGetPCIBusId") && bind(hip_lib, h.malloc, "hipMalloc") &&
                  bind(hip_lib, h.free, "hipFree") && bind(hip_lib, h.memcpy, "hipMemcpy") &&
                  bind(hip_lib, h.synchronize, "hipDeviceSynchronize") &&
                  bind(hip_lib, h.event_create, "hipEventCreate") && bind(hip_lib, h.event_record, "hipEventRecord") &&
                  bind(hip_lib, h.event_synchronize, "hipEventSynchronize") &&
                  bind(hip_lib, h.event_elapsed, "hipEventElapsedTime") &&
                  bind(hip_lib, h.event_destroy, "hipEventDestroy") && bind(hip_lib, h.error_string, "hipGetErrorString");
        if (!ok) {
            l.why_not = hip_lib.path + " lacks a HIP function gpuhost uses";
            return l;
        }
        auto blas_lib = sdk::open_vendor_library("GPUHOST_ROCBLAS_LIBRARY",
                                                 {"librocblas.so.5", "librocblas.so.4", "librocblas.so"},
                                                 root.is_live(), dirs);
        if (!blas_lib.handle) {
            l.why_not = "rocBLAS (librocblas) did not open: " + blas_lib.error;
            return l;
        }
        if (!bind(blas_lib, l.blas.create, "rocblas_create_handle") ||
            !bind(blas_lib, l.blas.destroy, "rocblas_destroy_handle") || !bind(blas_lib, l.blas.sgemm, "rocblas_sgemm")) {
            l.why_not = blas_lib.path + " lacks rocblas_create_handle, rocblas_destroy_handle or rocblas_sgemm";
            l.blas = {};
            return l;
        }
        l.rocblas_path = blas_lib.path;
        return l;
    }();
    return libs;
}

// Which HIP device has this bus id ("" and one device: that one); -1 when none.
int hip_device(const Hip &hip, const std::string &bus_id, std::string &why) {
    int count = 0;
    if (int rc = hip.device_count(&count); rc != 0 || count <= 0) {
        why = "hipGetDeviceCount found no device (" + std::string(hip.error_string(rc)) + ")";
        return -1;
    }
    if (bus_id.empty()) {
        if (count == 1) return 0;
        why = "the record has no PCI bus id and HIP sees " + std::to_string(count) + " devices";
        return -1;
    }
    std::string want = text::normalize_pci_bus_id(bus_id);
    for (int i = 0; i < count; ++i) {
        char id[64] = {};
        if (hip.pci_bus_id(id, sizeof id, i) == 0 && text::normalize_pci_bus_id(id) == want) return i;
    }
    why = "no HIP device has PCI bus id " + want;
    return -1;
}

// Device buffers freed on every path out.
struct DeviceBuffers {
    const Hip &hip;
    std::vector<void *> held;
    explicit DeviceBuffers(const Hip &h) : hip(h) {}
    ~DeviceBuffers() {
        for (void *p : held) hip.free(p);
    }
    float *get(size_t floats, int &rc) {
        void *p = nullptr;
        rc = hip.malloc(&p, floats * sizeof(float));
        if (rc == 0) held.push_back(p);
        return static_cast<float *>(p);
    }
};

}  // namespace

std::vector<std::string> rocm_library_dirs(const std::function<const char *(const char *)> &env,
                                           const std::function<std::vector<std::string>(const std::string &)> &glob) {
    std::vector<std::string> out;
    for (const char *var : {"VIRTUAL_ENV", "CONDA_PREFIX"})
        if (const char *prefix = env(var); prefix && *prefix)
            for (const auto &dir : glob(std::string(prefix) + "/lib/python3*/site-packages/torch/lib")) out.push_back(dir + "/");
    if (const char *rocm = env("ROCM_PATH"); rocm && *rocm) out.push_back(std::string(rocm) + "/lib/");
    out.push_back("/opt/rocm/lib/");
    for (const auto &dir : glob("/opt/rocm-*/lib")) out.push_back(dir + "/");
    return out;
}

gpuhost_status rocblas_sgemm(const sdk::Sysroot &root, const std::string &bus_id, gpuhost_kernel_args &args,
                             std::string &message) {
    const Libraries &libs = libraries(root);
    if (!libs.why_not.empty()) {
        message = libs.why_not;
        return GPUHOST_ERR_UNSUPPORTED;
    }
    const Hip &hip = libs.hip;
    auto failed = [&](const char *call, int rc) {
        message = std::string(call) + " failed: " + (hip.error_string ? hip.error_string(rc) : "") + " (" +
                  std::to_string(rc) + ")";
        return GPUHOST_ERR_FAILED;
    };
    std::string why;
    int device = hip_device(hip, bus_id, why);
    if (device < 0) {
        message = why;
        return GPUHOST_ERR_UNSUPPORTED;
    }
    if (int rc = hip.set_device(device)) return failed("hipSetDevice", rc);
    const size_t m = args.m, n = args.n, k = args.k;
    if (m > 0x7fffffff || n > 0x7fffffff || k > 0x7fffffff) {
        message = "sgemm sizes beyond rocBLAS's 32-bit rocblas_int";
        return GPUHOST_ERR_ARGUMENT;
    }
    DeviceBuffers buffers(hip);
    int rc = 0;
    float *A = buffers.get(m * k, rc);
    if (rc) return failed("hipMalloc", rc);
    float *B = buffers.get(k * n, rc);
    if (rc) return failed("hipMalloc", rc);
    float *C = buffers.get(m * n, rc);
    if (rc) return failed("hipMalloc", rc);
    if ((rc = hip.memcpy(A, args.a, m * k * sizeof(float), kHipMemcpyHostToDevice))) return failed("hipMemcpy", rc);
    if ((rc = hip.memcpy(B, args.b, k * n * sizeof(float), kHipMemcpyHostToDevice))) return failed("hipMemcpy", rc);
    RocblasHandle handle = nullptr;
    if ((rc = libs.blas.create(&handle))) {
        message = "rocblas_create_handle failed with status " + std::to_string(rc) + " (" + libs.rocblas_path + ")";
        return GPUHOST_ERR_UNSUPPORTED;
    }
    HipEvent start = nullptr, stop = nullptr;
    hip.event_create(&start);
    hip.event_create(&stop);
    const float one = 1.0f, zero = 0.0f;
    int status = 0;
    // Row-major C = A B is column-major C^T = B^T A^T: the operands swap, nothing transposes.
    auto once = [&]() -> double {
        hip.event_record(start, nullptr);
        if (!status)
            status = libs.blas.sgemm(handle, kRocblasOperationNone, kRocblasOperationNone, int(n), int(m), int(k), &one,
                                     B, int(n), A, int(k), &zero, C, int(n));
        hip.event_record(stop, nullptr);
        hip.event_synchronize(stop);
        float ms = 0;
        return hip.event_elapsed(&ms, start, stop) == 0 ? ms / 1000.0 : -1.0;
    };
    bool device_timer = true;
    args.seconds = sdk::time_median(sdk::repeat_count(args), device_timer, once);
    args.device_timer = device_timer ? 1 : 0;
    hip.event_destroy(start);
    hip.event_destroy(stop);
    libs.blas.destroy(handle);
    if (status) {
        message = "rocblas_sgemm failed with status " + std::to_string(status) + " (" + libs.rocblas_path + ")";
        return GPUHOST_ERR_FAILED;
    }
    if ((rc = hip.memcpy(args.c, C, m * n * sizeof(float), kHipMemcpyDeviceToHost))) return failed("hipMemcpy", rc);
    sdk::set_implementation(args, "rocBLAS");
    return GPUHOST_OK;
}

}  // namespace gpuhost::rocm
