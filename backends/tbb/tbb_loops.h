#pragma once
// The tbb backend's loops, written once and compiled once per instruction set:
// tbb_loops_avx512.cpp, tbb_loops_avx2.cpp and tbb_loops_baseline.cpp each
// include this file with their own flags and fill their Loops table from it.
// Each loop runs over one band of rows (or elements, or samples) that the
// backend hands it; the same loop serves a band of one row or of all of them.
//
// The loops are plain C++ shaped so that the compiler vectorises them without
// -ffast-math (which would let it reorder sums): independent partial sums
// instead of one long chain, and contiguous inner loops. Which vector
// instructions it uses is the file's flags' choice.
//
// Everything here is in an anonymous namespace on purpose: each ISA file
// compiles its own private copy with its own flags. A shared (inline) copy
// would be emitted by every file and the linker would keep any one of them,
// perhaps the AVX-512 one, for all paths. For the same reason it calls no
// inline function of the project's (softmax, whose exp() does not vectorise
// without -ffast-math anyway, stays in the backend).

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "backends/tbb/tbb_loops_table.h"

namespace mnistbench::tbb_loops {
namespace {

// Columns of C one NN row tile accumulates on the stack.
constexpr int kTile = 256;

// With beta == 0, C's old value is never read: it may be NaN.
void store(float& c, float sum, float alpha, float beta) {
  c = beta == 0.0f ? alpha * sum : alpha * sum + beta * c;
}

// Σ a[k]·b[k] for k < K, in 16 interleaved sums: four vector registers of
// independent chains (one of AVX-512's), which hide the adder's latency.
float dot(const float* __restrict a, const float* __restrict b, int K) {
  float acc[16] = {};
  int k = 0;
  for (; k + 16 <= K; k += 16)
    for (int l = 0; l < 16; ++l) acc[l] += a[k + l] * b[k + l];
  // Folding lane l of the four registers together keeps the first adds
  // vector adds; the tail has its own sum so that acc is only ever indexed by
  // constants and stays in registers. Both matter when K is small (A1·W2ᵀ).
  float quad[4];
  for (int l = 0; l < 4; ++l) quad[l] = (acc[l] + acc[l + 4]) + (acc[l + 8] + acc[l + 12]);
  float tail = 0.0f;
  for (; k < K; ++k) tail += a[k] * b[k];
  return ((quad[0] + quad[1]) + (quad[2] + quad[3])) + tail;
}

// Rows [i0, i1) of C (M, N) = alpha·A·Bᵀ + beta·C, A (M, K), B (N, K):
// each element a dot product of two contiguous rows.
void matmul_nt_rows(float* C, const float* A, const float* B, int N, int K, float alpha,
                    float beta, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i)
    for (int j = 0; j < N; ++j)
      store(C[i * N + j], dot(A + i * K, B + std::size_t(j) * K, K), alpha, beta);
}

// Rows [i0, i1) of C (M, N) = alpha·A·B + beta·C, A (M, K), B (K, N):
// a row of C is the sum of B's rows scaled by A's row, contiguous along N.
void matmul_nn_rows(float* C, const float* A, const float* B, int N, int K, float alpha,
                    float beta, std::size_t i0, std::size_t i1) {
  float acc[kTile];
  for (std::size_t i = i0; i < i1; ++i) {
    const float* a = A + i * K;
    for (int j0 = 0; j0 < N; j0 += kTile) {
      const int width = std::min(kTile, N - j0);
      std::fill_n(acc, width, 0.0f);
      for (int k = 0; k < K; ++k) {
        const float ak = a[k];
        const float* b = B + std::size_t(k) * N + j0;
        for (int l = 0; l < width; ++l) acc[l] += ak * b[l];
      }
      for (int l = 0; l < width; ++l) store(C[i * N + j0 + l], acc[l], alpha, beta);
    }
  }
}

// P (M, N) = Σ over the samples k in [k0, k1) of A[k]ᵀ·B[k]: A (K, M), B (K, N).
// P takes row-scaled copies of B's rows, contiguous along N (for dW1 = dZ1ᵀ·X,
// the 784 pixels); four samples per pass over P cut its loads and stores by
// four, and each element still adds its terms in sample order.
void matmul_tn_partial(float* __restrict P, const float* __restrict A,
                       const float* __restrict B, int M, int N, std::size_t k0,
                       std::size_t k1) {
  std::fill_n(P, std::size_t(M) * N, 0.0f);
  std::size_t k = k0;
  for (; k + 4 <= k1; k += 4) {
    const float* a = A + k * M;
    const float* b = B + k * N;
    for (int i = 0; i < M; ++i) {
      const float a0 = a[i], a1 = a[M + i], a2 = a[2 * M + i], a3 = a[3 * M + i];
      float* p = P + std::size_t(i) * N;
      for (int j = 0; j < N; ++j)
        p[j] = (((p[j] + a0 * b[j]) + a1 * b[N + j]) + a2 * b[2 * N + j]) + a3 * b[3 * N + j];
    }
  }
  for (; k < k1; ++k)
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j) P[std::size_t(i) * N + j] += A[k * M + i] * B[k * N + j];
}

// P (M, N) = Σ over the samples k in [k0, k1) of A[k]ᵀ·(column k of B):
// A (K, M), B (N, K). No product in the network takes this form.
void matmul_tt_partial(float* __restrict P, const float* __restrict A,
                       const float* __restrict B, int M, int N, int K, std::size_t k0,
                       std::size_t k1) {
  std::fill_n(P, std::size_t(M) * N, 0.0f);
  for (std::size_t k = k0; k < k1; ++k)
    for (int i = 0; i < M; ++i)
      for (int j = 0; j < N; ++j)
        P[std::size_t(i) * N + j] += A[k * M + i] * B[std::size_t(j) * K + k];
}

// P (cols) = the sum of rows [i0, i1) of M (rows, cols).
void column_partial(float* __restrict P, const float* __restrict M, int cols,
                    std::size_t i0, std::size_t i1) {
  std::fill_n(P, cols, 0.0f);
  for (std::size_t i = i0; i < i1; ++i)
    for (int j = 0; j < cols; ++j) P[j] += M[i * cols + j];
}

void add_bias_rows(float* Z, const float* b, int cols, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i)
    for (int j = 0; j < cols; ++j) Z[i * cols + j] += b[j];
}

void relu_forward(float* A, const float* Z, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i) A[i] = Z[i] > 0.0f ? Z[i] : 0.0f;
}

void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i) dZ[i] = Z[i] > 0.0f ? dA[i] : 0.0f;
}

void cross_entropy_rows(float* dZ, const float* P, const std::uint8_t* labels, int cols,
                        std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i)
    for (int j = 0; j < cols; ++j)
      dZ[i * cols + j] = P[i * cols + j] - (labels[i] == j ? 1.0f : 0.0f);
}

void sgd_update(float* params, const float* grads, float alpha, std::size_t i0, std::size_t i1) {
  for (std::size_t i = i0; i < i1; ++i) params[i] -= alpha * grads[i];
}

constexpr Loops make_loops(const char* isa) {
  return {isa,           &matmul_nt_rows, &matmul_nn_rows,     &matmul_tn_partial,
          &matmul_tt_partial, &column_partial, &add_bias_rows, &relu_forward,
          &relu_backward, &cross_entropy_rows, &sgd_update};
}

}  // namespace
}  // namespace mnistbench::tbb_loops
