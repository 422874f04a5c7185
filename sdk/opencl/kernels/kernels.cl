// The five gpuhost kernels in OpenCL C 1.2, built by the driver at run time.
// Index arithmetic is in ulong so matrices past 4 G elements still address.
// Reductions finish on the device: a first pass leaves one partial per
// work-group (or per chunk), and one small work-group adds them, so the host
// reads back one number (dot) or the top k (cosine_topk), never per-block sums.

// Wide accesses: each work-item moves 4 consecutive floats; the last few
// elements of an n that is not a multiple of 4 are done one by one.
__kernel void saxpy(__global const float *x, __global const float *y_in, __global float *y, float alpha, ulong n) {
    ulong i = get_global_id(0) * 4;
    if (i + 4 <= n) {
        vstore4(alpha * vload4(0, x + i) + vload4(0, y_in + i), 0, y + i);
    } else {
        for (; i < n; ++i) y[i] = alpha * x[i] + y_in[i];
    }
}

__kernel void copy(__global const float *x, __global float *y, ulong n) {
    ulong i = get_global_id(0) * 4;
    if (i + 4 <= n) {
        vstore4(vload4(0, x + i), 0, y + i);
    } else {
        for (; i < n; ++i) y[i] = x[i];
    }
}

// Sum of the local array's first get_local_size(0) values, left in scratch[0].
// The size is a power of two.
inline void local_sum(__local float *scratch, uint lid) {
    for (uint width = get_local_size(0) / 2; width > 0; width /= 2) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < width) scratch[lid] += scratch[lid + width];
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

// GPUs, first pass: each work-group sums a grid-strided share (4 floats per
// load) into partial[group] through a tree in local memory.
__kernel void dot_partial(__global const float *x, __global const float *y, __global float *partial, ulong n,
                          __local float *scratch) {
    ulong quads = n / 4, stride = get_global_size(0);
    uint lid = get_local_id(0);
    float4 s4 = (float4)(0.0f);
    for (ulong i = get_global_id(0); i < quads; i += stride) s4 += vload4(i, x) * vload4(i, y);
    float s = (s4.x + s4.y) + (s4.z + s4.w);
    for (ulong i = quads * 4 + get_global_id(0); i < n; i += stride) s += x[i] * y[i];
    scratch[lid] = s;
    local_sum(scratch, lid);
    if (lid == 0) partial[get_group_id(0)] = scratch[0];
}

// CPUs (PoCL and the like run work-items as loop iterations), first pass: a
// work-item per contiguous chunk, with eight independent sums so the loop
// vectorizes and is not bound by the latency of one chain of additions.
__kernel void dot_chunked(__global const float *x, __global const float *y, __global float *partial, ulong n,
                          ulong chunk) {
    ulong g = get_global_id(0);
    ulong lo = g * chunk, hi = min(n, lo + chunk);
    float8 s8 = (float8)(0.0f);
    ulong i = lo;
    for (; i + 8 <= hi; i += 8) s8 += vload8(0, x + i) * vload8(0, y + i);
    float s = ((s8.s0 + s8.s1) + (s8.s2 + s8.s3)) + ((s8.s4 + s8.s5) + (s8.s6 + s8.s7));
    for (; i < hi; ++i) s += x[i] * y[i];
    partial[g] = s;
}

// Second pass of dot: one work-group adds the `count` partials into result[0].
__kernel void sum_partials(__global const float *partial, __global float *result, uint count,
                           __local float *scratch) {
    uint lid = get_local_id(0);
    float s = 0;
    for (uint i = lid; i < count; i += get_local_size(0)) s += partial[i];
    scratch[lid] = s;
    local_sum(scratch, lid);
    if (lid == 0) result[0] = scratch[0];
}

