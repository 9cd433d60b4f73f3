#pragma once
// The simd backend's loop blocking, chosen at run time (tile_choice.h derives
// it from this machine's caches) and passed to the kernels with each call.
// The register tiles (Isa::dot_rows_a and the like) stay compile-time: they
// depend on the register count of an instruction set, known when its file is
// compiled; these depend on the caches, known only when the program runs.
//
// Included by the per-ISA kernel files: declarations only, no inline functions.

namespace mnistbench::simd {

struct TileConfig {
  int step_block;      // samples per block of the fused step (fused_step.cpp)
  int chunk;           // rows of B per pass of the axpy-form matmul (dW1)
  int panel_columns;   // columns of Bᵀ per packed panel (packed_matmul)
  int prefetch_bytes;  // how far ahead of its tile the dot form (Z1) prefetches A
  int tile_rows;       // samples per tile of the batch on the executor (simd_backend.cpp)
};

// Floats in packed_matmul's panel on the stack (64 KB): panel_columns is at
// most this, and its chunk of rows is cut to fit.
inline constexpr int kPanelFloats = 16384;

}  // namespace mnistbench::simd
