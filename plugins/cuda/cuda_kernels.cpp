#include "cuda_kernels.hpp"

#include "cuda_driver_probe.hpp"
#include "cuda_kernels_ptx.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <cuda.h>
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

unsigned grid_for(std::uint64_t n, unsigned block) {
    return unsigned(std::min<std::uint64_t>((n + block - 1) / block, 65535));
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
        return a.m && a.k && a.top_k && a.top_k <= a.m && a.a && a.x && a.c && a.indices ? ""
               : "cosine_topk needs m, k > 0, 0 < top_k <= m, a, x, c and indices";
    default: return "unknown kernel id " + std::to_string(a.kernel);
    }
}

void run_kernel(Runner &run, gpuhost_kernel_args &a) {
    unsigned repeats = a.repeats ? a.repeats : 1;
    auto none = [] {};
    switch (a.kernel) {
    case GPUHOST_KERNEL_SAXPY: {
        CUfunction f = run.function("saxpy", "gpuhost_saxpy");
        CUdeviceptr x = run.upload(a.x, a.n), y0 = run.upload(a.y, a.n), y = run.alloc(a.n);
        unsigned long long n = a.n;
        float alpha = a.alpha;
        void *params[] = {&n, &alpha, &x, &y};
        // y is in and out: every run starts from the caller's y, so the result is one saxpy.
        a.seconds = run.time(repeats, [&] { run.launch(f, grid_for(n, 256), 1, 256, 1, params); },
                             [&] { run.check(run.api().device_copy(y, y0, n * sizeof(float)), "cuMemcpyDtoD"); });
        run.download(a.y, y, n);
        break;
    }
    case GPUHOST_KERNEL_COPY: {
        CUfunction f = run.function("copy", "gpuhost_copy");
        CUdeviceptr x = run.upload(a.x, a.n), y = run.alloc(a.n);
        unsigned long long n = a.n;
        void *params[] = {&n, &x, &y};
        a.seconds = run.time(repeats, [&] { run.launch(f, grid_for(n, 256), 1, 256, 1, params); }, none);
        run.download(a.y, y, n);
        break;
    }
    case GPUHOST_KERNEL_DOT: {
        CUfunction f = run.function("dot", "gpuhost_dot");
        unsigned blocks = std::min<unsigned>(grid_for(a.n, 256), 1024);
        CUdeviceptr x = run.upload(a.x, a.n), y = run.upload(a.y, a.n), partials = run.alloc(blocks);
        unsigned long long n = a.n;
        void *params[] = {&n, &x, &y, &partials};
        a.seconds = run.time(repeats, [&] { run.launch(f, blocks, 1, 256, 1, params); }, none);
        std::vector<float> host(blocks);
        run.download(host.data(), partials, blocks);
        a.c[0] = float(std::accumulate(host.begin(), host.end(), 0.0));
        break;
    }
    case GPUHOST_KERNEL_SGEMM: {
        CUfunction f = run.function("sgemm", "gpuhost_sgemm");
        CUdeviceptr A = run.upload(a.a, a.m * a.k), B = run.upload(a.b, a.k * a.n), C = run.alloc(a.m * a.n);
        unsigned long long m = a.m, n = a.n, k = a.k;
        void *params[] = {&m, &n, &k, &A, &B, &C};
        a.seconds = run.time(repeats, [&] { run.launch(f, unsigned((n + 15) / 16), unsigned((m + 15) / 16), 16, 16, params); }, none);
        run.download(a.c, C, a.m * a.n);
        break;
    }
    case GPUHOST_KERNEL_COSINE_TOPK: {
        CUfunction f = run.function("cosine_topk", "gpuhost_cosine_scores");
        double qn = 0;
        for (std::uint64_t i = 0; i < a.k; ++i) qn += double(a.x[i]) * a.x[i];
        float query_norm = float(std::sqrt(qn));
        CUdeviceptr A = run.upload(a.a, a.m * a.k), q = run.upload(a.x, a.k), scores = run.alloc(a.m);
        unsigned long long m = a.m, k = a.k;
        void *params[] = {&m, &k, &A, &q, &query_norm, &scores};
        a.seconds = run.time(repeats, [&] { run.launch(f, unsigned(m), 1, 128, 1, params); }, none);
        std::vector<float> all(a.m);
        run.download(all.data(), scores, a.m);
        std::vector<std::int64_t> order(a.m);
        std::iota(order.begin(), order.end(), 0);
        std::partial_sort(order.begin(), order.begin() + a.top_k, order.end(),
                          [&](std::int64_t l, std::int64_t r) { return all[l] > all[r] || (all[l] == all[r] && l < r); });
        for (unsigned i = 0; i < a.top_k; ++i) {
            a.indices[i] = order[i];
            a.c[i] = all[order[i]];
        }
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
        run_kernel(run, args);
        run.check(api.sync(), "cuCtxSynchronize");
    } catch (const std::exception &e) {
        message = e.what();
        return GPUHOST_ERR_FAILED;
    }
    message = "ran on the GPU, timed with CUDA events";
    return GPUHOST_OK;
}

}  // namespace gpuhost::cuda
