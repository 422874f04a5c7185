#include "cuda_kernels.hpp"

#include "cublas_library.hpp"
#include "cuda_driver_probe.hpp"
#include "gpuhost/kernel_support.hpp"
#include "cuda_kernels_ptx.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cuda.h>
#include <filesystem>
#include <map>
#include <numeric>
#include <regex>
#include <stdexcept>
#include <vector>

namespace gpuhost::cuda {

namespace {

struct Api {
    decltype(&cuInit) init;
    decltype(&cuGetErrorString) error_string;
    decltype(&cuDeviceGet) device_get;
    decltype(&cuDeviceGetByPCIBusId) device_by_bus;
    decltype(&cuDevicePrimaryCtxRetain) ctx_retain;
    decltype(&cuCtxSetCurrent) ctx_set;
    decltype(&cuModuleLoadData) module_load;
    decltype(&cuModuleGetFunction) get_function;
    decltype(&cuMemAlloc_v2) alloc;
    decltype(&cuMemFree_v2) free;
    decltype(&cuMemcpyHtoD_v2) to_device;
    decltype(&cuMemcpyDtoH_v2) to_host;
    decltype(&cuMemcpyDtoD_v2) device_copy;
    decltype(&cuLaunchKernel) launch;
    decltype(&cuEventCreate) event_create;
    decltype(&cuEventRecord) event_record;
    decltype(&cuEventSynchronize) event_sync;
    decltype(&cuEventElapsedTime_v2) elapsed;  // same signature as the v1 symbol every driver exports
    decltype(&cuCtxSynchronize) sync;
};

// A CUDA failure, with the call and the driver's words.
struct CudaError : std::runtime_error {
    CUresult code;
    CudaError(std::string what, CUresult rc) : std::runtime_error(std::move(what)), code(rc) {}
};

// cuBLAS's C entry points used here (cublas_api.h), declared so nothing
// needs the header or links the library.
using CublasHandle = void *;
struct Cublas {
    int (*create)(CublasHandle *) = nullptr;
    int (*sgemm)(CublasHandle, int transa, int transb, int m, int n, int k, const float *alpha, const float *A,
                 int lda, const float *B, int ldb, const float *beta, float *C, int ldc) = nullptr;
    int (*version)(CublasHandle, int *) = nullptr;
    int (*set_math_mode)(CublasHandle, int) = nullptr;
    std::string path, why_not;  // the file opened; or why none was
};
constexpr int kCublasOpN = 0, kCublasDefaultMath = 0;

// Opened once. A libcuda from GPUHOST_CUDA_LIBRARY (a test's fake driver) is
// paired only with a cuBLAS from GPUHOST_CUBLAS_LIBRARY, never with a real one.
const Cublas &cublas(const VendorLibrary &driver) {
    static const Cublas lib = [&] {
        Cublas c;
        const char *forced = std::getenv("GPUHOST_CUBLAS_LIBRARY");
        if (!driver.variable.empty() && !(forced && *forced)) {
            c.why_not = "cuBLAS not opened: libcuda came from " + driver.variable + " (set GPUHOST_CUBLAS_LIBRARY to pair one)";
            return c;
        }
        auto candidates = cublas_candidates([](const char *v) { return std::getenv(v); }, sdk::glob_folders, library_dir(driver));
        std::string first_error;
        for (const auto &file : candidates) {
            bool bare = file.find('/') == std::string::npos;
            std::error_code ec;
            if (!bare && !(forced && *forced) && !std::filesystem::exists(file, ec)) continue;
            if (!bare) {
                // cuBLAS needs cuBLASLt, which sits beside it and may not be on the loader's path.
                std::string dir = file.substr(0, file.rfind('/')), soname = file.substr(file.rfind('/') + 1);
                std::string lt = dir + "/" + std::regex_replace(soname, std::regex("^libcublas"), "libcublasLt");
                if (std::filesystem::exists(lt, ec)) sdk::open_library_file(lt);  // kept loaded
            }
            auto v = sdk::open_library_file(file);
            if (!v.handle) {
                if (first_error.empty() || !bare) first_error = v.error;
                continue;
            }
            c.create = reinterpret_cast<decltype(c.create)>(v.symbol("cublasCreate_v2"));
            c.sgemm = reinterpret_cast<decltype(c.sgemm)>(v.symbol("cublasSgemm_v2"));
            c.version = reinterpret_cast<decltype(c.version)>(v.symbol("cublasGetVersion_v2"));
            c.set_math_mode = reinterpret_cast<decltype(c.set_math_mode)>(v.symbol("cublasSetMathMode"));
            c.path = file;
            if (!c.create || !c.sgemm) {
                c.create = nullptr, c.sgemm = nullptr;
                c.why_not = file + " lacks cublasCreate_v2 or cublasSgemm_v2";
            }
            return c;
        }
        c.why_not = "cuBLAS not found (" + (first_error.empty() ? "no libcublas in the Python environment, the "
                                                                   "loader's path, the driver's folder or the CUDA toolkit"
                                                                 : first_error) + ")";
        return c;
    }();
    return lib;
}

class Runner {
public:
    explicit Runner(const Api &api) : api_(api) {}
    ~Runner() {
        for (auto p : buffers_) api_.free(p);
    }
    void check(CUresult rc, const char *call) const {
        if (rc == CUDA_SUCCESS) return;
        const char *text = nullptr;
        if (api_.error_string) api_.error_string(rc, &text);
        throw CudaError(std::string(call) + ": " + (text ? text : "CUDA error") + " (CUresult " + std::to_string(int(rc)) + ")", rc);
    }
    CUdeviceptr upload(const float *host, std::size_t count) {
        CUdeviceptr p = alloc(count);
        if (host) check(api_.to_device(p, host, count * sizeof(float)), "cuMemcpyHtoD");
        return p;
    }
    CUdeviceptr alloc(std::size_t count) {
        CUdeviceptr p = 0;
        check(api_.alloc(&p, std::max<std::size_t>(count, 1) * sizeof(float)), "cuMemAlloc");
        buffers_.push_back(p);
        return p;
    }
    void download(float *host, CUdeviceptr p, std::size_t count) {
        check(api_.to_host(host, p, count * sizeof(float)), "cuMemcpyDtoH");
    }
    CUfunction function(const char *module, const char *entry) {
        // Loaded once per device and kept: the primary context lives as long as the process.
        static std::map<std::pair<CUdevice, std::string>, CUfunction> loaded;
        auto key = std::make_pair(device, std::string(entry));
        if (auto it = loaded.find(key); it != loaded.end()) return it->second;
        const char *ptx = nullptr;
        for (unsigned i = 0; i < kPtxModuleCount; ++i)
            if (std::strcmp(kPtxModules[i].name, module) == 0) ptx = kPtxModules[i].ptx;
        if (!ptx) throw std::runtime_error(std::string("no PTX for kernel ") + module);
        CUmodule mod = nullptr;
        CUresult rc = api_.module_load(&mod, ptx);
        if (rc == CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
            // nvcc writes the newest PTX ISA it knows (9.0 from CUDA 13, which
            // needs driver 580). These kernels use only instructions from long
            // before, and sm_75 needs ISA 6.3, so ISA 7.0 (driver 450+) takes them.
            std::string lowered = std::regex_replace(std::string(ptx), std::regex(R"(\.version [0-9]+\.[0-9]+)"), ".version 7.0");
            rc = api_.module_load(&mod, lowered.c_str());
        }
        check(rc, "cuModuleLoadData");
        CUfunction f = nullptr;
        check(api_.get_function(&f, mod, entry), "cuModuleGetFunction");
        return loaded[key] = f;
    }
    // One warm-up, then `repeats` timed launches; before each, `reset` (untimed).
    template <class Launch, class Reset>
    double time(unsigned repeats, Launch launch, Reset reset) {
        CUevent start, stop;
        check(api_.event_create(&start, CU_EVENT_DEFAULT), "cuEventCreate");
        check(api_.event_create(&stop, CU_EVENT_DEFAULT), "cuEventCreate");
        std::vector<double> seconds;
        for (unsigned r = 0; r <= repeats; ++r) {
            reset();
            check(api_.event_record(start, nullptr), "cuEventRecord");
            launch();
            check(api_.event_record(stop, nullptr), "cuEventRecord");
            check(api_.event_sync(stop), "cuEventSynchronize");
            float ms = 0;
            check(api_.elapsed(&ms, start, stop), "cuEventElapsedTime");
            if (r > 0) seconds.push_back(ms / 1000.0);
        }
        std::nth_element(seconds.begin(), seconds.begin() + seconds.size() / 2, seconds.end());
        return seconds[seconds.size() / 2];
    }
    void launch(CUfunction f, unsigned gx, unsigned gy, unsigned block_x, unsigned block_y, void **params) {
        check(api_.launch(f, gx, gy, 1, block_x, block_y, 1, 0, nullptr, params, nullptr), "cuLaunchKernel");
    }
    const Api &api() const { return api_; }
    CUdevice device = 0;

private:
    const Api &api_;
    std::vector<CUdeviceptr> buffers_;
};

// Blocks for a grid-stride loop over `items` with `block` threads each:
// enough to fill any device, never more than the items need.
unsigned grid_for(std::uint64_t items, unsigned block, unsigned most = 1u << 16) {
    return unsigned(std::clamp<std::uint64_t>((items + block - 1) / block, 1, most));
}

std::string bind_api(const VendorLibrary &lib, Api &api) {
    std::string missing;
    auto bind = [&](auto &fn, const char *name) {
        fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(lib.symbol(name));
        if (!fn && missing.empty()) missing = name;
    };
    bind(api.init, "cuInit");
    bind(api.error_string, "cuGetErrorString");
    bind(api.device_get, "cuDeviceGet");
    bind(api.device_by_bus, "cuDeviceGetByPCIBusId");
    bind(api.ctx_retain, "cuDevicePrimaryCtxRetain");
    bind(api.ctx_set, "cuCtxSetCurrent");
    bind(api.module_load, "cuModuleLoadData");
    bind(api.get_function, "cuModuleGetFunction");
    bind(api.alloc, "cuMemAlloc_v2");
    bind(api.free, "cuMemFree_v2");
    bind(api.to_device, "cuMemcpyHtoD_v2");
    bind(api.to_host, "cuMemcpyDtoH_v2");
    bind(api.device_copy, "cuMemcpyDtoD_v2");
    bind(api.launch, "cuLaunchKernel");
    bind(api.event_create, "cuEventCreate");
    bind(api.event_record, "cuEventRecord");
    bind(api.event_sync, "cuEventSynchronize");
    bind(api.elapsed, "cuEventElapsedTime");
    bind(api.sync, "cuCtxSynchronize");
    return missing;
}

CUdevice pick_device(Runner &run, const boost::json::object &device) {
    CUdevice dev = 0;
    if (auto pci = device.find("pci"); pci != device.end() && pci->value().is_object())
        if (auto bus = pci->value().as_object().find("bus_id"); bus != pci->value().as_object().end() && bus->value().is_string()) {
            run.check(run.api().device_by_bus(&dev, bus->value().as_string().c_str()), "cuDeviceGetByPCIBusId");
            return dev;
        }
    int index = 0;
    if (auto d = device.find("details"); d != device.end() && d->value().is_object())
        if (auto i = d->value().as_object().find("index"); i != d->value().as_object().end() && i->value().is_int64())
            index = int(i->value().as_int64());
    run.check(run.api().device_get(&dev, index), "cuDeviceGet");
    return dev;
}

std::string validate(const gpuhost_kernel_args &a) {
    switch (a.kernel) {
    case GPUHOST_KERNEL_SAXPY: case GPUHOST_KERNEL_COPY:
        return a.n && a.x && a.y ? "" : "saxpy/copy need n > 0, x and y";
    case GPUHOST_KERNEL_DOT: return a.n && a.x && a.y && a.c ? "" : "dot needs n > 0, x, y and c";
    case GPUHOST_KERNEL_SGEMM: return a.m && a.n && a.k && a.a && a.b && a.c ? "" : "sgemm needs m, n, k > 0, a, b and c";
    case GPUHOST_KERNEL_COSINE_TOPK:
        return a.m && a.k && a.top_k && a.top_k <= 64 && a.a && a.x && a.c && a.indices ? ""
               : "cosine_topk needs m, k > 0, 0 < top_k <= 64, a, x, c and indices";
    default: return "unknown kernel id " + std::to_string(a.kernel);
    }
}

// The own sgemm kernel, C = A * B row-major.
void launch_sgemm(Runner &run, CUfunction f, unsigned long long &m, unsigned long long &n, unsigned long long &k,
                  CUdeviceptr &A, CUdeviceptr &B, CUdeviceptr &C) {
    void *params[] = {&m, &n, &k, &A, &B, &C};
    run.launch(f, unsigned((n + 15) / 16), unsigned((m + 15) / 16), 16, 16, params);
}

void run_kernel(Runner &run, gpuhost_kernel_args &a, const VendorLibrary &driver, std::string &note) {
    unsigned repeats = a.repeats ? a.repeats : 1;
    auto none = [] {};
    sdk::set_implementation(a, "own kernel");
    switch (a.kernel) {
    case GPUHOST_KERNEL_SAXPY: {
        CUfunction f = run.function("saxpy", "gpuhost_saxpy");
        CUdeviceptr x = run.upload(a.x, a.n), y0 = run.upload(a.y, a.n), y = run.alloc(a.n);
        unsigned long long n = a.n;
        float alpha = a.alpha;
        void *params[] = {&n, &alpha, &x, &y};
        // y is in and out: every run starts from the caller's y, so the result is one saxpy.
        a.seconds = run.time(repeats, [&] { run.launch(f, grid_for(n / 4, 256), 1, 256, 1, params); },
                             [&] { run.check(run.api().device_copy(y, y0, n * sizeof(float)), "cuMemcpyDtoD"); });
        run.download(a.y, y, n);
        break;
    }
    case GPUHOST_KERNEL_COPY: {
        CUfunction f = run.function("copy", "gpuhost_copy");
        CUdeviceptr x = run.upload(a.x, a.n), y = run.alloc(a.n), scratch = run.alloc(a.n);
        unsigned long long n = a.n;
        void *params[] = {&n, &x, &y};
        a.seconds = run.time(repeats, [&] { run.launch(f, grid_for(n / 4, 256), 1, 256, 1, params); }, none);
        run.download(a.y, y, n);
        // The driver's own copy of the same bytes: the other half of the ceiling.
        a.driver_copy_seconds = run.time(repeats, [&] {
            run.check(run.api().device_copy(scratch, x, n * sizeof(float)), "cuMemcpyDtoD");
        }, none);
        break;
    }
    case GPUHOST_KERNEL_DOT: {
        CUfunction f = run.function("dot", "gpuhost_dot"), sum = run.function("dot", "gpuhost_sum_partials");
        unsigned blocks = grid_for(a.n / 4, 256, 2048);
        CUdeviceptr x = run.upload(a.x, a.n), y = run.upload(a.y, a.n), partials = run.alloc(blocks), result = run.alloc(1);
        unsigned long long n = a.n;
        void *params[] = {&n, &x, &y, &partials};
        void *sum_params[] = {&partials, &blocks, &result};
        a.seconds = run.time(repeats, [&] {
            run.launch(f, blocks, 1, 256, 1, params);
            run.launch(sum, 1, 1, 1024, 1, sum_params);
        }, none);
        run.download(a.c, result, 1);
        note = "one pass and a device-side sum of " + std::to_string(blocks) + " partials; ";
        break;
    }
    case GPUHOST_KERNEL_SGEMM: {
        CUfunction f = run.function("sgemm", "gpuhost_sgemm");
        CUdeviceptr A = run.upload(a.a, a.m * a.k), B = run.upload(a.b, a.k * a.n), C = run.alloc(a.m * a.n);
        unsigned long long m = a.m, n = a.n, k = a.k;
        const Cublas &blas = cublas(driver);
        static std::map<CUdevice, CublasHandle> handles;  // one per device, kept like the primary context
        CublasHandle handle = nullptr;
        std::string why_not = blas.why_not;
        if (blas.create) {
            if (auto it = handles.find(run.device); it != handles.end()) {
                handle = it->second;
            } else if (int rc = blas.create(&handle); rc != 0) {
                handle = nullptr;
                why_not = "cublasCreate failed with status " + std::to_string(rc) + " (" + blas.path + ")";
            } else {
                if (blas.set_math_mode) blas.set_math_mode(handle, kCublasDefaultMath);  // fp32, no TF32
                handles[run.device] = handle;
            }
        }
        if (!handle) {
            a.seconds = run.time(repeats, [&] { launch_sgemm(run, f, m, n, k, A, B, C); }, none);
            run.download(a.c, C, a.m * a.n);
            note = why_not + ": the own kernel ran; ";
            break;
        }
        // Row-major C = A B is column-major C^T = B^T A^T: cuBLAS gets B first.
        const float one = 1.0f, zero = 0.0f;
        int status = 0;
        a.seconds = run.time(repeats, [&] {
            if (!status) status = blas.sgemm(handle, kCublasOpN, kCublasOpN, int(n), int(m), int(k), &one,
                                             reinterpret_cast<const float *>(B), int(n),
                                             reinterpret_cast<const float *>(A), int(k), &zero,
                                             reinterpret_cast<float *>(C), int(n));
        }, none);
        if (status) throw std::runtime_error("cublasSgemm failed with status " + std::to_string(status) + " (" + blas.path + ")");
        run.download(a.c, C, a.m * a.n);
        sdk::set_implementation(a, "cuBLAS");
        int version = 0;
        if (blas.version) blas.version(handle, &version);
        // The own kernel on the same inputs, reported against cuBLAS when it agrees.
        CUdeviceptr own = run.alloc(a.m * a.n);
        double own_seconds = run.time(repeats, [&] { launch_sgemm(run, f, m, n, k, A, B, own); }, none);
        std::vector<float> own_c(a.m * a.n);
        run.download(own_c.data(), own, a.m * a.n);
        std::string differs = sdk::compare_sgemm(own_c.data(), a.c, a.a, a.b, a.m, a.n, a.k);
        if (differs.empty()) a.own_kernel_seconds = own_seconds;
        note = "cuBLAS " + std::to_string(version) + " (" + blas.path + "); the own kernel " +
               (differs.empty() ? "agrees with it" : "disagrees with it (" + differs + ")") + "; ";
        break;
    }
    case GPUHOST_KERNEL_COSINE_TOPK: {
        CUfunction scores_fn = run.function("cosine_topk", "gpuhost_cosine_scores");
        CUfunction topk_fn = run.function("cosine_topk", "gpuhost_topk");
        double qn = 0;
        for (std::uint64_t i = 0; i < a.k; ++i) qn += double(a.x[i]) * a.x[i];
        float query_norm = float(std::sqrt(qn));
        // One warp per row (8 per block); then 256 blocks keep their best
        // top_k, and one block merges them.
        unsigned score_blocks = grid_for(a.m, 8), pick_blocks = grid_for(a.m, 256 * 8, 256);
        unsigned top_k = a.top_k;
        CUdeviceptr A = run.upload(a.a, a.m * a.k), q = run.upload(a.x, a.k), scores = run.alloc(a.m);
        CUdeviceptr cand_s = run.alloc(std::size_t(pick_blocks) * top_k), cand_i = run.alloc(std::size_t(pick_blocks) * top_k * 2);
        CUdeviceptr top_s = run.alloc(top_k), top_i = run.alloc(std::size_t(top_k) * 2);
        unsigned long long m = a.m, k = a.k, candidates = std::uint64_t(pick_blocks) * top_k;
        CUdeviceptr no_index = 0;
        int partial = 0, final = 1;
        void *score_params[] = {&m, &k, &A, &q, &query_norm, &scores};
        void *pick_params[] = {&m, &scores, &no_index, &top_k, &cand_s, &cand_i, &partial};
        void *merge_params[] = {&candidates, &cand_s, &cand_i, &top_k, &top_s, &top_i, &final};
        a.seconds = run.time(repeats, [&] {
            run.launch(scores_fn, score_blocks, 1, 256, 1, score_params);
            run.launch(topk_fn, pick_blocks, 1, 256, 1, pick_params);
            run.launch(topk_fn, 1, 1, 256, 1, merge_params);
        }, none);
        run.download(a.c, top_s, top_k);
        std::vector<long long> rows(top_k);
        run.check(run.api().to_host(rows.data(), top_i, top_k * sizeof(long long)), "cuMemcpyDtoH");
        for (unsigned i = 0; i < top_k; ++i) a.indices[i] = rows[i];
        note = "scores and top-k selection on the device; ";
        break;
    }
    }
    a.device_timer = 1;
}

}  // namespace

gpuhost_status run_cuda_kernel(const sdk::Sysroot &root, const boost::json::object &device,
                               gpuhost_kernel_args &args, std::string &message) {
    if (kPtxModuleCount == 0) {
        message = kPtxMissingReason;
        return GPUHOST_ERR_UNSUPPORTED;
    }
    if (auto bad = validate(args); !bad.empty()) {
        message = bad;
        return GPUHOST_ERR_ARGUMENT;
    }
    const auto &lib = cuda_library(root);
    if (!lib.handle) {
        message = "cannot run CUDA kernels: libcuda not loaded (" + lib.error + ")";
        return GPUHOST_ERR_UNSUPPORTED;
    }
    static Api api;
    if (auto missing = bind_api(lib, api); !missing.empty()) {
        message = "cannot run CUDA kernels: " + lib.path + " lacks " + missing;
        return GPUHOST_ERR_UNSUPPORTED;
    }
    Runner run(api);
    try {
        run.check(init_seeing_all_devices(api.init), "cuInit");
        CUdevice dev = pick_device(run, device);
        run.device = dev;
        CUcontext ctx = nullptr;
        run.check(api.ctx_retain(&ctx, dev), "cuDevicePrimaryCtxRetain");
        run.check(api.ctx_set(ctx), "cuCtxSetCurrent");
        std::string note;
        run_kernel(run, args, lib, note);
        run.check(api.sync(), "cuCtxSynchronize");
        message = note;
    } catch (const std::exception &e) {
        message = e.what();
        return GPUHOST_ERR_FAILED;
    }
    message += "ran on the GPU, timed with CUDA events";
    return GPUHOST_OK;
}

}  // namespace gpuhost::cuda
