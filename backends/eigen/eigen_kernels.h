#pragma once
// The table of Eigen ops each instruction-set build of eigen_ops.h provides.
// The backend (eigen_backend.cpp, built with the project's baseline flags)
// picks one table at construction and only ever calls through it, so no
// instruction the CPU lacks runs unless that build was chosen.
//
// Included by files compiled with different ISA flags: it declares only.

#include <cstddef>
#include <cstdint>

namespace mnistbench::eigen {

// The ops of common/model/backend.h with the same meanings, shapes and
// argument order; matmul also takes each matrix's row stride, so that the
// backend can hand a band of rows or columns of C to each tile.
struct Kernels {
  const char* isa;  // BackendInfo::isa: "AVX-512", "AVX2+FMA", "SSE2"
  const char* version;  // Eigen's, from its headers: "3.4.0"
  // C (M, N), row stride ldc = alpha · op(A) · op(B) + beta · C; A is stored
  // (M, K) or (K, M) when trans_a, with row stride lda; B (K, N) or (N, K), ldb.
  void (*matmul)(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc);
  void (*add_bias)(float* Z, const float* b, int rows, int cols);
  void (*relu_forward)(float* A, const float* Z, std::size_t n);
  void (*relu_backward)(float* dZ, const float* dA, const float* Z, std::size_t n);
  void (*softmax_rows)(float* P, const float* Z, int rows, int cols);
  void (*softmax_cross_entropy_backward)(float* dZ, const float* P, const std::uint8_t* labels,
                                         int rows, int cols);
  void (*column_sums)(float* out, const float* M, int rows, int cols, float scale);
  void (*sgd_update)(float* params, const float* grads, std::size_t n, float alpha);
};

#if defined(__x86_64__) || defined(_M_X64)
extern const Kernels kAvx512Kernels;  // eigen_avx512.cpp
extern const Kernels kAvx2Kernels;    // eigen_avx2.cpp
#endif
extern const Kernels kBaselineKernels;  // eigen_baseline.cpp

}  // namespace mnistbench::eigen
