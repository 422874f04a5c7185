/* A rocBLAS at the driver boundary, for the rocm plugin's tests: the handle
 * functions and rocblas_sgemm (column-major, as rocBLAS defines it) on the
 * "device" memory fake_hip hands out, which is host memory.
 * FAKE_ROCBLAS_CREATE_FAILS=1 makes rocblas_create_handle fail. */
#include <stdlib.h>

#include "colmajor_sgemm.h"

#define EXPORT __attribute__((visibility("default")))
enum { rocblas_operation_none = 111, rocblas_status_invalid_size = 3, rocblas_status_not_implemented = 6 };

EXPORT int rocblas_create_handle(void **handle) {
    const char *fail = getenv("FAKE_ROCBLAS_CREATE_FAILS");
    if (fail && *fail == '1') return 4; /* rocblas_status_memory_error */
    *handle = calloc(1, 16);
    return 0;
}
EXPORT int rocblas_destroy_handle(void *handle) { free(handle); return 0; }

EXPORT int rocblas_sgemm(void *handle, int transa, int transb, int m, int n, int k, const float *alpha,
                         const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc) {
    if (!handle) return 1;
    if (transa != rocblas_operation_none || transb != rocblas_operation_none) return rocblas_status_not_implemented;
    if (m < 0 || n < 0 || k < 0 || lda < m || ldb < k || ldc < m) return rocblas_status_invalid_size;
    colmajor_sgemm(m, n, k, *alpha, A, lda, B, ldb, *beta, C, ldc);
    return 0;
}
