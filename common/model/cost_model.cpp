#include "common/model/cost_model.h"

#include <fmt/core.h>

namespace mnistbench {

namespace {

constexpr double kFloat = sizeof(float);

std::string activation(int layer) { return layer == 0 ? "X" : fmt::format("A{}", layer); }

}  // namespace

std::string_view product_name(Product product) {
  switch (product) {
    case Product::forward: return "matmul_forward";
    case Product::weight_gradient: return "matmul_weight_gradient";
    case Product::input_gradient: break;
  }
  return "matmul_input_gradient";
}

std::string product_formula(Product product, int l) {
  const std::string W = fmt::format("W{}", l), dZ = fmt::format("dZ{}", l);
  switch (product) {
    case Product::forward: return activation(l - 1) + "·" + W + "ᵀ";
    case Product::weight_gradient: return dZ + "ᵀ·" + activation(l - 1);
    case Product::input_gradient: break;
  }
  return dZ + "·" + W;
}

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

OpCost softmax_cross_entropy_backward_cost(int rows, int cols) {
  const double n = double(rows) * cols;
  return {n, kFloat * 2 * n + rows};
}

OpCost column_sums_cost(int rows, int cols) {
  const double n = double(rows) * cols;
  return {n, kFloat * (n + cols)};
}

OpCost sgd_update_cost(std::size_t n) { return {2 * double(n), kFloat * 3 * double(n)}; }

OpCost exchange_cost(std::size_t n, int shards) {
  return {double(shards - 1) * double(n), kFloat * double(shards + 1) * double(n)};
}

double forward_multiply_adds(const NetworkShape& s) {
  double total = 0;
  for (int l = 1; l <= s.layers(); ++l) total += double(s.weight_count(l));
  return total;
}

double backward_multiply_adds(const NetworkShape& s) {
  double total = 0;
  for (int l = 1; l <= s.layers(); ++l) total += double(s.weight_count(l)) * (l > 1 ? 2 : 1);
  return total;
}

OpCost train_step_cost(const NetworkShape& s, int m) {
  const double products = forward_multiply_adds(s) + backward_multiply_adds(s);
  return {2.0 * m * products, double(m) * (s.inputs() + 1)};
}

OpCost forward_cost(const NetworkShape& s, int m) {
  return {2.0 * m * forward_multiply_adds(s), kFloat * m * s.inputs()};
}

}  // namespace mnistbench
