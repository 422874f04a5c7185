// y[i] = alpha * x[i] + y[i], with 16-byte loads and stores (as copy.cu).
#include "common.cuh"
extern "C" __global__ void gpuhost_saxpy(u64 n, float alpha, const float *x, float *y) {
    u64 quads = n / 4, t = blockIdx.x * (u64)blockDim.x + threadIdx.x, stride = (u64)gridDim.x * blockDim.x;
    const float4 *x4 = reinterpret_cast<const float4 *>(x);
    float4 *y4 = reinterpret_cast<float4 *>(y);
    for (u64 i = t; i < quads; i += stride) {
        float4 a = x4[i], b = y4[i];
        y4[i] = make_float4(alpha * a.x + b.x, alpha * a.y + b.y, alpha * a.z + b.z, alpha * a.w + b.w);
    }
    if (t < n % 4) y[quads * 4 + t] = alpha * x[quads * 4 + t] + y[quads * 4 + t];
}
