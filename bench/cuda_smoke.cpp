// cuda_smoke: runs each of the cuda plugin's kernels on the first usable
// NVIDIA GPU, checks every result against a float64 reference on the CPU and
// prints the largest relative error, the device time and GB/s (GFLOP/s for
// sgemm). Exit 0: all passed; 1: a kernel failed or was wrong; 2: no GPU to run on.
//   cuda_smoke [--plugin path/libgpuhost-cuda.so] [--size N] [--repeats R]
#include "gpuhost/plugin_abi.h"

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace json = boost::json;

namespace {

void append(void *ctx, const char *text, size_t length) { static_cast<std::string *>(ctx)->append(text, length); }

struct Run {
    const char *name;
    std::uint32_t id;
    double bytes, flops;
};

// Largest |got - want| / max(|want|, 1): float32 results against float64.
double max_error(const float *got, const std::vector<double> &want) {
    double worst = 0;
    for (size_t i = 0; i < want.size(); ++i) {
        double e = std::isfinite(got[i]) ? std::abs(got[i] - want[i]) / std::max(std::abs(want[i]), 1.0) : INFINITY;
        worst = std::max(worst, e);
    }
    return worst;
}

}  // namespace

int main(int argc, char **argv) {
    std::string plugin_path = GPUHOST_CUDA_PLUGIN;
    std::uint64_t n = 1u << 24;
    unsigned repeats = 10;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--plugin")) plugin_path = argv[i + 1];
        else if (!std::strcmp(argv[i], "--size")) n = std::stoull(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--repeats")) repeats = unsigned(std::stoul(argv[i + 1]));
    }
    void *lib = dlopen(plugin_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    auto entry = lib ? reinterpret_cast<gpuhost_plugin_entry_fn>(dlsym(lib, GPUHOST_PLUGIN_ENTRY_SYMBOL)) : nullptr;
    const gpuhost_plugin_i *plugin = nullptr;
    if (!entry || entry(GPUHOST_ABI_CURRENT, &plugin) != GPUHOST_OK || !plugin->kernel) {
        std::fprintf(stderr, "cuda_smoke: cannot load the cuda plugin %s: %s\n", plugin_path.c_str(), lib ? "no kernel entry" : dlerror());
        return 2;
    }
    gpuhost_host_i host{sizeof host, GPUHOST_ABI_CURRENT, nullptr, "", nullptr, nullptr};
    std::string reply;
    plugin->detect(&host, R"({"schema":1,"sysroot":""})", &append, &reply);
    std::string device;
    auto detected = json::parse(reply);
    for (const auto &d : detected.at("devices").as_array())
        if (device.empty() && d.at("usable").as_bool()) device = json::serialize(d);
    if (device.empty()) {
        std::fprintf(stderr, "cuda_smoke: no usable NVIDIA GPU; detect said: %s\n", reply.c_str());
        return 2;
    }
    std::printf("device: %s\n", device.c_str());

    std::mt19937 rng(42);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    auto random = [&](size_t count) { std::vector<float> v(count); for (auto &f : v) f = dist(rng); return v; };
    const std::uint64_t side = 1024, rows = std::max<std::uint64_t>(n / 384, 16), dim = 384, top_k = 10;
    auto x = random(n), y = random(n), a = random(std::max(side * side, rows * dim)), b = random(side * side);
    std::vector<float> out(std::max<std::uint64_t>(n, side * side));
    std::vector<std::int64_t> indices(top_k);
    const Run runs[] = {
        {"saxpy", GPUHOST_KERNEL_SAXPY, 12.0 * n, 2.0 * n},
        {"dot", GPUHOST_KERNEL_DOT, 8.0 * n, 2.0 * n},
        {"copy", GPUHOST_KERNEL_COPY, 8.0 * n, 0},
        {"sgemm", GPUHOST_KERNEL_SGEMM, 12.0 * side * side, 2.0 * side * side * side},
        {"cosine_topk", GPUHOST_KERNEL_COSINE_TOPK, 4.0 * rows * dim, 4.0 * rows * dim},
    };
    int failures = 0;
    for (const auto &run : runs) {
        gpuhost_kernel_args args{};
        args.struct_size = sizeof args;
        args.kernel = run.id;
        args.repeats = repeats;
        args.alpha = 1.5f;
        std::vector<double> want;
        double dot_scale = 0;  // sum |x y|: what float32 rounding in a sum is relative to
        std::vector<float> y_io = y;
        if (run.id == GPUHOST_KERNEL_SAXPY || run.id == GPUHOST_KERNEL_COPY || run.id == GPUHOST_KERNEL_DOT) {
            args.n = n;
            args.x = x.data();
            args.y = run.id == GPUHOST_KERNEL_SAXPY ? y_io.data() : run.id == GPUHOST_KERNEL_COPY ? out.data() : y_io.data();
            args.c = out.data();
            if (run.id == GPUHOST_KERNEL_DOT) {
                double s = 0;
                for (std::uint64_t i = 0; i < n; ++i) { s += double(x[i]) * y[i]; dot_scale += std::abs(double(x[i]) * y[i]); }
                want = {s};
            } else {
                want.resize(n);
                for (std::uint64_t i = 0; i < n; ++i) want[i] = run.id == GPUHOST_KERNEL_COPY ? x[i] : 1.5 * x[i] + y[i];
            }
        } else if (run.id == GPUHOST_KERNEL_SGEMM) {
            args.m = args.n = args.k = side;
            args.a = a.data();
            args.b = b.data();
            args.c = out.data();
            want.assign(side * side, 0.0);
            for (std::uint64_t i = 0; i < side; ++i)
                for (std::uint64_t p = 0; p < side; ++p)
                    for (std::uint64_t j = 0; j < side; ++j) want[i * side + j] += double(a[i * side + p]) * b[p * side + j];
        } else {
            args.m = rows;
            args.k = dim;
            args.top_k = top_k;
            args.a = a.data();
            args.x = x.data();
            args.c = out.data();
            args.indices = indices.data();
            std::vector<double> scores(rows);
            double qn = 0;
            for (std::uint64_t i = 0; i < dim; ++i) qn += double(x[i]) * x[i];
            for (std::uint64_t r = 0; r < rows; ++r) {
                double d = 0, s = 0;
                for (std::uint64_t i = 0; i < dim; ++i) { d += double(a[r * dim + i]) * x[i]; s += double(a[r * dim + i]) * a[r * dim + i]; }
                scores[r] = d / std::sqrt(s * qn);
            }
            std::vector<double> sorted = scores;
            std::partial_sort(sorted.begin(), sorted.begin() + top_k, sorted.end(), std::greater<>());
            want.assign(sorted.begin(), sorted.begin() + top_k);
        }
        std::string message;
        auto status = plugin->kernel(&host, device.c_str(), &args, &append, &message);
        if (status != GPUHOST_OK) {
            std::printf("%-12s FAILED (status %d): %s\n", run.name, int(status), message.c_str());
            ++failures;
            continue;
        }
        double err;
        if (run.id == GPUHOST_KERNEL_DOT) {
            err = std::abs(out[0] - want[0]) / std::max(dot_scale, 1.0);
        } else {
            err = max_error(run.id == GPUHOST_KERNEL_SAXPY ? y_io.data() : out.data(), want);
        }
        bool ok = err < (run.id == GPUHOST_KERNEL_SGEMM ? 1e-3 : 1e-4);
        failures += !ok;
        std::printf("%-12s %s  max rel error %.2e  %.3f ms%s  %.1f GB/s", run.name, ok ? "ok   " : "WRONG", err,
                    args.seconds * 1e3, args.device_timer ? " (device timer)" : "", run.bytes / args.seconds / 1e9);
        if (run.flops) std::printf("  %.1f GFLOP/s", run.flops / args.seconds / 1e9);
        if (args.implementation[0]) std::printf("  by %s", args.implementation);
        if (args.own_kernel_seconds > 0) std::printf(" (own kernel %.1f GFLOP/s)", run.flops / args.own_kernel_seconds / 1e9);
        if (args.driver_copy_seconds > 0) std::printf("  (cuMemcpyDtoD %.1f GB/s)", run.bytes / args.driver_copy_seconds / 1e9);
        std::printf("\n");
    }
    return failures ? 1 : 0;
}
