#include "profile/op_kind.h"

namespace mnistbench {

namespace {

// The products' kinds come first in OpKind, in this order.
constexpr std::array<Product, 3> kProducts = {Product::forward, Product::weight_gradient,
                                              Product::input_gradient};

bool is_product(OpKind kind) { return kind <= OpKind::matmul_input_gradient; }

Product product_of(OpKind kind) { return kProducts[std::size_t(kind)]; }

}  // namespace

OpKind matmul_kind(Product product) {
  switch (product) {
    case Product::forward: return OpKind::matmul_forward;
    case Product::weight_gradient: return OpKind::matmul_weight_gradient;
    case Product::input_gradient: break;
  }
  return OpKind::matmul_input_gradient;
}

std::string_view kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::matmul_forward:
    case OpKind::matmul_weight_gradient:
    case OpKind::matmul_input_gradient: return product_name(product_of(kind));
    case OpKind::add_bias: return "add_bias";
    case OpKind::relu_forward: return "relu_forward";
    case OpKind::relu_backward: return "relu_backward";
    case OpKind::softmax_rows: return "softmax_rows";
    case OpKind::softmax_cross_entropy_backward: return "softmax_cross_entropy_backward";
    case OpKind::column_sums: return "column_sums";
    case OpKind::sgd_update: return "sgd_update";
    case OpKind::allreduce: return "allreduce";
    case OpKind::fused_step: return "fused_step";
    case OpKind::step: break;
  }
  return "step";
}

std::string op_name(OpId op) {
  std::string name(kind_name(op.kind));
  if (op.layer > 0) name += " L" + std::to_string(op.layer);
  if (is_product(op.kind)) name += " (" + product_formula(product_of(op.kind), op.layer) + ")";
  return name;
}

std::string op_benchmark_name(OpId op) {
  std::string name(kind_name(op.kind));
  if (op.layer > 0) name += "/L" + std::to_string(op.layer);
  return name;
}

}  // namespace mnistbench
