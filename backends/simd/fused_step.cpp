// The fused step: the default step's ops in the same order, but a block of
// samples at a time from the forward pass to dW1. The default reads X from
// memory twice, for Z1 and again for dW1; here the block is read from memory
// once, as bytes (a quarter of the floats' traffic), while the products
// prefetch the next block, and is still in L2 when dW1 reads it again.

#include "backends/simd/fused_step.h"

#include <algorithm>
#include <stdexcept>

namespace mnistbench::simd {
namespace {

// x = pixel / 255, folded into the products' alpha.
constexpr float kByteScale = 1.0f / 255.0f;

}  // namespace

bool fused_step_covers(const NetworkShape& shape) { return shape.layers() == 2; }

bool runs_small_layers(const Kernels& k, const NetworkShape& shape) {
  return k.small_layers != nullptr && shape.fan_out(1) == kSmallUnits &&
         shape.outputs() == kSmallUnits;
}

void fused_gradients_rows(const Kernels& k, const TileConfig& tiles, const Parameters& params,
                          const Batch& tile, int tile_rows_after, Workspace& ws, int row,
                          Parameters& grads, float scale, const void* lowered_w1,
                          const float* lowered_scales) {
  if (tile.pixels == nullptr)
    throw std::logic_error("simd: the fused step reads the batch as pixel bytes");
  const NetworkShape& s = params.shape();
  const int m = tile.size, inputs = s.inputs(), hidden = s.fan_out(1), outputs = s.outputs();
  if (m <= 0) return;
  const bool small = runs_small_layers(k, s);
  // Their running sums: dW2 (10, 10), db2 (10), db1 (10).
  alignas(64) float sums[kSmallUnits * kSmallUnits + 2 * kSmallUnits] = {};
  const float *w1 = params.weights(1), *b1 = params.bias(1);
  const float *w2 = params.weights(2), *b2 = params.bias(2);
  const int block = tiles.step_block;
  for (int b0 = 0; b0 < m; b0 += block) {
    const int rows = std::min(block, m - b0);
    // X's rows still to come, which the products prefetch
    const int rows_after = m - b0 - rows + tile_rows_after;
    const std::uint8_t* x = tile.pixels + std::size_t(b0) * inputs;
    const std::uint8_t* labels = tile.labels + b0;
    // With small_layers, only A(2) outlives the block: Z1 and dZ1 go in the
    // tile's first block of rows every time, which stay in L1 and L2. Each
    // block in its own rows, as the other path needs, wrote 4.7 MB a step to
    // lines that came from memory first: the bf16 step at two threads took
    // 3% longer (Zen 5, 2.93 against 2.84 ms, medians of 15 interleaved runs).
    const int scratch_row = small ? row : row + b0;
    float* z1 = ws.z(1, scratch_row);
    float* a1 = ws.a(1, row + b0);
    float* z2 = ws.z(2, row + b0);
    float* a2 = ws.a(2, row + b0);
    float* dz2 = ws.dz(2, row + b0);
    float* dz1 = ws.dz(1, scratch_row);

    // Z1 (rows, H) = X · W1ᵀ + b1, X as bytes / 255;  A1 = ReLU(Z1)
    if (lowered_w1 != nullptr)
      k.matmul_x_lowered_w1t_bytes(rows, hidden, inputs, kByteScale, x, lowered_w1, lowered_scales, z1,
                                   rows_after, tiles);
    else
      k.matmul_x_w1t_bytes(rows, hidden, inputs, kByteScale, x, w1, z1, rows_after, tiles);
    if (small) {
      k.small_layers(rows, b1, w2, b2, labels, z1, a1, z2, a2, dz2, dz1, sums);
    } else {
      k.add_bias(z1, b1, rows, hidden);
      k.relu_forward(a1, z1, std::size_t(rows) * hidden);
      // Z2 (rows, outputs) = A1 · W2ᵀ + b2;  A2 = softmax(Z2)
      k.matmul(false, true, rows, outputs, hidden, 1.0f, a1, w2, 0.0f, z2, 0, tiles);
      k.add_bias(z2, b2, rows, outputs);
      k.softmax_rows(a2, z2, rows, outputs);
      // dZ2 = A2 - one_hot(Y);  dZ1 (rows, H) = (dZ2 · W2) * ReLU'(Z1)
      k.softmax_cross_entropy_backward(dz2, a2, labels, rows, outputs);
      k.matmul(false, false, rows, hidden, outputs, 1.0f, dz2, w2, 0.0f, dz1, 0, tiles);
      k.relu_backward(dz1, dz1, z1, std::size_t(rows) * hidden);
    }
    // dW1 (H, inputs) = scale · Σ over blocks of dZ1ᵀ · X: the first block
    // overwrites. The block's X is still in L2 from the forward product.
    const float beta = b0 == 0 ? 0.0f : 1.0f;
    // dW2 (outputs, H) likewise, while the block's dZ2 and A1 are in L1.
    if (!small)
      k.matmul(true, false, outputs, hidden, rows, scale, dz2, a1, beta, grads.weights(2), 0,
               tiles);
    k.matmul_dz1t_x_bytes(hidden, inputs, rows, scale * kByteScale, dz1, x, beta,
                          grads.weights(1), rows_after, tiles);
  }
  if (small) {
    const int U = kSmallUnits;
    for (int i = 0; i < U * U; ++i) grads.weights(2)[i] = scale * sums[i];
    for (int i = 0; i < U; ++i) grads.bias(2)[i] = scale * sums[U * U + i];
    for (int i = 0; i < U; ++i) grads.bias(1)[i] = scale * sums[U * U + U + i];
    return;
  }
  // db2 = scale · Σ dZ2;  db1 = scale · Σ dZ1
  k.column_sums(grads.bias(2), ws.dz(2, row), m, outputs, scale);
  k.column_sums(grads.bias(1), ws.dz(1, row), m, hidden, scale);
}

}  // namespace mnistbench::simd
