// The yardsticks, compiled with -O3 -march=native -fopenmp (see CMakeLists.txt):
// what this very CPU does at best, for the shipped kernels to be compared with.
#pragma once
#include <cstdint>

namespace bench {

// STREAM's triad: a[i] = b[i] + scalar * c[i], OpenMP over all cores.
void stream_triad(float *a, const float *b, const float *c, float scalar, std::uint64_t n);
// Reads every element once (a sum), OpenMP over all cores: the floor for any
// one-pass kernel over the same data.
double stream_read(const float *a, std::uint64_t n);

}  // namespace bench
