#include "opencl_kernels.hpp"

#include "gpuhost/kernel_support.hpp"
#include "opencl_cl.hpp"

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

size_t round_up(size_t n, size_t multiple) { return (n + multiple - 1) / multiple * multiple; }

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
            args.seconds = timed(k, cl::NDRange(round_up(n, 64)), cl::NDRange(64));
            q.enqueueReadBuffer(y, CL_TRUE, 0, n * sizeof(float), args.y);
            break;
        }
        case GPUHOST_KERNEL_COPY: {
            auto x = in(args.x, n), y = out(n);
            cl::Kernel k(dc.program, "copy");
            k.setArg(0, x), k.setArg(1, y), k.setArg(2, cl_ulong(n));
            args.seconds = timed(k, cl::NDRange(round_up(n, 64)), cl::NDRange(64));
            q.enqueueReadBuffer(y, CL_TRUE, 0, n * sizeof(float), args.y);
            break;
        }
        case GPUHOST_KERNEL_DOT: {
            // GPUs: 256 work-groups, grid-strided, a tree per group. CPUs: one
            // work-item per contiguous chunk.
            const size_t local = 64, groups = std::min<size_t>(256, (n + local - 1) / local);
            const size_t parts = dc.cpu ? std::min<size_t>(n, 256) : groups;
            const size_t chunk = (n + parts - 1) / parts;
            auto x = in(args.x, n), y = in(args.y, n), partial = out(parts);
            cl::Kernel k(dc.program, dc.cpu ? "dot_chunked" : "dot_partial");
            k.setArg(0, x), k.setArg(1, y), k.setArg(2, partial), k.setArg(3, cl_ulong(n));
            if (dc.cpu) k.setArg(4, cl_ulong(chunk));
            else k.setArg(4, cl::Local(local * sizeof(float)));
            args.seconds = dc.cpu ? timed(k, cl::NDRange(parts), cl::NullRange)
                                  : timed(k, cl::NDRange(groups * local), cl::NDRange(local));
            std::vector<float> sums(parts);
            q.enqueueReadBuffer(partial, CL_TRUE, 0, parts * sizeof(float), sums.data());
            double total = 0;
            for (float s : sums) total += s;
            args.c[0] = float(total);
            break;
        }
        case GPUHOST_KERNEL_SGEMM: {
            auto a = in(args.a, args.m * args.k), b = in(args.b, args.k * args.n), c = out(args.m * args.n);
            cl::Kernel k(dc.program, "sgemm");
            k.setArg(0, a), k.setArg(1, b), k.setArg(2, c);
            k.setArg(3, cl_ulong(args.m)), k.setArg(4, cl_ulong(args.n)), k.setArg(5, cl_ulong(args.k));
            cl::NDRange global(round_up(args.n, 16), round_up(args.m, 16));
            args.seconds = timed(k, global, cl::NDRange(16, 16));
            q.enqueueReadBuffer(c, CL_TRUE, 0, args.m * args.n * sizeof(float), args.c);
            break;
        }
        case GPUHOST_KERNEL_COSINE_TOPK: {
            const size_t local = 64;
            auto a = in(args.a, args.m * args.k), query = in(args.x, args.k), scores = out(args.m);
            double q_norm2 = 0;
            for (std::uint64_t i = 0; i < args.k; ++i) q_norm2 += double(args.x[i]) * args.x[i];
            cl::Kernel k(dc.program, dc.cpu ? "cosine_rows" : "cosine_scores");
            k.setArg(0, a), k.setArg(1, query), k.setArg(2, scores), k.setArg(3, cl_ulong(args.m));
            k.setArg(4, cl_ulong(args.k)), k.setArg(5, float(q_norm2));
            if (!dc.cpu) k.setArg(6, cl::Local(local * sizeof(float))), k.setArg(7, cl::Local(local * sizeof(float)));
            args.seconds = dc.cpu ? timed(k, cl::NDRange(args.m), cl::NullRange)
                                  : timed(k, cl::NDRange(args.m * local), cl::NDRange(local));
            std::vector<float> all(args.m);
            q.enqueueReadBuffer(scores, CL_TRUE, 0, args.m * sizeof(float), all.data());
            sdk::select_top_k(all.data(), args.m, args.top_k, args.indices, args.c);
            message = "scores on the device, top-k selection on the host; ";
            break;
        }
        }
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
