// The five kernels on the CPU: multithreaded (OpenMP) and vectorised, with
// sgemm through OpenBLAS. Timed by the wall clock (no device timer on a CPU).
#pragma once
#include "gpuhost/plugin_abi.h"

#include <string>

namespace gpuhost::cpu {

// Runs args.kernel: one warm-up and args.repeats timed runs; fills the
// outputs and args.seconds. On failure message says why.
gpuhost_status run_cpu_kernel(gpuhost_kernel_args &args, std::string &message);

// The single-pass pieces, exposed for the benchmark program.
void saxpy_into(float *out, float alpha, const float *x, const float *y, std::uint64_t n);
double dot(const float *x, const float *y, std::uint64_t n);
void copy(float *out, const float *x, std::uint64_t n);
void sgemm(const float *a, const float *b, float *c, std::uint64_t m, std::uint64_t n, std::uint64_t k);
void cosine_topk(const float *a, const float *query, std::uint64_t m, std::uint64_t k, std::uint32_t top_k,
                 std::int64_t *indices, float *scores);

}  // namespace gpuhost::cpu
