#include "cpu_kernels.hpp"

#include "gpuhost/kernel_support.hpp"

#include <algorithm>
#include <cblas.h>
#include <cmath>
#include <cstring>
#include <omp.h>
#include <vector>

// The inner loops are compiled for AVX-512, AVX2 and baseline x86-64 and picked
// at load time (GCC function multiversioning): a shipped plugin may not assume
// the build machine's CPU (-march=native). OpenMP splits the work across cores
// outside these functions, because a target_clones attribute does not reach the
// bodies OpenMP outlines.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define GPUHOST_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GPUHOST_CLONES
#endif

namespace gpuhost::cpu {

namespace {

GPUHOST_CLONES void saxpy_chunk(float *__restrict out, float alpha, const float *__restrict x,
                                const float *__restrict y, std::uint64_t n) {
#pragma omp simd
    for (std::uint64_t i = 0; i < n; ++i) out[i] = alpha * x[i] + y[i];
}

// Sums in float within blocks of 4096 (fully vectorised) and across blocks in
// double, so the error stays near float rounding of one block, not of n terms.
GPUHOST_CLONES double dot_chunk(const float *__restrict x, const float *__restrict y, std::uint64_t n) {
    double total = 0;
    for (std::uint64_t start = 0; start < n; start += 4096) {
        std::uint64_t end = std::min<std::uint64_t>(n, start + 4096);
        float s = 0;
#pragma omp simd reduction(+ : s)
        for (std::uint64_t i = start; i < end; ++i) s += x[i] * y[i];
        total += s;
    }
    return total;
}

// One row of cosine_topk: its dot with the query and its squared norm, in
// one read of the row.
GPUHOST_CLONES void dot_and_norm(const float *__restrict row, const float *__restrict q, std::uint64_t k,
                                 float &dot_out, float &norm2_out) {
    float d = 0, n2 = 0;
#pragma omp simd reduction(+ : d, n2)
    for (std::uint64_t i = 0; i < k; ++i) {
        d += row[i] * q[i];
        n2 += row[i] * row[i];
    }
    dot_out = d;
    norm2_out = n2;
}

// Below this many elements a single thread finishes before a second one
// would even be woken (and on a busy machine waking it can cost a whole
// scheduler tick), so small calls stay on the calling thread.
constexpr std::uint64_t kParallelMin = 1u << 16;

// Splits [0, n) evenly across the threads of the enclosing parallel region.
void my_range(std::uint64_t n, std::uint64_t &lo, std::uint64_t &hi) {
    std::uint64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    lo = n * t / threads;
    hi = n * (t + 1) / threads;
}

struct Hit {
    float score;
    std::int64_t row;
};
// Higher score first; equal scores: lower row first.
bool better(const Hit &a, const Hit &b) { return a.score > b.score || (a.score == b.score && a.row < b.row); }

}  // namespace

void saxpy_into(float *out, float alpha, const float *x, const float *y, std::uint64_t n) {
#pragma omp parallel if (n >= kParallelMin)
    {
        std::uint64_t lo, hi;
        my_range(n, lo, hi);
        saxpy_chunk(out + lo, alpha, x + lo, y + lo, hi - lo);
    }
}

double dot(const float *x, const float *y, std::uint64_t n) {
    double total = 0;
#pragma omp parallel reduction(+ : total) if (n >= kParallelMin)
    {
        std::uint64_t lo, hi;
        my_range(n, lo, hi);
        total += dot_chunk(x + lo, y + lo, hi - lo);
    }
    return total;
}

void copy(float *out, const float *x, std::uint64_t n) {
#pragma omp parallel if (n >= kParallelMin)
    {
        std::uint64_t lo, hi;
        my_range(n, lo, hi);
        if (hi > lo) std::memcpy(out + lo, x + lo, (hi - lo) * sizeof(float));
    }
}

// OpenBLAS: its sgemm is blocked for each cache level with hand-written
// micro-kernels per CPU generation, chosen at run time. A hand-rolled loop
// nest reaches a fraction of that, so we do not write one.
void sgemm(const float *a, const float *b, float *c, std::uint64_t m, std::uint64_t n, std::uint64_t k) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasint(m), blasint(n), blasint(k), 1.0f, a,
                blasint(k), b, blasint(n), 0.0f, c, blasint(n));
}

