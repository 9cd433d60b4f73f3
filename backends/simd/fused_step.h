#pragma once
// The simd backend's fused step for a network of one hidden layer, over one
// tile of the batch: the backend runs it per tile on the executor, as it runs
// the default composition for every other layer list. Built with the
// project's baseline flags: it only calls through a path's Kernels table.

#include "backends/simd/kernels.h"
#include "backends/simd/tile_config.h"
#include "common/model/backend.h"

namespace mnistbench::simd {

// Whether the fused step is written for this network: one hidden layer
// (inputs, H, outputs), any widths; the kernels take any H and any outputs.
bool fused_step_covers(const NetworkShape& shape);

// Whether it then runs the hidden and output layers per sample in registers
// (Kernels::small_layers): only for the tutorial's 10-10, on a path that has them.
bool runs_small_layers(const Kernels& k, const NetworkShape& shape);

// Forward and backward over tile (m samples), whose rows in ws start at row:
// writes those rows of A(2) (the probabilities), and grads (every view) =
// scale · the sum over the tile's samples of each sample's gradient, leaving grads'
// padding alone. X is read as the raw pixel bytes (47 MB at full batch
// instead of 188 as floats), widened to exact floats 0-255 in registers, and
// the 1/255 is folded into the products' alpha. It runs tiles.step_block
// samples at a time: the block's X stays in L2 from the forward product to
// the weight gradient, and is at most one chunk of that kernel, whose tiles
// then load and store their part of dW1 once per block (tile_choice.h
// derives the size from L2, L1d and the input width, never from the thread count).
// With Kernels::small_layers only A(2) is written in full: the tile's first
// rows of Z(1) and dZ(1) are its scratch, holding the last block's X·W1ᵀ
// without b1 and dZ1, and A(1), Z(2), dZ(2) are not written; otherwise every
// activation is as the default step leaves it.
// lowered_w1, when not null, is params' W1 lowered by the backend for
// k.matmul_x_lowered_w1t_bytes (with its rows' scales, or null), which then
// runs the forward product in place of k.matmul_x_w1t_bytes.
// tile_rows_after: X goes on in memory for this many rows past the tile,
// the next tiles', which a thread often runs next (under oneTBB each thread
// works through a range of tiles in order): the tile's last block
// prefetches into them, as every other block does into the block after it.
// Measured on Zen 5, medians of interleaved runs: the float32 step 2% faster
// (2 threads 4.53 -> 4.44 ms, 1 thread 8.81 -> 8.58), bf16 1-2% (2.74 ->
// 2.68, 5.07 -> 5.00).
void fused_gradients_rows(const Kernels& k, const TileConfig& tiles, const Parameters& params,
                          const Batch& tile, int tile_rows_after,
                          Workspace& ws, int row, Parameters& grads, float scale,
                          const void* lowered_w1 = nullptr, const float* lowered_scales = nullptr);

}  // namespace mnistbench::simd
