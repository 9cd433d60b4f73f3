#include "profile/op_cost.h"

namespace mnistbench {

namespace {

constexpr double kFloat = sizeof(float);

}  // namespace

OpCost matmul_cost(int M, int N, int K, bool reads_c) {
  const double c = double(M) * N;
  return {2.0 * M * N * K, kFloat * (double(M) * K + double(K) * N + c * (reads_c ? 2 : 1))};
}

OpCost add_bias_cost(int rows, int cols) {
  const double n = double(rows) * cols;
  return {n, kFloat * (2 * n + cols)};
}

OpCost relu_forward_cost(std::size_t n) { return {double(n), kFloat * 2 * double(n)}; }

OpCost relu_backward_cost(std::size_t n) { return {double(n), kFloat * 3 * double(n)}; }

OpCost softmax_rows_cost(int rows, int cols) {
  const double n = double(rows) * cols;
  return {4 * n, kFloat * 2 * n};
}

OpCost cross_entropy_backward_cost(int rows, int cols) {
  const double n = double(rows) * cols;
  return {n, kFloat * 2 * n + rows};
}

OpCost column_sums_cost(int rows, int cols) {
  const double n = double(rows) * cols;
  return {n, kFloat * (n + cols)};
}

OpCost sgd_update_cost(std::size_t n) { return {2 * double(n), kFloat * 3 * double(n)}; }

OpCost train_step_cost(const NetworkShape& s, int m) {
  const double products = 2.0 * s.inputs * s.hidden + 3.0 * s.hidden * s.outputs;
  return {2.0 * m * products, double(m) * (s.inputs + 1)};
}

OpCost forward_cost(const NetworkShape& s, int m) {
  const double products = double(s.inputs) * s.hidden + double(s.hidden) * s.outputs;
  return {2.0 * m * products, kFloat * m * s.inputs};
}

}  // namespace mnistbench
