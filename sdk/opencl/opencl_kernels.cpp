#include "opencl_kernels.hpp"

#include "gpuhost/kernel_support.hpp"
#include "gpuhost/vendor_library.hpp"
#include "opencl_cl.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

extern const char gpuhost_opencl_kernels_source[];

namespace json = boost::json;

namespace gpuhost::opencl {

namespace {

struct DeviceContext {
    cl::Device device;
    cl::Context context;
    cl::CommandQueue queue;
    cl::Program program;
    bool cpu = false;  // CL_DEVICE_TYPE_CPU: picks the loop-shaped kernels
};

std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::int64_t number(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_int64() ? it->value().as_int64() : -1;
}

// The device the record names: by its indices when the name still matches,
// else the first device of that name.
cl::Device find_device(const json::object &record) {
    std::string name = text(record, "name");
    json::object details;
    if (auto d = record.find("details"); d != record.end() && d->value().is_object()) details = d->value().as_object();
    std::int64_t p = number(details, "platform_index"), i = number(details, "device_index");
    std::vector<cl::Platform> platforms;
    cl::Platform::get(&platforms);
    std::vector<cl::Device> by_name;
    for (std::int64_t pi = 0; pi < std::int64_t(platforms.size()); ++pi) {
        std::vector<cl::Device> devices;
        try {
            platforms[pi].getDevices(CL_DEVICE_TYPE_ALL, &devices);
        } catch (const cl::Error &) {
            continue;
        }
        for (std::int64_t di = 0; di < std::int64_t(devices.size()); ++di) {
            if (devices[di].getInfo<CL_DEVICE_NAME>() != name) continue;
            if (pi == p && di == i) return devices[di];
            by_name.push_back(devices[di]);
        }
    }
    if (by_name.empty()) throw std::runtime_error("OpenCL device \"" + name + "\" not found");
    return by_name.front();
}

DeviceContext &context_for(const json::object &record) {
    static std::mutex lock;
    static std::map<std::string, std::unique_ptr<DeviceContext>> cache;
    std::lock_guard<std::mutex> guard(lock);
    std::string key = json::serialize(record.contains("details") ? record.at("details") : json::value()) +
                      text(record, "name");
    auto &slot = cache[key];
    if (!slot) {
        auto ctx = std::make_unique<DeviceContext>();
        ctx->device = find_device(record);
        // GPUHOST_OPENCL_GPU_SHAPES=1 forces the GPU forms (so tests run them on PoCL too).
        const char *force = std::getenv("GPUHOST_OPENCL_GPU_SHAPES");
        ctx->cpu = (ctx->device.getInfo<CL_DEVICE_TYPE>() & CL_DEVICE_TYPE_CPU) != 0 &&
                   !(force && std::string(force) == "1");
        ctx->context = cl::Context(ctx->device);
        ctx->queue = cl::CommandQueue(ctx->context, ctx->device, CL_QUEUE_PROFILING_ENABLE);
        ctx->program = cl::Program(ctx->context, std::string(gpuhost_opencl_kernels_source));
        try {
            ctx->program.build({ctx->device}, "-cl-std=CL1.2");
        } catch (const cl::Error &) {
            std::string log = ctx->program.getBuildInfo<CL_PROGRAM_BUILD_LOG>(ctx->device);
            if (log.size() > 600) log = log.substr(0, 600) + "...";
            throw std::runtime_error("the OpenCL driver could not build the kernels: " + log);
        }
        slot = std::move(ctx);
    }
    return *slot;
}

double event_seconds(const cl::Event &e) {
    e.wait();
    auto start = e.getProfilingInfo<CL_PROFILING_COMMAND_START>();
    auto end = e.getProfilingInfo<CL_PROFILING_COMMAND_END>();
    return double(end - start) * 1e-9;
}

// Device time from the start of `first` to the end of `last` (same in-order queue).
double span_seconds(const cl::Event &first, const cl::Event &last) {
    last.wait();
    auto start = first.getProfilingInfo<CL_PROFILING_COMMAND_START>();
    auto end = last.getProfilingInfo<CL_PROFILING_COMMAND_END>();
    return double(end - start) * 1e-9;
}

size_t round_up(size_t n, size_t multiple) { return (n + multiple - 1) / multiple * multiple; }

// CLBlast's C API (clblast_c.h), declared here so the plugin builds and runs
// without it: libclblast.so.1 is opened at run time when present.
constexpr int kClblastRowMajor = 101, kClblastNoTrans = 111;
using ClblastSgemm = int (*)(int layout, int a_transpose, int b_transpose, size_t m, size_t n, size_t k, float alpha,
                             cl_mem a, size_t a_offset, size_t a_ld, cl_mem b, size_t b_offset, size_t b_ld,
                             float beta, cl_mem c, size_t c_offset, size_t c_ld, cl_command_queue *queue,
                             cl_event *event);

struct Clblast {
    ClblastSgemm sgemm = nullptr;
    std::string where, why_not;  // the file opened; or why none was
};

// GPUHOST_CLBLAST_LIBRARY names another file (tests: a missing one forces the own kernel).
const Clblast &clblast() {
    static const Clblast lib = [] {
        Clblast c;
        auto v = sdk::open_vendor_library("GPUHOST_CLBLAST_LIBRARY", {"libclblast.so.1", "libclblast.so"}, true);
        if (!v.handle) {
            c.why_not = "CLBlast not found (" + (v.error.empty() ? v.path : v.error) + ")";
            return c;
        }
        c.sgemm = reinterpret_cast<ClblastSgemm>(v.symbol("CLBlastSgemm"));
        if (!c.sgemm) c.why_not = v.path + " lacks CLBlastSgemm";
        c.where = v.path;
        return c;
    }();
    return lib;
}

// The largest top_k the device-side selection keeps (MAX_TOP_K in kernels.cl).
constexpr std::uint32_t kMaxDeviceTopK = 64;

}  // namespace

gpuhost_status run_opencl_kernel(const json::object &record, gpuhost_kernel_args &args, std::string &message) {
    if (auto why = sdk::validate_kernel_args(args); !why.empty()) {
        message = why;
        return GPUHOST_ERR_ARGUMENT;
    }
    try {
        DeviceContext &dc = context_for(record);
        auto &q = dc.queue;
        auto in = [&](const float *p, size_t count) {
            return cl::Buffer(dc.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, count * sizeof(float),
                              const_cast<float *>(p));
        };
        auto out = [&](size_t count) { return cl::Buffer(dc.context, CL_MEM_READ_WRITE, count * sizeof(float)); };
        bool device_timer = true;
        // Median device time of the kernel over one range (local NullRange: the driver picks).
        auto timed = [&](const cl::Kernel &k, const cl::NDRange &global, const cl::NDRange &local) {
            return sdk::time_median(sdk::repeat_count(args), device_timer, [&] {
                cl::Event e;
                q.enqueueNDRangeKernel(k, cl::NullRange, global, local, nullptr, &e);
                return event_seconds(e);
            });
        };
        const size_t n = args.n;
        switch (args.kernel) {
        case GPUHOST_KERNEL_SAXPY: {
            auto x = in(args.x, n), y_in = in(args.y, n), y = out(n);
            cl::Kernel k(dc.program, "saxpy");
            k.setArg(0, x), k.setArg(1, y_in), k.setArg(2, y), k.setArg(3, args.alpha), k.setArg(4, cl_ulong(n));
            args.seconds = timed(k, cl::NDRange(round_up((n + 3) / 4, 64)), cl::NDRange(64));
            q.enqueueReadBuffer(y, CL_TRUE, 0, n * sizeof(float), args.y);
            break;
        }
        case GPUHOST_KERNEL_COPY: {
            auto x = in(args.x, n), y = out(n);
            cl::Kernel k(dc.program, "copy");
            k.setArg(0, x), k.setArg(1, y), k.setArg(2, cl_ulong(n));
            args.seconds = timed(k, cl::NDRange(round_up((n + 3) / 4, 64)), cl::NDRange(64));
            q.enqueueReadBuffer(y, CL_TRUE, 0, n * sizeof(float), args.y);
            // The driver's own copy of the same bytes: the other half of the ceiling.
            bool driver_timer = true;
            auto scratch = out(n);
            args.driver_copy_seconds = sdk::time_median(sdk::repeat_count(args), driver_timer, [&] {
                cl::Event e;
                q.enqueueCopyBuffer(x, scratch, 0, 0, n * sizeof(float), nullptr, &e);
                return event_seconds(e);
            });
            break;
        }
        case GPUHOST_KERNEL_DOT: {
            // First pass: GPUs, up to 4096 work-groups grid-strided with a tree each;
            // CPUs, a work-item per contiguous chunk. Second pass: one
            // work-group adds the partials on the device.
            const size_t local = 64, groups = std::min<size_t>(4096, (n / 4 + local - 1) / local + 1);
            // CPUs: a work-group of one work-item per chunk, so the driver spreads the
            // chunks over its threads (one group of many would run on one thread).
            const size_t parts = dc.cpu ? std::min<size_t>((n + 4095) / 4096, 256) : groups;
            const size_t chunk = (n + parts - 1) / parts;
            auto x = in(args.x, n), y = in(args.y, n), partial = out(parts), result = out(1);
            cl::Kernel k(dc.program, dc.cpu ? "dot_chunked" : "dot_partial");
            k.setArg(0, x), k.setArg(1, y), k.setArg(2, partial), k.setArg(3, cl_ulong(n));
            if (dc.cpu) k.setArg(4, cl_ulong(chunk));
            else k.setArg(4, cl::Local(local * sizeof(float)));
            cl::Kernel sum(dc.program, "sum_partials");
            const size_t sum_local = dc.cpu ? 1 : 64;
            sum.setArg(0, partial), sum.setArg(1, result), sum.setArg(2, cl_uint(parts));
            sum.setArg(3, cl::Local(sum_local * sizeof(float)));
            args.seconds = sdk::time_median(sdk::repeat_count(args), device_timer, [&] {
                cl::Event first, second;
                if (dc.cpu) q.enqueueNDRangeKernel(k, cl::NullRange, cl::NDRange(parts), cl::NDRange(1), nullptr, &first);
                else q.enqueueNDRangeKernel(k, cl::NullRange, cl::NDRange(groups * local), cl::NDRange(local), nullptr, &first);
                q.enqueueNDRangeKernel(sum, cl::NullRange, cl::NDRange(sum_local), cl::NDRange(sum_local), nullptr, &second);
                return span_seconds(first, second);
            });
            q.enqueueReadBuffer(result, CL_TRUE, 0, sizeof(float), args.c);
            message = "one pass and a device-side sum of " + std::to_string(parts) + " partials; ";
            break;
        }
        case GPUHOST_KERNEL_SGEMM: {
            auto a = in(args.a, args.m * args.k), b = in(args.b, args.k * args.n), c = out(args.m * args.n);
            const size_t cn = args.m * args.n;
            cl::Kernel k(dc.program, "sgemm");
            auto own_kernel = [&](cl::Buffer &into) {
                k.setArg(0, a), k.setArg(1, b), k.setArg(2, into);
                k.setArg(3, cl_ulong(args.m)), k.setArg(4, cl_ulong(args.n)), k.setArg(5, cl_ulong(args.k));
                return timed(k, cl::NDRange(round_up(args.n, 16), round_up(args.m, 16)), cl::NDRange(16, 16));
            };
            const Clblast &blas = clblast();
            if (!blas.sgemm) {
                args.seconds = own_kernel(c);
                q.enqueueReadBuffer(c, CL_TRUE, 0, cn * sizeof(float), args.c);
                sdk::set_implementation(args, "own kernel");
                message = blas.why_not + ": the own kernel ran; ";
                break;
            }
            // CLBlast may enqueue several kernels (padding, transposes) and
            // gives the event of the last: the time runs from a marker
            // enqueued before the call to the end of that event.
            cl_command_queue raw = q();
            int status = 0;
            args.seconds = sdk::time_median(sdk::repeat_count(args), device_timer, [&] {
                cl::Event before;
                q.enqueueMarkerWithWaitList(nullptr, &before);
                cl_event last = nullptr;
                if (!status)
                    status = blas.sgemm(kClblastRowMajor, kClblastNoTrans, kClblastNoTrans, args.m, args.n, args.k, 1.0f,
                                        a(), 0, args.k, b(), 0, args.n, 0.0f, c(), 0, args.n, &raw, &last);
                if (status || !last) {
                    q.finish();
                    return 0.0;
                }
                cl::Event after(last);  // takes ownership
                after.wait();
                return double(after.getProfilingInfo<CL_PROFILING_COMMAND_END>() -
                              before.getProfilingInfo<CL_PROFILING_COMMAND_END>()) * 1e-9;
            });
            if (status != 0)
                throw std::runtime_error("CLBlastSgemm failed with status " + std::to_string(status) + " (" + blas.where + ")");
            q.enqueueReadBuffer(c, CL_TRUE, 0, cn * sizeof(float), args.c);
            sdk::set_implementation(args, "CLBlast");
            // The own kernel on the same inputs, reported against CLBlast when
            // it agrees with it.
            auto own = out(cn);
            bool own_timer = true;
            double own_seconds = sdk::time_median(sdk::repeat_count(args), own_timer, [&] {
                cl::Event e;
                k.setArg(0, a), k.setArg(1, b), k.setArg(2, own);
                k.setArg(3, cl_ulong(args.m)), k.setArg(4, cl_ulong(args.n)), k.setArg(5, cl_ulong(args.k));
                q.enqueueNDRangeKernel(k, cl::NullRange, cl::NDRange(round_up(args.n, 16), round_up(args.m, 16)),
                                       cl::NDRange(16, 16), nullptr, &e);
                return event_seconds(e);
            });
            std::vector<float> own_c(cn);
            q.enqueueReadBuffer(own, CL_TRUE, 0, cn * sizeof(float), own_c.data());
            std::string differs = sdk::compare_sgemm(own_c.data(), args.c, args.a, args.b, args.m, args.n, args.k);
            if (differs.empty()) args.own_kernel_seconds = own_seconds;
            message = "CLBlast (" + blas.where + "); the own kernel " +
                      (differs.empty() ? "agrees with it" : "disagrees with it (" + differs + ")") + "; ";
            break;
        }
        case GPUHOST_KERNEL_COSINE_TOPK: {
            if (args.top_k > kMaxDeviceTopK) {
                message = "cosine_topk on the device keeps at most " + std::to_string(kMaxDeviceTopK) + " rows";
                return GPUHOST_ERR_ARGUMENT;
            }
            const size_t m = args.m, top_k = args.top_k;
            auto a = in(args.a, m * args.k), query = in(args.x, args.k);
            double q_norm2 = 0;
            for (std::uint64_t i = 0; i < args.k; ++i) q_norm2 += double(args.x[i]) * args.x[i];
            // CPUs: a work-item per chunk of rows scores them and keeps its
            // best k. GPUs: a work-group per row writes the scores, then 1024
            // work-items keep their best k. Last, one work-item merges.
            const size_t workers = dc.cpu ? std::min<size_t>((m + 255) / 256, 256) : std::min<size_t>(1024, m);
            auto cand_s = out(workers * top_k);
            cl::Buffer cand_i(dc.context, CL_MEM_READ_WRITE, workers * top_k * sizeof(cl_long));
            auto top_s = out(top_k);
            cl::Buffer top_i(dc.context, CL_MEM_READ_WRITE, top_k * sizeof(cl_long));
            cl::Kernel merge(dc.program, "topk_merge");
            merge.setArg(0, cand_s), merge.setArg(1, cand_i), merge.setArg(2, cl_uint(workers * top_k));
            merge.setArg(3, cl_uint(top_k)), merge.setArg(4, top_s), merge.setArg(5, top_i);
            if (dc.cpu) {
                const size_t chunk = (m + workers - 1) / workers;
                cl::Kernel k(dc.program, "cosine_topk_chunked");
                k.setArg(0, a), k.setArg(1, query), k.setArg(2, cl_ulong(m)), k.setArg(3, cl_ulong(args.k));
                k.setArg(4, float(q_norm2)), k.setArg(5, cl_ulong(chunk)), k.setArg(6, cl_uint(top_k));
                k.setArg(7, cand_s), k.setArg(8, cand_i);
                args.seconds = sdk::time_median(sdk::repeat_count(args), device_timer, [&] {
                    cl::Event first, last;
                    q.enqueueNDRangeKernel(k, cl::NullRange, cl::NDRange(workers), cl::NDRange(1), nullptr, &first);
                    q.enqueueNDRangeKernel(merge, cl::NullRange, cl::NDRange(16), cl::NDRange(16), nullptr, &last);
                    return span_seconds(first, last);
                });
            } else {
                const size_t local = 64, groups = std::min<size_t>(m, 65536);
                auto scores = out(m);
                cl::Kernel k(dc.program, "cosine_scores");
                k.setArg(0, a), k.setArg(1, query), k.setArg(2, scores), k.setArg(3, cl_ulong(m));
                k.setArg(4, cl_ulong(args.k)), k.setArg(5, float(q_norm2));
                k.setArg(6, cl::Local(local * sizeof(float))), k.setArg(7, cl::Local(local * sizeof(float)));
                cl::Kernel pick(dc.program, "topk_candidates");
                pick.setArg(0, scores), pick.setArg(1, cl_ulong(m)), pick.setArg(2, cl_uint(top_k));
                pick.setArg(3, cand_s), pick.setArg(4, cand_i);
                args.seconds = sdk::time_median(sdk::repeat_count(args), device_timer, [&] {
                    cl::Event first, last;
                    q.enqueueNDRangeKernel(k, cl::NullRange, cl::NDRange(groups * local), cl::NDRange(local), nullptr, &first);
                    q.enqueueNDRangeKernel(pick, cl::NullRange, cl::NDRange(workers), cl::NullRange);
                    q.enqueueNDRangeKernel(merge, cl::NullRange, cl::NDRange(16), cl::NDRange(16), nullptr, &last);
                    return span_seconds(first, last);
                });
            }
            std::vector<cl_long> best(top_k);
            q.enqueueReadBuffer(top_s, CL_TRUE, 0, top_k * sizeof(float), args.c);
            q.enqueueReadBuffer(top_i, CL_TRUE, 0, top_k * sizeof(cl_long), best.data());
            for (size_t i = 0; i < top_k; ++i) args.indices[i] = best[i];
            message = "scores and top-k selection on the device; ";
            break;
        }
        }
        if (!args.implementation[0]) sdk::set_implementation(args, "own kernel");
        args.device_timer = device_timer ? 1 : 0;
        message += "opencl: " + dc.device.getInfo<CL_DEVICE_NAME>() + (dc.cpu ? " (CPU kernel shapes)" : "");
        return GPUHOST_OK;
    } catch (const cl::Error &e) {
        message = std::string("OpenCL error in ") + e.what() + " (" + std::to_string(e.err()) + ")";
    } catch (const std::exception &e) {
        message = e.what();
    }
    return GPUHOST_ERR_FAILED;
}

}  // namespace gpuhost::opencl
