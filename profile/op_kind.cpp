#include "profile/op_kind.h"

namespace mnistbench {

std::string_view op_name(OpKind kind) {
  switch (kind) {
    case OpKind::matmul_x_w1t: return "matmul X·W1ᵀ";
    case OpKind::matmul_a1_w2t: return "matmul A1·W2ᵀ";
    case OpKind::matmul_dz2t_a1: return "matmul dZ2ᵀ·A1";
    case OpKind::matmul_dz2_w2: return "matmul dZ2·W2";
    case OpKind::matmul_dz1t_x: return "matmul dZ1ᵀ·X";
    case OpKind::matmul_other: return "matmul (other)";
    case OpKind::add_bias: return "add_bias";
    case OpKind::relu_forward: return "relu_forward";
    case OpKind::relu_backward: return "relu_backward";
    case OpKind::softmax_rows: return "softmax_rows";
    case OpKind::cross_entropy_backward: return "cross_entropy_backward";
    case OpKind::column_sums: return "column_sums";
    case OpKind::sgd_update: return "sgd_update";
    case OpKind::fused_forward: return "forward (fused)";
    case OpKind::fused_train_step: return "train_step (fused)";
    case OpKind::step: return "step";
  }
  return "?";
}

OpKind matmul_role(bool trans_a, bool trans_b, int M, int N, int K, const NetworkShape& s) {
  // Only the layer sizes are compared, never the batch dimension (M or K), so
  // a role is recognised whatever the batch size.
  if (!trans_a && trans_b && N == s.hidden && K == s.inputs) return OpKind::matmul_x_w1t;
  if (!trans_a && trans_b && N == s.outputs && K == s.hidden) return OpKind::matmul_a1_w2t;
  if (trans_a && !trans_b && M == s.outputs && N == s.hidden) return OpKind::matmul_dz2t_a1;
  if (!trans_a && !trans_b && N == s.hidden && K == s.outputs) return OpKind::matmul_dz2_w2;
  if (trans_a && !trans_b && M == s.hidden && N == s.inputs) return OpKind::matmul_dz1t_x;
  return OpKind::matmul_other;
}

}  // namespace mnistbench
