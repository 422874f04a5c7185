// The five gpuhost kernels in OpenCL C 1.2, built by the driver at run time.
// Index arithmetic is in ulong so matrices past 4 G elements still address.

__kernel void saxpy(__global const float *x, __global const float *y_in, __global float *y, float alpha, ulong n) {
    ulong i = get_global_id(0);
    if (i < n) y[i] = alpha * x[i] + y_in[i];
}

__kernel void copy(__global const float *x, __global float *y, ulong n) {
    ulong i = get_global_id(0);
    if (i < n) y[i] = x[i];
}

// Each work-group sums a grid-strided share into partial[group]; the host adds
// the few hundred partials.
__kernel void dot_partial(__global const float *x, __global const float *y, __global float *partial, ulong n,
                          __local float *scratch) {
    ulong stride = get_global_size(0);
    uint lid = get_local_id(0);
    float s = 0;
    for (ulong i = get_global_id(0); i < n; i += stride) s += x[i] * y[i];
    scratch[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint width = get_local_size(0) / 2; width > 0; width /= 2) {
        if (lid < width) scratch[lid] += scratch[lid + width];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) partial[get_group_id(0)] = scratch[0];
}

// C = A * B, row-major, 16 x 16 tiles staged in local memory.
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

// One work-group per row: the row's dot with the query and its squared norm in
// one read, then the cosine (0 for a zero vector). Top-k selection follows on
// the host over the m scores.
__kernel void cosine_scores(__global const float *A, __global const float *q, __global float *scores, ulong m, ulong k,
                            float q_norm2, __local float *dots, __local float *norms) {
    ulong row = get_group_id(0);
    uint lid = get_local_id(0), size = get_local_size(0);
    __global const float *r = A + row * k;
    float d = 0, n2 = 0;
    for (ulong i = lid; i < k; i += size) {
        float v = r[i];
        d += v * q[i];
        n2 += v * v;
    }
    dots[lid] = d;
    norms[lid] = n2;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (uint width = size / 2; width > 0; width /= 2) {
        if (lid < width) {
            dots[lid] += dots[lid + width];
            norms[lid] += norms[lid + width];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0 && row < m) scores[row] = (norms[0] > 0 && q_norm2 > 0) ? dots[0] / sqrt(norms[0] * q_norm2) : 0.0f;
}

// CPU devices (PoCL and the like) run work-items as loop iterations: there a
// work-item per contiguous chunk or per row, without local-memory trees, is
// the fast shape. GPUs use the forms above.
__kernel void dot_chunked(__global const float *x, __global const float *y, __global float *partial, ulong n,
                          ulong chunk) {
    ulong g = get_global_id(0);
    ulong lo = g * chunk, hi = min(n, lo + chunk);
    float s = 0;
    for (ulong i = lo; i < hi; ++i) s += x[i] * y[i];
    partial[g] = s;
}

__kernel void cosine_rows(__global const float *A, __global const float *q, __global float *scores, ulong m, ulong k,
                          float q_norm2) {
    ulong row = get_global_id(0);
    if (row >= m) return;
    __global const float *r = A + row * k;
    float d = 0, n2 = 0;
    for (ulong i = 0; i < k; ++i) {
        float v = r[i];
        d += v * q[i];
        n2 += v * v;
    }
    scores[row] = (n2 > 0 && q_norm2 > 0) ? d / sqrt(n2 * q_norm2) : 0.0f;
}
