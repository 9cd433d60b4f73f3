// The one cost model (common/model/cost_model.h), from which compare, profile and
// the benchmarks turn times into GFLOP/s and GB/s, against counts made by
// hand for the tutorial's network and for two hidden layers.

#include <gtest/gtest.h>

#include "common/model/cost_model.h"

namespace mnistbench::test {
namespace {

constexpr double kFloat = 4;

TEST(CostModel, TrainStepOfTheTutorialNetwork) {
  const NetworkShape tutorial;
  for (int m : {1, 64, 60000}) {
    const OpCost step = train_step_cost(tutorial, m);
    // Forward X·W1ᵀ (784·10) and A1·W2ᵀ (10·10); backward dZ2ᵀ·A1 and dZ2·W2
    // (10·10 each) and dZ1ᵀ·X (784·10): 2·784·10 + 3·10·10 multiply-adds per
    // sample, 2 FLOPs each.
    EXPECT_EQ(step.flops, 2.0 * m * (2 * 784 * 10 + 3 * 10 * 10)) << m;
    // The pixel bytes read once, and one label byte per image.
    EXPECT_EQ(step.bytes, double(m) * (784 + 1)) << m;
  }
  EXPECT_EQ(forward_multiply_adds(tutorial), 784 * 10 + 10 * 10);
  EXPECT_EQ(backward_multiply_adds(tutorial), 784 * 10 + 2 * 10 * 10);
  // The forward pass alone: its two products, X read once as floats.
  EXPECT_EQ(forward_cost(tutorial, 1000).flops, 2.0 * 1000 * (784 * 10 + 10 * 10));
  EXPECT_EQ(forward_cost(tutorial, 1000).bytes, kFloat * 1000 * 784);
}

TEST(CostModel, TrainStepOfTwoHiddenLayers) {
  const NetworkShape deep{{784, 32, 16, 10}};
  // Forward: 784·32 + 32·16 + 16·10. Backward: every weight gradient
  // (the same three), and the input gradients of layers 2 and 3 (32·16, 16·10).
  const double forward = 784 * 32 + 32 * 16 + 16 * 10;
  const double backward = forward + 32 * 16 + 16 * 10;
  EXPECT_EQ(forward_multiply_adds(deep), forward);
  EXPECT_EQ(backward_multiply_adds(deep), backward);
  EXPECT_EQ(train_step_cost(deep, 100).flops, 2.0 * 100 * (forward + backward));
  EXPECT_EQ(train_step_cost(deep, 100).bytes, 100.0 * 785);
}

TEST(CostModel, Matmul) {
  // X·W1ᵀ at batch 1000: reads X (1000, 784) and W1 (784 → 10), writes Z1 (1000, 10).
  const OpCost forward = matmul_cost(1000, 10, 784, false);
  EXPECT_EQ(forward.flops, 2.0 * 1000 * 10 * 784);
  EXPECT_EQ(forward.bytes, kFloat * (1000 * 784 + 784 * 10 + 1000 * 10));
  // beta != 0 reads C as well as writing it.
  EXPECT_EQ(matmul_cost(3, 5, 7, true).bytes, kFloat * (3 * 7 + 7 * 5 + 2 * 3 * 5));
  EXPECT_EQ(matmul_cost(3, 5, 7, true).flops, 2.0 * 3 * 5 * 7);
}

TEST(CostModel, ElementwiseOps) {
  // Z (100, 10) += b (10): one add each; read Z and b, write Z.
  EXPECT_EQ(add_bias_cost(100, 10).flops, 1000);
  EXPECT_EQ(add_bias_cost(100, 10).bytes, kFloat * (2 * 1000 + 10));
  // ReLU: one max each, read Z write A; its backward reads dA and Z, writes dZ.
  EXPECT_EQ(relu_forward_cost(1000).flops, 1000);
  EXPECT_EQ(relu_forward_cost(1000).bytes, kFloat * 2000);
  EXPECT_EQ(relu_backward_cost(1000).flops, 1000);
  EXPECT_EQ(relu_backward_cost(1000).bytes, kFloat * 3000);
  // softmax: max, subtract, exp-and-sum, divide per element; read Z, write P.
  EXPECT_EQ(softmax_rows_cost(100, 10).flops, 4000);
  EXPECT_EQ(softmax_rows_cost(100, 10).bytes, kFloat * 2000);
  // P - one_hot: read P and 100 label bytes, write dZ.
  EXPECT_EQ(softmax_cross_entropy_backward_cost(100, 10).flops, 1000);
  EXPECT_EQ(softmax_cross_entropy_backward_cost(100, 10).bytes, kFloat * 2000 + 100);
  // Column sums of (100, 10): read it, write 10.
  EXPECT_EQ(column_sums_cost(100, 10).flops, 1000);
  EXPECT_EQ(column_sums_cost(100, 10).bytes, kFloat * (1000 + 10));
  // The update of the tutorial's 7,960 parameters: a multiply-add each;
  // read params and grads, write params.
  EXPECT_EQ(sgd_update_cost(7960).flops, 2 * 7960);
  EXPECT_EQ(sgd_update_cost(7960).bytes, kFloat * 3 * 7960);
}

TEST(CostModel, ProductNames) {
  EXPECT_EQ(product_name(Product::forward), "matmul_forward");
  EXPECT_EQ(product_name(Product::weight_gradient), "matmul_weight_gradient");
  EXPECT_EQ(product_name(Product::input_gradient), "matmul_input_gradient");
  EXPECT_EQ(product_formula(Product::forward, 1), "X·W1ᵀ");
  EXPECT_EQ(product_formula(Product::forward, 2), "A1·W2ᵀ");
  EXPECT_EQ(product_formula(Product::weight_gradient, 2), "dZ2ᵀ·A1");
  EXPECT_EQ(product_formula(Product::weight_gradient, 1), "dZ1ᵀ·X");
  EXPECT_EQ(product_formula(Product::input_gradient, 2), "dZ2·W2");
  EXPECT_EQ(product_formula(Product::input_gradient, 3), "dZ3·W3");
}

}  // namespace
}  // namespace mnistbench::test
