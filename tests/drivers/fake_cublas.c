/* A cuBLAS at the driver boundary, for the cuda plugin's tests: it exports
 * the few cuBLAS functions the plugin opens and computes sgemm (column-major,
 * no transposes, as cuBLAS defines it) on the "device" memory that
 * fake_cuda_launch hands out, which is host memory. FAKE_CUBLAS_CREATE_FAILS
 * makes cublasCreate_v2 fail, as a real cuBLAS does without a usable GPU. */
#include <stdlib.h>

#include "colmajor_sgemm.h"

#define EXPORT __attribute__((visibility("default")))

struct handle { int math_mode; };

EXPORT int cublasCreate_v2(void **handle) {
    const char *fail = getenv("FAKE_CUBLAS_CREATE_FAILS");
    if (fail && *fail == '1') return 1; /* CUBLAS_STATUS_NOT_INITIALIZED */
    *handle = calloc(1, sizeof(struct handle));
    return 0;
}
EXPORT int cublasDestroy_v2(void *handle) { free(handle); return 0; }
EXPORT int cublasGetVersion_v2(void *handle, int *version) { (void)handle; *version = 990000; return 0; }
EXPORT int cublasSetMathMode(void *handle, int mode) { ((struct handle *)handle)->math_mode = mode; return 0; }

/* C(m x n) = alpha A(m x k) B(k x n) + beta C, column-major with leading dimensions. */
EXPORT int cublasSgemm_v2(void *handle, int transa, int transb, int m, int n, int k, const float *alpha,
                          const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc) {
    if (!handle) return 1;
    if (transa != 0 || transb != 0) return 7; /* CUBLAS_STATUS_INVALID_VALUE: the plugin only asks for N, N */
    if (m < 0 || n < 0 || k < 0 || lda < m || ldb < k || ldc < m) return 7;
    colmajor_sgemm(m, n, k, *alpha, A, lda, B, ldb, *beta, C, ldc);
    return 0;
}
