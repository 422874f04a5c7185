// One partial sum per block (blockDim.x == 256); the host adds the partials
// in double, so the result does not depend on atomics' order.
extern "C" __global__ void gpuhost_dot(unsigned long long n, const float *x, const float *y, float *partials) {
    __shared__ float sum[256];
    float acc = 0.0f;
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;
         i += (unsigned long long)gridDim.x * blockDim.x)
        acc += x[i] * y[i];
    sum[threadIdx.x] = acc;
    __syncthreads();
    for (unsigned s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) sum[threadIdx.x] += sum[threadIdx.x + s];
        __syncthreads();
    }
    if (threadIdx.x == 0) partials[blockIdx.x] = sum[0];
}
