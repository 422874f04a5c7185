#include "stream_reference.hpp"

namespace bench {

void stream_triad(float *a, const float *b, const float *c, float scalar, std::uint64_t n) {
#pragma omp parallel for simd schedule(static)
    for (std::uint64_t i = 0; i < n; ++i) a[i] = b[i] + scalar * c[i];
}

double stream_read(const float *a, std::uint64_t n) {
    float total = 0;
#pragma omp parallel for simd schedule(static) reduction(+ : total)
    for (std::uint64_t i = 0; i < n; ++i) total += a[i];
    return total;
}

}  // namespace bench
