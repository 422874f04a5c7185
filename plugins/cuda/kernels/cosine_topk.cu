// cosine_topk on the device. gpuhost_cosine_scores: one warp per row reads
// the row once (float4 loads when k % 4 == 0), its dot with the query and its
// squared norm together, and writes the cosine (0 for a zero vector).
// gpuhost_topk, launched twice: first each block keeps the best top_k of its
// share of the scores, then one block merges those candidates into the answer.
#include "common.cuh"

extern "C" __global__ void gpuhost_cosine_scores(u64 m, u64 k, const float *a, const float *q, float query_norm,
                                                 float *scores) {
    unsigned lane = threadIdx.x & 31;
    u64 warp = (blockIdx.x * (u64)blockDim.x + threadIdx.x) >> 5, warps = ((u64)gridDim.x * blockDim.x) >> 5;
    for (u64 row = warp; row < m; row += warps) {
        const float *r = a + row * k;
        float d = 0.0f, s = 0.0f;
        if ((k & 3) == 0) {
            const float4 *r4 = reinterpret_cast<const float4 *>(r), *q4 = reinterpret_cast<const float4 *>(q);
            for (u64 i = lane; i < k / 4; i += 32) {
                float4 v = r4[i], w = q4[i];
                d += (v.x * w.x + v.y * w.y) + (v.z * w.z + v.w * w.w);
                s += (v.x * v.x + v.y * v.y) + (v.z * v.z + v.w * v.w);
            }
        } else {
            for (u64 i = lane; i < k; i += 32) {
                float v = r[i];
                d += v * q[i];
                s += v * v;
            }
        }
        d = warp_sum(d);
        s = warp_sum(s);
        if (lane == 0) {
            float denominator = sqrtf(s) * query_norm;
            scores[row] = denominator > 0.0f ? d / denominator : 0.0f;
        }
    }
}

#define MAX_TOP_K 64
#define NONE 0x7fffffffffffffffLL  // an empty slot: loses to every real row

// Higher score first; on equal scores the lower row first; empty slots last.
__device__ __forceinline__ bool better(float s, long long i, float t, long long j) {
    if (i == NONE || j == NONE) return j == NONE && i != NONE;
    return s > t || (s == t && i < j);
}

// Thread by thread, the best top_k of a grid-strided share of `count`
// entries (row = idx[e], or e itself when idx is null, skipping rows < 0);
// then, top_k times, the block's best head is written and its thread moves
// on. Block b writes out_s/out_i[b * top_k ...]; with `final`, empty slots get
// a NaN score and row -1 (the answer's convention), else -inf and -1.
extern "C" __global__ void gpuhost_topk(u64 count, const float *s, const long long *idx, unsigned top_k, float *out_s,
                                        long long *out_i, int final) {
    float best_s[MAX_TOP_K];
    long long best_i[MAX_TOP_K];
    unsigned len = 0;
    u64 stride = (u64)gridDim.x * blockDim.x;
    for (u64 e = blockIdx.x * (u64)blockDim.x + threadIdx.x; e < count; e += stride) {
        long long row = idx ? idx[e] : (long long)e;
        float v = s[e];
        if (row < 0) continue;
        if (len == top_k && !better(v, row, best_s[top_k - 1], best_i[top_k - 1])) continue;
        unsigned p = len < top_k ? len++ : top_k - 1;
        while (p > 0 && better(v, row, best_s[p - 1], best_i[p - 1])) {
            best_s[p] = best_s[p - 1];
            best_i[p] = best_i[p - 1];
            --p;
        }
        best_s[p] = v;
        best_i[p] = row;
    }
    __shared__ float warp_s[32];
    __shared__ long long warp_i[32];
    unsigned lane = threadIdx.x & 31, warp = threadIdx.x >> 5, pos = 0;
    for (unsigned r = 0; r < top_k; ++r) {
        float hs = pos < len ? best_s[pos] : 0.0f;
        long long hi = pos < len ? best_i[pos] : NONE;
        for (int offset = 16; offset > 0; offset >>= 1) {
            float os = __shfl_xor_sync(0xffffffffu, hs, offset);
            long long oi = __shfl_xor_sync(0xffffffffu, hi, offset);
            if (better(os, oi, hs, hi)) hs = os, hi = oi;
        }
        if (lane == 0) warp_s[warp] = hs, warp_i[warp] = hi;
        __syncthreads();
        if (warp == 0) {
            hs = lane < (blockDim.x >> 5) ? warp_s[lane] : 0.0f;
            hi = lane < (blockDim.x >> 5) ? warp_i[lane] : NONE;
            for (int offset = 16; offset > 0; offset >>= 1) {
                float os = __shfl_xor_sync(0xffffffffu, hs, offset);
                long long oi = __shfl_xor_sync(0xffffffffu, hi, offset);
                if (better(os, oi, hs, hi)) hs = os, hi = oi;
            }
            if (lane == 0) {
                warp_s[0] = hs, warp_i[0] = hi;
                u64 slot = (u64)blockIdx.x * top_k + r;
                out_s[slot] = hi != NONE ? hs : (final ? __int_as_float(0x7fc00000) : -__int_as_float(0x7f800000));
                out_i[slot] = hi != NONE ? hi : -1;
            }
        }
        __syncthreads();
        if (pos < len && best_i[pos] == warp_i[0]) ++pos;  // rows are unique: one thread holds the winner
        __syncthreads();
    }
}
