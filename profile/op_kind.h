#pragma once
// What the profiler tells apart: each op of the interface, the five products
// split by their role in the step (one op, five very different shapes), the
// fused calls a backend may make instead of the ops, and the step itself.

#include <array>
#include <cstddef>
#include <string_view>

#include "common/parameters.h"

namespace mnistbench {

enum class OpKind : unsigned char {
  matmul_x_w1t,     // Z1 (m, H) = X · W1ᵀ
  matmul_a1_w2t,    // Z2 (m, 10) = A1 · W2ᵀ
  matmul_dz2t_a1,   // dW2 (10, H) = dZ2ᵀ · A1
  matmul_dz2_w2,    // dA1 (m, H) = dZ2 · W2
  matmul_dz1t_x,    // dW1 (H, 784) = dZ1ᵀ · X
  matmul_other,     // a product of none of those shapes
  add_bias,
  relu_forward,
  relu_backward,
  softmax_rows,
  cross_entropy_backward,
  column_sums,
  sgd_update,
  fused_forward,    // a backend's own forward(), opaque to the profiler
  fused_train_step, // a backend's own train_step(), opaque to the profiler
  step,             // one whole train_step as the caller sees it
};

inline constexpr std::size_t kOpKindCount = std::size_t(OpKind::step) + 1;

// Every kind but step: the rows that add up to a step.
inline constexpr std::array<OpKind, kOpKindCount - 1> kOpRows = [] {
  std::array<OpKind, kOpKindCount - 1> rows{};
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = OpKind(i);
  return rows;
}();

// "matmul X·W1ᵀ", "relu_forward", "step", ...
std::string_view op_name(OpKind kind);

// Which of the step's five products a matmul call is, from its transposes
// and shape: each role has its own combination for any hidden size.
OpKind matmul_role(bool trans_a, bool trans_b, int M, int N, int K, const NetworkShape& shape);

}  // namespace mnistbench
