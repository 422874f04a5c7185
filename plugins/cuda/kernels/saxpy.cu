// y[i] = alpha * x[i] + y[i]
extern "C" __global__ void gpuhost_saxpy(unsigned long long n, float alpha, const float *x, float *y) {
    for (unsigned long long i = blockIdx.x * (unsigned long long)blockDim.x + threadIdx.x; i < n;
         i += (unsigned long long)gridDim.x * blockDim.x)
        y[i] = alpha * x[i] + y[i];
}
