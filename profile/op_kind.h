#pragma once
// What the profiler and the benchmarks tell apart, under one spelling: each
// op of the interface, for the layer it serves, with the products split by
// their role (common/model/cost_model.h's Product: the one matmul op makes 3L - 1
// very different products in a step of L layers), the fused step a backend
// may run instead of the ops, and the step itself.

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "common/model/cost_model.h"

namespace mnistbench {

enum class OpKind : unsigned char {
  matmul_forward,          // Product::forward, layer l
  matmul_weight_gradient,  // Product::weight_gradient, layer l
  matmul_input_gradient,   // Product::input_gradient, layer l > 1
  add_bias,                // Z(l) += b(l)
  relu_forward,            // A(l) = ReLU(Z(l)), hidden layer l
  relu_backward,           // dZ(l) = dA(l) * ReLU'(Z(l)), hidden layer l
  softmax_rows,            // the last layer's A(L)
  softmax_cross_entropy_backward,
  column_sums,             // db(l)
  sgd_update,              // the whole flat block
  allreduce,               // with shards: every shard's gradients gathered and summed in order
  fused_step,              // a backend's own compute_gradients, opaque to the profiler
  step,                    // one compute_gradients and its apply_update, as the trainer runs them
};

inline constexpr std::size_t kOpKindCount = std::size_t(OpKind::step) + 1;

// Every kind but step, in the enum's order: the rows that add up to a step.
inline constexpr std::array<OpKind, kOpKindCount - 1> kOpRows = [] {
  std::array<OpKind, kOpKindCount - 1> rows{};
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = OpKind(i);
  return rows;
}();

// One op of a step: its kind and the layer (1..L) it serves, or 0 for the
// ops that serve none (softmax, its backward, the update, the step).
struct OpId {
  OpKind kind;
  int layer = 0;
};

OpKind matmul_kind(Product product);

// "matmul_forward", "add_bias", "fused_step", "step": the interface's own names.
std::string_view kind_name(OpKind kind);

// For the profile's table and trace: "matmul_forward L1 (X·W1ᵀ)", "add_bias L2", "softmax_rows".
std::string op_name(OpId op);

// For the benchmarks, whose names are backend/op/batch: "matmul_forward/L1", "softmax_rows".
std::string op_benchmark_name(OpId op);

}  // namespace mnistbench
