#pragma once
// How much work each op call is, to turn its time into GFLOP/s and GB/s and
// to compare it with the machine's limits.
//
// FLOPs: a multiply-add is 2; an elementwise op counts its arithmetic per
// element (stated per function below). Bytes: what the call must read and
// write through the interface's buffers, each once, as if none of it were in
// cache. So an op whose data is still in cache can beat "100% of bandwidth".

#include <cstddef>

#include "common/parameters.h"

namespace mnistbench {

struct OpCost {
  double flops = 0;
  double bytes = 0;
};

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
OpCost cross_entropy_backward_cost(int rows, int cols);
// One add per element; reads M (rows, cols), writes out (cols).
OpCost column_sums_cost(int rows, int cols);
// A multiply-add per parameter; reads params and grads, writes params.
OpCost sgd_update_cost(std::size_t n);

// A whole step, as the least any implementation must do: the FLOPs of the
// five products (the elementwise ops are under 1% of it), and the bytes of
// the input read once in its smallest form, the raw pixels (a byte converts
// to float exactly), plus the labels. Everything else a step touches is a few
// MB that a tiled step can keep in cache.
OpCost train_step_cost(const NetworkShape& shape, int m);
// The forward pass's two products; its input is float X, read once.
OpCost forward_cost(const NetworkShape& shape, int m);

}  // namespace mnistbench
