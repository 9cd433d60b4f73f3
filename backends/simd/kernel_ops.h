#pragma once
// The fine ops of the Backend interface, each one call through a path's
// table of kernels. simd and simd_tbb both derive from it: they differ only
// in how they run the training step. Built for baseline x86-64.

#include "backends/simd/kernels.h"
#include "common/backend.h"

namespace mnistbench::simd {

class KernelOps : public Backend {
 public:
  explicit KernelOps(const Kernels& kernels) : kernels_(kernels) {}

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

 protected:
  const Kernels& kernels_;
};

}  // namespace mnistbench::simd
