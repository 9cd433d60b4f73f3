// simd: hand-written intrinsics, single-threaded, one path per instruction
// set (AVX-512, AVX2+FMA, and a portable scalar fallback) behind this one
// Backend. This file is built for baseline x86-64: it picks the best path the
// CPU supports once, at construction (or the one MNISTBENCH_SIMD forces), and
// then only calls through that path's table of kernels.

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "backends/simd/fused_step.h"
#include "common/backend.h"

namespace mnistbench {
namespace {

class SimdBackend final : public Backend {
 public:
  SimdBackend()
      : kernels_(simd::chosen_kernels()) {}

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

  // The fused step (fused_step.cpp) over the whole batch.
  void train_step(Parameters& params, Parameters& grads, const Batch& batch, Workspace& ws,
                  float alpha) override {
    simd::step_rows(kernels_, params, batch, ws, 0, batch.size, 1.0f / float(batch.size), grads);
    // W -= alpha · dW over the whole flat block (padding is zero in both).
    sgd_update(params.all().data(), grads.all().data(), params.all().size(), alpha);
  }

 private:
  const simd::Kernels& kernels_;
};

}  // namespace

std::unique_ptr<Backend> make_simd_backend() { return std::make_unique<SimdBackend>(); }

}  // namespace mnistbench
