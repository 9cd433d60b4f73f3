// The fused step: the default step's ops in the same order, but a block of
// samples at a time from the forward pass to dW1. The default reads X from
// memory twice, for Z1 and again for dW1; here the block is read from memory
// once, as bytes (a quarter of the floats' traffic), while the products
// prefetch the next block, and is still in L2 when dW1 reads it again.

#include "backends/simd/fused_step.h"

#include <algorithm>
#include <cstdlib>

namespace mnistbench::simd {
namespace {

// x = pixel / 255, folded into the products' alpha.
constexpr float kByteScale = 1.0f / 255.0f;

}  // namespace

const Kernels& kernels_for(SimdPath path) {
  switch (path) {
    case SimdPath::avx512: return kAvx512Kernels;
    case SimdPath::avx2: return kAvx2Kernels;
    case SimdPath::scalar: break;
  }
  return kScalarKernels;
}

const Kernels& chosen_kernels() {
  return kernels_for(choose_simd_path(std::getenv(kSimdPathVariable)));
}

void step_rows(const Kernels& k, const Parameters& params, const Batch& batch, Workspace& ws,
               int r0, int r1, float scale, Parameters& out) {
  const NetworkShape& s = params.shape();
  const int m = r1 - r0;
  if (m <= 0) return;
  // A byte is its pixel exactly; x = pixel / 255 is applied after the products.
  const bool bytes = batch.pixels != nullptr;
  // The tutorial's 10-10 layers run per sample in registers where the path can.
  const bool small = k.small_layers != nullptr && s.hidden == kSmallUnits &&
                     s.outputs == kSmallUnits;
  // Their running sums: dW2 (10, 10), db2 (10), db1 (10).
  alignas(64) float sums[kSmallUnits * kSmallUnits + 2 * kSmallUnits] = {};
  for (int b0 = r0; b0 < r1; b0 += kStepBlock) {
    const int rows = std::min(kStepBlock, r1 - b0);
    const int rows_after = r1 - b0 - rows;  // X's rows still to come, which the products prefetch
    const std::size_t at = std::size_t(b0) * s.inputs;
    float* z1 = ws.hidden_pre.data() + std::size_t(b0) * s.hidden;
    float* a1 = ws.hidden.data() + std::size_t(b0) * s.hidden;
    float* z2 = ws.logits.data() + std::size_t(b0) * s.outputs;
    float* a2 = ws.probabilities.data() + std::size_t(b0) * s.outputs;
    float* dz2 = ws.logits_grad.data() + std::size_t(b0) * s.outputs;
    float* dz1 = ws.hidden_grad.data() + std::size_t(b0) * s.hidden;

    // Z1 (rows, H) = X · W1ᵀ + b1, X as bytes / 255;  A1 = ReLU(Z1)
    if (bytes)
      k.matmul_x_w1t_bytes(rows, s.hidden, s.inputs, kByteScale, batch.pixels + at, params.w1(),
                           z1, rows_after);
    else
      k.matmul(false, true, rows, s.hidden, s.inputs, 1.0f, batch.x + at, params.w1(), 0.0f, z1,
               rows_after);
    if (small) {
      k.small_layers(rows, params.b1(), params.w2(), params.b2(), batch.labels + b0, z1, a1, z2,
                     a2, dz2, dz1, sums);
    } else {
      k.add_bias(z1, params.b1(), rows, s.hidden);
      k.relu_forward(a1, z1, std::size_t(rows) * s.hidden);
      // Z2 (rows, 10) = A1 · W2ᵀ + b2;  A2 = softmax(Z2)
      k.matmul(false, true, rows, s.outputs, s.hidden, 1.0f, a1, params.w2(), 0.0f, z2, 0);
      k.add_bias(z2, params.b2(), rows, s.outputs);
      k.softmax_rows(a2, z2, rows, s.outputs);
      // dZ2 = A2 - one_hot(Y);  dZ1 (rows, H) = (dZ2 · W2) * ReLU'(Z1)
      k.softmax_cross_entropy_backward(dz2, a2, batch.labels + b0, rows, s.outputs);
      k.matmul(false, false, rows, s.hidden, s.outputs, 1.0f, dz2, params.w2(), 0.0f, dz1, 0);
      k.relu_backward(dz1, dz1, z1, std::size_t(rows) * s.hidden);
    }
    // dW1 (H, 784) = scale · Σ over blocks of dZ1ᵀ · X: the first block overwrites. The
    // block's X is still in L2 from the forward product.
    const float beta = b0 == r0 ? 0.0f : 1.0f;
    // dW2 (10, H) likewise, while the block's dZ2 and A1 are in L1.
    if (!small) k.matmul(true, false, s.outputs, s.hidden, rows, scale, dz2, a1, beta, out.w2(), 0);
    if (bytes)
      k.matmul_dz1t_x_bytes(s.hidden, s.inputs, rows, scale * kByteScale, dz1, batch.pixels + at,
                            beta, out.w1(), rows_after);
    else
      k.matmul(true, false, s.hidden, s.inputs, rows, scale, dz1, batch.x + at, beta, out.w1(),
               rows_after);
  }
  const float* dz2 = ws.logits_grad.data() + std::size_t(r0) * s.outputs;
  const float* dz1 = ws.hidden_grad.data() + std::size_t(r0) * s.hidden;
  if (small) {
    const int U = kSmallUnits;
    for (int i = 0; i < U * U; ++i) out.w2()[i] = scale * sums[i];
    for (int i = 0; i < U; ++i) out.b2()[i] = scale * sums[U * U + i];
    for (int i = 0; i < U; ++i) out.b1()[i] = scale * sums[U * U + U + i];
    return;
  }
  // db2 = scale · Σ dZ2;  db1 = scale · Σ dZ1
  k.column_sums(out.b2(), dz2, m, s.outputs, scale);
  k.column_sums(out.b1(), dz1, m, s.hidden, scale);
}

}  // namespace mnistbench::simd
