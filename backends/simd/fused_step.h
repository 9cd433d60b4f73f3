#pragma once
// The simd backend's fused training step over a range of samples, shared
// with simd_tbb (which runs it on fixed tiles of the batch, one per task).
// Built for baseline x86-64: it only calls through a path's Kernels table.

#include <memory>

#include "backends/simd/kernels.h"
#include "backends/simd/simd_path.h"
#include "common/backend.h"

namespace mnistbench::simd {

// The table of one path.
const Kernels& kernels_for(SimdPath path);

// The path MNISTBENCH_SIMD forces, else the best this CPU runs.
const Kernels& chosen_kernels();

// Samples per block: the block's X (128 × 784, 100 KB as bytes) stays in L2
// from the forward product to the weight gradient, and is one chunk of that
// kernel (kChunk in kernel_templates.h), whose tiles then load and store
// their part of dW1 once per 128 samples.
inline constexpr int kStepBlock = 128;

// Forward and backward over samples [r0, r1) of the batch: writes those rows
// of every activation in ws, and out (all four views) = scale · the sum over
// these samples of each gradient (out's padding is left alone). With raw
// pixels in the batch, X is read as bytes (47 MB at full batch instead of
// 188 as floats), widened to exact floats 0-255 in registers, and the 1/255
// is folded into the products' alpha.
void step_rows(const Kernels& k, const Parameters& params, const Batch& batch, Workspace& ws,
               int r0, int r1, float scale, Parameters& out);

}  // namespace mnistbench::simd
