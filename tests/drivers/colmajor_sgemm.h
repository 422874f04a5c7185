/* C(m x n) = alpha A(m x k) B(k x n) + beta C, column-major with leading
 * dimensions and no transposes, as cuBLAS and rocBLAS define sgemm: the
 * arithmetic the fake BLAS libraries do on their host-memory "device". */
#pragma once

static inline void colmajor_sgemm(int m, int n, int k, float alpha, const float *A, int lda, const float *B, int ldb,
                                  float beta, float *C, int ldc) {
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < m; ++i) {
            float acc = 0;
            for (int l = 0; l < k; ++l) acc += A[i + (long)l * lda] * B[l + (long)j * ldb];
            float old = beta != 0 ? C[i + (long)j * ldc] : 0;
            C[i + (long)j * ldc] = alpha * acc + beta * old;
        }
}
