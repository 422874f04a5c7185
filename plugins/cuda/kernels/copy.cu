// y[i] = x[i]: the copy kernel, one half of the bandwidth ceiling (the other
// is the driver's cuMemcpyDtoD). 16-byte loads and stores in a grid-stride
// loop over float4s (cuMemAlloc aligns to 256 bytes); the n % 4 last
// elements go to the first threads.
#include "common.cuh"
extern "C" __global__ void gpuhost_copy(u64 n, const float *x, float *y) {
    u64 quads = n / 4, t = blockIdx.x * (u64)blockDim.x + threadIdx.x, stride = (u64)gridDim.x * blockDim.x;
    const float4 *x4 = reinterpret_cast<const float4 *>(x);
    float4 *y4 = reinterpret_cast<float4 *>(y);
    for (u64 i = t; i < quads; i += stride) y4[i] = x4[i];
    if (t < n % 4) y[quads * 4 + t] = x[quads * 4 + t];
}
