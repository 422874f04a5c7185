// Shared by the kernels: 64-bit indices, warp and block sums by shuffles.
#pragma once
typedef unsigned long long u64;

// The sum over the warp, in every lane.
__device__ __forceinline__ float warp_sum(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
    return v;
}

// The sum over the block (blockDim.x a multiple of 32, at most 1024), valid in thread 0.
// Call once per kernel: it uses a static shared array.
__device__ __forceinline__ float block_sum(float v) {
    __shared__ float warps[32];
    unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    v = warp_sum(v);
    if (lane == 0) warps[warp] = v;
    __syncthreads();
    v = threadIdx.x < (blockDim.x >> 5) ? warps[lane] : 0.0f;
    if (warp == 0) v = warp_sum(v);
    return v;
}
