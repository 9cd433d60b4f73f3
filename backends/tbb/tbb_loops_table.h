#pragma once
// The table of loops each instruction-set build of tbb_loops.h provides. The
// backend (tbb_backend.cpp, built with the project's baseline flags) picks
// one table at construction and only ever calls through it, so no
// instruction the CPU lacks runs unless that build was chosen.
//
// Included by files compiled with different ISA flags: it declares only.

#include <cstddef>
#include <cstdint>

namespace mnistbench::tbb_loops {

// Each loop covers one band [i0, i1) of rows, elements or samples; shapes
// and meanings are those of the ops in common/model/backend.h.
struct Loops {
  const char* isa;  // BackendInfo::isa: "AVX-512 (compiler-vectorised loops)", ...
  // Rows [i0, i1) of C (M, N) = alpha·op(A)·op(B) + beta·C: A (M, K), B (N, K) or (K, N).
  void (*matmul_nt_rows)(float* C, const float* A, const float* B, int N, int K, float alpha,
                         float beta, std::size_t i0, std::size_t i1);
  void (*matmul_nn_rows)(float* C, const float* A, const float* B, int N, int K, float alpha,
                         float beta, std::size_t i0, std::size_t i1);
  // P (M, N) = the samples [k0, k1) of op(A)·op(B) with A stored (K, M); B
  // stored (K, N) for tn, (N, K) for tt.
  void (*matmul_tn_partial)(float* P, const float* A, const float* B, int M, int N,
                            std::size_t k0, std::size_t k1);
  void (*matmul_tt_partial)(float* P, const float* A, const float* B, int M, int N, int K,
                            std::size_t k0, std::size_t k1);
  // P (cols) = the sum of rows [i0, i1) of M (rows, cols).
  void (*column_partial)(float* P, const float* M, int cols, std::size_t i0, std::size_t i1);
  void (*add_bias_rows)(float* Z, const float* b, int cols, std::size_t i0, std::size_t i1);
  void (*relu_forward)(float* A, const float* Z, std::size_t i0, std::size_t i1);
  void (*relu_backward)(float* dZ, const float* dA, const float* Z, std::size_t i0,
                        std::size_t i1);
  void (*cross_entropy_rows)(float* dZ, const float* P, const std::uint8_t* labels, int cols,
                             std::size_t i0, std::size_t i1);
  void (*sgd_update)(float* params, const float* grads, float alpha, std::size_t i0,
                     std::size_t i1);
};

#if defined(__x86_64__) || defined(_M_X64)
extern const Loops kAvx512Loops;  // tbb_loops_avx512.cpp
extern const Loops kAvx2Loops;    // tbb_loops_avx2.cpp
#endif
extern const Loops kBaselineLoops;  // tbb_loops_baseline.cpp

}  // namespace mnistbench::tbb_loops
