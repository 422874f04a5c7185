/* Adds to fake_cuda.c what kernels need: memory, modules and launches, with
 * "device" memory in host RAM and each kernel of plugins/cuda/kernels/ (each .cu file)
 * re-enacted on the CPU block by block and thread by thread, from the grid the
 * plugin chose. It proves the launcher's side: parameter layout, grid
 * coverage, copies, and that a function is asked for only by a name its PTX
 * defines. It proves nothing about the GPU code itself (cuda_smoke does). */
#include <cuda.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

typedef unsigned long long u64;
struct CUmod_st { const char *image; };
struct CUfunc_st { char name[64]; };
struct CUevent_st { struct timespec at; };
struct CUctx_st { int device; };

static struct CUctx_st context;

EXPORT CUresult cuDeviceGetByPCIBusId(CUdevice *device, const char *bus_id) {
    /* The recorded GPUs sit at buses 0x18 and 0x2a. */
    if (!strcmp(bus_id, "0000:18:00.0")) *device = 0;
    else if (!strcmp(bus_id, "0000:2a:00.0")) *device = 1;
    else return CUDA_ERROR_INVALID_DEVICE;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice device) {
    context.device = device;
    *ctx = &context;
    return CUDA_SUCCESS;
}

EXPORT CUresult cuCtxSetCurrent(CUcontext ctx) { return ctx == &context ? CUDA_SUCCESS : CUDA_ERROR_INVALID_CONTEXT; }
EXPORT CUresult cuCtxSynchronize(void) { return CUDA_SUCCESS; }

EXPORT CUresult cuModuleLoadData(CUmodule *module, const void *image) {
    if (!strstr((const char *)image, ".visible .entry ")) return CUDA_ERROR_INVALID_PTX;
    *module = calloc(1, sizeof(struct CUmod_st));
    (*module)->image = strdup((const char *)image);
    return CUDA_SUCCESS;
}

EXPORT CUresult cuModuleGetFunction(CUfunction *f, CUmodule module, const char *name) {
    char entry[96];
    snprintf(entry, sizeof entry, ".visible .entry %s(", name);
    if (!strstr(module->image, entry) || strlen(name) >= sizeof((*f)->name)) return CUDA_ERROR_NOT_FOUND;
    *f = calloc(1, sizeof(struct CUfunc_st));
    strcpy((*f)->name, name);
    return CUDA_SUCCESS;
}

EXPORT CUresult cuMemAlloc_v2(CUdeviceptr *p, size_t bytes) {
    void *mem = malloc(bytes);
    if (!mem) return CUDA_ERROR_OUT_OF_MEMORY;
    memset(mem, 0xff, bytes); /* NaN: what a kernel leaves unwritten shows */
    *p = (CUdeviceptr)(uintptr_t)mem;
    return CUDA_SUCCESS;
}
EXPORT CUresult cuMemFree_v2(CUdeviceptr p) { free((void *)(uintptr_t)p); return CUDA_SUCCESS; }
EXPORT CUresult cuMemcpyHtoD_v2(CUdeviceptr to, const void *from, size_t bytes) {
    memcpy((void *)(uintptr_t)to, from, bytes);
    return CUDA_SUCCESS;
}
EXPORT CUresult cuMemcpyDtoH_v2(void *to, CUdeviceptr from, size_t bytes) {
    memcpy(to, (const void *)(uintptr_t)from, bytes);
    return CUDA_SUCCESS;
}
EXPORT CUresult cuMemcpyDtoD_v2(CUdeviceptr to, CUdeviceptr from, size_t bytes) {
    memcpy((void *)(uintptr_t)to, (const void *)(uintptr_t)from, bytes);
    return CUDA_SUCCESS;
}

EXPORT CUresult cuEventCreate(CUevent *e, unsigned flags) {
    (void)flags;
    *e = calloc(1, sizeof(struct CUevent_st));
    return CUDA_SUCCESS;
}
EXPORT CUresult cuEventRecord(CUevent e, CUstream s) {
    (void)s;
    clock_gettime(CLOCK_MONOTONIC, &e->at);
    return CUDA_SUCCESS;
}
EXPORT CUresult cuEventSynchronize(CUevent e) { (void)e; return CUDA_SUCCESS; }
#undef cuEventElapsedTime /* export the original symbol name, as every driver does */
EXPORT CUresult cuEventElapsedTime(float *ms, CUevent start, CUevent stop) {
    *ms = (float)((stop->at.tv_sec - start->at.tv_sec) * 1e3 + (stop->at.tv_nsec - start->at.tv_nsec) / 1e6);
    return CUDA_SUCCESS;
}

#define ARG(type, i) (*(type *)params[i])
#define PTR(i) ((float *)(uintptr_t)ARG(CUdeviceptr, i))

/* One thread's share of a grid-stride loop. */
#define FOR_GRID_STRIDE(i, n, block, thread, gx, bx) \
    for (u64 i = (u64)(block) * (bx) + (thread); i < (n); i += (u64)(gx) * (bx))

