#pragma once
// How much work each op and each step is: the one count that compare,
// profile and the benchmarks all turn times into GFLOP/s and GB/s with, and
// compare with the machine's limits. Derived from the layer list.
//
// FLOPs: a multiply-add is 2; an elementwise op counts its arithmetic per
// element (stated per function below; a max or a select counts as one).
// Bytes: what the call must read and write through the interface's buffers,
// each once, as if none of it were in cache. So an op whose data is still in
// cache can beat "100% of bandwidth".

#include <cstddef>
#include <string>
#include <string_view>

#include "common/model/network_shape.h"

namespace mnistbench {

struct OpCost {
  double flops = 0;
  double bytes = 0;
};

// The products of a step, by their role for layer l (one name each, used by
// the benchmarks, the profiler and the docs):
enum class Product : unsigned char {
  forward,          // Z(l) (m, out) = A(l-1) · W(l)ᵀ, with A0 = X
  weight_gradient,  // dW(l) (out, in) = dZ(l)ᵀ · A(l-1)
  input_gradient,   // dA(l-1) (m, in) = dZ(l) · W(l), for l > 1
};

// "matmul_forward", "matmul_weight_gradient", "matmul_input_gradient".
std::string_view product_name(Product product);
// The product in the tutorial's symbols: "X·W1ᵀ", "dZ2ᵀ·A1", "dZ2·W2".
std::string product_formula(Product product, int layer);

// 2·M·N·K; reads A (M, K) and B (K, N), writes C (M, N), and reads C too when beta != 0.
OpCost matmul_cost(int M, int N, int K, bool reads_c);
// One add per element; reads Z and b, writes Z.
OpCost add_bias_cost(int rows, int cols);
// One max per element; reads Z, writes A.
OpCost relu_forward_cost(std::size_t n);
// One select per element; reads dA and Z, writes dZ.
OpCost relu_backward_cost(std::size_t n);
// Four per element (max, subtract, sum, divide; exp counted as one of them); reads Z, writes P.
OpCost softmax_rows_cost(int rows, int cols);
// One subtract per element; reads P and the label bytes, writes dZ.
OpCost softmax_cross_entropy_backward_cost(int rows, int cols);
// One add per element; reads M (rows, cols), writes out (cols).
OpCost column_sums_cost(int rows, int cols);
// A multiply-add per parameter; reads params and grads, writes params.
OpCost sgd_update_cost(std::size_t n);
// Data-parallel steps: every shard's n gradients gathered and summed in
// order, shards - 1 adds per element; reads the shards' blocks, writes the sum.
OpCost exchange_cost(std::size_t n, int shards);

// The multiply-adds of one sample's forward pass: Σ over layers of in·out.
double forward_multiply_adds(const NetworkShape& shape);
// The multiply-adds of one sample's backward pass: every layer's weight
// gradient, and the input gradient of every layer but the first.
double backward_multiply_adds(const NetworkShape& shape);

// A whole step on m samples, as the least any implementation must do: the
// FLOPs of its products (the elementwise ops are under 1% of it at the
// tutorial's sizes), and the bytes of the input read once in its smallest
// form, the raw pixels (a byte converts to float exactly), plus the labels.
// Everything else a step touches is a few MB that a tiled step can keep in cache.
OpCost train_step_cost(const NetworkShape& shape, int m);
// The forward pass's products on m samples; its input is float X, read once.
OpCost forward_cost(const NetworkShape& shape, int m);

}  // namespace mnistbench
