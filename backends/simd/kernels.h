#pragma once
// The table of kernels each instruction-set path provides. The backend
// (simd_backend.cpp, built with the project's baseline flags) picks one table
// at construction and only ever calls through it, so no instruction the CPU
// lacks runs unless that path was chosen.
//
// Included by files compiled with different ISA flags: it must declare only,
// never define an inline function, or the linker could pick an AVX-512 copy
// for everyone.

#include <cstddef>
#include <cstdint>

#include "backends/simd/tile_config.h"

// The AVX paths exist only where the compiler targets x86-64: elsewhere
// kernels_avx2.cpp and kernels_avx512.cpp compile to nothing, their tables
// are not declared, and the dispatch (simd_path.h) offers the scalar path alone.
#if defined(__x86_64__) || defined(_M_X64)
#define MNISTBENCH_SIMD_AVX_PATHS 1
#else
#define MNISTBENCH_SIMD_AVX_PATHS 0
#endif

namespace mnistbench::simd {

inline constexpr bool kAvxPathsBuilt = MNISTBENCH_SIMD_AVX_PATHS;

// The hidden and output sizes of the network Kernels::small_layers is for: the tutorial's.
inline constexpr int kSmallUnits = 10;

// The ops of common/model/backend.h with the same meanings, shapes and argument order.
struct Kernels {
  const char* isa;  // reported as BackendInfo::isa: "AVX-512", "AVX2+FMA", "scalar"
  int vector_floats;  // floats in one vector: the tile config is derived for it
  // rows_after: the operand whose rows run along the long dimension (A when
  // trans_b, else B) goes on in memory for this many more rows, which the
  // next call will read; the kernel prefetches into them, so that the fused
  // training step streams X from memory during the arithmetic. 0 otherwise.
  // tiles: the blocking of the loops, chosen for this machine (tile_choice.h);
  // any config gives the same result to rounding.
  void (*matmul)(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A,
                 const float* B, float beta, float* C, int rows_after, const TileConfig& tiles);
  void (*add_bias)(float* Z, const float* b, int rows, int cols);
  void (*relu_forward)(float* A, const float* Z, std::size_t n);
  void (*relu_backward)(float* dZ, const float* dA, const float* Z, std::size_t n);
  void (*softmax_rows)(float* P, const float* Z, int rows, int cols);
  void (*softmax_cross_entropy_backward)(float* dZ, const float* P, const std::uint8_t* labels,
                                         int rows, int cols);
  void (*column_sums)(float* out, const float* M, int rows, int cols, float scale);
  void (*sgd_update)(float* params, const float* grads, std::size_t n, float alpha);
  // The two products with X, reading it as raw pixel bytes (exact floats
  // 0-255, the 1/255 left to alpha), rows_after and tiles as for matmul:
  // Z1 (M, N) = alpha · X (M, K) · W1ᵀ, W1 stored (N, K);
  void (*matmul_x_w1t_bytes)(int M, int N, int K, float alpha, const std::uint8_t* X,
                             const float* W1, float* Z1, int rows_after, const TileConfig& tiles);
  // The same Z1 with W1 lowered to a lower precision by the backend, once
  // per step (low_precision.h): W1 in the kernel's own layout, scales its
  // rows' scales where it has them. Null in every path's table: the backend
  // puts a low-precision kernel in its copy of the table.
  void (*matmul_x_lowered_w1t_bytes)(int M, int N, int K, float alpha, const std::uint8_t* X,
                                     const void* W1, const float* scales, float* Z1,
                                     int rows_after, const TileConfig& tiles);
  // dW1 (M, N) = alpha · dZ1ᵀ · X + beta · dW1, dZ1 stored (K, M), X (K, N).
  void (*matmul_dz1t_x_bytes)(int M, int N, int K, float alpha, const float* dZ1,
                              const std::uint8_t* X, float beta, float* dW1, int rows_after,
                              const TileConfig& tiles);
  // The 10-10 layers of the tutorial's network in registers, from
  // Z1 = X·W1ᵀ (bias not yet added, rows (rows, 10)) to dZ1, each (rows, 10):
  // A1, Z2, A2, dZ2, dZ1 as the fine ops compute them, and sums (dW2 (10, 10),
  // db2 (10), db1 (10), unscaled) += this block's share. Of the activations
  // only a2 (the loss's probabilities) and dz1 (for dW1) are written; z1 is
  // left without its bias, and a1, z2, dz2 as they were. Null on paths whose
  // vectors hold fewer than 10 floats.
  void (*small_layers)(int rows, const float* b1, const float* W2, const float* b2,
                       const std::uint8_t* labels, float* z1, float* a1, float* z2, float* a2,
                       float* dz2, float* dz1, float* sums);
};

// One per file, constant-initialised (no code runs to build them).
#if MNISTBENCH_SIMD_AVX_PATHS
extern const Kernels kAvx512Kernels;  // kernels_avx512.cpp
extern const Kernels kAvx2Kernels;    // kernels_avx2.cpp
#endif
extern const Kernels kScalarKernels;  // kernels_scalar.cpp

}  // namespace mnistbench::simd