EXPORT CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                               unsigned bz, unsigned shared, CUstream stream, void **params, void **extra) {
    (void)stream; (void)extra; (void)shared;
    if (gz != 1 || bz != 1 || !params) return CUDA_ERROR_INVALID_VALUE;
    const char *k = f->name;
    if (!strcmp(k, "gpuhost_saxpy") || !strcmp(k, "gpuhost_copy")) {
        /* float4s grid-strided, then the n % 4 tail to the first threads */
        int saxpy = !strcmp(k, "gpuhost_saxpy");
        u64 n = ARG(u64, 0), quads = n / 4;
        float alpha = saxpy ? ARG(float, 1) : 0;
        float *x = PTR(saxpy ? 2 : 1), *y = PTR(saxpy ? 3 : 2);
        for (unsigned b = 0; b < gx; ++b)
            for (unsigned t = 0; t < bx; ++t) {
                FOR_GRID_STRIDE(q, quads, b, t, gx, bx)
                    for (u64 i = q * 4; i < q * 4 + 4; ++i) y[i] = saxpy ? alpha * x[i] + y[i] : x[i];
                u64 thread = (u64)b * bx + t;
                if (thread < n % 4) y[quads * 4 + thread] = saxpy ? alpha * x[quads * 4 + thread] + y[quads * 4 + thread]
                                                               : x[quads * 4 + thread];
            }
    } else if (!strcmp(k, "gpuhost_dot")) {
        if (bx % 32 || bx > 1024) return CUDA_ERROR_INVALID_VALUE; /* warp sums need whole warps */
        u64 n = ARG(u64, 0), quads = n / 4;
        float *x = PTR(1), *y = PTR(2), *partials = PTR(3);
        for (unsigned b = 0; b < gx; ++b) {
            float sum = 0;
            for (unsigned t = 0; t < bx; ++t) {
                float acc = 0;
                FOR_GRID_STRIDE(q, quads, b, t, gx, bx)
                    for (u64 i = q * 4; i < q * 4 + 4; ++i) acc += x[i] * y[i];
                u64 thread = (u64)b * bx + t;
                if (thread < n % 4) acc += x[quads * 4 + thread] * y[quads * 4 + thread];
                sum += acc;
            }
            partials[b] = sum;
        }
    } else if (!strcmp(k, "gpuhost_sum_partials")) {
        if (gx != 1 || bx % 32 || bx > 1024) return CUDA_ERROR_INVALID_VALUE; /* one block adds them */
        float *partials = PTR(0), *result = PTR(2);
        unsigned count = ARG(unsigned, 1);
        float sum = 0;
        for (unsigned i = 0; i < count; ++i) sum += partials[i];
        result[0] = sum;
    } else if (!strcmp(k, "gpuhost_sgemm")) {
        if (bx != 16 || by != 16) return CUDA_ERROR_INVALID_VALUE; /* TILE */
        u64 m = ARG(u64, 0), n = ARG(u64, 1), kk = ARG(u64, 2);
        float *a = PTR(3), *b = PTR(4), *c = PTR(5);
        for (unsigned byi = 0; byi < gy; ++byi)
            for (unsigned bxi = 0; bxi < gx; ++bxi)
                for (unsigned ty = 0; ty < by; ++ty)
                    for (unsigned tx = 0; tx < bx; ++tx) {
                        u64 row = (u64)byi * 16 + ty, col = (u64)bxi * 16 + tx;
                        if (row >= m || col >= n) continue;
                        float acc = 0;
                        for (u64 p = 0; p < kk; ++p) acc += a[row * kk + p] * b[p * n + col];
                        c[row * n + col] = acc;
                    }
    } else if (!strcmp(k, "gpuhost_cosine_scores")) {
        /* one warp per row, grid-strided over rows */
        if (bx % 32) return CUDA_ERROR_INVALID_VALUE;
        u64 m = ARG(u64, 0), kk = ARG(u64, 1), warps = (u64)gx * bx / 32;
        float *a = PTR(2), *q = PTR(3), query_norm = ARG(float, 4), *scores = PTR(5);
        for (u64 w = 0; w < warps; ++w)
            for (u64 row = w; row < m; row += warps) {
                float d = 0, s = 0;
                for (u64 i = 0; i < kk; ++i) { d += a[row * kk + i] * q[i]; s += a[row * kk + i] * a[row * kk + i]; }
                float denominator = sqrtf(s) * query_norm;
                scores[row] = denominator > 0 ? d / denominator : 0;
            }
    } else if (!strcmp(k, "gpuhost_topk")) {
        /* each block: the best top_k of what its threads' grid-stride loops see */
        if (bx % 32 || bx > 1024) return CUDA_ERROR_INVALID_VALUE;
        u64 count = ARG(u64, 0);
        float *s = PTR(1);
        long long *idx = (long long *)(uintptr_t)ARG(CUdeviceptr, 2);
        unsigned top_k = ARG(unsigned, 3);
        float *out_s = PTR(4);
        long long *out_i = (long long *)(uintptr_t)ARG(CUdeviceptr, 5);
        int final = ARG(int, 6);
        if (top_k == 0 || top_k > 64) return CUDA_ERROR_INVALID_VALUE;
        for (unsigned b = 0; b < gx; ++b) {
            float best_s[64];
            long long best_i[64];
            unsigned len = 0;
            for (unsigned t = 0; t < bx; ++t)
                FOR_GRID_STRIDE(e, count, b, t, gx, bx) {
                    long long row = idx ? idx[e] : (long long)e;
                    float v = s[e];
                    if (row < 0) continue;
                    unsigned p = len;
                    while (p > 0 && (v > best_s[p - 1] || (v == best_s[p - 1] && row < best_i[p - 1]))) --p;
                    if (p >= top_k) continue;
                    for (unsigned j = (len < top_k ? len : top_k - 1); j > p; --j) best_s[j] = best_s[j - 1], best_i[j] = best_i[j - 1];
                    best_s[p] = v, best_i[p] = row;
                    if (len < top_k) ++len;
                }
            for (unsigned r = 0; r < top_k; ++r) {
                out_s[(u64)b * top_k + r] = r < len ? best_s[r] : (final ? NAN : -INFINITY);
                out_i[(u64)b * top_k + r] = r < len ? best_i[r] : -1;
            }
        }
    } else {
        return CUDA_ERROR_NOT_FOUND;
    }
    return CUDA_SUCCESS;
}
