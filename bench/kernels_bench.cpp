// Speed goals of the CPU kernels, measured in one run on this machine and
// printed (never asserted):
//   saxpy        vs a STREAM triad built -O3 -march=native -fopenmp   target >= 0.90
//   sgemm        through the plugin path vs cblas_sgemm called directly
//   cosine_topk  over 1,000,000 x 384 vs one streaming read of the matrix   target <= 1.5
// Every figure is the median of the timed runs after one warm-up.
#include "cpu_kernels.hpp"
#include "gpuhost/kernel_support.hpp"
#include "stream_reference.hpp"

#include <cblas.h>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <omp.h>
#include <random>
#include <string>
#include <vector>

namespace {

template <class Fn>
double median_seconds(int repeats, Fn &&fn) {
    fn();
    std::vector<double> t;
    for (int i = 0; i < repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        fn();
        t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return gpuhost::sdk::median(t);
}

std::vector<float> random_floats(std::uint64_t n, unsigned seed) {
    std::vector<float> v(n);
#pragma omp parallel
    {
        std::mt19937 rng(seed * 7919u + unsigned(omp_get_thread_num()));  // streams never shared between calls
        std::uniform_real_distribution<float> dist(-1, 1);
#pragma omp for schedule(static)
        for (std::uint64_t i = 0; i < n; ++i) v[i] = dist(rng);
    }
    return v;
}

double run_plugin_kernel(gpuhost_kernel_args &args, int repeats) {
    args.struct_size = sizeof args;
    args.repeats = repeats;
    std::string message;
    if (gpuhost::cpu::run_cpu_kernel(args, message) != GPUHOST_OK) {
        std::fprintf(stderr, "kernel failed: %s\n", message.c_str());
        std::exit(1);
    }
    return args.seconds;
}

}  // namespace

int main() {
    const int repeats = 10;
    std::string load;
    std::getline(std::ifstream("/proc/loadavg"), load);
    std::printf("gpuhost kernels_bench: %d OpenMP threads, load average %s\n", omp_get_max_threads(), load.c_str());
    std::printf("(median of %d runs after a warm-up; wall clock)\n\n", repeats);

    {  // saxpy vs STREAM triad, 3 arrays of 2^25 floats (384 MiB) so caches do not help
        const std::uint64_t n = 1ull << 25;
        auto x = random_floats(n, 1), y = random_floats(n, 2), out(y);
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_SAXPY;
        args.n = n, args.alpha = 1.5f, args.x = x.data(), args.y = out.data();
        double ours = run_plugin_kernel(args, repeats);
        double triad = median_seconds(repeats, [&] { bench::stream_triad(out.data(), y.data(), x.data(), 1.5f, n); });
        double bytes = 12.0 * n;
        std::printf("saxpy        n=%llu: gpuhost %.2f ms (%.1f GB/s), STREAM triad -march=native %.2f ms (%.1f GB/s)\n",
                    (unsigned long long)n, ours * 1e3, bytes / ours / 1e9, triad * 1e3, bytes / triad / 1e9);
        std::printf("             ratio (triad time / saxpy time) = %.3f   target >= 0.90\n\n", triad / ours);
    }
    {  // sgemm through the plugin path vs OpenBLAS directly
        const std::uint64_t side = 1024;
        auto a = random_floats(side * side, 3), b = random_floats(side * side, 4);
        std::vector<float> c(side * side);
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_SGEMM;
        args.m = args.n = args.k = side;
        args.a = a.data(), args.b = b.data(), args.c = c.data();
        double ours = run_plugin_kernel(args, repeats);
        double blas = median_seconds(repeats, [&] {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, side, side, side, 1.0f, a.data(), side, b.data(),
                        side, 0.0f, c.data(), side);
        });
        double flop = 2.0 * side * side * side;
        std::printf("sgemm        %llu^3: gpuhost %.2f ms (%.1f GFLOP/s), OpenBLAS %.2f ms (%.1f GFLOP/s)\n",
                    (unsigned long long)side, ours * 1e3, flop / ours / 1e9, blas * 1e3, flop / blas / 1e9);
        std::printf("             ratio (OpenBLAS time / gpuhost time) = %.3f\n\n", blas / ours);
    }
    {  // cosine_topk over 1,000,000 x 384 vs one streaming read of the matrix
        const std::uint64_t rows = 1000000, dims = 384;
        auto a = random_floats(rows * dims, 5), q = random_floats(dims, 6);
        std::vector<float> scores(10);
        std::vector<std::int64_t> idx(10);
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_COSINE_TOPK;
        args.m = rows, args.k = dims, args.top_k = 10;
        args.a = a.data(), args.x = q.data(), args.c = scores.data(), args.indices = idx.data();
        double ours = run_plugin_kernel(args, repeats);
        volatile double sink = 0;
        double read = median_seconds(repeats, [&] { sink = sink + bench::stream_read(a.data(), rows * dims); });
        double bytes = 4.0 * rows * dims;
        std::printf("cosine_topk  %llu x %llu, top 10: gpuhost %.2f ms (%.1f GB/s), one read of the matrix %.2f ms (%.1f GB/s)\n",
                    (unsigned long long)rows, (unsigned long long)dims, ours * 1e3, bytes / ours / 1e9, read * 1e3,
                    bytes / read / 1e9);
        std::printf("             ratio (cosine_topk time / read time) = %.3f   target <= 1.5\n", ours / read);
        std::printf("             best row %lld, cosine %.4f\n", (long long)idx[0], scores[0]);
    }
    return 0;
}
