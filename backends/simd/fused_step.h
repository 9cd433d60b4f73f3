#pragma once
// The simd backend's fused step for a network of one hidden layer, over one
// tile of the batch: the backend runs it per tile on the executor, as it runs
// the default composition for every other layer list. Built with the
// project's baseline flags: it only calls through a path's Kernels table.

#include "backends/simd/kernels.h"
#include "common/model/backend.h"

namespace mnistbench::simd {

// Samples per block: the block's X (128 × 784, 100 KB as bytes) stays in L2
// from the forward product to the weight gradient, and is one chunk of that
// kernel (kChunk in kernel_templates.h), whose tiles then load and store
// their part of dW1 once per 128 samples. It depends on L2's size and the
// input width, not on the thread count.
inline constexpr int kStepBlock = 128;

// Whether the fused step is written for this network: one hidden layer
// (inputs, H, outputs), any widths; the kernels take any H and any outputs.
bool fused_step_covers(const NetworkShape& shape);

// Whether it then runs the hidden and output layers per sample in registers
// (Kernels::small_layers): only for the tutorial's 10-10, on a path that has them.
bool runs_small_layers(const Kernels& k, const NetworkShape& shape);

// Forward and backward over tile (m samples), whose rows in ws start at row:
// writes those rows of every activation, and grads (every view) = scale · the
// sum over the tile's samples of each sample's gradient, leaving grads'
// padding alone. X is read as the raw pixel bytes (47 MB at full batch
// instead of 188 as floats), widened to exact floats 0-255 in registers, and
// the 1/255 is folded into the products' alpha.
void fused_gradients_rows(const Kernels& k, const Parameters& params, const Batch& tile,
                          Workspace& ws, int row, Parameters& grads, float scale);

}  // namespace mnistbench::simd
