// simd: hand-written intrinsics, single-threaded, one path per instruction
// set (AVX-512, AVX2+FMA, and a portable scalar fallback) behind this one
// Backend. This file is built for baseline x86-64: it picks the best path the
// CPU supports once, at construction (or the one MNISTBENCH_SIMD forces), and
// then only calls through that path's table of kernels.

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "backends/simd/kernels.h"
#include "backends/simd/simd_path.h"
#include "common/backend.h"

namespace mnistbench {
namespace {

using simd::SimdPath;

const simd::Kernels& kernels_for(SimdPath path) {
  switch (path) {
    case SimdPath::avx512: return simd::kAvx512Kernels;
    case SimdPath::avx2: return simd::kAvx2Kernels;
    case SimdPath::scalar: break;
  }
  return simd::kScalarKernels;
}

// Samples per block of the fused training step: the block's X (64 × 784
// floats, 200 KB) is still in L2 when the weight gradient reads it again,
// and is one chunk of that kernel (kChunk in kernel_templates.h).
constexpr int kStepBlock = 64;

class SimdBackend final : public Backend {
 public:
  SimdBackend()
      : kernels_(kernels_for(simd::choose_simd_path(std::getenv(simd::kSimdPathVariable)))) {}

  std::string_view name() const override { return "simd"; }
  BackendInfo info() const override { return {"hand-written intrinsics", kernels_.isa, 1}; }

  void matmul(Transpose trans_a, Transpose trans_b, int M, int N, int K, float alpha,
              const float* A, const float* B, float beta, float* C) override {
    kernels_.matmul(trans_a == Transpose::yes, trans_b == Transpose::yes, M, N, K, alpha, A, B,
                    beta, C, 0);
  }
  void add_bias(float* Z, const float* b, int rows, int cols) override {
    kernels_.add_bias(Z, b, rows, cols);
  }
  void relu_forward(float* A, const float* Z, std::size_t n) override {
    kernels_.relu_forward(A, Z, n);
  }
  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    kernels_.relu_backward(dZ, dA, Z, n);
  }
  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    kernels_.softmax_rows(P, Z, rows, cols);
  }
  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    kernels_.softmax_cross_entropy_backward(dZ, P, labels, rows, cols);
  }
  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    kernels_.column_sums(out, M, rows, cols, scale);
  }
  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    kernels_.sgd_update(params, grads, n, alpha);
  }

  // The default step's ops in the same order, but a block of samples at a
  // time from the forward pass to dW1: the default reads X (188 MB at full
  // batch) from memory twice, for Z1 and again for dW1; here the second read
  // hits L2, and both products prefetch the next block's rows, so the one
  // read from memory overlaps the arithmetic. The small gradients, which
  // never touch X, run over the whole batch.
  void train_step(Parameters& params, Parameters& grads, const Batch& batch, Workspace& ws,
                  float alpha) override {
    const NetworkShape& s = params.shape();
    const int m = batch.size;
    const float inv_m = 1.0f / float(m);
    for (int r0 = 0; r0 < m; r0 += kStepBlock) {
      const int rows = std::min(kStepBlock, m - r0);
      const int rows_after = m - r0 - rows;  // X's rows still to come
      const float* x = batch.x + std::size_t(r0) * s.inputs;  // (rows, 784)
      float* z1 = ws.hidden_pre.data() + std::size_t(r0) * s.hidden;
      float* a1 = ws.hidden.data() + std::size_t(r0) * s.hidden;
      float* z2 = ws.logits.data() + std::size_t(r0) * s.outputs;
      float* a2 = ws.probabilities.data() + std::size_t(r0) * s.outputs;
      float* dz2 = ws.logits_grad.data() + std::size_t(r0) * s.outputs;
      float* dz1 = ws.hidden_grad.data() + std::size_t(r0) * s.hidden;

      kernels_.matmul(false, true, rows, s.hidden, s.inputs, 1.0f, x, params.w1(), 0.0f, z1,
                      rows_after);
      add_bias(z1, params.b1(), rows, s.hidden);
      relu_forward(a1, z1, std::size_t(rows) * s.hidden);
      matmul(Transpose::no, Transpose::yes, rows, s.outputs, s.hidden, 1.0f, a1, params.w2(),
             0.0f, z2);
      add_bias(z2, params.b2(), rows, s.outputs);
      softmax_rows(a2, z2, rows, s.outputs);

      softmax_cross_entropy_backward(dz2, a2, batch.labels + r0, rows, s.outputs);
      matmul(Transpose::no, Transpose::no, rows, s.hidden, s.outputs, 1.0f, dz2, params.w2(),
             0.0f, dz1);
      relu_backward(dz1, dz1, z1, std::size_t(rows) * s.hidden);
      // dW1 (H, 784) = Σ over blocks of dZ1ᵀ · X / m: the first block overwrites.
      kernels_.matmul(true, false, s.hidden, s.inputs, rows, inv_m, dz1, x, r0 == 0 ? 0.0f : 1.0f,
                      grads.w1(), rows_after);
    }
    matmul(Transpose::yes, Transpose::no, s.outputs, s.hidden, m, inv_m, ws.logits_grad.data(),
           ws.hidden.data(), 0.0f, grads.w2());
    column_sums(grads.b2(), ws.logits_grad.data(), m, s.outputs, inv_m);
    column_sums(grads.b1(), ws.hidden_grad.data(), m, s.hidden, inv_m);

    // W -= alpha · dW over the whole flat block (padding is zero in both).
    sgd_update(params.all().data(), grads.all().data(), params.all().size(), alpha);
  }

 private:
  const simd::Kernels& kernels_;
};

}  // namespace

std::unique_ptr<Backend> make_simd_backend() { return std::make_unique<SimdBackend>(); }

}  // namespace mnistbench