// One pass over the matrix: each thread streams its rows, scores each with a
// fused dot + norm, and keeps its best top_k in a bounded heap (worst on top);
// the per-thread heaps are merged at the end.
void cosine_topk(const float *a, const float *query, std::uint64_t m, std::uint64_t k, std::uint32_t top_k,
                 std::int64_t *indices, float *scores) {
    float qd, qn2;
    dot_and_norm(query, query, k, qd, qn2);
    std::size_t keep = std::min<std::uint64_t>(top_k, m);
    std::vector<std::vector<Hit>> heaps(omp_get_max_threads());
#pragma omp parallel if (m * k >= kParallelMin)
    {
        auto &heap = heaps[omp_get_thread_num()];
        heap.reserve(keep + 1);
        std::uint64_t lo, hi;
        my_range(m, lo, hi);
        for (std::uint64_t r = lo; r < hi; ++r) {
            float d, n2;
            dot_and_norm(a + r * k, query, k, d, n2);
            Hit hit{float(sdk::cosine_from(d, n2, qn2)), std::int64_t(r)};
            if (heap.size() < keep) {
                heap.push_back(hit);
                std::push_heap(heap.begin(), heap.end(), better);
            } else if (better(hit, heap.front())) {
                std::pop_heap(heap.begin(), heap.end(), better);
                heap.back() = hit;
                std::push_heap(heap.begin(), heap.end(), better);
            }
        }
    }
    std::vector<Hit> all;
    for (auto &h : heaps) all.insert(all.end(), h.begin(), h.end());
    std::partial_sort(all.begin(), all.begin() + keep, all.end(), better);
    for (std::size_t i = 0; i < top_k; ++i) {
        indices[i] = i < keep ? all[i].row : -1;
        scores[i] = i < keep ? all[i].score : NAN;
    }
}

gpuhost_status run_cpu_kernel(gpuhost_kernel_args &args, std::string &message) {
    if (auto why = sdk::validate_kernel_args(args); !why.empty()) {
        message = why;
        return GPUHOST_ERR_ARGUMENT;
    }
    bool device_timer = false;
    auto timed = [&](auto &&body) {
        return sdk::time_median(sdk::repeat_count(args), device_timer, [&] {
            body();
            return -1.0;  // no device timer: the wall clock is the measure
        });
    };
    switch (args.kernel) {
    case GPUHOST_KERNEL_SAXPY: {
        // Out of place from a saved y, so repeats do not compound (plugin_abi.h).
        std::vector<float> y_in(args.y, args.y + args.n);
        args.seconds = timed([&] { saxpy_into(args.y, args.alpha, args.x, y_in.data(), args.n); });
        break;
    }
    case GPUHOST_KERNEL_DOT:
        args.seconds = timed([&] { args.c[0] = float(dot(args.x, args.y, args.n)); });
        break;
    case GPUHOST_KERNEL_COPY: {
        args.seconds = timed([&] { copy(args.y, args.x, args.n); });
        // The C library's memcpy of the same bytes, one thread: the "driver's
        // own copy" of a CPU, the other half of the ceiling.
        std::vector<float> scratch(args.n);
        args.driver_copy_seconds = timed([&] {
            std::memcpy(scratch.data(), args.x, args.n * sizeof(float));
            asm volatile("" : : "r"(scratch.data()) : "memory");  // the copy is used: not optimised away
        });
        break;
    }
    case GPUHOST_KERNEL_SGEMM:
        args.seconds = timed([&] { sgemm(args.a, args.b, args.c, args.m, args.n, args.k); });
        sdk::set_implementation(args, "OpenBLAS");
        break;
    case GPUHOST_KERNEL_COSINE_TOPK:
        args.seconds = timed([&] { cosine_topk(args.a, args.x, args.m, args.k, args.top_k, args.indices, args.c); });
        break;
    }
    args.device_timer = 0;
    if (!args.implementation[0]) sdk::set_implementation(args, "own kernel");
    message = "cpu: " + std::to_string(omp_get_max_threads()) + " threads";
    return GPUHOST_OK;
}

}  // namespace gpuhost::cpu
