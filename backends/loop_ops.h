#pragma once
// The elementwise and row ops of common/model/backend.h as plain loops on
// one thread, for the backends whose library does the products and nothing
// else (blas, blis, xsmm) or not every op (onednn). Those ops are a few
// percent of a step (README, Performance), too cheap to be worth a library
// call; keeping them in one place means every such backend differs from the
// others only in its products, which is what it is there to measure.
//
// Not a backend of its own: no folder registers it. The loops are shaped to
// vectorise with the project's baseline flags.

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "common/model/backend.h"
#include "common/model/softmax_row.h"

namespace mnistbench {

class LoopOpsBackend : public Backend {
 public:
  void add_bias(float* Z, const float* b, int rows, int cols) override {
    for (int i = 0; i < rows; ++i) {
      float* z = Z + std::size_t(i) * cols;
      for (int j = 0; j < cols; ++j) z[j] += b[j];
    }
  }

  void relu_forward(float* A, const float* Z, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) A[i] = Z[i] > 0.0f ? Z[i] : 0.0f;
  }

  void relu_backward(float* dZ, const float* dA, const float* Z, std::size_t n) override {
    for (std::size_t i = 0; i < n; ++i) dZ[i] = Z[i] > 0.0f ? dA[i] : 0.0f;
  }

  void softmax_rows(float* P, const float* Z, int rows, int cols) override {
    for (int i = 0; i < rows; ++i)
      softmax_row(P + std::size_t(i) * cols, Z + std::size_t(i) * cols, cols);
  }

  void softmax_cross_entropy_backward(float* dZ, const float* P, const std::uint8_t* labels,
                                      int rows, int cols) override {
    std::copy(P, P + std::size_t(rows) * cols, dZ);
    for (int i = 0; i < rows; ++i) dZ[std::size_t(i) * cols + labels[i]] -= 1.0f;
  }

  void column_sums(float* out, const float* M, int rows, int cols, float scale) override {
    // Row by row, so the inner loop runs along memory and vectorises; naive
    // walks down each column with a stride of cols.
    std::fill(out, out + cols, 0.0f);
    for (int i = 0; i < rows; ++i) {
      const float* row = M + std::size_t(i) * cols;
      for (int j = 0; j < cols; ++j) out[j] += row[j];
    }
    for (int j = 0; j < cols; ++j) out[j] *= scale;
  }

  void sgd_update(float* params, const float* grads, std::size_t n, float alpha) override {
    for (std::size_t i = 0; i < n; ++i) params[i] -= alpha * grads[i];
  }
};

}  // namespace mnistbench
