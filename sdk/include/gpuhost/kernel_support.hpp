// What every plugin's kernel slot shares: argument checks, the warm-up and
// median timing rule, and the top-k selection that follows a score pass.
#pragma once
#include "gpuhost/plugin_abi.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace gpuhost::sdk {

// "saxpy", "dot", "sgemm", "cosine_topk", "copy"; "" for an unknown id.
const char *kernel_name(std::uint32_t kernel);
// The id for a name, or 0.
std::uint32_t kernel_id(const std::string &name);

// Why these arguments cannot run (empty sizes, missing buffers, unknown
// kernel), or "" when they can.
std::string validate_kernel_args(const gpuhost_kernel_args &args);

// Timed runs requested (0 means 1).
inline std::uint32_t repeat_count(const gpuhost_kernel_args &args) { return args.repeats ? args.repeats : 1; }

double median(std::vector<double> values);

// Whether two sgemm results (row-major m x n, of A(m x k) * B(k x n)) agree
// within float32 rounding, on a sample of up to 4096 entries (each checked
// against the scale of its k products): "" when they do, else where not.
// Plugins use it to vouch for the own kernel they time next to a library.
std::string compare_sgemm(const float *got, const float *want, const float *a, const float *b, std::uint64_t m,
                          std::uint64_t n, std::uint64_t k);

// Names what computed the result in args.implementation ("own kernel",
// "cuBLAS", "CLBlast", ...), truncated to fit.
void set_implementation(gpuhost_kernel_args &args, const std::string &name);

// One warm-up call, then `repeats` timed calls; returns the median seconds.
// run() returns the seconds a device timer measured, or a negative number
// when it has none, in which case the wall clock around the call is used.
template <class Run>
double time_median(std::uint32_t repeats, bool &device_timer, Run &&run) {
    run();
    std::vector<double> times;
    device_timer = true;
    for (std::uint32_t i = 0; i < repeats; ++i) {
        auto start = std::chrono::steady_clock::now();
        double measured = run();
        auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (measured < 0) device_timer = false;
        times.push_back(measured < 0 ? wall : measured);
    }
    return median(std::move(times));
}

// Cosine similarity from a dot product and two squared norms; 0 when either
// vector is all zeros (the convention every backend and the checker share).
inline double cosine_from(double dot, double norm2_a, double norm2_b) {
    return norm2_a > 0 && norm2_b > 0 ? dot / __builtin_sqrt(norm2_a * norm2_b) : 0.0;
}

// Writes the top_k best of m scores, best first (ties: lower row first).
// When top_k > m, every row is returned and the slots past m get index -1
// and a NaN score.
void select_top_k(const float *scores, std::uint64_t m, std::uint32_t top_k, std::int64_t *indices,
                  float *top_scores);

}  // namespace gpuhost::sdk
