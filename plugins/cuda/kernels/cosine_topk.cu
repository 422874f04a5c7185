// scores[r] = cos(A row r, q); one 128-thread block per row. The host picks
// the top k from the scores (a selection over m numbers, not worth a kernel).
extern "C" __global__ void gpuhost_cosine_scores(unsigned long long m, unsigned long long k, const float *a,
                                                 const float *q, float query_norm, float *scores) {
    __shared__ float dot[128], norm[128];
    unsigned long long row = blockIdx.x;
    if (row >= m) return;
    float d = 0.0f, s = 0.0f;
    for (unsigned long long i = threadIdx.x; i < k; i += blockDim.x) {
        float v = a[row * k + i];
        d += v * q[i];
        s += v * v;
    }
    dot[threadIdx.x] = d;
    norm[threadIdx.x] = s;
    __syncthreads();
    for (unsigned step = blockDim.x / 2; step > 0; step >>= 1) {
        if (threadIdx.x < step) {
            dot[threadIdx.x] += dot[threadIdx.x + step];
            norm[threadIdx.x] += norm[threadIdx.x + step];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        float denominator = sqrtf(norm[0]) * query_norm;
        scores[row] = denominator > 0.0f ? dot[0] / denominator : 0.0f;
    }
}