// C = A * B, row-major, 16 x 16 tiles staged in local memory. The fallback
// when CLBlast is not installed.
#define TILE 16
__kernel __attribute__((reqd_work_group_size(TILE, TILE, 1))) void sgemm(__global const float *A, __global const float *B,
                                                                       __global float *C, ulong M, ulong N, ulong K) {
    ulong col = get_global_id(0), row = get_global_id(1);
    uint lc = get_local_id(0), lr = get_local_id(1);
    __local float As[TILE][TILE], Bs[TILE][TILE];
    float acc = 0;
    for (ulong t = 0; t < K; t += TILE) {
        As[lr][lc] = (row < M && t + lc < K) ? A[row * K + t + lc] : 0.0f;
        Bs[lr][lc] = (col < N && t + lr < K) ? B[(t + lr) * N + col] : 0.0f;
        barrier(CLK_LOCAL_MEM_FENCE);
        for (uint l = 0; l < TILE; ++l) acc += As[lr][l] * Bs[l][lc];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (row < M && col < N) C[row * N + col] = acc;
}

inline float cosine_of(float d, float n2, float q_norm2) {
    return (n2 > 0 && q_norm2 > 0) ? d / sqrt(n2 * q_norm2) : 0.0f;
}

// GPUs: one work-group per row (grid-strided over rows): the row's dot with
// the query and its squared norm in one read, 4 floats per load when the row
// is 16-byte aligned, then the cosine (0 for a zero vector).
__kernel void cosine_scores(__global const float *A, __global const float *q, __global float *scores, ulong m, ulong k,
                            float q_norm2, __local float *dots, __local float *norms) {
    uint lid = get_local_id(0), size = get_local_size(0);
    for (ulong row = get_group_id(0); row < m; row += get_num_groups(0)) {
        __global const float *r = A + row * k;
        float d = 0, n2 = 0;
        ulong i = lid;
        if (k % 4 == 0) {
            float4 d4 = (float4)(0.0f), n4 = (float4)(0.0f);
            for (; i < k / 4; i += size) {
                float4 v = vload4(i, r);
                d4 += v * vload4(i, q);
                n4 += v * v;
            }
            d = (d4.x + d4.y) + (d4.z + d4.w);
            n2 = (n4.x + n4.y) + (n4.z + n4.w);
        } else {
            for (; i < k; i += size) {
                float v = r[i];
                d += v * q[i];
                n2 += v * v;
            }
        }
        dots[lid] = d;
        norms[lid] = n2;
        for (uint width = size / 2; width > 0; width /= 2) {
            barrier(CLK_LOCAL_MEM_FENCE);
            if (lid < width) {
                dots[lid] += dots[lid + width];
                norms[lid] += norms[lid + width];
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid == 0) scores[row] = cosine_of(dots[0], norms[0], q_norm2);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

// The top-k selection, on the device. Ordering: higher score first, on equal
// scores the lower row first. At most MAX_TOP_K (the host checks).
#define MAX_TOP_K 64
inline int better(float s, long i, float t, long j) { return s > t || (s == t && i < j); }

// Inserts (s, i) into the sorted top list of length *len (at most k).
inline void keep_best(float *top_s, long *top_i, uint *len, uint k, float s, long i) {
    if (*len == k && !better(s, i, top_s[k - 1], top_i[k - 1])) return;
    uint p = *len < k ? (*len)++ : k - 1;
    while (p > 0 && better(s, i, top_s[p - 1], top_i[p - 1])) {
        top_s[p] = top_s[p - 1];
        top_i[p] = top_i[p - 1];
        --p;
    }
    top_s[p] = s;
    top_i[p] = i;
}

// Writes a work-item's list as k candidates; unfilled slots get index -1.
inline void write_candidates(__global float *cand_s, __global long *cand_i, ulong g, uint k, const float *top_s,
                             const long *top_i, uint len) {
    for (uint j = 0; j < k; ++j) {
        cand_s[g * k + j] = j < len ? top_s[j] : -INFINITY;
        cand_i[g * k + j] = j < len ? top_i[j] : -1;
    }
}

// CPUs: a work-item per contiguous chunk of rows computes each row's cosine
// (dot and norm in one read, eight independent sums) and keeps its best k.
__kernel void cosine_topk_chunked(__global const float *A, __global const float *q, ulong m, ulong k, float q_norm2,
                                  ulong chunk, uint top_k, __global float *cand_s, __global long *cand_i) {
    ulong g = get_global_id(0);
    ulong lo = g * chunk, hi = min(m, lo + chunk);
    float top_s[MAX_TOP_K];
    long top_i[MAX_TOP_K];
    uint len = 0;
    for (ulong row = lo; row < hi; ++row) {
        __global const float *r = A + row * k;
        float8 d8 = (float8)(0.0f), n8 = (float8)(0.0f);
        ulong i = 0;
        for (; i + 8 <= k; i += 8) {
            float8 v = vload8(0, r + i);
            d8 += v * vload8(0, q + i);
            n8 += v * v;
        }
        float d = ((d8.s0 + d8.s1) + (d8.s2 + d8.s3)) + ((d8.s4 + d8.s5) + (d8.s6 + d8.s7));
        float n2 = ((n8.s0 + n8.s1) + (n8.s2 + n8.s3)) + ((n8.s4 + n8.s5) + (n8.s6 + n8.s7));
        for (; i < k; ++i) {
            float v = r[i];
            d += v * q[i];
            n2 += v * v;
        }
        keep_best(top_s, top_i, &len, top_k, cosine_of(d, n2, q_norm2), (long)row);
    }
    write_candidates(cand_s, cand_i, g, top_k, top_s, top_i, len);
}

// GPUs, after cosine_scores: a work-item per strided share of the scores keeps its best k.
__kernel void topk_candidates(__global const float *scores, ulong m, uint top_k, __global float *cand_s,
                              __global long *cand_i) {
    ulong g = get_global_id(0), stride = get_global_size(0);
    float top_s[MAX_TOP_K];
    long top_i[MAX_TOP_K];
    uint len = 0;
    for (ulong row = g; row < m; row += stride) keep_best(top_s, top_i, &len, top_k, scores[row], (long)row);
    write_candidates(cand_s, cand_i, g, top_k, top_s, top_i, len);
}

// The small last stage, one work-group of MERGE_LANES: each lane keeps the
// best k of a strided share of the candidates, then lane 0 merges the lanes'
// lists into the top k, best first; slots past the number of rows get index
// -1 and a NaN score.
#define MERGE_LANES 16
__kernel __attribute__((reqd_work_group_size(MERGE_LANES, 1, 1))) void topk_merge(
    __global const float *cand_s, __global const long *cand_i, uint count, uint top_k, __global float *out_s,
    __global long *out_i) {
    __local float lane_s[MERGE_LANES * MAX_TOP_K];
    __local long lane_i[MERGE_LANES * MAX_TOP_K];
    __local uint lane_len[MERGE_LANES];
    uint lid = get_local_id(0);
    float top_s[MAX_TOP_K];
    long top_i[MAX_TOP_K];
    uint len = 0;
    for (uint c = lid; c < count; c += MERGE_LANES)
        if (cand_i[c] >= 0) keep_best(top_s, top_i, &len, top_k, cand_s[c], cand_i[c]);
    for (uint j = 0; j < len; ++j) {
        lane_s[lid * MAX_TOP_K + j] = top_s[j];
        lane_i[lid * MAX_TOP_K + j] = top_i[j];
    }
    lane_len[lid] = len;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (lid != 0) return;
    len = 0;
    for (uint l = 0; l < MERGE_LANES; ++l)
        for (uint j = 0; j < lane_len[l]; ++j)
            keep_best(top_s, top_i, &len, top_k, lane_s[l * MAX_TOP_K + j], lane_i[l * MAX_TOP_K + j]);
    for (uint j = 0; j < top_k; ++j) {
        out_s[j] = j < len ? top_s[j] : NAN;
        out_i[j] = j < len ? top_i[j] : -1;
    }
}
