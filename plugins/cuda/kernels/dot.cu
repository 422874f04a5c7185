// dot in two launches on the device, no host round trip between them:
// gpuhost_dot leaves one partial per block (float4 loads, grid-stride, then
// warp shuffles), gpuhost_sum_partials adds them in one block into result[0].
#include "common.cuh"
extern "C" __global__ void gpuhost_dot(u64 n, const float *x, const float *y, float *partials) {
    u64 quads = n / 4, t = blockIdx.x * (u64)blockDim.x + threadIdx.x, stride = (u64)gridDim.x * blockDim.x;
    const float4 *x4 = reinterpret_cast<const float4 *>(x), *y4 = reinterpret_cast<const float4 *>(y);
    float acc = 0.0f;
    for (u64 i = t; i < quads; i += stride) {
        float4 a = x4[i], b = y4[i];
        acc += (a.x * b.x + a.y * b.y) + (a.z * b.z + a.w * b.w);
    }
    if (t < n % 4) acc += x[quads * 4 + t] * y[quads * 4 + t];
    acc = block_sum(acc);
    if (threadIdx.x == 0) partials[blockIdx.x] = acc;
}

extern "C" __global__ void gpuhost_sum_partials(const float *partials, unsigned count, float *result) {
    float acc = 0.0f;
    for (unsigned i = threadIdx.x; i < count; i += blockDim.x) acc += partials[i];
    acc = block_sum(acc);
    if (threadIdx.x == 0) result[0] = acc;
}
